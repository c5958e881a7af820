"""API clients in the admin: support users who manage accounts list every API user's clients, add
one for an API user (its token shown once), and revoke one. API users manage their own through
the API."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin
from unfold.decorators import display

from accounts.admin.drafts import Draft
from accounts.admin.pages import AdminFormPageView, AdminPageView
from accounts.api_clients import permissions
from accounts.api_clients.services import api_client_create, api_client_revoke
from accounts.forms_api_clients import ApiClientForm
from accounts.models import ApiClient
from registry.admin_pages import ServicePagesAdminMixin

DRAFT_KEY = "api-client-add"


class ApiClientPage(AdminFormPageView):
    title = "Add API client"

    def has_permission(self):
        return permissions.user_can_manage_api_clients(self.request.user)

    def render_form(self, form, **context):
        return super().render_form(
            form,
            caption="Add API client",
            heading="API client details",
            cancel_url=reverse("admin:accounts_apiclient_changelist"),
            form_action=reverse("admin:accounts_apiclient_add"),
            **context,
        )


class AddApiClientView(ApiClientPage):
    def get(self, request, *args, **kwargs):
        return self.render_form(ApiClientForm(initial=Draft(request, DRAFT_KEY).get()))

    def post(self, request, *args, **kwargs):
        form = ApiClientForm(request.POST)
        if not form.is_valid():
            return self.render_form(form)
        Draft(request, DRAFT_KEY).save(form.answers())
        return redirect("admin:accounts_apiclient_add_check")


class AddApiClientCheckView(ApiClientPage):
    template_name = "accounts/admin/user_check.html"

    def get(self, request, *args, **kwargs):
        answers = Draft(request, DRAFT_KEY).get()
        form = ApiClientForm(answers)
        if not answers or not form.is_valid():
            return redirect("admin:accounts_apiclient_add")
        owner = form.cleaned_data["owner"]
        change_url = reverse("admin:accounts_apiclient_add")
        rows = [
            {"label": "API user", "value": f"{owner.full_name} ({owner.email})", "change_url": change_url},
            {"label": "Client name", "value": form.cleaned_data["name"], "change_url": change_url},
        ]
        context = self.get_context_data(
            title="Check your answers - Add API client",
            caption="Add API client",
            heading="Check your answers",
            rows=rows,
            submit_label="Save API client",
            cancel_url=reverse("admin:accounts_apiclient_changelist"),
        )
        return self.render_to_response(context)

    def post(self, request, *args, **kwargs):
        draft = Draft(request, DRAFT_KEY)
        form = ApiClientForm(draft.get())
        if not draft.exists() or not form.is_valid():
            return redirect("admin:accounts_apiclient_add")
        try:
            client, issued = api_client_create(
                actor=request.user, owner=form.cleaned_data["owner"], name=form.cleaned_data["name"], request=request
            )
        except ValidationError as error:
            form.add_error("name", error.messages[0])
            return self.render_form(form)
        draft.clear()
        # The token is shown in this response and nowhere else: never stored, not even in the session.
        messages.success(request, "API client added")
        response = TemplateResponse(
            request,
            "accounts/admin/api_client_token.html",
            self.get_context_data(
                title="API client token",
                caption="API client",
                heading="API client token created",
                token=issued.secret,
                done_url=reverse("admin:accounts_apiclient_change", args=[client.pk]),
            ),
        )
        response["Cache-Control"] = "no-store"
        return response


class ApiClientDetailView(AdminPageView):
    template_name = "accounts/admin/api_client_detail.html"
    title = "View API client"

    def setup_object(self, *, object_id, **kwargs):
        self.client_record = ApiClient.objects.kept().select_related("owner").filter(pk=object_id).first()
        if self.client_record is None:
            raise Http404

    def has_permission(self):
        return permissions.user_can_manage_api_clients(self.request.user)

    def get_context_data(self, **kwargs):
        client = self.client_record
        return super().get_context_data(
            caption="API client",
            heading=client.name,
            rows=[
                {"label": "API user", "value": f"{client.owner.full_name} ({client.owner.email})"},
                {"label": "Added", "value": client.created_at},
            ],
            tokens=client.tokens.order_by("-created_at"),
            revoke_url=reverse("admin:accounts_apiclient_revoke", args=[client.pk]),
            **kwargs,
        )


class RevokeApiClientView(AdminPageView):
    template_name = "accounts/admin/api_client_revoke.html"
    title = "Confirm you want to revoke API client"

    setup_object = ApiClientDetailView.setup_object

    def has_permission(self):
        return permissions.user_can_manage_api_clients(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            caption="Revoke API client",
            heading=f"Confirm you want to revoke {self.client_record.name}",
            cancel_url=reverse("admin:accounts_apiclient_change", args=[self.client_record.pk]),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        api_client_revoke(actor=request.user, client_id=self.client_record.pk, request=request)
        messages.success(request, "API client revoked")
        return redirect("admin:accounts_apiclient_changelist")


@admin.register(ApiClient)
class ApiClientAdmin(ServicePagesAdminMixin, SimpleHistoryAdmin, ModelAdmin):
    list_display = ["name", "display_owner", "created_at"]
    list_display_links = ["name"]
    list_per_page = 25
    show_full_result_count = False
    search_fields = ["name", "owner__first_name", "owner__last_name", "owner__email"]
    actions = None

    @display(description="API user", ordering="owner__first_name")
    def display_owner(self, client):
        return f"{client.owner.full_name} ({client.owner.email})"

    def get_queryset(self, request):
        return ApiClient.objects.kept().select_related("owner").order_by("name", "id")

    def has_module_permission(self, request):
        return permissions.user_can_manage_api_clients(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.user_can_manage_api_clients(request.user)

    def has_add_permission(self, request):
        return permissions.user_can_manage_api_clients(request.user)

    def has_change_permission(self, request, obj=None):
        return permissions.user_can_manage_api_clients(request.user)

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_history_permission(self, request, obj=None):
        return permissions.user_can_manage_api_clients(request.user)

    def has_change_history_permission(self, request, obj=None):
        return False

    def get_urls(self):
        page = self.service_page
        return [
            page(AddApiClientView, "add/", "add"),
            page(AddApiClientCheckView, "add/check/", "add_check"),
            page(ApiClientDetailView, "<uuid:object_id>/change/", "change"),
            page(RevokeApiClientView, "<uuid:object_id>/revoke/", "revoke"),
            *super().get_urls(),
        ]
