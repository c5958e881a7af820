"""A steady load on the service for a drill to break something under, and what became of each request.

`Load` keeps up, from a thread for each kind, API reads with a token, admin pages, support users
added through the admin's check-your-answers page and API clients added and revoked through the API,
across every web process, with a health probe of each besides. Every request is kept as an
`Outcome` (its answer, or the failure that left it unanswered), and each writer keeps what it tried,
so that the drill can say, afterwards, what every request came to and which writes to look for.
"""

import itertools
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import requests
from django.urls import reverse

from tests.drills.stack import HOST, Service, add_user, admin_csrf_token
from tests.production.conftest import REQUEST_TIMEOUT_SECONDS, Browser, WebProcess

# A pause between one load thread's requests, so that refusals answered in a millisecond do not
# take the machine's every cycle.
PAUSE_SECONDS = 0.05

API_READ, ADMIN_READ, ADMIN_WRITE, API_WRITE = "API read", "admin page", "admin save", "API write"
KINDS = (API_READ, ADMIN_READ, ADMIN_WRITE, API_WRITE)


@dataclass(frozen=True)
class Outcome:
    """One request of the load, and how it was answered (or `failure`, when it was not)."""

    kind: str
    method: str
    path: str
    web: str
    started: float
    status: int | None
    content_type: str = ""
    body: str = ""
    request_id: str | None = None
    failure: str | None = None

    @property
    def unavailable(self) -> bool:
        return self.status == 503


@dataclass(frozen=True)
class Probe:
    web: str
    at: float
    status: int | None
    body: dict | None


