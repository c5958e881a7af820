import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from registry.activity.selectors import PAGE_SIZE
from tests.factories import SupportAdministratorFactory, UserFactory
from tests.registry.activity.support import (
    ACTIVITY_URL,
    add_user,
    day_headings,
    delete_user,
    entries,
    latest_change_at,
    links,
    london,
    next_url,
    previous_url,
    update_user,
)
from tests.support.html import text

pytestmark = pytest.mark.django_db


def test_shows_each_change_newest_first_with_who_and_what(administrator, administrator_client, forget_history):
    forget_history()
    mary = add_user(administrator, "Mary", "Lawson")
    update_user(administrator, mary, first_name="Maria", is_active=False)
    delete_user(administrator, mary)

    response = administrator_client.get(ACTIVITY_URL)

    assert response.status_code == 200
    assert [entry.split(" By ")[0] for entry in entries(response)] == [
        "User deleted Maria Lawson",
        "User updated Maria Lawson",
        "User added Mary Lawson",
    ]
    assert all(" By Anne Wilson at " in entry for entry in entries(response))
    assert entries(response)[1].endswith(
        "Field Old value New value First name Mary Maria Is the account active? Yes No"
    )


def test_change_without_a_reason_or_an_actor_is_named_after_its_action(administrator_client, forget_history):
    forget_history()
    UserFactory(first_name="Colin", last_name="Chapman")

    response = administrator_client.get(ACTIVITY_URL)

    assert entries(response) == [entries(response)[0]]
    assert entries(response)[0].startswith("User added Colin Chapman By the system at ")


def test_values_are_written_as_people_read_them(administrator, administrator_client):
    viewer = UserFactory()
    update_user(administrator, viewer, role="Support viewer")
    update_user(administrator, viewer, is_api_user=True)

    response = administrator_client.get(ACTIVITY_URL)

    made_api_user, given_role = entries(response)[:2]
    assert "Role Not entered Support viewer" in given_role
    assert "Is the account an API user? No Yes" in made_api_user
    assert "Role Support viewer Not entered" in made_api_user
    # is_staff follows is_api_user; listing it would only say the same thing twice.
    assert "web interface" not in made_api_user


def test_soft_delete_reads_as_a_deletion_and_nothing_else(administrator, administrator_client):
    viewer = UserFactory(first_name="Dev", last_name="Patel", role="Support viewer")
    delete_user(administrator, viewer)

    response = administrator_client.get(ACTIVITY_URL)

    deleted = entries(response)[0]
    assert deleted.startswith("User deleted Dev Patel By Anne Wilson at ")
    # Deleting also makes the account inactive and takes its role away: listed as changes, that
    # would read as though someone had deactivated the account.
    for misleading in ("Is the account active?", "Role", "Deleted at", "Field Old value New value"):
        assert misleading not in deleted


def test_record_links_to_its_page_while_it_exists_then_to_its_history(
    administrator, administrator_client, forget_history
):
    forget_history()
    kept = add_user(administrator, "Kept", "User")
    gone = add_user(administrator, "Gone", "User")
    delete_user(administrator, gone)

    response = administrator_client.get(ACTIVITY_URL)

    gone_history = reverse("admin:accounts_user_history", args=[gone.pk])
    assert links(response) == [gone_history, gone_history, reverse("admin:accounts_user_change", args=[kept.pk])]
    assert "Gone User" in text(response)


def test_auditor_follows_a_record_to_its_history_as_they_may_not_open_it(administrator, auditor_client, forget_history):
    forget_history()
    mary = add_user(administrator, "Mary", "Lawson")

    response = auditor_client.get(ACTIVITY_URL)

    assert entries(response)[0].startswith("User added Mary Lawson By Anne Wilson")
    history_url = reverse("admin:accounts_user_history", args=[mary.pk])
    assert links(response) == [history_url]
    assert auditor_client.get(history_url).status_code == 200


def test_a_change_the_service_gave_a_reason_for_says_why(administrator, administrator_client, forget_history):
    forget_history()
    mary = add_user(administrator, "Mary", "Lawson")
    mary.first_name = "Maria"
    mary._change_reason = "Updated from DfE Sign-in"
    mary.save()

    response = administrator_client.get(ACTIVITY_URL)

    assert entries(response)[0].startswith("User updated Maria Lawson By ")
    assert "Updated from DfE Sign-in" in entries(response)[0]


def test_deleted_actor_is_shown_as_deleted_user_with_their_id(administrator, auditor_client, forget_history):
    other_administrator = SupportAdministratorFactory(first_name="Rita", last_name="Moss")
    forget_history()
    add_user(administrator, "Mary", "Lawson")
    delete_user(other_administrator, administrator)

    response = auditor_client.get(ACTIVITY_URL)

    deleted, added = entries(response)
    assert deleted.startswith("User deleted Anne Wilson By Rita Moss")
    assert added.startswith(f"User added Mary Lawson By Deleted user (user ID {administrator.pk}) at ")


