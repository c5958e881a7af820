import pytest
from django.urls import reverse

from accounts.forms import UserDetailsForm
from accounts.models import Email, User
from tests.factories import SupportViewerFactory, UserFactory
from tests.support.html import page_title

ADD_URL = reverse("admin:accounts_user_add")
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
    return client.post(ADD_URL, {**VALID, **answers})


class TestAddUserForm:
    def test_form_asks_for_personal_details(self, administrator_client):
        response = administrator_client.get(ADD_URL)

        assert response.status_code == 200
        assert page_title(response) == "Add user - personal details - Register of training providers"
        page = response.content.decode()
        for label in ("First name", "Last name", "Email address", "Is the account an API user?"):
            assert label in page
        assert "Email address must be a valid Department for Education address" in page
        assert "Is the account active?" not in page

    def test_empty_form_shows_every_error_in_summary_and_inline(self, administrator_client):
        response = administrator_client.post(ADD_URL, {})

        assert page_title(response) == "Error: Add user - personal details - Register of training providers"
        page = response.content.decode()
        assert "There is a problem" in page
        for code in ("first_name_required", "last_name_required", "email_required", "is_api_user_required"):
            # Once in the summary, once by the question.
            assert page.count(MESSAGES[code]) == 2
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


class TestAddUserCheckYourAnswers:
    def test_valid_answers_go_to_check_page_without_saving(self, administrator_client):
        response = _add(administrator_client)

        assert response["Location"] == CHECK_URL
        assert not User.objects.filter(email="nia.okafor@education.gov.uk").exists()

        response = administrator_client.get(CHECK_URL)
        assert page_title(response) == "Check your answers - Add user - Register of training providers"
        page = response.content.decode()
        assert "nia.okafor@education.gov.uk" in page
        assert page.count(f'href="{ADD_URL}"') == 4  # a Change link for each answer
        assert "Save user" in page

    def test_change_link_returns_to_prefilled_form(self, administrator_client):
        _add(administrator_client, is_api_user="yes")

        form = administrator_client.get(ADD_URL).context["form"]

        assert form["first_name"].value() == "Nia"
        assert form["email"].value() == "nia.okafor@education.gov.uk"
        assert form["is_api_user"].value() == "yes"

    def test_changed_answer_shows_on_check_page(self, administrator_client):
        _add(administrator_client)
        _add(administrator_client, last_name="Okafor-Reid")

        assert "Okafor-Reid" in administrator_client.get(CHECK_URL).content.decode()

    def test_check_page_without_answers_goes_back_to_form(self, administrator_client):
        assert administrator_client.get(CHECK_URL)["Location"] == ADD_URL
        assert administrator_client.post(CHECK_URL)["Location"] == ADD_URL


class TestSaveUser:
    def test_save_adds_active_user_and_queues_sign_in_details(self, administrator_client, administrator):
        _add(administrator_client)

        response = administrator_client.post(CHECK_URL, follow=True)

        user = User.objects.get(email="nia.okafor@education.gov.uk")
        assert (user.first_name, user.last_name, user.is_active, user.is_api_user) == (
            "Nia",
            "Okafor",
            True,
            False,
        )
        assert user.is_staff
        assert not user.has_usable_password()
        assert response.redirect_chain[-1][0] == reverse("admin:accounts_user_changelist")
        assert "User added" in response.content.decode()
        email = Email.objects.get(user=user)
        assert (email.kind, email.to) == (Email.Kind.SIGN_IN_DETAILS, user.email)
        assert email.personalisation["first_name"] == "Nia"
        record = user.history.get()
        assert (record.history_type, record.history_user) == ("+", administrator)

    def test_api_user_is_never_staff(self, administrator_client):
        _add(administrator_client, is_api_user="yes")
        administrator_client.post(CHECK_URL)

        user = User.objects.get(email="nia.okafor@education.gov.uk")
        assert user.is_api_user
        assert not user.is_staff

    def test_saving_twice_adds_one_user(self, administrator_client):
        _add(administrator_client)
        administrator_client.post(CHECK_URL)

        response = administrator_client.post(CHECK_URL)

        assert response["Location"] == ADD_URL
        assert User.objects.filter(email="nia.okafor@education.gov.uk").count() == 1

    def test_email_taken_before_saving_shows_the_form_error(self, administrator_client):
        _add(administrator_client)
        UserFactory(email="nia.okafor@education.gov.uk")

        response = administrator_client.post(CHECK_URL)

        assert response.status_code == 200
        assert response.context["form"].errors["email"] == [MESSAGES["email_taken"]]
        assert User.objects.filter(email="nia.okafor@education.gov.uk").count() == 1
        # The corrected answers go back through the form, not to the check page.
        assert f'action="{ADD_URL}"' in response.content.decode()


class TestAddUserPermissions:
    def test_support_viewer_cannot_add_users(self, client):
        client.force_login(SupportViewerFactory(), backend="accounts.backends.ServiceAccountBackend")

        assert client.get(ADD_URL).status_code == 403
        assert client.post(ADD_URL, VALID).status_code == 403
        assert client.post(CHECK_URL).status_code == 403
        assert not User.objects.filter(email="nia.okafor@education.gov.uk").exists()
