import datetime

import pytest
from django.utils import timezone

from registry.formats import format_govuk_date
from registry.forms import AccreditationForm, AddressForm, ProviderForm
from registry.models import Provider
from tests.factories import ProviderFactory
from tests.registry.admin.conftest import error_summary, inline_errors, provider_url
from tests.support.forms import date_parts
from tests.support.html import page_title, text

MESSAGES = ProviderForm.error_messages

pytestmark = pytest.mark.django_db

DETAILS = {
    "operating_name": "Ash Tree School",
    "legal_name": "",
    "ukprn": "10012345",
    "urn": "123456",
    "code": "1ab",
}
ADDRESS = {
    "address_line_1": "1 Tile Kiln Lane",
    "address_line_2": "",
    "address_line_3": "",
    "town_or_city": "London",
    "county": "",
    "postcode": "n13 6by",
}


def _answer(client, step, data):
    url = provider_url(f"add_{step}" if step else "add")
    response = client.post(url, data)
    assert response.status_code == 302, error_summary(response)
    return response["Location"]


def _onboarded(when="today", on=""):
    return {"onboarded": when, **date_parts("onboarded_on", on)}


def _first_active(when="same", on=""):
    return {"first_active": when, **date_parts("first_active_on", on)}


def _dates(client, onboarded=None, first_active=None):
    client.get(f"{provider_url('add')}?new")
    _answer(client, "", onboarded or _onboarded())
    return _answer(client, "first-active", first_active or _first_active())


def _start(client, status="unaccredited", kind="school", **dates):
    _dates(client, **dates)
    _answer(client, "accredited", {"accreditation_status": status})
    return _answer(client, "type", {"provider_type": kind})


def _add_school(client, **details):
    _start(client)
    _answer(client, "details", {**DETAILS, **details})
    return _answer(client, "address", ADDRESS)


def test_add_a_school_check_and_save(administrator_client, administrator):
    _dates(administrator_client)
    accredited_page = administrator_client.get(provider_url("add_accredited"))
    assert page_title(accredited_page) == "Is the provider accredited? - Add provider - Register of training providers"
    assert "Add provider Is the provider accredited? Yes No Continue Cancel" in text(accredited_page)
    assert _answer(administrator_client, "accredited", {"accreditation_status": "unaccredited"}) == provider_url(
        "add_type"
    )
    type_page = administrator_client.get(provider_url("add_type"))
    assert page_title(type_page) == "Provider type - Add provider - Register of training providers"
    # A school that is accredited is a SCITT, so only the types a provider that is not accredited can be are offered.
    assert "Add provider Provider type Higher education institution (HEI) School Other Continue" in text(type_page)
    assert "School-centred initial teacher training (SCITT)" not in text(type_page)
    assert _answer(administrator_client, "type", {"provider_type": "school"}) == provider_url("add_details")
    details_page = administrator_client.get(provider_url("add_details"))
    assert page_title(details_page) == "Provider details - Add provider - Register of training providers"
    # A school has a URN: it is not optional.
    assert "Unique reference number (URN) Provider code" in text(details_page)
    assert _answer(administrator_client, "details", DETAILS) == provider_url("add_address")
    address_page = administrator_client.get(provider_url("add_address"))
    assert page_title(address_page) == "Address - Add provider - Register of training providers"
    assert _answer(administrator_client, "address", ADDRESS) == provider_url("add_check")
    assert not Provider.objects.exists()  # nothing saved before "Save provider"

    check = administrator_client.get(provider_url("add_check"))

    assert page_title(check) == "Check your answers - Add provider - Register of training providers"
    page = text(check)
    assert "Is the provider accredited? No Change" in page
    assert "Provider type School Change" in page
    assert "Operating name Ash Tree School Change" in page
    assert "Legal name Not entered Change" in page
    assert "Provider code 1AB Change" in page
    assert "Address line 1 1 Tile Kiln Lane Change" in page
    assert "Postcode N13 6BY Change" in page
    assert "Accredited provider number" not in page
    html = check.content.decode()
    assert f'href="{provider_url("add_accredited")}#accreditation_status"' in html
    assert f'href="{provider_url("add_type")}#provider_type"' in html
    assert f'href="{provider_url("add_details")}#code"' in html
    assert f'href="{provider_url("add_address")}#postcode"' in html
    assert "Save provider" in page

    response = administrator_client.post(provider_url("add_check"), follow=True)

    provider = Provider.objects.get()
    assert response.redirect_chain[-1][0] == provider_url("change", provider.pk)
    assert "Provider added" in text(response)
    assert (provider.operating_name, provider.code, provider.provider_type) == ("Ash Tree School", "1AB", "school")
    assert provider.register_id.startswith("RoTP-")
    record = provider.history.get()
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "+",
        administrator,
        "Provider added",
    )
    address = provider.addresses.get()
    assert (address.address_line_1, address.town_or_city, address.postcode) == ("1 Tile Kiln Lane", "London", "N13 6BY")
    assert address.history.get().history_user == administrator


