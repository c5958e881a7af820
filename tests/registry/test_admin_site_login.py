"""The admin site's sign-in address sends people to the service's sign-in, keeping where they were
going as one `next` parameter, encoded."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode

pytestmark = pytest.mark.django_db


def _next_of(location: str) -> list[str]:
    parts = urlsplit(location)
    assert parts.path == str(settings.LOGIN_URL)
    return parse_qs(parts.query, keep_blank_values=True).get("next", [])


@pytest.mark.parametrize(
    "next_path",
    [
        "/admin/accounts/user/",
        # Its own query string: `&` and `=` must not become parameters of the sign-in address.
        "/admin/accounts/user/?q=lovelace&o=1",
        "/admin/?a=1&next=https://evil.example/",
        "/admin/accounts/user/?q=50%25 off#results",
    ],
)
def test_next_is_passed_on_whole_as_one_encoded_parameter(client, next_path):
    response = client.get(f"{reverse('admin:login')}?{urlencode({'next': next_path})}")

    assert response.status_code == 302
    assert _next_of(response["Location"]) == [next_path]
    assert "#" not in response["Location"]


def test_a_next_on_another_site_is_dropped(client):
    response = client.get(reverse("admin:login"), {"next": "https://evil.example/"})

    assert response.status_code == 302
    assert response["Location"] == str(settings.LOGIN_URL)
