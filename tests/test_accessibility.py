"""Accessible PDFs: every output of every template, length and fixture is tagged and passes
third-party checkers (page-validation's PDF/UA-1 profile, outloud's semantic checks); the
structure tree read back (pikepdf) follows the document tree; Urdu comes back as typed;
bookmarks open the page of their heading; links are tagged, described and percent-encoded;
PDF/A-2a on request. Each file is built once per module and checked in-process."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pikepdf
import pypdf
import pytest
from click.testing import CliRunner

from briefgen import doc
from briefgen.cli import main
from conftest import EXAMPLE, ROOT, need_tool, pdf_pages_text, squash, stress_yaml

FIXTURES = Path(__file__).parent / "fixtures" / "accessibility"
TEMPLATES = ("policy-brief", "decision-memo", "handout", str(ROOT / "docs/examples/house-style"))
LENGTHS = ("one-page", "two-page", "full", 3)
URDU_WORDS = ("اسلام آباد", "سلامتی", "علاقائی", "خلاف", "پاکستان اور روس")


def _briefs(folder: Path) -> dict:
    import test_scripts
    from briefgen.load import load, load_text

    return {"example": load(EXAMPLE), "urdu": load(FIXTURES / "urdu.yaml"),
            "links": load(FIXTURES / "links.yaml"),
            "hostile": load(test_scripts._brief(folder, "hostile")),
            "fifty": load_text(stress_yaml(62, 70), "fifty.yaml")}


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict:
    """(template, fixture, length) -> (document tree, pdf path), every combination (the
    50-page brief at full length only)."""
    from briefgen.fit import fit
    from briefgen.plan import length_for
    from briefgen.render_pdf import render_pdf
    from briefgen.templates import load_template

    folder = tmp_path_factory.mktemp("tagged")
    briefs = _briefs(folder)
    out = {}
    for tname in TEMPLATES:
        template = load_template(tname)
        for fname, brief in briefs.items():
            for length in LENGTHS:
                if fname == "fifty" and length != "full":
                    continue
                wanted = length_for(None, length) if isinstance(length, int) \
                    else length_for(length)
                fitted = fit(brief, wanted, template)
                path = folder / f"{fname}.{Path(tname).name}.{wanted.name}.pdf"
                path.write_bytes(render_pdf(fitted.document, template))
                out[(Path(tname).name, fname, wanted.name)] = (fitted.document, path)
    assert any(len(pypdf.PdfReader(p).pages) >= 50 for _, p in out.values())
    return out


# -- third-party checkers ---------------------------------------------------------------------

def test_every_output_passes_pdf_ua1(outputs):
    import page

    failed = {}
    for key, (_, path) in outputs.items():
        report = page.validate_pdf(str(path), profile="ua1")
        if not report.is_compliant or report.rules.failed:
            failed[key] = [(f.rule_id, f.message[:120]) for f in report.failures]
    assert not failed, failed


def test_outloud_finds_no_error(outputs):
    import outloud

    bad = {}
    for key, (_, path) in outputs.items():
        result = outloud.check(str(path))
        errors = [(f.rule, f.message[:120]) for f in result.findings if f.severity == "error"]
        if result.error or errors or not result.stats.get("tagged"):
            bad[key] = result.error or errors or "not tagged"
    assert not bad, bad


def test_poppler_says_tagged(outputs):
    info = subprocess.run([need_tool("pdfinfo"), str(outputs["policy-brief", "urdu", "full"][1])],
                          capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes", info, re.M)
    assert re.search(r"^Metadata Stream:\s+yes", info, re.M)


# -- the structure tree read back ---------------------------------------------------------------

def _kids(el) -> list:
    k = el.get("/K")
    if k is None:
        return []
    return list(k) if isinstance(k, pikepdf.Array) else [k]


def _elements(el) -> list:
    return [k for k in _kids(el) if isinstance(k, pikepdf.Dictionary) and "/S" in k]


def _role(el) -> str:
    return str(el.S)[1:]


def _expected_top(document: doc.Document) -> list[str]:
    """The element kinds the document tree's nodes make, in order."""
    out = ["Figure" if isinstance(f, doc.Figure) else "P" for f in document.front]
    level = 0
    for block in document.blocks:
        if isinstance(block, doc.TitleBlock):
            out += ["P"] * (1 + bool(block.subtitle) + len(block.meta))
        elif isinstance(block, doc.Heading):
            level = min(block.level, level + 1)
            out.append(f"H{level}")
        elif isinstance(block, doc.Paragraph):
            out.append("BlockQuote" if block.style == "quote" else "P")
        elif isinstance(block, (doc.BulletList, doc.NumberedList)):
            out.append("L")
        elif isinstance(block, doc.Callout):
            out.append("Div")
        elif isinstance(block, doc.MemoBlock):
            out += ["P"] * len(block.rows)
        elif isinstance(block, (doc.ColumnsTable, doc.RecommendationTable)):
            out.append("Table")
        elif isinstance(block, doc.SourceReference):
            out.append("P")
    return out


