"""Every route in a URLconf, nested ones included, and the real paths each stands for: its
parameters filled with the ids of objects made for the purpose (`register_objects`).

One walker for the tests that visit every URL: tests/registry/test_every_page.py (every page is the
service's own) and tests/registry/test_access_matrix.py (who may open which admin page).
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.api_clients.services import api_client_create
from accounts.models import Email, User
from accounts.services import user_update
from registry.services.provider_access import provider_access_grant
from tests.factories import (
    AccreditedProviderFactory,
    AddressFactory,
    ApiUserFactory,
    ArchivedProviderFactory,
    ContactFactory,
    PartnershipFactory,
    UserFactory,
)


def routes(urlconf: str | None = None, *, named_only: bool = False) -> Iterator[tuple[str, str]]:
    """(URL name, route) for every pattern in `urlconf` (the service's own unless named), nested ones
    included: a pattern without a name is "(unnamed) <route>", or left out when `named_only`."""
    yield from _walk(get_resolver(urlconf).url_patterns, "", named_only)


def _walk(patterns, prefix: str, named_only: bool) -> Iterator[tuple[str, str]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), named_only)
        elif isinstance(pattern, URLPattern) and (pattern.name or not named_only):
            yield pattern.name or f"(unnamed) {prefix}{pattern.pattern}", prefix + str(pattern.pattern)


@dataclass(frozen=True)
class Objects:
    """The ids a route's parameters are filled with, by the model (`app/model`) the route is under."""

    ids: dict

    def fill(self, name: str, route: str) -> list[str]:
        """The paths `route` stands for here, or [] when it has a parameter no object fills."""
        model = "/".join(route.removeprefix("admin/").split("/")[:2])
        if route.startswith("admin/r/"):  # the admin's "view on site", for a user
            model = "accounts/user"
        ids = self.ids

        # Regular expressions the admin and the API use.
        if re.search(r"\^\(\?P<app_label>", route):
            labels = re.search(r"\(\?P<app_label>([^)]*)\)", route)[1].split("|")
            return [route.split("^")[0] + f"{label}/" for label in labels]
        if route.endswith("(?P<url>.*)$"):  # the admin's catch-all: its 404, and its added slash
            return [route.split("(?P<url>")[0] + "no-such-page/", route.split("(?P<url>")[0] + "no-such-page"]
        if route.endswith("^([^/]+)/history/([^/]+)/$"):  # simple-history's "history at this date"
            history = ids.get(f"{model}/history")
            if ids.get(model) is None or history is None:
                return []
            return [route.split("^")[0] + f"{ids[model]}/history/{history}/"]
        if route == "api/^docs/?$":
            return ["api/docs", "api/docs/"]
        if route == "api/^":  # the API's JSON 404
            return ["api/no-such-endpoint"]

        replacements = {
            # Only an archived provider is restored or deleted.
            r"^(admin/registry/provider/)<uuid:object_id>/(restore|delete)/$": (
                lambda match: f"{match[1]}{ids['registry/provider/archived']}/{match[2]}/"
            ),
            r"(\w+)/<uuid:record_id>": lambda match: f"{match[1]}/{ids.get(f'{model}/{match[1]}', '<missing>')}",
            r"<(?:uuid:|path:)?(?:object_id|object_pk)>": str(ids.get(model, "<missing>")),
            r"<(?:uuid:)?user_id>": str(ids["accounts/user"]),
            r"<group_id>": str(ids["auth/group"]),
            r"<path:content_type_id>": str(ids["content_type"]),
            r"<uuid:provider_id>": str(ids["registry/provider"]),
            r"<uuid:client_id>": str(ids["accounts/apiclient"]),
        }
        for pattern, value in replacements.items():
            route = re.sub(pattern, value, route)
        if re.search(r"<[^>]*>|[\^$()\[\]]", route):
            return []
        return [route]


def register_objects(actor: User) -> Objects:
    """One object of each kind a route names, made by `actor` (a support administrator) where the
    service records who made it: a user with a change in their history, an email, an API client, a
    provider with one of each of its records (its accreditation comes with it) that the user has been
    given access to, and an archived one."""
    target = UserFactory(first_name="Mary", last_name="Lawson")
    user_update(actor=actor, user_id=target.pk, changes={"last_name": "Lawson-Reid"}, seen_updated_at=target.updated_at)
    email = Email.objects.create(
        kind=Email.Kind.SIGN_IN_DETAILS, to=target.email, user=target, status=Email.Status.FAILED
    )
    api_client, _ = api_client_create(actor=actor, owner=ApiUserFactory(), name="Timetabling system")
    provider = AccreditedProviderFactory()
    # Mary has been given access to the provider, so that the page removing it has someone to remove.
    provider_access_grant(actor=actor, provider=provider, user=target, access="change")
    return Objects(
        {
            "accounts/user": target.pk,
            "accounts/user/history": target.history.first().history_id,
            "accounts/email": email.pk,
            "accounts/apiclient": api_client.pk,
            "accounts/apiclient/history": api_client.history.first().history_id,
            "auth/group": Group.objects.first().pk,
            "content_type": ContentType.objects.get_for_model(target).pk,
            "registry/provider": provider.pk,
            "registry/provider/history": provider.history.first().history_id,
            "registry/provider/archived": ArchivedProviderFactory().pk,
            "registry/provider/accreditations": provider.accreditations.get().pk,
            "registry/provider/addresses": AddressFactory(provider=provider).pk,
            "registry/provider/contacts": ContactFactory(provider=provider).pk,
            "registry/provider/partnerships": PartnershipFactory(accredited_provider=provider).pk,
        }
    )
