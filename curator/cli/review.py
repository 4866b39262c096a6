"""Commands that move a review in and out: gui, import, export, template, demo,
info, log, merge-references."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from curator.cli.common import EXIT_OK, EXIT_PROBLEMS, reviewer, shown
from curator.errors import CuratorError
from curator.review import Review
from curator.words import counted

if TYPE_CHECKING:
    from curator.formats.references import ReferenceFile
    from curator.services.references import ReferenceImport


def cmd_gui(args: argparse.Namespace) -> int:
    from curator.gui.launch import launch

    # The desktop app asks for the name once (and keeps it) unless it is given; on a team review the
    # database user is the reviewer, and a typed name is refused.
    reviewer(args)
    given = args.reviewer or os.environ.get("CURATOR_REVIEWER")
    return launch(args.review, who=given or None, screenshot=args.screenshot)


def _import(
    db_arg: str | None,
    reviews: list[Review],
    replace: bool,
    who: str,
    reference_files: list[ReferenceFile] | None = None,
    args: argparse.Namespace | None = None,
    origins: list[str | None] | None = None,
    folders: list[Path | None] | None = None,
) -> tuple[Path | str, dict[str, int], ReferenceImport | None]:
    """Write everything in one transaction: all of it, or nothing.

    Reference records sharing a DOI or PMID with a reference already there
    are merged unasked; the uncertain ones (a title alone) are asked about
    at a terminal, and left out (to be listed) when nobody is there to ask,
    unless ``--duplicates`` gives a policy for every pair."""
    from curator.services import ReviewService
    from curator.services.sources import is_server_url

    ask = None
    policy = args.duplicates if args is not None else None
    if reference_files and policy is None and sys.stdin.isatty() and sys.stdout.isatty():
        ask = _ask_pairs

    def into(review: ReviewService) -> tuple[dict[str, int], ReferenceImport | None]:
        return review.import_reviews(
            reviews,
            replace=replace,
            origins=origins,
            folders=folders,
            reference_files=reference_files or [],
            keys=args.keys if args is not None else "number",
            duplicates=policy,
            decide=ask,
            undecided="skip",
        )

    if db_arg is not None and not is_server_url(db_arg) and not Path(db_arg).exists():
        # A new file appears only whole: an error, a full disk or a kill leaves no review under its name.
        with ReviewService.creating(Path(db_arg), who) as review:
            totals, references = into(review)
        return Path(db_arg).expanduser().absolute(), totals, references
    review = ReviewService.open(db_arg, who, create=True)
    try:
        totals, references = into(review)
    except BaseException:
        review.discard_if_new()  # the default review, made on first use
        raise
    review.close()
    return review.path, totals, references


def _ask_pairs(plan: Any) -> bool:
    """At a terminal: show each uncertain duplicate pair and let the reviewer choose."""
    from curator.fields import reference_field
    from curator.formats.references import format_vancouver

    pairs = list(plan.undecided)
    print(
        f"{len(pairs)} record{'' if len(pairs) == 1 else 's'} look{'s' if len(pairs) == 1 else ''} like "
        "a reference already there, but no DOI or PMID says so for certain:"
    )
    for pair in pairs:
        print(
            f"\n{pair.where or 'A record'} matches {'an earlier record' if pair.in_file else 'reference'} "
            f"{pair.existing.key!r} ({pair.why}):"
        )
        print(f"  there: {format_vancouver(pair.existing)}")
        print(f"  new:   {format_vancouver(pair.incoming)}")
        for name, (old, new) in pair.conflicts().items():
            print(f"  {reference_field(name).label} differs: {old!r} there, {new!r} in the file")
        while True:
            answer = input("[m]erge (fill empty fields), [k]eep both, [s]kip it, or [a]bort? ").strip().lower()[:1]
            if answer in ("m", "k", "s"):
                pair.decision = {"m": "merge", "k": "keep", "s": "skip"}[answer]
                break
            if answer == "a":
                raise CuratorError("import aborted; nothing was imported")
    return True


def _summary(totals: dict[str, int]) -> str:
    from curator.services.importing import summary

    return summary(totals)


def cmd_import(args: argparse.Namespace) -> int:
    from curator.memory import gc_paused

    # One command, then the process ends: the collector stays off for the whole of it, and what the
    # import read and stored is freed (by reference counting) before it is back on. Paused only for
    # the reading and the storing, its first young collection after each walked millions of objects
    # still alive: 0.5-0.6 s of a 100,000-row import.
    with gc_paused():
        return _import_files(args)


def _import_files(args: argparse.Namespace) -> int:
    from curator.formats.references import is_reference_file, read_reference_file
    from curator.services.references import already_there
    from curator.services.sources import is_database, is_server_url, read_source, refuse_non_database

    # The first of two or more paths: the review to import into (a file; or a team review's URL).
    if args.review is not None and not is_server_url(args.review):
        try:
            refuse_non_database(Path(args.review))
        except CuratorError as exc:
            raise CuratorError(
                f"{exc}; with two or more paths the first names the review to import into: "
                "curator import REVIEW FILE..."
            ) from None
    # Read and check every file before the database is touched.
    reviews: list[Review] = []
    origins: list[str | None] = []
    folders: list[Path | None] = []
    missing: list[str] = []
    reference_files: list[ReferenceFile] = []
    for name in args.files:
        path = Path(name)
        if path.is_file() and is_reference_file(path):
            rf = read_reference_file(path)
            if rf.problems and not args.skip_bad:
                shown = "\n".join(f"  {problem}" for problem in rf.problems[:20])
                raise CuratorError(
                    f"{path}: {counted(len(rf.problems), 'record')} cannot be read; nothing was imported "
                    f"(--skip-bad imports the {counted(len(rf.references), 'readable one')}):\n{shown}"
                )
            for problem in rf.problems:
                print(f"curator: skipped {problem}", file=sys.stderr)
            for note in rf.notes:
                print(f"curator: {path}: {note}", file=sys.stderr)
            reference_files.append(rf)
        else:
            review = read_source(path)
            reviews.append(review)
            origins.append(path.name)
            exchange = path.is_file() and not is_database(path)
            # Where the documents' bytes are: beside the exchange file, or inside the review database.
            folders.append(path.resolve().parent if exchange else path.resolve() if path.is_file() else None)
            if exchange:
                from curator.services.documents import not_kept_beside

                missing += not_kept_beside(path, review.documents)
    into, totals, references = _import(
        args.review, reviews, args.replace, reviewer(args), reference_files, args, origins, folders
    )
    already = "" if references is None else already_there(references.counts.get("references_already_there", 0))
    print(f"Imported {_summary(totals)} into {into}" + (f"; {already}" if already else ""))
    for line in missing:
        print(f"curator: {line}", file=sys.stderr)
    if references is not None:
        for line in references.merged:
            print(f"  {line}")
        if references.left_out:
            from curator.services.references import left_out_message

            print(f"curator: {left_out_message(references.left_out)}", file=sys.stderr)
            return EXIT_PROBLEMS
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from curator.demo import demo_review

    path, totals, _references = _import(args.review, [demo_review()], args.replace, reviewer(args))
    print(f"Wrote the demo review ({_summary(totals)}) to {path}")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from curator.formats.registry import WRITERS, ExportOptions, writer_for
    from curator.services.sources import (
        is_database,
        is_server_url,
        read_source,
        read_source_with_head,
        source_verified_rows,
    )

    if args.output == "-":
        if args.format not in (None, "json"):
            raise CuratorError("-o -: only json can be written to standard output")
        if args.with_documents:
            raise CuratorError("-o -: --with-documents needs a file to write the documents beside")
        from curator.services.exporting import exchange_text

        sys.stdout.write(exchange_text(args.review))
        return EXIT_OK
    writer = writer_for(args.output, args.format)
    if writer is None:
        suffix = Path(args.output).suffix.lower()
        known = ", ".join(dict.fromkeys(w.suffix for w in WRITERS.values()))
        raise CuratorError(
            f"{args.output}: cannot tell the format from {suffix or 'a name without extension'!r}; "
            f"supported: {known}; or give --format"
        )
    if args.verified_only and writer.name != "xlsx":
        raise CuratorError("--verified-only applies to the Excel workbook (.xlsx)")
    folder = Path(args.output).resolve().parent
    if args.with_documents:
        if writer.name not in ("json", "xlsx"):
            raise CuratorError("--with-documents applies to the curator/1 exchange file (json) and the workbook (xlsx)")
        from curator.services.exporting import export_documents

        export_documents(_source_path(args.review), folder, dry_run=True)  # refused before anything is written
    states = head = None
    if writer.name == "xlsx" and (args.review is None or is_server_url(args.review) or is_database(Path(args.review))):
        review, states, head = _review_with_states(args.review)
    elif writer.name == "json":
        review, head = read_source_with_head(args.review)
    else:
        review = read_source(args.review)
    # Only rows verified here count as verified in the workbook, never a status a file claims.
    here = source_verified_rows(args.review, review).here if writer.name == "xlsx" else None
    options = ExportOptions(
        exported_by=reviewer(args),
        source=shown(args.review),
        verified_only=args.verified_only,
        field_states=states,
        verified_here=here,
        audit_head=head,
    )
    print(writer.write(review, Path(args.output), options), file=sys.stderr)
    if args.with_documents:
        for line in export_documents(_source_path(args.review), folder):
            print(line, file=sys.stderr)
    return EXIT_OK


def _source_path(review: str | None) -> str | Path | None:
    from curator.services.sources import is_server_url

    return None if review is None else review if is_server_url(review) else Path(review)


def _review_with_states(source: str | None) -> tuple[Review, Any, str | None]:
    """A database's review, its fields' verification states and its audit head, read together."""
    from curator.services import ReviewService

    with ReviewService.open(source) as review:
        return review.review_with_states_and_head()


def cmd_template(args: argparse.Namespace) -> int:
    from curator.formats.xlsx_data import write_template

    write_template(Path(args.output))
    print(f"Wrote an empty extraction template to {args.output}", file=sys.stderr)
    return EXIT_OK


def cmd_merge_references(args: argparse.Namespace) -> int:
    from curator.services import ReviewService

    expected = _expected_references(args.expect)
    with ReviewService.open(args.review, reviewer(args)) as review:
        counts = review.references.merge(args.keep, args.drop, expected=expected)
    print(
        f"Merged reference {args.drop!r} into {args.keep!r}: {counted(counts['fields_filled'], 'field')} filled, "
        f"{counted(counts['citations_repointed'], 'citation')} re-pointed, "
        f"{counted(counts['citations_dropped'], 'repeated one', 'repeated ones')} dropped"
    )
    return EXIT_OK


def _expected_references(expect: list[str] | None) -> dict[str, dict[str, str]] | None:
    """``--expect KEY.FIELD=TEXT`` (repeatable): fields of the two references as the script read them."""
    if expect is None:
        return None
    seen: dict[str, dict[str, str]] = {}
    for given in expect:
        name, equals, text = given.partition("=")
        key, dot, field = name.rpartition(".")
        if not equals or not dot or not key or not field:
            raise CuratorError(
                f"--expect {given!r}: give a reference's field as you read it, KEY.FIELD=TEXT "
                "(e.g. --expect 9.title='Pimecrolimus cream 1%'); nothing was written"
            )
        seen.setdefault(key, {})[field] = text
    return seen


def cmd_log(args: argparse.Namespace) -> int:
    from curator.services import ReviewService
    from curator.services.review import NoSuchRow

    if args.verify or args.head is not None:
        return _verify_log(args)
    since = None
    if args.since:
        try:
            since = datetime.fromisoformat(args.since.replace("Z", "+00:00"))
        except ValueError:
            raise CuratorError(
                f"--since {args.since!r}: not a date or time (e.g. 2026-11-24 or 2026-11-24T09:30)"
            ) from None
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
    row = None
    if args.row:
        m = re.fullmatch(r"(.+)\[(\d+)\]", args.row.strip())
        if m is None:
            raise CuratorError(f"--row {args.row!r}: name a row as COMPARISON[ROW], e.g. pime-vs-tcs[2]")
        row = (m[1], int(m[2]))
    with ReviewService.open_existing(args.review, what="the audit log") as review:
        try:
            logged = review.log(row=row, since=since)
        except NoSuchRow:
            raise CuratorError(f"--row {args.row!r}: the review has no such row") from None
    entries = [entry for entry, _ in logged]
    if args.format == "json":
        for entry in entries:
            entry["at"] = entry["at"].isoformat() if hasattr(entry["at"], "isoformat") else entry["at"]
        print(json.dumps(entries, ensure_ascii=False, indent=2))
        return EXIT_OK
    from curator.services.story import when

    for e, what in logged:  # local time, then the sentence (which starts with who, or with the row)
        if what:  # an entry told with the one before it has none
            print(f"{when(e['at'])}  {what}")
    if not entries:
        print("No changes recorded.")
    return EXIT_OK


def _verify_log(args: argparse.Namespace) -> int:
    """``curator log --verify [--head H]``: 0 when the chain holds (and holds ``H``), 1 when it does not."""
    from curator.services import ReviewService

    if args.row or args.since:
        raise CuratorError("--verify checks the whole audit log: leave out --row and --since")
    head = args.head.strip().lower() if args.head is not None else None
    if head is not None and not re.fullmatch(r"[0-9a-f]{12,64}", head):
        raise CuratorError(
            f"--head {args.head!r}: not an audit head (the 64 hexadecimal digits of the About sheet's "
            '"Audit log head" or the exchange file\'s x-audit-head; at least its first 12)'
        )
    with ReviewService.open_existing(args.review, what="the audit log") as review:
        report = review.verify_log(head)
    bad, last, found = report.bad, report.head, report.found
    lines: list[str] = []
    if bad is not None:
        lines.append(
            f"The audit log has been tampered with: entry {bad.id} ({bad.at} UTC, by {bad.who}) does not fit: "
            f"{report.problem}."
            + (f" The {counted(report.fit, 'entry', 'entries')} before it fit." if report.fit else "")
        )
    if head is not None:
        if found is None:
            lines.append(
                f"The head {head} is not in this review's audit log: the history it ended has been changed "
                "(or it is another review's head)."
            )
        elif bad is None or found.id < bad.id:
            lines.append(
                f"The head {head} is entry {found.id} ({found.at} UTC, by {found.who}): the history up to it is "
                "unchanged."
            )
        else:
            lines.append(f"The head {head} is entry {found.id}, at or after the first entry that does not fit.")
    if bad is None:
        if last is None:
            lines.append("The audit log is empty.")
        else:
            lines.append(
                f"The audit log is intact: {counted(report.entries, 'entry', 'entries')}, every one fits its "
                f"chain; head {last.hash} (entry {last.id}, {last.at} UTC, by {last.who})."
            )
    ok = bad is None and (head is None or found is not None)
    if args.format == "json":

        def entry(e: Any) -> Any:
            return None if e is None else {"id": e.id, "at": e.at, "who": e.who, "hash": e.hash}

        print(
            json.dumps(
                {
                    "intact": ok,
                    "entries": report.entries,
                    "head": entry(last),
                    "first_bad": None if bad is None else {**entry(bad), "problem": report.problem},
                    **({"asked": head, "found": entry(found)} if head is not None else {}),
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        print("\n".join(lines))
    return EXIT_OK if ok else EXIT_PROBLEMS


def cmd_info(args: argparse.Namespace) -> int:
    from curator.paths import default_database
    from curator.services.sources import read_source, source_verified_rows

    review = read_source(args.review)
    counts = review.counts()
    verified = source_verified_rows(args.review, review)
    source = shown(args.review) or str(default_database())
    if args.format == "json":
        print(
            json.dumps(
                {
                    "source": source,
                    "title": review.title,
                    "references": len(review.references),
                    "comparisons": [{"key": c.key, "title": c.title, "rows": len(c.rows)} for c in review.comparisons],
                    "rows": review.row_count,
                    "rows_by_status": counts,
                    "rows_verified_here": len(verified.here),
                    "rows_claimed_verified": len(verified.claimed),
                    "accepted_findings": len(review.accepted_findings),
                    "documents": len(review.documents),
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return EXIT_OK
    by_status = ", ".join(f"{status} {n}" for status, n in counts.items())
    lines = [
        f"Review:       {review.title or '(untitled)'}",
        f"Source:       {source}",
        f"References:   {len(review.references)}",
        f"Comparisons:  {len(review.comparisons)}",
    ]
    lines += [f"  {c.key}: {c.title} ({counted(len(c.rows), 'row')})" for c in review.comparisons]
    lines += [
        f"Rows:         {review.row_count} ({by_status}) as stored, claims included",
        f"Verified:     {verified.words()}",
        f"Accepted findings: {len(review.accepted_findings)}",
    ]
    if review.documents:
        held = sum(d.stored for d in review.documents)
        lines.append(f"Documents:    {len(review.documents)} ({held} held in the review)")
    print("\n".join(lines))
    return EXIT_OK
