from django.db import migrations

OWNER_CODENAMES = ("view_apiclient", "change_apiclient", "delete_apiclient")


def owners_hold_their_clients(apps, schema_editor):
    """Clients added before object permissions existed: their owners get what new owners get."""
    from django.contrib.auth.management import create_permissions

    accounts = apps.get_app_config("accounts")
    accounts.models_module = True
    create_permissions(accounts, verbosity=0, apps=apps)
    accounts.models_module = None

    client_model = apps.get_model("accounts", "ApiClient")
    grant_model = apps.get_model("accounts", "ApiClientUserObjectPermission")
    permission_model = apps.get_model("auth", "Permission")
    owner_permissions = list(
        permission_model.objects.filter(content_type__app_label="accounts", codename__in=OWNER_CODENAMES)
    )
    grant_model.objects.bulk_create(
        [
            grant_model(user_id=client.owner_id, content_object_id=client.pk, permission=permission)
            for client in client_model.objects.all()
            for permission in owner_permissions
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0007_api_client_object_permissions")]

    operations = [migrations.RunPython(owners_hold_their_clients, migrations.RunPython.noop)]
