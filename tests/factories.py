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