def _check_table(table, rows: int, cols: int) -> None:
    trs = _elements(table)
    assert [_role(tr) for tr in trs] == ["TR"] * (rows + 1)
    for n, tr in enumerate(trs):
        cells = _elements(tr)
        assert [_role(c) for c in cells] == ["TH" if n == 0 else "TD"] * cols
        if n == 0:
            assert all(c.A.Scope == "/Column" and c.A.O == "/Table" for c in cells)


def _check_list(lst, items: int) -> None:
    lis = _elements(lst)
    assert [_role(li) for li in lis] == ["LI"] * items
    for li in lis:
        assert [_role(k) for k in _elements(li)] == ["Lbl", "LBody"]
        assert all(_kids(k) for k in _elements(li)), "an empty label or body"


def test_structure_follows_the_document_tree(outputs):
    for key, (document, path) in outputs.items():
        with pikepdf.open(path) as pdf:
            root = pdf.Root.StructTreeRoot
            assert root.Type == "/StructTreeRoot"
            (top,) = _elements(root)
            assert _role(top) == "Document"
            kids = _elements(top)
            assert [_role(k) for k in kids] == _expected_top(document), key
            blocks = [b for b in document.blocks if not isinstance(b, doc.Gap)]
            it = iter(kids[len(document.front):])
            for block in blocks:
                count = len(_expected_top(doc.Document(document.metadata, (block,))))
                els = [next(it) for _ in range(count)]
                if isinstance(block, doc.RecommendationTable):
                    _check_table(els[0], len(block.rows), len(block.header))
                elif isinstance(block, doc.ColumnsTable):
                    _check_table(els[0], len(block.rows), 2)
                elif isinstance(block, (doc.BulletList, doc.NumberedList)):
                    _check_list(els[0], len(block.items))
                    numbering = "/Decimal" if isinstance(block, doc.NumberedList) else "/Disc"
                    assert els[0].A.ListNumbering == numbering
                elif isinstance(block, doc.Callout):
                    inner = _elements(els[0])
                    assert _role(inner[0]) == "P"
                    if block.bullets:
                        _check_list(inner[1], len(block.paragraphs))
                    else:
                        assert [_role(k) for k in inner] == ["P"] * (1 + len(block.paragraphs))


def test_headings_never_skip_a_level_and_match_the_outline(outputs):
    for key in (("policy-brief", "example", "full"), ("decision-memo", "fifty", "full"),
                ("handout", "example", "full")):
        document, path = outputs[key]
        with pikepdf.open(path) as pdf:
            top = _elements(pdf.Root.StructTreeRoot.K)
            levels = [int(_role(k)[1:]) for k in top if re.fullmatch(r"H\d", _role(k))]
        assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:]))
        outline = []
        reader = pypdf.PdfReader(path)

        def walk(entries, depth):
            for e in entries:
                if isinstance(e, list):
                    walk(e, depth + 1)
                else:
                    outline.append(depth + 1)

        walk(reader.outline, 0)
        assert outline == levels, key


# -- content: marked content read back ------------------------------------------------------------

