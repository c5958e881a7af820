from django.contrib.auth.backends import ModelBackend


class ServiceAccountBackend(ModelBackend):
    """Session and permission checks for service accounts.

    Nobody signs in with a password, so `authenticate` never succeeds here: sign-in goes through
    DfE Sign-in or, locally, the persona page, which log the user in directly. What this backend
    adds is that an account that is inactive, deleted or an API user has no web session: its
    session stops working on the next request. (Permissions still apply to API users, whose
    requests the API authenticates by token.)
    """

    def authenticate(self, request, **credentials):
        return None

    def user_can_authenticate(self, user):
        return bool(user is not None and user.can_use_web_interface)
