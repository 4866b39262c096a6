"""Forest plots in RevMan's layout (issue 17), drawn with matplotlib for files, the window and the workbook.

One row per study: its name, each arm's data (events / total; or mean, SD, total; or a reported
estimate's log and SE), its weight, its estimate with CI as text, and as a square (its area the
weight) with whiskers on the plot; then the total's row with the pooled estimate as a diamond (and the
prediction interval as a line through it), the arms' total events, the heterogeneity line and the test
for the overall effect; under the axis, which side favours which arm, named by the comparison's arms.
Ratios are drawn on a log axis around 1, differences on a linear one around 0.

Only :class:`matplotlib.figure.Figure` is used (no pyplot, no global state), so a worker thread may
draw while the window runs.
"""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Any

from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.patches import Polygon

from curator.analysis import RATIO, Analysis
from curator.analysis.effects import Binary, Continuous

__all__ = ["forest_figure", "write_forest", "forest_png", "FORMATS", "MEASURE_NAMES"]

#: The file types a plot is written as, by suffix.
FORMATS = ("svg", "png", "pdf")
MEASURE_NAMES = {
    "RR": "Risk Ratio",
    "OR": "Odds Ratio",
    "RD": "Risk Difference",
    "MD": "Mean Difference",
    "SMD": "Std. Mean Difference",
    "HR": "Hazard Ratio",
    "IRR": "Rate Ratio",
}
_METHODS = {"fixed": "Fixed", "dl": "Random (DL)", "reml": "Random (REML)", "pm": "Random (PM)"}
_ROW = 0.24  # inches per line
_WIDTH = 11.0  # inches
_FONT = 8.0


def _fmt(value: float | None, digits: int = 2) -> str:
    return "" if value is None or not math.isfinite(value) else f"{value:.{digits}f}"


def _p(p: float | None) -> str:
    if p is None:
        return ""
    return "P < 0.00001" if p < 0.00001 else f"P = {p:.4f}" if p < 0.001 else f"P = {p:.2f}"


def _columns(analysis: Analysis) -> tuple[list[tuple[str, float, str]], Any]:
    """The data columns (header, x as a share of the width, alignment) and a function giving a study's
    cells."""
    kinds = {type(s.data) for s in analysis.studies}
    if kinds == {Binary}:
        cols = [("Events", 0.30, "right"), ("Total", 0.35, "right")]
        cols += [("Events", 0.415, "right"), ("Total", 0.465, "right")]

        def counts(s: Any) -> list[str]:
            d = s.data
            return [str(d.events1), str(d.n1), str(d.events2), str(d.n2)]

        return cols, counts
    if kinds == {Continuous}:
        cols = [
            ("Mean", 0.275, "right"), ("SD", 0.32, "right"), ("Total", 0.36, "right"),
            ("Mean", 0.405, "right"), ("SD", 0.45, "right"), ("Total", 0.49, "right"),
        ]  # fmt: skip

        def moments(s: Any) -> list[str]:
            d = s.data
            return [f"{d.mean1:g}", f"{d.sd1:g}", str(d.n1), f"{d.mean2:g}", f"{d.sd2:g}", str(d.n2)]

        return cols, moments
    log = analysis.measure in RATIO
    cols = [(f"log[{analysis.measure}]" if log else analysis.measure, 0.38, "right"), ("SE", 0.46, "right")]

    def cells(s: Any) -> list[str]:
        return [f"{s.yi:.4f}", f"{math.sqrt(s.vi):.4f}"]

    return cols, cells


def _limits(analysis: Analysis) -> tuple[float, float]:
    """The plot's x range: symmetric around the null (on the log scale for a ratio), taking in every CI
    up to a point (RevMan's 0.01 to 100, or the widest it needs among 0.1, 0.2, 0.5...)."""
    ratio = analysis.measure in RATIO
    ends = [x for s in analysis.studies for x in (s.ci_low, s.ci_high)]
    p = analysis.pooled
    if p is not None:
        ends += [analysis.on_scale(p.ci_low) or 0, analysis.on_scale(p.ci_high) or 0]
    if ratio:
        spread = max((abs(math.log10(x)) for x in ends if x > 0), default=1.0)
        for edge in (0.2, 0.5, 1.0, 2.0):
            if spread <= edge:
                return 10**-edge, 10**edge
        return 0.01, 100.0
    spread = max((abs(x) for x in ends), default=1.0) or 1.0
    magnitude = 10 ** math.floor(math.log10(spread))
    for step in (1, 2, 5, 10):
        if spread <= step * magnitude:
            return -step * magnitude, step * magnitude
    return -spread, spread


