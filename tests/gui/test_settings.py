"""Preferences and window state survive a restart, in a settings folder of the test's own."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QSplitter

from curator.gui.settings import MAX_RECENT, Settings


def test_settings_live_in_the_tests_own_folder(_isolated_settings: Path) -> None:
    settings = Settings()
    settings.set_reviewer("Ana")
    assert Path(settings.store.fileName()).is_relative_to(_isolated_settings)
    assert Path(settings.store.fileName()).read_text(encoding="utf-8").count("Ana") == 1


def test_reviewer_is_kept_across_instances() -> None:
    assert Settings().reviewer() is None
    Settings().set_reviewer("  Ana Ruiz ")
    assert Settings().reviewer() == "Ana Ruiz"
    Settings().set_reviewer("   ")
    assert Settings().reviewer() is None


def test_recent_files_most_recent_first_without_repeats(tmp_path: Path) -> None:
    a, b, c = (tmp_path / f"{n}.sqlite" for n in "abc")
    for path in (a, b, c):
        path.write_bytes(b"")
    settings = Settings()
    for path in (a, b, c, a):
        settings.add_recent(path)
    assert Settings().recent_files() == [a, c, b]


def test_recent_files_drop_missing_ones_and_keep_ten(tmp_path: Path) -> None:
    paths = [tmp_path / f"r{i:02}.sqlite" for i in range(MAX_RECENT + 3)]
    for path in paths:
        path.write_bytes(b"")
        Settings().add_recent(path)
    assert Settings().recent_files() == paths[::-1][:MAX_RECENT]
    paths[-1].unlink()
    assert Settings().recent_files() == paths[::-1][1 : MAX_RECENT + 1][: MAX_RECENT - 1]


def test_damaged_recent_list_is_an_empty_one() -> None:
    settings = Settings()
    settings.store.setValue("files/recent", "[not json")
    assert settings.recent_files() == []


def _window(qtbot) -> tuple[QMainWindow, dict[str, QSplitter]]:  # type: ignore[no-untyped-def]
    window = QMainWindow()
    outer = QSplitter(Qt.Orientation.Horizontal)
    inner = QSplitter(Qt.Orientation.Vertical)
    inner.addWidget(QLabel("table"))
    inner.addWidget(QLabel("findings"))
    outer.addWidget(QLabel("comparisons"))
    outer.addWidget(inner)
    window.setCentralWidget(outer)
    qtbot.addWidget(window)
    return window, {"outer": outer, "inner": inner}


def test_window_geometry_and_splitter_sizes_are_restored(qtbot) -> None:  # type: ignore[no-untyped-def]
    window, splitters = _window(qtbot)
    window.resize(640, 420)  # within the offscreen screen (800 x 600), which a restore keeps to
    window.move(30, 40)
    window.show()
    qtbot.waitExposed(window)
    splitters["outer"].setSizes([150, 490])
    splitters["inner"].setSizes([300, 120])
    saved = (splitters["outer"].sizes(), splitters["inner"].sizes())
    Settings().save_window(window, splitters)

    again, again_splitters = _window(qtbot)
    Settings().restore_window(again, again_splitters)
    again.show()
    qtbot.waitExposed(again)
    assert again.size() == window.size()
    assert (again_splitters["outer"].sizes(), again_splitters["inner"].sizes()) == saved
    assert again.pos() == window.pos()
    fresh, fresh_splitters = _window(qtbot)
    fresh.show()
    qtbot.waitExposed(fresh)
    assert (fresh.size(), fresh_splitters["outer"].sizes()) != (window.size(), saved[0])  # the test can fail


def test_nothing_saved_leaves_the_window_as_built(qtbot) -> None:  # type: ignore[no-untyped-def]
    window, splitters = _window(qtbot)
    window.resize(700, 500)
    Settings().restore_window(window, splitters)
    assert window.size().width() == 700 and window.size().height() == 500


def test_the_store_is_ini_under_curator(_isolated_settings: Path) -> None:
    store = Settings().store
    assert store.format() == QSettings.Format.IniFormat
    assert (store.organizationName(), store.applicationName()) == ("Curator", "Curator")
