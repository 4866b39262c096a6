"""A review's references: add, edit, delete, merge and import, one audited transaction each.

Importing references is one use case for the command line and the desktop
app alike (:meth:`References.import_files`): the plan is made inside the
write transaction, against the references as stored (not a window's copy of
them), so two imports cannot both add the same record. A record sharing a
DOI or PMID with a reference already there is merged into it without a
question (its empty fields filled, none overwritten, each audited), as
reference managers do; the caller decides the uncertain pairs (a title
equal or nearly so, no shared identifier) through a callback, or leaves
them out (``undecided="skip"``), or gives one policy for every pair
(``duplicates``); a pair left undecided otherwise refuses the whole import
with nothing written. What was merged and what was left out come back
with the counts (:class:`ReferenceImport`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from curator.errors import CuratorError
from curator.review import AcceptedFinding, Reference
from curator.services.review import Part
from curator.words import counted

if TYPE_CHECKING:
    from curator.formats.references import ReferenceFile
    from curator.references import DuplicatePair, ImportPlan

__all__ = [
    "References",
    "ReferenceImport",
    "read_reference_files",
    "undecided_message",
    "left_out_message",
    "already_there",
]

#: Decides the plan's undecided duplicate pairs (setting each pair's ``decision``
#: to "merge", "keep" or "skip"); returns False to abandon the import.
Decide = Callable[["ImportPlan"], bool]


@dataclass(slots=True)
class ReferenceImport:
    """What an import of reference files did: counts (``references`` added,
    ``references_merged``, ``references_left_out``, ``references_already_there``: references
    records matched that were there already, with nothing new in them), a line for each reference
    records were merged into, and the pairs whose record was left out."""

    counts: dict[str, int] = field(default_factory=dict)
    merged: list[str] = field(default_factory=list)
    left_out: list[DuplicatePair] = field(default_factory=list)


def is_reference_library(path: Path) -> bool:
    """True when ``path`` is a reference manager's file (RIS, PubMed, BibTeX, CSL-JSON), not a review."""
    from curator.formats.references import is_reference_file

    return is_reference_file(Path(path))


def read_reference_files(paths: Sequence[Path]) -> list[ReferenceFile]:
    """Read reference managers' files, refusing one that is none of RIS, PubMed, BibTeX, CSL-JSON or Web of
    Science, saying what it seems to be."""
    from curator.formats.references import is_reference_file, read_reference_file
    from curator.formats.references.reader import not_references

    files = []
    for path in paths:
        if not is_reference_file(Path(path)):
            raise CuratorError(f"{path}: {not_references(Path(path))}")
        files.append(read_reference_file(Path(path)))
    return files


def already_there(count: int) -> str:
    """``"3 references were already in the review"``: references records of the files matched, which got
    nothing new from them (the same file imported twice); "" for none."""
    if not count:
        return ""
    return f"{counted(count, 'reference')} {'was' if count == 1 else 'were'} already in the review"


def undecided_message(plan: ImportPlan) -> str:
    """Why an import with undecided duplicate pairs was not made, listing the pairs."""
    pairs = "\n".join(
        f"  {pair.where or 'record'}: {pair.why} as reference {pair.existing.key!r}"
        + (" (earlier in the file)" if pair.in_file else "")
        for pair in plan.undecided[:20]
    )
    more = f"\n  ... and {len(plan.undecided) - 20} more" if len(plan.undecided) > 20 else ""
    return (
        f"{counted(len(plan.undecided), 'record')} {'looks' if len(plan.undecided) == 1 else 'look'} like "
        "a reference already there or an earlier record, "
        "but no DOI or PMID says so for certain; nothing was imported. "
        f"Choose --duplicates merge (fill their empty fields) or --duplicates keep (add both):\n"
        f"{pairs}{more}"
    )


def _record(pair: DuplicatePair) -> str:
    return pair.where or "a record"


def _title(text: str | None, width: int = 100) -> str:
    text = " ".join((text or "").split())
    return repr(text if len(text) <= width else text[: width - 1] + "…") if text else "(no title)"


def left_out_message(pairs: Sequence[DuplicatePair]) -> str:
    """The records left out because only a person can tell whether they are references already there."""
    one = len(pairs) == 1
    lines = [
        f"{len(pairs)} record{'' if one else 's'} left out: {'it looks' if one else 'they look'} like "
        f"{'a reference' if one else 'references'} already there, but no DOI or PMID says so for certain:"
    ]
    for pair in pairs[:20]:
        other = "an earlier record of the file" if pair.in_file else f"reference {pair.existing.key}"
        lines.append(f"  {_record(pair)}: {pair.why} as {other}")
        lines.append(f"      in the file: {_title(pair.incoming.title)}")
        lines.append(f"      {other}: {_title(pair.existing.title)}")
    if len(pairs) > 20:
        lines.append(f"  ... and {len(pairs) - 20} more")
    lines.append(
        "Import the file again at a terminal to decide each, or choose for all: "
        "--duplicates merge (fill their empty fields) or --duplicates keep (add them as new references)."
    )
    return "\n".join(lines)


