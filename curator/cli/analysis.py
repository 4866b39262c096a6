"""``curator analyse``: the review's pooled estimates, as text a reviewer reads (RevMan's summary
lines), JSON for programs, or CSV (one line per analysis)."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from curator.analysis.names import MEASURES, METHODS
from curator.cli.common import EXIT_OK, EXIT_PROBLEMS
from curator.errors import CuratorError

if TYPE_CHECKING:
    from curator.analysis import Analysis

__all__ = ["add_commands", "cmd_analyse", "summary_lines"]

_METHOD_WORDS = {
    "fixed": "fixed effect",
    "dl": "random effects (DerSimonian-Laird)",
    "reml": "random effects (REML)",
    "pm": "random effects (Paule-Mandel)",
}
#: The columns of ``--format csv``: the scalar keys of the JSON output.
CSV_COLUMNS = (
    "comparison", "endpoint", "measure", "method", "model", "hksj", "k", "estimate", "ci_low", "ci_high", "se",
    "p", "tau2", "i2", "q", "q_p", "prediction_low", "prediction_high", "left_out", "refused",
)  # fmt: skip


def number(value: float | None, digits: int = 2) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def p_text(p: float | None) -> str:
    """A p as RevMan prints it: P = 0.004, P < 0.00001."""
    if p is None:
        return ""
    if p < 0.00001:
        return "P < 0.00001"
    return f"P = {p:.4f}" if p < 0.001 else f"P = {p:.3f}".rstrip("0").rstrip(".")


def _data(study: Any, measure: str) -> tuple[str, str]:
    data = study.data
    if hasattr(data, "events1"):
        return f"{data.events1}/{data.n1}", f"{data.events2}/{data.n2}"
    if hasattr(data, "mean1"):
        return f"{data.mean1:g} ({data.sd1:g}) {data.n1}", f"{data.mean2:g} ({data.sd2:g}) {data.n2}"
    return "", ""


def summary_lines(a: Analysis) -> list[str]:
    """The analysis as RevMan summarises it under a forest plot."""
    head = f"{a.comparison} · {a.endpoint} · {a.measure or 'no measure'}, {_METHOD_WORDS[a.method]}"
    if a.hksj:
        head += " with the Hartung-Knapp-Sidik-Jonkman interval"
    lines = [f"{head}, {a.k} {'study' if a.k == 1 else 'studies'}"]
    if a.refused and not a.studies:
        lines.append(f"  not pooled: {a.refused}")
    if a.studies:
        left, right = a.arms
        width = max(len(s.citation) for s in a.studies) + 2
        lines.append(f"  {'Study':{width}}{left[:16]:18}{right[:16]:18}{'Weight':>8}  {a.measure} [95% CI]")
        for s in a.studies:
            one, two = _data(s, a.measure)
            est = f"{number(s.estimate)} [{number(s.ci_low)}, {number(s.ci_high)}]"
            lines.append(f"  {s.citation:{width}}{one:18}{two:18}{s.weight:7.1f}%  {est}")
    p = a.pooled
    if p is not None:
        total = f"{number(a.on_scale(p.estimate))} [{number(a.on_scale(p.ci_low))}, {number(a.on_scale(p.ci_high))}]"
        lines.append(f"  {'Total (95% CI)':{max(len(s.citation) for s in a.studies) + 38}}{100:7.1f}%  {total}")
        if p.prediction:
            low, high = (a.on_scale(x) for x in p.prediction)
            lines.append(f"  Prediction interval: {number(low)} to {number(high)}")
        if p.q is not None:
            tau = f"Tau² = {p.tau2:.2f}; " if p.tau2 is not None else ""
            lines.append(f"  Heterogeneity: {tau}Chi² = {p.q:.2f}, df = {p.q_df} ({p_text(p.q_p)}); I² = {p.i2:.0f}%")
        stat = "t" if p.hksj and p.q_df > 0 else "Z"
        lines.append(f"  Test for overall effect: {stat} = {abs(p.statistic):.2f} ({p_text(p.p)})")
    shown = a.studies or not a.left_out or a.refused != a.left_out[0].reason  # not the refusal again, row by row
    for out in a.left_out if shown else ():
        lines.append(f"  left out: row {out.row} ({out.citation}): {out.reason}")
    return lines


def cmd_analyse(args: argparse.Namespace) -> int:
    from curator.services.analysing import analyses

    found = analyses(args.review, endpoint=args.endpoint, **_pooling(args))
    if not found:
        what = " and ".join(
            f"{name} {value!r}"
            for name, value in (("comparison", args.comparison), ("endpoint", args.endpoint))
            if value
        )
        raise CuratorError(f"the review has no rows of {what}" if what else "the review has no rows to analyse")
    if args.format == "json":
        json.dump([a.to_json() for a in found], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for a in found:
            item = a.to_json()
            item["left_out"] = len(a.left_out)
            item["refused"] = a.refused or ""
            writer.writerow(["" if item.get(c) is None else item.get(c) for c in CSV_COLUMNS])
    else:
        for i, a in enumerate(found):
            if i:
                print()
            print("\n".join(summary_lines(a)))
    named = args.endpoint is not None
    return EXIT_PROBLEMS if named and any(a.pooled is None for a in found) else EXIT_OK


def cmd_forest(args: argparse.Namespace) -> int:
    from curator.services.analysing import forest_plot

    analysis = forest_plot(args.review, Path(args.output), endpoint=args.endpoint, **_pooling(args))
    print(
        f"wrote the forest plot of {analysis.endpoint} ({analysis.comparison}, {analysis.k} studies) to {args.output}"
    )
    return EXIT_OK


def _pooling(args: argparse.Namespace) -> dict[str, Any]:
    """The options of :func:`_pooling_options` as the services take them."""
    return {
        "comparison": args.comparison,
        "measure": args.measure,
        "method": args.method,
        "hksj": args.hksj,
        "mantel_haenszel": not args.iv,
    }


def _pooling_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--comparison", metavar="KEY", help="only this comparison")
    p.add_argument("--measure", choices=MEASURES, help="the measure (default: what the rows report or allow)")
    p.add_argument("--method", choices=METHODS, default="reml", help="fixed effect, or random effects by "
                   "DerSimonian-Laird, REML or Paule-Mandel (default: reml, as RevMan)")  # fmt: skip
    p.add_argument("--hksj", action="store_true", help="the Hartung-Knapp-Sidik-Jonkman interval (random effects)")
    p.add_argument(
        "--iv", action="store_true", help="a fixed effect of events by inverse variance, not Mantel-Haenszel"
    )


def add_commands(sub: Any, add_review: Any) -> None:
    p = sub.add_parser(
        "analyse",
        help="pool the studies of each endpoint: fixed or random effects, heterogeneity, prediction interval",
        description="Pool the rows of one comparison that share an endpoint (ignoring case and spacing): "
        "binary rows from each arm's events and n, continuous rows from means, SDs and n, any row from its "
        "reported estimate and CI. Rows with a finding of severity error are left out, saying so. "
        "Exit 1 when the endpoint asked for cannot be pooled.",
    )
    add_review(p, "read")
    _pooling_options(p)
    p.add_argument("--endpoint", metavar="TEXT", help="only this endpoint (case and spacing ignored)")
    p.add_argument("--format", choices=["text", "json", "csv"], default="text", help="output format (default: text)")
    p.set_defaults(func=cmd_analyse)

    p = sub.add_parser(
        "forest",
        help="draw the forest plot of an endpoint (SVG, PNG or PDF)",
        description="Draw the forest plot of one endpoint's analysis in RevMan's layout: each study's data, "
        "weight and estimate with its CI, the pooled diamond, heterogeneity and the overall effect, and which "
        "side favours which arm.",
    )
    add_review(p, "read")
    p.add_argument("--endpoint", required=True, metavar="TEXT", help="the endpoint (case and spacing ignored)")
    _pooling_options(p)
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="the picture: .svg, .png or .pdf")
    p.set_defaults(func=cmd_forest)