def _cmaps(page) -> dict:
    """Font resource name -> {code: text} from the fonts' ToUnicode maps."""
    out = {}
    for name, font in page.Resources.get("/Font", {}).items():
        table = {}
        if "/ToUnicode" in font:
            data = font.ToUnicode.read_bytes().decode("latin-1")
            for code, text in re.findall(r"<([0-9A-F]{2})> <((?:[0-9A-F]{4})+)>", data):
                table[int(code, 16)] = bytes.fromhex(text).decode("utf-16-be")
        out[str(name)] = table
    return out


def _marked_text(pdf: pikepdf.Pdf) -> tuple[dict, list[str]]:
    """{(page, mcid): text} of tagged content, read as a spec-following reader does (an
    /ActualText replaces what it spans), and the text of each page's artifacts."""
    tagged, artifacts = {}, []
    for n, page in enumerate(pdf.pages, 1):
        fonts, font = _cmaps(page), {}
        stack = []  # (kind, mcid or actualtext)
        art = []
        for operands, op in pikepdf.parse_content_stream(page):
            op = str(op)
            if op in ("BDC", "BMC"):
                props = operands[1] if op == "BDC" and isinstance(operands[1], pikepdf.Dictionary) \
                    else {}
                if str(operands[0]) == "/Artifact":
                    stack.append(("artifact", None))
                elif "/MCID" in props:
                    stack.append(("mcid", (n, int(props.MCID))))
                    tagged.setdefault((n, int(props.MCID)), "")
                elif "/ActualText" in props:
                    stack.append(("actual", str(props.ActualText)))
                else:
                    stack.append(("span", None))
            elif op == "EMC":
                kind, value = stack.pop()
                if kind == "actual" and not any(k == "actual" for k, _ in stack):
                    owner = next((v for k, v in reversed(stack) if k == "mcid"), None)
                    if owner:
                        tagged[owner] += value
            elif op == "Tf":
                font = fonts.get(str(operands[0]), {})
            elif op in ("Tj", "TJ", "T*"):
                if op == "T*":
                    text = " "
                else:
                    parts = operands[0] if op == "TJ" else [operands[0]]
                    text = "".join(font.get(b, "") for p in parts
                                   if isinstance(p, pikepdf.String) for b in bytes(p))
                if any(k == "artifact" for k, _ in stack):
                    art.append(text)
                elif not any(k == "actual" for k, _ in stack):
                    owner = next((v for k, v in reversed(stack) if k == "mcid"), None)
                    assert owner is not None or not text.strip(), f"untagged text {text!r}"
                    if owner:
                        tagged[owner] += text
        artifacts.append("".join(art))
    return tagged, artifacts


def _element_text(el, tagged: dict, page_of: dict) -> str:
    out = []
    pg = el.get("/Pg")
    for k in _kids(el):
        if isinstance(k, int):
            out.append(tagged[(page_of[pg.objgen], k)])
        elif isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/MCR":
            out.append(tagged[(page_of[k.Pg.objgen], int(k.MCID))])
        elif isinstance(k, pikepdf.Dictionary) and "/S" in k:
            out.append(_element_text(k, tagged, page_of))
    return "".join(out)


def test_headings_say_what_the_document_tree_says(outputs):
    for key in (("policy-brief", "example", "full"), ("house-style", "urdu", "full")):
        document, path = outputs[key]
        with pikepdf.open(path) as pdf:
            tagged, _ = _marked_text(pdf)
            page_of = {p.objgen: n for n, p in enumerate(pdf.pages, 1)}
            heads = [_element_text(k, tagged, page_of) for k in _elements(pdf.Root.StructTreeRoot.K)
                     if re.fullmatch(r"H\d", _role(k))]
        expected = [b.text for b in document.blocks if isinstance(b, doc.Heading)]
        # Right-to-left lines are painted in visual order: compare their words as sets.
        assert [sorted(squash(h).split()) for h in heads] == \
            [sorted(squash(e).split()) for e in expected], key


