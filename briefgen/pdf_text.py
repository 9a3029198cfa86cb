"""PDF text: runs become reportlab paragraph markup (every character escaped, fonts per
stretch, right-to-left word order, link targets percent-encoded), and the paragraph classes
the renderer lays out, which mark their content for the structure tree (`pdf_tags`)."""

from __future__ import annotations

import copy
import re
from urllib.parse import urlsplit

from . import engine  # noqa: F401  (first: it prepares reportlab)
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from . import doc
from .pdf_fonts import by_font, faces, font_name
from .pdf_bidi import needs_bidi, visual_frags, visual_words
from .pdf_marks import TaggedText
from .templates import Font, Style, Template
from .xmltext import escape

def paragraph_style(style: Style, template: Template, **over) -> ParagraphStyle:
    """A reportlab style with the settings that keep PDF and DOCX line breaks equal."""
    font = template.font_for(style)
    values = dict(
        name=style.name, fontName=font_name(font, style.bold, style.italic),
        fontSize=style.size, leading=style.leading, spaceBefore=style.space_before,
        spaceAfter=style.space_after, textColor=colors.HexColor("#" + style.color),
        leftIndent=style.indent, alignment=_ALIGN[style.align], allowWidows=0, allowOrphans=0,
        spaceShrinkage=0, embeddedHyphenation=1, splitLongWords=1, uriWasteReduce=0.3,
        bulletFontName=font_name(font), bulletFontSize=style.size,
    )
    values.update(over)
    return ParagraphStyle(**values)


_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}


def markup(runs: doc.Runs, template: Template, rtl: bool = False,
           font: Font | None = None, base: Style | None = None) -> str:
    """reportlab paragraph markup for runs; every character of text is escaped.
    Arabic-script stretches are set in the template's Arabic font, and characters that the
    paragraph's font lacks in the template's fallback font.

    Word order: runs are given in reading order; a paragraph with right-to-left text is a
    BidiParagraph, whose lines are put in visual order after line breaking (`pdf_bidi`).
    `rtl` is kept for the callers' sake: the order no longer depends on it."""
    link = template.colors.get("link", "1F4E8C")
    fonts = faces(template, font)
    out = []
    for run in runs:
        parts = []
        for face, piece in by_font(clean_text(run.text), fonts):
            piece = escape(piece)
            if face:
                # A face change drops the bold or italic around it (the style's or the
                # run's): say it again inside, so bold Urdu is set in the bold face.
                bold = run.bold or (base is not None and base.bold)
                italic = run.italic or (base is not None and base.italic)
                piece = (f"<b>{piece}</b>" if bold else piece)
                piece = (f"<i>{piece}</i>" if italic else piece)
            parts.append(f'<font face="{face}">{piece}</font>' if face else piece)
        s = "".join(parts)
        if run.italic:
            s = f"<i>{s}</i>"
        if run.bold:
            s = f"<b>{s}</b>"
        if run.href:
            s = f'<a href={_attr(pdf_uri(run.href))} color="#{link}">{s}</a>'
        out.append(s)
    return "".join(out)


def clean_text(text: str) -> str:
    """Text as the PDF engine should see it: a tab is a space (reportlab has no tab
    stops; the builder does the same for the DOCX)."""
    return text.replace("\t", " ")


def _attr(value: str) -> str:
    return '"' + escape(value, quotes=True) + '"'


LABEL_MARK = '<onDraw name="label" label="label"/>'
"""Put before and after a list item's label that is set in its text (right-to-left items):
the tagged text object marks what lies between as the item's /Lbl."""

_URI_KEEP = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2}")


