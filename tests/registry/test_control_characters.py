"""Control characters are refused in every text answer, with the answer's own message.

One rule (`registry.validators.CONTROL_CHARACTERS`, the API's for client names): the register's
forms and services, the accounts' forms and the admin pages all refuse the same characters.
"""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.forms import ApiClientForm, UserDetailsForm
from accounts.models import ApiClient, User
from registry.api.schemas import CLIENT_NAME_PATTERN
from registry.forms import AccreditationForm, AddressForm, ContactForm, ProviderForm
from registry.models import Address
from registry.services.addresses import address_create
from registry.validators import CONTROL_CHARACTERS, has_control_characters
from tests.factories import AccreditedHeiProviderFactory, ApiUserFactory, ProviderFactory
from tests.registry.admin.conftest import error_summary, inline_errors, provider_url
from tests.support.forms import date_parts
from tests.support.html import page_title

pytestmark = pytest.mark.django_db

# A bell, a NUL, a tab, a line feed, an escape, DEL and a C1 control (CSI), each inside the answer:
# at either end Django strips the ones that are white space.
CONTROLS = ["\x07", "\x00", "\t", "\n", "\x1b", "\x7f", "\x9b"]


def with_control(value: str, control: str) -> str:
    return f"{value[:2]}{control}{value[2:]}"


# --- The rule ---------------------------------------------------------------------------------------


def test_the_rule_is_unicodes_control_characters():
    import unicodedata

    controls = {chr(point) for point in range(0x3000) if unicodedata.category(chr(point)) == "Cc"}
    refused = {chr(point) for point in range(0x3000) if CONTROL_CHARACTERS.search(chr(point))}

    assert refused == controls


@pytest.mark.parametrize(
    "text", ["Saint Mary’s C of E", "École Élémentaire", "Ysgol Gymraeg", "Ash\xa0Tree", "😀 School", "<b>{{x}}</b>"]
)
def test_ordinary_text_has_none(text):
    assert not has_control_characters(text)


def test_the_api_refuses_the_same_characters_in_a_client_name():
    for point in range(0x3000):
        name = f"a{chr(point)}b"
        api_refuses = re.fullmatch(CLIENT_NAME_PATTERN, name) is None
        assert api_refuses == has_control_characters(name), f"U+{point:04X}"


# --- The forms --------------------------------------------------------------------------------------

PROVIDER_ANSWERS = {
    "accreditation_status": "unaccredited",
    "provider_type": "school",
    "operating_name": "Abacus Belsize Primary School",
    "legal_name": "Abacus Belsize Trust",
    "ukprn": "10042333",
    "urn": "139837",
    "code": "4a2",
    "academic_years": ["2025"],
}
ADDRESS_ANSWERS = {
    "address_line_1": "1 Tile Kiln Lane",
    "address_line_2": "Block B",
    "address_line_3": "Floor 2",
    "town_or_city": "London",
    "county": "Greater London",
    "postcode": "N13 6BY",
}
CONTACT_ANSWERS = {
    "first_name": "Mary",
    "last_name": "Lawson",
    "email": "mary.lawson@example.com",
    "telephone": "01632 960 001",
}
USER_ANSWERS = {"first_name": "Nia", "last_name": "Okafor", "email": "nia.okafor@education.gov.uk", "is_api_user": "no"}


def provider_form(data):
    return ProviderForm(data=data)


def accreditation_form(data):
    provider = AccreditedHeiProviderFactory(accreditation=False)
    return AccreditationForm(data={**data, **date_parts("starts_on", "1/8/2025")}, provider=provider)


def address_form(data):
    return AddressForm(data=data)


def contact_form(data):
    return ContactForm(data=data, provider=ProviderFactory())


def user_form(data):
    return UserDetailsForm(data=data, fields=list(USER_ANSWERS))


def api_client_form(data):
    return ApiClientForm(data={**data, "owner": str(ApiUserFactory().pk)}, fields=["owner", "name"])


TEXT_ANSWERS = [
    *((provider_form, PROVIDER_ANSWERS, field) for field in ("operating_name", "legal_name", "ukprn", "urn", "code")),
    (accreditation_form, {"number": "1234"}, "number"),
    *((address_form, ADDRESS_ANSWERS, field) for field in ADDRESS_ANSWERS),
    *((contact_form, CONTACT_ANSWERS, field) for field in CONTACT_ANSWERS),
    *((user_form, USER_ANSWERS, field) for field in ("first_name", "last_name", "email")),
    (api_client_form, {"name": "Timetabling system"}, "name"),
]


@pytest.mark.parametrize(
    ("make_form", "answers", "field"),
    [pytest.param(*each, id=f"{each[0].__name__}-{each[2]}") for each in TEXT_ANSWERS],
)
def test_each_text_answer_is_valid_without_control_characters(make_form, answers, field):
    form = make_form(dict(answers))

    assert form.is_valid(), form.errors


