"""DfE Sign-in's OpenID Connect client: made from the DFE_SIGN_IN_* settings, with the checks Authlib leaves to us.

The protocol is Authlib's Django client: discovery, the authorisation-code flow with PKCE (S256),
state and nonce kept in the session, the token request authenticated with the client secret, and
the ID token's signature checked against the provider's published keys. Authlib leaves some checks
to its caller, and this module makes them:

- the ID token's `aud` is checked only when the caller asks, so `id_token_claims_options` always
  asks, and accepts our client id as its only audience;
- the accepted signing algorithms come from the provider's discovery document, so we fix them to
  RS256 instead (`none`, and HS256 keyed with the public key, are refused whatever it says);
- the discovery document's `issuer` must be exactly the configured one, the ID token's `iss` too,
  and only the discovery fields we use are kept (Authlib would otherwise pass any field, such as
  `verify` or `proxies`, on to the HTTP session that carries the client secret);
- the provider's keys are kept only once they are keys (Authlib keeps whatever its JWKS address
  answered, so one bad answer would break every sign-in until the discovery document expired).

Every call to DfE Sign-in (discovery, keys, token, user info) waits at most
DFE_SIGN_IN_TIMEOUT_SECONDS for each connection and each read (Authlib's `default_timeout`). One that
fails, by not answering in time, answering with an error status or answering with something that
is not what was asked for, raises DfESignInUnavailable naming the address that failed (`endpoint`)
and how (`provider_failure`): the person is told DfE Sign-in is not available, and the security log
says which call failed and why.

The client is made once, and kept with its discovery document and keys until a setting changes.
"""

import threading
import time
from urllib.parse import urlsplit

import requests
from authlib.integrations.django_client import DjangoOAuth2App, OAuth
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.csp import CSP
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from accounts.dfe_sign_in.errors import DfESignInUnavailable

METHOD = "dfe-sign-in"

# ID tokens are signed with RS256, whatever else a discovery document may list.
ID_TOKEN_ALGORITHMS = ["RS256"]

_CLIENT_NAME = "dfe_sign_in"
# The discovery fields this client uses; anything else in the document is dropped.
_METADATA_FIELDS = (
    "issuer",
    "authorization_endpoint",
    "token_endpoint",
    "userinfo_endpoint",
    "jwks_uri",
    "end_session_endpoint",
)
_METADATA_REQUIRED = ("authorization_endpoint", "token_endpoint", "jwks_uri")


def dfe_sign_in_is_on() -> bool:
    return settings.SIGN_IN_METHOD == METHOD


def provider_failure(error: Exception, *, endpoint: str) -> DfESignInUnavailable:
    """The failure to raise when a call to DfE Sign-in's `endpoint` ("discovery", "jwks", "token",
    "userinfo") raised `error`: no answer (refused, or not in time), an error status, or an answer
    that is not the JSON asked for."""
    if isinstance(error, (requests.ConnectionError, requests.Timeout)):
        return DfESignInUnavailable("provider_unreachable", endpoint=endpoint, error=type(error).__name__)
    if isinstance(error, requests.HTTPError) and error.response is not None:
        return DfESignInUnavailable("provider_error_status", endpoint=endpoint, status=error.response.status_code)
    return DfESignInUnavailable("provider_answer_invalid", endpoint=endpoint, error=type(error).__name__)


class _DfESignInClient(DjangoOAuth2App):
    """Authlib's Django client, with discovery that checks the issuer and keeps what we use, and
    each call's failure said as a DfESignInUnavailable naming the call."""

    def load_server_metadata(self):
        metadata = self.server_metadata
        loaded_at = metadata.get("_loaded_at")
        if loaded_at is None or time.time() - loaded_at >= settings.DFE_SIGN_IN_METADATA_MAX_AGE_SECONDS:
            metadata = _checked_metadata(self._get_json(self._server_metadata_url, endpoint="discovery"))
            metadata["_loaded_at"] = time.time()
            # Swapped in whole, so that a request on another thread never sees half of it.
            self.server_metadata = metadata
        return metadata

    def fetch_jwk_set(self, force=False):
        metadata = self.load_server_metadata()
        jwk_set = metadata.get("jwks")
        if jwk_set and not force:
            return jwk_set
        jwk_set = self._get_json(metadata["jwks_uri"], endpoint="jwks")
        try:
            KeySet.import_key_set(jwk_set)
        except (JoseError, TypeError, KeyError, ValueError, AttributeError) as error:
            raise DfESignInUnavailable("jwks_invalid", endpoint="jwks", error=type(error).__name__) from None
        metadata["jwks"] = jwk_set
        return jwk_set

    def fetch_access_token(self, redirect_uri=None, **kwargs):
        self.load_server_metadata()  # Its own failures name discovery.
        try:
            return super().fetch_access_token(redirect_uri, **kwargs)
        except (requests.RequestException, ValueError, TypeError) as error:
            # An OAuth error answer (invalid_grant, ...) is an OAuthError, and is not caught here.
            raise provider_failure(error, endpoint="token") from None

    def userinfo(self, **kwargs):
        try:
            return super().userinfo(**kwargs)
        except (requests.RequestException, ValueError, TypeError) as error:
            raise provider_failure(error, endpoint="userinfo") from None

    def _get_json(self, url: str, *, endpoint: str):
        try:
            with self._get_session() as session:
                response = session.request("GET", url, withhold_token=True)
                response.raise_for_status()
                return response.json()
        except (requests.RequestException, ValueError) as error:
            raise provider_failure(error, endpoint=endpoint) from None


