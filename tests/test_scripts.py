"""Every character a brief needs: Cyrillic, Greek, Urdu right to left and shaped, inline
formatting, hostile text printed as typed, nothing running off the page."""

from __future__ import annotations

import json
import re
import subprocess

import docx
import pypdf
import pytest
import yaml
from click.testing import CliRunner
from docx.oxml.ns import qn

from briefgen.cli import main
from conftest import libreoffice_pdf, need_tool, pdf_pages_text, squash

URDU = "پاکستان اور روس کے درمیان تعلقات خطے کے امن کے لیے اہم ہیں۔"
URDU_CONTEXT = ("وزارت خارجہ نے کہا کہ پاکستان روس کے ساتھ تعاون بڑھانا چاہتا ہے۔ یہ تعاون "
                "توانائی، تجارت اور سلامتی کے شعبوں میں ہوگا۔")
SCRIPTS = {
    "russian": "Стратегическое партнёрство России и Пакистана укрепляется.",
    "greek": "Η στρατηγική συνεργασία ενισχύεται σταθερά.",
    "latin": "Café naïve Zürich Łódź Kraków – “quotes” and ‘single’ … done.",
}
HOSTILE = [
    "<b>not bold</b>",
    '<img src="/etc/passwd"/>',
    "<font color=red>red</font>",
    "&amp; &lt; &#169; & < >",
    "{ PAGE } {{title}} {title}",
    "]]> <![CDATA[ x ]]>",
    "<w:p><w:r><w:t>xml</w:t></w:r></w:p>",
    "<a href=\"file:///etc/passwd\">file</a>",
    "<para><seq id='x'/> <onDraw name=x/></para>",
    "%s %d %(title)s \\n \\\\",
    "\u202eevil override\u202c and zero\u200bwidth",
]
LONG_WORD = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 3
LONG_URL = "https://example.org/" + "very-long-path-segment/" * 8 + "?q=" + "x" * 40


def _brief(tmp_path, name="scripts"):
    data = {
        "title": "Pakistan and Russia — پاکستان اور روس",
        "summary": "The Urdu press calls it «نئی شراکت»; " + SCRIPTS["russian"],
        "key_points": [URDU, SCRIPTS["greek"], "Mixed: **Islamabad** (اسلام آباد) and "
                                               "*Moscow* (ماسکو)."],
        "context": URDU_CONTEXT + "\n\n" + SCRIPTS["latin"],
        "source": {"title": "روس اور پاکستان", "author": "ذیشان حیات",
                   "url": LONG_URL},
        "challenges": [{"title": "Long words and links", "summary":
                        f"A word {LONG_WORD} and a link {LONG_URL} end here."}],
        "recommendations": [{"title": "مشترکہ ورکنگ گروپ", "summary": URDU,
                             "owner": "russia.central-asia.directorate@mofa.gov.pk",
                             "timeframe": "0-6 months"},
                            {"title": "Hostile text", "summary": " | ".join(
                                h.replace("\\", "\\\\").replace("*", "\\*") for h in HOSTILE),
                             "owner": LONG_WORD}],
    }
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scripts")
    brief = _brief(folder)
    result = CliRunner().invoke(main, ["build", str(brief), "-l", "full", "-o", str(folder)])
    assert result.exit_code == 0, result.output
    return folder / "scripts.full.pdf", folder / "scripts.full.docx", result.output


def test_cyrillic_greek_latin_text_comes_back(built):
    text = squash(" ".join(pdf_pages_text(built[0])))
    for s in SCRIPTS.values():
        assert squash(s) in text, s


