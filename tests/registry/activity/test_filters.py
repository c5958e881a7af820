import pytest
from django.utils import timezone

from tests.factories import SupportAdministratorFactory, UserFactory
from tests.registry.activity.support import (
    ACTIVITY_URL,
    add_user,
    delete_user,
    entries,
    latest_change_at,
    london,
    update_user,
)
from tests.support.forms import date_parts, with_date_parts
from tests.support.html import page_title, text
from tests.support.page import Page, attribute
from tests.support.page import text as element_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def changes(administrator, forget_history):
    """Three changes by Anne Wilson on 10, 11 and 12 May 2025, and one by Rita Moss today."""
    rita = SupportAdministratorFactory(first_name="Rita", last_name="Moss")
    forget_history()
    mary = add_user(administrator, "Mary", "Lawson")
    latest_change_at(mary, london(2025, 5, 10, 9, 0))
    update_user(administrator, mary, first_name="Maria")
    latest_change_at(mary, london(2025, 5, 11, 9, 0))
    delete_user(administrator, mary)
    latest_change_at(mary, london(2025, 5, 12, 23, 59))
    add_user(rita, "Colin", "Chapman")
    return rita


def _summaries(response) -> list[str]:
    return [entry.split(" By ")[0] for entry in entries(response)]


ALL = ["User added Colin Chapman", "User deleted Maria Lawson", "User updated Maria Lawson", "User added Mary Lawson"]


def test_record_type(administrator_client, changes):
    assert _summaries(administrator_client.get(ACTIVITY_URL, {"record_type": "accounts.user"})) == ALL


@pytest.mark.parametrize(
    ("action", "shown"),
    [
        ("added", ["User added Colin Chapman", "User added Mary Lawson"]),
        ("updated", ["User updated Maria Lawson"]),
        ("deleted", ["User deleted Maria Lawson"]),
    ],
)
def test_action(administrator_client, changes, action, shown):
    assert _summaries(administrator_client.get(ACTIVITY_URL, {"action": action})) == shown


def test_actor(administrator_client, changes):
    response = administrator_client.get(ACTIVITY_URL, {"actor": str(changes.pk)})

    assert _summaries(response) == ["User added Colin Chapman"]


def test_changes_by_the_system(administrator_client, changes):
    UserFactory(first_name="Loaded", last_name="Fromfile")

    response = administrator_client.get(ACTIVITY_URL, {"actor": "system"})

    assert _summaries(response) == ["User added Loaded Fromfile"]


def test_actor_choices_are_the_people_who_made_changes(administrator_client, changes):
    UserFactory(first_name="Never", last_name="Changedanything")

    response = administrator_client.get(ACTIVITY_URL)

    page = Page(response)
    select = next(select for select in page.all("select") if attribute(select, "name") == "actor")
    assert [element_text(option) for option in page.all("option", within=select)] == [
        "Anyone",
        "The system",
        "Anne Wilson",
        "Rita Moss",
    ]


def _dates(**answers) -> dict:
    """The filters as the browser sends them: each date ("11/5/2025") in its day, month and year boxes."""
    return with_date_parts(answers, "date_from", "date_to")


@pytest.mark.parametrize(
    ("answers", "shown"),
    [
        (_dates(date_from="11/5/2025"), ALL[:3]),
        (_dates(date_to="11/05/2025"), ALL[2:]),
        (_dates(date_from="11/May/2025", date_to=" 12 / 5 / 2025 "), ALL[1:3]),
        (_dates(date_from="12/5/2025", date_to="12/5/2025"), ALL[1:2]),
    ],
)
def test_dates_are_whole_days_in_london(administrator_client, changes, answers, shown):
    assert _summaries(administrator_client.get(ACTIVITY_URL, answers)) == shown


@pytest.mark.parametrize(
    ("answers", "shown"),
    [({"date_from": "11 May 2025", "date_to": "2025-05-12"}, ALL[1:3]), ({"date_from": "11/5/2025"}, ALL[:3])],
)
def test_links_kept_from_when_a_date_was_one_box_still_work(administrator_client, changes, answers, shown):
    assert _summaries(administrator_client.get(ACTIVITY_URL, answers)) == shown


