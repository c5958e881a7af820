"""A consumer following the changes feed while two processes write at once ends with the register, exactly.

Two writer processes (tests/registry/api/feed_writers.py) make 1,000 random changes of every kind
through the register's services, at the same time, while this process follows `GET /api/v1/changes`
as the documentation's loop does, and, beside it, a second consumer keeps a copy the older way: the
providers list with `changed_since` the time its last run began, then each listed provider's page.
At the end the feed's copy equals every provider's document built fresh from the database, field
for field; what the `changed_since` copy missed is printed, and what it must have missed asserted.

A second test makes the race the time filter loses deterministic: a change whose transaction has
taken its position but not committed when a consumer asks.

PostgreSQL only (concurrent writers): on SQLite, which takes one writer at a time, skipped.
"""

import json
import os
import subprocess
import sys
import threading
import time

import pytest
from django.conf import settings as django_settings
from django.db import connection, connections, transaction
from django.utils import timezone

from accounts.permissions import SYSTEM
from registry.api.documents import provider_documents
from registry.api.schemas import encoder
from registry.models import Provider
from registry.services.addresses import address_create
from registry.services.changes import provider_changes_record
from tests.accounts.api_clients.fixtures import bearer
from tests.factories import AccreditedProviderFactory, ProviderFactory, SupportAdministratorFactory

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers are PostgreSQL's"),
    # Serialised, so that the roles' groups the migrations made are there for each test's people.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FEED = "/api/v1/changes"
PROVIDERS = "/api/v1/providers"
SEED = 2026
CHANGES_PER_WRITER = 500
# Between a consumer's runs: enough for the writers to have the machine's cores most of the time.
POLL_SECONDS = 0.25


@pytest.fixture(autouse=True)
def consumer_settings(settings):
    # The writers are processes of their own, each with its own local-memory cache: this process
    # never hears of their changes through the register's version, so it must not keep pages by it.
    settings.API_PAGE_CACHE_BYTES = 0
    settings.API_RATE_LIMIT_PER_TOKEN = settings.API_RATE_LIMIT_PER_ADDRESS = 10**9


def _register_now() -> dict:
    ids = Provider.objects.kept().values_list("pk", flat=True)
    return {str(pk): json.loads(encoder.encode(document)) for pk, document in provider_documents(ids).items()}


class FeedConsumer:
    """The documentation's sync loop: {id: document}, and the position to ask from."""

    def __init__(self, get):
        self.get, self.copy, self.after, self.requests = get, {}, 0, 0

    def sync(self):
        while True:
            page = self.get(FEED, {"after": self.after, "limit": 1000}).json()
            self.requests += 1
            for change in page["data"]:
                if change["deleted"]:
                    self.copy.pop(change["id"], None)
                else:
                    self.copy[change["id"]] = change["provider"]
            self.after = page["next_after"]
            if not page["more"]:
                return


class ChangedSinceConsumer:
    """The older way: the providers changed since the last run began, then each one's own page."""

    def __init__(self, get):
        self.get, self.copy, self.since, self.requests = get, {}, None, 0

    def sync(self):
        started = timezone.now()
        params = {} if self.since is None else {"changed_since": self.since.isoformat()}
        url, listed = PROVIDERS, []
        while url:
            page = self.get(url, params).json()
            self.requests += 1
            listed += [row["id"] for row in page["data"]]
            url, params = page["links"]["next"], {}
        for provider_id in listed:
            response = self.get(f"{PROVIDERS}/{provider_id}", {})
            self.requests += 1
            if response.status_code == 200:
                self.copy[provider_id] = response.json()["data"]
        self.since = started


def _writer_database_url() -> str:
    database = connection.settings_dict
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    host = f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
    return f"postgres://{database['USER']}{password}@{host}/{database['NAME']}"


def _start_writer(seed: int, actor) -> subprocess.Popen:
    environment = {**os.environ, "DATABASE_URL": _writer_database_url(), "REDIS_URL": ""}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.registry.api.feed_writers",
            "--seed",
            str(seed),
            "--changes",
            str(CHANGES_PER_WRITER),
            "--actor",
            str(actor.pk),
        ],
        cwd=django_settings.BASE_DIR,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _differences(copy: dict, register: dict) -> dict:
    return {
        "deleted but still in the copy": sorted(set(copy) - set(register)),
        "missing from the copy": sorted(set(register) - set(copy)),
        "out of date in the copy": sorted(pid for pid in set(copy) & set(register) if copy[pid] != register[pid]),
    }


