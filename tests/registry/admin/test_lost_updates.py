"""A change flow never writes over a change someone else saved after it began (a lost update).

Two people change the same record: the second to press "Save" is told, and nothing of theirs is
written over the first's change.
"""

import pytest

from registry.pages.change_flows import CHANGED_ELSEWHERE
from registry.services.addresses import address_update
from registry.services.providers import provider_update
from tests.factories import AddressFactory, ProviderFactory, SupportEditorFactory
from tests.registry.admin.conftest import provider_url, signed_in
from tests.support.html import text

pytestmark = pytest.mark.django_db


def _provider_answers(provider, **changes):
    return {
        "operating_name": provider.operating_name,
        "legal_name": provider.legal_name,
        "ukprn": provider.ukprn,
        "urn": provider.urn,
        "code": provider.code,
        "academic_years": [year.start_year for year in provider.academic_years.all()],
        **changes,
    }


def test_saving_a_provider_changed_since_the_flow_began_is_refused(administrator_client):
    provider = ProviderFactory(operating_name="Ash Tree School", academic_years=[2024])
    administrator_client.get(f"{provider_url('edit', provider.pk)}?new")
    administrator_client.post(provider_url("edit", provider.pk), _provider_answers(provider, legal_name="Ash Trust"))
    # Meanwhile someone else renames it.
    provider_update(actor=SupportEditorFactory(), provider=provider, changes={"operating_name": "Oak Academy"})

    response = administrator_client.post(provider_url("edit_check", provider.pk), follow=True)

    assert CHANGED_ELSEWHERE.format(thing="provider") in text(response)
    provider.refresh_from_db()
    assert (provider.operating_name, provider.legal_name) == ("Oak Academy", "")
    # The refused change is gone: going back starts again from what is saved now.
    again = administrator_client.get(provider_url("edit_check", provider.pk))
    assert again.status_code == 302


def test_saving_an_address_changed_since_the_flow_began_is_refused():
    provider = ProviderFactory()
    address = AddressFactory(provider=provider, town_or_city="London", county="")
    first, second = signed_in(SupportEditorFactory()), SupportEditorFactory()
    edit = provider_url("address_edit", provider.pk, address.pk)
    first.get(f"{edit}?new")
    answers = {
        "address_line_1": address.address_line_1,
        "address_line_2": "",
        "address_line_3": "",
        "town_or_city": "London",
        "county": "Enfield",
        "postcode": address.postcode,
    }
    first.post(edit, answers)
    address_update(actor=second, address=address, changes={"town_or_city": "Enfield Town"})

    response = first.post(provider_url("address_edit_check", provider.pk, address.pk), follow=True)

    assert CHANGED_ELSEWHERE.format(thing="address") in text(response)
    address.refresh_from_db()
    assert (address.town_or_city, address.county) == ("Enfield Town", "")


def test_a_change_with_nobody_else_in_between_is_saved(administrator_client):
    provider = ProviderFactory(operating_name="Ash Tree School", academic_years=[2024])
    administrator_client.get(f"{provider_url('edit', provider.pk)}?new")
    administrator_client.post(provider_url("edit", provider.pk), _provider_answers(provider, legal_name="Ash Trust"))

    response = administrator_client.post(provider_url("edit_check", provider.pk), follow=True)

    assert "Provider updated" in text(response)
    provider.refresh_from_db()
    assert provider.legal_name == "Ash Trust"
