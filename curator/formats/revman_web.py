"""A review's study data for RevMan Web's study-centric import (issue 17: ``--format revman-csv``).

RevMan Web keeps results by study, not by analysis: the reviewer imports them, and RevMan builds every
analysis from them. Its CSV import, which Covidence's "Export to RevMan Web" also feeds, takes one file
per kind of data, laid out as Cochrane's data extraction templates lay them out ("Study information",
"Study arms" and "Study results" of 2024-08-16; their header lines are kept, with where they were
found, in ``tests/formats/revman_templates.csv``):

* **Study information**: one line per study: ``Study`` (the Study ID), ``Year``, ``Data source``,
  ``ID: DOI``, and one ``Char: NAME`` column per study characteristic;
* **Study arms**: one line per arm of each study: ``Study``, ``Arm``, ``Description``, ``Intervention``;
* **Study results**: per outcome of each study, one line per arm: **arm level** (``Sample size``,
  ``Cases``; or ``Mean``, ``SD``, ``SE``, ``CI level``, ``CI start``, ``CI end``) and, where the row
  reports an estimate, **contrast level** (``Effect measure`` MD, SMD, LOG_OR, LOG_RR, LOG_HR or RD; the
  reference arm's line marked ``Reference arm`` true, the other's holding the estimate: ``Mean``, or
  for a ratio ``Exp mean``, with its CI, SE and ``P value``); the follow-up and anything worked out go
  in ``Footnotes``.

Curator writes the three files, and the studies' references as RIS (which RevMan wants imported
*before* the study data, or it makes every study twice), in one ZIP archive: one file to hand on, and
one atomic write. The templates' own words set the rest: outcomes, interventions and characteristics
must already exist in RevMan under the same names; ``Data source`` (PUB, MIX...) is left for the
reviewer, as Curator cannot know whether unpublished data were sought.

Numbers are written as printed, in plain digits (``42.60`` stays ``42.60``, ``1.2e3`` becomes
``1200``); a bound (``<0.001``) is never written as a number: it goes to the footnotes as printed. A CI
level is a fraction (95 -> ``0.95``), as the templates want. Event counts a row gives only as a
percent of its n are the one whole count that fits the printed percent (as
:mod:`curator.analysis.effects` pools them), and a footnote says so. A risk difference of a percent
row is in percentage points, and RevMan's is a fraction: it is divided by 100, exactly. Rows with an
open finding of severity error are left out, as from an analysis, and so are rows with no data RevMan
can take, or whose data clash with another row's for the same study, outcome and arm; each is named,
with why.
"""

from __future__ import annotations

import csv
import io
import time
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from curator.analysis.effects import NotPoolable, arm_events
from curator.files import atomic_path
from curator.naming import row_number, surname
from curator.numbers import Reported
from curator.review import Arm, Comparison, Effect, Reference, Review, Row

__all__ = [
    "INFORMATION_COLUMNS",
    "ARMS_COLUMNS",
    "RESULTS_COLUMNS",
    "FILES",
    "EFFECT_MEASURES",
    "RevManExport",
    "study_ids",
    "revman_export",
    "write_revman_zip",
]

#: Study information: the template's columns less its two examples of covariates (``Cov: NAME``), which
#: name a review's own covariates; Curator's row fields fill the characteristics RevMan has by default.
INFORMATION_COLUMNS = (
    "Study", "Year", "Data source", "ID: DOI",
    "Char: Methods", "Char: Participants", "Char: Interventions", "Char: Outcomes", "Char: Notes",
)  # fmt: skip
ARMS_COLUMNS = ("Study", "Arm", "Description", "Intervention")
#: Study results: every column of the template, in its order.
RESULTS_COLUMNS = (
    "Study", "Outcome", "Data type", "Effect measure", "Arm", "Reference arm", "Sample size", "Cases",
    "Mean", "SD", "SE", "Variance", "CI level", "CI start", "CI end", "Exp mean", "Exp CI start",
    "Exp CI end", "t-test", "z-test", "P value", "Covariance method", "Covariance", "Other arm 1",
    "Other arm 2", "Correlation arm 1", "Correlation arm 2", "Correlation", "Other mean", "Other SE",
    "Other variance", "Other CI level", "Other CI start", "Other CI end", "Other exp mean",
    "Other exp CI start", "Other exp CI end", "Other t-test", "Other z-test", "Other P value", "Footnotes",
)  # fmt: skip
#: The archive's members, in the order RevMan imports them.
FILES = ("References.ris", "Study information.csv", "Study arms.csv", "Study results.csv")
#: Curator's effect measures as the template names them (a ratio on the log scale).
EFFECT_MEASURES = {"MD": "MD", "SMD": "SMD", "OR": "LOG_OR", "RR": "LOG_RR", "HR": "LOG_HR", "RD": "RD"}


