"""The main window's menu bar: File, Edit, Review and Help.

Every action is also added to the window, so its shortcut works wherever
the focus is; its slot is a controller's (the File menu's
:class:`~curator.gui.file_actions.FileActions`, the Edit menu's
:class:`~curator.gui.edit_actions.EditActions`) or the window's own (filter,
checks, help). :func:`~curator.gui.double_checking.install` adds
double-checking's actions to the Review menu.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from curator.gui.form_keys import FORM_KEY
from curator.gui.papers import ACCEPT_KEY, CAPTURE_KEY, NEXT_PLACE_KEY, PAPER_KEY

if TYPE_CHECKING:
    from curator.gui.app import MainWindow

__all__ = ["build_menus", "add_action"]


def add_action(
    host: QMainWindow,
    menu: Any,
    text: str,
    slot: Callable[[], object],
    shortcuts: tuple[QKeySequence | str | QKeySequence.StandardKey, ...] = (),
    tip: str = "",
) -> QAction:
    action = QAction(text, host)
    if shortcuts:
        action.setShortcuts([s if isinstance(s, QKeySequence) else QKeySequence(s) for s in shortcuts])
    action.setStatusTip(tip)
    action.triggered.connect(lambda _checked=False: slot())
    menu.addAction(action)
    host.addAction(action)
    return action


def build_menus(window: MainWindow) -> None:
    """The menu bar: File, Edit, Review and Help, each action also a shortcut of the window."""
    w = window
    bar = w.menuBar()
    file_menu = bar.addMenu("&File")
    w.new_review_action = add_action(
        w, file_menu, "&New review…", w.files.new_review, ("Ctrl+Shift+N",), "Start a new review in a new file"
    )
    w.open_action = add_action(
        w, file_menu, "&Open…", w.files.open_dialog, (QKeySequence.StandardKey.Open,), "Open a review database"
    )
    w.open_team_action = add_action(
        w, file_menu, "Open tea&m review…", w.files.open_team_dialog, (), "Open a review on a PostgreSQL server"
    )
    w.recent_menu = file_menu.addMenu("Open &recent")
    w.recent_menu.aboutToShow.connect(lambda: w.files.fill_recent(w.recent_menu))
    w.save_copy_action = add_action(
        w,
        file_menu,
        "Save a &copy…",
        w.files.save_copy,
        ("Ctrl+Shift+S",),
        "Write a copy of this review's database",
    )
    file_menu.addSeparator()
    w.import_action = add_action(
        w,
        file_menu,
        "&Import…",
        w.files.import_dialog,
        ("Ctrl+I",),
        "Bring a curator/1 file or an Excel template in",
    )
    w.export_action = add_action(
        w, file_menu, "&Export…", w.files.export_dialog, ("Ctrl+E",), "Write the review as Excel, JSON or CSV"
    )
    file_menu.addSeparator()
    w.properties_action = add_action(
        w, file_menu, "Proper&ties…", w.files.properties, (), "The review's title and description"
    )
    file_menu.addSeparator()
    w.quit_action = add_action(w, file_menu, "&Quit", w.close, (QKeySequence.StandardKey.Quit,))

    edit_menu = bar.addMenu("&Edit")
    w.undo_action = w.undo_stack.createUndoAction(w, "&Undo")
    w.undo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
    w.redo_action = w.undo_stack.createRedoAction(w, "&Redo")
    w.redo_action.setShortcut(QKeySequence("Ctrl+Shift+Z"))
    # Through the window's UndoStack.undo/redo, not Qt's own: a big comparison's delete is undone on a worker.
    for action, step in ((w.undo_action, w.undo_stack.undo), (w.redo_action, w.undo_stack.redo)):
        action.triggered.disconnect()
        action.triggered.connect(lambda _checked=False, step=step: step())
    edit_menu.addActions([w.undo_action, w.redo_action])
    w.addActions([w.undo_action, w.redo_action])
    edit_menu.addSeparator()
    w.new_row_action = add_action(
        w, edit_menu, "&New row", w.edits.new_row, ("Ctrl+N", "Insert"), "Add a row below the current one"
    )
    w.duplicate_row_action = add_action(
        w, edit_menu, "&Duplicate row", w.edits.duplicate_row, ("Ctrl+D",), "Copy the current row below it"
    )
    w.delete_row_action = add_action(
        w, edit_menu, "De&lete row…", w.edits.delete_row, ("Ctrl+Del",), "Delete the current row (asks first)"
    )
    w.move_up_action = add_action(w, edit_menu, "Move row u&p", lambda: w.edits.move_row(-1), ("Alt+Up",))
    w.move_down_action = add_action(w, edit_menu, "Move row do&wn", lambda: w.edits.move_row(1), ("Alt+Down",))
    edit_menu.addSeparator()
    w.new_comparison_action = add_action(
        w, edit_menu, "New &comparison…", w.edits.new_comparison, ("Ctrl+Shift+C",), "Add a comparison table"
    )
    w.delete_comparison_action = add_action(
        w,
        edit_menu,
        "Delete compar&ison…",
        w.edits.delete_comparison,
        ("Ctrl+Shift+Del",),
        "Delete the selected comparison (asks first)",
    )
    edit_menu.addSeparator()
    w.form_action = add_action(
        w,
        edit_menu,
        "Go to the row &form (and back to the table)",
        w.form_keys.toggle,
        (FORM_KEY,),
        "Put the keyboard in the current cell's field in the row form; from the form, back to the table",
    )
    w.find_action = add_action(
        w, edit_menu, "Fil&ter rows", w._focus_filter, (QKeySequence.StandardKey.Find,), "Filter the table"
    )
    edit_menu.addSeparator()  # the paper beside the form
    w.find_in_paper_action = add_action(
        w,
        edit_menu,
        "&Search the paper",
        w.papers.pane.start_find,
        ("Ctrl+Shift+F",),
        "Look for a text in the paper beside the form, over all its pages",
    )
    w.paper_keyboard_action = add_action(
        w,
        edit_menu,
        "&Go to the paper (and back to the form)",
        w.papers.toggle_keyboard,
        (PAPER_KEY,),
        "Put the keyboard on the page of the paper beside the form; from the paper, back to the chosen field",
    )
    w.next_place_action = add_action(
        w,
        edit_menu,
        "Ne&xt place in the paper",
        lambda: w.papers.next_place(),
        (NEXT_PLACE_KEY,),
        "Go to the next place marked in the paper (found, or where the chosen value stands)",
    )
    w.previous_place_action = add_action(
        w,
        edit_menu,
        "Pre&vious place in the paper",
        lambda: w.papers.next_place(backwards=True),
        (f"Shift+{NEXT_PLACE_KEY}",),
        "Go to the place marked in the paper before the one shown",
    )
    w.capture_action = add_action(
        w,
        edit_menu,
        "Ta&ke the selection into the field",
        w.papers.capture,
        (CAPTURE_KEY,),
        "Fill the field chosen in the form with the text selected in the paper, and record where it was read",
    )
    w.accept_place_action = add_action(
        w,
        edit_menu,
        "Take the &marked place as where it was read",
        w.papers.accept_place,
        (ACCEPT_KEY,),
        "The place marked in the paper (found by Locate or by find) becomes the chosen value's evidence",
    )
    edit_menu.addSeparator()
    w.accept_action = add_action(
        w,
        edit_menu,
        "&Accept finding…",
        w.edits.accept_current,
        ("Ctrl+Shift+A",),
        "Accept the selected finding with a reason",
    )
    edit_menu.addSeparator()
    w.preferences_action = add_action(
        w, edit_menu, "Pr&eferences…", w.show_preferences, ("Ctrl+,",), "Your name in the audit log"
    )
    w.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)

    w.review_menu = bar.addMenu("&Review")
    w.check_action = add_action(
        w, w.review_menu, "Run all &checks", w.check_all, ("F5",), "Check the whole review again"
    )
    w.findings_list_action = add_action(
        w,
        w.review_menu,
        "All open &findings…",
        w.finding_nav.show_list,
        ("F8",),
        "List every open finding of the review: filter them, go to one (Enter), accept one",
    )

    w.help_menu = help_menu = bar.addMenu("&Help")
    w.shortcuts_action = add_action(
        w, help_menu, "&Keyboard shortcuts", w.show_shortcuts, ("F1",), "Every shortcut of the window"
    )
    w.about_action = add_action(w, help_menu, "&About Curator", w.show_about)
