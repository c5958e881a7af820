"""Ordnance Survey's Places API, asked for the addresses at a postcode.

A support user is waiting on the page while this runs, so it waits briefly: a short connection
timeout and a short read timeout (`ORDNANCE_SURVEY_TIMEOUT_SECONDS`). A failure that another try
may well not meet (the connection refused or reset, 429, 500, 502, 503, 504) is tried once more,
after a moment; an answer that was too slow is not, since the person has waited the whole timeout
already. Whatever goes wrong ends in `AddressFinderUnavailable`, and the page offers the address
form instead: the finder is a help, never the only way to enter an address.

The API key goes in the `key` header, not the address, so it is never in a log line or an error.
"""

import logging
import time

import requests
from django.conf import settings

from registry.address_finder.found import FoundAddress

logger = logging.getLogger(__name__)

POSTCODE_PATH = "/postcode"
# OS gives at most 100 addresses a request; a postcode rarely has more.
MAX_RESULTS = 100
# Statuses worth a second try: busy, or a passing fault at OS or on the way there.
TRANSIENT_STATUSES = frozenset({429, 500, 502, 503, 504})
ATTEMPTS = 2


class AddressFinderUnavailable(Exception):
    """The addresses at a postcode cannot be had now: the address has to be typed in."""


class AddressFinderNotConfigured(AddressFinderUnavailable):
    """There is no `ORDNANCE_SURVEY_API_KEY`, as when the service runs locally."""


def is_configured() -> bool:
    return bool(settings.ORDNANCE_SURVEY_API_KEY)


def addresses_at(postcode: str, building: str | None = None) -> list[FoundAddress]:
    """The addresses Ordnance Survey has at `postcode` (a full UK postcode), in its order; with
    `building` ("10", "Rose House"), only those whose building it names. [] when there are none.

    Raises AddressFinderUnavailable when OS cannot be asked (no key), cannot be reached, is too slow,
    fails, or answers with something that is not its JSON.
    """
    if not is_configured():
        raise AddressFinderNotConfigured("ORDNANCE_SURVEY_API_KEY is not set")
    body = _get_json({"postcode": postcode, "output_srs": "WGS84", "dataset": "DPA", "maxresults": MAX_RESULTS})
    found = [FoundAddress.from_dpa(dpa) for dpa in _delivery_points(body)]
    return [address for address in found if address.matches_building(building or "")]


def _get_json(params: dict):
    url = settings.ORDNANCE_SURVEY_BASE_URL.rstrip("/") + POSTCODE_PATH
    timeout = (settings.ORDNANCE_SURVEY_CONNECT_TIMEOUT_SECONDS, settings.ORDNANCE_SURVEY_TIMEOUT_SECONDS)
    headers = {"key": settings.ORDNANCE_SURVEY_API_KEY, "Accept": "application/json"}
    for attempt in range(1, ATTEMPTS + 1):
        last_try = attempt == ATTEMPTS
        try:
            response = requests.get(url, params=params, headers=headers, timeout=timeout)
        except requests.ReadTimeout:
            logger.warning("Ordnance Survey took longer than %ss to answer", timeout[1])
            raise AddressFinderUnavailable("Ordnance Survey did not answer in time") from None
        except requests.RequestException as error:
            # Connection refused or reset, or no connection within the connect timeout.
            logger.warning("Ordnance Survey could not be reached (attempt %s): %s", attempt, type(error).__name__)
            if last_try:
                raise AddressFinderUnavailable("Ordnance Survey could not be reached") from None
        else:
            if response.status_code == 200:
                return _json(response)
            logger.warning("Ordnance Survey answered %s (attempt %s)", response.status_code, attempt)
            if last_try or response.status_code not in TRANSIENT_STATUSES:
                raise AddressFinderUnavailable(f"Ordnance Survey answered {response.status_code}")
        time.sleep(settings.ORDNANCE_SURVEY_RETRY_SECONDS)
    raise AssertionError("unreachable")  # pragma: no cover


def _json(response: requests.Response):
    try:
        return response.json()
    except ValueError:
        logger.warning("Ordnance Survey answered with something that is not JSON")
        raise AddressFinderUnavailable("Ordnance Survey's answer was not JSON") from None


def _delivery_points(body) -> list[dict]:
    """The DPA records of OS's answer. An answer without `results` is OS's way of saying "none"."""
    if not isinstance(body, dict) or not isinstance(body.get("header", {}), dict):
        raise _malformed()
    results = body.get("results", [])
    if not isinstance(results, list) or not all(isinstance(each, dict) for each in results):
        raise _malformed()
    points = [each.get("DPA") for each in results]
    if not all(isinstance(each, dict) for each in points):
        raise _malformed()
    return points


def _malformed() -> AddressFinderUnavailable:
    logger.warning("Ordnance Survey's answer was not in the shape of its Places API")
    return AddressFinderUnavailable("Ordnance Survey's answer was not in the expected shape")
