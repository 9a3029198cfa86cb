"""Briefing books: several briefs built into one PDF and one DOCX, each at its own length.

Read back as a reader gets them: the text of each page (poppler), the contents' page
numbers against the pages where the briefs start, page labels and bookmarks (pypdf), the
structure tree and PDF/UA-1 (page-validation), the DOCX's sections, headers, footers,
bookmarks and links (python-docx), and the DOCX laid out by LibreOffice."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner
from docx import Document as open_docx
from docx.oxml.ns import qn

from briefgen.cli import main
from briefgen.fit import fit
from briefgen.load import load
from briefgen.plan import length_for
from briefgen.templates import load_template
from conftest import ROOT, libreoffice_pdf, need_module, pdf_pages_text, squash

INPUTS = ROOT / "inputs"
BOOK = INPUTS / "moscow-visit.book.yaml"
BRIEFS = [("islamabad-moscow.yaml", "two-page"), ("pakistan-stream.yaml", "one-page"),
          ("moscow-format.yaml", "one-page")]


def run(*args) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.output


def copy_inputs(dest: Path) -> Path:
    """The example book, its briefs and their articles, in a folder of their own."""
    dest.mkdir(parents=True, exist_ok=True)
    for f in INPUTS.glob("*.yaml"):
        shutil.copy(f, dest / f.name)
    shutil.copytree(INPUTS / "articles", dest / "articles", dirs_exist_ok=True)
    return dest


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The example book in both formats, with its manifest."""
    out = tmp_path_factory.mktemp("book")
    code, output = run("build", BOOK, "-o", out, "--manifest", out / "m.json")
    assert code == 0, output
    return out, json.loads((out / "m.json").read_text()), output


def brief_title(name: str) -> str:
    from briefgen.inline import plain_text

    return plain_text(load(INPUTS / name).title)


def page_texts(pdf: Path) -> list[str]:
    return [squash(t) for t in pdf_pages_text(pdf)]


def test_book_builds_one_file_per_format(built):
    out, manifest, output = built
    assert sorted(p.name for p in out.iterdir()) == ["m.json", "moscow-visit.book.docx",
                                                     "moscow-visit.book.pdf"]
    assert {e["format"] for e in manifest["outputs"]} == {"pdf", "docx"}
    assert "brief 2 (" in output and "1 page from page 5" in output


def test_contents_page_numbers_are_where_the_briefs_start(built):
    out, manifest, _ = built
    pages = page_texts(out / "moscow-visit.book.pdf")
    contents = pages[1]
    assert contents.startswith("OFFICIAL-SENSITIVE Contents Brief Title Length Page")
    starts = []
    for n, (name, _) in enumerate(BRIEFS, 1):
        title = brief_title(name)
        # the first page whose text (after its marking) opens with the brief's title
        found = [i + 1 for i, text in enumerate(pages)
                 if text.split(" ", 1)[1].startswith(title[:30])]
        start = found[0]
        starts.append(start)
        # the contents row: number, title, length, page
        row = re.search(rf"\b{n} {re.escape(title)} (One-page|Two-page) (\d+)", contents)
        assert row, (title, contents)
        assert int(row.group(2)) == start
        assert f"Brief {n} · page 1 of" in pages[start - 1]
        assert f"book page {start}" in pages[start - 1]
    assert starts == [3, 5, 6]
    entries = next(e for e in manifest["outputs"] if e["format"] == "pdf")["briefs"]
    assert [b["first_page"] for b in entries] == starts
    assert [b["length"] for b in entries] == [length for _, length in BRIEFS]


def test_page_labels_and_footers(built):
    out, _, _ = built
    reader = pypdf.PdfReader(out / "moscow-visit.book.pdf")
    assert list(reader.page_labels) == ["i", "ii", "1-1", "1-2", "2-1", "3-1"]
    pages = page_texts(out / "moscow-visit.book.pdf")
    assert pages[0].endswith(" i") and pages[1].endswith(" ii")
    assert "Brief 1 · page 2 of 2 · book page 4" in pages[3]


def test_markings_are_each_briefs_own(built):
    out, _, _ = built
    pages = page_texts(out / "moscow-visit.book.pdf")
    marking = {"islamabad-moscow.yaml": "UNCLASSIFIED", "pakistan-stream.yaml": "OFFICIAL",
               "moscow-format.yaml": "OFFICIAL-SENSITIVE"}
    assert pages[0].startswith("OFFICIAL-SENSITIVE") and pages[1].startswith("OFFICIAL-SENSITIVE")
    for text, name in zip(pages[2:], ["islamabad-moscow.yaml", "islamabad-moscow.yaml",
                                      "pakistan-stream.yaml", "moscow-format.yaml"]):
        assert text.split()[0] == marking[name], text[:60]
        assert text.count(marking[name]) >= 2  # top and bottom


