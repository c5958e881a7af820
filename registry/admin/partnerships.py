"""A provider's partnerships: add (partner → dates and academic years → check → save), change, delete.

Seen from an accredited provider the partner is a training partner; from anyone else, an
accredited provider. The partner is found by a search (name, code, UKPRN or URN) among the
providers it may be, so the page never lists the whole register.
"""

import uuid

from unfold.widgets import UnfoldAdminRadioSelectWidget

from registry import permissions
from registry.admin.display import NOT_ENTERED
from registry.admin.flows import ChangeRecordFlowView, DeleteRecordView, FlowView, Step
from registry.admin.sections import partnership_partner, partnership_rows
from registry.admin.selectors import partner_search
from registry.forms import PartnershipForm
from registry.models import Partnership, Provider
from registry.selectors import partnership_partner_choices
from registry.services.partnerships import (
    PARTNERSHIP_ADDED,
    PARTNERSHIP_DELETED,
    PARTNERSHIP_UPDATED,
    partnership_create,
    partnership_delete,
    partnership_update,
)

DATES_FIELDS = ("starts_on", "ends_on", "academic_years")


def partner_label(provider: Provider) -> str:
    """How a partner is offered: "Ash Tree SCITT (Provider code: 1AB, UKPRN: 10012345, URN: 123456)"."""
    return (
        f"{provider.operating_name} (Provider code: {provider.code}, UKPRN: {provider.ukprn or NOT_ENTERED}, "
        f"URN: {provider.urn or NOT_ENTERED})"
    )


class AddPartnershipView(FlowView):
    form_class = PartnershipForm
    steps = (
        Step("", "Partner", ("partner",)),
        Step("dates", "Partnership dates and academic years", DATES_FIELDS),
    )
    url_name = "partnership_add"
    action = "Add partnership"
    submit_label = "Save partnership"
    success_message = PARTNERSHIP_ADDED

    def has_permission(self):
        return permissions.user_can_add_partnership(self.request.user, self.provider)

    def form_kwargs(self, step, answers):
        return {"provider": self.provider}

    def save(self, answers):
        partnership_create(actor=self.request.user, **answers)

    def step_title(self, step):
        return self.partner_side_label() if step.slug == "" else step.title

    def partner_side_label(self) -> str:
        return "Training partner" if self.provider.is_accredited else "Accredited provider"

    def step_context(self, step, form):
        if "partner" not in form.fields:
            return {}
        search = " ".join((self.request.GET.get("q") or self.request.POST.get("q") or "").split())
        matches = partner_search(provider=self.provider, search=search)
        ids = [match.pk for match in matches]
        # The partner already chosen stays on offer when coming back to change it.
        if _is_uuid(chosen := str(form["partner"].value() or "")):
            ids.append(chosen)
        field = form.fields["partner"]
        field.widget = UnfoldAdminRadioSelectWidget()
        field.empty_label = None
        field.label_from_instance = partner_label
        field.queryset = partnership_partner_choices(provider=self.provider).filter(pk__in=ids)
        return {
            "partner_search": {
                "query": search,
                "label": f"Search by {self.partner_side_label().lower()} name, code, UKPRN or URN",
                "count": len(matches),
            },
        }


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


class EditPartnershipView(ChangeRecordFlowView):
    record_model = Partnership
    form_class = PartnershipForm
    steps = (Step("", "Partnership dates and academic years", DATES_FIELDS),)
    url_name = "partnership_edit"
    action = "Change partnership"
    submit_label = "Save partnership"
    success_message = PARTNERSHIP_UPDATED

    def has_permission(self):
        return permissions.user_can_change_partnership(self.request.user, self.record, self.provider)

    def current_values(self):
        values = super().current_values()
        values["academic_years"] = sorted(year.start_year for year in self.record.academic_years.all())
        return values

    def form_kwargs(self, step, answers):
        return {"provider": self.provider, "partnership": self.record}

    def save(self, answers):
        partnership_update(actor=self.request.user, partnership=self.record, changes=self.changes(answers))


class DeletePartnershipView(DeleteRecordView):
    record_model = Partnership
    thing = "partnership"
    success_message = PARTNERSHIP_DELETED

    def has_permission(self):
        return permissions.user_can_delete_partnership(self.request.user, self.record, self.provider)

    def record_name(self):
        return f"the partnership with {partnership_partner(self.record, self.provider)[1].operating_name}"

    def record_rows(self):
        return partnership_rows(self.record, self.provider)

    def notes(self):
        if self.record.ends_on is None:
            return [
                "If you do not want to delete the partnership, but update that it has ended, "
                "add the partnership end date."
            ]
        return []

    def act(self):
        partnership_delete(actor=self.request.user, partnership=self.record)


def url_patterns(model_admin, page) -> list:
    record = "<uuid:object_id>/partnerships/<uuid:record_id>/"
    return [
        *AddPartnershipView.url_patterns(model_admin, "<uuid:object_id>/partnerships/add/"),
        *EditPartnershipView.url_patterns(model_admin, f"{record}edit/"),
        page(DeletePartnershipView, f"{record}delete/", "partnership_delete"),
    ]
