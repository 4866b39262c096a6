"""Bringing reviews into a review database: all of it, in one transaction, or nothing.

The CLI's ``curator import`` and the desktop app's File > Import share this:

* :func:`add_reviews` writes reviews into an open session (the first one
  replacing the content when asked) and returns counts of what was added;
* :func:`summary` says those counts in one line;
* :func:`import_file` reads one file (a ``curator/1`` exchange file, an
  Excel workbook or template, or another review database) and writes it into
  the review database at a path, reporting progress; cancelling, or any
  error, leaves the database as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlmodel import Session

from curator.errors import CuratorError
from curator.progress import Progress, report
from curator.review import Review
from curator.words import counted

__all__ = ["add_reviews", "store_documents", "summary", "import_file"]


def add_reviews(
    session: Session,
    reviews: list[Review],
    who: str,
    *,
    replace: bool = False,
    origins: Sequence[str | None] | None = None,
    folders: Sequence[Path | None] | None = None,
) -> dict[str, int]:
    """Write ``reviews`` in ``session``'s transaction; with ``replace`` the first replaces the content.

    ``origins`` names the file each review came from: a row's status that
    only verifications may give is kept as that file's claim (see
    :mod:`curator.store.verified_here`). ``folders`` says where each review's
    documents' bytes are: the folder of its exchange file, or the review
    database it was read from (see :func:`store_documents`). With
    ``replace``, bytes that no document names any more are removed."""
    from curator.store.audit import Audit
    from curator.store.documents import drop_unnamed_bytes
    from curator.store.repository import add_content, replace_content

    totals: dict[str, int] = {}
    for i, review in enumerate(reviews):
        write = replace_content if replace and i == 0 else add_content
        origin = origins[i] if origins is not None else None
        for name, count in write(session, review, who, origin=origin).items():
            totals[name] = totals.get(name, 0) + count
        folder = folders[i] if folders is not None else None
        if folder is not None and review.documents:
            store_documents(session, who, review, folder)
    if replace:
        # The documents replaced may have left bytes no document names any more.
        conn = session.connection()
        audit = Audit(who)
        drop_unnamed_bytes(conn, audit)
        audit.flush(conn)
    return totals


def store_documents(session: Session, who: str, review: Review, where: Path) -> int:
    """Keep the bytes of ``review``'s documents from where it was read (audited, in ``session``'s
    transaction): ``where`` is the folder of the exchange file (they are found beside it) or the
    review database it was read from (its bytes are copied). How many were stored now."""
    from curator.services.documents import store_found, store_from_database
    from curator.store.audit import Audit

    conn = session.connection()
    audit = Audit(who)
    if where.is_dir():
        stored = store_found(conn, audit, review.documents, where)
    else:
        stored = store_from_database(conn, audit, review.documents, where)
    audit.flush(conn)
    return stored


def summary(totals: dict[str, int]) -> str:
    """The counts of an import, in one line: what came in (a count of none is left out; "nothing new"
    when nothing did), then the references merged into ones already there (those already there with
    nothing new are said by :func:`curator.services.references.already_there`, after where they went)."""
    text = (
        ", ".join(
            counted(totals[name], noun)
            for name, noun in (
                ("comparisons", "comparison"),
                ("rows", "row"),
                ("references", "reference"),
                ("documents", "document"),
                ("accepted_findings", "accepted finding"),
            )
            if totals.get(name)
        )
        or "nothing new"
    )
    if totals.get("references_merged"):
        merged = totals["references_merged"]
        text += f"; {counted(merged, 'reference')} merged with {'one' if merged == 1 else 'ones'} already there"
    return text


def import_file(
    db_path: Path | str, source: Path, who: str, *, replace: bool = False, progress: Progress | None = None
) -> str:
    """Import the review in ``source`` into the review database at ``db_path``; a line saying what came in.

    The file is read and checked before the database is touched; the
    writing is one transaction, rolled back on an error or a cancel.
    """
    from curator.services.sources import is_database, open_review, read_source

    source = Path(source)
    report(progress, 0, 3, f"reading {source.name}")
    review = read_source(source)
    report(progress, 1, 3, "writing into the review")
    with open_review(db_path, create=False, who=who) as db:
        if db.readonly:
            raise CuratorError(f"{db.path}: cannot write: the file is read-only")
        with db.session() as session:
            folder = source.resolve() if is_database(source) else source.resolve().parent
            totals = add_reviews(session, [review], who, replace=replace, origins=[source.name], folders=[folder])
            report(progress, 2, 3, "saving")  # a cancel here still rolls everything back
        done = f"Imported {summary(totals)} from {source.name} into {db.path.name}"
    if folder is not None and folder.is_dir() and review.documents:
        from curator.services.documents import not_kept_beside

        done = ". ".join([done, *not_kept_beside(source, review.documents)])
    return done
