"""Reading accounts."""

from accounts.models import User


def user_list():
    """Every account that has not been deleted, in the order people look for them: by name."""
    return User.objects.kept().order_by("first_name", "last_name", "email")


def user_get(*, user_id) -> User | None:
    return User.objects.kept().filter(pk=user_id).first()
