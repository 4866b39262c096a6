"""Real exports from public projects' test fixtures (tests/references/real/, origins in SOURCES.md).

Each file is read whole, as ``curator import`` reads it without ``--skip-bad``: it must be taken for
a reference file, and every record must be read. Then the fields a librarian checks (title, first
author's family name, year, DOI, PMID, volume, issue, pages) are compared, on at least one record
per file, with the values read by eye from the file itself (not from Curator's output). Pages are
expected in Curator's one form: a hyphen between first and last page, the last page as printed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from curator.formats.references import is_reference_file, read_reference_file

REAL = Path(__file__).parent / "real"

#: file -> (number of records, {record index from 0: {field: value read from the file}}).
#: ``family`` is the first author's family name; a field given as None must be empty.
EXPECTED: dict[str, tuple[int, dict[int, dict[str, Any]]]] = {
    # -- RIS ---------------------------------------------------------------------------------
    "ris/asreview_embase.ris": (
        6,
        {
            0: {
                "title": "Duplication cysts: Diagnosis, management, and the role of endoscopic ultrasound",
                "family": "Liu",
                "year": 2014,
                "doi": "10.4103/2303-9027.138783",
                "pmid": None,
                "volume": "3",
                "issue": "3",
                "pages": "152-160",
            },
            1: {
                "title": "Endoscopic ultrasound-guided fine-needle aspiration in the diagnosis of foregut duplication "
                "cysts: The value of demonstrating detached ciliary tufts in cyst fluid",
                "family": "Eloubeidi",
                "year": 2004,
                "doi": "10.1002/cncr.20369",
                "pmid": "15368318",  # C5
                "volume": "102",
                "issue": "4",
                "pages": "253-258",
            },
        },
    ),
    "ris/asreview_ovid_psycinfo.ris": (
        6,
        {
            1: {
                "title": "Gender differences in inflammatory bowel disease: Explaining body image dissatisfaction.",
                "family": "Trindade",
                "year": 2019,
                "doi": "10.1177/1359105317742958",
                "volume": "24",
                "issue": "7",
                "pages": "847-856",
            },
        },
    ),
    "ris/asreview_ovid_zotero.ris": (
        6,
        {
            1: {
                "title": "Gender differences in inflammatory bowel disease: Explaining body image dissatisfaction.",
                "family": "Trindade",
                "year": 2019,
                "doi": "10.1177/1359105317742958",
                "volume": "24",
                "issue": "7",
                "pages": "847-856",
            },
        },
    ),
    "ris/asreview_proquest.ris": (
        6,
        {
            0: {
                "title": "Predictors of posttraumatic stress symptom trajectories following the fatal 2011 "
                "Christchurch, New Zealand earthquake",
                "family": "Jones",
                "year": 2019,
                "doi": "10.1002/jts.22387",
                "pmid": None,  # AN "2214991469; 51887" is ProQuest's own number
            },
        },
    ),
    "ris/asreview_pubmed_endnote.txt": (
        6,
        {
            0: {
                "title": "Boswellia serrata: an overall assessment of in vitro, preclinical, pharmacokinetic and "
                "clinical data",
                "family": "Abdel-Tawab",
                "year": 2011,
                "doi": "10.2165/11586800-000000000-00000",
                "pmid": "21553931",  # AN
                "volume": "50",
                "issue": "6",
                "pages": "349-69",
            },
        },
    ),
    "ris/asreview_pubmed_zotero.ris": (
        6,
        {
            0: {
                "family": "Rudnik",
                "year": 2019,
                "doi": "10.5114/pg.2018.81081",
                "volume": "14",
                "issue": "2",
                "pages": "121-128",
            },
        },
    ),
    "ris/asreview_ris_issue_1099.txt": (
        7,
        {
            0: {
                "title": "Design and prototyping of directly driven outer rotor permanent magnet generator for small "
                "scale wind turbines",
                "family": "Vaimann",
                "year": 2018,
                "doi": "10.15598/aeee.v16i3.2698",
                "volume": "16",
                "issue": "3",
                "pages": "271-278",
            },
        },
    ),
    "ris/asreview_ris_issue_992.txt": (
        19,
        {0: {"title": "Overcoming Medication Reconciliation Challenges", "year": 2011, "volume": "11", "issue": "11"}},
    ),
    "ris/asreview_scopus_first2.ris": (
        2,
        {
            0: {
                "title": "Stress and the brain-gut axis in functional and chronic-inflammatory gastrointestinal "
                "diseases: A transdisciplinary challenge",
                "family": "Labanski",
                "year": 2020,
                "doi": "10.1016/j.psyneuen.2019.104501",
                "pmid": None,
                "volume": "111",
            },
            1: {
                "title": "Hypothesis: Mechanism of irritable bowel syndrome in inflammatory bowel disease",
                "family": "Uno",
                "year": 2019,
                "doi": "10.1016/j.mehy.2019.109324",
                "pmid": "31421429",  # C2
                "volume": "132",
            },
        },
    ),
    "ris/asreview_web_of_science.txt": (
        10,
        {
            0: {
                "title": "Holding Yourself Captive: Perceptions of Custody During Interviews and Interrogations",
                "family": "Alceste",
                "year": 2018,
                "doi": "10.1016/j.jarmac.2018.03.001",
                "volume": "7",
                "issue": "3",
                "pages": "387-397",
            },
        },
    ),
    "ris/revtools_avian_ecology_bibliography.ris": (
        20,
        {
            0: {
                "title": "Modelling future scenarios to improve woodland landscapes for birds in the Mediterranean",
                "family": "Leal",
                "year": 2016,
                "doi": "10.1016/j.jnc.2016.02.001",
                "volume": "30",
                "pages": "103-112",
            },
        },
    ),
    "ris/rispy_example_endnote.ris": (
        1,
        {
            0: {
                "title": "EndNote: The Only Reference I Can Remember",
                "family": "Smith",
                "year": 2024,
                "doi": "10.1234/endnote.joke.2024",
                "volume": "1",
                "issue": "42",
                "pages": "1-2",
            },
        },
    ),
    "ris/rispy_example_extraneous_data.ris": (
        2,
        {0: {"title": "Title of reference", "family": "Marx", "year": 2014, "volume": "9", "issue": "3"}},
    ),
    "ris/rispy_example_full.ris": (
        2,
        {0: {"title": "Title of reference", "family": "Marx", "year": 2014, "volume": "9", "issue": "3"}},
    ),
    "ris/rispy_example_urls.ris": (
        4,
        {0: {"title": "A Mathematical Theory of Communication", "family": "Shannon", "year": 1948, "volume": "27"}},
    ),
    "ris/rispy_example_utf_chars.ris": (
        1,
        {0: {"family": "Dobrokhotova", "year": 2009, "issue": "3", "pages": "52-57"}},
    ),
    "ris/synthesisr_ASP_ris_example.ris": (
        4,
        {
            0: {
                "title": "“Living on the edge”: The role of field margins for common vole (Microtus arvalis) "
                "populations in recently colonised Mediterranean farmland.",
                "family": "Rodríguez-Pastor",
                "year": 2016,
                "volume": "231",
                "pages": "206-217",
            },
        },
    ),
    "ris/synthesisr_Ovid_ris_example.ris": (
        4,
        {
            1: {
                "title": "Host density drives viral, but not trypanosome, transmission in a key pollinator.",
                "family": "Bailes",
                "year": 2020,
                "doi": "10.1098/rspb.2019.1969",
                "volume": "287",
                "issue": "1918",
            },
        },
    ),
    "ris/synthesisr_Scopus_ris_example.ris": (
        3,
        {
            0: {
                "title": "Soil fauna diversity at different stages of reed restoration in a lakeshore wetland at "
                "Lake Taihu, China",
                "family": "Li",
                "year": 2020,
                "doi": "10.1080/20964129.2020.1722034",
                "volume": "6",
                "issue": "1",
            },
        },
    ),
    "ris/synthesisr_citesource_issue_24.ris": (
        17,
        {
            0: {
                "title": "Effects of artificial light on bird movement and distribution: a systematic map",
                "family": "Adams",
                "year": 2021,
                "doi": "10.1186/s13750-021-00246-8",
                "volume": "10",
                "issue": "1",
                "pages": "37",
            },
            1: {
                "title": "What evidence exists for the impact of climate change on the physiology and behaviour of "
                "important aquaculture marine crustacean species in Asia? A systematic map protocol",
                "family": "Azra",
                "year": 2022,
                "doi": "10.1186/s13750-022-00263-1",
                "volume": "11",
                "issue": "1",
            },
        },
    ),
    # -- PubMed/MEDLINE ----------------------------------------------------------------------
    "medline/synthesisr_PubMed_example.txt": (
        3,
        {
            0: {
                "family": "Neilen",
                "year": 2017,
                "doi": "10.1016/j.scitotenv.2017.04.075",
                "pmid": "28441597",
                "volume": "598",
                "pages": "188-197",
            },
            1: {
                "family": "Piqueray",
                "year": 2019,
                "doi": "10.1007/s00267-019-01153-y",
                "pmid": "30868313",
                "volume": "63",
                "issue": "5",
                "pages": "647-657",
            },
        },
    ),
    "medline/rispy_example_pubmed.txt": (
        10,
        {
            0: {
                "title": "Time lapse: A glimpse into prehistoric genomics",  # MEDLINE's closing full stop is not the title's
                "family": "Griffin",
                "year": 2020,
                "doi": "10.1016/j.ejmg.2019.03.004",
                "pmid": "30922926",
                "volume": "63",
                "issue": "2",
                "pages": "103640",
            },
            1: {
                "title": "Symbiosis between Cretaceous dinosaurs and feather-feeding beetles",
                "family": "Peñalver",
                "year": 2023,
                "doi": "10.1073/pnas.2217872120",
                "pmid": "37068225",
                "volume": "120",
                "issue": "17",
                "pages": "e2217872120",
            },
        },
    ),
    # -- CSL-JSON ----------------------------------------------------------------------------
    "csljson/bbt_chapter_2303.csl.json": (
        1,
        {0: {"title": "Pragmatism (1907)", "family": "Peirce", "year": 1998}},
    ),
    "csljson/bbt_pandoc_citation.csl.json": (
        4,
        {
            0: {
                "title": "The physical volcanology of the 1600 eruption of Huaynaputina, southern Peru",
                "family": "Adams",
                "year": 2014,
                "volume": "62",
                "pages": "493-518",
            },
            1: {
                "title": "Skizze zur Auslegungsgeschichte der Bücher Prouerbia und Ecclesiastes in der "
                "abendländischen Kirche",
                "family": "Berndt",
                "year": 1994,
                "doi": "10.1484/J.SE.2.303788",
                "volume": "34",
                "pages": "5-32",
            },
            3: {  # an editor, no author
                "title": "The Gospel according to St. Matthew, from the St. Germain ms. (g₁), now numbered Lat. "
                "11553 in the National Library at Paris",
                "year": 1883,
            },
        },
    ),
    "csljson/bbt_range_sign_3327.csl.json": (
        1,
        {
            0: {
                "title": "Coexistence or competition for resources? Transboundary transformations of natural "
                "resource use in China’s neighborhood",
                "family": "Alff",
                "year": 2023,
                "doi": "10.1080/15387216.2023.2258150",
                "volume": "64",
                "issue": "7-8",
                "pages": "797-810",
            },
        },
    ),
    "csljson/bbt_short_title_372.csl.json": (
        1,
        {
            0: {
                "title": "Codes, costs, and critiques: The organization of information in Library Quarterly, 1931–2004",
                "family": "Olson",
                "year": 2006,
                "doi": "10.1086/504343",
                "volume": "76",
                "issue": "1",
                "pages": "19-35",
            },
        },
    ),
    "csljson/manubot_bibliography.json": (
        2,
        {
            0: {
                "title": "Sci-Hub provides access to nearly all scholarly literature",
                "family": "Himmelstein",
                "year": 2018,
                "doi": "10.7554/elife.32822",
                "pmid": "29424689",
                "volume": "7",
            },
        },
    ),
    # -- Web of Science tagged ("plain text" / .ciw) -----------------------------------------
    "wos/rispy_example_wos.ris": (
        2,
        {
            0: {
                "title": "Interactions stabilizing the structure of the core light-harvesting complex (LHl) of "
                "photosynthetic bacteria and its subunit (B820)",
                "family": "Parkes-Loach",
                "year": 2004,
                "doi": "10.1021/bi049798f",
                "pmid": "15170338",
                "volume": "43",
                "issue": "22",
                "pages": "7003-7016",
            },
        },
    ),
    "wos/synthesisr_WoS_ciw_example.ciw": (
        5,
        {
            0: {
                "title": "Soil fauna diversity at different stages of reed restoration in a lakeshore wetland at "
                "Lake Taihu, China",
                "family": "Li",
                "year": 2020,
                "doi": "10.1080/20964129.2020.1722034",
                "volume": "6",
                "issue": "1",
            },
            1: {
                "title": "Aesthetics and the Containment of Grief",
                "family": "Higgins",
                "year": 2020,
                "doi": "10.1111/jaac.12686",
                "volume": "78",
                "issue": "1",
                "pages": "9-20",
            },
        },
    ),
    "wos/synthesisr_WoS_txt_example.txt": (
        4,
        {
            3: {
                "title": "miR-324-5p inhibits gallbladder carcinoma cell metastatic behaviours by downregulation of "
                "transforming growth factor beta 2 expression.",
                "family": "Zhang",
                "year": 2020,
                "doi": "10.1080/21691401.2019.1703724",
                "pmid": "31858815",
                "volume": "48",
                "issue": "1",
                "pages": "315-324",
            },
        },
    ),
}


def _family(authors: list[str]) -> str | None:
    if not authors:
        return None
    first = authors[0]
    return first.split(",")[0].strip() if "," in first else first.split(" ")[0]


def check_file(name: str) -> tuple[int, list[str]]:
    """The number of fields checked in ``name`` and what was wrong (the file's whole reading included)."""
    count, records = EXPECTED[name]
    path = REAL / name
    if not is_reference_file(path):
        return sum(len(r) for r in records.values()), [f"{name}: not taken for a reference file"]
    try:
        rf = read_reference_file(path)
    except Exception as exc:  # noqa: BLE001 - a refusal is a finding here, counted as every field wrong
        return sum(len(r) for r in records.values()), [f"{name}: refused: {exc}"]
    wrong = [f"{name}: {p}" for p in rf.problems]
    if len(rf.references) != count:
        wrong.append(f"{name}: {len(rf.references)} records read, {count} in the file")
    checked = 0
    for index, fields in records.items():
        ref = rf.references[index] if index < len(rf.references) else None
        for field, want in fields.items():
            checked += 1
            got = None if ref is None else _family(ref.authors) if field == "family" else getattr(ref, field)
            if got != want:
                wrong.append(f"{name}: record {index + 1}: {field} is {got!r}, the file says {want!r}")
    return checked, wrong


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_file_imports_whole_with_the_fields_a_librarian_checks(name: str) -> None:
    _checked, wrong = check_file(name)
    assert wrong == []


def test_every_real_file_is_checked_and_has_its_origin() -> None:
    files = {p.relative_to(REAL).as_posix() for p in REAL.rglob("*") if p.is_file() and p.name != "SOURCES.md"}
    ours = {f for f in files if not f.startswith("bibtex/")}
    assert ours == set(EXPECTED)
    sources = (REAL / "SOURCES.md").read_text(encoding="utf-8")
    assert [f for f in ours if Path(f).name not in sources] == []
