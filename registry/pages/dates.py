"""The GOV.UK date input: a date asked as day, month and year boxes, and the messages the Design System gives.

https://design-system.service.gov.uk/components/date-input/

- `GovukDateField` cleans the three boxes to a `datetime.date` (None when optional and left empty),
  taking what people type: "1" or "01", spaces, a month's number, name or abbreviation ("8",
  "August", "aug", "Sept"), a full stop after any of them. Its messages name the question's noun:
  "Enter accreditation start date", "Accreditation start date must include a month", "… must be a
  real date", "Year must include 4 numbers". Each is raised with a code (`required`, `incomplete`,
  `invalid`, `year_length`) and its wording comes from `error_messages`, so a form can reword it.
- `DateInput` draws the boxes, and only them (`pages/widgets/date_input.html`): the field template
  wraps it, as it wraps radios, in a fieldset whose legend is the question, with its hint and error
  (`widget.input_type == "date"`, `widget.use_fieldset`). The first box is `<id>-day`, which the
  widget's `id_for_label` gives, so an error summary links to `field.id_for_label`. The boxes in
  error (`widget.error_parts`, set as the field cleans; all three when the form finds the whole
  date wrong) get `app-input--error`.

A session draft keeps a date between a flow's steps as an ISO string ("2025-08-01"); older drafts
have "1/8/2025". Either (or a `datetime.date`) under the field's own name is read and checked like
the three boxes.
"""

import datetime
import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError

PARTS = ("day", "month", "year")
ALL_PARTS = frozenset(PARTS)

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}

_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
# How the register's text boxes took dates ("1/8/2025", "1 8 2025", "11 May 2025": still in links
# people keep), and how the flows' drafts kept them before ISO ("1/8/2025").
_SEPARATOR = r"(?:\s*[/.-]\s*|\s+)"
_DAY_MONTH_YEAR = re.compile(rf"(\d{{1,2}}){_SEPARATOR}(\d{{1,2}}|[A-Za-z]+\.?){_SEPARATOR}(\d+)")


@dataclass(frozen=True)
class DateParts:
    """What is in the day, month and year boxes, as typed. False when all three are empty."""

    day: str = ""
    month: str = ""
    year: str = ""

    def __bool__(self) -> bool:
        return any(_tidy(part) for part in (self.day, self.month, self.year))

    @classmethod
    def of(cls, value: datetime.date) -> "DateParts":
        """A date as a person would type it: "1", "8", "2025", without leading zeros."""
        return cls(str(value.day), str(value.month), str(value.year))


def _tidy(part) -> str:
    """A box's answer without spaces anywhere or a full stop at the end: " 1 " → "1", "Sept." → "Sept"."""
    return re.sub(r"\s+", "", str(part or "")).rstrip(".")


def date_parts(value) -> DateParts | None:
    """Any value a date question may hold, as its three parts; None for a string that is not a date.

    `value` is the boxes' `DateParts`, a `datetime.date`, a draft's "2025-08-01" or "1/8/2025"
    (or "1 8 2025", "1 Aug 2025"), or "" / None (no answer: empty parts).
    """
    if isinstance(value, DateParts):
        return value
    if isinstance(value, datetime.datetime):
        return DateParts.of(value.date())
    if isinstance(value, datetime.date):
        return DateParts.of(value)
    if value is None:
        return DateParts()
    text = str(value).strip()
    if not text:
        return DateParts()
    if match := _ISO_DATE.fullmatch(text):
        year, month, day = match.groups()
        return DateParts(str(int(day)), str(int(month)), year)
    if match := _DAY_MONTH_YEAR.fullmatch(text):
        day, month, year = match.groups()
        return DateParts(str(int(day)), str(int(month)) if month.isdigit() else month, year)
    return None


class DateInput(forms.Widget):
    """Day, month and year boxes named `<name>-day`, `<name>-month` and `<name>-year`.

    The engine's field template asks `input_type == "date"` (or `use_fieldset`) to put it in a
    fieldset with a legend, and links to `id_for_label(id)`, the day box. `error_parts` names the
    boxes to mark as wrong; with none named, a field in error (`aria-invalid`) marks all three.
    """

    input_type = "date"
    template_name = "pages/widgets/date_input.html"
    use_fieldset = True
    # Each box: its part, label and width in characters (the Design System's width-2 and width-4).
    items = (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4))
    error_parts: frozenset[str] = frozenset()

    def subwidget_name(self, name: str, part: str) -> str:
        return f"{name}-{part}"

    def id_for_label(self, id_):
        return f"{id_}-day" if id_ else id_

    def use_required_attribute(self, initial) -> bool:
        # GOV.UK forms check answers on the server; a browser's own "required" bubble would get there first.
        return False

    def value_from_datadict(self, data, files, name):
        """The three boxes' `DateParts` when any was sent; otherwise `data[name]` (a draft's date), if any."""
        keys = [self.subwidget_name(name, part) for part in PARTS]
        if any(key in data for key in keys):
            return DateParts(*(data.get(key) or "" for key in keys))
        return data.get(name)

    def value_omitted_from_data(self, data, files, name) -> bool:
        return name not in data and not any(self.subwidget_name(name, part) in data for part in PARTS)

    def format_value(self, value) -> DateParts:
        return date_parts(value) or DateParts()

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        attrs = widget["attrs"]
        parts = widget["value"]
        in_error = self.error_parts or (ALL_PARTS if attrs.get("aria-invalid") else frozenset())
        # The fieldset around the boxes carries the hint and error (aria-describedby), not each box.
        shared = {
            key: value
            for key, value in attrs.items()
            if key not in {"id", "class", "aria-describedby", "aria-invalid", "required"}
        }
        widget["items"] = [
            {
                "part": part,
                "label": label,
                "width": width,
                "name": self.subwidget_name(name, part),
                "id": f"{attrs['id']}-{part}" if attrs.get("id") else "",
                "value": getattr(parts, part),
                "error": part in in_error,
                "attrs": {**shared, **({"aria-invalid": "true"} if part in in_error else {})},
            }
            for part, label, width in self.items
        ]
        return context


