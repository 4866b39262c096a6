"""Alembic migrations of the review database (installed as ``curator.db``)."""
