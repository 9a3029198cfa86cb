"""Accessible DOCX files: every output of every template (the built-in ones and the house
style with its crest), length and fixture (the example, the stress corpus, an Urdu brief,
a Russian one, English with Urdu, Cyrillic and Greek) declares the brief's language in its
document defaults and the language of every run in another script; every table has a
caption and a description, a data table's header row repeats and is marked, a box is no
data table; heading levels never skip and follow the document tree; every picture has its
alt text; and the files stay schema-valid (openxml-audit). The XML is read back with lxml,
and scripts are told apart by Unicode character names, not by briefgen's own tables."""

from __future__ import annotations

import dataclasses
import glob
import shutil
import unicodedata
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from briefgen import doc
from briefgen.labels import labels_for
from briefgen.templates import fill
from conftest import EXAMPLE, ROOT
from test_docx_schema import audit_problems, order_problems

FIXTURES = Path(__file__).parent / "fixtures"
TEMPLATES = ("policy-brief", "decision-memo", "handout", str(ROOT / "docs/examples/house-style"))
LENGTHS = ("one-page", "two-page", 3, "full")
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
      "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
      "a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
SCRIPT_NAMES = {"ARABIC": "Arab", "CYRILLIC": "Cyrl", "GREEK": "Grek", "LATIN": "Latn"}
ATTRIBUTE = {"Arab": "bidi", "Cyrl": "val", "Grek": "val", "Latn": "val"}
"""Where Word reads the language of each script: complex scripts in w:bidi."""

# What each fixture must declare, written out by hand: the document defaults, and the
# language of passages in each script other than the brief's.
DEFAULTS = {"urdu": {"val": "ur", "bidi": "ur"}, "islamabad-moscow.ur": {"val": "ur", "bidi": "ur"},
            "russian": {"val": "ru"}}
"""w:lang of the document defaults, by fixture (all others: {"val": "en"})."""
OTHER = {
    "urdu": {"Latn": "en"},
    "islamabad-moscow.ur": {"Latn": "en"},
    "russian": {"Latn": "en", "Arab": "ur", "Grek": "el"},
    "scripts": {"Arab": "ur", "Cyrl": "ru", "Grek": "el"},
    "mixed-scripts": {"Arab": "ur", "Cyrl": "ru", "Grek": "el"},
}
"""The languages of passages in other scripts, by fixture (all others: none)."""
OWN = {"urdu": "Arab", "islamabad-moscow.ur": "Arab", "russian": "Cyrl"}
"""The brief's own script (all others: Latin)."""


def _briefs(folder: Path) -> dict:
    import test_scripts
    from briefgen.load import load

    from briefgen.book import is_book

    briefs = {Path(p).stem: load(p) for p in sorted(glob.glob(str(ROOT / "inputs/*.yaml")))
              if not is_book(Path(p))}  # a briefing book is tested in test_book
    briefs |= {Path(p).stem: load(p) for p in sorted(glob.glob(str(FIXTURES / "stress/*.yaml")))}
    briefs["urdu"] = load(FIXTURES / "accessibility/urdu.yaml")
    briefs["russian"] = load(FIXTURES / "accessibility/russian.yaml")
    briefs["scripts"] = load(test_scripts._brief(folder))
    assert EXAMPLE.stem in briefs and len(briefs) >= 13
    return briefs


@dataclasses.dataclass(frozen=True)
class Built:
    """One DOCX: its brief's fixture name, template, document tree and path."""

    fixture: str
    template: object
    document: doc.Document
    path: Path


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[tuple[str, str, str], Built]:
    """(template, fixture, length) -> Built, every combination."""
    from briefgen.fit import fit
    from briefgen.plan import length_for
    from briefgen.render_docx import render_docx
    from briefgen.templates import load_template

    folder = tmp_path_factory.mktemp("docx-a11y")
    briefs = _briefs(folder)
    out = {}
    for tname in TEMPLATES:
        template = load_template(tname)
        for fname, brief in briefs.items():
            for length in LENGTHS:
                wanted = length_for(None, length) if isinstance(length, int) \
                    else length_for(length)
                document = fit(brief, wanted, template).document
                path = folder / f"{fname}.{Path(tname).name}.{wanted.name}.docx"
                path.write_bytes(render_docx(document, template))
                out[(Path(tname).name, fname, wanted.name)] = Built(fname, template, document,
                                                                    path)
    return out


