"""A page of the service: permission, the object it is about, its title and heading, its template."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.views.generic import TemplateView


class Page(TemplateView):
    """One screen. Subclasses say who may see it in `has_permission`, asked on every request.

    The context every page template reads: `title` (the `<title>`, without the service's name),
    `caption` (the grey line above the heading), `heading` (the page's one `<h1>`), `back_url`.
    Pages mounted by a ModelAdmin get `model_admin` (see `mount.ServicePagesAdminMixin`).
    """

    model_admin = None
    title = ""
    caption = ""
    heading = ""
    http_method_names = ["get", "post", "head"]

    def has_permission(self) -> bool:
        raise NotImplementedError

    def setup_object(self, **kwargs) -> None:
        """Load what the page is about before the permission check; raise Http404 when it does not exist."""

    def dispatch(self, request, *args, **kwargs):
        self.setup_object(**kwargs)
        if not self.has_permission():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        # A page that takes no answers refuses a POST rather than ignoring it.
        return self.http_method_not_allowed(request, *args, **kwargs)

    def get_title(self) -> str:
        return self.title

    def get_caption(self) -> str:
        return self.caption

    def get_heading(self) -> str:
        return self.heading or self.get_title()

    def get_context_data(self, **kwargs):
        context = {
            "title": self.get_title(),
            "caption": self.get_caption(),
            "heading": self.get_heading(),
        }
        return super().get_context_data(**{**context, **kwargs})


class FormPage(Page):
    """A page with one form; its title says "Error: " first while the form has errors."""

    form_template_name = "pages/form.html"
    submit_label = "Continue"

    def render_form(self, form, **context):
        title = context.pop("title", None) or self.get_title()
        if form.errors:
            title = f"Error: {title}"
        context.setdefault("submit_label", self.submit_label)
        return TemplateResponse(
            self.request, self.form_template_name, self.get_context_data(form=form, **context, title=title)
        )
