"""Where a row's values come from: the source location and its verbatim quote, shown prominently.

The quote is shown as stored, read-only, so a verifier compares the values
with what the paper printed; a tab (between the cells of a table row copied
from the paper) is drawn as `` │ ``, since tab stops can leave two cells
looking like one. :attr:`SourceBox.quote_text` keeps the quote verbatim.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QFrame, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

__all__ = ["SourceBox", "TAB"]

#: How a tab of a quote is drawn.
TAB = "  │  "


class SourceBox(QFrame):
    """A framed box: the source location in bold, the quote below it, verbatim."""

    def __init__(self, parent: QWidget | None = None, *, quote_lines: int = 3) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("source_box")
        self.setStyleSheet("#source_box { background: #FFF8E1; }")
        self.location = QLabel()
        self.location.setWordWrap(True)
        self.location.setTextFormat(Qt.TextFormat.PlainText)
        bold = QFont(self.location.font())
        bold.setBold(True)
        self.location.setFont(bold)
        self.quote = QPlainTextEdit()
        self.quote.setReadOnly(True)
        self.quote.setObjectName("source_quote")
        self.quote.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        font = QFont(self.quote.font())
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.quote.setFont(font)
        metrics = QFontMetricsF(font)
        self.quote.setFixedHeight(int(metrics.lineSpacing() * quote_lines + 14))
        self.quote.setStyleSheet("QPlainTextEdit { background: white; }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        heading = QLabel("Source")
        heading.setStyleSheet("color: #595959;")
        layout.addWidget(heading)
        layout.addWidget(self.location)
        layout.addWidget(self.quote)

        #: The quote as stored (None when the row has none).
        self.quote_text: str | None = None

    def set_source(self, location: str | None, quote: str | None) -> None:
        """Show a row's source; says so when the row names none."""
        self.location.setText(location or "(the row names no source location)")
        self.quote_text = quote
        self.quote.setPlainText(quote.replace("\t", TAB) if quote else "(no quote)")
        self.quote.setToolTip("Tabs (between table cells) are shown as │" if quote and "\t" in quote else "")
