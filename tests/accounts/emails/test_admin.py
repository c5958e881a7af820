"""The Emails pages of the admin: a read-only outbox the support team can search and retry from."""

import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection, transaction
from django.tasks import TaskResultStatus
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.emails.services import email_queue_sign_in_details
from accounts.emails.tasks import email_send
from accounts.models import Email
from tests.factories import SupportViewerFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:accounts_email_changelist")


def an_email(*, to="kwame.mensah@education.gov.uk", status=Email.Status.PENDING, **fields) -> Email:
    user = UserFactory(email=to)
    with transaction.atomic():
        email = email_queue_sign_in_details(user=user)
    Email.objects.filter(pk=email.pk).update(status=status, **fields)
    email.refresh_from_db()
    return email


def a_failed_email(**fields) -> Email:
    fields = {"attempts": 1, "last_error": "GOV.UK Notify answered 400: BadRequestError: Template not found"} | fields
    return an_email(status=Email.Status.FAILED, **fields)


def change_url(email: Email) -> str:
    return reverse("admin:accounts_email_change", args=[email.pk])


def retry_url(email: Email) -> str:
    return reverse("admin:accounts_email_retry_one", args=[email.pk])


def tasks_for(email: Email):
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.READY,
        task_path=email_send.module_path,
        args_kwargs__kwargs__email_id=str(email.id),
    )


def result_rows(response) -> list[str]:
    """The rows of the list's table, in order, as HTML."""
    page = response.content.decode()
    table = page[page.index('id="result_list"') :]
    # Unfold gives each row a tbody of its own.
    body = table[table.index("<tbody") : table.index("</table>")]
    return [re.sub(r"\s+", " ", row) for row in re.findall(r"<tr\b[^>]*>(.*?)</tr>", body, flags=re.DOTALL)]


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_lists_emails_newest_first_with_their_status_and_last_error(administrator_client):
    older = a_failed_email(to="older@education.gov.uk", created_at=timezone.now() - timedelta(hours=1))
    an_email(to="newer@education.gov.uk", status=Email.Status.SENT, attempts=1, sent_at=timezone.now())

    response = administrator_client.get(CHANGELIST)

    assert response.status_code == 200
    newer_row, older_row = result_rows(response)
    assert text_of(newer_row).startswith("newer@education.gov.uk Sign-in details Sent 1")
    assert text_of(older_row).startswith(
        "older@education.gov.uk Sign-in details Failed 1 GOV.UK Notify answered 400: BadRequestError"
    )
    # The status is a coloured tag: green when sent, red when failed.
    assert "text-green-700" in newer_row
    assert "text-red-700" in older_row
    assert "text-red-700" not in newer_row
    assert change_url(older) in older_row


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("status__exact=failed", "failed@education.gov.uk"),
        ("q=sent%40", "sent@education.gov.uk"),
        ("kind__exact=account_removed", "removed@education.gov.uk"),
    ],
)
def test_filters_by_status_and_kind_and_searches_by_address(administrator_client, query, shown):
    a_failed_email(to="failed@education.gov.uk")
    an_email(to="sent@education.gov.uk", status=Email.Status.SENT)
    an_email(to="removed@education.gov.uk", kind=Email.Kind.ACCOUNT_REMOVED)

    response = administrator_client.get(f"{CHANGELIST}?{query}")

    assert [text_of(row).split()[0] for row in result_rows(response)] == [shown]


def test_the_list_takes_the_same_number_of_queries_however_many_emails(administrator_client):
    an_email(to="first@education.gov.uk")
    administrator_client.get(CHANGELIST)  # the session is cached after its first request
    with CaptureQueriesContext(connection) as one_email:
        administrator_client.get(CHANGELIST)
    for number in range(10):
        a_failed_email(to=f"more.{number}@education.gov.uk")

    with CaptureQueriesContext(connection) as eleven_emails:
        response = administrator_client.get(CHANGELIST)

    assert "more.9@education.gov.uk" in response.content.decode()
    assert len(eleven_emails) == len(one_email)


