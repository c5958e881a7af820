from django.contrib.admin.apps import AdminConfig


class RegistryAdminConfig(AdminConfig):
    """Django's admin app, serving the service's own admin site."""

    default_site = "registry.admin_site.RegistryAdminSite"

    def ready(self):
        super().ready()
        from django.contrib import admin

        from registry.admin_site import admin_site_trim

        admin_site_trim(admin.site)
