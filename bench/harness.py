"""What both benchmarks share: a throw-away PostgreSQL database and cache prefix, the service's
production settings (DEBUG off) with the peers added, gunicorn, wrk, timing and the tables.

Everything runs on this machine and talks only to 127.0.0.1: PostgreSQL (BENCH_POSTGRES_URL,
postgres://postgres@127.0.0.1:5432 by default) and Redis (BENCH_REDIS_URL,
redis://127.0.0.1:6379/0). The database `bench_<random>` is created at the start and dropped at the
end, and every cache key the run wrote (under its own prefix) is deleted, whether the run ends well,
fails or is interrupted.
"""

import contextlib
import datetime
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent

POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")

WRK_MISSING = """wrk is not installed. It is Debian's package (never a downloaded binary):

    sudo apt-get update && sudo apt-get install -y wrk

then run the benchmark again."""


def require_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk is None:
        print(WRK_MISSING, file=sys.stderr)
        raise SystemExit(2)
    return wrk


def stop_on_sigterm() -> None:
    """SIGTERM ends the run as Ctrl-C does, through every `finally` (database dropped, server stopped)."""

    def handler(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ---------------------------------------------------------------------------------------------------
# The run's database, cache prefix and settings
# ---------------------------------------------------------------------------------------------------


def database_create(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES_URL}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')


def database_drop(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES_URL}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def redis_keys_delete(prefix: str) -> None:
    """Delete every key in REDIS_URL's database that starts with `prefix:` (a run's cache keys)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=5)
    try:
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        for start in range(0, len(keys), 1000):
            client.delete(*keys[start : start + 1000])
    finally:
        client.close()


class BenchEnvironment:
    """A fresh PostgreSQL database, a cache prefix of the run's own, and the production settings.

    On entering: the database is created, the environment set for this process (and any server it
    starts), Django set up with `bench.settings` and the migrations run. On leaving: connections
    closed, the run's cache keys deleted, the database dropped and the temporary folder removed.
    """

    def __init__(self, *, port: int | None = None):
        self.name = f"bench_{secrets.token_hex(4)}"
        self.port = port or free_port()
        self.tmp = Path(tempfile.mkdtemp(prefix=f"{self.name}_"))
        # STATIC_ROOT: whitenoise only warns if it is missing; collectstatic() fills it when pages need it.
        (self.tmp / "static").mkdir()
        self.database_url = f"{POSTGRES_URL}/{self.name}"
        self.env = {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "API_TOKEN_HMAC_KEY": secrets.token_urlsafe(48),
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "SERVICE_URL": f"http://127.0.0.1:{self.port}",
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": REDIS_URL,
            "CACHE_KEY_PREFIX": self.name,
            "STATIC_ROOT": str(self.tmp / "static"),
            "LOG_LEVEL": "WARNING",
            "BENCH_PRERENDERED_PATH": str(self.tmp / "prerendered.json"),
            # Production insists on these; nothing in a benchmark signs in through them or sends email.
            "DFE_SIGN_IN_ISSUER": "https://dfe-sign-in.invalid",
            "DFE_SIGN_IN_CLIENT_ID": "bench",
            "DFE_SIGN_IN_CLIENT_SECRET": "bench",
            "GOVUK_NOTIFY_API_KEY": "bench-00000000-0000-0000-0000-000000000000-00000000-0000-0000-0000-000000000000",
            "GOVUK_NOTIFY_BASE_URL": "http://127.0.0.1:9",
            "GOVUK_NOTIFY_TEMPLATE_SIGN_IN_DETAILS": "00000000-0000-4000-8000-000000000001",
            "GOVUK_NOTIFY_TEMPLATE_ACCOUNT_REMOVED": "00000000-0000-4000-8000-000000000002",
        }
        self._created = False

    def __enter__(self):
        database_create(self.name)
        self._created = True
        os.environ.update(self.env)
        sys.path.insert(0, str(BASE_DIR))
        import django

        django.setup()
        from django.core.management import call_command

        step(f"database {self.name}: migrating")
        call_command("migrate", verbosity=0, interactive=False)
        return self

    def __exit__(self, *exc):
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        with contextlib.suppress(Exception):
            redis_keys_delete(self.name)
        if self._created:
            database_drop(self.name)
            step(f"database {self.name}: dropped")
        shutil.rmtree(self.tmp, ignore_errors=True)
        return False

    def collectstatic(self) -> None:
        """The admin's pages name their static files through the manifest that `collectstatic` writes."""
        from django.core.management import call_command

        step("collectstatic (the admin's pages need its manifest with DEBUG off)")
        call_command("collectstatic", interactive=False, verbosity=0)


# ---------------------------------------------------------------------------------------------------
# gunicorn and wrk
# ---------------------------------------------------------------------------------------------------


class Gunicorn:
    """The service's own gunicorn configuration (gunicorn.conf.py: sync workers, JSON access log),
    with 2 workers, on 127.0.0.1, with the run's environment."""

    def __init__(
        self, bench: BenchEnvironment, *, workers: int = 2, extra_env: dict | None = None, port: int | None = None
    ):
        self.bench = bench
        self.workers = workers
        self.extra_env = extra_env or {}
        self.port = port or bench.port
        self.process = None
        self.log = bench.tmp / f"gunicorn-{self.port}.log"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        env = {**os.environ, **self.bench.env, **self.extra_env, "WEB_CONCURRENCY": str(self.workers)}
        command = [
            str(VENV_BIN / "gunicorn"),
            "--config",
            "gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
        ]
        with self.log.open("wb") as errors:
            # The access log (one JSON line a request, as in production) goes nowhere: it is written,
            # at its usual cost, but not kept.
            self.process = subprocess.Popen(
                command, cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=errors, start_new_session=True
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log.read_text()[-3000:]}")
            with (
                contextlib.suppress(OSError, urllib.error.URLError),
                urllib.request.urlopen(f"{self.base_url}/healthcheck", timeout=2) as response,
            ):
                if response.status == 200:
                    return self
            time.sleep(0.25)
        raise RuntimeError(f"gunicorn did not answer in 60 s:\n{self.log.read_text()[-3000:]}")

    def __exit__(self, *exc):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=35)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return False

    def errors(self) -> str:
        return self.log.read_text(errors="replace")


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([0-9.]+)(us|ms|s|m)", text.strip())
    if match is None:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def wrk(url: str, *, headers: dict | None = None, seconds: int = 4, connections: int = 4) -> dict:
    """One wrk run (1 thread): requests/s, p50 and p99 in ms, and errors (non-2xx/3xx and socket)."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{int(seconds)}s", "--latency", "--timeout", "10s"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    command.append(url)
    output = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([0-9.]+)", output).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    errors = (int(non_2xx.group(1)) if non_2xx else 0) + (sum(map(int, sockets.groups())) if sockets else 0)
    return {"rps": rps, "p50": p50, "p99": p99, "errors": errors, "requests": requests}


def http_get(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


# ---------------------------------------------------------------------------------------------------
# In-process cost
# ---------------------------------------------------------------------------------------------------


def wsgi_environ(path: str, *, query: str = "", headers: dict | None = None, host: str = "127.0.0.1") -> dict:
    """A GET request as gunicorn hands it to the WSGI application."""
    import io

    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": host,
        "SERVER_PORT": "80",
        "HTTP_HOST": host,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for name, value in (headers or {}).items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    return environ


def wsgi_call(application, environ: dict) -> tuple[str, dict, bytes]:
    """Call the WSGI application once, as a server would: the status, headers and body."""
    import io

    environ = {**environ, "wsgi.input": io.BytesIO(b"")}
    seen = {}

    def start_response(status, response_headers, exc_info=None):
        seen["status"] = status
        seen["headers"] = dict(response_headers)

    result = application(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return seen["status"], seen["headers"], body


def cost_us(function, *, number: int, repeat: int = 7) -> float:
    """µs per call: the fastest of `repeat` runs of `number` calls (the least disturbed by the machine)."""
    return min(timeit.repeat(function, number=number, repeat=repeat)) / number * 1e6


# ---------------------------------------------------------------------------------------------------
# Numbers and tables
# ---------------------------------------------------------------------------------------------------


def median(values) -> float:
    return statistics.median(values)


def spread(values, fmt: str = "{:,.0f}") -> str:
    """'median [min–max]'."""
    return f"{fmt.format(median(values))} [{fmt.format(min(values))}–{fmt.format(max(values))}]"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def table(headers: list[str], rows: list[list]) -> str:
    """A Markdown table, readable as it is in a terminal."""
    cells = [[str(cell) for cell in row] for row in rows]
    widths = [max(len(headers[i]), *(len(row[i]) for row in cells)) for i in range(len(headers))]
    lines = [
        "| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |",
        "|" + "|".join("-" * (w + 2) for w in widths) + "|",
    ]
    lines += ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |" for row in cells]
    return "\n".join(lines)


def machine() -> str:
    """One line about where and when this ran: the numbers only mean something beside it."""
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    import django

    return (
        f"{datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}; {cpu}, {os.cpu_count()} cores; "
        f"Python {platform.python_version()}, Django {django.get_version()}"
    )


def step(message: str) -> None:
    print(f"… {message}", file=sys.stderr, flush=True)
