"""The measures and methods of an analysis, by name: light enough for the command line's parser (the
statistics themselves load numpy, scipy and statsmodels, which a start of the window must not)."""

from __future__ import annotations

__all__ = ["RATIO", "BINARY", "CONTINUOUS", "MEASURES", "METHODS"]

#: Measures pooled on the log scale.
RATIO = frozenset({"RR", "OR", "HR", "IRR"})
#: Measures made from each arm's events and n.
BINARY = ("RR", "OR", "RD")
#: Measures made from each arm's mean, SD and n.
CONTINUOUS = ("MD", "SMD")
#: Every measure an analysis may pool.
MEASURES = ("RR", "OR", "RD", "MD", "SMD", "HR", "IRR")
#: The ways of pooling: fixed effect, and random effects by DerSimonian–Laird, REML or Paule–Mandel.
METHODS = ("fixed", "dl", "reml", "pm")
