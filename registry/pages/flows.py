"""Multi-step flows: each step a page of questions, then check your answers, then the service saves.

A flow is one class: its steps (each a page asking some of a form's questions), what it starts
from, and the service it calls on "Save". Its answers wait in a session `Draft` between the steps,
as strings a form reads back (dates as ISO dates), so every step and the check page validate them
again with the same form. Each step is POST → redirect → GET; the check page shows every answer
with a Change link to the step that asked it, and its "Save" checks everything once more before
the service (which checks again, in the form's words) writes the change.

A change flow remembers the version of what it changes when it starts (`ChangeFlow.version_of`),
so that its "Save" can refuse to write over a change someone else made meanwhile.
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

from registry.pages.drafts import Draft
from registry.pages.stop import Stop, stop_page
from registry.pages.summary import answer_display, question_label
from registry.pages.views import FormPage
from registry.pages.widgets import is_revealed

CHECK = "check"


class FlowRefused(Exception):
    """Raised by a flow's `save` (or the service it calls) when the change can no longer be made.

    The draft is dropped and the person goes back to where the flow started, with `message`
    shown as an error: an archived provider, say, or a record someone else changed meanwhile.
    With `stop`, the person is shown that stop page instead (`registry.pages.stop`), and the draft
    is kept, so that its links may go back to a step and change an answer.
    """

    def __init__(self, message: str, *, stop: Stop | None = None):
        super().__init__(message)
        self.message = message
        self.stop = stop


@dataclass(frozen=True)
class Step:
    """One page of a flow: `fields` of the flow's form (or of `form_class`), under the heading `title`.

    `slug` names the page in its URL ("" for the first); `applies(answers)` says whether the step
    is asked at all, given the answers so far. A step not `asked` on the way is answered by another
    (`Flow.step_answered` works its answers out) and opened from its Change link on check your
    answers: back links pass it by, and its own goes back to check your answers.
    """

    slug: str
    title: str
    fields: tuple[str, ...]
    form_class: type[forms.Form] | None = None
    applies: Callable[[dict], bool] | None = None
    asked: bool = True


def serialised(value):
    """A cleaned answer as the draft keeps it, and as the form reads it back."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, list | tuple):
        return [serialised(each) for each in value]
    return value


