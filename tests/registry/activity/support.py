"""Making changes the way the service does, and reading the Activity page the way a person does."""

import datetime

from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.services import user_create, user_delete, user_update
from tests.support.page import Page, attribute, text

ACTIVITY_URL = reverse("activity")
CSV_URL = reverse("activity-csv")


def add_user(actor: User, first_name: str = "Mary", last_name: str = "Lawson") -> User:
    email = f"{first_name}.{last_name}@education.gov.uk".lower()
    return user_create(actor=actor, first_name=first_name, last_name=last_name, email=email, is_api_user=False)


def update_user(actor: User, user: User, **changes) -> User:
    user.refresh_from_db()
    return user_update(actor=actor, user_id=user.pk, changes=changes, seen_updated_at=user.updated_at)


def delete_user(actor: User, user: User) -> User:
    return user_delete(actor=actor, user_id=user.pk)


def latest_change_at(user: User, when: datetime.datetime) -> None:
    """Move the user's latest recorded change to `when`, as if it had been made then."""
    latest = user.history.order_by("-history_date", "-history_id").first()
    user.history.filter(history_id=latest.history_id).update(history_date=when)


def london(*args) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))


def _with_class(page: Page, name: str, css_class: str):
    return [element for element in page.all(name) if css_class in (attribute(element, "class") or "").split()]


def entries(response) -> list[str]:
    """Each entry's text, in page order."""
    return [text(entry) for entry in _with_class(Page(response), "li", "app-activity__entry")]


def day_headings(response) -> list[str]:
    return [text(heading) for heading in _with_class(Page(response), "h2", "app-activity__day")]


def links(response) -> list[str]:
    """Where the entries' record names link to."""
    page = Page(response)
    return [
        attribute(link, "href")
        for entry in _with_class(page, "li", "app-activity__entry")
        for link in page.all("a", within=entry)
    ]


def _pagination_link(response, rel: str) -> str | None:
    page = Page(response)
    found = [attribute(link, "href") for link in page.all("a") if attribute(link, "rel") == rel]
    return found[0] if found else None


def next_url(response) -> str | None:
    """Where "Next" (older changes) leads, or None when there is no Next."""
    return _pagination_link(response, "next")


def previous_url(response) -> str | None:
    """Where "Previous" (newer changes) leads, or None when there is no Previous."""
    return _pagination_link(response, "prev")
