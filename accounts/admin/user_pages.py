"""The Users section's pages: the list, a user's page, and deleting a user.

Page titles carry no personal data: a user's name is only in the heading.
"""

from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from accounts import permissions
from accounts.api_clients.selectors import api_client_list
from accounts.forms import NO_ROLE, USER_FIELDS, UserDetailsForm
from accounts.minimum_support_users import CANNOT_COMPLETE, TooFewSupportUsers, support_user_removal_refusal
from accounts.models import ApiTokenStatus, User
from accounts.selectors import user_get, user_list
from accounts.services import user_delete
from registry.formats import format_govuk_date, format_govuk_datetime
from registry.pages.confirm import ConfirmPage
from registry.pages.flows import FlowRefused
from registry.pages.lists import Column, ListPage
from registry.pages.ratelimit import RateLimitedAction
from registry.pages.stop import Stop, stop_page
from registry.pages.summary import Card, row, tags
from registry.pages.views import Page

# The API clients an API user's page lists; the rest are on the clients list, filtered to them.
CLIENTS_SHOWN = 5


def user_status_tags(user: User) -> str:
    shown = [("Active", "success") if user.is_active else ("Inactive", "neutral")]
    if user.is_api_user:
        shown.append(("API user", "warning"))
    return tags(*shown)


def user_url(user: User) -> str:
    return reverse("admin:accounts_user_change", args=[user.pk])


def api_client_status_tag(client) -> str:
    colour = {ApiTokenStatus.ACTIVE: "success", ApiTokenStatus.REVOKED: "warning"}.get(client.status, "neutral")
    return tags((ApiTokenStatus(client.status).label, colour))


def api_client_summary(client) -> str:
    """ "Active, expires 1 March 2027": a client's status and its token's expiry, in words."""
    status = ApiTokenStatus(client.status).label
    if client.token_expires_at is None:
        return status
    return f"{status}, expires {format_govuk_date(timezone.localtime(client.token_expires_at))}"


class UserPage(Page):
    """A page about one kept account (`self.user`), and the one its flows change."""

    def setup_object(self, *, object_id, **kwargs):
        self.user = user_get(user_id=object_id)
        if self.user is None:
            raise Http404

    def url_args(self):
        return [self.user.pk]

    def changed_object(self):
        return self.user


class UserList(ListPage):
    title = "Users"
    noun, noun_plural = "user", "users"
    search_label = "Search users"
    search_hint = "Search by name or email address"
    add_label = "Add user"

    def has_permission(self):
        return permissions.user_can_view_users(self.request.user)

    def rows_queryset(self, search, chosen):
        return user_list(search=search)

    def columns(self):
        return [
            Column("Name", lambda user: user.full_name),
            Column("Email address", lambda user: user.email),
            Column("Status", user_status_tags),
        ]

    def row_url(self, user):
        return user_url(user)

    def add_url(self):
        return reverse("admin:accounts_user_add") + "?new" if permissions.user_can_add_user(self.request.user) else None


class ViewUser(UserPage):
    template_name = "pages/summary.html"
    title = "View user"
    caption = "User"

    def has_permission(self):
        return permissions.user_can_view_users(self.request.user)

    def get_heading(self):
        return self.user.full_name

    def get_context_data(self, **kwargs):
        actor, user = self.request.user, self.user
        signed_in = user.has_signed_in
        return super().get_context_data(
            status_tags=user_status_tags(user),
            hint=(
                f"Last signed in at {format_govuk_datetime(user.last_signed_in_at)}"
                if signed_in
                else "User has never signed in"
            ),
            rows=self.rows(permissions.user_changeable_fields(actor, user)),
            cards=self.api_client_cards(),
            links=self.links(),
            **kwargs,
        )

    def links(self) -> list[dict]:
        actor, user = self.request.user, self.user
        links = []
        if user.is_api_user and permissions.user_can_add_api_client_for(actor, user):
            add_url = reverse("admin:accounts_apiclient_add")
            links.append({"label": "Add API client", "url": f"{add_url}?new&owner={user.pk}"})
        if self.model_admin.has_view_history_permission(self.request, user):
            links.append({"label": "View history", "url": reverse("admin:accounts_user_history", args=[user.pk])})
        if permissions.user_can_delete_user(actor, user):
            delete_url = reverse("admin:accounts_user_delete", args=[user.pk])
            links.append({"label": "Delete user", "url": delete_url, "warning": True})
        return links

    def rows(self, changeable) -> list[dict]:
        """Each answer, with a Change link to it where it may change. API users have no role."""
        labels = {name: field.label for name, field in UserDetailsForm.base_fields.items()}
        edit_url = reverse("admin:accounts_user_edit", args=[self.user.pk])
        shown = [name for name in USER_FIELDS if not (name == "role" and self.user.is_api_user)]
        values = {name: getattr(self.user, name) for name in shown}
        if "role" in values:
            values["role"] = self.user.role or dict(UserDetailsForm.base_fields["role"].choices)[NO_ROLE]
        return [
            row(labels[name], values[name], f"{edit_url}?new#{name}" if name in changeable else None, field=name)
            for name in shown
        ]

    def api_client_cards(self) -> list:
        """An API user's clients, newest first, and a link to all of them on the clients list."""
        if not self.user.is_api_user or not permissions.user_can_manage_api_clients(self.request.user):
            return []
        clients = api_client_list(owner_ids=[self.user.pk])
        shown = list(clients[: CLIENTS_SHOWN + 1])
        count = len(shown) if len(shown) <= CLIENTS_SHOWN else clients.count()
        rows = [
            row(
                client.name,
                api_client_summary(client),
                url=reverse("admin:accounts_apiclient_change", args=[client.pk]),
            )
            for client in shown[:CLIENTS_SHOWN]
        ]
        list_url = reverse("admin:accounts_apiclient_changelist") + f"?owner={self.user.pk}"
        return [
            Card(
                title=f"API clients ({count})",
                rows=rows or [row("API clients", "This user has no API clients")],
                actions=[{"label": "View all", "url": list_url, "warning": False}] if count else [],
            )
        ]


class DeleteUser(RateLimitedAction, UserPage, ConfirmPage):
    """ "Confirm you want to delete …"; at most 3 tries in 3 minutes (RateLimitedAction).

    Deleting one of the last 4 active support users is refused (accounts.minimum_support_users):
    the page says so instead of asking to confirm, and so does a POST should it get that far.
    """

    title = "Confirm you want to delete user"
    caption = "Delete user"
    button_label = "Delete user"
    button_warning = True
    success_message = "User deleted"
    rate_limit_scope = "user-delete"

    def has_permission(self):
        return permissions.user_can_delete_user(self.request.user, self.user)

    def get_heading(self):
        return f"Confirm you want to delete {self.user.full_name}"

    def confirm_context(self):
        return {"warning": "Deleting a user is permanent – you cannot undo it."}

    def get(self, request, *args, **kwargs):
        if refusal := support_user_removal_refusal(self.user, deleting=True):
            return stop_page(self, self.too_few_support_users(refusal))
        return super().get(request, *args, **kwargs)

    def act(self):
        try:
            user_delete(actor=self.request.user, user_id=self.user.pk)
        except TooFewSupportUsers as error:
            raise FlowRefused(error.message, stop=self.too_few_support_users(error.message)) from None

    def too_few_support_users(self, message: str) -> Stop:
        return Stop(CANNOT_COMPLETE, (message,), (("Go back to the user", user_url(self.user)),), caption=self.caption)

    def cancel_url(self):
        return user_url(self.user)

    def done_url(self):
        return reverse("admin:accounts_user_changelist")
