"""Super- and subscripts in reference fields as Unicode characters, for every reader that meets them.

A BibTeX title's ``mm$^2$`` or ``5\\textsuperscript{th}`` (:mod:`.latex`) and a
CSL-JSON title's ``mm<sup>2</sup>`` or ``5<sup>th</sup>`` (:mod:`.csljson`) are the
same title: :func:`raised` gives both the same text, ``mm²`` and ``5ᵗʰ``. Digits,
``+ - − = ( )`` and the letters Unicode has a script form of are raised or
lowered; a text with any other character has no script form (None), and each
reader says it its own way (LaTeX visibly as ``^{...}``, CSL as plain text).

The characters come from the Unicode character names (``SUPERSCRIPT TWO``,
``MODIFIER LETTER SMALL K``, ``LATIN SUBSCRIPT SMALL LETTER A``), not a
hand-written table. No LaTeX decoder is loaded here: reading CSL-JSON needs none.
"""

from __future__ import annotations

import unicodedata
from functools import cache

__all__ = ["raised"]

_SIGNS = {
    "+": "PLUS SIGN",
    "-": "MINUS",
    "−": "MINUS",
    "=": "EQUALS SIGN",
    "(": "LEFT PARENTHESIS",
    ")": "RIGHT PARENTHESIS",
}


def _script_names(kind: str, char: str) -> list[str]:
    """The Unicode names the script form of ``char`` may have (``SUPERSCRIPT TWO``...)."""
    up = kind == "^"
    if char in _SIGNS or (char.isascii() and char.isdigit()):
        name = _SIGNS.get(char) or unicodedata.name(char).removeprefix("DIGIT ")
        return [f"{'SUPERSCRIPT' if up else 'SUBSCRIPT'} {name}"]
    if not (char.isascii() and char.isalpha()):
        return []
    letter = char.upper()
    if char.isupper():
        return [f"MODIFIER LETTER CAPITAL {letter}"] if up else []
    if up:
        return [f"MODIFIER LETTER SMALL {letter}", f"SUPERSCRIPT LATIN SMALL LETTER {letter}"]
    return [f"LATIN SUBSCRIPT SMALL LETTER {letter}"]


@cache
def _script_char(kind: str, char: str) -> str | None:
    """The superscript (``kind`` ``^``) or subscript (``_``) form of one character, if Unicode has one."""
    for name in _script_names(kind, char):
        try:
            found = unicodedata.lookup(name)
        except KeyError:
            continue
        if ord(found) < 0x10000:  # not the supplementary planes' new letters, which few fonts have
            return found
    return None


def raised(kind: str, text: str) -> str | None:
    """``text`` (its ends' spaces dropped) raised (``kind`` ``^``) or lowered (``_``) in Unicode script
    characters; None when a character of it has no script form (``""`` for no text)."""
    chars = [_script_char(kind, c) for c in text.strip()]
    if not all(chars):
        return None
    return "".join(c for c in chars if c)
