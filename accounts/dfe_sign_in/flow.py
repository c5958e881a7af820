"""Signing in and out through DfE Sign-in: the browser's round trips, and what the session keeps of them.

Signing in sends the person to DfE Sign-in (remembering, in the session, where they were going) and,
on their return, exchanges the code for a verified ID token: a DfESignInIdentity, or a
DfESignInFailed saying why not. Which account that identity signs in to is for `accounts`. Signing
out ends their DfE Sign-in session too, with the ID token the session kept for it.
"""

import dataclasses
import logging

import requests
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from django.conf import settings
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_variables
from joserfc.errors import ClaimError, JoseError

from accounts.dfe_sign_in.client import dfe_sign_in_client, id_token_claims_options, provider_failure
from accounts.dfe_sign_in.errors import DfESignInFailed, DfESignInUnavailable

logger = logging.getLogger(__name__)

# Session keys. The ID token is a bearer credential: it is kept for signing out, and never logged.
SESSION_ID_TOKEN = "dfe_sign_in_id_token"
SESSION_NEXT = "dfe_sign_in_next"

_PROFILE_CLAIMS = ("email", "given_name", "family_name")


@dataclasses.dataclass(frozen=True)
class DfESignInIdentity:
    """Who DfE Sign-in says signed in, from a verified ID token (and its user info)."""

    sub: str
    email: str = ""
    given_name: str = ""
    family_name: str = ""
    email_verified: bool | None = None
    id_token: str = dataclasses.field(default="", repr=False)


# --- Signing in -------------------------------------------------------------------------------------


def _service_url(path: str) -> str:
    return settings.SERVICE_URL.rstrip("/") + path


def _redirect_uri() -> str:
    # Built from SERVICE_URL, never from the request's Host header.
    return _service_url(reverse("dfe-sign-in-callback"))


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
    except (requests.RequestException, ValueError) as error:  # Discovery is its only call.
        raise provider_failure(error, endpoint="discovery") from None


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
            claims_options=id_token_claims_options(),
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
        raise provider_failure(error, endpoint="userinfo") from None
    return info if isinstance(info, dict) else {}


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _error_code(value) -> str:
    """An OAuth error code for the log; anything that is not one is not repeated."""
    value = str(value or "")
    if len(value) <= 64 and value.replace("_", "").isalpha():
        return value
    return "unrecognised"


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
