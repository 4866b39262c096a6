"""The ``curator`` command line: a thin layer over the core.

Exit status: 0 success; 1 the command ran and found problems; 2 bad usage
or input that cannot be read or written (one line on stderr, no
traceback); 3 an internal error (a bug: details in the log file).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from curator.cli.common import EXIT_BUG, EXIT_OK
from curator.cli.parser import build_parser
from curator.errors import CuratorError

__all__ = ["main", "build_parser"]


def _log_bug() -> Path | None:
    from curator.buglog import log_bug

    return log_bug(repr(sys.argv), traceback.format_exc())


def _row_hint(args: argparse.Namespace, message: str) -> str:
    """For a COMP[ROW] the review does not have: how the brackets count (from 0, as the JSON does), so
    ``pime-vs-tcs[1]`` meant as the first row is not a riddle."""
    row = getattr(args, "row", None)
    if not isinstance(row, str) or not message.endswith("no such row"):
        return ""
    match = re.fullmatch(r"(.+)\[(\d+)\]", row.strip())
    if match is None:
        return ""
    return f" ({match[1]}[{match[2]}] is row {int(match[2]) + 1}: the brackets count from 0, [0] is row 1)"


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
        print(f"curator: {exc}{_row_hint(args, str(exc))}", file=sys.stderr)
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
