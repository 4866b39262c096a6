"""What a reader gives back: references, their places in the file, problems."""

from __future__ import annotations

from dataclasses import dataclass, field

from curator.review import Reference

__all__ = ["Problem", "ReferenceFile", "Parsed"]


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

    def add(self, ref: Reference, where: str) -> None:
        self.references.append(ref)
        self.where.append(where)


@dataclass(slots=True)
class ReferenceFile:
    """A reference manager's file, read.

    ``format`` is ``"ris"``, ``"medline"``, ``"bibtex"`` or ``"csl-json"``;
    ``where[i]`` says where ``references[i]`` starts in the file;
    ``problems`` lists the records that could not be read (and were left
    out): the caller asks the user whether to import the rest or nothing.
    """

    path: str
    format: str
    encoding: str
    references: list[Reference]
    where: list[str]
    problems: list[Problem]
