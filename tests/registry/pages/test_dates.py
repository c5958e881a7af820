"""The GOV.UK date input: what people type, the Design System's messages, drafts' dates, the boxes drawn."""

import datetime
from html.parser import HTMLParser

import pytest
from django import forms

from registry.forms.base import DateField
from registry.pages import dates
from registry.pages.dates import DateInput, DateParts, GovukDateField
from tests.support.forms import date_parts

AUGUST_1 = datetime.date(2025, 8, 1)


class StartForm(forms.Form):
    starts_on = GovukDateField(
        label="Accreditation start date",
        help_text="For example, 27 3 2007",
        required_message="Enter accreditation start date",
        invalid_message="Accreditation start date must be a real date",
    )
    ends_on = GovukDateField(label="Accreditation end date (optional)", required=False)


def cleaned(value: str, name: str = "starts_on", **other):
    """The form's answer for `name` typed as "day/month/year", or its errors as (message, code) pairs."""
    form = StartForm(data={**date_parts(name, value), **other})
    if form.is_valid():
        return form.cleaned_data[name]
    return [(error["message"], error["code"]) for error in form.errors.get_json_data()[name]]


def error_parts(value: str, name: str = "starts_on") -> set[str]:
    form = StartForm(data=date_parts(name, value))
    form.is_valid()
    return set(form.fields[name].widget.error_parts)


# What people type ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "month", "year"),
    [
        ("1", "8", "2025"),
        ("01", "08", "2025"),
        (" 1 ", " 8 ", " 2025 "),
        ("1", "aug", "2025"),
        ("1", "Aug", "2025"),
        ("1", "AUGUST", "2025"),
        ("1", "August", "2025"),
        ("1.", "Aug.", "2025."),
        ("0 1", "0 8", "20 25"),
        ("\t1", "8\n", "2025"),
    ],
)
def test_what_people_type(day, month, year):
    form = StartForm(data={"starts_on-day": day, "starts_on-month": month, "starts_on-year": year})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["starts_on"] == AUGUST_1


@pytest.mark.parametrize(
    ("month", "number"),
    [
        ("January", 1),
        ("feb", 2),
        ("Mar", 3),
        ("april", 4),
        ("May", 5),
        ("jun", 6),
        ("July", 7),
        ("sep", 9),
        ("Sept", 9),
        ("sept.", 9),
        ("September", 9),
        ("oct", 10),
        ("November", 11),
        ("dec", 12),
    ],
)
def test_a_month_by_name_or_its_abbreviation(month, number):
    assert cleaned(f"1/{month}/2025") == datetime.date(2025, number, 1)


def test_the_last_day_of_a_leap_february():
    assert cleaned("29/2/2024") == datetime.date(2024, 2, 29)


# The Design System's messages ---------------------------------------------------------------------


def test_nothing_entered_is_the_forms_required_message():
    assert cleaned("") == [("Enter accreditation start date", "required")]
    assert error_parts("") == {"day", "month", "year"}


def test_an_optional_date_left_empty_is_none():
    assert cleaned("", name="ends_on", **date_parts("starts_on", "1/8/2025")) is None
    form = StartForm(data={**date_parts("starts_on", AUGUST_1)})
    assert form.is_valid()
    assert form.cleaned_data["ends_on"] is None


@pytest.mark.parametrize(
    ("typed", "message", "parts"),
    [
        ("/8/2025", "Accreditation start date must include a day", {"day"}),
        ("1//2025", "Accreditation start date must include a month", {"month"}),
        ("1/8/", "Accreditation start date must include a year", {"year"}),
        ("//2025", "Accreditation start date must include a day and month", {"day", "month"}),
        ("/8/", "Accreditation start date must include a day and year", {"day", "year"}),
        ("1//", "Accreditation start date must include a month and year", {"month", "year"}),
        (" / /2025", "Accreditation start date must include a day and month", {"day", "month"}),
    ],
)
def test_an_incomplete_date_says_what_is_missing(typed, message, parts):
    assert cleaned(typed) == [(message, "incomplete")]
    assert error_parts(typed) == parts


