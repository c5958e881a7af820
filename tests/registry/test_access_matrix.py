"""Who gets which admin page: every URL the admin site registers, for every kind of account.

The table below is the specification. A URL the admin registers that the table does not list fails
the test, so a new page cannot arrive without someone deciding who may open it.
"""

import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.api_clients.services import api_client_create
from accounts.models import Email
from accounts.services import user_update
from tests.factories import (
    AccreditedProviderFactory,
    AddressFactory,
    ApiUserFactory,
    ArchivedProviderFactory,
    AuditorFactory,
    ContactFactory,
    PartnershipFactory,
    SupportAdministratorFactory,
    SupportEditorFactory,
    SupportViewerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ACTORS = ["administrator", "editor", "viewer", "auditor", "no_role", "api_user", "inactive", "anonymous"]

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
    # Providers: viewers read the register, editors and administrators change it; a step reached
    # without the answers before it sends you back to the flow's first page.
    "registry_provider_changelist": _row(OK, OK, OK, DENIED, DENIED),
    "registry_provider_change": _row(OK, OK, OK, DENIED, DENIED),
    "registry_provider_add": _row(OK, OK, DENIED, DENIED, DENIED),
    "registry_provider_add_type": _row(REDIRECT, REDIRECT, DENIED, DENIED, DENIED),
    "registry_provider_add_details": _row(REDIRECT, REDIRECT, DENIED, DENIED, DENIED),
    "registry_provider_add_accreditation": _row(REDIRECT, REDIRECT, DENIED, DENIED, DENIED),
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
            "add": _row(OK, OK, DENIED, DENIED, DENIED),
            "add_check": _row(REDIRECT, REDIRECT, DENIED, DENIED, DENIED),
            "edit": _row(OK, OK, DENIED, DENIED, DENIED),
            "edit_check": _row(REDIRECT, REDIRECT, DENIED, DENIED, DENIED),
            "delete": _row(OK, OK, DENIED, DENIED, DENIED),
        }.items()
    },
    "registry_provider_partnership_add_dates": _row(REDIRECT, REDIRECT, DENIED, DENIED, DENIED),
    "registry_provider_history": _row(OK, DENIED, DENIED, OK, DENIED),
    "registry_provider_simple_history": _everyone(NOT_FOUND),
    # guardian's "Object permissions" pages give rights away: support administrators only.
    "registry_provider_permissions": _row(OK, DENIED, DENIED, DENIED, DENIED),
    "registry_provider_permissions_manage_user": _row(OK, DENIED, DENIED, DENIED, DENIED),
    "registry_provider_permissions_manage_group": _row(OK, DENIED, DENIED, DENIED, DENIED),
}


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield pattern.name, prefix + str(pattern.pattern)


def _admin_routes():
    """(name, route) for every named URL under /admin/: the admin site's, nested ModelAdmin URLs
    included, and the service's own admin pages mounted beside it."""
    for name, route in _routes(get_resolver().url_patterns):
        if route.startswith("admin/"):
            yield name, route.removeprefix("admin/")


def _path(route: str, objects: dict) -> str:
    """Fill a route's parameters with ids of real objects of the model the route belongs to."""
    model_key = "/".join(route.split("/")[:2])
    history = objects.get(f"{model_key}/history", objects["history"])
    replacements = {
        r"\^\(\?P<app_label>[^)]*\)/\$": "accounts/",
        r"\^\(\[\^/\]\+\)/history/\(\[\^/\]\+\)/\$": f"{objects.get(model_key)}/history/{history}/",
        # Only an archived provider is restored or deleted.
        r"^(registry/provider/)<(uuid|path):object_id>/(restore|delete)/$": (
            rf"\g<1>{objects.get('registry/provider/archived')}/\g<3>/"
        ),
        r"<(uuid|path):object_id>": str(objects.get(model_key, "")),
        r"<object_pk>": str(objects.get(model_key, "")),
        r"(\w+)/<uuid:record_id>": lambda match: f"{match[1]}/{objects.get(f'{model_key}/{match[1]}')}",
        r"<user_id>": str(objects.get("accounts/user")),
        r"<group_id>": str(objects.get("auth/group")),
        r"<path:content_type_id>": str(objects["content_type"]),
    }
    for pattern, value in replacements.items():
        route = re.sub(pattern, value, route)
    return "/admin/" + route


@pytest.fixture
def objects(administrator):
    from django.contrib.contenttypes.models import ContentType

    target = UserFactory(first_name="Mary", last_name="Lawson")
    user_update(
        actor=administrator, user_id=target.pk, changes={"last_name": "Lawson-Reid"}, seen_updated_at=target.updated_at
    )
    email = Email.objects.create(
        kind=Email.Kind.SIGN_IN_DETAILS, to=target.email, user=target, status=Email.Status.FAILED
    )
    api_client, _ = api_client_create(actor=administrator, owner=ApiUserFactory(), name="Timetabling system")
    # A provider with one of each of its records, and an archived one.
    provider = AccreditedProviderFactory()
    return {
        "accounts/user": target.pk,
        "accounts/email": email.pk,
        "auth/group": Group.objects.first().pk,
        "history": target.history.first().history_id,
        "content_type": ContentType.objects.get_for_model(target).pk,
        "accounts/apiclient": api_client.pk,
        "accounts/apiclient/history": api_client.history.first().history_id,
        "registry/provider": provider.pk,
        "registry/provider/history": provider.history.first().history_id,
        "registry/provider/archived": ArchivedProviderFactory().pk,
        "registry/provider/accreditations": provider.accreditations.get().pk,
        "registry/provider/addresses": AddressFactory(provider=provider).pk,
        "registry/provider/contacts": ContactFactory(provider=provider).pk,
        "registry/provider/partnerships": PartnershipFactory(accredited_provider=provider).pk,
    }


@pytest.fixture
def clients(administrator):
    accounts = {
        "administrator": administrator,
        "editor": SupportEditorFactory(),
        "viewer": SupportViewerFactory(),
        "auditor": AuditorFactory(),
        "no_role": UserFactory(),
        "api_user": ApiUserFactory(),
        "inactive": SupportAdministratorFactory(is_active=False),
    }
    clients = {"anonymous": Client()}
    for actor, account in accounts.items():
        clients[actor] = Client()
        clients[actor].force_login(account, backend="accounts.backends.ServiceAccountBackend")
    return clients


def _outcome(response):
    if response.status_code == 302 and response["Location"].startswith(("/personas/", "/admin/login/")):
        return SIGN_IN
    return response.status_code


def test_every_admin_url_has_a_rule():
    assert {name for name, _ in _admin_routes()} == set(EXPECTED)


def test_each_kind_of_account_gets_what_the_table_says(clients, objects):
    results = {}
    for name, route in _admin_routes():
        path = _path(route, objects)
        method = "post" if name == "logout" else "get"
        for actor in ACTORS:
            results[(name, actor)] = _outcome(getattr(clients[actor], method)(path))

    mismatches = {key: got for key, got in results.items() if EXPECTED[key[0]][key[1]] != got}
    assert mismatches == {}, "\n".join(f"{key}: {got}" for key, got in sorted(mismatches.items(), key=str))
    # The test covered every cell of the table.
    assert len(results) == len(EXPECTED) * len(ACTORS)
