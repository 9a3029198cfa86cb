"""Render a document tree to PDF with reportlab's platypus.

Settings follow shared measurements of what makes LibreOffice lay out our DOCX exactly as
this PDF: frames without padding, collapsed paragraph spacing, exact leading, no space
shrinkage, the keep-with-next rule of word processors, widow control on in both formats. reportlab is imported here only, so `--help` and `validate` stay fast.
"""

from __future__ import annotations

import copy
import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from . import engine  # noqa: F401  (first: it prepares reportlab)
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph,
                                Spacer, Table)
from reportlab.platypus.tables import TableStyle

from . import doc
from .scripts import has_arabic, is_rtl, split_arabic
from .templates import Font, Style, Template, fill


LINE_FUZZ = 0.01
BULLET_INDENT = 2.0
"""Where a list's bullet or number stands, from the left edge of the text."""


# -- fonts -------------------------------------------------------------------------------

_REGISTERED: dict[tuple, str] = {}


_BY_OBJECT: dict[int, tuple[Font, str]] = {}


def _register(font: Font) -> str:
    """Register a font family once per process; return its base name."""
    known = _BY_OBJECT.get(id(font))
    if known is not None and known[0] is font:
        return known[1]
    cache_key = tuple(sorted((face, str(path)) for face, path in font.files.items())) + \
        (font.shaped,)
    if cache_key in _REGISTERED:
        _BY_OBJECT[id(font)] = (font, _REGISTERED[cache_key])
        return _REGISTERED[cache_key]
    base = f"bg{len(_REGISTERED)}-{font.files['regular'].stem}"
    names = {}
    for face, path in font.files.items():
        name = base if face == "regular" else f"{base}-{face}"
        # Every face may take part in a shaped paragraph; engine shapes only Arabic faces.
        pdfmetrics.registerFont(TTFont(name, str(path), shapable=True))
        if font.shaped:
            engine.SHAPED_FONTS.add(name)
        names[face] = name
    pdfmetrics.registerFontFamily(base, normal=names["regular"], bold=names["bold"],
                                  italic=names["italic"], boldItalic=names["bold_italic"])
    _REGISTERED[cache_key] = base
    _BY_OBJECT[id(font)] = (font, base)
    return base


def missing_characters(document: doc.Document, template: Template) -> list[str]:
    """Characters that no font of the template has (an emoji, say): the PDF would show an
    empty box for them. Arabic-script stretches are looked up in the Arabic font."""
    body = pdfmetrics.getFont(font_name(template.font_for(template.styles["body"])))
    arabic = pdfmetrics.getFont(_register(template.fonts[template.arabic_font])) \
        if template.arabic_font else None
    fallback = pdfmetrics.getFont(_register(template.fonts[template.fallback_font])) \
        if template.fallback_font else None
    fb_cmap = fallback.face.charToGlyph if fallback else {}
    missing: dict[str, None] = {}
    for text in document.texts():
        for is_ar, piece in split_arabic(text):
            cmap = (arabic or body).face.charToGlyph if is_ar else body.face.charToGlyph
            for ch in piece:
                if ord(ch) not in cmap and ord(ch) not in fb_cmap and ch not in missing \
                        and not _invisible(ch):
                    missing[ch] = None
    return list(missing)


def _invisible(ch: str) -> bool:
    import unicodedata

    return unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") or ch in "\n\t"


