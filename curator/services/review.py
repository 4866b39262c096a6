"""One open review and what a reviewer can do with it.

:class:`ReviewService` is the only door between the faces (the command line,
the desktop app) and the store. It holds the open database and the
reviewer's name; its parts are the use cases:

* :attr:`~ReviewService.rows` (:class:`~curator.services.editing.Editing`):
  edit a field (compare-and-set), add, duplicate, move and delete rows and
  comparisons;
* :attr:`~ReviewService.references`
  (:class:`~curator.services.references.References`): add, edit, delete,
  merge and import references;
* :attr:`~ReviewService.checking`
  (:class:`~curator.services.double_checking.DoubleChecking`): verify,
  dispute, correct, blind double entry, merge another reviewer's file,
  adjudicate;
* :attr:`~ReviewService.findings` (:class:`~curator.services.findings.Findings`):
  the open findings, and accepting them;
* :attr:`~ReviewService.documents` (:class:`~curator.services.documents.Documents`):
  attach a paper's PDF to a reference, detach it, list them (``all``);
* the reading the windows need (outline, rows a screenful at a time, field
  states, history) on the service itself.

Each use case runs in its own transaction (:meth:`ReviewService.writing`),
writes its own audit entries, and leaves the review as it was when it is
refused (a :class:`~curator.errors.CuratorError` naming the row, the field
and the value). Nothing here knows of Qt.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Connection
from sqlmodel import Session

from curator.errors import CuratorError
from curator.naming import Arms, field_place, row_place
from curator.review import AcceptedFinding, Reference, Review
from curator.services.sources import DEFAULT_REVIEWER, open_review, refuse_non_database
from curator.store.database import Database, Location, ServerAddress, is_server_url, open_database

if TYPE_CHECKING:
    from curator.formats.references import ReferenceFile
    from curator.services.references import Decide, ReferenceImport
    from curator.store.audit import ChainReport
    from curator.store.browse import ComparisonSummary, StoredRows
    from curator.store.field_states import FieldState

__all__ = ["ReviewService", "HistoryEntry", "Provenance", "NoSuchRow", "Part"]

T = TypeVar("T")


class NoSuchRow(CuratorError):
    """A row named by comparison and position that the review does not have."""


class Part:
    """A group of use cases of one open review (its ``rows``, ``references``...)."""

    def __init__(self, service: ReviewService) -> None:
        self._service = service

    @property
    def _who(self) -> str:
        return self._service.who


class ReviewService:
    """An open review, and the reviewer ``who`` acting on it.

    On a team review (a PostgreSQL server) the reviewer is the database user it was opened as, whatever
    ``who`` says: the server authenticated her, a typed name it did not (the command line refuses
    ``--reviewer`` there, :func:`curator.services.sources.refuse_typed_reviewer`)."""

    def __init__(self, db: Database, who: str = DEFAULT_REVIEWER) -> None:
        from curator.services.documents import Documents
        from curator.services.double_checking import DoubleChecking
        from curator.services.editing import Editing
        from curator.services.findings import Findings
        from curator.services.references import References

        self.db = db
        self.who = db.user if db.user is not None else who
        self.rows = Editing(self)
        self.references = References(self)
        self.checking = DoubleChecking(self)
        self.findings = Findings(self)
        self.documents = Documents(self)

    # -- opening and closing -------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path | None, who: str = DEFAULT_REVIEWER, *, create: bool = False) -> ReviewService:
        """The review database at ``path`` (the embedded default review when None; a team review when
        a ``postgresql://`` URL)."""
        return cls(open_review(path, create=create, who=who), who)

    @classmethod
    @contextmanager
    def creating(cls, path: Path, who: str = DEFAULT_REVIEWER) -> Iterator[ReviewService]:
        """A new review database that appears at ``path`` only whole: the block works on a hidden file
        beside it (``.NAME.PID-RANDOM.tmp``, :func:`curator.files.atomic_path`), renamed to ``path`` when
        the block ends. An error removes it and its side files; a kill -9 cannot, so the next write of
        ``path`` removes what a process that no longer runs left (before, a kill during an import into a
        new file left an empty review under its name)."""
        from curator.files import atomic_path
        from curator.store.database import remove_review_files

        path = Path(path)
        with atomic_path(path, overwrite=False) as tmp:
            try:
                service = cls(open_database(tmp, create=True, building=True), who)
                try:
                    yield service
                    service.db.seal()  # in WAL mode, whole in the file itself and synced, before it takes its name
                except BaseException:
                    service.discard_if_new()
                    raise
            except CuratorError as exc:  # say the file asked for, not the hidden one
                names = ((str(tmp.absolute()), str(path.absolute())), (str(tmp), str(path)))
                exc.args = tuple(_renamed(a, names) for a in exc.args)
                raise
            service.close()  # the last connection: SQLite removes the (now empty) -wal and the -shm
            remove_review_files(tmp, side_files_only=True)

    @classmethod
    def open_existing(
        cls, path: str | Path | None, who: str = DEFAULT_REVIEWER, *, what: str = "this"
    ) -> ReviewService:
        """An existing review database (the embedded default review when None); a file of another kind is
        refused, saying it is kept in review databases (``what``: ``verification``), and left as it was."""
        if path is not None and not is_server_url(path):
            refuse_non_database(Path(path), what)
        return cls.open(path, who)

    @classmethod
    def open_for_editing(cls, path: Location | str, who: str) -> ReviewService:
        """A review the desktop app opens to edit: checked first, and left untouched when refused."""
        from curator.store.access import check_openable

        if isinstance(path, str) and is_server_url(path):  # a ServerAddress keeps its password
            return cls(open_database(path, create=False), who)
        check_openable(Path(path))
        return cls(open_database(Path(path), create=False), who)

    @staticmethod
    def create(path: Path, title: str, who: str) -> None:
        """Make a new, empty review database at ``path`` (refused where a file exists)."""
        from curator.store.access import create_review

        create_review(path, title, who)

    @property
    def path(self) -> Location:
        """The review's file, or (a team review) its server's URL without the password."""
        return self.db.path

    @property
    def on_server(self) -> bool:
        """True for a team review on a PostgreSQL server."""
        return isinstance(self.db.path, ServerAddress)

    @property
    def file(self) -> Path:
        """The review's file; refused (:class:`~curator.errors.DatabaseError`) for a team review."""
        return self.db.file

    @property
    def readonly(self) -> bool:
        return self.db.readonly

    def close(self) -> None:
        self.db.close()

    def discard_if_new(self) -> None:
        """Close; and when this service made the review database (an import into a new file that failed),
        remove it and its side files, so that nothing of it is left."""
        from curator.store.database import remove_review_files

        self.db.close()
        if self.db.created and isinstance(self.db.path, Path):
            remove_review_files(self.db.path)

    def __enter__(self) -> ReviewService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions ----------------------------------------------------------------

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """One write transaction: committed when the block ends, rolled back on any error."""
        if self.db.readonly:
            raise CuratorError(f"{self.db.path}: cannot write: the file is read-only; nothing can be saved")
        with self.db.session() as session:
            yield session

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A reading connection (in WAL mode it never waits for a writer)."""
        with self.db.session(write=False) as session:
            yield session.connection()

    def read(self, query: Callable[[Connection], T]) -> T:
        with self.connect() as conn:
            return query(conn)

    # -- reading -----------------------------------------------------------------------

    def title(self) -> str | None:
        from curator.store.repository import review_title

        return self.read(review_title)

    def properties(self) -> tuple[str | None, str | None]:
        """The review's title and description (None when not set)."""
        from curator.store.properties import review_properties

        return self.read(review_properties)

    def set_properties(self, title: str | None, description: str | None) -> bool:
        """Set the review's title and description (File > Properties), audited; True when anything changed.
        The description stays in the database: the ``curator/1`` exchange format has no such key."""
        from curator.store.properties import set_review_properties

        with self.writing() as session:
            return set_review_properties(session, title, description, self.who)

    def arms(self, comparison: str) -> Arms:
        """A comparison's arm labels (empty when there is no such comparison), to name its fields."""
        from curator.store.edits import arms_of

        return self.read(lambda conn: arms_of(conn, comparison))

    def field_place(
        self, comparison: str, position: int, path: str, endpoint: str | None = None, *, short: bool = False
    ) -> str:
        """A field of a row in people's words, with the comparison's arm labels:
        ``Pimecrolimus arm: n in row 3 (Itch) of pime-vs-tcs`` (:mod:`curator.naming`)."""
        return field_place(comparison, position, path, endpoint, self.arms(comparison), short=short)

    def outline(self) -> list[ComparisonSummary]:
        """Every comparison in order, with its row and verified-row counts (:class:`ComparisonSummary`)."""
        from curator.store.browse import comparison_outline

        return self.read(comparison_outline)

    def reference_list(self) -> list[Reference]:
        from curator.store.repository import load_references

        return self.read(load_references)

    def acceptances(self) -> list[AcceptedFinding]:
        from curator.store.repository import load_acceptances

        return self.read(load_acceptances)

    def review(self) -> Review:
        """The whole review in memory."""
        from curator.store.repository import load_review

        return self.read(load_review)

    def review_with_states(self) -> tuple[Review, Any]:
        """The whole review and its fields' verification states, read together."""
        from curator.store.field_states import review_field_states
        from curator.store.repository import load_review

        with self.connect() as conn:
            review = load_review(conn)
            return review, review_field_states(conn, review)

    def review_with_states_and_head(self) -> tuple[Review, Any, str | None]:
        """:meth:`review_with_states` and the head of the audit chain, read together (for the workbook)."""
        from curator.store.audit import chain_head
        from curator.store.field_states import review_field_states
        from curator.store.repository import load_review

        with self.connect() as conn:
            review = load_review(conn)
            return review, review_field_states(conn, review), chain_head(conn)

    def stored_rows(self, comparison: str) -> StoredRows:
        """A comparison's rows, read a screenful at a time (:class:`~curator.store.browse.StoredRows`)."""
        from curator.store.browse import StoredRows

        return StoredRows(self.connect, comparison)

    def field_states(self, comparison: str, position: int) -> dict[str, FieldState]:
        """What a second reviewer said about each field of a row (:class:`FieldState` by field)."""
        from curator.store.verification import field_states

        return self.read(lambda conn: field_states(conn, comparison, position))

    def row_provenance(self, comparison: str, position: int) -> Provenance:
        """What the form shows about a row besides its values, read together on one connection: its
        fields' verification states, who entered it and when, and what a file claims about it."""
        from curator.store.history import row_entered
        from curator.store.verification import field_states
        from curator.store.verified_here import claim_at

        with self.connect() as conn:
            claim = claim_at(conn, comparison, position)
            return Provenance(
                field_states(conn, comparison, position),
                row_entered(conn, comparison, position),
                claim.sentence() if claim else None,
            )

    def row_history(self, comparison: str, position: int) -> list[HistoryEntry]:
        """The row's audit entries told in the words of the form (:func:`curator.services.story.tell`, without
        naming the row), newest first (empty for no such row)."""
        try:
            logged = self.log(row=(comparison, position), name_rows=False)
        except NoSuchRow:
            return []
        return [HistoryEntry(entry["at"], entry["who"], what) for entry, what in reversed(logged) if what]

    def log(
        self, *, row: tuple[str, int] | None = None, since: datetime | None = None, name_rows: bool = True
    ) -> list[tuple[dict[str, Any], str]]:
        """The audit log (of one row, since a time), oldest first, each entry with its sentence
        (:func:`curator.services.story.tell_all`: empty for an entry told with the one before it, as what a
        verification was checked against; ``name_rows=False`` leaves out which row);
        :class:`NoSuchRow` when the review has no such row."""
        from curator.naming import source_name
        from curator.services.story import Names, tell_all
        from curator.store.history import log_names
        from curator.store.repository import audit_entries, row_id_of

        with self.connect() as conn:
            table = row_id = None
            if row is not None:
                row_id = row_id_of(conn, *row)
                if row_id is None:
                    raise NoSuchRow(f"{row_place(*row)}: the review has no such row")
                table = "endpoint_row"
            entries = audit_entries(conn, table=table, row_id=row_id, since=since)
            found = log_names(conn, row_id)
        found["documents"] = {sha: source_name(*named) for sha, named in found["documents"].items()}
        return [(dict(entry), what) for entry, what in tell_all(entries, Names(**found), row=name_rows)]

    def audit_head(self) -> str | None:
        """The head of the audit log's hash chain: the last entry's hash (None for an empty log)."""
        from curator.store.audit import chain_head

        return self.read(chain_head)

    def verify_log(self, head: str | None = None) -> ChainReport:
        """Check the audit log's whole hash chain (:func:`curator.store.audit.verify_chain`); with
        ``head``, also find the entry whose hash it is (a head an export carried)."""
        from curator.store.audit import verify_chain

        with self.connect() as conn:
            return verify_chain(conn, head)

    # -- files -------------------------------------------------------------------------

    def import_reviews(
        self,
        reviews: Sequence[Review],
        *,
        replace: bool = False,
        origins: Sequence[str | None] | None = None,
        folders: Sequence[Path | None] | None = None,
        reference_files: Sequence[ReferenceFile] = (),
        keys: str = "number",
        duplicates: str | None = None,
        decide: Decide | None = None,
        undecided: str = "refuse",
    ) -> tuple[dict[str, int], ReferenceImport | None]:
        """Bring whole reviews (the first replacing the content when asked; ``origins`` names the file each
        came from, ``folders`` where each one's documents' bytes are: the folder of an exchange file, or the
        review database it was read from) and reference
        managers' files in, all in one transaction: all of it, or nothing. Counts of
        what came in, and what the reference files' import did (merged, left out; see
        :meth:`References.import_files <curator.services.references.References.import_files>`)."""
        from curator.services.importing import add_reviews

        with self.writing() as session:
            totals = add_reviews(session, list(reviews), self.who, replace=replace, origins=origins, folders=folders)
            done = None
            if reference_files:
                done = self.references.import_files(
                    reference_files,
                    keys=keys,
                    duplicates=duplicates,
                    decide=decide,
                    undecided=undecided,
                    session=session,
                )
                for name, count in done.counts.items():
                    totals[name] = totals.get(name, 0) + count
            return totals, done

    def save_copy(self, target: Path, *, overwrite: bool = False) -> None:
        """Write a consistent copy of the review's database to ``target``."""
        from curator.store.backup import save_copy

        save_copy(self.file, target, overwrite=overwrite)


def _renamed(value: object, names: tuple[tuple[str, str], ...]) -> object:
    if isinstance(value, str):
        for old, new in names:
            value = value.replace(old, new)
    return value


@dataclass(frozen=True, slots=True)
class Provenance:
    """A row's verification states by field, who entered it and when, and a file's claim in words."""

    states: dict[str, FieldState]
    entered: tuple[str, datetime] | None
    claim: str | None


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One audit entry of a row, ready to show: ``what`` is its sentence, starting with who did it."""

    at: datetime
    who: str
    what: str

    @property
    def when(self) -> str:
        """Local time, to the second."""
        from curator.services.story import when

        return when(self.at)
