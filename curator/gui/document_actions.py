"""Attaching a paper's PDF to a reference, and detaching it, in the window (issue 14, "Documents in the review").

* File > Attach paper… (Ctrl+Shift+P) attaches a PDF to the reference chosen:
  the one selected in the left references list (when the keyboard is there),
  else the one selected on the References tab (when it is shown), else one of
  the current row's cited references (asked when it cites several).
* Dropping PDF files on a reference, in the left list or on the References
  tab, attaches them to it (other files dropped on the References tab are
  still imported as reference libraries).
* On the References tab, Shift+Del (or the context menu's Detach paper…)
  detaches the selected reference's paper, asking first; the service refuses
  while a value's evidence points at it, and the message says so.

Which references have a paper shows in the References tab's Paper column
(file and pages) and in the left list (``PDF`` after the key). A scan (no
text layer) is attached, and the status bar says it can be viewed and its
values typed, not searched or captured.

Everything goes through :attr:`ReviewService.documents
<curator.services.review.ReviewService.documents>`, which audits it in one
transaction; attaching is not on the undo stack (detach undoes it, and
attaching again undoes a detach). A file of :data:`BIG_FILE` bytes or more is
read and stored on a worker thread (:mod:`curator.gui.tasks`), on its own
connection to the review, so the window stays live.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QInputDialog,
    QListWidget,
    QMenu,
    QMessageBox,
    QWidget,
)

from curator.errors import CuratorError
from curator.words import counted

if TYPE_CHECKING:
    from curator.gui.app import MainWindow
    from curator.gui.tasks import Task
    from curator.progress import Progress
    from curator.review import Document
    from curator.services.documents import Attached

__all__ = ["DocumentActions", "PaperDropList", "ATTACH_KEY", "DETACH_KEY", "BIG_FILE", "paper_mark", "attached_message"]

#: File > Attach paper…
ATTACH_KEY = "Ctrl+Shift+P"
#: Detach the selected reference's paper, on the References tab.
DETACH_KEY = "Shift+Del"
#: A file this big (bytes) or bigger is attached on a worker thread, with a progress dialog if it takes long.
BIG_FILE = 8_000_000


def paper_mark(documents: list[Document]) -> str:
    """What the References tab's Paper column says of a reference's papers: ``wahn-2002.pdf (12 p.)``;
    one the review names without holding its file says so."""

    def one(document: Document) -> str:
        if not document.stored:
            return f"{document.file} (its file is not in the review)"
        return f"{document.file} ({document.pages} p.)" if document.pages else document.file

    return "; ".join(one(d) for d in documents)


def attached_message(done: Attached, key: str) -> str:
    """The status bar's line after attaching: what was kept, and whether the paper can be searched."""
    document = done.document
    if done.already:
        text = f"{document.file}: the review already holds this paper (kept once), the paper of [{key}]"
    else:
        text = f"Attached {document.file} ({counted(document.pages or 0, 'page')}) as the paper of [{key}]"
    if not done.has_text:
        text += (
            f". {document.file} has no text layer (a scan): it can be viewed and its values typed, "
            "not searched or captured"
        )
    return text