def _outline(reader, items, depth=0, out=None):
    out = [] if out is None else out
    for item in items:
        if isinstance(item, list):
            _outline(reader, item, depth + 1, out)
        else:
            out.append((depth, item.title, reader.get_destination_page_number(item)))
    return out


def test_bookmarks_nest_book_brief_sections_and_open_their_heading(built):
    out, _, _ = built
    pdf = out / "moscow-visit.book.pdf"
    reader = pypdf.PdfReader(pdf)
    marks = _outline(reader, reader.outline)
    pages = page_texts(pdf)
    assert marks[0] == (0, "Visit of the Foreign Secretary to Moscow", 0)
    assert marks[1] == (1, "Contents", 1)
    briefs = [m for m in marks if m[0] == 1][1:]
    assert [b[1] for b in briefs] == [f"{n}. {brief_title(name)}"
                                      for n, (name, _) in enumerate(BRIEFS, 1)]
    assert [b[2] + 1 for b in briefs] == [3, 5, 6]
    sections = [m for m in marks if m[0] >= 2]
    assert len(sections) >= 9
    for depth, title, page in sections:
        assert squash(title) in pages[page], (title, page)
    # each brief's sections come after it and before the next
    order = [m[0] for m in marks]
    assert order[:3] == [0, 1, 1] and order[3] == 2


def test_each_brief_keeps_the_pages_and_text_of_its_own_build(built, tmp_path):
    out, manifest, _ = built
    book_pages = page_texts(out / "moscow-visit.book.pdf")
    entries = next(e for e in manifest["outputs"] if e["format"] == "pdf")["briefs"]
    for (name, length), entry in zip(BRIEFS, entries):
        code, output = run("build", INPUTS / name, "-l", length, "-f", "pdf", "-o",
                           tmp_path / f"{name}.pdf")
        assert code == 0, output
        alone = page_texts(tmp_path / f"{name}.pdf")
        assert entry["pages"] == len(alone) <= length_for(length).budget
        ours = book_pages[entry["first_page"] - 1:entry["first_page"] - 1 + len(alone)]
        for a, b in zip(alone, ours):
            # the same page, but for the footer's numbers
            strip = re.compile(r"(Page \d+ of \d+|Brief \d+ · page \d+ of \d+ · book page \d+)")
            assert strip.sub("", a).split() == strip.sub("", b).split()
        fitted = fit(load(INPUTS / name), length_for(length), load_template("policy-brief"))
        assert entry["left_out"] == list(fitted.plan.left_out)


def test_the_contents_link_to_the_briefs(built):
    out, _, _ = built
    reader = pypdf.PdfReader(out / "moscow-visit.book.pdf")
    targets = []
    for annot in reader.pages[1]["/Annots"]:
        a = annot.get_object()
        assert a["/Subtype"] == "/Link" and int(a["/F"]) == 4 and "/StructParent" in a
        dest = a["/Dest"]
        targets.append(reader.get_page_number(dest[0].get_object()) + 1)
    assert targets == [3, 5, 6]


def test_book_pdf_is_pdf_ua1_with_a_section_per_brief(built):
    page = need_module("page")
    outloud = need_module("outloud")
    import pikepdf

    out, manifest, _ = built
    pdf = out / "moscow-visit.book.pdf"
    report = page.validate_pdf(str(pdf), profile="ua1")
    assert report.is_compliant and not report.rules.failed, \
        [(f.rule_id, f.message) for f in report.failures]
    result = outloud.check(str(pdf))
    assert not result.error and result.stats.get("tagged")
    assert not [f for f in result.findings if f.severity == "error"]
    with pikepdf.open(pdf) as p:
        root = p.Root.StructTreeRoot.K
        kids = [k for k in root.K if isinstance(k, pikepdf.Dictionary)]
        roles = [str(k.S) for k in kids]
        assert roles.count("/Sect") == 3 and "/Table" in roles and "/H1" in roles
        for sect in (k for k in kids if k.S == "/Sect"):
            first = sect.K[0]
            assert first.S == "/P"  # its marking, read once at its start
    assert next(e for e in manifest["outputs"] if e["format"] == "pdf")["standards"] == \
        ["PDF/UA-1"]


