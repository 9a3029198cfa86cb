"""The document tree: layout-neutral nodes that the builder makes and every renderer reads.

No python-docx and no reportlab here. `dump()` gives a canonical text form that snapshot
tests compare.
"""

from __future__ import annotations

import datetime
import os

from .records import dataclass, field

FIXED_MOMENT = datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc)
"""The document date of a brief without a prepared date or SOURCE_DATE_EPOCH."""


@dataclass(frozen=True)
class Run:
    """A stretch of text with one formatting."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None

    def dump(self) -> str:
        """Markdown-like form: **bold**, _italic_, [text](url)."""
        s = self.text
        if self.italic:
            s = f"_{s}_"
        if self.bold:
            s = f"**{s}**"
        return f"[{s}]({self.href})" if self.href else s


Runs = tuple[Run, ...]


def dump_runs(runs: Runs) -> str:
    """The canonical text of a sequence of runs."""
    return "".join(r.dump() for r in runs)


@dataclass(frozen=True)
class TitleBlock:
    """Title, optional subtitle and the prepared-for/by/date lines."""

    title: Runs
    subtitle: Runs = ()
    meta: tuple[str, ...] = ()

    def dump(self) -> list[str]:
        """Canonical lines."""
        out = [f"title: {dump_runs(self.title)}"]
        if self.subtitle:
            out.append(f"subtitle: {dump_runs(self.subtitle)}")
        out += [f"meta: {m}" for m in self.meta]
        return out


@dataclass(frozen=True)
class Heading:
    """A section (level 1) or item (level 2) heading; each is a bookmark in the PDF."""

    text: str
    level: int = 1
    tag: str = ""

    def dump(self) -> list[str]:
        """Canonical lines."""
        suffix = f"  [{self.tag}]" if self.tag else ""
        return [f"{'#' * self.level} {self.text}{suffix}"]


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of runs in a named template style (body, quote, source, note...)."""

    runs: Runs
    style: str = "body"

    def dump(self) -> list[str]:
        """Canonical lines."""
        return [f"para[{self.style}]: {dump_runs(self.runs)}"]


@dataclass(frozen=True)
class BulletList:
    """Unordered items, each a run sequence."""

    items: tuple[Runs, ...]

    def dump(self) -> list[str]:
        """Canonical lines."""
        return [f"- {dump_runs(i)}" for i in self.items]


@dataclass(frozen=True)
class NumberedList:
    """Ordered items, numbered from `start` (each list starts afresh unless told)."""

    items: tuple[Runs, ...]
    start: int = 1

    def dump(self) -> list[str]:
        """Canonical lines."""
        return [f"{n}. {dump_runs(i)}" for n, i in enumerate(self.items, self.start)]


@dataclass(frozen=True)
class Callout:
    """A shaded box with a label, such as the bottom line."""

    label: str
    paragraphs: tuple[Runs, ...]
    bullets: bool = False
    description: str = ""
    """What the box holds, for a reader who does not see it (the DOCX draws the box as a
    table, whose caption is the label)."""

    def dump(self) -> list[str]:
        """Canonical lines."""
        mark = "- " if self.bullets else ""
        return [f"box: {self.label}"] + [f"  | {mark}{dump_runs(p)}" for p in self.paragraphs]


@dataclass(frozen=True)
class MemoBlock:
    """The MEMORANDUM FOR / FROM / DATE / SUBJECT lines of a memo: label and value rows."""

    rows: tuple[tuple[str, Runs], ...]

    def dump(self) -> list[str]:
        """Canonical lines."""
        return [f"memo: {label}: {dump_runs(value)}" for label, value in self.rows]


@dataclass(frozen=True)
class ColumnsTable:
    """Two lists side by side (opportunities and challenges as one-liners), a pair per row;
    the headings row repeats on a new page."""

    headers: tuple[str, str]
    rows: tuple[tuple[Runs, Runs], ...]
    caption: str = ""
    """The table's name, for a reader who does not see it (DOCX tblCaption)."""
    description: str = ""
    """What its rows and columns hold (DOCX tblDescription)."""

    def dump(self) -> list[str]:
        """Canonical lines."""
        return [f"columns: {self.headers[0]} | {self.headers[1]}",
                f"  caption: {self.caption} | {self.description}"] + [
            f"  - {dump_runs(a) or '.'} | {dump_runs(b) or '.'}" for a, b in self.rows]


@dataclass(frozen=True)
class TableRow:
    """One recommendation in the table."""

    cells: tuple[Runs, ...]

    def dump(self) -> str:
        """Canonical line."""
        return " | ".join(dump_runs(c) for c in self.cells)