def test_emails_cannot_be_added_changed_or_deleted(administrator_client):
    email = a_failed_email()

    assert administrator_client.get(reverse("admin:accounts_email_add")).status_code == 403
    assert administrator_client.post(change_url(email), {"to": "someone.else@example.com"}).status_code == 403
    assert administrator_client.post(reverse("admin:accounts_email_delete", args=[email.pk])).status_code == 403
    email.refresh_from_db()
    assert email.to == "kwame.mensah@education.gov.uk"


def test_an_email_page_shows_its_details_and_a_retry_button_when_it_failed(administrator_client):
    email = a_failed_email()

    response = administrator_client.get(change_url(email))

    assert response.status_code == 200
    page = response.content.decode()
    assert "kwame.mensah@education.gov.uk" in page
    assert "Template not found" in page
    assert email.reference in page
    assert re.search(r"bg-red-100 text-red-700[^>]*>\s*Failed\s*</span>", page)  # A red tag.
    assert retry_url(email) in page


@pytest.mark.parametrize("status", [Email.Status.PENDING, Email.Status.SENDING, Email.Status.SENT])
def test_an_email_that_has_not_failed_has_no_retry_button(administrator_client, status):
    email = an_email(status=status)

    response = administrator_client.get(change_url(email))

    assert response.status_code == 200
    assert retry_url(email) not in response.content.decode()


def test_an_email_that_does_not_exist_is_not_found(administrator_client):
    response = administrator_client.get(reverse("admin:accounts_email_change", args=["not-an-email"]))

    assert response.status_code == 302
    assert messages_of(response) == ["email with ID “not-an-email” doesn’t exist. Perhaps it was deleted?"]
    assert administrator_client.get(reverse("admin:accounts_email_retry_one", args=["not-an-email"])).status_code == 404


def test_retry_asks_to_confirm_then_queues_the_email_again(administrator_client):
    email = a_failed_email(attempts=8)

    confirmation = administrator_client.get(retry_url(email))

    assert confirmation.status_code == 200
    assert "kwame.mensah@education.gov.uk" in confirmation.content.decode()
    email.refresh_from_db()
    assert email.status == Email.Status.FAILED  # Looking at the question changes nothing.

    response = administrator_client.post(retry_url(email))

    assert response.status_code == 302
    assert response.url == change_url(email)
    assert messages_of(response) == ["The email to kwame.mensah@education.gov.uk will be sent again."]
    email.refresh_from_db()
    assert email.status == Email.Status.PENDING
    assert email.attempts == 0
    assert tasks_for(email).exists()


def test_retrying_an_email_that_is_no_longer_failed_changes_nothing(administrator_client):
    email = an_email(status=Email.Status.SENT)

    response = administrator_client.post(retry_url(email))

    assert response.status_code == 302
    assert messages_of(response) == ["Only a failed email can be retried."]
    email.refresh_from_db()
    assert email.status == Email.Status.SENT


def test_retry_from_the_list_queues_the_selected_failed_emails(administrator_client):
    failed = a_failed_email(to="failed@education.gov.uk")
    sent = an_email(to="sent@education.gov.uk", status=Email.Status.SENT)

    response = administrator_client.post(
        CHANGELIST, {"action": "retry_selected", "_selected_action": [failed.pk, sent.pk]}
    )

    assert response.status_code == 302
    assert messages_of(response) == [
        "1 email will be sent again.",
        "1 not retried: only failed emails can be retried.",
    ]
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert failed.status == Email.Status.PENDING
    assert tasks_for(failed).exists()
    assert sent.status == Email.Status.SENT


def test_someone_who_may_not_see_emails_gets_no_list(client):
    client.force_login(SupportViewerFactory(), backend="accounts.backends.ServiceAccountBackend")

    assert client.get(CHANGELIST).status_code == 403
