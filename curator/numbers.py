"""Numbers as a paper printed them.

A reported number keeps its text exactly as printed (``"42.60"``,
``"<0.001"``, ``"−1.5"``) together with what that text means: the parsed
value, the relation it was printed with, and the place of its last digit.
The place of the last digit is evidence: ``42.6`` stands for any true value
in [42.55, 42.65], and the rounding checks depend on it.

This is the one parser that every input path uses (exchange file, Excel,
GUI editors), so that a value is accepted or refused the same way
everywhere.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

__all__ = ["Reported", "NotANumber", "parse_reported", "reported_from_json"]

#: Relations a paper may print before a number, mapped to a canonical form.
_RELATIONS = {
    "<": "<",
    ">": ">",
    "≤": "<=",
    "≥": ">=",
    "<=": "<=",
    ">=": ">=",
    "=<": "<=",
    "=>": ">=",
    "=": "=",
}

#: Minus signs seen in papers: ASCII hyphen-minus, U+2212 MINUS SIGN,
#: U+2013 EN DASH (typesetters use it as a minus), U+FE63, U+FF0D.
_MINUS = "-\u2212\u2013\ufe63\uff0d"

_NUMBER = re.compile(
    r"""^\s*
    (?P<rel><=|>=|=<|=>|[<>≤≥=])?\s*
    (?P<sign>[+"""
    + re.escape(_MINUS)
    + r"""])?
    (?P<mant>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)
    (?:[eE](?P<exp>[+"""
    + re.escape(_MINUS)
    + r"""]?[0-9]+))?
    \s*$""",
    re.VERBOSE,
)


class NotANumber(ValueError):
    """The text is not a number as a paper prints one."""

    def __init__(self, text: str, whole: bool = False) -> None:
        self.text = text
        self.whole = whole
        kind = "a whole number" if whole else "a number"
        hint = ""
        stripped = text.strip()
        if stripped.endswith("%"):
            hint = ' (give the unit in "unit", not in the value)'
        elif "," in stripped and any(c.isdigit() for c in stripped):
            hint = " (write it without a thousands separator or decimal comma)"
        super().__init__(f"{_quote(text)} is not {kind}{hint}")


def _quote(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class Reported:
    """A number as printed, and what the print means.

    ``value`` is the printed number (exact, as a Decimal); ``relation`` is
    ``None`` or one of ``<``, ``<=``, ``>``, ``>=``, ``=``; ``exponent`` is
    the power of ten of the last printed digit (``42.60`` -> -2), so the
    rounding half-unit is ``5 * 10**(exponent - 1)``.
    """

    text: str
    value: Decimal
    relation: str | None
    exponent: int

    @property
    def decimals(self) -> int:
        """Number of printed decimals (negative for ``1.2e3``)."""
        return -self.exponent

    @property
    def half_unit(self) -> Decimal:
        return Decimal(5).scaleb(self.exponent - 1)

    @property
    def interval(self) -> tuple[Decimal, Decimal]:
        """The true values the print stands for, both ends included.

        For a relation the interval is the half-line it names, with an
        infinite end; whether the bound itself is included is
        :attr:`relation`'s business.
        """
        inf = Decimal("Infinity")
        if self.relation in ("<", "<="):
            return (-inf, self.value)
        if self.relation in (">", ">="):
            return (self.value, inf)
        return (self.value - self.half_unit, self.value + self.half_unit)

    @property
    def is_whole(self) -> bool:
        """True when printed as a whole number with no relation."""
        return self.relation is None and self.value == self.value.to_integral_value()

    def __float__(self) -> float:
        return float(self.value)

    def __str__(self) -> str:
        return self.text


def parse_reported(text: str, *, whole: bool = False) -> Reported:
    """Parse the printed text of a number; raise :class:`NotANumber`.

    ``whole`` only changes the wording of the error (for ``n`` and
    ``events``): fractions and relations are still loaded, since finding
    them is the job of the checks.
    """
    if not isinstance(text, str):
        raise TypeError(f"expected text, got {type(text).__name__}")
    m = _NUMBER.match(text)
    if m is None:
        raise NotANumber(text, whole)
    rel = _RELATIONS[m["rel"]] if m["rel"] else None
    mant = m["mant"]
    if mant.endswith("."):
        # "12." prints no decimals after the point: same precision as "12".
        mant = mant[:-1]
    exp = m["exp"] or "0"
    exp = exp.translate(_MINUS_TO_ASCII)
    try:
        value = Decimal(mant).scaleb(int(exp))
    except (InvalidOperation, ValueError, OverflowError):
        raise NotANumber(text, whole) from None
    if not value.is_finite() or not -300 <= value.adjusted() <= 300:
        # Beyond what a float (the stored parsed value) can hold: no paper
        # prints such a number, so it is a typo, not a finding.
        raise NotANumber(text, whole)
    sign = m["sign"]
    if sign and sign != "+":
        value = -value
    exponent = Decimal(mant).as_tuple().exponent
    assert isinstance(exponent, int)
    return Reported(text=text, value=value, relation=rel, exponent=exponent + int(exp))


_MINUS_TO_ASCII = str.maketrans({c: "-" for c in _MINUS})


def reported_from_json(raw: object, *, whole: bool = False) -> Reported:
    """A reported number from a JSON value: a string, or a JSON number.

    A JSON number takes the decimals of its shortest written form (``42.60``
    in JSON arrives as the float 42.6 and is kept as ``"42.6"``).
    Raises :class:`NotANumber` or :class:`TypeError` (wrong JSON type).
    """
    if isinstance(raw, bool) or raw is None:
        raise TypeError("not a number")
    if isinstance(raw, int):
        return parse_reported(str(raw), whole=whole)
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise NotANumber(repr(raw), whole)
        return parse_reported(repr(raw), whole=whole)
    if isinstance(raw, str):
        return parse_reported(raw, whole=whole)
    raise TypeError("not a number")
