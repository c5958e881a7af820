"""API clients and their bearer tokens: the token format (tokens), who may do what (permissions),
reading them and authenticating a token (selectors), and every change to them (services)."""
