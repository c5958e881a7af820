"""Confirmation pages: what will happen, a button that does it, and a way back. Nothing happens on GET."""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect

from registry.pages.flows import FlowRefused
from registry.pages.stop import stop_page
from registry.pages.views import Page


class ConfirmPage(Page):
    """ "Confirm you want to …": `confirm_context()` says what, `act()` does it on POST.

    The page's context: `caption`, `heading`, `paragraphs`, `warning` (the GOV.UK warning text),
    `rows` (a summary list of what is affected), the button's label and whether it is a warning.
    """

    template_name = "pages/confirm.html"
    button_label = ""
    button_warning = False
    success_message = ""
    refusals: tuple[type[Exception], ...] = (FlowRefused,)

    def confirm_context(self) -> dict:
        return {}

    def act(self) -> None:
        raise NotImplementedError

    def cancel_url(self) -> str:
        raise NotImplementedError

    def done_url(self) -> str:
        return self.cancel_url()

    def get_success_message(self) -> str:
        return self.success_message

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            button_label=self.button_label,
            button_warning=self.button_warning,
            cancel_url=self.cancel_url(),
            back_url=self.cancel_url(),
            **{**self.confirm_context(), **kwargs},
        )

    def post(self, request, *args, **kwargs):
        try:
            with transaction.atomic():
                self.act()
        except self.refusals as error:
            if getattr(error, "stop", None) is not None:
                return stop_page(self, error.stop)
            message = error.message if isinstance(error, FlowRefused) else _first_message(error)
            messages.error(request, message)
            return redirect(self.cancel_url())
        except ObjectDoesNotExist:
            raise Http404 from None
        messages.success(request, self.get_success_message())
        return redirect(self.done_url())


def _first_message(error: Exception) -> str:
    return error.messages[0] if isinstance(error, ValidationError) else str(error)
