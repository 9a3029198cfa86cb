"""The DOCX of a book: the single-brief writer's node methods, one Word section per part.

The cover and the contents are the first section (pages numbered i, ii); each brief is a
section of its own that starts on a new page, with its own header and footer (its
marking, "Brief k · page j of n · book page p") and page numbers that restart at 1. The
contents is a table whose entries link to a bookmark at each brief's start and whose page
numbers are written in it, so they are right when the file opens, without a field update.

A brief drawn with another template than the book's gets that template's Word styles
under names that say so ("Heading 1 (decision-memo)"), its list definitions and its page
set-up in its section. A template's reference.docx cannot be merged into a book
(`check_docx`): such a book is made as a PDF only.
"""

from __future__ import annotations

import copy
import string

from docx.oxml.ns import qn

from . import doc
from .book_build import BookDocument
from .book_pdf import roman
from .docx_page import PageFurniture, setup_page
from .docx_styles import StyleSheet
from .docx_xml import child, element, insert_in_order, set_child
from .errors import BriefError, Diagnostic
from .measure import Measurer
from .render_docx import DocxWriter, _font_names, close_package, start_page, write_blocks
from .templates import Template


def check_docx(book: BookDocument) -> None:
    """BriefError when a template of the book has a reference.docx (its styles, headers
    and page set-up are a Word file of their own, which a book cannot merge), located at
    the brief that names it, or at the template's file for the book's own."""
    if book.template.reference_docx is not None:
        raise BriefError.single(str(book.template.reference_docx), "a DOCX book cannot take "
                                "its styles from a reference.docx; build the book with -f "
                                "pdf, or use a template without one")
    wrong = [p for p in book.parts if p.template.reference_docx is not None]
    if wrong:
        raise BriefError([Diagnostic(
            book.path, *(p.entry.at_template or p.entry.at),
            f"brief {p.number}'s template '{p.template.name}' has a reference.docx, whose "
            f"styles, headers and page set-up a book cannot merge; build the book with -f "
            f"pdf, or give the brief a template without one", f"briefs[{p.number}].template")
            for p in wrong])


class _TemplateStyles(StyleSheet):
    """The Word styles of a template that is not the book's, in the book's document: the
    same definitions as a brief's own, under names that carry the template's name, and
    the document's defaults (the book's) left alone."""

    def __init__(self, d, template: Template, label: str):
        super().__init__(d, template, reference=False)
        self.label = label

    def _named(self, name: str) -> str:
        return f"{name} ({self.label})"

    def find(self, name: str, kind: str = "paragraph"):
        return super().find(self._named(name), kind)

    def add(self, name: str, kind: str):
        return super().add(self._named(name), kind)

    def _document_defaults(self) -> None:
        pass  # the book's


def _writer(book_writer: DocxWriter, template: Template, document: doc.Document,
            label: str) -> DocxWriter:
    """A writer of the book's document that draws with another template's styles."""
    w = DocxWriter.__new__(DocxWriter)
    w.t, w.meta, w.reference, w.d = template, document.metadata, False, book_writer.d
    w.rtl = document.metadata.direction == "rtl"
    w.styles = _TemplateStyles(w.d, template, label)
    w.styles.setup()
    return w


class _SectionFurniture(PageFurniture):
    """The header and footer of one section of a book: the front (i, ii) or a brief."""

    def __init__(self, writer, section, template, values: dict, pages: int,
                 first: int, roman_numbers: bool):
        super().__init__(writer, pages)
        self.section, self.t, self.values = section, template, values
        self.marking = values.get("classification", "")
        self.first, self.roman = first, roman_numbers

    def write(self) -> None:
        section = self.section
        section.header.is_linked_to_previous = False
        section.footer.is_linked_to_previous = False
        variants = [("default", section.header, section.footer, 2 if self.pages >= 2 else 1)]
        if self.pages >= 2:
            section.different_first_page_header_footer = True
            section.first_page_header.is_linked_to_previous = False
            section.first_page_footer.is_linked_to_previous = False
            variants.append(("first", section.first_page_header, section.first_page_footer,
                             1))
        for _, header, footer, page in variants:
            self._ours(header, "header", page)
            self._ours(footer, "footer", page)

    def _ours(self, part, key: str, page: int) -> None:
        """The template's header or footer, as PageFurniture writes it, but with the
        book's numbers (see _slot)."""
        self._page = page
        super()._ours(part, key, page)

    def _slot(self, p, text: str, page: int, marking: bool) -> None:
        """A slot with the book's numbers: {pages} is the brief's page count, {page} its
        page (a field), {book_page} the book's (a field)."""
        for literal, name, _, _ in string.Formatter().parse(text):
            if literal:
                self._text(p, literal, marking)
            if name == "page":
                self._field(p, "PAGE", page)
            elif name == "book_page":
                self.book_page(p)
            elif name == "page_x_of_y":  # "Page {page} of {pages}" in the brief's language
                self._slot(p, self.values.get(name, "").replace("{page_x_of_y}", ""), page,
                           marking)
            elif name is not None:
                value = str(self.pages) if name == "pages" else self.values.get(name, "")
                self._text(p, value, marking)

    def _field(self, p, instruction: str, page: int, rpr=None) -> None:
        shown = roman(page) if self.roman else str(page)
        self._complex(p, " PAGE ", shown)

    def _complex(self, p, instruction: str, shown: str, inner=None) -> None:
        """A field of field characters; `inner` (instruction, shown) nests a PAGE field
        in its instruction, as in { = { PAGE } + 4 }."""
        def char(kind):
            insert_in_order(p.add_run()._r, element("w:fldChar", fldCharType=kind))

        def instr(text):
            r = p.add_run()._r
            t = insert_in_order(r, element("w:instrText"))
            t.set(qn("xml:space"), "preserve")
            t.text = text

        char("begin")
        instr(instruction)
        if inner is not None:
            char("begin")
            instr(inner[0])
            char("end")
            instr(f" + {self.first - 1} ")
        char("separate")
        p.add_run(shown)
        char("end")

    def book_page(self, p) -> None:
        """The book's page. A variant of one or two pages' brief is shown on one page:
        the number as text. Pages 2 to n of a longer brief share a variant: a formula
        field, { = { PAGE } + pages before }, which Word computes (LibreOffice 7.4 shows
        the inner PAGE and the cached result side by side, so it is used only there)."""
        page = self._page
        if self.pages <= 2:
            p.add_run(str(self.first - 1 + page))
            return
        self._complex(p, " = ", str(self.first - 1 + page), (" PAGE ", str(page)))


