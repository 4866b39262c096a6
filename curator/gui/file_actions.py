"""The main window's File menu: new, open, recent, save a copy, import, export.

Opening checks a file before touching it (:func:`curator.services.check_openable`):
a file that is not a review, comes from a newer Curator, is locked or is
read-only is refused with a message and left as it was. Import and export
run on a worker with a progress dialog that can be cancelled.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QInputDialog, QMenu, QMessageBox, QWidget

from curator.errors import CuratorError
from curator.gui.state import ReviewState
from curator.naming import fresh_name
from curator.services import Location, PasswordNeeded, ReviewService, ServerAddress, is_server_url

__all__ = ["FileActions"]


#: Lines of an export's summary shown in its box; the rest under Show Details.
_BOX_LINES = 12


class FileActions(QObject):
    """The File menu over the shared review state (a controller of the main window)."""

    def __init__(self, state: ReviewState, undo_stack: QUndoStack, parent: QWidget) -> None:
        super().__init__(parent)
        self.state, self.undo_stack, self.parent_widget = state, undo_stack, parent
        #: Imports a reference manager's library (the References tab's import); set by the window.
        self.import_references: Callable[[list[Path]], bool] | None = None

    @property
    def path(self) -> Location:
        return self.state.path

    def _window(self) -> QWidget:
        return self.parent_widget

    def open_path(self, path: Path | str) -> bool:
        """Show another review in this window (the current one is closed): a file, or a team review's
        ``postgresql://`` URL."""
        try:
            service = ReviewService.open_for_editing(path if is_server_url(path) else Path(path), self.state.who)
        except CuratorError as exc:
            QMessageBox.warning(self._window(), "Curator — cannot open", str(exc))
            return False
        self.undo_stack.clear()
        self.state.replace(service)
        self._remember(self.path)
        return True

    def open_team_dialog(self) -> QInputDialog:
        """File > Open team review…: the review's ``postgresql://`` address on its server; when the server
        asks for a password the address does not give, it is asked for next (never kept)."""
        dialog = QInputDialog(self._window())
        dialog.setWindowTitle("Open team review")
        dialog.setLabelText("The team review's address on its PostgreSQL server:\npostgresql://YOU@SERVER/DATABASE")
        dialog.setTextValue("postgresql://")
        dialog.textValueSelected.connect(self._open_team)
        dialog.open()
        return dialog

    def _open_team(self, url: str) -> None:
        url = url.strip()
        if not is_server_url(url):
            QMessageBox.warning(
                self._window(), "Curator — cannot open", f"{url}: not a team review's address (postgresql://…)"
            )
            return
        try:
            address = ServerAddress(url)
            service = ReviewService.open_for_editing(address, self.state.who)
        except PasswordNeeded:
            self.password_dialog(address)
            return
        except CuratorError as exc:
            QMessageBox.warning(self._window(), "Curator — cannot open", str(exc))
            return
        self.undo_stack.clear()
        self.state.replace(service)

    def password_dialog(self, address: ServerAddress) -> QInputDialog:
        """Ask the password of the address's user, then open the review with it."""
        from PySide6.QtWidgets import QLineEdit

        dialog = QInputDialog(self._window())
        dialog.setWindowTitle("Open team review")
        dialog.setLabelText(f"The password of {address.user or 'your user'} on the server of {address.name}:")
        dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
        dialog.textValueSelected.connect(lambda password: self.open_path(address.with_password(password)))
        dialog.open()
        return dialog

    def _remember(self, path: Location) -> None:
        from curator.gui.settings import Settings

        if isinstance(path, Path):  # a team review's URL is not a recent file
            Settings().add_recent(path)

    def open_dialog(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        name, _ = QFileDialog.getOpenFileName(
            self._window(), "Open review", str(self.state.folder), "Review databases (*.sqlite *.db);;All files (*)"
        )
        if name:
            self.open_path(Path(name))

    def fill_recent(self, menu: QMenu) -> None:
        """Fill File > Open recent (as it opens) with the reviews opened lately, this one left out."""
        menu.clear()
        from curator.gui.settings import Settings

        recent = [p for p in Settings().recent_files() if p != self.path]
        for path in recent:
            action = menu.addAction(str(path))
            action.triggered.connect(lambda _c=False, p=path: self.open_path(p))
        if not recent:
            menu.addAction("(none)").setEnabled(False)

    def proposed_new_review(self) -> Path:
        """The file New review proposes: a name that does not exist yet in the open review's folder
        (``review.sqlite``, ``review-2.sqlite``...), never the open review itself."""
        return fresh_name(self.state.folder, exists=lambda p: p.exists() or p == self.path)

    def new_review(self, path: Path | None = None, title: str | None = None) -> bool:
        """Make a new, empty review (a file that does not exist yet, and its title) and open it here."""
        from PySide6.QtWidgets import QFileDialog

        if path is None:
            name, _ = QFileDialog.getSaveFileName(
                self._window(),
                "New review: choose a new file",
                str(self.proposed_new_review()),
                "Review databases (*.sqlite)",
            )
            if not name:
                return False
            path = Path(name)
            if path.suffix == "":
                path = path.with_suffix(".sqlite")
        if path.exists():
            QMessageBox.warning(
                self._window(),
                "Curator — not created",
                f"{path}: already exists; a new review goes into a new file. Choose another name "
                "(or File > Open… to open that file).",
            )
            return False
        if title is None:
            title, ok = QInputDialog.getText(
                self._window(),
                "New review",
                "Title of the review (shown in the window title and on exports; File > Properties… changes it):",
            )
            if not ok:
                return False
        try:
            ReviewService.create(path, title, self.state.who)
        except CuratorError as exc:
            QMessageBox.warning(self._window(), "Curator — not created", str(exc))
            return False
        return self.open_path(path)

    def properties(self) -> Any:
        """File > Properties…: the review's title and description, saved (audited) when OK is pressed."""
        from curator.gui.review_properties import PropertiesDialog

        title, description = self.state.service.properties()
        dialog = PropertiesDialog(self._window(), title, description, str(self.path))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def save() -> None:
            new_title, new_description = dialog.values()
            ok, changed = self.state.run(
                lambda: self.state.service.set_properties(new_title, new_description, expected=(title, description))
            )
            if ok and changed:
                self.state.properties_changed.emit()
                self.state.message.emit("Saved the review's properties")

        dialog.accepted.connect(save)
        dialog.open()
        return dialog

    def save_copy(self, target: Path | None = None) -> bool:
        from PySide6.QtWidgets import QFileDialog

        if target is None:
            name, _ = QFileDialog.getSaveFileName(
                self._window(),
                "Save a copy",
                str(self.state.folder / (Path(self.path.name).stem + "-copy.sqlite")),
                "Review (*.sqlite)",
            )
            if not name:
                return False
            target = Path(name)
        try:
            self.state.service.save_copy(target)
        except CuratorError as exc:
            QMessageBox.warning(self._window(), "Curator — no copy written", str(exc))
            return False
        self.state.message.emit(f"Saved a copy to {target}")
        return True

    def export_dialog(self) -> Any:
        from curator.gui.export_dialog import ExportDialog

        dialog = ExportDialog(self._window(), self.path, self.state.who)

        def exported(summary: str) -> None:  # the status bar names the file, not its whole folder
            target = dialog.target()
            lines = (summary.replace(str(target), target.name) if target is not None else summary).splitlines()
            if len(lines) > 2:  # a list (the rows a RevMan export left out): in a box, whole under Show Details
                box = QMessageBox(QMessageBox.Icon.Information, "Curator — exported", lines[0], parent=self._window())
                shown, more = lines[1 : 1 + _BOX_LINES], len(lines) - 1 - _BOX_LINES
                box.setInformativeText("\n".join(shown) + (f"\n… and {more} more: Show Details…" if more > 0 else ""))
                if more > 0:
                    box.setDetailedText("\n".join(lines[1:]))
                box.open()
            summary = "\n".join(lines[:1] if len(lines) > 2 else lines)
            self.state.message.emit(summary.replace("\n", ". "))  # the workbook's cut texts: a line of their own

        dialog.exported.connect(exported)
        dialog.open()
        return dialog

    def import_dialog(self, source: Path | None = None) -> Any:
        """Bring a curator/1 file or an Excel template into this review, on a worker with progress; a
        reference manager's library (RIS, PubMed, BibTeX, CSL-JSON) goes to the References tab's import."""
        from curator.gui.export_dialog import choose_import_source, import_into
        from curator.services.references import is_reference_library

        if source is None:
            source = choose_import_source(self._window(), self.state.folder)
            if source is None:
                return None
        if self.import_references is not None and is_reference_library(source):
            return self.import_references([source])

        def done(summary: str) -> None:
            self.undo_stack.clear()  # an import is one audited change, not undone here
            self.state.review_changed.emit()
            self.state.message.emit(summary)

        return import_into(self._window(), self.path, source, self.state.who, done)
