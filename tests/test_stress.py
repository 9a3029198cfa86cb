"""Shortened briefs keep what a decision-maker needs, on briefs not shaped like the example.

The corpus in tests/fixtures/stress/ holds irregular briefs: one recommendation forty
sentences long, thirty-two high-priority challenges, recommendations after many long
opportunities, only recommendations, everything low priority, eighty items, mixed scripts,
a first item too long as a one-liner, two opportunities beside eleven challenges. Every
item's title starts with a code (R07, C31, O12); the rest of its summary after the first
sentence holds the word `<code>rest`, its detail `<code>detail` and its evidence
`<code>quote`, the key points `KP1`... and the context `CTX1`, so that the text of a PDF
says which items a page shows and in which form.

Each brief is built at one-page, two-page and --pages 3, in every template, on A4 and
Letter; the rules are read back from the PDFs (pdftotext), a sample of the DOCX files is
laid out by LibreOffice in one call.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from briefgen import doc
from briefgen.fit import fit
from briefgen.load import load, load_text
from briefgen.model import PRIORITIES
from briefgen.plan import abridged, item_path, length_for, top_items
from briefgen.render_docx import render_docx
from briefgen.render_pdf import layout
from briefgen.templates import load_template
from conftest import libreoffice_pdf, need_tool, pdf_pages_text, squash, steps_that_still_fit

CORPUS = sorted((Path(__file__).parent / "fixtures" / "stress").glob("*.yaml"))
TEMPLATES = ("policy-brief", "decision-memo", "handout")
PAPERS = ("a4", "letter")
LENGTHS = (("one-page", None), ("two-page", None), (None, 3))
# DOCX files laid out by LibreOffice: a sample across templates, lengths and papers.
DOCX_SAMPLE = {("eighty-items", "policy-brief", "two-page", "a4"),
               ("eighty-items", "decision-memo", "one-page", "letter"),
               ("eighty-items", "handout", "one-page", "a4"),
               ("many-high-challenges", "policy-brief", "3-page", "letter"),
               ("long-first-item", "handout", "two-page", "a4"),
               ("recommendations-last", "decision-memo", "two-page", "a4"),
               ("mixed-scripts", "policy-brief", "one-page", "a4"),
               ("unbalanced-lists", "handout", "two-page", "letter"),
               ("long-recommendation", "decision-memo", "3-page", "a4")}


def code(item) -> str:
    """The code an item's title starts with (R07, C31, O12)."""
    return item.title.split()[0]


def shown_in(text: str, token: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(token)}(?![\w-])", text) is not None


