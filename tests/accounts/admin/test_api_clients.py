import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.api_clients.services import (
    EXPIRY_NOT_IN_FUTURE,
    EXPIRY_TOO_FAR,
    api_client_create,
    api_client_revoke,
    months_ahead,
)
from accounts.forms import ApiClientForm
from accounts.models import ApiClient, ApiToken, Session
from accounts.services import user_update
from registry.formats import format_govuk_date
from tests.accounts.admin.support import first_cells, list_rows, template_names
from tests.factories import ApiUserFactory, SupportViewerFactory
from tests.support.forms import date_parts
from tests.support.html import page_title, text

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:accounts_apiclient_add")
EXPIRY_URL = reverse("admin:accounts_apiclient_add_expiry")
DATE_URL = reverse("admin:accounts_apiclient_add_expiry-date")
CHECK_URL = reverse("admin:accounts_apiclient_add_check")
LIST_URL = reverse("admin:accounts_apiclient_changelist")
MESSAGES = ApiClientForm.error_messages


@pytest.fixture
def api_user():
    return ApiUserFactory(first_name="Ahmed", last_name="Ali", email="ahmed.ali@education.gov.uk")


def _api_status(token):
    return Client().get("/api/v1/info", HTTP_AUTHORIZATION=f"Bearer {token}").status_code


def _answer(client, api_user, name="Timetabling system", expiry="90-days"):
    client.get(f"{ADD_URL}?new")
    client.post(ADD_URL, {"owner": str(api_user.pk), "name": name})
    return client.post(EXPIRY_URL, {"expiry": expiry})


def _add(client, api_user, name="Timetabling system", expiry="90-days"):
    _answer(client, api_user, name, expiry)
    return client.post(CHECK_URL, follow=True)


def _view_url(client):
    return reverse("admin:accounts_apiclient_change", args=[client.pk])


def _expire(client):
    long_ago = timezone.now() - datetime.timedelta(days=400)
    ApiToken.objects.filter(client=client).update(created_at=long_ago, expires_at=long_ago + datetime.timedelta(days=1))


