"""DfE Sign-in: the OpenID Connect client, and which account a DfE Sign-in identity signs in to.

The protocol is Authlib's Django client: discovery, the authorisation-code flow with PKCE (S256),
state and nonce kept in the session, the token request authenticated with the client secret, and
the ID token's signature checked against the provider's published keys. Authlib leaves some checks
to its caller, and this module makes them:

- the ID token's `aud` is checked only when the caller asks, so we always ask, and accept our
  client id as its only audience;
- the accepted signing algorithms come from the provider's discovery document, so we fix them to
  RS256 instead (`none`, and HS256 keyed with the public key, are refused whatever it says);
- the discovery document's `issuer` must be exactly the configured one, the ID token's `iss` too,
  and only the discovery fields we use are kept (Authlib would otherwise pass any field, such as
  `verify` or `proxies`, on to the HTTP session that carries the client secret).

People are matched to accounts by their DfE Sign-in id (`sub`); an email address only links a
DfE Sign-in id to an account that has none yet. Nobody gets an account by signing in.
"""

import dataclasses
import logging
import threading
import time
from urllib.parse import urlsplit

import requests
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.django_client import DjangoOAuth2App, OAuth
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.signals import setting_changed
from django.core.validators import validate_email
from django.db import transaction
from django.dispatch import receiver
from django.urls import reverse
from django.utils.csp import CSP
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_variables
from joserfc.errors import ClaimError, JoseError

from accounts.models import User
from accounts.models.user import normalise_email
from registry.security_events import security_event

logger = logging.getLogger(__name__)

METHOD = "dfe-sign-in"
CHANGE_REASON = "Updated from DfE Sign-in"
UID_RELEASED_REASON = "DfE Sign-in id moved to the person's new account"

# ID tokens are signed with RS256, whatever else a discovery document may list.
ID_TOKEN_ALGORITHMS = ["RS256"]

# Session keys. The ID token is a bearer credential: it is kept for signing out, and never logged.
SESSION_ID_TOKEN = "dfe_sign_in_id_token"
SESSION_NEXT = "dfe_sign_in_next"

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
_PROFILE_CLAIMS = ("email", "given_name", "family_name")


class DfESignInFailed(Exception):
    """The sign-in did not complete: refused as unsafe, or turned down at DfE Sign-in.

    `reason` and `details` go into the security log, so they never hold a code, token or secret.
    """

    def __init__(self, reason: str, **details):
        super().__init__(reason)
        self.reason = reason
        self.details = details


class DfESignInUnavailable(DfESignInFailed):
    """DfE Sign-in could not be reached, or answered with something that is not OpenID Connect."""


class DfESignInNoAccount(Exception):
    """The person signed in to DfE Sign-in, but has no account here that they may sign in to."""

    reason = "no_account"


class DfESignInIdentityMismatch(DfESignInNoAccount):
    """The person's email address belongs to an account linked to a different DfE Sign-in id."""

    reason = "identity_mismatch"


@dataclasses.dataclass(frozen=True)
class DfESignInIdentity:
    """Who DfE Sign-in says signed in, from a verified ID token (and its user info)."""

    sub: str
    email: str = ""
    given_name: str = ""
    family_name: str = ""
    email_verified: bool | None = None
    id_token: str = dataclasses.field(default="", repr=False)


# --- The client -------------------------------------------------------------------------------------


def dfe_sign_in_is_on() -> bool:
    return settings.SIGN_IN_METHOD == METHOD


class _DfESignInClient(DjangoOAuth2App):
    """Authlib's Django client, with discovery that checks the issuer and keeps what we use."""

    def load_server_metadata(self):
        metadata = self.server_metadata
        loaded_at = metadata.get("_loaded_at")
        if loaded_at is None or time.time() - loaded_at >= settings.DFE_SIGN_IN_METADATA_MAX_AGE_SECONDS:
            with self._get_session() as session:
                response = session.request("GET", self._server_metadata_url, withhold_token=True)
                response.raise_for_status()
                document = response.json()
            metadata = _checked_metadata(document)
            metadata["_loaded_at"] = time.time()
            # Swapped in whole, so that a request on another thread never sees half of it.
            self.server_metadata = metadata
        return metadata


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


