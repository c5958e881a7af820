"""The Activity page: every recorded change across the service, for auditors and administrators."""

urlpatterns = []
