"""Email notifications: support users told, by email, when providers they care about change.

Each person chooses, in Your account, how often (once a day, once a week, each time a provider is
updated, or never) and about what (the topics of `registry.models.ProviderChange`). Their choices
are a `ChangeNotifications` row (`services.change_notifications_update`, in its history like any
other change to an account); the emails are made by `manage.py send_change_digests`
(`sending.change_notifications_send`) from the register's change record and go out through the
email outbox (`accounts.emails`), so Notify being down only delays them.

Nobody is emailed about their own changes: they made them. Changes by the service itself (the
daily accreditation check, the import) are included.
"""