def test_two_writers_at_once_and_the_feed_s_copy_equals_the_register_field_for_field(client, token):
    actor = SupportAdministratorFactory()
    providers = [*AccreditedProviderFactory.create_batch(8), *ProviderFactory.create_batch(16)]
    with transaction.atomic():
        provider_changes_record(providers, actor=SYSTEM, reason="Added (seeded from fixtures)")

    def get(url, params):
        return client.get(url, params, headers=bearer(token))

    feed, by_time = FeedConsumer(get), ChangedSinceConsumer(get)
    feed.sync()
    by_time.sync()
    started = time.monotonic()
    writers = [_start_writer(SEED + number, actor) for number in range(2)]
    while any(writer.poll() is None for writer in writers):
        feed.sync()
        by_time.sync()
        time.sleep(POLL_SECONDS)
    outputs = [writer.communicate(timeout=120) for writer in writers]
    feed.sync()
    by_time.sync()
    took = time.monotonic() - started

    for writer, (_, errors) in zip(writers, outputs, strict=True):
        assert writer.returncode == 0, errors[-3000:]
    reports = [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]
    made = sum(sum(report["made"].values()) for report in reports)
    register = _register_now()
    feed_missed, time_missed = _differences(feed.copy, register), _differences(by_time.copy, register)
    print(f"\n{made} changes by 2 writers in {took:.1f} s; each writer made and was refused:")
    for report in reports:
        print(json.dumps(report, indent=1, sort_keys=True))
    print(f"feed: {feed.requests} requests, missed { ({k: len(v) for k, v in feed_missed.items()}) }")
    print(f"changed_since: {by_time.requests} requests, missed { ({k: len(v) for k, v in time_missed.items()}) }")

    assert made == 2 * CHANGES_PER_WRITER
    assert {kind for report in reports for kind in report["made"]} >= {
        "provider changed",
        "provider archived",
        "provider restored",
        "provider deleted",
        "address added",
        "contact added",
        "accreditation added",
        "partnership added",
        "partnership deleted",
    }
    assert feed.copy == register
    # The time filter never lists a deleted provider: each deletion it had a copy of is missed.
    deleted = set(Provider.objects.filter(deleted_at__isnull=False).values_list("pk", flat=True))
    assert deleted
    assert set(time_missed["deleted but still in the copy"]) == {str(pk) for pk in deleted} & set(by_time.copy)


def test_a_change_committed_after_a_consumer_asked_is_missed_by_the_time_filter_but_not_by_the_feed(client, token):
    actor = SupportAdministratorFactory()
    provider = ProviderFactory()
    with transaction.atomic():
        provider_changes_record([provider], actor=SYSTEM, reason="Added (seeded from fixtures)")

    def get(url, params):
        return client.get(url, params, headers=bearer(token))

    feed, by_time = FeedConsumer(get), ChangedSinceConsumer(get)
    feed.sync()
    by_time.sync()
    recorded, asked = threading.Event(), threading.Event()

    def slow_writer():
        try:
            with transaction.atomic():
                address_create(
                    actor=actor,
                    provider=provider,
                    address_line_1="1 Late Lane",
                    town_or_city="Leeds",
                    postcode="LS1 1AA",
                )
                recorded.set()
                asked.wait(10)  # committed only once both consumers have asked
        finally:
            connections.close_all()

    writer = threading.Thread(target=slow_writer)
    writer.start()
    recorded.wait(10)
    time.sleep(0.01)
    feed.sync()
    by_time.sync()  # its run starts after the change was made, before it was committed
    asked.set()
    writer.join(10)
    feed.sync()
    by_time.sync()

    register = _register_now()
    assert feed.copy == register
    assert feed.copy[str(provider.pk)]["addresses"][0]["address_line_1"] == "1 Late Lane"
    assert by_time.copy[str(provider.pk)]["addresses"] == []
    assert _differences(by_time.copy, register)["out of date in the copy"] == [str(provider.pk)]
