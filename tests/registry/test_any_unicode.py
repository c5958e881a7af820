"""Any Unicode at all, typed into the admin's forms or sent to the API: refused with a field's error, or
kept exactly as given (less the white space at either end, which every answer loses), and shown
escaped; never a 500. Hypothesis makes the text, with the awkward cases always among it: right-to-left
overrides, zero-width characters, emoji, 10,000 characters, markup, template syntax, NUL.

A test client that meets an exception raises it, so a 500 fails the example that caused it.
"""

import itertools
import json

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from accounts.models import ApiClient, User
from accounts.roles import Role
from registry.forms import ProviderForm
from tests.accounts.api_clients.fixtures import bearer, issue
from tests.factories import ApiUserFactory, ProviderFactory

pytestmark = pytest.mark.django_db

AWKWARD = [
    "\u202eevil.exe\u202c",
    "Zero\u200bwidth\u200d",
    "😀 Café 北京 مدرسة",
    "a" * 10_000,
    "<script>alert(1)</script>",
    "{{ request.user }}{% debug %}",
    "Nul\x00here",
    " \u00a0 ",
    "\ufeffBOM",
]
# Any character a browser or a client can send: everything but lone surrogates, which UTF-8 cannot carry.
ANY_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=300)
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_emails = (f"fuzz.{n}@education.gov.uk" for n in itertools.count())


def _escaped(response, value: str) -> None:
    """Markup in `value` is never on the page as markup."""
    if "<script>" in value:
        assert b"<script>alert" not in response.content


def _awkward(test):
    for value in AWKWARD:
        test = example(value)(test)
    return test


# --- The admin: adding a user, whose names and email address are free text ------------------------------


ADD_URL = reverse("admin:accounts_user_add")
ROLE_URL = reverse("admin:accounts_user_add_role")
CHECK_URL = reverse("admin:accounts_user_add_check")


def _add_user(client, **answers):
    client.get(f"{ADD_URL}?new")
    return client.post(ADD_URL, {"is_api_user": "no", **answers})


def _save_user(client):
    assert client.post(ROLE_URL, {"role": Role.SUPPORT_VIEWER.value}).status_code == 302
    assert client.get(CHECK_URL).status_code == 200
    response = client.post(CHECK_URL)
    assert response.status_code == 302, response.content


@FUZZ
@_awkward
@given(name=ANY_TEXT)
def test_any_name_is_refused_at_its_question_or_kept_exactly(administrator_client, name):
    email = next(_emails)

    response = _add_user(administrator_client, first_name=name, last_name=name, email=email)

    if response.status_code == 200:
        errors = response.context["form"].errors
        assert errors
        assert set(errors) <= {"first_name", "last_name"}
        _escaped(response, name)
        return
    assert response.status_code == 302
    _save_user(administrator_client)
    user = User.objects.get(email=email)
    assert (user.first_name, user.last_name) == (name.strip(), name.strip())


@FUZZ
@_awkward
@given(email=ANY_TEXT)
def test_any_email_address_is_refused_at_its_question_or_kept(administrator_client, email):
    response = _add_user(administrator_client, first_name="Nia", last_name="Okafor", email=email)

    if response.status_code == 200:
        assert set(response.context["form"].errors) == {"email"}
        _escaped(response, email)
        return
    assert response.status_code == 302
    _save_user(administrator_client)
    # Email addresses are kept as the service compares them: trimmed, in lower case.
    assert User.objects.filter(email=email.strip().lower()).exists()
    User.objects.filter(email=email.strip().lower()).delete()


@FUZZ
@_awkward
@given(name=ANY_TEXT)
def test_any_provider_name_is_a_field_error_or_valid(db, name):
    form = ProviderForm(
        data={
            "accreditation_status": "unaccredited",
            "provider_type": "school",
            "operating_name": name,
            "legal_name": name,
            "ukprn": "10042333",
            "urn": "139837",
            "code": "4A2",
            "academic_years": ["2025"],
        }
    )

    if not form.is_valid():
        assert set(form.errors) <= {"operating_name", "legal_name", "academic_years"}
        assert set(form.errors) & {"operating_name", "legal_name"}
    else:
        assert form.cleaned_data["operating_name"] == name.strip()


@FUZZ
@_awkward
@given(search=ANY_TEXT)
def test_any_search_of_the_providers_list_is_answered(administrator_client, search):
    response = administrator_client.get(reverse("admin:registry_provider_changelist"), {"q": search})

    assert response.status_code == 200
    _escaped(response, search)


# --- The API: a client's name, and a search --------------------------------------------------------------


@pytest.fixture
def api_token(db):
    ProviderFactory(operating_name="Abacus Belsize Primary School")
    return issue(ApiUserFactory())[1]


@FUZZ
@_awkward
@given(name=ANY_TEXT)
def test_any_client_name_sent_to_the_api_is_refused_with_its_field_or_kept_exactly(client, api_token, name):
    with transaction.atomic():
        response = client.post(
            "/api/v1/clients", json.dumps({"name": name}), content_type="application/json", headers=bearer(api_token)
        )
        if response.status_code == 400:
            assert {error.get("field") for error in response.json()["errors"]} == {"name"}
        else:
            assert response.status_code == 201, response.content
            added = response.json()["data"]
            assert added["name"] == name
            assert ApiClient.objects.get(pk=added["id"]).name == name
        # Each example starts again with no clients added, so the limit on clients is never reached.
        transaction.set_rollback(True)


@FUZZ
@_awkward
@given(search=ANY_TEXT)
def test_any_search_sent_to_the_api_is_answered(client, api_token, search):
    response = client.get("/api/v1/providers", {"q": search}, headers=bearer(api_token))

    assert response.status_code in {200, 400}, response.content
    assert response["Content-Type"].startswith("application/json")
