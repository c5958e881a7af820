import pytest

from registry.forms import ContactForm
from registry.models import Contact
from tests.factories import ContactFactory, ProviderFactory
from tests.registry.admin.conftest import error_summary, inline_errors, provider_url
from tests.support.html import page_title, text

MESSAGES = ContactForm.error_messages

pytestmark = pytest.mark.django_db

ANSWERS = {"first_name": "Mary", "last_name": "Lawson", "email": "mary.lawson@example.com", "telephone": ""}


@pytest.fixture
def provider():
    return ProviderFactory(operating_name="Ash Tree School")


def test_add_check_and_save(administrator_client, provider):
    administrator_client.get(f"{provider_url('contact_add', provider.pk)}?new")

    response = administrator_client.post(provider_url("contact_add", provider.pk), ANSWERS)
    check = administrator_client.get(response["Location"])
    assert page_title(check) == "Check your answers - Add contact - Register of training providers"
    assert "First name Mary Change" in text(check)
    assert "Phone number Not entered Change" in text(check)
    response = administrator_client.post(provider_url("contact_add_check", provider.pk), follow=True)

    assert "Contact added" in text(response)
    assert "Mary Lawson" in text(response)
    assert provider.contacts.get().email == "mary.lawson@example.com"


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {},
            {
                "first_name": MESSAGES["first_name_required"],
                "last_name": MESSAGES["last_name_required"],
                "email": MESSAGES["email_required"],
            },
        ),
        (
            {**ANSWERS, "email": "mary.lawson", "telephone": "12"},
            {"email": MESSAGES["email_invalid"], "telephone": MESSAGES["telephone_invalid"]},
        ),
    ],
)
def test_each_problem_is_shown_in_the_summary_and_beside_its_question(administrator_client, provider, data, errors):
    administrator_client.get(f"{provider_url('contact_add', provider.pk)}?new")

    response = administrator_client.post(provider_url("contact_add", provider.pk), data)

    assert error_summary(response) == list(errors.values())
    assert inline_errors(response) == errors


def test_two_contacts_of_a_provider_never_share_an_email_address(administrator_client, provider):
    ContactFactory(provider=provider, email="Mary.Lawson@example.com")
    administrator_client.get(f"{provider_url('contact_add', provider.pk)}?new")

    response = administrator_client.post(provider_url("contact_add", provider.pk), ANSWERS)

    assert error_summary(response) == [MESSAGES["email_taken"]]


def test_change_and_delete(administrator_client, provider):
    contact = ContactFactory(provider=provider, first_name="Mary", last_name="Lawson")
    administrator_client.get(f"{provider_url('contact_edit', provider.pk, contact.pk)}?new")
    administrator_client.post(
        provider_url("contact_edit", provider.pk, contact.pk), {**ANSWERS, "telephone": "01632 960 001"}
    )

    updated = administrator_client.post(provider_url("contact_edit_check", provider.pk, contact.pk), follow=True)

    assert "Contact updated" in text(updated)
    contact.refresh_from_db()
    assert contact.telephone == "01632 960 001"

    confirmation = administrator_client.get(provider_url("contact_delete", provider.pk, contact.pk))
    assert "Confirm you want to delete Mary Lawson" in text(confirmation)
    assert "Deleting a contact is permanent – you cannot undo it." in text(confirmation)
    deleted = administrator_client.post(provider_url("contact_delete", provider.pk, contact.pk), follow=True)

    assert "Contact deleted" in text(deleted)
    assert "There are no contacts for Ash Tree School." in text(deleted)
    assert not Contact.objects.kept().exists()
