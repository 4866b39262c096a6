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
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from curator.checks import RULES, Finding, run_checks, split_accepted
from curator.gui.state import ReviewState
from curator.gui.tasks import Task, TaskRunner
from curator.progress import Progress
from curator.review import AcceptedFinding, Comparison, Reference, Review, Row
from curator.services import ACROSS_ROWS, Location, ReviewService

if TYPE_CHECKING:
    from curator.services import ComparisonSummary

__all__ = ["LiveChecks", "check_review_file", "SMALL_REVIEW"]

#: Up to this many rows, the whole review is checked on the GUI thread.
SMALL_REVIEW = 5_000
#: The live checks' kind of task: a newer one supersedes the running one.
KIND = "checks"


def check_review_file(path: Location, progress: Progress | None = None) -> list[Finding]:
    """The open findings of the review stored at ``path``."""
    with ReviewService.open(path) as review:
        return review.findings.open(progress)


class LiveChecks(QObject):
    """The open findings of the review in ``state``, kept live (a controller of the main window)."""

    #: The open findings changed (the new list).
    findings_changed = Signal(list)
    #: A line for the status bar ("" clears it).
    progress_message = Signal(str)

    def __init__(self, state: ReviewState, tasks: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state, self.tasks = state, tasks
        self.findings: list[Finding] = []
        self._recheck_timer = QTimer(self)
        self._recheck_timer.setSingleShot(True)
        self._recheck_timer.setInterval(400)
        self._recheck_timer.timeout.connect(self.check_all)
        self._rows = 0
        self._generation = 0

    @property
    def running(self) -> Task[list[Finding]] | None:
        """The whole review's check running on a worker, if one is."""
        return self.tasks.running(KIND)

    def stop(self) -> None:
        self._generation += 1
        self._recheck_timer.stop()
        self.tasks.supersede(KIND)

    def clear(self) -> None:
        self.findings = []

    def check_all(self, rows: int | None = None) -> None:
        """Check the whole review (of ``rows`` rows, else as many as last time): now for a small review,
        on a worker for a big one; a newer check supersedes an older one (latest wins)."""
        if rows is not None:
            self._rows = rows
        self._recheck_timer.stop()
        self._generation += 1
        self.tasks.supersede(KIND)  # its result would be stale
        if self._rows <= SMALL_REVIEW:
            # the window's own connection: no file to open again
            self._set_findings(self.state.service.findings.open())
        else:
            self.progress_message.emit("Checking the review…")
            generation = self._generation
            # Let the first screen paint before the worker competes for the interpreter.
            QTimer.singleShot(200, lambda: self._start_check(generation))

    def _start_check(self, generation: int) -> None:
        if generation != self._generation:
            return  # a newer check (or a stop) came meanwhile
        path = self.state.path
        self.tasks.run(
            KIND,
            "Checking the review",
            lambda progress: check_review_file(path, progress),
            self._checks_done,
            lambda message: self.state.message.emit(f"The checks failed: {message}"),
            dialog=False,
            on_progress=lambda done, total, _what: self.progress_message.emit(
                f"Checking the review… {done:,} of {total:,} rows"
            ),
        )

    def _checks_done(self, findings: list[Finding]) -> None:
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
