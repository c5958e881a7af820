"""Changes to the register appear on the Activity page beside changes to accounts."""

import datetime

import pytest
from django.urls import reverse

from registry.services.accreditations import accreditation_create
from registry.services.providers import provider_archive
from tests.factories import AccreditedProviderFactory
from tests.support.html import text

pytestmark = pytest.mark.django_db

ACTIVITY_URL = reverse("activity")


def test_provider_changes_are_listed_with_their_actor_and_a_link_to_the_provider(administrator_client, administrator):
    provider = AccreditedProviderFactory(operating_name="Bath Spa University", accreditation=False)
    accreditation_create(actor=administrator, provider=provider, number="5602", starts_on=datetime.date(2024, 8, 1))
    provider_archive(actor=administrator, provider=provider)

    response = administrator_client.get(ACTIVITY_URL)

    page = text(response)
    assert "Accreditation added" in page
    assert "Provider archived" in page
    assert "By Anne Wilson" in page
    provider_url = reverse("admin:registry_provider_change", args=[provider.pk])
    # The accreditation's own entry leads to the page it is shown on, its provider's.
    assert response.content.decode().count(f'href="{provider_url}"') >= 2


def test_the_record_type_filter_offers_the_register(administrator_client):
    response = administrator_client.get(ACTIVITY_URL)

    choices = dict(response.context["form"].fields["record_type"].choices)
    assert {"Provider", "Accreditation", "Address", "Contact", "Partnership", "User"} <= set(choices.values())
