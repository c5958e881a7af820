import pytest
from django.urls import reverse

from accounts import permissions
from accounts.forms import ROLE_HINTS, UserDetailsForm
from accounts.models import Email, User
from accounts.roles import Role
from tests.accounts.admin.support import template_names
from tests.factories import SupportViewerFactory, UserFactory
from tests.support.html import page_title, text

ADD_URL = reverse("admin:accounts_user_add")
ROLE_URL = reverse("admin:accounts_user_add_role")
CHECK_URL = reverse("admin:accounts_user_add_check")
MESSAGES = UserDetailsForm.error_messages

pytestmark = pytest.mark.django_db

VALID = {
    "first_name": "Nia",
    "last_name": "Okafor",
    "email": "  Nia.Okafor@Education.gov.uk ",
    "is_api_user": "no",
}


def _add(client, **answers):
    client.get(f"{ADD_URL}?new")
    return client.post(ADD_URL, {**VALID, **answers})


def _add_support_user(client, role=Role.SUPPORT_EDITOR.value, **answers):
    _add(client, **answers)
    return client.post(ROLE_URL, {"role": role})


class TestPersonalDetails:
    def test_form_asks_for_personal_details(self, administrator_client):
        response = administrator_client.get(f"{ADD_URL}?new")

        assert response.status_code == 200
        assert page_title(response) == "Personal details - Add user - Register of training providers"
        assert "pages/form.html" in template_names(response)
        page = text(response)
        assert "Add user Personal details" in page  # the caption above the heading
        for label in ("First name", "Last name", "Email address", "Is the account an API user?"):
            assert label in page
        assert "Email address must be a valid Department for Education address" in page
        assert "Is the account active?" not in page
        assert "Role" not in page

    def test_empty_form_shows_every_error_in_summary_and_inline(self, administrator_client):
        administrator_client.get(f"{ADD_URL}?new")

        response = administrator_client.post(ADD_URL, {})

        assert page_title(response) == "Error: Personal details - Add user - Register of training providers"
        page = response.content.decode()
        assert "There is a problem" in page
        for code in ("first_name_required", "last_name_required", "email_required", "is_api_user_required"):
            # Once in the summary, once by the question.
            assert page.count(MESSAGES[code]) == 2
        # The summary links a radio question's error to its first option.
        assert 'href="#id_is_api_user_0"' in page
        assert not User.objects.filter(first_name="Nia").exists()

    @pytest.mark.parametrize(
        "email",
        [
            "nia@example.com",
            "nia@education.gov.uk.example.com",
            "nia@noteducation.gov.uk",
            "nia okafor@education.gov.uk",
            "nia@@education.gov.uk",
        ],
    )
    def test_email_must_be_a_dfe_address(self, administrator_client, email):
        response = _add(administrator_client, email=email)

        assert response.status_code == 200
        assert response.context["form"].errors["email"] == [MESSAGES["not_dfe_email"]]

    def test_email_on_a_dfe_subdomain_is_accepted(self, administrator_client):
        response = _add(administrator_client, email="nia@digital.education.gov.uk")

        assert response.status_code == 302

    def test_email_already_in_use_in_any_case_is_refused(self, administrator_client):
        UserFactory(email="nia.okafor@education.gov.uk")

        response = _add(administrator_client, email="NIA.OKAFOR@education.gov.uk")

        assert response.context["form"].errors["email"] == [MESSAGES["email_taken"]]

    def test_email_of_a_deleted_account_can_be_used_again(self, administrator_client):
        UserFactory(email="nia.okafor@education.gov.uk", deleted=True)

        response = _add(administrator_client)

        assert response.status_code == 302


class TestRole:
    def test_a_support_user_is_asked_their_role_with_what_each_role_may_do(self, administrator_client):
        response = _add(administrator_client)
        assert response["Location"] == ROLE_URL

        response = administrator_client.get(ROLE_URL)

        assert page_title(response) == "Role - Add user - Register of training providers"
        page = response.content.decode()
        # One question on the page: it is the heading, in the fieldset's legend.
        assert '<h1 class="app-heading">Role</h1>' in page
        for role, hint in ROLE_HINTS.items():
            assert f"{role.value} {hint}" in text(response)
        # Each hint describes its option, for screen readers.
        assert 'aria-describedby="id_role_0-hint"' in page
        assert '<div class="app-hint app-radios__hint" id="id_role_0-hint">' in page
        # A new support user needs a role to do anything.
        assert "No role" not in text(response)

    def test_a_role_must_be_chosen(self, administrator_client):
        _add(administrator_client)

        response = administrator_client.post(ROLE_URL, {})
        assert response.context["form"].errors["role"] == [MESSAGES["role_required"]]

        response = administrator_client.post(ROLE_URL, {"role": "none"})
        assert response.context["form"].errors["role"] == [MESSAGES["role_required"]]

    def test_an_api_user_is_not_asked_a_role(self, administrator_client):
        response = _add(administrator_client, is_api_user="yes")

        assert response["Location"] == CHECK_URL
        assert administrator_client.get(ROLE_URL)["Location"] == CHECK_URL
        assert "Role" not in text(administrator_client.get(CHECK_URL))

    def test_the_role_cannot_be_answered_before_the_personal_details(self, administrator_client):
        administrator_client.get(f"{ADD_URL}?new")

        assert administrator_client.get(ROLE_URL)["Location"] == ADD_URL
        assert administrator_client.post(ROLE_URL, {"role": "Auditor"})["Location"] == ADD_URL


