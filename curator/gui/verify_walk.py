"""Verify mode's walk: which rows, in what order, which fields it stops at, and what it leaves open.

The walk starts at the window's current row and follows the rows the
verifier may verify and that are not verified
(:meth:`~curator.services.double_checking.DoubleChecking.rows_to_verify`), in
table order; a row with disputed fields is put at the end of the walk the
first time it comes up walking forward, so the plain rows come first. Within a
row it stops at every field still to decide (:data:`TO_DECIDE`, and not yet
decided in this walk). At its end it says what it did and what is still open,
row by row. It knows no Qt: :class:`~curator.gui.verify_view.VerifyDialog`
shows it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from curator.gui.verify_fields import TO_DECIDE
from curator.services import FieldState
from curator.services.story import field_words, row_words

__all__ = ["Walk", "plural"]

Place = tuple[str, int]


class Walk:
    """The rows to verify, from ``start`` on (wrapping round); ``start`` first even when the verifier may not
    verify it, so the core says why."""

    def __init__(self, rows: Sequence[Place], start: Place | None) -> None:
        rows = list(rows)
        if start is None:
            self.queue = rows
        elif start in rows:
            at = rows.index(start)
            self.queue = rows[at:] + rows[:at]
        else:
            self.queue = [start, *rows]
        #: The rows already put at the end of the walk for their disputes.
        self.deferred: set[Place] = set()
        #: Fields decided in this walk (confirmed, fixed, disputed, or an empty one passed by).
        self.decided: set[tuple[str, int, str]] = set()
        #: The fields still to decide of each row shown, as last read.
        self.still_open: dict[Place, list[FieldState]] = {}
        self.counts = {"confirmed": 0, "fixed": 0, "disputed": 0}
        #: The place in :attr:`queue` of the row shown (-1 before the first, ``len(queue)`` at the end).
        self.at = -1

    @property
    def current(self) -> Place | None:
        return self.queue[self.at] if 0 <= self.at < len(self.queue) else None

    def to_decide(self, place: Place, state: FieldState) -> bool:
        """Whether the walk stops at this field: it has a value, its state is one of :data:`TO_DECIDE`,
        and it was not decided in this walk."""
        decided = (place[0], place[1], state.field) in self.decided
        return state.value is not None and state.state in TO_DECIDE and not decided

    def defer(self, at: int, states: Sequence[FieldState], *, forward: bool) -> bool:
        """Put the row at place ``at`` (its fields ``states``) at the end of the walk when it has disputes and
        is met the first time walking forward (not the first row nor the last); whether it was."""
        place = self.queue[at]
        if (
            forward
            and at > 0
            and place not in self.deferred
            and any(s.state == "disputed" for s in states)
            and at < len(self.queue) - 1
        ):
            self.deferred.add(place)
            self.queue.append(self.queue.pop(at))
            return True
        return False

    def end_text(self, who: str, arms: Callable[[str], tuple[str, str]]) -> str:
        """What the walk did, and what is still open, row by row (``arms`` of a comparison name its fields)."""
        rows = len(self.queue)
        done = ", ".join(f"{what} {plural(n, 'field')}" for what, n in self.counts.items() if n)
        head = f"End of the walk: {plural(rows, 'row')}" + (f"; you {done}" if done else "") + "."
        still = [(place, fields) for place, fields in self.still_open.items() if fields]
        still.sort(key=lambda item: all(f.state == "unverified" for f in item[1]))  # disputes and changes first
        if not still:
            return f"{head} Every field of {'it' if rows == 1 else 'them'} is verified. Escape closes verify mode."
        lines = []
        for (key, position), fields in still[:6]:
            named = [f for f in fields if f.state != "unverified"]
            words = arms(key)
            said = [f"{field_words(f.field, words)} {_short_state(f, who)}" for f in named]
            unconfirmed = len(fields) - len(named)
            if unconfirmed:
                said.append(f"{plural(unconfirmed, 'field')} not confirmed")
            lines.append(f"• {row_words(key, position)}: {'; '.join(said)}")
        if len(still) > 6:
            lines.append(f"• and {plural(len(still) - 6, 'more row')}")
        return (
            f"{head} Still open:\n"
            + "\n".join(lines)
            + "\nA disputed field waits for someone to confirm or fix it (or for adjudication). "
            "PgUp goes back; Escape closes verify mode."
        )


def plural(count: int, one: str) -> str:
    return f"{count} {one if count == 1 else one + 's'}"


def _short_state(state: FieldState, who: str) -> str:
    if state.state == "disputed":
        return "disputed by you" if state.by == who else f"disputed by {state.by}"
    if state.state == "changed":
        return "changed since verified"
    return "not confirmed"
