"""Marked content inside a paragraph's text: the paragraph's structure element, a /Link
where a link's text is, a /Lbl for a label set in the text, and /Span with /ActualText (the
letters of shaped Arabic-script words) or /Lang (passages in another language) inside. The
structure tree itself is `pdf_tags`'s."""

from __future__ import annotations

import re
import unicodedata
from collections import deque

from . import engine  # noqa: F401  (first: it prepares reportlab)
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfdoc import PDFString
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfbase.ttfonts import ShapedStr
from reportlab.pdfgen.textobject import PDFTextObject

from .engine import SHAPED_FONTS
from .pdf_tags import Element, Tagger
from .scripts import script_stretches

_RTL = re.compile("[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFC]")
"""Right-to-left letters (Hebrew and Arabic script, their presentation forms)."""


_HEX: dict[str, str] = {}


def _hex(text: str) -> str:
    """A PDF text string in UTF-16 (with its byte order mark), in hex."""
    out = _HEX.get(text)
    if out is None:
        if len(_HEX) > 20_000:
            _HEX.clear()
        out = _HEX[text] = "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"
    return out


class TaggedText(PDFTextObject):
    """A paragraph's text object that marks its content: the paragraph's element, a
    /Link where a link's text is, /Lbl for a label set inline (right-to-left items), and
    /Span with /ActualText or /Lang inside. Marked content opens and closes inside BT/ET,
    as the PDF specification requires of sequences within a text object."""

    def __init__(self, canvas, x, y, tagger: Tagger, paragraph):
        super().__init__(canvas, x, y)
        self._tagger, self._paragraph = tagger, paragraph
        self._element: Element | None = paragraph.tag
        self._open: Element | None = None
        self._queue: deque | None = None
        self._line_links: list[tuple[str, Element]] = []
        self._in_label = False
        self._links = bool(paragraph.link_texts)
        bl = getattr(paragraph, "blPara", None)
        whole = getattr(bl, "link", None) if self._links and getattr(bl, "kind", 1) == 0 \
            else None
        self._whole = whole[-1] if whole else None

    # -- hooks called by reportlab (see engine._tagging_hooks) ---------------------------

    def frag_line(self, line) -> None:
        """The runs of the line about to be drawn, in drawing order (needed only where
        links are)."""
        if self._links:
            self._queue = deque(f for f in line.words if not hasattr(f, "cbDefn"))
            self._line_links = []

    def toggle_label(self) -> None:
        """An inline label starts or ends (right-to-left list items carry it in their
        text)."""
        self._in_label = not self._in_label

    def link_annotation(self, href: str, rect) -> None:
        """Make the link annotation of a line's link text: with /Contents (the link's text),
        the print flag, and its /StructParent and OBJR in the link's element."""
        element = None
        for n, (h, el) in enumerate(self._line_links):
            if h == href:
                element = self._line_links.pop(n)[1]
                break
        if element is None and self._whole is not None and self._element is not None:
            element = (self._element.links or {}).get(self._whole)
        canvas, tagger = self._canvas, self._tagger
        texts = getattr(self._paragraph, "link_texts", None) or {}
        extra = {"Contents": PDFString(texts.get(href) or href), "F": 4}
        if element is not None and not tagger.artifact:
            extra["StructParent"] = tagger.annotation(element)
        canvas.linkURL(href, rect, relative=1, kind="URI", **extra)
        if "StructParent" in extra:
            tagger.annotated(element, canvas)

    # -- marking ----------------------------------------------------------------------------

    def _target(self, text) -> Element | None:
        queue = self._queue
        frag = queue.popleft() if queue and queue[0].text is text else None
        if self._in_label:
            return getattr(self._paragraph, "label", None) or self._element
        link = frag.link[-1] if frag is not None and frag.link else \
            (self._whole if frag is None and self._whole is not None else None)
        if frag is None and link is None and self._open is not None:
            return self._open  # a piece reportlab did not announce: where we are
        if link is None:
            return self._element
        el = self._element
        if el.links is None:
            el.links = {}
        found = el.links.get(link)
        if found is None:
            found = el.links[link] = el.child("Link")
        if not any(e is found for _, e in self._line_links):
            self._line_links.append((link[1], found))
        return found

    def _textOut(self, text, TStar=0):
        if not text:
            return super()._textOut(text, TStar)
        tagger = self._tagger
        if self._element is not None and not tagger._artifacts:
            target = self._target(text) if (self._links or self._in_label) else self._element
            if target is not self._open:
                if self._open is not None:
                    self._code.append("EMC")
                self._code.append(tagger.mark(target, self._canvas._pageNumber))
                self._open = target
        # Page furniture too: its words come back as typed when copied or searched.
        if self._fontname in SHAPED_FONTS or (tagger.languages and (
                not text.isascii() or "Latn" in tagger.languages)):
            code = self._spans(text)
        else:
            code = self._formatText(text)
        self._code.append(code + " T*" if TStar else code)

    def getCode(self):
        if self._open is not None:
            self._code.append("EMC")
            self._open = None
        return super().getCode()

    def _spans(self, text) -> str:
        """The text's operators, with /Span for shaped Arabic words and other languages."""
        if self._fontname in SHAPED_FONTS:
            return self._arabic(text)
        languages = self._tagger.languages
        if not languages or (text.isascii() and "Latn" not in languages):
            return self._formatText(text)
        out = []
        for script, piece in script_stretches(text):
            lang = languages.get(script) if script else None
            code = self._formatText(piece)
            out.append(f"/Span <</Lang ({lang})>> BDC {code} EMC" if lang else code)
        return " ".join(out)

    def _arabic(self, text) -> str:
        """Shaped words come out as glyphs in visual order, their letters as presentation
        forms, ligatures and glyphs that several letters share. Each word with right-to-left
        letters gets a /Span with /ActualText: the word's letters in logical order (and
        /Lang when it is another language than the brief's). Inside it, each glyph cluster
        gets its own /ActualText, its letters in the glyphs' visual order: poppler and MuPDF
        use the innermost spans and lay an /ActualText out left to right before they put
        right-to-left text into reading order, so only spans of one letter, or of letters
        in visual order, come back as typed."""
        data = text.__shapeData__ if isinstance(text, ShapedStr) else None
        n = len(text)
        letters, words, order = [], [], []
        for i, (ch, sd) in enumerate(zip(text, data or [None] * n)):
            got = getattr(sd, "chars", None)
            if got is None:  # a glyph that stands for its own letter(s), in visual order
                letters.append(unicodedata.normalize("NFKC", ch) if ch > "\u05ff" else ch)
                words.append(None)
                order.append(-i)
            else:
                letters.append(got)
                words.append(sd.word)
                order.append(sd.cluster)
        clusters = order  # a glyph's cluster (its own position for the others)
        lang = self._tagger.languages.get("Arab")
        props = f"/Lang ({lang}) " if lang else ""
        marks: dict[int, list[str]] = {}
        i = 0
        while i < n:
            j = i + 1
            if letters[i].isspace():
                while j < n and letters[j].isspace():
                    j += 1
                i = j
                continue
            while j < n and not letters[j].isspace() and words[j] == words[i]:
                j += 1
            word = sorted(range(i, j), key=order.__getitem__)
            logical = "".join(letters[k] for k in word)
            if _RTL.search(logical):
                inner = [f"/Span <<{props}/ActualText {_hex(logical)}>> BDC"]
                k = i
                while k < j:  # a cluster's glyphs are next to each other
                    m = k + 1
                    while m < j and clusters[m] == clusters[k] and words[m] == words[k]:
                        m += 1
                    own = "".join(letters[k:m])
                    if len(own) > 1 and _RTL.search(own):
                        own = own[::-1]  # a ligature's letters, in visual order
                    if k > i:
                        inner.append("EMC")
                    inner.append(f"/Span <</ActualText {_hex(own)}>> BDC")
                    marks.setdefault(k, []).extend(inner)
                    inner = []
                    k = m
                marks.setdefault(j, []).extend(["EMC", "EMC"])
            i = j
        if data is None:
            cuts = sorted(marks)
            out, last = [], 0
            for k in cuts:
                if k > last:
                    out.append(self._formatText(text[last:k]))
                out.append(" ".join(marks[k]))
                last = k
            if last < n:
                out.append(self._formatText(text[last:]))
            return " ".join(out)
        return self._format_shaped(text, marks)

    def _format_shaped(self, text: ShapedStr, marks: dict[int, list[str]]) -> str:
        """reportlab's operators for a shaped string (PDFTextObject._formatText), with
        `marks` (glyph index -> operators) put between its glyphs, in one pass."""
        canv = self._canvas
        font = getFont(self._fontname)
        escape = canv._escape
        fontsize = self._fontsize
        shape_data = text.__shapeData__
        saved = (self._code, self._x, self._y)
        self._code = out = []
        r0 = self._rise
        tmpl = f"{fp_str(fontsize)} Tf {fp_str(self._leading)} TL"
        ops: list[str] = []   # the TJ array being built
        glyphs = bytearray()  # glyph codes not yet in it
        shift = 0.0           # an adjustment not yet in it

        def flush():
            # As reportlab groups them: codes together, adjustments summed, zeros left out.
            nonlocal shift
            if glyphs:
                ops.append("(%s)" % escape(bytes(glyphs)))
                glyphs.clear()
            if shift:
                v = fp_str(shift)
                if v != "0":
                    ops.append(v)
                shift = 0.0
            if ops:
                out.append(f"{ops[0]} Tj" if len(ops) == 1 and ops[0][0] == "("
                           else f"[{' '.join(ops)}] TJ")
                ops.clear()

        try:
            pos = 0
            for subset, codes in font.splitString(text, canv._doc):
                if subset != self._curSubset:
                    flush()
                    out.append(f"{font.getSubsetInternalName(subset, canv._doc)} {tmpl}")
                    self._curSubset = subset
                for code in codes:
                    sd = shape_data[pos]
                    r = r0 + fontsize * sd.y_offset / 1000
                    if pos in marks or r != self._rise:
                        flush()
                        if pos in marks:
                            out.extend(marks[pos])
                        if r != self._rise:
                            self.setRise(r)
                    if sd.x_offset:
                        shift -= sd.x_offset
                    if shift:
                        if glyphs:
                            ops.append("(%s)" % escape(bytes(glyphs)))
                            glyphs.clear()
                        v = fp_str(shift)
                        if v != "0":
                            ops.append(v)
                        shift = 0.0
                    glyphs.append(code)
                    shift += sd.width - sd.x_advance + sd.x_offset
                    pos += 1
            flush()
            if self._rise != r0:
                self.setRise(r0)
            out.extend(marks.get(pos, ()))
        finally:
            self._code, self._x, self._y = saved
        return " ".join(out)
