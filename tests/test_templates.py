"""Templates are data: the three built-ins, user templates that inherit, placeholders,
located template errors, a logo, and a Word reference.docx."""

from __future__ import annotations

import re
import textwrap

import docx
import pypdf
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn

from briefgen.cli import main
from briefgen.errors import BriefError
from briefgen.templates import load_template
from conftest import EXAMPLE, pdf_pages_text, squash


def build(args, tmp_path):
    result = CliRunner().invoke(main, ["build", str(EXAMPLE), "-o", str(tmp_path), "-q",
                                       *args])
    assert result.exit_code == 0, result.output
    return result


def write_template(folder, text: str):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "template.yaml").write_text(textwrap.dedent(text))
    return folder


def test_decision_memo(tmp_path):
    build(["-t", "decision-memo", "-l", "two-page"], tmp_path)
    stem = tmp_path / "islamabad-moscow.decision-memo.two-page"
    pdf, docx_path = f"{stem}.pdf", f"{stem}.docx"
    text = squash(" ".join(pdf_pages_text(pdf)))
    assert text.startswith("UNCLASSIFIED MEMORANDUM Two-page version. The full memo adds")
    assert "MEMORANDUM FOR: Office of the Foreign Secretary FROM: Regional " \
           "Affairs Desk DATE: 27 November 2026 SUBJECT: Pakistan and Russia" in text
    assert "BOTTOM LINE UP FRONT" in text
    decisions = text.count("Approve ______ Disapprove ______ Discuss ______")
    numbers = [int(n) for n in re.findall(r"(?:^| )(\d+)\. (?=[A-Z])", text)]
    assert decisions >= 2 and numbers[:5] == [1, 2, 3, 4, 5], numbers[:8]
    assert "Regional Affairs Desk UNCLASSIFIED Page 1 of 2" in squash(
        pdf_pages_text(pdf)[0])
    d = docx.Document(docx_path)
    assert d.styles["Normal"].font.name == "Times New Roman"
    assert [p.style.name for p in d.paragraphs].count("Decision") == decisions
    starts = [p._p.xpath("./w:pPr/w:numPr/w:numId/@w:val") for p in d.paragraphs
              if p.style.name == "List Number"]
    assert len(starts) >= 10, "numbered paragraphs are List Number paragraphs"
    fonts = {f.get_object()["/BaseFont"] for page in pypdf.PdfReader(
        pdf).pages for f in page["/Resources"]["/Font"].values()}
    assert all("LiberationSerif" in f for f in fonts), fonts


def test_handout(tmp_path):
    build(["-t", "handout", "-l", "one-page"], tmp_path)
    stem = tmp_path / "islamabad-moscow.handout.one-page"
    pdf, docx_path = f"{stem}.pdf", f"{stem}.docx"
    d = docx.Document(docx_path)
    boxes = [t for t in d.tables if t.style.name == "Bottom Line Box"]
    assert [b.cell(0, 0).paragraphs[0].text for b in boxes] == ["In one sentence"]
    columns = [t for t in d.tables if t.style.name == "Columns Table"]
    assert len(columns) == 1
    assert [c.text for c in columns[0].rows[0].cells] == ["Opportunities", "Challenges"]
    assert columns[0].rows[0]._tr.xpath("./w:trPr/w:tblHeader")
    assert d.styles["Normal"].font.size.pt == 12
    assert len(pypdf.PdfReader(pdf).pages) == 1


def test_handout_two_page_has_key_points_box(tmp_path):
    build(["-t", "handout", "-l", "two-page", "-f", "docx"], tmp_path)
    d = docx.Document(str(tmp_path / "islamabad-moscow.handout.two-page.docx"))
    box = next(t for t in d.tables if t.cell(0, 0).paragraphs[0].text == "Remember")
    bullets = box.cell(0, 0).paragraphs[1:]
    assert len(bullets) == 4 and all(p._p.xpath("./w:pPr/w:numPr") for p in bullets)
    body = d.element.body
    kinds = [c.tag.split("}")[1] for c in body]
    assert "tbltbl" not in "".join(kinds), "adjacent tables would merge in Word"


def test_templates_command_describes_resolved_settings():
    out = CliRunner().invoke(main, ["templates", "handout"]).output
    assert "# handout:" in out
    assert "parent: policy-brief" in out and "columns: true" in out
    assert "LiberationSans-Regular.ttf" in out, "inherited settings are shown"


