"""Rows for GOV.UK summary lists: an account's answers with their "Change" links."""

from collections.abc import Callable

from accounts.forms import NO, YES, UserDetailsForm

_LABELS = {name: field.label for name, field in UserDetailsForm.base_fields.items()}


def _display(value) -> str:
    if value is True or value == YES:
        return "Yes"
    if value is False or value == NO:
        return "No"
    return value or ""


def user_answer_rows(answers: dict, *, fields, change_url: Callable[[str], str | None]) -> list[dict]:
    """One row per field, in `fields` order; `change_url(field)` is None where it cannot change."""
    return [
        {
            "field": field,
            "label": _LABELS[field],
            "value": _display(answers.get(field)),
            "change_url": change_url(field),
        }
        for field in fields
    ]