@dataclass
class RevManExport:
    """The lines of the three files, and what was left out or worked out, as a reviewer reads it."""

    information: list[dict[str, Any]] = field(default_factory=list)
    arms: list[dict[str, Any]] = field(default_factory=list)
    results: list[dict[str, Any]] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    #: "BCG vaccine versus no vaccine, row 3 (Rosenthal 1960): why".
    left_out: list[str] = field(default_factory=list)
    #: Event counts worked out from printed percents.
    from_percent: int = 0

    @property
    def studies(self) -> int:
        return len(self.information)


def _plain(value: Reported | None) -> str:
    """A printed number in plain digits, keeping its printed decimals; "" for none, NR or a bound."""
    if value is None or value.not_reported or value.relation not in (None, "="):
        return ""
    return format(value.value, "f")


def _fraction(level: Decimal) -> str:
    """A CI level as the templates write it: 95 -> 0.95, 95.02 -> 0.9502."""
    return format(level.scaleb(-2).normalize(), "f")


def study_ids(review: Review) -> dict[str, str]:
    """Each cited reference's RevMan Study ID: its first author's family name and its year (``Wahn
    2002``), else its title's first five words, else ``Ref KEY``; with ``a``, ``b``... after the year
    where two references would share one (RevMan's way: ``Author 2022a``)."""
    refs = {ref.key: ref for ref in review.references}
    cited = list(dict.fromkeys(row.citations[0] for c in review.comparisons for row in c.rows if row.citations))
    base: dict[str, str] = {}
    for key in cited:
        ref = refs.get(key)
        family = surname(str(ref.authors[0])).strip() if ref is not None and ref.authors else ""
        if ref is None:
            base[key] = key
        elif family:
            base[key] = family + (f" {ref.year}" if ref.year else "")
        elif ref.title and ref.title.strip():
            words = ref.title.split()[:5]  # short_citation's first words, without its ellipsis
            base[key] = " ".join(words) + (f" {ref.year}" if ref.year else "")
        else:
            base[key] = f"Ref {key}"
    shared: dict[str, list[str]] = {}
    for key in cited:
        shared.setdefault(base[key], []).append(key)
    ids: dict[str, str] = {}
    taken = {name for name, keys in shared.items() if len(keys) == 1}
    for name, keys in shared.items():
        if len(keys) == 1:
            ids[keys[0]] = name
            continue
        letters = iter("abcdefghijklmnopqrstuvwxyz")
        for key in keys:
            candidate = f"{name}{next(letters, '')}"
            while candidate in taken:  # "Smith 2002a" may be another reference's own name
                candidate = f"{candidate}'"
            taken.add(candidate)
            ids[key] = candidate
    return ids


def _joined(values: Iterable[str | None]) -> str:
    return "; ".join(dict.fromkeys(v.strip() for v in values if v and v.strip()))


def _outcome(row: Row) -> str:
    return " ".join(row.endpoint.split())


# -- one row's lines ---------------------------------------------------------------------------------


@dataclass
class _Lines:
    """What one row gives: its arm-level lines and its contrast (reference arm, other arm's line)."""

    arm_level: list[dict[str, str]]
    contrast: tuple[str, dict[str, str]] | None
    #: Footnotes of each result: the follow-up; events worked out; a P value printed as a bound.
    arm_notes: list[str]
    contrast_notes: list[str]
    #: Event counts worked out from a printed percent.
    worked_out: int = 0


