"""File > Export and File > Import: moving a review in and out on a worker thread.

ExportDialog(parent, db_path, who, *, show_after_ms=SHOW_AFTER_MS)
    choose a format (Excel workbook, curator/1 JSON, CSV: the writer
    registry's own descriptions) and a target file (a file dialog with the
    format's suffix, or ``set_target`` from code), then Export runs
    :func:`curator.services.exporting.export_review` through
    :func:`curator.gui.tasks.run_task` with a progress dialog that can
    cancel it. On success the dialog closes and emits ``exported(message)``;
    an error (a folder that is not there, a locked review) is shown in the
    dialog, which stays open; a cancel leaves no file (the writers write
    atomically) and says so.
import_into(parent, db_path, source, who, on_done, *, replace=False, on_error=None) -> Task
    import an exchange file, an Excel workbook or template (or another
    review database) into the open review with
    :func:`curator.services.importing.import_file`: on a worker, with progress, in
    one transaction; ``on_done(message)`` on success; errors name the
    file, place and value, and leave the review as it was.
choose_import_source(parent, folder) -> Path | None
    the file dialog for File > Import.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from curator.formats.registry import WRITERS
from curator.gui.tasks import CANCELLED_STATUS, SHOW_AFTER_MS, Task, run_task
from curator.progress import Progress
from curator.services import Location
from curator.services.exporting import export_review
from curator.services.importing import import_file

__all__ = ["ExportDialog", "import_into", "choose_import_source", "EXPORT_FORMATS", "IMPORT_FILTER"]

#: The formats File > Export offers, in this order, with their names in the menu.
EXPORT_FORMATS: dict[str, str] = {
    "xlsx": "Excel workbook",
    "json": "curator/1 exchange file (JSON)",
    "csv": "CSV data table",
    "revman-csv": "RevMan Web study data",
    "metafor-csv": "metafor CSV for R",
}
IMPORT_FILTER = (
    "Reviews, templates and reference libraries (*.json *.xlsx *.sqlite *.db *.ris *.nbib *.bib *.txt *.ciw);;"
    "curator/1 exchange files (*.json);;Excel workbooks and templates (*.xlsx);;Review databases (*.sqlite *.db);;"
    "Reference libraries: RIS, PubMed, BibTeX, CSL-JSON, Web of Science (*.ris *.nbib *.txt *.bib *.json *.ciw);;"
    "All files (*)"
)


class ExportDialog(QDialog):
    """Choose a format and a file, then export with progress (see the module's docstring)."""

    #: Emitted with the writer's one-line summary when the file has been written.
    exported = Signal(str)

    def __init__(
        self, parent: QWidget | None, db_path: Location, who: str, *, show_after_ms: int = SHOW_AFTER_MS
    ) -> None:
        super().__init__(parent)
        #: The review: its file, or a team review's address.
        self.db_path = db_path
        #: Where the exported file is proposed: beside the review file (the home folder for a team review).
        self.beside = db_path if isinstance(db_path, Path) else Path.home() / db_path.name
        self.who = who
        self.task: Task[str] | None = None
        #: What the last export said: the summary, the error or the cancel.
        self.message = ""
        self._show_after_ms = show_after_ms
        self.setWindowTitle("Export review")

        self.format_box = QComboBox()
        for name, label in EXPORT_FORMATS.items():
            self.format_box.addItem(f"{label} ({WRITERS[name].suffix})", name)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setStyleSheet("color: palette(placeholder-text);")
        self.target_edit = QLineEdit()
        self.target_edit.setPlaceholderText("Where to write the file")
        self.target_edit.setClearButtonEnabled(True)
        self.browse_button = QPushButton("Choose…")
        self.browse_button.setAutoDefault(False)  # Enter exports (the default button), never opens the chooser
        self.browse_button.clicked.connect(self.choose_target)
        target_row = QHBoxLayout()
        target_row.addWidget(self.target_edit, 1)
        target_row.addWidget(self.browse_button)
        self.verified_only = QCheckBox("Only rows verified here")
        self.verified_only.setToolTip(
            "Leave out of the workbook the rows not verified here field by field by a reviewer other than "
            "the extractor (a status an imported file claims does not count)"
        )

        form = QFormLayout()
        form.addRow("Format:", self.format_box)
        form.addRow("", self.description)
        form.addRow("File:", target_row)
        form.addRow("", self.verified_only)

        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.export)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        # Made default once it is in the dialog (before, the dialog does not know it and, when shown, makes the
        # first button of the box its default: Cancel, so that Enter in the File field cancelled the export).
        self.export_button.setDefault(True)
        self.setMinimumWidth(560)

        self.format_box.currentIndexChanged.connect(self._format_changed)
        self.target_edit.textChanged.connect(self._update_buttons)
        self._format_changed()
        self.set_target(self.beside.with_suffix(WRITERS[self.format()].suffix))

    # -- the choices ---------------------------------------------------------

    def format(self) -> str:
        """The chosen writer's name: "xlsx", "json", "csv", "revman-csv" or "metafor-csv"."""
        return str(self.format_box.currentData())

    def set_format(self, name: str) -> None:
        index = self.format_box.findData(name)
        if index < 0:
            raise ValueError(f"no such export format: {name!r}")
        self.format_box.setCurrentIndex(index)

    def target(self) -> Path | None:
        """The file to write, with the format's suffix; None when none is given."""
        text = self.target_edit.text().strip()
        if not text:
            return None
        path = Path(text).expanduser()
        if not path.name or text.endswith(("/", os.sep)) or path.is_dir():
            return None  # a folder, not a file
        suffix = WRITERS[self.format()].suffix
        return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)

    def set_target(self, path: Path) -> None:
        self.target_edit.setText(str(path))

    def choose_target(self) -> None:
        """Ask for the file with a save dialog that offers the chosen format's suffix."""
        writer = WRITERS[self.format()]
        current = self.target() or self.beside.with_suffix(writer.suffix)
        name, _ = QFileDialog.getSaveFileName(
            self, "Export to", str(current), f"{EXPORT_FORMATS[writer.name]} (*{writer.suffix})"
        )
        if name:
            self.set_target(Path(name))

    def _format_changed(self) -> None:
        writer = WRITERS[self.format()]
        self.description.setText(writer.description[:1].upper() + writer.description[1:] + ".")
        self.verified_only.setVisible(writer.name == "xlsx")
        text = self.target_edit.text().strip()
        if text:
            path = Path(text)
            if path.suffix.lower() in {WRITERS[n].suffix for n in EXPORT_FORMATS}:
                self.set_target(path.with_suffix(writer.suffix))

    def _update_buttons(self) -> None:
        running = self.task is not None and self.task.is_running()
        self.export_button.setEnabled(not running and self.target() is not None)
        self.format_box.setEnabled(not running)
        self.target_edit.setReadOnly(running)  # still readable while the export runs
        self.target_edit.setClearButtonEnabled(not running)
        self.browse_button.setEnabled(not running)
        self.verified_only.setEnabled(not running)

    def reject(self) -> None:
        """Cancel (or Escape) while exporting cancels the export; otherwise closes the dialog."""
        if self.task is not None and self.task.is_running():
            self.task.cancel()
            return
        super().reject()

    # -- exporting -----------------------------------------------------------

    def export(self) -> Task[str] | None:
        """Start the export on a worker; the running :class:`Task` (None when no file is given)."""
        target = self.target()
        if target is None or (self.task is not None and self.task.is_running()):
            return None
        writer = self.format()
        verified_only = writer == "xlsx" and self.verified_only.isChecked()
        source, who = self.db_path, self.who

        def work(progress: Progress) -> str:
            return export_review(source, target, writer, who, verified_only=verified_only, progress=progress)

        self._say("")
        self.task = run_task(
            self,
            f"Exporting {target.name}",
            work,
            self._done,
            self._failed,
            show_after_ms=self._show_after_ms,
        )
        self.task.finished.connect(self._finished)
        self._update_buttons()
        return self.task

    def _done(self, message: str) -> None:
        self.message = message
        self.exported.emit(message)
        self.accept()

    def _failed(self, message: str) -> None:
        self.message = message
        self._say(message, error=True)

    def _finished(self, status: str) -> None:
        if status == CANCELLED_STATUS:
            self.message = "Export cancelled, nothing was written"
            self._say(self.message)
        self._update_buttons()

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet("color: #b00020;" if error else "")
        self.status_label.setVisible(bool(text))


def import_into(
    parent: QWidget,
    db_path: Location,
    source: Path,
    who: str,
    on_done: Callable[[str], None],
    *,
    replace: bool = False,
    on_error: Callable[[str], None] | None = None,
    show_after_ms: int = SHOW_AFTER_MS,
) -> Task[str]:
    """Import ``source`` into the review at ``db_path`` on a worker (see the module's docstring)."""
    source = Path(source)

    def work(progress: Progress) -> str:
        return import_file(db_path, source, who, replace=replace, progress=progress)

    return run_task(parent, f"Importing {source.name}", work, on_done, on_error, show_after_ms=show_after_ms)


def choose_import_source(parent: QWidget | None, folder: Path | None = None) -> Path | None:
    """File > Import's file dialog: an exchange file, a workbook or template, a review database, or a
    reference manager's library."""
    name, _ = QFileDialog.getOpenFileName(parent, "Import into this review", str(folder or ""), IMPORT_FILTER)
    return Path(name) if name else None
