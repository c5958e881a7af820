"""The base for the service's own pages inside the admin: unfold's chrome, our permission rules."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.views.generic import TemplateView


class AdminPageView(TemplateView):
    """A page mounted by a ModelAdmin's `get_urls`, wrapped in `admin_site.admin_view`.

    Subclasses say who may see the page in `has_permission`, asked on every request, GET and POST.
    """

    model_admin = None
    title = ""

    def has_permission(self) -> bool:
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        self.setup_object(**kwargs)
        if not self.has_permission():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def setup_object(self, **kwargs) -> None:
        """Load what the page is about before the permission check; 404 when it does not exist."""

    def get_title(self) -> str:
        return self.title

    def get_context_data(self, **kwargs):
        context = {
            **self.model_admin.admin_site.each_context(self.request),
            "opts": self.model_admin.opts,
            "title": self.get_title(),
            "has_own_heading": True,
        }
        return super().get_context_data(**{**context, **kwargs})


class AdminFormPageView(AdminPageView):
    """A page with one form; its title says "Error: " first while the form has errors."""

    form_template_name = "accounts/admin/user_form.html"

    def render_form(self, form, **context):
        title = f"Error: {self.get_title()}" if form.errors else self.get_title()
        return TemplateResponse(
            self.request, self.form_template_name, self.get_context_data(form=form, title=title, **context)
        )
