"""Who gets which admin page: every URL the admin site registers, for every kind of account.

The table below is the specification. A URL the admin registers that the table does not list fails
the test, so a new page cannot arrive without someone deciding who may open it.
"""

import pytest
from django.test import Client

from tests.support.kinds_of_account import KINDS_OF_ACCOUNT, one_of_each_kind
from tests.support.routes import register_objects, routes

pytestmark = pytest.mark.django_db

ACTORS = [*KINDS_OF_ACCOUNT, "anonymous"]

OK, DENIED, NOT_FOUND, REDIRECT = 200, 403, 404, 302
SIGN_IN = "sign-in"
SIGN_OUT = 307  # to the service's sign-out, keeping the POST

# Anyone who may not use the web pages at all is sent to sign in, whatever they ask for.
_NO_SESSION = {"api_user": SIGN_IN, "inactive": SIGN_IN, "anonymous": SIGN_IN}


def _row(administrator, editor, viewer, auditor, no_role):
    return {
        "administrator": administrator,
        "editor": editor,
        "viewer": viewer,
        "auditor": auditor,
        "no_role": no_role,
        **_NO_SESSION,
    }


def _everyone(outcome):
    return _row(outcome, outcome, outcome, outcome, outcome)


EXPECTED = {
    # The site itself
    # The admin's index and each app's index send people to their home page (registry.pages.navigation).
    "index": _everyone(REDIRECT),
    "search": _everyone(OK),
    "jsi18n": _everyone(OK),
    "autocomplete": _everyone(DENIED),  # no model asks for autocompletion
    "view_on_site": _everyone(NOT_FOUND),  # nothing here has a page outside the admin
    "app_list": _everyone(REDIRECT),
    "login": dict.fromkeys(ACTORS, SIGN_IN),  # there is no password form: sign-in is elsewhere
    "logout": _everyone(SIGN_OUT),
    "password_change": _everyone(NOT_FOUND),
    "password_change_done": _everyone(NOT_FOUND),
    # Users
    "accounts_user_changelist": _row(OK, OK, OK, DENIED, DENIED),
    "accounts_user_add": _row(OK, DENIED, DENIED, DENIED, DENIED),
    "accounts_user_add_role": _row(REDIRECT, DENIED, DENIED, DENIED, DENIED),
    "accounts_user_add_check": _row(REDIRECT, DENIED, DENIED, DENIED, DENIED),
    "accounts_user_change": _row(OK, OK, OK, DENIED, DENIED),
    "accounts_user_edit": _row(OK, DENIED, DENIED, DENIED, DENIED),
    "accounts_user_edit_check": _row(REDIRECT, DENIED, DENIED, DENIED, DENIED),
    "accounts_user_delete": _row(OK, DENIED, DENIED, DENIED, DENIED),
    "accounts_user_history": _row(OK, DENIED, DENIED, OK, DENIED),
    "accounts_user_simple_history": _everyone(NOT_FOUND),  # history is read, never a form to post back
    # Emails
    "accounts_email_changelist": _row(OK, DENIED, DENIED, DENIED, DENIED),
    "accounts_email_add": _everyone(NOT_FOUND),  # Django's stock pages are never shown
    "accounts_email_change": _row(OK, DENIED, DENIED, DENIED, DENIED),
    "accounts_email_delete": _everyone(NOT_FOUND),
    "accounts_email_history": _everyone(NOT_FOUND),  # the stock history page is never shown
    "accounts_email_retry": _row(OK, DENIED, DENIED, DENIED, DENIED),
    # API clients (API users manage their own through the API, never here)
    "accounts_apiclient_changelist": _row(OK, DENIED, DENIED, DENIED, DENIED),
    "accounts_apiclient_add": _row(OK, DENIED, DENIED, DENIED, DENIED),
    "accounts_apiclient_add_expiry": _row(REDIRECT, DENIED, DENIED, DENIED, DENIED),
    "accounts_apiclient_add_expiry-date": _row(REDIRECT, DENIED, DENIED, DENIED, DENIED),
    "accounts_apiclient_add_check": _row(REDIRECT, DENIED, DENIED, DENIED, DENIED),
    "accounts_apiclient_change": _row(OK, DENIED, DENIED, DENIED, DENIED),
    "accounts_apiclient_revoke": _row(OK, DENIED, DENIED, DENIED, DENIED),
    "accounts_apiclient_delete": _everyone(NOT_FOUND),  # revoking is the way a client goes
    "accounts_apiclient_history": _row(OK, DENIED, DENIED, DENIED, DENIED),
    "accounts_apiclient_simple_history": _everyone(NOT_FOUND),
    # Activity
    "activity": _row(OK, DENIED, DENIED, OK, DENIED),
    "activity-csv": _row(OK, DENIED, DENIED, OK, DENIED),
    # The API switch: support administrators only (accounts.api_access).
    "api-access": _row(OK, DENIED, DENIED, DENIED, DENIED),
    # Providers: viewers read the register, editors and administrators change it; a step reached
    # without the answers before it sends you back to the flow's first page.
    "registry_provider_changelist": _row(OK, OK, OK, DENIED, DENIED),
    "registry_provider_download": _row(OK, OK, OK, DENIED, DENIED),  # the whole register as CSV
    "registry_provider_change": _row(OK, OK, OK, DENIED, DENIED),
    "registry_provider_add": _row(OK, OK, DENIED, DENIED, DENIED),
    "registry_provider_add_first-active": _row(REDIRECT, REDIRECT, DENIED, DENIED, DENIED),
    "registry_provider_add_academic-years": _row(REDIRECT, REDIRECT, DENIED, DENIED, DENIED),
    "registry_provider_add_accredited": _row(REDIRECT, REDIRECT, DENIED, DENIED, DENIED),
    "registry_provider_add_type": _row(REDIRECT, REDIRECT, DENIED, DENIED, DENIED),
    "registry_provider_add_details": _row(REDIRECT, REDIRECT, DENIED, DENIED, DENIED),
    "registry_provider_add_accreditation": _row(REDIRECT, REDIRECT, DENIED, DENIED, DENIED),
    "registry_provider_add_address": _row(REDIRECT, REDIRECT, DENIED, DENIED, DENIED),
    "registry_provider_add_check": _row(REDIRECT, REDIRECT, DENIED, DENIED, DENIED),
    "registry_provider_edit": _row(OK, OK, DENIED, DENIED, DENIED),
    "registry_provider_edit_check": _row(REDIRECT, REDIRECT, DENIED, DENIED, DENIED),
    "registry_provider_archive": _row(OK, OK, DENIED, DENIED, DENIED),
    "registry_provider_restore": _row(OK, OK, DENIED, DENIED, DENIED),  # of an archived provider
    "registry_provider_delete": _row(OK, OK, DENIED, DENIED, DENIED),  # of an archived provider
    **{
        f"registry_provider_{record}_{page}": outcome
        for record in ("accreditation", "address", "contact", "partnership")
        for page, outcome in {
            # Adding an address starts at its postcode search, or without a key (as here) its form.
            "add": _row(REDIRECT, REDIRECT, DENIED, DENIED, DENIED)
            if record == "address"
            else _row(OK, OK, DENIED, DENIED, DENIED),
            "add_check": _row(REDIRECT, REDIRECT, DENIED, DENIED, DENIED),
            "edit": _row(OK, OK, DENIED, DENIED, DENIED),
            "edit_check": _row(REDIRECT, REDIRECT, DENIED, DENIED, DENIED),
            "delete": _row(OK, OK, DENIED, DENIED, DENIED),
        }.items()
    },
    "registry_provider_partnership_add_dates": _row(REDIRECT, REDIRECT, DENIED, DENIED, DENIED),
    # The postcode finder's choice and the typed-in address follow the search (registry.address_finder).
    "registry_provider_address_add_select": _row(REDIRECT, REDIRECT, DENIED, DENIED, DENIED),
    "registry_provider_address_add_manual": _row(OK, OK, DENIED, DENIED, DENIED),
    "registry_provider_add_address-search": _row(REDIRECT, REDIRECT, DENIED, DENIED, DENIED),
    "registry_provider_add_address-select": _row(REDIRECT, REDIRECT, DENIED, DENIED, DENIED),
    "registry_provider_history": _row(OK, DENIED, DENIED, OK, DENIED),
    "registry_provider_simple_history": _everyone(NOT_FOUND),
    # Who has been given access to one provider: giving rights away is for support administrators
    # only, even for someone given access to this provider (guardian's stock pages are gone). The
    # person the walker removes access from has been given it (tests/support/routes.py).
    "registry_provider_access": _row(OK, DENIED, DENIED, DENIED, DENIED),
    "registry_provider_access_give": _row(OK, DENIED, DENIED, DENIED, DENIED),
    "registry_provider_access_give_access": _row(REDIRECT, DENIED, DENIED, DENIED, DENIED),
    "registry_provider_access_give_check": _row(REDIRECT, DENIED, DENIED, DENIED, DENIED),
    "registry_provider_access_remove": _row(OK, DENIED, DENIED, DENIED, DENIED),
}


