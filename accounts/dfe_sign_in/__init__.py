"""DfE Sign-in, the service's sign-in outside local development (SIGN_IN_METHOD "dfe-sign-in").

- `client`: the OpenID Connect client, made from the DFE_SIGN_IN_* settings, with the checks
  Authlib leaves to its caller;
- `flow`: signing in and out, the browser's round trips, and the session keys they use;
- `accounts`: which account a verified identity signs in to, and keeping it in line with DfE Sign-in;
- `errors`: why a sign-in did not end with someone signed in.

The views that use them are in accounts/views/dfe_sign_in.py.
"""
