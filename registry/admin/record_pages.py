"""The add, change and delete pages of a provider's records, and their URLs, made from a `RecordKind`.

For a kind named "contact" (plural "contacts") under a provider's URL:

    contacts/add/                    registry_provider_contact_add         (each step, then check/)
    contacts/<record>/edit/          registry_provider_contact_edit        (each step, then check/)
    contacts/<record>/delete/        registry_provider_contact_delete

Each ends on the provider's page, at the kind's section (`…/change/#contacts`).
"""

import uuid

from django import forms

from registry.admin.pages import ProviderPage
from registry.admin.records import RECORD_KINDS, RecordKind
from registry.pages.change_flows import ChangeFlow
from registry.pages.confirm import ConfirmPage
from registry.pages.flows import Flow

SEARCH = "q"


class RecordPage(ProviderPage):
    kind: RecordKind | None = None

    @property
    def section(self) -> str:
        return self.kind.plural

    def cleaned_answers(self, answers: dict) -> dict:
        """The draft's answers as the steps' forms clean them (dates as dates): what the services take."""
        cleaned = {}
        for step in self.active_steps(answers):
            form = self.form(step, answers, answers)
            if self.form_is_valid(form):
                cleaned.update(form.answers())
        return cleaned


class AddRecordFlow(RecordPage, Flow):
    def has_permission(self):
        return self.kind.may_add(self.request.user, self.provider)

    def form_kwargs(self, step, answers):
        return self.kind.form_kwargs(self.provider, None)

    def check_warnings(self, answers):
        return self.kind.warnings("Adding", self.provider, None, self.cleaned_answers(answers))

    def save(self, answers):
        self.kind.create(actor=self.request.user, provider=self.provider, **answers)

    # A question answered from a search (a partnership's partner) ---------------------------------

    def _searched(self, step) -> bool:
        return self.kind.search is not None and self.kind.search.field in step.fields

    def step_title(self, step):
        return self.kind.search.question(self.provider) if self._searched(step) else step.title

    def step_context(self, step, form):
        if not self._searched(step):
            return {}
        search = self.kind.search
        words = " ".join((self.request.GET.get(SEARCH) or self.request.POST.get(SEARCH) or "").split())
        found = search.find(self.provider, words)
        ids = [each.pk for each in found]
        # What was chosen already stays on offer when coming back to change it.
        chosen = str((form.data if form.is_bound else form.initial).get(search.field) or "")
        if _is_uuid(chosen):
            ids.append(chosen)
        question = form.fields[search.field]
        question.widget = forms.RadioSelect()
        question.empty_label = None
        question.label_from_instance = search.label
        question.queryset = search.choices(self.provider).filter(pk__in=ids)
        offered = question.queryset.exists() if ids else False
        errors = form.errors.get(search.field) if form.is_bound else None
        return {
            "search": {
                "field": search.field,
                "query": words,
                "label": f"Search by {search.question(self.provider).lower()} name, code, UKPRN or URN",
                "found": len(found),
                "offered": offered,
                # Nothing to choose from yet: the search box is the question, and its error is there.
                "error": errors[0] if errors and not offered else None,
                "input_id": f"id_{search.field}_0" if not offered else "choice-search",
            }
        }

    def render_form(self, form, **context):
        if "search" in context:
            self.form_template_name = "registry/providers/search_step.html"
        return super().render_form(form, **context)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


class ChangeRecordFlow(RecordPage, ChangeFlow):
    @property
    def thing(self):
        return self.kind.name

    def has_permission(self):
        return self.kind.may_change(self.request.user, self.record, self.provider)

    def changed_object(self):
        return self.record

    def current_values(self):
        return {**super().current_values(), **self.kind.current_values(self.record)}

    def form_kwargs(self, step, answers):
        return self.kind.form_kwargs(self.provider, self.record)

    def check_warnings(self, answers):
        changes = self.changes(self.cleaned_answers(answers))
        return self.kind.warnings("Changing", self.provider, self.record, changes) if changes else []

    def save(self, answers):
        self.kind.update(actor=self.request.user, **{self.kind.name: self.record}, changes=self.changes(answers))


class DeleteRecordPage(RecordPage, ConfirmPage):
    """ "Confirm you want to delete …", then the service deletes it."""

    button_warning = True

    def has_permission(self):
        return self.kind.may_delete(self.request.user, self.record, self.provider)

    def get_title(self):
        return f"Confirm you want to delete {self.kind.name}"

    @property
    def button_label(self):
        return f"Delete {self.kind.name}"

    def confirm_context(self):
        kind, record, provider = self.kind, self.record, self.provider
        name = (kind.delete_name or kind.title)(record, provider)
        return {
            "caption": f"Delete {kind.name} - {provider.operating_name}",
            "heading": f"Confirm you want to delete {name}",
            "rows": kind.rows(record, provider),
            "paragraphs": [*kind.delete_notes(record), *kind.warnings("Deleting", provider, record, {})],
            "warning": f"Deleting {kind.article} {kind.name} is permanent – you cannot undo it.",
        }

    def get_success_message(self):
        return self.kind.messages[2]

    def act(self):
        self.kind.delete(actor=self.request.user, **{self.kind.name: self.record})


def _pages(kind: RecordKind) -> tuple[type, type, type]:
    name = kind.name.capitalize()
    shared = {"kind": kind, "record_model": kind.model, "form_class": kind.form_class}
    saved = {"submit_label": f"Save {kind.name}"}
    add = type(
        f"Add{name}Flow",
        (AddRecordFlow,),
        {**shared, **saved, "steps": kind.steps, "action": f"Add {kind.name}", "success_message": kind.messages[0]},
    )
    change = type(
        f"Change{name}Flow",
        (ChangeRecordFlow,),
        {
            **shared,
            **saved,
            "steps": kind.change_steps or kind.steps,
            "action": f"Change {kind.name}",
            "success_message": kind.messages[1],
        },
    )
    return add, change, type(f"Delete{name}Page", (DeleteRecordPage,), shared)


def record_url_patterns(model_admin) -> list:
    """Every record kind's pages, under the provider's URL."""
    patterns = []
    for kind in RECORD_KINDS:
        add, change, delete = _pages(kind)
        record = f"<uuid:object_id>/{kind.plural}/<uuid:record_id>/"
        patterns += [
            *add.url_patterns(model_admin, f"<uuid:object_id>/{kind.plural}/add/", f"{kind.name}_add"),
            *change.url_patterns(model_admin, f"{record}edit/", f"{kind.name}_edit"),
            model_admin.service_page(delete, f"{record}delete/", f"{kind.name}_delete"),
        ]
    return patterns
