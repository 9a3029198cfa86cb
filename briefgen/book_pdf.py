"""The PDF of a book, in one pass: the single-brief renderer's flowables and page canvas,
one page template per brief (its own frame and paper), one structure tree.

Merging finished PDFs would break their structure trees, so the book is laid out as one
document: the cover and contents with the book's template, then each brief from a new page
with its own. While pages begin, this module starts each brief's section of the structure
tree (`Tagger.section`: the brief's marking, read once, then its content), its page labels
("k-1", "k-2"...; the cover and contents i, ii) and its bookmark (book > brief > the
brief's headings); each page's header and footer are drawn by the canvas of its brief's
template (`pdf_page`), with the book's numbers.
"""

from __future__ import annotations

import io

from . import engine  # noqa: F401  (first: it prepares reportlab)
from reportlab.pdfbase.pdfdoc import LinkAnnotation, PDFString
from reportlab.platypus import NextPageTemplate, PageBreak, PageTemplate

from . import doc
from .book_build import BookDocument, Part
from .pdf_page import canvas_class, page_frame
from .pdf_tags import Tagger
from .records import dataclass
from .render_pdf import Renderer, _DocTemplate


@dataclass(frozen=True)
class BookLayout:
    """A laid-out book: its bytes, and the book page on which each brief starts and how
    many pages it took (which must be its fitted pages)."""

    pdf: bytes
    pages: int
    front_pages: int
    starts: tuple[int, ...]
    lengths: tuple[int, ...]