def test_marking_is_read_once_and_furniture_is_artifact(outputs):
    for key in (("policy-brief", "example", "full"), ("decision-memo", "example", "full"),
                ("house-style", "fifty", "full")):
        document, path = outputs[key]
        marking = document.metadata.classification
        with pikepdf.open(path) as pdf:
            tagged, artifacts = _marked_text(pdf)
            first = _elements(pdf.Root.StructTreeRoot.K)[len(document.front) - 1]
            page_of = {p.objgen: n for n, p in enumerate(pdf.pages, 1)}
            assert _element_text(first, tagged, page_of).strip() == marking
            pages = len(pdf.pages)
        assert sum(t.count(marking) for t in tagged.values()) == 1, key
        # Printed at the top and the bottom of every page, read once.
        assert sum(a.count(marking) for a in artifacts) == 2 * pages - 1, key
        assert all(re.search(rf"Page {n} of {pages}", a) for n, a in enumerate(artifacts, 1))


def test_repeated_table_header_is_an_artifact(outputs):
    _, path = outputs["policy-brief", "fifty", "full"]
    with pikepdf.open(path) as pdf:
        tagged, artifacts = _marked_text(pdf)
        page_of = {p.objgen: n for n, p in enumerate(pdf.pages, 1)}
        table = next(k for k in _elements(pdf.Root.StructTreeRoot.K) if _role(k) == "Table")
        header = _elements(table)[0]
        pages = {page_of[th.Pg.objgen] for th in _elements(header)}
        rows = [page_of[tr.Pg.objgen] for tr in _elements(table)[1:]]
    assert len(pages) == 1 and len(set(rows)) >= 3, "the table runs over pages"
    for n in sorted(set(rows) - pages):
        assert "Recommendation" in artifacts[n - 1] and "Timeframe" in artifacts[n - 1], n


def test_logo_is_a_figure_with_its_alt_text_once(outputs):
    document, path = outputs["house-style", "example", "two-page"]
    with pikepdf.open(path) as pdf:
        figures = [k for k in _elements(pdf.Root.StructTreeRoot.K) if _role(k) == "Figure"]
        assert len(figures) == 1
        assert str(figures[0].Alt) == "Regional Affairs Desk crest"
        assert figures[0].Pg.objgen == pdf.pages[0].objgen
        assert len(figures[0].A.BBox) == 4
        # Every page shows the crest; only the first one's is content.
        for page in pdf.pages:
            ops = [str(o.operator) for o in pikepdf.parse_content_stream(page)]
            assert ops.count("Do") == 1


# -- Urdu and other scripts -----------------------------------------------------------------

def test_urdu_comes_back_as_typed(outputs):
    from briefgen.load import load

    brief = load(FIXTURES / "urdu.yaml")
    for template in ("policy-brief", "decision-memo", "handout"):
        _, path = outputs[template, "urdu", "full"]
        text = squash(re.sub("[\u202a-\u202e]", "", " ".join(pdf_pages_text(path))))
        raw = subprocess.run([need_tool("pdftotext"), str(path), "-"], capture_output=True,
                             text=True, check=True).stdout
        raw = re.sub("[\u202a-\u202e]", "", raw)  # poppler's bidi embedding marks
        for words in URDU_WORDS:
            assert words in text, (template, words)
        assert text.count("اسلام آباد") >= 8, template
        assert squash(brief.title.split(" — ")[1]) in text
        forms = [ch for ch in raw if 0xFB50 <= ord(ch) <= 0xFEFF or 0xE000 <= ord(ch) <= 0xF8FF]
        assert not forms, f"presentation forms or private-use characters: {forms[:10]}"
        for sentence in brief.summary.split("۔")[:2]:
            assert squash(sentence) in squash(raw), sentence


def _spans(path: Path) -> list[tuple[int, pikepdf.Dictionary]]:
    """(depth among /ActualText spans, properties) of every marked-content span."""
    out = []
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            stack = []
            for operands, op in pikepdf.parse_content_stream(page):
                op = str(op)
                if op in ("BDC", "BMC"):
                    props = operands[1] if op == "BDC" and \
                        isinstance(operands[1], pikepdf.Dictionary) else pikepdf.Dictionary()
                    depth = sum(1 for p in stack if "/ActualText" in p)
                    stack.append(props)
                    out.append((depth, pikepdf.Dictionary({k: v for k, v in props.items()})))
                elif op == "EMC":
                    stack.pop()
    return out


