"""Who may do what: the predicates, someone given access to one provider, and forged requests.

Giving and removing access has pages and tests of its own (test_provider_access.py); here, access
is given through its service, as those pages give it, or (for what the service never writes, a
group's) through guardian directly.
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.http import Http404
from django.test import Client
from guardian.shortcuts import assign_perm, get_perms

from registry import permissions
from registry.models import Provider
from registry.services.provider_access import provider_access_grant
from tests.factories import (
    AccreditationFactory,
    AccreditedProviderFactory,
    ArchivedProviderFactory,
    ContactFactory,
    PartnershipFactory,
    ProviderFactory,
    SupportEditorFactory,
    SupportViewerFactory,
    UserFactory,
)
from tests.registry.admin.conftest import page_links, provider_url, signed_in
from tests.support.html import text

pytestmark = pytest.mark.django_db


def _fresh(user):
    """The account as a new request loads it: no permissions remembered from earlier checks."""
    return type(user).objects.get(pk=user.pk)


class TestPredicates:
    def test_roles(self, administrator):
        provider, archived = ProviderFactory(), ArchivedProviderFactory()
        editor, viewer = SupportEditorFactory(), SupportViewerFactory()

        assert permissions.user_can_change_provider(editor, provider)
        assert not permissions.user_can_change_provider(editor, archived)
        assert not permissions.user_can_change_provider(viewer, provider)
        assert permissions.user_can_view_provider(viewer, archived)
        assert permissions.user_can_archive_provider(editor, provider)
        assert not permissions.user_can_delete_provider(editor, provider)
        assert permissions.user_can_delete_provider(editor, archived)
        assert permissions.user_can_restore_provider(editor, archived)
        assert permissions.user_can_manage_provider_permissions(administrator)
        assert not permissions.user_can_manage_provider_permissions(editor)
        assert permissions.user_can_view_provider_history(administrator)
        assert not permissions.user_can_view_provider_history(editor)

    def test_nobody_changes_a_deleted_provider(self, administrator):
        deleted = ProviderFactory(archived=True, deleted=True)

        assert not permissions.user_can_view_provider(administrator, deleted)
        assert not permissions.user_can_restore_provider(administrator, deleted)
        assert not permissions.user_can_delete_provider(administrator, deleted)

    def test_object_permission_agrees_with_guardian(self):
        mine, other = ProviderFactory(), ProviderFactory()
        person = UserFactory()
        assign_perm("registry.change_provider", person, mine)

        for provider in (mine, other):
            person = _fresh(person)
            assert permissions.user_can_change_provider(person, provider) == person.has_perm(
                "registry.change_provider", provider
            )
        assert permissions.user_can_change_provider(_fresh(person), mine)
        assert not permissions.user_can_change_provider(_fresh(person), other)

    def test_a_groups_object_permission_counts_for_its_members(self):
        provider = ProviderFactory()
        person = UserFactory()
        group = Group.objects.create(name="Ash Tree team")
        person.groups.add(group)
        assign_perm("registry.change_provider", group, provider)

        assert permissions.user_can_change_provider(_fresh(person), provider)
        assert _fresh(person).has_perm("registry.change_provider", provider)

    def test_an_object_permission_on_an_archived_provider_changes_nothing(self):
        archived = ArchivedProviderFactory()
        person = UserFactory()
        assign_perm("registry.change_provider", person, archived)

        assert not permissions.user_can_change_provider(_fresh(person), archived)

    def test_a_list_asks_once_for_the_whole_page(self, django_assert_num_queries):
        providers = ProviderFactory.create_batch(5)
        person = SupportViewerFactory()
        assign_perm("registry.change_provider", person, providers[2])
        person = _fresh(person)

        with django_assert_num_queries(1):
            permissions.provider_permissions_prefetch(person, providers)
            allowed = [permissions.user_can_change_provider(person, provider) for provider in providers]

        assert allowed == [False, False, True, False, False]


class TestSomeoneWhoMayChangeOneProvider:
    @pytest.fixture
    def mine(self):
        return AccreditedProviderFactory(operating_name="Ash Tree SCITT")

    @pytest.fixture
    def other(self):
        return ProviderFactory(operating_name="Birch School")

    @pytest.fixture
    def person(self, administrator, mine):
        person = SupportViewerFactory()
        provider_access_grant(actor=administrator, provider=mine, user=person, access="change")
        return person

    def test_changes_that_provider(self, person, mine):
        client = signed_in(person)
        client.get(f"{provider_url('edit', mine.pk)}?new")
        answers = {
            "operating_name": "Ash Tree Teaching SCITT",
            "legal_name": "",
            "ukprn": mine.ukprn,
            "urn": mine.urn,
            "code": mine.code,
            "academic_years": [year.start_year for year in mine.academic_years.all()],
        }
        assert client.post(provider_url("edit", mine.pk), answers).status_code == 302

        response = client.post(provider_url("edit_check", mine.pk), follow=True)

        assert "Provider updated" in text(response)
        mine.refresh_from_db()
        assert mine.operating_name == "Ash Tree Teaching SCITT"

    def test_and_its_records(self, person, mine):
        client = signed_in(person)
        client.get(f"{provider_url('contact_add', mine.pk)}?new")
        client.post(
            provider_url("contact_add", mine.pk),
            {"first_name": "Mary", "last_name": "Lawson", "email": "mary@example.com", "telephone": ""},
        )

        response = client.post(provider_url("contact_add_check", mine.pk), follow=True)

        assert "Contact added" in text(response)
        page = text(client.get(provider_url("change", mine.pk)))
        assert "Add accreditation" in page
        assert "Change Operating name" in page

    def test_but_no_other_provider(self, person, other):
        client = signed_in(person)
        contact = ContactFactory(provider=other)

        page = client.get(provider_url("change", other.pk))
        assert page.status_code == 200  # viewers read everything
        assert not [link for link in page_links(page) if link.startswith(("Change", "Add ", "Delete", "Archive"))]
        assert client.get(f"{provider_url('edit', other.pk)}?new").status_code == 403
        assert client.post(provider_url("edit_check", other.pk)).status_code == 403
        assert client.post(provider_url("contact_delete", other.pk, contact.pk)).status_code == 403
        assert client.get(f"{provider_url('contact_add', other.pk)}?new").status_code == 403

    def test_nor_archive_delete_or_add_providers(self, person, mine):
        client = signed_in(person)

        assert client.get(provider_url("archive", mine.pk)).status_code == 403
        assert client.get(f"{provider_url('add')}?new").status_code == 403
        assert client.get(provider_url("access", mine.pk)).status_code == 403

    def test_without_a_role_they_reach_only_that_provider(self, administrator, mine, other):
        person = UserFactory()
        provider_access_grant(actor=administrator, provider=mine, user=person, access="change")
        client = signed_in(person)

        assert client.get(provider_url("change", mine.pk)).status_code == 200
        assert client.get(f"{provider_url('edit', mine.pk)}?new").status_code == 200
        assert client.get(provider_url("change", other.pk)).status_code == 403
        assert client.get(provider_url("changelist")).status_code == 403


class TestGivingAccess:
    """Giving someone rights is for support administrators only, on the service's own pages."""

    def test_administrator_shares_a_provider_with_someone(self, administrator_client, provider_for_sharing):
        provider, person = provider_for_sharing
        administrator_client.get(f"{provider_url('access_give', provider.pk)}?new")
        administrator_client.post(provider_url("access_give", provider.pk), {"user": str(person.pk)})
        administrator_client.post(provider_url("access_give_access", provider.pk), {"access": "change"})

        response = administrator_client.post(provider_url("access_give_check", provider.pk))

        assert response.status_code == 302
        assert get_perms(person, provider) == ["change_provider"]
        assert permissions.user_can_change_provider(_fresh(person), provider)

    @pytest.mark.parametrize("actor", ["editor", "viewer", "auditor"])
    def test_nobody_else_sees_or_uses_it(self, request, actor, provider_for_sharing):
        client = request.getfixturevalue(f"{actor}_client")
        provider, person = provider_for_sharing
        answers = {"user": str(person.pk), "access": "change"}

        assert client.get(provider_url("access", provider.pk)).status_code == 403
        for name in ("access_give", "access_give_access", "access_give_check"):
            assert client.post(provider_url(name, provider.pk), answers).status_code == 403
        assert get_perms(person, provider) == []

    @pytest.fixture
    def provider_for_sharing(self):
        return ProviderFactory(), UserFactory()


