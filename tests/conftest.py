"""Test set-up: headless Qt, and never the developer's real data or settings."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

# Before anything imports Qt: no screen is needed or used.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.pop("DISPLAY", None)
os.environ.pop("WAYLAND_DISPLAY", None)

import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

#: The throwaway PostgreSQL server (``pg_server``, ``pg_url``) for the team-review tests.
pytest_plugins = ["tests.postgres", "tests.backends"]

settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
settings.register_profile("ci", parent=settings.get_profile("default"), max_examples=60)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(autouse=True)
def _isolated_data(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Each test gets its own data folder (the default review lives there)."""
    data = tmp_path_factory.mktemp("curator-data")
    monkeypatch.setenv("CURATOR_DATA_DIR", str(data))
    monkeypatch.setenv("CURATOR_REVIEWER", "tester")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(data / "config"))
    yield data


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """QSettings of each test live in a folder of their own, never the developer's."""
    from PySide6.QtCore import QSettings

    folder = tmp_path_factory.mktemp("qsettings")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
        for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
            QSettings.setPath(fmt, scope, str(folder / scope.name))
    yield folder


@pytest.fixture(autouse=True)
def _no_dangling_threads() -> Iterator[None]:
    """A test must not leave a thread running behind it."""
    before = set(threading.enumerate())
    yield
    left = [t for t in threading.enumerate() if t not in before and t.is_alive() and not t.daemon]
    assert not left, f"threads left running: {left}"


@pytest.fixture
def bcg(tmp_path: Path) -> Path:
    """The 13 BCG vaccine trials (tests/analysis/bcg.py) as a curator/1 file."""
    from curator.formats.exchange import write_exchange
    from tests.analysis.bcg import bcg_review

    path = tmp_path / "bcg.json"
    write_exchange(bcg_review(), path)
    return path


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/gui/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.gui)
