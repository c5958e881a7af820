"""Sharing one provider with someone, on the service's own pages: who has access, giving it (choose a
person, choose the access, check your answers) and removing it, for support administrators only."""

import uuid

import pytest
from django.contrib.auth.models import Group
from django.urls import NoReverseMatch, reverse
from guardian.shortcuts import assign_perm, get_perms

from registry import permissions
from registry.models import ProviderAccessChange
from registry.services.provider_access import provider_access_grant
from tests.factories import (
    ApiUserFactory,
    InactiveUserFactory,
    ProviderFactory,
    SupportViewerFactory,
    UserFactory,
)
from tests.registry.admin.access.conftest import _fresh, _give
from tests.registry.admin.conftest import error_summary, page_links, provider_url, signed_in
from tests.support.html import page_title, text

pytestmark = pytest.mark.django_db

ACTIVITY_URL = reverse("activity")


class TestWhoHasAccess:
    def test_the_provider_page_links_to_it_for_support_administrators_only(
        self, administrator_client, editor_client, provider
    ):
        admin_page = administrator_client.get(provider_url("change", provider.pk))
        editor_page = editor_client.get(provider_url("change", provider.pk))

        assert "Manage access" in page_links(admin_page)
        assert f'href="{provider_url("access", provider.pk)}"' in admin_page.content.decode()
        assert "Manage access" not in page_links(editor_page)

    def test_lists_each_person_given_access_with_what_they_can_do(
        self, administrator, administrator_client, provider, person
    ):
        viewer = UserFactory(first_name="Omar", last_name="Hassan", email="omar.hassan@education.gov.uk")
        provider_access_grant(actor=administrator, provider=provider, user=person, access="change")
        provider_access_grant(actor=administrator, provider=provider, user=viewer, access="view")
        provider_access_grant(actor=administrator, provider=ProviderFactory(), user=UserFactory(), access="view")

        response = administrator_client.get(provider_url("access", provider.pk))

        page = text(response)
        assert response.status_code == 200
        assert page_title(response) == "Provider access - Register of training providers"
        assert "People with access to Ash Tree SCITT" in page
        assert "People given access (2)" in page
        assert (
            "Mary Lawson Remove access Mary Lawson Email address mary.lawson@education.gov.uk "
            "What they can do Change this provider and its records"
        ) in page
        assert "Omar Hassan Email address omar.hassan@education.gov.uk What they can do View this provider" in page
        assert page_links(response)[:3] == ["Give someone access", "Remove access", "Remove access"]
        assert f'href="{provider_url("access_remove", provider.pk, person.pk)}"' in response.content.decode()

    def test_says_when_nobody_has_been_given_access(self, administrator_client, provider):
        page = text(administrator_client.get(provider_url("access", provider.pk)))

        assert "People given access (0)" in page
        assert "Nobody has been given access to Ash Tree SCITT alone." in page

    def test_says_when_someone_listed_can_no_longer_use_it(self, administrator, administrator_client, provider, person):
        provider_access_grant(actor=administrator, provider=provider, user=person, access="change")
        type(person).objects.filter(pk=person.pk).update(is_active=False)

        page = text(administrator_client.get(provider_url("access", provider.pk)))

        assert "Account Inactive: their access does not apply while their account is inactive" in page

    def test_shows_a_group_given_access_on_guardians_old_pages(self, administrator_client, provider):
        group = Group.objects.create(name="Ash Tree team")
        assign_perm("registry.change_provider", group, provider)

        page = text(administrator_client.get(provider_url("access", provider.pk)))

        assert "Groups given access (1)" in page
        assert "Ash Tree team What its members can do Change this provider and its records" in page