def test_actual_text_is_logical_and_languages_are_declared(outputs):
    from briefgen.load import load

    brief = load(FIXTURES / "urdu.yaml")
    typed = " ".join([brief.title, brief.subtitle, brief.summary, *brief.key_points,
                      brief.context, brief.source.title, brief.source.author, brief.prepared.by,
                      brief.prepared.for_, brief.prepared.classification] +
                     [f"{i.title} {i.summary} {i.detail or ''} {i.owner or ''}"
                      for i in brief.items])
    from briefgen.labels import builtin, format_date

    labels = " ".join(_strings(builtin("ur")))  # the Urdu labels print as well
    dates = " ".join(format_date(d, "ur") for d in (brief.prepared.date, brief.source.date))
    words = set(re.findall(r"[\u0600-\u06FF]+", f"{typed} {labels} {dates}"))
    _, path = outputs["policy-brief", "urdu", "full"]
    spans = _spans(path)
    # A word's span holds its letters in reading order, as typed.
    outer = [str(p.ActualText) for depth, p in spans if depth == 0 and "/ActualText" in p]
    assert len(outer) > 100
    # (the full stop and comma a label or a lead-in puts after a word go with it)
    def bare(ws):
        return {w[:-1] if len(w) > 1 and w[-1] in "۔،" else w for w in ws}

    assert not bare(outer) - bare(words) - {"ء"}, bare(outer) - bare(words)
    assert set(re.findall(r"[\u0600-\u06FF]+", brief.title)) <= set(outer)
    # Inside, the letters of the word's first glyph (and of any glyph the font's map does
    # not tell); never a presentation form or a private-use value.
    inner = [str(p.ActualText) for depth, p in spans if depth == 1 and "/ActualText" in p]
    assert len(inner) >= len(outer)
    for text in outer + inner:
        assert not any(0xFB50 <= ord(c) <= 0xFEFF or 0xE000 <= ord(c) <= 0xF8FF
                       for c in text), text
    langs = {str(p.Lang) for _, p in spans if "/Lang" in p}
    assert langs == {"en"}, "English passages say so; Urdu is the document's own language"
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.Lang) == "ur"


ARABIC = """lang: ar
title: "بِسْمِ اللَّهِ الرَّحْمَٰنِ الرَّحِيمِ — لا إله إلا الله"
summary: "السلام عليكم. لا، لأن الأمر لا يحتمل. ﷺ. كتابٌ مُفيدٌ جدًّا. نی ني ی ي ک ك"
source: {title: "مصدر"}
key_points: ["لا لا لا", "مُحَمَّد"]
recommendations: [{title: "توصية", summary: "نص لا بأس به."}]
"""


def test_ligatures_marks_and_shared_glyphs_come_back_as_typed(tmp_path):
    """Arabic with harakat (marks HarfBuzz moves onto their letters), the lam-alef and
    Allah ligatures, a ligature character (ﷺ), and letters that share glyphs (Persian and
    Arabic yeh and kaf): a reader that follows /ActualText gets every word as typed, marks
    included; pdftotext gets the unmarked words as typed and no presentation form; each
    ligature's letters come in its own span."""
    from briefgen.labels import builtin

    path = tmp_path / "arabic.yaml"
    path.write_text(ARABIC, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "-f", "pdf", "-l", "full", "-o",
                                       str(tmp_path / "arabic.pdf"), str(path)])
    assert result.exit_code == 0, result.output
    pdf_path = tmp_path / "arabic.pdf"
    with pikepdf.open(pdf_path) as pdf:
        tagged, _ = _marked_text(pdf)
    read = squash(" ".join(tagged.values()))
    typed = re.findall(r"[\u0600-\u06FF\uFDF2\uFDFA]+", ARABIC)
    labels = set(re.findall(r"[\u0600-\u06FF]+", " ".join(_strings(builtin("ar")))))
    words = {w.strip("،.«»:()") for w in read.split()}  # (lines in visual order)
    for word in typed:
        assert word.strip("،") in words or word == "ﷺ", word
    assert "صلى الله عليه وسلم" in read  # ﷺ, spelt out as the character decomposes
    raw = subprocess.run([need_tool("pdftotext"), str(pdf_path), "-"], capture_output=True,
                         text=True, check=True).stdout
    raw = re.sub("[\u202a-\u202e]", "", raw)
    assert not [ch for ch in raw if 0xFB1D <= ord(ch) <= 0xFDFF or 0xFE70 <= ord(ch) <= 0xFEFC
                or 0xE000 <= ord(ch) <= 0xF8FF]
    for words_as_typed in ("لا إله إلا الله", "السلام عليكم", "لأن الأمر لا يحتمل",
                           "نی ني ی ي ک ك", "لا لا لا"):
        assert words_as_typed in squash(raw), words_as_typed
    inner = [str(p.ActualText) for depth, p in _spans(pdf_path)
             if depth == 1 and "/ActualText" in p]
    assert "هلل" in inner  # the Allah ligature of الله, its letters in visual order
    assert labels  # the Arabic labels printed too