def test_dates_are_asked_with_the_date_input(administrator_client, changes):
    page = Page(administrator_client.get(ACTIVITY_URL, _dates(date_from="1/05/2025")))

    legends = [element_text(legend) for legend in page.all("legend")]
    inputs = {attribute(each, "name"): attribute(each, "value") for each in page.all("input")}
    assert legends == ["Date from", "Date to"]
    assert inputs["date_from-day"] == "1"
    assert inputs["date_from-month"] == "05"
    assert inputs["date_to-year"] is None
    assert "For example, 21 5 2025" in element_text(page.root)


def test_empty_date_boxes_are_no_filter(administrator_client, changes):
    response = administrator_client.get(ACTIVITY_URL, {**_dates(date_from="", date_to=""), "action": ""})

    assert _summaries(response) == ALL
    assert "Clear filters" not in text(response)


def test_filters_combine_and_stay_on_other_pages(administrator_client, changes):
    response = administrator_client.get(ACTIVITY_URL, {"action": "added", "actor": str(changes.pk)})

    assert _summaries(response) == ["User added Colin Chapman"]
    assert "Clear filters" in text(response)
    assert f'href="/admin/activity/download/?action=added&amp;actor={changes.pk}"' in response.content.decode()


def test_no_matches(administrator_client, changes):
    response = administrator_client.get(ACTIVITY_URL, date_parts("date_to", "1/1/2020"))

    assert entries(response) == []
    assert "No changes match your filters." in text(response)


@pytest.mark.parametrize(
    ("answers", "error"),
    [
        (_dates(date_from="31/2/2025"), "Date from must be a real date"),
        (_dates(date_to="yesterday/5/2025"), "Date to must be a real date"),
        ({"date_to": "yesterday"}, "Date to must be a real date"),
        (_dates(date_from="1//2025"), "Date from must include a month"),
        (_dates(date_to="/5/"), "Date to must include a day and year"),
        (_dates(date_from="1/5/25"), "Year must include 4 numbers"),
        (_dates(date_from="1/1/1999"), "Date from must be the same as or after 1 January 2000"),
        (_dates(date_from="1/1/9999"), "Date from must be today or in the past"),
        (_dates(date_from="12/5/2025", date_to="11/5/2025"), "Date to must be the same as or after date from"),
        ({"action": "archived"}, "Select an action from the list"),
        ({"record_type": "accounts.email"}, "Select a record type from the list"),
        ({"actor": "not-a-user"}, "Select who made the change from the list"),
    ],
)
def test_wrong_answers_are_explained_not_failed_on(administrator_client, changes, answers, error):
    response = administrator_client.get(ACTIVITY_URL, answers)

    assert response.status_code == 200
    assert page_title(response) == "Error: Activity - Register of training providers"
    assert "There is a problem" in text(response)
    # Once in the summary at the top, once by the filter.
    assert text(response).count(error) == 2


def test_a_wrong_answer_leaves_the_others_applied(administrator_client, changes):
    response = administrator_client.get(ACTIVITY_URL, {"action": "added", **date_parts("date_from", "31/2/2025")})

    assert _summaries(response) == ["User added Colin Chapman", "User added Mary Lawson"]


def test_today_is_a_valid_date_to(administrator_client, changes):
    today = timezone.localdate()

    response = administrator_client.get(ACTIVITY_URL, _dates(date_from=today, date_to=today))

    assert _summaries(response) == ["User added Colin Chapman"]


def test_changes_by_a_deleted_actor_can_still_be_found(administrator, client, changes):
    delete_user(changes, administrator)
    client.force_login(changes, backend="accounts.backends.ServiceAccountBackend")

    response = client.get(ACTIVITY_URL, {"actor": str(administrator.pk)})

    assert f"Deleted user (user ID {administrator.pk})" in text(response)
    assert "Anne Wilson By" not in text(response)
    assert _summaries(response) == ALL[1:]