class TestAddApiClient:
    def test_administrator_adds_a_client_and_sees_its_token_once(self, administrator_client, api_user):
        _answer(administrator_client, api_user)

        check = administrator_client.get(CHECK_URL)
        assert page_title(check) == "Check your answers - Add API client - Register of training providers"
        assert "API user Ahmed Ali (ahmed.ali@education.gov.uk)" in text(check)
        assert "Client name Timetabling system" in text(check)
        until = format_govuk_date(timezone.localtime(timezone.now() + datetime.timedelta(days=90)))
        assert f"When should the token expire? 90 days, until {until}" in text(check)

        response = administrator_client.post(CHECK_URL)

        client = ApiClient.objects.get(owner=api_user)
        assert client.name == "Timetabling system"
        token = response.context["token"]
        assert "Success API client added" in text(response)
        assert "API client token created" in text(response)
        assert "it cannot be viewed again" in text(response)
        assert _api_status(token) == 200
        assert "no-store" in response["Cache-Control"]
        # Shown once: the client's page, the list and the database never hold it.
        detail = administrator_client.get(_view_url(client))
        assert "Timetabling system" in text(detail)
        assert token not in detail.content.decode()
        assert token not in administrator_client.get(LIST_URL).content.decode()
        assert all(token not in str(session.get_decoded()) for session in Session.objects.all())
        assert token not in str(list(ApiToken.objects.values()))

    @pytest.mark.parametrize(
        ("expiry", "expected"),
        [
            ("30-days", lambda now: now + datetime.timedelta(days=30)),
            ("90-days", lambda now: now + datetime.timedelta(days=90)),
            ("6-months", lambda now: months_ahead(now, 6)),
            ("12-months", lambda now: months_ahead(now, 12)),
        ],
    )
    def test_the_token_expires_when_chosen(self, administrator_client, api_user, expiry, expected):
        before = timezone.now()
        _add(administrator_client, api_user, expiry=expiry)

        token = ApiToken.objects.get(client__owner=api_user)
        assert expected(before) <= token.expires_at <= expected(timezone.now())

    def test_each_expiry_says_the_date_it_would_end(self, administrator_client, api_user):
        administrator_client.get(f"{ADD_URL}?new")
        administrator_client.post(ADD_URL, {"owner": str(api_user.pk), "name": "Timetabling system"})

        response = administrator_client.get(EXPIRY_URL)

        assert page_title(response) == "When should the token expire? - Add API client - Register of training providers"
        until = format_govuk_date(timezone.localtime(months_ahead(timezone.now(), 6)))
        assert f"6 months Until {until}" in text(response)
        assert "Another date" in text(response)

    def test_another_date_is_asked_and_the_token_stops_as_it_starts(self, administrator_client, api_user):
        response = _answer(administrator_client, api_user, expiry="date")
        assert response["Location"] == DATE_URL
        day = timezone.localdate() + datetime.timedelta(days=45)

        response = administrator_client.post(DATE_URL, date_parts("expires_on", day))
        assert response["Location"] == CHECK_URL
        assert f"Expiry date {format_govuk_date(day)}" in text(administrator_client.get(CHECK_URL))
        administrator_client.post(CHECK_URL)

        token = ApiToken.objects.get(client__owner=api_user)
        assert timezone.localtime(token.expires_at) == timezone.make_aware(
            datetime.datetime.combine(day, datetime.time.min)
        )

    @pytest.mark.parametrize(
        ("day", "message"),
        [
            (lambda today: today, EXPIRY_NOT_IN_FUTURE),
            (lambda today: today - datetime.timedelta(days=3), EXPIRY_NOT_IN_FUTURE),
            (lambda today: months_ahead(timezone.localtime(), 12).date() + datetime.timedelta(days=1), EXPIRY_TOO_FAR),
        ],
    )
    def test_another_date_must_be_within_the_next_12_months(self, administrator_client, api_user, day, message):
        _answer(administrator_client, api_user, expiry="date")

        response = administrator_client.post(DATE_URL, date_parts("expires_on", day(timezone.localdate())))

        assert response.context["form"].errors["expires_on"] == [message]
        assert not ApiClient.objects.exists()

    def test_missing_answers_are_errors(self, administrator_client):
        administrator_client.get(f"{ADD_URL}?new")

        response = administrator_client.post(ADD_URL, {})

        assert response.context["form"].errors == {
            "owner": [MESSAGES["owner_required"]],
            "name": [MESSAGES["name_required"]],
        }

    def test_an_expiry_must_be_chosen(self, administrator_client, api_user):
        administrator_client.get(f"{ADD_URL}?new")
        administrator_client.post(ADD_URL, {"owner": str(api_user.pk), "name": "Timetabling system"})

        response = administrator_client.post(EXPIRY_URL, {})

        assert response.context["form"].errors == {"expiry": [MESSAGES["expiry_required"]]}

    def test_support_users_cannot_own_clients(self, administrator_client, administrator):
        administrator_client.get(f"{ADD_URL}?new")

        response = administrator_client.post(ADD_URL, {"owner": str(administrator.pk), "name": "Mine"})

        assert response.context["form"].errors["owner"] == [MESSAGES["owner_required"]]

    def test_a_name_the_api_user_already_uses_is_refused_on_its_question(
        self, administrator_client, administrator, api_user
    ):
        api_client_create(actor=administrator, owner=api_user, name="Timetabling system")
        _answer(administrator_client, api_user)

        response = administrator_client.post(CHECK_URL)

        assert response.context["form"].errors["name"] == ["Client name must be unique"]
        assert ApiClient.objects.filter(owner=api_user).count() == 1

    def test_adding_from_an_api_users_page_chooses_them(self, administrator_client, api_user):
        response = administrator_client.get(f"{ADD_URL}?new&owner={api_user.pk}")

        assert response.context["form"]["owner"].value() == str(api_user.pk)


