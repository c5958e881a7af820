"""The providers admin list, and the API's deep pages, at 10,000 and 100,000 providers.

    .venv/bin/python -m bench.admin_scaling [--repeats 15] [--sizes 10000,100000]

Providers are generated straight into a fresh PostgreSQL database with `bulk_create` (each a copy of
a real provider from fixtures/0003_providers.json, with its own id, code, UKPRN, URN and RoTP id:
bench/register_data.py), first up to 10,000, then up to 100,000, with VACUUM ANALYZE after each. At
each size, as a signed-in support administrator, through Django's test client in this process (DEBUG
off, the service's middleware and Redis cache), the same requests go to:

- ours: the service's providers list, /admin/registry/provider/ (the page engine's list, through the
  register's selector), and one provider's page;
- stock: a plain `django.contrib.admin.ModelAdmin` on an admin site of its own over the same table,
  with the same columns, search fields and page size, and its change form for the same provider,
  rendered with Django's own templates (bench/peers/stock_admin.py).

Each request is timed N times, the requests taking turns (one of each, then again), and the
median is reported. Then the API: its first page and its last page (reached by following
`links.next` to the end), timed the same way, against DRF's page-number pagination (OFFSET), the
peer, on its first and last page.
"""

import argparse
import html
import sys
import time
from urllib.parse import urlsplit

from bench import harness
from bench.harness import step, table, verdict
from bench.register_data import ProviderGenerator, create_people, vacuum_analyse

TARGET_SCALING = 1.3
TARGET_VS_STOCK = 1.0
TARGET_API_LAST_FIRST = 1.2

OURS_LIST = "/admin/registry/provider/"
STOCK_LIST = "/bench/stock-admin/registry/provider/"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=15, help="timed requests per page and size (default 15)")
    parser.add_argument("--sizes", default="10000,100000", help="table sizes, smallest first (default 10000,100000)")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    if sizes != sorted(sizes) or len(sizes) < 2 or sizes[0] < 2_235:
        parser.error("--sizes needs two or more sizes, smallest first, each at least 2,235 (one of each real provider)")

    harness.stop_on_sigterm()
    started = time.monotonic()
    with harness.BenchEnvironment() as bench:
        bench.collectstatic()
        generator = ProviderGenerator(sizes[0])
        people = create_people()
        admin_results, api_results, shapes = {}, {}, {}
        for size in sizes:
            step(f"generating providers up to {size:,} (bulk_create)")
            seconds = generator.fill_to(size)
            step(f"{size:,} providers in {seconds:.1f} s; VACUUM ANALYZE")
            vacuum_analyse()
            admin_results[size], shapes[size] = _admin(people["admin"], generator, repeats=args.repeats)
            # API requests cost a few ms each: twice as many, for a steadier median.
            api_results[size] = _api(people, size, repeats=args.repeats * 2)
        _report(sizes, generator, admin_results, shapes, api_results, args, time.monotonic() - started)
    return 0


# ---------------------------------------------------------------------------------------------------
# Timing
# ---------------------------------------------------------------------------------------------------


def _interleaved(client, requests: dict, repeats: int, before=None) -> dict:
    """{name: [ms, ...]}: each request once in turn, `repeats` times over, after 2 untimed turns;
    `before`, if given, is called (untimed) before each request."""
    times = {name: [] for name in requests}
    names = list(requests)
    for turn in range(repeats + 2):
        order = names[turn % len(names) :] + names[: turn % len(names)]
        for name in order:
            url, headers = requests[name]
            if before is not None:
                before()
            began = time.perf_counter()
            response = client.get(url, **headers)
            elapsed = (time.perf_counter() - began) * 1000
            if response.status_code != 200:
                raise SystemExit(f"{name}: {url} answered {response.status_code}")
            if turn >= 2:
                times[name].append(elapsed)
    return times


def _admin_requests(generator) -> dict:
    from registry.models import Provider

    code, ukprn, word = generator.code(generator.by_code), generator.ukprn(generator.by_ukprn), generator.name_word
    one = Provider.objects.only("pk").get(register_id=generator.register_id(generator.by_name)).pk
    return {
        "page 1": ("", None),
        "filter: provider type HEI": ({"ours": "?provider_type=hei", "stock": "?provider_type__exact=hei"}, None),
        f"search: code ({code})": (f"?q={code}", generator.name(generator.by_code)),
        f"search: UKPRN ({ukprn})": (f"?q={ukprn}", generator.name(generator.by_ukprn)),
        f"search: name ('{word}')": (f"?q={word}", generator.name(generator.by_name)),
        # A provider's page: ours, and the stock admin's change form.
        "a provider's page": ({"ours": f"{one}/change/", "stock": f"{one}/change/"}, generator.name(generator.by_name)),
    }


