"""Emails: what the service has sent, or failed to send, for the support team to see and retry.

Nothing here changes an email's fields: the worker owns them. The only action is Retry, which puts
a failed email back in the queue through `email_retry`.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.defaultfilters import truncatechars
from django.urls import reverse

from accounts import permissions
from accounts.emails.services import EmailNotFailed, email_retry
from accounts.models import Email
from accounts.selectors import email_get, email_list
from registry.formats import format_govuk_datetime
from registry.pages.confirm import ConfirmPage
from registry.pages.flows import FlowRefused
from registry.pages.lists import Column, Filter, ListPage
from registry.pages.summary import row, tags
from registry.pages.views import Page

ONLY_FAILED = "Only a failed email can be retried."
STATUS_COLOURS = {Email.Status.SENT: "success", Email.Status.FAILED: "danger"}


def email_status_tag(email: Email) -> str:
    return tags((email.get_status_display(), STATUS_COLOURS.get(email.status, "info")))


def when(moment) -> str:
    return format_govuk_datetime(moment) if moment else ""


def email_url(email: Email) -> str:
    return reverse("admin:accounts_email_change", args=[email.pk])


class EmailList(ListPage):
    title = "Emails"
    noun, noun_plural = "email", "emails"
    search_label = "Search emails"
    search_hint = "Search by email address"
    filters = (
        Filter("status", "Status", Email.Status.choices),
        Filter("kind", "Email", Email.Kind.choices),
    )

    def has_permission(self):
        return permissions.user_can_view_emails(self.request.user)

    def rows_queryset(self, search, chosen):
        return email_list(search=search, statuses=chosen.get("status", ()), kinds=chosen.get("kind", ()))

    def columns(self):
        return [
            Column("To", lambda email: email.to),
            Column("Email", lambda email: email.get_kind_display()),
            Column("Status", email_status_tag),
            Column("Attempts", lambda email: str(email.attempts)),
            Column("Last error", lambda email: truncatechars(email.last_error, 80)),
            Column("Created", lambda email: when(email.created_at)),
        ]

    def row_url(self, email):
        return email_url(email)


class EmailPage(Page):
    """A page about one email (`self.email`)."""

    def setup_object(self, *, object_id, **kwargs):
        self.email = email_get(email_id=object_id)
        if self.email is None:
            raise Http404

    def has_permission(self):
        return permissions.user_can_view_emails(self.request.user)


class ViewEmail(EmailPage):
    template_name = "accounts/email_detail.html"
    # No address in the title: it is personal data.
    title = "View email"
    caption = "Email"

    def get_heading(self):
        return self.email.get_kind_display()

    def get_context_data(self, **kwargs):
        email, user = self.email, self.email.user
        may_retry = email.status == Email.Status.FAILED and permissions.user_can_retry_emails(self.request.user)
        account_url = None if user.is_deleted else reverse("admin:accounts_user_change", args=[user.pk])
        return super().get_context_data(
            status_tags=email_status_tag(email),
            rows=[
                row("To", email.to),
                row("Email", email.get_kind_display()),
                row("Account", user.full_name, url=account_url),
                row("Status", email.get_status_display()),
                row("Attempts", str(email.attempts)),
                row("Last error", email.last_error or "None"),
                row("Created", when(email.created_at)),
                row("Next attempt", when(email.next_attempt_at) or "None"),
                row("Sent", when(email.sent_at) or "Not sent"),
                row("GOV.UK Notify id", email.notify_id or "None"),
                row("Reference given to GOV.UK Notify", email.reference),
            ],
            retry_url=reverse("admin:accounts_email_retry", args=[email.pk]) if may_retry else None,
            **kwargs,
        )


class RetryEmail(EmailPage, ConfirmPage):
    title = "Confirm you want to send this email again"
    caption = "Retry email"
    button_label = "Send email again"

    def has_permission(self):
        return permissions.user_can_retry_emails(self.request.user)

    def get(self, request, *args, **kwargs):
        if self.email.status != Email.Status.FAILED:
            messages.error(request, ONLY_FAILED)
            return redirect(self.cancel_url())
        return super().get(request, *args, **kwargs)

    def confirm_context(self):
        return {
            "rows": [
                row("To", self.email.to),
                row("Email", self.email.get_kind_display()),
                row("Last error", self.email.last_error or "None"),
            ],
        }

    def get_success_message(self):
        return f"The email to {self.email.to} will be sent again."

    def act(self):
        try:
            email_retry(email=self.email, actor=self.request.user)
        except EmailNotFailed:
            raise FlowRefused(ONLY_FAILED) from None

    def cancel_url(self):
        return email_url(self.email)