def test_docx_has_a_section_per_brief_with_its_own_footer(built):
    out, _, _ = built
    d = open_docx(out / "moscow-visit.book.docx")
    sections = d.sections
    assert len(sections) == 4
    numbers = [s._sectPr.find(qn("w:pgNumType")) for s in sections]
    assert numbers[0].get(qn("w:fmt")) == "lowerRoman"
    assert all(n.get(qn("w:start")) == "1" for n in numbers)
    assert all(n.get(qn("w:fmt")) is None for n in numbers[1:])
    texts = []
    for n, s in enumerate(sections[1:], 1):
        assert not s.footer.is_linked_to_previous and not s.header.is_linked_to_previous
        variant = s.first_page_footer if s.different_first_page_header_footer else s.footer
        text = "".join(t.text or "" for t in variant._element.iter(qn("w:t")))
        texts.append(text)
        assert f"Brief {n} · page 1 of" in text
        instr = "".join(t.text for t in variant._element.iter(qn("w:instrText")))
        assert "PAGE" in instr
    assert "UNCLASSIFIED" in texts[0] and "OFFICIAL-SENSITIVE" in texts[2]
    assert "book page 3" in texts[0] and "book page 6" in texts[2]
    front = "".join(t.text or "" for t in sections[0].footer._element.iter(qn("w:t")))
    assert "OFFICIAL-SENSITIVE" in front


def test_docx_contents_are_links_with_their_pages_written_in(built):
    out, _, _ = built
    d = open_docx(out / "moscow-visit.book.docx")
    table = d.tables[0]
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["Brief", "Title", "Length", "Page"]
    assert [r[3] for r in rows[1:]] == ["3", "5", "6"]
    body = d.element.body
    marks = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    anchors = [h.get(qn("w:anchor")) for h in table._tbl.iter(qn("w:hyperlink"))]
    assert anchors == ["brief1", "brief2", "brief3"] and set(anchors) <= marks
    # each bookmark is at its brief's title
    for n, (name, _) in enumerate(BRIEFS, 1):
        start = next(b for b in body.iter(qn("w:bookmarkStart"))
                     if b.get(qn("w:name")) == f"brief{n}")
        text = "".join(t.text for t in start.getparent().iter(qn("w:t")))
        assert text == brief_title(name)


def test_docx_pages_start_where_the_pdfs_do(built, tmp_path):
    from test_fidelity import body_lines, first_words

    out, _, _ = built
    (lo,) = libreoffice_pdf([out / "moscow-visit.book.docx"], tmp_path)
    ours = [body_lines(p) for p in pdf_pages_text(out / "moscow-visit.book.pdf")]
    theirs = [body_lines(p) for p in pdf_pages_text(lo)]
    assert len(ours) == len(theirs) == 6
    for n, (a, b) in enumerate(zip(ours, theirs), 1):
        assert first_words(a[0]) == first_words(b[0]), (n, a[0], b[0])
        assert a[-1] == b[-1], (n, a[-1], b[-1])  # the footer: the same numbers


def test_rebuilds_are_byte_identical(built, tmp_path):
    out, _, _ = built
    code, output = run("build", BOOK, "-o", tmp_path)
    assert code == 0, output
    for fmt in ("pdf", "docx"):
        assert (tmp_path / f"moscow-visit.book.{fmt}").read_bytes() == \
            (out / f"moscow-visit.book.{fmt}").read_bytes()


def test_books_and_briefs_in_one_build_with_workers(tmp_path):
    jsonschema = need_module("jsonschema")
    folder = copy_inputs(tmp_path / "in")
    other = folder / "second.book.yaml"
    other.write_text(BOOK.read_text().replace("length: two-page", "pages: 3"))
    out = tmp_path / "out"
    code, output = run("build", folder / "moscow-visit.book.yaml", other,
                       folder / "pakistan-stream.yaml", "-j", "2", "-l", "one-page", "-o", out,
                       "--manifest", out / "m.json")
    assert code == 0, output
    names = sorted(p.name for p in out.iterdir())
    assert names == ["m.json", "moscow-visit.book.docx", "moscow-visit.book.pdf",
                     "pakistan-stream.one-page.docx", "pakistan-stream.one-page.pdf",
                     "second.book.docx", "second.book.pdf"]
    manifest = json.loads((out / "m.json").read_text())
    jsonschema.validate(manifest, json.loads((ROOT / "docs/manifest.schema.json").read_text()))
    second = next(e for e in manifest["outputs"] if e["path"].endswith("second.book.pdf"))
    assert second["length"] == "book"
    assert [(b["length"], b["pages"]) for b in second["briefs"]] == \
        [("3-page", 3), ("one-page", 1), ("one-page", 1)]
    assert [b["first_page"] for b in second["briefs"]] == [3, 6, 7]
    assert second["pages"] == 7 == len(pypdf.PdfReader(out / "second.book.pdf").pages)
    assert any(b["left_out"] for b in second["briefs"])


BAD_BOOK = """\
book: 1
title: A bad book
tittle: typo
prepared: {by: Desk, date: 2026-13-01}
briefs:
  - file: missing.yaml
  - file: pakistan-stream.yaml
    length: one-pager
  - file: pakistan-stream.yaml
    pages: 0
  - file: pakistan-stream.yaml
    length: one-page
    pages: 2
  - file: broken.yaml
  - file: pakistan-stream.yaml
    template: no-such-template
  - file: pakistan-stream.yaml
    colour: red
"""


