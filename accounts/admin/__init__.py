from accounts.admin import api_client, email, user  # noqa: F401  (registers the ModelAdmins)