def _arm_level(arm: Arm | None, row: Row, which: str, notes: list[str]) -> dict[str, str] | str:
    """An arm's arm-level numbers, or why it has none RevMan takes, in the reviewer's words."""
    if row.measure == "mean":
        if arm is None:
            return f"it has no {which} arm"
        data = {"Mean": _plain(arm.value), "Sample size": _plain(arm.n), "SD": _plain(arm.sd), "SE": _plain(arm.se)}
        low, high = _plain(arm.ci_low), _plain(arm.ci_high)
        if low and high:
            level = row.effect.level_exact if row.effect is not None else Decimal(95)
            data |= {"CI level": _fraction(level), "CI start": low, "CI end": high}
        missing = [name for name, text in (("mean", data["Mean"]), ("n", data["Sample size"])) if not text]
        if not (data["SD"] or data["SE"] or data.get("CI start")):
            missing.append("SD (nor an SE or CI)")
        return f"the {which} arm has no {' and no '.join(missing)}" if missing else data
    if row.measure != "percent" and not any(
        a is not None and a.events is not None for a in (row.intervention, row.comparator)
    ):
        if row.measure is None:
            return "it says no measure for its arm values"
        return f"its arm values are {row.measure} values, which RevMan does not take (events and totals, or means)"
    if arm is None:
        return f"it has no {which} arm"
    try:
        events, n, worked_out = arm_events(arm, row, which)
    except NotPoolable as exc:
        return str(exc)
    if worked_out:
        notes.append(f"{which} arm's events worked out from its printed {arm.value.text if arm.value else ''}% of {n}")
        return {"Sample size": _plain(arm.n), "Cases": str(events)}
    return {"Sample size": _plain(arm.n), "Cases": _plain(arm.events)}


def _contrast(effect: Effect | None, row: Row, notes: list[str]) -> dict[str, str] | str:
    """The estimate's line (less its arm), or why the row reports none RevMan takes."""
    if effect is None or effect.measure is None:
        return "it reports no effect estimate"
    if effect.measure not in EFFECT_MEASURES:
        return f"RevMan takes no {effect.measure} estimate"
    if effect.contrast == "other":
        return "its estimate contrasts something its arms do not show (another time point or subgroup)"
    code = EFFECT_MEASURES[effect.measure]
    value, low, high, se = (_plain(v) for v in (effect.value, effect.ci_low, effect.ci_high, effect.se))
    if effect.measure == "RD" and row.measure == "percent":  # percentage points; RevMan's RD is a fraction
        value, low, high, se = (format(Decimal(t).scaleb(-2), "f") if t else "" for t in (value, low, high, se))
    if not value:
        return f"its {effect.measure} has no value"
    if not (se or (low and high)):
        return f"its {effect.measure} has neither a CI nor an SE"
    line = {"Effect measure": code, "SE": se}
    if low and high:
        line["CI level"] = _fraction(effect.level_exact)
    if code.startswith("LOG_"):  # the ratio as printed is the anti-logged mean; its SE is of the log
        line |= {"Exp mean": value, "Exp CI start": low, "Exp CI end": high}
    else:
        line |= {"Mean": value, "CI start": low, "CI end": high}
    if effect.contrast == "change":
        notes.append("the estimate contrasts changes from baseline")
    if effect.is_adjusted:
        notes.append(f"adjusted estimate ({effect.method})" if effect.method else "adjusted estimate")
    if effect.p is not None and not effect.p.not_reported:
        if _plain(effect.p):
            line["P value"] = _plain(effect.p)
        else:
            notes.append(f"P {effect.p.text} as printed")
    return line