def _service_url(path: str) -> str:
    return settings.SERVICE_URL.rstrip("/") + path


def _redirect_uri() -> str:
    # Built from SERVICE_URL, never from the request's Host header.
    return _service_url(reverse("dfe-sign-in-callback"))


def _id_token_claims_options() -> dict:
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


# --- The flow ---------------------------------------------------------------------------------------


def dfe_sign_in_next_path(value: str | None) -> str:
    """Where to go after signing in: `value` if it is a path on this site, else the admin."""
    if (
        value
        and value.startswith("/")
        and not value.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(value, allowed_hosts=None)
    ):
        return value
    return str(settings.LOGIN_REDIRECT_URL)


def dfe_sign_in_start(request, *, next_path: str | None):
    """Send the person to DfE Sign-in, remembering where they were going."""
    request.session[SESSION_NEXT] = dfe_sign_in_next_path(next_path)
    try:
        return dfe_sign_in_client().authorize_redirect(request, _redirect_uri())
    except (requests.RequestException, ValueError) as error:
        raise DfESignInUnavailable("provider_unreachable", error=type(error).__name__) from error


@sensitive_variables("token", "claims", "info")
def dfe_sign_in_identity(request) -> DfESignInIdentity:
    """Finish the flow on the callback: exchange the code and verify the ID token.

    Raises DfESignInFailed (or DfESignInUnavailable) for anything short of a verified identity.
    """
    if "error" not in request.GET and not request.GET.get("code"):
        raise DfESignInFailed("missing_code")
    client = dfe_sign_in_client()
    try:
        token = client.authorize_access_token(
            request,
            claims_options=_id_token_claims_options(),
            leeway=settings.DFE_SIGN_IN_CLOCK_LEEWAY_SECONDS,
        )
    except MismatchingStateError:
        raise DfESignInFailed("state_mismatch") from None
    except OAuthError as error:
        raise DfESignInFailed("provider_error", error=_error_code(error.error)) from None
    except ClaimError as error:
        raise DfESignInFailed("id_token_invalid", error=error.error, claim=error.claim) from None
    except JoseError as error:
        raise DfESignInFailed("id_token_invalid", error=error.error or type(error).__name__) from None
    except (requests.RequestException, ValueError) as error:
        raise DfESignInUnavailable("provider_unreachable", error=type(error).__name__) from None
    except (TypeError, KeyError) as error:  # A token answer of the wrong shape, such as a null id_token.
        raise DfESignInFailed("provider_answer_invalid", error=type(error).__name__) from None

    claims = token.get("userinfo")
    if not claims:
        raise DfESignInFailed("id_token_missing")
    profile = {claim: claims.get(claim) for claim in _PROFILE_CLAIMS}
    if not all(profile.values()) and client.load_server_metadata().get("userinfo_endpoint"):
        info = _userinfo(client, token)
        if info.get("sub") != claims["sub"]:
            # OpenID Connect Core §5.3.2: user info about anyone else must not be used.
            raise DfESignInFailed("userinfo_subject_mismatch")
        profile = {claim: profile[claim] or info.get(claim) for claim in _PROFILE_CLAIMS}
    email_verified = claims.get("email_verified")
    return DfESignInIdentity(
        sub=claims["sub"],
        email=_text(profile["email"]),
        given_name=_text(profile["given_name"]),
        family_name=_text(profile["family_name"]),
        email_verified=email_verified if isinstance(email_verified, bool) else None,
        id_token=token["id_token"],
    )


@sensitive_variables("token", "info")
def _userinfo(client, token) -> dict:
    try:
        info = client.userinfo(token=token)
    except (requests.RequestException, ValueError, OAuthError) as error:
        raise DfESignInUnavailable("provider_unreachable", error=type(error).__name__) from None
    return info if isinstance(info, dict) else {}


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _error_code(value) -> str:
    """An OAuth error code for the log; anything that is not one is not repeated."""
    value = str(value or "")
    if len(value) <= 64 and value.replace("_", "").isalpha():
        return value
    return "unrecognised"


