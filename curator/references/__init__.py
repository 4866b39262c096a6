"""References in a review: find duplicates, plan an import, allocate keys.

Qt-free core of issue #7. :func:`plan_import` finds which records
duplicate the review's references (one matcher, :mod:`.matching`, shared
with the ``reference-duplicate`` rule) and lets the caller decide, pair by
pair; :mod:`curator.store.references` writes the outcome. The files that
reference managers write are read and written by
:mod:`curator.formats.references`.
"""

from __future__ import annotations

from curator.references.matching import find_duplicates
from curator.references.plan import DuplicatePair, ImportPlan, plan_import

__all__ = ["plan_import", "ImportPlan", "DuplicatePair", "find_duplicates"]
