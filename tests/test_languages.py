"""Briefs in the reader's language: an Urdu and a Russian brief (the example translated,
made larger, with every field) built with every template at every length. The tests read
what a reader gets: the labels and dates in the PDF's text, the direction from where the
glyphs stand (an Urdu line ends at the right margin), the DOCX laid out by LibreOffice
on a machine that has none of briefgen's fonts (only the ones the DOCX carries), and the
marks that make Word run the page from the right."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml

from briefgen import api
from briefgen.docx_fonts import obfuscate
from briefgen.fit import fit
from briefgen.labels import builtin, format_date
from briefgen.load import load
from briefgen.pdf_fonts import missing_characters
from briefgen.plan import length_for
from briefgen.render_docx import render_docx
from briefgen.render_pdf import layout
from briefgen.templates import load_template
from conftest import ARTICLE, LENGTHS, ROOT, TEMPLATES, need_tool, squash

URDU = ROOT / "inputs" / "islamabad-moscow.ur.yaml"
RUSSIAN = ROOT / "tests" / "fixtures" / "languages" / "islamabad-moscow.ru.yaml"
EXTRA = {  # one sentence per language for the `short:` of the first items
    "ur": "مختصر: یہ نکتہ پورے بریف کی بنیاد ہے۔",
    "ru": "Кратко: этот пункт лежит в основе всей записки.",
}
_MARKS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f]")


def larger(path: Path, folder: Path, lang: str) -> Path:
    """The brief with every field the format has (a URL, `short:`, an evidence page) and
    more items than the example: the last two items of each list again, as new items."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["source"]["text"] = str(ARTICLE)
    data["source"]["url"] = "https://example.org/pakistan-russia?lang=" + lang
    for section in ("opportunities", "challenges", "recommendations"):
        items = data[section]
        items[0]["short"] = EXTRA[lang]
        items[0]["evidence"][0]["page"] = 1
        for item in [dict(i) for i in items[-2:]]:
            item["id"] = item["id"] + "-ii"
            item["title"] = item["title"] + " II"
            if "addresses" in item:
                item["addresses"] = [a for a in item["addresses"]]
            items.append(item)
    out = folder / f"{lang}.yaml"
    out.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def briefs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("languages")
    return {lang: load(larger(path, folder, lang)) for lang, path in
            (("ur", URDU), ("ru", RUSSIAN))}


@pytest.fixture(scope="module")
def built(briefs, tmp_path_factory):
    """(lang, template, length) -> (fitted, pdf path, docx path)."""
    folder = tmp_path_factory.mktemp("built")
    out = {}
    for lang, brief in briefs.items():
        for tname in TEMPLATES:
            template = load_template(tname)
            for name, pages in LENGTHS:
                length = length_for(name, pages)
                f = fit(brief, length, template)
                stem = f"{lang}-{tname}-{length.name}"
                pdf, docx = folder / f"{stem}.pdf", folder / f"{stem}.docx"
                pdf.write_bytes(layout(f.document, template).pdf)
                docx.write_bytes(render_docx(f.document, template))
                out[(lang, tname, length.name)] = (f, pdf, docx)
    return out


