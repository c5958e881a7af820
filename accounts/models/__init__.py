from accounts.models.api_client import ApiClient, ApiToken, ApiTokenStatus
from accounts.models.email import Email
from accounts.models.session import Session
from accounts.models.user import User

__all__ = ["ApiClient", "ApiToken", "ApiTokenStatus", "Email", "Session", "User"]
