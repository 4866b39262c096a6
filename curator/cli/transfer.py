"""Commands that move a whole review between databases: ``pull`` (a team review off its server, to
work offline) and ``push`` (a solo review onto a server). The way back from a pulled copy is ``merge``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from curator.cli.common import EXIT_OK, reviewer
from curator.words import counted

__all__ = ["add_commands", "cmd_pull", "cmd_push"]


def cmd_pull(args: argparse.Namespace) -> int:
    from curator.services.review import ReviewService
    from curator.services.transfer import pull

    with ReviewService.open_existing(args.review, reviewer(args)) as source:
        counts = pull(source, Path(args.output))
        back = f"curator merge {args.review or 'REVIEW'} {args.output}"
        print(f"pulled {_what(counts)} into {args.output}; bring your changes back with: {back}")
    return EXIT_OK


def cmd_push(args: argparse.Namespace) -> int:
    from curator.services.review import ReviewService
    from curator.services.transfer import push

    with (
        ReviewService.open_existing(args.file, reviewer(args)) as source,
        ReviewService.open(args.target, reviewer(args), create=True) as target,
    ):
        counts = push(source, target)
        print(f"pushed {_what(counts)} to {target.path}")
    return EXIT_OK


def _what(counts: dict[str, int]) -> str:
    parts = [
        counted(counts.get("comparison", 0), "comparison"),
        counted(counts.get("endpoint_row", 0), "row"),
        counted(counts.get("reference", 0), "reference"),
    ]
    return f"{', '.join(parts)} and {counted(counts.get('audit_log', 0), 'audit entry', 'audit entries')}"


def add_commands(sub: Any, add_review: Any) -> None:
    p = sub.add_parser(
        "pull",
        help="copy a review (a team review on its server) into a new file, to work without a network",
        description="Copy the review, with its whole audit history, into a new review file. Work in the "
        "copy offline, then bring it back with `curator merge REVIEW COPY`: every difference "
        "goes to adjudication.",
    )
    add_review(p, "database", "the review to copy: a postgresql:// URL or a review database")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="the new review file (must not exist)")
    p.set_defaults(func=cmd_pull)

    p = sub.add_parser(
        "push",
        help="move a solo review, with its audit history, into an empty review database (a team review's server)",
        description="Copy the review file, with its whole audit history, into TARGET, which must hold no "
        "review yet: a postgresql:// URL of an empty database, or a new review file.",
    )
    p.add_argument("file", metavar="FILE", help="the review database to push")
    p.add_argument("target", metavar="TARGET", help="where to: a postgresql:// URL of an empty database")
    p.set_defaults(func=cmd_push)
