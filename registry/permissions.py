"""Who may do what to the register: one predicate per rule, asked by the screens and the server alike.

A person's rights come from their role (global permissions such as `registry.change_provider`).
One provider may also be shared with someone through a guardian object permission on it: holding
`change_provider` on provider P lets them change P and its records, and nothing else. Nothing about
an archived provider changes until it is restored, and a deleted provider is gone for everyone.

Object permissions are read from the direct-FK tables (`registry.models.permissions`), a person's
own and their groups', as guardian reads them. They are fetched once per provider and person and
kept on the person's object for the rest of the request, as Django keeps global permissions; a
list fetches them for its whole page in one query with `provider_permissions_prefetch`.

The services in `registry.services` ask the same predicates again before they change anything, and
refuse with PermissionDenied (`accounts.permissions.permission_required`): see "Who checks
permissions" in docs/architecture.md.
"""

from collections.abc import Iterable

from accounts.permissions import is_signed_in_person
from registry.models import (
    Accreditation,
    Address,
    Contact,
    Partnership,
    Provider,
    ProviderGroupObjectPermission,
    ProviderUserObjectPermission,
)

_CACHE = "_provider_object_permissions"


def _is_open(provider: Provider) -> bool:
    """Whether anything about the provider may change: it is neither archived nor deleted."""
    return not provider.is_archived and not provider.is_deleted


def provider_permissions_prefetch(actor, providers: Iterable[Provider]) -> None:
    """Fetch, in one query, the object permissions `actor` holds on each of `providers`."""
    if not is_signed_in_person(actor):
        return
    cache = getattr(actor, _CACHE, None)
    if cache is None:
        cache = {}
        setattr(actor, _CACHE, cache)
    wanted = {provider.pk for provider in providers} - set(cache)
    if not wanted:
        return
    held = {pk: set() for pk in wanted}
    own = ProviderUserObjectPermission.objects.filter(user=actor, content_object_id__in=wanted)
    groups = ProviderGroupObjectPermission.objects.filter(group__user=actor, content_object_id__in=wanted)
    fields = ("content_object_id", "permission__codename")
    for pk, codename in own.values_list(*fields).union(groups.values_list(*fields)):
        held[pk].add(codename)
    cache.update({pk: frozenset(codenames) for pk, codenames in held.items()})


def _holds_object_permission(actor, codename: str, provider: Provider) -> bool:
    provider_permissions_prefetch(actor, [provider])
    return codename in getattr(actor, _CACHE)[provider.pk]


def _holds(actor, codename: str, provider: Provider) -> bool:
    """The permission from the person's role, or on this provider alone."""
    return actor.has_perm(f"registry.{codename}") or _holds_object_permission(actor, codename, provider)


# ---------------------------------------------------------------------------------------------------
# Providers
# ---------------------------------------------------------------------------------------------------


def user_can_view_providers(actor) -> bool:
    """The list and every provider's page: support viewers read the whole register."""
    return is_signed_in_person(actor) and actor.has_perm("registry.view_provider")


def user_can_view_provider(actor, provider: Provider) -> bool:
    """A provider's page: for anyone who reads the register, and for whoever may change this provider."""
    if not is_signed_in_person(actor) or provider.is_deleted:
        return False
    return user_can_view_providers(actor) or any(
        _holds_object_permission(actor, codename, provider) for codename in ("view_provider", "change_provider")
    )


def user_can_add_provider(actor) -> bool:
    return is_signed_in_person(actor) and actor.has_perm("registry.add_provider")


def user_can_change_provider(actor, provider: Provider) -> bool:
    """Change a provider's details: with the right to change providers, or to change this one."""
    return is_signed_in_person(actor) and _is_open(provider) and _holds(actor, "change_provider", provider)


def user_can_archive_provider(actor, provider: Provider) -> bool:
    return is_signed_in_person(actor) and _is_open(provider) and _holds(actor, "archive_provider", provider)


