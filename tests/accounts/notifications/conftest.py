"""What the email notification tests share: people who asked for emails, and changes to the register."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.models import ChangeNotifications, Email
from accounts.notifications.services import change_notifications_update
from accounts.permissions import SYSTEM
from registry.models import ProviderChange
from registry.services.changes import provider_changes_record
from tests.accounts.emails.conftest import run_worker  # noqa: F401  (a fixture)
from tests.factories import AddressFactory, ContactFactory, ProviderFactory, SupportEditorFactory, SupportViewerFactory
from tests.support.fake_notify import fake_notify  # noqa: F401  (a fixture)

Frequency = ChangeNotifications.Frequency
Topic = ProviderChange.Topic
ALL_TOPICS = list(Topic.values)


def subscriber(frequency=Frequency.DAILY, topics=ALL_TOPICS, **user_fields) -> ChangeNotifications:
    """A support viewer who has set up email notifications (now, so from the register as it is now)."""
    user = SupportViewerFactory(**user_fields)
    return change_notifications_update(actor=user, frequency=frequency, topics=topics)


def changed(record, *, actor=None, reason="Provider updated") -> list[ProviderChange]:
    """Record that writing `record` changed its provider(s), as the register's services do."""
    with transaction.atomic():
        provider_changes_record([record], actor=actor or SYSTEM, reason=reason)
    return list(ProviderChange.objects.order_by("-position")[: 2 if record._meta.model_name == "partnership" else 1])


@pytest.fixture
def editor(db):
    return SupportEditorFactory(first_name="Anne", last_name="Wilson")


@pytest.fixture
def providers(db):
    return (
        ProviderFactory(operating_name="Springfield SCITT"),
        ProviderFactory(operating_name="Ashford University"),
        ProviderFactory(operating_name="Cobham Primary School"),
    )


def a_day_later() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=1)


def an_address(provider):
    return AddressFactory(provider=provider)


def a_contact(provider):
    return ContactFactory(provider=provider)


def queued(kind=None):
    emails = Email.objects.order_by("created_at")
    return list(emails.filter(kind=kind) if kind else emails)
