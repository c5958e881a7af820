"""Who has been given access to one provider, giving someone access, and removing it.

A provider may be shared with a person: they may then change it and its records (or only view it),
and no other provider, whatever their role. These pages, for support administrators only
(`user_can_manage_provider_permissions`), show who has been given access, give someone access
(choose a person, found by a search of active support users' names and email addresses; choose
the access; check your answers; "Give access") and remove it after a confirmation. The work is
done, checked again and recorded by `registry.services.provider_access`.

    <provider>/access/                      registry_provider_access
    <provider>/access/give/                 registry_provider_access_give  (then access/, check/)
    <provider>/access/<user>/remove/        registry_provider_access_remove
"""

from django import forms
from django.http import Http404
from django.template.defaultfilters import pluralize
from django.urls import reverse

from accounts.models import User
from registry import permissions
from registry.admin.pages import ProviderPage, provider_url
from registry.pages.choice_search import choice_search_context, is_uuid, search_words
from registry.pages.confirm import ConfirmPage
from registry.pages.flows import Flow, Step
from registry.pages.summary import Card, actions, row
from registry.pages.views import Page
from registry.pages.widgets import RadioWithHints
from registry.services.provider_access import (
    ACCESS_GIVEN,
    ACCESS_REMOVED,
    PROVIDER_ACCESS_MESSAGES,
    Access,
    ProviderAccessNotHeld,
    access_in_words,
    provider_access_grant,
    provider_access_groups,
    provider_access_holders,
    provider_access_of,
    provider_access_recipient_search,
    provider_access_recipients,
    provider_access_remove,
)

ACCESS_HINTS = {
    Access.CHANGE: (
        "Change its details, and add, change and delete its accreditations, addresses, contacts and "
        "partnerships. They cannot archive or delete it."
    ),
    Access.VIEW: "See its details and records, without changing them.",
}

# What someone whose access is removed can no longer do.
LOSING = {Access.CHANGE: "change {provider} or its records", Access.VIEW: "view {provider}"}


def _url(name: str, *args) -> str:
    return reverse(f"admin:registry_provider_{name}", args=args)


def person_label(person: User) -> str:
    """ "Mary Lawson (mary.lawson@education.gov.uk)": two people may share a name."""
    return f"{person.full_name} ({person.email})"


class PersonField(forms.ModelChoiceField):
    """A person, offered and shown on check your answers with their email address."""

    def label_from_instance(self, obj):
        return person_label(obj)

    def display_answer(self, value) -> str:
        return person_label(value)


