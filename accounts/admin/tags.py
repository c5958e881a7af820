"""Status tags for accounts, shown in the users list and on a user's page."""

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from accounts.models import User


def user_status_tags(user: User) -> str:
    tags = [("Active", "success") if user.is_active else ("Inactive", "warning")]
    if user.is_api_user:
        tags.append(("API user", "info"))
    return mark_safe(
        " ".join(render_to_string("unfold/helpers/label.html", {"text": text, "type": kind}) for text, kind in tags)
    )