def test_bad_book_reports_every_error_at_its_line_and_writes_nothing(tmp_path):
    folder = copy_inputs(tmp_path / "in")
    (folder / "broken.yaml").write_text("title: x\nsummary: y\nsourse: {}\n")
    book = folder / "bad.book.yaml"
    book.write_text(BAD_BOOK)
    out = tmp_path / "out"
    code, output = run("build", book, "-o", out)
    assert code == 1
    assert not out.exists()
    expected = [
        (3, 1, "unknown key 'tittle'", "did you mean 'title'"),
        (4, 28, "prepared.date", "2026-13-01"),
        (6, 11, "briefs[1].file", "no brief file 'missing.yaml'"),
        (8, 13, "briefs[2].length", "did you mean 'one-page'"),
        (10, 12, "briefs[3].pages", "from 1 to 100"),
        (13, 12, "briefs[4].pages", "not both"),
        (14, 11, "briefs[5].file", "'broken.yaml' is invalid"),
        (16, 15, "briefs[6].template", "no template 'no-such-template'"),
        (18, 5, "briefs[7].colour", "unknown key 'colour'"),
    ]
    for line, col, where, what in expected:
        pattern = rf"^{re.escape(str(book))}:{line}:{col}: error: .*{re.escape(where)}.*" \
                  rf"{re.escape(what)}"
        assert re.search(pattern, output, re.M), (pattern, output)
    assert re.search(rf"^{re.escape(str(folder / 'broken.yaml'))}:3:1: error: sourse",
                     output, re.M)
    assert "Traceback" not in output
    code, output = run("validate", book)
    assert code == 1 and f"{book}:6:11: error" in output


def test_a_brief_that_cannot_keep_its_budget_fails_the_book(tmp_path):
    folder = copy_inputs(tmp_path / "in")
    long_summary = " ".join(["The bottom line is long and it runs on and on."] * 90)
    brief = folder / "too-long.yaml"
    brief.write_text(f"title: Too long\nsummary: >\n  {long_summary}\nsource: {{title: S}}\n"
                     f"recommendations:\n  - title: Act\n    summary: Do it.\n")
    book = folder / "b.book.yaml"
    book.write_text("book: 1\ntitle: B\nbriefs:\n  - file: pakistan-stream.yaml\n"
                    "  - file: too-long.yaml\n    length: one-page\n")
    out = tmp_path / "out"
    code, output = run("build", book, "-o", out)
    assert code == 1 and not out.exists()
    assert f"{book}:5:5: error: briefs[2]: brief 2 (" in output
    assert "cannot keep its one-page budget" in output
    assert re.search(rf"^{re.escape(str(brief))}:\d+:\d+: error: .*(overflow|fit)", output, re.M)


def test_a_brief_with_its_own_template(tmp_path):
    page = need_module("page")
    from test_fidelity import body_lines, first_words

    folder = copy_inputs(tmp_path / "in")
    book = folder / "memo.book.yaml"
    book.write_text(BOOK.read_text().replace(
        "  - file: moscow-format.yaml\n    length: one-page",
        "  - file: moscow-format.yaml\n    pages: 2\n    template: decision-memo"))
    out = tmp_path / "out"
    code, output = run("build", book, "-o", out)
    assert code == 0, output
    pdf, docx = out / "memo.book.pdf", out / "memo.book.docx"
    pages = page_texts(pdf)
    assert pages[5].split()[1] == "MEMORANDUM"  # after its marking
    assert "Brief 3 · page 1 of" in pages[5] and "book page 6" in pages[5]
    report = page.validate_pdf(str(pdf), profile="ua1")
    assert report.is_compliant, [(f.rule_id, f.message) for f in report.failures]
    # The DOCX draws the memo with the memo's styles, under names that say so.
    d = open_docx(docx)
    styles = {p.style.name for p in d.paragraphs}
    assert {"Title", "Heading 1", "Title (decision-memo)", "Heading 1 (decision-memo)",
            "List Number (decision-memo)"} <= styles
    assert d.styles["Heading 1 (decision-memo)"].element.xpath("./w:pPr/w:outlineLvl/@w:val") \
        == ["0"]  # Word's navigation pane lists the memo's headings too
    memo = [p for p in d.paragraphs if p.text == "MEMORANDUM"]
    assert memo and memo[0].style.name == "Title (decision-memo)"
    assert memo[0].style.font.name == load_template("decision-memo").fonts["serif"].docx
    assert d.styles["Title"].font.name == load_template("policy-brief").fonts["sans"].docx
    (lo,) = libreoffice_pdf([docx], tmp_path / "lo")
    ours = [body_lines(p) for p in pdf_pages_text(pdf)]
    theirs = [body_lines(p) for p in pdf_pages_text(lo)]
    assert len(ours) == len(theirs)
    for n, (a, b) in enumerate(zip(ours, theirs), 1):
        assert first_words(a[0]) == first_words(b[0]), (n, a[0], b[0])


