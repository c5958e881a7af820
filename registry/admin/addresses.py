"""A provider's addresses, typed in by hand: add and change (form → check your answers → save), and delete."""

from registry import permissions
from registry.admin.flows import ChangeRecordFlowView, DeleteRecordView, FlowView, Step
from registry.admin.sections import address_rows
from registry.forms import AddressForm
from registry.models import Address
from registry.services.addresses import (
    ADDRESS_ADDED,
    ADDRESS_DELETED,
    ADDRESS_UPDATED,
    address_create,
    address_delete,
    address_update,
)

ADDRESS_FIELDS = ("address_line_1", "address_line_2", "address_line_3", "town_or_city", "county", "postcode")
ADDRESS_STEPS = (Step("", "Address", ADDRESS_FIELDS),)


class AddAddressView(FlowView):
    form_class = AddressForm
    steps = ADDRESS_STEPS
    url_name = "address_add"
    action = "Add address"
    submit_label = "Save address"
    success_message = ADDRESS_ADDED

    def has_permission(self):
        return permissions.user_can_add_address(self.request.user, self.provider)

    def save(self, answers):
        address_create(actor=self.request.user, provider=self.provider, **answers)


class EditAddressView(ChangeRecordFlowView):
    record_model = Address
    form_class = AddressForm
    steps = ADDRESS_STEPS
    url_name = "address_edit"
    action = "Change address"
    submit_label = "Save address"
    success_message = ADDRESS_UPDATED

    def has_permission(self):
        return permissions.user_can_change_address(self.request.user, self.record)

    def save(self, answers):
        address_update(actor=self.request.user, address=self.record, changes=self.changes(answers))


class DeleteAddressView(DeleteRecordView):
    record_model = Address
    thing, article = "address", "an"
    success_message = ADDRESS_DELETED

    def has_permission(self):
        return permissions.user_can_delete_address(self.request.user, self.record)

    def record_rows(self):
        return address_rows(self.record)

    def act(self):
        address_delete(actor=self.request.user, address=self.record)


def url_patterns(model_admin, page) -> list:
    record = "<uuid:object_id>/addresses/<uuid:record_id>/"
    return [
        *AddAddressView.url_patterns(model_admin, "<uuid:object_id>/addresses/add/"),
        *EditAddressView.url_patterns(model_admin, f"{record}edit/"),
        page(DeleteAddressView, f"{record}delete/", "address_delete"),
    ]
