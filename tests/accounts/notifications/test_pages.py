"""Set up email notifications, from Your account: the questions, their errors, check your answers."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.models import ChangeNotifications
from accounts.notifications.messages import FREQUENCY_REQUIRED, TOPICS_REQUIRED
from accounts.notifications.services import change_notifications_update
from tests.accounts.notifications.conftest import Frequency, Topic
from tests.factories import AuditorFactory, SupportViewerFactory, UserFactory
from tests.support.page import Page, attribute, text

pytestmark = pytest.mark.django_db

BACKEND = "accounts.backends.ServiceAccountBackend"
SERVICE = "Register of training providers"
FIRST = "/account/email-notifications/"
TOPICS = "/account/email-notifications/changes/"
CHECK = "/account/email-notifications/check/"


@pytest.fixture
def viewer(client):
    user = SupportViewerFactory(first_name="Mary", last_name="Lawson")
    client.force_login(user, backend=BACKEND)
    return user


def page(response) -> Page:
    assert response.status_code == 200, response
    return Page(response)


def errors(page_: Page) -> list[str]:
    return [text(each) for each in page_.all("p") if attribute(each, "class") == "app-error-message"]


def options(page_: Page, input_type: str) -> list[str]:
    labels = {attribute(label, "for"): text(label) for label in page_.all("label")}
    return [labels[attribute(each, "id")] for each in page_.all("input") if attribute(each, "type") == input_type]


def checked_values(page_: Page) -> list[str]:
    return [attribute(each, "value") for each in page_.all("input") if "checked" in dict(each.attributes)]


def check_rows(page_: Page) -> list[tuple[str, str, str | None]]:
    rows = []
    for row in page_.all("div"):
        if attribute(row, "class") != "app-summary-list__row":
            continue
        key, value, actions = (dd for dd in row.children if not isinstance(dd, str))
        link = next(iter(page_.all("a", within=actions)), None)
        rows.append((text(key), text(value), attribute(link, "href") if link else None))
    return rows


def test_the_questions_in_the_design_historys_words(client, viewer):
    first = page(client.get(FIRST))
    assert first.title == f"How often do you want to get emails? - Set up email notifications - {SERVICE}"
    assert text(first.one("h1")) == "How often do you want to get emails?"
    assert options(first, "radio") == [
        "Once a day",
        "Once a week",
        "Each time a provider is updated (you may get more than one email a day)",
        "I do not want to receive emails",
    ]
    assert [attribute(a, "href") for a in first.all("a") if text(a) in ("Back", "Cancel")] == ["/account/"] * 2

    response = client.post(FIRST, {"frequency": "daily"})
    assert response.url == TOPICS
    topics = page(client.get(TOPICS))
    assert topics.title == f"What changes do you want to be notified about? - Set up email notifications - {SERVICE}"
    # Asked as the page's heading, once.
    assert [text(h1) for h1 in topics.all("h1")] == ["What changes do you want to be notified about?"]
    assert options(topics, "checkbox") == [
        "Provider details",
        "Provider accreditations",
        "Provider addresses",
        "Provider contacts",
        "Provider partnerships",
        "Provider users",
    ]


def test_each_question_says_what_it_needs(client, viewer):
    response = page(client.post(FIRST, {}))
    assert response.title.startswith("Error: How often do you want to get emails?")
    assert errors(response) == [f"Error: {FREQUENCY_REQUIRED}"]
    assert errors(page(client.post(FIRST, {"frequency": "hourly"}))) == [f"Error: {FREQUENCY_REQUIRED}"]

    client.post(FIRST, {"frequency": "weekly"})
    response = page(client.post(TOPICS, {}))
    assert response.title.startswith("Error: What changes do you want to be notified about?")
    assert errors(response) == [f"Error: {TOPICS_REQUIRED}"]


def test_check_your_answers_then_save(client, viewer):
    client.post(FIRST, {"frequency": "daily"})
    assert client.post(TOPICS, {"topics": ["addresses", "details"]}).url == CHECK

    check = page(client.get(CHECK))
    assert check.title == f"Check your answers - Set up email notifications - {SERVICE}"
    assert check_rows(check) == [
        ("How often do you want to get emails?", "Once a day", f"{FIRST}#frequency"),
        ("What changes do you want to be notified about?", "Provider details Provider addresses", f"{TOPICS}#topics"),
    ]
    assert [attribute(a, "href") for a in check.all("a") if text(a) == "Cancel"] == ["/account/"]

    response = client.post(CHECK)

    assert response.url == "/account/"
    assert [str(message) for message in get_messages(response.wsgi_request)] == ["Email notifications set up"]
    notifications = ChangeNotifications.objects.get(user=viewer)
    assert (notifications.frequency, notifications.topics) == ("daily", ["details", "addresses"])


def test_a_change_link_goes_back_to_its_question_with_the_answers_kept(client, viewer):
    client.post(FIRST, {"frequency": "daily"})
    client.post(TOPICS, {"topics": ["contacts"]})

    first = page(client.get(FIRST))
    checked = checked_values(first)
    assert "daily" in checked
    assert client.post(FIRST, {"frequency": "each_time"}).url == CHECK  # the other answer still stands
    rows = check_rows(page(client.get(CHECK)))
    assert rows[0][1] == "Each time a provider is updated (you may get more than one email a day)"
    assert rows[1][1] == "Provider contacts"


def test_no_emails_asks_nothing_more(client, viewer):
    assert client.post(FIRST, {"frequency": "never"}).url == CHECK
    assert [row[:2] for row in check_rows(page(client.get(CHECK)))] == [
        ("How often do you want to get emails?", "I do not want to receive emails")
    ]
    assert client.get(TOPICS).url == CHECK
    response = client.post(CHECK)
    assert [str(message) for message in get_messages(response.wsgi_request)] == ["Email notifications turned off"]


def test_cancel_saves_nothing(client, viewer):
    client.post(FIRST, {"frequency": "daily"})
    client.post(TOPICS, {"topics": ["contacts"]})
    # Cancel is a link back to Your account: nothing is saved until "Save".
    assert not ChangeNotifications.objects.exists()
    # Starting again from Your account starts from nothing.
    first = page(client.get(FIRST + "?new"))
    assert checked_values(first) == []


def test_your_account_offers_to_set_them_up_then_shows_them_with_change_links(client, viewer):
    account = page(client.get("/account/"))
    assert [attribute(a, "href") for a in account.all("a") if text(a) == "Set up email notifications"] == [
        f"{FIRST}?new"
    ]

    change_notifications_update(actor=viewer, frequency=Frequency.WEEKLY, topics=[Topic.DETAILS, Topic.USERS])
    account = page(client.get("/account/"))
    rows = [row for row in check_rows(account) if row[0].startswith(("How often", "What changes"))]
    assert rows == [
        ("How often you get emails", "Once a week", f"{FIRST}?new"),
        ("What changes you are emailed about", "Provider details Provider users", f"{TOPICS}?new"),
    ]

    # Changing what about opens that question, with how often kept, and goes on to check your answers.
    topics = page(client.get(f"{TOPICS}?new"))
    assert topics.title.endswith(f"- Change email notifications - {SERVICE}")
    checked = checked_values(topics)
    assert checked == ["details", "users"]
    assert client.post(TOPICS, {"topics": ["details"]}).url == CHECK
    response = client.post(CHECK)
    assert [str(message) for message in get_messages(response.wsgi_request)] == ["Email notifications updated"]
    assert ChangeNotifications.objects.get(user=viewer).topics == ["details"]


@pytest.mark.parametrize("factory", [AuditorFactory, UserFactory], ids=["auditor", "no role"])
def test_only_those_who_read_the_register_are_offered_them(client, factory):
    user = factory()
    client.force_login(user, backend=BACKEND)
    account = page(client.get("/account/"))
    assert not [h2 for h2 in account.all("h2") if text(h2) == "Email notifications"]
    for path in (FIRST, TOPICS, CHECK):
        assert client.get(path).status_code == 403
    assert client.post(FIRST, {"frequency": "daily"}).status_code == 403


def test_the_urls_are_named():
    assert reverse("change-notifications") == FIRST
    assert re.fullmatch(r"/account/email-notifications/(changes|check)/", reverse("change-notifications-check"))