def test_a_reference_docx_template_makes_pdf_books_only(tmp_path):
    folder = copy_inputs(tmp_path / "in")
    template = folder / "word"
    template.mkdir()
    (template / "template.yaml").write_text("parent: policy-brief\nname: word\n"
                                            "reference_docx: reference.docx\n")
    shutil.copy(ROOT / "tests" / "fixtures" / "reference" / "word-odd-even-first.docx",
                template / "reference.docx")
    book = folder / "ref.book.yaml"
    book.write_text("book: 1\ntitle: T\nbriefs:\n  - file: pakistan-stream.yaml\n"
                    "    template: word\n")
    out = tmp_path / "out"
    code, output = run("build", book, "-o", out)
    assert code == 1, output
    assert (out / "ref.book.pdf").is_file() and not (out / "ref.book.docx").exists()
    assert f"{book}:5:15: error: briefs[1].template: brief 1's template 'word' has a " \
           f"reference.docx" in output


def test_a_long_contents_takes_more_front_pages(tmp_path):
    folder = copy_inputs(tmp_path / "in")
    entries = "".join(f"  - file: {'pakistan-stream' if n % 2 else 'moscow-format'}.yaml\n"
                      f"    length: one-page\n" for n in range(45))
    book = folder / "long.book.yaml"
    book.write_text(f"book: 1\ntitle: Many briefs\nbriefs:\n{entries}")
    out = tmp_path / "out"
    code, output = run("build", book, "-o", out, "-f", "pdf")
    assert code == 0, output
    reader = pypdf.PdfReader(out / "long.book.pdf")
    labels = list(reader.page_labels)
    assert labels[:4] == ["i", "ii", "iii", "1-1"] and labels[-1] == "45-1"
    pages = page_texts(out / "long.book.pdf")
    assert "45 briefs, 48 pages" in pages[0]
    rows = re.findall(r"\b(\d+) (?:Pakistan Stream|Afghanistan)[^0-9]*?One-page (\d+)",
                      " ".join(pages[1:3]))
    assert len(rows) == 45
    for number, first in rows:
        assert f"Brief {number} · page 1 of 1 · book page {first}" in pages[int(first) - 1]


def test_watch_follows_a_books_briefs_and_their_articles():
    from briefgen.watch import _article

    watched = {p.name for p in _article(BOOK)}
    assert watched == {"islamabad-moscow.yaml", "pakistan-stream.yaml", "moscow-format.yaml",
                       "islamabad-moscow.txt", "pakistan-stream.txt", "moscow-format.txt"}


def test_validate_reports_a_valid_book_and_its_briefs_advice(tmp_path):
    folder = copy_inputs(tmp_path / "in")
    brief = folder / "pakistan-stream.yaml"
    brief.write_text(brief.read_text().replace("key_points:\n", "key_points:\n  - One more.\n"
                                               "  - And more.\n  - Still more.\n"))
    code, output = run("validate", folder / "moscow-visit.book.yaml")
    assert code == 0 and "moscow-visit.book.yaml: valid (1 warning" in output
    assert re.search(rf"^{re.escape(str(brief))}:\d+:\d+: warning: key_points: 6 key points",
                     output, re.M)
    code, output = run("validate", "--strict", folder / "moscow-visit.book.yaml")
    assert code == 1


FIXTURES = ROOT / "tests" / "fixtures"
LONG_BOOK = FIXTURES / "books" / "long.book.yaml"
MIXED_BOOK = FIXTURES / "books" / "mixed.book.yaml"
TEMPLATES = ["policy-brief", "decision-memo", "handout"]


@pytest.fixture(scope="module")
def long_books(tmp_path_factory):
    """The book of long briefs (full lengths, page budgets, 80 items, mixed scripts) in
    every built-in template."""
    out = tmp_path_factory.mktemp("long")
    built = {}
    for t in TEMPLATES:
        code, output = run("build", LONG_BOOK, "-t", t, "-o", out / t, "--manifest",
                           out / t / "m.json")
        assert code == 0, output
        built[t] = (next((out / t).glob("*.pdf")), next((out / t).glob("*.docx")),
                    json.loads((out / t / "m.json").read_text()))
    return built


def test_long_books_keep_every_budget_and_contents_page(long_books):
    for t, (pdf, _, manifest) in long_books.items():
        entry = next(e for e in manifest["outputs"] if e["format"] == "pdf")
        pages = page_texts(pdf)
        assert entry["pages"] == len(pages)
        lengths = [b["pages"] for b in entry["briefs"]]
        assert lengths[0] <= 2 and lengths[2] <= 3 and lengths[1] > 2 and lengths[3] > 2, t
        labels = list(pypdf.PdfReader(pdf).page_labels)
        for b in entry["briefs"]:
            first = b["first_page"]
            assert labels[first - 1] == f"{b['number']}-1"
            assert labels[first - 2 + b["pages"]] == f"{b['number']}-{b['pages']}"
            for j in range(1, b["pages"] + 1):
                text = pages[first - 2 + j]
                assert f"Brief {b['number']} · page {j} of {b['pages']} · book page " \
                       f"{first - 1 + j}" in text, (t, b["number"], j)
            row = re.search(rf"\b{b['number']} .*? (\d+) ", pages[1][pages[1].index("Page"):])
            assert row


