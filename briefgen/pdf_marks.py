"""Marked content inside a paragraph's text: the paragraph's structure element, a /Link
where a link's text is, a /Lbl for a label set in the text, and /Span with /ActualText (the
letters of shaped Arabic-script words) or /Lang (passages in another language) inside. The
structure tree itself is `pdf_tags`'s."""

from __future__ import annotations

import re
import unicodedata
from collections import deque
from itertools import groupby

from . import engine  # noqa: F401  (first: it prepares reportlab)
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase.pdfdoc import PDFString
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfbase.ttfonts import ShapedStr
from reportlab.pdfgen.textobject import PDFTextObject

from .engine import SHAPED_FONTS, glyph_text
from .pdf_tags import Element, Tagger
from .scripts import chars as char_set, script_stretches

_RTL = char_set("\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFC")
"""Right-to-left letters (Hebrew and Arabic script, their presentation forms)."""


_OWN: dict[str, str] = {}
_FP: dict[float, str] = {}


class _Mapped(dict):
    """What each glyph of a face stands for in the ToUnicode map (engine.glyph_text),
    looked up by the character reportlab drew it for ("\0" for none)."""

    def __init__(self, face: str):
        super().__init__()
        self.face = face

    def __missing__(self, ch: str) -> str:
        out = glyph_text(self.face, ord(ch))
        if not out:  # no letters (yet: private-use letters are learnt as words are shaped)
            return "\0"
        self[ch] = out
        return out


_MAPPED: dict[str, _Mapped] = {}
_SPACE = re.compile(r"\s")
_LOOSE_RTL = _RTL | char_set("\U0001EE00-\U0001EEFF")
"""Right-to-left letters, and characters that stand for them (Arabic mathematical
letters)."""


def _hex(text: str) -> str:
    """A PDF text string in UTF-16 (with its byte order mark), in hex."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


class _Spans(dict):
    """The BDC operators of /Span with /ActualText (and `props`), by the text, remembered
    (a brief repeats its words)."""

    def __init__(self, props: str):
        super().__init__()
        self.props = props

    def __missing__(self, text: str) -> str:
        if len(self) > 20_000:
            self.clear()
        out = self[text] = f"/Span <<{self.props}/ActualText {_hex(text)}>> BDC"
        return out


_SPANS: dict[str, _Spans] = {}


def _spans_with(props: str) -> _Spans:
    spans = _SPANS.get(props)
    if spans is None:
        spans = _SPANS[props] = _Spans(props)
    return spans


def _own(ch: str) -> str:
    """The letter(s) a glyph drawn for `ch` stands for: a presentation form's letters."""
    out = _OWN.get(ch)
    if out is None:
        out = _OWN[ch] = unicodedata.normalize("NFKC", ch) if ch > "\u05ff" else ch
    return out


def _fp(v: float) -> str:
    """reportlab's number format, remembered (a brief repeats few adjustments)."""
    out = _FP.get(v)
    if out is None:
        if len(_FP) > 20_000:
            _FP.clear()
        out = _FP[v] = fp_str(v)
    return out


