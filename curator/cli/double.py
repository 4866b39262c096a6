"""Commands of double-checking: verify, dispute, correct, double-entry, merge, adjudication."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Any

from curator.cli.common import EXIT_OK, reviewer
from curator.errors import CuratorError
from curator.naming import field_label, row_place

__all__ = [
    "cmd_verify",
    "cmd_dispute",
    "cmd_correct",
    "cmd_double_entry",
    "cmd_merge",
    "cmd_adjudication",
    "add_commands",
]


def parse_row(text: str) -> tuple[str, int]:
    """``pime-vs-tcs[2]`` -> (``pime-vs-tcs``, 2)."""
    m = re.fullmatch(r"(.+)\[(\d+)\]", text.strip())
    if m is None:
        raise CuratorError(f"{text!r}: name a row as COMPARISON[ROW], e.g. pime-vs-tcs[2]")
    return m[1], int(m[2])


def _open(path: str | None, who: str, what: str) -> Any:
    """The review database a double-checking command works on (another kind of file is refused)."""
    from curator.services import ReviewService

    return ReviewService.open_existing(path, who, what=what)


def cmd_verify(args: argparse.Namespace) -> int:
    who = reviewer(args)
    comparison, position = parse_row(args.row)
    with _open(args.db, who, "verification") as review:
        if args.field:
            status = review.checking.verify_fields(comparison, position, args.field)
            print(f"{who} verified {_fields(review, comparison, position, args.field)}; the row is {status}")
        else:
            done = review.checking.verify_row(comparison, position)
            print(f"{who} verified {row_place(comparison, position)}: {len(done)} field{'' if len(done) == 1 else 's'}")
    return EXIT_OK


def cmd_dispute(args: argparse.Namespace) -> int:
    who = reviewer(args)
    comparison, position = parse_row(args.row)
    with _open(args.db, who, "verification") as review:
        review.checking.dispute_field(comparison, position, args.field, args.comment)
        where = review.field_place(comparison, position, args.field)
    print(f"{who} disputed {where}; the row is disputed")
    return EXIT_OK


def cmd_correct(args: argparse.Namespace) -> int:
    who = reviewer(args)
    comparison, position = parse_row(args.row)
    with _open(args.db, who, "verification") as review:
        status = review.checking.correct_field(comparison, position, args.field, args.value)
        where = review.field_place(comparison, position, args.field)
    print(f"{who} corrected {where} to {args.value!r}; the row is {status}")
    return EXIT_OK


def _fields(review: Any, comparison: str, position: int, names: list[str]) -> str:
    """Fields of one row in people's words: ``Pimecrolimus arm: n, Effect: p in row 3 of pime-vs-tcs``."""
    arms = review.arms(comparison)
    return f"{', '.join(field_label(name, arms) for name in names)} in {row_place(comparison, position)}"


def _entered(pairs: list[str]) -> dict[str, str]:
    entered: dict[str, str] = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        if not sep or not name.strip():
            raise CuratorError(f"--set {pair!r}: write FIELD=VALUE, e.g. intervention.value=42.6")
        if name.strip() in entered:
            raise CuratorError(f"--set {pair!r}: {name.strip()} is given twice")
        entered[name.strip()] = text
    return entered


