"""Every service asks the same predicate the page asked, and refuses anyone without the right.

The pages never offer what a person may not do; these tests call the services directly, as a
shell, a command or a future API would, and check that the server refuses too and changes nothing.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from guardian.shortcuts import assign_perm

from accounts.permissions import SYSTEM
from registry.models import Accreditation, Address, Contact, Partnership, Provider
from registry.services.accreditations import accreditation_create, accreditation_delete, accreditation_update
from registry.services.addresses import address_create, address_delete, address_update
from registry.services.contacts import contact_create, contact_delete, contact_update
from registry.services.partnerships import partnership_create, partnership_delete, partnership_update
from registry.services.providers import (
    provider_archive,
    provider_create,
    provider_delete,
    provider_restore,
    provider_update,
)
from tests.factories import (
    AccreditationFactory,
    AccreditedProviderFactory,
    AddressFactory,
    ArchivedProviderFactory,
    AuditorFactory,
    ContactFactory,
    InactiveUserFactory,
    PartnershipFactory,
    ProviderFactory,
    SchoolProviderFactory,
    SupportEditorFactory,
    SupportViewerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

START = datetime.date(2024, 8, 1)


def _fresh(user):
    """The account as a new request loads it: no permissions remembered from earlier checks."""
    return type(user).objects.get(pk=user.pk)


def _snapshot():
    """Every register row and history row, to show that a refused call changed nothing."""
    models = (Provider, Accreditation, Address, Contact, Partnership)
    return {
        model.__name__: (
            sorted((str(pk), updated_at) for pk, updated_at in model.objects.values_list("pk", "updated_at")),
            model.history.count(),
        )
        for model in models
    }


# Each write a support user can make, as (name, call): `call(actor)` makes it.
CALLS = {
    "provider_create": lambda actor: provider_create(
        actor=actor,
        operating_name="Ash Tree Academy",
        provider_type="school",
        accreditation_status="unaccredited",
        code="9ZZ",
        ukprn="10012345",
        urn="123456",
    ),
    "provider_update": lambda actor: provider_update(
        actor=actor, provider=Provider.objects.get(code="1AA"), changes={"operating_name": "Renamed"}
    ),
    "provider_archive": lambda actor: provider_archive(actor=actor, provider=Provider.objects.get(code="1AA")),
    "provider_restore": lambda actor: provider_restore(actor=actor, provider=Provider.objects.get(code="1AR")),
    "provider_delete": lambda actor: provider_delete(actor=actor, provider=Provider.objects.get(code="1AR")),
    "accreditation_create": lambda actor: accreditation_create(
        actor=actor, provider=Provider.objects.get(code="1AC"), number="5999", starts_on=START
    ),
    "accreditation_update": lambda actor: accreditation_update(
        actor=actor, accreditation=Accreditation.objects.get(), changes={"ends_on": datetime.date(2030, 7, 31)}
    ),
    "accreditation_delete": lambda actor: accreditation_delete(actor=actor, accreditation=Accreditation.objects.get()),
    "address_create": lambda actor: address_create(
        actor=actor,
        provider=Provider.objects.get(code="1AA"),
        address_line_1="1 Ash Tree Road",
        town_or_city="Bath",
        postcode="BA1 5SF",
    ),
    "address_update": lambda actor: address_update(
        actor=actor, address=Address.objects.get(), changes={"town_or_city": "Wells"}
    ),
    "address_delete": lambda actor: address_delete(actor=actor, address=Address.objects.get()),
    "contact_create": lambda actor: contact_create(
        actor=actor,
        provider=Provider.objects.get(code="1AA"),
        first_name="Mary",
        last_name="Lawson",
        email="mary.lawson@example.com",
    ),
    "contact_update": lambda actor: contact_update(
        actor=actor, contact=Contact.objects.get(), changes={"first_name": "Marie"}
    ),
    "contact_delete": lambda actor: contact_delete(actor=actor, contact=Contact.objects.get()),
    "partnership_create": lambda actor: partnership_create(
        actor=actor,
        accredited_provider=Provider.objects.get(code="1AC"),
        training_partner=Provider.objects.get(code="1AA"),
        starts_on=START,
        academic_years=[2024],
    ),
    "partnership_update": lambda actor: partnership_update(
        actor=actor, partnership=Partnership.objects.get(), changes={"ends_on": datetime.date(2030, 7, 31)}
    ),
    "partnership_delete": lambda actor: partnership_delete(actor=actor, partnership=Partnership.objects.get()),
}


@pytest.fixture
def register():
    """A school (1AA), an accredited provider (1AC) with its records, and an archived provider (1AR)."""
    school = SchoolProviderFactory(code="1AA")
    accredited = AccreditedProviderFactory(code="1AC", accreditation=False)
    AccreditationFactory(provider=accredited, number="5601", starts_on=START)
    AddressFactory(provider=accredited)
    ContactFactory(provider=accredited)
    PartnershipFactory(accredited_provider=accredited, training_partner=SchoolProviderFactory())
    ArchivedProviderFactory(code="1AR")
    return school


@pytest.mark.parametrize("service", CALLS)
@pytest.mark.parametrize(
    "make_actor",
    [SupportViewerFactory, AuditorFactory, InactiveUserFactory, UserFactory, AnonymousUser, lambda: None],
    ids=["support viewer", "auditor", "inactive user", "no role", "anonymous", "nobody"],
)
def test_a_service_refuses_an_actor_without_the_right_and_changes_nothing(register, service, make_actor):
    actor = make_actor()
    before = _snapshot()

    with pytest.raises(PermissionDenied):
        CALLS[service](actor)

    assert _snapshot() == before


@pytest.mark.parametrize("service", CALLS)
def test_a_support_editor_may_make_every_change(register, service):
    CALLS[service](SupportEditorFactory())


def test_a_support_viewer_cannot_rename_a_provider():
    provider = ProviderFactory(operating_name="Ash Tree Academy")
    viewer = SupportViewerFactory()
    history = provider.history.count()

    with pytest.raises(PermissionDenied):
        provider_update(actor=viewer, provider=provider, changes={"operating_name": "Oak Tree Academy"})

    provider.refresh_from_db()
    assert provider.operating_name == "Ash Tree Academy"
    assert provider.history.count() == history


def test_someone_a_provider_is_shared_with_may_change_it_and_its_records_but_no_other():
    mine, other = ProviderFactory(), ProviderFactory()
    person = UserFactory()
    assign_perm("registry.change_provider", person, mine)

    provider_update(actor=_fresh(person), provider=mine, changes={"operating_name": "Mine"})
    contact_create(
        actor=_fresh(person), provider=mine, first_name="Mary", last_name="Lawson", email="mary.lawson@example.com"
    )
    with pytest.raises(PermissionDenied):
        provider_update(actor=_fresh(person), provider=other, changes={"operating_name": "Not mine"})
    with pytest.raises(PermissionDenied):
        provider_archive(actor=_fresh(person), provider=mine)

    other.refresh_from_db()
    assert other.operating_name != "Not mine"


def test_a_partnership_may_be_changed_by_whoever_may_change_either_partner():
    partnership = PartnershipFactory()
    neither = PartnershipFactory()
    person = UserFactory()
    assign_perm("registry.change_provider", person, partnership.training_partner)

    partnership_update(actor=_fresh(person), partnership=partnership, changes={"ends_on": datetime.date(2030, 7, 31)})
    with pytest.raises(PermissionDenied):
        partnership_delete(actor=_fresh(person), partnership=neither)

    assert Partnership.objects.get(pk=neither.pk).deleted_at is None


def test_the_service_itself_acts_as_system_and_its_changes_have_no_user():
    provider = ProviderFactory()

    provider_update(actor=SYSTEM, provider=provider, changes={"operating_name": "Renamed by the register"})

    row = provider.history.latest("history_id")
    assert row.operating_name == "Renamed by the register"
    assert row.history_user is None