def render_book_docx(book: BookDocument) -> bytes:
    """The DOCX bytes of a book (no reference.docx: see `check_docx`)."""
    check_docx(book)
    front_doc = doc.Document(book.metadata, book.cover, book.front)
    w = DocxWriter(book.template, front_doc)
    write_blocks(w, book.cover)
    heading = w.paragraph((doc.Run(book.contents_heading.text),), "heading1")
    start_page(heading)
    w.recommendation_table(book.contents)
    table = w.d.tables[-1]
    for row, part in zip(table.rows[1:], book.parts):
        _link(row.cells[1].paragraphs[0], part.key)
    body = w.d.element.body
    set_child(body.sectPr, "w:pgNumType", fmt="lowerRoman", start=1)  # i, ii
    writers: dict = {book.template.folder: w}
    fonts = _font_names(book.template)
    part_writers = []
    for part in book.parts:
        pw = writers.get(part.template.folder)
        if pw is None:
            labels = {x.styles.label for x in writers.values() if x is not w}
            label, n = part.template.name, 1
            while label in labels:
                n += 1
                label = f"{part.template.name} {n}"
            pw = writers[part.template.folder] = _writer(w, part.template, part.document,
                                                         label)
            fonts += [f for f in _font_names(part.template) if f not in fonts]
        part_writers.append(pw)
        _end_section(w)
        setup_page(w.d.sections[-1], part.template)
        sect = body.sectPr
        set_child(sect, "w:pgNumType", start=1)
        num = sect.find(qn("w:pgNumType"))
        num.attrib.pop(qn("w:fmt"), None)
        set_child(sect, "w:type", val="nextPage")
        # Each brief runs in its own direction (an Urdu brief in an English book, say): its
        # section and the writer's paragraphs and tables.
        pw.rtl = part.document.metadata.direction == "rtl"
        for old in sect.findall(qn("w:bidi")):
            sect.remove(old)
        if pw.rtl:
            child(sect, "w:bidi")
        start = len(body) - 1  # the part's first block goes here, before the body's sectPr
        write_blocks(pw, part.document.blocks,
                     Measurer.for_template(part.template).moved_runs(part.document))
        first = body[start]
        if first.tag == qn("w:p"):
            _bookmark(first, part.key, part.number)
    sections = list(zip(w.d.sections, [None] + list(book.parts), [w] + part_writers))
    for section, part, pw in sections:
        pw.rtl = (book.metadata if part is None else part.document.metadata).direction == "rtl"
        if part is None:
            furniture = _SectionFurniture(w, section, book.template, book.metadata.values(),
                                          book.front_pages, 1, True)
        else:
            values = dict(part.document.metadata.values(), brief=str(part.number))
            furniture = _SectionFurniture(pw, section, part.template, values, part.pages,
                                          part.first_page, False)
        furniture.write()
    return close_package(w.d, book.metadata, fonts, book.pages,
                         embed=(book.template, *(part.template for part in book.parts)))


def _end_section(w: DocxWriter) -> None:
    """End the section written so far: a copy of the body's section properties goes
    into its last paragraph (a new empty one after a table), and the body's describe the
    next section. No empty paragraph is added after text: it could add a page."""
    body = w.d.element.body
    last = body[len(body) - 2] if len(body) >= 2 else None
    if last is None or last.tag != qn("w:p"):
        p = w.d.add_paragraph()
        w.set_style(p, "body")
        last = p._p
    ppr = last.get_or_add_pPr()
    insert_in_order(ppr, copy.deepcopy(body.sectPr))


def _link(p, key: str) -> None:
    """Make a paragraph's runs a link to a bookmark."""
    link = element("w:hyperlink")
    link.set(qn("w:anchor"), key)
    link.set(qn("w:history"), "1")
    for r in list(p._p.findall(qn("w:r"))):
        link.append(r)
    p._p.append(link)


def _bookmark(p, key: str, n: int) -> None:
    """A bookmark around a paragraph's content."""
    start = element("w:bookmarkStart")
    start.set(qn("w:id"), str(n))
    start.set(qn("w:name"), key)
    end = element("w:bookmarkEnd")
    end.set(qn("w:id"), str(n))
    ppr = p.find(qn("w:pPr"))
    p.insert(list(p).index(ppr) + 1 if ppr is not None else 0, start)
    p.append(end)
