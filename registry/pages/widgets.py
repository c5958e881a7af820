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


class RadiosWithReveal(RadioWithHints):
    """Radios where choosing an option shows a further question under it (GOV.UK's conditional reveal).

    `reveals` is {value: name of another field of the form}, e.g. {"another_day": "onboarded_on"}.
    The form calls `bind_reveals(self)` once made, so the field template can draw each revealed
    question inside its option (`attrs.reveal`, a bound field) and not again on its own. Without
    JavaScript every revealed question is shown; `pages.js` hides those whose option is not chosen.
    """

    def __init__(self, attrs=None, choices=(), *, hints: dict | None = None, reveals: dict | None = None):
        super().__init__(attrs, choices, hints=hints)
        self.reveals = {str(value): name for value, name in (reveals or {}).items()}
        self.revealed = {}

    def __deepcopy__(self, memo):
        copied = super().__deepcopy__(memo)
        copied.reveals, copied.revealed = dict(self.reveals), {}
        return copied

    def bind_reveals(self, form, radio_name: str) -> None:
        for value, name in self.reveals.items():
            if name in form.fields:
                form.fields[name].revealed_by = radio_name
                self.revealed[value] = form[name]

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if revealed := self.revealed.get(str(value)):
            option_id = option["attrs"].get("id") or f"{name}_{index}"
            option["attrs"] = {**option["attrs"], "reveal": revealed, "reveal_id": f"{option_id}-conditional"}
        return option


def bind_reveals(form) -> None:
    """Let each of `form`'s `RadiosWithReveal` draw the questions its options reveal."""
    for name, field in form.fields.items():
        if isinstance(field.widget, RadiosWithReveal):
            field.widget.bind_reveals(form, name)


def is_revealed(bound_field) -> bool:
    """Whether a question is drawn inside a radio option (and so not on its own)."""
    return bool(getattr(bound_field.field, "revealed_by", None))


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
