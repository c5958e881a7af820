"""Rows for GOV.UK summary lists: an account's answers with their "Change" links."""

from collections.abc import Callable

from accounts.forms import NO, NO_ROLE, YES, UserDetailsForm

_LABELS = {name: field.label for name, field in UserDetailsForm.base_fields.items()}


def _display(field: str, value) -> str:
    if field == "role":
        return "No role" if value in ("", None, NO_ROLE) else value
    if value is True or value == YES:
        return "Yes"
    if value is False or value == NO:
        return "No"
    return value or ""


def user_answer_rows(answers: dict, *, fields, change_url: Callable[[str], str | None]) -> list[dict]:
    """One row per field, in `fields` order; `change_url(field)` is None where it cannot change.

    API users have no role, so theirs is not shown.
    """
    if _display("is_api_user", answers.get("is_api_user")) == "Yes":
        fields = [field for field in fields if field != "role"]
    return [
        {
            "field": field,
            "label": _LABELS[field],
            "value": _display(field, answers.get(field)),
            "change_url": change_url(field),
        }
        for field in fields
    ]
