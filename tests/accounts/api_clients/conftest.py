from tests.accounts.api_clients.fixtures import api_client_and_token, api_user, other_api_user, own_cache, token

__all__ = ["api_client_and_token", "api_user", "other_api_user", "own_cache", "token"]