@pytest.mark.parametrize(
    ("typed", "parts"),
    [
        ("31/2/2025", {"day", "month", "year"}),
        ("29/2/2025", {"day", "month", "year"}),
        ("32/8/2025", {"day"}),
        ("0/8/2025", {"day"}),
        ("first/8/2025", {"day"}),
        ("1/13/2025", {"month"}),
        ("1/0/2025", {"month"}),
        ("1/augus/2025", {"month"}),
        ("1/8/20x5", {"year"}),
        ("1/8/0000", {"day", "month", "year"}),
        ("32/13/2025", {"day", "month"}),
        ("1/-8/2025", {"month"}),
        ("１/8/2025", {"day"}),
    ],
)
def test_a_date_that_cannot_be_real(typed, parts):
    assert cleaned(typed) == [("Accreditation start date must be a real date", "invalid")]
    assert error_parts(typed) == parts


@pytest.mark.parametrize("year", ["25", "225", "02025", "20255"])
def test_the_year_must_have_4_numbers(year):
    assert cleaned(f"1/8/{year}") == [("Year must include 4 numbers", "year_length")]
    assert error_parts(f"1/8/{year}") == {"year"}


def test_the_noun_comes_from_the_label_without_optional_when_no_invalid_message_names_it():
    assert cleaned("1//", name="ends_on", **date_parts("starts_on", AUGUST_1)) == [
        ("Accreditation end date must include a month and year", "incomplete")
    ]
    assert cleaned("31/2/2025", name="ends_on", **date_parts("starts_on", AUGUST_1)) == [
        ("Accreditation end date must be a real date", "invalid")
    ]


def test_a_noun_of_its_own_and_the_default_required_message():
    field = GovukDateField(label="When did it start?", noun="Start date")

    with pytest.raises(forms.ValidationError) as required:
        field.clean(DateParts())
    with pytest.raises(forms.ValidationError) as incomplete:
        field.clean(DateParts("1", "", "2025"))

    assert required.value.messages == ["Enter start date"]
    assert incomplete.value.messages == ["Start date must include a month"]


def test_a_form_may_reword_any_message_and_keep_its_code():
    field = GovukDateField(
        label="Date of birth",
        error_messages={"incomplete_month": "Tell us the month you were born", "year_length": "Use 4 numbers"},
    )

    with pytest.raises(forms.ValidationError) as incomplete:
        field.clean(DateParts("1", "", "1990"))
    with pytest.raises(forms.ValidationError) as year:
        field.clean(DateParts("1", "8", "90"))

    assert (incomplete.value.messages, incomplete.value.code) == (["Tell us the month you were born"], "incomplete")
    assert (year.value.messages, year.value.code) == (["Use 4 numbers"], "year_length")


def test_a_rule_about_the_whole_date_marks_all_three_boxes():
    class PastForm(forms.Form):
        day = GovukDateField(label="Day", validators=[dates_in_the_past])

    form = PastForm(data=date_parts("day", "1/1/2999"))

    assert not form.is_valid()
    assert form.errors["day"] == ["Day must be in the past"]
    assert form.fields["day"].widget.error_parts == {"day", "month", "year"}


def dates_in_the_past(value):
    if value > datetime.date.today():
        raise forms.ValidationError("Day must be in the past", code="in_future")


# The register's DateField ---------------------------------------------------------------------


def test_the_registers_date_field_is_required_when_it_has_a_required_message():
    required = DateField(label="Start date", required_message="Enter start date", invalid_message="Start date bad")
    optional = DateField(label="End date (optional)", invalid_message="End date must be a real date")

    assert isinstance(required.widget, DateInput)
    assert required.required
    assert not optional.required
    assert optional.clean(DateParts()) is None
    with pytest.raises(forms.ValidationError, match="Enter start date"):
        required.clean(DateParts())
    with pytest.raises(forms.ValidationError, match="End date must include a day"):
        optional.clean(DateParts("", "8", "2025"))


# Drafts: a date kept between a flow's steps -----------------------------------------------------------


