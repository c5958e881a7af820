"""Schemathesis against the API's own OpenAPI document: no server errors, no response that breaks
the document, with a valid token and without one."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections, transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from accounts.permissions import SYSTEM
from registry.services.changes import provider_changes_record
from registry.wsgi import application
from tests.accounts.api_clients.fixtures import bearer, issue
from tests.registry.api.conftest import ApiAccreditationFactory, ApiPartnershipFactory, ApiProviderFactory

EXAMPLES = 25


# Loaded through the WSGI application when the tests are collected (the document needs no database).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
hypothesis_settings = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(autouse=True)
def register(db, settings, api_user):
    """A provider with records, and a second client of the API user's, for the operations that take
    an id to find: drawn at random, an id would only ever find nothing."""
    # The requests go through the WSGI application, not Django's test client, so keep Django from
    # closing the test's database connection at the end of each (the test client does the same).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    settings.API_RATE_LIMIT_PER_TOKEN = settings.API_RATE_LIMIT_PER_ADDRESS = 100_000
    provider = ApiProviderFactory()
    ApiAccreditationFactory(provider=provider)
    partnership = ApiPartnershipFactory(training_partner=provider)
    # On the changes feed too, as the seed puts them, so that its pages hold documents and tombstones.
    gone = ApiProviderFactory(deleted_at=timezone.now())
    with transaction.atomic():
        provider_changes_record([provider, partnership.accredited_provider, gone], actor=SYSTEM, reason="Seeded")
    target, _ = issue(api_user, "Target")
    yield {"provider_id": str(provider.pk), "client_id": str(target.pk)}
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


# Their expiry must be within the next 12 months, which a schema cannot say: a well-formed time
# outside that window is refused with 400, and that is the only well-formed request they refuse.
TIME_DEPENDENT = {"createApiClient", "rotateApiClientToken"}


def _aim_at_real_records(case, register):
    """Point a well-formed request at the records that exist (a malformed one keeps its own ids)."""
    if case.meta is not None and case.meta.generation.mode.is_positive and case.path_parameters:
        for name in case.path_parameters:
            case.path_parameters[name] = register[name]


@schema.parametrize()
@hypothesis_settings
def test_the_api_keeps_to_its_document_with_a_token(case, token, register):
    _aim_at_real_records(case, register)
    if case.operation.definition.raw["operationId"] not in TIME_DEPENDENT:
        case.call_and_validate(headers=bearer(token))
        return
    response = case.call_and_validate(headers=bearer(token), excluded_checks=[positive_data_acceptance])
    if response.status_code == 400 and case.meta.generation.mode.is_positive:
        assert {error["field"] for error in response.json()["errors"]} == {"expires_at"}


@schema.parametrize()
@hypothesis_settings
def test_the_api_keeps_to_its_document_without_a_token(case, register):
    _aim_at_real_records(case, register)
    response = case.call_and_validate()
    if case.operation.definition.raw.get("security") != []:
        assert response.status_code in {401, 404, 405}