class TestGiveAccess:
    def test_choose_a_person_choose_the_access_check_and_give(self, administrator_client, provider, person):
        check = _give(administrator_client, provider, person)

        assert check.status_code == 200
        assert page_title(check) == "Check your answers - Give access - Register of training providers"
        assert "Person Mary Lawson (mary.lawson@education.gov.uk)" in text(check)
        assert "What can they do? Change this provider and its records" in text(check)
        assert get_perms(person, provider) == []  # nothing is given before "Give access"

        response = administrator_client.post(provider_url("access_give_check", provider.pk), follow=True)

        assert response.redirect_chain == [(provider_url("access", provider.pk), 302)]
        assert "Access given to Mary Lawson" in text(response)
        assert get_perms(person, provider) == ["change_provider"]
        assert permissions.user_can_change_provider(_fresh(person), provider)

    def test_the_search_finds_people_by_name_or_email_address(self, administrator_client, provider, person):
        UserFactory(first_name="Marion", last_name="Cole", email="m.cole@education.gov.uk")
        administrator_client.get(f"{provider_url('access_give', provider.pk)}?new")

        by_name = administrator_client.get(provider_url("access_give", provider.pk), {"q": "mary law"})
        by_email = administrator_client.get(provider_url("access_give", provider.pk), {"q": "m.cole@"})
        nobody = administrator_client.get(provider_url("access_give", provider.pk), {"q": "Zebedee"})

        assert "1 person found for ‘mary law’" in text(by_name)
        assert "Mary Lawson (mary.lawson@education.gov.uk)" in text(by_name)
        assert "Marion Cole" not in text(by_name)
        assert "Marion Cole (m.cole@education.gov.uk)" in text(by_email)
        assert "Nobody found for ‘Zebedee’. Only active support users can be given access." in text(nobody)

    def test_the_search_offers_only_active_support_users_other_than_yourself(self, administrator_client, provider):
        ApiUserFactory(first_name="Mary", last_name="Api")
        InactiveUserFactory(first_name="Mary", last_name="Inactive")
        UserFactory(first_name="Mary", last_name="Deleted", deleted=True)
        SupportViewerFactory(first_name="Mary", last_name="Viewer")
        administrator_client.get(f"{provider_url('access_give', provider.pk)}?new")

        found = text(administrator_client.get(provider_url("access_give", provider.pk), {"q": "Mary"}))
        yourself = text(administrator_client.get(provider_url("access_give", provider.pk), {"q": "Anne Wilson"}))

        assert "1 person found for ‘Mary’" in found
        assert "Mary Viewer" in found
        for name in ("Mary Api", "Mary Inactive", "Mary Deleted"):
            assert name not in found
        assert "Nobody found for ‘Anne Wilson’" in yourself

    @pytest.mark.parametrize(
        "make_recipient",
        [
            pytest.param(ApiUserFactory, id="api-user"),
            pytest.param(InactiveUserFactory, id="inactive"),
            pytest.param(lambda: UserFactory(deleted=True), id="deleted"),
        ],
    )
    def test_a_forged_choice_of_someone_who_may_not_be_given_access_is_refused(
        self, administrator_client, provider, make_recipient
    ):
        recipient = make_recipient()
        administrator_client.get(f"{provider_url('access_give', provider.pk)}?new")

        response = administrator_client.post(provider_url("access_give", provider.pk), {"user": str(recipient.pk)})

        assert response.status_code == 200
        assert error_summary(response) == ["Select an active support user"]
        assert page_title(response).startswith("Error: ")
        assert get_perms(recipient, provider) == []
        assert not ProviderAccessChange.objects.exists()

    def test_someone_deactivated_before_give_access_is_refused_and_nothing_written(
        self, administrator_client, provider, person
    ):
        _give(administrator_client, provider, person)
        type(person).objects.filter(pk=person.pk).update(is_active=False)

        response = administrator_client.post(provider_url("access_give_check", provider.pk))

        assert response.status_code == 200
        assert error_summary(response) == ["Select an active support user"]
        assert get_perms(person, provider) == []
        assert not ProviderAccessChange.objects.exists()

    def test_a_person_and_an_access_are_required(self, administrator_client, provider, person):
        administrator_client.get(f"{provider_url('access_give', provider.pk)}?new")

        no_person = administrator_client.post(provider_url("access_give", provider.pk), {"q": ""})
        administrator_client.post(provider_url("access_give", provider.pk), {"user": str(person.pk)})
        no_access = administrator_client.post(provider_url("access_give_access", provider.pk), {})

        assert error_summary(no_person) == ["Select the person you want to give access to"]
        # Nothing to choose from yet: the search box is the question, and the summary links to it.
        assert '<input type="search" name="q" id="id_user_0"' in no_person.content.decode()
        assert error_summary(no_access) == ["Select what they can do"]

    def test_the_access_they_have_already_is_refused_on_its_question(
        self, administrator, administrator_client, provider, person
    ):
        provider_access_grant(actor=administrator, provider=provider, user=person, access="change")
        _give(administrator_client, provider, person)

        response = administrator_client.post(provider_url("access_give_check", provider.pk))

        assert error_summary(response) == ["Mary Lawson can already change this provider and its records"]
        assert ProviderAccessChange.objects.count() == 1

    def test_check_your_answers_says_when_it_replaces_their_access(
        self, administrator, administrator_client, provider, person
    ):
        provider_access_grant(actor=administrator, provider=provider, user=person, access="view")

        check = _give(administrator_client, provider, person, access="change")
        administrator_client.post(provider_url("access_give_check", provider.pk))

        assert "This replaces the access they have now: view this provider." in text(check)
        assert get_perms(person, provider) == ["change_provider"]