def _cluster_marks(marks: dict[int, list[str]], ops: list[str], start: int, clusters: list,
                   letters: list[str], chars: list[str], mapped: _Mapped) -> None:
    """The inner spans of a word whose glyphs start at `start` (its outer span is the last
    of `ops`, the marks at `start`): `clusters` and `letters` are each glyph's cluster and
    letters, `chars` the characters of the whole string. The first cluster gets a span, and
    so does any cluster of several glyphs or letters, or whose glyph the map does not give
    as its letter; each span closes where the next cluster starts, the word's at its end."""
    n = len(clusters)
    inside = False  # an inner span is open
    k = 0
    while k < n:  # a cluster's glyphs are next to each other
        m = k + 1
        while m < n and clusters[m] == clusters[k]:
            m += 1
        own = letters[k] if m == k + 1 else "".join(letters[k:m])
        if k == 0 or m > k + 1 or len(own) != 1 or mapped[chars[start + k]] != own:
            if len(own) > 1 and not _RTL.isdisjoint(own):
                own = own[::-1]  # a ligature's letters, in visual order
            if k > 0:
                ops = marks[start + k] = ["EMC"] if inside else []
            ops.append(_spans_with("")[own])
            inside = True
        elif inside:
            marks[start + k] = ["EMC"]
            inside = False
        k = m
    marks[start + n] = ["EMC", "EMC"] if inside else ["EMC"]


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
        /Lang when it is another language than the brief's), which a reader that follows
        the specification (a screen reader, Acrobat) takes for the whole word.

        Inside it, poppler (pdftotext, and the viewers built on it) takes the innermost
        span, lays an /ActualText out left to right before it puts right-to-left text into
        reading order, and drops what an outer span holds before an inner one opens. So the
        word's first glyph cluster gets its own /ActualText (its letters, a ligature's in
        visual order), and so does every further cluster whose glyph does not stand for its
        letter in the ToUnicode map (ligatures, clusters of several glyphs, glyphs that
        several letters share: `_cluster_marks`); the others come back as typed through the
        map (engine.glyph_text)."""
        data = text.__shapeData__ if isinstance(text, ShapedStr) else None
        if data is None:
            return self._arabic_unshaped(text)
        lang = self._tagger.languages.get("Arab")
        props = f"/Lang ({lang}) " if lang else ""
        word_spans, letter_spans = _spans_with(props), _spans_with("")
        mapped = _MAPPED.get(self._fontname)
        if mapped is None:
            f = getFont(self._fontname).face
            mapped = _MAPPED[self._fontname] = _Mapped((f.name + f.subfontNameX).decode(
                "latin-1"))
        chars = list(text)  # (indexing a ShapedStr makes a new one)
        marks: dict[int, list[str]] = {}
        i = 0
        for w, run in groupby([getattr(sd, "word", None) for sd in data]):
            j = i + len(list(run))
            whole = w is not None and j - i == w[2] and w[1] is not None
            if w is None and _LOOSE_RTL.isdisjoint("".join(chars[i:j])):
                i = j  # spaces, punctuation, digits: as they are
                continue
            if w is None or _SPACE.search(w[1] if whole else "".join(
                    [data[k].chars for k in range(i, j)])):
                self._loose(chars, data, i, j, marks, props, mapped)
                i = j
                continue
            logical = w[1] if whole else "".join(
                [data[k].chars for k in sorted(range(i, j), key=lambda k: data[k][0])])
            if _RTL.isdisjoint(logical):
                i = j
                continue
            ops = marks.get(i)
            if ops is None:
                ops = marks[i] = []
            ops.append(word_spans[logical])
            if j - i == len(logical) and "".join(map(mapped.__getitem__, chars[i:j])) == \
                    logical[::-1] and (j == i + 1 or data[i][0] != data[i + 1][0]):
                # Every glyph stands for its one letter, right to left: only the first
                # needs its span.
                ops.append(letter_spans[mapped[chars[i]]])
                if j > i + 1:
                    marks[i + 1] = ["EMC"]
                    marks[j] = ["EMC"]
                else:
                    marks[j] = ["EMC", "EMC"]
                i = j
                continue
            _cluster_marks(marks, ops, i, [data[k][0] for k in range(i, j)],
                           [data[k].chars for k in range(i, j)], chars, mapped)
            i = j
        return self._format_shaped(text, marks)

    def _loose(self, chars, data, i, j, marks, props, mapped) -> None:
        """The marks of glyphs [i, j) of a shaped string that are not one whole shaped
        word: glyphs that stand for their own letters (spaces, punctuation), a word that
        only partly is here, or one that holds a space. Each stretch between spaces is a
        word; its clusters are as above."""
        letters, order = [], []
        for k in range(i, j):
            got = getattr(data[k], "chars", None)
            if got is None:
                letters.append(_own(chars[k]))
                order.append((-k, None))
            else:
                letters.append(got)
                order.append((data[k][0], data[k].word))
        a = 0
        n = j - i
        while a < n:
            if letters[a].isspace():
                a += 1
                continue
            w = order[a][1]
            b = a + 1
            while b < n and order[b][1] == w and not letters[b].isspace():
                b += 1
            logical = "".join([letters[k] for k in sorted(range(a, b),
                                                          key=lambda k: order[k][0])])
            if not _RTL.isdisjoint(logical):
                ops = marks.get(i + a)
                if ops is None:
                    ops = marks[i + a] = []
                ops.append(_spans_with(props)[logical])
                _cluster_marks(marks, ops, i + a, [o[0] for o in order[a:b]], letters[a:b],
                               chars, mapped)
            a = b

    def _arabic_unshaped(self, text) -> str:
        """Right-to-left text in a shaped font that came without shaping data: each word
        with right-to-left letters gets its /Span with /ActualText, each letter its own."""
        lang = self._tagger.languages.get("Arab")
        props = f"/Lang ({lang}) " if lang else ""
        out = []
        for piece in re.split(r"(\s+)", text):
            if not piece:
                continue
            if piece.isspace() or _RTL.isdisjoint(piece):
                out.append(self._formatText(piece))
                continue
            logical = "".join(map(_own, reversed(piece)))
            out.append(_spans_with(props)[logical])
            for ch in piece:
                own = _own(ch)
                if len(own) > 1 and not _RTL.isdisjoint(own):
                    own = own[::-1]  # a ligature's letters, in visual order
                out.append(f"{_spans_with('')[own]} {self._formatText(ch)} EMC")
            out.append("EMC")
        return " ".join(out)

    def _format_shaped(self, text: ShapedStr, marks: dict[int, list[str]]) -> str:
        """reportlab's operators for a shaped string (PDFTextObject._formatText), with
        `marks` (glyph index -> operators) put between its glyphs, in one pass. As
        reportlab groups them: glyph codes together, adjustments summed, zeros left out."""
        shape_data = text.__shapeData__
        if all(not sd[3] and not sd[4] and sd[5] == sd[1] for sd in shape_data):
            return self._format_unshifted(text, marks)
        canv = self._canvas
        font = getFont(self._fontname)
        fontsize = self._fontsize
        saved = (self._code, self._x, self._y)
        self._code = out = []
        r0 = self._rise
        tmpl = f"{fp_str(fontsize)} Tf {fp_str(self._leading)} TL"
        ops: list[str] = []   # the TJ array being built
        glyphs = bytearray()  # glyph codes not yet in it
        shift = 0.0           # an adjustment not yet in it
        get = marks.get
        rise = r0
        try:
            pos = 0
            for subset, codes in font.splitString(text, canv._doc):
                font_op = None if subset == self._curSubset else \
                    f"{font.getSubsetInternalName(subset, canv._doc)} {tmpl}"
                self._curSubset = subset
                for code in codes:
                    sd = shape_data[pos]  # (cluster, x_advance, y_advance, x_offset, ...)
                    y_offset = sd[4]
                    r = r0 + fontsize * y_offset / 1000 if y_offset else r0
                    mark = get(pos)
                    if mark is not None or r != rise or font_op is not None:
                        if not ops and not shift:  # the glyphs so far, if any, as one Tj
                            if glyphs:
                                out.append("(%s) Tj" % escapePDF(bytes(glyphs)))
                                glyphs.clear()
                        else:  # the TJ so far
                            if glyphs:
                                ops.append("(%s)" % escapePDF(bytes(glyphs)))
                                glyphs.clear()
                            if shift:
                                v = _fp(shift)
                                if v != "0":
                                    ops.append(v)
                                shift = 0.0
                            if ops:
                                out.append(f"{ops[0]} Tj" if len(ops) == 1 and
                                           ops[0][0] == "(" else f"[{' '.join(ops)}] TJ")
                                ops.clear()
                        if font_op is not None:
                            out.append(font_op)
                            font_op = None
                        if mark is not None:
                            out.extend(mark)
                        if r != rise:
                            self.setRise(r)
                            rise = self._rise
                    x_offset = sd[3]
                    if x_offset:
                        shift -= x_offset
                    if shift:
                        if glyphs:
                            ops.append("(%s)" % escapePDF(bytes(glyphs)))
                            glyphs.clear()
                        v = _fp(shift)
                        if v != "0":
                            ops.append(v)
                        shift = 0.0
                    glyphs.append(code)
                    shift += sd[5] - sd[1] + x_offset  # width - x_advance + x_offset
                    pos += 1
            if glyphs:
                ops.append("(%s)" % escapePDF(bytes(glyphs)))
            if shift:
                v = _fp(shift)
                if v != "0":
                    ops.append(v)
            if ops:
                out.append(f"{ops[0]} Tj" if len(ops) == 1 and ops[0][0] == "("
                           else f"[{' '.join(ops)}] TJ")
            if self._rise != r0:
                self.setRise(r0)
            out.extend(marks.get(pos, ()))
        finally:
            self._code, self._x, self._y = saved
        return " ".join(out)

    def _format_unshifted(self, text: ShapedStr, marks: dict[int, list[str]]) -> str:
        """`_format_shaped` for a string whose glyphs HarfBuzz neither moves nor spaces
        otherwise than their widths (most are): the glyphs between marks, each run one Tj."""
        canv = self._canvas
        font = getFont(self._fontname)
        out: list[str] = []
        points = sorted(marks)
        n_points, at = len(points), 0
        pending: list[bytes] = []  # glyph codes not yet written
        pos = 0
        for subset, codes in font.splitString(text, canv._doc):
            end = pos + len(codes)
            if subset != self._curSubset:
                if pending:
                    out.append("(%s) Tj" % escapePDF(b"".join(pending)))
                    pending = []
                out.append(f"{font.getSubsetInternalName(subset, canv._doc)} "
                           f"{fp_str(self._fontsize)} Tf {fp_str(self._leading)} TL")
                self._curSubset = subset
            start = pos
            while at < n_points and points[at] < end:
                point = points[at]
                if point > start:
                    pending.append(codes[start - pos:point - pos])
                if pending:
                    out.append("(%s) Tj" % escapePDF(b"".join(pending)))
                    pending = []
                out.extend(marks[point])
                start = point
                at += 1
            if end > start:
                pending.append(codes[start - pos:])
            pos = end
        if pending:
            out.append("(%s) Tj" % escapePDF(b"".join(pending)))
        for point in points[at:]:
            out.extend(marks[point])
        return " ".join(out)
