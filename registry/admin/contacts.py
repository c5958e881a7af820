"""A provider's contacts: add and change (form → check your answers → save), and delete."""

from registry import permissions
from registry.admin.flows import ChangeRecordFlowView, DeleteRecordView, FlowView, Step
from registry.admin.sections import contact_rows
from registry.forms import ContactForm
from registry.models import Contact
from registry.services.contacts import (
    CONTACT_ADDED,
    CONTACT_DELETED,
    CONTACT_UPDATED,
    contact_create,
    contact_delete,
    contact_update,
)

CONTACT_STEPS = (Step("", "Contact details", ("first_name", "last_name", "email", "telephone")),)


class AddContactView(FlowView):
    form_class = ContactForm
    steps = CONTACT_STEPS
    url_name = "contact_add"
    action = "Add contact"
    submit_label = "Save contact"
    success_message = CONTACT_ADDED

    def has_permission(self):
        return permissions.user_can_add_contact(self.request.user, self.provider)

    def form_kwargs(self, step, answers):
        return {"provider": self.provider}

    def save(self, answers):
        contact_create(actor=self.request.user, provider=self.provider, **answers)


class EditContactView(ChangeRecordFlowView):
    record_model = Contact
    form_class = ContactForm
    steps = CONTACT_STEPS
    url_name = "contact_edit"
    action = "Change contact"
    submit_label = "Save contact"
    success_message = CONTACT_UPDATED

    def has_permission(self):
        return permissions.user_can_change_contact(self.request.user, self.record)

    def form_kwargs(self, step, answers):
        return {"provider": self.provider, "contact": self.record}

    def save(self, answers):
        contact_update(actor=self.request.user, contact=self.record, changes=self.changes(answers))


class DeleteContactView(DeleteRecordView):
    record_model = Contact
    thing = "contact"
    success_message = CONTACT_DELETED

    def has_permission(self):
        return permissions.user_can_delete_contact(self.request.user, self.record)

    def record_rows(self):
        return contact_rows(self.record)

    def act(self):
        contact_delete(actor=self.request.user, contact=self.record)


def url_patterns(model_admin, page) -> list:
    record = "<uuid:object_id>/contacts/<uuid:record_id>/"
    return [
        *AddContactView.url_patterns(model_admin, "<uuid:object_id>/contacts/add/"),
        *EditContactView.url_patterns(model_admin, f"{record}edit/"),
        page(DeleteContactView, f"{record}delete/", "contact_delete"),
    ]
