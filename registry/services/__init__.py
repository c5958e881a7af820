"""Changing the register: every write to a provider or its records goes through here.

Each service is `<entity>_<verb>`, keyword-only and atomic. It takes the `actor` making the change,
already authorised by its caller (the permission predicates are asked by the views and the API
before they call a service), and writes one history row per record changed, attributed to that
actor, with the change's reason: the words the service shows when it is done ("Provider added").

Every answer is checked before it is saved, with the rules in `registry.validators` worded as the
entity's form words them, and then with the model's own `full_clean()`; a lost race for a unique
value (a provider code, a contact's email address) is the same ValidationError the form would have
shown, never a server error.
"""
