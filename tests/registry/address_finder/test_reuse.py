"""The finder's steps in a flow of another kind, asked after another question (as Add provider asks
them): mixed in, they find, select and save the address with its UPRN, and hand the rest to the flow."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from registry import urls as service_urls
from registry.address_finder.steps import AddressFinderFlow, address_steps
from registry.forms.base import RegisterForm, TextField
from registry.models import Provider
from registry.pages.flows import Flow, Step
from tests.support.html import page_title

pytestmark = pytest.mark.django_db

SAVED = []


class NameForm(RegisterForm):
    error_messages = {"name_required": "Enter a name"}
    name = TextField(label="Name", required_message="Enter a name")


class AddPlaceFlow(AddressFinderFlow, Flow):
    steps = (
        Step("", "Name", ("name",), NameForm),
        *address_steps(find="address", select="address-select", manual="address-manual"),
    )
    action = "Add place"
    success_message = "Place added"

    def has_permission(self):
        return True

    def cancel_url(self):
        return "/"

    def page_url(self, slug):
        return reverse(f"{self.url_name}_{slug}" if slug else self.url_name)

    def save(self, answers):
        SAVED.append(answers)


_MOUNT = SimpleNamespace(model=Provider, admin_site=SimpleNamespace(admin_view=lambda view: view))
# The flow's pages, beside the service's (whose layout links to them).
urlpatterns = [*AddPlaceFlow.url_patterns(_MOUNT, "place/add/", "place_add"), *service_urls.urlpatterns]


@pytest.fixture(autouse=True)
def urlconf(settings):
    settings.ROOT_URLCONF = __name__
    SAVED.clear()


def url(slug=""):
    return reverse(f"registry_provider_place_add_{slug}" if slug else "registry_provider_place_add")


def test_the_address_is_asked_after_the_flows_own_question(administrator_client, fake_places):
    administrator_client.get(f"{url()}?new")
    finder = administrator_client.post(url(), {"name": "Ash Tree"}, follow=True)
    assert page_title(finder) == "Find an address - Add place - Register of training providers"
    assert f'<a class="app-back-link" href="{url()}">Back</a>' in finder.content.decode()

    administrator_client.post(url("address"), {"find_postcode": "N13 6BY", "find_building": "3"})
    check = administrator_client.post(url("address-select"), {"found_address": "0"}, follow=True)
    assert check.redirect_chain == [(url("check"), 302)]
    administrator_client.post(url("check"))

    assert SAVED == [
        {
            "name": "Ash Tree",
            "address_line_1": "3 Tile Kiln Lane",
            "address_line_2": "",
            "address_line_3": "",
            "town_or_city": "London",
            "county": "",
            "postcode": "N13 6BY",
            "uprn": "100091000003",
            "latitude": "51.6181007",
            "longitude": "-0.1106133",
        }
    ]


def test_without_a_key_the_address_form_follows_the_flows_own_question(administrator_client, settings):
    settings.ORDNANCE_SURVEY_API_KEY = ""
    administrator_client.get(f"{url()}?new")

    manual = administrator_client.post(url(), {"name": "Ash Tree"}, follow=True)

    assert manual.redirect_chain == [(url("address-manual"), 302)]
    assert page_title(manual) == "Address - Add place - Register of training providers"
    assert f'<a class="app-back-link" href="{url()}">Back</a>' in manual.content.decode()
