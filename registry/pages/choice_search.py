"""A question answered by choosing among what a search finds: the search box above the form, the
choices it found as radios (template `pages/choice_search.html`).

Until there is something to choose, the search box is the question: an answer missing is said
there, and the error summary links to it. What was chosen already stays on offer when someone
comes back to change the answer.
"""

import uuid
from collections.abc import Callable

from django import forms

# The search's parameter, in the address (GET) and carried with the answer (POST).
SEARCH = "q"


def is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def search_words(request) -> str:
    return " ".join((request.GET.get(SEARCH) or request.POST.get(SEARCH) or "").split())


def choice_search_context(
    form,
    *,
    field: str,
    words: str,
    found: list,
    choices,
    label: str,
    result: Callable[[int], str],
    label_from_instance: Callable | None = None,
) -> dict:
    """Make `form`'s `field` radios of what the search `words` found (`found`, among `choices`),
    and give the page its search box: `label`, and `result(count)` saying what was found."""
    ids = [each.pk for each in found]
    chosen = str((form.data if form.is_bound else form.initial).get(field) or "")
    if is_uuid(chosen):
        ids.append(chosen)
    question = form.fields[field]
    question.widget = forms.RadioSelect()
    question.empty_label = None
    if label_from_instance is not None:
        question.label_from_instance = label_from_instance
    question.queryset = choices.filter(pk__in=ids)
    offered = question.queryset.exists() if ids else False
    errors = form.errors.get(field) if form.is_bound else None
    return {
        "search": {
            "field": field,
            "query": words,
            "label": label,
            "result": result(len(found)) if words else "",
            "offered": offered,
            "error": errors[0] if errors and not offered else None,
            "input_id": f"id_{field}_0" if not offered else "choice-search",
        }
    }
