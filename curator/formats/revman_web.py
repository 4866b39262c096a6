"""A review's study data for RevMan Web's study-centric import (issue 17: ``--format revman-csv``).

RevMan Web (since 2023, the default for Cochrane intervention reviews since June 2024) keeps results
by study, not by analysis: the reviewer imports them, and RevMan builds every analysis from them. Its
CSV import, which Covidence's "Export to RevMan Web" feeds, takes separate files (Cochrane's knowledge
base, "Data extraction templates"; Covidence's "How to upload your data to RevMan Web"):

* **Study information**: one line per study (its ID, year, and its characteristics, one
  ``Char: NAME`` column per characteristic, as Covidence writes ``Char: Identification``);
* **Study arms**: one line per arm of each study, naming the intervention the arm maps to;
* **Study results**: one line per arm of each study-specific outcome, holding the arm-level data
  (events and total; mean, SD and total, or the calculator's inputs SE and CI) and, on the line of
  the arm an estimate is for, the contrast-level data (effect measure, estimate, CI, SE, P value).

Curator writes the three files, and the references of the studies as RIS (which RevMan wants imported
*before* the study data, or it makes every study twice), in one ZIP archive: one file to hand on, and
one atomic write. The layout of the lines is the templates'; **the column headers are RevMan's words
(the arm-level table of its knowledge base: Study ID, Intervention, Arm, Events, Total) but could not
be checked against the downloadable templates**: a header RevMan names differently is renamed in the
file before import (see the README).

Numbers are written as printed, in plain digits (``42.60`` stays ``42.60``; ``1.2e3`` becomes
``1200``, a thousands separator or a Unicode minus is dropped); a relation (``<0.001``) is only ever
a P value, written as printed. Event counts a row gives only as a percent of its n are the one whole
count that fits the printed percent (as :mod:`curator.analysis.effects` pools them), and said so. A
risk difference of a percent row is in percentage points, and RevMan's is a fraction: it is divided by
100, exactly. Rows with an open finding of severity error are left out, as from an analysis, and so
are rows with no data RevMan can take; each is named, with why.
"""

from __future__ import annotations

import csv
import io
import time
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from curator.analysis.effects import NotPoolable, arm_events
from curator.files import atomic_path
from curator.formats.forest import MEASURE_NAMES
from curator.naming import row_number, surname
from curator.numbers import Reported
from curator.review import Arm, Comparison, Effect, Reference, Review, Row

__all__ = [
    "INFORMATION_COLUMNS",
    "ARMS_COLUMNS",
    "RESULTS_COLUMNS",
    "FILES",
    "RevManExport",
    "study_ids",
    "revman_export",
    "write_revman_zip",
]

INFORMATION_COLUMNS = (
    "Study ID", "Year", "Char: Participants", "Char: Interventions", "Char: Outcomes", "Char: Notes",
)  # fmt: skip
ARMS_COLUMNS = ("Study ID", "Arm", "Intervention")
RESULTS_COLUMNS = (
    "Study ID", "Outcome", "Time point", "Data type", "Arm", "Intervention",
    "Events", "Total", "Mean", "SD", "SE", "CI start", "CI end",
    "Comparator arm", "Effect measure", "Effect estimate", "Effect CI start", "Effect CI end", "Effect SE",
    "Effect CI level", "P value",
)  # fmt: skip
#: The archive's members, in the order RevMan imports them.
FILES = ("References.ris", "Study information.csv", "Study arms.csv", "Study results.csv")

_BINARY = {"RR", "OR", "RD"}
_CONTINUOUS = {"MD", "SMD"}


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


