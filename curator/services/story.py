"""The audit log told in the words of the form: what History shows and ``curator log`` prints.

:func:`tell` turns one audit entry into a sentence that starts with who did
it and names fields by their labels (:mod:`curator.fields`), an arm's
fields by the comparison's arm label ("Ana entered Pimecrolimus arm: n:
267", "Ben confirmed Endpoint: Itch", "Cleo decided Comparator arm: value
(item 1): chose B, 58.0: Figure 2 reads 58.0", "Ana changed Endpoint from
'x' to 'y'"). Rows are numbered from 1 ("pime-vs-tcs row 3"). The stored
entries are not changed: their action names (``verify``, ``dispute``...)
stay what old logs hold, only the words told about them are chosen here.
:func:`when` gives an entry's time in local time, to the second.

:class:`Names` is what the log's ids name now (rows, comparisons,
references, documents), read once for a whole log.

Evidence (issue 14) is told in the words of a citation: a value "read from
p. 3 of Wahn 2002" (the document's reference's first author and year, else
its file name). A verification made here is followed in the log by what it
was checked against (``verified-against``); :func:`tell_all` tells the two
as one sentence: "Ben confirmed Pimecrolimus arm: value: 42.6, read from
p. 3 of Wahn 2002", or "..., without a located source".
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from curator.fields import reference_field, row_fields
from curator.naming import Arms, field_label, page_place, row_place, value_words

__all__ = ["Names", "tell", "tell_all", "when", "field_words", "row_words"]

#: The longest value quoted in a sentence; longer ones end in "…".
LONGEST = 80


@dataclass(frozen=True)
class Names:
    """What the audit log's ids name now."""

    #: row id -> (comparison key, 0-based position)
    rows: Mapping[int, tuple[str, int]] = field(default_factory=dict)
    #: comparison id -> (key, title, intervention label, comparator label)
    comparisons: Mapping[int, tuple[str, str, str, str]] = field(default_factory=dict)
    #: reference id -> key
    references: Mapping[int, str] = field(default_factory=dict)
    #: document sha256 -> its name in a sentence (``Wahn 2002``, else its file name)
    documents: Mapping[str, str] = field(default_factory=dict)

    def place(self, evidence: Mapping[str, Any]) -> str:
        """Where a value was read, from its evidence as the log keeps it: ``p. 3 of Wahn 2002``."""
        page = evidence.get("page", "?")
        source = self.documents.get(str(evidence.get("document")), "a document no longer in the review")
        return page_place(page, source)

    def arms(self, key: str | None) -> tuple[str, str]:
        """The arm labels of the comparison ``key`` ("" when unknown)."""
        for cmp_key, _title, intervention, comparator in self.comparisons.values():
            if cmp_key == key:
                return intervention, comparator
        return "", ""


def when(at: datetime | str) -> str:
    """An entry's time as people read it: local time, to the second (stored times are UTC)."""
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    at = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return at.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def field_words(path: str, arms: tuple[str, str] = ("", "")) -> str:
    """A row field as the form names it (:func:`curator.naming.field_label`): ``intervention.n`` ->
    "Pimecrolimus arm: n"; "Intervention n" when the arm has no label."""
    return field_label(path, Arms(*arms))


def row_words(key: str, position: int) -> str:
    """A row as people count them (:func:`curator.naming.row_place`): ``row 3 of pime-vs-tcs`` for position 2."""
    return row_place(key, position)


