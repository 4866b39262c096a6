"""Alembic environment: always run from Curator with a live connection.

Curator calls Alembic itself (:mod:`curator.store.database`) and passes the
connection in ``config.attributes["connection"]``; ``render_as_batch`` lets
migrations alter tables on SQLite.
"""

from alembic import context

from curator.store.models import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - developers' `alembic` command line
    from sqlalchemy import create_engine

    url = context.config.get_main_option("sqlalchemy.url") or "sqlite:///dev.sqlite"
    connection = create_engine(url).connect()

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
