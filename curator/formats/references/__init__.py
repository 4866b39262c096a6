"""Reference managers' files: read RIS, PubMed/MEDLINE, BibTeX and CSL-JSON; write RIS, BibTeX and Vancouver.

The readers (:mod:`.ris`, :mod:`.medline`, :mod:`.bibtex`, :mod:`.csljson`)
turn a file into :class:`~curator.review.Reference` objects and per-record
problems; :func:`read_reference_file` picks the reader from the file's
extension and content. :func:`to_ris`, :func:`to_bibtex` and
:func:`format_vancouver` write references out. Matching and planning an
import are not formats: they live in :mod:`curator.references`.

Names are imported on first use, so that a caller that needs one writer
does not load the RIS and BibTeX libraries.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from curator.formats.references.detect import detect_format, is_reference_file
    from curator.formats.references.model import Problem, ReferenceFile
    from curator.formats.references.reader import read_reference_file
    from curator.formats.references.vancouver import format_vancouver
    from curator.formats.references.writers import to_bibtex, to_ris

__all__ = [
    "read_reference_file",
    "is_reference_file",
    "detect_format",
    "ReferenceFile",
    "Problem",
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
    "to_ris": "writers",
    "to_bibtex": "writers",
    "format_vancouver": "vancouver",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"curator.formats.references.{module}"), name)
