"""Test data. Seed data for running the service lives in fixtures/; tests build their own here."""

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role

factory.Faker._DEFAULT_LOCALE = "en_GB"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"user.{n}@education.gov.uk")
    is_api_user = False
    is_active = True
    is_staff = factory.LazyAttribute(lambda user: not user.is_api_user)
    password = "!unusable"

    class Params:
        signed_in = factory.Trait(last_signed_in_at=factory.LazyFunction(timezone.now))
        deleted = factory.Trait(deleted_at=factory.LazyFunction(timezone.now), is_active=False, is_staff=False)


class ApiUserFactory(UserFactory):
    is_api_user = True


class InactiveUserFactory(UserFactory):
    is_active = False


def _role_member_factory(held_role: Role) -> type[UserFactory]:
    """A factory for people who hold `held_role`, with the group that gives its permissions."""

    class RoleMemberFactory(UserFactory):
        role = held_role.value

        @factory.post_generation
        def role_group(self, create, extracted, **kwargs):
            if create:
                self.groups.add(Group.objects.get(name=self.role))

    RoleMemberFactory.__name__ = f"{held_role.name.title().replace('_', '')}Factory"
    return RoleMemberFactory


SupportAdministratorFactory = _role_member_factory(Role.SUPPORT_ADMINISTRATOR)
SupportEditorFactory = _role_member_factory(Role.SUPPORT_EDITOR)
SupportViewerFactory = _role_member_factory(Role.SUPPORT_VIEWER)
AuditorFactory = _role_member_factory(Role.AUDITOR)


# ---------------------------------------------------------------------------------------------------
# The register: providers and their records
# ---------------------------------------------------------------------------------------------------

import datetime  # noqa: E402

from registry.models import AcademicYear, Accreditation, Address, Contact, Partnership, Provider  # noqa: E402
from registry.models.provider import AccreditationStatus, ProviderType  # noqa: E402

_CODE_CHARACTERS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# Real postcodes of real providers, which every postcode rule accepts.
_POSTCODES = ["N13 6BY", "BA1 5SF", "W12 7TF", "SY3 9EE", "CB1 1PT", "N1C 4PF", "B73 6AZ", "HX4 8LS"]


def academic_year(start_year: int) -> AcademicYear:
    """The academic year starting in `start_year`, added if the database does not have it yet."""
    return AcademicYear.objects.get_or_create(start_year=start_year)[0]


def current_academic_year() -> AcademicYear:
    return academic_year(AcademicYear.current_start_year())


def _set_quietly(record, years: list[AcademicYear]) -> None:
    """Set academic years without the extra history row a many-to-many change writes: one row per record."""
    record.skip_history_when_saving = True
    record.academic_years.set(years)
    del record.skip_history_when_saving


# Codes the factories make start with one of these, which no code a test writes out starts with, so
# a test's own "1AA" never meets a factory's provider that happens to have it.
_FACTORY_CODE_FIRST = "PQRS"


