"""Who may read the Activity page: asked by the page, its export and the sidebar link alike."""


def user_can_view_activity(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm("accounts.view_activity"))
