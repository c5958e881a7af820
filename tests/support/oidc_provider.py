"""A small OpenID Connect provider on 127.0.0.1, standing in for DfE Sign-in in tests.

It serves what the service uses of DfE Sign-in: discovery, its signing keys (an RSA key made when
it starts), the authorisation endpoint, the token endpoint, user info and end-session. It checks
what a real provider checks: the client id and secret, the redirect URI, that each code is used
once, and the PKCE `code_verifier` against the `code_challenge` it was given. It records what it
was sent, so tests can see what the service asked for.

Tests choose who signs in (`sign_in_as`) and can make it issue bad ID tokens (`issue_id_tokens`):
other claims, claims left out, or signed the wrong way (`Signing`). They can make any of its
addresses misbehave (`fail`): answer too late, hang up, answer an error page, or answer JSON that is
not what was asked for (`tests.support.oidc_faults`).

Use the `oidc_provider` fixture: it starts a provider per test and points the settings at it,
with DfE Sign-in switched on.
"""

import base64
import dataclasses
import hashlib
import hmac
import json
import secrets
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.support.jws import Signing, b64url, jws, public_jwk
from tests.support.local_server import LocalServer
from tests.support.oidc_faults import Fault

DISCOVERY_PATH = "/.well-known/openid-configuration"
AUTHORIZE_PATH = "/authorize"
TOKEN_PATH = "/token"
USERINFO_PATH = "/userinfo"
JWKS_PATH = "/jwks"
END_SESSION_PATH = "/end-session"

ID_TOKEN_LIFETIME_SECONDS = 10 * 60

# As a value in `issue_id_tokens` (or `metadata_changes`, `token_response_changes`): leave that one out.
LEAVE_OUT = object()


@dataclasses.dataclass(frozen=True)
class Person:
    """Someone with a DfE Sign-in account."""

    sub: str = dataclasses.field(default_factory=lambda: str(uuid.uuid4()))
    email: str = "jane.doe@education.gov.uk"
    given_name: str = "Jane"
    family_name: str = "Doe"

    @property
    def claims(self) -> dict:
        return {"email": self.email, "given_name": self.given_name, "family_name": self.family_name}


@dataclasses.dataclass
class _Grant:
    client_id: str
    redirect_uri: str
    code_challenge: str
    nonce: str
    person: Person
    used: bool = False


@dataclasses.dataclass(frozen=True)
class ReceivedRequest:
    method: str
    path: str
    query: dict
    form: dict
    headers: dict