def test_urdu_is_set_in_the_arabic_font_and_shaped(built):
    fonts = subprocess.run([need_tool("pdffonts"), str(built[0])], capture_output=True,
                           text=True).stdout
    assert re.search(r"\+NotoNaskhArabic-Regular\s+TrueType.*yes yes", fonts)
    # Shaped text is drawn with the contextual letter forms (initial, medial, final): one
    # letter, several glyphs, each mapped to that letter in the ToUnicode map (so that
    # search and copy get the letter); unshaped text would draw one glyph per letter.
    import pikepdf

    glyphs: dict[str, set[bytes]] = {}
    with pikepdf.open(built[0]) as pdf:
        for page in pdf.pages:
            maps, current = {}, None
            for name, font in page.Resources.Font.items():
                if "Naskh" in str(font.BaseFont) and "/ToUnicode" in font:
                    data = font.ToUnicode.read_bytes().decode("latin-1")
                    maps[name] = {bytes.fromhex(code): bytes.fromhex(text).decode("utf-16-be")
                                  for code, text in re.findall(
                                      r"<([0-9A-F]{2})> <((?:[0-9A-F]{4})+)>", data)}
            for operands, op in pikepdf.parse_content_stream(page):
                if str(op) == "Tf":
                    current = maps.get(str(operands[0]))
                elif str(op) in ("Tj", "TJ") and current is not None:
                    parts = operands[0] if str(op) == "TJ" else [operands[0]]
                    for part in parts:
                        if isinstance(part, pikepdf.String):
                            for b in bytes(part):
                                letter = current.get(bytes([b]), "")
                                if len(letter) == 1 and "\u0621" <= letter <= "\u06ff":
                                    glyphs.setdefault(letter, set()).add(bytes([b]))
    forms = {letter for letter, codes in glyphs.items() if len(codes) > 1}
    assert len(forms) >= 8, f"Arabic letters were not shaped: {glyphs}"
    # and no map gives a presentation form
    text = "".join(page.extract_text() for page in pypdf.PdfReader(built[0]).pages)
    assert not [ch for ch in text if 0xFB50 <= ord(ch) <= 0xFEFF]


def _word_boxes(pdf, page=1):
    out = subprocess.run([need_tool("pdftotext"), "-f", str(page), "-l", str(page), "-bbox",
                          str(pdf), "-"], capture_output=True, text=True).stdout
    page_w = float(re.search(r'<page width="([\d.]+)"', out).group(1))
    words = [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
        out)]
    return page_w, words


def test_urdu_paragraph_runs_from_the_right_with_ink(built, tmp_path):
    pdf = built[0]
    page_w, words = _word_boxes(pdf)
    right_margin = page_w - 62.4
    arabic = [w for w in words if re.search("[\u0600-\u06ff\ufb50-\ufeff]", w[4])]
    assert arabic, "no Arabic words drawn"
    # The right-to-left context paragraph ends at the right margin.
    assert max(w[2] for w in arabic) == pytest.approx(right_margin, abs=2.5)
    # And there is ink where the text is.
    from PIL import Image

    subprocess.run([need_tool("pdftoppm"), "-r", "72", "-f", "1", "-l", "1", "-png",
                    "-singlefile", str(pdf), str(tmp_path / "page")], check=True)
    image = Image.open(tmp_path / "page.png").convert("L")
    x0, y0, x1, y1, _ = max(arabic, key=lambda w: w[2] - w[0])
    crop = image.crop((int(x0), int(y0), int(x1) + 1, int(y1) + 1))
    dark = sum(crop.histogram()[:128])
    assert dark > 0.05 * crop.size[0] * crop.size[1]


def test_docx_marks_right_to_left_and_complex_script(built):
    d = docx.Document(str(built[1]))
    rtl_paragraphs = [p for p in d.paragraphs if p._p.xpath("./w:pPr/w:bidi")]
    assert any(URDU_CONTEXT[:20] in p.text for p in rtl_paragraphs)
    assert any(URDU[:20] in p.text for p in rtl_paragraphs), "the Urdu key point"
    latin = next(p for p in d.paragraphs if p.text.startswith("Café"))
    assert not latin._p.xpath("./w:pPr/w:bidi")
    arabic_runs = [r for p in d.paragraphs for r in p.runs if "پاکستان" in r.text]
    assert arabic_runs
    for r in arabic_runs:
        rpr = r._r.rPr
        assert rpr.find(qn("w:rtl")) is not None and rpr.find(qn("w:cs")) is not None
        assert rpr.find(qn("w:rFonts")).get(qn("w:cs")) == "Noto Naskh Arabic"
    mixed = next(p for p in d.paragraphs if p.text.startswith("Mixed:"))
    bold = [r for r in mixed.runs if r.bold]
    assert bold and all(r._r.rPr.find(qn("w:bCs")) is not None for r in bold)
    title_runs = d.paragraphs[0].runs
    assert [r.text for r in title_runs if r._r.rPr is not None and
            r._r.rPr.find(qn("w:rtl")) is not None] == \
        ["پاکستان اور روس"]


