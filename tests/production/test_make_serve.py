"""`make serve` runs the production stack with nothing set up, starts the email worker again when it
dies, and Ctrl-C stops all of it."""

import contextlib
import json
import os
import re
import shutil
import signal
import stat
import time
from pathlib import Path

import pytest

from tests.production.conftest import (
    PROJECT_ROOT,
    WebProcess,
    base_environment,
    free_port,
    port_is_open,
    start_process,
    wait_for,
)

pytestmark = pytest.mark.production

QUERY_SECRET = "query-string-secret-3f9a1c"


def _group_is_gone(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    return False


def _processes_with(variable: bytes) -> list[int]:
    """The processes whose environment holds `variable` (NAME=value): the web server and the email
    worker run in sessions of their own, so they are found by what make serve gave them."""
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        with contextlib.suppress(OSError):
            if variable in environ.read_bytes().split(b"\0"):
                found.append(int(environ.parent.name))
    return found


def _email_workers(variable: bytes) -> list[int]:
    """The email workers among the processes `_processes_with` finds."""
    found = []
    for pid in _processes_with(variable):
        with contextlib.suppress(OSError):
            if b"email_worker" in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0"):
                found.append(pid)
    return found


def test_make_serve_runs_the_production_stack_locally_and_ctrl_c_stops_it(tmp_path):
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    if not (PROJECT_ROOT / ".venv" / "bin" / "gunicorn").exists():
        pytest.skip("make serve runs the project's virtual environment, .venv, which has no gunicorn here")
    port = free_port()
    secrets_file = tmp_path / "serve-secrets.env"
    # Nothing of the service's settings but where to keep the database and the static files.
    environment = base_environment(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", STATIC_ROOT=str(tmp_path / "static")
    )
    # `-o`: the virtual environment this test runs in is taken as installed, without asking pip.
    command = [make, "-o", ".venv/.installed", "serve", "HOST=127.0.0.1", f"PORT={port}"]
    process = start_process(
        "make-serve", [*command, f"SERVE_SECRETS={secrets_file}"], environment=environment, log_dir=tmp_path
    )
    web = WebProcess(process=process, port=port)
    try:
        web.wait_until_healthy(host="127.0.0.1", timeout=120)

        health = web.get("/healthcheck")
        assert health.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}

        # Production settings, over plain HTTP: no redirect to HTTPS, and the cookies are still set.
        page = web.get("/sign-in/")
        assert page.status_code == 200
        assert re.search(r"__Host-csrftoken=[^;]+;.*Secure", page.headers["Set-Cookie"])
        assert web.get("/admin/").status_code == 302

        # The pages' static files, with hashed names, compressed, kept by browsers for ever.
        stylesheets = re.findall(r'"(/static/[^"]+\.[0-9a-f]{12}\.css)"', page.text)
        assert stylesheets
        for path in stylesheets:
            static = web.get(path, headers={"Accept-Encoding": "gzip"})
            assert static.status_code == 200
            assert static.headers["Content-Encoding"] == "gzip"
            assert "immutable" in static.headers["Cache-Control"]

        # No log line carries a query string: not a token put in a URL, nor the sign-in callback's code.
        assert web.get(f"/api/v1/info?token={QUERY_SECRET}").status_code == 401
        assert web.get(f"/no-such-page/?code={QUERY_SECRET}").status_code == 404
        web.get(f"/auth/dfe/callback/?code={QUERY_SECRET}&state={QUERY_SECRET}")

        # The generated keys are the owner's alone.
        assert stat.S_IMODE(secrets_file.stat().st_mode) == 0o600
        assert set(re.findall(r"^(\w+)=", secrets_file.read_text(), re.MULTILINE)) == {
            "LOCAL_SECRET_KEY",
            "LOCAL_API_TOKEN_HMAC_KEY",
        }

        # Both processes are running, and log in JSON.
        def both_started():
            records = [json.loads(line) for line in process.log().splitlines() if line.startswith("{")]
            loggers = {record["logger"] for record in records}
            return {"gunicorn.error", "gunicorn.access", "django_tasks_db"} <= loggers

        wait_for(both_started, timeout=30, what=lambda: f"both processes to log\n{process.log_tail()}")

        service_url = f"SERVICE_URL=http://127.0.0.1:{port}".encode()
        started = _processes_with(service_url)
        assert len(started) >= 3  # gunicorn's master, its worker and the email worker

        # The email worker dies (as it does when it loses the database): the web server goes on
        # serving, and a new worker is started.
        [worker] = _email_workers(service_url)
        os.kill(worker, signal.SIGKILL)
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            assert web.get("/healthcheck").status_code == 200
            time.sleep(0.2)
        wait_for(
            lambda: [pid for pid in _email_workers(service_url) if pid != worker],
            timeout=20,
            what=lambda: f"a new email worker\n{process.log_tail()}",
        )
        assert process.running
        assert "the email worker exited (status 137)" in process.log()
        assert web.get("/healthcheck").status_code == 200

        # Ctrl-C: the terminal sends SIGINT to the whole foreground process group.
        process.signal_group(signal.SIGINT)
        process.popen.wait(timeout=60)
        wait_for(
            lambda: _group_is_gone(process.popen.pid),
            timeout=30,
            what=lambda: f"every process of make serve to stop\n{process.log_tail()}",
        )
        wait_for(
            lambda: not _processes_with(f"SERVICE_URL=http://127.0.0.1:{port}".encode()),
            timeout=30,
            what=lambda: f"the web server and the email worker to stop\n{process.log_tail()}",
        )
        assert not port_is_open(port)
        assert "Error handling request" not in process.log()
        assert QUERY_SECRET not in process.log()
        assert "/api/v1/info?[redacted]" in process.log()
    finally:
        process.stop()
