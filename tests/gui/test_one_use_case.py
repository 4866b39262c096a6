"""One use case, one home: the command line and the window run the same service method.

Reference import and accepting a finding were each written twice (the CLI
planned the import inside its transaction, the window against its own copy
of the references, on the GUI thread). Both faces now call the service; a
spy on the service method sees each face's call, and both give the same
outcome.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog

from curator.gui.app import MainWindow
from curator.gui.duplicates_dialog import DuplicatesDialog
from curator.services.findings import Findings
from curator.services.references import References
from tests.helpers import REFERENCE_FIXTURES as FIXTURES
from tests.helpers import run, stored, stored_demo


def spy(monkeypatch: pytest.MonkeyPatch, cls: type, name: str) -> list[str]:
    """Record which review each call of ``cls.name`` acted on (by its file name)."""
    calls: list[str] = []
    real = getattr(cls, name)

    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(self._service.path.name)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(cls, name, wrapper)
    return calls


def test_reference_import_from_the_cli_and_from_the_window_is_one_service_method(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = spy(monkeypatch, References, "import_files")
    by_cli = stored_demo(tmp_path / "cli.sqlite")
    code, out, err = run(capsys, "import", str(by_cli), str(FIXTURES / "pubmed.nbib"), "--duplicates", "merge")
    assert code == 0, err

    by_window = stored_demo(tmp_path / "window.sqlite")
    window = MainWindow(by_window, "Ana")
    qtbot.addWidget(window)
    monkeypatch.setattr(DuplicatesDialog, "exec", lambda dialog: (dialog.accept(), QDialog.DialogCode.Accepted)[1])
    assert window.references_view.import_files([FIXTURES / "pubmed.nbib"]) is True

    assert calls == ["cli.sqlite", "window.sqlite"]
    # Same file, same decision (merge the duplicate), same references stored.
    assert stored(by_cli).references == stored(by_window).references


def test_accepting_a_finding_from_the_cli_and_from_the_window_is_one_service_method(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = spy(monkeypatch, Findings, "accept")
    by_cli = stored_demo(tmp_path / "cli.sqlite")
    code, out, _ = run(capsys, "check", str(by_cli), "--format", "json")
    finding = next(f for f in json.loads(out) if f["rule"] == "versus-mismatch")
    locator = f"{finding['rule']}:{finding['comparison']}[{finding['row']}]"
    code, out, err = run(
        capsys, "--reviewer", "Ana", "check", str(by_cli), "--accept", locator, "--reason", "as printed"
    )
    assert code == 0, err

    by_window = stored_demo(tmp_path / "window.sqlite")
    window = MainWindow(by_window, "Ana")
    qtbot.addWidget(window)
    shown = next(f for f in window.findings if f.rule == "versus-mismatch")
    assert window.edits.accept_finding(shown, "as printed")

    assert calls == ["cli.sqlite", "window.sqlite"]
    cli, win = stored(by_cli).accepted_findings, stored(by_window).accepted_findings
    assert [(a.rule, a.comparison, a.row, a.reason, a.by, a.fingerprint) for a in cli] == [
        (a.rule, a.comparison, a.row, a.reason, a.by, a.fingerprint) for a in win
    ]
    assert len(cli) == 1
