"""The ``curator`` command line: a thin layer over the core.

Exit status: 0 success; 1 the command ran and found problems; 2 bad usage
or input that cannot be read or written (one line on stderr, no
traceback); 3 an internal error (a bug: details in the log file).
"""

from __future__ import annotations

import argparse
import gc
import getpass
import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from curator import __version__
from curator.errors import CuratorError
from curator.review import Review

if TYPE_CHECKING:
    from curator.references import ReferenceFile

__all__ = ["main", "build_parser"]

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3

_DESCRIPTION = """\
Curator keeps the numbers of clinical comparison tables (endpoints, both
arms' results, effect estimates, citations) in one review database per
review, checks them, and moves them in and out as files.

Without a command, Curator opens the desktop app on the embedded default
review (created with a demo review the first time).

A SOURCE is a review database (.sqlite) or a curator/1 exchange file
(.json); without one, the embedded default review is used."""

_EPILOG = """\
exit status: 0 success, 1 problems found, 2 bad usage or unreadable input,
3 internal error (details in the log file).

examples:
  curator demo --db demo.sqlite          write the demo review to a new file
  curator info demo.sqlite               what the review holds
  curator export demo.sqlite -o d.json   the whole review as a curator/1 file
  curator import d.json --db copy.sqlite bring a curator/1 file into a review
  curator gui demo.sqlite                open it in the desktop app"""


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 with a one-line message and a hint."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see `{self.prog} --help`)\n")


