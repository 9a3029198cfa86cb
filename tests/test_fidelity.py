"""One look, two formats: the DOCX, laid out by LibreOffice (a real client), breaks pages
where the PDF does, for every built-in template at every length (one-page, two-page,
--pages 3, full), on A4 and Letter, for the example and a long stress brief (104 numbered
paragraphs in the memo, 30 numbered asks in the handout). This is what makes a page budget
hold in both formats. All DOCX files are laid out in one LibreOffice call."""

from __future__ import annotations

import re
import subprocess

import pytest

from briefgen.lists import list_geometry
from briefgen.templates import load_template
from conftest import libreoffice_pdf, need_tool, pdf_pages_text, squash

MARKINGS = re.compile(r"^(UNCLASSIFIED|OFFICIAL-SENSITIVE)?\s*(UNCLASSIFIED|OFFICIAL-SENSITIVE)?"
                      r"\s*(Page \d+ of \d+)?$")
FOOTER_LEFT = ("Regional Affairs Desk", "Test Desk")


def body_lines(text: str) -> list[str]:
    """The lines of a page without the header and footer."""
    lines = [squash(line) for line in text.splitlines() if line.strip()]
    out = []
    for line in lines:
        for left in FOOTER_LEFT:  # the memo's footer names the desk at its left
            if line.startswith(left + " ") and MARKINGS.match(line[len(left):].strip()):
                line = ""
        if line and not MARKINGS.match(line):
            out.append(line)
    return out


def first_words(line: str, n: int = 4) -> str:
    return " ".join(line.replace("•", "").split()[:n])


@pytest.fixture(scope="module")
def laid_out(matrix, tmp_path_factory):
    """LibreOffice's PDF of every DOCX of the matrix (one soffice call)."""
    keys = list(matrix)
    pdfs = libreoffice_pdf([matrix[k].docx for k in keys], tmp_path_factory.mktemp("lo"))
    return dict(zip(keys, pdfs))


def test_docx_pages_start_where_the_pdfs_do(matrix, laid_out):
    """Every page of the DOCX, as LibreOffice lays it out, starts with the line the PDF's
    page starts with. (Lines inside a page may break differently: LibreOffice, laying out
    a Word 2013 document, keeps a little more room after an italic word at a line's end.)"""
    problems = []
    for key, out in matrix.items():
        ours = [body_lines(p) for p in pdf_pages_text(out.pdf)]
        theirs = [body_lines(p) for p in pdf_pages_text(laid_out[key])]
        if len(ours) != len(theirs):
            problems.append(f"{key}: PDF {len(ours)} pages, DOCX {len(theirs)} pages")
            continue
        for n, (a, b) in enumerate(zip(ours, theirs), 1):
            if first_words(a[0]) != first_words(b[0]):
                problems.append(f"{key}: page {n} starts with '{b[0]}', not '{a[0]}'")
    assert not problems, "\n".join(problems)


def test_docx_marking_and_page_numbers_in_libreoffice(matrix, laid_out):
    for key, pdf in laid_out.items():
        marking = "UNCLASSIFIED" if key[0] == "example" else "OFFICIAL-SENSITIVE"
        pages = pdf_pages_text(pdf)
        for n, text in enumerate(pages, 1):
            assert f"Page {n} of {len(pages)}" in text, (key, n)
            assert text.count(marking) == 2, (key, n, "top and bottom")


def _numbered_lines(pdf) -> list[tuple[int, float, float]]:
    """(number, label x, text x) of every line that starts with a number label."""
    xml = subprocess.run([need_tool("pdftotext"), "-bbox", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    out = []
    for page in xml.split("<page ")[1:]:
        words = [(float(a), float(b), w) for a, b, w in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', page)]
        lines: dict[int, list] = {}
        for x, y, w in words:
            lines.setdefault(round(y), []).append((x, w))
        for line in lines.values():
            line.sort()
            if len(line) > 1 and re.fullmatch(r"\d+\.", line[0][1]):
                out.append((int(line[0][1][:-1]), line[0][0], line[1][0]))
    return out


@pytest.mark.parametrize("key", [("stress", "full", "decision-memo", "a4"),
                                 ("stress", "full", "decision-memo", "letter"),
                                 ("stress", "full", "handout", "a4")])
def test_numbers_never_push_the_text(matrix, laid_out, key):
    """1. to 104.: the text starts at the list's indent, in the PDF and in the DOCX; a wide
    number moves left instead, to the same place in both."""
    template = load_template(key[2], key[3])
    margin = template.margins["left"]
    ours, theirs = _numbered_lines(matrix[key].pdf), _numbered_lines(laid_out[key])
    assert [n for n, _, _ in ours] == [n for n, _, _ in theirs]
    numbers = [n for n, _, _ in ours]
    assert max(numbers) >= (100 if key[2] == "decision-memo" else 30), max(numbers)
    for (n, label_a, text_a), (_, label_b, text_b) in zip(ours, theirs):
        geometry = list_geometry(template, "number", f"{n}.")
        assert abs(text_a - (margin + geometry.text_indent)) < 0.3, (n, text_a)
        assert abs(text_b - text_a) < 0.5, (n, "DOCX text", text_b, text_a)
        assert abs(label_a - (margin + geometry.label_x)) < 0.3, (n, label_a)
        assert abs(label_b - label_a) < 0.5, (n, "DOCX label", label_b, label_a)
    assert len({round(x, 1) for _, _, x in ours}) == 1, "one text edge for every number"