class GovukDateField(forms.Field):
    """A date asked with `DateInput`, cleaned to a `datetime.date`, in the Design System's words.

    `noun` is what the question asks for, as a sentence starts with it ("Accreditation start
    date"); without it, it is read from `invalid_message` ("… must be a real date") or the label
    (less any " (optional)"). `required_message` and `invalid_message` replace the "required" and
    "invalid" wording; `error_messages` may replace any of `default_error_messages`, whose
    `%(noun)s` and `%(noun_lower)s` are filled in.
    """

    widget = DateInput
    default_error_messages = {
        "required": "Enter %(noun_lower)s",
        "incomplete_day": "%(noun)s must include a day",
        "incomplete_month": "%(noun)s must include a month",
        "incomplete_year": "%(noun)s must include a year",
        "incomplete_day_month": "%(noun)s must include a day and month",
        "incomplete_day_year": "%(noun)s must include a day and year",
        "incomplete_month_year": "%(noun)s must include a month and year",
        "invalid": "%(noun)s must be a real date",
        "year_length": "Year must include 4 numbers",
    }

    def __init__(
        self,
        *,
        noun: str | None = None,
        required_message: str | None = None,
        invalid_message: str | None = None,
        error_messages: dict | None = None,
        **kwargs,
    ):
        messages = dict(error_messages or {})
        if required_message:
            messages["required"] = required_message
        if invalid_message:
            messages["invalid"] = invalid_message
        super().__init__(error_messages=messages, **kwargs)
        self.noun = noun or self._noun(invalid_message, kwargs.get("label"))

    @staticmethod
    def _noun(invalid_message: str | None, label) -> str:
        suffix = " must be a real date"
        if invalid_message and invalid_message.endswith(suffix):
            return invalid_message.removesuffix(suffix)
        noun = re.sub(r"\s*\(optional\)$", "", str(label or "")).strip()
        return noun or "Date"

    def _error(self, key: str, code: str, parts) -> ValidationError:
        noun_lower = self.noun[:1].lower() + self.noun[1:]
        error = ValidationError(
            self.error_messages[key], code=code, params={"noun": self.noun, "noun_lower": noun_lower}
        )
        error.date_parts = frozenset(parts)
        return error

    def prepare_value(self, value):
        return date_parts(value) or DateParts()

    def to_python(self, value) -> datetime.date | None:
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        parts = date_parts(value)
        if parts is None:
            raise self._error("invalid", "invalid", ALL_PARTS)
        day, month, year = (_tidy(getattr(parts, part)) for part in PARTS)
        missing = [part for part, answer in zip(PARTS, (day, month, year), strict=True) if not answer]
        if len(missing) == len(PARTS):
            if self.required:
                raise self._error("required", "required", ALL_PARTS)
            return None
        if missing:
            raise self._error("incomplete_" + "_".join(missing), "incomplete", missing)
        day_number = int(day) if day.isascii() and day.isdigit() else None
        month_number = int(month) if month.isascii() and month.isdigit() else MONTHS.get(month.lower())
        wrong = [
            part
            for part, right in (
                ("day", day_number is not None and 1 <= day_number <= 31),
                ("month", month_number is not None and 1 <= month_number <= 12),
                ("year", year.isascii() and year.isdigit()),
            )
            if not right
        ]
        if wrong:
            raise self._error("invalid", "invalid", wrong)
        if len(year) != 4:
            raise self._error("year_length", "year_length", ["year"])
        try:
            return datetime.date(int(year), month_number, day_number)
        except ValueError:
            raise self._error("invalid", "invalid", ALL_PARTS) from None

    def clean(self, value):
        self.widget.error_parts = frozenset()
        try:
            return super().clean(value)
        except ValidationError as error:
            # A rule about the whole date (too early, in the future…) is about all three boxes.
            self.widget.error_parts = getattr(error, "date_parts", ALL_PARTS)
            raise

    def has_changed(self, initial, data) -> bool:
        if self.disabled:
            return False
        return self._comparable(initial) != self._comparable(data)

    def _comparable(self, value):
        """The date, or (not being one) what was typed, tidied: no answer is the same as no answer."""
        try:
            return self.to_python(value)
        except ValidationError:
            parts = date_parts(value)
            return tuple(_tidy(getattr(parts, part)) for part in PARTS) if parts is not None else str(value)