def _row_lines(comparison: Comparison, row: Row) -> _Lines | str:
    """The row's lines, or why it gives none."""
    arm_notes: list[str] = [row.duration] if row.duration else []
    contrast_notes = list(arm_notes)
    if row.analysis == "adjusted":
        arm_notes.append("arm values adjusted (from a model)")
    elif row.analysis == "kaplan_meier":
        arm_notes.append("arm values are Kaplan-Meier estimates")
    arms = (
        (comparison.intervention, row.intervention, "intervention"),
        (comparison.comparator, row.comparator, "comparator"),
    )
    worked_out = len(arm_notes)
    given = [(label, _arm_level(arm, row, which, arm_notes)) for label, arm, which in arms]
    worked_out = len(arm_notes) - worked_out
    arm_level = [{"Arm": label, **data} for label, data in given if not isinstance(data, str)]
    contrast_line = _contrast(row.effect, row, contrast_notes)
    if not arm_level and isinstance(contrast_line, str):
        return f"{given[0][1]}, and {contrast_line}"  # the intervention arm's reason: it is tried first
    contrast = None
    if not isinstance(contrast_line, str):
        estimate_for = 1 if row.effect is not None and row.effect.direction == "comparator_vs_intervention" else 0
        contrast = (arms[1 - estimate_for][0], {"Arm": arms[estimate_for][0], **contrast_line})
    return _Lines(arm_level, contrast, arm_notes, contrast_notes, worked_out)


# -- the review's files ------------------------------------------------------------------------------


