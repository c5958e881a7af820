"""Change flows: a flow that changes one record, starting from its answers and saving what changed.

Kept apart from `flows` (which adds things as well as changing them) for what only a change has: the
record's current answers as the flow's starting point, and the refusal to save over a change someone
else saved after the flow began.
"""

import datetime

from registry.pages.flows import Flow, FlowRefused, serialised

# What a person is told when someone else changed the record after their change flow began.
CHANGED_ELSEWHERE = (
    "Someone else changed this {thing} while you were making your changes, so your changes have not "
    "been saved. Check the {thing}'s details and make your changes again."
)


class ChangeFlow(Flow):
    """Changing one record: starts from its answers and saves what changed.

    Its "Save" refuses to write over a change someone else saved after the flow began (a lost
    update): the record's `updated_at` is kept in the draft when the flow starts, and compared,
    under a row lock, in the saving transaction (`before_save`).
    """

    # What the record is called in the refusal: "provider", "address".
    thing = "record"

    def changed_object(self):
        raise NotImplementedError

    def current_values(self) -> dict:
        record = self.changed_object()
        return {name: getattr(record, name) for step in self.steps for name in step.fields}

    def initial_answers(self) -> dict:
        return {name: serialised(value) for name, value in self.current_values().items()}

    def changes(self, answers: dict) -> dict:
        current = self.current_values()
        return {name: value for name, value in answers.items() if name in current and value != current[name]}

    def version(self) -> str:
        """The record's `updated_at` when the flow started: its "Save" refuses to write over a later change."""
        updated_at = getattr(self.changed_object(), "updated_at", None)
        return updated_at.isoformat() if updated_at else ""

    def started_at_version(self) -> datetime.datetime | None:
        version = self.started_version()
        return datetime.datetime.fromisoformat(version) if version else None

    def before_save(self) -> None:
        started = self.started_at_version()
        record = self.changed_object()
        if started is None or not hasattr(record, "updated_at"):
            return
        rows = type(record)._base_manager.select_for_update().filter(pk=record.pk)
        if rows.values_list("updated_at", flat=True).first() != started:
            raise FlowRefused(CHANGED_ELSEWHERE.format(thing=self.thing))
