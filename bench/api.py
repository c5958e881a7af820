"""The API's providers page under load, against its peers measured in the same run.

    .venv/bin/python -m bench.api [--rounds 5] [--seconds 4] [--connections 4] [--number 200]

The real fixture data (fixtures/*.json, 2,235 providers) is loaded into a fresh PostgreSQL database,
and the service runs as in production: gunicorn with 2 sync workers, DEBUG off, Redis as the cache.
Three endpoints serve a page of 100 providers:

- ours: GET /api/v1/providers?page_size=100 with `Authorization: Bearer <token>` (an API client's
  token, checked, rate-counted and marked used on every request, as in production), which serves
  the page from its page cache while the register is unchanged (registry.api.page_cache);
- ours with the page built on every request: the same, from a second gunicorn started with the page
  cache off (API_PAGE_CACHE_BYTES=0), idle while the others are measured;
- the DRF peer: a ModelSerializer with DRF's TokenAuthentication over the same table, the same
  rows and fields, a page of 100 by DRF's cursor pagination;
- pre-rendered: our page's very bytes, returned by a Django view through the same middleware.

And ours again with `If-None-Match` set to the page's ETag, which must answer 304.

wrk (1 thread, 4 connections, a few seconds each) measures every endpoint in every round, in an
order that rotates from round to round; the medians of 5 rounds are reported, and each ratio is
taken within a round, so that the machine's drift cancels out. The in-process cost per request is
the fastest of 7 runs of N calls of the WSGI application in this process, with no socket.
"""

import argparse
import sys
import time
from pathlib import Path

from bench import harness
from bench.harness import spread, step, table, verdict

LIST = "/api/v1/providers"
OURS, NOT_MODIFIED, DRF, PRERENDERED = "ours", "ours, If-None-Match → 304", "DRF peer", "pre-rendered (Django)"
OURS_BUILT = "ours, page built every time"

TARGET_VS_DRF = 3.0
TARGET_VS_PRERENDERED = 0.40
TARGET_TAIL = 3.0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5, help="wrk rounds; every endpoint in each (default 5)")
    parser.add_argument("--seconds", type=int, default=4, help="wrk duration per endpoint per round (default 4)")
    parser.add_argument("--connections", type=int, default=4, help="wrk connections (default 4)")
    parser.add_argument("--number", type=int, default=200, help="calls per timing run in process (default 200)")
    args = parser.parse_args(argv)

    harness.require_wrk()
    harness.stop_on_sigterm()
    started = time.monotonic()
    with harness.BenchEnvironment() as bench:
        data = _load(bench)
        in_process = _in_process(bench, data, number=args.number)
        page_cache_off = {"API_PAGE_CACHE_BYTES": "0"}
        with (
            harness.Gunicorn(bench) as server,
            harness.Gunicorn(bench, port=harness.free_port(), extra_env=page_cache_off) as built,
        ):
            rounds, checks = _under_load(server, built, data, args)
            log = server.errors() + built.errors()
        _report(bench, data, in_process, rounds, checks, args, log, time.monotonic() - started)
    return 0


# ---------------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------------


