"""Start-up: how much later than a bare PySide6 window the window of `curator gui` is painted.

    .venv/bin/python -m benchmarks.bench_startup [REPEATS] [--source DIR]

Runs under an X server: the current one when ``DISPLAY`` is set, else it
starts itself again under ``xvfb-run -a`` (its default screen, 1280x1024),
else, with no X server at all, on Qt's offscreen platform (and says so: an
offscreen window is not mapped, so the figures are only indicative).

Each measurement is a fresh process, so it pays Python's and Qt's start-up
as a user does. In the same run, alternating, REPEATS times (default 7):

- **bare**: a PySide6 ``QMainWindow`` of Curator's default size, shown, until
  its first paint has been flushed to the screen;
- **curator**: ``curator gui`` on the embedded default review (the demo), with
  a data folder and settings of its own, until the main window's first paint
  (``CURATOR_EXIT_AFTER_PAINT=1`` makes it print the time of its first
  paint, and of the first paint with the review in it, then quit).

The demo review is written by one run before the measured ones (not
counted; it also leaves Python's compiled modules behind, as any first
start does, even when ``PYTHONDONTWRITEBYTECODE`` is set here); every
measured run starts with no settings (no window geometry, no reviewer
name). Prints the medians and the ratio curator / bare (the target is at
most 2.5), and the median time until the review is shown.

``--source DIR`` measures the ``curator`` package in DIR instead (a checkout
of another commit, to compare before and after; it must print the lines
``CURATOR_EXIT_AFTER_PAINT`` asks for).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RATIO_TARGET = 2.5
_UNDER_XVFB = "CURATOR_BENCH_UNDER_XVFB"

#: The bare window: same size as Curator's default, painted once, then quit.
BARE = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setWindowTitle("bare")
window.resize(1360, 760)

class Probe(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            obj.removeEventFilter(self)
            QTimer.singleShot(0, lambda: (print(f"first paint at {time.time():.6f}", flush=True), app.quit()))
        return False

probe = Probe()
window.installEventFilter(probe)
window.show()
app.exec()
"""


def _curator_command(source: Path | None) -> list[str]:
    script = Path(sys.executable).with_name("curator")
    command = [str(script)] if script.exists() and source is None else [sys.executable, "-m", "curator"]
    return [*command, "gui"]


def _times(command: list[str], env: dict[str, str], cwd: Path | None = None) -> dict[str, float]:
    """Run ``command`` and read the 'X at T' lines it prints: seconds from the start to each."""
    start = time.time()
    proc = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, cwd=cwd)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({proc.returncode}):\n{proc.stderr}")
    found = {}
    for line in proc.stdout.splitlines():
        what, _, when = line.rpartition(" at ")
        if what:
            found[what] = float(when) - start
    if "first paint" not in found:
        raise SystemExit(f"{' '.join(command)} printed no first paint:\n{proc.stdout}\n{proc.stderr}")
    return found


def _curator_env(base: dict[str, str], data: Path, config: Path, source: Path | None) -> dict[str, str]:
    env = dict(base)
    if source is not None:
        env["PYTHONPATH"] = str(source)
    env.update(
        CURATOR_EXIT_AFTER_PAINT="1",
        CURATOR_DATA_DIR=str(data),
        XDG_CONFIG_HOME=str(config),
        HOME=str(config.parent),
    )
    env.pop("CURATOR_REVIEWER", None)
    return env


def main(repeats: int = 7, source: Path | None = None) -> None:
    if not os.environ.get("DISPLAY") and not os.environ.get(_UNDER_XVFB):
        xvfb = shutil.which("xvfb-run")
        if xvfb:
            os.environ[_UNDER_XVFB] = "1"
            args = [xvfb, "-a", sys.executable, "-m", "benchmarks.bench_startup", *sys.argv[1:]]
            sys.exit(subprocess.call(args))
    base = dict(os.environ)
    base.pop("PYTHONDONTWRITEBYTECODE", None)  # as a user runs it: modules compiled once, not every start
    if base.get("DISPLAY"):
        base["QT_QPA_PLATFORM"] = "xcb"
        where = f"X server {base['DISPLAY']}" + (" (xvfb-run)" if base.get(_UNDER_XVFB) else "")
    else:
        base["QT_QPA_PLATFORM"] = "offscreen"
        where = "Qt's offscreen platform (no X server, no xvfb-run: windows are not mapped; indicative only)"
    what = f"the curator package in {source}" if source else "this checkout"
    print(f"start-up of {what}, {repeats} runs each, alternating, on {where}")
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        command = _curator_command(source)
        _times(command, _curator_env(base, data, Path(tmp) / "warm-up" / "config", source), source)  # the demo
        bare: list[float] = []
        painted: list[float] = []
        shown: list[float] = []
        for run in range(repeats):
            bare.append(_times([sys.executable, "-c", BARE], base)["first paint"])
            times = _times(command, _curator_env(base, data, Path(tmp) / f"run{run}" / "config", source), source)
            painted.append(times["first paint"])
            shown.append(times.get("review shown", times["first paint"]))
    b, p, s = (statistics.median(x) for x in (bare, painted, shown))
    print(f"bare PySide6 window, first paint:      {b:.2f} s  (runs: {', '.join(f'{x:.2f}' for x in bare)})")
    print(f"curator gui (demo), first paint:       {p:.2f} s  (runs: {', '.join(f'{x:.2f}' for x in painted)})")
    print(f"curator gui (demo), review shown:      {s:.2f} s  (runs: {', '.join(f'{x:.2f}' for x in shown)})")
    verdict = "within" if p / b <= RATIO_TARGET else "OVER"
    print(f"ratio first paint / bare: {p / b:.2f}x ({verdict} the target of {RATIO_TARGET}x)")
    print(f"ratio review shown / bare: {s / b:.2f}x")


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Start-up time of curator gui against a bare PySide6 window.")
    parser.add_argument("repeats", nargs="?", type=int, default=7, help="runs of each (default 7)")
    parser.add_argument("--source", type=Path, help="measure the curator package in this folder instead")
    args = parser.parse_args()
    main(args.repeats, args.source.resolve() if args.source else None)
