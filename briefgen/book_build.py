"""Book building: a validated `Book` -> one document tree of parts, ready for the renderers.

Each brief is fitted exactly as a single brief is (`fit`, with its own template and length),
so it keeps its page budget; the book adds a cover and a contents page in front, and says
on which page each brief starts. The layout of a brief in the book is the layout of the
brief alone: every brief starts on a new page with its template's page frame, and the book
changes only the footer (the brief's number, its page of its pages, the book's page).
"""

from __future__ import annotations

import dataclasses

from . import doc
from .book import Book, Entry
from .build import clip, format_date, front_furniture, text_runs
from .errors import BriefError, Diagnostic
from .fit import Fitted, fit
from .inline import plain_text
from .labels import Labels, direction, labels_for
from .records import dataclass
from .templates import Slots, Template, load_template

@dataclass(frozen=True)
class Part:
    """One brief in the book: its fitted document, the template that draws it (the
    brief's own, with the book's footer) and where it starts."""

    number: int
    entry: Entry
    fitted: Fitted
    template: Template
    first_page: int
    """The book page (1-based, the cover is page 1) of the brief's first page."""

    @property
    def pages(self) -> int:
        """The brief's page count, as fitted."""
        return self.fitted.pages

    @property
    def document(self) -> doc.Document:
        """The brief's document tree."""
        return self.fitted.document

    @property
    def key(self) -> str:
        """The name of the brief's destination (bookmark) in both formats."""
        return f"brief{self.number}"


@dataclass(frozen=True)
class BookDocument:
    """A whole book, ready for a renderer: the cover and the contents (drawn with the
    book's template) and the parts."""

    metadata: doc.Metadata
    template: Template
    """The book's own template: the cover's and the contents' styles and page."""
    cover: tuple[doc.Block, ...]
    contents_heading: doc.Heading
    contents: doc.RecommendationTable
    parts: tuple[Part, ...]
    front: tuple[doc.Front, ...] = ()
    front_pages: int = 2
    """The pages of the cover and the contents (labelled i, ii, ...)."""
    path: str = ""
    """The book file."""

    @property
    def pages(self) -> int:
        """The book's page count."""
        return self.front_pages + sum(p.pages for p in self.parts)


def fit_book(book: Book, template_name: str, paper: str | None = None,
             reserve_lines: float | None = None) -> list[Fitted]:
    """Every brief of a book fitted to its length with its template; BriefError with the
    failures of all briefs that cannot keep their budget."""
    fitted, errors = [], []
    for entry in book.entries:
        template = load_template(entry.template or template_name, paper)
        try:
            fitted.append(fit(entry.brief, entry.length, template, reserve_lines))
        except BriefError as exc:
            errors.append(Diagnostic(book.path, entry.at[0], entry.at[1],
                                     f"brief {entry.number} ({entry.file}) cannot keep its "
                                     f"{entry.length.name} budget; see its errors",
                                     f"briefs[{entry.number}]"))
            errors += exc.diagnostics
    if errors:
        raise BriefError(errors)
    return fitted


def build_book(book: Book, fitted: list[Fitted], template_name: str,
               paper: str | None = None, front_pages: int = 2) -> BookDocument:
    """The book's document tree, the contents saying where each brief starts when the
    cover and contents take `front_pages` pages."""
    front = load_template(template_name, paper)
    words = labels_for(front, book.lang)  # the cover's and contents' (a brief's: its own)
    front_template = book_template(front, "front", words)
    parts, page = [], front_pages + 1
    for entry, f in zip(book.entries, fitted):
        own = load_template(entry.template or template_name, paper)
        template = book_template(own, "brief", labels_for(own, entry.brief.lang))
        parts.append(Part(entry.number, entry, f, template, page))
        page += f.pages
    rows = tuple(doc.TableRow(((doc.Run(str(p.number)),), text_runs(p.entry.brief.title),
                               (doc.Run(_length_words(p, words)),),
                               (doc.Run(str(p.first_page)),)))
                 for p in parts)
    contents = doc.RecommendationTable(tuple(words["book_columns"]), rows,
                                       (0.09, 0.61, 0.18, 0.12))
    return BookDocument(_metadata(book, parts, page - 1), front_template,
                        _cover(book, parts, front_pages, words),
                        doc.Heading(words["book_contents"]), contents, tuple(parts),
                        _front(book, front_template), front_pages, book.path)


