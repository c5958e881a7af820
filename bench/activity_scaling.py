"""The Activity page and its CSV export at 10,000 and 1,000,000 recorded changes.

    .venv/bin/python -m bench.activity_scaling [--repeats 9] [--sizes 10000,100000,1000000]

History is generated straight into a fresh PostgreSQL database (bench/activity_data.py: SQL over
`generate_series`, a register's mix of records, 20 support staff and the system, two years of
changes), up to each size in turn, with VACUUM ANALYZE after each. At each size, signed in as an
auditor, through Django's test client in this process (DEBUG off, the service's middleware and
Redis cache), each request is timed N times, the requests taking turns, and the median reported:

- the first page; a deep page (the changes older than one made a year before the newest, reached
  by its cursor, as "Next" would); each filter: a person, an action (deleted, the rarest), a week,
  a record type;
- for information, a provider's history page (the feed narrowed to one provider and its records),
  whose page numbers count its changes.

Target: the largest size's time / the smallest's ≤ 1.3× for every Activity page request, in at most
6 queries each. Then the CSV export of everything, streamed and counted, at the two largest sizes:
target ≥ 20,000 CSV rows a second at the largest, and memory flat (peak RSS while streaming, over
RSS before it, no more at the largest size than 1.5× the next, plus 16 MB of allowance).
"""

import argparse
import datetime
import sys
import time
from pathlib import Path

from bench import harness
from bench.activity_data import HistoryGenerator, vacuum_analyse_history
from bench.harness import step, table, verdict

TARGET_SCALING = 1.3
TARGET_QUERIES = 6
TARGET_EXPORT_ROWS_PER_SECOND = 20_000
ACTIVITY = "/admin/activity/"
CSV = "/admin/activity/download/"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=9, help="timed requests per page and size (default 9)")
    parser.add_argument("--sizes", default="10000,100000,1000000", help="changes, smallest first")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    if sizes != sorted(sizes) or len(sizes) < 2:
        parser.error("--sizes needs two or more sizes, smallest first")

    harness.stop_on_sigterm()
    started = time.monotonic()
    with harness.BenchEnvironment() as bench:
        bench.collectstatic()
        from django.utils import timezone

        generator = HistoryGenerator(end=timezone.now() - datetime.timedelta(hours=1))
        generator.prepare()
        auditor = _auditor()
        pages, shapes, exports = {}, {}, {}
        for size in sizes:
            step(f"generating history up to {size:,} changes (SQL)")
            seconds = generator.fill_to(size)
            step(f"{size:,} changes in {seconds:.1f} s; VACUUM ANALYZE")
            vacuum_analyse_history()
            pages[size], shapes[size] = _pages(auditor, generator, repeats=args.repeats)
            if size in sizes[-2:]:
                exports[size] = _export(auditor)
        _report(sizes, pages, shapes, exports, args, time.monotonic() - started)
    return 0


def _auditor():
    from django.contrib.auth.models import Group

    from accounts.models import User
    from accounts.roles import Role

    auditor = User.objects.create_user(
        email="bench.auditor@education.gov.uk", first_name="Bench", last_name="Auditor", role=Role.AUDITOR.value
    )
    auditor.groups.add(Group.objects.get(name=Role.AUDITOR.value))
    return auditor


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user, backend="accounts.backends.ServiceAccountBackend")
    return client


def _requests(generator) -> dict:
    from registry.activity.cursor import FeedPlace
    from registry.activity.sources import ACTIVITY_SOURCES, PROVIDERS

    # A place a year before the newest change, as "Next" would carry it, in the providers' history.
    year_ago = generator.end - datetime.timedelta(days=365)
    row = PROVIDERS.history_model.objects.filter(history_date__lte=year_ago).order_by("-history_date").first()
    deep = FeedPlace(row.history_date, ACTIVITY_SOURCES.index(PROVIDERS), row.history_id).token()
    week_start = (generator.end - datetime.timedelta(days=200)).date()
    week_end = week_start + datetime.timedelta(days=6)
    staff = generator.staff[DELETED_STAFF_SHOWN]
    return {
        "first page": ACTIVITY,
        "deep page (a year back, by cursor)": f"{ACTIVITY}?older={deep}",
        "filter: a person": f"{ACTIVITY}?actor={staff.pk}",
        "filter: action deleted": f"{ACTIVITY}?action=deleted",
        "filter: a week": (
            f"{ACTIVITY}?date_from-day={week_start.day}&date_from-month={week_start.month}"
            f"&date_from-year={week_start.year}&date_to-day={week_end.day}&date_to-month={week_end.month}"
            f"&date_to-year={week_end.year}"
        ),
        "filter: record type address": f"{ACTIVITY}?record_type=registry.address",
        "info: a provider's history page": f"/admin/registry/provider/{generator.providers[42]}/history/",
    }


