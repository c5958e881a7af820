import csv
import datetime
import io

import pytest
from django.http import StreamingHttpResponse

from accounts.api_clients.services import api_client_create, api_client_revoke, api_client_token_rotate
from registry.activity import selectors
from registry.activity.export import HEADER, csv_safe
from registry.services.addresses import address_create, address_delete
from registry.services.partnerships import partnership_create
from registry.services.providers import provider_archive, provider_restore
from tests.factories import (
    AccreditedProviderFactory,
    ApiUserFactory,
    ProviderFactory,
    SupportAdministratorFactory,
    UserFactory,
)
from tests.registry.activity.support import (
    ACTIVITY_URL,
    CSV_URL,
    add_user,
    delete_user,
    latest_change_at,
    london,
    next_url,
    update_user,
)

pytestmark = pytest.mark.django_db


def _rows(response) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(content)))


def test_one_row_per_changed_field(administrator, administrator_client, forget_history):
    forget_history()
    mary = add_user(administrator, "Mary", "Lawson")
    latest_change_at(mary, london(2025, 5, 21, 14, 13, 5))
    update_user(administrator, mary, first_name="Maria", is_active=False)
    latest_change_at(mary, london(2025, 5, 21, 14, 20))
    delete_user(administrator, mary)
    latest_change_at(mary, london(2025, 12, 11, 9, 0))

    response = administrator_client.get(CSV_URL)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="activity-')
    anne, user = str(administrator.pk), str(mary.pk)
    renamed = ["2025-05-21T14:20:00+01:00", "User", user, "Maria Lawson", "Updated", anne, "Anne Wilson"]
    # A deletion is one row that says so: what deleting also cleared is not listed as changes.
    assert _rows(response) == [
        list(HEADER),
        ["2025-12-11T09:00:00+00:00", "User", user, "Maria Lawson", "Deleted", anne, "Anne Wilson", "", "", "", "", ""],
        [*renamed, "First name", "Mary", "Maria", "", ""],
        [*renamed, "Is the account active?", "Yes", "No", "", ""],
        ["2025-05-21T14:13:05+01:00", "User", user, "Mary Lawson", "Added", anne, "Anne Wilson", "", "", "", "", ""],
    ]


def test_changes_by_the_system_and_by_deleted_users(administrator, auditor_client, forget_history):
    rita = SupportAdministratorFactory(first_name="Rita", last_name="Moss")
    forget_history()
    UserFactory(first_name="Loaded", last_name="Fromfile")
    add_user(administrator, "Mary", "Lawson")
    delete_user(rita, administrator)

    rows = _rows(auditor_client.get(CSV_URL))

    assert [row[3:7] for row in rows[1:]] == [
        ["Anne Wilson", "Deleted", str(rita.pk), "Rita Moss"],
        ["Mary Lawson", "Added", str(administrator.pk), "Deleted user"],
        ["Loaded Fromfile", "Added", "", "The system"],
    ]


def test_only_the_filtered_changes(administrator, administrator_client, forget_history):
    forget_history()
    mary = add_user(administrator, "Mary", "Lawson")
    update_user(administrator, mary, first_name="Maria")

    rows = _rows(administrator_client.get(CSV_URL, {"action": "updated"}))

    assert [row[4] for row in rows[1:]] == ["Updated"]


def test_every_page_is_exported_in_page_order_across_batches(
    administrator, administrator_client, forget_history, monkeypatch
):
    """Batches resume after the last change they read, even where several share the same time."""
    monkeypatch.setattr(selectors, "EXPORT_BATCH_SIZE", 2)
    forget_history()
    people = [add_user(administrator, "Person", f"Number{number}") for number in range(30)]
    for person in people[10:20]:
        latest_change_at(person, london(2025, 5, 21, 14, 13))

    rows = _rows(administrator_client.get(CSV_URL))
    first = administrator_client.get(ACTIVITY_URL)
    page_one = first.context["page"].object_list
    page_two = administrator_client.get(next_url(first)).context["page"].object_list

    assert len(rows) == 31
    assert [row[2] for row in rows[1:]] == [str(entry.record_id) for entry in [*page_one, *page_two]]


def test_a_provider_is_named_in_every_batch_it_appears_in(administrator, administrator_client, monkeypatch):
    """Providers read for one batch are kept for the next: each row still names its provider."""
    monkeypatch.setattr(selectors, "EXPORT_BATCH_SIZE", 2)
    school = ProviderFactory(operating_name="Ash Tree Academy", academic_years=[])
    other = ProviderFactory(operating_name="Birch Lane School", academic_years=[])
    for provider in (school, other, school, school, other):
        address_create(
            actor=administrator,
            provider=provider,
            address_line_1="1 Tile Kiln Lane",
            town_or_city="Leeds",
            postcode="LS1 4AP",
        )

    rows = _rows(administrator_client.get(CSV_URL, {"record_type": "registry.address"}))

    assert [row[10] for row in rows[1:]] == [
        "Birch Lane School",
        "Ash Tree Academy",
        "Ash Tree Academy",
        "Birch Lane School",
        "Ash Tree Academy",
    ]


