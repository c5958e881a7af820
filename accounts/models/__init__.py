from accounts.models.email import Email
from accounts.models.user import User

__all__ = ["Email", "User"]