def study_ids(review: Review) -> dict[str, str]:
    """Each cited reference's RevMan Study ID: its first author's family name and its year (``Wahn
    2002``), else its title's first five words, else ``Ref KEY``; with ``a``, ``b``... after the year
    where two references would share one (RevMan's way)."""
    refs = {ref.key: ref for ref in review.references}
    cited: list[str] = []
    for comparison in review.comparisons:
        for row in comparison.rows:
            if row.citations and row.citations[0] not in cited:
                cited.append(row.citations[0])
    base: dict[str, str] = {}
    for key in cited:
        ref = refs.get(key)
        if ref is None:
            base[key] = key
        elif ref.authors:
            base[key] = surname(str(ref.authors[0])) + (f" {ref.year}" if ref.year else "")
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


def _dichotomous(arm: Arm | None, row: Row, which: str) -> tuple[dict[str, str], bool] | None:
    if arm is None:
        return None
    try:
        events, n, worked_out = arm_events(arm, row, which)
    except NotPoolable:
        return None
    if worked_out:
        return {"Events": str(events), "Total": _plain(arm.n)}, True
    return {"Events": _plain(arm.events), "Total": _plain(arm.n)}, False


def _continuous(arm: Arm | None, row: Row) -> dict[str, str] | None:
    if arm is None or row.measure != "mean":
        return None
    data = {
        "Mean": _plain(arm.value), "Total": _plain(arm.n), "SD": _plain(arm.sd), "SE": _plain(arm.se),
        "CI start": _plain(arm.ci_low), "CI end": _plain(arm.ci_high),
    }  # fmt: skip
    spread = data["SD"] or data["SE"] or (data["CI start"] and data["CI end"])
    return data if data["Mean"] and data["Total"] and spread else None


def _contrast(effect: Effect | None, row: Row) -> dict[str, str] | None:
    if effect is None or effect.measure not in MEASURE_NAMES:
        return None
    numbers = {"Effect estimate": effect.value, "Effect CI start": effect.ci_low, "Effect CI end": effect.ci_high,
               "Effect SE": effect.se}  # fmt: skip
    data = {name: _plain(value) for name, value in numbers.items()}
    if effect.measure == "RD" and row.measure == "percent":  # percentage points; RevMan's RD is a fraction
        data = {name: format(Decimal(text).scaleb(-2), "f") if text else "" for name, text in data.items()}
    if not data["Effect estimate"] or not (data["Effect SE"] or (data["Effect CI start"] and data["Effect CI end"])):
        return None
    level = effect.ci_level
    data["Effect CI level"] = (
        _plain(level) if isinstance(level, Reported) else format(level, "g") if level is not None else ""
    )
    data["P value"] = effect.p.text if effect.p is not None and not effect.p.not_reported else ""
    data["Effect measure"] = MEASURE_NAMES[effect.measure]
    return data


def _no_arm_data(row: Row, arms: tuple[tuple[str, Arm | None, str], ...]) -> str:
    """Why the row's arms give RevMan nothing, in the reviewer's words."""
    if row.measure == "percent" or any(arm is not None and arm.events is not None for _l, arm, _w in arms):
        for _label, arm, which in arms:
            if arm is None:
                return f"it has no {which} arm"
            try:
                arm_events(arm, row, which)
            except NotPoolable as exc:
                return str(exc)
    if row.measure == "mean":
        for _label, arm, which in arms:
            if arm is None:
                return f"it has no {which} arm"
            missing = [name for name, value in (("mean", arm.value), ("n", arm.n)) if not _plain(value)]
            if not (_plain(arm.sd) or _plain(arm.se) or (_plain(arm.ci_low) and _plain(arm.ci_high))):
                missing.append("SD (nor an SE or CI)")
            if missing:
                return f"the {which} arm has no {' and no '.join(missing)}"
    if row.measure is None:
        return "it says no measure for its arm values"
    return f"its arm values are {row.measure} values, which RevMan does not take (events and totals, or means)"


def _no_contrast(effect: Effect | None) -> str:
    if effect is None or effect.measure is None:
        return "it reports no effect estimate"
    if effect.measure not in MEASURE_NAMES:
        return f"RevMan takes no {effect.measure} estimate"
    if not _plain(effect.value):
        return f"its {effect.measure} has no value"
    return f"its {effect.measure} has neither a CI nor an SE"


