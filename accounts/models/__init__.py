from accounts.models.email import Email
from accounts.models.session import Session
from accounts.models.user import User

__all__ = ["Email", "Session", "User"]
