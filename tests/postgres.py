"""A throwaway PostgreSQL server for the tests (issue 16), started once per test run.

The server is Debian's ``postgresql`` (``.ci/setup`` installs it): a new cluster in a temporary
folder, listening on a Unix socket there and on no TCP port, stopped and removed at the end of the
run. PostgreSQL refuses to run as root, so as root (CI) the cluster belongs to the ``postgres``
user and its programs run through ``runuser``; as anyone else, as that user.

The superuser ``postgres`` connects without a password (``trust``); every other role needs its
password (``scram-sha-256``), as on a team's server, so a test can show that a reviewer is who she
says.

Fixtures (registered by ``tests/conftest.py``):

* ``pg_server``: the :class:`Server` of the run. Without PostgreSQL's programs a test that needs it
  is skipped, saying why; where ``CURATOR_REQUIRE_POSTGRES=1`` (``.ci/run`` sets it) it fails
  instead, so CI can never silently skip the team tests.
* ``pg_url``: a new, empty database for one test, as a ``postgresql://`` URL of the superuser
  (dropped after the test). Roles are the cluster's, not the database's: a test that makes
  reviewers' roles gives them names of its own (:meth:`Server.role_name`).
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest

__all__ = ["Server", "find_programs", "start_server"]

#: The port only names the socket file (``.s.PGSQL.5432``): nothing listens on TCP.
PORT = 5432


def find_programs() -> Path | None:
    """The folder of PostgreSQL's server programs (``initdb``, ``pg_ctl``), the newest installed."""
    given = os.environ.get("CURATOR_PG_BIN")
    if given:
        return Path(given)
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parent.parent.name or 0))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


@dataclass
class Server:
    """A running throwaway cluster."""

    folder: Path
    programs: Path
    as_user: list[str]
    socket: Path
    _names: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def url(self, database: str = "postgres", user: str = "postgres", password: str | None = None) -> str:
        """A ``postgresql://`` URL of ``database`` as ``user``, over the cluster's socket."""
        who = quote(user, safe="")
        if password is not None:
            who += ":" + quote(password, safe="")
        return f"postgresql://{who}@/{quote(database, safe='')}?host={quote(str(self.socket), safe='')}&port={PORT}"

    def sql(self, statement: str, database: str = "postgres") -> None:
        """Run one statement as the superuser, outside a transaction (CREATE/DROP DATABASE)."""
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as conn:
            conn.execute(statement)  # type: ignore[arg-type]

    def create_database(self) -> str:
        name = f"test_{os.getpid()}_{next(self._names)}"
        self.sql(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        self.sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def role_name(self, base: str) -> str:
        """A role name no other test of the run uses."""
        return f"{base}_{os.getpid()}_{next(self._names)}"

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*self.as_user, *args], capture_output=True, text=True, check=False)

    def stop(self) -> None:
        self.run(str(self.programs / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


def start_server() -> Server:
    """Make a cluster in a new temporary folder and start it; raise RuntimeError saying why not."""
    programs = find_programs()
    if programs is None:
        raise FileNotFoundError("PostgreSQL's server programs (initdb, pg_ctl) are not installed")
    folder = Path(tempfile.mkdtemp(prefix="curator-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        runuser = shutil.which("runuser")
        if runuser is None:
            raise RuntimeError("running as root, and runuser (to run PostgreSQL as postgres) is missing")
        shutil.chown(folder, "postgres")
        as_user = [runuser, "-u", "postgres", "--"]
    folder.chmod(0o755)
    server = Server(folder=folder, programs=programs, as_user=as_user, socket=folder)
    data = folder / "data"
    made = server.run(
        str(programs / "initdb"),
        "-D", str(data), "-U", "postgres", "-E", "UTF8", "--no-locale",
        "--auth-local=trust", "--auth-host=reject",
    )  # fmt: skip
    if made.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"initdb failed: {made.stderr.strip() or made.stdout.strip()}")
    # Only the superuser without a password; every reviewer with hers.
    (data / "pg_hba.conf").write_text("local all postgres trust\nlocal all all scram-sha-256\n")
    options = (
        f"-c listen_addresses='' -c unix_socket_directories='{folder}' -c port={PORT} "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    started = server.run(
        str(programs / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"), "-o", options, "-w", "start"
    )
    if started.returncode != 0:
        log = ""
        with contextlib.suppress(OSError):
            log = (folder / "server.log").read_text()[-2000:]
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"pg_ctl start failed: {started.stderr.strip()} {log}")
    return server


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Server]:
    try:
        server = start_server()
    except (OSError, RuntimeError) as exc:
        if os.environ.get("CURATOR_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required here (CURATOR_REQUIRE_POSTGRES=1) and cannot start: {exc}")
        pytest.skip(f"no PostgreSQL server can be started here: {exc}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server: Server) -> Iterator[str]:
    name = pg_server.create_database()
    try:
        yield pg_server.url(name)
    finally:
        pg_server.drop_database(name)
