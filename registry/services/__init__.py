"""Changing the register: every write to a provider or its records goes through here.

Each service is `<entity>_<verb>`, keyword-only and atomic. It takes the `actor` making the change
and asks the same predicate in `registry.permissions` that the page asked before offering it,
raising PermissionDenied if the actor may not (work with no person behind it passes
`accounts.permissions.SYSTEM`, which is let through on purpose). It writes one history row per
record changed, attributed to that actor, with the change's reason: the words the service shows
when it is done ("Provider added").

Every answer is checked before it is saved, with the rules in `registry.validators` worded by the
record's messages in `registry.messages` (its form's `error_messages`), and then with the model's
own `full_clean()`; a lost race for a unique value (a provider code, a contact's email address) is
the same ValidationError the form would have shown, never a server error. No service imports a form.
"""
