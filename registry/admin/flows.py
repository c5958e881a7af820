"""The provider screens' pages: a provider's own pages, and every add or change as form → check → save.

A flow is one class: its steps (each a page asking some of a form's questions), what it starts
from, and the service it calls on "Save". Its answers wait in a session `Draft` between the steps,
as strings a form reads back (dates as "1/8/2024"), so every step and the check page validate them
again with the same form. Each step is POST → redirect → GET; the check page shows every answer
with a Change link to the step that asked it, and its "Save" checks everything once more before
the service (which checks again, in the form's words) writes the change.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models, transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse

from accounts.admin.drafts import Draft
from accounts.admin.pages import AdminFormPageView, AdminPageView
from registry.admin.display import answer_display, question_label
from registry.admin.selectors import provider_record_get
from registry.selectors import provider_get
from registry.services.providers import ProviderArchivedError, ProviderNotArchivedError

CHECK = "check"


def provider_url(provider) -> str:
    return reverse("admin:registry_provider_change", args=[provider.pk])


class ProviderPage(AdminPageView):
    """A page about one provider (`object_id`) and perhaps one of its records (`record_id`).

    Either one not on the register (never added, or deleted) is a 404, before anyone's rights
    are asked about it.
    """

    record_model = None

    def setup_object(self, *, object_id=None, record_id=None, **kwargs):
        self.provider = self.record = None
        if object_id is not None:
            self.provider = provider_get(provider_id=object_id)
            if self.provider is None:
                raise Http404
        if record_id is not None:
            self.record = provider_record_get(self.record_model, provider=self.provider, record_id=record_id)
            if self.record is None:
                raise Http404

    @property
    def provider_url(self) -> str:
        return provider_url(self.provider)


@dataclass(frozen=True)
class Step:
    """One page of a flow: `fields` of the flow's form (or of `form_class`), under the heading `title`.

    `slug` names the page in its URL ("" for the first); `applies(answers)` says whether the step
    is asked at all, given the answers so far.
    """

    slug: str
    title: str
    fields: tuple[str, ...]
    form_class: type[forms.Form] | None = None
    applies: Callable[[dict], bool] | None = None


def serialised(value):
    """A cleaned answer as the draft keeps it, and as the form reads it back."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return f"{value.day}/{value.month}/{value.year}"
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, list | tuple):
        return [serialised(each) for each in value]
    return value


