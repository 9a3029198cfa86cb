"""Render a document tree to DOCX with python-docx: one method per node type.

The DOCX side is layered as python-docx layers its package:

- `docx_xml`: the schema's child order, so every element goes to its place;
- `docx_lang`: the languages the document declares (its defaults, runs in other scripts);
- `docx_package`: the base document (ours or a reference.docx, emptied), the parts a
  brief does not use dropped, properties, settings, the font table, the zip;
- `docx_styles`: Word styles from the template, and list numbering;
- `docx_page`: page set-up, headers and footers with markings and page fields;
- this module: the node writers, and `render_docx`, which puts them together.

List items put their label and text where the PDF does (`lists`), and the page count the
DOCX states is the PDF layout's (`measure`).
"""

from __future__ import annotations

import hashlib
import io
import re

from docx import Document as open_docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph as DocxParagraph

from . import doc, docx_lang, docx_package
from .docx_page import PageFurniture, complete_page, setup_page
from .docx_styles import BOX_STYLE, COLUMNS_STYLE, HYPERLINK, TABLE_STYLE, WORD_STYLES, \
    StyleSheet
from .docx_xml import child, element, insert_in_order, set_child, twips
from .lists import list_geometry
from .scripts import is_rtl, split_arabic
from .templates import Template

_NO_BORDERS = ("top", "left", "bottom", "right", "insideH", "insideV")