def _checked_metadata(document) -> dict:
    issuer = settings.DFE_SIGN_IN_ISSUER
    if not isinstance(document, dict):
        raise DfESignInUnavailable("discovery_invalid")
    if document.get("issuer") != issuer:
        # OpenID Connect Discovery 1.0 §4.3: the document must name the issuer it was fetched for.
        raise DfESignInUnavailable("discovery_issuer_mismatch")
    metadata = {field: document[field] for field in _METADATA_FIELDS if isinstance(document.get(field), str)}
    if any(field not in metadata for field in _METADATA_REQUIRED):
        raise DfESignInUnavailable("discovery_invalid")
    if issuer.startswith("https://") and not all(url.startswith("https://") for url in metadata.values()):
        raise DfESignInUnavailable("discovery_invalid")
    metadata["id_token_signing_alg_values_supported"] = list(ID_TOKEN_ALGORITHMS)
    return metadata


_clients: dict[tuple, _DfESignInClient] = {}
_clients_lock = threading.Lock()


def dfe_sign_in_client() -> _DfESignInClient:
    """The client for the configured provider, made on first use and kept with its discovery
    document and keys; a change to the DFE_SIGN_IN_* settings makes a new one."""
    key = (
        settings.DFE_SIGN_IN_ISSUER,
        settings.DFE_SIGN_IN_CLIENT_ID,
        settings.DFE_SIGN_IN_CLIENT_SECRET,
        tuple(settings.DFE_SIGN_IN_SCOPES),
        settings.DFE_SIGN_IN_TIMEOUT_SECONDS,
    )
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            _clients.clear()
            oauth = OAuth()
            client = oauth.register(
                _CLIENT_NAME,
                client_cls=_DfESignInClient,
                client_id=settings.DFE_SIGN_IN_CLIENT_ID,
                client_secret=settings.DFE_SIGN_IN_CLIENT_SECRET,
                server_metadata_url=settings.DFE_SIGN_IN_ISSUER.rstrip("/") + "/.well-known/openid-configuration",
                client_kwargs={
                    "scope": " ".join(settings.DFE_SIGN_IN_SCOPES),
                    "code_challenge_method": "S256",
                    "token_endpoint_auth_method": "client_secret_basic",
                    "default_timeout": settings.DFE_SIGN_IN_TIMEOUT_SECONDS,
                },
            )
            _clients[key] = client
    return client


@receiver(setting_changed)
def _forget_clients(*, setting, **kwargs):
    if setting.startswith("DFE_SIGN_IN_"):
        with _clients_lock:
            _clients.clear()


def id_token_claims_options() -> dict:
    client_id = settings.DFE_SIGN_IN_CLIENT_ID

    def only_this_client(claims, audience) -> bool:
        # OpenID Connect Core §3.1.3.7: refuse a token that also names audiences we do not trust.
        return audience == client_id or audience == [client_id]

    return {
        "iss": {"essential": True, "value": settings.DFE_SIGN_IN_ISSUER},
        "sub": {"essential": True},
        "aud": {"essential": True, "value": client_id, "validate": only_this_client},
        "exp": {"essential": True},
        "iat": {"essential": True},
        "nonce": {"essential": True},
    }


def dfe_sign_in_csp(base: dict) -> dict:
    """`base` (a SECURE_CSP) letting forms lead to DfE Sign-in.

    Chrome and Safari hold the redirect that follows a form submission to the page's `form-action`,
    so the sign-in page's button, which posts here and is redirected to DfE Sign-in, needs its origin.
    """
    issuer = urlsplit(settings.DFE_SIGN_IN_ISSUER)
    if not (issuer.scheme and issuer.netloc):
        return base
    origin = f"{issuer.scheme}://{issuer.netloc}"
    form_action = list(base.get("form-action", [CSP.SELF]))
    if origin not in form_action:
        form_action.append(origin)
    return {**base, "form-action": form_action}
