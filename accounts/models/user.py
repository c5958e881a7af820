import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.roles import Role
from registry.activity.history_indexes import IndexedForActivity
from registry.models.base import KeptQuerySet


# `kept()`: accounts that have not been deleted, the only ones any list or sign-in may see.
class UserManager(BaseUserManager.from_queryset(KeptQuerySet)):
    use_in_migrations = True

    def normalize_email(self, email):
        return normalise_email(email)

    def create_user(self, email, **fields):
        """Create an account. No account ever has a password: people sign in through DfE Sign-in."""
        user = self.model(email=self.normalize_email(email), **fields)
        user.set_unusable_password()
        user.is_staff = not user.is_api_user
        user.save(using=self._db)
        return user

    def create_superuser(self, email, **fields):
        return self.create_user(email, is_superuser=True, **fields)


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


class User(AbstractBaseUser, PermissionsMixin):
    """A person or system that may use the service.

    Support users sign in to the web interface. API users may only use the API: they are never
    staff, never superusers and never have a usable password, which the database enforces.
    Deleting an account keeps the row, so that history and audit keep their actor.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    first_name = models.CharField("first name", max_length=150)
    last_name = models.CharField("last name", max_length=150)
    email = models.EmailField("email address", max_length=254)
    is_api_user = models.BooleanField("is the account an API user?", default=False)
    is_active = models.BooleanField("is the account active?", default=True)
    is_staff = models.BooleanField(
        "can use the web interface", default=False, help_text="Every support user, and never an API user."
    )
    role = models.CharField(
        "role",
        max_length=32,
        choices=[(role.value, role.value) for role in Role],
        blank=True,
        help_text="What a support user may do; their group, which holds the permissions, follows it.",
    )
    dfe_sign_in_uid = models.CharField("DfE Sign-in id", max_length=255, null=True, blank=True, unique=True)
    last_signed_in_at = models.DateTimeField("last signed in at", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Sign-in is recorded in last_signed_in_at without touching history; Django's own last_login
    # would write a history row on every sign-in.
    last_login = None

    history = HistoricalRecords(
        excluded_fields=["password", "last_signed_in_at", "updated_at"],
        cascade_delete_history=False,
        bases=[IndexedForActivity],
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = "user"
        verbose_name_plural = "users"
        ordering = ["first_name", "last_name"]
        permissions = [
            ("change_user_role", "Can change a user's role"),
            ("view_activity", "Can view the activity log"),
        ]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=models.Q(deleted_at__isnull=True),
                name="accounts_user_email_unique_among_kept",
                violation_error_message="Email address already in use",
            ),
            models.CheckConstraint(
                condition=~models.Q(is_api_user=True, is_staff=True) & ~models.Q(is_api_user=True, is_superuser=True),
                name="accounts_user_api_user_is_never_staff",
            ),
            models.CheckConstraint(
                condition=~models.Q(is_api_user=True) | models.Q(role=""),
                name="accounts_user_api_user_has_no_role",
            ),
            models.CheckConstraint(
                condition=~models.Q(is_api_user=True) | models.Q(password__startswith="!"),
                name="accounts_user_api_user_has_no_usable_password",
            ),
        ]
        indexes = [models.Index(fields=["first_name", "last_name"], name="accounts_user_name_idx")]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.first_name

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def has_signed_in(self) -> bool:
        return self.last_signed_in_at is not None

    @property
    def can_use_web_interface(self) -> bool:
        return self.is_active and not self.is_deleted and not self.is_api_user