def test_long_books_bookmarks_open_their_headings(long_books):
    for t, (pdf, _, _) in long_books.items():
        reader = pypdf.PdfReader(pdf)
        pages = page_texts(pdf)
        marks = _outline(reader, reader.outline)
        assert [m[0] for m in marks[:2]] == [0, 1]
        assert sum(1 for m in marks if m[0] == 1) == 5  # contents and four briefs
        for depth, title, page in marks[2:]:
            shown = re.sub(r"^\d+\. ", "", title) if depth == 1 else title
            # (poppler orders the words of mixed-script lines its own way: Latin words)
            words = re.findall(r"[A-Za-z0-9]{3,}", shown)[:6]
            assert words and all(w in pages[page] for w in words), (t, title, page)


def test_long_books_docx_pages_start_where_the_pdfs_do(long_books, tmp_path):
    from test_fidelity import body_lines, first_words

    keys = list(long_books)
    laid_out = libreoffice_pdf([long_books[k][1] for k in keys], tmp_path)
    for key, lo in zip(keys, laid_out):
        ours = [body_lines(p) for p in pdf_pages_text(long_books[key][0])]
        theirs = [body_lines(p) for p in pdf_pages_text(lo)]
        assert len(ours) == len(theirs), key
        for n, (a, b) in enumerate(zip(ours, theirs), 1):
            assert first_words(a[0]) == first_words(b[0]), (key, n, a[0], b[0])


def test_a_book_of_other_scripts_links_and_a_logo_is_pdf_ua1(tmp_path):
    page = need_module("page")
    import pikepdf

    for t in ("policy-brief", str(ROOT / "docs" / "examples" / "house-style")):
        out = tmp_path / Path(t).name
        code, output = run("build", MIXED_BOOK, "-t", t, "-f", "pdf", "-o", out)
        assert code == 0, output
        pdf = next(out.glob("*.pdf"))
        report = page.validate_pdf(str(pdf), profile="ua1")
        assert report.is_compliant and not report.rules.failed, \
            (t, [(f.rule_id, f.message) for f in report.failures])
        with pikepdf.open(pdf) as p:
            sections = [k for k in p.Root.StructTreeRoot.K.K
                        if isinstance(k, pikepdf.Dictionary) and k.S == "/Sect"]
            assert len(sections) == 4
            assert str(sections[0].Lang) == "ur"  # the Urdu brief in an English book
            if "house-style" in t:  # each brief's logo, read once at its start, and the cover's
                assert all(s.K[0].S == "/Figure" and str(s.K[0].Alt) for s in sections)
                assert p.Root.StructTreeRoot.K.K[0].S == "/Figure"


def test_api_builds_a_book(tmp_path):
    from briefgen import api

    results = api.build(BOOK, "pdf", output=tmp_path)
    (result,) = results
    assert result.ok and result.job.path == tmp_path / "moscow-visit.book.pdf"
    assert result.pages == 6 and [b["first_page"] for b in result.briefs] == [3, 5, 6]
    code, output = run("build", "--help")
    assert "briefing book" in output


@pytest.mark.parametrize("text, where, message", [
    ("book: 2\ntitle: T\nbriefs: [pakistan-stream.yaml]\n", "1:7", "expected 1"),
    ("book: 1\ntitle: T\nbriefs: []\n", "3:9", "a book needs at least one brief"),
    ("book: 1\ntitle: T\nbriefs: {file: a.yaml}\n", "3:9", "expected a list of briefs"),
    ("book: 1\ntitle: T\n", "1:1", "missing required key 'briefs'"),
    ("book: 1\nbriefs: [pakistan-stream.yaml]\n", "1:1", "missing required key 'title'"),
    ("book: 1\ntitle: T\ntitle: U\nbriefs: [pakistan-stream.yaml]\n", "3:1", "duplicate key"),
    ("book: 1\ntitle: [T]\nbriefs: [pakistan-stream.yaml]\n", "2:8", "expected text"),
    ("book: 1\ntitle: T\nbriefs:\n  - 12\n", "4:5", "expected a brief"),
    ("book: 1\ntitle: T\nbriefs:\n  - file: moscow-visit.book.yaml\n", "4:11",
     "is a book, not a brief"),
    ("book: 1\ntitle: T\nbriefs:\n  - file: self.book.yaml\n", "4:11", "cannot name itself"),
    ("book: 1\ntitle: T\nbriefs:\n  - file: pakistan-stream.yaml\n    pages: two\n", "5:12",
     "whole number of pages"),
    ("book: 1\ntitle: T\nbriefs: [pakistan-stream.yaml\n", "4:1", "YAML syntax"),
    ("book: 1\ntitle: T\nlang: not a tag\nbriefs: [pakistan-stream.yaml]\n", "3:7",
     "BCP 47"),
    ("- book: 1\n", "1:1", "expected a mapping"),
])
def test_small_mistakes_in_a_book_are_located(tmp_path, text, where, message):
    folder = copy_inputs(tmp_path / "in")
    book = folder / "self.book.yaml"
    book.write_text(text)
    code, output = run("build", book, "-o", tmp_path / "out")
    assert code == 1 and not (tmp_path / "out").exists()
    assert re.search(rf"^{re.escape(str(book))}:{where}: error: .*{re.escape(message)}",
                     output, re.M), output
    assert "Traceback" not in output


