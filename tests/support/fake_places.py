"""A stand-in for Ordnance Survey's Places API (its postcode search), on 127.0.0.1, for tests that drive
the real address finder client (registry/address_finder/places.py).

It checks the API key (the `key` header, or the `key` parameter), answers `GET
/search/places/v1/postcode` in OS's shapes (a `header`, and `results` of `DPA` records, or no
`results` at all when nothing is found) from the addresses it holds, and records every request.
How it answers is its `mode`, or, for the next requests only, what `respond_next` scripted:

- RESULTS: the addresses it holds at the postcode (ADDRESSES, and any added);
- EMPTY: none, as OS says so (no `results`);
- ERROR: 503, with OS's error body (a scripted status, e.g. `respond_next(500)`, answers that status);
- SLOW: the results, but only after `slow_seconds`, longer than the tests' timeout;
- MALFORMED: 200 with a body that is not JSON (a proxy's error page);
- INCOMPLETE: the results with parts missing: no post town on any, and the last without a first line.

Use the `fake_places` fixture: it starts a server per test and points the settings at it.
"""

import copy
import enum
import threading
import uuid
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.support.local_server import FakeServiceHandler, LocalServer

API_PATH = "/search/places/v1"
POSTCODE_PATH = f"{API_PATH}/postcode"


class Mode(enum.Enum):
    RESULTS = "results"
    EMPTY = "empty"
    ERROR = "5xx"
    SLOW = "slow"
    MALFORMED = "malformed"
    INCOMPLETE = "incomplete"


@dataclass(frozen=True)
class ReceivedRequest:
    path: str
    query: dict
    key: str | None


def dpa(**parts) -> dict:
    """A DPA record as OS gives one: ADDRESS (its one line) worked out from the parts given."""
    order = (
        "ORGANISATION_NAME",
        "SUB_BUILDING_NAME",
        "BUILDING_NAME",
        "BUILDING_NUMBER",
        "THOROUGHFARE_NAME",
        "DEPENDENT_LOCALITY",
        "POST_TOWN",
        "POSTCODE",
    )
    address = ", ".join(str(parts[name]) for name in order if parts.get(name))
    return {"ADDRESS": address, "STATUS": "APPROVED", "LOGICAL_STATUS_CODE": "1", "LANGUAGE": "EN", **parts}


# Made-up addresses (and UPRNs) at two postcodes, in OS's capitals.
ADDRESSES = {
    "N13 6BY": [
        dpa(
            UPRN="100091000001",
            BUILDING_NUMBER="1",
            THOROUGHFARE_NAME="TILE KILN LANE",
            POST_TOWN="LONDON",
            POSTCODE="N13 6BY",
            LAT=51.6180312,
            LNG=-0.1104821,
        ),
        dpa(
            UPRN="100091000003",
            BUILDING_NUMBER="3",
            THOROUGHFARE_NAME="TILE KILN LANE",
            POST_TOWN="LONDON",
            POSTCODE="N13 6BY",
            LAT=51.6181007,
            LNG=-0.1106133,
        ),
        dpa(
            UPRN="100091000005",
            ORGANISATION_NAME="ASH TREE SCHOOL",
            SUB_BUILDING_NAME="FLAT 2",
            BUILDING_NAME="ROSE HOUSE",
            BUILDING_NUMBER="5",
            THOROUGHFARE_NAME="TILE KILN LANE",
            POST_TOWN="LONDON",
            POSTCODE="N13 6BY",
            LAT=51.6182254,
            LNG=-0.1107410,
        ),
    ],
    "ST4 2DE": [
        dpa(
            UPRN="100092000010",
            BUILDING_NAME="THE OLD SCHOOL HOUSE",
            THOROUGHFARE_NAME="CHURCH STREET",
            DEPENDENT_LOCALITY="HARTSHILL",
            POST_TOWN="STOKE-ON-TRENT",
            POSTCODE="ST4 2DE",
            LAT=53.0072514,
            LNG=-2.2046108,
        ),
    ],
}