# --- Accounts ---------------------------------------------------------------------------------------


def dfe_sign_in_user_resolve(*, identity: DfESignInIdentity, request=None) -> User:
    """The kept account this identity signs in to, whatever its access.

    An account is found by its DfE Sign-in id. Failing that, an account with no DfE Sign-in id yet
    is found by email address (the id is stored when the person signs in). An email address on an
    account already linked to another DfE Sign-in id is a different person, or a takeover attempt:
    it is refused and logged.
    """
    user = User.objects.kept().filter(dfe_sign_in_uid=identity.sub).first()
    if user is not None:
        return user
    email = normalise_email(identity.email)
    if not email or identity.email_verified is False:
        raise DfESignInNoAccount
    user = User.objects.kept().filter(email__iexact=email).first()
    if user is None:
        raise DfESignInNoAccount
    if user.dfe_sign_in_uid:
        security_event(
            "dfe_sign_in_identity_mismatch",
            outcome="denied",
            request=request,
            target=user.pk,
            dfe_sign_in_uid=identity.sub,
        )
        raise DfESignInIdentityMismatch
    return user


@transaction.atomic
def dfe_sign_in_user_update(*, user: User, identity: DfESignInIdentity, request=None) -> User:
    """Bring the account up to date with DfE Sign-in: its DfE Sign-in id, name and email address.

    Recorded in the account's history as a change by the person themself, and only when something
    changed. An email address that another account uses is left unchanged, and logged.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.dfe_sign_in_uid and user.dfe_sign_in_uid != identity.sub:
        raise DfESignInIdentityMismatch

    changes = {}
    if not user.dfe_sign_in_uid:
        changes["dfe_sign_in_uid"] = identity.sub
    for field, value in (("first_name", identity.given_name), ("last_name", identity.family_name)):
        value = value[: User._meta.get_field(field).max_length].strip()
        if value and value != getattr(user, field):
            changes[field] = value
    email = _usable_email(identity.email)
    if email and email != user.email:
        if User.objects.kept().filter(email__iexact=email).exclude(pk=user.pk).exists():
            security_event("dfe_sign_in_email_conflict", outcome="denied", request=request, actor=user, target=user.pk)
        else:
            changes["email"] = email
    if not changes:
        return user

    if "dfe_sign_in_uid" in changes:
        _uid_release_from_deleted_accounts(uid=identity.sub, to=user)
    for field, value in changes.items():
        setattr(user, field, value)
    user._history_user = user
    user._change_reason = CHANGE_REASON
    user.save()
    return user


def _usable_email(value: str) -> str:
    email = normalise_email(value)
    if not email or len(email) > User._meta.get_field("email").max_length:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        return ""
    return email


def _uid_release_from_deleted_accounts(*, uid: str, to: User) -> None:
    """A person whose account was deleted, and who was given a new one, keeps their DfE Sign-in id:
    it moves from the deleted account (where it must be unique) to the new one."""
    for deleted in User.objects.filter(dfe_sign_in_uid=uid, deleted_at__isnull=False).select_for_update():
        deleted.dfe_sign_in_uid = None
        deleted._history_user = to
        deleted._change_reason = UID_RELEASED_REASON
        deleted.save()


# --- Signing out ------------------------------------------------------------------------------------


@sensitive_variables("id_token")
def dfe_sign_in_logout_url(*, id_token: str) -> str | None:
    """DfE Sign-in's end-session address that signs the person out there too and comes back to
    the start page; None when DfE Sign-in cannot say where that is."""
    try:
        return dfe_sign_in_client().create_logout_url(
            post_logout_redirect_uri=_service_url("/"), id_token_hint=id_token
        )["url"]
    except (DfESignInFailed, requests.RequestException, ValueError, RuntimeError) as error:
        logger.warning("DfE Sign-in end-session address unavailable: %s", type(error).__name__)
        return None
