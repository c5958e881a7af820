"""The roles people hold in the service, as groups, and the permissions each one grants."""

from enum import StrEnum


class Role(StrEnum):
    SUPPORT_ADMINISTRATOR = "Support administrator"
    SUPPORT_EDITOR = "Support editor"
    SUPPORT_VIEWER = "Support viewer"
    AUDITOR = "Auditor"


_REGISTER_MODELS = ("provider", "accreditation", "address", "contact", "partnership")
_REGISTER_VIEW = tuple(f"registry.view_{model}" for model in _REGISTER_MODELS)
_REGISTER_CHANGE = (
    *(f"registry.{action}_{model}" for model in _REGISTER_MODELS for action in ("add", "change", "delete")),
    "registry.archive_provider",
)
_REGISTER_HISTORY = tuple(f"registry.view_historical{model}" for model in _REGISTER_MODELS)

# "app_label.codename" for each permission a role grants. Migrations keep the groups in step.
ROLE_PERMISSIONS: dict[Role, tuple[str, ...]] = {
    Role.SUPPORT_ADMINISTRATOR: (
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.delete_user",
        "accounts.change_user_role",
        "accounts.view_historicaluser",
        "accounts.view_activity",
        "accounts.view_email",
        "accounts.change_email",
        # Turning the API off and on for every API client at once (accounts.api_access).
        "accounts.change_apiaccess",
        *_REGISTER_VIEW,
        *_REGISTER_CHANGE,
        *_REGISTER_HISTORY,
    ),
    Role.SUPPORT_EDITOR: ("accounts.view_user", *_REGISTER_VIEW, *_REGISTER_CHANGE),
    Role.SUPPORT_VIEWER: ("accounts.view_user", *_REGISTER_VIEW),
    Role.AUDITOR: ("accounts.view_historicaluser", "accounts.view_activity", *_REGISTER_HISTORY),
}


# API users hold no role: what they may do besides reading the API is this fixed set, the same for
# every active API user (accounts.permissions reads it).
MANAGE_OWN_API_CLIENTS = "accounts.manage_own_api_clients"
API_USER_PERMISSIONS: frozenset[str] = frozenset({MANAGE_OWN_API_CLIENTS})


def role_permissions(role: Role) -> tuple[str, ...]:
    return ROLE_PERMISSIONS[role]


def role_groups_sync(apps, schema_editor=None) -> None:
    """Make each role's group hold exactly the permissions ROLE_PERMISSIONS gives it.

    Run from migrations (with the historical `apps`): any migration that adds permissions a role
    needs runs it again. Permissions whose models do not exist yet are skipped until then.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role.value)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted.extend(permission_model.objects.filter(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)