def bbox_pages(path: Path) -> list[tuple[float, list[tuple[float, float, str]]]]:
    """Each page's height and its words as (top, bottom, text), by pdftotext -bbox."""
    tool = need_tool("pdftotext")
    html = subprocess.run([tool, "-bbox", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = []
    for page in re.split(r"<page ", html)[1:]:
        height = float(re.search(r'height="([\d.]+)"', page).group(1))
        words = [(float(a), float(b), w) for a, b, w in re.findall(
            r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>',
            page)]
        pages.append((height, words))
    return pages


def body_words(template, page) -> list[tuple[float, float, str]]:
    """The words of a page inside the text frame (not the header, footer or markings)."""
    height, words = page
    top, bottom = template.margins["top"], height - template.margins["bottom"]
    return [w for w in words if w[0] >= top - 1 and w[1] <= bottom + 1]


class Output:
    """One built output, with what its PDF shows."""

    def __init__(self, brief, template, length, fitted, pdf: Path):
        self.brief, self.template, self.length, self.fitted, self.pdf = \
            brief, template, length, fitted, pdf
        self.pages_text = pdf_pages_text(pdf)
        self.text = squash(" ".join(self.pages_text))
        self.shown = {code(i) for i in brief.items if shown_in(self.text, code(i))}
        self.whole = {code(i) for i in brief.items if shown_in(self.text, code(i) + "rest")}
        self.skipped = {code(i) for i in fitted.skipped}
        self.bbox = bbox_pages(pdf)

    def last_fill(self) -> float:
        """How far down the text frame the last page's text reaches (0-1), from the PDF."""
        words = body_words(self.template, self.bbox[-1])
        frame = self.template.page_size[1] - self.template.margins["top"] \
            - self.template.margins["bottom"]
        return (max(w[1] for w in words) - self.template.margins["top"]) / frame

    def one_line(self) -> set[str]:
        """Items shown in their one-line form (their summary's rest is missing)."""
        return {code(i) for i in self.brief.items
                if code(i) in self.shown and abridged(i) and code(i) not in self.whole}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Every brief of the corpus at every length, template and paper: the PDFs, and the
    DOCX files of the sample."""
    folder = tmp_path_factory.mktemp("stress")
    out, docx = {}, {}
    for path in CORPUS:
        brief = load(path)
        for tname in TEMPLATES:
            for paper in PAPERS:
                template = load_template(tname, paper)
                for name, pages in LENGTHS:
                    length = length_for(name, pages)
                    fitted = fit(brief, length, template)
                    stem = f"{path.stem}.{tname}.{length.name}.{paper}"
                    pdf = folder / f"{stem}.pdf"
                    pdf.write_bytes(layout(fitted.document, template).pdf)
                    key = (path.stem, tname, length.name, paper)
                    out[key] = Output(brief, template, length, fitted, pdf)
                    if key in DOCX_SAMPLE:
                        docx[key] = folder / f"{stem}.docx"
                        docx[key].write_bytes(render_docx(fitted.document, template))
    return out, docx


def test_corpus_has_the_shapes_of_the_issue():
    names = {p.stem for p in CORPUS}
    assert {"long-recommendation", "many-high-challenges", "recommendations-last",
            "only-recommendations", "all-low", "eighty-items", "mixed-scripts",
            "long-first-item", "unbalanced-lists"} <= names
    eighty = load(Path(__file__).parent / "fixtures" / "stress" / "eighty-items.yaml")
    assert len(eighty.items) == 80
    long_rec = load(Path(__file__).parent / "fixtures" / "stress" / "long-recommendation.yaml")
    assert long_rec.recommendations[0].summary.count(". ") >= 39


def test_every_output_keeps_its_budget(built):
    outputs, _ = built
    assert len(outputs) == len(CORPUS) * len(TEMPLATES) * len(PAPERS) * len(LENGTHS)
    for key, o in outputs.items():
        assert len(o.pages_text) == o.fitted.pages <= o.length.budget, key
        assert "Source:" in o.text, key


def test_the_asks_every_list_and_the_highest_priorities(built):
    """The top recommendation is shown, every list that has items shows one, and no item
    is shown while one of higher priority is left out (unless that one is reported as too
    long for the length)."""
    outputs, _ = built
    for key, o in outputs.items():
        brief = o.brief
        tops = top_items(brief)
        # An item skipped at one page may stay out of two pages, which carry all of one.
        excused = set(o.skipped)
        if o.length.name == "two-page":
            excused |= outputs[(key[0], key[1], "one-page", key[3])].skipped
        for section in ("recommendations", "challenges", "opportunities"):
            items = getattr(brief, section)
            if items:
                top = next(t for t in tops if t.section == section)
                assert code(top) in o.shown or code(top) in o.skipped, (key, code(top))
                assert any(code(i) in o.shown for i in items) or code(top) in o.skipped, \
                    (key, section)
        for s in brief.items:
            if code(s) not in o.shown or s in tops:
                continue
            for h in brief.items:
                if PRIORITIES.index(h.priority) < PRIORITIES.index(s.priority):
                    assert code(h) in o.shown or code(h) in excused, \
                        f"{key}: {code(s)} ({s.priority}) shown, {code(h)} ({h.priority}) not"


def test_one_line_forms(built):
    """One page shows items as one-liners; longer lengths show summaries and fall back to
    the one-liner for an item that would not fit otherwise, and the report names them."""
    outputs, _ = built
    for key, o in outputs.items():
        one_line = o.one_line()
        reported = {code(i) for i in o.fitted.one_liners}
        if o.length.name == "one-page":
            assert not o.whole, (key, o.whole)  # no summary beyond its one-line form
        assert one_line == reported, (key, one_line, reported)
        for item in o.fitted.one_liners:  # a `short` replaces the summary
            assert not item.short or shown_in(o.text, code(item) + "short"), (key, code(item))
    # The sentence splitter knows abbreviations: "U.S." does not end the first sentence.
    o = outputs[("mixed-scripts", "policy-brief", "one-page", "a4")]
    assert "C01banks" in o.text and "R01cabinet" in o.text and "C03trust" in o.text


def test_items_too_long_are_skipped_and_said_so(built):
    """The build never fails because one item is long; an item that cannot fit even as a
    one-liner is left out, warned about at its place in the brief, and the choosing goes
    on."""
    outputs, _ = built
    warned = 0
    for key, o in outputs.items():
        lines = o.brief.path and Path(o.brief.path).read_text(encoding="utf-8").splitlines()
        assert {code(i) for i in o.fitted.skipped} == o.skipped
        for item, warning in zip(o.fitted.skipped, o.fitted.warnings):
            assert code(item) not in o.shown, key
            assert warning.severity == "warning" and warning.path == item_path(item)
            assert (warning.line, warning.column) == item.at
            assert lines[item.at[0] - 1][item.at[1] - 1:].startswith("id: ")  # the item
            assert f"too long for {o.length.name}" in warning.message
            assert "`short:`" in warning.message
            warned += 1
        assert len(o.fitted.warnings) == len(o.fitted.skipped)
    assert warned, "the corpus has an item too long for some length"
    first = outputs[("long-first-item", "handout", "one-page", "a4")]
    assert "C01" in first.skipped and len(first.shown) > 5


def test_pages_are_filled(built):
    """When an item or a block the length may carry was left out, the last page is at
    least 75% full (measured from the PDF's text), unless nothing that was left out
    would fit in the room left (measured: the block is larger than the room)."""
    outputs, _ = built
    short = []
    for key, o in outputs.items():
        if _left_out_what_it_may_carry(o) and o.last_fill() < 0.75:
            assert not steps_that_still_fit(o.brief, o.fitted, o.template), \
                f"{key}: last page {o.last_fill():.0%} full"
            short.append(key)
    assert len(short) <= 2, short  # the corpus's items and blocks are of usual sizes


def _left_out_what_it_may_carry(o: Output) -> bool:
    brief, name = o.brief, o.length.name
    if any(code(i) not in o.shown for i in brief.items):
        return True
    owners = any(i.owner for i in brief.recommendations)
    if owners and "Owner" not in o.text:
        return True
    if name == "one-page":
        return False
    if o.one_line():
        return True
    if brief.key_points and "KP1" not in o.text or brief.context and "CTX1" not in o.text:
        return True
    detailed = [i for i in brief.items if i.detail and (name != "two-page" or
                                                         i.priority == "high")]
    if any(code(i) + "detail" not in o.text for i in detailed):
        return True
    return name != "two-page" and any(code(i) + "quote" not in o.text
                                      for i in brief.items if i.evidence)


def test_layout_no_lonely_source_or_heading_and_columns_stay_paired(built):
    outputs, _ = built
    for key, o in outputs.items():
        labels = o.template.labels
        for n, page in enumerate(o.bbox[1:], 2):
            body = " ".join(w[2] for w in body_words(o.template, page))
            assert not body.startswith("Source:"), f"{key}: page {n} holds only the source"
            assert body.strip() not in {labels[s] for s in ("opportunities", "challenges",
                                                              "recommendations")}, (key, n)
        blocks = o.fitted.document.blocks
        tables = [b for b in blocks if isinstance(b, doc.ColumnsTable)]
        for table in tables:
            assert all(a and b for a, b in table.rows), f"{key}: a column runs empty"
        if tables:  # the table's header names the two lists: no heading repeats them
            assert not [b for b in blocks if isinstance(b, doc.Heading) and b.text in
                        (labels["opportunities"], labels["challenges"])], key


@pytest.fixture(scope="module")
def alone(tmp_path_factory):
    """Per template, a brief whose source reference would stand alone on its last page
    without the rule that keeps it company (found by growing the context), built in
    full: (brief, pdf, docx)."""
    folder = tmp_path_factory.mktemp("alone")
    out = {}
    for tname in TEMPLATES:
        template = load_template(tname)
        brief = next((b for b in map(_alone_brief, range(1, 80))
                      if _alone_without_the_rule(b, template)), None)
        assert brief is not None, f"{tname}: no context length puts the source alone"
        fitted = fit(brief, length_for("full"), template)
        pdf, docx = folder / f"alone-{tname}.pdf", folder / f"alone-{tname}.docx"
        pdf.write_bytes(layout(fitted.document, template).pdf)
        docx.write_bytes(render_docx(fitted.document, template))
        out[tname] = (brief, pdf, docx)
    return out


@pytest.fixture(scope="module")
def libreoffice(built, alone, tmp_path_factory):
    """The DOCX sample and the lone-source cases laid out by LibreOffice, in one call."""
    _, docx = built
    paths = [docx[k] for k in sorted(docx)] + [alone[t][2] for t in TEMPLATES]
    laid = libreoffice_pdf(paths, tmp_path_factory.mktemp("stress-lo"))
    return dict(zip(sorted(docx) + [("alone", t) for t in TEMPLATES], laid))


def test_docx_sample_keeps_the_pages_in_libreoffice(built, libreoffice):
    outputs, docx = built
    assert len(docx) == len(DOCX_SAMPLE)
    for key in sorted(docx):
        ours, theirs = outputs[key].pages_text, pdf_pages_text(libreoffice[key])
        assert len(theirs) == len(ours) <= outputs[key].length.budget, key
        # Every item the PDF shows on a page, the DOCX shows on that page.
        for n, (a, b) in enumerate(zip(ours, theirs), 1):
            codes_a = {c for c in outputs[key].shown if shown_in(squash(a), c)}
            codes_b = {c for c in outputs[key].shown if shown_in(squash(b), c)}
            assert codes_a == codes_b, (key, n, codes_a ^ codes_b)


# -- the source reference never stands alone ---------------------------------------------

FILLER = "Officials describe the issue as urgent and ask for steady attention. "


def _alone_brief(n: int):
    import yaml

    data = {"title": "Source alone", "summary": "A bottom line of one sentence.",
            "source": {"title": "A report", "author": "A. Author"}, "context": FILLER * n,
            "challenges": [{"title": f"Challenge {k}", "summary": "It holds progress back.",
                            "priority": "high"} for k in range(3)],
            "recommendations": [{"title": f"Recommendation {k}", "summary": "Act on it now.",
                                 "priority": "high", "owner": "MoFA",
                                 "timeframe": "0-6 months"} for k in range(3)]}
    return load_text(yaml.safe_dump(data), "alone.yaml")


def _alone_without_the_rule(brief, template) -> bool:
    """Whether the last page would hold only the source reference if nothing kept the
    block before it company (the measure, with the rule switched off)."""
    import unittest.mock

    from briefgen.measure import Measurer

    document = fit(brief, length_for("full"), template).document
    measurer = Measurer.for_template(template)
    with unittest.mock.patch("briefgen.doc.keeps_previous", lambda block: False):
        whole = measurer.measure(document).pages
    rest = measurer.measure(doc.Document(document.metadata, document.blocks[:-1])).pages
    return whole > rest


@pytest.mark.parametrize("tname", TEMPLATES)
def test_source_reference_keeps_company(tname, alone, libreoffice):
    """The table row, decision line or paragraph before the source goes to its page too,
    in the PDF and, laid out by LibreOffice, in the DOCX."""
    _, pdf, _ = alone[tname]
    assert len(pdf_pages_text(pdf)) >= 2
    for path in (pdf, libreoffice[("alone", tname)]):  # (LibreOffice may fit it on one)
        before = squash(pdf_pages_text(path)[-1]).split("Source:")[0]
        assert re.sub(r"Page \d+ of \d+", "", before).strip(), f"{path.name}: source alone"