@pytest.mark.parametrize("draft", ["2025-08-01", "1/8/2025", "01/08/2025", "1 8 2025", "1 Aug 2025", AUGUST_1])
def test_a_drafts_date_under_the_fields_own_name(draft):
    form = StartForm(data={"starts_on": draft})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["starts_on"] == AUGUST_1


@pytest.mark.parametrize("draft", ["", None])
def test_a_draft_without_the_date(draft):
    form = StartForm(data={"starts_on": "2025-08-01", "ends_on": draft})

    assert form.is_valid()
    assert form.cleaned_data["ends_on"] is None
    assert StartForm(data={"starts_on": draft}).errors["starts_on"] == ["Enter accreditation start date"]


@pytest.mark.parametrize(("draft", "code"), [("31/2/2025", "invalid"), ("soon", "invalid"), ("1/8/25", "year_length")])
def test_a_drafts_date_is_checked_like_the_boxes(draft, code):
    form = StartForm(data={"starts_on": draft})

    assert not form.is_valid()
    assert form.errors.get_json_data()["starts_on"][0]["code"] == code


def test_the_boxes_win_over_a_drafts_date():
    form = StartForm(data={"starts_on": "2024-01-01", **date_parts("starts_on", AUGUST_1)})

    assert form.is_valid()
    assert form.cleaned_data["starts_on"] == AUGUST_1


def test_what_the_widget_reads():
    widget = DateInput()

    assert widget.value_from_datadict({"d-day": "1", "d-year": "2025"}, {}, "d") == DateParts("1", "", "2025")
    assert widget.value_from_datadict({"d": "2025-08-01"}, {}, "d") == "2025-08-01"
    assert widget.value_from_datadict({}, {}, "d") is None
    assert widget.value_omitted_from_data({}, {}, "d")
    assert not widget.value_omitted_from_data({"d-month": ""}, {}, "d")
    assert not widget.value_omitted_from_data({"d": ""}, {}, "d")


def test_empty_boxes_are_no_answer():
    assert not DateParts()
    assert not DateParts(" ", "", "\t")
    assert DateParts("", "", "2025")


@pytest.mark.parametrize(
    ("initial", "data", "changed"),
    [
        (AUGUST_1, date_parts("starts_on", "01/08/2025"), False),
        ("2025-08-01", date_parts("starts_on", "1/aug/2025"), False),
        (AUGUST_1, date_parts("starts_on", "2/8/2025"), True),
        (None, date_parts("starts_on", ""), False),
        (None, date_parts("starts_on", "1//"), True),
    ],
)
def test_has_changed(initial, data, changed):
    form = StartForm(data=data, initial={"starts_on": initial})

    assert form.has_changed() is changed


def test_a_dates_parts():
    assert dates.date_parts(AUGUST_1) == DateParts("1", "8", "2025")
    assert dates.date_parts(datetime.datetime(2025, 8, 1, 12, 30)) == DateParts("1", "8", "2025")
    assert dates.date_parts("2025-08-01") == DateParts("1", "8", "2025")
    assert dates.date_parts("1/8/2025") == DateParts("1", "8", "2025")
    assert dates.date_parts("") == DateParts()
    assert dates.date_parts("next Tuesday") is None


# The boxes drawn -------------------------------------------------------------------------------


class Boxes(HTMLParser):
    """The date input's labels and inputs, and its wrapper's attributes."""

    def __init__(self, html: str):
        super().__init__()
        self.wrapper: dict = {}
        self.labels: dict[str, str] = {}
        self.inputs: list[dict] = []
        self._label_for = None
        self.tags: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if tag == "div" and "app-date-input" in (attrs.get("class") or "").split():
            self.wrapper = attrs
        elif tag == "label":
            self._label_for = attrs.get("for")
        elif tag == "input":
            self.inputs.append(attrs)

    def handle_data(self, data):
        if self._label_for is not None and data.strip():
            self.labels[self._label_for] = data.strip()

    def handle_endtag(self, tag):
        if tag == "label":
            self._label_for = None


def boxes(bound_field) -> Boxes:
    return Boxes(str(bound_field))


