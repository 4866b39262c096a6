"""The command line's parser: every command with help a reviewer understands."""

from __future__ import annotations

import argparse
import sys
from typing import Any, Literal

from curator import __version__
from curator.cli.analysis import add_commands as add_analysis_commands
from curator.cli.checks import cmd_check, cmd_compare
from curator.cli.common import Parser
from curator.cli.documents import add_commands as add_document_commands
from curator.cli.double import add_commands as add_double_checking_commands
from curator.cli.review import (
    cmd_demo,
    cmd_export,
    cmd_gui,
    cmd_import,
    cmd_info,
    cmd_log,
    cmd_merge_references,
    cmd_template,
)
from curator.cli.team import add_commands as add_team_commands
from curator.cli.transfer import add_commands as add_transfer_commands
from curator.formats.registry import WRITERS

__all__ = ["build_parser", "add_review", "CommandParser"]

_DESCRIPTION = """\
Curator keeps the numbers of clinical comparison tables (endpoints, both
arms' results, effect estimates, citations) in one review database per
review, checks them, and moves them in and out as files.

Without a command, Curator opens the desktop app on the embedded default
review (created with a demo review the first time).

Every command names its review the same way, first after the command:
`curator info REVIEW`. A REVIEW is a review database (.sqlite) or, for
the commands that only read it, a curator/1 exchange file (.json); without
one, the embedded default review is used. A new review database is made
only where no file exists: a file that is not a review is never written.
A team review on a PostgreSQL server is named by its URL wherever a review
database is: `curator check postgresql://USER@HOST/DATABASE`.
(The older `--db REVIEW` still works, with a note that it is deprecated.)"""

_EPILOG = """\
exit status: 0 success, 1 problems found, 2 bad usage or unreadable input,
3 internal error (details in the log file).

examples:
  curator demo demo.sqlite               write the demo review to a new file
  curator info demo.sqlite               what the review holds
  curator export demo.sqlite -o d.json   the whole review as a curator/1 file
  curator import copy.sqlite d.json      bring a curator/1 file into a review
  curator gui demo.sqlite                open it in the desktop app"""

#: The deprecated way of naming the review (``--db REVIEW``), kept apart from the positional.
_DEPRECATED_DB = "deprecated_db"

_REVIEW_HELP = {
    "read": "the review: a review database, a postgresql:// URL or a curator/1 file "
    "(default: the embedded default review)",
    "database": "the review database or postgresql:// URL (default: the embedded default review)",
    "create": "the review database, made if no file is there, or a postgresql:// URL "
    "(default: the embedded default review)",
}


def add_review(
    p: argparse.ArgumentParser, kind: Literal["read", "database", "create"], help: str | None = None
) -> None:
    """Name the review a command works on, the one way every command does: an optional positional
    REVIEW, before the command's other positionals (``curator verify REVIEW COMPARISON[ROW]``).

    ``kind`` says what it may be: ``read`` a database or a curator/1 file, ``database`` an existing
    database, ``create`` a database made where nothing exists. The old ``--db REVIEW`` is still
    taken, with a note on stderr (see :class:`CommandParser`). Call it before the other positionals.
    """
    p.add_argument("review", nargs="?", metavar="REVIEW", help=help or _REVIEW_HELP[kind])
    p.add_argument("--db", dest=_DEPRECATED_DB, metavar="REVIEW", help=argparse.SUPPRESS)


