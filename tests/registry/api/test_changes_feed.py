"""GET /api/v1/changes: a consumer following it has the register, each provider as its own page gives it.

Providers are put on the feed as the seed puts them (`provider_changes_record`), then changed through
the register's services, as a support user's change is made.
"""

import datetime
import json

import pytest
from django.db import transaction

from accounts.permissions import SYSTEM
from registry.api.documents import provider_documents
from registry.models import Provider, ProviderChange, PublishedProvider
from registry.services.accreditations import accreditation_create, accreditation_delete, accreditation_update
from registry.services.addresses import address_create, address_delete, address_update
from registry.services.changes import PARTNER_UPDATED, provider_changes_record
from registry.services.contacts import contact_create, contact_delete, contact_update
from registry.services.partnerships import partnership_create, partnership_delete, partnership_update
from registry.services.providers import provider_archive, provider_delete, provider_restore, provider_update
from tests.factories import AccreditedProviderFactory, ProviderFactory, SchoolProviderFactory, SupportEditorFactory

pytestmark = pytest.mark.django_db

FEED = "/api/v1/changes"
PROVIDERS = "/api/v1/providers"


@pytest.fixture
def actor(db):
    return SupportEditorFactory()


def published(*providers):
    """Put providers on the feed as the seed and the import do."""
    with transaction.atomic():
        provider_changes_record(providers, actor=SYSTEM, reason="Added (seeded from fixtures)")
    return providers


def add_address(actor, provider, town="Leeds"):
    return address_create(
        actor=actor, provider=provider, address_line_1="1 High Street", town_or_city=town, postcode="LS1 1AA"
    )


def add_contact(actor, provider):
    return contact_create(actor=actor, provider=provider, first_name="Ada", last_name="Byron", email="ada@example.com")


def add_accreditation(actor, provider):
    return accreditation_create(actor=actor, provider=provider, number="5001", starts_on=datetime.date(2024, 8, 1))


def follow(api, after=0, limit=1000) -> tuple[dict, int]:
    """Follow the feed from `after` until it has no more: {id: document} of what it said, and where it ended."""
    copy = {}
    while True:
        page = api(FEED, {"after": after, "limit": limit}).json()
        for change in page["data"]:
            copy[change["id"]] = None if change["deleted"] else change["provider"]
        after = page["next_after"]
        if not page["more"]:
            return copy, after


def register_now() -> dict:
    """Every kept provider's document, built fresh, as the API's JSON has it."""
    from registry.api.schemas import encoder

    ids = Provider.objects.kept().values_list("pk", flat=True)
    return {str(pk): json.loads(encoder.encode(doc)) for pk, doc in provider_documents(ids).items()}


def changes_of(api, after) -> list[dict]:
    return api(FEED, {"after": after}).json()["data"]


# ---------------------------------------------------------------------------------------------------
# What it says
# ---------------------------------------------------------------------------------------------------


def test_from_the_start_every_provider_comes_once_as_its_own_page_gives_it(api, actor):
    accredited, school = published(AccreditedProviderFactory(), SchoolProviderFactory())
    partnership_create(
        actor=actor,
        accredited_provider=accredited,
        training_partner=school,
        starts_on=datetime.date(2025, 8, 1),
        academic_years=[2025],
    )
    add_address(actor, school)

    page = api(FEED).json()

    assert [change["id"] for change in page["data"]] == [str(accredited.pk), str(school.pk)]
    for change in page["data"]:
        assert change["provider"] == api(f"{PROVIDERS}/{change['id']}").json()["data"]
        assert (change["deleted"], change["archived"]) == (False, False)
    assert page["next_after"] == page["data"][-1]["position"]
    assert page["more"] is False


def test_an_empty_page_gives_back_the_position_asked_from(api):
    published(ProviderFactory())
    last = api(FEED).json()["next_after"]

    assert api(FEED, {"after": last}).json() == {"data": [], "next_after": last, "more": False}
    assert api(FEED, {"after": 10**15}).json()["next_after"] == 10**15