def book_template(template: Template, role: str, words: Labels) -> Template:
    """A template with the book's footer: its page-number slot says, on a brief's page,
    "Brief k · page j of n · book page p" (in `words`, the brief's language), and on the
    cover and contents, i, ii..."""
    text = words["book_footer"] if role == "brief" else "{page}"

    def slot(value: str) -> str:
        return text if "{page}" in value else value

    footer = template.footer
    slots = Slots(slot(footer.left), slot(footer.center), slot(footer.right))
    if not any("{page}" in v for v in (footer.left, footer.center, footer.right)):
        slots = dataclasses.replace(slots, right=text)  # a book's pages are numbered
    return dataclasses.replace(template, footer=slots)


def _length_words(part: Part, words: Labels) -> str:
    length = part.entry.length
    pages = words.count("book_pages", part.pages)
    if length.name in ("one-page", "two-page"):
        return words.length(length.name)
    if length.name == "full":
        return f"{words.length('full')} ({pages})"
    return pages


def _cover(book: Book, parts: list[Part], front_pages: int,
           words: Labels) -> tuple[doc.Block, ...]:
    meta = []
    prepared = book.prepared
    if prepared and prepared.for_:
        meta.append(f"{words['prepared_for']}{words['colon']}{prepared.for_}")
    by = [prepared.by] if prepared and prepared.by else []
    if prepared and prepared.date:
        by.append(format_date(prepared.date, words.lang))
    if by:
        meta.append((f"{words['prepared_by']}{words['colon']}" if prepared.by else "")
                    + " · ".join(by))
    pages = front_pages + sum(p.pages for p in parts)
    meta.append(words.count("book_briefs", len(parts)) + words["comma"]
                + words.count("book_pages", pages))
    return (doc.TitleBlock(text_runs(book.title),
                           text_runs(book.subtitle) if book.subtitle else (), tuple(meta)),)


def _front(book: Book, template: Template) -> tuple[doc.Front, ...]:
    """The cover's furniture read once: the template's logo, then the book's marking."""
    return front_furniture(book.prepared, template)


def _metadata(book: Book, parts: list[Part], pages: int) -> doc.Metadata:
    prepared = book.prepared
    date = format_date(prepared.date, book.lang) if prepared and prepared.date else ""
    fields = {"title": plain_text(book.title), "subtitle": plain_text(book.subtitle or ""),
              "classification": (prepared.classification if prepared else None) or "",
              "date": date, "prepared.date": date,
              "prepared.by": (prepared.by if prepared else None) or "",
              "prepared.for": (prepared.for_ if prepared else None) or "",
              "length": f"{pages} pages"}
    keywords: list[str] = []
    for p in parts:
        keywords += [k for k in p.document.metadata.keywords if k not in keywords]
    scripts: dict[str, str] = {}
    for p in parts:
        scripts.update({k: v for k, v in p.document.metadata.scripts if k not in scripts})
    subject = "; ".join(f"{p.number}. {plain_text(p.entry.brief.title)}" for p in parts)
    return doc.Metadata(title=clip(plain_text(book.title)), author=clip(fields["prepared.by"]),
                        subject=clip(subject), keywords=tuple(keywords[:12]),
                        language=book.lang, scripts=tuple(scripts.items()),
                        direction=direction(book.lang),
                        classification=clip(fields["classification"]),
                        date=prepared.date.isoformat() if prepared and prepared.date else "",
                        fields=tuple(sorted(fields.items())))