def test_other_scripts_get_their_language(outputs):
    _, path = outputs["policy-brief", "hostile", "full"]
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.Lang) == "en"
        langs = {}
        for page in pdf.pages:
            for operands, op in pikepdf.parse_content_stream(page):
                if str(op) == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and \
                        "/Lang" in operands[1]:
                    langs[str(operands[1].Lang)] = langs.get(str(operands[1].Lang), 0) + 1
    assert {"ur", "ru", "el"} <= set(langs), langs
    assert "en" not in langs


def test_language_of_passages_in_other_scripts():
    from briefgen.scripts import language_script, script_languages

    urdu, persian, arabic = "اسلام آباد میں ہے", "کتاب خوب است", "السلام عليكم"
    assert script_languages([urdu, persian], "en") == {"Arab": "ur"}
    assert script_languages([persian], "en") == {"Arab": "fa"}
    assert script_languages([arabic, "Россия"], "en") == {"Arab": "ar", "Cyrl": "ru"}
    assert script_languages(["Україна і Росія"], "en") == {"Cyrl": "uk"}
    assert script_languages(["Ђорђе и Љиљана"], "en") == {"Cyrl": "sr"}
    assert script_languages(["Ελλάδα", "English words"], "en") == {"Grek": "el"}
    assert script_languages([urdu, "English words"], "ur") == {"Latn": "en"}
    assert script_languages(["Россия and Moscow"], "ru-RU") == {"Latn": "en"}
    assert script_languages(["Srbija"], "sr-Latn") == {}
    assert language_script("uz-Cyrl") == "Cyrl" and language_script("ur-PK") == "Arab"


def test_to_unicode_maps_have_no_null_or_private_use_values(outputs):
    for key in (("policy-brief", "urdu", "full"), ("house-style", "hostile", "full"),
                ("handout", "example", "one-page")):
        with pikepdf.open(outputs[key][1]) as pdf:
            for page in pdf.pages:
                for name, table in _cmaps(page).items():
                    for code, text in table.items():
                        for ch in text:
                            assert ord(ch) not in (0, 0xFEFF, 0xFFFE), (key, name, code)
                            assert not 0xE000 <= ord(ch) <= 0xF8FF, (key, name, code)
                            # a shaped glyph maps to its letters, not a presentation form
                            assert not (0xFB1D <= ord(ch) <= 0xFDFF or
                                        0xFE70 <= ord(ch) <= 0xFEFC), (key, name, code)


# -- navigation: bookmarks and links ----------------------------------------------------------

def test_every_bookmark_opens_the_page_of_its_heading(outputs):
    checked = 0
    for key in (("policy-brief", "example", "full"), ("policy-brief", "fifty", "full"),
                ("decision-memo", "example", "full"), ("handout", "fifty", "full"),
                ("house-style", "example", "3-page")):
        _, path = outputs[key]
        reader = pypdf.PdfReader(path)
        texts = [squash(t).replace("- ", "-") for t in pdf_pages_text(path)]
        pages = set()

        def walk(entries):
            nonlocal checked
            for e in entries:
                if isinstance(e, list):
                    walk(e)
                    continue
                n = reader.get_destination_page_number(e)
                assert squash(e.title) in texts[n], (key, e.title, n)
                assert e["/Type"] == "/XYZ" and 0 < float(e.top) < float(reader.pages[n].mediabox.top)
                pages.add(n)
                checked += 1

        walk(reader.outline)
        assert len(pages) > 1, key
    assert checked > 300