class DocxWriter:
    """Appends blocks to a python-docx document, one method per node type."""

    def __init__(self, template: Template, document: doc.Document):
        self.t = template
        self.meta = document.metadata
        self.rtl = document.metadata.direction == "rtl"
        """A right-to-left document: section, paragraphs and tables marked so (w:bidi,
        w:bidiVisual); alignment and indents then count from the right, as Word's
        start and end do."""
        self.reference = template.reference_docx is not None
        if self.reference:
            # The user's Word file gives the styles, page set-up, header and footer.
            self.d = docx_package.open_reference(template.reference_docx)
            complete_page(self.d.sections[0], template)
            self.styles = StyleSheet(self.d, template, reference=True)
            self.styles.setup()
        else:
            self.d = open_docx(io.BytesIO(_prepared(template)))
            self.styles = StyleSheet(self.d, template, reference=False)

    @classmethod
    def prepare(cls, template: Template) -> bytes:
        """An empty document with the template's page set-up, styles and numbering."""
        d = open_docx()
        body = d.element.body
        for p in list(body.findall(qn("w:p"))):
            body.remove(p)  # the default template's empty first paragraph
        setup_page(d.sections[0], template)
        sect = body.find(qn("w:sectPr"))
        for name in [n for n in sect.attrib if "rsid" in n]:
            del sect.attrib[name]  # revision ids of python-docx's template
        sheet = StyleSheet(d, template, reference=False)
        sheet.drop_table_styles()
        sheet.setup()
        return docx_package.save(d)

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

    # -- text --------------------------------------------------------------------------------
    def set_style(self, p, key: str) -> None:
        """Give a paragraph the Word style of a template style key."""
        p._p.style = self.styles.style_id(WORD_STYLES[key])

    def set_table_style(self, table, word_name: str) -> None:
        """Give a table one of briefgen's table styles."""
        table._tbl.tblStyle_val = self.styles.style_id(word_name, "table")

    def paragraph(self, runs: doc.Runs, key: str, container=None):
        """A new paragraph in a template style, holding runs."""
        container = container if container is not None else self.d
        p = container.add_paragraph()
        self.set_style(p, key)
        self.runs(p, runs)
        return p

    def runs(self, p, runs: doc.Runs) -> None:
        """Runs of text, links and complex-script stretches, into a paragraph."""
        arabic = self.t.fonts[self.t.arabic_font].docx if self.t.arabic_font else None
        for run in runs:
            if run.href:
                self._hyperlink(p, run)
                continue
            for is_arabic, piece in (split_arabic(run.text) if arabic else [(False, run.text)]):
                for text, fmt in _upright_no_break_spaces(piece, run):
                    r = p.add_run(text)
                    self._format(r._r, fmt)
                    if is_arabic:
                        # Right-to-left, complex-script run: Word and LibreOffice take its
                        # font, bold and size from the cs properties (bCs and szCs come
                        # with it). Every run of the stretch, its no-break spaces too.
                        rpr = r._r.get_or_add_rPr()
                        child(rpr, "w:rFonts", cs=arabic)
                        set_child(rpr, "w:rtl")
                        set_child(rpr, "w:cs")
        if self.rtl or (arabic and is_rtl("".join(r.text for r in runs))):
            # A paragraph of a right-to-left document, or mostly Urdu or Arabic in another,
            # runs from the right.
            child(p._p.get_or_add_pPr(), "w:bidi")

    @staticmethod
    def _format(r, run: doc.Run) -> None:
        if not (run.bold or run.italic):
            return
        rpr = r.get_or_add_rPr()
        if run.bold:
            set_child(rpr, "w:b")
            set_child(rpr, "w:bCs")
        if run.italic:
            set_child(rpr, "w:i")
            set_child(rpr, "w:iCs")

    def _hyperlink(self, p, run: doc.Run) -> None:
        r_id = p.part.relate_to(run.href, RT.HYPERLINK, is_external=True)
        link = element("w:hyperlink")
        link.set(qn("r:id"), r_id)
        r = element("w:r")
        link.append(r)  # the link's text, in reading order
        rpr = insert_in_order(r, element("w:rPr"))
        set_child(rpr, "w:rStyle", val=self.styles.style_id(HYPERLINK, "character"))
        self._format(r, run)
        text = insert_in_order(r, element("w:t"))
        text.text = run.text
        text.set(qn("xml:space"), "preserve")
        p._p.append(link)  # paragraph content, in reading order

    # -- blocks --------------------------------------------------------------------------------
    def title_block(self, block: doc.TitleBlock) -> None:
        self.paragraph(block.title, "title")
        if block.subtitle:
            self.paragraph(block.subtitle, "subtitle")
        for line in block.meta:
            self.paragraph((doc.Run(line),), "meta")

    def heading(self, block: doc.Heading):
        return self.paragraph((doc.Run(block.text),), f"heading{block.level}")

    def paragraph_block(self, block: doc.Paragraph) -> None:
        self.paragraph(block.runs, block.style)

    def bullet_list(self, block: doc.BulletList) -> None:
        for runs in block.items:
            self._list_item(self.paragraph(runs, "bullet"), "bullet", None, "•")

    def numbered_list(self, block: doc.NumberedList) -> None:
        num_id = self.styles.numbering.restarted(self.styles.list_num_id("number"),
                                                 block.start)
        for n, runs in enumerate(block.items, block.start):
            self._list_item(self.paragraph(runs, "number"), "number", num_id, f"{n}.")

    def _list_item(self, p, key: str, num_id: str | None, label: str) -> None:
        ppr = p._p.get_or_add_pPr()
        if num_id is not None:
            num_pr = set_child(ppr, "w:numPr")
            set_child(num_pr, "w:ilvl", val=0)
            set_child(num_pr, "w:numId", val=num_id)
        list_style = WORD_STYLES["number" if key == "number" else "bullet"]
        if self.styles.ours(list_style):
            # The label and the text where the PDF puts them (see lists); indents on the
            # paragraph outrank the list definition's. A reference keeps its own indents.
            geometry = list_geometry(self.t, key, label)
            set_child(ppr, "w:ind", left=twips(geometry.text_indent),
                      hanging=twips(geometry.hanging))

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
        g = self.t.table_geometry
        pad_x, pad_y = g.pad_x, g.pad_y
        table = self._table(1 + len(block.rows), 2, COLUMNS_STYLE, self.widths((1, 1), 2),
                            (pad_x, pad_x, pad_y, pad_y))
        borders = set_child(table._tbl.tblPr, "w:tblBorders")
        for side in _NO_BORDERS:
            set_child(borders, f"w:{side}", val="nil")
        _describe(table, block.caption, block.description, header=True)
        self._header_row(table, block.headers, True)
        bullet = self.styles.list_num_id("bullet")
        for row, pair in zip(table.rows[1:], block.rows):
            for cell, runs in zip(row.cells, pair):
                p = cell.paragraphs[0]
                self.set_style(p, "table_cell" if not runs else "bullet")
                if runs:
                    self.runs(p, runs)
                    self._list_item(p, "bullet", bullet, "•")
                    p.paragraph_format.space_after = Pt(0)

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
        table = self._table(1, 1, BOX_STYLE, [self.text_width], (pad + rule, pad, pad, pad))
        borders = set_child(table._tbl.tblPr, "w:tblBorders")
        for side in _NO_BORDERS:
            if side == "left":  # the start side: the right in a right-to-left table
                set_child(borders, "w:left", val="single", sz=int(round(rule * 8)), space=0,
                          color=self.t.colors["box_border"])
            else:
                set_child(borders, f"w:{side}", val="nil")
        # A box, not a data table: no header row, its label as the caption.
        _describe(table, block.label, block.description, header=False)
        cell = table.cell(0, 0)
        self._shade(cell, self.t.colors["box"])
        first = cell.paragraphs[0]
        self.set_style(first, "callout_label")
        self.runs(first, (doc.Run(block.label),))
        bullet = self.styles.list_num_id("bullet") if block.bullets else None
        for runs in block.paragraphs:
            p = self.paragraph(runs, "callout", cell)
            if bullet:
                self._list_item(p, "callout", bullet, "•")

    def recommendation_table(self, block: doc.RecommendationTable) -> None:
        g = self.t.table_geometry
        pad_x, pad_y = g.pad_x, g.pad_y
        table = self._table(1 + len(block.rows), len(block.header), TABLE_STYLE,
                            self.widths(block.widths, len(block.header)),
                            (pad_x, pad_x, pad_y, pad_y))
        mine = self.styles.ours(TABLE_STYLE)
        if mine:
            self.styles.borders(table._tbl.tblPr, "w:tblBorders", g.border,
                                self.t.colors.get("rule", "999999"), _NO_BORDERS)
        _describe(table, block.caption, block.description, header=True)
        self._header_row(table, block.header, mine)
        for row, data in zip(table.rows[1:], block.rows):
            for cell, runs in zip(row.cells, data.cells):
                p = cell.paragraphs[0]
                self.set_style(p, "table_cell")
                self.runs(p, runs)

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

    # -- tables --------------------------------------------------------------------------------
    def _table(self, rows: int, cols: int, style: str, widths: list[float], margins):
        """A table of fixed column widths whose rows never split."""
        table = self.d.add_table(rows=rows, cols=cols)
        self.set_table_style(table, style)
        tbl_pr = table._tbl.tblPr
        if self.rtl:  # columns from the right
            child(tbl_pr, "w:bidiVisual")
        left, right, top, bottom = margins
        mar = set_child(tbl_pr, "w:tblCellMar")
        for side, value in (("top", top), ("left", left), ("bottom", bottom), ("right", right)):
            set_child(mar, f"w:{side}", w=twips(value), type="dxa")
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        set_child(tbl_pr, "w:tblW", w=twips(sum(widths)), type="dxa")
        # In Word 2010 layout and later, a table's edge sits one cell margin left of tblInd.
        set_child(tbl_pr, "w:tblInd", w=twips(left), type="dxa")
        for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths):
            col.set(qn("w:w"), twips(width))
        for row in table.rows:
            child(row._tr.get_or_add_trPr(), "w:cantSplit")
            for cell, width in zip(row.cells, widths):
                set_child(cell._tc.get_or_add_tcPr(), "w:tcW", w=twips(width), type="dxa")
        return table

    def _header_row(self, table, texts, shaded: bool) -> None:
        """The first row: repeated on every page, shaded in the template's colour."""
        header = table.rows[0]
        child(header._tr.get_or_add_trPr(), "w:tblHeader")
        for cell, text in zip(header.cells, texts):
            if shaded:
                self._shade(cell, self.t.colors["table_header"])
            p = cell.paragraphs[0]
            self.set_style(p, "table_header")
            self.runs(p, (doc.Run(text),))

    @staticmethod
    def _shade(cell, fill: str) -> None:
        set_child(cell._tc.get_or_add_tcPr(), "w:shd", val="clear", color="auto", fill=fill)

    # -- the document --------------------------------------------------------------------------
    def finish(self, pages: int) -> bytes:
        """Headers and footers, properties and settings, the parts nobody uses dropped:
        the file's bytes."""
        PageFurniture(self, pages).write()
        if self.rtl:  # a right-to-left section
            child(self.d.sections[0]._sectPr, "w:bidi")
        # The shipped faces travel with the file; a reference's own styles name the fonts
        # of its maker, so a DOCX from a reference embeds nothing.
        return close_package(self.d, self.meta, _font_names(self.t), pages,
                             replace_fonts=not self.reference,
                             embed=() if self.reference else (self.t,))


