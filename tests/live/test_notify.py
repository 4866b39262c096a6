"""PostgreSQL wakes a listening window when another transaction writes to the audit log (issue 16)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import psycopg
import pytest
from sqlalchemy import create_engine

from curator.store.models import AuditEntry, table_of
from curator.store.notify import Listener, conninfo


@pytest.fixture
def engine(pg_url: str):  # type: ignore[no-untyped-def]
    made = create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://", 1))
    table_of(AuditEntry).create(made)  # the audit log, with its triggers (the NOTIFY one among them)
    yield made
    made.dispose()


def _write_entry(url: str, entry_id: int, *, commit: bool = True) -> None:
    """Another reviewer's transaction adds an audit entry (committed or rolled back)."""
    with psycopg.connect(url) as conn:
        conn.execute(
            "INSERT INTO audit_log (id, at, who, action, table_name) VALUES (%s, %s, 'Ben', 'update', 'endpoint_row')",
            (entry_id, datetime.now(UTC)),
        )
        if not commit:
            conn.rollback()


def test_a_committed_audit_entry_wakes_the_listener_and_a_rolled_back_one_does_not(engine) -> None:  # type: ignore[no-untyped-def]
    woken = threading.Event()
    count = []

    def wake() -> None:
        count.append(1)
        woken.set()

    listener = Listener(engine, wake)
    try:
        url = conninfo(engine.url)
        _write_entry(url, 1, commit=False)
        assert not woken.wait(0.6)  # nothing for a transaction that did not commit
        _write_entry(url, 2)
        assert woken.wait(5)
        assert listener.running
    finally:
        listener.stop()
    assert not listener.running  # the thread ended (tests/conftest.py fails a test leaving one behind)


def test_stopping_twice_is_harmless(engine) -> None:  # type: ignore[no-untyped-def]
    listener = Listener(engine, lambda: None)
    listener.stop()
    listener.stop()
    assert not listener.running
