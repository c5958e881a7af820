"""Emails: what the service has sent, or failed to send, for the support team to see and retry.

Nothing here changes an email's fields: the worker owns them. The only action is Retry, which puts
a failed email back in the queue through `email_retry`.
"""

from django.contrib import admin, messages
from django.http import Http404, HttpRequest
from django.shortcuts import redirect
from django.template.defaultfilters import truncatechars
from django.template.response import TemplateResponse
from django.urls import reverse
from unfold.admin import ModelAdmin
from unfold.decorators import action, display
from unfold.utils import display_for_label

from accounts.emails.services import EmailNotFailed, email_retry
from accounts.models import Email

STATUS_TAGS = {
    Email.Status.PENDING: "info",
    Email.Status.SENDING: "info",
    Email.Status.SENT: "success",
    Email.Status.FAILED: "danger",
}


@admin.register(Email)
class EmailAdmin(ModelAdmin):
    list_display = ["to", "kind", "status_tag", "attempts", "last_error_summary", "created_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["to"]
    search_help_text = "Search by email address"
    ordering = ["-created_at"]
    fields = [
        "to",
        "kind",
        "user",
        "status_shown",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "sent_at",
        "notify_id",
        "reference",
    ]
    readonly_fields = tuple(fields)
    actions = ["retry_selected"]
    actions_detail = ["retry_one"]

    # Emails are written by the service and the worker only: the support team looks and retries.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_retry_permission(self, request: HttpRequest, object_id=None) -> bool:
        return request.user.has_perm("accounts.change_email")

    @display(description="Status", ordering="status", label=STATUS_TAGS)
    def status_tag(self, email: Email):
        return email.status, email.get_status_display()

    @display(description="Status")
    def status_shown(self, email: Email) -> str:
        # Unfold colours `label` displays in lists only; on the email's own page the tag is drawn here.
        return display_for_label(self.status_tag(email), "-", STATUS_TAGS)

    @display(description="Last error")
    def last_error_summary(self, email: Email) -> str:
        return truncatechars(email.last_error, 80)

    @display(description="Reference given to GOV.UK Notify")
    def reference(self, email: Email) -> str:
        return email.reference

    def get_actions_detail(self, request: HttpRequest, object_id=None):
        # Retry is offered only for a failed email: any other is sent, or on its way.
        actions = super().get_actions_detail(request, object_id)
        email = self.get_object(request, object_id)
        if email is None or email.status != Email.Status.FAILED:
            actions = [each for each in actions if each.method.original_function_name != "retry_one"]
        return actions

    @action(description="Retry the selected failed emails", permissions=["retry"])
    def retry_selected(self, request: HttpRequest, queryset):
        retried = 0
        for email in queryset.filter(status=Email.Status.FAILED):
            try:
                email_retry(email=email, actor=request.user)
            except EmailNotFailed:
                continue  # Retried by someone else since the list was shown.
            retried += 1
        skipped = queryset.count() - retried
        if retried:
            noun = "email" if retried == 1 else "emails"
            messages.success(request, f"{retried} {noun} will be sent again.")
        if skipped:
            messages.warning(request, f"{skipped} not retried: only failed emails can be retried.")

    @action(description="Retry", permissions=["retry"], icon="send", url_path="retry")
    def retry_one(self, request: HttpRequest, object_id):
        email = self.get_object(request, object_id)
        if email is None:
            raise Http404
        change_url = reverse("admin:accounts_email_change", args=[email.pk])
        if email.status != Email.Status.FAILED:
            messages.warning(request, "Only a failed email can be retried.")
            return redirect(change_url)
        # The button is a link, so the GET shows a form and only its POST (with a CSRF token) acts.
        if request.method != "POST":
            return TemplateResponse(
                request,
                "accounts/email/retry_confirmation.html",
                {
                    **self.admin_site.each_context(request),
                    "opts": self.opts,
                    "title": "Retry email",
                    "email": email,
                    "cancel_url": change_url,
                },
            )
        try:
            email_retry(email=email, actor=request.user)
        except EmailNotFailed:
            messages.warning(request, "Only a failed email can be retried.")
        else:
            messages.success(request, f"The email to {email.to} will be sent again.")
        return redirect(change_url)