class TestRemoveAccess:
    def test_confirm_then_remove(self, administrator, administrator_client, provider, person):
        provider_access_grant(actor=administrator, provider=provider, user=person, access="change")

        confirm = administrator_client.get(provider_url("access_remove", provider.pk, person.pk))
        response = administrator_client.post(provider_url("access_remove", provider.pk, person.pk), follow=True)

        assert "Confirm you want to remove access for Mary Lawson" in text(confirm)
        assert (
            "Mary Lawson will no longer be able to change Ash Tree SCITT or its records, unless their role lets them."
        ) in text(confirm)
        assert get_perms(person, provider) == []  # not before the button
        assert response.redirect_chain == [(provider_url("access", provider.pk), 302)]
        assert "Access removed from Mary Lawson" in text(response)
        assert "Nobody has been given access to Ash Tree SCITT alone." in text(response)
        assert not permissions.user_can_change_provider(_fresh(person), provider)

    def test_someone_without_access_is_not_found_and_a_post_is_refused(self, administrator_client, provider, person):
        assert administrator_client.get(provider_url("access_remove", provider.pk, person.pk)).status_code == 404

        response = administrator_client.post(provider_url("access_remove", provider.pk, person.pk), follow=True)

        assert "Mary Lawson does not have access to this provider" in text(response)
        assert not ProviderAccessChange.objects.exists()


def _access_urls(provider, person) -> list[str]:
    return [
        provider_url("access", provider.pk),
        f"{provider_url('access_give', provider.pk)}?new",
        provider_url("access_give_access", provider.pk),
        provider_url("access_give_check", provider.pk),
        provider_url("access_remove", provider.pk, person.pk),
    ]


@pytest.mark.parametrize("actor", ["editor", "viewer", "auditor"])
def test_nobody_but_support_administrators_may_open_or_post_them(request, administrator, actor, provider, person):
    client = request.getfixturevalue(f"{actor}_client")
    provider_access_grant(actor=administrator, provider=provider, user=person, access="view")
    someone = UserFactory()

    for url in _access_urls(provider, person):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"user": str(someone.pk), "access": "change"}).status_code == 403, url

    assert get_perms(someone, provider) == []
    assert get_perms(person, provider) == ["view_provider"]
    assert ProviderAccessChange.objects.count() == 1


def test_someone_given_access_may_not_give_it_to_others(administrator, provider, person):
    provider_access_grant(actor=administrator, provider=provider, user=person, access="change")
    client = signed_in(person)

    for url in _access_urls(provider, person):
        assert client.get(url).status_code == 403, url


def test_malformed_and_unknown_ids_are_not_found(administrator_client, provider, person):
    base = provider_url("access", provider.pk)
    deleted = ProviderFactory(archived=True, deleted=True)
    unknown = uuid.uuid4()

    for path in (
        "/admin/registry/provider/zzz/access/",
        "/admin/registry/provider/zzz/access/give/",
        f"{base}zzz/remove/",
        f"{base}{person.pk}x/remove/",
        "/admin/registry/provider/zzz/access/zzz/remove/",
        provider_url("access", unknown),
        provider_url("access", deleted.pk),
        provider_url("access_give", deleted.pk),
        provider_url("access_remove", provider.pk, unknown),
        provider_url("access_remove", unknown, person.pk),
    ):
        # A path the service's pages do not match reaches the stock admin's catch-all, whose redirect
        # ends at a 404 too.
        assert administrator_client.get(path, follow=True).status_code == 404, path
        assert administrator_client.post(path, follow=True).status_code == 404, path


def test_guardians_object_permissions_pages_are_gone(administrator_client, provider, person):
    for name in ("permissions", "permissions_manage_user", "permissions_manage_group"):
        with pytest.raises(NoReverseMatch):
            reverse(f"admin:registry_provider_{name}", args=[provider.pk])
    base = f"/admin/registry/provider/{provider.pk}/permissions/"
    for path in (base, f"{base}user-manage/{person.pk}/", f"{base}user-manage/zzz/", f"{base}group-manage/1/"):
        response = administrator_client.post(path, {"permissions": ["change_provider"]})
        assert response.status_code in (404, 302), path
        assert administrator_client.get(path, follow=True).status_code == 404, path
    assert get_perms(person, provider) == []