def _plural(count: Any, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _value(text: Any) -> str:
    """A value in a sentence: one line, at most :data:`LONGEST` characters, "(empty)" for nothing."""
    if text is None or text == "":
        return "(empty)"
    if isinstance(text, list):
        text = "; ".join(str(t) for t in text)
    shown = re.sub(r"\s*[\t\n]+\s*", " │ ", str(text)).strip()
    return shown if len(shown) <= LONGEST else shown[: LONGEST - 1].rstrip() + "…"


def _quoted(text: Any) -> str:
    text = _listed(text)
    return "(empty)" if text is None or text == "" else f"'{_value(text)}'"


def _listed(text: Any) -> Any:
    """A list stored as a JSON array (a reference's authors: '["Reitamo S", "Ruzicka T"]') as people write
    it, 'Reitamo S; Ruzicka T'; '[]' as nothing. Any other value as it is."""
    if not isinstance(text, str) or not text.startswith("["):
        return text
    try:
        items = json.loads(text)
    except (ValueError, RecursionError):
        return text
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        return text
    return "; ".join(items)


def _json(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _span(text: str | None) -> str:
    """``key[2..5]`` -> ``rows 3–6 of key``; ``key[2]`` -> ``row 3 of key``; ``2..5`` -> ``3–6``."""
    text = text or ""
    m = re.fullmatch(r"(?:(.+)\[)?(\d+)(?:\.\.(\d+))?\]?", text)
    if m is None:
        return text
    key, first = m[1], int(m[2]) + 1
    last = int(m[3]) + 1 if m[3] is not None else first
    span = f"{first}–{last}" if last != first else f"{first}"
    if key is None:
        return span
    return f"{'rows' if last != first else 'row'} {span} of {key}"


_CHOICES = {"a": "chose A", "b": "chose B", "new": "chose a new value"}


def _row_values(snapshot: Mapping[str, Any], arms: tuple[str, str]) -> str:
    endpoint = snapshot.get("endpoint")
    valued = sum(
        1
        for f in row_fields()
        if f.verifiable and (snapshot.get(f.column) if f.column else snapshot.get(f.path)) not in (None, "", [])
    )
    head = f"'{_value(endpoint)}'" if endpoint else "a row"
    return f"{head} ({_plural(valued, 'value')})"


#: What a verification was checked against, when the log does not say (entries older than issue 14).
_UNSAID: Any = object()


def tell_all(
    entries: Sequence[Mapping[str, Any]], names: Names, *, row: bool = True
) -> list[tuple[Mapping[str, Any], str]]:
    """Each audit entry with its sentence (:func:`tell`), a verification and what it was checked against
    (the ``verified-against`` entry right after it) told as one: the verification's entry with the
    sentence of both, the other's sentence empty (nothing more to show). A paper no longer in the review
    is named by the file its own entries gave it."""
    gone = {
        str(snap["sha256"]): str(snap["file"])
        for entry in entries
        if entry["table_name"] == "document" and entry["action"] in ("insert", "delete")
        for snap in [_json(entry["new"] if entry["action"] == "insert" else entry["old"])]
        if snap.get("sha256") and snap.get("file") and str(snap["sha256"]) not in names.documents
    }
    if gone:
        names = replace(names, documents={**gone, **names.documents})
    out: list[tuple[Mapping[str, Any], str]] = []
    for entry in entries:
        last = out[-1][0] if out else None
        if (
            entry["action"] == "verified-against"
            and last is not None
            and last["action"] == "verify"
            and (last["row_id"], last["field"], last["who"]) == (entry["row_id"], entry["field"], entry["who"])
        ):
            out[-1] = (last, tell(last, names, row=row, against=entry["new"]))
            out.append((entry, ""))
            continue
        out.append((entry, tell(entry, names, row=row)))
    return out


def tell(entry: Mapping[str, Any], names: Names, *, row: bool = True, against: Any = _UNSAID) -> str:
    """One audit entry as a sentence starting with who did it; ``row=False`` leaves out which row (for the
    history of one row). ``against`` is, for a verification, what it was checked against (the evidence
    as the log keeps it, or None: no located source)."""
    who, table = entry["who"], entry["table_name"]
    if str(entry["action"]).startswith("sql-"):
        return _tell_sql(entry, names, row)
    if table == "endpoint_row":
        return _tell_row(entry, names, row, against)
    return f"{who} {_tell_other(entry, names)}"


#: What a server-written entry (a team review's change made outside Curator, issue 16) did.
_SQL_VERBS = {"sql-insert": "added", "sql-update": "changed", "sql-delete": "deleted"}


def _column_field(column: str) -> str | None:
    """The field (dotted path) a row's column holds, if any."""
    for entry in row_fields():
        if column in (entry.column, entry.number_column):
            return entry.path
    return None


def _tell_sql(entry: Mapping[str, Any], names: Names, with_row: bool) -> str:
    """An entry the server wrote for a change made with SQL, outside Curator: who, what, and so."""
    who, action, table, row_id, name = (entry[k] for k in ("who", "action", "table_name", "row_id", "field"))
    verb = _SQL_VERBS.get(str(action), str(action))
    place = names.rows.get(row_id) if table == "endpoint_row" and row_id is not None else None
    if table == "endpoint_row":
        thing = row_words(*place) if place and with_row else "the row" if place else "a row deleted since"
    else:
        thing = f"{table.replace('_', ' ')} record {row_id}" if row_id is not None else table.replace("_", " ")
    if action == "sql-update" and name:
        path = _column_field(name) if table == "endpoint_row" else None
        label = field_words(path, names.arms(place[0] if place else None)) if path else _label(table, name)
        what = f"{label} of {thing}" if with_row or not place else label
        return f"{who} changed {what} from {_value(entry['old'])} to {_value(entry['new'])} with SQL, outside Curator"
    return f"{who} {verb} {thing} with SQL, outside Curator"


def _tell_row(entry: Mapping[str, Any], names: Names, with_row: bool, against: Any = _UNSAID) -> str:
    who, action, row_id, name = entry["who"], entry["action"], entry["row_id"], entry["field"]
    old, new = entry["old"], entry["new"]
    snapshot = _json(old if action == "delete" else new) if action in ("insert", "delete") else {}
    place = names.rows.get(row_id) if row_id is not None else None
    key = place[0] if place else snapshot.get("comparison")
    label = field_words(name, names.arms(key)) if name else ""
    if name:
        old, new = value_words(name, old), value_words(name, new)
    if action in ("evidence", "verified-against"):
        sentence = _evidence_sentence(who, action, label, entry["old"], entry["new"], names)
    else:
        sentence = _row_sentence(who, action, name, label, old, new, snapshot, names, key)
        if action == "verify" and against is not _UNSAID:
            sentence += _checked_against(against, names)
    if not with_row or row_id is None:
        return sentence
    if place is not None:
        return f"{row_words(*place)}: {sentence}"
    if action == "delete" and snapshot.get("comparison") is not None and snapshot.get("position") is not None:
        return f"{row_words(snapshot['comparison'], int(snapshot['position']))}: {sentence}"
    return f"a row deleted since: {sentence}"


def _row_sentence(
    who: str,
    action: str,
    name: str | None,
    label: str,
    old: Any,
    new: Any,
    snapshot: Mapping[str, Any],
    names: Names,
    key: Any,
) -> str:
    """An entry about a row, without naming the row."""

    if action == "insert":
        return f"{who} entered the row {_row_values(snapshot, names.arms(key))}{_inserted_from(snapshot)}"
    if action == "delete":
        return f"{who} deleted the row {_row_values(snapshot, names.arms(key))}"
    if action == "verify":
        if old:
            return f"{who} recorded {old}'s confirmation of {label}: {_value(new)} (from a merge)"
        return f"{who} confirmed {label}: {_value(new)}"
    if action == "reverify":
        return (
            f"{who} undid back to {label}: {_value(new)}, the value {old} had confirmed: it counts as confirmed again"
        )
    if action == "dispute":
        return f"{who} disputed {label}: {_value(old)}, saying: {new}"
    if action == "unverify":
        return f"{label} needs confirming again: the confirmed value {_quoted(old)} became {_quoted(new)}"
    if action == "claim":
        source = f"per file {old}" if old else "per the content entered"
        return f"{who} took the row as its file says: {new}, {source} (a claim, not a verification made here)"
    if action == "double-entry":
        arms = names.arms(key)
        typed = "; ".join(
            f"{field_words(k, arms)}: {_value(value_words(k, v) if isinstance(v, str) else v)}"
            for k, v in _json(new).items()
        )
        return f"{who} entered the row again, blind: {typed or 'nothing'}"
    if action == "open-adjudication":
        d = _json(new)
        return (
            f"{who} sent {label} to adjudication (item {d.get('item')}): "
            f"A {_quoted(d.get('a'))} ({d.get('who_a') or '?'}) or B {_quoted(d.get('b'))} ({d.get('who_b') or '?'}), "
            f"from {d.get('origin')}"
        )
    if action == "adjudicate":
        d, was = _json(new), _json(old)
        reason = f": {d['reason']}" if d.get("reason") else ""
        choice = _CHOICES.get(str(d.get("choice")), str(d.get("choice")))
        return f"{who} decided {label} (item {was.get('item')}): {choice}, {_value(d.get('value'))}{reason}"
    if action == "update":
        return _tell_row_update(who, name, label, old, new)
    return f"{who} {action} {label}".rstrip()


def _inserted_from(snapshot: Mapping[str, Any]) -> str:
    """The end of an inserted row's sentence: the file it came from, and what its status claims (a row's
    claim is told with its insert since December 2026; before, by a ``claim`` entry of its own)."""
    from curator.store.verified_here import claim_words

    origin = snapshot.get("origin")
    said = f" from file {origin}" if origin else ""
    if snapshot.get("status_claimed"):
        words = claim_words(str(snapshot.get("status") or ""), snapshot.get("verified_by"))
        source = "the file says" if origin else "the content entered says"
        said += f", taking its status as {source}: {words} (a claim, not a verification made here)"
    return said


def _checked_against(evidence: str | None, names: Names) -> str:
    """What a verification was checked against, to end its sentence: ``, read from p. 3 of Wahn 2002``."""
    place = _json(evidence)
    return f", read from {names.place(place)}" if place else ", without a located source"


def _evidence_sentence(who: str, action: str, label: str, old: str | None, new: str | None, names: Names) -> str:
    """Where a value was read, set, changed or cleared; or what a verification was checked against, told alone."""
    if action == "verified-against":
        value = f" ({_value(old)})" if old else ""
        place = _json(new)
        if place:
            return f"{who} verified {label}{value} against {names.place(place)}"
        return f"{who} verified {label}{value} without a located source"
    was, now = _json(old), _json(new)
    if not now:
        return f"{who} cleared where {label} was read (it was {names.place(was)})"
    text = f": {_quoted(now['text'])}" if now.get("text") else ""
    before = f" (was {names.place(was)})" if was else ""
    return f"{who} recorded {label} as read from {names.place(now)}{text}{before}"


def _tell_row_update(who: str, name: str | None, label: str, old: Any, new: Any) -> str:
    if name == "status":
        return f"The row is now {new} (was {old})"
    if name == "verified_by":
        return f"The row is now verified by {new}" if new else f"The row is no longer verified by {old}"
    if name == "position":
        return f"{who} moved {_span(old)} to {_span(new)}"
    if old is None:
        return f"{who} entered {label}: {_value(new)}"
    if new is None:
        return f"{who} cleared {label} (it was {_quoted(old)})"
    return f"{who} changed {label} from {_quoted(old)} to {_quoted(new)}"


def _label(table: str, name: str) -> str:
    if table == "reference":
        try:
            return reference_field(name).label
        except KeyError:
            pass
    return name.replace("_", " ").capitalize()


def _tell_other(entry: Mapping[str, Any], names: Names) -> str:
    """An entry about anything but a row, without who."""
    action, table, row_id, name = entry["action"], entry["table_name"], entry["row_id"], entry["field"]
    old, new = entry["old"], entry["new"]
    snap = _json(old if action == "delete" else new) if action in ("insert", "delete") else {}
    if action == "merge":
        d = _json(new)
        rows, comparisons = d.get("rows"), d.get("comparisons")
        return f"merged {d.get('theirs')} ({_plural(rows, 'row')} in {_plural(comparisons, 'comparison')})"
    if table == "review":
        if action == "insert":
            return f"created the review {_quoted(snap.get('title'))}"
        return f"changed the review's {_label(table, name or '')} from {_quoted(old)} to {_quoted(new)}"
    if table == "reference":
        ref = snap.get("key") or names.references.get(row_id or -1)
        what = f"reference {ref}" if ref else "a reference"
        title = f": {_quoted(snap['title'])}" if snap.get("title") else ""
        if action == "insert":
            return f"added {what}{title}"
        if action == "delete":
            return f"deleted {what}{title}"
        if name == "position":
            return f"moved references {_span(old)} to {_span(new)}"
        return f"changed {what}'s {_label(table, name or '')} from {_quoted(old)} to {_quoted(new)}"
    if table == "comparison":
        found = names.comparisons.get(row_id or -1)
        cmp_key = snap.get("key") or (found[0] if found else None)
        what = f"comparison {cmp_key}" if cmp_key else "a comparison"
        if action == "insert":
            return f"added {what}: {_quoted(snap.get('title'))}"
        if action == "delete":
            return f"deleted {what}: {_quoted(snap.get('title'))}"
        if name == "position":
            return f"moved comparisons {_span(old)} to {_span(new)}"
        return f"changed {what}'s {_label(table, name or '')} from {_quoted(old)} to {_quoted(new)}"
    if table == "citation":
        if action == "delete":
            return f"removed a citation of reference {snap.get('reference_key')}"
        return f"re-pointed a citation from reference {old} to reference {new}"
    if table == "accepted_finding":
        rule = snap.get("rule")
        if action == "insert":
            return f"accepted a finding ({rule}): {snap.get('reason')}"
        if action == "delete":
            return f"withdrew the acceptance of a finding ({rule})"
        if name == "row":
            return f"moved an accepted finding from row {_span(str(old))} to row {_span(str(new))}"
        return f"changed an accepted finding's {_label(table, name or '')} from {_quoted(old)} to {_quoted(new)}"
    if table == "document" and action in ("insert", "delete"):
        return f"{'added' if action == 'insert' else 'deleted'} source document {_quoted(snap.get('file'))}"
    if table == "document_blob" and action in ("insert", "delete"):
        sha = str(snap.get("sha256") or "")
        named = names.documents.get(sha)
        paper = _quoted(named) if named else f"a paper (SHA-256 {sha[:12]})"
        if action == "insert":
            size = snap.get("size")
            return f"stored the file of {paper}" + (f" ({int(size):,} bytes)" if isinstance(size, int) else "")
        return f"removed the file of {paper} from the review"
    if table == "evidence" and action == "insert":
        paths = ", ".join(snap.get("evidence") or {})
        return f"recorded where a row's {paths} was read (from a merge)"
    what = f"{action} {table} {row_id if row_id is not None else ''}".rstrip()
    return f"{what} {name}: {_quoted(old)} -> {_quoted(new)}" if name else what