def test_a_briefs_template_folder_is_relative_to_the_book(tmp_path):
    folder = copy_inputs(tmp_path / "in")
    shutil.copytree(ROOT / "docs" / "examples" / "house-style", folder / "house")
    book = folder / "house.book.yaml"
    book.write_text("book: 1\ntitle: T\nbriefs:\n  - file: pakistan-stream.yaml\n"
                    "    length: one-page\n    template: house\n")
    code, output = run("build", book, "-f", "pdf", "-o", tmp_path / "out")
    assert code == 0, output
    text = page_texts(tmp_path / "out" / "house.book.pdf")[2]
    assert "The short of it" in text  # the house style's label for the bottom line


def test_letter_paper_and_pdf_a_2a_books(tmp_path):
    page = need_module("page")
    out = tmp_path / "out"
    code, output = run("build", BOOK, "--paper", "letter", "--pdf-standard", "a-2a", "-o", out)
    assert code == 0, output
    pdf = out / "moscow-visit.book.pdf"
    reader = pypdf.PdfReader(pdf)
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height)))
            for p in reader.pages} == {(612, 792)}
    for profile in ("2a", "ua1"):
        report = page.validate_pdf(str(pdf), profile=profile)
        assert report.is_compliant, (profile, [(f.rule_id, f.message) for f in report.failures])
    d = open_docx(out / "moscow-visit.book.docx")
    assert {(s.page_width.pt, s.page_height.pt) for s in d.sections} == {(612.0, 792.0)}


def test_book_docx_files_are_in_schema_order_and_pass_openxml_audit(built, long_books):
    from test_docx_schema import audit_problems, order_problems

    paths = [built[0] / "moscow-visit.book.docx"] + [d for _, d, _ in long_books.values()]
    problems = [p for path in paths for p in order_problems(path) + audit_problems(path)]
    assert not problems, problems


def test_book_docx_is_as_accessible_as_a_briefs(built):
    """The book's DOCX declares its language in the document defaults, as a brief's does,
    and every table (the contents included) carries a caption and a description."""
    out, _, _ = built
    d = open_docx(out / "moscow-visit.book.docx")
    defaults = d.styles.element.find(qn("w:docDefaults"))
    lang = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert lang is not None and lang.get(qn("w:val")) == "en"
    tables = d.element.body.iter(qn("w:tbl"))
    for table in tables:
        pr = table.find(qn("w:tblPr"))
        assert pr.find(qn("w:tblCaption")) is not None
        assert pr.find(qn("w:tblDescription")) is not None


def test_each_brief_keeps_its_own_direction(tmp_path):
    """An Urdu brief in an English book runs right to left in both formats, and only it:
    its Word section and paragraphs are marked bidi, its PDF lines end at the right margin;
    the English briefs around it are unchanged."""
    folder = copy_inputs(tmp_path / "in")
    (folder / "mixed.book.yaml").write_text(
        "book: 1\ntitle: Two languages\nprepared: {by: Desk, date: 2026-11-30}\nbriefs:\n"
        "  - {file: islamabad-moscow.yaml, length: one-page}\n"
        "  - {file: islamabad-moscow.ur.yaml, length: one-page}\n"
        "  - {file: moscow-format.yaml, length: one-page}\n", encoding="utf-8")
    code, output = run("build", folder / "mixed.book.yaml", "-o", tmp_path / "out")
    assert code == 0, output
    d = open_docx(tmp_path / "out" / "mixed.book.docx")
    bidi = [s._sectPr.find(qn("w:bidi")) is not None for s in d.sections]
    assert bidi == [False, False, True, False]
    marked = [p._p.pPr is not None and p._p.pPr.find(qn("w:bidi")) is not None
              for p in d.paragraphs if p.text.strip()]
    assert any(marked) and not all(marked)
    def at_right_margin(page: int) -> int:
        words = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page),
                                str(tmp_path / "out" / "mixed.book.pdf"), "-"],
                               capture_output=True, text=True, check=True).stdout
        ends = [float(x) for x in re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" '
                                             r'xMax="([\d.]+)"', words)]
        return sum(1 for x in ends if x > max(ends) - 3)

    english, urdu = at_right_margin(3), at_right_margin(4)
    assert urdu > 10 and urdu > 3 * english, (english, urdu)