def _admin_paths(objects) -> dict[str, str]:
    """{URL name: the path asked for} for every named URL under /admin/: the admin site's, nested
    ModelAdmin URLs included, and the service's own admin pages mounted beside it. A name two routes
    share (the service's page and the stock admin's behind it) is asked for at the first, which wins."""
    paths = {}
    for name, route in routes(named_only=True):
        if route.startswith("admin/"):
            paths.setdefault(name, "/" + objects.fill(name, route)[0])
    return paths


@pytest.fixture
def objects(administrator):
    return register_objects(actor=administrator)


@pytest.fixture
def clients(administrator):
    clients = {"anonymous": Client()}
    for actor, account in one_of_each_kind(administrator).items():
        clients[actor] = Client()
        clients[actor].force_login(account, backend="accounts.backends.ServiceAccountBackend")
    return clients


def _outcome(response):
    if response.status_code == 302 and response["Location"].startswith(("/personas/", "/admin/login/")):
        return SIGN_IN
    return response.status_code


def test_every_admin_url_has_a_rule():
    assert {name for name, route in routes(named_only=True) if route.startswith("admin/")} == set(EXPECTED)


def test_each_kind_of_account_gets_what_the_table_says(clients, objects):
    results = {}
    for name, path in _admin_paths(objects).items():
        method = "post" if name == "logout" else "get"
        for actor in ACTORS:
            results[(name, actor)] = _outcome(getattr(clients[actor], method)(path))

    mismatches = {key: got for key, got in results.items() if EXPECTED[key[0]][key[1]] != got}
    assert mismatches == {}, "\n".join(f"{key}: {got}" for key, got in sorted(mismatches.items(), key=str))
    # The test covered every cell of the table.
    assert len(results) == len(EXPECTED) * len(ACTORS)
