"""The changes feed: mirroring the register from nothing, an incremental sync, and deep pages.

    .venv/bin/python -m bench.feed [--repeat 30]

The real register, seeded as `make run` seeds it (`manage.py seed`: 2,235 providers, each recorded
and published), in a fresh PostgreSQL database, with Redis as the cache. Three measurements:

1. Mirroring the whole register from nothing, over HTTP (the service's gunicorn, 2 sync workers):
   following `GET /api/v1/changes` from `after=0` with `limit=1000`, against the way the issue
   describes, the providers list (every page, archived providers included) then every provider's
   own page. Requests, seconds and bytes for each.
2. An incremental sync after one change: an address added through the service, then one request
   for the changes after the consumer's position, in process, with the token cached and the page
   cache empty (the page is built). Target: one request, at most two queries.
3. The feed with 10,000 and with 1,000,000 recorded changes (ProviderChange rows made in bulk by
   SQL, each provider's document moved to its last position; the larger a copy of the smaller
   database): the first page and a deep page (the last full page), each built (the page cache
   emptied before every request), median of `--repeat` rounds, both sizes in each round.
   Targets: 1,000,000 within 1.3× of 10,000; at most 6 queries a page.
"""

import argparse
import json
import sys
import time
import urllib.parse

from bench import harness
from bench.harness import step, table, verdict

FEED = "/api/v1/changes"
PROVIDERS = "/api/v1/providers"
TARGET_SCALING = 1.3
TARGET_QUERIES_PAGE = 6
TARGET_SYNC_QUERIES = 2
SIZES = (10_000, 1_000_000)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=30, help="requests per page and size, in turns (default 30)")
    args = parser.parse_args(argv)
    harness.stop_on_sigterm()
    started = time.monotonic()
    with harness.BenchEnvironment() as bench:
        data = _load()
        with harness.Gunicorn(bench) as server:
            mirror = {"feed": _mirror_by_feed(server, data), "list and pages": _mirror_by_pages(server, data)}
        sync = _incremental_sync(bench, data)
        pages = _deep_pages(bench, data, args.repeat)
        _report(data, mirror, sync, pages, time.monotonic() - started)
    return 0


def _load() -> dict:
    from django.core.management import call_command
    from django.db import connection

    from accounts.api_clients import services
    from accounts.models import User
    from registry.models import Provider

    step("seeding the real register (manage.py seed: 2,235 providers, recorded and published)")
    seeded = time.monotonic()
    call_command("seed", verbosity=0)
    seed_seconds = time.monotonic() - seeded
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    user = User.objects.create_user(
        email="bench.feed.client@example.com", first_name="Bench", last_name="Feed", is_api_user=True
    )
    _, issued = services.api_client_create(actor=user, name="Feed benchmark")
    return {
        "providers": Provider.objects.count(),
        "seed_seconds": seed_seconds,
        "headers": {"Authorization": f"Bearer {issued.secret}"},
    }


# ---------------------------------------------------------------------------------------------------
# 1. Mirroring from nothing, over HTTP
# ---------------------------------------------------------------------------------------------------


def _get_json(url: str, headers: dict) -> tuple[dict, int]:
    status, _, body = harness.http_get(url, headers)
    if status != 200:
        raise SystemExit(f"{url} answered {status}: {body[:300]!r}")
    return json.loads(body), len(body)


def _mirror_by_feed(server, data) -> dict:
    step("mirroring by the changes feed (after=0, limit=1000)")
    copy, after, requests, size = {}, 0, 0, 0
    started = time.monotonic()
    while True:
        page, length = _get_json(f"{server.base_url}{FEED}?after={after}&limit=1000", data["headers"])
        requests, size = requests + 1, size + length
        for change in page["data"]:
            copy[change["id"]] = change["provider"]
        after = page["next_after"]
        if not page["more"]:
            break
    return {"requests": requests, "seconds": time.monotonic() - started, "bytes": size, "providers": len(copy)}


