"""The GOV.UK wording of the register's rules: for each record, a message for each code.

The rules in `registry.validators` say what is wrong (a field and a code); these dicts say how to
put it. Each is its form's `error_messages` (`ProviderForm.error_messages is PROVIDER_MESSAGES`),
and the services word their ValidationErrors from the same dict (`validators.validation_error`),
so a support user, the API and the shell are told the same thing, and no service imports a form.
A message may name a date (`%(starts_on)s`), which is written the GOV.UK way. Every text answer
has a `<field>_control_characters` message (`validators.control_characters_first`), which the form
also gives for a NUL, which Django's own check would otherwise word.
"""

PROVIDER_MESSAGES = {
    "accreditation_status_required": "Select if the provider is accredited",
    "provider_type_required": "Select provider type",
    "provider_type_not_allowed": "Select provider type",
    "operating_name_required": "Enter operating name",
    "operating_name_too_long": "Operating name must be 255 characters or fewer",
    "legal_name_too_long": "Legal name must be 255 characters or fewer",
    "ukprn_required": "Enter UK provider reference number (UKPRN)",
    "ukprn_invalid": "Enter a valid UK provider reference number (UKPRN)",
    "urn_required": "Enter unique reference number (URN)",
    "urn_invalid": "Enter a valid unique reference number (URN)",
    "code_required": "Enter provider code",
    "code_invalid": "Enter a valid provider code",
    "code_taken": "Enter a unique provider code",
    "academic_years_required": "Select academic year",
    "onboarded_on_invalid": "Date onboarded must be a real date",
    "first_active_on_invalid": "Date first active must be a real date",
    "onboarded_when_required": "Select when the provider onboarded",
    "onboarded_on_required": "Enter date onboarded",
    "onboarded_on_in_future": "Date onboarded must be today or in the past",
    "first_active_when_required": "Select when the provider first became active",
    "first_active_on_required": "Enter date first active",
    "first_active_on_too_late": "Date first active must be on or before %(latest)s",
    "operating_name_control_characters": "Operating name must not contain control characters",
    "legal_name_control_characters": "Legal name must not contain control characters",
    "ukprn_control_characters": "UK provider reference number (UKPRN) must not contain control characters",
    "urn_control_characters": "Unique reference number (URN) must not contain control characters",
    "code_control_characters": "Provider code must not contain control characters",
}

ACCREDITATION_MESSAGES = {
    "number_required": "Enter an accredited provider number",
    "number_invalid_hei": "Enter accredited provider number in the correct format, like 1234",
    "number_invalid_school": "Enter accredited provider number in the correct format, like 5678",
    "number_invalid": "Enter a valid accredited provider number - it must be 4 digits starting with a 1 or a 5",
    "number_control_characters": "Accredited provider number must not contain control characters",
    "starts_on_required": "Enter accreditation start date",
    "starts_on_invalid": "Accreditation start date must be a real date",
    "ends_on_invalid": "Accreditation end date must be a real date",
    "ends_before_start": (
        "The accreditation end date must be the same as or after %(starts_on)s when the accreditation starts"
    ),
}

ADDRESS_MESSAGES = {
    "address_line_1_required": "Enter address line 1, typically the building and street",
    "address_line_1_too_long": "Address line 1 must be 255 characters or fewer",
    "address_line_2_too_long": "Address line 2 must be 255 characters or fewer",
    "address_line_3_too_long": "Address line 3 must be 255 characters or fewer",
    "town_or_city_required": "Enter town or city",
    "town_or_city_too_long": "Town or city must be 255 characters or fewer",
    "county_too_long": "County must be 255 characters or fewer",
    "postcode_required": "Enter postcode",
    "postcode_invalid": "Enter a full UK postcode",
    "address_line_1_control_characters": "Address line 1 must not contain control characters",
    "address_line_2_control_characters": "Address line 2 must not contain control characters",
    "address_line_3_control_characters": "Address line 3 must not contain control characters",
    "town_or_city_control_characters": "Town or city must not contain control characters",
    "county_control_characters": "County must not contain control characters",
    "postcode_control_characters": "Postcode must not contain control characters",
}

# Finding an address by postcode (registry/address_finder/forms.py).
FIND_ADDRESS_MESSAGES = {
    "find_postcode_required": "Enter a postcode",
    "find_postcode_invalid": "Enter a full UK postcode",
    "find_postcode_control_characters": "Postcode must not contain control characters",
    "find_building_too_long": "Building number or name must be 255 characters or fewer",
    "find_building_control_characters": "Building number or name must not contain control characters",
    "found_address_required": "Select an address",
}

CONTACT_MESSAGES = {
    "first_name_required": "Enter first name",
    "first_name_too_long": "First name must be 255 characters or fewer",
    "last_name_required": "Enter last name",
    "last_name_too_long": "Last name must be 255 characters or fewer",
    "email_required": "Enter email address",
    "email_invalid": "Enter an email address in the correct format, like name@example.com",
    # The real service's wording, although a contact is not a user of the service.
    "email_taken": "Email address is already associated with a user, use a different one",
    "telephone_invalid": "Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192",
    "first_name_control_characters": "First name must not contain control characters",
    "last_name_control_characters": "Last name must not contain control characters",
    "email_control_characters": "Email address must not contain control characters",
    "telephone_control_characters": "Phone number must not contain control characters",
}

PARTNERSHIP_MESSAGES = {
    "training_partner_required": "Enter training partner name, code, UKPRN or URN",
    "accredited_provider_required": "Enter accredited provider name, code, UKPRN or URN",
    "training_partner_accredited": "Select a training partner",
    "accredited_provider_not_accredited": "Select an accredited provider",
    "starts_on_required": "Enter date the partnership started",
    "starts_on_invalid": "Partnership start date must be a real date",
    "ends_on_invalid": "Partnership end date must be a real date",
    "ends_before_start": (
        "The partnership end date must be the same as or after %(starts_on)s when the partnership starts"
    ),
    "academic_years_required": "Select academic year",
    "academic_years_outside_dates": "Select academic years that are within the partnership dates",
}
