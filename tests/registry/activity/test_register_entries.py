"""How changes to the register read on the Activity page: what happened, to which provider's record,
and what changed, even for records that came in through the import or with no history at all."""

import datetime

import pytest
from django.urls import reverse

from accounts.api_clients.services import api_client_create, api_client_revoke, api_client_token_rotate
from registry.importing.bulk_writes import write_records
from registry.models import Address
from registry.services.accreditations import accreditation_create
from registry.services.addresses import address_create, address_delete, address_update
from registry.services.contacts import contact_create, contact_delete
from registry.services.partnerships import partnership_create, partnership_delete
from registry.services.providers import provider_archive, provider_delete, provider_restore
from tests.factories import AccreditedProviderFactory, ApiUserFactory, ProviderFactory
from tests.registry.activity.support import ACTIVITY_URL, entries, update_user
from tests.support.page import Page, attribute, text

pytestmark = pytest.mark.django_db

PROVIDER_HISTORY = "admin:registry_provider_history"
PROVIDER_PAGE = "admin:registry_provider_change"


def _entry_links(response, index: int) -> list[tuple[str, str]]:
    """(text, href) of each link in the entry at `index`."""
    page = Page(response)
    entry = [item for item in page.all("li") if "app-activity__entry" in (attribute(item, "class") or "")][index]
    return [(text(link), attribute(link, "href")) for link in page.all("a", within=entry)]


def _summaries(response) -> list[str]:
    return [entry.split(" By ")[0] for entry in entries(response)]


# No academic years: the factories set them without history, so a later change would list them.
@pytest.fixture
def school(db):
    return ProviderFactory(operating_name="Ash Tree Academy", academic_years=[])


@pytest.fixture
def scitt(db):
    return AccreditedProviderFactory(operating_name="Oak SCITT", accreditation=False, academic_years=[])


def _address(administrator, provider, **values) -> Address:
    return address_create(
        actor=administrator,
        provider=provider,
        address_line_1=values.get("address_line_1", "1 Tile Kiln Lane"),
        town_or_city=values.get("town_or_city", "London"),
        postcode=values.get("postcode", "N13 6BY"),
    )


# The first change to a record: compared with the record as it was added, however it was added.


def test_first_change_to_an_imported_record_shows_old_and_new(administrator, administrator_client, school):
    imported = Address(provider=school, address_line_1="1 Tile Kiln Lane", town_or_city="Leeds", postcode="LS1 4AP")
    write_records(Address, new=[imported], changed=[], fields=[], reason="Imported from addresses.csv")

    address_update(actor=administrator, address=imported, changes={"town_or_city": "York"})

    updated, added = entries(administrator_client.get(ACTIVITY_URL))[:2]
    assert updated.startswith("Address updated York, LS1 4AP Provider: Ash Tree Academy By Anne Wilson at ")
    assert updated.endswith("Field Old value New value Town or city Leeds York")
    assert "Earlier values were not recorded" not in updated
    assert added.startswith("Address added Leeds, LS1 4AP Provider: Ash Tree Academy By the system at ")
    assert "Imported from addresses.csv" in added


def test_first_change_to_a_record_loaded_without_history_says_its_earlier_values_are_unknown(
    administrator, administrator_client, auditor_client, school
):
    # Loaded as fixtures are: straight into the table, with no history row.
    [loaded] = Address.objects.bulk_create(
        [Address(provider=school, address_line_1="1 Tile Kiln Lane", town_or_city="Leeds", postcode="LS1 4AP")]
    )
    address_update(actor=administrator, address=loaded, changes={"town_or_city": "York"})

    updated = entries(administrator_client.get(ACTIVITY_URL))[0]
    history = Page(auditor_client.get(reverse(PROVIDER_HISTORY, args=[school.pk])))

    assert updated.startswith("Address updated York, LS1 4AP Provider: Ash Tree Academy By Anne Wilson at ")
    assert updated.endswith("Earlier values were not recorded.")
    assert "Field Old value New value" not in updated
    assert "Earlier values were not recorded." in text(history.one("main"))


# Deleting, archiving, restoring, revoking: the summary says what happened, and nothing else misleads.


def test_soft_deletes_say_what_was_deleted_and_list_no_fields(administrator, administrator_client, school, scitt):
    address = _address(administrator, school)
    contact = contact_create(
        actor=administrator, provider=school, first_name="Jane", last_name="Smith", email="jane.smith@example.com"
    )
    partnership = partnership_create(
        actor=administrator,
        accredited_provider=scitt,
        training_partner=school,
        starts_on=datetime.date(2024, 8, 1),
        academic_years=[2024],
    )
    address_delete(actor=administrator, address=address)
    contact_delete(actor=administrator, contact=contact)
    partnership_delete(actor=administrator, partnership=partnership)
    provider_archive(actor=administrator, provider=school)
    provider_delete(actor=administrator, provider=school)

    response = administrator_client.get(ACTIVITY_URL)

    assert _summaries(response)[:6] == [
        "Provider deleted Ash Tree Academy",
        "Provider archived Ash Tree Academy",
        "Partnership deleted Partnership between Oak SCITT and Ash Tree Academy",
        "Contact deleted Jane Smith Provider: Ash Tree Academy",
        "Address deleted London, N13 6BY Provider: Ash Tree Academy",
        "Partnership added Partnership between Oak SCITT and Ash Tree Academy",
    ]
    for entry in entries(response)[:5]:
        assert "Field Old value New value" not in entry, entry


def test_archiving_and_restoring_say_so(administrator, administrator_client, school):
    provider_archive(actor=administrator, provider=school)
    provider_restore(actor=administrator, provider=school)

    assert _summaries(administrator_client.get(ACTIVITY_URL))[:2] == [
        "Provider restored Ash Tree Academy",
        "Provider archived Ash Tree Academy",
    ]


