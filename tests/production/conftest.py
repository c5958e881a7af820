"""Running the service as production runs it, in processes of its own, for the tests in this folder.

The processes get an environment built from nothing but the basics (PATH, HOME, the locale), so
that whatever the shell running the tests has set cannot change what they do. Each is started in a
process group of its own and always stopped, the whole group, however the test ends.
"""

import contextlib
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).parent / "gunicorn")

# The variables of the test run's own environment that the processes get; nothing else.
_PASSED_ON = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "TZ")

# PostgreSQL and Redis servers the tests may make a database and keys of their own in.
POSTGRES_URL = os.environ.get("PRODUCTION_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("PRODUCTION_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

REQUEST_TIMEOUT_SECONDS = 10
COMMAND_TIMEOUT_SECONDS = 120


def base_environment(**settings: str) -> dict[str, str]:
    environment = {name: os.environ[name] for name in _PASSED_ON if name in os.environ}
    environment.update(PYTHONUNBUFFERED="1", PYTHONDONTWRITEBYTECODE="1", **settings)
    return environment


def production_environment(
    *, host: str, database_url: str, redis_cache: "RedisCache", provider, static_root: Path, **settings: str
) -> dict[str, str]:
    """Production's environment: DEBUG off, every secret given, PostgreSQL and Redis, sign-in through
    `provider` (a local OpenID provider), JSON logs; `settings` (Notify's among them) on top."""
    return base_environment(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        API_TOKEN_HMAC_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS=host,
        SERVICE_URL=f"https://{host}",
        DATABASE_URL=database_url,
        REDIS_URL=redis_cache.url,
        CACHE_KEY_PREFIX=redis_cache.key_prefix,
        SIGN_IN_METHOD="dfe-sign-in",
        DFE_SIGN_IN_ISSUER=provider.issuer,
        DFE_SIGN_IN_CLIENT_ID=provider.client_id,
        DFE_SIGN_IN_CLIENT_SECRET=provider.client_secret,
        STATIC_ROOT=str(static_root),
        LOG_FORMAT="json",
        **settings,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_is_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait_for(condition: Callable[[], object], *, timeout: float, what: str | Callable[[], str], interval: float = 0.1):
    """Call `condition` until it returns something true, and return that; fail after `timeout` seconds,
    saying what was waited for (`what`, or what it returns then: a log's last lines, say)."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"Gave up after {timeout} s waiting for {what() if callable(what) else what}.", pytrace=False)
        time.sleep(interval)


def run_command(args: list[str], *, environment: dict[str, str], timeout: float = COMMAND_TIMEOUT_SECONDS) -> str:
    """Run a command in the project's folder; fail the test with its output if it fails."""
    result = subprocess.run(
        args,
        cwd=PROJECT_ROOT,
        env=environment,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"{' '.join(args)} exited with {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result.stdout


@dataclass
class Process:
    """A process started for a test, in a process group of its own, its output in a log file."""

    name: str
    popen: subprocess.Popen
    log_path: Path

    @property
    def running(self) -> bool:
        return self.popen.poll() is None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def log_tail(self, lines: int = 40) -> str:
        return f"--- last lines of {self.name}'s output ---\n" + "\n".join(self.log().splitlines()[-lines:])

    def signal_group(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signum)

    def stop(self, timeout: float = 15) -> None:
        """Stop the process and everything it started: politely, then not."""
        if self.running:
            self.signal_group(signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.signal_group(signal.SIGKILL)
                self.popen.wait(5)
        # Anything the process started and left behind goes too.
        self.signal_group(signal.SIGKILL)


def start_process(name: str, args: list[str], *, environment: dict[str, str], log_dir: Path) -> Process:
    log_path = log_dir / f"{name}.log"
    with log_path.open("wb") as log:
        popen = subprocess.Popen(
            args,
            cwd=PROJECT_ROOT,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Process(name=name, popen=popen, log_path=log_path)


@dataclass
class WebProcess:
    process: Process
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def get(self, path: str, **kwargs) -> requests.Response:
        return requests.get(self.url + path, **{"allow_redirects": False, "timeout": REQUEST_TIMEOUT_SECONDS, **kwargs})

    def wait_until_healthy(self, *, host: str, timeout: float = 60) -> None:
        """Wait for /healthcheck to answer 200, asked as a load balancer asks it (Host: `host`)."""

        def healthy():
            if not self.process.running:
                pytest.fail(f"{self.process.name} stopped while starting.\n{self.process.log_tail()}")
            try:
                return self.get("/healthcheck", headers={"Host": host}, timeout=2).status_code == 200
            except requests.RequestException:
                return False

        wait_for(
            healthy,
            timeout=timeout,
            what=lambda: f"{self.process.name} to answer /healthcheck\n{self.process.log_tail()}",
            interval=0.2,
        )


def start_gunicorn(name: str, *, environment: dict[str, str], log_dir: Path) -> WebProcess:
    """The web process exactly as production starts it: `gunicorn`, with the project's gunicorn.conf.py."""
    port = free_port()
    process = start_process(name, [GUNICORN, "--bind", f"127.0.0.1:{port}"], environment=environment, log_dir=log_dir)
    return WebProcess(process=process, port=port)


_CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """A browser behind the load balancer: it asks for https://{host}/…, and the balancer passes each
    request to the web process the test names, with X-Forwarded-Proto as a balancer sets it.

    It keeps its cookies itself, since they are `Secure` and the web processes are reached over HTTP.
    """

    def __init__(self, host: str):
        self.host = host
        self.origin = f"https://{host}"
        self.cookies: dict[str, str] = {}

    def request(self, method: str, web: WebProcess, path: str, *, data=None) -> requests.Response:
        headers = {"Host": self.host, "X-Forwarded-Proto": "https"}
        if method == "POST":
            headers["Origin"] = self.origin
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        response = requests.request(
            method, web.url + path, data=data, headers=headers, allow_redirects=False, timeout=REQUEST_TIMEOUT_SECONDS
        )
        self._remember_cookies(response)
        return response

    def get(self, web: WebProcess, path: str) -> requests.Response:
        return self.request("GET", web, path)

    def post(self, web: WebProcess, path: str, data: dict) -> requests.Response:
        return self.request("POST", web, path, data=data)

    def csrf_token(self, response: requests.Response) -> str:
        match = _CSRF_TOKEN.search(response.text)
        assert match, f"No CSRF token on the page at {response.url}"
        return match.group(1)

    def local_path(self, location: str) -> str:
        """The path (and query) of a URL on the service, as a redirect gives it."""
        parts = urlsplit(location)
        assert parts.netloc in ("", self.host), f"{location} is not on {self.host}"
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def _remember_cookies(self, response: requests.Response) -> None:
        for header in response.raw.headers.getlist("Set-Cookie"):
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value


@pytest.fixture(scope="module")
def postgres_database():
    """A PostgreSQL database of the tests' own, dropped afterwards; its URL."""
    psycopg = pytest.importorskip("psycopg")
    from psycopg import sql

    try:
        server = psycopg.connect(POSTGRES_URL, connect_timeout=3, autocommit=True)
    except psycopg.Error as error:
        pytest.skip(
            f"PostgreSQL is not reachable at {POSTGRES_URL} ({str(error).strip()}); "
            "set PRODUCTION_TEST_POSTGRES_URL to a server whose user may create databases."
        )
    name = f"registry_two_process_{secrets.token_hex(4)}"
    with server:
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlsplit(POSTGRES_URL)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(POSTGRES_URL, connect_timeout=3, autocommit=True) as server:
            server.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@dataclass(frozen=True)
class RedisCache:
    url: str
    key_prefix: str


@pytest.fixture(scope="module")
def redis_cache():
    """Redis, with a key prefix of the tests' own; every key under it is deleted afterwards."""
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        client.close()
        pytest.skip(f"Redis is not reachable at {REDIS_URL} ({error}); set PRODUCTION_TEST_REDIS_URL.")
    cache = RedisCache(url=REDIS_URL, key_prefix=f"registry-production-test-{secrets.token_hex(4)}")
    try:
        yield cache
    finally:
        keys = list(client.scan_iter(match=f"{cache.key_prefix}:*"))
        if keys:
            client.delete(*keys)
        client.close()
