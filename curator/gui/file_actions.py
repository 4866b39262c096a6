"""The main window's File menu: new, open, recent, save a copy, import, export.

Opening checks a file before touching it (:func:`curator.store.access.check_openable`):
a file that is not a review, comes from a newer Curator, is locked or is
read-only is refused with a message and left as it was. Import and export
run on a worker with a progress dialog that can be cancelled.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from curator.errors import CuratorError

if TYPE_CHECKING:
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QLineEdit, QMenu

    from curator.checks import Finding
    from curator.store.database import Database

__all__ = ["FileActions"]


class FileActions:
    """File actions of the main window (a mixin: it uses the window's database and widgets)."""

    path: Path
    db: Database
    who: str
    findings: list[Finding]
    undo_stack: QUndoStack
    filter_edit: QLineEdit
    recent_menu: QMenu

    def _window(self) -> QWidget:
        assert isinstance(self, QWidget)
        return self

    def open_path(self, path: Path) -> bool:
        """Show another review in this window (the current one is closed)."""
        from curator.store.access import check_openable
        from curator.store.database import open_database

        try:
            check_openable(path)
        except CuratorError as exc:
            QMessageBox.warning(self._window(), "Curator — cannot open", str(exc))
            return False
        try:
            db = open_database(Path(path), create=False)
        except CuratorError as exc:
            QMessageBox.warning(self._window(), "Curator — cannot open", str(exc))
            return False
        self.db.close()
        self.db, self.path = db, db.path
        self.undo_stack.clear()
        self.findings = []
        self.filter_edit.clear()
        self.load()
        self._remember(self.path)
        return True

    def _remember(self, path: Path) -> None:
        from curator.gui.settings import Settings

        Settings().add_recent(path)

    def open_dialog(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        name, _ = QFileDialog.getOpenFileName(
            self._window(), "Open review", str(self.path.parent), "Review databases (*.sqlite *.db);;All files (*)"
        )
        if name:
            self.open_path(Path(name))

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        from curator.gui.settings import Settings

        recent = [p for p in Settings().recent_files() if p != self.path]
        for path in recent:
            action = self.recent_menu.addAction(str(path))
            action.triggered.connect(lambda _c=False, p=path: self.open_path(p))
        if not recent:
            self.recent_menu.addAction("(none)").setEnabled(False)

    def new_review(self, path: Path | None = None, title: str | None = None) -> bool:
        from PySide6.QtWidgets import QFileDialog

        if path is None:
            name, _ = QFileDialog.getSaveFileName(
                self._window(), "New review", str(self.path.parent / "review.sqlite"), "Review databases (*.sqlite)"
            )
            if not name:
                return False
            path = Path(name)
        if title is None:
            title, ok = QInputDialog.getText(self._window(), "New review", "Title of the review")
            if not ok:
                return False
        try:
            from curator.store.access import create_review

            create_review(path, title, self.who)
        except CuratorError as exc:
            QMessageBox.warning(self._window(), "Curator — not created", str(exc))
            return False
        return self.open_path(path)

    def save_copy(self, target: Path | None = None) -> bool:
        from PySide6.QtWidgets import QFileDialog

        from curator.store.backup import save_copy

        if target is None:
            name, _ = QFileDialog.getSaveFileName(
                self._window(),
                "Save a copy",
                str(self.path.with_name(self.path.stem + "-copy.sqlite")),
                "Review (*.sqlite)",
            )
            if not name:
                return False
            target = Path(name)
        try:
            save_copy(self.path, target)
        except CuratorError as exc:
            QMessageBox.warning(self._window(), "Curator — no copy written", str(exc))
            return False
        self.statusBar().showMessage(f"Saved a copy to {target}", 5_000)
        return True

    def export_dialog(self) -> Any:
        from curator.gui.export_dialog import ExportDialog

        dialog = ExportDialog(self._window(), self.path, self.who)
        dialog.exported.connect(lambda message: self.statusBar().showMessage(message, 10_000))
        dialog.open()
        return dialog

    def import_dialog(self, source: Path | None = None) -> Any:
        """Bring a curator/1 file or an Excel template into this review, on a worker with progress."""
        from curator.gui.export_dialog import choose_import_source, import_into

        if source is None:
            source = choose_import_source(self._window(), self.path.parent)
            if source is None:
                return None

        def done(summary: str) -> None:
            self.undo_stack.clear()  # an import is one audited change, not undone here
            self.reload()
            self.statusBar().showMessage(summary, 10_000)

        return import_into(self._window(), self.path, source, self.who, done)

    if TYPE_CHECKING:  # provided by the window

        def load(self) -> None: ...

        def reload(self) -> None: ...

        def statusBar(self) -> Any: ...  # noqa: N802 - the window's
