"""Render: one plain function per format, `document, template, **options -> bytes`, in one
table.

The format name is the key the CLI's `-f`, the file extension and the tests use. The
renderers import python-docx and reportlab lazily, so commands that do not render stay fast.
Options a format does not know are ignored: `pdf_standard` ("ua-1", the default, or "a-2a")
is the PDF's.
"""

from __future__ import annotations

from typing import Callable

from .doc import Document
from .templates import Template


PDF_STANDARDS = {"ua-1": ("PDF/UA-1",), "a-2a": ("PDF/UA-1", "PDF/A-2a")}
"""`--pdf-standard` -> the standards a PDF meets: every PDF is tagged and PDF/UA-1."""


def standards(format: str, pdf_standard: str | None = None) -> tuple[str, ...]:
    """The standards an output of a format meets."""
    return PDF_STANDARDS[pdf_standard or "ua-1"] if format == "pdf" else ()


def _pdf(document: Document, template: Template, *, pdf_standard: str | None = None,
         **_other) -> bytes:
    from .render_pdf import render_pdf

    return render_pdf(document, template, pdf_standard=pdf_standard)


def _docx(document: Document, template: Template, **_options) -> bytes:
    from .render_docx import render_docx

    return render_docx(document, template)


RENDERERS: dict[str, Callable[..., bytes]] = {
    "pdf": _pdf,
    "docx": _docx,
}
"""Format name -> renderer."""
