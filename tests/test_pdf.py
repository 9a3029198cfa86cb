"""The PDF as a reader gets it: pages, text per page, fonts, metadata, bookmarks, links."""

from __future__ import annotations

import re
import subprocess

import pypdf

from briefgen import doc
from conftest import need_tool, pdf_pages_text, squash


def test_page_count_and_footer(example_full):
    _, pdf, _, pages = example_full
    reader = pypdf.PdfReader(pdf)
    assert len(reader.pages) == pages >= 4
    texts = pdf_pages_text(pdf)
    for n, text in enumerate(texts, 1):
        assert f"Page {n} of {pages}" in text
        assert text.count("UNCLASSIFIED") == 2, "marking at the top and bottom of every page"


def test_text_of_first_and_last_page(example_full, example_brief):
    _, pdf, _, _ = example_full
    texts = [squash(t) for t in pdf_pages_text(pdf)]
    assert texts[0].startswith("UNCLASSIFIED Pakistan and Russia: a partnership worth")
    assert "Bottom line" in texts[0]
    assert "Prepared for: Office of the Foreign Secretary" in texts[0]
    assert "Key points" in texts[0]
    assert "Source: Zeeshan Hayat" in texts[-1]
    everything = " ".join(texts)
    for item in example_brief.items:
        assert squash(item.title) in everything.replace("- ", "-")


def test_every_font_is_embedded(example_full, stress_full):
    for pdf in (example_full[1], stress_full[1]):
        out = subprocess.run([need_tool("pdffonts"), str(pdf)], capture_output=True,
                             text=True, check=True).stdout
        rows = out.splitlines()[2:]
        assert rows, "no fonts listed"
        for row in rows:
            name, emb = row.split()[0], row.split()[-5]
            assert emb == "yes", f"{name} is not embedded"
            assert "Liberation" in name and "+" in name, f"{name} is not a subset of ours"


def test_metadata(example_full):
    reader = pypdf.PdfReader(example_full[1])
    meta = reader.metadata
    assert meta.title == "Pakistan and Russia: a partnership worth building"
    assert meta.author == "Regional Affairs Desk"
    assert meta.subject.startswith("A closer Pakistan-Russia relationship")
    assert "afghanistan" in meta["/Keywords"]
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_bookmarks_follow_headings(example_full):
    document, pdf, _, _ = example_full
    reader = pypdf.PdfReader(pdf)

    def titles(outline):
        for entry in outline:
            if isinstance(entry, list):
                yield from titles(entry)
            else:
                yield entry.title

    headings = [b.text for b in document.blocks if isinstance(b, doc.Heading)]
    assert list(titles(reader.outline)) == headings
    top = [e.title for e in reader.outline if not isinstance(e, list)]
    assert top == [b.text for b in document.blocks if isinstance(b, doc.Heading) and b.level == 1]


def test_links_are_clickable(stress_full):
    reader = pypdf.PdfReader(stress_full[1])
    uris = [a.get_object()["/A"]["/URI"] for page in reader.pages
            for a in page.get("/Annots", []) if a.get_object().get("/Subtype") == "/Link"]
    assert "https://example.org/report" in uris


def test_no_heading_is_last_on_a_page(stress_full, example_full):
    for document, pdf in ((stress_full[0], stress_full[1]), (example_full[0], example_full[1])):
        headings = {squash(b.text) for b in document.blocks if isinstance(b, doc.Heading)}
        for n, text in enumerate(pdf_pages_text(pdf)[:-1], 1):
            lines = [squash(l) for l in text.splitlines() if l.strip()]
            body = [l for l in lines if not re.match(r"^(OFFICIAL-SENSITIVE|UNCLASSIFIED)?\s*"
                                                     r"(OFFICIAL-SENSITIVE|UNCLASSIFIED)?\s*"
                                                     r"(Page \d+ of \d+)?$", l)]
            assert body, f"page {n} has no text"
            assert body[-1] not in headings, f"heading stranded at the bottom of page {n}"


def test_table_header_repeats_and_rows_do_not_split(stress_full):
    document, pdf, _, _ = stress_full
    texts = [squash(t) for t in pdf_pages_text(pdf)]
    table_pages = [t for t in texts if "Recommendation number" in t and "Ministry of" in t]
    assert len(table_pages) >= 2, "the stress table should run over pages"
    for t in table_pages:
        assert re.search(r"# Recommendation Owner Timeframe Priority", t)
    for i in range(30):
        # The row's number, title and owner sit on one page.
        assert any(re.search(rf"\b{i + 1} Recommendation number {i}\.", t) for t in texts), i
