"""What the words say: significance claims and what a p-value is versus."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from curator.checks.context import ReviewContext
from curator.checks.finding import Finding
from curator.checks.registry import rule
from curator.checks.rules.common import shown
from curator.checks.stats import p_span

__all__ = ["significance_claims", "long_words"]

_ALPHA = Decimal("0.05")

_SIGNIFICANT = re.compile(r"^(non-?|in)?significant(ly)?$", re.IGNORECASE)
_NEGATIONS = frozenset({"not", "no", "without", "non"})
_TOKEN = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")


def significance_claims(text: str) -> tuple[bool, bool]:
    """(affirms, negates): whether ``text`` calls a difference significant / not.

    A *significant* or *significantly* is negated by *not*, *no*, *without*
    or a word ending in *n't* among the three words before it, or by the
    prefixes *non-* and *in-* ("non-significant", "insignificant").
    """
    affirms = negates = False
    words = [w.casefold() for w in _TOKEN.findall(text)]
    for i, word in enumerate(words):
        # "non-significant" and "statistically-significant" arrive as one token.
        *prefixes, core = word.split("-")
        m = _SIGNIFICANT.match(core)
        if m is None:
            continue
        negated = bool(m.group(1)) or any(part in ("non", "in") for part in prefixes)
        if not negated:
            for before in words[max(0, i - 3) : i]:
                if before in _NEGATIONS or before.endswith("n't") or before.endswith("n’t"):
                    negated = True
                    break
        if negated:
            negates = True
        else:
            affirms = True
    return affirms, negates


@rule("significance-claim", "warning", "the finding's words about significance disagree with p")
def significance_claim(ctx: ReviewContext) -> Iterator[Finding]:
    for where in ctx.rows:
        row = where.row
        eff = row.effect
        if not row.finding or eff is None or eff.p is None:
            continue
        text = row.finding
        if "ignific" not in text.lower():  # fast path: most findings never say it
            continue
        affirms, negates = significance_claims(text)
        if affirms == negates:
            continue
        p = eff.p
        sp = p_span(p)  # a zero p is below half a unit (checks.md, rules added with 1.1)
        if affirms and sp.all_at_least(_ALPHA):
            msg = f"the finding calls the difference significant, but p {shown(p)} is not below 0.05"
        elif negates and sp.all_below(_ALPHA):
            msg = f"the finding calls the difference not significant, but p {shown(p)} is below 0.05"
        else:
            continue
        yield ctx.row_finding("significance-claim", where, "finding", msg, (text, p))


_LONG_WORD = re.compile(r"[^\W\d_]{4,}")


def long_words(text: str) -> list[str]:
    """The words of four letters or more, case-folded."""
    return [w.casefold() for w in _LONG_WORD.findall(text)]


@rule("versus-mismatch", "warning", "effect.versus names neither arm of the comparison")
def versus_mismatch(ctx: ReviewContext) -> Iterator[Finding]:
    labels: dict[int, str] = {}
    for where in ctx.rows:
        eff = where.row.effect
        if eff is None or not eff.versus:
            continue
        words = long_words(eff.versus)
        if not words:
            continue
        comp = where.comparison
        both = labels.get(where.comp_index)
        if both is None:
            both = labels[where.comp_index] = f"{comp.intervention}\x00{comp.comparator}".casefold()
        if any(w in both for w in words):
            continue
        what = f"p {shown(eff.p)}" if eff.p is not None and eff.value is None else "the estimate"
        yield ctx.row_finding(
            "versus-mismatch",
            where,
            "effect.versus",
            f"{what} is versus {eff.versus.strip()!r}, which is neither {comp.intervention!r} "
            f"nor {comp.comparator!r}: it may not be about this comparison",
            (eff.versus, comp.intervention, comp.comparator),
        )