def _mirror_by_pages(server, data) -> dict:
    step("mirroring the old way: the providers list, then each provider's page")
    listed, requests, size = [], 0, 0
    started = time.monotonic()
    url = f"{server.base_url}{PROVIDERS}?page_size=100&include_archived=true"
    while url:
        page, length = _get_json(url, data["headers"])
        requests, size = requests + 1, size + length
        listed += [row["id"] for row in page["data"]]
        url = page["links"]["next"]
        if url:
            url = server.base_url + urllib.parse.urlsplit(url)._replace(scheme="", netloc="").geturl()
    for provider_id in listed:
        _, length = _get_json(f"{server.base_url}{PROVIDERS}/{provider_id}", data["headers"])
        requests, size = requests + 1, size + length
    return {"requests": requests, "seconds": time.monotonic() - started, "bytes": size, "providers": len(listed)}


# ---------------------------------------------------------------------------------------------------
# 2. and 3. In process
# ---------------------------------------------------------------------------------------------------


def _application():
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()


def _call(application, data, query: str, *, host: str) -> tuple[str, dict, bytes, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from registry.api.page_cache import pages

    pages.clear()
    environ = harness.wsgi_environ(FEED, query=query, headers=data["headers"], host=host)
    with CaptureQueriesContext(connection) as queries:
        status, headers, body = harness.wsgi_call(application, environ)
    return status, headers, body, len(queries)


def _incremental_sync(bench, data) -> dict:
    from accounts.permissions import SYSTEM
    from registry.models import Provider
    from registry.services.addresses import address_create

    application = _application()
    host = f"127.0.0.1:{bench.port}"
    step("incremental sync after one change")
    after, more = 0, True
    while more:
        _, _, body, _ = _call(application, data, f"after={after}&limit=1000", host=host)
        after, more = json.loads(body)["next_after"], json.loads(body)["more"]
    provider = Provider.objects.kept().filter(archived_at__isnull=True).order_by("code").first()
    address_create(
        actor=SYSTEM, provider=provider, address_line_1="1 Bench Road", town_or_city="Leeds", postcode="LS1 1AA"
    )
    started = time.perf_counter()
    status, _, body, queries = _call(application, data, f"after={after}&limit=1000", host=host)
    seconds = time.perf_counter() - started
    page = json.loads(body)
    return {
        "status": status,
        "changes": len(page["data"]),
        "found": [change["id"] for change in page["data"]] == [str(provider.pk)],
        "queries": queries,
        "ms": seconds * 1000,
        "bytes": len(body),
    }


def _changes_make(total: int) -> None:
    """Make the record hold `total` changes: ProviderChange rows up to `total`, spread over the
    providers, and each provider's published document at the last position among them."""
    from django.db import connection, transaction

    step(f"recording changes up to {total:,}")
    with transaction.atomic(), connection.cursor() as cursor:
        # Making a million rows takes longer than the service lets one of its own queries run.
        cursor.execute("SET LOCAL statement_timeout = 0")
        cursor.execute("SELECT COALESCE(MAX(position), 0) FROM registry_providerchange")
        (last,) = cursor.fetchone()
        cursor.execute(
            """
            WITH providers AS (
                SELECT id, ROW_NUMBER() OVER (ORDER BY md5(id::text)) - 1 AS n, COUNT(*) OVER () AS count
                FROM registry_provider
            )
            INSERT INTO registry_providerchange (position, provider_id, topic, reason, record_id, recorded_at)
            SELECT g, providers.id, 'addresses', 'Address updated', providers.id, now()
            FROM generate_series(%s, %s) AS g JOIN providers ON providers.n = g %% providers.count
            """,
            [last + 1, total],
        )
        # Each provider's document moves to its last change: the feed is read where the changes end.
        cursor.execute(
            """
            UPDATE registry_publishedprovider AS published SET position = -latest.position
            FROM (SELECT provider_id, MAX(position) AS position FROM registry_providerchange GROUP BY provider_id)
                AS latest
            WHERE latest.provider_id = published.provider_id
            """
        )
        cursor.execute("UPDATE registry_publishedprovider SET position = -position WHERE position < 0")
        cursor.execute("UPDATE registry_registerposition SET last = %s WHERE id = 1", [total])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE registry_providerchange")
        cursor.execute("VACUUM ANALYZE registry_publishedprovider")


def _database_copy(source: str, name: str) -> None:
    """Create database `name` as a copy of `source`, which nobody may be connected to."""
    import psycopg

    with psycopg.connect(f"{harness.POSTGRES_URL}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')


def _use_database(name: str) -> None:
    """Point this process's default connection at another database (the next query connects)."""
    from django.db import connections

    connections["default"].close()
    connections["default"].settings_dict["NAME"] = name


def _deep_pages(bench, data, repeat: int) -> dict:
    """The two sizes are two databases, the larger a copy of the smaller with more changes made, so
    that their requests can be taken in turns: a slow moment of the machine slows both."""
    from django.db import connections

    from registry.models import PublishedProvider

    application = _application()
    host = f"127.0.0.1:{bench.port}"
    small, large = SIZES
    databases = {small: bench.name, large: f"{bench.name}_large"}
    _changes_make(small)
    connections.close_all()
    _database_copy(bench.name, databases[large])
    try:
        _use_database(databases[large])
        _changes_make(large)
        queries = {}
        for total, database in databases.items():
            _use_database(database)
            positions = list(PublishedProvider.objects.order_by("position").values_list("position", flat=True))
            queries[total] = {"first page": "after=0&limit=100", "deep page": f"after={positions[-101]}&limit=100"}
        timings = {(total, name): [] for total in databases for name in queries[total]}
        counts = {}
        step(f"timing the first and a deep page at {small:,} and {large:,} changes, {repeat} rounds in turns")
        for round_number in range(repeat):
            for total, database in databases.items():
                _use_database(database)
                for name, query in queries[total].items():
                    for _ in range(2 if round_number else 3):
                        status, _, body, counts[(total, name)] = _call(application, data, query, host=host)
                    if not status.startswith("200") or len(json.loads(body)["data"]) != 100:
                        raise SystemExit(f"{query} answered {status}: {body[:300]!r}")
                    started = time.perf_counter()
                    _call(application, data, query, host=host)
                    timings[(total, name)].append((time.perf_counter() - started) * 1000)
        return {
            total: {
                name: {"ms": harness.median(timings[(total, name)]), "queries": counts[(total, name)]}
                for name in queries[total]
            }
            for total in databases
        }
    finally:
        _use_database(bench.name)
        connections.close_all()
        harness.database_drop(databases[large])


# ---------------------------------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------------------------------


def _report(data, mirror, sync, pages, elapsed) -> None:
    print()
    print(f"## The changes feed ({harness.machine()})")
    print()
    print(
        f"{data['providers']:,} providers, seeded by `manage.py seed` in {data['seed_seconds']:.1f} s (each "
        f"recorded and published); PostgreSQL, Redis cache, DEBUG off. Took {elapsed:.0f} s."
    )
    print()
    print("Mirroring the whole register from nothing, over HTTP (gunicorn, 2 sync workers):")
    print()
    rows = [
        [name, f"{m['requests']:,}", f"{m['seconds']:.2f}", f"{m['bytes'] / 1e6:.1f}", f"{m['providers']:,}"]
        for name, m in mirror.items()
    ]
    print(table(["way", "requests", "seconds", "MB", "providers"], rows))
    print()
    size_small, size_large = SIZES
    rows = [
        [
            "incremental sync after one change: requests",
            "1",
            "1",
            verdict(sync["found"] and sync["status"].startswith("200")),
        ],
        [
            "incremental sync after one change: queries (token cached, page built)",
            str(sync["queries"]),
            f"≤ {TARGET_SYNC_QUERIES}",
            verdict(sync["queries"] <= TARGET_SYNC_QUERIES),
        ],
    ]
    for name in ("first page", "deep page"):
        small, large = pages[size_small][name], pages[size_large][name]
        ratio = large["ms"] / small["ms"]
        rows.append(
            [
                f"feed, {name} of 100: {size_large:,} / {size_small:,} changes "
                f"({large['ms']:.2f} ms / {small['ms']:.2f} ms)",
                f"{ratio:.2f}×",
                f"≤ {TARGET_SCALING}×",
                verdict(ratio <= TARGET_SCALING),
            ]
        )
        most = max(small["queries"], large["queries"])
        rows.append(
            [f"feed, {name}: queries", str(most), f"≤ {TARGET_QUERIES_PAGE}", verdict(most <= TARGET_QUERIES_PAGE)]
        )
    print(table(["target", "measured", "target", "result"], rows))
    print()
    print(
        f"The incremental sync's page: {sync['changes']} change, {sync['bytes']:,} bytes, {sync['ms']:.1f} ms in "
        "process. Feed pages are timed in process (no socket), each built (the page cache emptied first), "
        "median of the requests taken in turns."
    )
    sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
