"""The validated brief: frozen dataclasses that the rest of briefgen trusts.

Each field's metadata (`spec`) says how it is written in YAML: the loader validates with
it and `briefgen schema` turns it into JSON Schema, so the two can never disagree.
"""

from __future__ import annotations

import datetime
from typing import Any

from .records import dataclass, field

PRIORITIES = ("high", "medium", "low")
SECTIONS = ("opportunities", "challenges", "recommendations")
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
LANG_PATTERN = (r"^(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})"  # language (extlang)
                r"(?:-[A-Za-z]{4})?"                                      # script
                r"(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"                         # region
                r"(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*"         # variants
                r"(?:-[0-9A-WYZa-wyz](?:-[A-Za-z0-9]{2,8})+)*"            # extensions
                r"(?:-[Xx](?:-[A-Za-z0-9]{1,8})+)?$"                      # private use
                r"|^[Xx](?:-[A-Za-z0-9]{1,8})+$")
"""A BCP 47 language tag (RFC 5646 syntax): en, ur, ur-PK, sr-Latn-RS, zh-Hant-TW."""


def spec(doc: str, kind: str = "text", *, required: bool = False, key: str | None = None,
         choices: tuple[str, ...] = (), of: Any = None, only: str | None = None,
         default: Any = None, min_items: int = 0) -> Any:
    """Declare a model field: its YAML kind, whether it is required, and its one-line doc.

    kind is one of text, inline (text with the Markdown subset), url, date, int, enum, slug,
    lang (a BCP 47 language tag), list (of `of`, a kind or a dataclass), object (the dataclass `of`) or evidence.
    `only` limits a field to items of one section (e.g. owner on recommendations).
    """
    meta = {"doc": doc, "kind": kind, "required": required, "key": key, "choices": choices,
            "of": of, "only": only, "min_items": min_items}
    if kind == "list":
        return field(default=(), metadata=meta)
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class Evidence:
    """A passage of the source that supports an item."""

    quote: str = spec("The supporting passage, quoted verbatim.", "inline", required=True)
    paragraph: int | None = spec("1-based paragraph of the source that holds the quote.", "int")
    page: int | None = spec("1-based page of the source that holds the quote.", "int")
    at: tuple[int, int] = field(default=(1, 1), metadata={"internal": True})
    """Line and column of the quote in the brief file, for located messages."""


@dataclass(frozen=True)
class Item:
    """An opportunity, a challenge or a recommendation."""

    title: str = spec("A short heading that states the point.", "inline", required=True)
    summary: str = spec("One or two sentences; printed as the item's one-liner.", "inline",
                        required=True)
    short: str | None = spec("One sentence printed after the title when a length shows the "
                             "item as a one-liner; without it, the summary's first sentence.",
                             "inline")
    id: str | None = spec("Slug unique across the brief, for `addresses` to refer to.", "slug")
    detail: str | None = spec("Longer text; blank lines separate paragraphs.", "inline")
    priority: str = spec("What is left out first when space is short: low, then medium.",
                         "enum", choices=PRIORITIES, default="medium")
    evidence: tuple[Evidence, ...] = spec("Passages of the source that support the item.",
                                          "list", of="evidence")
    tags: tuple[str, ...] = spec("Free keywords.", "list", of="text")
    owner: str | None = spec("Who should act.", "text", only="recommendations")
    timeframe: str | None = spec("By when, e.g. 6-12 months.", "text", only="recommendations")
    addresses: tuple[str, ...] = spec("Ids of the opportunities and challenges it answers.",
                                      "list", of="slug", only="recommendations")
    section: str = field(default="", metadata={"internal": True})
    index: int = field(default=0, metadata={"internal": True})
    at: tuple[int, int] = field(default=(1, 1), metadata={"internal": True})
    """Line and column of the item in the brief file, for located messages."""


@dataclass(frozen=True)
class Source:
    """The article that the brief summarizes."""

    title: str = spec("Title of the source article.", "text", required=True)
    author: str | None = spec("Author or authors.", "text")
    publisher: str | None = spec("Publication or publisher.", "text")
    date: datetime.date | None = spec("Publication date, YYYY-MM-DD.", "date")
    url: str | None = spec("Where the source can be read: an http:// or https:// address.",
                           "url")
    text: str | None = spec("The article's text (plain text, Markdown or a saved HTML page), "
                            "a path relative to the brief: evidence quotes are checked "
                            "against it and `paragraph` counts its paragraphs.", "text")
    at_text: tuple[int, int] = field(default=(1, 1), metadata={"internal": True})
    """Line and column of `text` in the brief file, for messages about the article."""


@dataclass(frozen=True)
class Prepared:
    """Who prepared the brief, for whom, when, and its marking."""

    by: str | None = spec("The author or desk that prepared the brief.", "text")
    for_: str | None = spec("The reader the brief is prepared for.", "text", key="for")
    date: datetime.date | None = spec("Date of the brief, YYYY-MM-DD.", "date")
    classification: str | None = spec("Marking printed at the top and bottom of every page.",
                                      "text")


@dataclass(frozen=True)
class Brief:
    """One validated brief: the structured summary of one source article."""

    title: str = spec("Title of the brief.", "inline", required=True)
    summary: str = spec("The bottom line, one to three sentences.", "inline", required=True)
    source: Source = spec("The article summarized.", "object", of=Source, required=True)
    briefgen: int = spec("Format version; 1.", "int", default=1)
    lang: str = spec("The brief's language, a BCP 47 tag such as en, ur or ru-RU: it picks "
                     "the labels, date format, text direction and the files' declared "
                     "language.", "lang", default="en")
    subtitle: str | None = spec("A line under the title.", "inline")
    key_points: tuple[str, ...] = spec("Two to five one-sentence messages.", "list", of="inline")
    context: str | None = spec("Background; blank lines separate paragraphs.", "inline")
    prepared: Prepared | None = spec("Who made the brief and for whom.", "object", of=Prepared)
    opportunities: tuple[Item, ...] = spec("What the reader can gain.", "list", of=Item)
    challenges: tuple[Item, ...] = spec("What stands in the way.", "list", of=Item)
    recommendations: tuple[Item, ...] = spec("What the reader should do.", "list", of=Item)
    extensions: tuple[tuple[str, Any], ...] = field(default=(), metadata={"internal": True})
    path: str = field(default="", metadata={"internal": True})

    @property
    def items(self) -> tuple[Item, ...]:
        """All items in document order: opportunities, challenges, recommendations."""
        return self.opportunities + self.challenges + self.recommendations

    def item_by_id(self, item_id: str) -> Item | None:
        """The item with that id, or None."""
        return next((i for i in self.items if i.id == item_id), None)


def yaml_key(f) -> str:
    """The key a dataclass field is written under in YAML."""
    return f.metadata.get("key") or f.name
