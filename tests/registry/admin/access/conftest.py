"""What the tests of a provider's access pages share: a provider, a person, and giving access as a person does."""

import pytest

from tests.factories import AccreditedProviderFactory, UserFactory
from tests.registry.admin.conftest import inline_errors, provider_url
from tests.support.page import Page, attribute
from tests.support.page import text as element_text


@pytest.fixture
def provider(db):
    return AccreditedProviderFactory(operating_name="Ash Tree SCITT")


@pytest.fixture
def person(db):
    return UserFactory(first_name="Mary", last_name="Lawson", email="mary.lawson@education.gov.uk")


def history_entries(response) -> list[str]:
    """Each change on a history page, in page order."""
    items = Page(response).all("li")
    return [element_text(item) for item in items if "app-history__entry" in (attribute(item, "class") or "")]


def _fresh(user):
    return type(user).objects.get(pk=user.pk)


def _give(client, provider, person, access="change", *, search="Mary"):
    """Go through "Give access" as a person does, up to check your answers; the check page's response."""
    start = client.get(f"{provider_url('access_give', provider.pk)}?new")
    assert start.status_code == 200
    found = client.get(provider_url("access_give", provider.pk), {"q": search})
    assert found.status_code == 200
    chose = client.post(provider_url("access_give", provider.pk), {"user": str(person.pk), "q": search})
    assert chose.status_code == 302, inline_errors(chose)
    assert chose["Location"] == provider_url("access_give_access", provider.pk)
    answered = client.post(provider_url("access_give_access", provider.pk), {"access": access})
    assert answered.status_code == 302, inline_errors(answered)
    assert answered["Location"] == provider_url("access_give_check", provider.pk)
    return client.get(provider_url("access_give_check", provider.pk))