def test_pages_follow_on_and_a_provider_changed_meanwhile_comes_again_later(api, actor):
    providers = published(*ProviderFactory.create_batch(5))

    first = api(FEED, {"limit": 2}).json()
    add_address(actor, providers[0])
    rest, _ = follow(api, first["next_after"], limit=2)

    assert first["more"] is True
    assert [change["id"] for change in first["data"]] == [str(p.pk) for p in providers[:2]]
    assert list(rest) == [str(p.pk) for p in (*providers[2:], providers[0])]
    assert rest[str(providers[0].pk)]["addresses"][0]["town_or_city"] == "Leeds"


@pytest.mark.parametrize(
    "change",
    [
        lambda actor, p: provider_update(actor=actor, provider=p, changes={"operating_name": "Renamed"}),
        lambda actor, p: add_address(actor, p),
        lambda actor, p: address_update(actor=actor, address=add_address(actor, p), changes={"town_or_city": "York"}),
        lambda actor, p: address_delete(actor=actor, address=add_address(actor, p)),
        lambda actor, p: contact_create(
            actor=actor, provider=p, first_name="Ada", last_name="Byron", email="ada@example.com"
        ),
        lambda actor, p: accreditation_create(
            actor=actor, provider=p, number="5001", starts_on=datetime.date(2024, 8, 1)
        ),
        lambda actor, p: contact_update(actor=actor, contact=add_contact(actor, p), changes={"last_name": "Lovelace"}),
        lambda actor, p: contact_delete(actor=actor, contact=add_contact(actor, p)),
        lambda actor, p: accreditation_update(
            actor=actor, accreditation=add_accreditation(actor, p), changes={"number": "5002"}
        ),
        lambda actor, p: accreditation_delete(actor=actor, accreditation=add_accreditation(actor, p)),
        lambda actor, p: provider_archive(actor=actor, provider=p),
    ],
    ids=[
        "details",
        "address added",
        "address changed",
        "address deleted",
        "contact added",
        "accreditation added",
        "contact changed",
        "contact deleted",
        "accreditation changed",
        "accreditation deleted",
        "archived",
    ],
)
def test_each_kind_of_change_puts_the_provider_on_the_feed_as_it_now_is(api, actor, change):
    (provider,) = published(AccreditedProviderFactory(accreditation=False))
    after = api(FEED).json()["next_after"]

    change(actor, provider)

    (changed,) = changes_of(api, after)
    assert changed["id"] == str(provider.pk)
    assert changed["provider"] == register_now()[str(provider.pk)]
    assert changed["archived"] is (changed["provider"]["archived_at"] is not None)


def test_a_partnership_added_changed_and_deleted_puts_both_providers_on_the_feed(api, actor):
    accredited, school = published(AccreditedProviderFactory(), SchoolProviderFactory())
    after = api(FEED).json()["next_after"]

    partnership = partnership_create(
        actor=actor,
        accredited_provider=accredited,
        training_partner=school,
        starts_on=datetime.date(2025, 8, 1),
        academic_years=[2025],
    )
    added = {change["id"]: change["provider"] for change in changes_of(api, after)}
    after = api(FEED, {"after": after}).json()["next_after"]
    partnership_update(actor=actor, partnership=partnership, changes={"ends_on": datetime.date(2026, 7, 31)})
    changed = {change["id"]: change["provider"] for change in changes_of(api, after)}
    after = api(FEED, {"after": after}).json()["next_after"]
    partnership_delete(actor=actor, partnership=partnership)
    deleted = {change["id"]: change["provider"] for change in changes_of(api, after)}

    assert set(added) == set(deleted) == {str(accredited.pk), str(school.pk)}
    assert set(changed) == {str(accredited.pk), str(school.pk)}
    assert [document["partnerships"][0]["ends_on"] for document in changed.values()] == ["2026-07-31"] * 2
    assert added[str(school.pk)]["partnerships"][0]["partner"]["id"] == str(accredited.pk)
    assert [document["partnerships"] for document in deleted.values()] == [[], []]


def test_a_new_name_reaches_the_partners_documents_too(api, actor):
    accredited, school = published(AccreditedProviderFactory(), SchoolProviderFactory())
    partnership_create(
        actor=actor,
        accredited_provider=accredited,
        training_partner=school,
        starts_on=datetime.date(2025, 8, 1),
        academic_years=[2025],
    )
    after = api(FEED).json()["next_after"]

    provider_update(actor=actor, provider=accredited, changes={"operating_name": "Northern Lights SCITT"})

    changed = {change["id"]: change["provider"] for change in changes_of(api, after)}
    assert changed[str(school.pk)]["partnerships"][0]["partner"]["operating_name"] == "Northern Lights SCITT"
    assert ProviderChange.objects.filter(provider_id=school.pk, reason=PARTNER_UPDATED).count() == 1


