"""Render a document tree to PDF with reportlab's platypus.

Settings follow shared measurements of what makes LibreOffice lay out our DOCX exactly as
this PDF: frames without padding, collapsed paragraph spacing, exact leading, no space
shrinkage, the keep-with-next rule of word processors, widow control on in both formats.
reportlab is imported by the PDF modules only, so `--help` and `validate` stay fast:

- `pdf_fonts`: fonts registered once, the face of each stretch of text;
- `pdf_text`: runs to escaped paragraph markup, right-to-left order, paragraph classes;
- `pdf_flow`: keep-with-next and widow rules, shared with `measure`;
- `pdf_page`: the page frame and the canvas that draws headers, footers and markings;
- `pdf_tags`: the structure tree (every PDF is tagged, PDF/UA-1), with `pdf_marks` for the
  marked content inside text (links, labels, /ActualText, /Lang);
- `pdf_meta`: XMP metadata, the catalog's entries, PDF/A-2a's output intent;
- this module: one method per node type, which also gives each flowable its structure
  element (the node's role), and the layout of a whole document.
"""

from __future__ import annotations

import io

from . import engine  # noqa: F401  (first: it prepares reportlab)
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import BaseDocTemplate, Flowable, PageTemplate, Paragraph, Spacer
from reportlab.platypus.tables import TableStyle

from . import doc
from .pdf_flow import keep_headings, keep_with_next
from .pdf_page import canvas_class, page_frame
from .lists import list_geometry
from .pdf_tags import (TABLE_HEADER, TABLE_TAGS, Element, TaggedTable, Tagger, list_element,
                       list_item)