def test_hostile_text_is_printed_as_typed(built):
    raw = subprocess.run([need_tool("pdftotext"), "-raw", str(built[0]), "-"],
                         capture_output=True, text=True).stdout
    pdf_text = squash(raw)
    d = docx.Document(str(built[1]))
    docx_text = " ".join(c.text for t in d.tables for c in t._cells)
    for h in HOSTILE:
        visible = h.replace("\u202e", "").replace("\u202c", "").replace("\u200b", "")
        assert h in docx_text, h
        if "\u202e" not in h:
            assert squash(visible) in pdf_text, h
    links = [rel.target_ref for rel in d.part.rels.values() if "hyperlink" in rel.reltype]
    assert all(not link.startswith("file:") for link in links)


def test_nothing_runs_off_the_page(built, tmp_path):
    pdf, docx_path, _ = built
    lo = libreoffice_pdf([docx_path], tmp_path)[0]
    for path in (pdf, lo):
        pages = len(pdf_pages_text(path))
        for page in range(1, pages + 1):
            page_w, words = _word_boxes(path, page)
            for x0, _, x1, _, word in words:
                assert x0 >= 40 and x1 <= page_w - 40, (path.name, page, word, x1)


def test_characters_no_font_has_are_one_warning(tmp_path):
    brief = tmp_path / "emoji.yaml"
    brief.write_text("title: Trade in ₹ and ₽ 👍\nsummary: \"Flags 🇵🇰 and 中文 and a\\ttab.\"\n"
                     "source: {title: s}\nchallenges: [{title: c, summary: \"ok 👍\"}]\n",
                     encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(brief), "-l", "one-page", "-o",
                                       str(tmp_path)])
    assert result.exit_code == 0, result.output
    warnings = [l for l in result.output.splitlines() if "warning:" in l]
    assert len(warnings) == 1
    assert "👍 (U+1F44D)" in warnings[0] and "中 (U+4E2D)" in warnings[0]
    assert "₹" not in warnings[0] and "₽" not in warnings[0], "DejaVu Sans has these"
    text = " ".join(pdf_pages_text(tmp_path / "emoji.one-page.pdf"))
    assert "₹" in text and "₽" in text
    # validate gives the same warning, with or without --json, and --strict fails on it
    checked = CliRunner().invoke(main, ["validate", str(brief)])
    fonts = [line for line in checked.stderr.splitlines() if "no font" in line]
    assert checked.exit_code == 0 and fonts == warnings
    as_json = CliRunner().invoke(main, ["validate", "--json", str(brief)])
    assert warnings[0].split(": warning: ", 1)[1] in [
        d["message"] for d in json.loads(as_json.stdout)[0]["diagnostics"]]
    for extra in ([], ["--json"]):
        assert CliRunner().invoke(main, ["validate", "--strict", *extra, str(brief)]
                                  ).exit_code == 1


def test_common_characters_are_in_every_text_font():
    """validate skips the font look-up for briefs of COMMON_CHARACTERS only: every text
    font of the built-in templates must have them all."""
    from reportlab.pdfbase import pdfmetrics

    from briefgen.pdf_fonts import font_name
    from briefgen.scripts import COMMON_CHARACTERS
    from briefgen.templates import list_builtin, load_template

    for name, _ in list_builtin():
        t = load_template(name)
        for style in t.styles.values():
            for bold, italic in ((False, False), (True, False), (False, True), (True, True)):
                face = pdfmetrics.getFont(font_name(t.font_for(style), bold, italic)).face
                lacking = [c for c in COMMON_CHARACTERS
                           if c not in "\t\n\r" and ord(c) not in face.charToGlyph]
                assert not lacking, (name, style.name, bold, italic, lacking)