def _merged_lines(plan: ImportPlan, updates: Sequence[tuple[Any, dict[str, Any]]]) -> list[str]:
    """A line for each reference records were merged into: which records, why, and the fields filled."""
    from curator.fields import reference_field
    from curator.references.plan import MERGED_FIELDS

    filled = {ref.key: changes for ref, changes in updates}
    into: dict[str, list[DuplicatePair]] = {}
    for pair in plan.pairs:
        if pair.decision == "merge" and not pair.in_file:
            into.setdefault(pair.existing.key, []).append(pair)
    lines = []
    for key, pairs in into.items():
        changes = filled.get(key, {})
        records = "; ".join(f"{_record(p)} ({p.why})" for p in pairs)
        what = "filled " + ", ".join(reference_field(n).label for n in changes) if changes else "nothing new"
        differ = {name for p in pairs for name in p.conflicts()}
        kept = [reference_field(name).label for name in MERGED_FIELDS if name in differ]
        also = f"; kept its {', '.join(kept)} (the file's differ)" if kept else ""
        lines.append(f"reference {key}: merged {records}; {what}{also}")
    return lines


def _pairs(plan: ImportPlan) -> list[tuple[int, str, bool]]:
    """What identifies a plan's duplicate pairs: the record, what it matches, and whether in its own file."""
    return [(pair.index, pair.existing.key, pair.in_file) for pair in plan.pairs]