def _reviewer(args: argparse.Namespace) -> str:
    name = args.reviewer or os.environ.get("CURATOR_REVIEWER")
    if not name:
        try:
            name = getpass.getuser()
        except (KeyError, OSError):
            name = "unknown"
    return name


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="curator",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"curator {__version__}")
    parser.add_argument(
        "--reviewer",
        metavar="NAME",
        help="your name, recorded in the audit log with every change "
        "(default: $CURATOR_REVIEWER, else your login name)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser(
        "gui",
        help="open the desktop app (the default when no command is given)",
        description="Open the desktop app on a review database (default: the embedded default review).",
    )
    p.add_argument("db", nargs="?", metavar="DB", help="review database to open")
    p.add_argument("--screenshot", metavar="PNG", help="save a picture of the window to PNG and quit")
    p.set_defaults(func=_cmd_gui)

    p = sub.add_parser(
        "import",
        help="bring curator/1 files, Excel workbooks, reference-manager files or other reviews in",
        description="Bring the references, comparisons and rows of one or more curator/1 files, filled-in "
        "Excel templates or exported workbooks (their Data and References sheets), or other review "
        "databases into a review database; and references from reference managers (RIS .ris, "
        "PubMed/MEDLINE .nbib/.txt, BibTeX .bib, CSL-JSON .json), without duplicates. "
        "All or nothing: if any file has a problem, nothing is imported and the message names the file, "
        "the place and the value. "
        "A comparison whose key the review already has is refused unless --replace is given.",
    )
    p.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="curator/1 file, .xlsx workbook, review database or reference-manager file",
    )
    p.add_argument(
        "--db",
        metavar="DB",
        help="review database to import into (created if new; default: the embedded default review)",
    )
    p.add_argument("--replace", action="store_true", help="replace everything the review holds with the files' content")
    p.add_argument(
        "--skip-bad",
        action="store_true",
        help="reference files: skip records that cannot be read (default: import nothing)",
    )
    p.add_argument(
        "--duplicates",
        choices=["merge", "keep"],
        help="reference files: for records that match a reference already there, merge them (fill its "
        "empty fields) or keep both (default: list the pairs and import nothing)",
    )
    p.add_argument(
        "--keys",
        choices=["number", "source"],
        default="number",
        help="reference files: key new references by the next free number (default) or by the file's own citation keys",
    )
    p.set_defaults(func=_cmd_import)

    p = sub.add_parser(
        "export",
        help="write a review to a file",
        description="Write the whole review of SOURCE (default: the embedded default review) to a file. "
        "The format follows the file name's extension, or --format. Numbers are written exactly "
        "as they were reported.",
    )
    p.add_argument("source", nargs="?", metavar="SOURCE", help="review database or curator/1 file")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="file to write (- for standard output)")
    p.add_argument(
        "--format",
        choices=["json", "xlsx", "csv", "ris", "bib"],
        help="json: the curator/1 exchange file; xlsx: the stakeholder workbook (comparison tables, "
        "references, findings, data); csv: the flat data table; ris, bib: the reference list",
    )
    p.add_argument("--verified-only", action="store_true", help="workbook: export verified rows only")
    p.set_defaults(func=_cmd_export)

    p = sub.add_parser(
        "template",
        help="write an empty Excel extraction template",
        description="Write an empty workbook with the Data and References sheets, drop-down lists and "
        "input hints, for reviewers who extract in Excel. Value columns are formatted as text so "
        "that numbers stay as typed (42.60 stays 42.60). Bring it back with `curator import`.",
    )
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="the .xlsx file to write")
    p.set_defaults(func=_cmd_template)

    p = sub.add_parser(
        "demo",
        help="write the demo review (the pimecrolimus guide's tables) to a database",
        description="Write the demo review, the two comparison tables and the reference list of a "
        "comparative guide on pimecrolimus, to a review database (created if new).",
    )
    p.add_argument("--db", metavar="DB", help="review database (default: the embedded default review)")
    p.add_argument("--replace", action="store_true", help="replace what the review already holds")
    p.set_defaults(func=_cmd_demo)

    p = sub.add_parser(
        "check",
        help="find numbers that cannot be right (impossible percentages, effects, CIs, citations)",
        description="Run the consistency rules over a review and report every finding, with the numbers. "
        "Each finding is named (RULE:COMPARISON[ROW].FIELD, or RULE:@REFERENCE) so that it can be "
        "accepted with a reason; an accepted finding is listed apart and stays accepted until the "
        "values it is about change. Exit status 1 when an open finding has severity error.",
    )
    p.add_argument("source", nargs="?", metavar="SOURCE", help="review database or curator/1 file")
    p.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="text: a readable report; json: the catalogue's JSON array of open findings",
    )
    p.add_argument("--rule", action="append", metavar="ID", help="run only this rule (repeatable)")
    p.add_argument(
        "--severity", choices=["error", "warning", "info"], help="report only findings of this severity or worse"
    )
    p.add_argument(
        "--with-accepted",
        action="store_true",
        help='with --format json, also list accepted findings, each with an "accepted" object',
    )
    p.add_argument(
        "--accept",
        action="append",
        metavar="FINDING",
        help="accept the named finding (repeatable; needs --reason and a review database)",
    )
    p.add_argument("--reason", metavar="TEXT", help="why the findings given with --accept are acceptable")
    p.add_argument("--list-rules", action="store_true", help="list the rules with their severity and quit")
    p.set_defaults(func=_cmd_check)

    p = sub.add_parser(
        "compare",
        help="compare two reviewers' extractions field by field",
        description="Match the rows of two reviews (databases or curator/1 files) by comparison, endpoint "
        "and citations, and list every row found in only one of them and every field whose values "
        "differ. Numbers are compared as numbers (42.6 equals 42.60), p-values with their relation "
        "(<0.001 is not 0.001), text ignoring extra white space; reviewer names, status and notes "
        "are not compared. Exit status 1 when they differ.",
    )
    p.add_argument("a", metavar="A", help="the first reviewer's review (database or curator/1 file)")
    p.add_argument("b", metavar="B", help="the second reviewer's review")
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")
    p.set_defaults(func=_cmd_compare)

    p = sub.add_parser(
        "merge-references",
        help="fold one reference into another, re-pointing every citation",
        description="Merge reference DROP into reference KEEP: KEEP's empty fields are filled from DROP, "
        "every row citing DROP cites KEEP instead (a row citing both keeps one citation), and DROP is "
        "deleted. Every step is in the audit log.",
    )
    p.add_argument("keep", metavar="KEEP", help="key of the reference to keep")
    p.add_argument("drop", metavar="DROP", help="key of the reference to fold into KEEP")
    p.add_argument("--db", metavar="DB", help="review database (default: the embedded default review)")
    p.set_defaults(func=_cmd_merge_references)

    p = sub.add_parser(
        "log",
        help="print the audit log: who changed what, when",
        description="Print every change recorded in a review database, oldest first: when, who, what "
        "(insert, update, delete), the table and row, the field, and the old and new values. The log "
        "is append-only: the database itself refuses to change or delete it.",
    )
    p.add_argument("db", nargs="?", metavar="DB", help="review database (default: the embedded default review)")
    p.add_argument("--row", metavar="COMPARISON[ROW]", help="only the changes to one row, e.g. pime-vs-tcs[2]")
    p.add_argument("--since", metavar="DATE", help="only changes from this date or time on (ISO 8601)")
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")
    p.set_defaults(func=_cmd_log)

    p = sub.add_parser(
        "info",
        help="say what a review holds",
        description="Print the review's title and how many references, comparisons and rows (by status) it holds.",
    )
    p.add_argument("source", nargs="?", metavar="SOURCE", help="review database or curator/1 file")
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")
    p.set_defaults(func=_cmd_info)
    return parser


