"""What the notification emails say, as the personalisation of their GOV.UK Notify templates.

Notify holds each email's wording around these values (README, "Email notifications"). The list of
changes is written here, in the plain text Notify formats: a line per provider, its page's address on
the next, and a bullet ("* ") for each change, with who made it.
"""

from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from accounts.models import ChangeNotifications
from registry.activity.formats import actor_name
from registry.formats import format_govuk_datetime
from registry.models import Provider, ProviderChange

# A digest lists this many providers at most (Notify refuses very long emails); it says how many more.
DIGEST_MAX_PROVIDERS = 200


@dataclass(frozen=True)
class ProviderChanges:
    """One provider's changes, to tell someone about in one email (or one part of a digest)."""

    provider_id: object
    provider: Provider | None
    changes: list[ProviderChange]

    @property
    def name(self) -> str:
        return self.provider.operating_name if self.provider is not None else "A provider no longer in the register"

    @property
    def url(self) -> str | None:
        """The provider's page, while it has one."""
        if self.provider is None or self.provider.is_deleted:
            return None
        return settings.SERVICE_URL + reverse("admin:registry_provider_change", args=[self.provider_id])


def settings_url() -> str:
    """Where every email sends someone to change or stop their emails."""
    return settings.SERVICE_URL + reverse("change-notifications")


def change_lines(changes: list[ProviderChange]) -> list[str]:
    """ "* Address added by Anne Wilson": each change once, in the order first made, with how many
    times when the same person made the same change more than once."""
    counts = Counter(_change_line(change) for change in changes)
    return [f"* {line}" if count == 1 else f"* {line} ({count} times)" for line, count in counts.items()]


def _change_line(change: ProviderChange) -> str:
    what = change.reason or f"{change.get_topic_display()} changed"
    if change.actor is None:
        return f"{what} automatically"
    return f"{what} by {actor_name(change.actor)}"


def provider_block(group: ProviderChanges) -> str:
    lines = [group.name]
    if group.url:
        lines.append(group.url)
    return "\n".join([*lines, *change_lines(group.changes)])


def providers_count(count: int) -> str:
    return f"{count:,} provider" if count == 1 else f"{count:,} providers"


def digest_personalisation(
    *, notifications: ChangeNotifications, groups: list[ProviderChanges], since
) -> dict[str, str]:
    """The daily or weekly digest: every provider changed since `since`, by name."""
    shown = sorted(groups, key=lambda group: (group.name.casefold(), str(group.provider_id)))
    blocks = [provider_block(group) for group in shown[:DIGEST_MAX_PROVIDERS]]
    if len(shown) > DIGEST_MAX_PROVIDERS:
        blocks.append(f"And {providers_count(len(shown) - DIGEST_MAX_PROVIDERS)} more.")
    return {
        "frequency": "daily" if notifications.frequency == ChangeNotifications.Frequency.DAILY else "weekly",
        "since": format_govuk_datetime(since),
        "providers_changed": providers_count(len(groups)),
        "changes": "\n\n".join(blocks),
        "settings_url": settings_url(),
    }


def provider_changed_personalisation(*, group: ProviderChanges) -> dict[str, str]:
    """One provider's changes, for someone emailed each time a provider is updated."""
    return {
        "provider_name": group.name,
        # Notify refuses a missing placeholder: a deleted provider's page is the register's list.
        "provider_url": group.url or settings.SERVICE_URL + reverse("admin:registry_provider_changelist"),
        "changes": "\n".join(change_lines(group.changes)),
        "settings_url": settings_url(),
    }
