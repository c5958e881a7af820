import pytest

from registry.forms import ProviderForm
from registry.models.provider import AccreditationStatus, ProviderType
from tests.factories import HeiProviderFactory, ProviderFactory

pytestmark = pytest.mark.django_db

MESSAGES = ProviderForm.error_messages
ANSWERS = {
    "accreditation_status": "unaccredited",
    "provider_type": "school",
    "operating_name": "Abacus Belsize Primary School",
    "legal_name": "",
    "ukprn": "10042333",
    "urn": "139837",
    "code": "4a2",
    "academic_years": ["2025", "2026"],
}


def form_with(**changes):
    return ProviderForm(data={**ANSWERS, **changes})


def test_a_complete_provider_is_valid_with_its_code_upper_case():
    form = form_with()

    assert form.is_valid(), form.errors
    assert form.cleaned_data["code"] == "4A2"
    assert form.cleaned_data["academic_years"] == [2025, 2026]


def test_every_missing_answer_has_its_message():
    form = ProviderForm(data={})

    assert not form.is_valid()
    assert form.errors == {
        "accreditation_status": [MESSAGES["accreditation_status_required"]],
        "provider_type": [MESSAGES["provider_type_required"]],
        "operating_name": [MESSAGES["operating_name_required"]],
        "ukprn": [MESSAGES["ukprn_required"]],
        "code": [MESSAGES["code_required"]],
        "academic_years": [MESSAGES["academic_years_required"]],
    }


def test_the_wording_is_the_real_services():
    assert MESSAGES["operating_name_required"] == "Enter operating name"
    assert MESSAGES["provider_type_required"] == "Select provider type"
    assert MESSAGES["accreditation_status_required"] == "Select if the provider is accredited"
    assert MESSAGES["ukprn_required"] == "Enter UK provider reference number (UKPRN)"
    assert MESSAGES["ukprn_invalid"] == "Enter a valid UK provider reference number (UKPRN)"
    assert MESSAGES["urn_required"] == "Enter unique reference number (URN)"
    assert MESSAGES["urn_invalid"] == "Enter a valid unique reference number (URN)"
    assert MESSAGES["code_required"] == "Enter provider code"
    assert MESSAGES["code_invalid"] == "Enter a valid provider code"
    assert MESSAGES["code_taken"] == "Enter a unique provider code"
    assert MESSAGES["academic_years_required"] == "Select academic year"


@pytest.mark.parametrize("ukprn", ["1004233", "100423331", "1004233X"])
def test_a_ukprn_must_be_8_digits(ukprn):
    form = form_with(ukprn=ukprn)

    assert not form.is_valid()
    assert form.errors["ukprn"] == [MESSAGES["ukprn_invalid"]]
    assert form.errors.as_data()["ukprn"][0].code == "ukprn_invalid"


@pytest.mark.parametrize(("status", "provider_type"), [("unaccredited", "school"), ("accredited", "scitt")])
def test_schools_and_scitts_need_a_urn(status, provider_type):
    form = form_with(accreditation_status=status, provider_type=provider_type, urn="")

    assert not form.is_valid()
    assert form.errors["urn"] == [MESSAGES["urn_required"]]


@pytest.mark.parametrize("provider_type", ["hei", "other"])
def test_other_providers_may_leave_out_the_urn(provider_type):
    assert form_with(provider_type=provider_type, urn="").is_valid()


@pytest.mark.parametrize(("provider_type", "urn"), [("school", "1337"), ("hei", "1337900"), ("other", "0")])
def test_a_urn_given_must_be_5_or_6_digits(provider_type, urn):
    form = form_with(provider_type=provider_type, urn=urn)

    assert not form.is_valid()
    assert form.errors["urn"] == [MESSAGES["urn_invalid"]]


@pytest.mark.parametrize("code", ["4A", "4A2B", "4A-"])
def test_a_provider_code_is_3_letters_or_digits(code):
    form = form_with(code=code)

    assert not form.is_valid()
    assert form.errors["code"] == [MESSAGES["code_invalid"]]


def test_a_provider_code_is_unique_ignoring_case():
    ProviderFactory(code="4A2")

    form = form_with(code="4a2")

    assert not form.is_valid()
    assert form.errors["code"] == [MESSAGES["code_taken"]]
    assert form.errors.as_data()["code"][0].code == "code_taken"


def test_the_code_of_a_deleted_provider_is_free_but_an_archived_ones_is_not():
    ProviderFactory(code="4A2", deleted=True)
    assert form_with(code="4A2").is_valid()

    ProviderFactory(code="1Q6", archived=True)
    assert not form_with(code="1Q6").is_valid()


def test_a_provider_keeps_its_own_code_when_changed():
    provider = ProviderFactory(code="4A2")

    form = ProviderForm(data={"code": "4a2"}, fields=["code"], provider=provider)

    assert form.is_valid(), form.errors


@pytest.mark.parametrize(("status", "provider_type"), [("unaccredited", "scitt"), ("accredited", "school")])
def test_the_type_must_go_with_the_accreditation_status(status, provider_type):
    form = form_with(accreditation_status=status, provider_type=provider_type)

    assert not form.is_valid()
    assert form.errors["provider_type"] == [MESSAGES["provider_type_required"]]


def test_a_type_step_offers_only_the_types_for_the_status():
    accredited = ProviderForm(fields=["provider_type"], accreditation_status=AccreditationStatus.ACCREDITED)
    unaccredited = ProviderForm(fields=["provider_type"], accreditation_status=AccreditationStatus.UNACCREDITED)

    assert [value for value, _ in accredited.fields["provider_type"].choices] == ["hei", "scitt", "other"]
    assert [value for value, _ in unaccredited.fields["provider_type"].choices] == ["hei", "school", "other"]


def test_a_details_step_asks_for_the_urn_by_the_type_already_given():
    fields = ["operating_name", "ukprn", "urn", "code"]
    answers = {"operating_name": "Bath Spa University", "ukprn": "10000571", "urn": "", "code": "B20"}

    assert ProviderForm(data=answers, fields=fields, provider_type=ProviderType.HEI).is_valid()
    school = ProviderForm(data=answers, fields=fields, provider_type=ProviderType.SCHOOL)
    assert not school.is_valid()
    assert school.errors == {"urn": [MESSAGES["urn_required"]]}


def test_changing_an_hei_checks_its_urn_format_only():
    provider = HeiProviderFactory()

    assert ProviderForm(data={"urn": ""}, fields=["urn"], provider=provider).is_valid()
    assert not ProviderForm(data={"urn": "12"}, fields=["urn"], provider=provider).is_valid()


def test_an_error_is_announced_with_its_input():
    form = form_with(operating_name="")
    form.is_valid()

    assert form.fields["operating_name"].widget.attrs["aria-describedby"] == "id_operating_name-error"