class FlowView(ProviderPage, AdminFormPageView):
    """One flow's pages: each step, then "check" (given as `page` by `url_patterns`)."""

    form_class: type[forms.Form] | None = None
    steps: tuple[Step, ...] = ()
    # Pages are named admin:registry_provider_<url_name>[_<step slug>], and _check.
    url_name = ""
    # "Add accreditation": the flow's name, in captions and page titles.
    action = ""
    submit_label = ""
    success_message = ""
    page = ""
    form_template_name = "registry/admin/form.html"
    template_name = "registry/admin/check.html"

    # What each flow says --------------------------------------------------------------------------

    def initial_answers(self) -> dict:
        """The answers a new go at the flow starts from: none to add, the record's to change."""
        return {}

    def form_kwargs(self, step: Step, answers: dict) -> dict:
        return {}

    def save(self, answers: dict) -> None:
        """Call the service with the cleaned answers of every step (inside a transaction)."""
        raise NotImplementedError

    def done_url(self) -> str:
        return self.provider_url

    def cancel_url(self) -> str:
        return self.provider_url

    def caption(self) -> str:
        return f"{self.action} - {self.provider.operating_name}" if self.provider else self.action

    def step_title(self, step: Step) -> str:
        return step.title

    def step_context(self, step: Step, form) -> dict:
        """Anything else a step's page shows."""
        return {}

    def form_is_valid(self, form) -> bool:
        return form.is_valid()

    # URLs ------------------------------------------------------------------------------------------

    @classmethod
    def url_patterns(cls, model_admin, route: str) -> list:
        """This flow's pages under `route`: each step at `<route><slug>/`, the check page at `<route>check/`."""

        def page(slug: str):
            view = model_admin.admin_site.admin_view(cls.as_view(model_admin=model_admin, page=slug))
            name = f"registry_provider_{cls.url_name}" + (f"_{slug}" if slug else "")
            return path(f"{route}{slug}/" if slug else route, view, name=name)

        return [*(page(step.slug) for step in cls.steps), page(CHECK)]

    def url_args(self) -> list:
        return [each.pk for each in (self.provider, self.record) if each is not None]

    def page_url(self, slug: str) -> str:
        name = f"admin:registry_provider_{self.url_name}" + (f"_{slug}" if slug else "")
        return reverse(name, args=self.url_args())

    # Answers ---------------------------------------------------------------------------------------

    @property
    def draft(self) -> Draft:
        return Draft(self.request, ":".join(["provider", self.url_name, *map(str, self.url_args())]))

    def start(self) -> None:
        self.draft.save({"answers": self.initial_answers(), "visited": []})

    def active_steps(self, answers: dict) -> list[Step]:
        return [step for step in self.steps if step.applies is None or step.applies(answers)]

    def form(self, step: Step, answers: dict, data=None):
        """The step's form: bound to `data` (a POST, or the draft's answers), or showing the answers so far."""
        form_class = step.form_class or self.form_class
        kwargs = {"fields": list(step.fields), **self.form_kwargs(step, answers)}
        if data is None:
            return form_class(initial=answers, **kwargs)
        return form_class(data, **kwargs)

    def next_url(self, before: Step | None = None) -> str | None:
        """The first step not yet answered, or no longer valid; the check page once every one is.

        With `before`, only the steps before it are looked at, and None means they are all answered.
        """
        draft = self.draft.get()
        answers, visited = draft.get("answers", {}), set(draft.get("visited", []))
        for step in self.active_steps(answers):
            if step is before:
                return None
            if step.slug not in visited or not self.form_is_valid(self.form(step, answers, answers)):
                return self.page_url(step.slug)
        return self.page_url(CHECK)

    # Pages -----------------------------------------------------------------------------------------

    def get(self, request, *args, **kwargs):
        return self.check_get() if self.page == CHECK else self.step_get()

    def post(self, request, *args, **kwargs):
        return self.check_post() if self.page == CHECK else self.step_post()

    def current_step(self) -> Step:
        return next(step for step in self.steps if step.slug == self.page)

    def step_get(self):
        step, first = self.current_step(), self.steps[0]
        # Coming from elsewhere ("?new") starts again; coming back from the check page keeps the answers.
        if step is first and ("new" in self.request.GET or not self.draft.exists()):
            self.start()
        elif not self.draft.exists():
            return redirect(self.page_url(first.slug))
        answers = self.draft.get()["answers"]
        if step not in self.active_steps(answers):
            return redirect(self.next_url())
        # A step is asked once the ones before it are answered.
        if step is not first and (url := self.next_url(before=step)):
            return redirect(url)
        return self.render_step(step, self.form(step, answers))

    def step_post(self):
        step = self.current_step()
        if not self.draft.exists():
            return redirect(self.page_url(self.steps[0].slug))
        draft = self.draft.get()
        answers = draft["answers"]
        if step not in self.active_steps(answers):
            return redirect(self.next_url())
        if step is not self.steps[0] and (url := self.next_url(before=step)):
            return redirect(url)
        form = self.form(step, answers, self.request.POST)
        if not self.form_is_valid(form):
            return self.render_step(step, form)
        answers.update({name: serialised(form.cleaned_data[name]) for name in step.fields if name in form.cleaned_data})
        self.draft.save({"answers": answers, "visited": sorted({*draft.get("visited", []), step.slug})})
        return redirect(self.next_url())

    def render_step(self, step: Step, form):
        steps = self.active_steps(self.draft.get().get("answers", {}))
        index = steps.index(step) if step in steps else 0
        heading = self.step_title(step)
        self.title = f"{heading} - {self.action}"
        extra = self.step_context(step, form)
        questions = [form[name] for name in step.fields if name in form.fields]
        # A page asking one radio question asks it as its heading, in the fieldset's legend.
        single_radio = len(questions) == 1 and questions[0].field.widget.input_type == "radio"
        return self.render_form(
            form,
            caption=self.caption(),
            heading=heading,
            heading_field=questions[0].name if single_radio and not extra else None,
            form_action=self.page_url(step.slug),
            back_url=self.page_url(steps[index - 1].slug) if index else self.cancel_url(),
            cancel_url=self.cancel_url(),
            **extra,
        )

    def check_get(self):
        if not self.draft.exists():
            return redirect(self.page_url(self.steps[0].slug))
        if (url := self.next_url()) != self.page_url(CHECK):
            return redirect(url)
        answers = self.draft.get()["answers"]
        rows = []
        for step in self.active_steps(answers):
            form = self.form(step, answers, answers)
            self.form_is_valid(form)
            step_url = self.page_url(step.slug)
            rows.extend(
                {
                    "field": name,
                    "label": question_label(form.fields[name]),
                    "value": answer_display(form, name),
                    "change_url": f"{step_url}#{name}",
                }
                for name in step.fields
                if name in form.fields
            )
        self.title = f"Check your answers - {self.action}"
        context = self.get_context_data(
            caption=self.caption(),
            heading="Check your answers",
            rows=rows,
            submit_label=self.submit_label,
            back_url=self.page_url(self.active_steps(answers)[-1].slug),
            cancel_url=self.cancel_url(),
        )
        return self.render_to_response(context)

    def check_post(self):
        if not self.draft.exists():
            return redirect(self.page_url(self.steps[0].slug))
        answers = self.draft.get()["answers"]
        forms_by_step = [(step, self.form(step, answers, answers)) for step in self.active_steps(answers)]
        # Everything is checked again: the register may have changed since (a code taken, say).
        for step, form in forms_by_step:
            if not self.form_is_valid(form):
                return self.render_step(step, form)
        cleaned = {}
        for _, form in forms_by_step:
            cleaned.update(form.answers())
        try:
            with transaction.atomic():
                self.save(cleaned)
        except (ProviderArchivedError, ProviderNotArchivedError) as error:
            self.draft.clear()
            messages.error(self.request, error.messages[0])
            return redirect(self.provider_url)
        except ObjectDoesNotExist:
            self.draft.clear()
            raise Http404 from None
        except ValidationError as error:
            return self.render_step(*self.with_errors(forms_by_step, error))
        self.draft.clear()
        messages.success(self.request, self.success_message)
        return redirect(self.done_url())

    def with_errors(self, forms_by_step: list, error: ValidationError):
        """The step whose questions the service's `error` is about, with the error shown on its form."""
        errors = error.error_dict if hasattr(error, "error_dict") else {None: error.error_list}
        step, form = next(
            ((step, form) for step, form in forms_by_step if set(errors) & set(form.fields)), forms_by_step[-1]
        )
        for name, field_errors in errors.items():
            form.add_error(name if name in form.fields else None, field_errors)
        return step, form


