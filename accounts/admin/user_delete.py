"""Delete user: a confirmation page, then the account is gone from the service."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from accounts import permissions
from accounts.admin.pages import AdminPageView
from accounts.selectors import user_get
from accounts.services import user_delete


class DeleteUserView(AdminPageView):
    template_name = "accounts/admin/user_delete.html"
    title = "Confirm you want to delete user"

    def setup_object(self, *, object_id, **kwargs):
        self.user = user_get(user_id=object_id)
        if self.user is None:
            raise Http404

    def has_permission(self):
        return permissions.user_can_delete_user(self.request.user, self.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            caption="Delete user",
            heading=f"Confirm you want to delete {self.user.full_name}",
            cancel_url=reverse("admin:accounts_user_change", args=[self.user.pk]),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        user_delete(actor=request.user, user_id=self.user.pk)
        messages.success(request, "User deleted")
        return redirect("admin:accounts_user_changelist")
