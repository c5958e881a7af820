import pytest
from django.urls import reverse

from accounts.admin.user_flows import LOCKED_EXPLANATION
from accounts.forms import ROLE_HINTS, UserDetailsForm
from accounts.models import Email, User
from accounts.services import USER_CHANGED_ELSEWHERE
from tests.accounts.admin.support import template_names
from tests.factories import SupportAdministratorFactory, SupportViewerFactory, UserFactory
from tests.support.html import page_title, text

MESSAGES = UserDetailsForm.error_messages

pytestmark = pytest.mark.django_db


def _urls(user):
    return (
        reverse("admin:accounts_user_edit", args=[user.pk]),
        reverse("admin:accounts_user_edit_check", args=[user.pk]),
        reverse("admin:accounts_user_change", args=[user.pk]),
    )


def _answers(user, **changes):
    answers = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_api_user": "yes" if user.is_api_user else "no",
        "is_active": "yes" if user.is_active else "no",
        "role": user.role or "none",
    }
    return {**answers, **changes}


@pytest.fixture
def user():
    return UserFactory(first_name="Mary", last_name="Lawson", email="mary.lawson@education.gov.uk")


def _start(client, user):
    edit_url, _, _ = _urls(user)
    return client.get(f"{edit_url}?new")


class TestEditBeforeFirstSignIn:
    def test_form_is_prefilled_with_every_answer(self, administrator_client, user):
        response = _start(administrator_client, user)

        assert page_title(response) == "Change user - Register of training providers"
        assert "pages/form.html" in template_names(response)
        assert "User - Mary Lawson Change user" in text(response)  # caption and heading
        form = response.context["form"]
        assert list(form.fields) == ["first_name", "last_name", "email", "is_api_user", "is_active", "role"]
        assert form["email"].value() == "mary.lawson@education.gov.uk"
        assert form["is_active"].value() == "yes"

    def test_change_check_and_save(self, administrator_client, administrator, user):
        edit_url, check_url, detail_url = _urls(user)
        _start(administrator_client, user)

        response = administrator_client.post(edit_url, _answers(user, last_name="Lawson-Reid", is_active="no"))
        assert response["Location"] == check_url
        user.refresh_from_db()
        assert user.last_name == "Lawson"  # nothing saved before "Save user"

        check = administrator_client.get(check_url)
        assert page_title(check) == "Check your answers - Change user - Register of training providers"
        assert "Last name Lawson-Reid" in text(check)
        assert "Is the account active? No" in text(check)

        response = administrator_client.post(check_url, follow=True)

        assert response.redirect_chain[-1][0] == detail_url
        assert "User updated" in text(response)
        user.refresh_from_db()
        assert (user.last_name, user.is_active) == ("Lawson-Reid", False)
        record = user.history.first()
        assert (record.history_type, record.history_user) == ("~", administrator)
        assert {change.field for change in record.diff_against(record.prev_record).changes} == {
            "last_name",
            "is_active",
        }

    def test_change_link_on_check_page_returns_to_the_edited_answers(self, administrator_client, user):
        edit_url, check_url, _ = _urls(user)
        _start(administrator_client, user)
        administrator_client.post(edit_url, _answers(user, first_name="Marie"))

        links = [row["change_url"] for row in administrator_client.get(check_url).context["rows"]]
        form = administrator_client.get(edit_url).context["form"]

        assert links[0] == f"{edit_url}#first_name"
        assert form["first_name"].value() == "Marie"

    def test_every_missing_answer_is_an_error(self, administrator_client, user):
        edit_url, _, _ = _urls(user)
        _start(administrator_client, user)

        response = administrator_client.post(edit_url, {})

        assert page_title(response).startswith("Error: Change user")
        errors = response.context["form"].errors
        assert errors == {
            "first_name": [MESSAGES["first_name_required"]],
            "last_name": [MESSAGES["last_name_required"]],
            "email": [MESSAGES["email_required"]],
            "is_api_user": [MESSAGES["is_api_user_required"]],
            "is_active": [MESSAGES["is_active_required"]],
            "role": [MESSAGES["role_required"]],
        }

    def test_email_in_use_by_another_user_is_refused(self, administrator_client, user):
        UserFactory(email="colin.chapman@education.gov.uk")
        edit_url, _, _ = _urls(user)
        _start(administrator_client, user)

        response = administrator_client.post(edit_url, _answers(user, email="Colin.Chapman@education.gov.uk"))

        assert response.context["form"].errors["email"] == [MESSAGES["email_taken"]]

    def test_changing_email_sends_sign_in_details_to_the_new_address(self, administrator_client, user):
        edit_url, check_url, _ = _urls(user)
        _start(administrator_client, user)
        administrator_client.post(edit_url, _answers(user, email="M.Lawson@Digital.Education.gov.uk"))

        administrator_client.post(check_url)

        user.refresh_from_db()
        assert user.email == "m.lawson@digital.education.gov.uk"
        email = Email.objects.get(user=user)
        assert (email.kind, email.to) == (Email.Kind.SIGN_IN_DETAILS, "m.lawson@digital.education.gov.uk")

    def test_other_changes_send_no_email(self, administrator_client, user):
        edit_url, check_url, _ = _urls(user)
        _start(administrator_client, user)
        administrator_client.post(edit_url, _answers(user, is_api_user="yes"))

        administrator_client.post(check_url)

        user.refresh_from_db()
        assert user.is_api_user
        assert not user.is_staff
        assert not Email.objects.filter(user=user).exists()

    def test_role_question_says_what_each_role_may_do(self, administrator_client, user):
        page = text(_start(administrator_client, user))

        for role, hint in ROLE_HINTS.items():
            assert f"{role.value} {hint}" in page
        assert "No role" in page  # an existing user's role may be taken away

    def test_making_someone_an_api_user_shows_no_role_on_the_check_page(self, administrator_client, user):
        edit_url, check_url, _ = _urls(user)
        _start(administrator_client, user)
        administrator_client.post(edit_url, _answers(user, is_api_user="yes", role="Auditor"))

        rows = administrator_client.get(check_url).context["rows"]

        assert "role" not in [row["field"] for row in rows]


