"""A support viewer downloads the register from the providers list, and opens the file as a spreadsheet would."""

import csv
import io

import pytest
from playwright.sync_api import expect

from registry.provider_export import HEADER
from tests.e2e.provider_steps import filter_by
from tests.e2e.steps import expect_heading, open_providers, sign_in_as
from tests.factories import (
    AccreditedProviderFactory,
    AddressFactory,
    ArchivedProviderFactory,
    ProviderFactory,
    SupportViewerFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_support_viewer_downloads_the_register(page, axe):
    viewer = SupportViewerFactory(first_name="Colin", last_name="Chapman", email="colin.chapman@education.gov.uk")
    scitt = AccreditedProviderFactory(operating_name="Ash Tree SCITT", legal_name="Ash Tree Trust")
    AddressFactory(provider=scitt, address_line_1="1 Tile Kiln Lane", town_or_city="London", postcode="N13 6BY")
    ProviderFactory(operating_name="Birch School")
    ProviderFactory(operating_name="=1+2 Teaching School")
    ArchivedProviderFactory(operating_name="Cedar Academy")
    ProviderFactory(operating_name="Deleted School", deleted=True)

    sign_in_as(page, axe, viewer)
    open_providers(page)
    expect_heading(page, "Providers (3)")
    link = page.get_by_role("link", name="Download the register (CSV)")
    expect(link).to_be_visible()
    expect(page.get_by_text("Every provider on the register, including archived ones.")).to_be_visible()
    axe("Providers list, with the register's download")
    # The file has archived providers too: the list counts them with its archived filter.
    filter_by(page, check=("Archived providers", "Include archived providers"))
    expect_heading(page, "Providers (4)")
    listed = int(page.get_by_role("heading", level=1).inner_text().removeprefix("Providers (").removesuffix(")"))

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the register (CSV)").click()
    download = download_info.value

    assert download.suggested_filename.startswith("register-of-training-providers-")
    assert download.suggested_filename.endswith(".csv")
    content = download.path().read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")
    header, *rows = csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""))
    assert header == list(HEADER)
    assert len(rows) == listed == 4
    by_name = {row[1]: dict(zip(HEADER, row, strict=True)) for row in rows}
    assert set(by_name) == {
        "'=1+2 Teaching School",
        "Ash Tree SCITT",
        "Birch School",
        "Cedar Academy",
    }
    assert by_name["Cedar Academy"]["Status"] == "Archived"
    assert (by_name["Ash Tree SCITT"]["Legal name"], by_name["Ash Tree SCITT"]["Postcode"]) == (
        "Ash Tree Trust",
        "N13 6BY",
    )
    # Downloading leaves the viewer on the list.
    expect_heading(page, "Providers (4)")
