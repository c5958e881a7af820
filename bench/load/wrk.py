"""One wrk run against one target, and what it measured.

wrk's own report rounds latencies and leaves out which statuses it got, so the script (wrk.lua)
prints one line of JSON at the end, which is all this reads.
"""

import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

SCRIPT = Path(__file__).with_name("wrk.lua")
RESULT_PREFIX = "bench-load-result "

# Every target here answers 200 when it works: a redirect means the session or the token was
# refused (the sign-in page, not the list), so it counts as an error even though it is a 3xx.
EXPECTED_STATUS = 200


@dataclass(frozen=True)
class Target:
    """A page to load: `fixed` asks for `path` each time, `follow` starts at it and follows the
    API's links.next, `cycle` asks for the paths in `paths_file` in turn."""

    name: str
    path: str
    mode: str = "fixed"
    headers: dict[str, str] = field(default_factory=dict)
    paths_file: Path | None = None

    def script_arguments(self) -> list[str]:
        if self.mode == "follow":
            return ["follow", self.path]
        if self.mode == "cycle":
            return ["cycle", str(self.paths_file)]
        return ["fixed"]


@dataclass(frozen=True)
class Result:
    seconds: float
    requests: int
    statuses: dict[int, int]
    socket_errors: dict[str, int]
    p50_ms: float
    p99_ms: float
    max_ms: float
    followed: int = 0
    walks: int = 0
    unreadable: int = 0

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def unexpected_statuses(self) -> dict[int, int]:
        return {status: count for status, count in sorted(self.statuses.items()) if status != EXPECTED_STATUS}

    @property
    def errors(self) -> int:
        """Responses other than 200, socket errors (connect, read, write, timeout), and API pages
        answered 200 whose links could not be read."""
        return sum(self.unexpected_statuses.values()) + sum(self.socket_errors.values()) + self.unreadable

    def error_details(self) -> list[str]:
        details = [f"{count:,} × HTTP {status}" for status, count in self.unexpected_statuses.items()]
        details += [f"{count:,} × socket {kind}" for kind, count in self.socket_errors.items() if count]
        if self.unreadable:
            details.append(f"{self.unreadable:,} × a 200 page without readable links.next")
        return details


def parse(output: str) -> Result:
    """The Result in wrk's output (the line wrk.lua's done() writes)."""
    for line in output.splitlines():
        if line.startswith(RESULT_PREFIX):
            data = json.loads(line.removeprefix(RESULT_PREFIX))
            break
    else:
        raise ValueError(f"wrk printed no result line:\n{output[-3000:]}")
    return Result(
        seconds=data["duration_us"] / 1e6,
        requests=data["requests"],
        statuses={int(status): count for status, count in data["statuses"].items()},
        socket_errors=data["socket_errors"],
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        max_ms=data["max_us"] / 1000,
        followed=data["followed"],
        walks=data["walks"],
        unreadable=data["unreadable"],
    )


def command(base_url: str, target: Target, *, seconds: int, connections: int, threads: int = 1) -> list[str]:
    args = [
        "wrk",
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={seconds}s",
        # A slow answer is still an answer; wrk's default (2 s) would count queueing as failure.
        "--timeout=10s",
        f"--script={SCRIPT}",
    ]
    for name, value in target.headers.items():
        args += ["--header", f"{name}: {value}"]
    return [*args, base_url + target.path, "--", *target.script_arguments()]


def run(base_url: str, target: Target, *, seconds: int, connections: int, threads: int = 1) -> Result:
    completed = subprocess.run(
        command(base_url, target, seconds=seconds, connections=connections, threads=threads),
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"wrk exited with {completed.returncode}:\n{completed.stdout}\n{completed.stderr}")
    return parse(completed.stdout)