from .pdf_text import markup, paragraph_class, paragraph_style, pdf_uri
from .records import dataclass
from .scripts import has_arabic, is_rtl
from .templates import Template

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
        self.rtl = False
        """Whether the document runs right to left: every paragraph, list and table
        mirrored."""

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
        """All flowables of a document, with keep-with-next guards before headings. A
        heading never skips a level (an H2 with no H1 above it becomes an H1), in the
        outline and the tags alike."""
        out: list[Flowable] = []
        level = 0
        self.rtl = document.metadata.direction == "rtl"
        for block in document.blocks:
            if isinstance(block, doc.Heading):
                level = min(block.level, level + 1)
                made = self.heading(block, level)
            else:
                made = self.block(block)
            if out and made and doc.keeps_previous(block):
                keep_with_next(out[-1], made[0])
            out += made
        return keep_headings(out)

    def block(self, block: doc.Block) -> list[Flowable]:
        """The flowables of one block, dispatched on the node type."""
        method = getattr(self, _method_name(block), None)
        if method is None:
            raise TypeError(f"the PDF renderer has no method for {type(block).__name__}")
        return method(block)

    def para(self, runs: doc.Runs, style: str, tag: Element | None = None,
             **over) -> Paragraph:
        """A paragraph of runs in a template style, drawn as the structure element `tag`
        (a new /P when not given)."""
        extra, rtl = self._script(runs, style)
        st = self.style(style, **{**over, **extra})
        base = self.t.styles[style]
        p = paragraph_class("".join(r.text for r in runs), rtl)(
            markup(runs, self.t, rtl, self.t.font_for(base), base), st)
        p.tag = tag if tag is not None else Element("P")
        p.link_texts = _link_texts(runs)
        return p

    def title_block(self, block: doc.TitleBlock) -> list[Flowable]:
        out = [self.para(block.title, "title")]
        if block.subtitle:
            out.append(self.para(block.subtitle, "subtitle"))
        out += [self.para((doc.Run(m),), "meta") for m in block.meta]
        return out

    def heading(self, block: doc.Heading, level: int | None = None) -> list[Flowable]:
        level = level or block.level
        flowable = self.para((doc.Run(block.text),), f"heading{block.level}",
                             Element(f"H{level}"))
        flowable.outline = (block.text, level - 1)  # a bookmark (see _DocTemplate)
        return [flowable]

    def gap(self, block: doc.Gap) -> list[Flowable]:
        return [Spacer(self.t.text_width, self.t.box.get("gap", 8.0))]

    def paragraph(self, block: doc.Paragraph) -> list[Flowable]:
        return [self.para(block.runs, block.style,
                          Element("BlockQuote") if block.style == "quote" else None)]

    def bullet_list(self, block: doc.BulletList) -> list[Flowable]:
        return self._list(block.items, "bullet", lambda n: "•")

    def numbered_list(self, block: doc.NumberedList) -> list[Flowable]:
        return self._list(block.items, "number", lambda n: f"{n}.", block.start)

    def _list(self, items, style_name: str, label, start: int = 1,
              parent: Element | None = None, **over) -> list[Flowable]:
        """A list's items, tagged /L with a /LI (its /Lbl and /LBody) per item."""
        style = self.t.styles[style_name]
        indent = style.indent or 14.0
        tags = list_element(label(1) != "•", parent)
        out = []
        for n, runs in enumerate(items, start):
            extra, rtl = self._script(runs, style_name)
            font = self.t.font_for(style)
            # The label and the text where the DOCX puts them (see lists), measured from
            # the right in a right-to-left item.
            geometry = list_geometry(self.t, style_name, label(n))
            sides = {"leftIndent": 0, "rightIndent": geometry.text_indent,
                     "bulletFromRight": 1} if rtl else {"leftIndent": geometry.text_indent}
            st = self.style(style_name, bulletIndent=geometry.label_x, bulletGap=0,
                            **sides, **{**over, **extra})
            p = paragraph_class("".join(r.text for r in runs), rtl)(
                markup(runs, self.t, rtl, font, style), st, bulletText=label(n))
            p.label, p.tag = list_item(tags)
            p.link_texts = _link_texts(runs)
            out.append(p)
        return out

    def _script(self, runs: doc.Runs, style: str) -> tuple[dict, bool]:
        """Style changes for a paragraph with Arabic script (shaping on, and aligned to the
        right when it is right-to-left), and whether it is right-to-left."""
        text = "".join(r.text for r in runs)
        arabic = bool(self.t.arabic_font and has_arabic(text))
        extra = {"shaping": 1} if arabic else {}
        if self.rtl or (arabic and is_rtl(text)):
            align = self.t.styles[style].align
            if align != "center":
                extra["alignment"] = TA_LEFT if align == "right" else TA_RIGHT
            return extra, True
        return extra, False

    def memo_block(self, block: doc.MemoBlock) -> list[Flowable]:  # a paragraph per row
        return [self.para((doc.Run(f"{label}: ", bold=True),) + value, "memo_value")
                for label, value in block.rows]

    def columns_table(self, block: doc.ColumnsTable) -> list[Flowable]:
        g = self.t.table_geometry
        pad_x, pad_y = g.pad_x, g.pad_y
        tags = Element("Table")
        head = tags.child("TR")
        header = [self.para((doc.Run(h),), "table_header", head.child("TH", attrs=TABLE_HEADER))
                  for h in block.headers]
        data = [header]
        for pair in block.rows:
            row = tags.child("TR")
            data.append([self._list((runs,), "bullet", lambda n: "•", parent=cell,
                                    spaceAfter=0) if runs else ""
                         for runs, cell in zip(pair, (row.child("TD"), row.child("TD")))])
        halves = self.t.column_widths((1, 1), 2)
        if self.rtl:  # columns from the right
            data = [list(reversed(row)) for row in data]
        table = TaggedTable(data, colWidths=halves, repeatRows=1, hAlign="LEFT",
                            renderCB=TABLE_TAGS)
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
        group = Element("Div")
        cell = [self.para((doc.Run(block.label),), "callout_label", group.child("P"))]
        if block.bullets:
            cell += self._list(block.paragraphs, "callout", lambda n: "•", parent=group)
        else:
            cell += [self.para(p, "callout", group.child("P")) for p in block.paragraphs]
        table = TaggedTable([[cell]], colWidths=[self.t.text_width], hAlign="LEFT",
                            spaceBefore=box.get("space_before", 0),
                            spaceAfter=box.get("space_after", 0), renderCB=TABLE_TAGS)
        table.setStyle(TableStyle([
            ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#" + self.t.colors["box"])),
            # The rule on the side the text starts from: the left, or the right in a
            # right-to-left document.
            ("LINEAFTER" if self.rtl else "LINEBEFORE", (0, 0), (0, -1), rule,
             colors.HexColor("#" + self.t.colors["box_border"])),
            ("LEFTPADDING", (0, 0), (-1, -1), pad if self.rtl else pad + rule),
            ("RIGHTPADDING", (0, 0), (-1, -1), pad + rule if self.rtl else pad),
            ("TOPPADDING", (0, 0), (-1, -1), pad),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("FONTNAME", (0, 0), (-1, -1), self.styles["callout"].fontName),
        ]))
        table._is_callout = True
        return [table]

    def recommendation_table(self, block: doc.RecommendationTable) -> list[Flowable]:
        g = self.t.table_geometry
        border, pad_x, pad_y = g.border, g.pad_x, g.pad_y
        widths = self.t.column_widths(block.widths, len(block.header))
        tags = Element("Table")
        head = tags.child("TR")
        data = [[self.para((doc.Run(h),), "table_header", head.child("TH", attrs=TABLE_HEADER))
                 for h in block.header]]
        for row in block.rows:
            tr = tags.child("TR")
            data.append([self.para(cell, "table_cell", tr.child("TD")) for cell in row.cells])
        if self.rtl:  # the first column at the right
            data = [list(reversed(row)) for row in data]
            widths = list(reversed(widths))
        table = TaggedTable(data, colWidths=widths, repeatRows=1, hAlign="LEFT",
                            spaceBefore=g.space_before, spaceAfter=g.space_after + border,
                            renderCB=TABLE_TAGS)
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


