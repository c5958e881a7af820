import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class Email(models.Model):
    """An email the service must send through GOV.UK Notify: the outbox.

    The row is written in the same transaction as the change that causes it, so an email is never
    lost when a change is saved and never sent for a change that was rolled back. A worker sends it
    and records the outcome here, where the support team can see failures and retry them.
    """

    class Kind(models.TextChoices):
        SIGN_IN_DETAILS = "sign_in_details", "Sign-in details"
        ACCOUNT_REMOVED = "account_removed", "Account removed"
        # Email notifications of changes to the register (accounts.notifications).
        CHANGE_DIGEST = "change_digest", "Changes to providers"
        PROVIDER_CHANGED = "provider_changed", "Provider changed"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to send"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    to = models.EmailField("to", max_length=254)
    personalisation = models.JSONField(default=dict)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="emails",
        help_text="The account the email is about.",
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    notify_id = models.CharField("GOV.UK Notify id", max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "email"
        verbose_name_plural = "emails"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="accounts_email_status_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.to}"

    @property
    def reference(self) -> str:
        """The reference given to Notify: our id, which carries no personal data."""
        return str(self.id)
