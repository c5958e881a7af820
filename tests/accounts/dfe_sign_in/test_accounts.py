"""Which account a DfE Sign-in identity signs in to, who may not, and what sign-in updates."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.dfe_sign_in.accounts import CHANGE_REASON, UID_RELEASED_REASON
from accounts.models import User
from tests.accounts.dfe_sign_in.conftest import security_events, sign_in, signed_in_user_id
from tests.factories import ApiUserFactory, InactiveUserFactory, SupportAdministratorFactory, UserFactory
from tests.support.oidc_provider import Person
from tests.support.page import Page, text

pytestmark = pytest.mark.django_db

SERVICE_NAME = "Register of training providers"
NOT_FOUND_TITLE = "Ask for an account to access the Register of training providers"


@pytest.fixture
def person(oidc_provider):
    return oidc_provider.sign_in_as(
        Person(sub="dfe-uid-mary", email="mary.lawson@education.gov.uk", given_name="Mary", family_name="Lawson")
    )


def assert_not_signed_in(client, user=None):
    assert signed_in_user_id(client) is None
    assert "dfe_sign_in_id_token" not in client.session
    if user is not None:
        user.refresh_from_db()
        assert user.last_signed_in_at is None


def denial(caplog) -> dict:
    [event] = security_events(caplog, "sign_in")
    assert event.outcome == "denied"
    return vars(event)


# --- Nobody gets an account by signing in ----------------------------------------------------------------


def test_someone_without_an_account_is_asked_to_ask_for_one(client, person, caplog):
    SupportAdministratorFactory(email="someone.else@education.gov.uk")
    users = User.objects.count()

    response = sign_in(client)

    assert response.status_code == 302
    assert response.url == reverse("user-not-found")
    assert User.objects.count() == users
    assert_not_signed_in(client)
    event = denial(caplog)
    assert (event["reason"], event["dfe_sign_in_uid"]) == ("no_account", person.sub)


def test_the_page_for_someone_without_an_account(client, oidc_provider):
    response = client.get(reverse("user-not-found"))

    assert response.status_code == 200
    page = Page(response)
    assert page.title == f"{NOT_FOUND_TITLE} - {SERVICE_NAME}"
    assert text(page.one("h1")) == NOT_FOUND_TITLE
    main = text(page.one("main"))
    assert "you need an account for this service as well" in main
    assert "email address you use for DfE Sign-in" in main


def test_a_deleted_account_does_not_sign_in(client, person, caplog):
    deleted = UserFactory(email=person.email, dfe_sign_in_uid=person.sub, deleted=True)

    response = sign_in(client)

    assert response.url == reverse("user-not-found")
    assert_not_signed_in(client, deleted)


# --- Matching ---------------------------------------------------------------------------------------------


def test_the_account_is_found_by_dfe_sign_in_id_whatever_its_email(client, person):
    mary = SupportAdministratorFactory(email="mary.old@education.gov.uk", dfe_sign_in_uid=person.sub)

    response = sign_in(client)

    assert response.url == reverse("admin:index")
    assert signed_in_user_id(client) == str(mary.pk)


def test_an_account_without_a_dfe_sign_in_id_is_found_by_email_and_linked(client, person):
    mary = SupportAdministratorFactory(email=person.email, first_name="Mary", last_name="Lawson")

    sign_in(client)

    assert signed_in_user_id(client) == str(mary.pk)
    mary.refresh_from_db()
    assert mary.dfe_sign_in_uid == person.sub
    latest = mary.history.latest()
    assert (latest.history_user_id, latest.history_change_reason) == (mary.pk, CHANGE_REASON)


def test_the_email_match_ignores_case(client, oidc_provider):
    oidc_provider.sign_in_as(sub="dfe-uid-mary", email="Mary.Lawson@Education.gov.uk")
    mary = SupportAdministratorFactory(email="mary.lawson@education.gov.uk")

    sign_in(client)

    assert signed_in_user_id(client) == str(mary.pk)
    mary.refresh_from_db()
    assert mary.email == "mary.lawson@education.gov.uk"


def test_once_linked_the_account_signs_in_by_its_id(client, person, oidc_provider):
    mary = SupportAdministratorFactory(email=person.email)
    sign_in(client)
    client.post(reverse("sign-out"))
    oidc_provider.sign_in_as(Person(sub=person.sub, email="mary.new@education.gov.uk"))

    sign_in(client)

    assert signed_in_user_id(client) == str(mary.pk)


def test_an_email_on_an_account_linked_to_another_id_is_refused(client, person, caplog):
    mary = SupportAdministratorFactory(email=person.email, dfe_sign_in_uid="a-different-dfe-uid")
    users = User.objects.count()

    response = sign_in(client)

    assert response.url == reverse("user-not-found")
    assert User.objects.count() == users
    assert_not_signed_in(client, mary)
    mary.refresh_from_db()
    assert mary.dfe_sign_in_uid == "a-different-dfe-uid"
    [mismatch] = security_events(caplog, "dfe_sign_in_identity_mismatch")
    assert (mismatch.outcome, mismatch.target, mismatch.dfe_sign_in_uid) == ("denied", str(mary.pk), person.sub)
    assert denial(caplog)["reason"] == "identity_mismatch"


def test_an_email_the_provider_says_is_unverified_does_not_link(client, person, oidc_provider):
    mary = SupportAdministratorFactory(email=person.email)
    oidc_provider.issue_id_tokens(email_verified=False)

    response = sign_in(client)

    assert response.url == reverse("user-not-found")
    assert_not_signed_in(client, mary)
    mary.refresh_from_db()
    assert mary.dfe_sign_in_uid is None


def test_a_returning_person_takes_their_dfe_sign_in_id_to_their_new_account(client, person):
    old = UserFactory(email=person.email, dfe_sign_in_uid=person.sub, deleted=True)
    new = SupportAdministratorFactory(email=person.email)

    sign_in(client)

    assert signed_in_user_id(client) == str(new.pk)
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.dfe_sign_in_uid, new.dfe_sign_in_uid) == (None, person.sub)
    latest = old.history.latest()
    assert (latest.history_user_id, latest.history_change_reason) == (new.pk, UID_RELEASED_REASON)


# --- Accounts that may not use the web pages -----------------------------------------------------------


@pytest.mark.parametrize(
    ("factory", "reason"),
    [(ApiUserFactory, "api_user_web_denied"), (InactiveUserFactory, "inactive")],
    ids=["API user", "inactive"],
)
@pytest.mark.parametrize("linked", [True, False], ids=["by id", "by email"])
def test_an_account_that_may_not_use_the_web_pages_gets_no_session(client, person, caplog, factory, reason, linked):
    user = factory(email=person.email, dfe_sign_in_uid=person.sub if linked else None)
    history_rows = user.history.count()

    response = sign_in(client)

    assert response.status_code == 302
    assert response.url == reverse("unauthorised")
    assert_not_signed_in(client, user)
    assert client.get(reverse("admin:index")).status_code == 302
    event = denial(caplog)
    assert (event["reason"], event["target"], event["method"]) == (reason, str(user.pk), "dfe-sign-in")
    # Nothing about the account changes: not its DfE Sign-in id, not its history.
    user.refresh_from_db()
    assert user.dfe_sign_in_uid == (person.sub if linked else None)
    assert user.history.count() == history_rows


def test_the_refusal_page_says_the_account_is_not_authorised(client, person):
    ApiUserFactory(email=person.email, dfe_sign_in_uid=person.sub)

    response = sign_in(client)
    page = Page(client.get(response.url))

    assert text(page.one("h1")) == "Your account is not authorised"


# --- Details from DfE Sign-in ---------------------------------------------------------------------------


def test_name_and_email_are_updated_from_dfe_sign_in_by_the_person(client, person):
    mary = SupportAdministratorFactory(
        first_name="Maria", last_name="Lawsen", email="mary.old@education.gov.uk", dfe_sign_in_uid=person.sub
    )
    history_rows = mary.history.count()

    sign_in(client)

    mary.refresh_from_db()
    assert (mary.first_name, mary.last_name, mary.email) == ("Mary", "Lawson", person.email)
    assert mary.history.count() == history_rows + 1
    latest = mary.history.latest()
    assert (latest.history_user_id, latest.history_change_reason) == (mary.pk, CHANGE_REASON)
    assert (latest.prev_record.first_name, latest.prev_record.email) == ("Maria", "mary.old@education.gov.uk")


def test_no_history_row_when_nothing_changed(client, person):
    mary = SupportAdministratorFactory(
        first_name="Mary", last_name="Lawson", email=person.email, dfe_sign_in_uid=person.sub
    )
    history_rows = mary.history.count()

    sign_in(client)
    client.post(reverse("sign-out"))
    sign_in(client)

    assert mary.history.count() == history_rows


def test_details_dfe_sign_in_leaves_out_are_kept(client, oidc_provider):
    oidc_provider.profile_in_id_token = False
    oidc_provider.userinfo_changes = {"given_name": "", "family_name": None, "email": "  "}
    person = oidc_provider.sign_in_as(sub="dfe-uid-mary")
    mary = SupportAdministratorFactory(first_name="Mary", last_name="Lawson", dfe_sign_in_uid=person.sub)
    email = mary.email

    sign_in(client)

    mary.refresh_from_db()
    assert (mary.first_name, mary.last_name, mary.email) == ("Mary", "Lawson", email)


def test_details_come_from_user_info_when_the_id_token_has_none(client, oidc_provider):
    oidc_provider.profile_in_id_token = False
    person = oidc_provider.sign_in_as(sub="dfe-uid-mary", email="mary.lawson@education.gov.uk", given_name="Mary")
    mary = SupportAdministratorFactory(first_name="M", email=person.email)

    sign_in(client)

    assert signed_in_user_id(client) == str(mary.pk)
    mary.refresh_from_db()
    assert (mary.first_name, mary.last_name, mary.dfe_sign_in_uid) == ("Mary", "Doe", person.sub)


def test_an_email_another_account_uses_is_not_taken(client, person, caplog):
    SupportAdministratorFactory(email=person.email)
    mary = SupportAdministratorFactory(email="mary.old@education.gov.uk", dfe_sign_in_uid=person.sub)

    sign_in(client)

    assert signed_in_user_id(client) == str(mary.pk)
    mary.refresh_from_db()
    assert mary.email == "mary.old@education.gov.uk"
    [conflict] = security_events(caplog, "dfe_sign_in_email_conflict")
    assert conflict.target == str(mary.pk)


def test_a_malformed_email_from_dfe_sign_in_is_not_taken(client, oidc_provider):
    person = oidc_provider.sign_in_as(sub="dfe-uid-mary", email="not an email")
    mary = SupportAdministratorFactory(email="mary.lawson@education.gov.uk", dfe_sign_in_uid=person.sub)

    sign_in(client)

    mary.refresh_from_db()
    assert mary.email == "mary.lawson@education.gov.uk"


def test_an_overlong_name_is_cut_to_fit(client, oidc_provider):
    person = oidc_provider.sign_in_as(sub="dfe-uid-mary", given_name="M" * 300)
    mary = SupportAdministratorFactory(dfe_sign_in_uid=person.sub)

    sign_in(client)

    mary.refresh_from_db()
    assert mary.first_name == "M" * 150


def test_last_signed_in_at_is_set_when_signing_in(client, person):
    mary = SupportAdministratorFactory(dfe_sign_in_uid=person.sub)
    before = timezone.now()

    sign_in(client)

    mary.refresh_from_db()
    assert mary.last_signed_in_at >= before