def test_three_labelled_boxes_named_and_numbered_for_the_question():
    drawn = boxes(StartForm()["starts_on"])

    assert drawn.wrapper == {"class": "app-date-input", "id": "id_starts_on"}
    assert [box["name"] for box in drawn.inputs] == ["starts_on-day", "starts_on-month", "starts_on-year"]
    assert [box["id"] for box in drawn.inputs] == ["id_starts_on-day", "id_starts_on-month", "id_starts_on-year"]
    assert drawn.labels == {"id_starts_on-day": "Day", "id_starts_on-month": "Month", "id_starts_on-year": "Year"}
    assert [box["class"] for box in drawn.inputs] == [
        "app-input app-date-input__input app-input--width-2",
        "app-input app-date-input__input app-input--width-2",
        "app-input app-date-input__input app-input--width-4",
    ]
    assert all(box["type"] == "text" and box["inputmode"] == "numeric" for box in drawn.inputs)
    # No browser "required" bubble, and nothing but the boxes: the field template draws the fieldset.
    assert not any("required" in box or "value" in box for box in drawn.inputs)
    assert {"fieldset", "legend"}.isdisjoint(drawn.tags)


def test_what_the_field_template_asks_of_it():
    bound = StartForm()["starts_on"]

    assert bound.field.widget.input_type == "date"
    assert bound.use_fieldset
    assert bound.id_for_label == "id_starts_on-day"
    assert DateInput().id_for_label("") == ""


@pytest.mark.parametrize("initial", [AUGUST_1, "2025-08-01", "1/8/2025", "01/08/2025"])
def test_a_date_shows_without_leading_zeros(initial):
    drawn = boxes(StartForm(initial={"starts_on": initial})["starts_on"])

    assert [box["value"] for box in drawn.inputs] == ["1", "8", "2025"]


def test_what_was_typed_shows_as_typed():
    form = StartForm(data={"starts_on-day": "01", "starts_on-month": "Sept", "starts_on-year": "25"})
    form.is_valid()

    assert [box.get("value") for box in boxes(form["starts_on"]).inputs] == ["01", "Sept", "25"]


def test_the_boxes_in_error_are_marked():
    form = StartForm(data=date_parts("starts_on", "/8/"))
    form.is_valid()

    drawn = boxes(form["starts_on"])

    assert ["app-input--error" in box["class"].split() for box in drawn.inputs] == [True, False, True]
    assert [box.get("aria-invalid") for box in drawn.inputs] == ["true", None, "true"]
    assert [box.get("value") for box in drawn.inputs] == [None, "8", None]


def test_an_unreal_date_marks_all_three_boxes():
    form = StartForm(data=date_parts("starts_on", "31/2/2025"))
    form.is_valid()

    assert all("app-input--error" in box["class"] for box in boxes(form["starts_on"]).inputs)


def test_a_forms_own_error_about_the_date_marks_all_three_boxes():
    form = StartForm(data={**date_parts("starts_on", "1/8/2025"), **date_parts("ends_on", "1/7/2025")})
    form.is_valid()
    form.add_error("ends_on", "Accreditation end date must be the same as or after 1 August 2025")

    assert all("app-input--error" in box["class"] for box in boxes(form["ends_on"]).inputs)
    assert not any("app-input--error" in box["class"] for box in boxes(form["starts_on"]).inputs)


def test_the_hint_and_error_are_the_fieldsets_not_each_boxs():
    form = StartForm(data=date_parts("starts_on", ""))
    form.is_valid()
    form.fields["starts_on"].widget.attrs["aria-describedby"] = "id_starts_on_helptext id_starts_on-error"

    assert not any("aria-describedby" in box for box in boxes(form["starts_on"]).inputs)


def test_a_form_without_ids():
    drawn = boxes(StartForm(auto_id=False)["starts_on"])

    assert "id" not in drawn.wrapper
    assert not any("id" in box for box in drawn.inputs)
    assert [box["name"] for box in drawn.inputs] == ["starts_on-day", "starts_on-month", "starts_on-year"]