def _percent(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        m = _URI_KEEP.match(text, i)
        if m:
            out.append(m.group(0))
            i = m.end()
        else:
            out.append("".join(f"%{b:02X}" for b in text[i].encode("utf-8", "surrogatepass")))
            i += 1
    return "".join(out)


def pdf_uri(url: str) -> str:
    """A link target as a PDF URI action needs it: 7-bit ASCII, percent-encoded as RFC 3986
    says (spaces and other characters encoded as UTF-8 bytes, reserved characters and
    existing escapes kept), a non-ASCII host name in IDNA (punycode)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return _percent(url)
    netloc = parts.netloc
    if netloc and not netloc.isascii():
        user, at, hostport = netloc.rpartition("@")
        host, colon, port = hostport.partition(":")
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            pass
        scheme = url[:len(parts.scheme) + 3]  # "https://"
        rest = url[len(scheme) + len(netloc):]
        return scheme + _percent(user + at) + _percent(host + colon + port) + _percent(rest)
    return _percent(url)


_PARSED: dict[tuple, tuple] = {}
_WRAPPED: dict[tuple, tuple] = {}
_CACHE_LIMIT = 20_000


class TaggedParagraph(Paragraph):
    """A paragraph that marks what it draws as its structure element (`tag`), its
    bullet or number as `label`, and records where it was drawn (for bookmarks). Both parts
    of a paragraph split over two pages are the same element; the label is the first's."""

    tag = None
    """The pdf_tags.Element the text belongs to (None: untagged, e.g. page furniture)."""
    label = None
    """The /Lbl element of a list item's bullet or number."""
    link_texts: dict[str, str] | None = None
    """A link target's text, for the annotation's /Contents."""
    drawn_at: tuple[int, float, float] | None = None
    """(page, x, top) where the paragraph was last drawn."""

    def drawOn(self, canvas, x, y, _sW=0):
        self.drawn_at = (canvas.getPageNumber(), x, y + self.height)
        super().drawOn(canvas, x, y, _sW)

    def draw(self):
        tagger = getattr(self.canv, "tagger", None)
        if tagger is None:
            return super().draw()
        previous, tagger.current = tagger.current, self
        try:
            super().draw()
        finally:
            tagger.current = previous

    def beginText(self, x, y):
        tagger = getattr(self.canv, "tagger", None)
        if tagger is None:
            return super().beginText(x, y)
        return TaggedText(self.canv, x, y, tagger, self)

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        for n, part in enumerate(parts):
            part.tag, part.link_texts = self.tag, self.link_texts
            part.label = self.label if n == 0 else None
        if parts and hasattr(self, "outline"):
            parts[0].outline = self.outline
        return parts


class BriefParagraph(TaggedParagraph):
    """A paragraph that remembers how its markup parsed and wrapped, per style and width:
    fitting a page budget measures the same paragraphs as the final render lays out, so
    the render takes them from the cache. A split works on its own copy."""

    def __init__(self, text, style=None, bulletText=None, frags=None, **kw):
        self._key = None
        if frags is not None or text is None:
            super().__init__(text, style, bulletText, frags=frags, **kw)
            return
        key = (text, id(style), bulletText)
        parsed = _PARSED.get(key)
        if parsed is not None and parsed[0] is style:
            super().__init__(None, parsed[1], parsed[3], frags=list(parsed[2]))
            self.text = text
        else:
            super().__init__(text, style, bulletText)
            if len(_PARSED) > _CACHE_LIMIT:
                _PARSED.clear()
            _PARSED[key] = (style, self.style, tuple(self.frags), self.bulletText)
        self._key = key

    def wrap(self, availWidth, availHeight):
        if self._key is None:
            return super().wrap(availWidth, availHeight)
        key = self._key + (availWidth,)
        hit = _WRAPPED.get(key)
        if hit is not None:
            self.width, self.blPara, self.height, self._wrapWidths = availWidth, *hit
            return availWidth, self.height
        width, height = super().wrap(availWidth, availHeight)
        if len(_WRAPPED) > _CACHE_LIMIT:
            _WRAPPED.clear()
        _WRAPPED[key] = (self.blPara, height, self._wrapWidths)
        return width, height

    def split(self, availWidth, availHeight):
        if hasattr(self, "blPara"):
            self.blPara = copy.deepcopy(self.blPara)  # reportlab edits it while splitting
        return super().split(availWidth, availHeight)


class BidiParagraph(BriefParagraph):
    """A paragraph with right-to-left text (or bidi marks): reportlab breaks its lines in
    reading order, then each line is put in visual order by the Unicode bidi algorithm
    (`pdf_bidi`), from the paragraph's base direction: right to left for an RtlParagraph.
    HarfBuzz has already laid out the letters inside each Arabic-script word. A split
    gives its parts the lines in reading order, which they order again."""

    rtl = False

    def draw(self):
        self.canv._paragraph_width = self.width  # where a mirrored list label stands
        return super().draw()

    def breakLines(self, width):
        lines = super().breakLines(width)
        if lines.kind == 1:
            for line in lines.lines:
                line.logical_words = line.words
                line.words = visual_frags(line.words, self.rtl, _is_shaped)
        else:
            lines.lines = [(extra, visual_words(list(words), self.rtl))
                           for extra, words in lines.lines]
        return lines

    def split(self, availWidth, availHeight):
        if hasattr(self, "blPara") and self.blPara.kind == 1:
            import copy as _copy

            self.blPara = _copy.copy(self.blPara)
            self.blPara.lines = [_logical(line) for line in self.blPara.lines]
        return super().split(availWidth, availHeight)


class RtlParagraph(BidiParagraph):
    """A right-to-left paragraph (base direction right to left, aligned by its style)."""

    rtl = True


def paragraph_class(text: str, rtl: bool):
    """The paragraph class for a text: RtlParagraph for a right-to-left paragraph,
    BidiParagraph for a left-to-right one with right-to-left text, else BriefParagraph."""
    if rtl:
        return RtlParagraph
    return BidiParagraph if needs_bidi(text) else BriefParagraph


def _logical(line):
    words = getattr(line, "logical_words", None)
    if words is None:
        return line
    clone = copy.copy(line)
    clone.words = words
    return clone


def _is_shaped(text) -> bool:
    from reportlab.pdfbase.ttfonts import ShapedStr

    return isinstance(text, ShapedStr)