class Flow(FormPage):
    """One flow's pages: each step, then "check" (given as `page` by `url_patterns`)."""

    form_class: type[forms.Form] | None = None
    steps: tuple[Step, ...] = ()
    # "Add accreditation": the flow's name, in captions and page titles.
    action = ""
    submit_label = "Save"
    success_message = ""
    # The page's URL name, without its step: set by `url_patterns`.
    url_name = ""
    page = ""
    # Errors the service raises when the change can no longer be made (see FlowRefused).
    refusals: tuple[type[Exception], ...] = (FlowRefused,)
    template_name = "pages/check.html"

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
        return self.cancel_url()

    def cancel_url(self) -> str:
        raise NotImplementedError

    def get_caption(self) -> str:
        return self.caption or self.action

    def step_title(self, step: Step) -> str:
        return step.title

    def step_context(self, step: Step, form) -> dict:
        """Anything else a step's page shows."""
        return {}

    def check_warnings(self, answers: dict) -> list[str]:
        """What saving these answers will also do, said on the check page before anyone saves."""
        return []

    def check_rows(self, answers: dict) -> list[dict]:
        """Every answer of every step asked, with a Change link to its step."""
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
        return rows

    def form_is_valid(self, form) -> bool:
        return form.is_valid()

    # URLs ------------------------------------------------------------------------------------------

    @classmethod
    def url_patterns(cls, model_admin, route: str, name: str) -> list:
        """This flow's pages under `route`: each step at `<route><slug>/`, the check page at `<route>check/`.

        Their URL names are `<app>_<model>_<name>[_<slug>]`, in the admin's namespace.
        """
        opts = model_admin.model._meta
        url_name = f"{opts.app_label}_{opts.model_name}_{name}"

        def page(slug: str):
            view = cls.as_view(model_admin=model_admin, page=slug, url_name=url_name)
            return path(
                f"{route}{slug}/" if slug else route,
                model_admin.admin_site.admin_view(view),
                name=f"{url_name}_{slug}" if slug else url_name,
            )

        return [*(page(step.slug) for step in cls.steps), page(CHECK)]

    def url_args(self) -> list:
        return []

    def page_url(self, slug: str) -> str:
        return reverse(f"admin:{self.url_name}" + (f"_{slug}" if slug else ""), args=self.url_args())

    # Answers ---------------------------------------------------------------------------------------

    @property
    def draft(self) -> Draft:
        return Draft(self.request, ":".join([self.url_name, *map(str, self.url_args())]))

    def start(self) -> None:
        self.draft.save({"answers": self.initial_answers(), "visited": [], "version": self.version()})

    def version(self) -> str:
        """What the flow starts from, as a string its "Save" compares (see ChangeFlow)."""
        return ""

    def started_version(self) -> str:
        return self.draft.get().get("version", "")

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
            # Answers to the first question start the flow (its page may have been shown by another
            # process, or before the session's draft expired); any later step needs the ones before.
            if step is not self.steps[0]:
                return redirect(self.page_url(self.steps[0].slug))
            self.start()
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
        visited = {*draft.get("visited", []), step.slug}
        self.step_answered(step, form, answers, visited)
        self.draft.save({**draft, "answers": answers, "visited": sorted(visited)})
        return redirect(self.next_url())

    def step_answered(self, step: Step, form, answers: dict, visited: set[str]) -> None:
        """A step was answered (validly): change `answers` and `visited` (the slugs of the steps
        answered) for what follows from it before they are kept, e.g. a search's results, or a later
        step answered by this one (`registry.address_finder.steps`)."""

    def render_step(self, step: Step, form):
        steps = [each for each in self.active_steps(self.draft.get().get("answers", {})) if each.asked]
        index = steps.index(step) if step in steps else 0
        heading = self.step_title(step)
        extra = self.step_context(step, form)
        # A question a radio option reveals is drawn inside that option, not on its own.
        questions = [form[name] for name in step.fields if name in form.fields and not is_revealed(form[name])]
        # A page asking one radio (or checkbox) question asks it as its heading, in the fieldset's legend.
        single_radio = len(questions) == 1 and questions[0].field.widget.input_type in ("radio", "checkbox")
        return self.render_form(
            form,
            # "Change user", not "Change user - Change user", when the step is named as the flow is.
            title=heading if heading == self.action else f"{heading} - {self.action}",
            caption=self.get_caption(),
            heading=heading,
            heading_field=questions[0].name if single_radio and not extra else None,
            form_action=self.page_url(step.slug),
            back_url=self._back_url(step, steps, index),
            cancel_url=self.cancel_url(),
            # A step goes on to the next (or back to check your answers); only that page saves.
            submit_label="Continue",
            **extra,
        )

    def _back_url(self, step: Step, steps: list[Step], index: int) -> str:
        if not step.asked:
            return self.page_url(CHECK)
        return self.page_url(steps[index - 1].slug) if index else self.cancel_url()

    def check_get(self):
        if not self.draft.exists():
            return redirect(self.page_url(self.steps[0].slug))
        if (url := self.next_url()) != self.page_url(CHECK):
            return redirect(url)
        answers = self.draft.get()["answers"]
        context = self.get_context_data(
            title=f"Check your answers - {self.action}",
            caption=self.get_caption(),
            heading="Check your answers",
            rows=self.check_rows(answers),
            warnings=self.check_warnings(answers),
            submit_label=self.submit_label,
            back_url=self.page_url(self.active_steps(answers)[-1].slug),
            cancel_url=self.cancel_url(),
        )
        return self.render_to_response(context)

    def check_post(self):
        if not self.draft.exists():
            return redirect(self.page_url(self.steps[0].slug))
        draft = self.draft.get()
        answers, visited = draft["answers"], set(draft.get("visited", []))
        # "Save" saves only answers someone has given, step by step: none is skipped by posting here.
        if any(step.slug not in visited for step in self.active_steps(answers)):
            return redirect(self.next_url())
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
                self.before_save()
                self.save(cleaned)
        except self.refusals as error:
            if getattr(error, "stop", None) is not None:
                return stop_page(self, error.stop)
            self.draft.clear()
            messages.error(self.request, _refusal_message(error))
            return redirect(self.cancel_url())
        except ObjectDoesNotExist:
            self.draft.clear()
            raise Http404 from None
        except ValidationError as error:
            return self.render_step(*self.with_errors(forms_by_step, error))
        self.draft.clear()
        messages.success(self.request, self.success_message)
        return self.saved_response()

    def before_save(self) -> None:
        """In the saving transaction, before `save`: raise FlowRefused if the change can no longer be made."""

    def saved_response(self):
        """What the person sees once `save` has done its work: by default, `done_url`.

        A flow whose result may be shown only once (a secret, say) draws it here instead.
        """
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


def _refusal_message(error: Exception) -> str:
    if isinstance(error, FlowRefused):
        return error.message
    if isinstance(error, ValidationError):
        return error.messages[0]
    return str(error)