def _links(path: Path):
    with pikepdf.open(path) as pdf:
        parent_tree = dict(_nums(pdf.Root.StructTreeRoot.ParentTree))
        for page in pdf.pages:
            for annot in page.get("/Annots", []):
                yield page, annot, parent_tree


def _nums(tree):
    nums = list(tree.get("/Nums", []))
    for k, v in zip(nums[::2], nums[1::2]):
        yield int(k), v
    for kid in tree.get("/Kids", []):
        yield from _nums(kid)


def test_links_are_tagged_described_and_printable(outputs):
    seen = 0
    for key in (("policy-brief", "links", "full"), ("handout", "links", "one-page"),
                ("policy-brief", "fifty", "full"), ("house-style", "example", "full")):
        for page, annot, parent_tree in _links(outputs[key][1]):
            assert annot.Subtype == "/Link"
            assert int(annot.F) & 4, "the print flag"
            assert str(annot.Contents).strip(), "a description"
            link = parent_tree[int(annot.StructParent)]
            assert _role(link) == "Link"
            objrs = [k for k in _kids(link) if isinstance(k, pikepdf.Dictionary)
                     and k.get("/Type") == "/OBJR"]
            assert any(o.Obj.objgen == annot.objgen for o in objrs)
            assert any(isinstance(k, int) or k.get("/Type") == "/MCR" for k in _kids(link)), \
                "the link's text"
            assert page.Tabs == "/S"
            uri = str(annot.A.URI)
            assert uri.isascii() and " " not in uri, uri
            seen += 1
    assert seen >= 10


def test_link_targets_are_percent_encoded(outputs):
    links = {(str(a.A.URI), str(a.Contents))
             for _, a, _ in _links(outputs["policy-brief", "links", "full"][1])}
    report = "https://example.org/reports/joint%20commission%202025.pdf"
    assert {(report, "report of the joint commission"), (report, "the report")} <= links
    assert ("https://example.org/%D0%BC%D0%B8%D0%B4/%D1%80%D0%BE%D1%81%D1%81%D0%B8%D1%8F"
            "?q=%D0%BF%D0%B0%D1%80%D1%82%D0%BD%D1%91%D1%80%D1%81%D1%82%D0%B2%D0%BE",
            "Министерство иностранных дел") in links
    urdu = "https://example.org/%D8%A7%D8%B9%D9%84%D8%A7%D9%85%DB%8C%DB%81?" \
        "%D8%B4%DB%81%D8%B1=%D8%A7%D8%B3%D9%84%D8%A7%D9%85%20%D8%A2%D8%A8%D8%A7%D8%AF"
    assert (urdu, "اسلام آباد کا اعلامیہ") in links
    uris = {u for u, _ in links}
    assert "https://example.org/agreements/list?from=1991&to=2025&lang=en#top" in uris
    assert "mailto:regional.affairs@example.org" in uris
    assert "https://example.org/source-page/%D0%BE%D1%82%D1%87%D1%91%D1%82" in uris
    assert "https://xn--e1afmkfd.xn--p1ai/%D0%BF%D1%83%D1%82%D1%8C" in uris  # IDNA host


# -- metadata and PDF/A-2a ------------------------------------------------------------------

def test_catalog_and_metadata(outputs):
    document, path = outputs["policy-brief", "urdu", "two-page"]
    with pikepdf.open(path) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert str(pdf.Root.Lang) == "ur"
        assert pdf.pdf_version == "1.7"
        xmp = pdf.Root.Metadata.read_bytes().decode("utf-8")
        assert "<pdfuaid:part>1</pdfuaid:part>" in xmp
        assert "pdfaid" not in xmp
        with pdf.open_metadata() as meta:
            assert meta["dc:title"] == document.metadata.title == str(pdf.docinfo.Title)
        for page in pdf.pages:
            assert int(page.StructParents) >= 0


