"""Analyses of a review: the rows of one comparison that share an endpoint, pooled (issue 17).

:func:`analyse` groups the rows (endpoints compared ignoring case and spacing), takes each row's study
effect for the analysis's measure (:mod:`curator.analysis.effects`), leaves out what cannot be pooled
saying why (no data for the measure, a double-zero study in a ratio, a finding of severity error), and
pools the rest (:mod:`curator.analysis.pooling`). The measure, when not asked for, is the one the rows
report when they all report the same; else RR for rows with events and MD for rows with means. An
analysis whose studies mix measures (with none asked for) or units (MD) is refused with the reason, and
so is one with no study left.

Nothing here knows of the store or of Qt: the services give the review and its findings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from curator.analysis.names import MEASURES, METHODS, RATIO

if TYPE_CHECKING:
    from curator.analysis.analyses import Analysis, LeftOut, Study, analyse, endpoint_key

__all__ = ["Analysis", "Study", "LeftOut", "analyse", "endpoint_key", "MEASURES", "METHODS", "RATIO"]

#: Loaded when first asked for: they bring numpy, scipy and statsmodels, which the command line's parser
#: and the window's start must not load (tests/gui/test_startup.py).
_LAZY = frozenset({"Analysis", "Study", "LeftOut", "analyse", "endpoint_key"})


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from curator.analysis import analyses

        return getattr(analyses, name)
    raise AttributeError(f"module 'curator.analysis' has no attribute {name!r}")
