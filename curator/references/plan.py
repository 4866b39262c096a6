"""Planning an import: which records are new, which duplicate a reference.

:func:`plan_import` compares the incoming records with the review's
references and with the earlier records of the same file. A record that
matches nothing is new and gets a key at once. A record that matches
becomes a :class:`DuplicatePair` whose ``decision`` the caller sets, pair by
pair (the GUI shows the pair, the CLI may decide all at once): ``"merge"``
fills the empty fields of the reference it matched (never overwriting a
filled one), ``"keep"`` adds it as a new reference with a fresh key,
``"skip"`` leaves the record out. A pair where the record adds nothing and
contradicts nothing (importing the same file twice) is decided ``"merge"``
already. A pair is *certain* when the two share a DOI or a PMID: reference
managers (Zotero, EndNote) merge those without asking, and
:meth:`ImportPlan.merge_certain` does the same; only the uncertain ones (a
title equal or nearly so, no shared identifier) need a person.
:meth:`ImportPlan.apply` turns the decisions into references to add and
fields to update; nothing is written here.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from curator.fields import merged_fields
from curator.references.keys import KeyAllocator
from curator.references.matching import best_matches, describe, normalize_doi
from curator.review import Reference

__all__ = ["MERGED_FIELDS", "DECISIONS", "CERTAIN", "DuplicatePair", "ImportPlan", "plan_import", "fill_empty"]

#: The fields a merge fills (all but the key and extensions).
MERGED_FIELDS = merged_fields()
DECISIONS = ("merge", "keep", "skip")
#: The reasons that make two records certainly the same work: a shared identifier.
CERTAIN = ("DOI", "PMID")


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _same(name: str, a: Any, b: Any) -> bool:
    if name == "doi":
        return bool(normalize_doi(a) == normalize_doi(b))
    return bool(a == b)


def fill_empty(target: Reference, source: Reference) -> dict[str, Any]:
    """The fields empty in ``target`` and set in ``source``, with ``source``'s values."""
    return {
        name: copy.copy(getattr(source, name))
        for name in MERGED_FIELDS
        if _empty(getattr(target, name)) and not _empty(getattr(source, name))
    }


@dataclass(slots=True)
class DuplicatePair:
    """An incoming record that looks like a reference already there.

    ``existing`` is a reference of the review or, when ``in_file`` is true,
    an earlier record of the same file. ``why`` says why they match
    (``"same DOI, same title"``); ``where`` is the incoming record's place in
    its file. Set ``decision`` to ``"merge"``, ``"keep"`` or ``"skip"``.
    """

    existing: Reference
    incoming: Reference
    reasons: tuple[str, ...]
    in_file: bool = False
    where: str | None = None
    decision: str | None = None
    index: int = 0

    @property
    def why(self) -> str:
        return ", ".join(describe(r) for r in self.reasons)

    @property
    def certain(self) -> bool:
        """True when the two share a DOI or a PMID: the same work, whatever else differs."""
        return any(reason in CERTAIN for reason in self.reasons)

    def fills(self) -> dict[str, Any]:
        """What a merge would fill in ``existing``: field -> incoming value."""
        return fill_empty(self.existing, self.incoming)

    def conflicts(self) -> dict[str, tuple[Any, Any]]:
        """Fields set in both with different values: field -> (existing, incoming)."""
        out: dict[str, tuple[Any, Any]] = {}
        for name in MERGED_FIELDS:
            a, b = getattr(self.existing, name), getattr(self.incoming, name)
            if not _empty(a) and not _empty(b) and not _same(name, a, b):
                out[name] = (a, b)
        return out

    @property
    def identical(self) -> bool:
        """True when the incoming record adds nothing and contradicts nothing."""
        return not self.fills() and not self.conflicts()


