"""What every register form shares: wording keyed by the rules' codes, and GOV.UK dates."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from registry import validators
from registry.models import AcademicYear
from registry.pages.dates import GovukDateField
from registry.pages.widgets import TextInput
from registry.validators import Problem

FIRST_ACADEMIC_YEAR = AcademicYear.FIRST_START_YEAR


def academic_year_label(start_year: int, current: int | None = None) -> str:
    """ "2025 to 2026 - current", with "- next" and "- last" beside the current one."""
    current = AcademicYear.current_start_year() if current is None else current
    suffix = {current - 1: " - last", current: " - current", current + 1: " - next"}.get(start_year, "")
    return f"{AcademicYear(start_year=start_year)}{suffix}"


def academic_year_choices(current: int | None = None) -> list[tuple[int, str]]:
    """Every academic year from the first the register knows to next year, newest first."""
    current = AcademicYear.current_start_year() if current is None else current
    return [(year, academic_year_label(year, current)) for year in range(current + 1, FIRST_ACADEMIC_YEAR - 1, -1)]


class TextField(forms.CharField):
    """A text answer, stripped, in the admin's text input, with its "required" wording."""

    def __init__(self, *, required_message: str | None = None, max_length: int = 255, **kwargs):
        error_messages = kwargs.pop("error_messages", {})
        if required_message:
            error_messages["required"] = required_message
        kwargs.setdefault("widget", TextInput())
        super().__init__(
            required=required_message is not None, max_length=max_length, error_messages=error_messages, **kwargs
        )


class DateField(GovukDateField):
    """A date asked as day, month and year (the GOV.UK date input), in the form's wording when it is
    missing or not a real date, and the Design System's when it is incomplete."""

    def __init__(self, *, required_message: str | None = None, invalid_message: str, **kwargs):
        super().__init__(
            required=required_message is not None,
            required_message=required_message,
            invalid_message=invalid_message,
            **kwargs,
        )


class AcademicYearsField(forms.TypedMultipleChoiceField):
    """Checkboxes for academic years, cleaned to a sorted list of start years."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *, required_message: str, **kwargs):
        super().__init__(
            choices=academic_year_choices,
            coerce=int,
            error_messages={"required": required_message, "invalid_choice": required_message},
            **kwargs,
        )

    def clean(self, value):
        return sorted(super().clean(value))

    def display_answer(self, value) -> str:
        """The years as check your answers shows them: "2024 to 2025, 2025 to 2026"."""
        return ", ".join(str(AcademicYear(start_year=int(year))) for year in sorted(value or [])) or "Not entered"


class RegisterForm(forms.Form):
    """A form whose `error_messages` give the wording for each of the register's rule codes.

    `error_messages` is the record's dict in `registry.messages`; the rules in `registry.validators`
    name problems by code, and `error()`, `validation_error()` and `add_problems()` word them with it,
    as the services do (`validators.validation_error`), so a service raises exactly what the form shows.
    `fields` keeps only the answers a step asks for, as `accounts.forms.UserDetailsForm` does.
    """

    error_messages: dict[str, str] = {}

    def __init__(self, *args, fields: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if fields is not None:
            for name in list(self.fields):
                if name not in fields:
                    del self.fields[name]
        for name, field in self.fields.items():
            # Django refuses a NUL in any text answer before the rules see it: in the rules' words.
            if f"{name}_control_characters" in self.error_messages:
                field.error_messages["null_characters_not_allowed"] = self.error_messages[f"{name}_control_characters"]

    @classmethod
    def error(cls, code: str, **params) -> ValidationError:
        return validators.problem_error(cls.error_messages, code, **params)

    @classmethod
    def validation_error(cls, problems: list[Problem]) -> ValidationError:
        """One ValidationError with every problem under its field, worded as this form words it."""
        return validators.validation_error(cls.error_messages, problems)

    def add_problems(self, problems: list[Problem], *, field_names: dict[str, str] | None = None) -> None:
        """Show `problems` on their fields: the first problem with each answer, as GOV.UK shows one."""
        for problem in problems:
            field = (field_names or {}).get(problem.field, problem.field)
            if field not in self.fields:
                field = NON_FIELD_ERRORS
            elif field in self.errors:
                continue
            self.add_error(
                None if field == NON_FIELD_ERRORS else field, self.error(problem.code, **dict(problem.params))
            )

    def full_clean(self):
        super().full_clean()
        # Screen readers announce an input's error with it, as they already do its hint.
        for name in self.errors:
            if name in self.fields:
                hint = f"id_{name}_helptext " if self.fields[name].help_text else ""
                self.fields[name].widget.attrs["aria-describedby"] = f"{hint}id_{name}-error"

    def answers(self) -> dict:
        """The cleaned answers, keyed by field: what a service takes as keyword arguments."""
        return dict(self.cleaned_data)