class OIDCProvider(LocalServer):
    thread_name = "oidc-provider"

    @property
    def handler_class(self):
        return _Handler

    def __init__(self, *, client_id: str = "register-of-training-providers"):
        super().__init__()
        self.client_id = client_id
        self.client_secret = secrets.token_hex(16)
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = uuid.uuid4().hex
        self.person = Person()
        # Scripting, for the next answers until changed.
        self.id_token_changes: dict = {}
        self.signing = Signing.RS256
        self.profile_in_id_token = True
        self.userinfo_changes: dict = {}
        self.token_response_changes: dict = {}
        self.metadata_changes: dict = {}
        self.authorize_error: str | None = None
        self.faults: dict[str, Fault] = {}
        self._stopping = threading.Event()
        # What happened.
        self.requests: list[ReceivedRequest] = []
        self.issued_id_tokens: list[str] = []
        self._grants: dict[str, _Grant] = {}
        self._access_tokens: dict[str, Person] = {}
        self._lock = threading.Lock()

    # --- Running -------------------------------------------------------------------------------------

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    def url(self, path: str) -> str:
        return self.issuer + path

    def start(self) -> None:
        self._stopping.clear()
        super().start()

    def stop(self) -> None:
        self._stopping.set()  # Let go of every request being held (`SLOW`).
        super().stop()

    # --- Scripting -----------------------------------------------------------------------------------

    def sign_in_as(self, person: Person | None = None, **fields) -> Person:
        """Who signs in at the provider from now on: `person`, or a new one with these fields."""
        self.person = person or Person(**fields)
        return self.person

    def issue_id_tokens(self, *, signing: Signing = Signing.RS256, **claim_changes) -> None:
        """Issue ID tokens with these claims changed (LEAVE_OUT leaves one out), signed this way."""
        self.signing = signing
        self.id_token_changes = claim_changes

    def fail(self, path: str, fault: Fault) -> None:
        """Answer requests to `path` with `fault` until `recover`."""
        self.faults[path] = fault

    def recover(self) -> None:
        self.faults.clear()

    # --- Looking at what happened --------------------------------------------------------------------

    def requests_to(self, path: str) -> list[ReceivedRequest]:
        with self._lock:
            return [each for each in self.requests if each.path == path]

    # --- Keys and tokens -----------------------------------------------------------------------------

    @property
    def public_jwk(self) -> dict:
        return public_jwk(self.key, self.kid)

    def id_token(self, claims: dict, *, signing: Signing = Signing.RS256) -> str:
        """A compact JWS of `claims`, signed as `signing` says."""
        return jws(claims, key=self.key, kid=self.kid, signing=signing)

    def _id_token_for(self, grant: _Grant) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": grant.person.sub,
            "aud": grant.client_id,
            "exp": now + ID_TOKEN_LIFETIME_SECONDS,
            "iat": now,
            "auth_time": now,
            "nonce": grant.nonce,
        }
        if self.profile_in_id_token:
            claims.update(grant.person.claims)
        for name, value in self.id_token_changes.items():
            if value is LEAVE_OUT:
                claims.pop(name, None)
            else:
                claims[name] = value
        token = self.id_token(claims, signing=self.signing)
        self.issued_id_tokens.append(token)
        return token

    # --- Handling requests (on the server's threads) -------------------------------------------------

    def _handle(self, handler: "_Handler", method: str) -> None:
        url = urlsplit(handler.path)
        query = {name: values[-1] for name, values in parse_qs(url.query).items()}
        length = int(handler.headers.get("Content-Length") or 0)
        raw_body = handler.rfile.read(length).decode() if length else ""
        form = {name: values[-1] for name, values in parse_qs(raw_body).items()}
        with self._lock:
            self.requests.append(
                ReceivedRequest(method=method, path=url.path, query=query, form=form, headers=dict(handler.headers))
            )
        fault = self.faults.get(url.path)
        if fault is not None:
            return handler.reply_fault(fault, self._stopping)
        route = {
            ("GET", DISCOVERY_PATH): lambda: handler.reply_json(200, self._discovery()),
            ("GET", JWKS_PATH): lambda: handler.reply_json(200, {"keys": [self.public_jwk]}),
            ("GET", AUTHORIZE_PATH): lambda: self._authorize(handler, query),
            ("POST", TOKEN_PATH): lambda: self._token(handler, form),
            ("GET", USERINFO_PATH): lambda: self._userinfo(handler),
            ("GET", END_SESSION_PATH): lambda: self._end_session(handler, query),
        }.get((method, url.path))
        if route is None:
            return handler.reply_json(404, {"error": "not_found"})
        return route()

    def _discovery(self) -> dict:
        document = {
            "issuer": self.issuer,
            "authorization_endpoint": self.url(AUTHORIZE_PATH),
            "token_endpoint": self.url(TOKEN_PATH),
            "userinfo_endpoint": self.url(USERINFO_PATH),
            "jwks_uri": self.url(JWKS_PATH),
            "end_session_endpoint": self.url(END_SESSION_PATH),
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
        }
        for name, value in self.metadata_changes.items():
            if value is LEAVE_OUT:
                document.pop(name, None)
            else:
                document[name] = value
        return document

    def _authorize(self, handler: "_Handler", query: dict) -> None:
        problems = []
        if query.get("client_id") != self.client_id:
            problems.append("unknown client_id")
        if query.get("response_type") != "code":
            problems.append("response_type must be code")
        if "openid" not in query.get("scope", "").split():
            problems.append("scope must include openid")
        for name in ("redirect_uri", "state", "nonce", "code_challenge"):
            if not query.get(name):
                problems.append(f"{name} is missing")
        if query.get("code_challenge_method") != "S256":
            problems.append("code_challenge_method must be S256")
        if problems:
            return handler.reply_json(400, {"error": "invalid_request", "error_description": "; ".join(problems)})

        if self.authorize_error:
            return handler.redirect(query["redirect_uri"], error=self.authorize_error, state=query["state"])
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._grants[code] = _Grant(
                client_id=query["client_id"],
                redirect_uri=query["redirect_uri"],
                code_challenge=query["code_challenge"],
                nonce=query["nonce"],
                person=self.person,
            )
        return handler.redirect(query["redirect_uri"], code=code, state=query["state"])

    def _client_authenticated(self, handler: "_Handler", form: dict) -> bool:
        scheme, _, credentials = handler.headers.get("Authorization", "").partition(" ")
        if scheme == "Basic":
            try:
                client_id, _, secret = base64.b64decode(credentials).decode().partition(":")
            except ValueError:
                return False
            client_id, secret = unquote(client_id), unquote(secret)
        else:
            client_id, secret = form.get("client_id"), form.get("client_secret")
        return client_id == self.client_id and secret is not None and hmac.compare_digest(secret, self.client_secret)

    def _token(self, handler: "_Handler", form: dict) -> None:
        if not self._client_authenticated(handler, form):
            return handler.reply_json(401, {"error": "invalid_client"})
        if form.get("grant_type") != "authorization_code":
            return handler.reply_json(400, {"error": "unsupported_grant_type"})
        with self._lock:
            grant = self._grants.get(form.get("code", ""))
            replayed = grant is not None and grant.used
            if grant is not None:
                grant.used = True
        if grant is None or replayed:
            return handler.reply_json(400, {"error": "invalid_grant", "error_description": "unknown or used code"})
        if form.get("redirect_uri") != grant.redirect_uri:
            return handler.reply_json(400, {"error": "invalid_grant", "error_description": "redirect_uri differs"})
        verifier = form.get("code_verifier", "")
        if not verifier or b64url(hashlib.sha256(verifier.encode()).digest()) != grant.code_challenge:
            return handler.reply_json(400, {"error": "invalid_grant", "error_description": "PKCE verification failed"})

        access_token = secrets.token_urlsafe(24)
        with self._lock:
            self._access_tokens[access_token] = grant.person
        answer = {"access_token": access_token, "token_type": "Bearer", "expires_in": 3600}
        answer["id_token"] = self._id_token_for(grant)
        for name, value in self.token_response_changes.items():
            if value is LEAVE_OUT:
                answer.pop(name, None)
            else:
                answer[name] = value
        return handler.reply_json(200, answer)

    def _userinfo(self, handler: "_Handler") -> None:
        scheme, _, access_token = handler.headers.get("Authorization", "").partition(" ")
        with self._lock:
            person = self._access_tokens.get(access_token) if scheme == "Bearer" else None
        if person is None:
            return handler.reply_json(401, {"error": "invalid_token"})
        return handler.reply_json(200, {"sub": person.sub, **person.claims, **self.userinfo_changes})

    def _end_session(self, handler: "_Handler", query: dict) -> None:
        if query.get("post_logout_redirect_uri"):
            params = {"state": query["state"]} if query.get("state") else {}
            return handler.redirect(query["post_logout_redirect_uri"], **params)
        return handler.reply_json(200, {"signed_out": True})


