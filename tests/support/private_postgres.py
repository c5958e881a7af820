"""A PostgreSQL server of one test's own, which the test may stop, start and restart at will.

It is made with the server's own programs (`initdb`, `pg_ctl`) in a temporary folder, listens on a
free port of 127.0.0.1 only, and is removed afterwards, so that stopping it touches nothing else on
the machine. PostgreSQL refuses to run as root: when the tests run as root, the server's programs
run as the `postgres` account, in a folder that account owns.
"""

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

SERVER_PROGRAMS = ("initdb", "pg_ctl", "postgres")
# Who runs the server when the tests run as root.
SERVER_ACCOUNT = "postgres"
START_TIMEOUT_SECONDS = 30


def server_bindir() -> Path | None:
    """Where the server's programs are: `pg_config --bindir`, else the newest Debian-style install."""
    candidates = []
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        bindir = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True).stdout
        candidates.append(Path(bindir.strip()))
    versions = glob.glob("/usr/lib/postgresql/*/bin")
    candidates += [Path(path) for path in sorted(versions, key=lambda path: _version(path), reverse=True)]
    for candidate in candidates:
        if all((candidate / program).is_file() for program in SERVER_PROGRAMS):
            return candidate
    return None


def _version(path: str) -> tuple:
    number = Path(path).parent.name
    return tuple(int(part) for part in number.split(".") if part.isdigit())


def unavailable_reason() -> str | None:
    """Why a private server cannot be made here, or None when it can."""
    if server_bindir() is None:
        return (
            "no PostgreSQL server programs (initdb, pg_ctl, postgres) were found through `pg_config --bindir` "
            "or in /usr/lib/postgresql/*/bin: install the PostgreSQL server package"
        )
    if os.geteuid() == 0:
        if shutil.which("runuser") is None:
            return "running as root, and PostgreSQL refuses to; `runuser` is needed to run it as another account"
        try:
            pwd.getpwnam(SERVER_ACCOUNT)
        except KeyError:
            return f"running as root, and PostgreSQL refuses to; there is no {SERVER_ACCOUNT!r} account to run it as"
    return None


class PrivatePostgres:
    """A PostgreSQL server in a folder of its own: `start`, `stop`, `restart`, and `remove` at the end."""

    def __init__(self, *, port: int):
        self.bindir = server_bindir()
        self.port = port
        self.root = Path(tempfile.mkdtemp(prefix="registry-test-postgres-"))
        self.data = self.root / "data"
        self.log_path = self.root / "server.log"
        if os.geteuid() == 0:
            account = pwd.getpwnam(SERVER_ACCOUNT)
            os.chown(self.root, account.pw_uid, account.pw_gid)
        self._run(
            "initdb",
            "--pgdata",
            str(self.data),
            "--username",
            "postgres",
            "--auth",
            "trust",
            "--encoding",
            "UTF8",
            "--no-locale",
            "--no-sync",
        )

    def url(self, database: str = "postgres", **parameters: str) -> str:
        query = "&".join(f"{name}={value}" for name, value in parameters.items())
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}" + (f"?{query}" if query else "")

    def start(self) -> None:
        options = [
            f"-p {self.port}",
            "-c listen_addresses=127.0.0.1",
            # Its socket in its own folder, so it never meets another server's.
            f"-c unix_socket_directories={self.root}",
            # Nothing here needs to outlive a crash of the machine.
            "-c fsync=off",
        ]
        self._pg_ctl("start", "--wait", "--timeout", str(START_TIMEOUT_SECONDS), "--options", " ".join(options))

    def stop(self, mode: str = "fast") -> None:
        """Stop the server: `fast` ends every session at once, rolling back what is in progress."""
        self._pg_ctl("stop", "--wait", "--mode", mode)

    def restart(self, mode: str = "fast") -> None:
        self._pg_ctl("restart", "--wait", "--mode", mode, "--timeout", str(START_TIMEOUT_SECONDS))

    @property
    def running(self) -> bool:
        return self._pg_ctl("status", check=False).returncode == 0

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._pg_ctl("stop", "--wait", "--mode", "immediate", check=False)
        shutil.rmtree(self.root, ignore_errors=True)

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no server log)"
        return "--- last lines of the PostgreSQL log ---\n" + "\n".join(text.splitlines()[-lines:])

    def _pg_ctl(self, command: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return self._run("pg_ctl", command, "--pgdata", str(self.data), "--log", str(self.log_path), *args, check=check)

    def _run(self, program: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bindir / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", SERVER_ACCOUNT, "--", *command]
        result = subprocess.run(
            command, cwd=self.root, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60, check=False
        )
        if check and result.returncode != 0:
            raise RuntimeError(
                f"{program} {' '.join(args)} exited with {result.returncode}:\n{result.stdout}\n{result.stderr}\n"
                + self.log_tail()
            )
        return result
