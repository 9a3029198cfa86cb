"""The rules every label set follows, a template's and a language's alike: which labels
there are, what kind of value each takes, and the check that reports what is wrong with a
set (templates report it at the template's lines, `labels` at the label file's)."""

from __future__ import annotations

import re
import string
from typing import Any

LABELS: dict[str, tuple[str, bool]] = {
    "bottom_line": ("text", True),
    "key_points": ("text", True),
    "context": ("text", True),
    "opportunities": ("text", True),
    "challenges": ("text", True),
    "recommendations": ("text", True),
    "recommendation_details": ("text", True),
    "source": ("text", True),
    "prepared_for": ("text", True),
    "prepared_by": ("text", True),
    "addresses": ("text", True),
    "owner": ("text", True),
    "timeframe": ("text", True),
    "priority": ("priorities", True),
    "table_header": ("columns", True),
    "memo_for": ("text", True),
    "memo_from": ("text", True),
    "memo_date": ("text", True),
    "memo_subject": ("text", True),
    "decision": ("text", True),
    "evidence": ("text", False),
    "title_text": ("text", False),
    "shortened": ("note", False),
    "more_opportunities": ("text", False),
    "more_challenges": ("text", False),
    "priority_lead": ("phrase", False),
    "priority_note": ("phrase", False),
    "lengths": ("lengths", False),
    "more_items": ("count", False),
    "omitted": ("omitted", False),
    "page_x_of_y": ("pages", False),
    "paragraph_ref": ("count", False),
    "page_ref": ("count", False),
    "quotes": ("pair", False),
    "full_stop": ("text", False),
    "colon": ("text", False),
    "comma": ("text", False),
    "list_and": ("text", False),
    "recommendations_described": ("described", False),
    "columns_caption": ("two", False),
    "columns_described": ("two", False),
    "bottom_line_described": ("text", False),
    "key_points_described": ("text", False),
    "book_contents": ("text", False),
    "book_columns": ("book_columns", False),
    "book_briefs": ("count", False),
    "book_pages": ("count", False),
    "book_footer": ("book_footer", False),
}
"""Every word a template prints: label key -> (kind, required). Kinds: `text`; `priorities`
(a mapping with the words for high, medium and low); `columns` (the five headers of the
recommendations table); `note` (text with the placeholders {length} and {more}); `phrase`
(text with {priority}, or a mapping with a whole phrase for high, medium and low); `count`
(text with {n}, or a mapping of CLDR plural categories to such texts, `other` required);
`lengths` (the names of one-page, two-page and full, and `pages`, a count); `omitted` (the
words for what a shortened brief leaves out); `pages` (text with {page} and {pages}); `pair`
(an opening and a closing quote mark); `described` (text with {columns}: a table's
description, for readers who do not see it) and `two` (text with {left} and {right}, the
side-by-side table's two lists); for briefing books, `book_columns` (the four headers of
the contents) and `book_footer` (text with {brief}, {page}, {pages} and {book_page}). One
table for every label set, so a set for another
language (templates/labels/) is checked by the same rules. Optional labels default to the
built-in set of the brief's language."""
LABEL_PRIORITIES = ("high", "medium", "low")
NOTE_PLACEHOLDERS = ("length", "more")
PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")
LENGTH_NAMES = ("one-page", "two-page", "full", "pages")
OMITTED = ("key_points", "context", "summaries", "detail", "evidence", "owners")
_KIND_PLACEHOLDERS = {"note": NOTE_PLACEHOLDERS, "phrase": ("priority",), "count": ("n",),
                      "pages": ("page", "pages"), "text": (), "described": ("columns",),
                      "two": ("left", "right"),
                      "book_footer": ("brief", "page", "pages", "book_page")}


_HEADERS = {"columns": ("five", "#, recommendation, owner, timeframe, priority"),
            "book_columns": ("four", "brief, title, length, page")}
"""Kinds that are a table's headers: how many, and what each is."""


