"""The API and the admin's list pages under concurrent clients, against the production stack.

    .venv/bin/python -m bench.load [--duration 10] [--concurrency 8] [--workers 2] [--target NAME ...]

`make serve` runs on a PostgreSQL database of the run's own with Redis as its cache (a key prefix of
the run's own): DEBUG off, gunicorn's sync workers, the email worker beside them. The real register
(`manage.py seed`) is loaded; an API user with a client and token is added, and a support
administrator signed in, through the service's own code. Then wrk drives each target in turn, with
N connections for D seconds, after a short warm-up. The API's rate limits are raised out of reach
(API_RATE_LIMIT_PER_TOKEN, API_RATE_LIMIT_PER_ADDRESS), or the test would measure 429s.

Prints a table: requests, requests/s, p50 and p99 latency, and errors (any response but 200, and
socket errors), per target. Exits 1 if there was any error.
"""

import argparse
import json
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench import harness
from bench.harness import step, table
from bench.load import prepare, stack, wrk

ADMIN_PROVIDERS = "/admin/registry/provider/"
SEARCH_WORD = "university"
TARGETS = (
    "api-providers",
    "api-provider",
    "api-partnerships",
    "admin-providers",
    "admin-search",
    "admin-filter",
    "admin-users",
)


def targets(data: dict, paths_file) -> dict[str, wrk.Target]:
    api = {"Authorization": f"Bearer {data['token']}"}
    admin = {"Cookie": data["cookie"]}
    return {
        "api-providers": wrk.Target("API providers list (links.next)", "/api/v1/providers", mode="follow", headers=api),
        "api-provider": wrk.Target(
            "API provider detail (each in turn)",
            f"/api/v1/providers/{data['provider_ids'][0]}",
            mode="cycle",
            headers=api,
            paths_file=paths_file,
        ),
        "api-partnerships": wrk.Target(
            "API partnerships list (links.next)", "/api/v1/partnerships", mode="follow", headers=api
        ),
        "admin-providers": wrk.Target("admin Providers, page 1", ADMIN_PROVIDERS, headers=admin),
        "admin-search": wrk.Target(
            f"admin Providers, search '{SEARCH_WORD}'", f"{ADMIN_PROVIDERS}?q={SEARCH_WORD}", headers=admin
        ),
        "admin-filter": wrk.Target(
            "admin Providers, filter HEI", f"{ADMIN_PROVIDERS}?provider_type=hei", headers=admin
        ),
        "admin-users": wrk.Target("admin Users", "/admin/accounts/user/", headers=admin),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per target (default 10)")
    parser.add_argument("--concurrency", type=int, default=8, help="wrk connections, each a client (default 8)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (default 1)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers, WEB_CONCURRENCY (default 2)")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured seconds per target first (default 1)")
    parser.add_argument("--target", action="append", choices=TARGETS, help="only this target (repeatable)")
    parser.add_argument("--server-log", type=Path, help="keep the server's log (JSON lines) in this file")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        type=_setting,
        help="a setting for the server, e.g. API_PAGE_CACHE_BYTES=0 (repeatable)",
    )
    args = parser.parse_args(argv)
    if min(args.duration, args.concurrency, args.threads, args.workers) < 1 or args.warmup < 0:
        parser.error("--duration, --concurrency, --threads and --workers must be at least 1, --warmup at least 0")
    if args.threads > args.concurrency:
        parser.error("--threads must not be more than --concurrency (wrk needs a connection per thread)")

    harness.require_wrk()
    harness.stop_on_sigterm()
    started = time.monotonic()
    with stack.Stack(workers=args.workers, settings=dict(args.set)) as service:
        service.serve()
        step("manage.py seed (fixtures/: the real register), then VACUUM ANALYZE")
        service.manage("seed", "--verbosity", "0")
        service.sql("VACUUM ANALYZE")
        step("an API user with a client and token, and a signed-in support administrator")
        data = _prepared(service.manage("shell", "--no-imports", "-c", f"from {prepare.__name__} import main; main()"))
        paths_file = service.tmp / "provider-paths.txt"
        paths_file.write_text("".join(f"/api/v1/providers/{pk}\n" for pk in data["provider_ids"]))

        chosen = {key: target for key, target in targets(data, paths_file).items() if key in (args.target or TARGETS)}
        _check(service.base_url, chosen, data)

        results = {}
        loaded = time.monotonic()
        for key, target in chosen.items():
            if args.warmup:
                step(f"{key}: warm-up, {args.warmup} s")
                wrk.run(service.base_url, target, seconds=args.warmup, connections=args.concurrency)
                service.wait_until_idle()
            step(f"{key}: {args.concurrency} connections for {args.duration} s")
            results[key] = wrk.run(
                service.base_url, target, seconds=args.duration, connections=args.concurrency, threads=args.threads
            )
            service.wait_until_idle()
        healthy_after = service.healthy()
        service.wait_until_idle()
        service.stop()
        log = service.log()
    if args.server_log:
        args.server_log.write_text(log)
    statuses, problems = stack.log_summary(log)

    errors = sum(result.errors for result in results.values())
    timings = {"setup": loaded - started, "whole": time.monotonic() - started}
    _report(chosen, results, args, data, statuses, problems, healthy_after, timings)
    return 1 if errors or not healthy_after else 0