class TestEditAfterFirstSignIn:
    @pytest.fixture
    def user(self):
        return UserFactory(signed_in=True, first_name="Colin", email="colin.chapman@education.gov.uk")

    def test_only_api_user_and_active_can_be_changed(self, administrator_client, user):
        response = _start(administrator_client, user)

        assert list(response.context["form"].fields) == ["is_api_user", "is_active", "role"]
        # The rest is shown read-only, and why.
        assert LOCKED_EXPLANATION in text(response)
        assert "Email address colin.chapman@education.gov.uk" in text(response)
        assert 'name="email"' not in response.content.decode()

    def test_forged_post_changing_a_locked_answer_is_refused(self, administrator_client, user):
        edit_url, check_url, _ = _urls(user)
        _start(administrator_client, user)

        response = administrator_client.post(
            edit_url,
            {"email": "someone.else@education.gov.uk", "is_api_user": "no", "is_active": "yes", "role": "none"},
        )

        assert response.status_code == 403
        # Nothing was answered, so there is nothing to save.
        assert administrator_client.post(check_url)["Location"] == _urls(user)[0]
        user.refresh_from_db()
        assert user.email == "colin.chapman@education.gov.uk"

    def test_active_can_still_be_changed(self, administrator_client, user):
        edit_url, check_url, _ = _urls(user)
        _start(administrator_client, user)
        administrator_client.post(edit_url, {"is_api_user": "no", "is_active": "no", "role": "none"})

        administrator_client.post(check_url)

        user.refresh_from_db()
        assert not user.is_active


class TestEditConflicts:
    def test_second_of_two_concurrent_edits_is_refused(self, client, administrator_client, user):
        colleague_client = client.__class__()
        colleague_client.force_login(SupportAdministratorFactory(), backend="accounts.backends.ServiceAccountBackend")
        edit_url, check_url, detail_url = _urls(user)
        _start(administrator_client, user)
        _start(colleague_client, user)
        administrator_client.post(edit_url, _answers(user, first_name="Marie"))
        colleague_client.post(edit_url, _answers(user, last_name="Smith"))

        administrator_client.post(check_url)
        response = colleague_client.post(check_url, follow=True)

        assert response.redirect_chain[-1][0] == detail_url
        assert USER_CHANGED_ELSEWHERE in text(response)
        user.refresh_from_db()
        assert (user.first_name, user.last_name) == ("Marie", "Lawson")

    def test_email_taken_between_check_and_save_is_a_form_error(self, administrator_client, user):
        edit_url, check_url, _ = _urls(user)
        _start(administrator_client, user)
        administrator_client.post(edit_url, _answers(user, email="new.mary@education.gov.uk"))
        UserFactory(email="new.mary@education.gov.uk")

        response = administrator_client.post(check_url)

        assert response.status_code == 200
        assert response.context["form"].errors["email"] == [MESSAGES["email_taken"]]
        assert User.objects.get(pk=user.pk).email == "mary.lawson@education.gov.uk"


class TestEditPermissions:
    def test_nobody_edits_their_own_account(self, administrator_client, administrator):
        edit_url, check_url, _ = _urls(administrator)

        assert administrator_client.get(edit_url).status_code == 403
        assert administrator_client.post(edit_url, _answers(administrator, is_active="no")).status_code == 403
        assert administrator_client.post(check_url).status_code == 403
        administrator.refresh_from_db()
        assert administrator.is_active

    def test_support_viewer_cannot_edit(self, client, user):
        client.force_login(SupportViewerFactory(), backend="accounts.backends.ServiceAccountBackend")
        edit_url, check_url, _ = _urls(user)

        assert client.get(edit_url).status_code == 403
        assert client.post(edit_url, _answers(user, first_name="X")).status_code == 403
        assert client.post(check_url).status_code == 403

    def test_stock_change_form_is_not_reachable(self, administrator_client, user):
        response = administrator_client.post(
            reverse("admin:accounts_user_change", args=[user.pk]), {"is_superuser": "on", "first_name": "X"}
        )

        assert response.status_code == 405
        user.refresh_from_db()
        assert (user.first_name, user.is_superuser) == ("Mary", False)
