"""The accessibility check itself: it finds violations, and an exception covers only its own rule and elements."""

import pytest

from tests.e2e.axe import Allowance, axe_run, page_allowances

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PAGE = """<!doctype html>
<html lang="en"><head><title>Axe check</title></head>
<body><main>
    <h1>Axe check</h1>
    <ul class="theirs"><span>A list item that is not one</span></ul>
    <ul class="ours"><span>Another</span></ul>
    <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" class="theirs">
</main></body></html>"""


def test_an_exception_covers_only_its_rule_on_its_elements(page):
    page.set_content(PAGE)
    allowance = Allowance(rule="list", selector="ul.theirs", pages=("Axe check",), reason="Only for this test.")

    _, violations = axe_run(page, allowances=page_allowances([allowance], "Axe check"))

    found = {(each.rule, each.html.split(">")[0] + ">", each.allowed_by) for each in violations}
    assert found == {
        ("list", '<ul class="theirs">', "ul.theirs"),
        ("list", '<ul class="ours">', None),
        ("image-alt", '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" class="theirs">', None),
    }


def test_an_exception_applies_only_on_its_pages(page):
    page.set_content(PAGE)
    allowance = Allowance(rule="list", selector="ul", pages=("Another page",), reason="Only for this test.")

    _, violations = axe_run(page, allowances=page_allowances([allowance], "Axe check"))

    assert not [each for each in violations if each.allowed_by]