def font_name(font: Font, bold: bool = False, italic: bool = False) -> str:
    """The registered face for a weight and slant."""
    base = _register(font)
    face = {(False, False): "", (True, False): "-bold", (False, True): "-italic",
            (True, True): "-bold_italic"}[(bold, italic)]
    return base + face


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

    Word order: reportlab lays words out left to right. In a left-to-right paragraph the
    words of each Arabic stretch are given in reverse, so they read from the right; a
    right-to-left paragraph (`rtl`) is reversed line by line by RtlParagraph, so there the
    stretches of left-to-right words are given in reverse instead."""
    link = template.colors.get("link", "1F4E8C")
    faces = _faces(template, font)
    arabic = faces[0]
    out = []
    for run in runs:
        parts = []
        for face, piece in _by_font(clean_text(run.text), faces):
            if (face == arabic) != rtl and (face == arabic or _has_ltr_letters(piece)):
                piece = _reverse_words(piece)
            piece = escape(piece)
            if face and base is not None and (base.bold or base.italic):
                # A face change drops the style's own bold or italic; say it again.
                piece = (f"<b>{piece}</b>" if base.bold else piece)
                piece = (f"<i>{piece}</i>" if base.italic else piece)
            parts.append(f'<font face="{face}">{piece}</font>' if face else piece)
        s = "".join(parts)
        if run.italic:
            s = f"<i>{s}</i>"
        if run.bold:
            s = f"<b>{s}</b>"
        if run.href:
            s = f'<a href={_attr(run.href)} color="#{link}">{s}</a>'
        out.append(s)
    return "".join(out)


def _has_ltr_letters(text: str) -> bool:
    return any(ch.isalpha() and not has_arabic(ch) for ch in text)


def _reverse_words(text: str) -> str:
    """The words of a stretch in reverse order; its outer spaces stay where they are."""
    core = text.strip(" ")
    if " " not in core:
        return text
    lead = text[:len(text) - len(text.lstrip(" "))]
    trail = text[len(text.rstrip(" ")):]
    return lead + " ".join(reversed(core.split(" "))) + trail


def _faces(template: Template, font: Font | None):
    """(arabic face, fallback face, the paragraph font's character map)."""
    arabic = _register(template.fonts[template.arabic_font]) if template.arabic_font else None
    fallback = _register(template.fonts[template.fallback_font]) \
        if template.fallback_font else None
    font = font or template.font_for(template.styles["body"])
    cmap = pdfmetrics.getFont(font_name(font)).face.charToGlyph
    fb_cmap = pdfmetrics.getFont(fallback).face.charToGlyph if fallback else {}
    return arabic, fallback, cmap, fb_cmap


_PIECES: dict[tuple, list] = {}


def _by_font(text: str, faces) -> list[tuple[str | None, str]]:
    """Pieces of text with the face to set them in (None: the paragraph's own)."""
    arabic, fallback, cmap, fb_cmap = faces
    key = (text, arabic, fallback, id(cmap))
    cached = _PIECES.get(key)
    if cached is None:
        if len(_PIECES) > 50_000:
            _PIECES.clear()
        cached = _PIECES[key] = _split_faces(text, arabic, fallback, cmap, fb_cmap)
    return cached


def _split_faces(text, arabic, fallback, cmap, fb_cmap) -> list[tuple[str | None, str]]:
    out: list[tuple[str | None, str]] = []
    for is_ar, piece in split_arabic(text):
        if is_ar and arabic:
            out.append((arabic, piece))
            continue
        for ch in piece:
            face = fallback if (ord(ch) not in cmap and ord(ch) in fb_cmap) else None
            if out and out[-1][0] == face and not (face is None and out[-1][0] == arabic):
                out[-1] = (face, out[-1][1] + ch)
            else:
                out.append((face, ch))
    return out


def clean_text(text: str) -> str:
    """Text as the PDF engine should see it: a tab is a space (reportlab has no tab
    stops; the builder does the same for the DOCX)."""
    return text.replace("\t", " ")


def _attr(value: str) -> str:
    return '"' + escape(value, {'"': "&quot;"}) + '"'


# -- flowables ---------------------------------------------------------------------------

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


_PARSED: dict[tuple, tuple] = {}
_WRAPPED: dict[tuple, tuple] = {}
_CACHE_LIMIT = 20_000


class BriefParagraph(Paragraph):
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


class RtlParagraph(Paragraph):
    """A right-to-left paragraph: reportlab breaks its lines in reading order, then each
    line's words are put in visual order, right to left (HarfBuzz has already laid out the
    letters inside each Arabic word)."""

    def breakLines(self, width):
        lines = super().breakLines(width)
        if lines.kind == 1:
            for line in lines.lines:
                line.words = _reverse_frag_words(line.words)
        else:
            lines.lines = [(extra, list(reversed(words))) for extra, words in lines.lines]
        return lines


def _reverse_frag_words(frags: list) -> list:
    """The words of a line of runs in reverse order, each word kept whole (a shaped word
    keeps its glyph data: slices of reportlab's ShapedStr carry it)."""
    pieces = []  # (frag, word) in reading order
    for frag in frags:
        text = getattr(frag, "text", None)
        if not isinstance(text, str) or hasattr(frag, "cbDefn"):
            pieces.append((frag, None))
            continue
        start = None
        for i, ch in enumerate(text + " "):
            if ch == " " and start is not None:
                pieces.append((frag, text[start:i]))
                start = None
            elif ch != " " and start is None:
                start = i
    out = []
    for n, (frag, word) in enumerate(reversed(pieces)):
        if word is None:
            out.append(frag)
            continue
        out.append(frag.clone(text=(word + " ") if n < len(pieces) - 1 else word))
    return out


# -- the document ------------------------------------------------------------------------

class Renderer:
    """Turns blocks into flowables, one method per node type."""

    _styles: dict[int, tuple[Template, dict[str, ParagraphStyle]]] = {}

    def __init__(self, template: Template):
        self.t = template
        cached = self._styles.get(id(template))
        if cached is None or cached[0] is not template:
            cached = (template, {name: paragraph_style(s, template)
                                 for name, s in template.styles.items()})
            self._styles[id(template)] = cached
        self.styles = cached[1]
        self._variants = self._styles_variants.setdefault(id(template), {})

    _styles_variants: dict[int, dict] = {}

    def style(self, name: str, **over) -> ParagraphStyle:
        """The reportlab style of a template style, with overrides; one object per variant,
        so the paragraph cache (see BriefParagraph) can recognise repeated paragraphs."""
        if not over:
            return self.styles[name]
        key = (name, tuple(sorted(over.items())))
        st = self._variants.get(key)
        if st is None:
            st = self._variants[key] = paragraph_style(self.t.styles[name], self.t, **over)
        return st

    def flowables(self, document: doc.Document) -> list[Flowable]:
        """All flowables of a document, with keep-with-next guards before headings."""
        out: list[Flowable] = []
        for block in document.blocks:
            out += self.block(block)
        return keep_headings(out)

    def block(self, block: doc.Block) -> list[Flowable]:
        """The flowables of one block, dispatched on the node type."""
        method = getattr(self, _method_name(block), None)
        if method is None:
            raise TypeError(f"the PDF renderer has no method for {type(block).__name__}")
        return method(block)

    def para(self, runs: doc.Runs, style: str, **over) -> Paragraph:
        extra, rtl = self._script(runs, style)
        st = self.style(style, **{**over, **extra})
        base = self.t.styles[style]
        return (RtlParagraph if rtl else BriefParagraph)(
            markup(runs, self.t, rtl, self.t.font_for(base), base), st)

    def title_block(self, block: doc.TitleBlock) -> list[Flowable]:
        out = [self.para(block.title, "title")]
        if block.subtitle:
            out.append(self.para(block.subtitle, "subtitle"))
        out += [self.para((doc.Run(m),), "meta") for m in block.meta]
        return out

    def heading(self, block: doc.Heading) -> list[Flowable]:
        flowable = self.para((doc.Run(block.text),), f"heading{block.level}")
        flowable.outline = (block.text, block.level - 1)  # a bookmark (see _DocTemplate)
        return [flowable]

    def gap(self, block: doc.Gap) -> list[Flowable]:
        return [Spacer(self.t.text_width, self.t.box.get("gap", 8.0))]

    def paragraph(self, block: doc.Paragraph) -> list[Flowable]:
        return [self.para(block.runs, block.style)]

    def bullet_list(self, block: doc.BulletList) -> list[Flowable]:
        return self._list(block.items, "bullet", lambda n: "•")

    def numbered_list(self, block: doc.NumberedList) -> list[Flowable]:
        return self._list(block.items, "number", lambda n: f"{n}.", block.start)

    def _list(self, items, style_name: str, label, start: int = 1, **over) -> list[Flowable]:
        style = self.t.styles[style_name]
        indent = style.indent or 14.0
        out = []
        for n, runs in enumerate(items, start):
            extra, rtl = self._script(runs, style_name)
            if rtl:
                # A right-to-left item: its bullet or number leads at the right.
                st = self.style(style_name, leftIndent=0, rightIndent=indent - 2,
                                **{**over, **extra})
                lead = (doc.Run(label(n) + " "),)
                out.append(RtlParagraph(markup(lead + runs, self.t, True,
                                               self.t.font_for(style), style), st))
                continue
            st = self.style(style_name, leftIndent=indent, bulletIndent=BULLET_INDENT,
                            **{**over, **extra})
            out.append(BriefParagraph(markup(runs, self.t, False, self.t.font_for(style),
                                             style), st, bulletText=label(n)))
        return out

    def _script(self, runs: doc.Runs, style: str) -> tuple[dict, bool]:
        """Style changes for a paragraph with Arabic script (shaping on, and aligned to the
        right when it is right-to-left), and whether it is right-to-left."""
        text = "".join(r.text for r in runs)
        if not (self.t.arabic_font and has_arabic(text)):
            return {}, False
        if is_rtl(text):
            return {"shaping": 1, "alignment": TA_LEFT if self.t.styles[style].align
                    == "right" else TA_RIGHT}, True
        return {"shaping": 1}, False

    def memo_block(self, block: doc.MemoBlock) -> list[Flowable]:
        return [self.para((doc.Run(f"{label}: ", bold=True),) + value, "memo_value")
                for label, value in block.rows]

    def columns_table(self, block: doc.ColumnsTable) -> list[Flowable]:
        t = self.t.table
        pad_x, pad_y = float(t.get("padding_x", 4)), float(t.get("padding_y", 3))
        header = [self.para((doc.Run(h),), "table_header") for h in block.headers]
        data = [header]
        for pair in block.rows:
            data.append([self._list((runs,), "bullet", lambda n: "•", spaceAfter=0)
                         if runs else "" for runs in pair])
        halves = self.t.column_widths((1, 1), 2)
        table = Table(data, colWidths=halves, repeatRows=1, hAlign="LEFT")
        table.setStyle(TableStyle([
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#" + self.t.colors["table_header"])),
            ("LEFTPADDING", (0, 0), (-1, -1), pad_x),
            ("RIGHTPADDING", (0, 0), (-1, -1), pad_x),
            ("TOPPADDING", (0, 0), (-1, -1), pad_y),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad_y),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("FONTNAME", (0, 0), (-1, -1), self.styles["table_cell"].fontName),
        ]))
        return [table]

    def callout(self, block: doc.Callout) -> list[Flowable]:
        box = self.t.box
        pad, rule = box.get("padding", 6), box.get("border", 1.5)
        cell = [self.para((doc.Run(block.label),), "callout_label")]
        if block.bullets:
            cell += self._list(block.paragraphs, "callout", lambda n: "•")
        else:
            cell += [self.para(p, "callout") for p in block.paragraphs]
        table = Table([[cell]], colWidths=[self.t.text_width], hAlign="LEFT",
                      spaceBefore=box.get("space_before", 0),
                      spaceAfter=box.get("space_after", 0))
        table.setStyle(TableStyle([
            ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#" + self.t.colors["box"])),
            ("LINEBEFORE", (0, 0), (0, -1), rule, colors.HexColor("#" + self.t.colors["box_border"])),
            ("LEFTPADDING", (0, 0), (-1, -1), pad + rule),
            ("RIGHTPADDING", (0, 0), (-1, -1), pad),
            ("TOPPADDING", (0, 0), (-1, -1), pad),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("FONTNAME", (0, 0), (-1, -1), self.styles["callout"].fontName),
        ]))
        table._is_callout = True
        return [table]

    def recommendation_table(self, block: doc.RecommendationTable) -> list[Flowable]:
        t = self.t.table
        border = float(t.get("border", 0.5))
        pad_x, pad_y = float(t.get("padding_x", 4)), float(t.get("padding_y", 3))
        widths = self.t.column_widths(block.widths, len(block.header))
        data = [[self.para((doc.Run(h),), "table_header") for h in block.header]]
        data += [[self.para(cell, "table_cell") for cell in row.cells] for row in block.rows]
        table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT",
                      spaceBefore=float(t.get("space_before", 0)),
                      spaceAfter=float(t.get("space_after", 8)) + border)
        rule = colors.HexColor("#" + self.t.colors.get("rule", "999999"))
        table.setStyle(TableStyle([
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#" + self.t.colors["table_header"])),
            ("GRID", (0, 0), (-1, -1), border, rule),
            ("LEFTPADDING", (0, 0), (-1, -1), pad_x),
            ("RIGHTPADDING", (0, 0), (-1, -1), pad_x),
            # LibreOffice adds the border width to every row: so do we.
            ("TOPPADDING", (0, 0), (-1, -1), pad_y + border / 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad_y + border / 2),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            # Cells hold paragraphs, but reportlab still sets the cell font: not Helvetica.
            ("FONTNAME", (0, 0), (-1, -1), self.styles["table_cell"].fontName),
        ]))
        return [table]

    def source_reference(self, block: doc.SourceReference) -> list[Flowable]:
        runs = (doc.Run(f"{block.label}: ", bold=True),) + block.runs
        return [self.para(runs, "source")]


