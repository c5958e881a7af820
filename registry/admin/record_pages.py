"""The add, change and delete pages of a provider's records, and their URLs, made from a `RecordKind`.

For a kind named "contact" (plural "contacts") under a provider's URL:

    contacts/add/                    registry_provider_contact_add         (each step, then check/)
    contacts/<record>/edit/          registry_provider_contact_edit        (each step, then check/)
    contacts/<record>/delete/        registry_provider_contact_delete

Each ends on the provider's page, at the kind's section (`…/change/#contacts`).
"""

from django.template.defaultfilters import pluralize

from registry.admin.pages import ProviderPage
from registry.admin.records import RECORD_KINDS, RecordKind
from registry.pages.change_flows import ChangeFlow
from registry.pages.choice_search import choice_search_context, search_words
from registry.pages.confirm import ConfirmPage
from registry.pages.flows import Flow


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
        search, words = self.kind.search, search_words(self.request)
        return choice_search_context(
            form,
            field=search.field,
            words=words,
            found=search.find(self.provider, words),
            choices=search.choices(self.provider),
            label=f"Search by {search.question(self.provider).lower()} name, code, UKPRN or URN",
            label_from_instance=search.label,
            result=lambda count: (
                f"{count} provider{pluralize(count)} found for ‘{words}’"
                if count
                else f"No providers found for ‘{words}’"
            ),
        )

    def render_form(self, form, **context):
        if "search" in context:
            self.form_template_name = "pages/choice_search.html"
        return super().render_form(form, **context)


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
        (kind.add_flow_mixin, AddRecordFlow) if kind.add_flow_mixin else (AddRecordFlow,),
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
