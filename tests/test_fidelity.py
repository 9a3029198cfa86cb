"""One look, two formats: the DOCX, laid out by LibreOffice (a real client), breaks pages
where the PDF does. This is what makes a page budget hold in both formats."""

from __future__ import annotations

import re

import pytest

from conftest import libreoffice_pdf, pdf_pages_text, squash

MARKINGS = re.compile(r"^(UNCLASSIFIED|OFFICIAL-SENSITIVE)?\s*(UNCLASSIFIED|OFFICIAL-SENSITIVE)?"
                      r"\s*(Page \d+ of \d+)?$")


def body_lines(text: str) -> list[str]:
    """The lines of a page without the header and footer."""
    lines = [squash(l) for l in text.splitlines() if l.strip()]
    return [l for l in lines if not MARKINGS.match(l)]


def first_words(line: str, n: int = 4) -> str:
    return " ".join(line.replace("•", "").split()[:n])


@pytest.fixture(scope="module")
def laid_out(example_full, stress_full, tmp_path_factory):
    docx = [example_full[2], stress_full[2]]
    pdfs = libreoffice_pdf(docx, tmp_path_factory.mktemp("lo"))
    return {"example": (example_full[1], pdfs[0]), "stress": (stress_full[1], pdfs[1])}


@pytest.mark.parametrize("case", ["example", "stress"])
def test_docx_has_the_pdfs_pages(laid_out, case):
    ours, libreoffice = laid_out[case]
    a, b = pdf_pages_text(ours), pdf_pages_text(libreoffice)
    assert len(a) == len(b), f"{case}: PDF {len(a)} pages, DOCX {len(b)} pages"
    for n, (pa, pb) in enumerate(zip(a, b), 1):
        la, lb = body_lines(pa), body_lines(pb)
        assert first_words(la[0]) == first_words(lb[0]), f"{case}: page {n} starts differently"
        assert first_words(la[-1]) == first_words(lb[-1]), f"{case}: page {n} ends differently"


def test_docx_marking_and_page_numbers_in_libreoffice(laid_out):
    _, libreoffice = laid_out["example"]
    pages = pdf_pages_text(libreoffice)
    for n, text in enumerate(pages, 1):
        assert f"Page {n} of {len(pages)}" in text
        assert text.count("UNCLASSIFIED") == 2