def _admin(admin_user, generator, *, repeats: int) -> tuple[dict, dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(admin_user, backend="accounts.backends.ServiceAccountBackend")
    requests, expected = {}, {}
    for label, (query, must_show) in _admin_requests(generator).items():
        for site, base in (("ours", OURS_LIST), ("stock", STOCK_LIST)):
            site_query = query[site] if isinstance(query, dict) else query
            requests[(site, label)] = (base + site_query.replace(" ", "+"), {})
            expected[(site, label)] = must_show
    shapes = {}
    for key, (url, _) in requests.items():
        client.get(url)  # the session and the user are then in the cache, as on any later request
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{key}: {url} answered {response.status_code}")
        if expected[key] is not None and html.escape(expected[key]) not in response.content.decode():
            raise SystemExit(f"{key}: {url} does not show {expected[key]!r}")
        # Ours may keep its count: it must still be the number of providers there are now.
        if key == ("ours", "page 1") and f"Providers ({generator.made:,})" not in response.content.decode():
            raise SystemExit(f"{key}: {url} does not count {generator.made} providers")
        shapes[key] = {"queries": len(queries), "kb": len(response.content) / 1024}
    step(f"admin lists: {len(requests)} requests × {repeats}, interleaved")
    return _interleaved(client, requests, repeats), shapes


def _api(people: dict, size: int, *, repeats: int) -> dict:
    from django.test import Client

    from registry.api.page_cache import pages as pages_cached

    client = Client()
    first = "/api/v1/providers?page_size=100"
    step(f"API: following links.next to the last page of {size:,}")
    url, pages = first, 0
    while True:
        response = client.get(url, **people["ours"])
        if response.status_code != 200:
            raise SystemExit(f"API {url} answered {response.status_code}")
        pages += 1
        following = response.json()["links"]["next"]
        if following is None:
            break
        parts = urlsplit(following)
        url = f"{parts.path}?{parts.query}"
    last = url
    last_rows = len(response.json()["data"])
    drf_pages = -(-size // 100)
    requests = {
        "ours, first page": (first, people["ours"]),
        "ours, last page": (last, people["ours"]),
        "DRF page numbers, first page": ("/bench/drf/providers-by-page?page=1&page_size=100", people["drf"]),
        "DRF page numbers, last page": (
            f"/bench/drf/providers-by-page?page={drf_pages}&page_size=100",
            people["drf"],
        ),
    }
    step(f"API: {len(requests)} requests × {repeats}, interleaved")
    # Every page built each time: served from the page cache, the first and the last would cost the
    # same whatever the pagination did.
    times = _interleaved(client, requests, repeats, before=pages_cached.clear)
    return {"pages": pages, "last_rows": last_rows, "times": times}


# ---------------------------------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------------------------------


def _ms(values) -> str:
    return f"{harness.median(values):.1f}"


def _report(sizes, generator, admin_results, shapes, api_results, args, elapsed) -> None:
    small, large = sizes[0], sizes[-1]
    labels = list(_admin_requests(generator))
    print()
    print(f"## Admin providers list and API deep pages ({harness.machine()})")
    print()
    print(
        f"PostgreSQL, Redis cache, DEBUG off; in process through Django's test client, signed in as a support "
        f"administrator; median of {args.repeats} requests each ({args.repeats * 2} for the API), taken in turns. "
        f"Took {elapsed:.0f} s."
    )
    print()

    rows = []
    for label in labels:
        ours = [admin_results[size][("ours", label)] for size in sizes]
        ratio = harness.median(ours[-1]) / harness.median(ours[0])
        rows.append(
            [
                label,
                *(_ms(times) for times in ours),
                f"{ratio:.2f}×",
                f"{shapes[large][('ours', label)]['queries']}",
                f"{shapes[large][('ours', label)]['kb']:.0f}",
                verdict(ratio <= TARGET_SCALING),
            ]
        )
    size_heads = [f"ours {size:,} ms" for size in sizes]
    print(f"Ours at {small:,} and {large:,} providers (target: {large:,}/{small:,} ≤ {TARGET_SCALING:g}×):")
    print()
    print(table(["request", *size_heads, f"{large // 1000}k/{small // 1000}k", "queries", "KB", "result"], rows))
    print()

    rows = []
    for label in labels:
        ours, stock = admin_results[large][("ours", label)], admin_results[large][("stock", label)]
        stock_small = admin_results[small][("stock", label)]
        ratio = harness.median(ours) / harness.median(stock)
        rows.append(
            [
                label,
                _ms(ours),
                _ms(stock),
                f"{ratio:.2f}×",
                f"{harness.median(stock) / harness.median(stock_small):.2f}×",
                f"{shapes[large][('stock', label)]['queries']}",
                f"{shapes[large][('stock', label)]['kb']:.0f}",
                verdict(ratio <= TARGET_VS_STOCK),
            ]
        )
    print(f"Ours against the stock Django admin at {large:,} providers (target: ours ≤ stock):")
    print()
    print(
        table(
            [
                "request",
                "ours ms",
                "stock ms",
                "ours / stock",
                f"stock {large // 1000}k/{small // 1000}k",
                "stock queries",
                "stock KB",
                "result",
            ],
            rows,
        )
    )
    print()

    rows = []
    for size in sizes:
        times = api_results[size]["times"]
        ours = harness.median(times["ours, last page"]) / harness.median(times["ours, first page"])
        drf = harness.median(times["DRF page numbers, last page"]) / harness.median(
            times["DRF page numbers, first page"]
        )
        rows.append(
            [
                f"{size:,}",
                api_results[size]["pages"],
                _ms(times["ours, first page"]),
                _ms(times["ours, last page"]),
                f"{ours:.2f}×",
                _ms(times["DRF page numbers, first page"]),
                _ms(times["DRF page numbers, last page"]),
                f"{drf:.2f}×",
                verdict(ours <= TARGET_API_LAST_FIRST) if size == large else "–",
            ]
        )
    print(f"API, last page against first page (target at {large:,}: ours last/first ≤ {TARGET_API_LAST_FIRST:g}×):")
    print()
    print(
        table(
            [
                "providers",
                "pages walked",
                "ours first ms",
                "ours last ms",
                "ours last/first",
                "DRF first ms",
                "DRF last ms",
                "DRF last/first",
                "result",
            ],
            rows,
        )
    )
    print()
    print(
        f"Searches look for providers among the first {small:,}: code {generator.code(generator.by_code)!r}, "
        f"UKPRN {generator.ukprn(generator.by_ukprn)!r}, and the word {generator.name_word!r}, found in the name "
        f"of 1 in {len(generator.templates):,} providers."
    )
    sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