def _setting(text: str) -> tuple[str, str]:
    name, equals, value = text.partition("=")
    if not (equals and name.isidentifier()):
        raise argparse.ArgumentTypeError(f"not NAME=VALUE: {text!r}")
    return name, value


def _prepared(output: str) -> dict:
    for line in output.splitlines():
        if line.startswith(prepare.PREFIX):
            return json.loads(line.removeprefix(prepare.PREFIX))
    raise RuntimeError(f"the preparation printed nothing usable:\n{output[-2000:]}")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _get(url: str, headers: dict) -> tuple[int, str]:
    """GET without following redirects: a redirect to the sign-in page must show as one."""
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def _check(base_url: str, chosen: dict[str, wrk.Target], data: dict) -> None:
    """Each target answers what it should before any load: the API its JSON, the admin its list to
    the signed-in administrator (not a redirect to the sign-in page)."""
    for key, target in chosen.items():
        status, body = _get(base_url + target.path, target.headers)
        if status != 200:
            raise SystemExit(f"{key}: {target.path} answered {status} before the load:\n{body[:1000]}")
        if key.startswith("api-"):
            document = json.loads(body)
            if target.mode == "follow" and not (document["data"] and document["links"]["next"]):
                raise SystemExit(f"{key}: the first page has no rows or no next page:\n{body[:1000]}")
        elif data["administrator"] not in body or "result-list" not in body:
            raise SystemExit(f"{key}: not the admin list of a signed-in administrator:\n{body[:1000]}")


def _report(chosen, results, args, data, statuses, problems, healthy_after, timings) -> None:
    print(f"## Load: `make serve` on PostgreSQL, {args.workers} gunicorn sync workers, driven by wrk")
    print()
    print(
        f"{harness.machine()}. The run took {timings['whole']:.0f} s, {timings['setup']:.0f} s of it setting up "
        "(migrate, collectstatic, seed)."
    )
    print(
        f"{len(data['provider_ids']):,} providers (fixtures/); API rate limits raised to "
        f"{stack.RATE_LIMIT_OUT_OF_REACH:,} a minute for the run; {args.threads} wrk thread(s); "
        f"each target after a {args.warmup} s warm-up."
    )
    if args.set:
        print(f"Settings given: {', '.join(f'{name}={value}' for name, value in args.set)}.")
    print()
    rows = [
        [
            target.name,
            args.concurrency,
            f"{result.seconds:.1f} s",
            f"{result.requests:,}",
            f"{result.requests_per_second:,.1f}",
            f"{result.p50_ms:,.1f}",
            f"{result.p99_ms:,.1f}",
            f"{result.errors:,}",
        ]
        for key, result in results.items()
        for target in [chosen[key]]
    ]
    print(table(["target", "concurrency", "duration", "requests", "requests/s", "p50 ms", "p99 ms", "errors"], rows))
    print()
    errors = sum(result.errors for result in results.values())
    requests = sum(result.requests for result in results.values())
    print(f"Errors: {errors:,} in {requests:,} requests (any response but 200, and socket errors).")
    for key, result in results.items():
        if result.errors:
            print(f"- {chosen[key].name}: {'; '.join(result.error_details())}")
    for key, result in results.items():
        if chosen[key].mode == "follow":
            print(
                f"{chosen[key].name}: {result.walks:,} walks to the last page, {result.followed:,} links.next followed."
            )
    server = ", ".join(f"{status}: {count:,}" for status, count in sorted(statuses.items(), key=str))
    print(f"The server's access log (warm-ups and checks included): {server or 'nothing'}.")
    if not healthy_after:
        print("FAILED: /healthcheck did not answer 200 after the load.")
    if problems:
        print(f"The server logged {len(problems)} error record(s); the first: {problems[0][:400]}")
    sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
