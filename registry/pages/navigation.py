"""The service navigation every page shows a signed-in support user, and each person's home page.

Each link is offered only to those it would let in, by the same predicate the page itself asks.
"""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    current: bool = False


def _sections():
    """(label, URL name, predicate) for each section, in the order the navigation shows them."""
    from accounts.permissions import user_can_manage_api_clients, user_can_view_emails, user_can_view_users
    from registry.permissions import user_can_view_activity, user_can_view_providers

    return (
        ("Providers", "admin:registry_provider_changelist", user_can_view_providers),
        ("Users", "admin:accounts_user_changelist", user_can_view_users),
        ("API clients", "admin:accounts_apiclient_changelist", user_can_manage_api_clients),
        ("Emails", "admin:accounts_email_changelist", user_can_view_emails),
        ("Activity", "activity", user_can_view_activity),
    )


def may_use_pages(user) -> bool:
    return bool(user and user.is_authenticated and getattr(user, "can_use_web_interface", False))


def navigation_links(user, path: str) -> list[Link]:
    """The sections `user` may open; the one `path` is in is marked current."""
    if not may_use_pages(user):
        return []
    links = []
    for label, name, allowed in _sections():
        if allowed(user):
            url = reverse(name)
            links.append(Link(label, url, current=path.startswith(url)))
    return links


def home_url(user) -> str:
    """Where a person lands after signing in: the first section their role uses.

    Administrators manage users; editors and viewers work on providers; auditors read the
    activity. Someone with no role yet has no section: their account page says so.
    """
    if not may_use_pages(user):
        return reverse("start")
    allowed = {name: predicate(user) for _, name, predicate in _sections()}
    if user.has_perm("accounts.add_user") and allowed["admin:accounts_user_changelist"]:
        return reverse("admin:accounts_user_changelist")
    for name in ("admin:registry_provider_changelist", "activity", "admin:accounts_user_changelist"):
        if allowed[name]:
            return reverse(name)
    return reverse("your-account")