def _data_type(row: Row, dichotomous: bool, continuous: bool, contrast: dict[str, str] | None) -> str:
    if dichotomous:
        return "Dichotomous"
    if continuous:
        return "Continuous"
    measure = row.effect.measure if row.effect is not None and contrast else None
    return "Dichotomous" if measure in _BINARY else "Continuous" if measure in _CONTINUOUS else "Generic"


def _result_lines(comparison: Comparison, row: Row, study: str, out: RevManExport) -> Iterator[dict[str, Any]] | str:
    """The row's lines (one per arm), or why it gives none."""
    arms = (
        (comparison.intervention, row.intervention, "intervention"),
        (comparison.comparator, row.comparator, "comparator"),
    )
    binary = [_dichotomous(arm, row, which) for _label, arm, which in arms]
    means = [_continuous(arm, row) for _label, arm, _which in arms]
    contrast = _contrast(row.effect, row)
    dichotomous, continuous = any(binary), any(means)
    if not (dichotomous or continuous or contrast):
        return f"{_no_arm_data(row, arms)}, and {_no_contrast(row.effect)}"
    out.from_percent += sum(1 for b in binary if b and b[1])
    data_type = _data_type(row, dichotomous, continuous, contrast)
    against = 1 if row.effect is not None and row.effect.direction == "comparator_vs_intervention" else 0

    def lines() -> Iterator[dict[str, Any]]:
        for index, (label, _arm, _which) in enumerate(arms):
            line: dict[str, Any] = dict.fromkeys(RESULTS_COLUMNS, "")
            line |= {
                "Study ID": study, "Outcome": _outcome(row), "Time point": row.duration or "",
                "Data type": data_type, "Arm": label, "Intervention": label,
            }  # fmt: skip
            chosen = binary[index] if dichotomous else None
            if chosen is not None:
                line.update(chosen[0])
            elif continuous and means[index] is not None:
                line.update(means[index] or {})
            if contrast is not None and index == against:
                line.update(contrast, **{"Comparator arm": arms[1 - index][0]})
            yield line

    return lines()


def revman_export(review: Review, errors: dict[tuple[str, int], list[str]] | None = None) -> RevManExport:
    """The review's study data as RevMan Web's import files take it; ``errors``: each row's open findings
    of severity error (comparison key, position from 0), whose rows are left out of the results."""
    errors = errors or {}
    ids = study_ids(review)
    refs = {ref.key: ref for ref in review.references}
    out = RevManExport(references=[refs[key] for key in ids if key in refs])
    rows_of: dict[str, list[tuple[Comparison, Row]]] = {key: [] for key in ids}
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
            lines = _result_lines(comparison, row, study, out)
            if isinstance(lines, str):
                out.left_out.append(f"{where} ({study}): {lines}")
            else:
                out.results.extend(lines)
    for key, study in ids.items():
        ref = refs.get(key)
        pairs = rows_of[key]
        labels = [label for comparison, _row in pairs for label in (comparison.intervention, comparison.comparator)]
        notes = (
            [ref.title, f"DOI {ref.doi}" if ref.doi else None, f"PMID {ref.pmid}" if ref.pmid else None] if ref else []
        )
        out.information.append({
            "Study ID": study,
            "Year": ref.year if ref is not None and ref.year else "",
            "Char: Participants": _joined(row.population for _c, row in pairs),
            "Char: Interventions": _joined(labels),
            "Char: Outcomes": _joined(
                f"{_outcome(row)} ({row.duration})" if row.duration else _outcome(row) for _c, row in pairs
            ),
            "Char: Notes": _joined(notes),
        })  # fmt: skip
        out.arms.extend({"Study ID": study, "Arm": label, "Intervention": label} for label in dict.fromkeys(labels))
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
            archive.writestr(
                zipfile.ZipInfo(name, date_time=stamp), members[name].encode("utf-8"), zipfile.ZIP_DEFLATED
            )
    return export
