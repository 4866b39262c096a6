"""``curator team``: a team review on a PostgreSQL server (init, add-reviewer, reviewers).

A password is read from a file (``--password-file``) or asked at a prompt, never taken on the
command line, where other users of the machine and the shell's history would see it.
"""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path
from typing import Any

from curator.cli.common import EXIT_OK
from curator.errors import CuratorError

__all__ = ["add_commands", "cmd_team_init", "cmd_team_add_reviewer", "cmd_team_reviewers", "read_password"]

_URL_HELP = "the team review: postgresql://USER@HOST/DATABASE (your password from ~/.pgpass, $PGPASSWORD or a prompt)"


def read_password(name: str, password_file: str | None) -> str:
    """The new reviewer's password: the file's first line, or typed twice at a prompt (not echoed)."""
    if password_file is not None:
        path = Path(password_file)
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            raise CuratorError(f"{path}: no such password file") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise CuratorError(f"{path}: cannot be read as a password file ({exc})") from None
        password = lines[0] if lines else ""
        if not password:
            raise CuratorError(f"{path}: the password file is empty (its first line is the password)")
        return password
    try:
        password = getpass.getpass(f"Password for {name}: ")
        again = getpass.getpass(f"Password for {name} again: ")
    except EOFError:
        raise CuratorError(f"{name}: no password given (type it at the prompt, or use --password-file)") from None
    if not password:
        raise CuratorError(f"{name}: a reviewer needs a password, and it is empty")
    if password != again:
        raise CuratorError(f"{name}: the two passwords typed differ; nothing was written")
    return password


def cmd_team_init(args: argparse.Namespace) -> int:
    from curator.services.team import init_team

    groups = init_team(args.url, args.title, blind=not args.not_blind)
    print(f"team review {args.title.strip()!r} made; its roles: " + ", ".join(groups.values()))
    print("next: curator team add-reviewer URL NAME --role admin|extractor|verifier|adjudicator")
    return EXIT_OK


def cmd_team_add_reviewer(args: argparse.Namespace) -> int:
    from curator.services.team import ROLES, add_reviewer

    if args.role not in ROLES:  # before asking for a password
        raise CuratorError(f"{args.role!r} is not a role: choose {', '.join(ROLES[:-1])} or {ROLES[-1]}")
    password = read_password(args.name, args.password_file)
    add_reviewer(args.url, args.name, args.role, password)
    print(f"{args.name} added as {args.role}")
    return EXIT_OK


def cmd_team_reviewers(args: argparse.Namespace) -> int:
    from curator.services.team import reviewers

    found = reviewers(args.url)
    if not found:
        print("no reviewers yet (add them with `curator team add-reviewer`)")
        return EXIT_OK
    width = max(len("name"), *(len(r.name) for r in found))
    print(f"{'name':<{width}}  role")
    for r in found:
        print(f"{r.name:<{width}}  {r.role}")
    return EXIT_OK


def add_commands(sub: Any) -> None:
    team = sub.add_parser(
        "team",
        help="a team review on a PostgreSQL server: make one, add reviewers, list them",
        description="A team review lives in a PostgreSQL database; each reviewer logs in as herself, and the "
        "database enforces what her role may do (see the README's Team review).",
    )
    steps = team.add_subparsers(
        dest="team_command",
        metavar="STEP",
        required=True,
        parser_class=type(team),
        help="init (make a team review), add-reviewer (add one), reviewers (list them)",
    )

    p = steps.add_parser(
        "init",
        help="make an existing, empty database a team review",
        description="Make the database at URL (created beforehand, e.g. with createdb) a team review: "
        "Curator's tables, the review's roles (DATABASE_extractor, _verifier, _adjudicator, _admin) and the "
        "rules. Run it as the database's owner, a role that may create roles.",
    )
    p.add_argument("url", metavar="URL", help=_URL_HELP)
    p.add_argument("--title", required=True, help="the review's title")
    p.add_argument(
        "--not-blind",
        action="store_true",
        help="let extractors read each other's rows (by default an extractor reads only the rows she entered, "
        "and another's only once she has entered it blind herself)",
    )
    p.set_defaults(func=cmd_team_init)

    p = steps.add_parser(
        "add-reviewer",
        help="add a reviewer: a login role on the server with her role in the review",
        description="Add NAME as a reviewer (a login role of the server) with ROLE in the review. Her "
        "password is read from --password-file (its first line) or asked at a prompt; never give it on the "
        "command line. Only an administrator of the review (or its owner) adds reviewers.",
    )
    p.add_argument("url", metavar="URL", help=_URL_HELP)
    p.add_argument("name", metavar="NAME", help="the reviewer's login name (lower-case letters, digits, _ . -)")
    p.add_argument("--role", required=True, metavar="ROLE", help="extractor, verifier, adjudicator or admin")
    p.add_argument("--password-file", metavar="FILE", help="a file whose first line is her password")
    p.set_defaults(func=cmd_team_add_reviewer)

    p = steps.add_parser("reviewers", help="list the reviewers and their roles", description="List the reviewers.")
    p.add_argument("url", metavar="URL", help=_URL_HELP)
    p.set_defaults(func=cmd_team_reviewers)
