"""Super- and subscripts in titles: one reference reads the same from a BibTeX file and from a CSL-JSON file
(curator.formats.references.scripts); where Unicode has no script form, each format says so its own way."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from curator.formats.references import read_reference_file


def titles(tmp_path: Path, bibtex: str, csl: str) -> tuple[str | None, str | None]:
    """The title read from a .bib file whose title is ``bibtex`` and from a .json file whose title is ``csl``."""
    bib = tmp_path / "library.bib"
    bib.write_text(f"@article{{doe2020,\n  title = {{{bibtex}}},\n  author = {{Doe, J.}},\n}}\n", encoding="utf-8")
    items = tmp_path / "library.json"
    items.write_text(json.dumps([{"type": "article-journal", "title": csl}]), encoding="utf-8")
    (from_bib,) = read_reference_file(bib).references
    (from_csl,) = read_reference_file(items).references
    return from_bib.title, from_csl.title


@pytest.mark.parametrize(
    ("bibtex", "csl", "title"),
    [
        ("Area in mm$^2$", "Area in mm<sup>2</sup>", "Area in mm²"),
        ("H$_2$O and CO\\textsubscript{2}", "H<sub>2</sub>O and CO<sub>2</sub>", "H₂O and CO₂"),
        ("Clearance in ml min$^{-1}$", "Clearance in ml min<sup>-1</sup>", "Clearance in ml min⁻¹"),
        ("CD4$^{+}$ cells", "CD4<sup>+</sup> cells", "CD4⁺ cells"),
        # Letters with a script form in Unicode are raised or lowered too, in both formats.
        ("The 20\\textsuperscript{th} century", "The 20<sup>th</sup> century", "The 20ᵗʰ century"),
        ("Reaching V$_{max}$", "Reaching V<sub>max</sub>", "Reaching Vₘₐₓ"),
        ("x$^n$ terms", "x<sup>n</sup> terms", "xⁿ terms"),
    ],
)
def test_a_script_reads_the_same_from_bibtex_and_csl_json(tmp_path: Path, bibtex: str, csl: str, title: str) -> None:
    assert titles(tmp_path, bibtex, csl) == (title, title)


@pytest.mark.parametrize(
    ("bibtex", "csl", "from_bib", "from_csl"),
    [
        # No superscript q and no subscript capitals in Unicode: BibTeX's stays visible as written in LaTeX,
        # CSL-JSON's is its text (its markup, <sup>, is dropped like <i>).
        ("Order p$^{q}$", "Order p<sup>q</sup>", "Order p^q", "Order pq"),
        ("Heat T$_{C}$", "Heat T<sub>C</sub>", "Heat T_C", "Heat TC"),
        ("Order p$^{2q}$", "Order p<sup>2q</sup>", "Order p^{2q}", "Order p2q"),  # all or nothing
    ],
)
def test_a_script_unicode_has_no_form_of_stays_as_each_format_writes_it(
    tmp_path: Path, bibtex: str, csl: str, from_bib: str, from_csl: str
) -> None:
    assert titles(tmp_path, bibtex, csl) == (from_bib, from_csl)


def test_reading_csl_json_titles_loads_no_latex_decoder() -> None:
    code = (
        "import sys\n"
        "from curator.formats.references.csljson import read_csljson\n"
        'items = \'[{"type": "article-journal", "title": "The 20<sup>th</sup> century"}]\'\n'
        "print(read_csljson(items, 'a.json').references[0].title)\n"
        "print('pylatexenc' in sys.modules)\n"
    )
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, encoding="utf-8", env=env, cwd=root, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["The 20ᵗʰ century", "False"]
