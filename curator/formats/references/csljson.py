"""Reading CSL-JSON (.json, as Zotero, Mendeley and Pandoc write it).

A CSL-JSON file is a list of items, each with a ``type`` and usually a
``title`` and ``author``. Mapping: ``author`` (``family, given`` with any
particle, or ``literal``); ``title``; ``container-title`` journal;
``issued`` year (``date-parts``, ``raw`` or ``literal``); ``volume``;
``issue``; ``page``; ``PMID``; ``PMCID``; ``DOI``; ``URL``. ``note`` is the
note; every other field (and a type other than a journal article) is
appended to it as ``field: value``. ``citation-key`` (else ``id``) is the
record's own citation key. Records are numbered from 1 in problems.
"""

from __future__ import annotations

import json
from typing import Any

from curator.errors import InputError
from curator.formats.references.fields import clean, note_from, parse_year, strip_doi
from curator.formats.references.model import Parsed, Problem
from curator.review import Reference

__all__ = ["read_csljson", "is_csl_items"]

_ARTICLE_TYPES = frozenset({"article-journal", "article"})
#: Python's JSON reader stops at about 1,000 levels of brackets; no CSL item needs more than 4.
_TOO_DEEP = "not a CSL-JSON file: its brackets are nested too deeply (more than about 1,000 levels)"


def is_csl_items(data: Any) -> bool:
    """True for a list of CSL items: dicts with a ``type`` and a ``title`` or ``author``.

    A ``curator/1`` exchange file is a dict with ``"format": "curator/1"``, so
    it is never taken for CSL-JSON.
    """
    if not isinstance(data, list) or not data:
        return False
    items = [x for x in data[:20] if isinstance(x, dict)]
    return bool(items) and all("type" in x and ("title" in x or "author" in x) for x in items)


def read_csljson(text: str, file: str) -> Parsed:
    """References and per-record problems of a CSL-JSON text."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg}", file=file, where=f"line {exc.lineno}") from exc
    except RecursionError:
        raise InputError(_TOO_DEEP, file=file) from None
    if not isinstance(data, list):
        raise InputError("a CSL-JSON file is a list of items", file=file)
    out = Parsed()
    for number, item in enumerate(data, 1):
        where = f"record {number}"
        try:
            ref = _map(item)
        except _Bad as exc:
            out.problems.append(Problem(file, where, str(exc)))
            continue
        except RecursionError:  # a value nested almost as deep as JSON allows, met while showing it
            out.problems.append(Problem(file, where, _TOO_DEEP))
            continue
        out.add(ref, where, file=file)
    return out


class _Bad(Exception):
    pass


def _str(item: dict[str, Any], name: str) -> str | None:
    value = item.pop(name, None)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _Bad(f"{name!r} should be text, not {json.dumps(value)[:40]}")
    return clean(value)


def _author(person: Any) -> str | None:
    if isinstance(person, str):
        return clean(person)
    if not isinstance(person, dict):
        raise _Bad(f"an author should be an object, not {json.dumps(person)[:40]}")
    if person.get("literal"):
        return clean(person["literal"])
    family = " ".join(str(p) for p in (person.get("non-dropping-particle"), person.get("family")) if p)
    given = " ".join(str(p) for p in (person.get("given"), person.get("dropping-particle")) if p)
    if person.get("suffix"):
        given = f"{given}, {person['suffix']}" if given else str(person["suffix"])
    if family and given:
        return clean(f"{family}, {given}")
    return clean(family or given)


def _year(issued: Any) -> int | None:
    if issued is None:
        return None
    if isinstance(issued, dict):
        parts = issued.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            return parse_year(str(parts[0][0]))
        return parse_year(issued.get("raw") or issued.get("literal"))
    return parse_year(issued)


def _map(raw: Any) -> Reference:
    if not isinstance(raw, dict):
        raise _Bad(f"an item should be an object, not {json.dumps(raw)[:40]}")
    item = dict(raw)
    authors = item.pop("author", [])
    if not isinstance(authors, list):
        raise _Bad("'author' should be a list of names")
    key = _str(item, "citation-key") or _str(item, "id") or ""
    item.pop("id", None)
    kind = _str(item, "type")
    issued = item.pop("issued", None)
    ref = Reference(
        key=key,
        title=_str(item, "title"),
        authors=[a for a in (_author(p) for p in authors) if a],
        journal=_str(item, "container-title"),
        volume=_str(item, "volume"),
        issue=_str(item, "issue"),
        pages=_str(item, "page"),
        year=_year(issued),
        pmid=_str(item, "PMID"),
        pmcid=_str(item, "PMCID"),
        doi=strip_doi(_str(item, "DOI")),
        url=_str(item, "URL"),
    )
    own = _str(item, "note")
    extra: list[tuple[str, str]] = []
    if kind and kind not in _ARTICLE_TYPES:
        extra.append(("type", kind))
    if ref.year is None and issued is not None:
        extra.append(("issued", json.dumps(issued, ensure_ascii=False)))
    for name, value in item.items():
        if name in ("container-title-short", "journalAbbreviation") and clean(value) == ref.journal:
            continue
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        extra.append((name, text.strip()))
    ref.note = note_from([own], extra)
    if not (ref.title or ref.authors or ref.doi or ref.pmid or ref.url):
        raise _Bad("the item has no title, author or identifier")
    return ref
