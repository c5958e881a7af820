"""The questions of the address finder: the postcode to search, the address to choose, and the
address itself as typed in or completed by hand (keeping what the finder found about it)."""

from django import forms

from registry.address_finder.found import FoundAddress
from registry.forms import AddressForm
from registry.forms.base import RegisterForm, TextField
from registry.messages import FIND_ADDRESS_MESSAGES
from registry.pages.widgets import TextInput
from registry.validators import Problem, control_characters_first, is_uk_postcode, normalise_postcode

FIND_FIELDS = ("find_postcode", "find_building")
CHOOSE_FIELDS = ("found_address",)
BUILDING_MAX_LENGTH = 255


class FindAddressForm(RegisterForm):
    """ "Find an address": a full UK postcode and, if the person knows it, the building."""

    error_messages = FIND_ADDRESS_MESSAGES

    find_postcode = TextField(
        label="Postcode",
        max_length=None,
        required_message=error_messages["find_postcode_required"],
        widget=TextInput({"class": "app-input app-input--width-10", "autocomplete": "postal-code"}),
    )
    find_building = TextField(label="Building number or name (optional)", max_length=None)

    def clean(self):
        cleaned = super().clean()
        problems = []
        postcode = cleaned.get("find_postcode")
        if postcode and not is_uk_postcode(postcode):
            problems.append(Problem.of("find_postcode", "find_postcode_invalid"))
        if len(cleaned.get("find_building") or "") > BUILDING_MAX_LENGTH:
            problems.append(Problem.of("find_building", "find_building_too_long"))
        problems = control_characters_first(cleaned, FIND_FIELDS, problems)
        self.add_problems(problems)
        if postcode and not self.has_error("find_postcode"):
            cleaned["find_postcode"] = normalise_postcode(postcode)
        return cleaned

    def answers(self) -> dict:
        # A search is how the address was found, not part of it: nothing here is saved.
        return {}


class ChooseAddressForm(RegisterForm):
    """ "Select an address": one of `found`, the addresses the search found, each offered as it will be saved."""

    error_messages = FIND_ADDRESS_MESSAGES

    found_address = forms.ChoiceField(
        label="Select an address",
        widget=forms.RadioSelect,
        error_messages={
            "required": error_messages["found_address_required"],
            "invalid_choice": error_messages["found_address_required"],
        },
    )

    def __init__(self, *args, found: list[FoundAddress] = (), hint: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if "found_address" in self.fields:
            field = self.fields["found_address"]
            field.choices = [(str(index), address.label()) for index, address in enumerate(found)]
            field.help_text = hint

    def answers(self) -> dict:
        # The address chosen is copied into the address's own answers (the step after this one).
        return {}


class FinderAddressForm(AddressForm):
    """The address, typed in or as the finder filled it in. With `found` (the finder's address, as its
    draft keeps it), the address keeps the UPRN and coordinates OS gave while it is still that
    address: the postcode unchanged, and address line 1 unchanged or, when OS gave none, filled in."""

    def __init__(self, *args, found: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.found = FoundAddress.from_draft(found) if found else None

    def kept_from_finder(self) -> FoundAddress | None:
        """The finder's address whose UPRN and coordinates these (valid) answers keep, if any."""
        if self.found is None:
            return None
        cleaned = self.cleaned_data
        same_postcode = cleaned.get("postcode") == self.found.postcode
        same_line = not self.found.address_line_1 or cleaned.get("address_line_1") == self.found.address_line_1
        return self.found if same_postcode and same_line else None

    def answers(self) -> dict:
        kept = self.kept_from_finder()
        return {
            **super().answers(),
            "uprn": kept.uprn if kept else "",
            "latitude": kept.latitude or None if kept else None,
            "longitude": kept.longitude or None if kept else None,
        }
