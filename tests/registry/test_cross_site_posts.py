"""A post another site makes a signed-in person's browser send: to change a user, delete a user, or sign
out. It is refused (the service's 403 page, in its layout) and logged as a security event, whether it
carries no CSRF token, a wrong one, or this site's own token from another site's page (a foreign
`Origin`); and nothing is done. The same post from this site, with its token, works."""

import logging
import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.factories import SupportAdministratorFactory, UserFactory
from tests.registry.errors.support import SERVICE_NAME, VIEWER_NAVIGATION, heading, navigation_links
from tests.support.page import Page

pytestmark = pytest.mark.django_db

BACKEND = "accounts.backends.ServiceAccountBackend"
FOREIGN = "https://evil.example"
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _token_from(client, url) -> str:
    """The CSRF token this site's own form at `url` carries."""
    response = client.get(url)
    assert response.status_code == 200
    return _TOKEN.search(response.content.decode())[1]


def _another_sessions_token() -> str:
    other = Client(enforce_csrf_checks=True)
    other.force_login(SupportAdministratorFactory(), backend=BACKEND)
    return _token_from(other, reverse("your-account"))


@pytest.fixture
def browser():
    """A signed-in support administrator's browser, which checks CSRF as production does."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(SupportAdministratorFactory(), backend=BACKEND)
    return client


@pytest.fixture
def mary():
    return UserFactory(first_name="Mary", last_name="Lawson", email="mary.lawson@education.gov.uk")


def _change(browser, user):
    """Change Mary's last name up to the question "Save?": the post that saves it is the target."""
    edit_url = reverse("admin:accounts_user_edit", args=[user.pk])
    token = _token_from(browser, f"{edit_url}?new")
    answers = {
        "first_name": "Mary",
        "last_name": "Lawson-Reid",
        "email": user.email,
        "is_api_user": "no",
        "is_active": "yes",
        "role": user.role or "none",
    }
    assert browser.post(edit_url, {**answers, "csrfmiddlewaretoken": token}).status_code == 302
    check_url = reverse("admin:accounts_user_edit_check", args=[user.pk])
    return check_url, _token_from(browser, check_url), lambda: User.objects.get(pk=user.pk).last_name == "Lawson-Reid"


def _delete(browser, user):
    url = reverse("admin:accounts_user_delete", args=[user.pk])
    return url, _token_from(browser, url), lambda: User.objects.get(pk=user.pk).deleted_at is not None


def _sign_out(browser, user):
    token = _token_from(browser, reverse("your-account"))

    def signed_out():
        return browser.get(reverse("your-account")).status_code == 302

    return reverse("sign-out"), token, signed_out


TARGETS = {"change a user": _change, "delete a user": _delete, "sign out": _sign_out}
ATTACKS = {
    "no token": (lambda token: {}, {}, "CSRF token missing."),
    "a wrong token": (
        lambda token: {"csrfmiddlewaretoken": _another_sessions_token()},
        {},
        "CSRF token from POST incorrect.",
    ),
    "this site's token from another site": (
        lambda token: {"csrfmiddlewaretoken": token},
        {"Origin": FOREIGN},
        f"Origin checking failed - {FOREIGN} does not match any trusted origins.",
    ),
}


def _csrf_events(caplog):
    return [record for record in caplog.records if record.name == "security" and record.msg == "csrf_failure"]


@pytest.mark.parametrize("attack", ATTACKS.values(), ids=ATTACKS.keys())
@pytest.mark.parametrize("target", TARGETS.values(), ids=TARGETS.keys())
def test_a_cross_site_post_is_refused_logged_and_does_nothing(browser, mary, caplog, target, attack):
    url, token, done = target(browser, mary)
    data, headers, reason = attack
    caplog.clear()

    with caplog.at_level(logging.INFO, logger="security"):
        response = browser.post(url, data(token), headers={**headers, "X-Request-Id": "req-cross-site"})

    assert response.status_code == 403
    page = Page(response)
    assert page.title == f"You do not have permission to perform this action - {SERVICE_NAME}"
    assert heading(page) == "You do not have permission to perform this action"
    # In the service's layout, with the signed-in person's navigation.
    assert set(VIEWER_NAVIGATION.items()) <= set(navigation_links(page).items())
    [event] = _csrf_events(caplog)
    assert (event.outcome, event.path, event.request_id, event.reason) == ("denied", url, "req-cross-site", reason)
    assert event.actor_type == "support_user"
    assert not done()


@pytest.mark.parametrize("target", TARGETS.values(), ids=TARGETS.keys())
def test_the_same_post_from_this_site_works(browser, mary, caplog, target):
    url, token, done = target(browser, mary)

    response = browser.post(url, {"csrfmiddlewaretoken": token}, headers={"Origin": "http://testserver"})

    assert response.status_code == 302
    assert done()
    assert not _csrf_events(caplog)
