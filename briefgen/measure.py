"""Measure: how many pages a document tree takes, and how full its last page is.

The PDF engine wraps each block once (heights are cached per block, list item and table
row, so a fit that tries many plans wraps each paragraph once), then a paginator replays
reportlab's frame rules on those heights: collapsed spacing, keep-with-next headings,
widow control, tables that split between rows and repeat their header. The result equals a
real layout; the tests compare the two on random briefs.
"""

from __future__ import annotations

import dataclasses
import math

from . import doc
from .render_pdf import Renderer  # first: it sets reportlab up
from .pdf_flow import LINE_FUZZ, is_heading, keep_split_height, widow_lines
from .pdf_fonts import font_name
from .pdf_page import page_frame
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth  # noqa: E402
from reportlab.platypus import Paragraph, Table  # noqa: E402
from reportlab.rl_config import _FUZZ  # noqa: E402
from .pdf_tags import Element
from .records import dataclass
from .templates import Template

_CACHE_LIMIT = 20_000  # blocks remembered per template before the cache starts afresh


@dataclass(frozen=True)
class Box:
    """A flowable as the paginator sees it."""

    height: float
    space_before: float
    space_after: float
    leading: float = 0.0          # paragraphs: the fixed line height
    lines: int = 0                # paragraphs: how many lines
    rows: tuple[float, ...] = ()  # tables: row heights (first is the repeated header)
    repeat: int = 0               # tables: header rows repeated on a new page
    heading: bool = False
    min_follow: float = 0.0       # the least of this box that may follow a heading
    keep: bool = False            # stays on the page of the next box (a table: its last row)

    @property
    def keeps(self) -> bool:
        """Whether the box moves whole to the page of the next one when they do not fit
        together (a heading, a paragraph or box marked to keep)."""
        return self.heading or (self.keep and not self.rows)


@dataclass(frozen=True)
class Measure:
    """Pages, and the share of the last page's frame that is used."""

    pages: int
    last_fill: float
    content: float = 0.0
    """The heights of every box and the space between them, added up."""
    widest_gap: float = 0.0
    """The largest space between two boxes: a page break drops at most this much."""
    overflows: bool = False
    """Whether a block that cannot be split is taller than a page (the PDF engine fails)."""
    moved_runs: tuple[int, ...] = ()
    """Boxes (by index) that begin a run of two or more boxes kept with the next (a section
    heading and an item's heading) which the page break moved to a new page whole."""


_SCRATCH = Element("TD")
"""The structure element of paragraphs that are only measured (never drawn)."""


@dataclass(frozen=True)
class Overflow:
    """A block that cannot be split and is taller than a page (row: which table row)."""

    block: doc.Block
    points: float
    row: int = -1


