"""Findings kept live in the main window while the reviewer works.

:class:`LiveChecks` is a controller over the shared
:class:`~curator.gui.state.ReviewState`: it keeps the open findings and
tells the window when they change (``findings_changed``). The whole review
is checked when it opens: on the GUI thread for a small
review (a few tens of milliseconds), on a worker thread, block by block
(:func:`curator.services.checking.open_findings_stored`), for a big one, after
the first screen has painted. After an edit, the edited row's own rules run
at once; the whole review is checked again a moment after the last edit,
for the rules that look across rows and at the references.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from curator.checks import RULES, Finding, run_checks, split_accepted
from curator.gui.state import ReviewState
from curator.progress import Cancelled, Progress
from curator.review import AcceptedFinding, Comparison, Reference, Review, Row
from curator.services import ACROSS_ROWS, ReviewService

if TYPE_CHECKING:
    from curator.services import ComparisonSummary

__all__ = ["LiveChecks", "check_review_file", "SMALL_REVIEW"]

#: Up to this many rows, the whole review is checked on the GUI thread.
SMALL_REVIEW = 5_000


class _CheckSignals(QObject):
    done = Signal(int, object)
    progress = Signal(int, int, int)  # generation, done, total


class _CheckProgress:
    """Progress of a worker's check, told to the GUI thread; cancelled when a newer check starts."""

    def __init__(self, signals: _CheckSignals, generation: int) -> None:
        self.signals, self.generation = signals, generation
        self.cancelled = False

    def update(self, done: int, total: int, what: str) -> None:
        self.signals.progress.emit(self.generation, done, total)


class _CheckAll(QRunnable):
    """The whole review's checks, on a worker with its own connection."""

    def __init__(self, path: Path, generation: int, signals: _CheckSignals) -> None:
        super().__init__()
        self.path, self.generation, self.signals = path, generation, signals
        self.progress = _CheckProgress(signals, generation)

    def run(self) -> None:
        try:
            findings: object = check_review_file(self.path, self.progress)
        except Cancelled:
            return  # a newer check replaces this one
        except Exception as exc:  # noqa: BLE001 - reported on the GUI thread
            findings = exc
        self.signals.done.emit(self.generation, findings)


def check_review_file(path: Path, progress: Progress | None = None) -> list[Finding]:
    """The open findings of the review stored at ``path``."""
    with ReviewService.open(path) as review:
        return review.findings.open(progress)


class LiveChecks(QObject):
    """The open findings of the review in ``state``, kept live (a controller of the main window)."""

    #: The open findings changed (the new list).
    findings_changed = Signal(list)
    #: A line for the status bar ("" clears it).
    progress_message = Signal(str)

    def __init__(self, state: ReviewState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.findings: list[Finding] = []
        self._generation = 0
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._check_signals = _CheckSignals(self)
        self._check_signals.done.connect(self._checks_done)
        self._check_signals.progress.connect(self._check_progress)
        self.running: _CheckAll | None = None
        self._recheck_timer = QTimer(self)
        self._recheck_timer.setSingleShot(True)
        self._recheck_timer.setInterval(400)
        self._recheck_timer.timeout.connect(self.check_all)
        self._rows = 0

    def stop(self) -> None:
        self._generation += 1
        if self.running is not None:
            self.running.progress.cancelled = True
        self._recheck_timer.stop()
        self._pool.waitForDone()

    def clear(self) -> None:
        self.findings = []

    def check_all(self, rows: int | None = None) -> None:
        """Check the whole review (of ``rows`` rows, else as many as last time): now for a small review,
        on a worker for a big one; a newer check cancels an older one."""
        if rows is not None:
            self._rows = rows
        self._recheck_timer.stop()
        self._generation += 1
        if self.running is not None:
            self.running.progress.cancelled = True  # its result would be stale
            self.running = None
        if self._rows <= SMALL_REVIEW:
            # the window's own connection: no file to open again
            self._checks_done(self._generation, self.state.service.findings.open())
        else:
            self.progress_message.emit("Checking the review…")
            generation = self._generation
            # Let the first screen paint before the worker competes for the interpreter.
            QTimer.singleShot(200, lambda: self._start_check(generation))

    def _start_check(self, generation: int) -> None:
        if generation == self._generation:
            self.running = _CheckAll(self.state.path, generation, self._check_signals)
            self.running.setAutoDelete(False)  # kept to cancel it
            self._pool.start(self.running)

    def _check_progress(self, generation: int, done: int, total: int) -> None:
        if generation == self._generation:
            self.progress_message.emit(f"Checking the review… {done:,} of {total:,} rows")

    def _checks_done(self, generation: int, findings: object) -> None:
        if generation != self._generation:
            return  # a later check is under way
        self.running = None
        if isinstance(findings, Exception):
            self.state.message.emit(f"The checks failed: {findings}")
            return
        assert isinstance(findings, list)
        self.progress_message.emit("")
        self._set_findings(findings)

    def _set_findings(self, findings: list[Finding]) -> None:
        self.findings = findings
        self.findings_changed.emit(findings)

    def recheck_row(
        self,
        summary: ComparisonSummary,
        position: int,
        row: Row,
        references: list[Reference],
        accepted: list[AcceptedFinding],
    ) -> None:
        """The edited row's own checks now; the whole review's a moment later."""
        one = Review(
            comparisons=[Comparison(summary.key, summary.title, summary.intervention, summary.comparator, rows=[row])],
            references=references,
        )
        rules = [r.id for r in RULES if r.id not in ACROSS_ROWS]
        fresh = [dataclasses.replace(f, row=position) for f in run_checks(one, rules)]
        fresh = split_accepted(fresh, accepted)[0]
        comparison = summary.key
        kept = [
            f
            for f in self.findings
            if not (f.comparison == comparison and f.row == position and f.rule not in ACROSS_ROWS)
        ]
        self._set_findings(kept + fresh)
        self._recheck_timer.start()
