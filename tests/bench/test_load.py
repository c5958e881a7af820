"""The load test's own logic: reading wrk's results, counting errors, and its wrk script, which must
follow the API's links.next (run against a stub server for a second, when wrk is installed)."""

import http.server
import json
import shutil
import threading
from collections import Counter

import pytest

from bench.load import stack, wrk

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:40000/admin/registry/provider/
  1 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   300.00ms   50.00ms   1.20s    70.00%
  100 requests in 10.00s, 9.00MB read
Requests/sec:     10.00
bench-load-result {"duration_us": 8000000, "requests": 100, "bytes": 9000000, \
"socket_errors": {"connect": 0, "read": 1, "write": 0, "timeout": 2}, "p50_us": 301250, "p99_us": 1180500, \
"max_us": 1200000, "statuses": {"200": 93, "302": 3, "502": 1}, "followed": 40, "walks": 5, "unreadable": 1}
"""


def test_parse_reads_the_scripts_result_and_counts_every_kind_of_error():
    result = wrk.parse(WRK_OUTPUT)

    assert result.requests == 100
    assert result.requests_per_second == pytest.approx(12.5)  # over the 8 s wrk measured, not the 10 s asked
    assert result.p50_ms == pytest.approx(301.25)
    assert result.p99_ms == pytest.approx(1180.5)
    assert (result.followed, result.walks) == (40, 5)
    # A redirect is an error here (the sign-in page instead of the list), as are 5xx, socket errors
    # and a 200 page whose links could not be read.
    assert result.unexpected_statuses == {302: 3, 502: 1}
    assert result.errors == 3 + 1 + 1 + 2 + 1
    assert result.error_details() == [
        "3 × HTTP 302",
        "1 × HTTP 502",
        "1 × socket read",
        "2 × socket timeout",
        "1 × a 200 page without readable links.next",
    ]


def test_a_run_without_errors_has_none():
    output = WRK_OUTPUT.replace('"read": 1', '"read": 0').replace('"timeout": 2', '"timeout": 0')
    output = output.replace('"302": 3, "502": 1', '"200": 4').replace('"unreadable": 1', '"unreadable": 0')
    output = output.replace('{"200": 93, ', "{")

    result = wrk.parse(output)

    assert result.statuses == {200: 4}
    assert result.errors == 0
    assert result.error_details() == []


def test_parse_refuses_output_without_the_result_line():
    with pytest.raises(ValueError, match="no result line"):
        wrk.parse(WRK_OUTPUT.split("bench-load-result")[0])


def test_the_server_log_summary_counts_statuses_and_keeps_error_records():
    access = {"level": "info", "logger": "gunicorn.access", "event": "http_request"}
    log = "\n".join(
        [
            "Operations to perform:",
            json.dumps({**access, "status": 200}),
            json.dumps({**access, "status": 200}),
            json.dumps({**access, "status": 500}),
            json.dumps({"level": "warning", "logger": "django_tasks_db", "message": "retrying"}),
            json.dumps({"level": "error", "logger": "django.request", "message": "Internal Server Error"}),
            "Traceback (most recent call last):",
        ]
    )

    statuses, problems = stack.log_summary(log)

    assert statuses == {200: 2, 500: 1}
    assert len(problems) == 2
    assert "Internal Server Error" in problems[0]
    assert problems[1].startswith("Traceback")


PROC_NET_TCP = """\
  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:9C40 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0
   1: 0100007F:9C40 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000     0        0 2 1 0 20 4 30 10 -1
   2: 0100007F:9C40 0100007F:D2F2 08 00000000:00000000 00:00000000 00000000     0        0 3 1 0 20 4 30 10 -1
   3: 0100007F:9C40 0100007F:D2F4 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0
   4: 0100007F:D2F6 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 4 1 0 20 4 30 10 -1
   5: 0100007F:1F90 0100007F:D2F8 01 00000000:00000000 00:00000000 00000000     0        0 5 1 0 20 4 30 10 -1
"""


def test_requests_in_hand_are_the_servers_open_connections_on_its_port():
    # Port 0x9C40 is 40000: an open one and one the client has hung up on count; the listening
    # socket, one closed (TIME_WAIT), the client's own end and another port's connection do not.
    assert stack.count_in_hand(PROC_NET_TCP, 40000) == 2
    assert stack.count_in_hand(PROC_NET_TCP, 8080) == 1
    assert stack.count_in_hand(PROC_NET_TCP, 40001) == 0


# ---------------------------------------------------------------------------------------------------
# The wrk script, against a stub
# ---------------------------------------------------------------------------------------------------

LAST_PAGE = 3


class _Stub(http.server.BaseHTTPRequestHandler):
    """/list: pages 1 to 3 of a list as the API writes it (absolute links.next, null on the last);
    /redirect: a 302; anything else: 200."""

    seen: Counter

    def do_GET(self):
        self.server.seen[self.path] += 1
        status, body = 200, b"ok"
        if self.path.startswith("/list"):
            page = int(self.path.rpartition("cursor=")[2]) if "cursor=" in self.path else 1
            following = f"http://{self.headers['Host']}/list?page_size=1&cursor={page + 1}"
            document = {"data": [{"id": page}], "links": {"next": following if page < LAST_PAGE else None}}
            body = json.dumps(document, separators=(",", ":")).encode()
        elif self.path == "/redirect":
            status, body = 302, b""
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # wrk hangs up on whatever is in flight when its time is up.
        pass


@pytest.fixture
def stub():
    if shutil.which("wrk") is None:
        pytest.skip("wrk is not installed (Debian's package `wrk`)")
    server = _Server(("127.0.0.1", 0), _Stub)
    server.seen = Counter()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def test_follow_mode_walks_every_list_to_its_last_page_by_links_next(stub):
    base_url = f"http://127.0.0.1:{stub.server_address[1]}"
    target = wrk.Target("list", "/list", mode="follow", headers={"Authorization": "Bearer x"})

    result = wrk.run(base_url, target, seconds=1, connections=2)

    assert result.errors == 0
    assert result.statuses == {200: result.requests}
    assert result.walks > 0
    assert result.followed >= result.walks * (LAST_PAGE - 1)
    pages = [stub.seen["/list"], *(stub.seen[f"/list?page_size=1&cursor={n}"] for n in range(2, LAST_PAGE + 1))]
    assert set(stub.seen) == {"/list", "/list?page_size=1&cursor=2", "/list?page_size=1&cursor=3"}
    # Each walk asks for every page once: the pages are asked for as often as each other, give or
    # take the walks under way when wrk stopped (one a connection).
    assert max(pages) - min(pages) <= 2
    assert stub.seen["/list"] < result.requests / 2


def test_cycle_mode_asks_for_each_path_in_turn_and_counts_a_redirect_as_an_error(stub, tmp_path):
    base_url = f"http://127.0.0.1:{stub.server_address[1]}"
    paths = tmp_path / "paths.txt"
    paths.write_text("/a\n/redirect\n/b\n")
    target = wrk.Target("cycle", "/a", mode="cycle", paths_file=paths)

    result = wrk.run(base_url, target, seconds=1, connections=2)

    assert set(stub.seen) == {"/a", "/redirect", "/b"}
    assert abs(stub.seen["/a"] - stub.seen["/b"]) <= 2
    assert result.statuses[302] > 0
    assert result.errors == result.statuses[302]
    assert result.requests == result.statuses[200] + result.statuses[302]