class CommandParser(Parser):
    """A command's parser. After parsing, a review given the old way, ``--db REVIEW``, becomes the
    positional REVIEW, with a deprecation note on stderr. With ``--db``, a positional taken as the
    review belongs to the command's list of files (``import A.json B.json --db R``); for a command
    without such a list, a review named twice is refused."""

    def parse_known_args(  # type: ignore[override]
        self, args: Any = None, namespace: Any = None
    ) -> tuple[argparse.Namespace, list[str]]:
        ns, extras = super().parse_known_args(args, namespace)
        old = getattr(ns, _DEPRECATED_DB, None)
        if old is None:
            return ns, extras
        setattr(ns, _DEPRECATED_DB, None)
        usage = self.review_usage()
        print(f"curator: --db is deprecated; name the review first: {usage}", file=sys.stderr)
        if ns.review is not None:
            listed = [a for a in self._positionals._group_actions if a.dest != "review" and a.nargs in ("+", "*")]
            if not listed:
                self.error(f"the review is named twice ({ns.review} and --db {old}); name it once: {usage}")
            setattr(ns, listed[0].dest, [ns.review, *getattr(ns, listed[0].dest)])
        ns.review = old
        return ns, extras

    def review_usage(self) -> str:
        """How the command is written with its review named first: ``curator import REVIEW FILE...``."""
        words = [self.prog]
        for action in self._positionals._group_actions:
            name = str(action.metavar or action.dest.upper())
            words.append(f"{name}..." if action.nargs in ("+", "*") else name)
        return " ".join(words)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
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
        "(default: $CURATOR_REVIEWER, else your login name); refused on a team review (postgresql://), "
        "where the database user you log in as is recorded",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=CommandParser)

    p = sub.add_parser(
        "gui",
        help="open the desktop app (the default when no command is given)",
        description="Open the desktop app on a review database (default: the embedded default review).",
    )
    add_review(
        p, "create", "the review database to open, made if no file is there (default: the embedded default review)"
    )
    p.add_argument("--screenshot", metavar="PNG", help="save a picture of the window to PNG and quit")
    p.set_defaults(func=cmd_gui)

    p = sub.add_parser(
        "import",
        help="bring curator/1 files, Excel workbooks, reference-manager files or other reviews in",
        description="Bring the references, comparisons and rows of one or more curator/1 files, filled-in "
        "Excel templates or exported workbooks (their Data and References sheets), or other review "
        "databases into a review database; and references from reference managers (RIS .ris, "
        "PubMed/MEDLINE .nbib/.txt, BibTeX .bib, CSL-JSON .json, Web of Science .txt/.ciw), without duplicates. "
        "All or nothing: if any file has a problem, nothing is imported and the message names the file, "
        "the place and the value. "
        "A comparison whose key the review already has is refused unless --replace is given. "
        "With two or more paths, the first is the REVIEW to import into; a single FILE goes into the "
        "embedded default review.",
    )
    add_review(
        p,
        "create",
        "the review database to import into, made if no file is there (default: the embedded default review)",
    )
    p.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="curator/1 file, .xlsx workbook, review database or reference-manager file",
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
        help="reference files: for every record that matches a reference already there, merge it (fill "
        "the reference's empty fields) or keep both. Default: a record sharing a DOI or PMID is merged; "
        "one that only looks the same (its title) is asked about at a terminal, and without one it is "
        "left out and listed, the rest imported, exit status 1",
    )
    p.add_argument(
        "--keys",
        choices=["number", "source"],
        default="number",
        help="reference files: key new references by the next free number (default) or by the file's own citation keys",
    )
    p.set_defaults(func=cmd_import)

    p = sub.add_parser(
        "export",
        help="write a review to a file",
        description="Write the whole review of SOURCE (default: the embedded default review) to a file. "
        "The format follows the file name's extension, or --format. Numbers are written exactly "
        "as they were reported.",
    )
    add_review(p, "read")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="file to write (- for standard output)")
    p.add_argument(
        "--format",
        choices=list(WRITERS),
        help="json: the curator/1 exchange file; xlsx: the stakeholder workbook (comparison tables, "
        "references, findings, data); csv: the flat data table; ris, bib: the reference list; revman-csv: the "
        "study data for RevMan Web's import (a .zip of its CSV files and the references); metafor-csv: each "
        "analysis's studies for R's metafor (see `curator analyse`)",
    )
    p.add_argument(
        "--verified-only",
        action="store_true",
        help="workbook: only rows verified here, field by field, by a reviewer other than the extractor "
        "(a status a file claims does not count)",
    )
    p.add_argument(
        "--with-documents",
        action="store_true",
        help="json, xlsx: also write the review's source documents (PDFs) beside the exchange file or workbook, "
        "each under its file name; a different file of that name already there is never overwritten (nothing is "
        "written)",
    )
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "template",
        help="write an empty Excel extraction template",
        description="Write an empty workbook with the Data and References sheets, drop-down lists and "
        "input hints, for reviewers who extract in Excel. Value columns are formatted as text so "
        "that numbers stay as typed (42.60 stays 42.60). Bring it back with `curator import`.",
    )
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="the .xlsx file to write")
    p.set_defaults(func=cmd_template)

    p = sub.add_parser(
        "demo",
        help="write the demo review (the pimecrolimus guide's tables) to a database",
        description="Write the demo review, the two comparison tables and the reference list of a "
        "comparative guide on pimecrolimus, to a review database (created if new).",
    )
    add_review(p, "create")
    p.add_argument("--replace", action="store_true", help="replace what the review already holds")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser(
        "check",
        help="find numbers that cannot be right (impossible percentages, effects, CIs, citations)",
        description="Run the consistency rules over a review and report every finding, with the numbers. "
        "Each finding is named (RULE:COMPARISON[ROW].FIELD, or RULE:@REFERENCE) so that it can be "
        "accepted with a reason; an accepted finding is listed apart and stays accepted until the "
        "values it is about change. Exit status 1 when an open finding has severity error.",
    )
    add_review(p, "read")
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
    p.set_defaults(func=cmd_check)

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
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser(
        "merge-references",
        help="fold one reference into another, re-pointing every citation",
        description="Merge reference DROP into reference KEEP: KEEP's empty fields are filled from DROP, "
        "every row citing DROP cites KEEP instead (a row citing both keeps one citation), and DROP is "
        "deleted. Every step is in the audit log.",
    )
    add_review(p, "database")
    p.add_argument("keep", metavar="KEEP", help="key of the reference to keep")
    p.add_argument("drop", metavar="DROP", help="key of the reference to fold into KEEP")
    p.add_argument(
        "--expect",
        action="append",
        metavar="KEY.FIELD=TEXT",
        help="a field of KEEP or DROP as you read it (repeatable; empty for none): refused, exit 2 with both "
        "values, when it is another now (someone changed it meanwhile)",
    )
    p.set_defaults(func=cmd_merge_references)

    p = sub.add_parser(
        "log",
        help="print the audit log: who changed what, when",
        description="Print every change recorded in a review database, oldest first: when (local time) and, "
        "in words, the row (numbered from 1), who did what to which field (named as the form names it) "
        "and the old and new values; --format json gives the entries as stored (UTC times, 0-based "
        "positions). The log is append-only: the database itself refuses to change or delete it, and its "
        "entries are chained by their hashes, so a change made behind its back shows (--verify).",
    )
    add_review(p, "database")
    p.add_argument("--row", metavar="COMPARISON[ROW]", help="only the changes to one row, e.g. pime-vs-tcs[2]")
    p.add_argument("--since", metavar="DATE", help="only changes from this date or time on (ISO 8601)")
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")
    p.add_argument(
        "--verify",
        action="store_true",
        help="check the log's hash chain instead of printing it: exit 0 and the head when every entry fits, "
        "exit 1 naming the first entry that does not (changed, missing, inserted, reordered, backdated)",
    )
    p.add_argument(
        "--head",
        metavar="H",
        help="with --verify: the audit head an export carried (the About sheet's or the exchange file's "
        "x-audit-head); proves the history up to it is unchanged",
    )
    p.set_defaults(func=cmd_log)

    p = sub.add_parser(
        "info",
        help="say what a review holds",
        description="Print the review's title and how many references, comparisons and rows (by status) it "
        "holds, and how many rows are verified here (field by field, by a reviewer other than the extractor) "
        "apart from those only claimed verified by the file they came from.",
    )
    add_review(p, "read")
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")
    p.set_defaults(func=cmd_info)

    add_double_checking_commands(sub)

    add_transfer_commands(sub, add_review)
    add_analysis_commands(sub, add_review)
    add_document_commands(sub)
    add_team_commands(sub)
    return parser
