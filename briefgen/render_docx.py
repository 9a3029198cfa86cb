"""Render a document tree to DOCX with python-docx.

Every style the brief uses is a real, named Word style (Title, Heading 1, List Bullet,
Quote, a named table style...) whose leftovers from python-docx's default template are
cleared and then set from the template: exact line spacing, the same spacing, indents and
sizes as the PDF, widow control off, no kerning. With these, LibreOffice breaks lines and
pages where reportlab does.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor, Twips
from docx.text.paragraph import Paragraph as DocxParagraph

from . import doc
from .scripts import is_rtl, split_arabic
from .templates import Style, Template, fill_parts, placeholder_problems

# Template style -> (Word style name, built in?). Custom names read well in Word's pane.
WORD_STYLES = {
    "body": "Normal",
    "title": "Title",
    "subtitle": "Subtitle",
    "meta": "Brief Meta",
    "heading1": "Heading 1",
    "heading2": "Heading 2",
    "bullet": "List Bullet",
    "number": "List Number",
    "quote": "Quote",
    "callout_label": "Bottom Line Label",
    "callout": "Bottom Line",
    "table_header": "Table Heading",
    "table_cell": "Table Text",
    "source": "Source Reference",
    "header": "Header",
    "footer": "Footer",
    "memo_label": "Memo Label",
    "memo_value": "Memo Value",
    "decision": "Decision",
}
TABLE_STYLE = "Recommendations Table"
BOX_STYLE = "Bottom Line Box"
COLUMNS_STYLE = "Columns Table"
_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
          "right": WD_ALIGN_PARAGRAPH.RIGHT}
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def _twips(points: float) -> str:
    return str(int(round(points * 20)))


def _set(parent, tag: str, **attrs) -> OxmlElement:
    """Replace-or-add a child element with w: attributes."""
    for old in parent.findall(qn(tag)):
        parent.remove(old)
    el = OxmlElement(tag)
    for k, v in attrs.items():
        el.set(qn(f"w:{k}"), str(v))
    parent.append(el)
    return el


class _Writer:
    """Appends blocks to a python-docx document, one method per node type."""

    def __init__(self, template: Template, document: doc.Document):
        self.t = template
        self.meta = document.metadata
        self.reference = template.reference_docx is not None
        if self.reference:
            # The user's Word file gives the styles, page set-up, header and footer.
            self.d = new_document(str(template.reference_docx))
            self._reference_styles = {s.name for s in self.d.styles}
            self._clear_body()
        else:
            self.d = new_document(io.BytesIO(_prepared(template)))
            self._reference_styles = set()
        self._ids: dict[str, str] = {}
        if self.reference:
            self._setup_styles()

    def _align_numbering(self) -> None:
        """Give the list levels of List Bullet and List Number the template's indents and a
        tab at the text: the default template's tab at 18 pt pulled "10." into the text."""
        numbering = self.d.part.numbering_part.element
        for word_style, key in (("List Bullet", "bullet"), ("List Number", "number")):
            indent = self.t.styles[key].indent or 14.0
            num = next(n for n in numbering.findall(qn("w:num"))
                       if n.get(qn("w:numId")) == self._style_num_id(word_style))
            abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
            abstract = next(a for a in numbering.findall(qn("w:abstractNum"))
                            if a.get(qn("w:abstractNumId")) == abstract_id)
            for lvl in abstract.findall(qn("w:lvl"))[:1]:
                ppr = lvl.find(qn("w:pPr"))
                if ppr is None:
                    ppr = OxmlElement("w:pPr")
                    lvl.append(ppr)
                tabs = _set(ppr, "w:tabs")
                _set(tabs, "w:tab", val="num", pos=_twips(indent))
                _set(ppr, "w:ind", left=_twips(indent), hanging=_twips(indent - 2.0))

    @classmethod
    def prepare(cls, template: Template) -> bytes:
        """An empty document with the template's page set-up and styles."""
        writer = cls.__new__(cls)
        writer.t, writer.reference, writer._reference_styles = template, False, set()
        writer.d = new_document()
        writer._setup_page()
        writer._setup_styles()
        writer._align_numbering()
        body = writer.d.element.body
        for p in list(body.findall(qn("w:p"))):
            body.remove(p)  # the default template's empty first paragraph
        buffer = io.BytesIO()
        writer.d.save(buffer)
        return buffer.getvalue()

    def _clear_body(self) -> None:
        body = self.d.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)

    @property
    def text_width(self) -> float:
        """The text column in points: the template's, or the reference.docx page's."""
        if not self.reference:
            return self.t.text_width
        sec = self.d.sections[0]
        return (sec.page_width - sec.left_margin - sec.right_margin) / 12700

    def widths(self, fractions, count: int) -> list[float]:
        """Column widths for this document's text column."""
        scale = self.text_width / self.t.text_width
        return [w * scale for w in self.t.column_widths(fractions, count)]

    def ours(self, word_name: str) -> bool:
        """Whether briefgen styles this (not when a reference.docx defines it)."""
        return word_name not in self._reference_styles

    # -- set-up ----------------------------------------------------------------------------
    def _setup_page(self) -> None:
        section = self.d.sections[0]
        w, h = self.t.page_size
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Twips(round(w * 20)), Twips(round(h * 20))
        m = self.t.margins
        tw = {k: Twips(round(v * 20)) for k, v in m.items()}
        section.top_margin, section.bottom_margin = tw["top"], tw["bottom"]
        section.left_margin, section.right_margin = tw["left"], tw["right"]
        section.header_distance, section.footer_distance = tw["header"], tw["footer"]

    def _setup_styles(self) -> None:
        styles = self.d.styles
        if not self.reference:
            # Document defaults: our font everywhere, no theme fonts, no kerning.
            defaults = styles.element.find(qn("w:docDefaults"))
            rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
            for child in list(rpr):
                rpr.remove(child)
            self._fonts(rpr, self.t.fonts[self.t.styles["body"].font].docx)
            ppr_default = defaults.find(qn("w:pPrDefault"))
            if ppr_default is not None:
                defaults.remove(ppr_default)
        for key, word_name in WORD_STYLES.items():
            if key not in self.t.styles or not self.ours(word_name):
                continue
            try:
                style = styles[word_name]
            except KeyError:
                style = styles.add_style(word_name, WD_STYLE_TYPE.PARAGRAPH)
                style.base_style = styles["Normal"]
                style.quick_style = True
            self._apply(style, self.t.styles[key], key)
        for name in (TABLE_STYLE, BOX_STYLE, COLUMNS_STYLE):
            if self.ours(name):
                style = styles.add_style(name, WD_STYLE_TYPE.TABLE)
                style.base_style = styles["Normal Table"]
        if self.ours(TABLE_STYLE):
            self._table_style_borders(styles[TABLE_STYLE])
        if self.ours("Hyperlink"):
            hyperlink = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
            hyperlink.font.color.rgb = RGBColor.from_string(self.t.colors.get("link", "1F4E8C"))
            hyperlink.font.underline = True

    def _fonts(self, rpr, name: str) -> None:
        _set(rpr, "w:rFonts", ascii=name, hAnsi=name, cs=name, eastAsia=name)

    def _apply(self, style, s: Style, key: str) -> None:
        el = style.element
        num_ids = el.xpath("./w:pPr/w:numPr/w:numId/@w:val")
        for tag in ("w:pPr", "w:rPr"):
            for old in el.findall(qn(tag)):
                el.remove(old)
        pf = style.paragraph_format
        pf.space_before, pf.space_after = Pt(s.space_before), Pt(s.space_after)
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(s.leading)
        pf.widow_control = True  # on in both formats: measured to break alike
        pf.alignment = _ALIGN[s.align]
        if key in ("title", "subtitle", "heading1", "heading2", "callout_label"):
            pf.keep_with_next = True
        if key.startswith("heading"):
            _set(el.get_or_add_pPr(), "w:outlineLvl", val=int(key[-1]) - 1)
        if num_ids:  # List Bullet and List Number keep their numbering
            num_pr = _set(el.get_or_add_pPr(), "w:numPr")
            _set(num_pr, "w:numId", val=num_ids[0])
        if s.indent and key not in ("bullet", "number"):
            pf.left_indent = Pt(s.indent)
        font = style.font
        rpr = el.get_or_add_rPr()
        self._fonts(rpr, self.t.font_for(s).docx)
        font.size = Pt(s.size)
        _set(rpr, "w:szCs", val=int(round(s.size * 2)))
        font.bold, font.italic = s.bold, s.italic
        if s.bold:
            _set(rpr, "w:bCs")
        if s.italic:
            _set(rpr, "w:iCs")
        font.color.rgb = RGBColor.from_string(s.color)

    def _table_style_borders(self, style) -> None:
        tbl_pr = style.element.get_or_add_tblPr() if hasattr(style.element, "get_or_add_tblPr") \
            else _set(style.element, "w:tblPr")
        self._borders(tbl_pr, "w:tblBorders", float(self.t.table.get("border", 0.5)),
                      self.t.colors.get("rule", "999999"),
                      ("top", "left", "bottom", "right", "insideH", "insideV"))

    @staticmethod
    def _borders(parent, tag: str, width: float, color: str, sides) -> None:
        borders = _set(parent, tag)
        for side in sides:
            _set(borders, f"w:{side}", val="single", sz=int(round(width * 8)), space=0,
                 color=color)

    # -- text --------------------------------------------------------------------------------
    def style_id(self, word_name: str) -> str:
        """A style's id, looked up once (python-docx searches all styles on every use)."""
        if word_name not in self._ids:
            self._ids[word_name] = self.d.styles[word_name].style_id
        return self._ids[word_name]

    def set_style(self, p, key: str) -> None:
        """Give a paragraph the Word style of a template style key."""
        p._p.style = self.style_id(WORD_STYLES[key])

    def set_table_style(self, table, word_name: str) -> None:
        table._tbl.tblStyle_val = self.style_id(word_name)

    def paragraph(self, runs: doc.Runs, key: str, container=None):
        container = container if container is not None else self.d
        p = container.add_paragraph()
        self.set_style(p, key)
        self.runs(p, runs)
        return p

    def runs(self, p, runs: doc.Runs) -> None:
        arabic = self.t.fonts[self.t.arabic_font].docx if self.t.arabic_font else None
        for run in runs:
            if run.href:
                self._hyperlink(p, run)
                continue
            for is_arabic, piece in (split_arabic(run.text) if arabic else [(False, run.text)]):
                r = p.add_run(piece)
                self._format(r._r, run)
                if is_arabic:
                    # Right-to-left, complex-script run: Word and LibreOffice take its font,
                    # bold and size from the cs properties (bCs and szCs come with it).
                    rpr = r._r.get_or_add_rPr()
                    fonts = _set(rpr, "w:rFonts")
                    fonts.set(qn("w:cs"), arabic)
                    _set(rpr, "w:rtl")
                    _set(rpr, "w:cs")
        if arabic and is_rtl("".join(r.text for r in runs)):
            # A paragraph that is mostly Urdu or Arabic runs from the right.
            ppr = p._p.get_or_add_pPr()
            ppr.insert_element_before(OxmlElement("w:bidi"), "w:spacing", "w:ind", "w:jc",
                                      "w:outlineLvl", "w:rPr")

    @staticmethod
    def _format(r, run: doc.Run) -> None:
        rpr = r.get_or_add_rPr()
        if run.bold:
            _set(rpr, "w:b")
            _set(rpr, "w:bCs")
        if run.italic:
            _set(rpr, "w:i")
            _set(rpr, "w:iCs")

    def _hyperlink(self, p, run: doc.Run) -> None:
        r_id = p.part.relate_to(run.href, RT.HYPERLINK, is_external=True)
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), r_id)
        r = OxmlElement("w:r")
        rpr = OxmlElement("w:rPr")
        _set(rpr, "w:rStyle", val="Hyperlink")
        r.append(rpr)
        self._format(r, run)
        text = OxmlElement("w:t")
        text.text = run.text
        text.set(qn("xml:space"), "preserve")
        r.append(text)
        link.append(r)
        p._p.append(link)

    # -- blocks --------------------------------------------------------------------------------
    def title_block(self, block: doc.TitleBlock) -> None:
        self.paragraph(block.title, "title")
        if block.subtitle:
            self.paragraph(block.subtitle, "subtitle")
        for line in block.meta:
            self.paragraph((doc.Run(line),), "meta")

    def heading(self, block: doc.Heading) -> None:
        self.paragraph((doc.Run(block.text),), f"heading{block.level}")

    def paragraph_block(self, block: doc.Paragraph) -> None:
        self.paragraph(block.runs, block.style)

    def bullet_list(self, block: doc.BulletList) -> None:
        for runs in block.items:
            self._list_item(self.paragraph(runs, "bullet"), "bullet", None)

    def numbered_list(self, block: doc.NumberedList) -> None:
        num_id = self._restarted_numbering(block.start)
        for runs in block.items:
            self._list_item(self.paragraph(runs, "number"), "number", num_id)

    def _list_item(self, p, key: str, num_id: str | None) -> None:
        ppr = p._p.get_or_add_pPr()
        if num_id is not None:
            num_pr = _set(ppr, "w:numPr")
            _set(num_pr, "w:ilvl", val=0)
            _set(num_pr, "w:numId", val=num_id)
        list_style = WORD_STYLES["number" if key == "number" else "bullet"]
        if self.ours(list_style):
            # Indents set on the paragraph outrank the numbering definition's own indents;
            # a reference.docx keeps its own bullets and indents.
            indent = self.t.styles[key].indent or 14.0
            _set(ppr, "w:ind", left=_twips(indent), hanging=_twips(indent - 2.0))

    def _style_num_id(self, word_style: str) -> str:
        ids = self.d.styles[word_style].element.xpath("./w:pPr/w:numPr/w:numId/@w:val")
        return ids[0] if ids else "1"

    def _restarted_numbering(self, start: int = 1) -> str:
        """A new numbering instance of List Number's list, starting at `start`."""
        numbering = self.d.part.numbering_part.element
        style_num = self._style_num_id("List Number")
        base_num = next(n for n in numbering.findall(qn("w:num"))
                        if n.get(qn("w:numId")) == style_num)
        abstract = base_num.find(qn("w:abstractNumId")).get(qn("w:val"))
        new_id = str(max(int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))) + 1)
        num = OxmlElement("w:num")
        num.set(qn("w:numId"), new_id)
        _set(num, "w:abstractNumId", val=abstract)
        override = _set(num, "w:lvlOverride", ilvl=0)
        _set(override, "w:startOverride", val=start)
        numbering.append(num)
        return new_id

    def gap(self, block: doc.Gap) -> None:
        p = self.d.add_paragraph()
        self.set_style(p, "body")
        pf = p.paragraph_format
        pf.space_before = pf.space_after = Pt(0)
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(self.t.box.get("gap", 8.0))

    def memo_block(self, block: doc.MemoBlock) -> None:
        for label, value in block.rows:
            self.paragraph((doc.Run(f"{label}: ", bold=True),) + value, "memo_value")

    def columns_table(self, block: doc.ColumnsTable) -> None:
        t = self.t.table
        pad_x, pad_y = float(t.get("padding_x", 4)), float(t.get("padding_y", 3))
        halves = self.widths((1, 1), 2)
        table = self.d.add_table(rows=1 + len(block.rows), cols=2)
        self.set_table_style(table, COLUMNS_STYLE)
        tbl_pr = table._tbl.tblPr
        self._cell_margins(tbl_pr, pad_x, pad_x, pad_y, pad_y)
        self._fixed_table(table, halves)
        borders = _set(tbl_pr, "w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            _set(borders, f"w:{side}", val="nil")
        header = table.rows[0]
        _set(header._tr.get_or_add_trPr(), "w:tblHeader")
        for cell, text in zip(header.cells, block.headers):
            _set(cell._tc.get_or_add_tcPr(), "w:shd", val="clear", color="auto",
                 fill=self.t.colors["table_header"])
            p = cell.paragraphs[0]
            self.set_style(p, "table_header")
            self.runs(p, (doc.Run(text),))
        bullet = self._style_num_id("List Bullet")
        for row, pair in zip(table.rows[1:], block.rows):
            for cell, runs in zip(row.cells, pair):
                p = cell.paragraphs[0]
                self.set_style(p, "table_cell" if not runs else "bullet")
                if runs:
                    self.runs(p, runs)
                    self._list_item(p, "bullet", bullet)
                    p.paragraph_format.space_after = Pt(0)
        for row in table.rows:
            self._cant_split(row)

    def _space_before_table(self, points: float) -> None:
        """Word has no space before a table: the paragraph above carries it as space after,
        which LibreOffice, like the PDF, merges as the larger of the two."""
        if not points:
            return
        children = [c for c in self.d.element.body if c.tag != qn("w:sectPr")]
        if not children or children[-1].tag != qn("w:p"):
            return
        p = DocxParagraph(children[-1], self.d._body)
        own = p.paragraph_format.space_after
        style = p.style.paragraph_format.space_after
        after = own.pt if own is not None else (style.pt if style is not None else 0.0)
        p.paragraph_format.space_after = Pt(max(after, points))

    def callout(self, block: doc.Callout) -> None:
        box = self.t.box
        pad, rule = box.get("padding", 6), box.get("border", 1.5)
        self._space_before_table(box.get("space_before", 0))
        table = self.d.add_table(rows=1, cols=1)
        self.set_table_style(table, BOX_STYLE)
        tbl_pr = table._tbl.tblPr
        self._cell_margins(tbl_pr, pad + rule, pad, pad, pad)
        self._fixed_table(table, [self.text_width])
        borders = _set(tbl_pr, "w:tblBorders")
        _set(borders, "w:left", val="single", sz=int(round(rule * 8)), space=0,
             color=self.t.colors["box_border"])
        for side in ("top", "bottom", "right", "insideH", "insideV"):
            _set(borders, f"w:{side}", val="nil")
        cell = table.cell(0, 0)
        _set(cell._tc.get_or_add_tcPr(), "w:shd", val="clear", color="auto",
             fill=self.t.colors["box"])
        first = cell.paragraphs[0]
        self.set_style(first, "callout_label")
        self.runs(first, (doc.Run(block.label),))
        bullet = self._style_num_id("List Bullet") if block.bullets else None
        for runs in block.paragraphs:
            p = self.paragraph(runs, "callout", cell)
            if bullet:
                self._list_item(p, "callout", bullet)
        self._cant_split(table.rows[0])

    def recommendation_table(self, block: doc.RecommendationTable) -> None:
        t = self.t.table
        pad_x, pad_y = float(t.get("padding_x", 4)), float(t.get("padding_y", 3))
        widths = self.widths(block.widths, len(block.header))
        table = self.d.add_table(rows=1 + len(block.rows), cols=len(block.header))
        self.set_table_style(table, TABLE_STYLE)
        tbl_pr = table._tbl.tblPr
        self._cell_margins(tbl_pr, pad_x, pad_x, pad_y, pad_y)
        self._fixed_table(table, widths)
        mine = self.ours(TABLE_STYLE)
        if mine:
            self._borders(tbl_pr, "w:tblBorders", float(t.get("border", 0.5)),
                          self.t.colors.get("rule", "999999"),
                          ("top", "left", "bottom", "right", "insideH", "insideV"))
        header = table.rows[0]
        _set(header._tr.get_or_add_trPr(), "w:tblHeader")
        for cell, text in zip(header.cells, block.header):
            if mine:
                _set(cell._tc.get_or_add_tcPr(), "w:shd", val="clear", color="auto",
                     fill=self.t.colors["table_header"])
            p = cell.paragraphs[0]
            self.set_style(p, "table_header")
            self.runs(p, (doc.Run(text),))
        for row, data in zip(table.rows[1:], block.rows):
            for cell, runs in zip(row.cells, data.cells):
                p = cell.paragraphs[0]
                self.set_style(p, "table_cell")
                self.runs(p, runs)
        for row in table.rows:
            self._cant_split(row)

    def keep_previous(self) -> None:
        """Keep the last paragraph written (of a table: its last row) with the next one."""
        children = [c for c in self.d.element.body if c.tag != qn("w:sectPr")]
        if not children:
            return
        last = children[-1]
        if last.tag == qn("w:tbl"):
            paragraphs = last.findall(qn("w:tr"))[-1].iter(qn("w:p"))
        else:
            paragraphs = [last] if last.tag == qn("w:p") else []
        for p in paragraphs:
            DocxParagraph(p, self.d._body).paragraph_format.keep_with_next = True

    def source_reference(self, block: doc.SourceReference) -> None:
        self.paragraph((doc.Run(f"{block.label}: ", bold=True),) + block.runs, "source")

    # -- table helpers -------------------------------------------------------------------------
    def _fixed_table(self, table, widths: list[float]) -> None:
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        tbl_pr = table._tbl.tblPr
        _set(tbl_pr, "w:tblW", w=_twips(sum(widths)), type="dxa")
        # In Word 2010 layout, a table's edge sits one cell margin left of tblInd.
        left = tbl_pr.xpath("./w:tblCellMar/w:left/@w:w")
        _set(tbl_pr, "w:tblInd", w=left[0] if left else 0, type="dxa")
        _set(tbl_pr, "w:tblLayout", type="fixed")
        grid = table._tbl.tblGrid
        for col, width in zip(grid.findall(qn("w:gridCol")), widths):
            col.set(qn("w:w"), _twips(width))
        for row in table.rows:
            for cell, width in zip(row.cells, widths):
                _set(cell._tc.get_or_add_tcPr(), "w:tcW", w=_twips(width), type="dxa")

    @staticmethod
    def _cell_margins(tbl_pr, left: float, right: float, top: float, bottom: float) -> None:
        mar = _set(tbl_pr, "w:tblCellMar")
        for side, value in (("top", top), ("left", left), ("bottom", bottom), ("right", right)):
            _set(mar, f"w:{side}", w=_twips(value), type="dxa")

    @staticmethod
    def _cant_split(row) -> None:
        _set(row._tr.get_or_add_trPr(), "w:cantSplit")

    # -- header, footer, properties -------------------------------------------------------------
    def header_footer(self) -> None:
        section = self.d.sections[0]
        values = self.meta.values()
        for slots, part, style_key in ((self.t.header, section.header, "header"),
                                       (self.t.footer, section.footer, "footer")):
            if self.reference and not part.is_linked_to_previous and \
                    any(p.text.strip() for p in part.paragraphs):
                self._fill_reference(part, values)
                continue
            p = part.paragraphs[0]
            self.set_style(p, style_key)
            tabs = p.paragraph_format.tab_stops
            tabs.add_tab_stop(Pt(self.text_width / 2), WD_TAB_ALIGNMENT.CENTER)
            tabs.add_tab_stop(Pt(self.text_width), WD_TAB_ALIGNMENT.RIGHT)
            texts = {"left": slots.left, "center": slots.center, "right": slots.right}
            for position in ("left", "center", "right"):
                if position != "left":
                    p.add_run("\t")
                if position == "left" and style_key == "header" and self.t.logo:
                    self._logo(p)
                    continue
                text = texts[position]
                marking = "{classification}" in text and style_key == "footer"
                for kind, value in fill_parts(text, values):
                    if kind == "field":
                        self._field(p, value, "1")
                    else:
                        run = p.add_run(value)
                        if marking:
                            self._marking(run)

    def _fill_reference(self, part, values: dict[str, str]) -> None:
        """Fill {title}, {classification}, {page}... in a reference's header or footer,
        keeping its design; {page} and {pages} become PAGE and NUMPAGES fields."""
        paragraphs = list(part.paragraphs)
        for table in part.tables:
            paragraphs += [p for cell in table._cells for p in cell.paragraphs]
        for p in paragraphs:
            text = p.text
            if "{" not in text or placeholder_problems(text):
                continue
            runs = p.runs
            rpr = runs[0]._r.rPr if runs else None
            for r in runs:
                r._r.getparent().remove(r._r)
            for kind, value in fill_parts(text, values):
                if kind == "field":
                    self._field(p, value, "1")
                else:
                    run = p.add_run(value)
                    if rpr is not None:
                        run._r.insert(0, copy.deepcopy(rpr))

    def _logo(self, p) -> None:
        logo = self.t.logo
        # An exact line height would clip the picture to one line of text.
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
        p.paragraph_format.line_spacing = Pt(self.t.styles["header"].leading)
        run = p.add_run()
        run.add_picture(str(logo.path), width=Pt(logo.width), height=Pt(logo.height))
        for pr in run._r.iter(qn("wp:docPr")):
            pr.set("descr", logo.alt)
            pr.set("title", logo.alt)

    def _marking(self, run) -> None:
        """A classification marking in the footer looks like the one in the header."""
        s = self.t.styles["header"]
        run.bold = s.bold
        run.font.color.rgb = RGBColor.from_string(s.color)
        run.font.size = Pt(s.size)

    @staticmethod
    def _field(p, instruction: str, shown: str) -> None:
        def fld(kind):
            r = OxmlElement("w:r")
            _set(r, "w:fldChar", fldCharType=kind)
            return r
        p._p.append(fld("begin"))
        r = OxmlElement("w:r")
        instr = OxmlElement("w:instrText")
        instr.set(qn("xml:space"), "preserve")
        instr.text = f" {instruction} "
        r.append(instr)
        p._p.append(r)
        p._p.append(fld("separate"))
        p.add_run(shown)
        p._p.append(fld("end"))

    def properties(self) -> None:
        props = self.d.core_properties
        m = self.meta
        props.title = m.title
        props.author = m.author or "briefgen"
        props.last_modified_by = "briefgen"
        props.subject = m.subject
        props.keywords = ", ".join(m.keywords)
        props.language = m.language
        props.category = m.classification
        props.comments = ""
        props.revision = 1
        when = m.moment().replace(tzinfo=None)
        props.created = props.modified = when
        props.last_printed = when
        self.d.settings.element.find(qn("w:rsids")) is not None and \
            self.d.settings.element.remove(self.d.settings.element.find(qn("w:rsids")))

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.d.save(buffer)
        return _fixed_zip(buffer.getvalue())


_DROP = ("docProps/thumbnail.jpeg", "customXml/")


def _fixed_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed entry times and without the default template's
    thumbnail and custom XML, so the same input gives the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename.startswith(_DROP):
                continue
            body = source.read(info.filename)
            if info.filename in ("[Content_Types].xml", "_rels/.rels",
                                 "word/_rels/document.xml.rels"):
                body = _drop_references(body)
            entry = zipfile.ZipInfo(info.filename, FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, body)
    return out.getvalue()


def _drop_references(xml: bytes) -> bytes:
    text = xml.decode("utf-8")
    text = re.sub(r'<Override PartName="/(docProps/thumbnail\.jpeg|customXml/[^"]+)"[^>]*/>',
                  "", text)
    text = re.sub(r'<Default Extension="jpeg"[^>]*/>', "", text)
    text = re.sub(r'<Relationship [^>]*Target="(docProps/thumbnail\.jpeg|\.\./customXml/[^"]+)"'
                  r'[^>]*/>', "", text)
    return text.encode("utf-8")


_METHODS = {
    doc.TitleBlock: "title_block",
    doc.Heading: "heading",
    doc.Paragraph: "paragraph_block",
    doc.BulletList: "bullet_list",
    doc.NumberedList: "numbered_list",
    doc.Callout: "callout",
    doc.RecommendationTable: "recommendation_table",
    doc.SourceReference: "source_reference",
    doc.MemoBlock: "memo_block",
    doc.Gap: "gap",
    doc.ColumnsTable: "columns_table",
}


_PREPARED: dict[int, tuple[Template, bytes]] = {}


def _prepared(template: Template) -> bytes:
    """The prepared empty document of a template, made once per process."""
    cached = _PREPARED.get(id(template))
    if cached is None or cached[0] is not template:
        cached = _PREPARED[id(template)] = (template, _Writer.prepare(template))
    return cached[1]


def render_docx(document: doc.Document, template: Template) -> bytes:
    """The DOCX bytes of a document."""
    writer = _Writer(template, document)  # an empty body: prepared or reference, cleared
    for block in document.blocks:
        method = _METHODS.get(type(block))
        if method is None:
            raise TypeError(f"the DOCX renderer has no method for {type(block).__name__}")
        if doc.keeps_previous(block):
            writer.keep_previous()
        getattr(writer, method)(block)
    writer.header_footer()
    writer.properties()
    return writer.save()
