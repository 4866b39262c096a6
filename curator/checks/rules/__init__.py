"""The rule families; importing this package registers every rule."""

from curator.checks.rules import (  # noqa: F401  (imported to register)
    citations,
    continuous,
    distribution,
    documents,
    effects,
    ranges,
    rounding,
    table,
    text,
    workflow,
)
