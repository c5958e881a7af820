"""The DRF peer: a ModelSerializer over `registry.Provider` with DRF's TokenAuthentication.

The same rows (kept, not archived), the same 11 fields in the same order, a page of 100 in the same
(updated_at, id) order as the service's API, with DRF's own cursor pagination. A second view pages
by number (`?page=N`, OFFSET), DRF's default way of paging, for the deep-page comparison.
"""

from django.contrib.auth.decorators import login_not_required
from rest_framework import serializers
from rest_framework.authentication import TokenAuthentication
from rest_framework.generics import ListAPIView
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.permissions import IsAuthenticated

from registry.models import Provider

PAGE_SIZE = 100


class ProviderSerializer(serializers.ModelSerializer):
    rotp_id = serializers.CharField(source="register_id")

    class Meta:
        model = Provider
        fields = [
            "id",
            "rotp_id",
            "operating_name",
            "legal_name",
            "provider_type",
            "accreditation_status",
            "ukprn",
            "urn",
            "code",
            "archived_at",
            "updated_at",
        ]


class ProviderCursorPagination(CursorPagination):
    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = PAGE_SIZE
    ordering = ("updated_at", "id")


class ProviderPageNumberPagination(PageNumberPagination):
    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = PAGE_SIZE


class ProviderList(ListAPIView):
    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]
    serializer_class = ProviderSerializer
    pagination_class = ProviderCursorPagination

    def get_queryset(self):
        return Provider.objects.filter(deleted_at__isnull=True, archived_at__isnull=True)


class ProviderListByPage(ProviderList):
    pagination_class = ProviderPageNumberPagination

    def get_queryset(self):
        return super().get_queryset().order_by("updated_at", "id")


# The service's sign-in requirement is for its web pages; DRF authenticates in the view.
provider_list = login_not_required(ProviderList.as_view())
provider_list_by_page = login_not_required(ProviderListByPage.as_view())
