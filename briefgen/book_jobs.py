"""The jobs of a book: one output per format, `OUT/<book name>.<format>`, built whole or not
at all, and the manifest's account of each brief (its length, pages, first page and what
it left out)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from .errors import BriefError
from .plan import Length

BOOK_LENGTH = Length("book", None)
"""The length of a book's outputs: each brief keeps its own."""

_BOOK_LINE = re.compile(rb"^book[ \t]*:", re.MULTILINE)


def is_book(path: str | Path) -> bool:
    """Whether a file is a briefing book: a top-level `book:` key (read cheaply; the
    loader checks the rest)."""
    try:
        with open(path, "rb") as f:
            head = f.read(1 << 16)
    except OSError:
        return False
    return bool(_BOOK_LINE.search(head))


def book_entry(part, layout_start: int) -> dict:
    """A brief of a book as the manifest lists it."""
    from .jobs import _items

    f = part.fitted
    return {"number": part.number, "input": str(part.entry.file),
            "template": part.template.name, "length": part.entry.length.name,
            "pages": f.pages, "first_page": layout_start, "label": f"{part.number}-1",
            "left_out": list(f.plan.left_out), "one_line": list(_items(f.one_liners)),
            "skipped": list(_items(f.skipped))}


def prepare_book(inp, jobs, template_name: str, paper: str | None,
                 reserve_lines: float | None = None):
    """Build every job (format) of one book into temporary files (see jobs.prepare_input);
    errors become results, never exceptions."""
    from .book import load_book
    from .book_build import fit_book
    from .book_pdf import layout_book
    from .jobs import Result, internal_error, write_all

    try:
        book = load_book(inp, template_name, paper)
        fitted = fit_book(book, template_name, paper, reserve_lines)
    except BriefError as exc:
        return [Result(job, errors=exc.diagnostics) for job in jobs], []
    results, unwritten = [], []
    layouts: dict = {}
    document = None
    for job in jobs:
        try:
            if job.path.resolve() == inp.resolve():
                raise BriefError.single(str(inp), f"output {job.path} would overwrite the input")
            if document is None:
                document, layout = _laid_out(book, fitted, template_name, paper,
                                             job.pdf_standard if job.format == "pdf" else None)
                layouts[layout[0]] = layout[1]
            if job.format == "pdf":
                standard = job.pdf_standard
                if standard not in layouts:
                    layouts[standard] = layout_book(document, pdf_standard=standard)
                data = layouts[standard].pdf
            else:
                from .book_docx import render_book_docx

                data = render_book_docx(document)
            first = next(iter(layouts.values()))
            warnings = list(book.warnings) + [w for f in fitted for w in f.warnings]
            unwritten.append((len(results), job, data))
            results.append(Result(job, pages=document.pages, size=len(data),
                                  sha256=hashlib.sha256(data).hexdigest(), warnings=warnings,
                                  briefs=tuple(book_entry(p, s) for p, s in
                                               zip(document.parts, first.starts))))
        except BriefError as exc:
            results.append(Result(job, errors=exc.diagnostics))
        except Exception as exc:  # a bug of ours: say so, and go on with the other outputs
            results.append(internal_error(inp, job, exc))
    return results, write_all(inp, results, unwritten)


def _laid_out(book, fitted, template_name: str, paper: str | None, standard: str | None):
    """The book's document and its PDF layout: the contents say where each brief starts,
    so when the cover and contents take more than two pages, the book is built again
    with the pages they take. Every brief must take its fitted pages."""
    from .book_build import build_book
    from .book_pdf import layout_book

    document = build_book(book, fitted, template_name, paper)
    layout = layout_book(document, pdf_standard=standard)
    if layout.front_pages != document.front_pages:
        document = build_book(book, fitted, template_name, paper, layout.front_pages)
        layout = layout_book(document, pdf_standard=standard)
    wrong = [(p, n) for p, n in zip(document.parts, layout.lengths) if n != p.pages]
    if wrong or layout.front_pages != document.front_pages:
        raise RuntimeError("the book's layout differs from its briefs' fitted layouts: "
                           + ", ".join(f"brief {p.number} took {n} pages, not {p.pages}"
                                       for p, n in wrong))
    return document, (standard or "ua-1", layout)
