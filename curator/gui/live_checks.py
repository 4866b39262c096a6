"""Findings kept live in the main window while the reviewer works.

The whole review is checked when it opens: on the GUI thread for a small
review (a few tens of milliseconds), on a worker thread, block by block
(:func:`curator.services.checking.open_findings_stored`), for a big one, after
the first screen has painted. After an edit, the edited row's own rules run
at once; the whole review is checked again a moment after the last edit,
for the rules that look across rows and at the references.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from curator.checks import RULES, Finding, run_checks, split_accepted
from curator.services.checking import ACROSS_ROWS, open_findings_stored
from curator.progress import Cancelled, Progress
from curator.review import AcceptedFinding, Comparison, Reference, Review, Row

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from sqlalchemy import Connection

    from curator.gui.comparisons_model import ComparisonsModel
    from curator.gui.rows_model import RowsModel
    from curator.store.browse import ComparisonSummary

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
    from curator.store.database import open_database

    with open_database(path, create=False) as db, db.session(write=False) as session:
        return open_findings_stored(session.connection(), progress=progress)


class LiveChecks:
    """The main window's checks (a mixin: it uses the window's models and status bar)."""

    path: Path
    findings: list[Finding]
    references: list[Reference]
    accepted: list[AcceptedFinding]
    outline: list[ComparisonSummary]
    rows_model: RowsModel
    comparisons_model: ComparisonsModel

    def _init_checks(self) -> None:
        self._generation = 0
        self._pool = QThreadPool(self)  # type: ignore[arg-type]
        self._pool.setMaxThreadCount(1)
        self._check_signals = _CheckSignals(self)  # type: ignore[arg-type]
        self._check_signals.done.connect(self._checks_done)
        self._check_signals.progress.connect(self._check_progress)
        self._running_check: _CheckAll | None = None
        self._recheck_timer = QTimer(self)  # type: ignore[arg-type]
        self._recheck_timer.setSingleShot(True)
        self._recheck_timer.setInterval(400)
        self._recheck_timer.timeout.connect(self.check_all)

    def _stop_checks(self) -> None:
        self._generation += 1
        if self._running_check is not None:
            self._running_check.progress.cancelled = True
        self._recheck_timer.stop()
        self._pool.waitForDone()

    @property
    def row_total(self) -> int:
        return sum(c.rows for c in self.outline)

    def check_all(self) -> None:
        """Check the whole review: now for a small review, on a worker for a big one."""
        self._recheck_timer.stop()
        self._generation += 1
        if self._running_check is not None:
            self._running_check.progress.cancelled = True  # its result would be stale
            self._running_check = None
        if self.row_total <= SMALL_REVIEW:
            with self._connect() as conn:  # the window's own connection: no file to open again
                self._checks_done(self._generation, open_findings_stored(conn))
        else:
            self.statusBar().showMessage("Checking the review…")
            generation = self._generation
            # Let the first screen paint before the worker competes for the interpreter.
            QTimer.singleShot(200, lambda: self._start_check(generation))

    def _start_check(self, generation: int) -> None:
        if generation == self._generation:
            self._running_check = _CheckAll(self.path, generation, self._check_signals)
            self._running_check.setAutoDelete(False)  # the window keeps it to cancel it
            self._pool.start(self._running_check)

    def _check_progress(self, generation: int, done: int, total: int) -> None:
        if generation == self._generation:
            self.statusBar().showMessage(f"Checking the review… {done:,} of {total:,} rows")

    def _checks_done(self, generation: int, findings: object) -> None:
        if generation != self._generation:
            return  # a later check is under way
        self._running_check = None
        if isinstance(findings, Exception):
            self.statusBar().showMessage(f"The checks failed: {findings}", 10_000)
            return
        assert isinstance(findings, list)
        self.statusBar().clearMessage()
        self._set_findings(findings)

    def _set_findings(self, findings: list[Finding]) -> None:
        self.findings = findings
        self.comparisons_model.set_findings(findings)
        self.rows_model.set_findings(findings)
        self._show_comparison_findings()
        self._refresh_form_findings()
        self._show_status()

    def _recheck_row(self, comparison: str, position: int, row: Row) -> None:
        """The edited row's own checks now; the whole review's a moment later."""
        summary = next((c for c in self.outline if c.key == comparison), None)
        if summary is None:
            return
        one = Review(
            comparisons=[Comparison(summary.key, summary.title, summary.intervention, summary.comparator, rows=[row])],
            references=self.references,
        )
        rules = [r.id for r in RULES if r.id not in ACROSS_ROWS]
        fresh = [dataclasses.replace(f, row=position) for f in run_checks(one, rules)]
        fresh = split_accepted(fresh, self.accepted)[0]
        kept = [
            f
            for f in self.findings
            if not (f.comparison == comparison and f.row == position and f.rule not in ACROSS_ROWS)
        ]
        self._set_findings(kept + fresh)
        self._recheck_timer.start()

    if TYPE_CHECKING:  # provided by the window

        def statusBar(self) -> Any: ...  # noqa: N802 - the window's

        def _connect(self) -> AbstractContextManager[Connection]: ...

        def _show_comparison_findings(self) -> None: ...

        def _refresh_form_findings(self) -> None: ...

        def _show_status(self) -> None: ...
