"""The answers support users give about an address. The form owns the wording of its rules."""

from registry.forms.base import RegisterForm, TextField
from registry.validators import address_problems, normalise_postcode


class AddressForm(RegisterForm):
    """An address typed in by hand (or checked after the postcode finder filled it in)."""

    error_messages = {
        "address_line_1_required": "Enter address line 1, typically the building and street",
        "address_line_1_too_long": "Address line 1 must be 255 characters or fewer",
        "address_line_2_too_long": "Address line 2 must be 255 characters or fewer",
        "address_line_3_too_long": "Address line 3 must be 255 characters or fewer",
        "town_or_city_required": "Enter town or city",
        "town_or_city_too_long": "Town or city must be 255 characters or fewer",
        "county_too_long": "County must be 255 characters or fewer",
        "postcode_required": "Enter postcode",
        "postcode_invalid": "Enter a full UK postcode",
    }

    address_line_1 = TextField(
        label="Address line 1", max_length=None, required_message=error_messages["address_line_1_required"]
    )
    address_line_2 = TextField(label="Address line 2 (optional)", max_length=None)
    address_line_3 = TextField(label="Address line 3 (optional)", max_length=None)
    town_or_city = TextField(
        label="Town or city", max_length=None, required_message=error_messages["town_or_city_required"]
    )
    county = TextField(label="County (optional)", max_length=None)
    postcode = TextField(label="Postcode", max_length=None, required_message=error_messages["postcode_required"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("postcode"):
            cleaned["postcode"] = normalise_postcode(cleaned["postcode"])
        self.add_problems(address_problems({name: cleaned.get(name, "") for name in self.fields}))
        return cleaned
