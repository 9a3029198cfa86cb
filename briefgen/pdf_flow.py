"""PDF page flow: the keep-with-next and widow rules of word processors, which the
renderer and the measure share."""

from __future__ import annotations

from . import engine  # noqa: F401  (first: it prepares reportlab)
from reportlab.platypus import Flowable, PageBreak, Paragraph, Table
from reportlab.rl_config import _FUZZ

LINE_FUZZ = 0.01


class KeepWithNext(Flowable):
    """Break before a heading unless it, any headings right after it, and the first lines of
    what follows them fit on the page: the keep-with-next rule of Word and LibreOffice
    (reportlab's own keepWithNext would keep the whole next block)."""

    _ZEROSIZE = True
    _SPACETRANSFER = True  # pass the previous block's space-after through to the heading

    def __init__(self, headings: list[Flowable], following: Flowable):
        super().__init__()
        self.headings, self.following = headings, following

    def wrap(self, avail_width, avail_height):
        frame = self._doctemplateAttr("frame")
        if frame is None or frame._atTop:
            return 0, 0
        need = max(self.headings[0].getSpaceBefore() - frame._prevASpace, 0)
        chain = self.headings + [self.following]
        for head, nxt in zip(chain, chain[1:]):
            need += head.wrap(avail_width, 1e6)[1] + max(head.getSpaceAfter(),
                                                          nxt.getSpaceBefore())
        need += first_line_height(self.following, avail_width)
        if avail_height + LINE_FUZZ < need:
            # Claim more room than is left: the frame then moves on to the next page, where
            # this guard is at the top and takes no room. (Queuing a FrameBreak instead can
            # leave an empty page when the guard is retried.)
            return avail_width, avail_height + 1
        return 0, 0

    def split(self, avail_width, avail_height):
        return []

    def draw(self):
        pass


def first_line_height(flowable: Flowable, width: float) -> float:
    """Height of the least of a block that must follow a heading onto its page.

    Word and LibreOffice keep a heading with the first line of what follows; with widow
    control on, that line cannot stand alone, so the least is what the paragraph may leave
    at the foot of a page. For a table it is the header and first row.
    """
    if isinstance(flowable, Table):
        flowable.wrap(width, 1e6)
        rows = flowable._rowHeights
        if getattr(flowable, "_is_callout", False):
            return sum(rows)
        return sum(rows[:2])
    if isinstance(flowable, Paragraph):
        # Widow control (on in both formats) never leaves one line of a paragraph alone:
        # a paragraph of up to three lines moves whole, a longer one needs two lines here.
        flowable.wrap(width, 1e6)
        lines = len(getattr(flowable.blPara, "lines", ())) or 1
        return widow_lines(lines) * flowable.style.leading
    return flowable.wrap(width, 1e6)[1]


def widow_lines(lines: int) -> int:
    """The fewest lines of a paragraph that widow control lets stand at a page foot: all of
    it up to three lines, else two."""
    return lines if lines <= 3 else 2


def is_heading(flowable: Flowable) -> bool:
    """Whether a flowable is a heading (it has an outline entry): it keeps with what
    follows it."""
    return isinstance(flowable, Paragraph) and hasattr(flowable, "outline")


def keeps_with_next(flowable: Flowable) -> bool:
    """Whether a flowable stays whole on the page of what follows: a heading, or a
    paragraph or box marked with `keep_next` (see `keep_with_next`)."""
    return is_heading(flowable) or (getattr(flowable, "keep_next", False)
                                    and not isinstance(flowable, BriefTable))


def keep_with_next(flowable: Flowable, following: Flowable) -> None:
    """Mark a flowable to stay on the page of the one after it, as Word's and
    LibreOffice's keep-with-next does: a paragraph or a box moves to the next page whole;
    a table keeps its last row there (it splits before that row, or moves whole)."""
    if isinstance(flowable, BriefTable) and not getattr(flowable, "_is_callout", False):
        flowable.keep_last_with = following
    else:
        flowable.keep_next = True


def keep_headings(flowables: list[Flowable]) -> list[Flowable]:
    """Put a keep-with-next guard before each run of headings (and of paragraphs marked
    to keep with the next) that has a follower."""
    out: list[Flowable] = []
    for i, f in enumerate(flowables):
        if keeps_with_next(f) and not (i and keeps_with_next(flowables[i - 1])):
            j = i
            while j < len(flowables) and keeps_with_next(flowables[j]):
                j += 1
            if j < len(flowables):
                out.append(KeepWithNext(flowables[i:j], flowables[j]))
        out.append(f)
    return out


class BriefTable(Table):
    """A table that can keep its last row on the page of what follows it
    (`keep_last_with`): when the whole table fits but that does not, it splits before the
    last row, or moves to the next page when it cannot split."""

    keep_last_with: Flowable | None = None
    _keep_split = False

    def wrap(self, avail_width, avail_height):
        width, height = super().wrap(avail_width, avail_height)
        self._keep_split = False
        following = self.keep_last_with
        frame = getattr(self, "_frame", None)
        if following is None or frame is None or frame._atTop \
                or height > avail_height + _FUZZ:
            return width, height
        need = height + max(self.getSpaceAfter(), following.getSpaceBefore()) \
            + first_line_height(following, avail_width)
        if avail_height + LINE_FUZZ < need:
            self._keep_split = True
            return width, avail_height + 1  # does not fit: the frame asks for a split
        return width, height

    def split(self, avail_width, avail_height):
        if self._keep_split:
            self._keep_split = False
            parts = super().split(avail_width, keep_split_height(self._rowHeights))
            # The last row starts the next page, with what follows it.
            return parts[:1] + [PageBreak()] + parts[1:] if len(parts) == 2 else parts
        return super().split(avail_width, avail_height)


def keep_split_height(rows) -> float:
    """The height to split a table at so that exactly its last row goes to the next page."""
    return sum(rows[:-1]) + min(0.5, rows[-1] / 2)
