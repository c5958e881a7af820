from django.db import migrations

from accounts.roles import role_groups_sync


def roles_from_groups(apps, schema_editor):
    """Existing support users keep the role their group gave them."""
    user_model = apps.get_model("accounts", "User")
    for user in user_model.objects.filter(is_api_user=False).prefetch_related("groups"):
        names = [group.name for group in user.groups.all()]
        if names:
            user.role = names[0]
            user.save(update_fields=["role"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_user_role")]

    operations = [
        migrations.RunPython(role_groups_sync, migrations.RunPython.noop),
        migrations.RunPython(roles_from_groups, migrations.RunPython.noop),
    ]
