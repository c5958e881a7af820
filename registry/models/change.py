"""The register's record of changes: one row for each provider a write affects, in one order.

Other services mirror the register by following this record (the API's changes feed) and support
users are emailed from it. What makes it safe to follow is its `position`: a number that only
grows and that a reader can never skip past. Positions are handed out by one counter row
(`RegisterPosition`), which a writer updates in the same transaction as its change and which stays
locked until that transaction ends. So a writer that gets position n + 1 waited for the writer of n
to commit (or roll back, leaving n unused): positions become visible in the order they are given,
and a reader that has seen position n has seen every position below it. docs/architecture.md,
"The change record", says why this is enough, and what it costs.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class RegisterPosition(models.Model):
    """The one counter row the positions are handed out from (created by the migration, id 1)."""

    last = models.BigIntegerField(default=0)

    def __str__(self):
        return f"Last position {self.last}"


class ProviderChange(models.Model):
    class Topic(models.TextChoices):
        """What about a provider changed: the choices a support user is notified about."""

        DETAILS = "details", "Provider details"
        ACCREDITATIONS = "accreditations", "Provider accreditations"
        ADDRESSES = "addresses", "Provider addresses"
        CONTACTS = "contacts", "Provider contacts"
        PARTNERSHIPS = "partnerships", "Provider partnerships"
        USERS = "users", "Provider users"

    position = models.BigIntegerField(primary_key=True)
    # Not a foreign key: the record of a change outlives nothing it names, and keeping it free of
    # constraints keeps the bulk import's inserts to one statement a batch.
    provider_id = models.UUIDField()
    topic = models.CharField(max_length=16, choices=Topic.choices)
    # The history's reason for the change, as the Activity page shows it: "Address added".
    reason = models.CharField(max_length=255, blank=True)
    # The record that changed (an address, a partnership…); the provider's own id for its details.
    record_id = models.UUIDField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_constraint=False
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position"]
        indexes = [
            models.Index(fields=["provider_id", "position"], name="provider_change_provider_idx"),
            models.Index(fields=["recorded_at"], name="provider_change_time_idx"),
        ]

    def __str__(self):
        return f"{self.position}: {self.get_topic_display()} of {self.provider_id}"


class PublishedProvider(models.Model):
    """What the API says about a provider now, at the position it last changed: the changes feed's row.

    One row per provider, written in the same transaction as the change and under the counter's lock
    (`registry.services.published_providers`), so the feed reads a page of documents in one query, each
    provider once at its latest position, as CouchDB's `_changes` does. A deleted provider keeps its
    row as a tombstone (no document), so followers learn that it went.
    """

    # Not a constrained foreign key: the row is written in bulk alongside the change, and providers
    # are never deleted for real (a deleted one keeps this row as its tombstone).
    provider = models.OneToOneField(
        "registry.Provider",
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="published",
    )
    position = models.BigIntegerField(unique=True)
    # When the document last changed, for the providers list's `changed_since`.
    changed_at = models.DateTimeField(db_index=True)
    archived = models.BooleanField(default=False)
    deleted = models.BooleanField(default=False)
    # The provider's API document as GET /api/v1/providers/{id} gives its `data`, encoded; empty for a tombstone.
    document = models.BinaryField(default=b"")

    def __str__(self):
        return f"{self.provider_id} at {self.position}"