# Which provider: named, and a link to it (its history, for auditors).


def test_a_providers_records_name_their_provider_and_link_to_it(administrator, administrator_client, school, scitt):
    _address(administrator, school)
    accreditation_create(actor=administrator, provider=scitt, number="5602", starts_on=datetime.date(2024, 8, 1))
    contact_create(
        actor=administrator, provider=school, first_name="Jane", last_name="Smith", email="jane.smith@example.com"
    )

    response = administrator_client.get(ACTIVITY_URL)

    school_page = reverse(PROVIDER_PAGE, args=[school.pk])
    assert _summaries(response)[0] == "Contact added Jane Smith Provider: Ash Tree Academy"
    assert _entry_links(response, 0) == [("Ash Tree Academy", school_page)]
    accreditation = _summaries(response).index("Accreditation added Accreditation 5602 Provider: Oak SCITT")
    assert _entry_links(response, accreditation) == [("Oak SCITT", reverse(PROVIDER_PAGE, args=[scitt.pk]))]
    address = _summaries(response).index("Address added London, N13 6BY Provider: Ash Tree Academy")
    assert _entry_links(response, address) == [("Ash Tree Academy", school_page)]


def test_a_partnership_names_both_providers_each_a_link(administrator, administrator_client, school, scitt):
    partnership_create(
        actor=administrator,
        accredited_provider=scitt,
        training_partner=school,
        starts_on=datetime.date(2024, 8, 1),
        academic_years=[2024],
    )

    response = administrator_client.get(ACTIVITY_URL)

    assert _summaries(response)[0] == "Partnership added Partnership between Oak SCITT and Ash Tree Academy"
    assert _entry_links(response, 0) == [
        ("Oak SCITT", reverse(PROVIDER_PAGE, args=[scitt.pk])),
        ("Ash Tree Academy", reverse(PROVIDER_PAGE, args=[school.pk])),
    ]


def test_auditors_follow_a_provider_to_its_history(administrator, auditor_client, school, scitt):
    _address(administrator, school)
    partnership_create(
        actor=administrator,
        accredited_provider=scitt,
        training_partner=school,
        starts_on=datetime.date(2024, 8, 1),
        academic_years=[2024],
    )

    response = auditor_client.get(ACTIVITY_URL)

    school_history, scitt_history = (reverse(PROVIDER_HISTORY, args=[p.pk]) for p in (school, scitt))
    assert _entry_links(response, 0) == [("Oak SCITT", scitt_history), ("Ash Tree Academy", school_history)]
    assert _entry_links(response, 1) == [("Ash Tree Academy", school_history)]
    assert auditor_client.get(school_history).status_code == 200


def test_a_deleted_provider_is_still_named_and_leads_to_its_history(administrator, administrator_client, school):
    _address(administrator, school)
    provider_archive(actor=administrator, provider=school)
    provider_delete(actor=administrator, provider=school)

    response = administrator_client.get(ACTIVITY_URL)

    address = _summaries(response).index("Address added London, N13 6BY Provider: Ash Tree Academy")
    assert _entry_links(response, address) == [("Ash Tree Academy", reverse(PROVIDER_HISTORY, args=[school.pk]))]


# API clients: added, rotated, revoked.


def test_adding_rotating_and_revoking_an_api_client_are_each_listed_once(administrator, administrator_client):
    owner = ApiUserFactory(first_name="Ahmed", last_name="Ali")
    client, first = api_client_create(actor=administrator, name="Nightly sync", owner=owner)
    rotated = api_client_token_rotate(actor=owner, client_id=client.pk)
    api_client_revoke(actor=administrator, client_id=client.pk)

    response = administrator_client.get(ACTIVITY_URL)

    history = reverse("admin:accounts_apiclient_history", args=[client.pk])
    assert _summaries(response)[:3] == [
        "API client revoked Nightly sync",
        f"API token rotated Nightly sync ({rotated.record.hint})",
        "API client added Nightly sync",
    ]
    assert " By Ahmed Ali at " in entries(response)[1]
    assert [link for _, link in _entry_links(response, 1)] == [history]
    # The client's own history still lists every change to its tokens.
    client_history = [
        text(item).split(" By ")[0]
        for item in Page(administrator_client.get(history)).all("li")
        if "app-history__entry" in (attribute(item, "class") or "")
    ]
    assert f"API token created Nightly sync ({first.record.hint})" in client_history
    assert f"API token replaced Nightly sync ({first.record.hint})" in client_history


def test_tokens_revoked_because_their_owner_lost_api_access_are_listed(administrator, administrator_client):
    owner = ApiUserFactory(first_name="Ahmed", last_name="Ali")
    api_client_create(actor=administrator, name="Nightly sync", owner=owner)

    update_user(administrator, owner, is_active=False)

    summaries = _summaries(administrator_client.get(ACTIVITY_URL))
    assert summaries[0].startswith("API token revoked: its owner can no longer use the API Nightly sync (")
    assert summaries[1] == "User updated Ahmed Ali"


def test_api_tokens_are_a_record_type_to_filter_by(administrator, administrator_client):
    owner = ApiUserFactory()
    client, _ = api_client_create(actor=administrator, name="Nightly sync", owner=owner)
    api_client_token_rotate(actor=owner, client_id=client.pk)

    response = administrator_client.get(ACTIVITY_URL, {"record_type": "accounts.apitoken"})

    assert dict(response.context["form"].fields["record_type"].choices)["accounts.apitoken"] == "API token"
    assert [summary.split(" Nightly")[0] for summary in _summaries(response)] == ["API token rotated"]