# A person who made changes and still has an account.
DELETED_STAFF_SHOWN = 5


def _pages(auditor, generator, *, repeats: int) -> tuple[dict, dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client(auditor)
    requests = _requests(generator)
    shapes = {}
    for name, url in requests.items():
        client.get(url)  # the session and the user are then in the cache, as on any later request
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{name}: {url} answered {response.status_code}")
        body = response.content.decode()
        if "app-activity__entry" not in body and "app-history__entry" not in body:
            raise SystemExit(f"{name}: {url} shows no changes")
        shapes[name] = {"queries": len(queries), "kb": len(response.content) / 1024}
    step(f"activity: {len(requests)} requests × {repeats}, interleaved")
    times = {name: [] for name in requests}
    names = list(requests)
    for turn in range(repeats + 2):
        for name in names[turn % len(names) :] + names[: turn % len(names)]:
            began = time.perf_counter()
            response = client.get(requests[name])
            elapsed = (time.perf_counter() - began) * 1000
            if response.status_code != 200:
                raise SystemExit(f"{name}: answered {response.status_code}")
            if turn >= 2:
                times[name].append(elapsed)
    return times, shapes


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _export(auditor) -> dict:
    """The whole export streamed as a browser would read it: rows, seconds, and memory while it ran."""
    import gc

    client = _client(auditor)
    gc.collect()
    before = peak = _rss_mb()
    step("export: streaming the CSV of every change")
    began, cpu = time.perf_counter(), time.process_time()
    response = client.get(CSV)
    lines = 0
    for number, chunk in enumerate(response.streaming_content):
        lines += chunk.count(b"\n")
        if number % 2_000 == 0:
            peak = max(peak, _rss_mb())
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    peak = max(peak, _rss_mb())
    rows = lines - 1  # the header
    step(f"export: {rows:,} rows in {seconds:.1f} s")
    return {"rows": rows, "seconds": seconds, "cpu": cpu, "before_mb": before, "growth_mb": peak - before}


def _report(sizes, pages, shapes, exports, args, elapsed) -> None:
    small, large = sizes[0], sizes[-1]
    print()
    print(f"## Activity page and export at {small:,} to {large:,} recorded changes ({harness.machine()})")
    print()
    print(
        f"PostgreSQL, Redis cache, DEBUG off; in process through Django's test client, signed in as an auditor; "
        f"median of {args.repeats} requests each, taken in turns. Took {elapsed:.0f} s."
    )
    print()
    rows = []
    for name in pages[small]:
        medians = [harness.median(pages[size][name]) for size in sizes]
        ratio = medians[-1] / medians[0]
        queries = shapes[large][name]["queries"]
        info = name.startswith("info:")
        ok = ratio <= TARGET_SCALING and queries <= TARGET_QUERIES
        rows.append(
            [
                name,
                queries,
                *(f"{median:.1f}" for median in medians),
                f"{ratio:.2f}×",
                f"{shapes[large][name]['kb']:.0f}",
                "–" if info else verdict(ok),
            ]
        )
    size_heads = [f"ms at {size // 1000:,}k" for size in sizes]
    print(f"Target: ms at {large:,} / ms at {small:,} ≤ {TARGET_SCALING:g}× and ≤ {TARGET_QUERIES} queries a page:")
    print()
    print(table(["case", "queries", *size_heads, "ratio", "KB", "result"], rows))
    print()
    rows = []
    export_sizes = sorted(exports)
    for size in export_sizes:
        result = exports[size]
        rate = result["rows"] / result["seconds"]
        rows.append(
            [
                f"{size:,}",
                f"{result['rows']:,}",
                f"{result['seconds']:.1f}",
                f"{rate:,.0f}",
                f"{result['rows'] / result['cpu']:,.0f}",
                f"{result['before_mb']:.0f}",
                f"{result['growth_mb']:.1f}",
                verdict(rate >= TARGET_EXPORT_ROWS_PER_SECOND) if size == large else "–",
            ]
        )
    print(f"CSV export of every change (target at {large:,}: ≥ {TARGET_EXPORT_ROWS_PER_SECOND:,} rows/s; memory flat):")
    print()
    print(
        table(
            ["changes", "CSV rows", "seconds", "rows/s", "rows/CPU s", "RSS before MB", "RSS growth MB", "result"], rows
        )
    )
    print()
    print("rows/CPU s: the rows over the CPU time of this process alone (Python's share, PostgreSQL's not).")
    if len(export_sizes) == 2:
        smaller, larger = (exports[size]["growth_mb"] for size in export_sizes)
        flat = larger <= smaller * 1.5 + 16
        print()
        print(
            f"Memory: RSS grew {smaller:.1f} MB streaming {export_sizes[0]:,} changes and {larger:.1f} MB streaming "
            f"{export_sizes[1]:,} (flat: ≤ 1.5× + 16 MB): {verdict(flat)}"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