class TestAddUserCheckYourAnswers:
    def test_valid_answers_go_to_check_page_without_saving(self, administrator_client):
        response = _add_support_user(administrator_client)

        assert response["Location"] == CHECK_URL
        assert not User.objects.filter(email="nia.okafor@education.gov.uk").exists()

        response = administrator_client.get(CHECK_URL)
        assert page_title(response) == "Check your answers - Add user - Register of training providers"
        assert "pages/check.html" in template_names(response)
        page = response.content.decode()
        assert "Email address nia.okafor@education.gov.uk" in text(response)
        assert "Role Support editor" in text(response)
        # Each Change link goes to the question, on the page that asked it.
        for field in ("first_name", "last_name", "email", "is_api_user"):
            assert f'href="{ADD_URL}#{field}"' in page
        assert f'href="{ROLE_URL}#role"' in page
        # Its hidden text names the question as it is written, acronyms and all.
        assert 'Change<span class="app-visually-hidden"> Is the account an API user?</span>' in page
        assert "Save user" in page

    def test_change_link_returns_to_prefilled_form(self, administrator_client):
        _add(administrator_client, is_api_user="yes")

        form = administrator_client.get(ADD_URL).context["form"]

        assert form["first_name"].value() == "Nia"
        assert form["email"].value() == "nia.okafor@education.gov.uk"
        assert form["is_api_user"].value() == "yes"

    def test_changed_answer_shows_on_check_page(self, administrator_client):
        _add_support_user(administrator_client)
        administrator_client.post(ADD_URL, {**VALID, "last_name": "Okafor-Reid"})
        administrator_client.post(ROLE_URL, {"role": Role.AUDITOR.value})

        page = text(administrator_client.get(CHECK_URL))

        assert "Okafor-Reid" in page
        assert "Role Auditor" in page

    def test_check_page_without_answers_goes_back_to_form(self, administrator_client):
        assert administrator_client.get(CHECK_URL)["Location"] == ADD_URL
        assert administrator_client.post(CHECK_URL)["Location"] == ADD_URL

    def test_saving_before_every_question_is_answered_goes_to_the_next_question(self, administrator_client):
        _add(administrator_client)

        assert administrator_client.post(CHECK_URL)["Location"] == ROLE_URL
        assert not User.objects.filter(email="nia.okafor@education.gov.uk").exists()


class TestSaveUser:
    def test_save_adds_active_user_with_their_role_and_queues_sign_in_details(
        self, administrator_client, administrator
    ):
        _add_support_user(administrator_client, role=Role.SUPPORT_EDITOR.value)

        response = administrator_client.post(CHECK_URL, follow=True)

        user = User.objects.get(email="nia.okafor@education.gov.uk")
        assert (user.first_name, user.last_name, user.is_active, user.is_api_user) == ("Nia", "Okafor", True, False)
        assert user.role == Role.SUPPORT_EDITOR
        assert list(user.groups.values_list("name", flat=True)) == [Role.SUPPORT_EDITOR.value]
        assert user.has_perm("registry.change_provider")
        assert user.is_staff
        assert not user.has_usable_password()
        # The new user's own page, under a success banner.
        assert response.redirect_chain[-1][0] == reverse("admin:accounts_user_change", args=[user.pk])
        assert "Success User added" in text(response)
        assert "Nia Okafor" in text(response)
        email = Email.objects.get(user=user)
        assert (email.kind, email.to) == (Email.Kind.SIGN_IN_DETAILS, user.email)
        assert email.personalisation["first_name"] == "Nia"
        record = user.history.get()
        assert (record.history_type, record.history_user) == ("+", administrator)

    def test_api_user_is_never_staff_and_has_no_role(self, administrator_client):
        _add(administrator_client, is_api_user="yes")
        administrator_client.post(CHECK_URL)

        user = User.objects.get(email="nia.okafor@education.gov.uk")
        assert user.is_api_user
        assert not user.is_staff
        assert user.role == ""

    def test_saving_twice_adds_one_user(self, administrator_client):
        _add_support_user(administrator_client)
        administrator_client.post(CHECK_URL)

        response = administrator_client.post(CHECK_URL)

        assert response["Location"] == ADD_URL
        assert User.objects.filter(email="nia.okafor@education.gov.uk").count() == 1

    def test_email_taken_before_saving_shows_the_form_error(self, administrator_client):
        _add_support_user(administrator_client)
        UserFactory(email="nia.okafor@education.gov.uk")

        response = administrator_client.post(CHECK_URL)

        assert response.status_code == 200
        assert response.context["form"].errors["email"] == [MESSAGES["email_taken"]]
        assert User.objects.filter(email="nia.okafor@education.gov.uk").count() == 1
        # The corrected answers go back through the question's page, not to the check page.
        assert f'action="{ADD_URL}"' in response.content.decode()


class TestAddUserPermissions:
    def test_support_viewer_cannot_add_users(self, client):
        client.force_login(SupportViewerFactory(), backend="accounts.backends.ServiceAccountBackend")

        assert client.get(ADD_URL).status_code == 403
        assert client.post(ADD_URL, VALID).status_code == 403
        assert client.post(CHECK_URL).status_code == 403
        assert not User.objects.filter(email="nia.okafor@education.gov.uk").exists()

    def test_someone_who_may_add_users_but_not_give_roles_is_not_asked_the_role(
        self, administrator_client, monkeypatch
    ):
        # Every role that adds users gives roles today; the rule holds for one that would not.
        monkeypatch.setattr(permissions, "user_can_give_roles", lambda actor: False)

        response = _add(administrator_client)

        assert response["Location"] == CHECK_URL
        assert administrator_client.get(ROLE_URL)["Location"] == CHECK_URL
        administrator_client.post(CHECK_URL)
        assert User.objects.get(email="nia.okafor@education.gov.uk").role == ""