def test_the_action_is_what_was_done_and_a_providers_record_names_its_provider(administrator, administrator_client):
    owner = ApiUserFactory(first_name="Ahmed", last_name="Ali")
    school = ProviderFactory(operating_name="Ash Tree Academy", academic_years=[])
    scitt = AccreditedProviderFactory(operating_name="Oak SCITT", accreditation=False, academic_years=[])
    address = address_create(
        actor=administrator,
        provider=school,
        address_line_1="1 Tile Kiln Lane",
        town_or_city="Leeds",
        postcode="LS1 4AP",
    )
    partnership_create(
        actor=administrator,
        accredited_provider=scitt,
        training_partner=school,
        starts_on=datetime.date(2024, 8, 1),
        academic_years=[2024],
    )
    address_delete(actor=administrator, address=address)
    provider_archive(actor=administrator, provider=scitt)
    provider_restore(actor=administrator, provider=scitt)
    client, _ = api_client_create(actor=administrator, name="Nightly sync", owner=owner)
    api_client_token_rotate(actor=owner, client_id=client.pk)
    api_client_revoke(actor=administrator, client_id=client.pk)

    rows = _rows(administrator_client.get(CSV_URL))

    # Record type, record name, action, field, old, new, provider, details.
    assert [[row[1], row[3], row[4], *row[7:]] for row in rows[1:8]] == [
        ["API client", "Nightly sync", "Revoked", "", "", "", "", ""],
        ["API token", rows[2][3], "Rotated", "", "", "", "", ""],
        ["API client", "Nightly sync", "Added", "", "", "", "", ""],
        ["Provider", "Oak SCITT", "Restored", "", "", "", "", ""],
        ["Provider", "Oak SCITT", "Archived", "", "", "", "", ""],
        ["Address", "Leeds, LS1 4AP", "Deleted", "", "", "", "Ash Tree Academy", ""],
        [
            "Partnership",
            "Partnership between Oak SCITT and Ash Tree Academy",
            "Added",
            "",
            "",
            "",
            "Oak SCITT and Ash Tree Academy",
            "",
        ],
    ]
    assert rows[2][3].startswith("Nightly sync (rotp_")


def test_a_change_with_nothing_to_compare_with_says_so(administrator, administrator_client, forget_history):
    mary = UserFactory(first_name="Mary", last_name="Lawson")
    forget_history()
    update_user(administrator, mary, first_name="Maria")
    imported = UserFactory(first_name="Colin", last_name="Chapman")
    imported.first_name = "Col"
    imported._change_reason = "Updated from DfE Sign-in"
    imported.save()

    rows = _rows(administrator_client.get(CSV_URL, {"action": "updated"}))

    assert [row[3:5] + row[7:] for row in rows[1:]] == [
        ["Col Chapman", "Updated", "First name", "Colin", "Col", "", "Updated from DfE Sign-in"],
        ["Maria Lawson", "Updated", "", "", "", "", "Earlier values were not recorded."],
    ]


@pytest.mark.parametrize("value", ['=HYPERLINK("http://evil")', "+1", "-1+2", "@SUM(A1)", "\tTab", "\rReturn"])
def test_cells_that_a_spreadsheet_would_run_are_defused(administrator_client, value):
    user = UserFactory(first_name="Mary", last_name="Lawson")
    # Saved directly: the services strip the spaces that a formula could otherwise hide behind.
    user.first_name = value
    user.save()

    rows = _rows(administrator_client.get(CSV_URL, {"action": "updated"}))

    assert rows[1][7:10] == ["First name", "Mary", f"'{value}"]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20", "'+44 20"),
        ("-5", "'-5"),
        ("@me", "'@me"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Mary", "Mary"),
        ("a=b", "a=b"),
        (None, ""),
        (5, "5"),
    ],
)
def test_csv_safe(value, written):
    assert csv_safe(value) == written


def test_wrong_filters_send_people_back_to_the_page_to_see_why(administrator_client):
    response = administrator_client.get(
        CSV_URL, {"date_from-day": "31", "date_from-month": "2", "date_from-year": "2025", "action": "added"}
    )

    assert response.status_code == 302
    assert response.url == f"{ACTIVITY_URL}?date_from-day=31&date_from-month=2&date_from-year=2025&action=added"


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("＝1+1", "'＝1+1"),
        ("＋44 20", "'＋44 20"),
        ("－5", "'－5"),
        ("＠SUM(A1)", "'＠SUM(A1)"),
        ("﹦1+1", "'﹦1+1"),
        ("﹢1", "'﹢1"),
        # Full-width characters that are not formula triggers, and one that is not first, are left alone.
        ("Ｍary", "Ｍary"),
        ("a＝b", "a＝b"),
    ],
)
def test_csv_safe_defuses_full_width_and_other_compatibility_forms_of_the_triggers(value, written):
    assert csv_safe(value) == written