# -- commands ----------------------------------------------------------------


def _cmd_gui(args: argparse.Namespace) -> int:
    from curator.gui.launch import launch

    return launch(args.db, who=_reviewer(args), screenshot=args.screenshot)


def _import(
    db_arg: str | None,
    reviews: list[Review],
    replace: bool,
    who: str,
    reference_files: list[ReferenceFile] | None = None,
    args: argparse.Namespace | None = None,
) -> tuple[Path, dict[str, int]]:
    """Write everything in one transaction: all of it, or nothing."""
    from curator.sources import open_review
    from curator.store.repository import add_content, replace_content

    totals: dict[str, int] = {}
    with open_review(db_arg, create=True, who=who) as db:
        if db.readonly:
            raise CuratorError(f"{db.path}: cannot write: the file is read-only")
        with db.session() as session:
            for i, review in enumerate(reviews):
                write = replace_content if replace and i == 0 else add_content
                for name, count in write(session, review, who).items():
                    totals[name] = totals.get(name, 0) + count
            if reference_files:
                assert args is not None
                for name, count in _import_references(session, reference_files, args, who).items():
                    totals[name] = totals.get(name, 0) + count
        return db.path, totals


def _import_references(session: Any, files: list[ReferenceFile], args: argparse.Namespace, who: str) -> dict[str, int]:
    from curator.references import plan_import
    from curator.store.references import apply_reference_import
    from curator.store.repository import load_review

    existing = load_review(session).references
    incoming = [ref for rf in files for ref in rf.references]
    where = [f"{rf.path}: {w}" for rf in files for w in rf.where]
    plan = plan_import(existing, incoming, keys=args.keys, where=where)
    if plan.undecided and args.duplicates is None and sys.stdin.isatty() and sys.stdout.isatty():
        _ask_pairs(plan)
    if plan.undecided:
        if args.duplicates is None:
            pairs = "\n".join(
                f"  {pair.where or 'record'}: {pair.why} as reference {pair.existing.key!r}"
                + (" (earlier in the file)" if pair.in_file else "")
                for pair in plan.undecided[:20]
            )
            more = f"\n  ... and {len(plan.undecided) - 20} more" if len(plan.undecided) > 20 else ""
            raise CuratorError(
                f"{len(plan.undecided)} records match a reference already there or an earlier record; "
                "nothing was imported. "
                f"Choose --duplicates merge (fill their empty fields) or --duplicates keep (add both):\n"
                f"{pairs}{more}"
            )
        plan.decide_all(args.duplicates)
    counts = apply_reference_import(session, plan, who)
    return {"references": counts["added"], "references_merged": counts["merged"]}


def _ask_pairs(plan: Any) -> None:
    """At a terminal: show each duplicate pair and let the reviewer choose."""
    from curator.references import format_vancouver

    for pair in list(plan.undecided):
        print(
            f"\n{pair.where or 'A record'} matches {'an earlier record' if pair.in_file else 'reference'} "
            f"{pair.existing.key!r} ({pair.why}):"
        )
        print(f"  there: {format_vancouver(pair.existing)}")
        print(f"  new:   {format_vancouver(pair.incoming)}")
        for name, (old, new) in pair.conflicts().items():
            print(f"  {name} differs: {old!r} there, {new!r} in the file")
        while True:
            answer = input("[m]erge (fill empty fields), [k]eep both, or [a]bort? ").strip().lower()[:1]
            if answer in ("m", "k"):
                pair.decision = "merge" if answer == "m" else "keep"
                break
            if answer == "a":
                raise CuratorError("import aborted; nothing was imported")


def _summary(totals: dict[str, int]) -> str:
    text = (
        f"{totals.get('comparisons', 0)} comparisons, {totals.get('rows', 0)} rows, "
        f"{totals.get('references', 0)} references, {totals.get('accepted_findings', 0)} accepted findings"
    )
    if totals.get("references_merged"):
        text += f"; {totals['references_merged']} references merged with ones already there"
    return text


