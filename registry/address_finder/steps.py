"""An address asked in any flow: find it by postcode, choose it, or type it in.

    find ──(results)──▶ select ──(complete)──▶ check your answers
      │                   │
      │                   └─(incomplete: the address form, filled in, what is missing asked for)
      └─(none found, or the finder down, slow or broken: the address form, with why, and the postcode kept)

The address chosen is complete when the address form takes it as it is; otherwise that form is
shown filled in, with what is missing (or wrong) said as its errors.

"Enter the address manually", a link on the find and select pages, goes straight to the address
form. Without `ORDNANCE_SURVEY_API_KEY` the finder is not offered: the address form is the first
step. Whichever way, the address is the address form's answers (`FinderAddressForm`), so check
your answers shows it, its Change links open that form, and saving takes its `answers()`, which
include the UPRN and coordinates of the address found while it is still that address.

To ask an address in a flow: put `AddressFinderFlow` before `Flow` among its bases, and
`address_steps()` among its steps (with slugs of their own if the address is not the flow's first
question). The flow's own `form_kwargs`, `step_answered`, `check_rows`, `render_step` and
`render_form`, if it has them, hand the steps they do not know to `super()`. Its `save` is given the
address as `address_create` takes it (with `uprn`, `latitude` and `longitude`), among its answers.
"""

from django.shortcuts import redirect

from registry.address_finder import places
from registry.address_finder.forms import (
    CHOOSE_FIELDS,
    FIND_FIELDS,
    ChooseAddressForm,
    FindAddressForm,
    FinderAddressForm,
)
from registry.address_finder.found import FoundAddress
from registry.pages.flows import Step
from registry.validators import ADDRESS_FIELDS

# What the draft keeps about the finder, beside the questions' answers.
ROUTE = "address_route"  # "manual" once the address is to be typed in; otherwise the finder is used
FOUND_LIST = "found_addresses"  # the last search's addresses (FoundAddress.to_draft() each)
FOUND = "found_address_details"  # the address chosen, as the finder gave it
NOTICE = "address_notice"  # why the address form is shown instead of the finder's results
MANUAL = "manual"

# The query string of "Enter the address manually" (a link to the address form).
MANUALLY = "manually"

NOTICES = {
    "not_configured": "Finding an address by its postcode is not available. Enter the address below.",
    "unavailable": "Addresses cannot be found by postcode at the moment. Enter the address below.",
    "incomplete": "The address found is missing some details. Enter them below.",
    "to_correct": "Some details of the address found need changing. Change them below.",
}
# The notices of an address found that the address form shows with its errors.
CORRECTING = ("incomplete", "to_correct")


def _finding(answers: dict) -> bool:
    return places.is_configured() and answers.get(ROUTE) != MANUAL


def _choosing(answers: dict) -> bool:
    return _finding(answers) and bool(answers.get(FOUND_LIST))


def address_steps(
    *, find: str = "", select: str = "select", manual: str = MANUAL, title: str = "Address"
) -> tuple[Step, Step, Step]:
    """The three steps of an address question, at these slugs; `title` heads the address form."""
    return (
        Step(find, "Find an address", FIND_FIELDS, FindAddressForm, _finding),
        Step(select, "Select an address", CHOOSE_FIELDS, ChooseAddressForm, _choosing),
        Step(manual, title, ADDRESS_FIELDS, FinderAddressForm),
    )


def found_addresses(answers: dict) -> list[FoundAddress]:
    return [FoundAddress.from_draft(each) for each in answers.get(FOUND_LIST) or []]


def searched_for(answers: dict) -> str:
    """ "SW1A 2AA", or "‘10’ at SW1A 2AA" when a building was given."""
    postcode, building = answers.get("find_postcode", ""), answers.get("find_building", "")
    return f"‘{building}’ at {postcode}" if building else postcode


