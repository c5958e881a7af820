"""Answers as the provider screens show them: GOV.UK dates, choice labels, "Not entered" for a gap."""

import datetime

from django import forms
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from registry.forms.base import format_govuk_date
from registry.models import AcademicYear, Provider
from registry.models.provider import AccreditationStatus

NOT_ENTERED = "Not entered"

STATUS_TAGS = {AccreditationStatus.ACCREDITED: "success", AccreditationStatus.UNACCREDITED: "info"}


def display_value(value) -> str:
    """One answer as text: a date as "1 August 2024", academic years as "2024 to 2025, 2025 to 2026"."""
    if value is None or value == "" or value == []:
        return NOT_ENTERED
    if isinstance(value, datetime.date):
        return format_govuk_date(value)
    if isinstance(value, Provider):
        return value.operating_name
    if isinstance(value, list | tuple):
        return academic_years_display(value)
    return str(value)


def academic_years_display(years) -> str:
    """Academic years (rows or start years), oldest first."""
    labels = [
        str(year if isinstance(year, AcademicYear) else AcademicYear(start_year=int(year)))
        for year in sorted(years, key=lambda year: getattr(year, "start_year", year))
    ]
    return ", ".join(labels) if labels else NOT_ENTERED


def question_label(field: forms.Field) -> str:
    """A question as a check-your-answers row names it: without "(optional)"."""
    return str(field.label).removesuffix(" (optional)")


def answer_display(form: forms.Form, name: str) -> str:
    """A validated form's answer to `name`, in the words its question offered."""
    field, value = form.fields[name], form.cleaned_data.get(name)
    if isinstance(field, forms.ModelChoiceField):
        return display_value(value)
    if isinstance(field, forms.MultipleChoiceField):
        return academic_years_display(value or [])
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, display_value(value)))
    return display_value(value)


def tags(*pairs: tuple[str, str]) -> str:
    """unfold's tags, e.g. `tags(("Accredited", "success"), ("Archived", "warning"))`."""
    return mark_safe(
        " ".join(render_to_string("unfold/helpers/label.html", {"text": text, "type": kind}) for text, kind in pairs)
    )


def provider_tags(provider: Provider) -> str:
    pairs = [(provider.get_accreditation_status_display(), STATUS_TAGS.get(provider.accreditation_status, "info"))]
    if provider.is_archived:
        pairs.append(("Archived", "warning"))
    return tags(*pairs)
