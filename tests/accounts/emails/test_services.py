import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from accounts.emails.services import EmailNotFailed, email_queue_sign_in_details, email_retry
from accounts.emails.tasks import email_send
from accounts.models import Email
from tests.factories import SupportViewerFactory, UserFactory


def an_email(*, status, **fields) -> Email:
    user = UserFactory(email="kwame.mensah@education.gov.uk")
    with transaction.atomic():
        email = email_queue_sign_in_details(user=user)
    Email.objects.filter(pk=email.pk).update(status=status, **fields)
    email.refresh_from_db()
    return email


def tasks_for(email: Email):
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.READY,
        task_path=email_send.module_path,
        args_kwargs__kwargs__email_id=str(email.id),
    )


@pytest.mark.django_db
def test_a_failed_email_goes_back_in_the_queue_with_fresh_attempts(administrator):
    email = an_email(status=Email.Status.FAILED, attempts=8, last_error="GOV.UK Notify answered 500")
    tasks_before = tasks_for(email).count()

    retried = email_retry(email=email, actor=administrator)

    email.refresh_from_db()
    assert retried == email
    assert email.status == Email.Status.PENDING
    assert email.attempts == 0
    assert email.next_attempt_at is None
    # Kept until it is sent: the support team still sees why it failed.
    assert email.last_error == "GOV.UK Notify answered 500"
    assert tasks_for(email).count() == tasks_before + 1


@pytest.mark.parametrize("status", [Email.Status.PENDING, Email.Status.SENDING, Email.Status.SENT])
@pytest.mark.django_db
def test_only_a_failed_email_can_be_retried(administrator, status):
    email = an_email(status=status, attempts=1)
    tasks_before = tasks_for(email).count()

    with pytest.raises(EmailNotFailed):
        email_retry(email=email, actor=administrator)

    email.refresh_from_db()
    assert email.status == status
    assert email.attempts == 1
    assert tasks_for(email).count() == tasks_before


@pytest.mark.parametrize("actor_factory", [SupportViewerFactory, UserFactory])
@pytest.mark.django_db
def test_someone_without_the_permission_cannot_retry(actor_factory):
    actor = actor_factory()
    email = an_email(status=Email.Status.FAILED, attempts=8)

    with pytest.raises(PermissionDenied):
        email_retry(email=email, actor=actor)

    email.refresh_from_db()
    assert email.status == Email.Status.FAILED


@pytest.mark.django_db
def test_an_inactive_administrator_cannot_retry(administrator):
    administrator.is_active = False
    administrator.save()
    email = an_email(status=Email.Status.FAILED, attempts=8)

    with pytest.raises(PermissionDenied):
        email_retry(email=email, actor=administrator)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_retried_email_is_sent_once_notify_takes_it(fake_notify, run_worker, administrator):
    fake_notify.respond_next(400)
    user = UserFactory(email="kwame.mensah@education.gov.uk")
    email = email_queue_sign_in_details(user=user)
    run_worker()
    email.refresh_from_db()
    assert email.status == Email.Status.FAILED

    email_retry(email=email, actor=administrator)
    run_worker()

    email.refresh_from_db()
    assert email.status == Email.Status.SENT
    assert email.attempts == 1
    assert email.last_error == ""
    [received] = fake_notify.emails
    assert received.email_address == "kwame.mensah@education.gov.uk"
    assert email.notify_id == received.id
    # An earlier try had been made, so the worker asked Notify before sending again.
    assert len(fake_notify.lookup_requests) == 1