class AddressFinderFlow:
    """The finder's part of a `Flow` whose steps include `address_steps()`. Mix it in first."""

    def _step_of(self, form_class) -> Step:
        return next(step for step in self.steps if step.form_class is form_class)

    # The questions -------------------------------------------------------------------------------

    def form_kwargs(self, step, answers):
        if step.form_class is FindAddressForm:
            return {}
        if step.form_class is ChooseAddressForm:
            found = found_addresses(answers)
            count = len(found)
            hint = f"{count} address{'es' if count != 1 else ''} found for {searched_for(answers)}"
            return {"found": found, "hint": hint}
        if step.form_class is FinderAddressForm:
            return {"found": answers.get(FOUND) or None}
        return super().form_kwargs(step, answers)

    def step_answered(self, step, form, answers, visited):
        super().step_answered(step, form, answers, visited)
        if step.form_class is FindAddressForm:
            self._search(answers, visited)
        elif step.form_class is ChooseAddressForm:
            self._choose(answers, visited)
        elif step.form_class is FinderAddressForm:
            answers[NOTICE] = ""

    def _search(self, answers, visited):
        """Ask OS, once, and keep what it found: the select step offers it. A search asks the
        address again: what was chosen or typed before waits to be replaced or confirmed."""
        visited.difference_update({self._step_of(ChooseAddressForm).slug, self._step_of(FinderAddressForm).slug})
        answers.update({FOUND_LIST: [], FOUND: None, NOTICE: ""})
        try:
            found = places.addresses_at(answers["find_postcode"], answers.get("find_building") or None)
        except places.AddressFinderUnavailable:
            found, answers[NOTICE] = [], "unavailable"
        if found:
            answers[FOUND_LIST] = [address.to_draft() for address in found]
            return
        # Nothing to choose from: the address is typed in, starting from what the search said.
        answers[ROUTE] = MANUAL
        answers[NOTICE] = answers[NOTICE] or "none_found"
        answers["postcode"] = answers["find_postcode"]
        if answers.get("find_building") and not answers.get("address_line_1"):
            answers["address_line_1"] = answers["find_building"]

    def _choose(self, answers, visited):
        """The address chosen becomes the address form's answers; only if the register would not
        take it as it is (a part missing, say) is that form asked, with what is wrong said."""
        chosen = found_addresses(answers)[int(answers["found_address"])]
        answers.update({**chosen.answers(), FOUND: chosen.to_draft()})
        manual = self._step_of(FinderAddressForm)
        if self.form(manual, answers, answers).is_valid():
            answers[NOTICE] = ""
            visited.add(manual.slug)
        else:
            answers[NOTICE] = "to_correct" if chosen.is_complete else "incomplete"
            visited.discard(manual.slug)

    # The pages -----------------------------------------------------------------------------------

    def _set_answers(self, **changes) -> None:
        draft = self.draft.get()
        self.draft.save({**draft, "answers": {**draft.get("answers", {}), **changes}})

    def step_get(self):
        step = self.current_step()
        if self.draft.exists() and step.form_class is FindAddressForm:
            self._set_answers(**{ROUTE: ""})  # searching (again)
        if self.draft.exists() and step.form_class is FinderAddressForm and MANUALLY in self.request.GET:
            answers = self.draft.get()["answers"]
            postcode = answers.get("postcode") or answers.get("find_postcode", "")
            self._set_answers(**{ROUTE: MANUAL, NOTICE: "", "postcode": postcode})
            return redirect(self.page_url(step.slug))
        return super().step_get()

    def step_post(self):
        if self.draft.exists() and self.current_step().form_class is FindAddressForm:
            self._set_answers(**{ROUTE: ""})
        return super().step_post()

    def render_step(self, step, form):
        if step.form_class is FinderAddressForm and not form.is_bound:
            draft = self.draft.get()
            if draft["answers"].get(NOTICE) in CORRECTING and step.slug not in draft.get("visited", []):
                # What the finder did not give, or gave in a way the register does not take, is
                # asked for as a missing or wrong answer is.
                form = self.form(step, draft["answers"], draft["answers"])
                form.is_valid()
        return super().render_step(step, form)

    def render_form(self, form, **context):
        asked = type(form)
        if asked not in {FindAddressForm, ChooseAddressForm, FinderAddressForm}:
            return super().render_form(form, **context)
        self.form_template_name = "pages/address_finder.html"
        answers = self.draft.get().get("answers", {})
        manual = self._step_of(FinderAddressForm)
        if asked is FindAddressForm:
            context["submit_label"] = "Find address"
        if asked is not FinderAddressForm:
            context["manual_url"] = f"{self.page_url(manual.slug)}?{MANUALLY}"
        else:
            context["finder_notice"] = self._notice(answers)
            if places.is_configured() and answers.get(ROUTE) == MANUAL:
                # Back to the search, to search again.
                context["back_url"] = self.page_url(self._step_of(FindAddressForm).slug)
        return super().render_form(form, **context)

    def _notice(self, answers) -> dict | None:
        if not places.is_configured():
            return {"text": NOTICES["not_configured"]}
        notice = answers.get(NOTICE)
        if notice == "none_found":
            return {
                "text": f"No address was found for {searched_for(answers)}. Enter the address below, or",
                "link_label": "search again",
                "link_url": self.page_url(self._step_of(FindAddressForm).slug),
            }
        return {"text": NOTICES[notice]} if notice in NOTICES else None

    # Check your answers ----------------------------------------------------------------------------

    def check_rows(self, answers):
        rows = [row for row in super().check_rows(answers) if row["field"] not in (*FIND_FIELDS, *CHOOSE_FIELDS)]
        manual = self._step_of(FinderAddressForm)
        form = self.form(manual, answers, answers)
        if form.is_valid() and (kept := form.kept_from_finder()) and kept.latitude and kept.longitude:
            location = {"field": "location", "label": "Location", "change_url": None}
            location["value"] = f"Latitude {kept.latitude}, longitude {kept.longitude}"
            at = next(index for index, row in enumerate(rows) if row["field"] == "postcode") + 1
            rows.insert(at, location)
        return rows