def forest_figure(analysis: Analysis) -> Figure:
    """The analysis's forest plot."""
    studies = analysis.studies
    k = len(studies)
    binary = {type(s.data) for s in studies} == {Binary}
    p = analysis.pooled
    lines = 2 + k + 1 + (1 if binary else 0) + 2  # headers, studies, total, total events, the axis
    lines += (p is not None and p.q is not None) + (p is not None) + bool(p and p.prediction) + bool(analysis.left_out)
    height = lines * _ROW + 0.45
    fig = Figure(figsize=(_WIDTH, height), dpi=100)
    fig.patch.set_facecolor("white")

    def y_of(line: float) -> float:  # line 0 at the top, as a share of the height
        return 1 - (0.25 + (line + 0.5) * _ROW) / height

    def text(x: float, line: float, s: str, **kw: Any) -> None:
        fig.text(x, y_of(line), s, fontsize=_FONT, va="center", **kw)

    left, right = analysis.arms
    cols, cells = _columns(analysis)
    name = MEASURE_NAMES.get(analysis.measure, analysis.measure)
    model = p.model if p is not None else "IV"
    how = f"{'M-H' if model == 'MH' else 'IV'}, {_METHODS[analysis.method]}, 95% CI"
    # Headers: the arms over their columns, then the columns.
    arm_cols = len(cols) // 2 if len(cols) >= 4 else 0
    if arm_cols:
        text((cols[0][1] + cols[arm_cols - 1][1]) / 2 - 0.02, 0, left, ha="center", weight="bold")
        text((cols[arm_cols][1] + cols[-1][1]) / 2 - 0.02, 0, right, ha="center", weight="bold")
    text(0.01, 1, "Study", weight="bold")
    for header, x, align in cols:
        text(x, 1, header, ha=align, weight="bold")
    text(0.535, 1, "Weight", ha="right", weight="bold")
    text(0.625, 0, name, ha="center", weight="bold")
    text(0.625, 1, how, ha="center", weight="bold")
    text(0.855, 0, name, ha="center", weight="bold")
    text(0.855, 1, how, ha="center", weight="bold")
    # The plot: one axes over the study rows and the total's.
    first, last = 2, 2 + k + 1
    ax = fig.add_axes((0.72, y_of(last + 0.5), 0.27, y_of(first - 0.5) - y_of(last + 0.5)))
    ax.set_ylim(last + 0.5, first - 0.5)
    low_x, high_x = _limits(analysis)
    ratio = analysis.measure in RATIO
    if ratio:
        ax.set_xscale("log")
        ticks = {100.0: [0.01, 0.1, 1, 10, 100], 10.0: [0.1, 0.2, 0.5, 1, 2, 5, 10]}.get(
            round(high_x, 6), [t for t in (0.2, 0.5, 0.7, 1, 1.5, 2, 5) if low_x <= t <= high_x]
        )
        ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
        ax.minorticks_off()
    ax.set_xlim(low_x, high_x)
    ax.axvline(1.0 if ratio else 0.0, color="black", linewidth=0.8)
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.set_yticks([])
    ax.tick_params(axis="x", labelsize=_FONT)
    biggest = max((s.weight for s in studies), default=1.0) or 1.0
    for i, s in enumerate(studies):
        line = first + i
        text(0.01, line, s.citation)
        for value, (_h, x, align) in zip(cells(s), cols, strict=True):
            text(x, line, value, ha=align)
        text(0.535, line, f"{s.weight:.1f}%", ha="right")
        text(0.625, line, f"{_fmt(s.estimate)} [{_fmt(s.ci_low)}, {_fmt(s.ci_high)}]", ha="center")
        lo, hi = max(s.ci_low, low_x), min(s.ci_high, high_x)
        ax.plot([lo, hi], [line, line], color="black", linewidth=0.8)
        # A CI that runs off the plot ends in an arrow at its edge (x in the axes' share, y in rows).
        for off, tip, tail in ((s.ci_low < low_x, 0.0, 0.05), (s.ci_high > high_x, 1.0, 0.95)):
            if off:
                ax.annotate("", xy=(tip, line), xytext=(tail, line), xycoords=ax.get_yaxis_transform(),
                            arrowprops={"arrowstyle": "->", "linewidth": 0.8})  # fmt: skip
        if low_x <= s.estimate <= high_x:
            size = 4 + 8 * math.sqrt(s.weight / biggest)
            ax.plot([s.estimate], [line], marker="s", markersize=size, color="#1f4e9c", markeredgewidth=0)
    total = first + k
    text(0.01, total, "Total (95% CI)", weight="bold")
    if binary:
        sums = [sum(getattr(s.data, a) for s in studies) for a in ("n1", "n2")]
        text(cols[1][1], total, str(sums[0]), ha="right", weight="bold")
        text(cols[3][1], total, str(sums[1]), ha="right", weight="bold")
    if p is not None:
        est, lo, hi = (analysis.on_scale(x) or 0.0 for x in (p.estimate, p.ci_low, p.ci_high))
        text(0.535, total, "100.0%", ha="right", weight="bold")
        text(0.625, total, f"{_fmt(est)} [{_fmt(lo)}, {_fmt(hi)}]", ha="center", weight="bold")
        if p.prediction:
            plo, phi = (analysis.on_scale(x) or 0.0 for x in p.prediction)
            ax.plot([max(plo, low_x), min(phi, high_x)], [total, total], color="#555555", linewidth=0.8)
        ax.add_patch(
            Polygon(
                [(max(lo, low_x), total), (est, total - 0.32), (min(hi, high_x), total), (est, total + 0.32)],
                closed=True, facecolor="black", edgecolor="black",
            )
        )  # fmt: skip
    line = total + 1
    if binary:
        text(0.01, line, "Total events")
        events = [sum(getattr(s.data, a) for s in studies) for a in ("events1", "events2")]
        text(cols[0][1], line, str(events[0]), ha="right")
        text(cols[2][1], line, str(events[1]), ha="right")
        line += 1
    if p is not None and p.q is not None:
        tau = f"Tau² = {p.tau2:.2f}; " if p.tau2 is not None else ""
        text(0.01, line, f"Heterogeneity: {tau}Chi² = {p.q:.2f}, df = {p.q_df} ({_p(p.q_p)}); I² = {p.i2:.0f}%")
        line += 1
    if p is not None:
        stat = "t" if p.hksj else "Z"
        text(0.01, line, f"Test for overall effect: {stat} = {abs(p.statistic):.2f} ({_p(p.p)})")
        line += 1
        if p.prediction:
            plo, phi = (analysis.on_scale(x) or 0.0 for x in p.prediction)
            text(0.01, line, f"Prediction interval: {_fmt(plo)} to {_fmt(phi)}")
            line += 1
    if analysis.left_out:
        text(0.01, line, f"Left out: {', '.join(f'row {o.row}' for o in analysis.left_out)} (see the analysis)")
    # Under the axis, which side favours which arm (the left is the intervention's when lower is better).
    good_left = analysis.higher_is_better is not True
    favour_left, favour_right = (left, right) if good_left else (right, left)
    ax.text(0.25, -0.55 * _ROW * 4 / ax.get_position().height / height, f"Favours {favour_left}",
            transform=ax.transAxes, ha="center", va="top", fontsize=_FONT)  # fmt: skip
    ax.text(0.75, -0.55 * _ROW * 4 / ax.get_position().height / height, f"Favours {favour_right}",
            transform=ax.transAxes, ha="center", va="top", fontsize=_FONT)  # fmt: skip
    fig.text(0.01, 1 - 0.12 / height, f"{analysis.comparison} · {analysis.endpoint}", fontsize=_FONT + 1, weight="bold",
             va="center")  # fmt: skip
    return fig


def write_forest(analysis: Analysis, path: Path, fmt: str | None = None) -> None:
    """Write the plot to ``path`` as SVG, PNG or PDF (by ``fmt``, else by its suffix)."""
    kind = (fmt or Path(path).suffix.lstrip(".")).lower()
    if kind not in FORMATS:
        raise ValueError(f"a forest plot is written as {', '.join(FORMATS)}, not {kind or 'a file without suffix'}")
    # Texts stay texts in an SVG (found by a search, read by a screen reader), not outlines.
    with rc_context({"svg.fonttype": "none"}):
        forest_figure(analysis).savefig(path, format=kind, dpi=150 if kind == "png" else None, facecolor="white")


def forest_png(analysis: Analysis, dpi: int = 100) -> bytes:
    """The plot as PNG bytes (the window's panel and the workbook's pictures)."""
    out = io.BytesIO()
    forest_figure(analysis).savefig(out, format="png", dpi=dpi, facecolor="white")
    return out.getvalue()