class _Results:
    """The Study results lines of a review, one result (study, outcome, data type) at a time, so that two
    rows of one study and outcome (a three-arm trial in two comparisons) give one result, not two."""

    def __init__(self) -> None:
        self.arm_level: dict[tuple[str, str], dict[str, dict[str, str]]] = {}
        self.contrasts: dict[tuple[str, str], tuple[str, str, dict[str, dict[str, str]]]] = {}
        self.notes: dict[tuple[str, str, str], list[str]] = {}

    def clash(self, study: str, lines: _Lines, outcome: str) -> str | None:
        """Why the row's lines cannot join what is there for its study and outcome, or None."""
        for line in lines.arm_level:
            there = self.arm_level.get((study, outcome), {}).get(line["Arm"])
            if there is not None and there != line:
                return f"its {line['Arm']} arm's numbers differ from another row's for the same study and outcome"
        if lines.contrast is not None and (study, outcome) in self.contrasts:
            reference, line = lines.contrast
            there_ref, measure, others = self.contrasts[(study, outcome)]
            if (reference, line["Effect measure"]) != (there_ref, measure):
                return "another row gives this study and outcome's estimate against another arm or on another measure"
            if line["Arm"] in others and others[line["Arm"]] != line:
                return f"its estimate for the {line['Arm']} arm differs from another row's"
        return None

    def add(self, study: str, outcome: str, lines: _Lines) -> None:
        if lines.arm_level:
            arms = self.arm_level.setdefault((study, outcome), {})
            for line in lines.arm_level:
                arms.setdefault(line["Arm"], line)
            self.notes.setdefault((study, outcome, "Arm level"), []).extend(lines.arm_notes)
        if lines.contrast is not None:
            reference, line = lines.contrast
            _ref, _measure, others = self.contrasts.setdefault(
                (study, outcome), (reference, line["Effect measure"], {})
            )
            others.setdefault(line["Arm"], line)
            self.notes.setdefault((study, outcome, "Contrast level"), []).extend(lines.contrast_notes)

    def lines(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        keys = list(dict.fromkeys([*self.arm_level, *self.contrasts]))  # first seen first
        for study, outcome in keys:
            groups: list[tuple[str, list[dict[str, str]]]] = []
            if (study, outcome) in self.arm_level:
                groups.append(("Arm level", list(self.arm_level[(study, outcome)].values())))
            if (study, outcome) in self.contrasts:
                reference, measure, others = self.contrasts[(study, outcome)]
                marked = [{"Arm": reference, "Effect measure": measure, "Reference arm": "true"}]
                if len(others) > 1:  # 3+ arms: the contrasts' covariance, by the template's simplest method
                    marked[0]["Covariance method"] = "Approximation"
                groups.append(
                    ("Contrast level", marked + [line | {"Reference arm": "false"} for line in others.values()])
                )
            for data_type, lines in groups:
                notes = "; ".join(dict.fromkeys(self.notes.get((study, outcome, data_type), [])))
                for index, line in enumerate(lines):
                    full = dict.fromkeys(RESULTS_COLUMNS, "")
                    full |= {"Study": study, "Outcome": outcome, "Data type": data_type, **line}
                    full["Footnotes"] = notes if index == 0 else ""  # per result: on its first line only
                    out.append(full)
        return out


def revman_export(review: Review, errors: dict[tuple[str, int], list[str]] | None = None) -> RevManExport:
    """The review's study data as RevMan Web's import files take it; ``errors``: each row's open findings
    of severity error (comparison key, position from 0), whose rows are left out of the results."""
    errors = errors or {}
    ids = study_ids(review)
    refs = {ref.key: ref for ref in review.references}
    out = RevManExport(references=[refs[key] for key in ids if key in refs])
    rows_of: dict[str, list[tuple[Comparison, Row]]] = {key: [] for key in ids}
    results = _Results()
    for comparison in review.comparisons:
        for position, row in enumerate(comparison.rows):
            where = f"{comparison.title}, row {row_number(position)}"
            if not row.citations:
                out.left_out.append(f"{where}: it cites no study (RevMan keeps results by study)")
                continue
            study = ids[row.citations[0]]
            rows_of[row.citations[0]].append((comparison, row))
            found = errors.get((comparison.key, position))
            if found:
                out.left_out.append(f"{where} ({study}): a finding of severity error: {found[0]}")
                continue
            if comparison.intervention.strip().casefold() == comparison.comparator.strip().casefold():
                out.left_out.append(
                    f"{where} ({study}): its two arms have the same label ({comparison.intervention!r}), "
                    "and RevMan tells arms apart by their names"
                )
                continue
            lines = _row_lines(comparison, row)
            if isinstance(lines, str):
                out.left_out.append(f"{where} ({study}): {lines}")
                continue
            clash = results.clash(study, lines, _outcome(row))
            if clash is not None:
                out.left_out.append(f"{where} ({study}): {clash}")
                continue
            out.from_percent += lines.worked_out
            results.add(study, _outcome(row), lines)
    out.results = results.lines()
    for key, study in ids.items():
        ref = refs.get(key)
        pairs = rows_of[key]
        labels = [label for comparison, _row in pairs for label in (comparison.intervention, comparison.comparator)]
        last = study.rsplit(" ", 1)[-1]
        year = "" if ref is None or not ref.year else last if last.startswith(str(ref.year)) else str(ref.year)
        out.information.append({
            "Study": study,
            "Year": year,  # with the Study ID's letter, as the template's "2022a"
            "Data source": "",  # PUB, MIX, UNPUB or SOUGHT: whether unpublished data were sought is the reviewer's
            "ID: DOI": ref.doi if ref is not None and ref.doi else "",
            "Char: Methods": "",
            "Char: Participants": _joined(row.population for _c, row in pairs),
            "Char: Interventions": _joined(labels),
            "Char: Outcomes": _joined(
                f"{_outcome(row)} ({row.duration})" if row.duration else _outcome(row) for _c, row in pairs
            ),
            "Char: Notes": _joined([ref.title, f"PMID {ref.pmid}" if ref.pmid else None] if ref else []),
        })  # fmt: skip
        out.arms.extend(
            {"Study": study, "Arm": label, "Description": "", "Intervention": label} for label in dict.fromkeys(labels)
        )
    return out


def _csv_text(columns: tuple[str, ...], lines: Iterable[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, restval="", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(lines)
    return buffer.getvalue()


def write_revman_zip(
    review: Review, path: Path, errors: dict[tuple[str, int], list[str]] | None = None
) -> RevManExport:
    """Write the ZIP of RevMan Web's import files (references as RIS first); what was written."""
    from curator.formats.references import to_ris

    export = revman_export(review, errors)
    members = {
        "References.ris": to_ris(export.references),
        "Study information.csv": _csv_text(INFORMATION_COLUMNS, export.information),
        "Study arms.csv": _csv_text(ARMS_COLUMNS, export.arms),
        "Study results.csv": _csv_text(RESULTS_COLUMNS, export.results),
    }
    stamp = time.localtime()[:6]
    with atomic_path(Path(path)) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in FILES:
            member = zipfile.ZipInfo(name, date_time=stamp)
            archive.writestr(member, members[name].encode("utf-8"), zipfile.ZIP_DEFLATED)
    return export
