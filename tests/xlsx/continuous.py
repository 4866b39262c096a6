"""A small review of continuous outcomes with every field of format 1.1 (but
the source documents and evidence, which a flat table does not carry), and
the printed forms a paper uses: 0·55, 3,145, − 4.6, NR, a CI level printed
as 95.02."""

from __future__ import annotations

from curator.numbers import Reported, parse_reported
from curator.review import Arm, Comparison, Effect, Reference, Review, Row, Source

R = parse_reported


def W(text: str) -> Reported:  # noqa: N802 - a reported integer, beside R
    return parse_reported(text, whole=True)


def continuous_review() -> Review:
    """Mean, median, adjusted and Kaplan–Meier rows, as papers print them."""
    rows = [
        Row(
            endpoint="EASI score at week 16",
            measure="mean",
            unit="points",
            integer_items=W("1"),
            higher_is_better=False,
            intervention=Arm(value=R("12.1"), n=W("3,145"), sd=R("4.0"), min=R("0"), max=R("72")),
            comparator=Arm(value=R("14.2"), n=W("3,098"), sd=R("4.4"), min=R("0"), max=R("70")),
            effect=Effect(measure="MD", value=R("−2.1"), ci_low=R("−3.4"), ci_high=R("−0.8"), p=R("0·002")),
            duration="16 weeks",
            population="Adults with moderate-to-severe AD",
            citations=["11"],
            source=Source(location="Table 2", quote="12.1 (4.0) vs 14.2 (4.4); MD −2.1 (−3.4 to −0.8)"),
            status="extracted",
            extracted_by="Ana",
        ),
        Row(
            endpoint="Itch NRS, change from baseline",
            measure="mean",
            analysis="adjusted",
            unit="points",
            intervention=Arm(value=R("− 4.6"), n=W("10 096"), se=R("0·21"), ci_low=R("−5.0"), ci_high=R("−4.2")),
            comparator=Arm(value=R("−2.5"), n=W("NR"), se=R("0·22"), ci_low=R("−2.9"), ci_high=R("−2.1")),
            effect=Effect(
                measure="MD",
                value=R("−2.1"),
                se=R("0.30"),
                ci_level=R("95.02"),
                adjusted=True,
                contrast="change",
                method="ANCOVA",
                p=R("<0·001"),
            ),
            citations=["11"],
        ),
        Row(
            endpoint="Days to flare",
            measure="median",
            unit="days",
            intervention=Arm(value=R("20"), n=W("50"), q1=R("15"), q3=R("28"), min=R("3"), max=R("60")),
            comparator=Arm(value=R("14"), n=W("48"), q1=R("NR"), q3=R("21"), min=R("1"), max=R("NR")),
            effect=Effect(
                measure="HR",
                value=R("0·55"),
                ci_low=R("0·40"),
                ci_high=R("0·76"),
                adjusted=True,
                method="Cox model",
                ci_level=90,
                p=R("NR"),
            ),  # fmt: skip
            citations=["12"],
        ),
        Row(
            endpoint="Flare-free at 12 months",
            measure="percent",
            analysis="kaplan_meier",
            unit="%",
            intervention=Arm(value=R("61.6"), n=W("474")),
            comparator=Arm(value=R("NR"), n=W("237")),
            effect=Effect(measure="IRR", value=R("0.8"), ci_low=R("0.6"), ci_high=R("1.1"), contrast="other"),
            citations=["12"],
        ),
    ]
    return Review(
        title="Continuous outcomes (format 1.1)",
        references=[
            Reference(key="11", title="A trial of a cream for eczema", authors=["Doe, J"], year=2021),
            Reference(key="12", title="Flares after a cream", authors=["Roe, R"], year=2023),
        ],
        comparisons=[
            Comparison(
                key="cream-vs-vehicle",
                title="Cream vs Vehicle (continuous outcomes)",
                intervention="Cream",
                comparator="Vehicle",
                rows=rows,
            )
        ],
    )