def test_changes_are_grouped_by_day_in_london(administrator, administrator_client, forget_history):
    forget_history()
    today = add_user(administrator, "Today", "Change")
    yesterday = add_user(administrator, "Yesterday", "Change")
    latest_change_at(yesterday, timezone.now() - datetime.timedelta(days=1))
    older = add_user(administrator, "Older", "Change")
    # 11:30pm on 20 May in UTC is already 21 May in London (BST).
    latest_change_at(older, datetime.datetime(2025, 5, 20, 23, 30, tzinfo=datetime.UTC))
    assert today

    response = administrator_client.get(ACTIVITY_URL)

    assert day_headings(response) == ["Today", "Yesterday", "21 May 2025"]
    assert entries(response)[-1].startswith("User added Older Change By Anne Wilson at 12:30am")


@pytest.mark.parametrize(
    ("when", "shown"),
    [((2025, 5, 21, 14, 13), "at 2:13pm"), ((2025, 5, 21, 12, 0), "at midday"), ((2025, 5, 21, 9, 5), "at 9:05am")],
)
def test_time_of_each_change_is_written_the_govuk_way(administrator, administrator_client, forget_history, when, shown):
    forget_history()
    latest_change_at(add_user(administrator), london(*when))

    response = administrator_client.get(ACTIVITY_URL)

    assert entries(response)[0].endswith(f"By Anne Wilson {shown}")
    assert f'datetime="{london(*when).isoformat()}"' in response.content.decode()


def test_pages_hold_25_changes_with_next_to_older_and_previous_to_newer(
    administrator, administrator_client, forget_history
):
    forget_history()
    for number in range(PAGE_SIZE + 5):
        add_user(administrator, "Person", f"Number{number}")

    first = administrator_client.get(ACTIVITY_URL)
    second = administrator_client.get(next_url(first))
    back = administrator_client.get(previous_url(second))

    assert len(entries(first)) == 25
    assert entries(first)[0].startswith("User added Person Number29 ")
    assert previous_url(first) is None
    assert next_url(first).startswith(f"{ACTIVITY_URL}?older=")
    assert "Next page: older changes" in text(first)
    assert len(entries(second)) == 5
    assert entries(second)[-1].startswith("User added Person Number0 ")
    assert next_url(second) is None
    assert previous_url(second).startswith(f"{ACTIVITY_URL}?newer=")
    assert entries(back) == entries(first)
    assert previous_url(back) is None


def test_pages_keep_the_filters(administrator, administrator_client, forget_history):
    forget_history()
    for number in range(PAGE_SIZE + 5):
        add_user(administrator, "Person", f"Number{number}")

    first = administrator_client.get(ACTIVITY_URL, {"action": "added", "record_type": "accounts.user"})
    second = administrator_client.get(next_url(first))

    assert "action=added" in next_url(first)
    assert "record_type=accounts.user" in next_url(first)
    assert len(entries(second)) == 5
    assert "action=added" in previous_url(second)


def test_a_page_added_to_since_still_goes_on_from_where_it_was(administrator, administrator_client, forget_history):
    """Changes made while someone reads the pages do not push what they were reading onto the next page."""
    forget_history()
    for number in range(PAGE_SIZE + 5):
        add_user(administrator, "Person", f"Number{number}")
    first = administrator_client.get(ACTIVITY_URL)
    add_user(administrator, "Person", "Newest")

    second = administrator_client.get(next_url(first))

    assert entries(second)[0].startswith("User added Person Number4 ")
    assert len(entries(second)) == 5


@pytest.mark.parametrize("place", ["nonsense", "1.2", "-5.0.1", "99999999999999999999.0.1"])
def test_a_place_that_is_not_one_shows_the_first_page(administrator, administrator_client, forget_history, place):
    forget_history()
    for number in range(PAGE_SIZE + 5):
        add_user(administrator, "Person", f"Number{number}")

    response = administrator_client.get(ACTIVITY_URL, {"older": place})

    assert response.status_code == 200
    assert entries(response)[0].startswith("User added Person Number29 ")
    assert previous_url(response) is None


def test_a_place_past_the_oldest_change_shows_the_first_page(administrator, administrator_client, forget_history):
    forget_history()
    add_user(administrator, "Person", "Only")

    response = administrator_client.get(ACTIVITY_URL, {"older": "0.0.0"})

    assert [entry.split(" By ")[0] for entry in entries(response)] == ["User added Person Only"]
    assert next_url(response) is None


def test_no_changes_yet(administrator_client, forget_history):
    forget_history()

    response = administrator_client.get(ACTIVITY_URL)

    assert "No changes have been made yet." in text(response)
    assert "Download CSV" not in text(response)
