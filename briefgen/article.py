"""Article: a source's text (plain text, Markdown or a saved HTML page) read into its
metadata and its numbered paragraphs, by the one rule that quote checking and `draft` share.

The paragraph rule (documented in docs/input-format.md, "Paragraphs"):

- The text is cut into blocks: in plain text, the runs of lines between blank lines (a
  text without any blank line takes each line as a block) and, inside a block, each line
  that starts with a bullet (-, *, •) or a number ("1." or "1)"), as a list item; in
  Markdown, each paragraph, heading, list item and block quote paragraph (CommonMark); in an
  HTML page, the paragraphs, headings, list items and block quotes of its main text as
  trafilatura extracts it (navigation, cookie notices, comments and footers are dropped
  there). A block's lines are joined with spaces; a word hyphenated across a line break is
  joined.
- Blocks that are not the article's argument get no number: headings, rules, tables and
  code; link lines ("Read more", "See also", "Share this", ..., or only links); bylines
  ("By ...", at most 12 words) and datelines (only a date); and any other block of fewer
  than 20 words that does not end like a sentence (with . ! ? or an ellipsis, closing
  quotes or brackets allowed after it): titles, site banners, "Zeeshan Hayat |", captions.
  A list item of three words or more is exempt from that last test.
- The other blocks are the paragraphs, numbered from 1 in reading order.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from pathlib import Path

from .patterns import Lazy
from .records import dataclass

MAX_BYTES = 20 * 1024 * 1024
"""Largest article file read; a page saved from a browser is rarely over a few megabytes."""
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")


class ArticleError(Exception):
    """The article file cannot be read; the message says why, without a location."""


@dataclass(frozen=True)
class Paragraph:
    """One numbered paragraph of the article."""

    number: int
    text: str
    """The paragraph's text, cleaned (see `clean`)."""
    line: int = 0
    """The line of the article file where it starts; 0 for HTML (lines are not kept)."""


@dataclass(frozen=True)
class Block:
    """A block of the article before the paragraph rule: its text, kind and place."""

    text: str
    kind: str = "text"
    """text, heading, item (of a list), quote (a block quote) or skip (a rule, table, code)."""
    line: int = 0
    links_only: bool = False
    """Whether all its text is the text of links."""


@dataclass(frozen=True)
class Article:
    """An article read by the paragraph rule: its metadata and numbered paragraphs."""

    path: str
    format: str
    """text, markdown or html."""
    paragraphs: tuple[Paragraph, ...]
    title: str | None = None
    author: str | None = None
    publisher: str | None = None
    date: datetime.date | None = None
    url: str | None = None
    left_out: tuple[tuple[str, str], ...] = ()
    """The blocks that got no number, each with the reason, in reading order."""


# -- cleaning ------------------------------------------------------------------------------

_INVISIBLE = Lazy("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")  # soft hyphen, zero widths
_HYPHEN_BREAK = Lazy(r"(?<=[^\W\d_])[-\u2010][ \t]*\n\s*(?=[^\W\d_])")
_SPACE = Lazy(r"\s+")