def label_problems(labels: dict, required: bool = True) -> list[tuple[tuple, str, bool]]:
    """What is wrong with a set of labels, by the LABELS table: (path under the set,
    message, located at the key rather than the value). `required=False` for a set that
    only changes some labels (a template's labels for one language)."""
    from .templates import _kind, _suggest

    problems: list[tuple[tuple, str, bool]] = []

    def text(path: tuple, value: Any, kind: str) -> None:
        if not isinstance(value, str):
            problems.append((path, f"expected text, found {_kind(value)}", False))
            return
        if kind == "text":
            return
        known = _KIND_PLACEHOLDERS[kind]
        try:
            names = [n for _, n, _, _ in string.Formatter().parse(value) if n is not None]
        except ValueError as exc:
            problems.append((path, f"bad braces in '{value}': {exc}; write {{{{ and }}}} for "
                                   f"literal braces", False))
            return
        for name in names:
            if name not in known:
                problems.append((path, f"unknown placeholder '{{{name}}}'; known: "
                                 + ", ".join("{" + n + "}" for n in known), False))

    def mapping(path: tuple, value: Any, keys: tuple[str, ...], what: str, each,
                needed: tuple[str, ...], noun: str = "key") -> None:
        if not isinstance(value, dict):
            problems.append((path, f"expected a mapping with {what}, found {_kind(value)}",
                             False))
            return
        for word, item in value.items():
            if word not in keys:
                problems.append((path + (word,), f"unknown {noun} '{word}'"
                                 + _suggest(word, keys), True))
            else:
                each(path + (word,), item)
        for word in needed:
            if word not in value:
                problems.append((path, f"the word for {noun} '{word}' is missing"
                                 if noun == "priority" else f"'{word}' is missing", False))

    def count(path: tuple, value: Any) -> None:
        if isinstance(value, dict):
            mapping(path, value, PLURAL_CATEGORIES, "a text per plural category (one, few, "
                    "many, other...)", lambda p, v: text(p, v, "count"), ("other",))
        else:
            text(path, value, "count")

    for key, value in labels.items():
        if key not in LABELS:
            problems.append(((key,), f"unknown label '{key}'" + _suggest(key, tuple(LABELS)),
                             True))
            continue
        kind = LABELS[key][0]
        path = (key,)
        if kind in ("text", "note", "pages", "described", "two", "book_footer"):
            text(path, value, kind)
        elif kind == "priorities":
            mapping(path, value, LABEL_PRIORITIES, "the words for high, medium and low",
                    lambda p, v: text(p, v, "text"), LABEL_PRIORITIES, "priority")
        elif kind == "phrase":
            if isinstance(value, dict):
                mapping(path, value, LABEL_PRIORITIES, "a phrase for high, medium and low",
                        lambda p, v: text(p, v, "text"), LABEL_PRIORITIES, "priority")
            else:
                text(path, value, "phrase")
        elif kind == "count":
            count(path, value)
        elif kind == "lengths":
            mapping(path, value, LENGTH_NAMES, "the names of one-page, two-page, full and "
                    "pages", lambda p, v: count(p, v) if p[-1] == "pages"
                    else text(p, v, "text"), LENGTH_NAMES)
        elif kind == "omitted":
            mapping(path, value, OMITTED, "the words for " + ", ".join(OMITTED),
                    lambda p, v: text(p, v, "text"), OMITTED)
        elif kind == "pair":
            if not isinstance(value, list) or len(value) != 2:
                problems.append((path, "expected a list of two marks, the opening and the "
                                       f"closing one; found {_kind(value)}", False))
            else:
                for i, mark in enumerate(value):
                    text(path + (i,), mark, "text")
        elif kind in _HEADERS:
            how_many, names = _HEADERS[kind]
            if not isinstance(value, list) or len(value) != len(names.split(", ")):
                problems.append((path, f"expected a list of {how_many} headers: {names}; found "
                                       f"{_kind(value)}"
                                 + (f" of {len(value)}" if isinstance(value, list) else ""),
                                 False))
                continue
            for i, header in enumerate(value):
                text(path + (i,), header, "text")
    if required:
        for key, (_, needed) in LABELS.items():
            if needed and key not in labels:
                problems.append(((), f"label '{key}' is missing (inherit it with parent:)",
                                 False))
    return problems


LANGUAGE_KEY = re.compile(r"^[a-z]{2,3}$")
"""A key of `labels:` that names a language (its primary subtag) rather than a label."""
