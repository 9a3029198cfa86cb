"""PDF page flow: the keep-with-next and widow rules of word processors, which the
renderer and the measure share."""

from __future__ import annotations

from . import engine  # noqa: F401  (first: it prepares reportlab)
from reportlab.platypus import Flowable, Paragraph, Table

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


def keep_headings(flowables: list[Flowable]) -> list[Flowable]:
    """Put a keep-with-next guard before each run of headings that has a follower."""
    out: list[Flowable] = []
    for i, f in enumerate(flowables):
        if is_heading(f) and not (i and is_heading(flowables[i - 1])):
            j = i
            while j < len(flowables) and is_heading(flowables[j]):
                j += 1
            if j < len(flowables):
                out.append(KeepWithNext(flowables[i:j], flowables[j]))
        out.append(f)
    return out