def clean(text: str) -> str:
    """NFC, invisible characters removed, a word hyphenated at a line break joined, and
    every run of white space (line breaks and no-break spaces included) one space."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    text = _HYPHEN_BREAK.sub(lambda m: "" if text[m.end()].islower() else m.group(0), text)
    return _SPACE.sub(" ", text).strip()


# -- the rule ------------------------------------------------------------------------------

LINK_LINES = Lazy(
    r"^\W{0,3}(?:read more|read also|also read|read next|see also|more from|more on this|"
    r"related(?: articles| stories| reading| content| posts)?\s*:|related (?:articles|stories)|"
    r"recommended(?: reading| for you)?\s*:|continue reading|click here|subscribe|sign up|"
    r"follow us|share this|share on|share:|advertisement|sponsored|all rights reserved|"
    r"©|\(c\) \d|copyright\b)", re.IGNORECASE)
"""Openings of blocks that are site furniture: links to other pages, sharing, copyright."""
_BYLINE = Lazy(r"^(?:by|written by|words by|author:|authors:)\s+\S", re.IGNORECASE)
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_MONTH = r"(?:" + "|".join(m[:3] + f"(?:{m[3:]})?" if len(m) > 3 else m for m in _MONTHS) \
         + r"|sept)\.?"
_DATE = Lazy(
    r"\b(?:(?P<y1>\d{4})-(?P<m1>\d{2})-(?P<d1>\d{2})"
    r"|(?P<mon2>" + _MONTH + r")\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{4})"
    r"|(?P<d3>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon3>" + _MONTH + r"),?\s+(?P<y3>\d{4}))\b",
    re.IGNORECASE)
_DATE_WORDS = Lazy(r"\b(?:published|updated|posted|last|modified|on|at|am|pm|"
                         r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|\d{1,2}:\d{2}|"
                         r"gmt|utc|bst|cet|cest|eet|eest|msk|pkt|ist|est|edt|pst|pdt)\b"
                         r"|[|,.:;/\-–—·•()]", re.IGNORECASE)
_SENTENCE_END = Lazy(r"(?:[.!?…۔؟]|\.\.\.)[\"'”’»)\]]*$")
SHORT_WORDS = 20
"""A block under this many words that does not end like a sentence is not a paragraph."""


def skip_reason(block: Block) -> str | None:
    """Why a block gets no paragraph number, or None when it is a paragraph."""
    text = block.text
    words = len(text.split())
    if block.kind == "heading":
        return "heading"
    if block.kind == "skip" or not text:
        return "not text"
    if block.links_only:
        return "links"
    if LINK_LINES.match(text):
        return "link line"
    if words <= 12 and _BYLINE.match(text):
        return "byline"
    if words <= 12 and _is_dateline(text):
        return "dateline"
    if block.kind == "item" and words >= 3:
        return None
    if words < SHORT_WORDS and not _SENTENCE_END.search(text):
        return "no sentence"
    return None


def _is_dateline(text: str) -> bool:
    m = _DATE.search(text)
    return m is not None and not _DATE_WORDS.sub("", text[:m.start()] + text[m.end():]).strip()


def number(path: str, fmt: str, blocks: list[Block], meta: dict) -> Article:
    """Apply the paragraph rule to the blocks and read the metadata from the head."""
    paragraphs, left_out = [], []
    for block in blocks:
        text = clean(block.text)
        b = Block(text, block.kind, block.line, block.links_only)
        reason = skip_reason(b)
        if reason is None:
            paragraphs.append(Paragraph(len(paragraphs) + 1, text, block.line))
        elif text:
            left_out.append((text, reason))
    meta = {k: v for k, v in meta.items() if v}
    if fmt != "html":
        head = _head_metadata(blocks)
        meta = {**head, **meta}
    return Article(path, fmt, tuple(paragraphs), meta.get("title"), meta.get("author"),
                   meta.get("publisher"), meta.get("date"), meta.get("url"), tuple(left_out))


# -- metadata from the head of a text ------------------------------------------------------

_WELCOME = Lazy(r"^\W*welcome to (?:the (?=[A-Z]))?(?P<name>[^|]+?)\s*(?:[|!.]|$)",
                      re.IGNORECASE)
_NAME = Lazy(r"^[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|da|al|bin|and|&))"
                   r"{0,6}$")


def parse_date(text: str) -> datetime.date | None:
    """The first date written in a text (2025-01-18, January 18, 2025, 18 January 2025)."""
    m = _DATE.search(text)
    if m is None:
        return None
    try:
        if m["y1"]:
            return datetime.date(int(m["y1"]), int(m["m1"]), int(m["d1"]))
        month_name = (m["mon2"] or m["mon3"]).lower().rstrip(".")[:3]
        month = next(i for i, name in enumerate(_MONTHS, 1) if name.startswith(month_name))
        day, year = (m["d2"], m["y2"]) if m["mon2"] else (m["d3"], m["y3"])
        return datetime.date(int(year), month, int(day))
    except ValueError:
        return None


def _author_of(text: str) -> str | None:
    """The name in a byline: "By Jane Doe, Senior Fellow", "Zeeshan Hayat |"."""
    words = text.split()
    if len(words) > 12:
        return None
    m = _BYLINE.match(text)
    if m:
        name = text[m.end() - 1:]
    elif text.rstrip().endswith("|") and not text.lstrip().startswith("|"):
        name = text.rstrip().rstrip("|")
    else:
        return None
    name = re.split(r"\s*(?:,|\||\s[-–—]\s|\bon\b|\d)", name, maxsplit=1)[0].strip()
    return name if _NAME.match(name) else None


def _head_metadata(blocks: list[Block]) -> dict:
    """Title, author, publisher and date from the blocks before the first paragraph (and a
    copyright line anywhere) of a text or Markdown file."""
    meta: dict = {}
    for block in blocks:
        text = clean(block.text)
        reason = skip_reason(Block(text, block.kind, block.line, block.links_only))
        if reason is None:
            break
        if "date" not in meta and len(text.split()) <= 12 and parse_date(text):
            meta["date"] = parse_date(text)
        author = _author_of(text)
        if author and "author" not in meta:
            meta["author"] = author
            continue
        welcome = _WELCOME.match(text)
        if welcome and "publisher" not in meta:
            meta["publisher"] = welcome["name"].strip()
            continue
        if "title" not in meta and reason in ("heading", "no sentence") and \
                not block.links_only and "|" not in text and not _is_dateline(text) and \
                (block.kind == "heading" or len(text.split()) >= 3):
            meta["title"] = text
    if "publisher" not in meta:
        for block in blocks:
            m = re.match(r"^\W{0,3}(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}\s*)?(?P<name>"
                         r"[^.|]+?)\s*(?:[.|]|$)", clean(block.text), re.IGNORECASE)
            if m and m["name"] and len(m["name"].split()) <= 8:
                meta["publisher"] = m["name"]
                break
    return meta


# -- reading -------------------------------------------------------------------------------

def read_article(path: str | Path) -> Article:
    """Read an article file (format by its suffix, or HTML if it looks like a page)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise ArticleError(f"{path} is a folder, not an article file") from None
    except OSError as exc:
        raise ArticleError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:
        raise ArticleError(f"{path} is {len(data):,} bytes; an article may be at most "
                           f"{MAX_BYTES:,} bytes")
    suffix = path.suffix.lower()
    if suffix in (".pdf", ".doc", ".docx", ".odt", ".rtf", ".epub"):
        raise ArticleError(f"{path} is a {suffix[1:].upper()} file; briefgen reads an "
                           f"article as plain text, Markdown or a saved web page: save its "
                           f"text as .txt (or .md, .html) and name that")
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if suffix in HTML_SUFFIXES or (suffix not in MARKDOWN_SUFFIXES and
                                   head.startswith((b"<!doctype html", b"<html", b"<!--"))
                                   and b"<html" in data[:4096].lower()):
        blocks, meta = html_blocks(data, path)
        fmt = "html"
    else:
        text = _decode(data, path)
        if suffix in MARKDOWN_SUFFIXES:
            blocks, meta = markdown_blocks(text)
            fmt = "markdown"
        else:
            blocks, meta = text_blocks(text), {}
            fmt = "text"
    article = number(str(path), fmt, blocks, meta)
    if not article.paragraphs:
        raise ArticleError(f"{path} has no paragraph that briefgen can number (see "
                           f"'Paragraphs' in docs/input-format.md)")
    return article


