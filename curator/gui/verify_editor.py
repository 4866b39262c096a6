"""Verify mode's fix or dispute being typed, for the current field, under the fields.

F opens it for a fix: the value as the source prints it, validated as typed
by :func:`~curator.fields.parse` (a value that does not fit is kept, marked,
with the reason, and not saved), or taken from text selected in the paper
(:func:`~curator.gui.verify_paper.number_as_printed`: ``68.4%`` gives
``68.4``), which is then where the value was read (its evidence, while the fix
still says what was taken). D opens it for a dispute: why the value is wrong.
It keeps the field as it was shown when typing began (:attr:`ValueEditor.typing`):
its value is what the write expects, even when another reviewer's change is
shown meanwhile. Saving (Enter, ``line.returnPressed``) is
:class:`~curator.gui.verify_view.VerifyDialog`'s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QWidget

from curator.fields import parse as parse_field
from curator.gui.state import mark_invalid
from curator.gui.verify_paper import number_as_printed
from curator.naming import from_words
from curator.review import Evidence

if TYPE_CHECKING:
    from curator.gui.document_pane import Selected
    from curator.gui.verify_fields import FieldStatesModel
    from curator.gui.working_at_once import WorkingAtOnce
    from curator.review import Row
    from curator.services import FieldState

__all__ = ["ValueEditor"]


class ValueEditor(QWidget):
    """The fix or dispute being typed (hidden when none): what it is for, and the line it is typed in.

    ``model`` is the fields table (the current field, and the fields' names); ``at_once`` says what is wrong
    with a value under the fields."""

    def __init__(self, model: FieldStatesModel, at_once: WorkingAtOnce) -> None:
        super().__init__()
        self.model = model
        self.at_once = at_once
        #: What is typed, and for which field.
        self.title = QLabel()
        self.line = QLineEdit()
        self.line.textEdited.connect(self.validate)
        layout = QHBoxLayout()
        layout.addWidget(self.title)
        layout.addWidget(self.line, 1)
        self.setLayout(layout)
        self.setVisible(False)
        self.mode: str | None = None  # "fix" or "dispute" while one is typed
        #: The field a fix or dispute is being typed for, as it was shown when typing began (its value is what
        #: the write expects, even when another reviewer's change is shown meanwhile).
        self.typing: FieldState | None = None
        #: The text selected in the paper that the fix being typed was taken from, and the number taken.
        self.fix_source: tuple[Selected, str] | None = None

    def begin(self, mode: str, state: FieldState, label: str, text: str, *, with_paper: bool) -> None:
        """Type a ``mode`` (``fix`` or ``dispute``) for ``state``, the current field, from ``text``."""
        self.mode = mode
        self.typing = state
        self.title.setText(f"<b>{_html(self.model.label(state.field))}</b> — {label}")
        self.line.setText(text)
        self.line.selectAll()
        mark_invalid(self.line, None)
        self.line.setPlaceholderText(
            "the value as the source prints it (Enter saves, Escape cancels)"
            if mode == "fix"
            else "what the source says instead (Enter saves, Escape cancels)"
        )
        self.setVisible(True)
        self.at_once.message.clear()
        self.fix_source = None
        if mode == "fix" and with_paper:
            self.line.setPlaceholderText("the value as the source prints it, or select it in the paper")
        self.line.setFocus()

    def end(self) -> None:
        """Nothing typed any more (saved or cancelled): hidden."""
        self.mode = None
        self.typing = None
        self.fix_source = None
        self.setVisible(False)

    def validate(self, text: str) -> bool:
        """A fix is checked as it is typed: a value that does not fit is kept, marked, with the reason."""
        state = self.typing or self.model.current_state()
        if self.mode != "fix" or state is None:
            return True
        try:
            parse_field(state.field, from_words(state.field, text))
        except ValueError as exc:
            reason = f"{self.model.label(state.field)}: {exc}"
            mark_invalid(self.line, reason)
            self.at_once.say(reason, error=True)
            return False
        mark_invalid(self.line, None)
        self.at_once.message.clear()
        return True

    def take_selection(self, picked: Selected, row: Row | None) -> None:
        """Fill the fix with the current field's value in the text selected in the paper, as printed, kept
        as where it was read (its evidence, recorded with the fix); a selection that gives no value for the
        field is put in as selected, marked, with the reason, and nothing is saved. ``row`` is the row
        shown, as stored (its measure and unit)."""
        state = self.model.current_state()
        if state is None:
            return
        try:
            number = number_as_printed(
                state.field,
                picked.text,
                measure=row.measure if row is not None else None,
                unit=row.unit if row is not None else None,
            )
        except ValueError as exc:
            self.fix_source = None
            self.line.setText(" ".join(picked.text.split()))
            reason = f"{self.model.label(state.field)}: {exc}"
            mark_invalid(self.line, reason)
            self.at_once.say(reason, error=True)
            return
        self.fix_source = (picked, number)
        self.line.setText(number)
        if self.validate(number):
            self.at_once.say(f"From p. {picked.page}: Enter saves {number} as read there.")

    def evidence(self, text: str) -> Evidence | None:
        """Where the fixed value was read: the text selected in the paper it was taken from, while the fix
        still says what was taken (typed over, it was not read there)."""
        if self.fix_source is None or self.fix_source[1] != text:
            return None
        picked = self.fix_source[0]
        return Evidence(picked.document.sha256, picked.page, picked.text, [list(b) for b in picked.boxes])


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
