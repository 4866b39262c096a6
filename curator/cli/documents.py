"""Commands of a review's source documents: attach a paper's PDF to a reference, detach it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from curator.cli.common import EXIT_OK, reviewer
from curator.errors import CuratorError
from curator.words import counted

__all__ = ["cmd_attach", "cmd_detach", "cmd_locate", "add_commands"]


def cmd_attach(args: argparse.Namespace) -> int:
    from curator.services import ReviewService

    with ReviewService.open_existing(args.review, reviewer(args), what="documents") as review:
        done = review.documents.attach(args.reference, Path(args.file))
    document = done.document
    if done.already:
        print(f"{document.file}: the review already holds these bytes ({document.sha256[:12]}); stored once")
    else:
        pages = counted(document.pages or 0, "page")
        print(f"Attached {document.file} ({pages}, sha256 {document.sha256[:12]}) to reference {args.reference!r}")
    if not done.has_text:
        print(
            f"curator: {document.file} has no text layer (a scan?): it can be viewed, not searched",
            file=sys.stderr,
        )
    return EXIT_OK


def cmd_detach(args: argparse.Namespace) -> int:
    from curator.services import ReviewService
    from curator.services.sources import is_database, is_server_url

    review_path, file = args.review, args.file
    on_file = review_path is not None and not is_server_url(review_path)
    if file is None and on_file and not is_database(Path(review_path)):
        review_path, file = None, review_path  # `curator detach --reference 7 wahn.pdf`: the one path is the file
    if (file is None) == (not args.all):
        raise CuratorError(
            f"reference {args.reference!r}: name the document to detach (its file name) or give --all, not both"
            if file is not None
            else f"reference {args.reference!r}: name the document to detach (its file name), or give --all"
        )
    with ReviewService.open_existing(review_path, reviewer(args), what="documents") as review:
        gone = review.documents.detach(args.reference, None if args.all else Path(file).name)
    for document in gone:
        print(f"Detached {document.file} from reference {args.reference!r}")
    return EXIT_OK


def cmd_locate(args: argparse.Namespace) -> int:
    """Where each value of a row stands in the papers of its references."""
    import json

    from curator.cli.double import parse_row
    from curator.naming import field_label, row_place
    from curator.services import ReviewService

    comparison, position = parse_row(args.row)
    accepted: list[str] = []
    with ReviewService.open_existing(args.review, reviewer(args), what="documents") as review:
        placed = review.documents.locate(comparison, position)
        arms = review.arms(comparison)
        for choice in args.accept or []:
            accepted.append(_accept(review, comparison, position, placed, choice))
        if accepted:
            placed = review.documents.locate(comparison, position)
    for line in accepted:
        print(line, file=sys.stderr if args.format == "json" else sys.stdout)
    fields: dict[str, dict[str, Any]] = {}
    for found in placed:
        for located in found.fields:
            entry = fields.setdefault(located.field, {"field": located.field, "text": located.text, "hits": []})
            entry["hits"] += [
                {
                    "document": found.document.sha256,
                    "file": found.document.file,
                    "page": hit.page,
                    "text": hit.text,
                    "boxes": [list(box) for box in hit.boxes],
                }
                for hit in located.hits
            ]
    if args.format == "json":
        print(json.dumps(list(fields.values()), ensure_ascii=False, indent=2))
        return EXIT_OK
    if not placed:
        print(f"{row_place(comparison, position)}: no paper of its references is held in the review (curator attach)")
        return EXIT_OK
    print(f"{row_place(comparison, position)}, in {', '.join(found.document.file for found in placed)}:")
    for entry in fields.values():
        hits = entry["hits"]
        places = "; ".join(
            f"{hit['file']} p. {hit['page']}" if len(placed) > 1 else f"p. {hit['page']}" for hit in hits[:_LISTED]
        )
        if len(hits) > _LISTED:  # a number on every page of a long paper: not hundreds of "p. N" on one line
            places += f"; … ({len(hits)} places in all; --format json lists each)"
        print(f"  {field_label(entry['field'], arms)} {entry['text']}: {places or 'not found'}")
    return EXIT_OK


#: The places of one field the text output lists (--accept FIELD#N counts them as listed; json has all).
_LISTED = 12


def _accept(review: Any, comparison: str, position: int, placed: list[Any], choice: str) -> str:
    """Accept hit N (from 1) of a field, ``FIELD`` or ``FIELD#N``, as where its value was read (audited);
    the sentence saying so. :class:`CuratorError` (exit 2, nothing written) when the field has no such hit."""
    import re

    from curator.fields import texts
    from curator.naming import field_place, page_place
    from curator.review import Evidence

    m = re.fullmatch(r"\s*([\w.]+)\s*(?:#\s*(\d+))?\s*", choice)
    if m is None:
        raise CuratorError(
            f"--accept {choice!r}: name a field and, when it has several places, which: intervention.value#2"
        )
    name, nth = m[1], int(m[2] or 1)
    if name not in texts(review.rows.blank_row()):
        raise CuratorError(f"--accept {choice!r}: {name!r} is not a field of a row (e.g. intervention.value)")
    arms = review.arms(comparison)
    where = field_place(comparison, position, name, None, arms)
    hits = [
        (found.document, located.text, hit)
        for found in placed
        for located in found.fields
        if located.field == name
        for hit in located.hits
    ]
    if not 1 <= nth <= len(hits):
        has = f"only {len(hits)}" if hits else "none"
        raise CuratorError(
            f"--accept {choice}: {where} has no place #{nth} in the papers of its references ({has}; "
            "curator locate lists them, counted from 1); nothing was written"
        )
    document, _text, hit = hits[nth - 1]
    evidence = Evidence(document.sha256, hit.page, hit.text, [list(box) for box in hit.boxes])
    text = texts(review.rows.row(comparison, position)).get(name, "")
    review.rows.set_evidence(comparison, position, name, evidence, expected_text=text)
    return f"{where}: read from {page_place(hit.page, document.file)} ({hit.text!r}), recorded as its evidence"


def _intermixed(p: Any) -> None:
    """Let the command's options stand between its positionals (``attach REVIEW --reference KEY FILE``),
    which plain argparse refuses when the first positional is optional. The old ``--db REVIEW`` is
    taken as every command takes it (a note on stderr), the one path given then being the file."""
    from curator.cli.parser import CommandParser

    class Intermixed(CommandParser):
        inside = False

        def parse_known_args(  # type: ignore[override]
            self, args: Any = None, namespace: Any = None
        ) -> tuple[argparse.Namespace, list[str]]:
            if self.inside:
                return super().parse_known_args(args, namespace)
            args = list(sys.argv[1:] if args is None else args)
            old = None
            if "--db" in args[:-1]:
                at = args.index("--db")
                old = args[at + 1]
                args = args[:at] + args[at + 2 :]
            self.inside = True
            try:
                ns, extras = self.parse_known_intermixed_args(args, namespace)
            finally:
                self.inside = False
            if old is not None:
                print(f"curator: --db is deprecated; name the review first: {self.review_usage()}", file=sys.stderr)
                if ns.review is not None:
                    if ns.file is not None:
                        self.error(f"the review is named twice ({ns.review} and --db {old}); name it once")
                    ns.file = ns.review
                ns.review = old
            return ns, extras

    p.__class__ = Intermixed


def add_commands(sub: Any) -> None:
    """Register ``attach`` and ``detach`` on the main parser's subparsers."""
    from curator.cli.parser import add_review

    p = sub.add_parser(
        "attach",
        help="keep a paper's PDF inside the review, as the full text of a reference",
        description="Attach a PDF to a reference: its bytes are kept inside the review database, "
        "identified by their SHA-256 (the same bytes attached twice are stored once). A file that is not "
        "a PDF, is damaged or is encrypted is refused and nothing is stored. Recorded in the audit log.",
    )
    add_review(p, "database")
    p.add_argument("file", metavar="FILE.pdf", help="the paper's PDF")
    p.add_argument("--reference", required=True, metavar="KEY", help="the key of the reference it is the text of")
    p.set_defaults(func=cmd_attach)
    _intermixed(p)

    p = sub.add_parser(
        "detach",
        help="remove a paper's PDF from the review",
        description="Detach a reference's document (by its file name, or all of them with --all): the "
        "document and its bytes leave the review. Refused while a value's evidence points at it. "
        "Recorded in the audit log.",
    )
    add_review(p, "database")
    p.add_argument("file", nargs="?", metavar="FILE.pdf", help="the document's file name (or its SHA-256)")
    p.add_argument("--reference", required=True, metavar="KEY", help="the key of the reference")
    p.add_argument("--all", action="store_true", help="detach every document of the reference")
    p.set_defaults(func=cmd_detach)
    _intermixed(p)

    p = sub.add_parser(
        "locate",
        help="where a row's values stand in the papers of its references",
        description="For each field of the row with a value, every place its printed text stands in the "
        "PDFs of the references the row cites (held in the review: curator attach): the page and the "
        "boxes, in PDF points from the page's top-left corner. Numbers are found only as whole numbers "
        "(42.6 not inside 142.6), in the forms papers print them (each minus sign, a middle dot).",
    )
    add_review(p, "database")
    p.add_argument("row", metavar="COMPARISON[ROW]", help="the row, as COMPARISON[ROW] (0-based), e.g. pime-vs-tcs[2]")
    p.add_argument("--format", choices=("text", "json"), default="text", help="json: one object per field")
    p.add_argument(
        "--accept",
        action="append",
        metavar="FIELD[#N]",
        help="record place N (from 1, as listed; the first when not given) of FIELD as where its value was "
        "read: its evidence, the value unchanged (audited); repeat for more fields",
    )
    p.set_defaults(func=cmd_locate)