def test_archived_restored_and_deleted(api, actor):
    provider, partner = published(AccreditedProviderFactory(), SchoolProviderFactory())
    partnership_create(
        actor=actor,
        accredited_provider=provider,
        training_partner=partner,
        starts_on=datetime.date(2025, 8, 1),
        academic_years=[2025],
    )
    start = api(FEED).json()["next_after"]

    provider_archive(actor=actor, provider=provider)
    (archived,) = changes_of(api, start)
    provider_restore(actor=actor, provider=provider)
    (restored,) = changes_of(api, archived["position"])
    provider_archive(actor=actor, provider=provider)
    provider_delete(actor=actor, provider=provider)
    after_delete = changes_of(api, restored["position"])

    assert archived["archived"] is True
    assert archived["provider"]["archived_at"] is not None
    assert (restored["archived"], restored["provider"]["archived_at"]) == (False, None)
    tombstone = next(change for change in after_delete if change["id"] == str(provider.pk))
    assert (tombstone["deleted"], tombstone["provider"]) == (True, None)
    # Its partnership went with it, from its partner's document too.
    (partner_now,) = [change for change in after_delete if change["id"] == str(partner.pk)]
    assert partner_now["provider"]["partnerships"] == []
    # From the start, a follower learns of the deletion too.
    assert follow(api)[0][str(provider.pk)] is None


def test_a_change_the_document_does_not_show_sends_no_one_the_provider_again(api):
    (provider,) = published(ProviderFactory())
    after = api(FEED).json()["next_after"]

    published(provider)

    assert changes_of(api, after) == []
    assert ProviderChange.objects.filter(provider_id=provider.pk).count() == 2


def test_the_import_s_academic_years_are_in_the_documents(api):
    from registry.importing.bulk_writes import add_academic_years, write_records
    from tests.factories import academic_year

    academic_year(2025)
    new = ProviderFactory.build()
    with transaction.atomic():
        write_records(Provider, new=[new], changed=[], fields=[], reason="Imported from providers.csv")
        add_academic_years(Provider, {new.pk: [2025]})

    assert follow(api)[0][str(new.pk)]["academic_years"] == [2025]


# ---------------------------------------------------------------------------------------------------
# changed_since, counted as the feed counts
# ---------------------------------------------------------------------------------------------------


def test_changed_since_finds_a_provider_whose_address_changed_and_one_archived(api, actor):
    quiet, addressed, archived = published(*ProviderFactory.create_batch(3))
    since = PublishedProvider.objects.order_by("-changed_at").values_list("changed_at", flat=True)[0]
    since += datetime.timedelta(microseconds=1)

    add_address(actor, addressed)
    provider_archive(actor=actor, provider=archived)

    found = {row["id"] for row in api(PROVIDERS, {"changed_since": since.isoformat()}).json()["data"]}
    assert found == {str(addressed.pk), str(archived.pk)}
    without = {"changed_since": since.isoformat(), "include_archived": "false"}
    assert {row["id"] for row in api(PROVIDERS, without).json()["data"]} == {str(addressed.pk)}
    assert str(quiet.pk) not in found


def test_a_register_from_before_the_feed_is_published_whole_by_its_migration(api):
    from registry.services.published_providers import published_providers_backfill

    kept, gone = ProviderFactory(), ProviderFactory(deleted_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC))

    with transaction.atomic():
        assert published_providers_backfill(using="default", first_position=1) == 2

    copy, after = follow(api)
    assert copy == {**register_now(), str(gone.pk): None}
    assert after == 2
    assert PublishedProvider.objects.get(provider=kept).changed_at == kept.updated_at


def test_after_an_import_and_a_second_one_the_feed_s_copy_is_the_register(api):
    from tests.registry.importing.conftest import run_import

    run_import()
    copy, after = follow(api)
    run_import()  # the same files again: nothing changes, so nobody is sent anything

    assert copy == register_now()
    assert len(copy) == Provider.objects.kept().count() > 10
    assert api(FEED, {"after": after}).json()["data"] == []
