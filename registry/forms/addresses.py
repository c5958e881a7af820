"""The answers support users give about an address. The form words its rules with `registry.messages`."""

from registry.forms.base import RegisterForm, TextField
from registry.messages import ADDRESS_MESSAGES
from registry.validators import address_problems, has_control_characters, normalise_postcode


class AddressForm(RegisterForm):
    """An address typed in by hand (or checked after the postcode finder filled it in)."""

    error_messages = ADDRESS_MESSAGES

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
        # A postcode typed with a control character is refused as typed, not tidied into one.
        if cleaned.get("postcode") and not has_control_characters(cleaned["postcode"]):
            cleaned["postcode"] = normalise_postcode(cleaned["postcode"])
        self.add_problems(address_problems({name: cleaned.get(name, "") for name in self.fields}))
        return cleaned