def close_package(d, meta: doc.Metadata, fonts: list[str], pages: int,
                  replace_fonts: bool = True, embed: tuple[Template, ...] = ()) -> bytes:
    """What every DOCX gets once its body, headers and footers are written (a brief's, or
    a briefing book's): the languages declared, the parts nobody uses dropped, drawings
    numbered, compatibility, the font table, the faces of the `embed` templates embedded
    (a face two templates share, once), properties and ids; the file's bytes."""
    docx_lang.declare_languages(d, meta)
    docx_package.drop_unused_parts(d)
    docx_package.number_drawings(d)
    docx_package.set_compatibility(d)
    docx_package.font_table(d, fonts, replace=replace_fonts)
    if embed:
        from docx.opc.constants import CONTENT_TYPE as CT

        from . import docx_fonts

        table = docx_package.xml_part(d, RT.FONT_TABLE, "/word/fontTable.xml",
                                      CT.WML_FONT_TABLE, "w:fonts")
        for template in {id(t): t for t in embed}.values():
            docx_fonts.embed_fonts(d, template, table)
    docx_package.set_properties(d, meta, pages)
    docx_package.set_document_ids(d)
    return docx_package.save(d)


def _describe(table, caption: str, description: str, header: bool) -> None:
    """A table's caption and description (its alternative text in Word), and its look: a
    header row (repeated on every page, see _header_row) or none; no header column."""
    tbl_pr = table._tbl.tblPr
    # w:val is the same flags as the attributes, for older readers: 0x20 first row,
    # 0x400 no vertical banding.
    set_child(tbl_pr, "w:tblLook", val="0420" if header else "0400",
              firstRow=int(header), lastRow=0, firstColumn=0, lastColumn=0, noHBand=0,
              noVBand=1)
    set_child(tbl_pr, "w:tblCaption", val=caption)
    set_child(tbl_pr, "w:tblDescription", val=description or caption)