@dataclass(frozen=True)
class RecommendationTable:
    """The recommendations as a table: a repeating header row and rows that never split."""

    header: tuple[str, ...]
    rows: tuple[TableRow, ...]
    widths: tuple[float, ...] = ()
    caption: str = ""
    """The table's name, for a reader who does not see it (DOCX tblCaption)."""
    description: str = ""
    """What its rows and columns hold (DOCX tblDescription)."""

    def dump(self) -> list[str]:
        """Canonical lines."""
        return ["table: " + " | ".join(self.header),
                f"  caption: {self.caption} | {self.description}"] + [
            f"  row: {r.dump()}" for r in self.rows]


@dataclass(frozen=True)
class SourceReference:
    """The reference to the summarized article; never left out."""

    label: str
    runs: Runs

    def dump(self) -> list[str]:
        """Canonical lines."""
        return [f"source[{self.label}]: {dump_runs(self.runs)}"]


@dataclass(frozen=True)
class Gap:
    """Room between two boxes or tables that would otherwise touch (Word merges adjacent
    tables, so the DOCX needs a paragraph there anyway)."""

    def dump(self) -> list[str]:
        """Canonical lines."""
        return ["gap"]


def _texts(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, Run):
        yield value.text
    elif isinstance(value, tuple):
        for v in value:
            yield from _texts(v)
    elif hasattr(value, "__dataclass_fields__"):
        for v in vars(value).values():
            yield from _texts(v)


BOXES = (Callout, RecommendationTable, ColumnsTable)
"""Blocks drawn as boxes or tables."""


def keeps_previous(block) -> bool:
    """Whether the block before this one stays on its page (its last paragraph, or its
    last table row): the source reference never stands alone on a page, and a decision
    line never leaves its recommendation."""
    return isinstance(block, SourceReference) or (
        isinstance(block, Paragraph) and block.style == "decision")

Block = Gap | TitleBlock | Heading | Paragraph | BulletList | NumberedList | Callout | \
    RecommendationTable | SourceReference | MemoBlock | ColumnsTable


@dataclass(frozen=True)
class Figure:
    """An image with its alternative text, printed as page furniture (a logo, a crest) and
    read once, where it first appears."""

    path: str
    alt: str

    def dump(self) -> list[str]:
        """Canonical lines."""
        return [f"figure: {self.alt}"]


@dataclass(frozen=True)
class Marking:
    """The classification marking: printed on every page as page furniture, read once at
    the start of the document."""

    text: str

    def dump(self) -> list[str]:
        """Canonical lines."""
        return [f"marking: {self.text}"]


Front = Figure | Marking
"""What the page furniture says once, before the blocks, in reading order."""


@dataclass(frozen=True)
class Metadata:
    """Document properties: PDF info dictionary and DOCX core properties."""

    title: str
    author: str = ""
    subject: str = ""
    keywords: tuple[str, ...] = ()
    language: str = "en"
    """The brief's language, a BCP 47 tag."""
    direction: str = "ltr"
    """Which way the pages run: 'rtl' (Urdu, Arabic, Persian...) mirrors the whole page."""
    scripts: tuple[tuple[str, str], ...] = ()
    """The language of passages in each other script (ISO 15924 code, BCP 47 tag), e.g.
    (("Arab", "ur"),) in an English brief that quotes Urdu."""
    classification: str = ""
    date: str = ""
    fields: tuple[tuple[str, str], ...] = ()
    """Values of the template placeholders ({title}, {prepared.by}...) for headers/footers."""

    def values(self) -> dict[str, str]:
        """The placeholder values as a dict."""
        return dict(self.fields)

    def moment(self) -> datetime.datetime:
        """When the document says it was made, so that the same input gives the same bytes
        on any day: SOURCE_DATE_EPOCH when set, else the prepared date (midnight UTC), else
        2000-01-01 00:00 UTC."""
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        if epoch.isdigit():
            return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc)
        if self.date:
            day = datetime.date.fromisoformat(self.date)
            return datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.timezone.utc)
        return FIXED_MOMENT


@dataclass(frozen=True)
class Document:
    """A whole brief, ready for a renderer."""

    metadata: Metadata
    blocks: tuple[Block, ...] = field(default=())
    front: tuple[Front, ...] = ()
    """The logo and the marking, read once before the blocks (see Figure, Marking)."""

    def texts(self):
        """Every text the document prints (runs, labels, headings), for checks such as
        which characters the fonts must have."""
        yield self.metadata.title
        for block in self.blocks:
            for value in vars(block).values():
                yield from _texts(value)

    def dump(self) -> str:
        """The canonical text form of the tree, for snapshot tests and debugging."""
        lines = [f"document: {self.metadata.title}"]
        for item in self.front:
            lines += item.dump()
        for block in self.blocks:
            lines += block.dump()
        return "\n".join(lines) + "\n"
