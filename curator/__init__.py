"""Curator: enter, double-check, check and export clinical comparison tables.

For scripts and notebooks (issue 17)::

    import curator
    rows = curator.frame("review.sqlite")        # one line per row: printed texts and parsed values
    pooled = curator.analyses("review.sqlite")   # one line per analysis: the pooled estimates

Both read a review database or a curator/1 file (the embedded default review without a path) and
return pandas DataFrames; see :func:`curator.services.frames.review_frame` and
:func:`curator.services.frames.analyses_frame`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__version__ = "0.1.0"
__all__ = ["frame", "analyses", "__version__"]


def frame(path: str | Path | None = None) -> pd.DataFrame:
    """The review's rows as a DataFrame: one column per field of the contract, each reported number's
    printed text beside its parsed value (``intervention.n`` and ``intervention.n_num``)."""
    from curator.services.frames import review_frame

    return review_frame(path)


def analyses(path: str | Path | None = None, **options: Any) -> pd.DataFrame:
    """The review's pooled results as a DataFrame, one line per analysis (``options`` as ``curator
    analyse`` takes them: ``measure``, ``method``, ``hksj``, ``comparison``, ``endpoint``)."""
    from curator.services.frames import analyses_frame

    return analyses_frame(path, **options)
