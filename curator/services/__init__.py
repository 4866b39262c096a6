"""The use cases of Curator, for the command line and the desktop app alike.

The faces (:mod:`curator.cli`, :mod:`curator.gui`) call these and nothing
below them: an open review is a :class:`ReviewService`, whose parts are the
use cases (edit, verify, import, merge, export...), each owning its
transaction and audit entries. The plain types the faces show (a
comparison's summary, a field's verification state, an adjudication
item...) are re-exported here, so that no face imports the store.
"""

from __future__ import annotations

from curator.services.checking import ACROSS_ROWS
from curator.services.review import HistoryEntry, Provenance, ReviewService
from curator.services.sources import DEFAULT_REVIEWER, is_database, read_source
from curator.store.adjudication import Item
from curator.store.browse import ComparisonSummary, MemoryRows, RowSource, StoredRows, ordered
from curator.store.database import Location, PasswordNeeded, ServerAddress, is_server_url
from curator.store.double_entry import DoubleEntryResult
from curator.store.edits import DERIVED_FIELDS
from curator.store.field_states import VERIFIABLE_FIELDS, FieldState
from curator.store.merge import MergeSummary
from curator.store.references import REFERENCE_FIELDS
from curator.store.verified_here import counts_words

__all__ = [
    "ReviewService",
    "Location",
    "ServerAddress",
    "PasswordNeeded",
    "is_server_url",
    "ACROSS_ROWS",
    "HistoryEntry",
    "Provenance",
    "DEFAULT_REVIEWER",
    "is_database",
    "read_source",
    "Item",
    "ComparisonSummary",
    "MemoryRows",
    "RowSource",
    "StoredRows",
    "ordered",
    "DoubleEntryResult",
    "FieldState",
    "VERIFIABLE_FIELDS",
    "DERIVED_FIELDS",
    "MergeSummary",
    "REFERENCE_FIELDS",
    "counts_words",
]