def roman(n: int) -> str:
    """A page number in lower-case Roman numerals (the cover and contents: i, ii...)."""
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"),
                           (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"),
                           (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + letters, n - value
    return out


class _Hooks:
    """The book's numbers in a page's header and footer, on whichever template's canvas
    draws it (mixed into each of them)."""

    def _page_numbers(self, total: int) -> dict[str, str]:
        return self._book_numbers

    def _reads_front(self) -> bool:
        return self._book_reads_front


class _GoTo(LinkAnnotation):
    """A link to a place in the document, with the /StructParent of its /Link element."""

    permitted = LinkAnnotation.permitted + ("StructParent",)


class _ContentsLink:
    """A brief's title in the contents: a link to the brief's first page, tagged /Link
    with its annotation (mixed into the paragraph's own class, left-to-right or not)."""

    target = ""

    def drawOn(self, canvas, x, y, _sW=0):
        super().drawOn(canvas, x, y, _sW)
        tagger = getattr(canvas, "tagger", None)
        extra = {"F": 4, "Border": "[0 0 0]"}
        if tagger is not None and not tagger.artifact:
            extra["StructParent"] = tagger.annotation(self.tag)
        rect = canvas._absRect((x, y, x + self.width, y + self.height), 1)
        canvas._addAnnotation(_GoTo(rect, PDFString(self.link_text),
                                    canvas._bookmarkReference(self.target), **extra), None, 1)
        if "StructParent" in extra:
            tagger.annotated(self.tag, canvas)


_LINKED: dict[type, type] = {}


def _linked(cls: type) -> type:
    """The class of a paragraph that is also a contents link."""
    if cls not in _LINKED:
        _LINKED[cls] = type(f"Linked{cls.__name__}", (_ContentsLink, cls), {})
    return _LINKED[cls]


def layout_book(book: BookDocument, *, pdf_standard: str | None = None) -> BookLayout:
    """Lay out and render the whole book: tagged PDF/UA-1 (PDF/A-2a with "a-2a")."""
    buffer = io.BytesIO()
    meta = book.metadata
    front_t = book.template
    pdf = _DocTemplate(buffer, pagesize=front_t.page_size, title=meta.title,
                       author=meta.author, subject=meta.subject, keywords=list(meta.keywords),
                       creator="briefgen", producer="briefgen", lang=meta.language,
                       invariant=1)
    starts: dict[int, int] = {}  # part number -> its first book page
    page_part: dict[int, int] = {}  # book page -> part number (0: cover and contents)
    sections: dict[int, dict] = {}  # part number -> its front elements (marking, logo)
    tagger = Tagger(doc.Document(meta, (), book.front))
    book_front = dict(tagger.front)

    def front_page(canvas, _doc):
        page_part[canvas.getPageNumber()] = 0
        if canvas.getPageNumber() == 1:
            canvas.addPageLabel(0, "ROMAN_LOWER", 1)

    def part_page(part: Part):
        def on_page(canvas, _doc):
            page = canvas.getPageNumber()
            page_part[page] = part.number
            if part.number in starts:
                return
            starts[part.number] = page
            canvas.addPageLabel(page - 1, "ARABIC", 1, f"{part.number}-")
            section = tagger.section("Sect")
            lang = part.document.metadata.language
            if lang != meta.language:
                section.lang = lang
            front = {}
            for item in part.document.front:
                if isinstance(item, doc.Figure):
                    front[doc.Figure] = section.child("Figure", alt=item.alt)
                else:
                    front[doc.Marking] = section.child("P")
            for el in front.values():
                el.attached = True
            sections[part.number] = front
            w, h = part.template.page_size
            canvas.bookmarkPage(part.key, fit="XYZ", left=0, top=h)
            canvas.addOutlineEntry(f"{part.number}. {_title(part)}", part.key, level=1,
                                   closed=False)
        return on_page

    templates = [PageTemplate(id="front", frames=[page_frame(front_t)], onPage=front_page,
                              pagesize=front_t.page_size)]
    for part in book.parts:
        templates.append(PageTemplate(id=part.key, frames=[page_frame(part.template)],
                                      onPage=part_page(part), pagesize=part.template.page_size))
    pdf.addPageTemplates(templates)
    pdf.build(_flowables(book), canvasmaker=_book_canvas(book, tagger, book_front, sections,
                                                         page_part, starts, pdf_standard))
    total = pdf.page
    order = [p.number for p in book.parts]
    lengths = tuple((starts.get(order[i + 1], total + 1) if i + 1 < len(order) else total + 1)
                    - starts[n] for i, n in enumerate(order))
    return BookLayout(buffer.getvalue(), total, starts[order[0]] - 1,
                      tuple(starts[n] for n in order), lengths)


def _title(part: Part) -> str:
    from .inline import plain_text

    return plain_text(part.entry.brief.title)


def _flowables(book: BookDocument) -> list:
    front = Renderer(book.template)
    out = front.flowables(doc.Document(book.metadata, book.cover))
    out[0].outline = (book.metadata.title, 0)  # the book's bookmark: its cover's title
    out += [NextPageTemplate("front"), PageBreak()]
    heading = front.heading(book.contents_heading, 1)[0]
    heading.outline = (book.contents_heading.text, 1)
    out.append(heading)
    table = front.recommendation_table(book.contents)[0]
    for row, part in zip(table._cellvalues[1:], book.parts):
        title = row[1]
        title.__class__ = _linked(type(title))
        title.target = part.key
        title.link_text = f"{part.number}. {_title(part)}, page {part.first_page}"
        title.tag = title.tag.child("Link")
    out.append(table)
    for part in book.parts:
        out += [NextPageTemplate(part.key), PageBreak()]
        made = Renderer(part.template).flowables(part.document)
        for f in made:
            outline = getattr(f, "outline", None)
            if outline:
                f.outline = (outline[0], outline[1] + 2)
        out += made
    return out


def _book_canvas(book: BookDocument, tagger: Tagger, book_front: dict, sections: dict,
                 page_part: dict, starts: dict, pdf_standard: str | None):
    """The book's canvas: the cover's and contents' (the book's template and metadata),
    which draws each brief's pages with the canvas of the brief's template."""
    front_doc = doc.Document(book.metadata, (), book.front)
    base = canvas_class(book.template, front_doc, tagger, pdf_standard)
    parts = {p.number: p for p in book.parts}
    drawers = {p.number: type("PartCanvas", (_Hooks, canvas_class(
        p.template, p.document, tagger, pdf_standard)), {}) for p in book.parts}

    class BookCanvas(_Hooks, base):
        def _decorate(self, total: int):
            page = self._pageNumber
            number = page_part.get(page, 0)
            if number == 0:
                self._book_numbers = {"page": roman(page), "pages": roman(book.front_pages)}
                self._book_reads_front = page == 1
                tagger.front = book_front
                return super()._decorate(total)
            part = parts[number]
            first = starts[number]
            self._book_numbers = {"page": str(page - first + 1), "pages": str(part.pages),
                                  "brief": str(number), "book_page": str(page),
                                  "book_pages": str(total)}
            self._book_reads_front = page == first
            tagger.front = sections[number]
            # The page is drawn by the brief's own canvas class (its template's header,
            # footer, logo and fonts, made by pdf_page.canvas_class), on this one canvas:
            # one PDF document has one canvas, so this canvas takes that class for the page.
            own = self.__class__
            self.__class__ = drawers[number]
            try:
                self._decorate(total)
            finally:
                self.__class__ = own
                tagger.front = book_front

    return BookCanvas


def render_book_pdf(book: BookDocument, *, pdf_standard: str | None = None) -> bytes:
    """The PDF bytes of a book."""
    return layout_book(book, pdf_standard=pdf_standard).pdf