class FakePlaces(LocalServer):
    thread_name = "fake-places"

    @property
    def handler_class(self):
        return _Handler

    def __init__(self):
        super().__init__()
        self.api_key = f"test-{uuid.uuid4().hex}"
        self.mode = Mode.RESULTS
        self.slow_seconds = 3.0
        self.addresses = copy.deepcopy(ADDRESSES)
        self.requests: list[ReceivedRequest] = []
        self._script: list = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()

    @property
    def api_url(self) -> str:
        return f"{self.base_url}{API_PATH}"

    def start(self) -> None:
        self._stopping.clear()
        super().start()

    def stop(self) -> None:
        self._stopping.set()  # a SLOW answer ends at once, so the server can shut down
        super().stop()

    def respond_next(self, *answers: "Mode | int") -> None:
        """Answer the next requests so (a Mode, or an error status), in order; then as `mode` again."""
        with self._lock:
            self._script.extend(answers)

    def add(self, **parts) -> dict:
        """Hold one more address (DPA parts, POSTCODE among them)."""
        record = dpa(**parts)
        self.addresses.setdefault(parts["POSTCODE"], []).append(record)
        return record

    # --- Handling requests (on the server's threads) -------------------------------------------------

    def _handle(self, handler: "_Handler", method: str) -> None:
        url = urlsplit(handler.path)
        query = {name: values[-1] for name, values in parse_qs(url.query).items()}
        key = handler.headers.get("key") or query.get("key")
        with self._lock:
            self.requests.append(ReceivedRequest(path=url.path, query=query, key=key))
            answer = self._script.pop(0) if self._script else self.mode
        if url.path != POSTCODE_PATH:
            return handler.reply(404, _error(404, "Resource not found"))
        if key != self.api_key:
            return handler.reply(401, {"fault": {"faultstring": "Invalid ApiKey", "detail": {"errorcode": "401"}}})
        if not query.get("postcode"):
            return handler.reply(400, _error(400, "Requested postcode must contain a minimum of the sector"))
        if isinstance(answer, int):
            return handler.reply(answer, _error(answer, "Internal server error"))
        if answer is Mode.ERROR:
            return handler.reply(503, _error(503, "Service unavailable"))
        if answer is Mode.MALFORMED:
            return handler.reply_raw(200, b"<html><body>Gateway error</body></html>", "text/html")
        if answer is Mode.SLOW and self._stopping.wait(self.slow_seconds):
            return handler.drop()
        found = [] if answer is Mode.EMPTY else self._found(query["postcode"])
        if answer is Mode.INCOMPLETE:
            found = _incomplete(found)
        return handler.reply(200, self._body(query, found))

    def _found(self, postcode: str) -> list[dict]:
        wanted = "".join(postcode.split()).upper()
        return [
            copy.deepcopy(record)
            for held, records in self.addresses.items()
            if "".join(held.split()) == wanted
            for record in records
        ]

    def _body(self, query: dict, found: list[dict]) -> dict:
        header = {
            "uri": f"{self.api_url}/postcode?postcode={query['postcode']}",
            "query": f"postcode={query['postcode']}",
            "offset": 0,
            "totalresults": len(found),
            "format": "JSON",
            "dataset": query.get("dataset", "DPA"),
            "lr": "EN,CY",
            "maxresults": int(query.get("maxresults", 100)),
            "epoch": "118",
            "output_srs": query.get("output_srs", "EPSG:27700"),
        }
        # OS leaves `results` out altogether when it finds nothing.
        return {"header": header, "results": [{"DPA": record} for record in found]} if found else {"header": header}


def _incomplete(found: list[dict]) -> list[dict]:
    for record in found:
        record.pop("POST_TOWN", None)
    if found:
        for part in ("ORGANISATION_NAME", "SUB_BUILDING_NAME", "BUILDING_NAME", "BUILDING_NUMBER", "THOROUGHFARE_NAME"):
            found[-1].pop(part, None)
    return found


def _error(status: int, message: str) -> dict:
    return {"error": {"statuscode": status, "message": message}}


class _Handler(FakeServiceHandler):
    server_version = "FakePlaces/1"


@pytest.fixture
def fake_places(settings):
    """A running fake Places API, and the settings pointing the address finder at it, with short waits."""
    with FakePlaces() as places:
        settings.ORDNANCE_SURVEY_API_KEY = places.api_key
        settings.ORDNANCE_SURVEY_BASE_URL = places.api_url
        settings.ORDNANCE_SURVEY_TIMEOUT_SECONDS = 0.5
        settings.ORDNANCE_SURVEY_CONNECT_TIMEOUT_SECONDS = 0.5
        settings.ORDNANCE_SURVEY_RETRY_SECONDS = 0
        places.slow_seconds = 2.0
        yield places
