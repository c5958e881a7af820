"""Reading accounts and the emails sent about them."""

from django.db.models import Q

from accounts.models import Email, User


def _matching_every_word(queryset, search: str, fields: tuple[str, ...]):
    """Rows where each word of `search` is in one of `fields` ("Ahmed Ali" finds Ahmed Ali)."""
    for word in search.split():
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(condition)
    return queryset


def user_list(*, search: str = ""):
    """Every account that has not been deleted, in the order people look for them: by name.

    `search` finds accounts whose name or email address has every word in it.
    """
    users = User.objects.kept().order_by("first_name", "last_name", "email")
    return _matching_every_word(users, search, ("first_name", "last_name", "email"))


def user_get(*, user_id) -> User | None:
    return User.objects.kept().filter(pk=user_id).first()


def email_list(*, search: str = "", statuses=(), kinds=()):
    """The emails the service has sent or will send, newest first; `search` looks in the address."""
    emails = Email.objects.order_by("-created_at", "id")
    if statuses:
        emails = emails.filter(status__in=statuses)
    if kinds:
        emails = emails.filter(kind__in=kinds)
    return _matching_every_word(emails, search, ("to",))


def email_get(*, email_id) -> Email | None:
    return Email.objects.select_related("user").filter(pk=email_id).first()
