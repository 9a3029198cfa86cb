"""Render: one plain function per format, `document, template -> bytes`, in one table.

The format name is the key the CLI's `-f`, the file extension and the tests use. The
renderers import python-docx and reportlab lazily, so commands that do not render stay fast.
"""

from __future__ import annotations

from typing import Callable

from .doc import Document
from .templates import Template


def _pdf(document: Document, template: Template) -> bytes:
    from .render_pdf import render_pdf

    return render_pdf(document, template)


def _docx(document: Document, template: Template) -> bytes:
    from .render_docx import render_docx

    return render_docx(document, template)


RENDERERS: dict[str, Callable[[Document, Template], bytes]] = {
    "pdf": _pdf,
    "docx": _docx,
}
"""Format name -> renderer."""