def _cmd_import(args: argparse.Namespace) -> int:
    from curator.references import is_reference_file, read_reference_file
    from curator.sources import read_source

    # Read and check every file before the database is touched.
    reviews: list[Review] = []
    reference_files: list[ReferenceFile] = []
    for name in args.files:
        path = Path(name)
        if path.is_file() and is_reference_file(path):
            rf = read_reference_file(path)
            if rf.problems and not args.skip_bad:
                shown = "\n".join(f"  {problem}" for problem in rf.problems[:20])
                raise CuratorError(
                    f"{path}: {len(rf.problems)} records cannot be read; nothing was imported "
                    f"(--skip-bad imports the {len(rf.references)} readable ones):\n{shown}"
                )
            for problem in rf.problems:
                print(f"curator: skipped {problem}", file=sys.stderr)
            reference_files.append(rf)
        else:
            reviews.append(read_source(path))
    path, totals = _import(args.db, reviews, args.replace, _reviewer(args), reference_files, args)
    print(f"Imported {_summary(totals)} into {path}")
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace) -> int:
    from curator.demo import demo_review

    path, totals = _import(args.db, [demo_review()], args.replace, _reviewer(args))
    print(f"Wrote the demo review ({_summary(totals)}) to {path}")
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    from curator.formats.exchange import dumps_exchange
    from curator.formats.registry import WRITERS, ExportOptions, writer_for
    from curator.sources import read_source

    if args.output == "-":
        if args.format not in (None, "json"):
            raise CuratorError("-o -: only json can be written to standard output")
        sys.stdout.write(dumps_exchange(read_source(args.source)))
        return EXIT_OK
    writer = writer_for(args.output, args.format)
    if writer is None:
        suffix = Path(args.output).suffix.lower()
        known = ", ".join(w.suffix for w in WRITERS.values())
        raise CuratorError(
            f"{args.output}: cannot tell the format from {suffix or 'a name without extension'!r}; "
            f"supported: {known}; or give --format"
        )
    if args.verified_only and writer.name != "xlsx":
        raise CuratorError("--verified-only applies to the Excel workbook (.xlsx)")
    review = read_source(args.source)
    options = ExportOptions(exported_by=_reviewer(args), source=args.source, verified_only=args.verified_only)
    print(writer.write(review, Path(args.output), options), file=sys.stderr)
    return EXIT_OK


def _cmd_template(args: argparse.Namespace) -> int:
    from curator.formats.xlsx_data import write_template

    write_template(Path(args.output))
    print(f"Wrote an empty extraction template to {args.output}", file=sys.stderr)
    return EXIT_OK


def _cmd_check(args: argparse.Namespace) -> int:
    from curator.checks import RULES, exit_status, format_findings_text, run_checks, split_accepted
    from curator.sources import is_database, read_source

    if args.list_rules:
        for rule in RULES:
            print(f"{rule.id:22} {rule.severity:8} {rule.description}")
        return EXIT_OK
    known = {rule.id for rule in RULES}
    for rule_id in args.rule or []:
        if rule_id not in known:
            raise CuratorError(f"--rule {rule_id!r}: no such rule (see `curator check --list-rules`)")
    if args.accept and not args.reason:
        raise CuratorError("--accept needs --reason: say why the finding is acceptable")
    if args.reason and not args.accept:
        raise CuratorError("--reason goes with --accept FINDING")
    review = read_source(args.source)
    # The loaded review lives until the process ends: keep the garbage
    # collector from walking it again and again while the rules run.
    gc.freeze()
    findings = run_checks(review, rules=args.rule, min_severity=args.severity)
    open_findings, accepted = split_accepted(findings, review.accepted_findings)
    if args.accept:
        return _accept(args, open_findings + [f for f, _ in accepted])
    if args.format == "json":
        out = [f.to_json() for f in open_findings]
        if args.with_accepted:
            for finding, acceptance in accepted:
                item = finding.to_json()
                item["accepted"] = {"reason": acceptance.reason, "by": acceptance.by, "at": acceptance.at}
                out.append(item)
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(format_findings_text(open_findings, accepted), end="")
        if open_findings and args.source is not None and is_database(Path(args.source)):
            print(f'\nTo accept a finding: curator check {args.source} --accept FINDING --reason "why"')
    return exit_status(open_findings)


def _accept(args: argparse.Namespace, findings: list) -> int:  # type: ignore[type-arg]
    from curator.acceptance import accept_findings, locator_of, parse_locator, select_findings
    from curator.sources import is_database, open_review
    from curator.store.repository import save_acceptances

    if args.source is not None and not is_database(Path(args.source)):
        raise CuratorError(
            f"{args.source}: accepting a finding needs a review database; "
            "import the file first (curator import FILE --db DB)"
        )
    chosen = select_findings(findings, [parse_locator(text) for text in args.accept])
    who = _reviewer(args)
    acceptances = accept_findings(chosen, args.reason, by=who)
    with open_review(args.source, create=False, who=who) as db:
        if db.readonly:
            raise CuratorError(f"{db.path}: cannot write: the file is read-only")
        with db.session() as session:
            save_acceptances(session, acceptances, who)
    for finding in chosen:
        print(f"Accepted {locator_of(finding)}: {finding.message}")
    return EXIT_OK


