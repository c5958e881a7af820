from django.contrib.auth.backends import ModelBackend

from accounts.roles import API_USER_PERMISSIONS, Role, role_permissions


class ServiceAccountBackend(ModelBackend):
    """Session and permission checks for service accounts.

    Nobody signs in with a password, so `authenticate` never succeeds here: sign-in goes through
    DfE Sign-in or, locally, the persona page, which log the user in directly. What this backend
    adds is that an account that is inactive, deleted or an API user has no web session: its
    session stops working on the next request. (Permissions still apply to API users, whose
    requests the API authenticates by token.)

    A person's permissions are exactly those of their role. They are read from the role table in
    code, which migrations also copy into the role's group, so checking them costs no query.
    """

    def authenticate(self, request, **credentials):
        return None

    def user_can_authenticate(self, user):
        return bool(user is not None and user.can_use_web_interface)

    def get_user_permissions(self, user_obj, obj=None):
        # Permissions are never given to one person directly: only through a role, which is recorded.
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if user_obj.is_api_user:
            # API users hold no role: every one of them may do the same few things through the API.
            return set(API_USER_PERMISSIONS)
        return set(role_permissions(Role(user_obj.role))) if user_obj.role else set()
