"""Widgets the engine's field template draws in GOV.UK style (`pages/includes/field.html`)."""

from django import forms


class RadioWithHints(forms.RadioSelect):
    """Radios whose options may each have a hint under their label: `hints` is {value: hint}.

    The field template reads each option's `attrs.hint`, and `attrs.hint_id`, the id the option's
    input is described by.
    """

    def __init__(self, attrs=None, choices=(), *, hints: dict | None = None):
        super().__init__(attrs, choices)
        self.hints = {str(value): hint for value, hint in (hints or {}).items()}

    def __deepcopy__(self, memo):
        copied = super().__deepcopy__(memo)
        copied.hints = dict(self.hints)
        return copied

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        hint = self.hints.get(str(value))
        if hint:
            option_id = option["attrs"].get("id") or f"{name}_{index}"
            option["attrs"] = {**option["attrs"], "hint": hint, "hint_id": f"{option_id}-hint"}
        return option


class TextInput(forms.TextInput):
    """A GOV.UK text input: `app-input`, no autocomplete or spellcheck unless a form asks for them."""

    def __init__(self, attrs=None):
        super().__init__({"class": "app-input", "autocomplete": "off", "spellcheck": "false", **(attrs or {})})


class EmailInput(forms.EmailInput):
    def __init__(self, attrs=None):
        super().__init__({"class": "app-input", "autocomplete": "off", "spellcheck": "false", **(attrs or {})})


class Select(forms.Select):
    def __init__(self, attrs=None, choices=()):
        super().__init__({"class": "app-select", **(attrs or {})}, choices)
