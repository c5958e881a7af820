"""API clients: support users who manage accounts see every API user's clients (revoked and expired
ones too, tagged), add one for an API user (its token shown once) and revoke one. API users manage
their own through the API."""

from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html

from accounts import permissions
from accounts.admin.user_pages import api_client_status_tag, user_url
from accounts.api_access import api_is_on
from accounts.api_clients.selectors import api_client_get, api_client_list, api_client_owners
from accounts.api_clients.services import api_client_create, api_client_revoke
from accounts.forms import ANOTHER_DATE, ApiClientForm, token_expires_at
from accounts.models import ApiTokenStatus
from registry.formats import format_govuk_date, format_govuk_datetime
from registry.pages.confirm import ConfirmPage
from registry.pages.flows import Flow, Step
from registry.pages.lists import Column, Filter, ListPage
from registry.pages.summary import row
from registry.pages.views import Page

STATUSES = [
    (status.value, status.label) for status in (ApiTokenStatus.ACTIVE, ApiTokenStatus.EXPIRED, ApiTokenStatus.REVOKED)
]


def govuk_date(moment) -> str:
    return format_govuk_date(timezone.localtime(moment)) if moment else ""


def when(moment) -> str:
    return format_govuk_datetime(moment) if moment else ""


def client_url(client) -> str:
    return reverse("admin:accounts_apiclient_change", args=[client.pk])


def owner_link(client) -> str:
    """The client's API user, linked to their page while their account is kept."""
    owner = client.owner
    if owner.is_deleted:
        return owner.full_name
    return format_html('<a class="app-link" href="{}">{}</a>', user_url(owner), owner.full_name)


class ApiClientsPage(Page):
    def has_permission(self):
        return permissions.user_can_manage_api_clients(self.request.user)


class ApiClientList(ApiClientsPage, ListPage):
    template_name = "accounts/api_client_list.html"
    title = "API clients"
    noun, noun_plural = "API client", "API clients"
    search_label = "Search API clients"
    search_hint = "Search by client name, or the API user's name or email address"
    add_label = "Add API client"

    @cached_property
    def filters(self):
        # The API users are read once a request: the filter's options are asked for again and again.
        owners = [(owner.pk, owner.full_name) for owner in api_client_owners()]
        return (Filter("status", "Status", STATUSES), Filter("owner", "API user", owners))

    def rows_queryset(self, search, chosen):
        return api_client_list(search=search, statuses=chosen.get("status", ()), owner_ids=chosen.get("owner", ()))

    def columns(self):
        return [
            Column("Name", lambda client: client.name),
            Column("API user", owner_link),
            Column("Status", api_client_status_tag),
            Column("Expires", lambda client: govuk_date(client.token_expires_at)),
            Column("Added", lambda client: govuk_date(client.created_at)),
        ]

    def row_url(self, client):
        return client_url(client)

    def add_url(self):
        return reverse("admin:accounts_apiclient_add") + "?new"

    def get_context_data(self, **kwargs):
        if permissions.user_can_switch_api(self.request.user):
            # Where support administrators switch the API off and on (registry.admin.api_access).
            kwargs.update(api_access_url=reverse("api-access"), api_is_on=api_is_on())
        return super().get_context_data(**kwargs)


class ApiClientPage(ApiClientsPage):
    """A page about one client (`self.client`), revoked or not."""

    def setup_object(self, *, object_id, **kwargs):
        self.client = api_client_get(client_id=object_id)
        if self.client is None:
            raise Http404


class ViewApiClient(ApiClientPage):
    template_name = "accounts/api_client_detail.html"
    title = "View API client"
    caption = "API client"

    def get_heading(self):
        return self.client.name

    def get_context_data(self, **kwargs):
        client = self.client
        tokens = list(client.tokens.all())
        last_used = max((token.last_used_at for token in tokens if token.last_used_at), default=None)
        return super().get_context_data(
            status_tags=api_client_status_tag(client),
            rows=[
                row(
                    "API user", client.owner.full_name, url=None if client.owner.is_deleted else user_url(client.owner)
                ),
                row("Client name", client.name),
                row("Status", ApiTokenStatus(client.status).label),
                row("Expires", govuk_date(client.token_expires_at)),
                row("Added", govuk_date(client.created_at)),
                row("Last used", when(last_used) or "Never"),
            ],
            tokens=[
                {
                    "hint": token.hint,
                    "status": token.status().label,
                    "added": govuk_date(token.created_at),
                    "expires": govuk_date(token.works_until()),
                    "last_used": when(token.last_used_at) or "Never",
                }
                for token in tokens
            ],
            links=self.links(),
            **kwargs,
        )

    def links(self) -> list[dict]:
        links, pk = [], self.client.pk
        if self.model_admin.has_view_history_permission(self.request, self.client):
            links.append({"label": "View history", "url": reverse("admin:accounts_apiclient_history", args=[pk])})
        if self.client.status != ApiTokenStatus.REVOKED:
            revoke_url = reverse("admin:accounts_apiclient_revoke", args=[pk])
            links.append({"label": "Revoke API client", "url": revoke_url, "warning": True})
        return links


class AddApiClient(ApiClientsPage, Flow):
    """API user and name → how long the token works (a date of one's own if asked) → check → save,
    then the token, shown once."""

    form_class = ApiClientForm
    action = "Add API client"
    submit_label = "Save API client"
    success_message = "API client added"
    steps = (
        Step("", "API client details", ("owner", "name")),
        Step("expiry", "When should the token expire?", ("expiry",)),
        Step(
            "expiry-date", "Expiry date", ("expires_on",), applies=lambda answers: answers.get("expiry") == ANOTHER_DATE
        ),
    )

    def initial_answers(self):
        # From an API user's page: the client is for them.
        return {"owner": self.request.GET["owner"]} if self.request.GET.get("owner") else {}

    def save(self, answers):
        expires_at = token_expires_at(answers["expiry"], answers.get("expires_on"), timezone.now())
        owner, name, actor = answers["owner"], answers["name"], self.request.user
        self.added = api_client_create(actor=actor, owner=owner, name=name, expires_at=expires_at, request=self.request)

    def saved_response(self):
        return token_page(self, *self.added)

    def cancel_url(self):
        return reverse("admin:accounts_apiclient_changelist")


def token_page(page, client, issued):
    """The new token, in this response and nowhere else: never stored, not even in the session."""
    context = page.get_context_data(
        title="API client token",
        caption="API client",
        heading="API client token created",
        token=issued.secret,
        token_rows=[row("Token", issued.secret)],
        done_url=client_url(client),
    )
    response = TemplateResponse(page.request, "accounts/api_client_token.html", context)
    response["Cache-Control"] = "no-store"
    return response


class RevokeApiClient(ApiClientPage, ConfirmPage):
    title = "Confirm you want to revoke API client"
    caption = "Revoke API client"
    button_label = "Revoke API client"
    button_warning = True
    success_message = "API client revoked"

    def setup_object(self, **kwargs):
        super().setup_object(**kwargs)
        if self.client.status == ApiTokenStatus.REVOKED:
            raise Http404

    def get_heading(self):
        return f"Confirm you want to revoke {self.client.name}"

    def confirm_context(self):
        return {
            "rows": [row("API user", self.client.owner.full_name), row("Client name", self.client.name)],
            "warning": "Revoking an API client is permanent – you cannot undo it. Its tokens stop working at once.",
        }

    def act(self):
        api_client_revoke(actor=self.request.user, client_id=self.client.pk, request=self.request)

    def cancel_url(self):
        return client_url(self.client)
