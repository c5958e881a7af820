"""One account of every kind the service knows, for the tests that try every URL as each of them."""

from accounts.models import User
from tests.factories import (
    ApiUserFactory,
    AuditorFactory,
    SupportAdministratorFactory,
    SupportEditorFactory,
    SupportViewerFactory,
    UserFactory,
)

# Each role, a support user with none, an API user (never given a web session) and an inactive user.
KINDS_OF_ACCOUNT = ["administrator", "editor", "viewer", "auditor", "no_role", "api_user", "inactive"]


def one_of_each_kind(administrator: User) -> dict[str, User]:
    """{kind: a new account of that kind}, the support administrator being the one given."""
    return {
        "administrator": administrator,
        "editor": SupportEditorFactory(),
        "viewer": SupportViewerFactory(),
        "auditor": AuditorFactory(),
        "no_role": UserFactory(),
        "api_user": ApiUserFactory(),
        "inactive": SupportAdministratorFactory(is_active=False),
    }