def test_user_template_inherits_and_changes_one_colour(tmp_path):
    folder = write_template(tmp_path / "house", """\
        parent: policy-brief
        name: house
        colors:
          accent: "8B0000"
        header:
          left: "{prepared.for}"
          right: "{date}"
        labels:
          bottom_line: The short of it
        """)
    t = load_template(str(folder))
    assert t.styles["heading1"].color == "8B0000"
    assert t.styles["body"].size == load_template("policy-brief").styles["body"].size
    build(["-t", str(folder), "-l", "one-page"], tmp_path / "o")
    pdf = tmp_path / "o" / "islamabad-moscow.house.one-page.pdf"
    first = squash(pdf_pages_text(pdf)[0])
    assert first.startswith("Office of the Foreign Secretary UNCLASSIFIED 27 November 2026")
    assert "The short of it" in first
    d = docx.Document(str(pdf.with_suffix(".docx")))
    header = d.sections[0].header.paragraphs[0].text
    assert header == "Office of the Foreign Secretary\tUNCLASSIFIED\t27 November 2026"
    assert d.styles["Heading 1"].font.color.rgb == docx.shared.RGBColor.from_string("8B0000")


def test_template_errors_are_located_and_all_reported(tmp_path):
    folder = write_template(tmp_path / "bad", """\
        parent: policy-brief
        colours: {accent: "8B0000"}
        colors:
          accent: "reddish"
        header:
          left: "{prepared.secret}"
          right: "{title.__class__}"
        footer:
          center: "{page!r}"
        sections: [title, bottom_line, appendix]
        page:
          margin_top: 2 inches
        styles:
          heading1: {parent: nothing}
        recommendations: cards
        """)
    with pytest.raises(BriefError) as err:
        load_template(str(folder))
    found = {(d.line, d.column): d.format() for d in err.value.diagnostics}
    file = str(folder / "template.yaml")
    expected = {
        (2, 1): "unknown setting 'colours'",
        (4, 11): "expected a colour as six hex digits",
        (6, 9): "unknown placeholder '{prepared.secret}'",
        (7, 10): "unknown placeholder '{title.__class__}'",
        (9, 11): "placeholder '{page}' takes no format or conversion",
        (10, 32): "unknown section 'appendix'",
        (12, 15): "expected a length such as 12 or 20mm",
        (14, 22): "unknown parent style 'nothing'",
        (15, 18): "expected one of table, numbered, decisions",
    }
    for (line, col), text in expected.items():
        assert (line, col) in found, (line, col, text, sorted(found))
        assert found[(line, col)].startswith(f"{file}:{line}:{col}: error:")
        assert text in found[(line, col)]
    assert any("section 'source' is required" in m for m in found.values())
    assert len(found) == len(expected) + 1, "no follow-on errors"
    result = CliRunner().invoke(main, ["build", str(EXAMPLE), "-t", str(folder), "-o",
                                       str(tmp_path / "o")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{file}:6:9: error: header.left: unknown placeholder" in result.output
    assert not (tmp_path / "o").exists()


def test_template_yaml_syntax_and_circular_parents(tmp_path):
    a = write_template(tmp_path / "a", "parent: ../b\n")
    write_template(tmp_path / "b", "parent: ../a\n")
    with pytest.raises(BriefError) as err:
        load_template(str(a))
    assert "circle" in str(err.value)
    broken = write_template(tmp_path / "c", "parent: policy-brief\ncolors: [\n")
    with pytest.raises(BriefError) as err:
        load_template(str(broken))
    assert err.value.diagnostics[0].line == 3


def test_logo_with_alt_text(tmp_path):
    from PIL import Image

    folder = write_template(tmp_path / "logo", """\
        parent: handout
        logo: {file: crest.png, alt: Ministry of Foreign Affairs crest, width: 14mm,
               height: 14mm}
        """)
    Image.new("RGB", (64, 64), (11, 85, 99)).save(folder / "crest.png")
    build(["-t", str(folder), "-l", "one-page"], tmp_path / "o")
    pdf = pypdf.PdfReader(tmp_path / "o" / "islamabad-moscow.logo.one-page.pdf")
    assert pdf.pages[0].images, "the logo is drawn"
    d = docx.Document(str(tmp_path / "o" / "islamabad-moscow.logo.one-page.docx"))
    pictures = list(d.sections[0].header._element.iter(qn("wp:docPr")))
    assert [p.get("descr") for p in pictures] == ["Ministry of Foreign Affairs crest"]


def test_logo_without_alt_text_is_an_error(tmp_path):
    folder = write_template(tmp_path / "logo", "parent: handout\nlogo: {file: nope.png}\n")
    with pytest.raises(BriefError) as err:
        load_template(str(folder))
    messages = str(err.value)
    assert "logo file 'nope.png' not found" in messages


def _reference_docx(path):
    """A Word file with a house style: red Georgia headings, its own margins, a header with
    placeholders and a custom bullet."""
    d = docx.Document()
    d.styles["Heading 1"].font.color.rgb = docx.shared.RGBColor(0xC0, 0, 0)
    d.styles["Heading 1"].font.name = "Georgia"
    section = d.sections[0]
    section.left_margin = section.right_margin = docx.shared.Mm(30)
    section.header.paragraphs[0].text = "{title} | {classification}"
    section.footer.paragraphs[0].text = "Page {page} of {pages}"
    numbering = d.part.numbering_part.element
    bullet_num = d.styles["List Bullet"].element.xpath("./w:pPr/w:numPr/w:numId/@w:val")[0]
    num = next(n for n in numbering.iter(qn("w:num")) if n.get(qn("w:numId")) == bullet_num)
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = next(a for a in numbering.iter(qn("w:abstractNum"))
                    if a.get(qn("w:abstractNumId")) == abstract_id)
    abstract.find(qn("w:lvl")).find(qn("w:lvlText")).set(qn("w:val"), "➤")
    d.save(str(path))


def test_reference_docx_gives_the_word_styling(tmp_path):
    folder = write_template(tmp_path / "word", "parent: policy-brief\n")
    _reference_docx(folder / "reference.docx")
    result = CliRunner().invoke(main, ["build", str(EXAMPLE), "-t", str(folder), "-l",
                                       "two-page", "-o", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert "warning: islamabad-moscow.word.two-page.docx takes its styles" in result.output
    d = docx.Document(str(tmp_path / "o" / "islamabad-moscow.word.two-page.docx"))
    assert d.styles["Heading 1"].font.color.rgb == docx.shared.RGBColor(0xC0, 0, 0)
    assert d.styles["Heading 1"].font.name == "Georgia"
    assert round(d.sections[0].left_margin.mm) == 30
    header = d.sections[0].header.paragraphs[0].text
    assert header == "Pakistan and Russia: a partnership worth building | UNCLASSIFIED"
    footer = d.sections[0].footer.paragraphs[0]
    assert [t.text.strip() for t in footer._p.iter(qn("w:instrText"))] == ["PAGE", "NUMPAGES"]
    bullets = [p for p in d.paragraphs if p.style.name == "List Bullet"]
    assert bullets and not any(p._p.xpath("./w:pPr/w:ind") for p in bullets)
    num_id = d.styles["List Bullet"].element.xpath("./w:pPr/w:numPr/w:numId/@w:val")[0]
    numbering = d.part.numbering_part.element
    num = next(n for n in numbering.iter(qn("w:num")) if n.get(qn("w:numId")) == num_id)
    abstract = next(a for a in numbering.iter(qn("w:abstractNum")) if a.get(qn(
        "w:abstractNumId")) == num.find(qn("w:abstractNumId")).get(qn("w:val")))
    assert abstract.find(qn("w:lvl")).find(qn("w:lvlText")).get(qn("w:val")) == "➤"
    # The PDF keeps the template's own look and its budget.
    pdf = pypdf.PdfReader(tmp_path / "o" / "islamabad-moscow.word.two-page.pdf")
    assert len(pdf.pages) <= 2


@pytest.mark.parametrize("line, message", [
    ("fit: {reserve_lines: -1}", "expected a number of lines from 0 to 10"),
    ("page: {margin_left: 300mm}", "the side margins leave less than 2 inches"),
    ("page: {margin_left: -5mm}", "expected a length of 0 or more"),
    ("page: {margin_top: 500mm}", "the top and bottom margins leave less than 2 inches"),
    ("table: {widths: [1]}", "expected five positive numbers"),
    ("parent: house", "no template 'house'"),
])
def test_template_values_are_checked(tmp_path, line, message):
    folder = write_template(tmp_path / "bt", f"parent: policy-brief\n{line}\n"
                            if not line.startswith("parent") else line + "\n")
    result = CliRunner().invoke(main, ["build", str(EXAMPLE), "-t", str(folder), "-o",
                                       str(tmp_path / "o")])
    assert result.exit_code == 1, result.output
    assert f"{folder / 'template.yaml'}:" in result.output and message in result.output
    assert "internal error" not in result.output and not (tmp_path / "o").exists()


def test_one_error_for_a_bad_font_inherited_by_many_styles(tmp_path):
    folder = write_template(tmp_path / "bt", "parent: policy-brief\n"
                                             "styles: {body: {font: nosuch}}\n")
    with pytest.raises(BriefError) as err:
        load_template(str(folder))
    assert sum("unknown font 'nosuch'" in d.message for d in err.value.diagnostics) == 1
