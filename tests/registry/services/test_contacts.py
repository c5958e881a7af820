from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from registry.services.contacts import (
    CONTACT_ADDED,
    CONTACT_DELETED,
    CONTACT_UPDATED,
    contact_create,
    contact_delete,
    contact_update,
)
from registry.services.providers import ProviderArchivedError
from tests.factories import ArchivedProviderFactory, ContactFactory, ProviderFactory

pytestmark = pytest.mark.django_db

EMAIL_TAKEN = "Email address is already associated with a user, use a different one"


def add(actor, provider, **changes):
    answers = {"first_name": "Jane", "last_name": "Doe", "email": "jane.doe@example.com", **changes}
    return contact_create(actor=actor, provider=provider, **answers)


def test_adds_a_contact_with_one_history_row(actor):
    contact = add(actor, ProviderFactory(), telephone="07700 900 982")

    [row] = contact.history.all()
    assert (row.history_user, row.history_change_reason) == (actor, CONTACT_ADDED)
    assert contact.telephone == "07700 900 982"


def test_refuses_missing_and_badly_formed_answers(actor):
    with pytest.raises(ValidationError) as raised:
        add(actor, ProviderFactory(), first_name="", last_name="", email="")
    assert raised.value.message_dict == {
        "first_name": ["Enter first name"],
        "last_name": ["Enter last name"],
        "email": ["Enter email address"],
    }

    with pytest.raises(ValidationError) as raised:
        add(actor, ProviderFactory(), email="jane.doe@example", telephone="12345")
    assert raised.value.message_dict == {
        "email": ["Enter an email address in the correct format, like name@example.com"],
        "telephone": ["Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"],
    }


def test_an_email_address_is_used_once_per_provider_ignoring_case(actor):
    contact = ContactFactory(email="jane.doe@example.com")

    with pytest.raises(ValidationError) as raised:
        add(actor, contact.provider, email="JANE.DOE@example.com")

    assert raised.value.message_dict == {"email": [EMAIL_TAKEN]}
    assert add(actor, ProviderFactory()).email == "jane.doe@example.com"


def test_a_lost_race_for_the_email_address_is_the_same_error_not_a_server_error(actor):
    contact = ContactFactory(email="jane.doe@example.com")

    with (
        mock.patch("registry.services.contacts.contact_email_taken", side_effect=[False, True]),
        pytest.raises(ValidationError) as raised,
    ):
        add(actor, contact.provider)

    assert raised.value.message_dict == {"email": [EMAIL_TAKEN]}


def test_a_deleted_contacts_email_address_is_free(actor):
    contact = ContactFactory(email="jane.doe@example.com")

    contact_delete(actor=actor, contact=contact)

    assert add(actor, contact.provider).pk != contact.pk
    assert contact.history.first().history_change_reason == CONTACT_DELETED


def test_updating_keeps_its_own_email_address_and_writes_nothing_for_no_change(actor):
    contact = ContactFactory(email="jane.doe@example.com", first_name="Jane")

    contact_update(actor=actor, contact=contact, changes={"email": "Jane.Doe@example.com ", "first_name": "Janet"})
    contact_update(actor=actor, contact=contact, changes={"first_name": "Janet"})

    contact.refresh_from_db()
    assert contact.first_name == "Janet"
    assert contact.history.count() == 2
    assert contact.history.first().history_change_reason == CONTACT_UPDATED


def test_an_archived_providers_contacts_cannot_change(actor):
    contact = ContactFactory(provider=ArchivedProviderFactory())

    with pytest.raises(ProviderArchivedError):
        add(actor, contact.provider, email="other@example.com")
    with pytest.raises(ProviderArchivedError):
        contact_update(actor=actor, contact=contact, changes={"first_name": "Janet"})
    with pytest.raises(ProviderArchivedError):
        contact_delete(actor=actor, contact=contact)
