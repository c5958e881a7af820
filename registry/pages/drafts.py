"""Answers waiting on a check-your-answers page, kept in the session between the steps of a flow."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Draft:
    """One flow's answers, e.g. `Draft(request, "user-add")` or `Draft(request, f"user-edit:{pk}")`.

    Values must be JSON-serialisable: strings, numbers, booleans and lists of them.
    """

    request: object
    key: str

    @property
    def _session_key(self) -> str:
        return f"draft:{self.key}"

    def exists(self) -> bool:
        return self._session_key in self.request.session

    def get(self) -> dict:
        return dict(self.request.session.get(self._session_key, {}))

    def save(self, data: dict) -> None:
        self.request.session[self._session_key] = data

    def clear(self) -> None:
        self.request.session.pop(self._session_key, None)
