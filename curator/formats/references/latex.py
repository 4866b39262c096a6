"""LaTeX in reference fields, as text: pylatexenc's decoder, told what BibTeX files hold.

pylatexenc's :class:`LatexNodes2Text` decodes accents (``{\\"o}`` is ö), dashes
(``--`` is an en dash), Greek letters and symbols in math (``$\\mu$`` is μ), and
drops protective braces. Left to itself it also drops what it does not know
(``\\mbox{$\\mu$}`` gave nothing, ``\\hyphen`` vanished) and leaves scripts raw
(``$^2$``). :func:`latex_to_text` adds:

- ``\\mbox``, ``\\hbox``, ``\\text`` and the ``\\textrm``-like font switches give their content;
  ``\\hyphen`` is a hyphen; ``\\url{...}`` its address;
- super- and subscripts in math, and ``\\textsuperscript``/``\\textsubscript``, become the
  Unicode superscript or subscript characters when every character has one (``mm$^2$`` is
  mm², ``H$_2$O`` is H₂O, ``\\({}^{\\mbox{k}}\\)`` is ᵏ); otherwise they stay visible as
  ``^{...}``;
- a bare ``%`` is a percent sign, not a comment that would drop the rest of the line;
- a macro pylatexenc does not know stays as written (``\\foo{bar}`` is ``\\foo{bar}``):
  nothing is dropped silently.

The script characters are :mod:`.scripts`' (from the Unicode character names), the
same as a CSL-JSON title's ``<sup>``/``<sub>`` get.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from pylatexenc import latexwalker, macrospec
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from curator.formats.references.scripts import raised

__all__ = ["latex_to_text", "script"]

_BARE_PERCENT = re.compile(r"(?<!\\)%")


def script(kind: str, text: str) -> str:
    """``text`` raised (``kind`` ``^``) or lowered (``_``): Unicode script characters when all
    have one (:func:`~curator.formats.references.scripts.raised`, as CSL-JSON's), else visibly
    ``^{text}`` (or ``^x`` for one character)."""
    text = text.strip()
    shifted = raised(kind, text)
    if shifted is not None:
        return shifted
    return f"{kind}{text}" if len(text) == 1 else f"{kind}{{{text}}}"


def _script_macro(kind: str) -> Any:
    def repl(n: Any, l2tobj: LatexNodes2Text) -> str:
        args = n.nodeargd.argnlist if n.nodeargd else []
        return script(kind, "".join(l2tobj._groupnodecontents_to_text(a) for a in args if a is not None))

    return repl


#: biblatex's markup macros, their content as text.
_CONTENT = ("mkbibemph", "mkbibitalic", "mkbibbold", "mkbibacro", "textsc", "textsl", "textmd")
_QUOTES = ("enquote", "mkbibquote")
#: Font switches (``{\\sc CONNIVER}``): a look, not a character.
_SWITCHES = (
    "sc",
    "bf",
    "it",
    "em",
    "rm",
    "tt",
    "sl",
    "sf",
    "scshape",
    "bfseries",
    "itshape",
    "upshape",
    "mdseries",
    "normalfont",
    "slshape",
    "sffamily",
    "ttfamily",
    "rmfamily",
)


class _Decoder(LatexNodes2Text):  # type: ignore[misc]
    """pylatexenc's decoder keeping unknown macros and turning scripts into Unicode."""

    def __init__(self) -> None:
        db = get_default_latex_context_db()
        db.add_context_category(
            "curator-bibtex",
            prepend=True,
            macros=[
                MacroTextSpec("url", simplify_repl="%s"),  # the address, without <...>
                MacroTextSpec("href", simplify_repl="%(2)s"),  # the link's text
                MacroTextSpec("textgreater", simplify_repl=">"),
                MacroTextSpec("textless", simplify_repl="<"),
                MacroTextSpec("newblock", simplify_repl=""),
                MacroTextSpec("hyphen", simplify_repl="-"),
                MacroTextSpec("slash", simplify_repl="/"),
                MacroTextSpec("/", simplify_repl=""),  # italic correction: a space, not a character
                MacroTextSpec("relax", simplify_repl=""),
                MacroTextSpec("protect", simplify_repl=""),
                *(MacroTextSpec(name, simplify_repl=name) for name in ("TeX", "LaTeX", "BibTeX")),
                *(
                    MacroTextSpec(name, discard=False)
                    for name in ("mbox", "hbox", "text", "textrm", "textnormal", "textup", "textsf")
                ),
                *(MacroTextSpec(name, simplify_repl="%s") for name in _CONTENT),
                *(MacroTextSpec(name, simplify_repl="“%s”") for name in _QUOTES),
                *(MacroTextSpec(name, simplify_repl="") for name in _SWITCHES),
                MacroTextSpec("textsuperscript", simplify_repl=_script_macro("^")),
                MacroTextSpec("textsubscript", simplify_repl=_script_macro("_")),
            ],
        )
        super().__init__(latex_context=db, math_mode="text", keep_braced_groups=False)
        self._after_unknown = False
        #: What the parser must know to give these macros their argument.
        self.walker_context = latexwalker.get_default_latex_context_db()
        self.walker_context.add_context_category(
            "curator-bibtex",
            prepend=True,
            macros=[
                macrospec.MacroSpec("href", "{{"),
                *(macrospec.MacroSpec(n, "{") for n in ("textsuperscript", "textsubscript", *_CONTENT, *_QUOTES)),
            ],
        )

    def node_to_text(self, node: Any, prev_node_hint: Any = None, textcol: int = 0) -> str:
        keep = self._after_unknown and node is not None and node.isNodeType(latexwalker.LatexGroupNode)
        self._after_unknown = False
        if keep:  # the braced argument of a macro kept as written
            text = "{" + str(self._groupnodecontents_to_text(node)) + "}"
            self._after_unknown = True
            return text
        return str(super().node_to_text(node, prev_node_hint, textcol))

    def macro_node_to_text(self, node: Any) -> str:
        if self.latex_context.get_macro_spec(node.macroname) is None:
            text = str(node.latex_verbatim())
            self._after_unknown = True
            return text
        return str(super().macro_node_to_text(node))

    def math_node_to_text(self, node: Any) -> str:
        out: list[str] = []
        pending = ""
        for child in node.nodelist:
            if child.isNodeType(latexwalker.LatexCharsNode):
                for char in child.chars:
                    if pending and not char.isspace():
                        out.append(script(pending, char))
                        pending = ""
                    elif char in "^_":
                        pending = char
                    elif not pending:
                        out.append(char)
                continue
            text = self.node_to_text(child)
            if pending:
                out.append(script(pending, text))
                pending = ""
            else:
                out.append(text)
        out.append(pending)
        return "".join(out).strip()


@cache
def _decoder() -> _Decoder:
    return _Decoder()


def latex_to_text(latex: str) -> str:
    """The text of a BibTeX field's LaTeX (see the module's description).

    A bare ``%`` is a percent sign (``cream 1% in children``), not LaTeX's comment, which
    would drop the rest of the line: BibTeX itself does not read comments inside a value.
    """
    decoder = _decoder()
    decoder._after_unknown = False
    latex = _BARE_PERCENT.sub(r"\\%", latex)
    return str(decoder.latex_to_text(latex, latex_context=decoder.walker_context))
