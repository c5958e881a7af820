"""The service under load: `make serve` on a PostgreSQL database and a Redis key prefix of its own.

The database (`bench_load_<random>`) is created on entering and dropped on leaving, the Redis keys
under the prefix deleted and the server's processes stopped, however the run ends.
"""

import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

from bench.harness import (
    BASE_DIR,
    POSTGRES_URL,
    REDIS_URL,
    database_create,
    database_drop,
    free_port,
    redis_keys_delete,
    step,
)

# The only variables of the calling shell the server gets: what it set otherwise must not change it.
_PASSED_ON = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "TZ")
# High enough that no run reaches it: the limits are still counted in Redis on every request.
RATE_LIMIT_OUT_OF_REACH = 1_000_000_000
STARTUP_SECONDS = 300
COMMAND_SECONDS = 600


class Stack:
    def __init__(self, *, workers: int, settings: dict[str, str] | None = None):
        self.name = f"bench_load_{secrets.token_hex(4)}"
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.tmp = Path(tempfile.mkdtemp(prefix=f"{self.name}_"))
        self.log_path = self.tmp / "serve.log"
        self.workers = workers
        self.process: subprocess.Popen | None = None
        self._created = False
        self.env = {name: os.environ[name] for name in _PASSED_ON if name in os.environ}
        # The server's settings, and those of the management commands run beside it: the same keys,
        # so that the session and token made by a command are those the server accepts.
        self.env.update(
            PYTHONUNBUFFERED="1",
            DEBUG="false",
            SECRET_KEY=secrets.token_urlsafe(50),
            API_TOKEN_HMAC_KEY=secrets.token_urlsafe(48),
            ALLOWED_HOSTS="127.0.0.1",
            SERVICE_URL=self.base_url,
            SECURE_SSL_REDIRECT="false",
            DATABASE_URL=f"{POSTGRES_URL}/{self.name}",
            REDIS_URL=REDIS_URL,
            CACHE_KEY_PREFIX=self.name,
            WEB_CONCURRENCY=str(workers),
            STATIC_ROOT=str(self.tmp / "static"),
            API_RATE_LIMIT_PER_TOKEN=str(RATE_LIMIT_OUT_OF_REACH),
            API_RATE_LIMIT_PER_ADDRESS=str(RATE_LIMIT_OUT_OF_REACH),
            # `make serve` gives these placeholders itself; the commands run beside it need them too.
            DFE_SIGN_IN_ISSUER="https://dfe-sign-in.invalid",
            DFE_SIGN_IN_CLIENT_ID="local",
            DFE_SIGN_IN_CLIENT_SECRET="local",
            GOVUK_NOTIFY_API_KEY="local-00000000-0000-0000-0000-000000000000-00000000-0000-0000-0000-000000000000",
            GOVUK_NOTIFY_BASE_URL="http://127.0.0.1:9",
            GOVUK_NOTIFY_TEMPLATE_SIGN_IN_DETAILS="00000000-0000-4000-8000-000000000001",
            GOVUK_NOTIFY_TEMPLATE_ACCOUNT_REMOVED="00000000-0000-4000-8000-000000000002",
        )
        self.env.update(settings or {})

    def __enter__(self):
        database_create(self.name)
        self._created = True
        step(f"database {self.name} created")
        return self

    def __exit__(self, *exc):
        try:
            self.stop()
        finally:
            try:
                redis_keys_delete(self.name)
            finally:
                if self._created:
                    database_drop(self.name)
                    step(f"database {self.name} dropped")
                shutil.rmtree(self.tmp, ignore_errors=True)
        return False

    # -----------------------------------------------------------------------------------------------

    def manage(self, *args: str) -> str:
        """A management command with the server's settings; its output."""
        completed = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=COMMAND_SECONDS,
            check=False,
        )
        if completed.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} exited with {completed.returncode}:\n{completed.stderr}")
        return completed.stdout

    def sql(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(self.env["DATABASE_URL"], autocommit=True) as conn:
            conn.execute(statement)

    def serve(self) -> None:
        """`make serve` (migrate, collectstatic, gunicorn and the email worker), until it is healthy."""
        # `-o`: the virtual environment is taken as installed, so that make never runs pip here;
        # SERVE_SECRETS: the keys are given, and nothing is written in the virtual environment.
        command = [
            "make",
            "--no-print-directory",
            "-o",
            ".venv/.installed",
            "serve",
            "HOST=127.0.0.1",
            f"PORT={self.port}",
            f"SERVE_SECRETS={self.tmp / 'serve-secrets.env'}",
        ]
        step(f"make serve on {self.base_url} ({self.workers} web workers): migrate, collectstatic, start")
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command,
                cwd=BASE_DIR,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"make serve exited with {self.process.returncode}:\n{self.log_tail()}")
            if self.healthy():
                return
            time.sleep(0.5)
        raise RuntimeError(f"make serve did not answer /healthcheck in {STARTUP_SECONDS} s:\n{self.log_tail()}")

    def healthy(self) -> bool:
        with (
            contextlib.suppress(OSError, urllib.error.URLError),
            urllib.request.urlopen(f"{self.base_url}/healthcheck", timeout=2) as response,
        ):
            return response.status == 200
        return False

    def wait_until_idle(self, *, timeout: float = 120) -> None:
        """Wait for the requests a load generator left behind to be answered.

        wrk stops on time with requests still queued at the server. Left there, they would slow the
        next target's first seconds; cut off by stopping the server, they would log errors no client
        saw. A connection the server has not finished with is still open on its side of the socket.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not connections_open(self.port):
                return
            time.sleep(0.1)
        raise RuntimeError(f"the server still had requests in hand {timeout:.0f} s after the load")

    def stop(self) -> None:
        """As Ctrl-C stops `make serve`: SIGINT to all its processes; then SIGKILL to what is left."""
        if self.process is None:
            return
        pgid = self.process.pid
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGINT)
            try:
                self.process.wait(timeout=45)
            except subprocess.TimeoutExpired:
                os.killpg(pgid, signal.SIGKILL)
                self.process.wait()
        # Whatever make started and left behind goes too.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)
        self.process = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log().splitlines()[-lines:])


# TCP states (include/net/tcp_states.h) of a connection the server has yet to answer and close:
# being set up, open, or closed by the client while the request waits (wrk hangs up when it stops).
_IN_HAND = {"01", "03", "08"}  # ESTABLISHED, SYN_RECV, CLOSE_WAIT


def connections_open(port: int, tables: tuple[str, ...] = ("/proc/net/tcp", "/proc/net/tcp6")) -> int:
    """How many connections to `port` on this machine the server has not finished with."""
    count = 0
    for path in tables:
        with contextlib.suppress(FileNotFoundError):
            count += count_in_hand(Path(path).read_text(), port)
    return count


def count_in_hand(table: str, port: int) -> int:
    """The connections in a /proc/net/tcp table whose local port is `port` and that are in hand."""
    count = 0
    for line in table.splitlines()[1:]:
        fields = line.split()
        if len(fields) > 3 and int(fields[1].rpartition(":")[2], 16) == port and fields[3] in _IN_HAND:
            count += 1
    return count


def log_summary(log: str) -> tuple[Counter, list[str]]:
    """From the server's JSON log: the statuses of its access log, and its error records (and any
    line that is not JSON with 'Traceback' in it)."""
    statuses, problems = Counter(), []
    for line in log.splitlines():
        if not line.startswith("{"):
            if "Traceback" in line:
                problems.append(line)
            continue
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if record.get("event") == "http_request":
            statuses[record.get("status")] += 1
        elif record.get("level") in ("error", "critical"):
            problems.append(line)
    return statuses, problems
