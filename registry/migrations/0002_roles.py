from django.db import migrations

from accounts.roles import role_groups_sync


class Migration(migrations.Migration):
    """The roles gain their rights over the register, now that its models exist."""

    dependencies = [("registry", "0001_initial"), ("accounts", "0005_session")]

    operations = [migrations.RunPython(role_groups_sync, migrations.RunPython.noop)]
