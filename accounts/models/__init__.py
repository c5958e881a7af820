from accounts.models.api_access import ApiAccess
from accounts.models.api_client import (
    ApiClient,
    ApiClientGroupObjectPermission,
    ApiClientUserObjectPermission,
    ApiToken,
    ApiTokenStatus,
)
from accounts.models.change_notifications import ChangeNotifications
from accounts.models.email import Email
from accounts.models.session import Session
from accounts.models.user import User

__all__ = [
    "ApiAccess",
    "ApiClient",
    "ApiClientGroupObjectPermission",
    "ApiClientUserObjectPermission",
    "ApiToken",
    "ApiTokenStatus",
    "ChangeNotifications",
    "Email",
    "Session",
    "User",
]
