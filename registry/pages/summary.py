"""Answers as pages show them: GOV.UK summary-list rows and cards, tags, and "Not entered" for a gap."""

import datetime
from dataclasses import dataclass, field

from django import forms
from django.db import models
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from registry.formats import format_govuk_date

NOT_ENTERED = "Not entered"


def display_value(value) -> str:
    """One answer as text: a date as "1 August 2024", yes or no, "Not entered" for nothing."""
    if value is None or value == "" or value == [] or value == ():
        return NOT_ENTERED
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    if isinstance(value, datetime.date):
        return format_govuk_date(value)
    if isinstance(value, list | tuple):
        return ", ".join(display_value(each) for each in value)
    return str(value)


def question_label(form_field: forms.Field) -> str:
    """A question as a check-your-answers row names it: without "(optional)"."""
    return str(form_field.label).removesuffix(" (optional)")


def answer_display(form: forms.Form, name: str) -> str:
    """A validated form's answer to `name`, in the words its question offered.

    A field may say how its answers read with a `display_answer(value)` method (academic years do).
    """
    form_field, value = form.fields[name], form.cleaned_data.get(name)
    if hasattr(form_field, "display_answer"):
        return form_field.display_answer(value)
    if isinstance(form_field, forms.ModelChoiceField | forms.ModelMultipleChoiceField):
        return display_value(value if not isinstance(value, models.QuerySet) else list(value))
    if isinstance(form_field, forms.MultipleChoiceField):
        labels = {str(key): label for key, label in form_field.choices}
        return display_value([labels.get(str(each), each) for each in value or []])
    if isinstance(form_field, forms.ChoiceField):
        prepared = form_field.prepare_value(value) if hasattr(form_field, "prepare_value") else value
        labels = {str(key): label for key, label in form_field.choices}
        return str(labels.get(str(prepared), display_value(value)))
    return display_value(value)


def row(label: str, value, change_url: str | None = None, *, url: str | None = None, lines=None, field=None) -> dict:
    """A summary list row; `url` links the value, `lines` shows it over several lines, `change_url` adds "Change"."""
    return {
        "label": label,
        "value": value if isinstance(value, str) and value else display_value(value),
        "change_url": change_url,
        "url": url,
        "lines": lines,
        "field": field,
    }


@dataclass
class Card:
    """A summary card: one record, its answers and what may be done to it (`actions`: label, url, warning)."""

    title: str
    rows: list[dict]
    actions: list[dict] = field(default_factory=list)
    url: str | None = None


def actions(*pairs) -> list[dict]:
    """Card actions from (label, url) pairs, leaving out those without a URL; "Delete" is drawn as a warning."""
    return [{"label": label, "url": url, "warning": label == "Delete"} for label, url in pairs if url]


# The GOV.UK tag colours a page uses, by what they mean.
TAG_COLOURS = {"success": "green", "info": "blue", "warning": "yellow", "danger": "red", "neutral": "grey"}


def tags(*pairs: tuple[str, str]) -> str:
    """GOV.UK tags, e.g. `tags(("Accredited", "success"), ("Archived", "warning"))`."""
    return mark_safe(
        " ".join(
            format_html('<strong class="app-tag app-tag--{}">{}</strong>', TAG_COLOURS.get(kind, kind), text)
            for text, kind in pairs
        )
    )
