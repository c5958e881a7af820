"""A provider's accreditations: add and change (form → check your answers → save), and delete."""

from registry import permissions
from registry.admin.flows import ChangeRecordFlowView, DeleteRecordView, FlowView, Step
from registry.admin.sections import accreditation_rows
from registry.forms import AccreditationForm
from registry.models import Accreditation
from registry.services.accreditations import (
    ACCREDITATION_ADDED,
    ACCREDITATION_DELETED,
    ACCREDITATION_UPDATED,
    accreditation_create,
    accreditation_delete,
    accreditation_update,
)

ACCREDITATION_STEPS = (Step("", "Accreditation details", ("number", "starts_on", "ends_on")),)


class AddAccreditationView(FlowView):
    form_class = AccreditationForm
    steps = ACCREDITATION_STEPS
    url_name = "accreditation_add"
    action = "Add accreditation"
    submit_label = "Save accreditation"
    success_message = ACCREDITATION_ADDED

    def has_permission(self):
        return permissions.user_can_add_accreditation(self.request.user, self.provider)

    def form_kwargs(self, step, answers):
        return {"provider": self.provider}

    def save(self, answers):
        accreditation_create(actor=self.request.user, provider=self.provider, **answers)


class EditAccreditationView(ChangeRecordFlowView):
    record_model = Accreditation
    form_class = AccreditationForm
    steps = ACCREDITATION_STEPS
    url_name = "accreditation_edit"
    action = "Change accreditation"
    submit_label = "Save accreditation"
    success_message = ACCREDITATION_UPDATED

    def has_permission(self):
        return permissions.user_can_change_accreditation(self.request.user, self.record)

    def form_kwargs(self, step, answers):
        return {"provider": self.provider, "accreditation": self.record}

    def save(self, answers):
        accreditation_update(actor=self.request.user, accreditation=self.record, changes=self.changes(answers))


class DeleteAccreditationView(DeleteRecordView):
    record_model = Accreditation
    thing, article = "accreditation", "an"
    success_message = ACCREDITATION_DELETED

    def has_permission(self):
        return permissions.user_can_delete_accreditation(self.request.user, self.record)

    def record_name(self):
        return f"accreditation {self.record.number}"

    def record_rows(self):
        return accreditation_rows(self.record)

    def act(self):
        accreditation_delete(actor=self.request.user, accreditation=self.record)


def url_patterns(model_admin, page) -> list:
    record = "<uuid:object_id>/accreditations/<uuid:record_id>/"
    return [
        *AddAccreditationView.url_patterns(model_admin, "<uuid:object_id>/accreditations/add/"),
        *EditAccreditationView.url_patterns(model_admin, f"{record}edit/"),
        page(DeleteAccreditationView, f"{record}delete/", "accreditation_delete"),
    ]
