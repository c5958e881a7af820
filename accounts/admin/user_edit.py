"""Change user: the answers that may change → check your answers → save."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from accounts import permissions
from accounts.admin.drafts import Draft
from accounts.admin.pages import AdminFormPageView
from accounts.admin.summary import user_answer_rows
from accounts.forms import EDIT_USER_FIELDS, NO_ROLE, UserDetailsForm
from accounts.selectors import user_get
from accounts.services import USER_CHANGED_ELSEWHERE, UserChangedElsewhere, user_update


class EditUserPage(AdminFormPageView):
    title = "Change user - personal details"

    def setup_object(self, *, object_id, **kwargs):
        self.user = user_get(user_id=object_id)
        if self.user is None:
            raise Http404
        self.changeable = permissions.user_changeable_fields(self.request.user, self.user)
        self.fields = [field for field in EDIT_USER_FIELDS if field in self.changeable]
        self.draft = Draft(self.request, f"user-edit:{self.user.pk}")

    def has_permission(self):
        return bool(self.changeable)

    def render_form(self, form, **context):
        return super().render_form(
            form,
            caption=f"User - {self.user.full_name}",
            heading="Personal details",
            cancel_url=reverse("admin:accounts_user_change", args=[self.user.pk]),
            locked_rows=self.locked_rows(),
            # The check page shows this form again when saving finds a problem: answers go to the form.
            form_action=reverse("admin:accounts_user_edit", args=[self.user.pk]),
            **context,
        )

    def current_answers(self) -> dict:
        form = UserDetailsForm(fields=EDIT_USER_FIELDS)
        answers = {field: form.fields[field].prepare_value(getattr(self.user, field)) for field in EDIT_USER_FIELDS}
        return {**answers, "role": answers["role"] or NO_ROLE}

    def locked_rows(self) -> list[dict]:
        """Answers that can no longer change, shown read-only beside the form."""
        locked = [field for field in EDIT_USER_FIELDS if field not in self.changeable]
        return user_answer_rows(self.current_answers(), fields=locked, change_url=lambda field: None)


class EditUserFormView(EditUserPage):
    def get(self, request, *args, **kwargs):
        # Coming from the user's page starts a new edit; coming back from the check page keeps it.
        if "new" in request.GET or not self.draft.exists():
            self.draft.save({"seen_updated_at": self.user.updated_at.isoformat(), "answers": {}})
        answers = {**self.current_answers(), **self.draft.get()["answers"]}
        return self.render_form(UserDetailsForm(initial=answers, fields=self.fields, user=self.user))

    def post(self, request, *args, **kwargs):
        if any(field in request.POST for field in EDIT_USER_FIELDS if field not in self.changeable):
            raise PermissionDenied("Those answers cannot be changed for this user.")
        if not self.draft.exists():
            return redirect("admin:accounts_user_edit", self.user.pk)
        form = UserDetailsForm(request.POST, fields=self.fields, user=self.user)
        if not form.is_valid():
            return self.render_form(form)
        self.draft.save({**self.draft.get(), "answers": form.answers()})
        return redirect("admin:accounts_user_edit_check", self.user.pk)


class EditUserCheckView(EditUserPage):
    template_name = "accounts/admin/user_check.html"

    def get(self, request, *args, **kwargs):
        if not self.draft.get().get("answers"):
            return redirect("admin:accounts_user_edit", self.user.pk)
        answers = {**self.current_answers(), **self.draft.get()["answers"]}
        edit_url = reverse("admin:accounts_user_edit", args=[self.user.pk])
        context = self.get_context_data(
            title="Change user",
            caption=f"User - {self.user.full_name}",
            heading="Check your answers",
            rows=user_answer_rows(
                answers,
                fields=EDIT_USER_FIELDS,
                change_url=lambda field: f"{edit_url}#{field}" if field in self.changeable else None,
            ),
            submit_label="Save user",
            cancel_url=reverse("admin:accounts_user_change", args=[self.user.pk]),
        )
        return self.render_to_response(context)

    def post(self, request, *args, **kwargs):
        draft = self.draft.get()
        if not draft.get("answers"):
            return redirect("admin:accounts_user_edit", self.user.pk)
        form = UserDetailsForm(draft["answers"], fields=self.fields, user=self.user)
        if form.is_valid():
            try:
                user_update(
                    actor=request.user,
                    user_id=self.user.pk,
                    changes=form.cleaned_data,
                    seen_updated_at=datetime.datetime.fromisoformat(draft["seen_updated_at"]),
                )
            except UserChangedElsewhere:
                self.draft.clear()
                messages.error(request, USER_CHANGED_ELSEWHERE)
                return redirect("admin:accounts_user_change", self.user.pk)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.draft.clear()
                messages.success(request, "User updated")
                return redirect("admin:accounts_user_change", self.user.pk)
        return self.render_form(form)
