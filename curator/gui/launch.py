"""Starting the desktop app, or saying clearly why it cannot start.

This module does not import Qt at import time: with no screen, Qt would
abort the process ("could not connect to display"), so the check happens
first and ends with a one-line hint and exit status 2 instead.
"""

from __future__ import annotations

import ctypes.util
import os
import sys
from pathlib import Path

from curator.errors import CuratorError

__all__ = ["screen_problem", "launch"]

#: Libraries Qt's xcb platform plugin loads; without one of them Qt aborts.
_XCB_LIBRARIES = ("xcb-cursor", "xcb-icccm", "xcb-keysyms", "xcb-image", "xcb-render-util", "xkbcommon-x11")
_XCB_PACKAGES = "libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxkbcommon-x11-0"


def screen_problem(environ: dict[str, str] | None = None) -> str | None:
    """Why Qt could not show a window here, or None when it can."""
    env = os.environ if environ is None else environ
    platform = env.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith(("xcb", "wayland")):
        return None  # offscreen, vnc, minimal...: no display needed
    if not sys.platform.startswith("linux"):
        return None
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        return (
            "no screen to show the window on (DISPLAY is not set): run Curator in a desktop session, "
            "or on a machine without a screen with `xvfb-run -a curator`"
        )
    wants_xcb = platform.startswith("xcb") or not env.get("WAYLAND_DISPLAY")
    if wants_xcb:
        missing = [lib for lib in _XCB_LIBRARIES if ctypes.util.find_library(lib) is None]
        if missing:
            return (
                f"Qt needs X11 libraries that are not installed ({', '.join(missing)}): apt-get install {_XCB_PACKAGES}"
            )
    return None


def launch(db: str | None, *, who: str | None, screenshot: str | None = None) -> int:
    """Open the main window on ``db`` (the default review when None), as reviewer
    ``who`` (when None: the name kept in the settings, else the login name; never asked).

    A new review is made at ``db`` only where nothing exists: a file that is
    not a Curator database is refused first, with or without a screen, and
    left byte for byte as it was."""
    from curator.paths import is_server_url

    if db is not None and not is_server_url(db):
        from curator.services.sources import refuse_non_database

        refuse_non_database(Path(db))
    problem = screen_problem()
    if problem:
        if not screenshot:
            raise CuratorError(problem)
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a picture needs no screen
    # The window shows before the review is opened (see curator.gui.startup); a file that is
    # not a review closes it and is a plain message.
    try:
        from curator.gui.startup import run
    except ImportError as exc:
        raise CuratorError(f"the desktop app cannot start: Qt failed to load ({exc})") from None
    # A team review's URL is made an address (with SQLAlchemy) only when it is opened, after the first paint.
    where = None if not db else db if is_server_url(db) else Path(db)
    return run(where, who=who, screenshot=Path(screenshot) if screenshot else None)