class DocumentActions(QObject):
    """The window's attach and detach of papers, and the marks of the references that have one."""

    #: Emitted after the review's documents changed (attached or detached).
    documents_changed = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        #: The papers of each reference (key -> its documents), as last read.
        self.papers: dict[str, list[Document]] = {}
        #: The last message shown about attaching or detaching (for the status bar and tests).
        self.last_message = ""
        #: The attaching running on a worker thread, if any (the last one started).
        self.task: Task[Attached] | None = None
        self.attach_action = QAction("Attach &paper…", window)
        self.attach_action.setShortcut(QKeySequence(ATTACH_KEY))
        self.attach_action.setStatusTip(
            "Keep a paper's PDF in the review as the full text of a reference: the one selected in the "
            "references list or on the References tab, else one the current row cites"
        )
        self.attach_action.triggered.connect(lambda _checked=False: self.attach_dialog())
        window.addAction(self.attach_action)
        # In the File menu, after Import and Export (before Properties).
        menu = next((m for m in window.properties_action.associatedObjects() if isinstance(m, QMenu)), None)
        if menu is not None:
            menu.insertAction(window.properties_action, self.attach_action)
            menu.insertSeparator(window.properties_action)
        table = window.references_view.table
        self.detach_action = QAction("Detach paper…", table)
        self.detach_action.setShortcut(QKeySequence(DETACH_KEY))
        self.detach_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.detach_action.setStatusTip("Remove the selected reference's paper from the review (asks first)")
        self.detach_action.triggered.connect(lambda _checked=False: self.detach_selected())
        table.addAction(self.detach_action)
        attach_here = QAction("Attach paper…", table)
        attach_here.triggered.connect(lambda _checked=False: self.attach_dialog(_tab_key(window)))
        table.addAction(attach_here)
        window.references_list.files_dropped.connect(self._dropped_on_list)
        window.references_view.papers_dropped.connect(self.dropped)

    # -- the marks -------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read which references have a paper, and mark them in the References tab and the left list."""
        papers: dict[str, list[Document]] = {}
        for document in self.window.service.documents.all():
            if document.reference is not None:
                papers.setdefault(document.reference, []).append(document)
        self.papers = papers
        self.window.references_view.model.set_papers({key: paper_mark(docs) for key, docs in papers.items()})
        self.mark_list()

    def mark_list(self) -> None:
        """Mark the left list's references that have a paper: ``[7] PDF · Wahn…`` (the file and pages
        in the line's status tip)."""
        lines = self.window.references_list
        for row, ref in enumerate(self.window.references[: lines.count()]):
            item = lines.item(row)
            text = item.text()
            plain = text.replace(f"[{ref.key}] PDF · ", f"[{ref.key}] ", 1)
            documents = self.papers.get(ref.key)
            held = documents is not None and any(d.stored for d in documents)
            marked = plain.replace(f"[{ref.key}] ", f"[{ref.key}] PDF · ", 1) if held else plain
            if marked != text:
                item.setText(marked)
            item.setStatusTip(f"Paper: {paper_mark(documents)}" if documents else "")

    # -- which reference -------------------------------------------------------------------------

    def chosen_reference(self) -> str | None:
        """The reference File > Attach paper… attaches to (asking among the row's citations when it
        cites several); None, with a message, when there is none to choose."""
        w = self.window
        listing = w.references_list
        item = listing.currentItem()
        if listing.hasFocus() and item is not None and item.isSelected() and listing.row(item) < len(w.references):
            return w.references[listing.row(item)].key
        if w.tabs.currentIndex() == 1:
            key = _tab_key(w)
            if key is not None:
                return key
        position = w.current_position()
        citations = w.row_at(position).citations if position is not None and w.row_count() else []
        if not citations:
            self._tell(
                "Choose the reference whose paper this is: select it in the references list or on the "
                "References tab, or a row that cites it",
                box=True,
            )
            return None
        if len(citations) == 1:
            return citations[0]
        lines = {
            _reference_line(w, key) + (f" — has {paper_mark(self.papers[key])}" if self.papers.get(key) else ""): key
            for key in citations
        }  # a reference that has its paper says so: the one still without is the likely choice
        choice, ok = QInputDialog.getItem(
            w, "Curator — attach a paper", "The row cites several references: whose paper is it?", list(lines), 0, False
        )
        return lines.get(choice) if ok else None

    # -- attach ----------------------------------------------------------------------------------

    def attach_dialog(self, key: str | None = None) -> Attached | Task[Attached] | None:
        """File > Attach paper…: choose the reference (see :meth:`chosen_reference`), then the PDF."""
        key = key or self.chosen_reference()
        if key is None:
            return None
        name, _ = QFileDialog.getOpenFileName(
            self.window, f"Curator — attach the paper of [{key}]", "", "PDF files (*.pdf);;All files (*)"
        )
        if not name:
            return None
        return self.attach(key, Path(name))

    def attach(self, key: str, path: Path) -> Attached | Task[Attached] | None:
        """Attach the file at ``path`` to reference ``key``: at once, or, for a big file, on a worker
        thread (the task is returned). A refusal (not a PDF, damaged, encrypted, too big) is shown in a
        message box naming the file, and nothing is stored."""
        try:
            big = path.stat().st_size >= BIG_FILE
        except OSError:
            big = False  # the service says why it cannot be read
        if big:
            return self._attach_on_a_thread(key, path)
        try:
            done = self.window.state.run_raising(lambda: self.window.service.documents.attach(key, path))
        except CuratorError as exc:
            self._refused("Curator — paper not attached", str(exc))
            return None
        self._attached(done, key)
        return done

    def _attach_on_a_thread(self, key: str, path: Path) -> Task[Attached]:
        from curator.services import ReviewService

        review, who = self.window.path, self.window.who

        def work(progress: Progress) -> Attached:
            from curator.progress import report

            report(progress, 0, 1, f"reading {path.name}")
            with ReviewService.open(review, who) as service:  # its own connection, on this thread
                return service.documents.attach(key, path)

        self.task = self.window.tasks.run(
            f"attach:{path}",
            f"Attaching {path.name}",
            work,
            lambda done: self._attached(done, key),
            lambda message: self._refused("Curator — paper not attached", message),
        )
        return self.task

    def _attached(self, done: Attached, key: str) -> None:
        self.refresh()
        sha256 = done.document.sha256
        holder = next((k for k, docs in self.papers.items() if any(d.sha256 == sha256 for d in docs)), None)
        if done.already and holder is not None and holder != key:
            # The review keeps a paper's bytes once, as one reference's paper: saying "the paper of [key]"
            # would be untrue (it stays [holder]'s, and [key] still has none).
            self._refused(
                "Curator — paper not attached",
                f"{done.document.file} is already the paper of [{holder}]: a paper belongs to one reference, so "
                f"[{key}] still has none. If [{holder}] and [{key}] are the same paper, merge them "
                "(curator merge-references).",
            )
            return
        self._tell(attached_message(done, key), box=False)
        self.documents_changed.emit()

    # -- detach ----------------------------------------------------------------------------------

    def detach_selected(self) -> bool:
        """Detach the paper of the reference selected on the References tab, asking first (which one,
        when it has several). True when it was detached."""
        key = _tab_key(self.window)
        if key is None:
            self._tell("Select the reference whose paper to detach")
            return False
        documents = self.papers.get(key, [])
        if not documents:
            self._tell(f"Reference [{key}] has no paper attached")
            return False
        document = documents[0]
        if len(documents) > 1:
            names = [d.file for d in documents]
            choice, ok = QInputDialog.getItem(
                self.window, "Curator — detach a paper", f"Which paper of [{key}]?", names, 0, False
            )
            if not ok:
                return False
            document = documents[names.index(choice)]
        answer = QMessageBox.question(
            self.window,
            "Curator — detach paper",
            f"Detach {document.file} from reference [{key}]? Its file leaves the review "
            "(attach it again to bring it back).",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            self.window.service.documents.detach(key, document.sha256)
        except CuratorError as exc:
            self._refused("Curator — paper not detached", str(exc))
            return False
        self.refresh()
        self._tell(f"Detached {document.file} from reference [{key}]", box=False)
        self.documents_changed.emit()
        return True

    # -- drops -----------------------------------------------------------------------------------

    def dropped(self, key: str | None, paths: list[Path]) -> None:
        """Files dropped on reference ``key`` (None: beside every reference): attach each as its paper."""
        if key is None:
            self._tell("Drop the paper on the reference it is the full text of")
            return
        for path in paths:
            self.attach(key, path)

    def _dropped_on_list(self, row: int, paths: list[Path]) -> None:
        references = self.window.references
        self.dropped(references[row].key if 0 <= row < len(references) else None, paths)

    # -- telling ---------------------------------------------------------------------------------

    def _tell(self, text: str, *, box: bool = False) -> None:
        self.last_message = text
        self.window.show_message(text)
        if box:
            QMessageBox.information(self.window, "Curator — papers", text)

    def _refused(self, title: str, text: str) -> None:
        self.last_message = text
        self.window.show_message(text)
        QMessageBox.warning(self.window, title, text)


def _reference_line(window: MainWindow, key: str) -> str:
    """A reference in one line for a choice: ``[7] Wahn 2002: title`` (its key alone when unknown)."""
    ref = next((r for r in window.references if r.key == key), None)
    if ref is None:
        return f"[{key}]"
    author = ref.authors[0].split(",")[0] if ref.authors else ""
    head = " ".join(part for part in (author, str(ref.year) if ref.year else "") if part)
    what = ref.title or ref.journal or ref.note or ""
    return f"[{key}] " + ": ".join(part for part in (head, what) if part)


def _tab_key(window: MainWindow) -> str | None:
    """The key of the reference selected on the References tab, or None."""
    ref = window.references_view.current_reference()
    return None if ref is None else ref.key


class PaperDropList(QListWidget):
    """The window's left list of references, which takes files dropped on a reference (its papers)."""

    #: The row dropped on (-1 beside every line) and the local files dropped.
    files_dropped = Signal(int, list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)

    @staticmethod
    def _files(event: QDropEvent) -> list[Path]:
        return [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt's name
        if self._files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 - Qt's name
        if self._files(event) and self.itemAt(event.position().toPoint()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt's name
        paths = self._files(event)
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        item = self.itemAt(event.position().toPoint())
        self.files_dropped.emit(self.row(item) if item is not None else -1, paths)