def _provider_code(n: int) -> str:
    """Three letters or digits, different for each provider a test run makes (5,184 of them)."""
    n %= len(_FACTORY_CODE_FIRST) * 36**2
    return _FACTORY_CODE_FIRST[n // 36**2] + "".join(_CODE_CHARACTERS[(n // 36**power) % 36] for power in (1, 0))


def _register_id(n: int) -> str:
    """A RoTP id in the register's format, different for each provider: RoTP-<yy><L><d><L><L><mm>."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return f"RoTP-24{letters[n % 26]}{(n // 26) % 10}{letters[(n // 260) % 26]}{letters[(n // 6760) % 26]}08"


class ProviderFactory(factory.django.DjangoModelFactory):
    """A school that is not accredited, with a UKPRN and URN, active this academic year.

    Pass `academic_years=[2024, 2025]` (start years or rows) for other years, or `[]` for none.
    """

    class Meta:
        model = Provider
        skip_postgeneration_save = True

    operating_name = factory.Sequence(lambda n: f"Provider {n} Teaching School")
    legal_name = ""
    provider_type = ProviderType.SCHOOL
    accreditation_status = AccreditationStatus.UNACCREDITED
    ukprn = factory.Sequence(lambda n: f"1{n % 10_000_000:07d}")
    urn = factory.Sequence(lambda n: f"{100_000 + n % 900_000}")
    code = factory.Sequence(_provider_code)
    register_id = factory.Sequence(_register_id)
    onboarded_on = datetime.date(2024, 8, 1)
    first_active_on = datetime.date(2024, 8, 1)

    class Params:
        archived = factory.Trait(archived_at=factory.LazyFunction(timezone.now))
        deleted = factory.Trait(deleted_at=factory.LazyFunction(timezone.now))

    @factory.post_generation
    def academic_years(self, create, extracted, **kwargs):
        if create:
            years = [current_academic_year()] if extracted is None else extracted
            _set_quietly(self, [y if isinstance(y, AcademicYear) else academic_year(y) for y in years])


class SchoolProviderFactory(ProviderFactory):
    """A school: never accredited (an accredited school is a SCITT)."""


class HeiProviderFactory(ProviderFactory):
    """A higher education institution that is not accredited: no URN needed."""

    operating_name = factory.Sequence(lambda n: f"University of Provider {n}")
    provider_type = ProviderType.HEI
    urn = ""


class ArchivedProviderFactory(ProviderFactory):
    archived_at = factory.LazyFunction(timezone.now)


class AccreditedProviderFactory(ProviderFactory):
    """A SCITT with a current accreditation (pass `accreditation=False` for one without it)."""

    operating_name = factory.Sequence(lambda n: f"Provider {n} SCITT")
    provider_type = ProviderType.SCITT
    accreditation_status = AccreditationStatus.ACCREDITED

    @factory.post_generation
    def accreditation(self, create, extracted, **kwargs):
        if create and extracted is not False:
            AccreditationFactory(provider=self, **kwargs)


class AccreditedHeiProviderFactory(AccreditedProviderFactory):
    operating_name = factory.Sequence(lambda n: f"University of Provider {n}")
    provider_type = ProviderType.HEI
    urn = ""


class AccreditationFactory(factory.django.DjangoModelFactory):
    """A current accreditation, numbered as its provider's type needs (1… for an HEI, 5… otherwise)."""

    class Meta:
        model = Accreditation

    provider = factory.SubFactory(AccreditedProviderFactory, accreditation=False)
    number = factory.LazyAttributeSequence(
        lambda accreditation, n: f"{1 if accreditation.provider.provider_type == ProviderType.HEI else 5}{n % 1000:03d}"
    )
    starts_on = datetime.date(2024, 8, 1)
    ends_on = None


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address

    provider = factory.SubFactory(ProviderFactory)
    address_line_1 = factory.Sequence(lambda n: f"{n + 1} Tile Kiln Lane")
    town_or_city = "London"
    postcode = factory.Sequence(lambda n: _POSTCODES[n % len(_POSTCODES)])


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    provider = factory.SubFactory(ProviderFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"contact.{n}@example.com")
    telephone = "01632 960 001"


class PartnershipFactory(factory.django.DjangoModelFactory):
    """An accredited provider and a school training with it since 1 August 2024, in each year since."""

    class Meta:
        model = Partnership
        skip_postgeneration_save = True

    accredited_provider = factory.SubFactory(AccreditedProviderFactory)
    training_partner = factory.SubFactory(SchoolProviderFactory)
    starts_on = datetime.date(2024, 8, 1)
    ends_on = None

    @factory.post_generation
    def academic_years(self, create, extracted, **kwargs):
        if create:
            years = range(2024, AcademicYear.current_start_year() + 1) if extracted is None else extracted
            _set_quietly(self, [academic_year(year) for year in years])
