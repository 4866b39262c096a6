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
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

__all__ = ["Reported", "NotANumber", "parse_reported", "reported_from_json", "NR_TEXT"]

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
    + r"""])?\s*
    (?P<mant>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)
    (?:[eE](?P<exp>[+"""
    + re.escape(_MINUS)
    + r"""]?[0-9]+))?
    \s*$""",
    re.VERBOSE,
)


#: A middle dot between digits is a decimal point, as the Lancet prints it
#: (U+00B7; U+2219 is how it often arrives when copied from a PDF).
_MIDDLE_DOT = re.compile(r"(?<=[0-9])[\u00b7\u2219](?=[0-9])")

#: Digits grouped in threes by a comma, a space, a thin or no-break space:
#: one whole number (``3,145``, ``10 096``), read so only in reported integers.
_GROUPED = re.compile(
    r"^(\s*(?:<=|>=|=<|=>|[<>≤≥=])?\s*[+" + re.escape(_MINUS) + r"]?\s*)"
    r"([0-9]{1,3}(?:[, \u2009\u202f\u00a0][0-9]{3})+)(\s*)$"
)
_GROUP_SEPARATORS = str.maketrans("", "", ", \u2009\u202f\u00a0")

#: A plain number (``42.60``, ``-3``): digits, a decimal point with digits after it, an ASCII minus;
#: at most 27 digits, so no context rounding applies (the full reading gives the same Reported).
_PLAIN = re.compile(r"-?([0-9]{1,15}(?:\.([0-9]{1,12}))?)\Z")

#: "Not reported": the reviewer looked and the source does not give it.
NR_TEXT = "nr"
#: The value of every ``NR`` (a NaN; :attr:`Reported.not_reported` is the test
#: to use, and :meth:`Reported.__eq__` makes two ``NR`` of one print equal).
_NOT_REPORTED = Decimal("NaN")


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
            if whole:
                hint = " (digits may be grouped in threes, as in 3,145; a decimal comma is not read)"
            else:
                hint = " (write it without a thousands separator or decimal comma)"
        super().__init__(f"{_quote(text)} is not {kind}{hint}")


def _quote(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


@dataclass(frozen=True, slots=True, eq=False)
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
    #: The value as a float (what the database keeps beside the text), None for ``NR``: made once, as
    #: a review's numbers are read once and shared (a bulk import stores hundreds of thousands).
    number: float | None = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "number", None if self.value.is_nan() else float(self.value))

    @property
    def not_reported(self) -> bool:
        """True for ``NR``: the source does not report it (rules treat it as absent)."""
        return self.value.is_nan()

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

    def _key(self) -> tuple[str, str | Decimal, str | None, int]:
        # NaN is never equal to itself; two NR of the same text are the same print.
        return (self.text, "NR" if self.value.is_nan() else self.value, self.relation, self.exponent)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Reported):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __float__(self) -> float:
        return float(self.value)

    def __str__(self) -> str:
        return self.text


def parse_reported(text: str, *, whole: bool = False) -> Reported:
    """Parse the printed text of a number; raise :class:`NotANumber`.

    Besides the plain forms, a paper's printed forms are read (the text is
    kept as printed): a middle dot between digits as the decimal point
    (``0·55``), a minus as a hyphen, U+2212 or an en dash, separated from
    its digits by a space or not (``− 4.6``), and ``NR`` (any case): *not
    reported*, a :class:`Reported` whose :attr:`~Reported.not_reported` is
    true and whose value is NaN.

    ``whole`` marks a reported integer (``n``, ``events``, ``integer_items``):
    there digits grouped in threes by a comma or a space are one number
    (``3,145``, ``10 096``); elsewhere a comma stays refused, since ``1,234``
    could be a decimal comma. Otherwise ``whole`` only changes the wording of
    the error: fractions and relations are still loaded, since finding them
    is the job of the checks.
    """
    if not isinstance(text, str):
        raise TypeError(f"expected text, got {type(text).__name__}")
    plain_match = _PLAIN.match(text)
    if plain_match is not None:
        # Most printed numbers are plain digits with or without decimals (``42.6``, ``-3``): read
        # them without the forms below (a bulk import reads hundreds of thousands).
        fraction = plain_match[2]
        digits = Decimal(plain_match[1])
        return Reported(
            text=text,
            value=-digits if text[0] == "-" else digits,
            relation=None,
            exponent=-len(fraction) if fraction else 0,
        )
    return _parse_printed(text, whole)


def _parse_printed(text: str, whole: bool) -> Reported:
    """:func:`parse_reported` of every form (the plain one included)."""
    if text.strip().casefold() == NR_TEXT:
        return Reported(text=text, value=_NOT_REPORTED, relation=None, exponent=0)
    plain = _MIDDLE_DOT.sub(".", text)
    if whole:
        plain = _GROUPED.sub(lambda g: g[1] + g[2].translate(_GROUP_SEPARATORS) + g[3], plain)
    m = _NUMBER.match(plain)
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
