"""Measure: how many pages a document tree takes, and how full its last page is.

The PDF engine wraps each block once (heights are cached per block, list item and table
row, so a fit that tries many plans wraps each paragraph once), then a paginator replays
reportlab's frame rules on those heights: collapsed spacing, keep-with-next headings,
widow control, tables that split between rows and repeat their header. The result equals a
real layout; the tests compare the two on random briefs.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from . import doc
from .render_pdf import Renderer  # first: it sets reportlab up
from .pdf_flow import LINE_FUZZ, is_heading, widow_lines
from .pdf_page import page_frame
from reportlab.platypus import Paragraph, Table  # noqa: E402
from reportlab.rl_config import _FUZZ  # noqa: E402
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


@dataclass(frozen=True)
class Measure:
    """Pages, and the share of the last page's frame that is used."""

    pages: int
    last_fill: float


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
        if isinstance(block, (doc.BulletList, doc.NumberedList)) and len(block.items) > 1:
            # Items are measured one by one, so a list that grows by an item costs one wrap.
            result = [b for item in block.items
                      for b in self.boxes(dataclasses.replace(block, items=(item,)))]
        elif isinstance(block, doc.RecommendationTable) and len(block.rows) > 1:
            result = [self._table(block)]
        else:
            result = [self._box(f) for f in self.renderer.block(block)]
        self._cache[block] = result
        return result

    def _table(self, block: doc.RecommendationTable) -> Box:
        """A table's box from its rows, each measured (and cached) with the header alone."""
        first = self.boxes(dataclasses.replace(block, rows=block.rows[:1]))[0]
        blank = ("",) * len(block.header)  # a row's height does not depend on the header
        rows = [first.rows[0]] + [
            self.boxes(dataclasses.replace(block, header=blank, rows=(row,)))[0].rows[1]
            for row in block.rows]
        height = sum(rows)
        return Box(height, first.space_before, first.space_after, rows=tuple(rows),
                   repeat=first.repeat, min_follow=sum(rows[:2]))

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
        boxes = [b for block in document.blocks for b in self.boxes(block)]
        return paginate(boxes, self.height - reserve)

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
    i = 0
    pending: Box | None = None  # the rest of a split box, to place on the next page
    while i < len(boxes) or pending is not None:
        box = pending if pending is not None else boxes[i]
        from_split = pending is not None
        pending = None
        space = 0.0 if at_top else max(box.space_before - prev_after, 0.0)
        avail = frame_height - used
        if box.heading and not at_top and not from_split and (i == 0 or not boxes[i - 1].heading):
            need = _keep_need(boxes, i, space)
            if need is not None and avail + LINE_FUZZ < need:
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
                used, prev_after, at_top = frame_height, box.space_after, False
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
    return Measure(pages, min(1.0, fill))


def _keep_need(boxes: list[Box], i: int, space: float) -> float | None:
    """Room a run of headings starting at i needs: itself and the least of its follower."""
    j = i
    while j < len(boxes) and boxes[j].heading:
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
