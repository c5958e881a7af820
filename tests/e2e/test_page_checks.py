"""The checks axe lacks (page_checks.py), on pages made for them: each finds what it is for, and only that."""

import pytest

from tests.e2e import page_checks

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

GOOD = """<!doctype html>
<html lang="en"><head><title>Good</title>
<style>
    .hidden-until-focused { position: absolute; left: -9999px; }
    .app-button { background: #00703c; color: #fff; padding: 8px; display: inline-block; }
    .dark { background: #0b0c0c; padding: 8px; }
    .dark button { background: transparent; color: #fff; border: 0; }
</style></head>
<body>
    <a href="#main-content" class="hidden-until-focused">Skip to main content</a>
    <nav aria-label="Menu"><a href="/users/">Users</a> <button type="button">Menu</button></nav>
    <main id="main-content" tabindex="-1">
        <h1>Search providers</h1>
        <a href="/history/">History</a>
        <a href="/users/add/" class="app-button">Add user</a>
        <div class="dark"><button type="submit">Search</button></div>
        <button type="button" disabled style="color: #ccc; background: #fff">Not yet</button>
        <a href="/close/"><span aria-hidden="true">×</span> Close</a>
    </main>
</body></html>"""

BAD = """<!doctype html>
<html lang="en"><head><title>Bad</title>
<style>
    .grey { background: #fff; color: #999; }
    .wide { width: 800px; }
</style></head>
<body>
    <a href="/">Home</a>
    <a href="#main-content">Skip to main content</a>
    <h1>One</h1>
    <main><h1>Two</h1>
        <a href="/next/">Next <span class="material-symbols-outlined">chevron_right</span></a>
        <a href="/users/">group Users</a>
        <button type="button" aria-label="unfold_more">Sort</button>
        <button type="button" class="grey">Faint</button>
        <div class="wide">Too wide for a phone</div>
    </main>
    <main></main>
</body></html>"""


def test_a_good_page_has_no_problems(page, tmp_path):
    page.set_content(GOOD)

    assert page_checks.page_problems(page) == []
    assert page_checks.screenshots(page, tmp_path, "Good page") == []
    assert {each.name for each in tmp_path.iterdir()} == {"good-page-desktop.png", "good-page-phone.png"}
    assert page.viewport_size == {"width": 1440, "height": 900}


def test_each_problem_is_found(page, tmp_path):
    page.set_content(BAD)

    problems = page_checks.page_problems(page)

    assert problems == [
        'accessible name with an icon\'s name: a "Next chevron_right" reads out the icon chevron_right',
        'accessible name with an icon\'s name: a "group Users" reads out the icon group',
        'accessible name with an icon\'s name: button "unfold_more" reads out the icon unfold_more',
        "1 Material Symbols icon(s) (class material-symbols*)",
        "2 <h1> elements, not exactly one",
        "2 <main> elements, not exactly one",
        'no skip link: the first element Tab reaches is a "Home", not a link to #main-content',
        'button contrast 2.85:1, below 4.5:1: button "Faint"',
    ]
    assert page_checks.screenshots(page, tmp_path, "Bad") == [
        "scrolls sideways at 390 pixels: the page is 808 pixels wide"
    ]


def test_the_heading_must_say_something(page):
    page.set_content(GOOD.replace("<h1>Search providers</h1>", "<h1> </h1>"))

    assert page_checks.page_problems(page) == ["the <h1> is empty"]


def test_a_skip_link_must_lead_somewhere(page):
    page.set_content(GOOD.replace('id="main-content"', 'id="content"'))

    assert page_checks.page_problems(page) == ["the skip link goes nowhere: no element has id main-content"]