def test_pdf_a_2a_on_request(tmp_path):
    import page

    for n, (brief, template) in enumerate([(EXAMPLE, ROOT / "docs/examples/house-style"),
                                           (FIXTURES / "urdu.yaml", "policy-brief")]):
        out = tmp_path / str(n)
        result = CliRunner().invoke(main, [
            "build", str(brief), "-l", "one-page", "-t", str(template), "-o", str(out),
            "--pdf-standard", "a-2a", "--manifest", str(out / "m.json"), "-q"])
        assert result.exit_code == 0, result.output
        pdf = next(out.glob("*.pdf"))
        for profile in ("2a", "ua1"):
            report = page.validate_pdf(str(pdf), profile=profile)
            assert report.is_compliant and not report.rules.failed, \
                (profile, [(f.rule_id, f.message) for f in report.failures])
        with pikepdf.open(pdf) as p:
            (intent,) = p.Root.OutputIntents
            assert intent.S == "/GTS_PDFA1" and int(intent.DestOutputProfile.N) == 3
            xmp = p.Root.Metadata.read_bytes().decode()
            assert "<pdfaid:part>2</pdfaid:part>" in xmp and \
                "<pdfaid:conformance>A</pdfaid:conformance>" in xmp
        import json

        entries = json.loads((out / "m.json").read_text())["outputs"]
        assert {e["format"]: e["standards"] for e in entries} == \
            {"pdf": ["PDF/UA-1", "PDF/A-2a"], "docx": []}


def test_default_pdf_is_not_pdf_a_and_says_so(tmp_path):
    import json

    result = CliRunner().invoke(main, ["build", str(EXAMPLE), "-l", "one-page", "-f", "pdf",
                                       "-o", str(tmp_path), "--manifest",
                                       str(tmp_path / "m.json"), "-q"])
    assert result.exit_code == 0, result.output
    (entry,) = json.loads((tmp_path / "m.json").read_text())["outputs"]
    assert entry["standards"] == ["PDF/UA-1"]
    with pikepdf.open(tmp_path / "islamabad-moscow.one-page.pdf") as p:
        assert "/OutputIntents" not in p.Root


def test_api_says_which_standards_a_file_meets():
    import io

    from briefgen import api

    brief = api.load(EXAMPLE)
    pdf = api.render(brief, "pdf", "one-page", pdf_standard="a-2a")
    assert pdf.standards == ("PDF/UA-1", "PDF/A-2a")
    with pikepdf.open(io.BytesIO(pdf.data)) as p:
        assert "/OutputIntents" in p.Root
    assert api.render(brief, "pdf", "one-page").standards == ("PDF/UA-1",)
    assert api.render(brief, "docx", "one-page").standards == ()
    with pytest.raises(ValueError, match="pdf_standard"):
        api.render(brief, "pdf", "one-page", pdf_standard="a-1b")
    result = CliRunner().invoke(main, ["build", str(EXAMPLE), "--pdf-standard", "a-1b"])
    assert result.exit_code == 2


# -- nothing visible changes ----------------------------------------------------------------

def test_tagging_changes_nothing_visible(tmp_path):
    """The same layout with tagging on and off (the internal switch) renders to the same
    pixels."""
    from briefgen.fit import fit
    from briefgen.load import load
    from briefgen.plan import length_for
    from briefgen.render_pdf import layout
    from briefgen.templates import load_template

    tool = need_tool("pdftoppm")
    for brief, tname in ((EXAMPLE, ROOT / "docs/examples/house-style"),
                         (FIXTURES / "urdu.yaml", "handout")):
        template = load_template(str(tname))
        document = fit(load(brief), length_for("two-page"), template).document
        images = []
        for tagged in (True, False):
            pdf = tmp_path / f"{Path(brief).stem}-{tagged}.pdf"
            pdf.write_bytes(layout(document, template, tagged=tagged).pdf)
            subprocess.run([tool, "-r", "60", "-png", str(pdf), str(pdf.with_suffix(""))],
                           check=True)
            images.append(sorted(tmp_path.glob(f"{pdf.stem}-*.png")))
        from PIL import Image, ImageChops

        assert len(images[0]) == len(images[1]) >= 1
        for a, b in zip(*images):
            diff = ImageChops.difference(Image.open(a).convert("RGB"),
                                         Image.open(b).convert("RGB"))
            assert diff.getbbox() is None, (a.name, diff.getbbox())


def _strings(value):
    """Every text in a label set."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