def _write_urls(provider, archived):
    accreditation = provider.accreditations.get()
    contact = ContactFactory(provider=provider)
    partnership = PartnershipFactory(accredited_provider=provider)
    return [
        provider_url("add"),
        provider_url("add_check"),
        provider_url("edit", provider.pk),
        provider_url("edit_check", provider.pk),
        provider_url("archive", provider.pk),
        provider_url("restore", archived.pk),
        provider_url("delete", archived.pk),
        provider_url("accreditation_add_check", provider.pk),
        provider_url("accreditation_edit_check", provider.pk, accreditation.pk),
        provider_url("accreditation_delete", provider.pk, accreditation.pk),
        provider_url("contact_add_check", provider.pk),
        provider_url("contact_edit", provider.pk, contact.pk),
        provider_url("contact_delete", provider.pk, contact.pk),
        provider_url("address_add", provider.pk),
        provider_url("partnership_add_check", provider.pk),
        provider_url("partnership_edit_check", provider.pk, partnership.pk),
        provider_url("partnership_delete", provider.pk, partnership.pk),
    ]


def test_forged_posts_from_a_support_viewer_are_refused_and_change_nothing(viewer_client):
    provider = AccreditedProviderFactory(accreditation=False)
    AccreditationFactory(provider=provider)
    archived = ArchivedProviderFactory()
    urls = _write_urls(provider, archived)
    before = list(Provider.history.model.objects.order_by("history_id").values_list("history_id", flat=True))

    refused = {url: viewer_client.post(url, {"number": "5999"}).status_code for url in urls}

    assert set(refused.values()) == {403}, refused
    after = list(Provider.history.model.objects.order_by("history_id").values_list("history_id", flat=True))
    assert after == before
    archived.refresh_from_db()
    assert archived.is_archived
    assert not archived.is_deleted


def test_posts_without_a_csrf_token_are_refused(administrator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(administrator, backend="accounts.backends.ServiceAccountBackend")
    provider = ProviderFactory()

    response = client.post(provider_url("archive", provider.pk))

    assert response.status_code == 403
    provider.refresh_from_db()
    assert not provider.is_archived


def test_stock_add_change_and_delete_views_are_never_shown(administrator, rf):
    provider = ProviderFactory()
    model_admin = admin.site._registry[Provider]
    request = rf.post("/")
    request.user = administrator

    for view, args in (
        (model_admin.add_view, ()),
        (model_admin.change_view, (str(provider.pk),)),
        (model_admin.delete_view, (str(provider.pk),)),
    ):
        with pytest.raises(Http404):
            view(request, *args)
    provider.refresh_from_db()
    assert not provider.is_deleted
