"""Text that is markup, template syntax or right-to-left tricks, kept in accounts and providers, is shown
as the words it is on every page that shows it: no script of it runs, and the browser reports no
Content Security Policy violation (the `page` fixture fails a journey on any). The answers themselves
are fuzzed over HTTP by tests/registry/test_any_unicode.py; this is what a browser does with them."""

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import expect_heading, open_providers, open_users, sign_in_as
from tests.factories import ProviderFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCRIPT = "<script>window.__ran = 'script'</script>"
IMAGE = "<img src=x onerror=\"window.__ran = 'onerror'\">"
TEMPLATE = "{{ request.user.email }}"
RTL = "\u202etxt.exe"


def _nothing_ran(page):
    assert page.evaluate("window.__ran") is None


def test_hostile_names_are_shown_as_words_and_nothing_runs(page, axe, administrator):
    user = UserFactory(first_name=SCRIPT, last_name=IMAGE, email="hostile.names@education.gov.uk")
    provider = ProviderFactory(operating_name=f"{IMAGE} {TEMPLATE} {RTL}", legal_name=SCRIPT)
    sign_in_as(page, axe, administrator)

    open_users(page)
    expect(page.get_by_role("link", name=f"{SCRIPT} {IMAGE}", exact=True)).to_be_visible()
    _nothing_ran(page)
    page.get_by_role("link", name=f"{SCRIPT} {IMAGE}", exact=True).click()
    expect_heading(page, f"{SCRIPT} {IMAGE}")
    _nothing_ran(page)

    page.goto(f"/admin/accounts/user/{user.pk}/edit/?new")
    expect(page.get_by_label("First name")).to_have_value(SCRIPT)
    expect(page.get_by_label("Last name")).to_have_value(IMAGE)
    _nothing_ran(page)

    open_providers(page)
    page.get_by_role("link", name=provider.operating_name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TEMPLATE)
    assert "hostile.names" not in page.content()
    _nothing_ran(page)