class _Handler(BaseHTTPRequestHandler):
    server_version = "OIDCProvider/1"

    def do_GET(self):
        self.server.owner._handle(self, "GET")

    def do_POST(self):
        self.server.owner._handle(self, "POST")

    def reply_json(self, status: int, body: dict) -> None:
        content = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(content)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(content)

    def reply_fault(self, fault: Fault, stopping: threading.Event) -> None:
        if fault.hang:
            stopping.wait(timeout=30)
        if fault.hang or fault.drop:
            self.close_connection = True
            return
        self.send_response(fault.status)
        self.send_header("Content-Type", fault.content_type)
        self.send_header("Content-Length", str(len(fault.body)))
        self.end_headers()
        self.wfile.write(fault.body)

    def redirect(self, url: str, **params) -> None:
        self.send_response(302)
        self.send_header("Location", f"{url}{'&' if '?' in url else '?'}{urlencode(params)}")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args):
        pass  # Keep test output quiet; `OIDCProvider.requests` records every request.


@pytest.fixture
def oidc_provider(settings):
    """A running provider, with DfE Sign-in switched on and pointed at it."""
    with OIDCProvider() as provider:
        settings.SIGN_IN_METHOD = "dfe-sign-in"
        settings.DFE_SIGN_IN_ISSUER = provider.issuer
        settings.DFE_SIGN_IN_CLIENT_ID = provider.client_id
        settings.DFE_SIGN_IN_CLIENT_SECRET = provider.client_secret
        settings.DFE_SIGN_IN_TIMEOUT_SECONDS = 5
        yield provider
