"""Object permissions on providers, with direct foreign keys.

guardian's generic tables key objects by text, which makes permission-filtered lists scan the whole
provider table and leaves orphans behind deleted rows; direct foreign keys are indexed and cascade.
"""

from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase


class ProviderUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey("registry.Provider", on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "provider permission for a user"


class ProviderGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey("registry.Provider", on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = "provider permission for a group"