def page_texts(path: Path) -> list[str]:
    tool = need_tool("pdftotext")
    text = subprocess.run([tool, str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return [squash(_MARKS.sub("", p).replace("\u00a0", " ")) for p in text.split("\f")[:-1]]


def test_the_briefs_are_larger_than_the_example_and_use_every_field(briefs):
    example = load(ROOT / "inputs" / "islamabad-moscow.yaml")
    for brief in briefs.values():
        assert len(brief.items) > len(example.items)
        assert brief.subtitle and brief.key_points and brief.context and brief.source.url
        assert brief.prepared.for_ and brief.prepared.by and brief.prepared.classification
        assert any(i.short for i in brief.items) and any(e.page for i in brief.items
                                                            for e in i.evidence)
        assert any(i.owner and i.timeframe and i.addresses for i in brief.recommendations)


_LETTERS = re.compile("[\u0621-\u065F\u0670-\u06D3\u06D5-\u06FF]+|[0-9]+")


def has(text: str, phrase: str, lang: str) -> bool:
    """Whether a page's text holds a phrase: as it is, or for Urdu word by word (poppler
    gives the words of a line that mixes directions in an order of its own)."""
    if lang != "ur":
        return phrase in text
    return set(_LETTERS.findall(phrase)) <= set(_LETTERS.findall(text))


WORDS = {
    "ru": {"policy-brief": ["Главное", "Рекомендации"],
           "decision-memo": ["СЛУЖЕБНАЯ ЗАПИСКА", "ГЛАВНОЕ", "КОМУ:", "ОТ КОГО:", "ДАТА:",
                             "ТЕМА:", "Одобрить", "Отклонить", "Обсудить"],
           "handout": ["Коротко", "Что мы предлагаем"]},
    "ur": {"policy-brief": ["خلاصہ", "سفارشات"],
           "decision-memo": ["یادداشت", "خلاصۂ کلام", "بنام:", "منجانب:", "تاریخ:",
                             "موضوع:", "منظور", "نامنظور"],
           "handout": ["ایک جملے میں", "ہماری گزارش"]},
}
PAGE = {"ru": "Стр. {n} из {total}", "ur": "صفحہ {n} از {total}"}
ENGLISH = ("Bottom line", "Key points", "Prepared", "priority", "Page 1", "version",
           "November", "MEMORANDUM", "Approve", "Source:")


@pytest.mark.parametrize("lang", ["ru", "ur"])
def test_labels_and_dates_in_the_language(built, briefs, lang):
    """Every label a template prints is in the brief's language, the date in CLDR's long
    form (27 ноября 2026 г.), "Page X of Y" too, and no English word of briefgen's."""
    labels = builtin(lang)
    date = format_date(briefs[lang].prepared.date, lang).replace("\u00a0", " ")
    assert date == {"ru": "27 ноября 2026 г.", "ur": "27 نومبر، 2026"}[lang]
    for (lg, tname, length), (f, pdf, _) in built.items():
        if lg != lang:
            continue
        pages = page_texts(pdf)
        text = " ".join(pages)
        for word in WORDS[lang][tname] + [date, labels["source"]]:
            assert has(text, word, lang), (tname, length, word)
        for n, page in enumerate(pages, 1):  # the footer of every page
            assert has(page, PAGE[lang].format(n=n, total=len(pages)), lang), (tname, length, n)
        for word in ENGLISH:
            assert word not in text, (tname, length, word)
        if length == "one-page":  # the shortened note and a one-liner's priority
            note = labels["lengths"]["one-page"]
            priority = labels["priority_note"].replace("{priority}\u00a0", "").replace(
                "\u00a0{priority}", "")
            assert has(text, note, lang) and has(text, priority, lang), tname


def test_russian_plural_forms(briefs):
    """'ещё 1 пункт', 'ещё 3 пункта', 'ещё 11 пунктов': CLDR's plural rules."""
    from briefgen.labels import labels_for

    labels = labels_for(load_template("policy-brief"), "ru")
    assert [labels.count("more_items", n) for n in (1, 3, 5, 11, 21, 22)] == [
        "ещё 1 пункт", "ещё 3 пункта", "ещё 5 пунктов", "ещё 11 пунктов", "ещё 21 пункт",
        "ещё 22 пункта"]
    assert labels.length("7-page") == "Версия на 7 страниц"


def _lines(pdf: Path) -> tuple[float, list[tuple[float, float, str]]]:
    """(page width, [(xMin, xMax, text)] of every printed line of page 1): poppler's words
    (-bbox) grouped by their baseline, as a reader sees the line (poppler's own lines cut
    a line that mixes directions into pieces)."""
    tool = need_tool("pdftotext")
    xml = subprocess.run([tool, "-bbox", "-f", "1", "-l", "1", str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    width = float(re.search(r'<page width="([\d.]+)"', xml).group(1))
    words = []
    for x0, y0, x1, y1, w in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" '
                                        r'xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', xml):
        if _LETTERS.search(w) or re.search(r"\w", w):  # not a lone diacritic or mark
            words.append(((float(y0) + float(y1)) / 2, float(x0), float(x1), w))
    rows: list[list] = []
    for word in sorted(words):
        if rows and abs(word[0] - rows[-1][0][0]) < 4:
            rows[-1].append(word)
        else:
            rows.append([word])
    lines = [(min(r[1] for r in row), max(r[2] for r in row), " ".join(r[3] for r in row))
             for row in rows]
    return width, lines


@pytest.mark.parametrize("tname", TEMPLATES)
def test_urdu_lines_start_at_the_right_margin(built, tname):
    """In the Urdu brief the lines run from the right: the text lines of page 1 end at the
    right margin (headings, paragraphs, the title, the bottom line) and list items at
    their indent from the right; in the Russian brief they start at the left margin."""
    template = load_template(tname)
    for lang in ("ur", "ru"):
        _, pdf, _ = built[(lang, tname, "two-page")]
        width, lines = _lines(pdf)
        body = [ln for ln in lines if not re.search(
            r"\d+\s*(از|زا|из)\s*\d+|غیر خفیہ|ہیفخ ریغ|НЕСЕКРЕТНО", ln[2])]
        left = template.margins["left"]
        right = width - template.margins["right"]
        # (a box or table cell starts within its padding, a list item within its indent;
        # centred lines, such as the memo's heading, are neither)
        body = [ln for ln in body if abs((ln[0] + ln[1]) / 2 - width / 2) > 3]
        half = left + (right - left) / 2  # the handout's side-by-side columns
        near_right = [ln for ln in body if right - 40 <= ln[1] <= right + 1 or
                      (template.columns and half - 40 <= ln[1] <= half + 1)]
        near_left = [ln for ln in body if left - 1 <= ln[0] <= left + 40]
        if lang == "ur":
            assert len(near_right) >= 0.9 * len(body), [ln for ln in body if ln not in near_right]
            assert len(near_left) < len(body) / 2
        else:
            assert len(near_left) >= 0.9 * len(body), [ln for ln in body if ln not in near_left]


def test_urdu_table_columns_and_box_rule_from_the_right(built, tmp_path):
    """The recommendations table's first column (#) is its rightmost, the priority its
    leftmost; the bottom line's rule is on the box's right side, at the right margin."""
    from PIL import Image

    _, pdf, _ = built[("ur", "policy-brief", "full")]
    tool = need_tool("pdftotext")
    xml = subprocess.run([tool, "-bbox", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    words: dict[str, float] = {}
    for x, w in re.findall(r'<word xMin="([\d.]+)"[^>]*>([^<]*)</word>', xml):
        words.setdefault(w, float(x))
        words.setdefault(w[::-1], float(x))  # poppler: right-to-left words in glyph order
    assert words["#"] > words["سفارش"] > words["ترجیح"]
    subprocess.run([need_tool("pdftoppm"), "-r", "72", "-f", "1", "-l", "1", "-png",
                    "-singlefile", str(pdf), str(tmp_path / "p1")], check=True)
    image = Image.open(tmp_path / "p1.png").convert("RGB")
    template = load_template("policy-brief")
    box = tuple(int(template.colors["box"][i:i + 2], 16) for i in (0, 2, 4))
    rule = tuple(int(template.colors["box_border"][i:i + 2], 16) for i in (0, 2, 4))
    row = next(y for y in range(image.height)
               if sum(image.getpixel((x, y)) == box for x in range(image.width)) > 200)
    y = row + 3
    ruled = [x for x in range(image.width)
             if sum(abs(a - b) for a, b in zip(image.getpixel((x, y)), rule)) < 60]
    right = image.width - template.margins["right"]
    assert ruled and all(abs(x - right) <= 3 for x in ruled), (ruled, right)


@pytest.mark.parametrize("lang", ["ur", "ru"])
def test_no_missing_glyph(briefs, lang):
    for tname in TEMPLATES:
        template = load_template(tname)
        f = fit(briefs[lang], length_for("full"), template)
        assert missing_characters(f.document, template) == []


def test_docx_runs_from_the_right(built):
    """The Urdu DOCX marks its section, every paragraph (header and footer too) and every
    table right-to-left; the Russian one marks none."""
    for lang, expected in (("ur", True), ("ru", False)):
        _, _, docx = built[(lang, "policy-brief", "full")]
        with zipfile.ZipFile(docx) as z:
            body = z.read("word/document.xml").decode()
            footers = [z.read(n).decode() for n in z.namelist() if "footer" in n and
                       n.endswith(".xml")]
        paragraphs = re.findall(r"<w:p[ >].*?</w:p>", body, re.S)
        marked = [p for p in paragraphs if "<w:bidi/>" in p]
        tables = body.count("<w:tbl>")
        # every run of Urdu, no-break spaces and page furniture too, is complex script
        for part in [body] + footers:
            for run in re.findall(r"<w:r>.*?</w:r>|<w:r .*?</w:r>", part, re.S):
                texts = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", run))
                if re.search("[\u0600-\u06FF]", texts):
                    assert "<w:rtl/>" in run and 'w:cs="Noto Naskh Arabic"' in run, run
        if expected:
            assert len(marked) == len(paragraphs) and tables
            assert body.count("<w:bidiVisual/>") == tables
            assert re.search(r"<w:sectPr[^>]*>.*<w:bidi/>.*</w:sectPr>", body, re.S)
            assert all("<w:bidi/>" in f for f in footers)
        else:
            assert not marked and "bidiVisual" not in body


def test_docx_carries_its_fonts(built):
    """The DOCX embeds the faces it uses, obfuscated as ECMA-376 says: each part, undone
    with its font key, is a font of the name the font table gives, subset to the
    document's characters; the settings ask Word to keep them."""
    from fontTools.ttLib import TTFont
    import io

    _, _, docx = built[("ur", "policy-brief", "full")]
    with zipfile.ZipFile(docx) as z:
        table = z.read("word/fontTable.xml").decode()
        rels = z.read("word/_rels/fontTable.xml.rels").decode()
        settings = z.read("word/settings.xml").decode()
        targets = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="([^"]+)"', rels) +
                       [(b, a) for a, b in re.findall(r'Target="([^"]+)"[^>]*Id="(rId\d+)"',
                                                      rels)])
        seen = {}
        for font in re.findall(r"<w:font .*?</w:font>", table, re.S):
            name = re.search(r'w:name="([^"]+)"', font).group(1)
            for kind, attrs in re.findall(r"<w:(embed\w+) ([^>]*)/>", font):
                rid = re.search(r'r:id="(rId\d+)"', attrs).group(1)
                key = re.search(r'w:fontKey="([^"]+)"', attrs).group(1)
                data = obfuscate(z.read("word/" + targets[rid]), key)  # XOR undoes itself
                face = TTFont(io.BytesIO(data))
                seen[(name, kind)] = face["name"].getDebugName(1)
                whole = TTFont(ROOT / "briefgen" / "fonts" / (
                    "NotoNaskhArabic-Regular.ttf" if "Naskh" in name
                    else "LiberationSans-Regular.ttf"))
                assert len(face.getGlyphOrder()) < len(whole.getGlyphOrder())  # a subset
                cmap = face.getBestCmap()
                assert all(ord(c) in cmap for c in "АЯаяΑΩ№€" if "Naskh" not in name)
    assert "<w:embedTrueTypeFonts/>" in settings and "<w:saveSubsetFonts/>" in settings
    assert seen[("Noto Naskh Arabic", "embedRegular")] == "Noto Naskh Arabic"
    assert seen[("Noto Naskh Arabic", "embedBold")] == "Noto Naskh Arabic"
    assert seen[("Arial", "embedRegular")] == "Liberation Sans"


FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>{dir}</dir><cachedir>{cache}</cachedir></fontconfig>
"""


@pytest.fixture(scope="module")
def without_our_fonts(built, tmp_path_factory):
    """Every DOCX laid out by LibreOffice with a font set-up that has none of briefgen's
    faces (one unrelated font, as LibreOffice needs one to start): only what each DOCX
    carries can give it its faces."""
    soffice = need_tool("soffice")
    folder = tmp_path_factory.mktemp("nofonts")
    fonts = folder / "fonts"
    fonts.mkdir()
    other = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
    if not other.is_file():
        pytest.skip("no unrelated font to start LibreOffice with")
    (fonts / other.name).write_bytes(other.read_bytes())
    conf = folder / "fonts.conf"
    conf.write_text(FONTS_CONF.format(dir=fonts, cache=folder / "cache"))
    keys = list(built)
    out = folder / "out"
    import os
    import shutil
    import uuid

    profile = Path("/tmp") / f"lo-briefgen-{uuid.uuid4().hex}"
    env = dict(os.environ, FONTCONFIG_FILE=str(conf))
    try:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(out),
                        *[str(built[k][2]) for k in keys]],
                       check=True, capture_output=True, timeout=600, env=env)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    listed = subprocess.run(["fc-list"], capture_output=True, text=True, env=env).stdout \
        if shutil.which("fc-list") else ""
    assert "Liberation" not in listed and "Naskh" not in listed
    return {k: out / f"{built[k][2].stem}.pdf" for k in keys}


def _start(page: str) -> set[str]:
    """The first words of a page's body (after the marking), as a set: LibreOffice and
    poppler may give right-to-left words in another order."""
    words = page.split()
    return set(words[3:9])


def test_docx_pages_start_where_the_pdfs_do_without_our_fonts(built, without_our_fonts):
    """LibreOffice, with none of briefgen's fonts installed, lays out every DOCX (Urdu and
    Russian, every template and length) in the PDF's page count, each page starting with
    the PDF's words, and its PDF names the faces the DOCX carries."""
    problems = []
    for key, theirs_pdf in without_our_fonts.items():
        ours = page_texts(built[key][1])
        theirs = page_texts(theirs_pdf)
        if len(ours) != len(theirs):
            problems.append(f"{key}: PDF {len(ours)} pages, DOCX {len(theirs)}")
            continue
        for n, (a, b) in enumerate(zip(ours, theirs), 1):
            if n > 1 and len(_start(a) & _start(b)) < 3:
                problems.append(f"{key} page {n}: {a[:80]!r} / {b[:80]!r}")
    assert not problems, "\n".join(problems)
    fonts = subprocess.run([need_tool("pdffonts"), str(without_our_fonts[
        ("ur", "policy-brief", "full")])], capture_output=True, text=True).stdout
    assert "NotoNaskhArabic" in fonts and "LiberationSans" in fonts


def test_mixed_direction_text_is_ordered_by_the_bidi_algorithm(tmp_path):
    """'МИД / وزارت خارجہ' in a Russian paragraph: МИД, the slash, then the Urdu phrase
    read from the right (وزارت right of خارجہ); bidi marks print nothing; a zero-width
    space is where a long word breaks, and no space is added there."""
    long_a, long_b = "а" * 25, "б" * 25
    text = (f"lang: ru\ntitle: Тест\nsummary: Министерство иностранных дел (МИД / وزارت "
            f"خارجہ) и\u200e\u200f зна\u2060ки.\n"
            f"source: {{title: Источник}}\nkey_points: [\"{long_a * 2}\u200b{long_b * 2}\"]\n"
            f"recommendations: [{{title: Рекомендация, summary: Текст.}}]\n")
    path = tmp_path / "mixed.yaml"
    path.write_text(text, encoding="utf-8")
    result = api.render(api.load(path), "pdf", length="full")
    pdf = tmp_path / "mixed.pdf"
    pdf.write_bytes(result.data)
    tool = need_tool("pdftotext")
    xml = subprocess.run([tool, "-bbox", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    words = [(float(x), w) for x, w in re.findall(r'<word xMin="([\d.]+)"[^>]*>([^<]*)</word>',
                                                   xml)]
    x = {w.strip("()"): pos for pos, w in words}
    x.update({w.strip("()")[::-1]: pos for pos, w in words})  # poppler: right-to-left words in glyph order
    assert x["МИД"] < x["/"] < min(x["خارجہ"], x["وزارت"])
    assert x["وزارت"] > x["خارجہ"]  # read from the right
    plain = subprocess.run([tool, str(pdf), "-"], capture_output=True, text=True).stdout
    assert "\u200e" not in plain and "\u200f" not in plain and "знаки" in plain
    lines = [ln.strip() for ln in plain.splitlines() if "аа" in ln or "бб" in ln]
    assert lines[0].replace("\u200b", "").endswith("а") and \
        lines[1].replace("\u200b", "").startswith("б"), lines


def test_language_without_labels_is_a_located_warning(tmp_path):
    from click.testing import CliRunner

    from briefgen.cli import main

    path = tmp_path / "sw.yaml"
    path.write_text("title: Jaribio\nlang: sw-KE\nsummary: Muhtasari.\nsource: {title: Chanzo}\n"
                    "recommendations: [{title: Pendekezo, summary: Maandishi.}]\n",
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(path), "-f", "pdf", "-o",
                                       str(tmp_path / "o")])
    assert result.exit_code == 0
    assert f"{path}:2:7: warning: lang: briefgen has no labels in 'sw-KE'" in result.output
    text = " ".join(page_texts(tmp_path / "o" / "sw.two-page.pdf"))
    assert "Bottom line" in text and "Page 1 of 1" in text


def test_a_template_sets_labels_per_language(tmp_path):
    """`labels: {ru: {...}}` changes the Russian words; an unknown label there is an error at
    its line with a 'did you mean'."""
    from briefgen.errors import BriefError

    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "template.yaml").write_text(
        "parent: policy-brief\nlabels:\n  bottom_line: The gist\n  ru:\n    bottom_line: Суть\n",
        encoding="utf-8")
    brief = api.load(RUSSIAN)
    pdf = tmp_path / "ru.pdf"
    pdf.write_bytes(api.render(brief, "pdf", length="one-page", template=str(folder)).data)
    text = " ".join(page_texts(pdf))
    assert "Суть" in text and "The gist" not in text
    (folder / "template.yaml").write_text(
        "parent: policy-brief\nlabels:\n  ru:\n    botom_line: Суть\n", encoding="utf-8")
    load_template.cache_clear()
    with pytest.raises(BriefError) as err:
        load_template(str(folder))
    message = err.value.diagnostics[0].format()
    assert "template.yaml:4:5:" in message and "did you mean 'bottom_line'" in message


def test_persian_numbers_and_joiners(tmp_path):
    """A Persian brief: a number in Persian digits reads left to right inside the
    right-to-left line (۱۴۰۵, not ۵۰۴۱), as do European digits; a word with a zero-width
    non-joiner (توصیه‌ها) stays one word."""
    path = tmp_path / "fa.yaml"
    path.write_text("lang: fa\ntitle: آزمون ۱۴۰۵ و 2026\nsummary: در سال ۱۴۰۵ (۲۰۲۶) "
                    "همکاری ۳۵٪ رشد کرد.\nsource: {title: منبع}\n"
                    "recommendations: [{title: توصیه, summary: متن ۱۲۳ است.}]\n",
                    encoding="utf-8")
    pdf = tmp_path / "fa.pdf"
    pdf.write_bytes(api.render(api.load(path), "pdf", length="full").data)
    text = " ".join(page_texts(pdf))
    assert "۱۴۰۵" in text and "۵۰۴۱" not in text and "۲۰۲۶" in text and "۱۲۳" in text
    assert "توصیه\u200cها" in text  # the heading, whole


def test_font_coverage_read_without_the_pdf_engine_is_reportlabs():
    """validate reads the fonts' character maps itself (no PDF engine loaded, a few ms for
    a brief in any script): the same characters reportlab finds in every shipped face."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    from briefgen.coverage import _read_cmap

    for path in sorted((ROOT / "briefgen" / "fonts").glob("*.ttf")):
        ours = _read_cmap(path.read_bytes())
        theirs = {c for c, g in TTFontFile(str(path)).charToGlyph.items() if g}
        assert ours == theirs, path.name