class TestApiClientList:
    def test_list_shows_every_api_users_clients_with_status_and_expiry(
        self, administrator_client, administrator, api_user
    ):
        client, issued = api_client_create(actor=administrator, owner=api_user, name="Timetabling system")
        api_client_create(
            actor=administrator, owner=ApiUserFactory(first_name="Farrah", last_name="Al-Farsi"), name="Census loader"
        )

        response = administrator_client.get(LIST_URL)

        assert page_title(response) == "API clients - Register of training providers"
        assert "pages/list.html" in template_names(response)
        assert "API clients (2)" in text(response)
        page = response.content.decode()
        assert f'<a class="app-button" href="{ADD_URL}?new">Add API client</a>' in page
        expires = format_govuk_date(timezone.localtime(issued.record.expires_at))
        added = format_govuk_date(timezone.localtime(client.created_at))
        assert f"Timetabling system Ahmed Ali Active {expires} {added}" in list_rows(response)
        assert first_cells(response) == ["Census loader", "Timetabling system"]  # newest first
        # The API user links to their page.
        assert f'href="{reverse("admin:accounts_user_change", args=[api_user.pk])}"' in page
        assert '<strong class="app-tag app-tag--green">Active</strong>' in page

    def test_revoked_and_expired_clients_are_kept_and_tagged(self, administrator_client, administrator, api_user):
        revoked, _ = api_client_create(actor=administrator, owner=api_user, name="Old loader")
        api_client_revoke(actor=administrator, client_id=revoked.pk)
        expired, _ = api_client_create(actor=administrator, owner=api_user, name="Pilot")
        _expire(expired)
        api_client_create(actor=administrator, owner=api_user, name="Timetabling system")

        response = administrator_client.get(LIST_URL)

        statuses = {row.split(" Ahmed Ali ")[0]: row.split(" Ahmed Ali ")[1].split()[0] for row in list_rows(response)}
        assert statuses == {"Old loader": "Revoked", "Pilot": "Expired", "Timetabling system": "Active"}
        page = response.content.decode()
        assert '<strong class="app-tag app-tag--yellow">Revoked</strong>' in page
        assert '<strong class="app-tag app-tag--grey">Expired</strong>' in page

    @pytest.mark.parametrize(
        ("status", "shown"), [("active", ["Timetabling system"]), ("revoked", ["Old loader"]), ("expired", ["Pilot"])]
    )
    def test_filter_by_status(self, administrator_client, administrator, api_user, status, shown):
        revoked, _ = api_client_create(actor=administrator, owner=api_user, name="Old loader")
        api_client_revoke(actor=administrator, client_id=revoked.pk)
        expired, _ = api_client_create(actor=administrator, owner=api_user, name="Pilot")
        _expire(expired)
        api_client_create(actor=administrator, owner=api_user, name="Timetabling system")

        response = administrator_client.get(LIST_URL, {"status": status})

        assert first_cells(response) == shown
        assert "Selected filters" in text(response)

    def test_a_deactivated_api_users_clients_show_as_revoked(self, administrator_client, administrator, api_user):
        api_client_create(actor=administrator, owner=api_user, name="Timetabling system")
        user_update(
            actor=administrator, user_id=api_user.pk, changes={"is_active": False}, seen_updated_at=api_user.updated_at
        )

        assert "Timetabling system Ahmed Ali Revoked" in " ".join(list_rows(administrator_client.get(LIST_URL)))

    def test_filter_by_api_user(self, administrator_client, administrator, api_user):
        api_client_create(actor=administrator, owner=api_user, name="Timetabling system")
        farrah = ApiUserFactory(first_name="Farrah", last_name="Al-Farsi")
        api_client_create(actor=administrator, owner=farrah, name="Census loader")

        response = administrator_client.get(LIST_URL, {"owner": str(farrah.pk)})

        assert first_cells(response) == ["Census loader"]
        assert "API user Remove this filter Farrah Al-Farsi" in text(response)

    @pytest.mark.parametrize(
        "query", ["owner=not-an-id", "status=bogus", "name__startswith=Time", "owner__is_superuser=1"]
    )
    def test_only_offered_filter_values_are_read(self, administrator_client, administrator, api_user, query):
        api_client_create(actor=administrator, owner=api_user, name="Timetabling system")

        response = administrator_client.get(f"{LIST_URL}?{query}")

        assert response.status_code == 200
        assert first_cells(response) == ["Timetabling system"]
        assert "Selected filters" not in text(response)