@pytest.mark.parametrize("kind", ["hei", "other"])
def test_the_urn_is_optional_for_a_provider_that_is_not_a_school(administrator_client, kind):
    _start(administrator_client, kind=kind)

    details_page = administrator_client.get(provider_url("add_details"))
    assert "Unique reference number (URN) (optional)" in text(details_page)
    assert _answer(administrator_client, "details", {**DETAILS, "urn": ""}) == provider_url("add_address")


def test_add_an_accredited_provider_with_its_accreditation(administrator_client):
    _start(administrator_client, status="accredited", kind="hei")
    details = {**DETAILS, "urn": ""}
    assert _answer(administrator_client, "details", details) == provider_url("add_accreditation")
    accreditation_page = administrator_client.get(provider_url("add_accreditation"))
    assert "starting with ‘1’" in text(accreditation_page)
    _answer(
        administrator_client,
        "accreditation",
        {"number": "1234", **date_parts("starts_on", "1/8/2024"), **date_parts("ends_on", "")},
    )
    assert _answer(administrator_client, "address", ADDRESS) == provider_url("add_check")

    check = text(administrator_client.get(provider_url("add_check")))
    assert "Accredited provider number 1234 Change Accredited provider number" in check
    assert "Accreditation start date 1 August 2024 Change" in check
    assert "Accreditation end date Not entered" in check

    response = administrator_client.post(provider_url("add_check"), follow=True)

    assert "Provider added" in text(response)
    provider = Provider.objects.get()
    assert provider.is_accredited
    accreditation = provider.accreditations.get()
    assert (accreditation.number, accreditation.starts_on) == ("1234", datetime.date(2024, 8, 1))


@pytest.mark.parametrize(
    ("step", "data", "errors"),
    [
        ("accredited", {}, {"accreditation_status": MESSAGES["accreditation_status_required"]}),
        ("type", {}, {"provider_type": MESSAGES["provider_type_required"]}),
        # A school that is accredited is a SCITT: not one of the types offered.
        ("type", {"provider_type": "scitt"}, {"provider_type": MESSAGES["provider_type_required"]}),
        (
            "details",
            {},
            {
                "operating_name": MESSAGES["operating_name_required"],
                "ukprn": MESSAGES["ukprn_required"],
                "urn": MESSAGES["urn_required"],
                "code": MESSAGES["code_required"],
            },
        ),
        (
            "details",
            {**DETAILS, "ukprn": "1234", "urn": "12", "code": "ABCD"},
            {
                "ukprn": MESSAGES["ukprn_invalid"],
                "urn": MESSAGES["urn_invalid"],
                "code": MESSAGES["code_invalid"],
            },
        ),
        (
            "address",
            {},
            {
                "address_line_1": AddressForm.error_messages["address_line_1_required"],
                "town_or_city": AddressForm.error_messages["town_or_city_required"],
                "postcode": AddressForm.error_messages["postcode_required"],
            },
        ),
        (
            "address",
            {**ADDRESS, "postcode": "N13"},
            {"postcode": AddressForm.error_messages["postcode_invalid"]},
        ),
    ],
)
def test_each_problem_is_shown_in_the_summary_and_beside_its_question(administrator_client, step, data, errors):
    _dates(administrator_client)
    if step != "accredited":
        _answer(administrator_client, "accredited", {"accreditation_status": "unaccredited"})
    if step in ("details", "address"):
        _answer(administrator_client, "type", {"provider_type": "school"})
    if step == "address":
        _answer(administrator_client, "details", DETAILS)

    response = administrator_client.post(provider_url(f"add_{step}"), data)

    assert response.status_code == 200
    assert page_title(response).startswith("Error: ")
    assert error_summary(response) == list(errors.values())
    assert inline_errors(response) == errors


def test_a_code_already_taken_is_refused(administrator_client):
    ProviderFactory(code="1AB")

    _start(administrator_client)
    response = administrator_client.post(provider_url("add_details"), {**DETAILS, "code": "1ab"})

    assert error_summary(response) == [MESSAGES["code_taken"]]


def test_answers_are_checked_again_on_save(administrator_client):
    assert _add_school(administrator_client) == provider_url("add_check")
    ProviderFactory(code="1AB")  # someone else took the code meanwhile

    response = administrator_client.post(provider_url("add_check"))

    assert response.status_code == 200
    assert error_summary(response) == [MESSAGES["code_taken"]]
    assert inline_errors(response) == {"code": MESSAGES["code_taken"]}
    # Correcting it goes back through the details step.
    assert f'action="{provider_url("add_details")}"' in response.content.decode()
    assert Provider.objects.count() == 1


