"""One reviewer in a process of her own (tests/team/test_processes.py): ``python -m tests.team.actor
ACTION`` with the review's URL (no password: it comes from ``PGPASSWORD``, as a reviewer's would)
and the action's arguments; prints what a test checks, one line."""

from __future__ import annotations

import sys

import psycopg
from sqlalchemy import create_engine
from sqlmodel import Session

from curator.store.double_entry import double_entry
from curator.store.edits import set_row_field
from curator.store.rows import insert_row, new_comparison, new_row
from curator.store.verification import verify_field


def main(argv: list[str]) -> int:
    action, url, *rest = argv
    if action == "verify-sql":  # raw SQL: verify the row's value, as psql would
        with psycopg.connect(url) as conn:
            conn.execute(
                "INSERT INTO field_verification (row_id, field, state, value, by, at) "
                "SELECT id, 'intervention.value', 'verified', intervention_value, 'someone else', now() FROM endpoint_row"
            )
        print("verified")
        return 0
    if action == "visible":  # raw SQL: the intervention values she can read
        with psycopg.connect(url) as conn:
            print(sorted(v for (v,) in conn.execute("SELECT intervention_value FROM endpoint_row")))
        return 0
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with psycopg.connect(url) as conn:
        me = str(conn.execute("SELECT current_user").fetchone()[0])  # type: ignore[index]
    with Session(engine) as s:
        if action == "enter":  # a comparison and a row through Curator
            key, value = rest
            new_comparison(s, key, f"{key} trial", "Pimecrolimus", "TCS", me)
            insert_row(s, key, 0, new_row(me), me)
            set_row_field(s, key, 0, "endpoint", "Itch", me)
            set_row_field(s, key, 0, "intervention.value", value, me)
            print("entered")
        elif action == "double-entry":
            key, value = rest
            result = double_entry(s, key, 0, {"intervention.value": value}, me)
            print("matched" if result.matched else "differs")
        elif action == "verify":
            (key,) = rest
            print(verify_field(s, key, 0, "intervention.value", me))
        elif action == "edits":  # many small transactions, each with its audit entries
            key, count = rest
            for i in range(int(count)):
                set_row_field(s, key, 0, "intervention.value", f"{i}.5", me)
                s.commit()
            print("edited")
        s.commit()
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