class TestViewApiClient:
    def test_a_clients_page_shows_its_api_user_status_expiry_and_tokens(
        self, administrator_client, administrator, api_user
    ):
        client, issued = api_client_create(actor=administrator, owner=api_user, name="Timetabling system")

        response = administrator_client.get(_view_url(client))

        assert page_title(response) == "View API client - Register of training providers"
        page = text(response)
        assert "API client Timetabling system Active" in page
        assert "API user Ahmed Ali" in page
        assert f"Expires {format_govuk_date(timezone.localtime(issued.record.expires_at))}" in page
        assert "Last used Never" in page
        assert f"Tokens Token Status Added Works until Last used {issued.record.hint} Active" in page
        html = response.content.decode()
        assert f'href="{reverse("admin:accounts_user_change", args=[api_user.pk])}"' in html
        assert f'href="{reverse("admin:accounts_apiclient_revoke", args=[client.pk])}"' in html
        assert f'href="{reverse("admin:accounts_apiclient_history", args=[client.pk])}"' in html

    def test_a_revoked_clients_page_offers_no_revoke(self, administrator_client, administrator, api_user):
        client, _ = api_client_create(actor=administrator, owner=api_user, name="Timetabling system")
        api_client_revoke(actor=administrator, client_id=client.pk)

        response = administrator_client.get(_view_url(client))

        assert "Status Revoked" in text(response)
        assert "Revoke API client" not in text(response)
        assert administrator_client.get(reverse("admin:accounts_apiclient_revoke", args=[client.pk])).status_code == 404


class TestRevokeApiClient:
    def test_revoking_stops_every_token_at_once(self, administrator_client, api_user):
        token = _add(administrator_client, api_user).context["token"]
        client = ApiClient.objects.get(owner=api_user)
        revoke_url = reverse("admin:accounts_apiclient_revoke", args=[client.pk])

        confirm = administrator_client.get(revoke_url)
        assert page_title(confirm) == "Confirm you want to revoke API client - Register of training providers"
        assert "Confirm you want to revoke Timetabling system" in text(confirm)
        assert "Revoking an API client is permanent – you cannot undo it." in text(confirm)
        assert _api_status(token) == 200  # looking at the question changes nothing

        response = administrator_client.post(revoke_url, follow=True)

        assert response.redirect_chain[-1][0] == _view_url(client)
        assert "Success API client revoked" in text(response)
        assert _api_status(token) == 401
        client.refresh_from_db()
        assert client.deleted_at is not None
        # Kept, and tagged.
        assert "Timetabling system Ahmed Ali Revoked" in " ".join(list_rows(administrator_client.get(LIST_URL)))


def test_support_viewer_may_not_manage_clients(client, administrator, api_user):
    api_client, _ = api_client_create(actor=administrator, owner=api_user, name="Timetabling system")
    client.force_login(SupportViewerFactory(), backend="accounts.backends.ServiceAccountBackend")

    assert client.get(LIST_URL).status_code == 403
    assert client.get(_view_url(api_client)).status_code == 403
    assert client.post(reverse("admin:accounts_apiclient_revoke", args=[api_client.pk])).status_code == 403
    assert client.post(ADD_URL, {"owner": str(api_user.pk), "name": "X"}).status_code == 403
    assert ApiClient.objects.count() == 1


def test_the_list_takes_the_same_number_of_queries_however_many_clients(administrator_client, administrator):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert administrator_client.get(LIST_URL).status_code == 200
        return len(queries)

    administrator_client.get(LIST_URL)  # the session is cached after its first request
    api_client_create(actor=administrator, owner=ApiUserFactory(), name="First")
    with_one = count_queries()
    for number in range(10):
        api_client_create(actor=administrator, owner=ApiUserFactory(), name=f"Client {number}")

    # The signed-in user, the API users the filter offers, the count and the page of clients.
    assert count_queries() == with_one == 4
