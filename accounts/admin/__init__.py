from accounts.admin import email, user  # noqa: F401  (registers the ModelAdmins)
