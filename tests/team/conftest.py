"""The team review fixture (tests/team/team.py)."""

from tests.team.team import team

__all__ = ["team"]