def _parts(path: Path, prefix: str = "word/") -> dict[str, etree._Element]:
    """The XML of the document, header and footer parts (and styles) of a DOCX."""
    with zipfile.ZipFile(path) as z:
        return {n: etree.fromstring(z.read(n)) for n in z.namelist()
                if n.startswith(prefix) and n.endswith(".xml") and
                Path(n).stem.rstrip("0123456789") in ("document", "header", "footer", "styles",
                                                       "settings")}


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def _scripts_of(text: str) -> set[str]:
    """The scripts of the letters of a text, by their Unicode names."""
    out = set()
    for ch in text:
        if ch.isalpha():
            first = unicodedata.name(ch, "").split(" ")[0]
            if first in SCRIPT_NAMES:
                out.add(SCRIPT_NAMES[first])
    return out


def _run_text(r) -> str:
    return "".join(t.text or "" for t in r.findall("w:t", NS))


# -- languages ----------------------------------------------------------------------------------

def test_document_defaults_declare_the_brief_language(outputs):
    wrong = {}
    for key, built in outputs.items():
        styles = _parts(built.path)["word/styles.xml"]
        langs = styles.findall("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
        got = [{etree.QName(k).localname: v for k, v in el.attrib.items()} for el in langs]
        expected = DEFAULTS.get(built.fixture, {"val": "en"})
        if got != [expected]:
            wrong[key] = got
        if styles.findall("w:style/w:rPr/w:lang", NS):
            wrong[key] = "a style declares its own language"
        theme = _parts(built.path)["word/settings.xml"].find("w:themeFontLang", NS)
        if {etree.QName(k).localname: v for k, v in theme.attrib.items()} != expected:
            wrong[key] = f"theme fonts for {dict(theme.attrib)}"
    assert not wrong, wrong


def test_every_run_in_another_script_declares_its_language(outputs):
    """Body, headers and footers: a run with letters of a script other than the brief's
    carries that script's language in the attribute Word reads for it; a run of the
    brief's own script (or of no letters) declares none; no run mixes two other scripts."""
    problems, declared = [], {}
    for key, built in outputs.items():
        own = OWN.get(built.fixture, "Latn")
        expected = OTHER.get(built.fixture, {})
        for name, root in _parts(built.path).items():
            if name in ("word/styles.xml", "word/settings.xml"):
                continue
            for r in root.iter(_w("r")):
                text = _run_text(r)
                others = _scripts_of(text) - {own}
                lang = r.find("w:rPr/w:lang", NS)
                attrs = {etree.QName(k).localname: v for k, v in lang.attrib.items()} \
                    if lang is not None else {}
                where = f"{key} {name}: {text[:60]!r}"
                if len(others) > 1:
                    problems.append(f"{where}: one run of several other scripts {others}")
                    continue
                if not others:
                    if attrs:
                        problems.append(f"{where}: declares {attrs} in the brief's script")
                    continue
                script = others.pop()
                want = {ATTRIBUTE[script]: expected.get(script)}
                if attrs != want:
                    problems.append(f"{where}: {attrs}, expected {want}")
                declared.setdefault(built.fixture, set()).add(script)
    assert not problems, "\n".join(problems[:30])
    assert {f: set(v) for f, v in OTHER.items()} == declared


def test_cutting_runs_by_language_keeps_text_and_formatting(outputs):
    """The same tree rendered with no other languages: every paragraph has the same
    letters with the same bold, italic and link, in the same order."""
    from briefgen.render_docx import render_docx

    def styled(data: bytes) -> list[list[tuple[str, bool, bool, bool]]]:
        import io

        root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
        out = []
        for p in root.iter(_w("p")):
            chars = []
            for r in p.iter(_w("r")):
                rpr = r.find("w:rPr", NS)
                flags = (rpr is not None and rpr.find("w:b", NS) is not None,
                         rpr is not None and rpr.find("w:i", NS) is not None,
                         r.getparent().tag == _w("hyperlink"))
                chars += [(ch,) + flags for ch in _run_text(r)]
            out.append(chars)
        return out

    checked = 0
    for (tname, fixture, length), built in outputs.items():
        if fixture not in OTHER or length not in ("two-page", "full"):
            continue
        plain = dataclasses.replace(built.document, metadata=dataclasses.replace(
            built.document.metadata, scripts=()))
        assert styled(built.path.read_bytes()) == styled(render_docx(plain, built.template))
        checked += 1
    assert checked == len(TEMPLATES) * len(OTHER) * 2


def test_a_reference_docx_takes_the_brief_language(tmp_path):
    """Word's reference declares en-US, en-US and ar-SA, python-docx's ja-JP for East
    Asian text, and a style of its own English: the brief's language replaces them."""
    import docx
    from briefgen.fit import fit
    from briefgen.load import load
    from briefgen.plan import length_for
    from briefgen.render_docx import render_docx
    from briefgen.templates import load_template

    word = tmp_path / "word"
    word.mkdir()
    shutil.copy(FIXTURES / "reference/word-odd-even-first.docx", word / "reference.docx")
    made = tmp_path / "python-docx"
    made.mkdir()
    d = docx.Document()
    d.styles["Normal"].element.get_or_add_rPr().append(
        etree.fromstring(f'<w:lang xmlns:w="{W}" w:val="en-GB"/>'))
    d.save(str(made / "reference.docx"))
    for folder in (word, made):
        (folder / "template.yaml").write_text("parent: policy-brief\n")
        template = load_template(str(folder))
        for fixture in ("russian", "urdu"):
            brief = load(FIXTURES / f"accessibility/{fixture}.yaml")
            path = tmp_path / f"{fixture}.{folder.name}.docx"
            path.write_bytes(render_docx(fit(brief, length_for("two-page"), template).document,
                                         template))
            styles = _parts(path)["word/styles.xml"]
            langs = [{etree.QName(k).localname: v for k, v in el.attrib.items()}
                     for el in styles.findall("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)]
            assert langs == [DEFAULTS[fixture]], (folder.name, fixture, langs)
            theme = _parts(path)["word/settings.xml"].find("w:themeFontLang", NS)
            assert {etree.QName(k).localname: v for k, v in theme.attrib.items()} == \
                DEFAULTS[fixture]
            assert not styles.findall("w:style/w:rPr/w:lang", NS)
            assert not order_problems(path)
            assert not audit_problems(path)


@pytest.mark.parametrize("lang, expected", [
    ("zh-Hant", {"val": "zh-Hant", "eastAsia": "zh-Hant"}),
    ("ja", {"val": "ja", "eastAsia": "ja"}),
    ("he", {"val": "he", "bidi": "he"}),
    ("hi-IN", {"val": "hi-IN", "bidi": "hi-IN"}),
    ("ar-Latn", {"val": "ar-Latn"}),
    ("sr-Latn-RS", {"val": "sr-Latn-RS"}),
    ("de-CH", {"val": "de-CH"}),
])
def test_defaults_name_the_script_kind_of_the_language(tmp_path, lang, expected):
    """Complex-script languages in w:bidi, Chinese, Japanese and Korean in w:eastAsia, as
    Word reads them; the English text of such a brief is declared English, run by run."""
    from briefgen.fit import fit
    from briefgen.load import load_text
    from briefgen.plan import length_for
    from briefgen.render_docx import render_docx
    from briefgen.templates import load_template

    template = load_template("policy-brief")
    brief = load_text(f"lang: {lang}\n" + EXAMPLE.read_text(encoding="utf-8"),
                      str(tmp_path / "brief.yaml"))
    path = tmp_path / "brief.docx"
    path.write_bytes(render_docx(fit(brief, length_for("one-page"), template).document,
                                 template))
    parts = _parts(path)
    langs = [{etree.QName(k).localname: v for k, v in el.attrib.items()} for el in
             parts["word/styles.xml"].findall("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)]
    assert langs == [expected]
    theme = parts["word/settings.xml"].find("w:themeFontLang", NS)
    assert {etree.QName(k).localname: v for k, v in theme.attrib.items()} == expected
    runs = {tuple(sorted(el.attrib.items())) for el in
            parts["word/document.xml"].iter(_w("lang"))}
    latin = lang.startswith(("zh", "ja", "he", "hi"))
    assert runs == ({((_w("val"), "en"),)} if latin else set())


def test_language_pieces():
    from briefgen.docx_lang import pieces

    langs = {"Latn": "en", "Arab": "ur"}
    assert pieces("Москва and Moscow, (اسلام آباد)!", langs) == [
        ("Москва ", None), ("and Moscow", ("val", "en")), (", (", None),
        ("اسلام آباد", ("bidi", "ur")), (")!", None)]
    assert pieces("plain ASCII", {"Arab": "ur"}) == [("plain ASCII", None)]
    assert pieces("anything", {}) == [("anything", None)]


# -- tables -------------------------------------------------------------------------------------

def _tables(document: doc.Document) -> list:
    return [b for b in document.blocks
            if isinstance(b, (doc.RecommendationTable, doc.ColumnsTable, doc.Callout))]


def test_every_table_has_a_caption_and_a_description(outputs):
    problems = []
    seen = set()
    for key, built in outputs.items():
        body = _parts(built.path)["word/document.xml"].find("w:body", NS)
        tables = body.findall(".//w:tbl", NS)
        blocks = _tables(built.document)
        if len(tables) != len(blocks):
            problems.append(f"{key}: {len(tables)} tables for {len(blocks)} in the tree")
            continue
        labels = labels_for(built.template, built.document.metadata.language)
        for tbl, block in zip(tables, blocks):
            caption = tbl.find("w:tblPr/w:tblCaption", NS)
            description = tbl.find("w:tblPr/w:tblDescription", NS)
            if caption is None or description is None:
                problems.append(f"{key}: {type(block).__name__} without caption/description")
                continue
            caption, description = caption.get(_w("val")), description.get(_w("val"))
            seen.add(type(block))
            # In the brief's language: the words of its label set, the table's own headers
            if isinstance(block, doc.RecommendationTable):
                ok = caption == labels["recommendations"] and all(
                    h in description for h in block.header) and description == fill(
                    labels["recommendations_described"], {"columns": labels.join(block.header)})
            elif isinstance(block, doc.ColumnsTable):
                both = {"left": labels["opportunities"], "right": labels["challenges"]}
                ok = caption == fill(labels["columns_caption"], both) and \
                    description == fill(labels["columns_described"], both) and \
                    all(w in description for w in both.values())
            else:
                kind = "key_points" if block.bullets else "bottom_line"
                ok = caption == block.label and description == labels[f"{kind}_described"]
            if not ok or len(description) < 20:
                problems.append(f"{key}: {type(block).__name__}: {caption!r} / {description!r}")
    assert not problems, "\n".join(problems[:30])
    assert seen == {doc.RecommendationTable, doc.ColumnsTable, doc.Callout}


def test_header_rows_repeat_and_are_marked(outputs):
    """A data table's first row, and only it, repeats on every page (w:tblHeader), holds
    the tree's column headers and is the header row of the table's look; a box has no
    header row."""
    problems = []
    for key, built in outputs.items():
        body = _parts(built.path)["word/document.xml"].find("w:body", NS)
        for tbl, block in zip(body.findall(".//w:tbl", NS), _tables(built.document)):
            rows = tbl.findall("w:tr", NS)
            repeated = [r.find("w:trPr/w:tblHeader", NS) is not None for r in rows]
            look = tbl.find("w:tblPr/w:tblLook", NS)
            first_row = look.get(_w("firstRow")) if look is not None else None
            if isinstance(block, doc.Callout):
                if any(repeated) or first_row != "0":
                    problems.append(f"{key}: a box marked as a data table")
                continue
            headers = block.header if isinstance(block, doc.RecommendationTable) \
                else block.headers
            texts = ["".join(t.text or "" for t in tc.iter(_w("t")))
                     for tc in rows[0].findall("w:tc", NS)]
            if repeated != [True] + [False] * (len(rows) - 1) or first_row != "1" or \
                    look.get(_w("firstColumn")) != "0" or texts != list(headers):
                problems.append(f"{key}: {type(block).__name__}: {repeated} {first_row} {texts}")
    assert not problems, "\n".join(problems[:30])


# -- headings and pictures ----------------------------------------------------------------------

def _outline_levels(path: Path) -> list[int]:
    """The outline level (0 = Heading 1) of every paragraph that has one, in document
    order: its own w:outlineLvl, else its style's, through w:basedOn."""
    parts = _parts(path)
    styles = {s.get(_w("styleId")): s for s in parts["word/styles.xml"].findall("w:style", NS)}

    def style_level(style_id, depth=0):
        style = styles.get(style_id)
        if style is None or depth > 20:
            return None
        own = style.find("w:pPr/w:outlineLvl", NS)
        if own is not None:
            return int(own.get(_w("val")))
        based = style.find("w:basedOn", NS)
        return style_level(based.get(_w("val")), depth + 1) if based is not None else None

    levels = []
    for p in parts["word/document.xml"].iter(_w("p")):
        own = p.find("w:pPr/w:outlineLvl", NS)
        style = p.find("w:pPr/w:pStyle", NS)
        level = int(own.get(_w("val"))) if own is not None else \
            style_level(style.get(_w("val")) if style is not None else None)
        if level is not None and level < 9:  # 9 is body text
            levels.append(level)
    return levels


def test_heading_levels_never_skip_and_follow_the_tree(outputs):
    problems = []
    for key, built in outputs.items():
        levels = _outline_levels(built.path)
        tree = [b.level - 1 for b in built.document.blocks if isinstance(b, doc.Heading)]
        if levels != tree:
            problems.append(f"{key}: outline {levels} but headings {tree}")
        if levels and levels[0] != 0 or any(b > a + 1 for a, b in zip(levels, levels[1:])):
            problems.append(f"{key}: a level skipped: {levels}")
    assert not problems, "\n".join(problems[:30])
    assert any(1 in _outline_levels(b.path) for b in outputs.values())


def test_every_picture_has_its_alt_text(outputs):
    pictures = 0
    for key, built in outputs.items():
        logo = built.template.logo
        for name, root in _parts(built.path).items():
            for pr in root.iter(f"{{{NS['wp']}}}docPr"):
                pictures += 1
                assert logo is not None, (key, name)
                assert pr.get("descr") == logo.alt and pr.get("title") == logo.alt, (key, name)
                assert logo.alt.strip()
        if logo is not None:
            assert any(_parts(built.path)[n].iter(f"{{{NS['wp']}}}docPr")
                       for n in _parts(built.path) if "header" in n), key
    assert pictures >= 4 * len(LENGTHS)


# -- validity -------------------------------------------------------------------------------------

def test_outputs_stay_schema_valid(outputs):
    """Every output in schema order; openxml-audit (errors and Word findings) over the
    fixtures with other scripts and the example, every template and length."""
    problems = [p for b in outputs.values() for p in order_problems(b.path)]
    assert not problems, "\n".join(problems[:30])
    audited = [b.path for (_, fixture, _), b in outputs.items()
               if fixture in ("urdu", "russian", "mixed-scripts", EXAMPLE.stem)]
    assert len(audited) == 4 * len(TEMPLATES) * len(LENGTHS)
    problems = [p for path in audited for p in audit_problems(path)]
    assert not problems, "\n".join(problems[:30])
