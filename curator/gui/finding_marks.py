"""How a finding is marked wherever the window shows one: colour, dot, tooltip.

The colours are the table cells' (and the workbook's): a cell, a reference
or a line of the findings list with findings takes the colour and the dot of
its worst severity, and lists the messages as its tooltip.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

from curator.checks import Finding

__all__ = [
    "RANK",
    "worst",
    "brush",
    "icon",
    "has_dot",
    "tooltip",
    "by_reference",
    "SEVERITY_WORDS",
    "DotSpace",
]

#: Severities from least to most serious.
RANK = {"info": 0, "warning": 1, "error": 2}
#: A severity as people read it.
SEVERITY_WORDS = {"error": "Error", "warning": "Warning", "info": "Info"}
_BRUSHES = {
    "error": QColor("#F8CBAD"),
    "warning": QColor("#FFE699"),
    "info": QColor("#DDEBF7"),
}
_DOTS = {"error": "#C00000", "warning": "#BF8F00", "info": "#2F75B5"}
_ICONS: dict[str, QIcon] = {}


def worst(findings: Iterable[Finding]) -> str | None:
    """The most serious severity among ``findings`` (None when there are none)."""
    severities = [f.severity for f in findings]
    return max(severities, key=lambda s: RANK.get(s, 0)) if severities else None


_BRUSH_OF = {severity: QBrush(colour) for severity, colour in _BRUSHES.items()}


def brush(severity: str) -> QBrush:
    """The background of a cell whose worst finding has ``severity`` (the same as in the workbook)."""
    return _BRUSH_OF.get(severity, _BRUSH_OF["info"])


def icon(severity: str | None) -> QIcon:
    """A small coloured dot for ``severity``; for None, an empty space as wide (so that lines stay aligned)."""
    made = _ICONS.get(severity or "")
    if made is None:
        pixmap = QPixmap(10, 10)
        pixmap.fill(Qt.GlobalColor.transparent)
        if severity:
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setBrush(QColor(_DOTS.get(severity, _DOTS["info"])))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawEllipse(1, 1, 8, 8)
            painter.end()
        made = _ICONS[severity or ""] = QIcon(pixmap)
    return made


def has_dot(mark: QIcon) -> bool:
    """Whether ``mark`` shows a dot (a null or empty icon shows none)."""
    if mark.isNull():
        return False
    image = mark.pixmap(10, 10).toImage()
    return any(image.pixelColor(x, y).alpha() for x in range(image.width()) for y in range(image.height()))


def tooltip(findings: Sequence[Finding]) -> str:
    """The findings' messages, one a line, each with its severity."""
    return "\n".join(f"{SEVERITY_WORDS.get(f.severity, f.severity)}: {f.message}" for f in findings)


def by_reference(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    """The findings about each reference (by key), in order."""
    found: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.comparison is None and finding.reference is not None:
            found.setdefault(finding.reference, []).append(finding)
    return found


class DotSpace(QStyledItemDelegate):
    """Draws a line with no mark as if it had the empty space of :func:`icon`, so that the lines of a
    list stay aligned without giving each clean line an icon (10,000 references took 15 ms more)."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: Any) -> None:  # noqa: N802 - Qt's name
        super().initStyleOption(option, index)
        if not option.features & QStyleOptionViewItem.ViewItemFeature.HasDecoration:
            space = icon(None)
            option.features |= QStyleOptionViewItem.ViewItemFeature.HasDecoration
            option.icon = space
            option.decorationSize = space.actualSize(option.decorationSize)
