"""References from reference managers: read, match, plan an import, write, format.

Qt-free core of issue #7. The readers (:mod:`.ris`, :mod:`.medline`,
:mod:`.bibtex`, :mod:`.csljson`) turn a file into
:class:`~curator.review.Reference` objects and per-record problems;
:func:`read_reference_file` picks the reader from the file's extension and
content. :func:`plan_import` finds which records duplicate the review's
references (one matcher, :mod:`.matching`, shared with the
``reference-duplicate`` rule) and lets the caller decide, pair by pair;
:mod:`curator.store.references` writes the outcome. :func:`to_ris`,
:func:`to_bibtex` and :func:`format_vancouver` write references out.

Names are imported on first use, so that the checks, which need only the
matcher, do not load the RIS and BibTeX libraries.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from curator.references.detect import detect_format, is_reference_file
    from curator.references.matching import find_duplicates
    from curator.references.model import Problem, ReferenceFile
    from curator.references.plan import DuplicatePair, ImportPlan, plan_import
    from curator.references.reader import read_reference_file
    from curator.references.vancouver import format_vancouver
    from curator.references.writers import to_bibtex, to_ris

__all__ = [
    "read_reference_file",
    "is_reference_file",
    "detect_format",
    "ReferenceFile",
    "Problem",
    "plan_import",
    "ImportPlan",
    "DuplicatePair",
    "find_duplicates",
    "to_ris",
    "to_bibtex",
    "format_vancouver",
]

_WHERE = {
    "read_reference_file": "reader",
    "is_reference_file": "detect",
    "detect_format": "detect",
    "ReferenceFile": "model",
    "Problem": "model",
    "plan_import": "plan",
    "ImportPlan": "plan",
    "DuplicatePair": "plan",
    "find_duplicates": "matching",
    "to_ris": "writers",
    "to_bibtex": "writers",
    "format_vancouver": "vancouver",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"curator.references.{module}"), name)
