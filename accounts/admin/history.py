"""The history pages of an account and of an API client (registry.pages.history).

A user's history lists the changes to their account; an API client's, the changes to the client
and to its tokens (issued, rotated, revoked).
"""

from django.db.models import Q
from django.urls import reverse

from accounts import permissions
from accounts.models import ApiClient, User
from registry.activity.sources import API_CLIENTS, API_TOKENS, USERS
from registry.pages.history import HistoryPage
from registry.permissions import user_can_view_activity


class UserHistoryPage(HistoryPage):
    model = User
    title = "User history"

    def has_permission(self) -> bool:
        return permissions.user_can_view_user_history(self.request.user)

    def history_rows(self):
        return {USERS: Q(id=self.object.pk)}

    def record_url(self) -> str | None:
        if not self.object.is_deleted and permissions.user_can_view_users(self.request.user):
            return reverse("admin:accounts_user_change", args=[self.object.pk])
        if user_can_view_activity(self.request.user):
            return reverse("activity")
        return None


class ApiClientHistoryPage(HistoryPage):
    model = ApiClient
    title = "API client history"

    def has_permission(self) -> bool:
        return permissions.user_can_manage_api_clients(self.request.user)

    def history_rows(self):
        return {API_CLIENTS: Q(id=self.object.pk), API_TOKENS: Q(client_id=self.object.pk)}

    def record_url(self) -> str | None:
        if self.object.is_deleted:
            return reverse("admin:accounts_apiclient_changelist")
        return reverse("admin:accounts_apiclient_change", args=[self.object.pk])