def cmd_double_entry(args: argparse.Namespace) -> int:
    who = reviewer(args)
    comparison, position = parse_row(args.row)
    entered = _entered(args.set or [])
    with _open(args.db, who, "verification") as review:
        result = review.checking.double_entry(comparison, position, entered)
        arms = review.arms(comparison)
    if args.format == "json":
        out = {
            "comparison": comparison,
            "row": position,
            "status": result.status,
            "matched": result.matched,
            "differing": [{"field": f, "a": a, "b": b, "item": item} for f, a, b, item in result.differing],
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return EXIT_OK
    agree = len(result.matched)
    print(f"{row_place(comparison, position)}: {agree} field{'' if agree == 1 else 's'} agree (verified by {who})")
    for name, a, b, item in result.differing:
        print(f"  {field_label(name, arms)}: stored {_q(a)}, entered {_q(b)} -> adjudication item {item}")
    print(f"The row is {result.status}")
    return EXIT_OK


def _q(text: str | None) -> str:
    return "(nothing)" if text is None else repr(text)


def cmd_merge(args: argparse.Namespace) -> int:
    from curator.services.sources import read_theirs

    who = reviewer(args)
    read_theirs(args.theirs)  # refuses a file that is not a review before ours is opened
    if args.db is not None and Path(args.db).resolve() == Path(args.theirs).resolve():
        raise CuratorError(f"{args.theirs}: is the review itself; merge another reviewer's file")
    with _open(args.db, who, "verification") as review:
        summary = review.checking.merge(args.theirs)
    if args.format == "json":
        print(json.dumps(summary.to_json(), ensure_ascii=False, indent=2))
        return EXIT_OK
    lines = [f"Merged {args.theirs}:", *(f"  {line}" for line in summary.lines("curator adjudication"))]
    print("\n".join(lines))
    return EXIT_OK


def cmd_adjudication(args: argparse.Namespace) -> int:
    if args.decide is not None:
        item_id, choice = args.decide
        try:
            number = int(item_id)
        except ValueError:
            raise CuratorError(f"--decide {item_id!r}: the item's number, as `curator adjudication` lists it") from None
        who = reviewer(args)
        with _open(args.db, who, "adjudication") as review:
            item = review.checking.decide(number, choice, value=args.value, reason=args.reason)
        print(f"{who} decided item {item.id} ({item.where}): {item.choice}, {_q(item.final)}")
        return EXIT_OK
    if args.value is not None or args.reason is not None:
        raise CuratorError("--value and --reason go with --decide ID CHOICE")
    with _open(args.db, reviewer(args), "adjudication") as review:
        found = review.checking.adjudication_items(open_only=not args.all)
    if args.format == "json":
        print(json.dumps([item.to_json() for item in found], ensure_ascii=False, indent=2))
        return EXIT_OK
    if not found:
        print("No open adjudication items." if not args.all else "No adjudication items.")
        return EXIT_OK
    for item in found:
        a = f"A {_q(item.value_a)}" + (f" ({item.who_a})" if item.who_a else "")
        b = f"B {_q(item.value_b)}" + (f" ({item.who_b})" if item.who_b else "")
        print(f"#{item.id}  {item.where}  ({item.endpoint}; {item.origin})")
        print(f"      {a}  |  {b}")
        if item.source_location or item.source_quote:
            quote = _q(item.source_quote) if item.source_quote else ""
            print(f"      source: {item.source_location or ''} {quote}".rstrip())
        if not item.is_open:
            print(f"      decided by {item.decided_by}: {item.choice} {_q(item.final)}" +
                  (f" ({item.reason})" if item.reason else ""))  # fmt: skip
    if not args.all:
        print(f"\n{len(found)} open. Decide: curator adjudication DB --decide ID a|b|new [--value V] --reason TEXT")
    return EXIT_OK


def add_commands(sub: Any) -> None:
    """Register the double-checking commands on the main parser's subparsers."""
    row_help = "the row, as COMPARISON[ROW] (0-based), e.g. pime-vs-tcs[2]"
    db_help = "review database"

    p = sub.add_parser(
        "verify",
        help="confirm a row's values against the source (a second reviewer, never the extractor)",
        description="Mark fields of a row verified by you (--reviewer): the given --field ones, or every "
        "field that has a value. A row whose valued fields are all verified becomes verified. "
        "The reviewer who extracted the row cannot verify it. Changing a verified value later "
        "un-verifies it.",
    )
    p.add_argument("db", metavar="DB", help=db_help)
    p.add_argument("row", metavar="COMPARISON[ROW]", help=row_help)
    p.add_argument(
        "--field", action="append", metavar="FIELD", help="a dotted field, e.g. intervention.value (repeatable)"
    )
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser(
        "dispute",
        help="say a row's value is wrong, with why",
        description="Mark a field of a row disputed by you, with a comment; the row becomes disputed "
        "until the value is corrected or verified.",
    )
    p.add_argument("db", metavar="DB", help=db_help)
    p.add_argument("row", metavar="COMPARISON[ROW]", help=row_help)
    p.add_argument("--field", required=True, metavar="FIELD", help="the dotted field, e.g. effect.ci_low")
    p.add_argument("--comment", required=True, metavar="TEXT", help="why the value is wrong")
    p.set_defaults(func=cmd_dispute)

    p = sub.add_parser(
        "correct",
        help="as verifier, replace a wrong value with the source's (old and new kept in the log)",
        description="Set a field of a row to the value you read in the source, validated as any edit; "
        "the field is then verified by you. The audit log keeps the old and the new value.",
    )
    p.add_argument("db", metavar="DB", help=db_help)
    p.add_argument("row", metavar="COMPARISON[ROW]", help=row_help)
    p.add_argument("--field", required=True, metavar="FIELD", help="the dotted field, e.g. comparator.n")
    p.add_argument("--value", required=True, metavar="TEXT", help="the value as printed (empty to clear)")
    p.set_defaults(func=cmd_correct)

    p = sub.add_parser(
        "double-entry",
        help="enter a row's values again, blind, and compare them with the stored ones",
        description="Compare the values you enter for a row (without looking at the stored ones) with "
        "the stored values, as `curator compare` does (42.6 equals 42.60, <0.001 is not 0.001). "
        "Fields that agree become verified by you; fields that differ go to adjudication. The "
        "stored values are not changed. The reviewer who extracted the row cannot double-enter it.",
    )
    p.add_argument("db", metavar="DB", help=db_help)
    p.add_argument("row", metavar="COMPARISON[ROW]", help=row_help)
    p.add_argument(
        "--set",
        action="append",
        metavar="FIELD=VALUE",
        help="a value you read, e.g. intervention.value=42.6 (repeatable)",
    )
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")
    p.set_defaults(func=cmd_double_entry)

    p = sub.add_parser(
        "merge",
        help="bring another reviewer's review in: agreement verifies, disagreement goes to adjudication",
        description="Merge THEIRS (another reviewer's review database of the same Curator version, or a "
        "curator/1 file) into the review: rows are paired as `curator compare` pairs them; fields "
        "with the same value become verified by the other reviewer (a row identical in both is "
        "verified by the pair), differing fields go to adjudication, rows and references found "
        "only in THEIRS are added (rows as extracted). THEIRS is only read, never changed; a file "
        "that is not a review, or of another schema version, is refused. One transaction, audited.",
    )
    p.add_argument("theirs", metavar="THEIRS", help="the other reviewer's review database or curator/1 file")
    p.add_argument("--db", metavar="DB", help="the review to merge into (default: the embedded default review)")
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")
    p.set_defaults(func=cmd_merge)

    p = sub.add_parser(
        "adjudication",
        help="list the fields two reviewers disagree on, or decide one",
        description="List the open adjudication items (field, value A, value B, who entered each, the "
        "source quote), or decide one with --decide ID a|b|new: the chosen value is written, the "
        "field verified by you and the decision recorded with your reason. A new value needs "
        "--value and --reason. The adjudicator must be neither of the two reviewers.",
    )
    p.add_argument("db", nargs="?", metavar="DB", help="review database (default: the embedded default review)")
    p.add_argument("--decide", nargs=2, metavar=("ID", "CHOICE"), help="decide item ID: a, b or new")
    p.add_argument("--value", metavar="TEXT", help="the new value (with --decide ID new)")
    p.add_argument("--reason", metavar="TEXT", help="why (required for a new value)")
    p.add_argument("--all", action="store_true", help="list decided items too, with their decisions")
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")
    p.set_defaults(func=cmd_adjudication)
