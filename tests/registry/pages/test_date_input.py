"""The GOV.UK date input (the widget): what it reads from a form's data, a draft's date kept between a
flow's steps under the field's own name, and the three labelled boxes it draws."""

import datetime
from html.parser import HTMLParser

import pytest

from registry.pages import dates
from registry.pages.dates import DateInput, DateParts
from tests.registry.pages.date_forms import AUGUST_1, StartForm
from tests.support.forms import date_parts

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


# What the widget reads -----------------------------------------------------------------------------


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