class ProviderAccessForm(forms.Form):
    """Who is given access (one of `provider_access_recipients`), and what they may do."""

    error_messages = PROVIDER_ACCESS_MESSAGES

    user = PersonField(
        label="Person",
        queryset=User.objects.none(),
        error_messages={
            "required": error_messages["user_required"],
            "invalid_choice": error_messages["user_ineligible"],
        },
    )
    access = forms.ChoiceField(
        label="What can they do?",
        choices=Access.choices,
        widget=RadioWithHints(hints=ACCESS_HINTS),
        error_messages={
            "required": error_messages["access_required"],
            "invalid_choice": error_messages["access_required"],
        },
    )

    def __init__(self, *args, actor, fields: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if fields is not None and name not in fields:
                del self.fields[name]
        if "user" in self.fields:
            self.fields["user"].queryset = provider_access_recipients(actor=actor)

    def full_clean(self):
        super().full_clean()
        # Screen readers announce a question's error with it.
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-describedby"] = f"id_{name}-error"

    def answers(self) -> dict:
        return dict(self.cleaned_data)


class _AccessPage(ProviderPage):
    """A page about who has access to a provider: for support administrators only."""

    def has_permission(self):
        return permissions.user_can_manage_provider_permissions(self.request.user)

    def cancel_url(self) -> str:
        return _url("access", self.provider.pk)


class ProviderAccessPage(_AccessPage, Page):
    """Who has been given access to the provider alone, with a way to give someone access and to remove it."""

    template_name = "registry/providers/access.html"
    title = "Provider access"

    def get_caption(self):
        return self.provider.operating_name

    def get_heading(self):
        return f"People with access to {self.provider.operating_name}"

    def get_context_data(self, **kwargs):
        provider = self.provider
        people = [
            Card(
                title=person.full_name,
                rows=[
                    row("Email address", person.email),
                    row("What they can do", access.label),
                    *([row("Account", _account_state(person))] if not person.can_use_web_interface else []),
                ],
                actions=actions(("Remove access", _url("access_remove", provider.pk, person.pk))),
            )
            for person, access in provider_access_holders(provider=provider)
        ]
        groups = [
            Card(title=name, rows=[row("What its members can do", access.label)])
            for name, access in provider_access_groups(provider=provider)
        ]
        return super().get_context_data(
            paragraphs=[
                "Support editors and administrators can change every provider, and support viewers can view "
                "every provider, because of their role.",
                f"The people below have been given access to {provider.operating_name} alone.",
            ],
            provider=provider,
            people=people,
            groups=groups,
            give_url=f"{_url('access_give', provider.pk)}?new",
            back_url=provider_url(provider),
            **kwargs,
        )


def _account_state(person: User) -> str:
    """Why someone listed cannot use their access now."""
    if person.is_deleted:
        return "Deleted: their access does not apply"
    if person.is_api_user:
        return "API user: their access does not apply"
    return "Inactive: their access does not apply while their account is inactive"


class GiveAccessFlow(_AccessPage, Flow):
    """Choose a person, choose what they can do, check your answers, then "Give access"."""

    form_class = ProviderAccessForm
    steps = (
        Step("", "Who do you want to give access to?", ("user",)),
        Step("access", "What can they do?", ("access",)),
    )
    action = "Give access"
    submit_label = "Give access"
    success_message = "Access given"

    def form_kwargs(self, step, answers):
        return {"actor": self.request.user}

    def done_url(self):
        return self.cancel_url()

    def check_warnings(self, answers):
        person = User.objects.filter(pk=answers.get("user")).first() if is_uuid(answers.get("user")) else None
        held = provider_access_of(provider=self.provider, user=person) if person is not None else None
        if held is None or held == answers.get("access"):
            return []
        return [f"This replaces the access they have now: {access_in_words(held)}."]

    def save(self, answers):
        record = provider_access_grant(
            actor=self.request.user, provider=self.provider, user=answers["user"], access=answers["access"]
        )
        self.success_message = ACCESS_GIVEN.format(name=record.user.full_name)

    # The person is found by a search: there may be too many to list --------------------------------

    def step_context(self, step, form):
        if "user" not in step.fields:
            return {}
        words = search_words(self.request)
        return choice_search_context(
            form,
            field="user",
            words=words,
            found=provider_access_recipient_search(actor=self.request.user, search=words),
            choices=form.fields["user"].queryset,
            label="Search by name or email address",
            result=lambda count: (
                f"{count} {pluralize(count, 'person,people')} found for ‘{words}’"
                if count
                else f"Nobody found for ‘{words}’. Only active support users can be given access."
            ),
        )

    def render_form(self, form, **context):
        if "search" in context:
            self.form_template_name = "pages/choice_search.html"
        return super().render_form(form, **context)


class RemoveAccessPage(_AccessPage, ConfirmPage):
    """ "Confirm you want to remove access for Mary Lawson", then the service removes it."""

    title = "Confirm you want to remove access"
    button_label = "Remove access"
    button_warning = True
    refusals = (*ProviderPage.refusals, ProviderAccessNotHeld)

    def setup_object(self, *, object_id=None, user_id=None, **kwargs):
        super().setup_object(object_id=object_id)
        # Anyone holding access, whatever their account has become since: it is removed all the same.
        self.person = User.objects.filter(pk=user_id).first()
        if self.person is None:
            raise Http404

    def get(self, request, *args, **kwargs):
        self.held = provider_access_of(provider=self.provider, user=self.person)
        if self.held is None:
            raise Http404
        return super().get(request, *args, **kwargs)

    def confirm_context(self):
        person, provider = self.person, self.provider
        losing = LOSING[self.held].format(provider=provider.operating_name)
        return {
            "caption": f"Remove access - {provider.operating_name}",
            "heading": f"Confirm you want to remove access for {person.full_name}",
            "rows": [row("Email address", person.email), row("What they can do", self.held.label)],
            "paragraphs": [f"{person.full_name} will no longer be able to {losing}, unless their role lets them."],
        }

    def act(self):
        provider_access_remove(actor=self.request.user, provider=self.provider, user=self.person)

    def get_success_message(self):
        return ACCESS_REMOVED.format(name=self.person.full_name)


def access_url_patterns(model_admin) -> list:
    """The provider's access pages, under its URL."""
    return [
        model_admin.service_page(ProviderAccessPage, "<uuid:object_id>/access/", "access"),
        *GiveAccessFlow.url_patterns(model_admin, "<uuid:object_id>/access/give/", "access_give"),
        model_admin.service_page(RemoveAccessPage, "<uuid:object_id>/access/<uuid:user_id>/remove/", "access_remove"),
    ]