def _upright_no_break_spaces(text: str, run: doc.Run) -> list[tuple[str, doc.Run]]:
    """An italic run's no-break spaces as upright runs of their own: LibreOffice, laying
    out a Word 2013 document, sets an italic no-break space about 0.09 em wider than the
    font says (the PDF's width), which moved a line break; an upright one it sets right.
    A space shows no slant, so nothing else changes."""
    if not run.italic or "\u00a0" not in text:
        return [(text, run)]
    upright = doc.Run("", bold=run.bold)
    return [(piece, upright if piece.startswith("\u00a0") else run)
            for piece in re.split("(\u00a0+)", text) if piece]


def _font_names(template: Template) -> list[str]:
    names = [template.font_for(s).docx for s in template.styles.values()]
    for key in (template.arabic_font, template.fallback_font):
        if key:
            names.append(template.fonts[key].docx)
    return names


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
    """The prepared empty document of a template, made once per process, and kept in the
    disk cache (`diskcache`) keyed by the template's settings and the versions of briefgen
    and python-docx: a cold process takes it from there instead of setting up every style
    again. The entry carries a digest of itself, checked before it is used."""
    cached = _PREPARED.get(id(template))
    if cached is None or cached[0] is not template:
        import docx

        from . import __version__, diskcache

        # docx.__version__, not importlib.metadata (whose first use costs 20 ms or more)
        name = diskcache.key("docx-3a", __version__, getattr(docx, "__version__", "?"),
                             repr(template)) + ".docx"
        stored = diskcache.get("docx", name)  # the package, then a digest of it
        data = stored[:-32] if stored and len(stored) > 32 else b""
        if not data or hashlib.sha256(data).digest() != stored[-32:]:
            data = DocxWriter.prepare(template)
            diskcache.put("docx", name, data + hashlib.sha256(data).digest())
        cached = _PREPARED[id(template)] = (template, data)
    return cached[1]


def render_docx(document: doc.Document, template: Template) -> bytes:
    """The DOCX bytes of a document."""
    from .measure import Measurer  # the PDF engine: the page count the DOCX states

    measurer = Measurer.for_template(template)
    measured = measurer.measure(document)
    writer = DocxWriter(template, document)  # an empty body: prepared or reference
    # A reference.docx's styles lay the document out their own way: no page is forced.
    write_blocks(writer, document.blocks,
                 frozenset() if writer.reference else measurer.moved_runs(document, measured))
    return writer.finish(measured.pages)


def write_blocks(writer: DocxWriter, blocks, new_pages: frozenset[int] = frozenset()) -> None:
    """Append the blocks, one writer method per node type (a brief's, or a book's part).

    `new_pages`: the blocks (by index) whose heading begins a run of headings that the PDF
    moved to a new page whole (`Measurer.moved_runs`). Their paragraph starts a page in the
    DOCX too: Word and LibreOffice keep a heading with the next paragraph, but LibreOffice
    7.4 does not always move a run of two (a section's heading and its first item's) when
    the item's first lines do not fit, and leaves the section heading alone at a page foot."""
    for index, block in enumerate(blocks):
        method = _METHODS.get(type(block))
        if method is None:
            raise TypeError(f"the DOCX renderer has no method for {type(block).__name__}")
        if doc.keeps_previous(block):
            writer.keep_previous()
        made = getattr(writer, method)(block)
        if index in new_pages and isinstance(block, doc.Heading):
            start_page(made)


def start_page(paragraph) -> None:
    """A paragraph that starts a new page, without its space before: after a page break
    Word and LibreOffice keep a paragraph's space before, and the PDF, at the top of a
    page, drops it."""
    paragraph.paragraph_format.page_break_before = True
    paragraph.paragraph_format.space_before = Pt(0)