def _cmd_compare(args: argparse.Namespace) -> int:
    from curator.compare import compare_reviews, format_differences_text
    from curator.sources import read_source

    a, b = read_source(Path(args.a)), read_source(Path(args.b))
    differences = compare_reviews(a, b)
    if args.format == "json":
        print(json.dumps([d.to_json() for d in differences], ensure_ascii=False, indent=2))
    else:
        print(format_differences_text(differences, args.a, args.b), end="")
    return EXIT_PROBLEMS if differences else EXIT_OK


def _cmd_merge_references(args: argparse.Namespace) -> int:
    from curator.sources import open_review
    from curator.store.references import merge_references

    who = _reviewer(args)
    with open_review(args.db, create=False, who=who) as db:
        if db.readonly:
            raise CuratorError(f"{db.path}: cannot write: the file is read-only")
        with db.session() as session:
            counts = merge_references(session, args.keep, args.drop, who)
    print(
        f"Merged reference {args.drop!r} into {args.keep!r}: {counts['fields_filled']} fields filled, "
        f"{counts['citations_repointed']} citations re-pointed, {counts['citations_dropped']} repeated ones dropped"
    )
    return EXIT_OK


def _cmd_log(args: argparse.Namespace) -> int:
    import re

    from curator.sources import is_database, open_review
    from curator.store.repository import audit_entries, row_id_of

    if args.db is not None and not is_database(Path(args.db)):
        raise CuratorError(f"{args.db}: the audit log is kept in review databases; this is not one")
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
    with open_review(args.db, create=False) as db, db.session(write=False) as session:
        table = row_id = None
        if args.row:
            m = re.fullmatch(r"(.+)\[(\d+)\]", args.row.strip())
            if m is None:
                raise CuratorError(f"--row {args.row!r}: name a row as COMPARISON[ROW], e.g. pime-vs-tcs[2]")
            row_id = row_id_of(session, m[1], int(m[2]))
            if row_id is None:
                raise CuratorError(f"--row {args.row!r}: the review has no such row")
            table = "endpoint_row"
        entries = audit_entries(session, table=table, row_id=row_id, since=since)
    if args.format == "json":
        for entry in entries:
            entry["at"] = entry["at"].isoformat() if hasattr(entry["at"], "isoformat") else entry["at"]
        print(json.dumps(entries, ensure_ascii=False, indent=2))
        return EXIT_OK
    for e in entries:
        at = e["at"].isoformat(sep=" ", timespec="seconds") if hasattr(e["at"], "isoformat") else e["at"]
        what = f"{e['action']} {e['table_name']} {e['row_id'] if e['row_id'] is not None else ''}".rstrip()
        if e["field"]:
            print(f"{at}  {e['who']}  {what} {e['field']}: {e['old']!r} -> {e['new']!r}")
        else:
            print(f"{at}  {e['who']}  {what}")
    if not entries:
        print("No changes recorded.")
    return EXIT_OK


def _cmd_info(args: argparse.Namespace) -> int:
    from curator.paths import default_database
    from curator.sources import read_source

    review = read_source(args.source)
    counts = review.counts()
    source = args.source or str(default_database())
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
                    "accepted_findings": len(review.accepted_findings),
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
    lines += [f"  {c.key}: {c.title} ({len(c.rows)} rows)" for c in review.comparisons]
    lines += [
        f"Rows:         {review.row_count} ({by_status})",
        f"Accepted findings: {len(review.accepted_findings)}",
    ]
    print("\n".join(lines))
    return EXIT_OK


# -- entry point -------------------------------------------------------------


def _log_bug() -> Path | None:
    from curator.paths import log_file

    path = log_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"--- {datetime.now(UTC).isoformat()} curator {__version__} {sys.argv!r}\n")
            handle.write(traceback.format_exc())
    except OSError:
        return None
    return path


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
    if func is None:  # no command: the desktop app on the default review
        args = parser.parse_args([*argv, "gui"])
        func = args.func
    try:
        return func(args)
    except CuratorError as exc:
        print(f"curator: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("curator: interrupted; nothing was written", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of our output went away (e.g. `| head`): not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except Exception:
        where = _log_bug()
        detail = f"; details are in {where}" if where else ""
        print(f"curator: internal error, sorry: this is a bug{detail}", file=sys.stderr)
        return EXIT_BUG


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