@dataclass(slots=True)
class ImportPlan:
    """New references (keys given) and duplicate pairs awaiting decisions."""

    new: list[Reference] = field(default_factory=list)
    pairs: list[DuplicatePair] = field(default_factory=list)
    new_where: list[str | None] = field(default_factory=list)
    _keys: KeyAllocator = field(default_factory=lambda: KeyAllocator(()))
    _new_index: list[int] = field(default_factory=list)

    @property
    def undecided(self) -> list[DuplicatePair]:
        """The pairs whose decision is still to be made."""
        return [p for p in self.pairs if p.decision not in DECISIONS]

    def decide_all(self, decision: str, *, only_undecided: bool = True) -> None:
        """Set every pair's decision (only the undecided ones by default)."""
        if decision not in DECISIONS:
            raise ValueError(f"a decision is one of {DECISIONS}, not {decision!r}")
        for p in self.pairs:
            if not only_undecided or p.decision not in DECISIONS:
                p.decision = decision

    def merge_certain(self) -> list[DuplicatePair]:
        """Decide every undecided certain pair (a shared DOI or PMID) ``"merge"``; the pairs so decided."""
        merged = [p for p in self.undecided if p.certain]
        for p in merged:
            p.decision = "merge"
        return merged

    def left_out(self) -> list[DuplicatePair]:
        """The pairs whose record is not imported: decided ``"skip"``, or merged into an earlier record
        of the file that was itself left out."""
        out: list[DuplicatePair] = []
        gone: set[int] = set()
        for p in sorted(self.pairs, key=lambda p: p.index):
            if p.decision == "skip" or (p.decision == "merge" and p.in_file and id(p.existing) in gone):
                out.append(p)
                gone.add(id(p.incoming))
        return out

    def apply(self) -> tuple[list[Reference], list[tuple[Reference, dict[str, Any]]]]:
        """What to write: references to add, and (existing reference, fields to fill) to update.

        References to add are the new ones then the kept duplicates (given
        fresh keys), with anything merged into them. A record merged into
        an earlier record of the file that was itself merged goes to the
        same reference; a record left out (``"skip"``) goes nowhere, nor does
        one merged into it (see :meth:`left_out`). The plan is not changed:
        apply may be called again.
        """
        if self.undecided:
            raise ValueError(f"{len(self.undecided)} duplicate pair(s) have no decision")
        keys = KeyAllocator((), self._keys.mode)
        keys.taken, keys._next = set(self._keys.taken), self._keys._next
        added: list[Reference] = []
        kept: list[Reference] = []
        updates: dict[int, tuple[Reference, Reference]] = {}  # id(original) -> (original, working copy)
        fate: dict[int, Reference] = {}  # id(incoming) -> the working reference it became or went into

        events: list[tuple[int, Reference | DuplicatePair]] = [
            *zip(self._new_index, self.new, strict=True),
            *((p.index, p) for p in self.pairs),
        ]
        for _index, item in sorted(events, key=lambda e: e[0]):
            if isinstance(item, Reference):
                work = replace(item, authors=list(item.authors), extensions=dict(item.extensions))
                added.append(work)
                fate[id(item)] = work
                continue
            pair = item
            if pair.decision == "skip":
                continue
            if pair.decision == "keep":
                work = replace(pair.incoming, key=keys.key(pair.incoming.key), authors=list(pair.incoming.authors))
                kept.append(work)
                fate[id(pair.incoming)] = work
                continue
            if pair.in_file:
                if id(pair.existing) not in fate:
                    continue  # merged into an earlier record that was left out: left out too
                target = fate[id(pair.existing)]
            else:
                original = pair.existing
                if id(original) not in updates:
                    updates[id(original)] = (original, replace(original, authors=list(original.authors)))
                target = updates[id(original)][1]
            for name, value in fill_empty(target, pair.incoming).items():
                setattr(target, name, value)
            fate[id(pair.incoming)] = target
        to_update = []
        for original, work in updates.values():
            changes = {n: getattr(work, n) for n in MERGED_FIELDS if getattr(work, n) != getattr(original, n)}
            if changes:
                to_update.append((original, changes))
        return added + kept, to_update


def plan_import(
    existing: Sequence[Reference],
    incoming: Sequence[Reference],
    *,
    keys: str = "number",
    where: Sequence[str] | None = None,
) -> ImportPlan:
    """Compare ``incoming`` records with ``existing`` references and with each other.

    ``keys`` is ``"number"`` (the next free numbers) or ``"source"`` (each
    record's own citation key, held in its ``key``, made unique). ``where``
    gives each record's place in its file, for the pairs shown to the user.
    Incoming records are not changed: new ones are copies with their keys.
    """
    allocator = KeyAllocator((r.key for r in existing), keys)
    n = len(existing)
    # Each record's best match: a reference of the review before an earlier record of the file,
    # then the surest reason (DOI, PMID, title, near title), then the first.
    best = best_matches([*existing, *incoming], n)
    plan = ImportPlan(_keys=allocator)
    new_by_index: dict[int, Reference] = {}
    for i, ref in enumerate(incoming):
        place = where[i] if where is not None else None
        match = best.get(n + i)
        if match is None:
            copy_ = replace(ref, key=allocator.key(ref.key), authors=list(ref.authors), extensions=dict(ref.extensions))
            plan.new.append(copy_)
            plan.new_where.append(place)
            plan._new_index.append(i)
            new_by_index[i] = ref
            continue
        a, reasons = match
        in_file = a >= n
        other = incoming[a - n] if in_file else existing[a]
        pair = DuplicatePair(other, ref, tuple(reasons), in_file=in_file, where=place, index=i)
        if pair.identical:
            pair.decision = "merge"
        plan.pairs.append(pair)
    # An in-file pair shows the earlier record as the user will see it: with its key.
    shown = {id(new_by_index[i]): r for i, r in zip(plan._new_index, plan.new, strict=True)}
    for pair in plan.pairs:
        if pair.in_file and id(pair.existing) in shown:
            pair.existing = shown[id(pair.existing)]
    return plan
