"""Who may be emailed the register's changes: one predicate, asked by Your account, the settings
pages, the service that saves them and, before each email, the sending."""

from registry.permissions import user_can_view_providers


def user_can_get_change_notifications(actor) -> bool:
    """Support users who read the register; API users never see a page, and nobody else reads it.

    Asked again before each email, so someone who has lost their role or their account is sent nothing.
    """
    return user_can_view_providers(actor) and not actor.is_api_user