def _method_name(block) -> str:
    name = type(block).__name__
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")


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


class _DocTemplate(BaseDocTemplate):
    def afterFlowable(self, flowable):
        outline = getattr(flowable, "outline", None)
        if outline:
            title, level = outline
            # An outline may not skip a level (a level-2 heading with no level-1 above it).
            level = min(level, getattr(self, "_outline_level", -1) + 1)
            self._outline_level = level
            key = f"h{self.page}-{len(getattr(self, '_outline_keys', ()))}"
            self._outline_keys = getattr(self, "_outline_keys", ()) + (key,)
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(title, key, level=level, closed=False)


def _canvas_class(template: Template, document: doc.Document):
    """A canvas that draws the header, the footer and the logo once the page count is
    known. Text that holds {classification} is a marking and is drawn in the header style
    at the top and at the bottom alike."""
    w, h = template.page_size
    m = template.margins
    values = document.metadata.values()
    header_style, footer_style = template.styles["header"], template.styles["footer"]
    lines = [(slots, style, y)
             for slots, style, y in ((template.header, header_style,
                                      h - m["header"] - header_style.size),
                                     (template.footer, footer_style, m["footer"]))]

    def _fitting_size(text: str, face: str, size: float, room: float) -> float:
        """The font size at which a header or footer text fits its third of the line
        (down to 60%), so that slots never print over each other."""
        width = pdfmetrics.stringWidth(text, face, size)
        return size if width <= room else max(size * 0.6, size * room / width)

    def _needs_paragraph(text: str, t: Template, st: Style) -> bool:
        """Text with Arabic script or characters the style's font lacks is set as a small
        paragraph (fonts per stretch, right-to-left order) instead of a plain string."""
        if has_arabic(text):
            return True
        cmap = pdfmetrics.getFont(font_name(t.font_for(st))).face.charToGlyph
        return any(ord(ch) not in cmap for ch in text if not ch.isspace())

    class BriefCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            # Without an initial font, every page names unembedded Helvetica.
            kwargs["initialFontName"] = font_name(template.font_for(footer_style))
            kwargs["initialFontSize"] = footer_style.size
            super().__init__(*args, **kwargs)
            self._doc._timeStamp = _TimeStamp(document.metadata.moment())
            self._pages = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _slot_paragraph(self, text: str, st: Style, position: str, baseline: float):
            runs = (doc.Run(text),)
            rtl = is_rtl(text)
            style = paragraph_style(st, template, alignment={
                "left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}[position],
                shaping=1 if has_arabic(text) else 0)
            p = (RtlParagraph if rtl else Paragraph)(
                markup(runs, template, rtl, template.font_for(st), st), style)
            width = w - m["left"] - m["right"]
            p.wrap(width, 1000)
            p.drawOn(self, m["left"], baseline - (style.leading - style.fontSize))

        def _decorate(self, total: int):
            page_values = dict(values, page=str(self._pageNumber), pages=str(total))
            for slots, style, y in lines:
                for position, text in slots.items():
                    if position == "left" and template.logo and slots is template.header:
                        continue  # the logo takes the header's left
                    st = header_style if "{classification}" in text else style
                    shown = fill(text, page_values)
                    if _needs_paragraph(shown, template, st):
                        self._slot_paragraph(shown, st, position, y)
                        continue
                    self.setFillColor(colors.HexColor("#" + st.color))
                    face = font_name(template.font_for(st), st.bold, st.italic)
                    room = (w - m["left"] - m["right"]) / (1 if len(slots.items()) == 1 else 3)
                    size = _fitting_size(shown, face, st.size, room - 4)
                    self.setFont(face, size)
                    if position == "left":
                        self.drawString(m["left"], y, shown)
                    elif position == "center":
                        self.drawCentredString(w / 2, y, shown)
                    else:
                        self.drawRightString(w - m["right"], y, shown)
            if template.logo:
                logo = template.logo
                self.drawImage(str(logo.path), m["left"], h - m["header"] - logo.height,
                               width=logo.width, height=logo.height,
                               preserveAspectRatio=True, anchor="sw", mask="auto")

    return BriefCanvas


class _TimeStamp:
    """reportlab's TimeStamp for a given moment: the PDF's /CreationDate and /ModDate."""

    def __init__(self, moment):
        self.t = moment.timestamp()
        self.lt = moment.timetuple()
        self.YMDhms = tuple(self.lt)[:6]
        self.dhh = self.dmm = 0
        self.tzname = "UTC"

    @property
    def datetime(self):
        return __import__("datetime").datetime.fromtimestamp(self.t, __import__(
            "datetime").timezone.utc)


def page_frame(template: Template, reserve: float = 0.0) -> Frame:
    """The text frame: the page less its margins, with no padding (see module docstring).
    `reserve` points are kept free at the foot of every page."""
    w, h = template.page_size
    m = template.margins
    return Frame(m["left"], m["bottom"] + reserve, w - m["left"] - m["right"],
                 h - m["top"] - m["bottom"] - reserve,
                 leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")


@dataclass(frozen=True)
class Layout:
    """A laid-out PDF: its bytes, its page count and how full its last page is (0-1)."""

    pdf: bytes
    pages: int
    last_fill: float


def layout(document: doc.Document, template: Template, reserve: float = 0.0) -> Layout:
    """Lay out and render the document."""
    buffer = io.BytesIO()
    meta = document.metadata
    pdf = _DocTemplate(
        buffer, pagesize=template.page_size, title=meta.title, author=meta.author,
        subject=meta.subject, keywords=list(meta.keywords), creator="briefgen",
        producer="briefgen", lang=meta.language, invariant=1,
        leftMargin=template.margins["left"], rightMargin=template.margins["right"],
        topMargin=template.margins["top"], bottomMargin=template.margins["bottom"],
    )
    pdf.addPageTemplates([PageTemplate(id="page", frames=[page_frame(template, reserve)])])
    pdf.build(Renderer(template).flowables(document),
              canvasmaker=_canvas_class(template, document))
    frame = pdf.frame
    used = frame._y2 - frame._y - frame._prevASpace
    return Layout(buffer.getvalue(), pdf.page, max(0.0, min(1.0, used / frame._aH)))


def render_pdf(document: doc.Document, template: Template) -> bytes:
    """The PDF bytes of a document."""
    return layout(document, template).pdf