def test_check_your_answers_warns_when_the_accreditation_is_not_current(administrator_client):
    today = timezone.localdate()
    _start(administrator_client, status="accredited", kind="scitt")
    _answer(administrator_client, "details", DETAILS)
    starts = f"1/8/{today.year + 1}"
    _answer(administrator_client, "accreditation", {"number": "5123", "starts_on": starts, "ends_on": ""})
    _answer(administrator_client, "address", ADDRESS)

    check = text(administrator_client.get(provider_url("add_check")))

    assert (
        f"Warning The accreditation is not current on {format_govuk_date(today)}, so Ash Tree School will be "
        "added as not accredited: its type will be School, not SCITT."
    ) in check
    administrator_client.post(provider_url("add_check"))
    provider = Provider.objects.get()
    assert (provider.provider_type, provider.accreditation_status) == ("school", "unaccredited")


def test_accreditation_details_are_checked(administrator_client):
    _start(administrator_client, status="accredited", kind="scitt")
    _answer(administrator_client, "details", DETAILS)

    response = administrator_client.post(
        provider_url("add_accreditation"),
        {"number": "1234", **date_parts("starts_on", "31/2/2024"), **date_parts("ends_on", "")},
    )

    assert error_summary(response) == [
        AccreditationForm.error_messages["number_invalid_school"],
        AccreditationForm.error_messages["starts_on_invalid"],
    ]


def test_changing_an_answer_from_the_check_page_returns_to_it(administrator_client):
    _add_school(administrator_client)

    form = administrator_client.get(provider_url("add_details"))
    assert form.context["form"]["operating_name"].value() == "Ash Tree School"  # prefilled
    response = administrator_client.post(provider_url("add_details"), {**DETAILS, "operating_name": "Birch School"})

    assert response["Location"] == provider_url("add_check")
    assert "Operating name Birch School" in text(administrator_client.get(provider_url("add_check")))


def test_an_answer_that_no_longer_fits_is_asked_again(administrator_client):
    _add_school(administrator_client)

    # Now accredited: a school cannot be, and an accreditation is needed.
    response = administrator_client.post(provider_url("add_accredited"), {"accreditation_status": "accredited"})

    assert response["Location"] == provider_url("add_type")
    assert administrator_client.get(provider_url("add_check"))["Location"] == provider_url("add_type")


def test_later_steps_and_check_page_need_the_earlier_answers(administrator_client):
    assert administrator_client.get(provider_url("add_first-active"))["Location"] == provider_url("add")
    assert administrator_client.get(provider_url("add_accredited"))["Location"] == provider_url("add")
    assert administrator_client.get(provider_url("add_type"))["Location"] == provider_url("add")
    assert administrator_client.get(provider_url("add_address"))["Location"] == provider_url("add")
    assert administrator_client.get(provider_url("add_details"))["Location"] == provider_url("add")
    assert administrator_client.get(provider_url("add_check"))["Location"] == provider_url("add")
    assert administrator_client.post(provider_url("add_check"))["Location"] == provider_url("add")
    assert not Provider.objects.exists()


def test_starting_again_forgets_the_earlier_answers(administrator_client):
    _add_school(administrator_client)

    administrator_client.get(f"{provider_url('add')}?new")

    assert administrator_client.get(provider_url("add_check"))["Location"] == provider_url("add")


@pytest.mark.parametrize("actor", ["viewer", "auditor"])
def test_only_those_who_may_add_providers_reach_the_pages_or_save(request, actor):
    client = request.getfixturevalue(f"{actor}_client")

    assert client.get(f"{provider_url('add')}?new").status_code == 403
    assert client.post(provider_url("add"), _onboarded()).status_code == 403
    assert client.post(provider_url("add_check")).status_code == 403
    assert not Provider.objects.exists()


def test_a_support_editor_adds_providers(editor_client):
    _add_school(editor_client)

    response = editor_client.post(provider_url("add_check"), follow=True)

    assert "Provider added" in text(response)


def test_a_step_is_asked_only_once_the_ones_before_it_are_answered(administrator_client):
    administrator_client.get(f"{provider_url('add')}?new")

    assert administrator_client.get(provider_url("add_details"))["Location"] == provider_url("add")
    assert administrator_client.post(provider_url("add_details"), DETAILS)["Location"] == provider_url("add")
    assert administrator_client.get(provider_url("add_accreditation"))["Location"] == provider_url("add")
