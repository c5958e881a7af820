"""Add user: personal details → check your answers → save."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse

from accounts import permissions
from accounts.admin.drafts import Draft
from accounts.admin.pages import AdminFormPageView
from accounts.admin.summary import user_answer_rows
from accounts.forms import ADD_USER_FIELDS, UserDetailsForm
from accounts.services import user_create

DRAFT_KEY = "user-add"


class AddUserPage(AdminFormPageView):
    title = "Add user - personal details"

    def has_permission(self):
        return permissions.user_can_add_user(self.request.user)

    def render_form(self, form, **context):
        return super().render_form(
            form,
            caption="Add user",
            heading="Personal details",
            cancel_url=reverse("admin:accounts_user_changelist"),
            # The check page shows this form again when saving finds a problem: answers go to the form.
            form_action=reverse("admin:accounts_user_add"),
            **context,
        )


class AddUserFormView(AddUserPage):
    """The personal details form, prefilled from the draft when the user comes back to change it."""

    def get(self, request, *args, **kwargs):
        return self.render_form(UserDetailsForm(initial=Draft(request, DRAFT_KEY).get(), fields=ADD_USER_FIELDS))

    def post(self, request, *args, **kwargs):
        form = UserDetailsForm(request.POST, fields=ADD_USER_FIELDS)
        if not form.is_valid():
            return self.render_form(form)
        Draft(request, DRAFT_KEY).save(form.answers())
        return redirect("admin:accounts_user_add_check")


class AddUserCheckView(AddUserPage):
    template_name = "accounts/admin/user_check.html"

    def get(self, request, *args, **kwargs):
        answers = Draft(request, DRAFT_KEY).get()
        if not answers:
            return redirect("admin:accounts_user_add")
        change_url = reverse("admin:accounts_user_add")
        context = self.get_context_data(
            title="Check your answers - Add user",
            caption="Add user",
            heading="Check your answers",
            rows=user_answer_rows(answers, fields=ADD_USER_FIELDS, change_url=lambda field: change_url),
            submit_label="Save user",
            cancel_url=reverse("admin:accounts_user_changelist"),
        )
        return self.render_to_response(context)

    def post(self, request, *args, **kwargs):
        draft = Draft(request, DRAFT_KEY)
        if not draft.exists():
            return redirect("admin:accounts_user_add")
        # The answers are checked again: another account may have taken the email address since.
        form = UserDetailsForm(draft.get(), fields=ADD_USER_FIELDS)
        if form.is_valid():
            try:
                user_create(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                draft.clear()
                messages.success(request, "User added")
                return redirect("admin:accounts_user_changelist")
        return self.render_form(form)