class References(Part):
    """The references of one open review."""

    def import_files(
        self,
        files: Sequence[ReferenceFile],
        *,
        keys: str = "number",
        duplicates: str | None = None,
        decide: Decide | None = None,
        undecided: str = "refuse",
        name_files: Callable[[ReferenceFile], str] = lambda rf: str(rf.path),
        session: Any = None,
    ) -> ReferenceImport:
        """Import the references of ``files`` in one transaction; what was added, merged and left out.

        A record sharing a DOI or PMID with a stored reference (or an
        earlier record) is merged into it, unasked. The uncertain pairs are
        decided by ``decide`` (asked with the plan: "merge", "keep" or
        "skip" each); those still undecided are left out with
        ``undecided="skip"``, else refuse the import, naming them, with
        nothing written. ``duplicates`` ("merge" or "keep") instead decides
        every pair, certain or not, the same way: a script's explicit policy.
        ``session`` joins a caller's
        transaction (an import of reviews and references together), and
        ``decide`` is then asked inside it. On its own, the import asks
        ``decide`` before its transaction (a reviewer may take minutes over
        the pairs, and the review is not locked meanwhile), then plans again
        inside it against the references as stored: if the pairs are not the
        ones decided (another window or reviewer changed the references),
        nothing is imported and the message says why.
        """
        if undecided not in ("refuse", "skip"):
            raise ValueError(f"undecided is 'refuse' or 'skip', not {undecided!r}")
        if session is not None:
            return self._import(session, files, keys, duplicates, decide, undecided, name_files)
        decided = None
        if decide is not None:
            decided = self._service.read(lambda conn: self._plan(conn, files, keys, name_files))
            if duplicates is None:
                decided.merge_certain()
            if decided.undecided and not decide(decided):
                raise CuratorError("import abandoned; nothing was imported")
        with self._service.writing() as own:
            return self._import(own, files, keys, duplicates, None, undecided, name_files, decided)

    @staticmethod
    def _plan(conn: Any, files: Sequence[ReferenceFile], keys: str, name_files: Callable[[ReferenceFile], str]) -> Any:
        from curator.references import plan_import
        from curator.store.repository import load_references

        incoming = [ref for rf in files for ref in rf.references]
        where = [f"{name_files(rf)}: {w}" for rf in files for w in rf.where]
        return plan_import(load_references(conn), incoming, keys=keys, where=where)

    def _import(
        self,
        session: Any,
        files: Sequence[ReferenceFile],
        keys: str,
        duplicates: str | None,
        decide: Decide | None,
        undecided: str,
        name_files: Callable[[ReferenceFile], str],
        decided: ImportPlan | None = None,
    ) -> ReferenceImport:
        from curator.store.references import apply_reference_import

        plan = self._plan(session, files, keys, name_files)
        if decided is not None:
            if _pairs(plan) != _pairs(decided):
                raise CuratorError(
                    "the review's references changed while the duplicates were decided (another window or "
                    "reviewer); nothing was imported: import the files again"
                )
            for pair, chosen in zip(plan.pairs, decided.pairs, strict=True):
                pair.decision = chosen.decision
        elif duplicates is None:
            plan.merge_certain()
        if plan.undecided and decide is not None and not decide(plan):
            raise CuratorError("import abandoned; nothing was imported")
        if plan.undecided:
            if duplicates is not None:
                plan.decide_all(duplicates)
            elif undecided == "skip":
                plan.decide_all("skip")
            else:
                raise CuratorError(undecided_message(plan))
        _added, updates = plan.apply()
        counts = apply_reference_import(session, plan, self._who)
        left_out = plan.left_out()
        # References already in the review that records matched, with nothing new in them (a file imported again).
        matched = {pair.existing.key for pair in plan.pairs if pair.decision == "merge" and not pair.in_file}
        already = matched - {ref.key for ref, changes in updates if changes}
        return ReferenceImport(
            counts={
                "references": counts["added"],
                "references_merged": counts["merged"],
                "references_left_out": len(left_out),
                "references_already_there": len(already),
            },
            merged=_merged_lines(plan, updates),
            left_out=left_out,
        )

    def add(self, ref: Reference, position: int | None = None) -> None:
        from curator.store.references import add_reference

        with self._service.writing() as session:
            add_reference(session, ref, self._who, position)

    def set_field(
        self, key: str, name: str, text: str, *, expected: str | None = None, citing: int | None = None
    ) -> str:
        """Set field ``name`` of reference ``key`` as typed (a new key re-points its citations, in the same
        transaction: one change to undo); the field's text as stored (a DOI typed as a doi.org link is
        stored bare).

        With ``expected`` (the field's text as the caller saw it: an edit, its undo or redo), refused,
        naming both values, when the stored value is another; with ``citing`` (for a new key: how many
        rows the reviewer was told cite the old one, see :meth:`rows_citing`), refused when another
        number of rows cite it now."""
        from curator.store.references import set_reference_field

        with self._service.writing() as session:
            return set_reference_field(session, key, name, text, self._who, expected=expected, citing=citing)

    def rows_citing(self, key: str) -> int:
        """How many rows cite reference ``key`` (the rows a new key re-points)."""
        from curator.store.references import rows_citing

        return int(self._service.read(lambda conn: rows_citing(conn, key)))

    def delete(self, key: str, *, expected: Reference | None = None) -> tuple[int, Reference, list[AcceptedFinding]]:
        """Delete a reference no row cites; its position, itself and its accepted findings, to put it back.
        With ``expected`` (the reference as the reviewer saw it), refused when it was changed meanwhile."""
        return self.delete_many([key], expected=None if expected is None else {key: expected})[0]

    def delete_many(
        self, keys: Sequence[str], *, expected: Mapping[str, Reference] | None = None
    ) -> list[tuple[int, Reference, list[AcceptedFinding]]]:
        """Delete references in one transaction, all or none: every refusal (a
        reference still cited, or, with ``expected``, key -> the reference as
        the reviewer saw it, one changed meanwhile) is named, and then nothing
        is deleted. Each deleted reference's position, itself and its accepted
        findings, in the order deleted."""
        from curator.store.references import delete_reference, reference_acceptances

        with self._service.writing() as session:
            deleted, refused = [], []
            for key in keys:
                try:  # a refusal writes nothing, so the others can still be tried and named
                    kept = reference_acceptances(session, key)
                    seen = (expected or {}).get(key)
                    position, ref = delete_reference(session, key, self._who, expected=seen)
                except CuratorError as exc:
                    refused.append(str(exc))
                else:
                    deleted.append((position, ref, kept))
            if refused:
                raise CuratorError("\n".join(refused))
            return deleted

    def restore(self, deleted: Sequence[tuple[int, Reference, Sequence[AcceptedFinding]]]) -> None:
        """Put deleted references back where they were (the list :meth:`delete_many` gave), in one transaction."""
        from curator.store.references import restore_reference

        with self._service.writing() as session:
            for position, ref, acceptances in reversed(deleted):
                restore_reference(session, position, ref, self._who, acceptances=acceptances)

    def merge(
        self, keep: str, drop: str, *, expected: Mapping[str, Reference | Mapping[str, str]] | None = None
    ) -> dict[str, int]:
        """Fold reference ``drop`` into ``keep``: empty fields filled, citations re-pointed. With ``expected``
        (key -> the reference as the reviewer saw it, or some of its fields' texts, field -> text), refused
        with :class:`~curator.errors.StaleWrite`, nothing written, when one was changed meanwhile."""
        from curator.fields import reference_texts
        from curator.store.references import merge_references

        seen = None
        if expected is not None:
            seen = {
                key: reference_texts(ref) if isinstance(ref, Reference) else dict(ref) for key, ref in expected.items()
            }
        with self._service.writing() as session:
            return merge_references(session, keep, drop, self._who, expected=seen)

    def citation_counts(self) -> dict[str, int]:
        """How many rows cite each reference key."""
        from curator.store.references import citation_counts

        return self._service.read(citation_counts)

    @staticmethod
    def check_field(key: str, name: str, text: str) -> None:
        """Raise :class:`CuratorError` when ``text`` cannot be field ``name`` of reference ``key``."""
        from curator.store.references import parse_reference_field

        parse_reference_field(key, name, text)
