import csv
import io

import pytest
from django.http import StreamingHttpResponse

from registry.activity import selectors
from registry.activity.export import HEADER, csv_safe
from tests.factories import SupportAdministratorFactory, UserFactory
from tests.registry.activity.support import (
    ACTIVITY_URL,
    CSV_URL,
    add_user,
    delete_user,
    latest_change_at,
    london,
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
    assert _rows(response) == [
        list(HEADER),
        ["2025-12-11T09:00:00+00:00", "User", user, "Maria Lawson", "Deleted", anne, "Anne Wilson", "", "", ""],
        [*renamed, "First name", "Mary", "Maria"],
        [*renamed, "Is the account active?", "Yes", "No"],
        ["2025-05-21T14:13:05+01:00", "User", user, "Mary Lawson", "Added", anne, "Anne Wilson", "", "", ""],
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
    page_one = administrator_client.get(ACTIVITY_URL).context["page"].object_list
    page_two = administrator_client.get(ACTIVITY_URL, {"page": 2}).context["page"].object_list

    assert len(rows) == 31
    assert [row[2] for row in rows[1:]] == [str(entry.record_id) for entry in [*page_one, *page_two]]


@pytest.mark.parametrize("value", ['=HYPERLINK("http://evil")', "+1", "-1+2", "@SUM(A1)", "\tTab", "\rReturn"])
def test_cells_that_a_spreadsheet_would_run_are_defused(administrator_client, value):
    user = UserFactory(first_name="Mary", last_name="Lawson")
    # Saved directly: the services strip the spaces that a formula could otherwise hide behind.
    user.first_name = value
    user.save()

    rows = _rows(administrator_client.get(CSV_URL, {"action": "updated"}))

    assert rows[1][7:] == ["First name", "Mary", f"'{value}"]


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
