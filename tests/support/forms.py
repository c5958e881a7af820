"""Answers as a person's browser posts them."""

import datetime


def date_parts(name: str, value: datetime.date | str | None) -> dict[str, str]:
    """A date question's answer as the GOV.UK date input posts it, box by box.

    `value` is a `datetime.date`, or "day/month/year" as typed into the three boxes ("1/8/2025",
    "31/2/2024", "1/aug/2025"; an empty part is an empty box), or "" / None for three empty boxes:
    `date_parts("starts_on", "1/8/2025")` is `{"starts_on-day": "1", "starts_on-month": "8", "starts_on-year": "2025"}`.
    """
    if isinstance(value, datetime.date):
        parts = [str(value.day), str(value.month), str(value.year)]
    elif value:
        parts = value.split("/")
        assert len(parts) == 3, f"{value!r} is not day/month/year"
    else:
        parts = ["", "", ""]
    return {f"{name}-{part}": answer for part, answer in zip(("day", "month", "year"), parts, strict=True)}


def with_date_parts(answers: dict, *names: str) -> dict:
    """`answers` with each date named in `names` (a date or "day/month/year") posted box by box."""
    posted = {name: value for name, value in answers.items() if name not in names}
    for name in names:
        if name in answers:
            posted.update(date_parts(name, answers[name]))
    return posted
