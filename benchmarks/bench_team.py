"""A team review under load, and a big team review's first screen (issue 16, item 7).

    .venv/bin/python -m benchmarks.bench_team [--url URL] [--reviewers 10] [--edits 200] [--rows 20]
                                              [--screen-rows 100000] [--repeat 3]

Without ``--url`` (a superuser's URL of the server's maintenance database), a throwaway PostgreSQL
cluster is started in a temporary folder (:mod:`tests.postgres`, as the tests do) and stopped at the end.

**Load.** A new team review; an extractor enters ROWS rows of one comparison; REVIEWERS verifiers, each a
login role of her own and each in a process of her own, make EDITS fixes each of ``intervention.n`` on
rows picked at random among the ROWS (so they overlap all the time), each fix carrying the value she
read (compare-and-set). A fix refused as stale (:class:`~curator.errors.StaleWrite`) is counted and
reported; every other refusal fails the run. Then, from the server: no lost update (each accepted
fix is in the audit log, under its reviewer, with the old value it read and the new one, and the
rows hold the last accepted fixes) and the median and 95th percentile time of an accepted fix.

**First screen.** A generated review of SCREEN_ROWS rows (:mod:`benchmarks.generate`) in a review
file and, pushed with ``curator push``, in a team review; in the same run, REPEAT times in turn, a fresh
``curator gui`` on each until the window shows the review (``CURATOR_EXIT_AFTER_PAINT``); prints the
medians and the ratio team / file (the target is at most 1.5).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

COMPARISON = "load"


def _as(url: str, user: str, password: str | None = None, database: str | None = None) -> str:
    """``url`` with another user (and password) and database."""
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    who = quote(user, safe="") + (f":{quote(password, safe='')}" if password else "")
    path = f"/{database}" if database is not None else parts.path
    return urlunsplit((parts.scheme, f"{who}@{host}", path, parts.query, parts.fragment))


def _sql(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(statement)  # type: ignore[arg-type]


# -- one reviewer in a process of her own ------------------------------------------------------------


def reviewer(url: str, edits: int, rows: int, seed: int) -> None:
    """Make ``edits`` fixes on random rows, each with the value read; print one JSON line."""
    from curator.errors import StaleWrite
    from curator.services import ReviewService

    rng = random.Random(seed)
    accepted, refused, times = [], 0, []
    with ReviewService.open(url) as service:
        for i in range(edits):
            position = rng.randrange(rows)
            row = service.stored_rows(COMPARISON).row(position)
            old = row.intervention.n.text if row.intervention and row.intervention.n else ""
            new = str(100 + seed * 10_000 + i)
            start = time.perf_counter()
            try:
                service.checking.fix_field(COMPARISON, position, "intervention.n", new, expected=old)
            except StaleWrite:
                refused += 1
                continue
            times.append(time.perf_counter() - start)
            accepted.append([position, old, new])
            service.stored_rows(COMPARISON)  # a fresh read next time
    print(json.dumps({"who": service.who, "accepted": accepted, "refused": refused, "times": times}))


# -- the run ---------------------------------------------------------------------------------------------


def load(admin_url: str, reviewers: int, edits: int, rows: int) -> None:
    from curator.numbers import parse_reported
    from curator.review import Arm, Comparison, Review, Row
    from curator.services import ReviewService
    from curator.services.team import add_reviewer, init_team

    database = f"load_{os.getpid()}"
    _sql(admin_url, f'CREATE DATABASE "{database}"')
    url = _as(admin_url, urlsplit(admin_url).username or "postgres", database=database)
    init_team(url, "Load", blind=False)
    add_reviewer(url, f"ext{os.getpid()}", "extractor", "extractor's password")
    names = [f"v{i}_{os.getpid()}" for i in range(reviewers)]
    for name in names:
        add_reviewer(url, name, "verifier", f"{name}'s password")
    review = Review(
        comparisons=[
            Comparison(
                key=COMPARISON, title="Load", intervention="A", comparator="B",
                rows=[Row(endpoint=f"E{i}", measure="percent", intervention=Arm(value=parse_reported("10"),
                      n=parse_reported("50")), comparator=Arm(value=parse_reported("12"), n=parse_reported("50")))
                      for i in range(rows)],
            )
        ]
    )  # fmt: skip
    with ReviewService.open(_as(url, f"ext{os.getpid()}", "extractor's password")) as extractor:
        extractor.import_reviews([review])
    start = time.perf_counter()
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "benchmarks.bench_team", "--act", _as(url, name, f"{name}'s password"),
             "--edits", str(edits), "--rows", str(rows), "--seed", str(i)],
            stdout=subprocess.PIPE, text=True,
        )
        for i, name in enumerate(names)
    ]  # fmt: skip
    results = []
    for proc in procs:
        out, _ = proc.communicate()
        if proc.returncode != 0:
            raise SystemExit(f"a reviewer's process failed (exit {proc.returncode})")
        results.append(json.loads(out.strip().splitlines()[-1]))
    wall = time.perf_counter() - start
    _check(url, results, rows)
    times = sorted(t for r in results for t in r["times"])
    accepted = sum(len(r["accepted"]) for r in results)
    refused = sum(r["refused"] for r in results)
    print(f"{reviewers} reviewers x {edits} fixes on {rows} shared rows, in {wall:.1f} s:")
    print(f"  accepted {accepted}, refused as stale {refused} (each reported), lost 0")
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    print(f"  an accepted fix: median {statistics.median(times) * 1000:.1f} ms, 95th percentile {p95 * 1000:.1f} ms")
    _sql(admin_url, f'DROP DATABASE "{database}" WITH (FORCE)')


def _check(url: str, results: list[dict[str, object]], rows: int) -> None:
    """No lost update: every accepted fix is in the audit log with what it read, and each row holds the
    last accepted fix (the log's order is the order the server took them)."""
    import psycopg

    with psycopg.connect(url) as conn:
        logged = conn.execute(
            "SELECT a.who, a.old, a.new, r.position FROM audit_log a JOIN endpoint_row r ON r.id = a.row_id "
            "WHERE a.table_name = 'endpoint_row' AND a.action = 'update' AND a.field = 'intervention.n' "
            "ORDER BY a.id"
        ).fetchall()
        stored = dict(conn.execute("SELECT position, intervention_n FROM endpoint_row").fetchall())
    claimed = sorted((str(r["who"]), str(o), str(n), int(p)) for r in results for p, o, n in r["accepted"])  # type: ignore[attr-defined]
    found = sorted((str(w), str(o or ""), str(n), int(p)) for w, o, n, p in logged)
    if claimed != found:
        raise SystemExit(f"lost or unaudited updates: {len(claimed)} accepted, {len(found)} in the audit log")
    last: dict[int, str] = {}
    for _w, _o, new, position in logged:
        last[position] = new
    for position, new in last.items():
        if stored[position] != new:
            raise SystemExit(f"row {position + 1} holds {stored[position]!r}, not its last fix {new!r}")
    # Each accepted fix read the value the one before it wrote (compare-and-set): a chain per row.
    previous: dict[int, str] = {}
    for _w, old, new, position in logged:
        if position in previous and (old or "") != previous[position]:
            raise SystemExit(f"row {position + 1}: a fix read {old!r} where {previous[position]!r} was stored")
        previous[position] = new


def first_screen(admin_url: str, rows: int, repeat: int) -> None:
    from benchmarks.generate import generate_review
    from curator.formats.exchange import write_exchange

    folder = Path(tempfile.mkdtemp(prefix="curator-screen-"))
    exchange = folder / "big.json"
    write_exchange(generate_review(rows), exchange)
    review_file = folder / "big.sqlite"
    env = dict(os.environ, CURATOR_REVIEWER="bench", CURATOR_DATA_DIR=str(folder / "data"))
    subprocess.run([sys.executable, "-m", "curator", "import", str(review_file), str(exchange)], check=True, env=env,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    database = f"screen_{os.getpid()}"
    _sql(admin_url, f'CREATE DATABASE "{database}"')
    team = _as(admin_url, urlsplit(admin_url).username or "postgres", database=database)
    server_env = {k: v for k, v in env.items() if k != "CURATOR_REVIEWER"}  # a team review records its login
    pushed = subprocess.run([sys.executable, "-m", "curator", "push", str(review_file), team], env=server_env,
                            capture_output=True, text=True)  # fmt: skip
    if pushed.returncode != 0:
        raise SystemExit(f"push failed: {pushed.stderr.strip()}")
    screen = {"CURATOR_EXIT_AFTER_PAINT": "1", "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    shown: dict[str, list[float]] = {"file": [], "team": []}
    for _ in range(repeat):
        for name, target in (("file", str(review_file)), ("team", team)):
            start = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "curator", "gui", target],
                                  env=dict(env if name == "file" else server_env, **screen),
                                  capture_output=True, text=True, timeout=600)  # fmt: skip
            if proc.returncode != 0:
                raise SystemExit(f"curator gui {name} failed: {proc.stderr.strip()[-400:]}")
            shown[name].append(time.perf_counter() - start)
    file_s, team_s = statistics.median(shown["file"]), statistics.median(shown["team"])
    print(f"first screen of {rows:,} rows (median of {repeat}, a fresh process each):")
    print(f"  review file {file_s:.2f} s, team review {team_s:.2f} s: {team_s / file_s:.2f}x (target <= 1.5)")
    _sql(admin_url, f'DROP DATABASE "{database}" WITH (FORCE)')


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url")
    parser.add_argument("--reviewers", type=int, default=10)
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--rows", type=int, default=20)
    parser.add_argument("--screen-rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--act", help=argparse.SUPPRESS)  # one reviewer's process
    parser.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.act:
        reviewer(args.act, args.edits, args.rows, args.seed)
        return
    server = None
    url = args.url
    if url is None:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        from tests.postgres import start_server

        server = start_server()
        url = server.url()
    try:
        load(url, args.reviewers, args.edits, args.rows)
        if args.screen_rows:
            first_screen(url, args.screen_rows, args.repeat)
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
