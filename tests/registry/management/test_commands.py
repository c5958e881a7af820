import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from registry.models.provider import AccreditationStatus, ProviderType
from tests.factories import AccreditationFactory, AccreditedProviderFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_daily_job_takes_away_an_accreditation_that_has_ended():
    provider = AccreditedProviderFactory(accreditation=False)
    AccreditationFactory(
        provider=provider,
        starts_on=timezone.localdate() - datetime.timedelta(days=400),
        ends_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    output = StringIO()

    call_command("register_sync_accreditations", stdout=output)

    provider.refresh_from_db()
    assert provider.accreditation_status == AccreditationStatus.UNACCREDITED
    assert provider.provider_type == ProviderType.SCHOOL  # an unaccredited SCITT is a school
    assert "1 provider(s) changed" in output.getvalue()
    assert provider.history.first().history_user is None  # the register made the change, not a person


def test_seed_leaves_a_database_with_accounts_alone():
    UserFactory(first_name="Local", last_name="Change")
    output = StringIO()

    call_command("seed", stdout=output)

    assert User.objects.count() == 1
    assert "not loaded again" in output.getvalue()