def user_can_restore_provider(actor, provider: Provider) -> bool:
    return (
        is_signed_in_person(actor)
        and provider.is_archived
        and not provider.is_deleted
        and _holds(actor, "archive_provider", provider)
    )


def user_can_delete_provider(actor, provider: Provider) -> bool:
    """Only an archived provider is deleted: it passes through the read-only archived state first."""
    return (
        is_signed_in_person(actor)
        and provider.is_archived
        and not provider.is_deleted
        and _holds(actor, "delete_provider", provider)
    )


def user_can_view_provider_history(actor) -> bool:
    """What changed and who changed it: for auditors and administrators (`registry.view_historicalprovider`)."""
    return is_signed_in_person(actor) and actor.has_perm("registry.view_historicalprovider")


def user_can_manage_provider_permissions(actor) -> bool:
    """Share a provider with someone (the provider's "Manage access" pages).

    Giving someone rights is kept to those who give roles, support administrators, as handing out
    a role is: an editor who could change providers could otherwise give anyone that right.
    """
    return (
        is_signed_in_person(actor)
        and actor.has_perm("accounts.change_user_role")
        and actor.has_perm("registry.change_provider")
    )


# ---------------------------------------------------------------------------------------------------
# A provider's records: part of the provider, so whoever may change the provider may change them.
# ---------------------------------------------------------------------------------------------------


def _may_change_records(actor, codename: str, provider: Provider) -> bool:
    return (
        is_signed_in_person(actor)
        and _is_open(provider)
        and (actor.has_perm(f"registry.{codename}") or _holds_object_permission(actor, "change_provider", provider))
    )


def _may_change_record(actor, codename: str, record) -> bool:
    return not record.is_deleted and _may_change_records(actor, codename, record.provider)


def user_can_add_accreditation(actor, provider: Provider) -> bool:
    return _may_change_records(actor, "add_accreditation", provider)


def user_can_change_accreditation(actor, accreditation: Accreditation) -> bool:
    return _may_change_record(actor, "change_accreditation", accreditation)


def user_can_delete_accreditation(actor, accreditation: Accreditation) -> bool:
    return _may_change_record(actor, "delete_accreditation", accreditation)


def user_can_add_address(actor, provider: Provider) -> bool:
    return _may_change_records(actor, "add_address", provider)


def user_can_change_address(actor, address: Address) -> bool:
    return _may_change_record(actor, "change_address", address)


def user_can_delete_address(actor, address: Address) -> bool:
    return _may_change_record(actor, "delete_address", address)


def user_can_add_contact(actor, provider: Provider) -> bool:
    return _may_change_records(actor, "add_contact", provider)


def user_can_change_contact(actor, contact: Contact) -> bool:
    return _may_change_record(actor, "change_contact", contact)


def user_can_delete_contact(actor, contact: Contact) -> bool:
    return _may_change_record(actor, "delete_contact", contact)


def user_can_add_partnership(actor, provider: Provider) -> bool:
    return _may_change_records(actor, "add_partnership", provider)


def _may_change_partnership(actor, codename: str, partnership: Partnership, provider: Provider) -> bool:
    """A partnership, from one partner's page: neither partner may be archived, since it shows on both."""
    partners = (partnership.accredited_provider, partnership.training_partner)
    return (
        not partnership.is_deleted
        and provider.pk in {partner.pk for partner in partners}
        and all(_is_open(partner) for partner in partners)
        and _may_change_records(actor, codename, provider)
    )


def user_can_change_partnership(actor, partnership: Partnership, provider: Provider) -> bool:
    return _may_change_partnership(actor, "change_partnership", partnership, provider)


def user_can_delete_partnership(actor, partnership: Partnership, provider: Provider) -> bool:
    return _may_change_partnership(actor, "delete_partnership", partnership, provider)


# ---------------------------------------------------------------------------------------------------
# Activity
# ---------------------------------------------------------------------------------------------------


def user_can_view_activity(actor) -> bool:
    """The Activity page, its export and the sidebar link to it: who changed what, across the service."""
    return is_signed_in_person(actor) and actor.has_perm("accounts.view_activity")
