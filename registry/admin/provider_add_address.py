"""Add provider's address: the steps that ask for it, and the answers its service is given.

The address is found by its postcode, or typed in (`registry.address_finder.steps`), as on a
provider's Addresses section: `ADDRESS_STEPS` and `address_answers` are all Add provider knows of
how an address is asked. It asks these steps last, before check your answers (each answer there with
a Change link back to the address form), and passes `address_answers(answers)` to
`provider_onboard`, which saves the address with the provider.
"""

from registry.address_finder.steps import address_steps
from registry.validators import ADDRESS_FIELDS

# What a finder adds to an address it found, saved when the steps give it.
FOUND_ADDRESS_FIELDS = ("uprn", "latitude", "longitude")

ADDRESS_STEPS = address_steps(find="address-search", select="address-select", manual="address")


def address_answers(answers: dict) -> dict:
    """The address the steps were given, as `address_create` takes it."""
    typed = {name: answers.get(name) or "" for name in ADDRESS_FIELDS}
    found = {name: answers[name] for name in FOUND_ADDRESS_FIELDS if answers.get(name) not in (None, "")}
    return {**typed, **found}