def _decode(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ArticleError(f"{path} is not UTF-8 (byte 0x{data[exc.start]:02x} on line "
                           f"{line}); save it as UTF-8") from None


_BULLET = Lazy(r"^[ \t]*(?:[-*+•·▪‣◦]|\d{1,3}[.)])[ \t]+(?=\S)")


def text_blocks(text: str) -> list[Block]:
    """The blocks of a plain text: runs of lines between blank lines, bulleted lines as
    list items; each line a block when the text has no blank line at all."""
    lines = text.split("\n")
    filled = [i for i, line in enumerate(lines) if line.strip()]
    each_line = len(filled) > 1 and filled[-1] - filled[0] + 1 == len(filled)
    blocks: list[Block] = []
    current: list[str] = []
    start = kind = None

    def close():
        nonlocal current, start, kind
        if current:
            blocks.append(Block("\n".join(current), kind or "text", start))
        current, start, kind = [], None, None

    for number_, line in enumerate(lines, 1):
        if not line.strip():
            close()
            continue
        bullet = _BULLET.match(line)
        if bullet or each_line:
            close()
            if bullet:
                line, kind = line[bullet.end():], "item"
        if start is None:
            start = number_
        current.append(line)
    close()
    return blocks


def markdown_blocks(text: str) -> tuple[list[Block], dict]:
    """The blocks of a Markdown text (CommonMark, by markdown-it-py) and the metadata of
    its front matter (title, author, publisher or site, date, url)."""
    from markdown_it import MarkdownIt

    meta: dict = {}
    front = re.match(r"\A---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", text, re.DOTALL)
    if front:
        meta = _front_matter(front.group(1))
        text = "\n" * front.group(0).count("\n") + text[front.end():]
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    blocks: list[Block] = []
    items = quotes = tables = 0
    kind_next = None
    for i, token in enumerate(tokens):
        t = token.type
        if t == "list_item_open":
            items += 1
        elif t == "list_item_close":
            items -= 1
        elif t == "blockquote_open":
            quotes += 1
        elif t == "blockquote_close":
            quotes -= 1
        elif t == "table_open":
            tables += 1
            blocks.append(Block("(table)", "skip", token.map[0] + 1 if token.map else 0))
        elif t == "table_close":
            tables -= 1
        elif t == "heading_open":
            kind_next = "heading"
        elif t == "paragraph_open":
            kind_next = "item" if items else "quote" if quotes else "text"
        elif t == "inline" and kind_next and not tables:
            line = token.map[0] + 1 if token.map else 0
            body, links_only = _inline_text(token.children or [])
            blocks.append(Block(body, kind_next, line, links_only))
            kind_next = None
        elif t in ("hr", "code_block", "fence", "html_block"):
            blocks.append(Block("", "skip", token.map[0] + 1 if token.map else 0))
    return blocks, meta


def _inline_text(children) -> tuple[str, bool]:
    """The visible text of a Markdown inline token, and whether it is all link text."""
    parts, in_link, outside = [], 0, ""
    for child in children:
        t = child.type
        if t == "link_open":
            in_link += 1
        elif t == "link_close":
            in_link -= 1
        elif t in ("text", "code_inline"):
            parts.append(child.content)
            if not in_link:
                outside += child.content
        elif t in ("softbreak", "hardbreak"):
            parts.append("\n")
    text = "".join(parts)
    links_only = bool(text.strip()) and not re.sub(r"[\W_]", "", outside)
    return text, links_only


def _front_matter(source: str) -> dict:
    import yaml

    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError:
        return {}
    if not isinstance(data, dict):
        return {}
    meta: dict = {}
    for key, names in (("title", ("title",)), ("author", ("author", "authors", "byline")),
                       ("publisher", ("publisher", "site", "site_name", "source")),
                       ("url", ("url", "source_url", "link", "canonical"))):
        value = next((data[n] for n in names if data.get(n)), None)
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        if value is not None:
            meta[key] = clean(str(value))
    value = data.get("date") or data.get("published")
    if isinstance(value, datetime.datetime):
        meta["date"] = value.date()
    elif isinstance(value, datetime.date):
        meta["date"] = value
    elif value:
        meta["date"] = parse_date(str(value))
    return meta


def html_blocks(data: bytes, path: Path) -> tuple[list[Block], dict]:
    """The blocks of a web page's main text and its metadata, both extracted by
    trafilatura (imported only here: it takes a sixth of a second to import)."""
    import trafilatura
    from lxml import etree

    try:
        xml = trafilatura.extract(data, output_format="xml", include_comments=False,
                                  include_tables=False, include_links=True,
                                  include_images=False, with_metadata=True,
                                  deduplicate=False, favor_recall=True)
    except Exception as exc:  # trafilatura parses anything a browser saved; be safe
        raise ArticleError(f"cannot read the page {path}: {type(exc).__name__}: {exc}") \
            from None
    if not xml:
        raise ArticleError(f"{path}: no article text found in the page")
    root = etree.fromstring(xml.encode("utf-8"))
    main = root.find("main")
    blocks: list[Block] = []
    for element in (main if main is not None else root):
        _html_element(element, blocks, quoted=False)
    meta = {"title": root.get("title"), "author": _html_author(root.get("author")),
            "publisher": root.get("sitename"), "url": _http(root.get("url")),
            "date": parse_date(root.get("date") or "")}
    return blocks, {k: clean(v) if isinstance(v, str) else v for k, v in meta.items()}


def _html_element(element, blocks: list[Block], quoted: bool) -> None:
    tag = element.tag
    if tag == "head":
        blocks.append(Block(_xml_text(element), "heading"))
    elif tag == "p":
        blocks.append(Block(_xml_text(element), "quote" if quoted else "text",
                            links_only=_xml_links_only(element)))
    elif tag == "list":
        for item in element.iter("item"):
            blocks.append(Block(_xml_text(item, skip_lists=True), "item",
                                links_only=_xml_links_only(item)))
    elif tag == "quote":
        inner = [child for child in element if child.tag in ("p", "list", "quote")]
        if inner:
            for child in inner:
                _html_element(child, blocks, quoted=True)
        else:
            blocks.append(Block(_xml_text(element), "quote"))
    elif tag in ("table", "code", "graphic"):
        blocks.append(Block("", "skip"))
    elif isinstance(tag, str) and (element.text or "").strip():
        blocks.append(Block(_xml_text(element), "text"))


def _xml_text(element, skip_lists: bool = False) -> str:
    """An element's text, <lb/> as a line break (nested lists left to their own items)."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == "lb":
            parts.append("\n")
        elif not (skip_lists and child.tag == "list"):
            parts.append(_xml_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _xml_links_only(element) -> bool:
    """Whether all of an element's text is inside links (<ref>)."""
    def outside(e) -> str:
        return (e.text or "") + "".join((outside(c) if c.tag != "ref" else "") + (c.tail or "")
                                        for c in e)

    return bool(_xml_text(element).strip()) and not re.sub(r"[\W_]", "", outside(element))


def _html_author(value: str | None) -> str | None:
    if not value:
        return None
    names = [n.strip() for n in value.split(";") if n.strip()]
    return ", ".join(names) or None


def _http(url: str | None) -> str | None:
    return url if url and url.lower().startswith(("http://", "https://")) else None