class ChangeRecordFlowView(FlowView):
    """Changing one record (or the provider itself): starts from its answers and saves what changed."""

    def changed_object(self):
        return self.record

    def current_values(self) -> dict:
        record = self.changed_object()
        return {name: getattr(record, name) for step in self.steps for name in step.fields}

    def initial_answers(self) -> dict:
        return {name: serialised(value) for name, value in self.current_values().items()}

    def changes(self, answers: dict) -> dict:
        current = self.current_values()
        return {name: value for name, value in answers.items() if name in current and value != current[name]}


class ConfirmView(ProviderPage):
    """A confirmation page: what will happen, a button that does it, and a way back."""

    template_name = "registry/admin/confirm.html"
    button_label = ""
    button_warning = False
    success_message = ""

    def confirm_context(self) -> dict:
        """caption, heading, paragraphs, warning and rows for the page."""
        raise NotImplementedError

    def act(self) -> None:
        raise NotImplementedError

    def done_url(self) -> str:
        return self.provider_url

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            button_label=self.button_label,
            button_warning=self.button_warning,
            cancel_url=self.provider_url,
            **self.confirm_context(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        try:
            with transaction.atomic():
                self.act()
        except (ProviderArchivedError, ProviderNotArchivedError) as error:
            messages.error(request, error.messages[0])
            return redirect(self.provider_url)
        except ObjectDoesNotExist:
            raise Http404 from None
        messages.success(request, self.success_message)
        return redirect(self.done_url())


class DeleteRecordView(ConfirmView):
    """Delete one of a provider's records: "Confirm you want to delete …", then the service deletes it."""

    # "accreditation", with its article: "Deleting an accreditation is permanent – you cannot undo it."
    thing = ""
    article = "a"
    button_warning = True

    def record_name(self) -> str:
        return str(self.record)

    def record_rows(self) -> list[dict]:
        return []

    def notes(self) -> list[str]:
        return []

    def get_title(self):
        return f"Confirm you want to delete {self.thing}"

    @property
    def button_label(self):
        return f"Delete {self.thing}"

    def confirm_context(self):
        return {
            "caption": f"Delete {self.thing} - {self.provider.operating_name}",
            "heading": f"Confirm you want to delete {self.record_name()}",
            "rows": self.record_rows(),
            "paragraphs": self.notes(),
            "warning": f"Deleting {self.article} {self.thing} is permanent – you cannot undo it.",
        }
