"""Where a page of the feed starts: the place of the entry next to it, carried in the address.

The feed is ordered newest first by (when, source, history id), and a page is the entries just
after (older) or just before (newer) one place in that order. Finding them reads the first rows of
each table's index from that place, so a page far down the feed costs what the first page does;
a page number would have to count every change before it.
"""

import datetime
from typing import NamedTuple

_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
_MICROSECOND = datetime.timedelta(microseconds=1)


class FeedPlace(NamedTuple):
    """An entry's place in the feed: compared as the feed orders entries (greater is newer).

    A tuple rather than a dataclass: the export makes and compares one for every change it merges.
    """

    changed_at: datetime.datetime
    source_position: int  # the source's position in the filters' sources
    history_id: int

    def token(self) -> str:
        """ "1747836780123456.4.5821": microseconds since 1970, the source's position, the history id."""
        return f"{(self.changed_at - _EPOCH) // _MICROSECOND}.{self.source_position}.{self.history_id}"

    @classmethod
    def from_token(cls, token: str | None) -> "FeedPlace | None":
        """None for anything that is not a token (a hand-edited address gets the first page)."""
        try:
            micros, position, history_id = (int(part) for part in (token or "").split("."))
            changed_at = _EPOCH + datetime.timedelta(microseconds=micros)
        except (ValueError, OverflowError):
            return None
        if position < 0 or history_id < 0:
            return None
        return cls(changed_at, position, history_id)