@pytest.mark.parametrize("control", CONTROLS, ids=repr)
@pytest.mark.parametrize(
    ("make_form", "answers", "field"),
    [pytest.param(*each, id=f"{each[0].__name__}-{each[2]}") for each in TEXT_ANSWERS],
)
def test_a_control_character_in_any_text_answer_is_refused_with_its_message(make_form, answers, field, control):
    form = make_form({**answers, field: with_control(answers[field], control)})

    assert not form.is_valid()
    assert form.errors == {field: [form.error_messages[f"{field}_control_characters"]]}


@pytest.mark.parametrize(
    ("form_class", "field", "message"),
    [
        (ProviderForm, "operating_name", "Operating name must not contain control characters"),
        (AddressForm, "address_line_1", "Address line 1 must not contain control characters"),
        (ContactForm, "last_name", "Last name must not contain control characters"),
        (UserDetailsForm, "first_name", "First name must not contain control characters"),
        (ApiClientForm, "name", "Client name must not contain control characters"),
    ],
)
def test_the_message_names_the_answer(form_class, field, message):
    assert form_class.error_messages[f"{field}_control_characters"] == message


def test_the_register_services_hold_the_same_rule(administrator):
    provider = ProviderFactory()

    with pytest.raises(ValidationError) as refused:
        address_create(actor=administrator, provider=provider, **{**ADDRESS_ANSWERS, "town_or_city": "Lon\x07don"})

    assert refused.value.message_dict == {
        "town_or_city": [AddressForm.error_messages["town_or_city_control_characters"]]
    }
    assert not Address.objects.exists()


# --- The admin pages --------------------------------------------------------------------------------


def assert_refused_on_the_page(response, field: str, message: str) -> None:
    assert response.status_code == 200
    assert page_title(response).startswith("Error: ")
    assert error_summary(response) == [message]
    assert inline_errors(response) == {field: message}


@pytest.mark.parametrize("control", ["\x07", "\x00", "\x9b"], ids=repr)
def test_the_change_provider_page_refuses_a_control_character_in_the_operating_name(administrator_client, control):
    provider = ProviderFactory(operating_name="Ash Tree School", legal_name="", ukprn="10012345", code="1AB")
    edit = provider_url("edit", provider.pk)
    form = administrator_client.get(f"{edit}?new").context["form"]
    answers = {name: form[name].value() for name in form.fields if not name.endswith("_on")}
    answers = {name: value for name, value in answers.items() if value is not None}

    response = administrator_client.post(edit, {**answers, "operating_name": f"Ash{control}Tree School"})

    assert_refused_on_the_page(response, "operating_name", "Operating name must not contain control characters")
    provider.refresh_from_db()
    assert provider.operating_name == "Ash Tree School"


def test_the_add_address_page_refuses_a_control_character(administrator_client):
    provider = ProviderFactory()
    administrator_client.get(f"{provider_url('address_add', provider.pk)}?new")

    response = administrator_client.post(
        provider_url("address_add_manual", provider.pk), {**ADDRESS_ANSWERS, "address_line_2": "Block\x1bB"}
    )

    assert_refused_on_the_page(response, "address_line_2", "Address line 2 must not contain control characters")


def test_the_add_contact_page_refuses_a_control_character(administrator_client):
    provider = ProviderFactory()
    administrator_client.get(f"{provider_url('contact_add', provider.pk)}?new")

    response = administrator_client.post(
        provider_url("contact_add", provider.pk), {**CONTACT_ANSWERS, "first_name": "Ma\x00ry"}
    )

    assert_refused_on_the_page(response, "first_name", "First name must not contain control characters")


def test_the_add_accreditation_page_refuses_a_control_character(administrator_client):
    provider = AccreditedHeiProviderFactory(accreditation=False)
    administrator_client.get(f"{provider_url('accreditation_add', provider.pk)}?new")

    response = administrator_client.post(
        provider_url("accreditation_add", provider.pk), {"number": "12\x0734", **date_parts("starts_on", "1/8/2025")}
    )

    message = "Accredited provider number must not contain control characters"
    assert_refused_on_the_page(response, "number", message)


def test_the_add_user_page_refuses_a_control_character(administrator_client):
    add = reverse("admin:accounts_user_add")
    administrator_client.get(f"{add}?new")

    response = administrator_client.post(add, {**USER_ANSWERS, "last_name": "Oka\x7ffor"})

    assert_refused_on_the_page(response, "last_name", "Last name must not contain control characters")
    assert not User.objects.filter(email=USER_ANSWERS["email"]).exists()


def test_the_add_api_client_page_refuses_a_control_character(administrator_client):
    api_user = ApiUserFactory()
    add = reverse("admin:accounts_apiclient_add")
    administrator_client.get(f"{add}?new")

    response = administrator_client.post(add, {"owner": str(api_user.pk), "name": "Timetabling\nsystem"})

    assert_refused_on_the_page(response, "name", "Client name must not contain control characters")
    assert not ApiClient.objects.exists()
