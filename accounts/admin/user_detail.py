"""View user: an account's answers, with a Change link for each answer that may change."""

from django.http import Http404
from django.urls import reverse

from accounts import permissions
from accounts.admin.pages import AdminPageView
from accounts.admin.summary import user_answer_rows
from accounts.admin.tags import user_status_tags
from accounts.formats import format_govuk_datetime
from accounts.forms import EDIT_USER_FIELDS
from accounts.selectors import user_get


class UserDetailView(AdminPageView):
    template_name = "accounts/admin/user_detail.html"
    # Page titles carry no personal data; the name is only in the heading.
    title = "View user"

    def setup_object(self, *, object_id, **kwargs):
        self.user = user_get(user_id=object_id)
        if self.user is None:
            raise Http404

    def has_permission(self):
        return permissions.user_can_view_users(self.request.user)

    def get_context_data(self, **kwargs):
        actor, user = self.request.user, self.user
        changeable = permissions.user_changeable_fields(actor, user)
        edit_url = reverse("admin:accounts_user_edit", args=[user.pk])
        answers = {field: getattr(user, field) for field in EDIT_USER_FIELDS}
        return super().get_context_data(
            user_record=user,
            caption="User",
            heading=user.full_name,
            status_tags=user_status_tags(user),
            last_signed_in=(
                f"Last signed in at {format_govuk_datetime(user.last_signed_in_at)}"
                if user.has_signed_in
                else "User has never signed in"
            ),
            rows=user_answer_rows(
                answers,
                fields=EDIT_USER_FIELDS,
                change_url=lambda field: f"{edit_url}?new#{field}" if field in changeable else None,
            ),
            delete_url=(
                reverse("admin:accounts_user_delete", args=[user.pk])
                if permissions.user_can_delete_user(actor, user)
                else None
            ),
            history_url=(
                reverse("admin:accounts_user_history", args=[user.pk])
                if self.model_admin.has_view_history_permission(self.request, user)
                else None
            ),
            **kwargs,
        )