class Measurer:
    """Measures documents for one template, caching the boxes of blocks, list items and
    table rows (they do not depend on the page budget or the reserve)."""

    _shared: dict[int, "Measurer"] = {}

    def __init__(self, template: Template):
        self.template = template
        self.renderer = Renderer(template)
        frame = page_frame(template)
        self.width, self.height = frame._aW, frame._aH
        self._cache: dict[object, list[Box]] = {}
        self._widths: dict[tuple, float] = {}
        self._rows: dict[tuple, float] = {}

    @classmethod
    def for_template(cls, template: Template) -> "Measurer":
        """One measurer per template and process, so repeated fits reuse its cache."""
        key = id(template)
        m = cls._shared.get(key)
        if m is None or m.template is not template:
            m = cls._shared[key] = cls(template)
        return m

    def boxes(self, block: doc.Block) -> list[Box]:
        """The boxes of one block (cached)."""
        cached = self._cache.get(block)
        if cached is not None:
            return cached
        if len(self._cache) > _CACHE_LIMIT:
            self._cache.clear()
        if isinstance(block, doc.BulletList) and len(block.items) > 1:
            # Items are measured one by one, so a list that grows by an item costs one wrap.
            result = [b for item in block.items
                      for b in self.boxes(dataclasses.replace(block, items=(item,)))]
        elif isinstance(block, doc.NumberedList) and len(block.items) > 1:
            result = [b for n, item in enumerate(block.items, block.start)
                      for b in self.boxes(dataclasses.replace(block, items=(item,), start=n))]
        elif isinstance(block, doc.NumberedList) and self._like(block) is not block:
            # A memo numbers every paragraph: one inserted above renumbers all below, but a
            # number as wide as another lays the paragraph out alike.
            result = self.boxes(self._like(block))
        elif isinstance(block, doc.RecommendationTable) and block.rows:
            result = [self._table(block)]
        else:
            result = [self._box(f) for f in self.renderer.block(block)]
        self._cache[block] = result
        return result

    def _like(self, block: doc.NumberedList) -> doc.NumberedList:
        """The one-item list numbered 1, 10, 100... whose number is as wide as this one's,
        or the list itself."""
        first = 10 ** (len(str(block.start)) - 1)
        if first == block.start:
            return block
        style = self.renderer.style("number")
        width = stringWidth(f"{block.start}.", style.bulletFontName, style.bulletFontSize)
        if width != stringWidth(f"{first}.", style.bulletFontName, style.bulletFontSize):
            return block
        return dataclasses.replace(block, start=first)

    def _like_row(self, row: doc.TableRow) -> doc.TableRow:
        """The row with its number cell set to 1, 10, 100... when that is as wide (a row
        inserted above renumbers the rows below, which lays them out alike)."""
        cell = row.cells[0] if row.cells else ()
        if len(cell) != 1 or not cell[0].text.isdigit():
            return row
        first = str(10 ** (len(cell[0].text) - 1))
        if first == cell[0].text:
            return row
        style = self.renderer.style("table_cell")
        if stringWidth(cell[0].text, style.fontName, style.fontSize) != \
                stringWidth(first, style.fontName, style.fontSize):
            return row
        return dataclasses.replace(row, cells=(
            (dataclasses.replace(cell[0], text=first),),) + row.cells[1:])

    def _table(self, block: doc.RecommendationTable) -> Box:
        """A table's box from its rows' heights, each row measured (and cached) alone."""
        g = self.template.table_geometry
        widths = tuple(self.template.column_widths(block.widths, len(block.header)))
        rows = [self._row_height((tuple((doc.Run(h),) for h in block.header)), "table_header",
                                 widths)]
        rows += [self._row_height(self._like_row(row).cells, "table_cell", widths)
                 for row in block.rows]
        return Box(sum(rows), g.space_before, g.space_after + g.border, rows=tuple(rows),
                   repeat=1, min_follow=sum(rows[:2]))

    def _row_height(self, cells, style: str, widths: tuple[float, ...]) -> float:
        """A table row's height as reportlab's Table computes it (Table._calc_height): the
        tallest cell's paragraph, wrapped to its column less the side padding, with the top
        and bottom padding (the border's half included, see Renderer.recommendation_table).
        The paragraphs are the renderer's own, so the render finds their wraps cached."""
        key = (style, cells, widths)
        hit = self._rows.get(key)
        if hit is not None:
            return hit
        g = self.template.table_geometry
        height = 0.0
        for runs, width in zip(cells, widths):
            _, h = self.renderer.para(runs, style, _SCRATCH).wrap(width - 2 * g.pad_x, 72000.0)
            height = max(height, h + 2 * (g.pad_y + g.border / 2))
        if len(self._rows) > _CACHE_LIMIT:
            self._rows.clear()
        self._rows[key] = height
        return height

    def _box(self, f) -> Box:
        _, h = f.wrap(self.width, 1e6)
        sb, sa = f.getSpaceBefore(), f.getSpaceAfter()
        if isinstance(f, Paragraph):
            lines = len(getattr(f.blPara, "lines", ())) or 1
            follow = widow_lines(lines) * f.style.leading  # see pdf_flow.first_line_height
            return Box(h, sb, sa, leading=f.style.leading, lines=lines, heading=is_heading(f),
                       min_follow=follow)
        if isinstance(f, Table) and not getattr(f, "_is_callout", False):
            rows = tuple(f._rowHeights)
            return Box(h, sb, sa, rows=rows, repeat=f.repeatRows, min_follow=sum(rows[:2]))
        return Box(h, sb, sa, min_follow=h)

    def measure(self, document: doc.Document, reserve: float = 0.0) -> Measure:
        """Paginate the document's boxes as reportlab's frame would, keeping `reserve`
        points free at the foot of every page."""
        boxes: list[Box] = []
        for block in document.blocks:
            made = self.boxes(block)
            if boxes and made and doc.keeps_previous(block):
                boxes[-1] = dataclasses.replace(boxes[-1], keep=True)  # see keep_with_next
            boxes += made
        m = paginate(boxes, self.height - reserve)
        gaps = [max(a.space_after, b.space_before) for a, b in zip(boxes, boxes[1:])]
        return Measure(m.pages, m.last_fill, sum(b.height for b in boxes) + sum(gaps),
                       max(gaps, default=0.0), m.overflows, m.moved_runs)

    def moved_runs(self, document: doc.Document, measured: Measure | None = None
                   ) -> frozenset[int]:
        """The blocks (by index in the document) whose heading begins a run of headings
        that the PDF's page break moved to a new page whole (see `paginate`), from the
        document's measure (`measured`, when the caller has it already)."""
        measured = measured or self.measure(document)
        first_box, n = {}, 0
        for index, block in enumerate(document.blocks):
            first_box[n] = index
            n += len(self.boxes(block))
        return frozenset(first_box[i] for i in measured.moved_runs if i in first_box)

    def least_height(self, texts, styles: tuple[str, ...] = ("body",),
                     width: float | None = None, estimate: bool = False) -> float:
        """A lower bound of the height that paragraphs take in any of these styles, found
        without laying them out. Each text is a string, or a (bold lead, rest) pair. Each
        paragraph takes at least one line, and as its lines hold no more than the width,
        less the spaces that end them, at least (text width + a space) / (width + a
        space) of them (characters the style's font lacks count for nothing).
        `estimate`: a likely height instead (half a line more than the text fills, and
        the space after), in the first of the styles, for guessing where to search."""
        texts = list(texts)
        known = [self.template.styles[n] for n in styles if n in self.template.styles] \
            or [self.template.styles["body"]]
        if estimate:
            return self._least(texts, known[0], width or self.width, True)
        return min(self._least(texts, st, width or self.width) for st in known)

    def _least(self, texts, style, width: float, estimate: bool = False) -> float:
        family = self.template.font_for(style)
        regular = getFont(font_name(family, style.bold, style.italic))
        bold = getFont(font_name(family, True, style.italic))
        cmap = regular.face.charToGlyph
        space = regular.stringWidth(" ", style.size)
        room = width - style.indent + space
        total = 0.0
        for text in texts:
            lead, rest = text if isinstance(text, tuple) else ("", text)
            wide = sum(self._width(part, font, cmap, style.size)
                       for font, part in ((bold, lead), (regular, rest)) if part)
            if estimate:
                total += (wide / room + 0.5) * style.leading + style.space_after
            else:
                total += max(1, math.ceil((0.98 * wide + space) / room)) * style.leading
        return total

    def most_height(self, texts, styles: tuple[str, ...] = ("body",),
                    width: float | None = None) -> float:
        """An upper bound of the height of paragraphs (texts as in `least_height`) in any of
        these styles: every line but the last holds more than the width less its longest
        word and a space. Infinite when a character is not in the style's font."""
        texts = list(texts)
        known = [self.template.styles[n] for n in styles if n in self.template.styles] \
            or [self.template.styles["body"]]
        total = 0.0
        for style in known:
            family = self.template.font_for(style)
            fonts = (getFont(font_name(family, True, style.italic)),
                     getFont(font_name(family, style.bold, style.italic)))
            space = fonts[1].stringWidth(" ", style.size)
            room = (width or self.width) - style.indent
            height = 0.0
            for text in texts:
                parts = text if isinstance(text, tuple) else ("", text)
                if not all(p.isascii() and p.isprintable() for p in parts):
                    return math.inf
                wide = sum(f.stringWidth(p, style.size) for f, p in zip(fonts, parts))
                longest = max((fonts[0].stringWidth(w, style.size) for p in parts
                               for w in p.split()), default=0.0)
                if longest + space >= room:
                    return math.inf
                height += (int(wide // (room - longest - space)) + 1) * style.leading
            total = max(total, height)
        return total

    def _width(self, text: str, font, cmap, size: float) -> float:
        """The width of the characters of a text that the font has (remembered)."""
        key = (text, font.fontName, size)
        width = self._widths.get(key)
        if width is None:
            if len(self._widths) > _CACHE_LIMIT:
                self._widths.clear()
            shown = text if text.isascii() and text.isprintable() else \
                "".join(ch for ch in text if ord(ch) in cmap)
            width = self._widths[key] = font.stringWidth(shown, size)
        return width

    def overflow(self, document: doc.Document) -> Overflow | None:
        """The first block that no page can hold (the PDF engine would fail on it)."""
        for block in document.blocks:
            for box in self.boxes(block):
                heights = box.rows or ((0.0,) if box.lines > 1 else (box.height,))
                tallest = max(heights)
                if tallest > self.height + _FUZZ:
                    return Overflow(block, tallest - self.height, heights.index(tallest) - 1)
        return None


def paginate(boxes: list[Box], frame_height: float) -> Measure:
    """Replay the frame rules of the PDF renderer on measured boxes."""
    pages, used, prev_after, at_top = 1, 0.0, 0.0, True
    overflows = False
    moved: list[int] = []
    i = 0
    pending: Box | None = None  # the rest of a split box, to place on the next page
    while i < len(boxes) or pending is not None:
        box = pending if pending is not None else boxes[i]
        from_split = pending is not None
        pending = None
        space = 0.0 if at_top else max(box.space_before - prev_after, 0.0)
        avail = frame_height - used
        if box.keeps and not at_top and not from_split and (i == 0 or not boxes[i - 1].keeps):
            need = _keep_need(boxes, i, space)
            if need is not None and avail + LINE_FUZZ < need:
                if i + 1 < len(boxes) and boxes[i + 1].keeps:
                    moved.append(i)
                pages, used, prev_after, at_top = pages + 1, 0.0, 0.0, True
                continue
        if box.keep and box.rows and not at_top and not from_split and i + 1 < len(boxes) \
                and used + space + box.height <= frame_height + _FUZZ:
            # A table keeps its last row with the next box (pdf_flow.BriefTable).
            nxt = boxes[i + 1]
            need = space + box.height + max(box.space_after, nxt.space_before) + nxt.min_follow
            if avail + LINE_FUZZ < need:
                rest = _split(box, keep_split_height(box.rows))
                if rest is not None:
                    i += 1
                    pending = rest
                pages, used, prev_after, at_top = pages + 1, 0.0, 0.0, True
                continue
        if used + space + box.height <= frame_height + _FUZZ:
            used += space + box.height + box.space_after
            prev_after, at_top = box.space_after, False
            if not from_split:
                i += 1
            continue
        rest = _split(box, avail - space)
        if rest is None:
            if at_top:  # taller than a page and unsplittable: it overflows, as reportlab's
                used, prev_after, at_top, overflows = frame_height, box.space_after, False, True
                if not from_split:
                    i += 1
                continue
            pages, used, prev_after, at_top = pages + 1, 0.0, 0.0, True
            pending = box if from_split else None
            continue
        # The first part fills this page; the rest starts the next one.
        if not from_split:
            i += 1
        pending = rest
        pages, used, prev_after, at_top = pages + 1, 0.0, 0.0, True
    fill = max(0.0, used - prev_after) / frame_height
    return Measure(pages, min(1.0, fill), overflows=overflows, moved_runs=tuple(moved))


def _keep_need(boxes: list[Box], i: int, space: float) -> float | None:
    """Room a run of headings (and boxes that keep with the next) starting at i needs:
    itself and the least of its follower."""
    j = i
    while j < len(boxes) and boxes[j].keeps:
        j += 1
    if j == len(boxes):
        return None
    need = space
    for head, nxt in zip(boxes[i:j], boxes[i + 1:j + 1]):
        need += head.height + max(head.space_after, nxt.space_before)
    return need + boxes[j].min_follow


def _split(box: Box, avail: float) -> Box | None:
    """What is left for the next page when a box is split to fit `avail`, or None when it
    cannot be split there (reportlab's and Word's widow control; tables by rows)."""
    if box.lines > 1 and box.leading:
        fit = int(avail / box.leading)  # as reportlab's Paragraph.split
        n = box.lines
        if fit <= 1 or n <= fit:
            return None
        if n == fit + 1:  # a widow: keep two lines together, or move the whole paragraph
            if n <= 3:
                return None
            fit -= 1
        left = n - fit
        return Box(left * box.leading, 0.0, box.space_after, box.leading, left)
    if box.rows:
        head = sum(box.rows[:box.repeat])
        total, k = 0.0, 0
        for k, h in enumerate(box.rows):
            if total + h > avail:  # as reportlab's Table.split
                break
            total += h
        else:
            return None
        if k <= box.repeat:
            return None  # not even one body row fits below the header
        rest = box.rows[:box.repeat] + box.rows[k:]
        return Box(sum(rest), 0.0, box.space_after, rows=rest, repeat=box.repeat,
                   min_follow=head + (box.rows[k] if k < len(box.rows) else 0.0))
    return None