def _load(bench) -> dict:
    from django.core.management import call_command
    from django.db import connection
    from rest_framework.authtoken.models import Token

    from accounts.api_clients import services
    from accounts.models import User
    from registry.models import Provider

    step("loading fixtures/*.json (the real register: 2,235 providers)")
    fixtures = sorted(str(path) for path in (harness.BASE_DIR / "fixtures").glob("*.json"))
    call_command("loaddata", *fixtures, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    user = User.objects.create_user(
        email="bench.api.client@example.com", first_name="Bench", last_name="Client", is_api_user=True
    )
    _, issued = services.api_client_create(actor=user, name="Benchmark")
    return {
        "providers": Provider.objects.count(),
        "listed": Provider.objects.filter(deleted_at__isnull=True, archived_at__isnull=True).count(),
        "ours": {"Authorization": f"Bearer {issued.secret}"},
        "drf": {"Authorization": f"Token {Token.objects.create(user=user).key}"},
        "host": f"127.0.0.1:{bench.port}",
    }


def _endpoints(data: dict, etag: str) -> dict:
    return {
        OURS: (LIST, "page_size=100", data["ours"]),
        OURS_BUILT: (LIST, "page_size=100", data["ours"]),
        NOT_MODIFIED: (LIST, "page_size=100", {**data["ours"], "If-None-Match": etag}),
        DRF: ("/bench/drf/providers", "page_size=100", data["drf"]),
        PRERENDERED: ("/bench/prerendered/providers", "", {}),
    }


# ---------------------------------------------------------------------------------------------------
# In process
# ---------------------------------------------------------------------------------------------------


def _in_process(bench, data: dict, *, number: int) -> dict:
    import json

    from django.core.wsgi import get_wsgi_application
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from registry.api.page_cache import pages

    application = get_wsgi_application()

    def call(path, query, headers):
        environ = harness.wsgi_environ(path, query=query, headers=headers, host=data["host"])
        return harness.wsgi_call(application, environ)

    def call_built(path, query, headers):
        pages.clear()
        return call(path, query, headers)

    status, headers, body = call(LIST, "page_size=100", data["ours"])
    assert status.startswith("200"), (status, body[:500])
    etag = headers["ETag"]
    # The pre-rendered peer serves exactly these bytes (the server reads them at its first request).
    Path(bench.env["BENCH_PRERENDERED_PATH"]).write_bytes(body)
    ours = json.loads(body)
    status, _, drf_body = call("/bench/drf/providers", "page_size=100", data["drf"])
    assert status.startswith("200"), (status, drf_body[:500])
    drf = json.loads(drf_body)
    assert len(ours["data"]) == len(drf["results"]) == 100
    assert [row["id"] for row in ours["data"]] == [row["id"] for row in drf["results"]], "not the same page"
    assert list(ours["data"][0]) == list(drf["results"][0]), "not the same fields"

    endpoints = _endpoints(data, etag)
    step(f"in-process cost: fastest of 7 × {number} WSGI calls per endpoint")
    results = {}
    callers = {name: call_built if name == OURS_BUILT else call for name in endpoints}
    for name, (path, query, headers) in endpoints.items():
        for _ in range(3):
            status, _, body = callers[name](path, query, headers)
        with CaptureQueriesContext(connection) as queries:
            callers[name](path, query, headers)
        results[name] = {"status": status, "bytes": len(body), "queries": len(queries), "runs": []}
    # The 7 runs of each endpoint interleaved with the others', so that a slow moment hits them all.
    for _ in range(7):
        for name, (path, query, headers) in endpoints.items():
            results[name]["runs"].append(
                harness.cost_us(lambda c=callers[name], p=path, q=query, h=headers: c(p, q, h), number=number, repeat=1)
            )
    for result in results.values():
        result["us"] = min(result.pop("runs"))
    return {"etag": etag, "endpoints": results}


# ---------------------------------------------------------------------------------------------------
# Under load
# ---------------------------------------------------------------------------------------------------


def _check(servers: dict, endpoints: dict) -> dict:
    """Each endpoint's status over HTTP, and the ETag round trip."""
    statuses = {}
    for name, (path, query, headers) in endpoints.items():
        status, _, _ = harness.http_get(f"{servers[name].base_url}{path}?{query}", headers)
        statuses[name] = status
    return statuses


def _under_load(server, built, data: dict, args) -> tuple[dict, dict]:
    status, headers, _ = harness.http_get(f"{server.base_url}{LIST}?page_size=100", data["ours"])
    assert status == 200, status
    endpoints = _endpoints(data, headers["ETag"])
    servers = {name: built if name == OURS_BUILT else server for name in endpoints}
    before = _check(servers, endpoints)
    expected = {OURS: 200, OURS_BUILT: 200, NOT_MODIFIED: 304, DRF: 200, PRERENDERED: 200}
    if before != expected:
        raise SystemExit(f"unexpected statuses before the run: {before}\n{server.errors()[-3000:]}")

    step("warming up the workers (1 s per endpoint)")
    for name, (path, query, headers) in endpoints.items():
        harness.wrk(f"{servers[name].base_url}{path}?{query}", headers=headers, seconds=1, connections=args.connections)
    names = list(endpoints)
    rounds = {name: [] for name in names}
    for number in range(args.rounds):
        order = names[number % len(names) :] + names[: number % len(names)]
        step(f"round {number + 1}/{args.rounds}: {', '.join(order)}")
        for name in order:
            path, query, headers = endpoints[name]
            rounds[name].append(
                harness.wrk(
                    f"{servers[name].base_url}{path}?{query}",
                    headers=headers,
                    seconds=args.seconds,
                    connections=args.connections,
                )
            )
    after = _check(servers, endpoints)
    return rounds, {"before": before, "after": after, "expected": expected}


# ---------------------------------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------------------------------


def _report(bench, data, in_process, rounds, checks, args, log, elapsed) -> None:
    ours, drf, pre = rounds[OURS], rounds[DRF], rounds[PRERENDERED]
    count = len(ours)
    vs_drf = [o["rps"] / d["rps"] for o, d in zip(ours, drf, strict=True)]
    vs_pre = [o["rps"] / p["rps"] for o, p in zip(ours, pre, strict=True)]
    built = rounds[OURS_BUILT]
    built_vs_drf = [b["rps"] / d["rps"] for b, d in zip(built, drf, strict=True)]
    built_vs_pre = [b["rps"] / p["rps"] for b, p in zip(built, pre, strict=True)]
    tail = [o["p99"] / o["p50"] for o in ours]
    errors = {name: sum(run["errors"] for run in runs) for name, runs in rounds.items()}

    print()
    print(f"## API providers page ({harness.machine()})")
    print()
    print(
        f"{data['providers']:,} providers from fixtures/ ({data['listed']:,} listed), PostgreSQL, Redis cache; "
        f"gunicorn, 2 sync workers, DEBUG off; wrk -t1 -c{args.connections} -d{args.seconds}s, "
        f"{count} interleaved rounds. Took {elapsed:.0f} s."
    )
    print()
    rows = []
    for name, runs in rounds.items():
        rows.append(
            [
                name,
                spread([run["rps"] for run in runs]),
                f"{harness.median([run['p50'] for run in runs]):.1f}",
                f"{harness.median([run['p99'] for run in runs]):.1f}",
                f"{errors[name]} of {sum(run['requests'] for run in runs):,}",
            ]
        )
    print(table(["endpoint", "requests/s median [min–max]", "p50 ms", "p99 ms", "errors"], rows))
    print()

    def met(values, ok):
        return f"{sum(1 for value in values if ok(value))}/{count}"

    rows = [
        [
            "ours / DRF peer, requests/s",
            spread(vs_drf, "{:.2f}×"),
            met(vs_drf, lambda v: v >= TARGET_VS_DRF),
            f"≥ {TARGET_VS_DRF:g}×",
            verdict(harness.median(vs_drf) >= TARGET_VS_DRF),
        ],
        [
            "ours / pre-rendered, requests/s",
            spread([v * 100 for v in vs_pre], "{:.0f}%"),
            met(vs_pre, lambda v: v >= TARGET_VS_PRERENDERED),
            f"≥ {TARGET_VS_PRERENDERED:.0%}",
            verdict(harness.median(vs_pre) >= TARGET_VS_PRERENDERED),
        ],
        [
            "for information: page built every time / DRF peer",
            spread(built_vs_drf, "{:.2f}×"),
            met(built_vs_drf, lambda v: v >= TARGET_VS_DRF),
            f"≥ {TARGET_VS_DRF:g}×",
            "–",
        ],
        [
            "for information: page built every time / pre-rendered",
            spread([v * 100 for v in built_vs_pre], "{:.0f}%"),
            met(built_vs_pre, lambda v: v >= TARGET_VS_PRERENDERED),
            f"≥ {TARGET_VS_PRERENDERED:.0%}",
            "–",
        ],
        [
            "ours p99 / p50",
            spread(tail, "{:.2f}×"),
            met(tail, lambda v: v <= TARGET_TAIL),
            f"≤ {TARGET_TAIL:g}×",
            verdict(harness.median(tail) <= TARGET_TAIL),
        ],
        [
            "errors (non-2xx/3xx + socket), all endpoints",
            str(sum(errors.values())),
            "–",
            "0",
            verdict(sum(errors.values()) == 0),
        ],
    ]
    print(table(["target (within each round)", "median [min–max]", "rounds meeting it", "target", "result"], rows))
    print()

    base = in_process["endpoints"][OURS]["us"]
    rows = [
        [
            name,
            f"{result['us']:,.0f}",
            f"{result['us'] / base:.2f}×",
            result["queries"],
            f"{result['bytes']:,}",
            result["status"],
        ]
        for name, result in in_process["endpoints"].items()
    ]
    print(f"In process (no socket), fastest of 7 × {args.number} WSGI calls each, interleaved:")
    print()
    print(table(["endpoint", "µs / request", "× ours", "SQL queries", "body bytes", "status"], rows))
    print()
    not_modified = in_process["endpoints"][NOT_MODIFIED]
    etag_ok = (
        not_modified["status"].startswith("304")
        and checks["before"][NOT_MODIFIED] == 304
        and checks["after"][NOT_MODIFIED] == 304
    )
    print(
        f"ETag: If-None-Match with the page's ETag {in_process['etag']} answers "
        f"{not_modified['status']} in process and {checks['after'][NOT_MODIFIED]} over HTTP after the run "
        f"({verdict(etag_ok)}); it costs {not_modified['us']:,.0f} µs against {base:,.0f} µs for the page "
        f"({not_modified['us'] / base:.2f}×), with {not_modified['queries']} query and no body."
    )
    if checks["after"] != checks["expected"]:
        print(f"WARNING: statuses after the run were {checks['after']}, expected {checks['expected']}")
    problems = [line for line in log.splitlines() if '"level": "ERROR"' in line or "Traceback" in line]
    if problems:
        print(f"WARNING: the server logged {len(problems)} error line(s); the first: {problems[0][:300]}")
    sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