def _link_texts(runs: doc.Runs) -> dict[str, str] | None:
    """Each link target's text, for its annotation's /Contents."""
    texts: dict[str, str] = {}
    for run in runs:
        if run.href:
            uri = pdf_uri(run.href)
            texts[uri] = texts.get(uri, "") + run.text
    return texts or None


def _method_name(block) -> str:
    name = type(block).__name__
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")


class _DocTemplate(BaseDocTemplate):
    def afterFlowable(self, flowable):
        outline = getattr(flowable, "outline", None)
        if outline:
            title, level = outline  # levels never skip (see Renderer.flowables)
            n = self._outline_count = getattr(self, "_outline_count", 0) + 1
            key = f"h{n}"
            # The destination: the page that shows the heading, at its top line.
            _, x, top = flowable.drawn_at or (0, None, None)
            self.canv.bookmarkPage(key, fit="XYZ", left=x, top=top)
            self.canv.addOutlineEntry(title, key, level=level, closed=False)


@dataclass(frozen=True)
class Layout:
    """A laid-out PDF: its bytes, its page count and how full its last page is (0-1)."""

    pdf: bytes
    pages: int
    last_fill: float


def layout(document: doc.Document, template: Template, reserve: float = 0.0, *,
           pdf_standard: str | None = None, tagged: bool = True) -> Layout:
    """Lay out and render the document: tagged, PDF/UA-1, and PDF/A-2a as well with
    `pdf_standard="a-2a"`. (`tagged=False` leaves the tags and the metadata they need out:
    for measuring what tagging costs, never for users.)"""
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
    tagger = Tagger(document) if tagged else None
    pdf.build(Renderer(template).flowables(document),
              canvasmaker=canvas_class(template, document, tagger, pdf_standard))
    frame = pdf.frame
    used = frame._y2 - frame._y - frame._prevASpace
    return Layout(buffer.getvalue(), pdf.page, max(0.0, min(1.0, used / frame._aH)))


def render_pdf(document: doc.Document, template: Template, *,
               pdf_standard: str | None = None) -> bytes:
    """The PDF bytes of a document: tagged PDF/UA-1, and PDF/A-2a too when asked."""
    return layout(document, template, pdf_standard=pdf_standard).pdf