@dataclass
class Load:
    """The requests the drill keeps up, from a thread for each kind, and the health probes."""

    service: Service
    token: str
    browsers: dict[str, Browser]
    outcomes: list[Outcome] = field(default_factory=list)
    probes: list[Probe] = field(default_factory=list)
    # What the writers tried, in order: {email address: what happened}, {client name: what happened}.
    users_tried: dict[str, str] = field(default_factory=dict)
    clients_tried: dict[str, str] = field(default_factory=dict)
    # When each user's adding began, and each client's.
    users_started: dict[str, float] = field(default_factory=dict)
    clients_started: dict[str, float] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _threads: list[threading.Thread] = field(default_factory=list)

    # --- Running -------------------------------------------------------------------------------------

    def start(self) -> None:
        for target in (self._api_reads, self._admin_reads, self._admin_writes, self._api_writes, self._probes):
            thread = threading.Thread(target=self._guarded(target), name=target.__name__, daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(REQUEST_TIMEOUT_SECONDS * 3)
        assert not any(thread.is_alive() for thread in self._threads), "a load thread did not stop"

    def _guarded(self, target):
        def run():
            try:
                target()
            except Exception as error:  # A bug in the drill itself: fail the test with it.
                self._record(Outcome("drill", "", "", "", time.monotonic(), None, failure=repr(error)))

        return run

    def _webs(self):
        return itertools.cycle(self.service.webs)

    def _pause(self) -> bool:
        return not self._stop.wait(PAUSE_SECONDS)

    def _record(self, outcome: Outcome) -> Outcome:
        with self._lock:
            self.outcomes.append(outcome)
        return outcome

    def _send(self, kind: str, web: WebProcess, method: str, path: str, call) -> tuple[Outcome, object]:
        started = time.monotonic()
        try:
            response = call()
        except requests.RequestException as error:
            return self._record(Outcome(kind, method, path, web.process.name, started, None, failure=repr(error))), None
        outcome = Outcome(
            kind,
            method,
            path,
            web.process.name,
            started,
            response.status_code,
            content_type=response.headers.get("Content-Type", ""),
            body=response.text,
            request_id=response.headers.get("X-Request-Id"),
        )
        return self._record(outcome), response

    def api_request(self, kind: str, web: WebProcess, method: str, path: str, body: dict | None = None):
        headers = {"Host": HOST, "X-Forwarded-Proto": "https", "Authorization": f"Bearer {self.token}"}
        return self._send(
            kind,
            web,
            method,
            path,
            lambda: requests.request(
                method,
                web.url + path,
                json=body,
                headers=headers,
                allow_redirects=False,
                timeout=REQUEST_TIMEOUT_SECONDS,
            ),
        )

    # --- The load ------------------------------------------------------------------------------------

    def _api_reads(self) -> None:
        paths = itertools.cycle([reverse("api:clients"), reverse("api:providers")])
        for web in self._webs():
            if not self._pause():
                return
            self.api_request(API_READ, web, "GET", next(paths))

    def _admin_reads(self) -> None:
        browser = self.browsers[ADMIN_READ]
        for web in self._webs():
            if not self._pause():
                return
            path = reverse("admin:accounts_user_changelist")
            self._send(ADMIN_READ, web, "GET", path, lambda web=web, path=path: browser.get(web, path))

    def _admin_writes(self) -> None:
        browser = self.browsers[ADMIN_WRITE]
        token = admin_csrf_token(browser, self.service.webs[0])
        for number, web in enumerate(self._webs()):
            if not self._pause():
                return
            address = f"drill.load{number}@education.gov.uk"
            started = self.users_started[address] = time.monotonic()
            try:
                added = add_user(browser, web, token=token, last_name=f"Load{number}", email=address)
            except requests.RequestException as error:
                self._record(
                    Outcome(ADMIN_WRITE, "POST", "add user", web.process.name, started, None, failure=repr(error))
                )
                self.users_tried[address] = "no answer"
                continue
            # Not filter(None, …): a response that is not a success counts as false.
            for response in (each for each in (added.answers, added.save) if each is not None):
                self._record(
                    Outcome(
                        ADMIN_WRITE,
                        "POST",
                        response.request.path_url,
                        web.process.name,
                        started,
                        response.status_code,
                        content_type=response.headers.get("Content-Type", ""),
                        body=response.text,
                        request_id=response.headers.get("X-Request-Id"),
                    )
                )
            if added.saved:
                self.users_tried[address] = "saved"
            elif added.save is None:
                self.users_tried[address] = "answers refused"
            else:
                self.users_tried[address] = f"save answered {added.save.status_code}"

    def _api_writes(self) -> None:
        # Clients whose revocation was refused, tried again each time round, so that the owner never
        # reaches the limit on clients.
        to_revoke: list[str] = []
        for number, web in enumerate(self._webs()):
            if not self._pause():
                return
            for client_id in list(to_revoke):
                outcome, _ = self.api_request(API_WRITE, web, "DELETE", reverse("api:client", args=[client_id]))
                if outcome.status in (204, 404):
                    to_revoke.remove(client_id)
            name = f"Load drill client {number}"
            self.clients_started[name] = time.monotonic()
            outcome, response = self.api_request(API_WRITE, web, "POST", reverse("api:clients"), {"name": name})
            if outcome.status != 201:
                self.clients_tried[name] = f"add answered {outcome.status}"
                continue
            self.clients_tried[name] = "added"
            client_id = response.json()["data"]["id"]
            outcome, _ = self.api_request(API_WRITE, web, "DELETE", reverse("api:client", args=[client_id]))
            if outcome.status == 204:
                self.clients_tried[name] = "added and revoked"
            else:
                to_revoke.append(client_id)

    def _probes(self) -> None:
        for web in self._webs():
            if not self._pause():
                return
            at = time.monotonic()
            try:
                response = web.get("/healthcheck", headers={"Host": HOST}, timeout=REQUEST_TIMEOUT_SECONDS)
                probe = Probe(web.process.name, at, response.status_code, response.json())
            except (requests.RequestException, ValueError) as error:
                probe = Probe(web.process.name, at, None, {"failure": repr(error)})
            with self._lock:
                self.probes.append(probe)

    # --- Reading what happened -----------------------------------------------------------------------

    def since(self, moment: float) -> list[Outcome]:
        with self._lock:
            return [outcome for outcome in self.outcomes if outcome.started >= moment]

    def kinds_answered(self, moment: float, *, unavailable: bool) -> set[str]:
        """The kinds of request answered 503 (or, without `unavailable`, successfully) since `moment`."""
        return {
            outcome.kind
            for outcome in self.since(moment)
            if outcome.status is not None and (outcome.unavailable if unavailable else outcome.status < 400)
        }

    def health_since(self, moment: float) -> dict[str, Probe]:
        """Each web process's latest health probe since `moment`."""
        with self._lock:
            return {probe.web: probe for probe in self.probes if probe.at >= moment}


def summary(outcomes: list[Outcome]) -> str:
    counts = Counter((outcome.kind, outcome.method, outcome.status, outcome.failure) for outcome in outcomes)
    lines = [
        f"{count:5} × {kind} {method} → {status or failure}"
        for (kind, method, status, failure), count in counts.items()
    ]
    for outcome in outcomes:
        if outcome.status not in (200, 201, 204, 302, 503):
            lines.append(f"{outcome.kind} {outcome.method} {outcome.path} → {outcome.status}: {_text(outcome.body)}")
            break
    return "\n".join(lines)


def _text(body: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))[:500]
