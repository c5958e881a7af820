"""Two support editors change the same provider at once, each in a browser of their own.

Both reach check your answers; B saves first. When A saves, A is told someone else changed the
provider and nothing of A's is saved: the provider keeps B's name (no lost update).
"""

import re

import pytest
from playwright.sync_api import Page, expect

from registry.models import Provider
from registry.pages.change_flows import CHANGED_ELSEWHERE
from tests.e2e.allowances import ALLOWANCES
from tests.e2e.axe import axe_run, page_allowances
from tests.e2e.conftest import TIMEOUT_MS, request_threads_join
from tests.e2e.provider_steps import section
from tests.e2e.steps import (
    SERVICE_NAME,
    expect_heading,
    expect_success_message,
    open_providers,
    sign_in_as,
    summary_rows,
)
from tests.factories import ProviderFactory, SupportEditorFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def second_page(browser, live_server):
    """A second person's browser: a context of its own, so cookies and session of its own."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport={"width": 1440, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    context.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    page = context.new_page()
    yield page
    context.close()
    request_threads_join()


def axe_for(browser_page: Page):
    """The `axe` fixture's check, for the second browser: no violation the allowances do not cover."""

    def check(name: str) -> None:
        browser_page.wait_for_load_state()
        browser_page.evaluate("() => document.fonts.ready.then(() => true)")
        _, violations = axe_run(browser_page, allowances=page_allowances(ALLOWANCES, name))
        failing = [each for each in violations if not each.allowed_by]
        assert not failing, "\n".join([f"axe found violations on {name}:", *(each.describe() for each in failing)])

    return check


def open_the_change(page: Page, check, new_name: str) -> None:
    """From the providers list to check your answers, renaming Ash Tree School to `new_name`."""
    open_providers(page)
    page.get_by_role("link", name="Ash Tree School", exact=True).click()
    expect_heading(page, "Ash Tree School")
    page.get_by_role("link", name="Change Operating name").click()
    expect(page).to_have_title(f"Provider details - Change provider - {SERVICE_NAME}")
    check("Change provider – provider details")
    page.get_by_label("Operating name").fill(new_name)
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/edit/check/$"))
    expect_heading(page, "Check your answers")
    assert summary_rows(page)["Operating name"] == (new_name, "Change Operating name")
    check("Change provider – check your answers")


def test_a_save_over_someone_elses_change_is_refused_and_theirs_is_kept(page, second_page, axe):
    provider = ProviderFactory(operating_name="Ash Tree School", legal_name="Ash Tree Trust", academic_years=[2024])
    alex = SupportEditorFactory(first_name="Alex", last_name="Reed")
    bea = SupportEditorFactory(first_name="Bea", last_name="Khan")
    axe_second = axe_for(second_page)

    # Both open the same change and reach check your answers.
    sign_in_as(page, axe, alex)
    sign_in_as(second_page, axe_second, bea)
    open_the_change(page, axe, "Ash Tree Academy")
    open_the_change(second_page, axe_second, "Ash Tree Primary School")

    # B saves first.
    second_page.get_by_role("button", name="Save provider").click()
    expect_success_message(second_page, "Provider updated")
    expect_heading(second_page, "Ash Tree Primary School")
    axe_second("Provider details, after a change")

    # A saves: refused, back on the provider's page, which shows B's name.
    page.get_by_role("button", name="Save provider").click()
    expect(page).to_have_url(re.compile(rf"/admin/registry/provider/{provider.pk}/change/"))
    refusal = page.locator(".app-notification-banner--error")
    expect(refusal.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(refusal.locator(".app-notification-banner__heading")).to_have_text(
        CHANGED_ELSEWHERE.format(thing="provider")
    )
    expect_heading(page, "Ash Tree Primary School")
    assert summary_rows(section(page, "Provider details"))["Operating name"] == (
        "Ash Tree Primary School",
        "Change Operating name",
    )
    axe("Provider details, after a refused change")

    provider.refresh_from_db()
    assert (provider.operating_name, provider.legal_name) == ("Ash Tree Primary School", "Ash Tree Trust")
    assert list(provider.history.values_list("operating_name", flat=True)[:2]) == [
        "Ash Tree Primary School",
        "Ash Tree School",
    ]
    assert Provider.objects.count() == 1

    # A's change is gone: starting again starts from what is saved now.
    page.get_by_role("link", name="Change Operating name").click()
    expect(page.get_by_label("Operating name")).to_have_value("Ash Tree Primary School")