def test_word_order_right_to_left(tmp_path):
    """A mostly-Urdu paragraph reads from the right; an Urdu stretch inside an English
    paragraph reads from the right within the line (measured by word positions)."""
    long_word = "پاکستانیوںپاکستانیوں"
    brief = tmp_path / "order.yaml"
    brief.write_text(yaml.safe_dump({
        "title": "Order", "summary": f"{long_word} ا ا ا",
        "source": {"title": "t"},
        "challenges": [{"title": "c", "summary": f"English first then {long_word} ا ا and "
                                                 "English last", "priority": "high"}]},
        allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(brief), "-l", "full", "-f", "pdf", "-o",
                                       str(tmp_path)])
    assert result.exit_code == 0, result.output
    _, words = _word_boxes(tmp_path / "order.full.pdf")
    long_boxes = [w for w in words if len(w[4]) >= 15 and has_arabic_text(w[4])]
    assert long_boxes, words
    alefs = [w for w in words if w[4].strip() == "ا"]
    summary_long, body_long = sorted(long_boxes, key=lambda w: w[1])
    summary_alefs = [a for a in alefs if abs(a[1] - summary_long[1]) < 6]
    body_alefs = [a for a in alefs if abs(a[1] - body_long[1]) < 6]
    assert all(a[2] <= summary_long[0] for a in summary_alefs), "first word at the right"
    assert all(a[2] <= body_long[0] for a in body_alefs), "the stretch reads from the right"
    english = [w for w in words if abs(w[1] - body_long[1]) < 6 and w[4] in ("first", "last")]
    first, last = sorted(english, key=lambda w: w[4])
    assert first[2] < body_long[0] and last[0] > body_long[2], "English stays left to right"


def has_arabic_text(text: str) -> bool:
    return bool(re.search("[\u0600-\u06ff\ufb50-\ufeff]", text))


def test_missing_glyph_warning_points_at_the_character(tmp_path):
    """The warning for a character no font has is located at its first place in the brief
    (here the subtitle, line 17), in validate and build alike."""
    from conftest import EXAMPLE, copy_example

    text = EXAMPLE.read_text(encoding="utf-8")
    line = next(n for n, l in enumerate(text.splitlines(), 1) if l.startswith("subtitle: "))
    brief = copy_example(tmp_path / "emoji.yaml",
                         text.replace("subtitle: ", "subtitle: 🚀 ", 1))
    checked = CliRunner().invoke(main, ["validate", str(brief)])
    assert f"{brief}:{line}:11: warning: no font briefgen ships has 🚀" in checked.stderr
    built = CliRunner().invoke(main, ["build", str(brief), "-l", "one-page", "-f", "pdf",
                                      "-o", str(tmp_path / "out")])
    assert f"{brief}:{line}:11: warning: no font briefgen ships has 🚀" in built.stderr


def test_missing_glyph_warning_sees_escaped_characters(tmp_path):
    """A brief file of common characters alone needs no look at the fonts, unless it
    writes a character by a YAML escape: then the built text is checked."""
    from conftest import EXAMPLE, copy_example

    text = EXAMPLE.read_text(encoding="utf-8")
    old = "subtitle: Opportunities, challenges and recommendations"
    assert old in text
    brief = copy_example(tmp_path / "escaped.yaml", text.replace(
        old, 'subtitle: "\\U0001F680 Opportunities, challenges and recommendations"', 1))
    assert "\\U0001F680" in brief.read_text(encoding="utf-8")  # the file stays ASCII there
    built = CliRunner().invoke(main, ["build", str(brief), "-l", "one-page", "-f", "pdf",
                                      "-o", str(tmp_path / "out")])
    assert built.exit_code == 0, built.output
    assert "warning: no font briefgen ships has 🚀" in built.stderr


def test_common_characters_need_no_font_maps(tmp_path, monkeypatch):
    """The example (Latin-1, dashes, quotes) is built without reading any font's map for
    the glyph check, and without a full-length build for it."""
    from conftest import EXAMPLE
    from briefgen import coverage

    read = []
    monkeypatch.setattr(coverage, "_read_cmap", lambda data: read.append(1) or frozenset())
    monkeypatch.setattr(coverage, "_CHARSETS", {})
    built = CliRunner().invoke(main, ["build", str(EXAMPLE), "-l", "one-page", "-f", "pdf",
                                      "-o", str(tmp_path / "out")])
    assert built.exit_code == 0, built.output
    assert read == [] and "no font briefgen ships" not in built.stderr
