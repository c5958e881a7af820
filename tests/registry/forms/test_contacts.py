import pytest

from registry.forms import ContactForm
from tests.factories import ContactFactory, ProviderFactory

pytestmark = pytest.mark.django_db

MESSAGES = ContactForm.error_messages
ANSWERS = {"first_name": "Jane", "last_name": "Doe", "email": "jane.doe@example.com", "telephone": ""}


def test_a_contact_is_valid_without_a_phone_number():
    assert ContactForm(data=ANSWERS, provider=ProviderFactory()).is_valid()


def test_missing_answers_have_the_real_services_messages():
    form = ContactForm(data={}, provider=ProviderFactory())

    assert not form.is_valid()
    assert form.errors == {
        "first_name": ["Enter first name"],
        "last_name": ["Enter last name"],
        "email": ["Enter email address"],
    }


@pytest.mark.parametrize("email", ["jane", "jane@example", "jane@@example.com", "jane..doe@example.com"])
def test_an_email_address_in_the_wrong_format(email):
    form = ContactForm(data={**ANSWERS, "email": email}, provider=ProviderFactory())

    assert not form.is_valid()
    assert form.errors["email"] == ["Enter an email address in the correct format, like name@example.com"]


@pytest.mark.parametrize("telephone", ["12345", "+1 202 555 0143", "phone"])
def test_a_phone_number_in_the_wrong_format(telephone):
    form = ContactForm(data={**ANSWERS, "telephone": telephone}, provider=ProviderFactory())

    assert not form.is_valid()
    assert form.errors["telephone"] == ["Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"]


def test_an_email_address_is_unique_among_the_providers_contacts_ignoring_case():
    contact = ContactFactory(email="jane.doe@example.com")

    taken = ContactForm(data={**ANSWERS, "email": "Jane.Doe@Example.com"}, provider=contact.provider)

    assert not taken.is_valid()
    assert taken.errors["email"] == ["Email address is already associated with a user, use a different one"]
    assert ContactForm(data=ANSWERS, provider=ProviderFactory()).is_valid()
    assert ContactForm(data=ANSWERS, provider=contact.provider, contact=contact).is_valid()


def test_a_deleted_contacts_email_address_is_free():
    contact = ContactFactory(email="jane.doe@example.com", deleted_at="2025-01-01T00:00:00Z")

    assert ContactForm(data=ANSWERS, provider=contact.provider).is_valid()
