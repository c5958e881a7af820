from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

DFE_EMAIL_DOMAIN = "education.gov.uk"
DFE_EMAIL_INVALID = "Enter a Department for Education email address in the correct format, like name@education.gov.uk"

_email_format = EmailValidator()


def is_dfe_email(email: str) -> bool:
    """A well-formed address at education.gov.uk or one of its subdomains."""
    try:
        _email_format(email)
    except ValidationError:
        return False
    domain = email.rpartition("@")[2].lower()
    return domain == DFE_EMAIL_DOMAIN or domain.endswith("." + DFE_EMAIL_DOMAIN)
