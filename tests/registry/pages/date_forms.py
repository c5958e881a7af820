"""The form the date tests fill in: an accreditation's start date (required, with messages of its own)
and end date (optional), asked with the GOV.UK date input."""

import datetime

from django import forms

from registry.pages.dates import GovukDateField

AUGUST_1 = datetime.date(2025, 8, 1)


class StartForm(forms.Form):
    starts_on = GovukDateField(
        label="Accreditation start date",
        help_text="For example, 27 3 2007",
        required_message="Enter accreditation start date",
        invalid_message="Accreditation start date must be a real date",
    )
    ends_on = GovukDateField(label="Accreditation end date (optional)", required=False)
