"""Commands of double-checking: confirm, fix, dispute, double-entry, merge, adjudication.

The three verdicts on a value use the same words as verify mode's buttons
and the History: ``confirm`` (the value is what the source says), ``fix``
(replace it with the source's value) and ``dispute`` (say why it is wrong).
The old names ``verify`` (now ``confirm``) and ``correct`` (now ``fix``)
still work, with a deprecation note on stderr.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from curator.cli.common import EXIT_OK, reviewer
from curator.errors import CuratorError
from curator.naming import field_label
from curator.words import counted

__all__ = [
    "cmd_confirm",
    "cmd_dispute",
    "cmd_fix",
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


def _labels(review: Any, comparison: str, names: list[str]) -> str:
    """Fields as the form names them (an arm's after the comparison's arm label)."""
    arms = review.arms(comparison)
    return ", ".join(field_label(name, arms) for name in names)


def cmd_confirm(args: argparse.Namespace) -> int:
    from curator.services.story import row_words

    who = reviewer(args)
    comparison, position = parse_row(args.row)
    with _open(args.review, who, "verification") as review:
        row = row_words(comparison, position)
        if args.field:
            status = review.checking.verify_fields(comparison, position, args.field, expected=_expected(args))
            print(f"{who} confirmed {row}: {_labels(review, comparison, args.field)}; the row is {status}")
            done = list(args.field)
        else:
            done = review.checking.verify_row(comparison, position)
            print(f"{who} confirmed {row}: {counted(len(done), 'field')}")
        _note_errors(review, comparison, position, done)
    return EXIT_OK


def _expected(args: argparse.Namespace) -> dict[str, str] | None:
    """``--expect OLD`` (one per ``--field``, in order): the values the command was written against."""
    expect = getattr(args, "expect", None)
    if expect is None:
        return None
    names = args.field if isinstance(args.field, list) else [args.field]
    if not names or len(expect) != len(names):
        raise CuratorError(
            f"give one --expect per --field, in the same order ({counted(len(names or []), '--field')}, "
            f"{counted(len(expect), '--expect')}); nothing was written"
        )
    return dict(zip(names, expect, strict=True))


def _note_errors(review: Any, comparison: str, position: int, fields: list[str]) -> None:
    """Say on stderr which confirmed fields have an open error (as verify mode does before its second
    Enter): they are confirmed as the paper prints them, and ``fix`` is the way if it prints otherwise."""
    confirmed = set(fields)
    for finding in review.findings.open():
        if (
            finding.severity == "error"
            and finding.comparison == comparison
            and finding.row == position
            and finding.field in confirmed
        ):
            label = _labels(review, comparison, [finding.field])
            print(
                f"curator: note: {label} has an open error: {finding.message}; confirmed as the paper prints it "
                "(curator fix puts the source's value instead)",
                file=sys.stderr,
            )


def cmd_dispute(args: argparse.Namespace) -> int:
    from curator.services.story import row_words

    who = reviewer(args)
    comparison, position = parse_row(args.row)
    with _open(args.review, who, "verification") as review:
        expected = _expected(args)
        review.checking.dispute_field(
            comparison, position, args.field, args.comment, expected=None if expected is None else expected[args.field]
        )
        label = _labels(review, comparison, [args.field])
    print(f"{who} disputed {row_words(comparison, position)}: {label}; the row is disputed")
    return EXIT_OK


def cmd_fix(args: argparse.Namespace) -> int:
    from curator.services.story import row_words

    who = reviewer(args)
    comparison, position = parse_row(args.row)
    with _open(args.review, who, "verification") as review:
        expected = _expected(args)
        status = review.checking.fix_field(
            comparison, position, args.field, args.value, expected=None if expected is None else expected[args.field]
        )
        label = _labels(review, comparison, [args.field])
    print(f"{who} fixed {row_words(comparison, position)}: {label} is now {args.value!r}; the row is {status}")
    return EXIT_OK


Command = Callable[[argparse.Namespace], int]


def _deprecated(old: str, new: str, command: Command) -> Command:
    """``command`` under its old name: a note on stderr, then the same work."""

    def run(args: argparse.Namespace) -> int:
        print(f"curator: `{old}` is now called `{new}`; the old name still works but will go", file=sys.stderr)
        return command(args)

    return run


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
    with _open(args.review, who, "verification") as review:
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
    agree = "agrees" if len(result.matched) == 1 else "agree"
    print(f"{comparison}[{position}]: {counted(len(result.matched), 'field')} {agree} (verified by {who})")
    for name, a, b, item in result.differing:
        print(f"  {field_label(name, arms)}: stored {_q(a)}, entered {_q(b)} -> adjudication item {item}")
    print(f"The row is {result.status}")
    return EXIT_OK


def _q(text: str | None) -> str:
    return "(nothing)" if text is None else repr(text)


def cmd_merge(args: argparse.Namespace) -> int:
    from curator.services.sources import is_server_url, read_theirs

    who = reviewer(args)
    read_theirs(args.theirs)  # refuses a file that is not a review before ours is opened
    on_file = args.review is not None and not is_server_url(args.review)
    if on_file and Path(args.review).resolve() == Path(args.theirs).resolve():
        raise CuratorError(f"{args.theirs}: is the review itself; merge another reviewer's file")
    with _open(args.review, who, "verification") as review:
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
        with _open(args.review, who, "adjudication") as review:
            item = review.checking.decide(
                number,
                choice,
                value=args.value,
                reason=args.reason,
                expected=None if args.expect is None else args.expect[0],
            )
        print(f"{who} decided item {item.id} ({item.where}): {item.choice}, {_q(item.final)}")
        return EXIT_OK
    if args.value is not None or args.reason is not None:
        raise CuratorError("--value and --reason go with --decide ID CHOICE")
    with _open(args.review, reviewer(args), "adjudication") as review:
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
        print(f"\n{len(found)} open. Decide: curator adjudication REVIEW --decide ID a|b|new [--value V] --reason TEXT")
    return EXIT_OK


def _expect(p: argparse.ArgumentParser, more: str = "") -> None:
    """``--expect OLD``: the value the reviewer read, compared before the write (compare-and-set)."""
    p.add_argument(
        "--expect",
        action="append",
        metavar="OLD",
        help="the value you read (as printed, empty for none): refused, exit 2 with both values, when the "
        f"stored value is another (someone changed it meanwhile){more}",
    )


def add_commands(sub: Any) -> None:
    """Register the double-checking commands on the main parser's subparsers."""
    from curator.cli.parser import add_review

    row_help = "the row, as COMPARISON[ROW] (0-based), e.g. pime-vs-tcs[2]"

    confirm = {
        "description": "Confirm fields of a row against the source: the given --field ones, or every field "
        "that has a value; each becomes verified by you (--reviewer). A row whose valued fields are all "
        "verified becomes verified. The reviewer who extracted the row cannot confirm it. Changing a "
        "verified value later un-verifies it. (Verify mode's Enter does the same.)",
    }
    for name, more in (
        ("confirm", {"help": "confirm a row's values against the source (a second reviewer, never the extractor)"}),
        ("verify", {}),  # the old name: not listed, still works
    ):
        description = confirm["description"] + (" `verify` is the old name of `confirm`." if not more else "")
        p = sub.add_parser(name, description=description, **more)
        add_review(p, "database")
        p.add_argument("row", metavar="COMPARISON[ROW]", help=row_help)
        p.add_argument(
            "--field", action="append", metavar="FIELD", help="a dotted field, e.g. intervention.value (repeatable)"
        )
        _expect(p, "; one per --field, in order")
        p.set_defaults(func=cmd_confirm if more else _deprecated("verify", "confirm", cmd_confirm))

    p = sub.add_parser(
        "dispute",
        help="say a row's value is wrong, with why",
        description="Mark a field of a row disputed by you, with a comment; the row becomes disputed "
        "until the value is fixed or confirmed. (Verify mode's D does the same.)",
    )
    add_review(p, "database")
    p.add_argument("row", metavar="COMPARISON[ROW]", help=row_help)
    p.add_argument("--field", required=True, metavar="FIELD", help="the dotted field, e.g. effect.ci_low")
    p.add_argument("--comment", required=True, metavar="TEXT", help="why the value is wrong")
    _expect(p)
    p.set_defaults(func=cmd_dispute)

    fix = (
        "Fix a field of a row: set it to the value you read in the source, validated as any edit; the field "
        "is then verified by you. The audit log keeps the old and the new value. (Verify mode's F does the same.)"
    )
    for name, more in (
        ("fix", {"help": "as verifier, replace a wrong value with the source's (old and new kept in the log)"}),
        ("correct", {}),  # the old name: not listed, still works
    ):
        description = fix + (" `correct` is the old name of `fix`." if not more else "")
        p = sub.add_parser(name, description=description, **more)
        add_review(p, "database")
        p.add_argument("row", metavar="COMPARISON[ROW]", help=row_help)
        p.add_argument("--field", required=True, metavar="FIELD", help="the dotted field, e.g. comparator.n")
        p.add_argument("--value", required=True, metavar="TEXT", help="the value as printed (empty to clear)")
        _expect(p)
        p.set_defaults(func=cmd_fix if more else _deprecated("correct", "fix", cmd_fix))

    p = sub.add_parser(
        "double-entry",
        help="enter a row's values again, blind, and compare them with the stored ones",
        description="Compare the values you enter for a row (without looking at the stored ones) with "
        "the stored values, as `curator compare` does (42.6 equals 42.60, <0.001 is not 0.001). "
        "Fields that agree become verified by you; fields that differ go to adjudication. The "
        "stored values are not changed. The reviewer who extracted the row cannot double-enter it.",
    )
    add_review(p, "database")
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
    add_review(p, "database", "the review database to merge into (default: the embedded default review)")
    p.add_argument("theirs", metavar="THEIRS", help="the other reviewer's review database or curator/1 file")
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
    add_review(p, "database")
    p.add_argument("--decide", nargs=2, metavar=("ID", "CHOICE"), help="decide item ID: a, b or new")
    p.add_argument("--value", metavar="TEXT", help="the new value (with --decide ID new)")
    p.add_argument("--reason", metavar="TEXT", help="why (required for a new value)")
    p.add_argument(
        "--expect",
        action="append",
        metavar="OLD",
        help="with --decide: the field's value in the review as you read it; refused, exit 2 with both values, "
        "when it was changed meanwhile",
    )
    p.add_argument("--all", action="store_true", help="list decided items too, with their decisions")
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")
    p.set_defaults(func=cmd_adjudication)
