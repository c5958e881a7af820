from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = "Register of training providers"

    def ready(self):
        from registry import checks, signals  # noqa: F401  (registers the system checks and the receiver)
