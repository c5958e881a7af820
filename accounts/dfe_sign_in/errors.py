"""Why a DfE Sign-in did not end with someone signed in: the refusals the sign-in views answer.

A failure (DfESignInFailed, or DfESignInUnavailable when DfE Sign-in cannot be reached) ends the flow
before anyone is known; a refusal (DfESignInNoAccount) comes after: the person is known to DfE
Sign-in but has no account here that they may sign in to.
"""


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
