from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    # The sidebar section and the breadcrumbs call this part of the service "Users".
    verbose_name = "Users"
    default_auto_field = "django.db.models.BigAutoField"
