"""What a support viewer may not do in the register: no Add or Change links, and refused when going
to a change page directly or sending its form without one."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.provider_steps import section
from tests.e2e.steps import expect_heading, open_providers, sign_in_as
from tests.factories import (
    AccreditationFactory,
    AccreditedProviderFactory,
    AddressFactory,
    ContactFactory,
    PartnershipFactory,
    ProviderFactory,
    SupportViewerFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The service's wording (registry/views.py), word for word.
PERMISSION_DENIED = "You do not have permission to perform this action"


def test_support_viewer_cannot_change_providers(page, axe, caplog):
    viewer = SupportViewerFactory(first_name="Colin", last_name="Chapman", email="colin.chapman@education.gov.uk")
    provider = AccreditedProviderFactory(operating_name="Ash Tree SCITT", accreditation=False)
    AccreditationFactory(provider=provider, number="5123")
    AddressFactory(provider=provider, address_line_1="1 Tile Kiln Lane", town_or_city="London", postcode="N13 6BY")
    ContactFactory(provider=provider, first_name="Mary", last_name="Lawson")
    PartnershipFactory(accredited_provider=provider, training_partner=ProviderFactory(operating_name="Birch School"))

    sign_in_as(page, axe, viewer)
    axe("Home, support viewer")
    open_providers(page)
    expect_heading(page, "Providers (2)")
    expect(page.get_by_role("link", name="Add provider")).to_have_count(0)
    # No column of Change links that are not there.
    expect(page.get_by_role("table").get_by_role("columnheader")).to_have_text(
        ["Name", "Provider code", "UKPRN", "URN", "Provider type", "Status"]
    )
    expect(page.get_by_role("table").get_by_role("link")).to_have_text(["Ash Tree SCITT", "Birch School"])
    axe("Providers list, support viewer")

    page.get_by_role("link", name="Ash Tree SCITT", exact=True).click()
    expect_heading(page, "Ash Tree SCITT")
    for title in ("Accreditations (1)", "Addresses (1)", "Contacts (1)", "Partnerships (1)"):
        expect(section(page, title).locator(".app-summary-card")).to_have_count(1)
    # The sections, and the partner's page: nothing that changes anything.
    expect(page.locator(".app-page").get_by_role("link")).to_have_text(
        ["Provider details", "Accreditations", "Addresses", "Contacts", "Partnerships", "Birch School"]
    )
    axe("Provider details, support viewer")

    # Nor can they go to the pages directly, or send the form without them.
    page.goto(f"/admin/registry/provider/{provider.pk}/edit/?new")
    expect_heading(page, PERMISSION_DENIED)
    axe("Permission denied (403)")

    page.go_back()
    expect_heading(page, "Ash Tree SCITT")
    caplog.clear()
    page.evaluate(
        """([action, fields]) => {
            const form = Object.assign(document.createElement("form"), {method: "post", action});
            const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
            for (const [name, value] of Object.entries({...fields, csrfmiddlewaretoken: token})) {
                form.append(Object.assign(document.createElement("input"), {type: "hidden", name, value}));
            }
            document.body.append(form);
            form.submit();
        }""",
        [f"/admin/registry/provider/{provider.pk}/edit/", {"operating_name": "Hijacked SCITT"}],
    )
    expect(page).to_have_url(re.compile(r"/edit/$"))
    expect_heading(page, PERMISSION_DENIED)
    axe("Permission denied (403)")
    # The page for a form without a valid CSRF token reads the same: the log tells them apart.
    refusals = [(record.msg, getattr(record, "method", None)) for record in caplog.records if record.name == "security"]
    assert refusals == [("access_denied", "POST")]

    page.goto(f"/admin/registry/provider/{provider.pk}/change/")
    expect_heading(page, "Ash Tree SCITT")
