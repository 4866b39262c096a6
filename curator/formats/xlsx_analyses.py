"""The workbook's Analyses sheet (issue 17): each endpoint that pools two studies or more, its numbers as
cells and its forest plot as a picture beside them.

One block per analysis, one under the other: its title (comparison and endpoint) and how it was pooled;
the pooled estimate, its CI and p, τ², I², Q with its p and the prediction interval, as numbers; each
study with its row, estimate, CI and weight; the rows left out and why. The forest plot
(:mod:`curator.formats.forest`) under them. Printed, the sheet is fitted to the page's width and each
analysis starts a page.
Pictures are drawn for the first :data:`MAX_PLOTS` analyses (a plot takes a tenth of a second or so);
the numbers of every analysis are written, and the About sheet says how many have a plot.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from typing import Any

from curator.analysis import Analysis
from curator.formats.cells import write_text
from curator.formats.forest import MEASURE_NAMES, forest_png

__all__ = ["write_analyses_sheet", "MAX_PLOTS", "SHEET"]

SHEET = "Analyses"
#: How many analyses get their forest plot drawn.
MAX_PLOTS = 40
#: The plots' resolution and their scale on the sheet.
_DPI = 100
_SCALE = 0.64
_ROW_PX = 20  # a default row's height in pixels
_METHODS = {"fixed": "fixed effect", "dl": "DerSimonian-Laird", "reml": "REML", "pm": "Paule-Mandel"}
_SUMMARY = ("Estimate", "CI low", "CI high", "P", "Tau²", "I² (%)", "Q", "Q p", "Prediction low", "Prediction high")
_STUDIES = ("Study", "Row", "Estimate", "CI low", "CI high", "Weight (%)")


def _number(ws: Any, r: int, c: int, value: float | None, fmt: Any) -> None:
    if value is not None and math.isfinite(value):
        ws.write_number(r, c, value, fmt)


def write_analyses_sheet(
    ws: Any, formats: Any, analyses: Sequence[Analysis], print_setup: Callable[[int, int], None] | None = None
) -> int:
    """Write the sheet; return how many plots it holds. ``print_setup(last_row, last_column)`` sets the
    printed pages up as the workbook's other sheets are."""
    ws.set_column(0, 0, 28)
    ws.set_column(1, len(_SUMMARY), 11)
    breaks = []
    two = formats.cell(number_format="0.00")
    one = formats.cell(number_format="0.0")
    four = formats.cell(number_format="0.0000")
    whole = formats.cell(number_format="0")
    if not analyses:
        write_text(ws, 0, 0, "No endpoint of this review pools two studies or more.", formats.legend)
        if print_setup is not None:
            print_setup(0, len(_SUMMARY))
        return 0
    r = 0
    plots = 0
    for number, a in enumerate(analyses):
        p = a.pooled
        if r:
            breaks.append(r)
        write_text(ws, r, 0, f"{a.comparison} · {a.endpoint}", formats.label)
        how = f"{MEASURE_NAMES.get(a.measure, a.measure)}, {p.model if p else 'IV'}, {_METHODS[a.method]}"
        how += f"{', HKSJ' if a.hksj else ''}; {a.k} studies" + (f"; {a.refused}" if a.refused else "")
        write_text(ws, r + 1, 0, how, formats.legend)
        r += 2
        if p is not None:
            ws.set_row(r, 30)  # two lines: "Prediction" / "low"
            for c, header in enumerate(_SUMMARY):
                write_text(ws, r, c + 1, header, formats.wrapped_header)
            write_text(ws, r + 1, 0, "Pooled", formats.label)
            values = [
                a.on_scale(p.estimate),
                a.on_scale(p.ci_low),
                a.on_scale(p.ci_high),
                p.p,
                p.tau2,
                p.i2,
                p.q,
                p.q_p,
            ]
            values += [a.on_scale(x) for x in p.prediction] if p.prediction else [None, None]
            for c, value in enumerate(values):
                _number(ws, r + 1, c + 1, value, four if _SUMMARY[c] in ("P", "Q p", "Tau²") else two)
            r += 3
        for c, header in enumerate(_STUDIES):
            write_text(ws, r, c, header, formats.header)
        r += 1
        for s in a.studies:
            write_text(ws, r, 0, s.citation, formats.cell())
            ws.write_number(r, 1, s.row, whole)
            for c, value in enumerate((s.estimate, s.ci_low, s.ci_high)):
                _number(ws, r, 2 + c, value, two)
            _number(ws, r, 5, s.weight, one)
            r += 1
        for out in a.left_out:
            write_text(ws, r, 0, f"Left out: row {out.row} ({out.citation}): {out.reason}", formats.legend)
            r += 1
        if p is not None and number < MAX_PLOTS:
            r += 1
            picture = forest_png(a, dpi=_DPI)
            height = int.from_bytes(picture[20:24], "big")  # the PNG's IHDR height
            ws.insert_image(r, 0, f"forest-{number + 1}.png",
                            {"image_data": io.BytesIO(picture), "x_scale": _SCALE, "y_scale": _SCALE,
                             "object_position": 3})  # fmt: skip
            plots += 1
            r += math.ceil(height * _SCALE / _ROW_PX) + 1
        r += 2
    ws.set_h_pagebreaks(breaks[:1023])  # Excel keeps at most 1,023 breaks
    if print_setup is not None:
        print_setup(r, len(_SUMMARY))
    return plots
