"""What a reader gives back: references, their places in the file, problems."""

from __future__ import annotations

from dataclasses import dataclass, field

from curator.fields import reference_fields
from curator.formats.references.fields import one_dash
from curator.review import Reference

__all__ = ["Problem", "ReferenceFile", "Parsed", "MAX_FIELD", "too_long"]

#: The longest text one field of a reference may hold, in characters. The longest titles and
#: author lists of real papers (a consortium's 3,000 authors) stay under 64 KB; a megabyte
#: title is a damaged or hostile file, and reading it costs time (LaTeX decoding in BibTeX)
#: for nothing. The record is left out as a problem, like any record that cannot be read.
MAX_FIELD = 65_536

_LABELS = {f.path: f.label for f in reference_fields()}


def too_long(name: str, length: int) -> str | None:
    """Why a field of ``length`` characters is refused (``None`` when it is not): the problem's message."""
    if length <= MAX_FIELD:
        return None
    label = _LABELS.get(name, name)
    return (
        f"the {label[:1].lower() + label[1:]} is {length:,} characters long; no reference needs more than {MAX_FIELD:,}"
    )


def _first_too_long(ref: Reference) -> str | None:
    for name in _LABELS:
        value = getattr(ref, name, None)
        if isinstance(value, str):
            length = len(value)
        elif isinstance(value, list):
            length = sum(len(str(v)) for v in value) + 2 * max(0, len(value) - 1)
        else:
            continue
        why = too_long(name, length)
        if why:
            return why
    return None


@dataclass(frozen=True, slots=True)
class Problem:
    """A record that could not be read: the file, where in it, and what is wrong.

    ``where`` is ``"line 12"`` or ``"record 3"``; ``str()`` gives
    ``"file: where: message"``, like :class:`~curator.errors.InputError`.
    """

    file: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.message}"


@dataclass(slots=True)
class Parsed:
    """A reader's output: references (each with its place) and problems.

    Each reference's ``key`` is the file's own citation key for it (BibTeX
    key, RIS ``ID``, CSL ``id``), or ``""`` when it has none: final keys are
    given by :func:`curator.references.plan.plan_import`.
    """

    references: list[Reference] = field(default_factory=list)
    where: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: What was left out on purpose, for the user to know (``skipped 2 biblatex @set entries``).
    notes: list[str] = field(default_factory=list)

    def add(self, ref: Reference, where: str, *, file: str) -> None:
        """Add a record read at ``where``; one with a field longer than :data:`MAX_FIELD` becomes a problem.

        Page and issue ranges take Curator's one dash, a hyphen (:func:`~.fields.one_dash`), whatever the reader."""
        why = _first_too_long(ref)
        if why:
            self.problems.append(Problem(file, where, why))
            return
        ref.pages, ref.issue = one_dash(ref.pages), one_dash(ref.issue)  # one form for every reader
        self.references.append(ref)
        self.where.append(where)


@dataclass(slots=True)
class ReferenceFile:
    """A reference manager's file, read.

    ``format`` is ``"ris"``, ``"medline"``, ``"bibtex"`` or ``"csl-json"``;
    ``where[i]`` says where ``references[i]`` starts in the file;
    ``problems`` lists the records that could not be read (and were left
    out): the caller asks the user whether to import the rest or nothing.
    ``notes`` say what was left out on purpose, as not a reference (a biblatex
    ``@set``): the caller shows them.
    """

    path: str
    format: str
    encoding: str
    references: list[Reference]
    where: list[str]
    problems: list[Problem]
    notes: list[str] = field(default_factory=list)
