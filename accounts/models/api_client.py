"""API clients and their bearer tokens.

An API user makes clients, one for each system of theirs that calls the API, and each client holds
tokens. A token is shown once, when it is issued; the service keeps only a keyed hash of it, which
a copy of the database alone cannot turn back into a working token nor even confirm a guess against.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from registry.activity.history_indexes import IndexedForActivity
from registry.models.base import KeptQuerySet


class ApiClient(models.Model):
    """A system of an API user's that calls the API, with the tokens it authenticates with."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_clients",
        help_text="The API user whose client it is; the API acts as them.",
    )
    name = models.CharField("client name", max_length=100)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords(cascade_delete_history=False, bases=[IndexedForActivity])

    # `kept()`: clients that have not been deleted, the only ones the API shows or accepts tokens for.
    objects = KeptQuerySet.as_manager()

    class Meta:
        verbose_name = "API client"
        verbose_name_plural = "API clients"
        ordering = ["created_at", "id"]
        permissions = [("manage_own_api_clients", "Can manage their own API clients and tokens")]
        constraints = [
            models.UniqueConstraint(
                "owner",
                Lower("name"),
                condition=models.Q(deleted_at__isnull=True),
                name="accounts_apiclient_name_unique_per_owner",
                violation_error_message="Client name must be unique",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class ApiTokenStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    # Rotated: a newer token replaces it, and it keeps working until its grace period ends.
    REPLACED = "replaced", "Replaced"
    EXPIRED = "expired", "Expired"
    REVOKED = "revoked", "Revoked"


class ApiToken(models.Model):
    """A bearer token of a client, known to the service only by its keyed hash.

    A token works while it has not expired, has not been revoked and, once a rotation has replaced
    it, until its grace period ends; and only while its client is kept and its client's owner is an
    active, undeleted API user. Revoking is final: nothing offers to undo it, and saving a revoked
    token as not revoked is refused.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="tokens")
    token_hash = models.CharField(
        "token hash", max_length=64, unique=True, editable=False, help_text="HMAC-SHA-256 of the token, in hex."
    )
    hint = models.CharField(
        "token hint", max_length=32, editable=False, help_text="The token's prefix and last four characters."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True, editable=False
    )
    expires_at = models.DateTimeField("expires at", editable=False)
    replaced_at = models.DateTimeField("replaced at", null=True, blank=True, editable=False)
    grace_ends_at = models.DateTimeField(
        "works until", null=True, blank=True, editable=False, help_text="When a replaced token stops working."
    )
    revoked_at = models.DateTimeField("revoked at", null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, related_name="+", null=True, blank=True, editable=False
    )
    last_used_at = models.DateTimeField("last used at", null=True, blank=True, editable=False)

    # The hash never goes into history; when the token was last used is not a change to it.
    history = HistoricalRecords(
        excluded_fields=["token_hash", "last_used_at"], cascade_delete_history=False, bases=[IndexedForActivity]
    )

    class Meta:
        verbose_name = "API token"
        verbose_name_plural = "API tokens"
        ordering = ["-created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="accounts_apitoken_expires_after_creation",
            ),
            models.CheckConstraint(
                condition=models.Q(replaced_at__isnull=True, grace_ends_at__isnull=True)
                | models.Q(replaced_at__isnull=False, grace_ends_at__gte=models.F("replaced_at")),
                name="accounts_apitoken_grace_follows_replacement",
            ),
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=False) | models.Q(revoked_by__isnull=True),
                name="accounts_apitoken_revoked_by_only_when_revoked",
            ),
        ]

    def __str__(self):
        return self.hint

    def save(self, *args, **kwargs):
        if getattr(self, "_revoked_in_db", False) and self.revoked_at is None:
            raise ValueError("A revoked API token cannot be un-revoked.")
        super().save(*args, **kwargs)
        self._revoked_in_db = self.revoked_at is not None

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        token = super().from_db(db, field_names, values, **kwargs)
        token._revoked_in_db = token.__dict__.get("revoked_at") is not None
        return token

    def status(self, now=None) -> ApiTokenStatus:
        now = now or timezone.now()
        if self.revoked_at is not None:
            return ApiTokenStatus.REVOKED
        if now >= self.expires_at or (self.grace_ends_at is not None and now >= self.grace_ends_at):
            return ApiTokenStatus.EXPIRED
        if self.replaced_at is not None:
            return ApiTokenStatus.REPLACED
        return ApiTokenStatus.ACTIVE

    def works_until(self):
        """When the token stops working, unless revoked before then."""
        if self.grace_ends_at is not None:
            return min(self.expires_at, self.grace_ends_at)
        return self.expires_at


class ApiClientUserObjectPermission(UserObjectPermissionBase):
    """Who may see and manage one API client (its owner), as guardian object permissions.

    Direct foreign keys rather than guardian's generic tables: indexed, and gone with the client.
    """

    content_object = models.ForeignKey(ApiClient, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "API client permission for a user"


class ApiClientGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(ApiClient, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = "API client permission for a group"
