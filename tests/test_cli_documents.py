"""`curator attach` and `curator detach`: a paper's PDF kept in the review, and bad input said in one line."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from curator.pdf import sha256_of
from tests.documents.pdfs import paper, scan
from tests.helpers import run, stored, stored_demo


def _pdf(tmp_path: Path, name: str = "wahn-2002.pdf", text: str = "42.6%") -> Path:
    path = tmp_path / name
    path.write_bytes(paper([[(72, 100, text)]]))
    return path


def _blobs(path: Path) -> int:
    raw = sqlite3.connect(path)
    n = raw.execute("SELECT COUNT(*) FROM document_blob").fetchone()[0]
    raw.close()
    return int(n)


def test_attach_says_what_it_kept_and_info_counts_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    review = stored_demo(tmp_path / "r.sqlite")
    pdf = _pdf(tmp_path)
    code, out, err = run(capsys, "attach", str(review), "--reference", "7", str(pdf))
    sha = sha256_of(pdf.read_bytes())
    assert (code, err) == (0, "")
    assert out == f"Attached wahn-2002.pdf (1 page, sha256 {sha[:12]}) to reference '7'\n"
    assert stored(review).documents[0].sha256 == sha
    code, out, _ = run(capsys, "attach", str(review), "--reference", "7", str(pdf))
    assert code == 0 and "already holds these bytes" in out and _blobs(review) == 1
    code, out, err = run(capsys, "attach", "--db", str(review), "--reference", "7", str(pdf))  # the old way
    assert code == 0 and "deprecated" in err and "already holds" in out
    code, out, _ = run(capsys, "info", str(review))
    assert "Documents:    1 (1 held in the review)" in out
    code, out, _ = run(capsys, "info", str(review), "--format", "json")
    assert json.loads(out)["documents"] == 1


def test_attach_a_scan_warns_it_cannot_be_searched(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    review = stored_demo(tmp_path / "r.sqlite")
    path = tmp_path / "scan.pdf"
    path.write_bytes(scan())
    code, _, err = run(capsys, "attach", str(review), "--reference", "7", str(path))
    assert code == 0 and err == "curator: scan.pdf has no text layer (a scan?): it can be viewed, not searched\n"


def test_attach_refuses_a_file_that_is_no_pdf_in_one_line_and_stores_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    review = stored_demo(tmp_path / "r.sqlite")
    bad = tmp_path / "notes.pdf"
    bad.write_text("just some notes")
    code, out, err = run(capsys, "attach", str(review), "--reference", "7", str(bad))
    assert code == 2 and out == ""
    assert err.startswith("curator: ") and "notes.pdf" in err and err.count("\n") == 1
    assert "Traceback" not in err
    assert stored(review).documents == [] and _blobs(review) == 0


def test_detach_by_name_and_all_and_its_refusals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    review = stored_demo(tmp_path / "r.sqlite")
    run(capsys, "attach", str(review), "--reference", "7", str(_pdf(tmp_path)))
    run(capsys, "attach", str(review), "--reference", "7", str(_pdf(tmp_path, "b.pdf", "other")))
    code, _, err = run(capsys, "detach", str(review), "--reference", "7")
    assert (code, err) == (2, "curator: reference '7': name the document to detach (its file name), or give --all\n")
    code, _, err = run(capsys, "detach", str(review), "--reference", "7", "nope.pdf")
    assert (code, err) == (2, "curator: reference '7' has no document 'nope.pdf' attached\n")
    code, out, _ = run(capsys, "detach", str(review), "--reference", "7", "wahn-2002.pdf")
    assert (code, out) == (0, "Detached wahn-2002.pdf from reference '7'\n")
    code, out, _ = run(capsys, "detach", str(review), "--reference", "7", "--all")
    assert (code, out) == (0, "Detached b.pdf from reference '7'\n")
    assert stored(review).documents == [] and _blobs(review) == 0
    code, out, _ = run(capsys, "log", str(review))
    assert code == 0 and out.count("document") >= 4


def test_the_log_tells_a_paper_s_file_stored_and_removed_in_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    review = stored_demo(tmp_path / "r.sqlite")
    pdf = _pdf(tmp_path)
    size = pdf.stat().st_size
    run(capsys, "--reviewer", "Ana", "attach", str(review), "--reference", "7", str(pdf))
    run(capsys, "--reviewer", "Ana", "detach", str(review), "--reference", "7", "--all")
    code, out, _ = run(capsys, "log", str(review))
    assert code == 0
    assert f"Ana stored the file of 'wahn-2002.pdf' ({size:,} bytes)" in out
    assert "Ana added source document 'wahn-2002.pdf'" in out
    assert "Ana removed the file of " in out and "from the review" in out
    assert "document_blob" not in out  # no table names
