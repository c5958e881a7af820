import pytest

from registry.forms import AddressForm

MESSAGES = AddressForm.error_messages
ANSWERS = {"address_line_1": "Tile Kiln Lane", "town_or_city": "London", "postcode": "n13 6by"}


def test_a_complete_address_is_valid_with_its_postcode_normalised():
    form = AddressForm(data=ANSWERS)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["postcode"] == "N13 6BY"


def test_missing_answers_have_the_real_services_messages():
    form = AddressForm(data={})

    assert not form.is_valid()
    assert form.errors == {
        "address_line_1": ["Enter address line 1, typically the building and street"],
        "town_or_city": ["Enter town or city"],
        "postcode": ["Enter postcode"],
    }


@pytest.mark.parametrize("postcode", ["N13", "SY3 9E", "WS10 ODR", "Surrey"])
def test_a_postcode_must_be_a_full_uk_postcode(postcode):
    form = AddressForm(data={**ANSWERS, "postcode": postcode})

    assert not form.is_valid()
    assert form.errors["postcode"] == ["Enter a full UK postcode"]
    assert form.errors.as_data()["postcode"][0].code == "postcode_invalid"


def test_lines_are_at_most_255_characters():
    form = AddressForm(data={**ANSWERS, "address_line_2": "x" * 256})

    assert not form.is_valid()
    assert form.errors["address_line_2"] == [MESSAGES["address_line_2_too_long"]]
