"""The Emails pages: a read-only outbox the support team can search, filter and retry from."""

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
from tests.accounts.admin.support import first_cells, list_rows, template_names
from tests.factories import SupportEditorFactory, SupportViewerFactory, UserFactory
from tests.support.html import page_title, text

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
    return reverse("admin:accounts_email_retry", args=[email.pk])


def tasks_for(email: Email):
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.READY,
        task_path=email_send.module_path,
        args_kwargs__kwargs__email_id=str(email.id),
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_lists_emails_newest_first_with_their_status_and_last_error(administrator_client):
    older = a_failed_email(to="older@education.gov.uk", created_at=timezone.now() - timedelta(hours=1))
    an_email(to="newer@education.gov.uk", status=Email.Status.SENT, attempts=1, sent_at=timezone.now())

    response = administrator_client.get(CHANGELIST)

    assert response.status_code == 200
    assert page_title(response) == "Emails - Register of training providers"
    assert "pages/list.html" in template_names(response)
    assert "Emails (2)" in text(response)
    newer_row, older_row = list_rows(response)
    assert newer_row.startswith("newer@education.gov.uk Sign-in details Sent 1")
    assert older_row.startswith(
        "older@education.gov.uk Sign-in details Failed 1 GOV.UK Notify answered 400: BadRequestError"
    )
    # The status is a GOV.UK tag: green when sent, red when failed.
    page = response.content.decode()
    assert '<strong class="app-tag app-tag--green">Sent</strong>' in page
    assert '<strong class="app-tag app-tag--red">Failed</strong>' in page
    assert f'<a class="app-link" href="{change_url(older)}">older@education.gov.uk</a>' in page


def test_the_list_has_readable_filters_and_no_bulk_actions(administrator_client):
    an_email()

    response = administrator_client.get(CHANGELIST)

    legends = [group["legend"] for group in response.context["filter_groups"]]
    assert legends == ["Status", "Email"]
    page = response.content.decode()
    assert "By status" not in page
    assert "action-checkbox" not in page
    assert 'name="action"' not in page
    assert '<label class="app-label" for="list-search">Search emails</label>' in page


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("status=failed", "failed@education.gov.uk"),
        ("q=sent%40", "sent@education.gov.uk"),
        ("kind=account_removed", "removed@education.gov.uk"),
    ],
)
def test_filters_by_status_and_kind_and_searches_by_address(administrator_client, query, shown):
    a_failed_email(to="failed@education.gov.uk")
    an_email(to="sent@education.gov.uk", status=Email.Status.SENT)
    an_email(to="removed@education.gov.uk", kind=Email.Kind.ACCOUNT_REMOVED)

    response = administrator_client.get(f"{CHANGELIST}?{query}")

    assert first_cells(response) == [shown]


@pytest.mark.parametrize("query", ["status__exact=failed", "to__startswith=failed", "status=bogus"])
def test_only_offered_filters_are_read(administrator_client, query):
    a_failed_email(to="failed@education.gov.uk")
    an_email(to="sent@education.gov.uk", status=Email.Status.SENT)

    response = administrator_client.get(f"{CHANGELIST}?{query}")

    assert len(first_cells(response)) == 2


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
    assert len(eleven_emails) == len(one_email) == 3


def test_emails_cannot_be_added_changed_or_deleted(administrator_client):
    email = a_failed_email()

    assert administrator_client.get(reverse("admin:accounts_email_add")).status_code == 404
    assert administrator_client.post(change_url(email), {"to": "someone.else@example.com"}).status_code == 405
    assert administrator_client.post(reverse("admin:accounts_email_delete", args=[email.pk])).status_code == 404
    assert administrator_client.get(reverse("admin:accounts_email_history", args=[email.pk])).status_code == 404
    email.refresh_from_db()
    assert email.to == "kwame.mensah@education.gov.uk"


def test_an_email_page_shows_its_details_and_a_retry_button_when_it_failed(administrator_client):
    email = a_failed_email()

    response = administrator_client.get(change_url(email))

    assert response.status_code == 200
    # No address in the title: it is personal data.
    assert page_title(response) == "View email - Register of training providers"
    page = text(response)
    assert "Email Sign-in details Failed" in page  # caption, heading and tag
    assert "To kwame.mensah@education.gov.uk" in page
    assert "Template not found" in page
    assert email.reference in page
    assert f'<a class="app-button" href="{retry_url(email)}">Retry</a>' in response.content.decode()


@pytest.mark.parametrize("status", [Email.Status.PENDING, Email.Status.SENDING, Email.Status.SENT])
def test_an_email_that_has_not_failed_has_no_retry_button(administrator_client, status):
    email = an_email(status=status)

    response = administrator_client.get(change_url(email))

    assert response.status_code == 200
    assert retry_url(email) not in response.content.decode()


def test_an_email_that_does_not_exist_is_not_found(administrator_client):
    assert administrator_client.get(reverse("admin:accounts_email_change", args=["not-an-email"])).status_code == 404
    missing = "6a501bcb-680c-4073-9300-26418ad4a0c7"
    assert administrator_client.get(reverse("admin:accounts_email_change", args=[missing])).status_code == 404
    assert administrator_client.get(reverse("admin:accounts_email_retry", args=[missing])).status_code == 404


def test_retry_asks_to_confirm_then_queues_the_email_again(administrator_client):
    email = a_failed_email(attempts=8)

    confirmation = administrator_client.get(retry_url(email))

    assert confirmation.status_code == 200
    assert page_title(confirmation) == "Confirm you want to send this email again - Register of training providers"
    assert "pages/confirm.html" in template_names(confirmation)
    assert "To kwame.mensah@education.gov.uk" in text(confirmation)
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
    assert administrator_client.get(retry_url(email)).url == change_url(email)
    email.refresh_from_db()
    assert email.status == Email.Status.SENT


def test_someone_who_may_not_see_emails_gets_no_list(client):
    client.force_login(SupportViewerFactory(), backend="accounts.backends.ServiceAccountBackend")

    assert client.get(CHANGELIST).status_code == 403


def test_someone_who_may_not_retry_gets_no_retry(client):
    email = a_failed_email()
    editor = SupportEditorFactory()
    client.force_login(editor, backend="accounts.backends.ServiceAccountBackend")

    assert client.post(retry_url(email)).status_code == 403
    email.refresh_from_db()
    assert email.status == Email.Status.FAILED