def _first_body_words(page: str) -> set[str]:
    """The words of a page's first line below its marking (in any script), as a set: a
    right-to-left line's words come out of each PDF in a visual order of its own."""
    for line in page.splitlines():
        words = re.findall(r"\w+", line)
        if words and not set(words) <= {"UNCLASSIFIED", "OFFICIAL", "SENSITIVE", "غیر",
                                         "خفیہ"}:
            return set(words)
    return set()


def _same_line(a: set[str], b: set[str]) -> bool:
    """Whether two first lines are the same line of the brief: they share nearly all their
    words (a word may wrap differently at the line's end; a page that starts a line early
    or late shares few)."""
    return bool(a) and len(a & b) >= 0.7 * min(len(a), len(b))


@pytest.mark.parametrize("briefs", [
    ("islamabad-moscow.ur.yaml",),
    ("islamabad-moscow.ur.yaml", "islamabad-moscow.yaml"),
    ("islamabad-moscow.yaml", "islamabad-moscow.ur.yaml"),
])
def test_right_to_left_briefs_at_full_length_break_as_the_pdf(tmp_path, briefs):
    """An Urdu brief at full length in a book, alone or beside the English one: laid out by
    LibreOffice, every page of the DOCX starts with the line the PDF's page starts with.
    (Where the PDF moves a section heading and its first item's heading to a new page
    together, LibreOffice 7.4 left the section heading alone at the page foot.)"""
    folder = copy_inputs(tmp_path / "in")
    listed = "".join(f"  - {{file: {b}, length: full}}\n" for b in briefs)
    (folder / "rtl.book.yaml").write_text(
        "book: 1\ntitle: Full length\nprepared: {by: Desk, date: 2026-11-30}\nbriefs:\n"
        + listed, encoding="utf-8")
    code, output = run("build", folder / "rtl.book.yaml", "-o", tmp_path / "out")
    assert code == 0, output
    (lo,) = libreoffice_pdf([tmp_path / "out" / "rtl.book.docx"], tmp_path / "lo")
    ours = pdf_pages_text(tmp_path / "out" / "rtl.book.pdf")
    theirs = pdf_pages_text(lo)
    assert len(ours) == len(theirs) > 2 + 5 * len(briefs)
    for n, (a, b) in enumerate(zip(ours, theirs), 1):
        assert _same_line(_first_body_words(a), _first_body_words(b)), n


def test_a_book_speaks_its_language(tmp_path):
    """A Russian book of Russian briefs: the contents, the cover's counts (with Russian
    plural forms), the length names and each brief's footer are Russian, in both formats;
    the English example book keeps its English words."""
    folder = copy_inputs(tmp_path / "in")
    ru = ROOT / "tests" / "fixtures" / "languages" / "islamabad-moscow.ru.yaml"
    (folder / "ru.yaml").write_text(ru.read_text(encoding="utf-8").replace(
        "../../../inputs/articles/", "articles/"), encoding="utf-8")
    (folder / "ru.book.yaml").write_text(
        "book: 1\ntitle: Визит в Москву\nlang: ru\n"
        "prepared: {by: Отдел, date: 2026-11-30, classification: ДСП}\nbriefs:\n"
        "  - {file: ru.yaml, length: one-page}\n  - {file: ru.yaml, length: two-page}\n",
        encoding="utf-8")
    code, output = run("build", folder / "ru.book.yaml", "-o", tmp_path / "out")
    assert code == 0, output
    pages = page_texts(tmp_path / "out" / "ru.book.pdf")
    assert "2 записки, 5 страниц" in pages[0] or re.search(r"2 записки, \d+ страниц", pages[0])
    assert "30 ноября 2026" in pages[0]
    for word in ("Содержание", "№", "Название", "Объём", "Стр."):
        assert word in pages[1], word
    assert "Brief" not in pages[1] and "Contents" not in pages[1]
    assert re.search(r"Записка 1 · стр\. 1 из 1 · стр\. 3 папки", pages[2]), pages[2][-200:]
    d = open_docx(tmp_path / "out" / "ru.book.docx")
    footer = d.sections[1].first_page_footer if d.sections[1].different_first_page_header_footer \
        else d.sections[1].footer
    text = "".join(t.text or "" for t in footer._element.iter(qn("w:t")))
    assert "Записка 1 · стр." in text and "папки" in text
    assert "Содержание" in "".join(p.text for p in d.paragraphs)
