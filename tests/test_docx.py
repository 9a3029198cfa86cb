"""The DOCX read back with python-docx: styles, header and footer, fields, properties,
tables, links and lists as Word shows them."""

from __future__ import annotations

import zipfile

import docx
from docx.oxml.ns import qn

from briefgen import doc


def _styles(document) -> list[str]:
    return [p.style.name for p in document.paragraphs]


def test_real_word_styles(example_full):
    d = docx.Document(str(example_full[2]))
    names = _styles(d)
    assert names[0] == "Title" and names[1] == "Subtitle"
    for name in ("Heading 1", "Heading 2", "List Bullet", "List Number", "Quote", "Brief Meta",
                 "Source Reference"):
        assert name in names, name
    headings = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    tree = [b.text for b in example_full[0].blocks if isinstance(b, doc.Heading)]
    assert headings == tree
    # Headings carry outline levels, so Word's navigation pane lists them.
    h1 = d.styles["Heading 1"].element
    assert h1.xpath("./w:pPr/w:outlineLvl/@w:val") == ["0"]
    assert d.styles["Heading 2"].paragraph_format.keep_with_next


def test_style_fonts_match_the_template(example_full, template):
    d = docx.Document(str(example_full[2]))
    normal = d.styles["Normal"]
    assert normal.font.name == "Arial"
    assert normal.font.size.pt == template.styles["body"].size
    assert normal.paragraph_format.line_spacing.pt == template.styles["body"].leading
    assert normal.paragraph_format.widow_control is True
    title = d.styles["Title"]
    assert title.font.size.pt == template.styles["title"].size and title.font.bold
    assert not title.element.xpath("./w:pPr/w:pBdr"), "default template's border is gone"
    assert "asciiTheme" not in d.styles.element.xml.split("<w:style ")[0]


def test_bottom_line_box_and_styles(example_full):
    d = docx.Document(str(example_full[2]))
    box = d.tables[0]
    assert box.style.name == "Bottom Line Box"
    cell_styles = [p.style.name for p in box.cell(0, 0).paragraphs]
    assert cell_styles[0] == "Bottom Line Label" and "Bottom Line" in cell_styles
    assert box.cell(0, 0).paragraphs[0].text == "Bottom line"


def test_header_footer_marking_and_page_fields(example_full):
    d = docx.Document(str(example_full[2]))
    section = d.sections[0]
    assert section.header.paragraphs[0].text.strip() == "UNCLASSIFIED"
    footer = section.footer.paragraphs[0]
    assert "UNCLASSIFIED" in footer.text and "Page" in footer.text
    instructions = [t.text.strip() for t in footer._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert round(section.page_width.pt) == 595 and round(section.page_height.pt) == 842


def test_core_properties(example_full):
    props = docx.Document(str(example_full[2])).core_properties
    assert props.title == "Pakistan and Russia: a partnership worth building"
    assert props.author == "Regional Affairs Desk"
    assert props.subject.startswith("A closer Pakistan-Russia")
    assert "afghanistan" in props.keywords
    assert props.language == "en"
    assert props.created.year == 2026 and props.created.month == 11


def test_recommendation_table(example_full, example_brief):
    d = docx.Document(str(example_full[2]))
    table = d.tables[1]
    assert table.style.name == "Recommendations Table"
    assert [c.text for c in table.rows[0].cells] == ["#", "Recommendation", "Owner",
                                                     "Timeframe", "Priority"]
    assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader"), "header row repeats"
    for row in table.rows:
        assert row._tr.xpath("./w:trPr/w:cantSplit"), "rows never split"
    assert len(table.rows) == 1 + len(example_brief.recommendations)
    assert table.rows[1].cells[2].text == example_brief.recommendations[0].owner


def test_numbered_lists_restart(example_full):
    d = docx.Document(str(example_full[2]))
    num_ids = []
    for p in d.paragraphs:
        if p.style.name == "List Number":
            num_ids.append(p._p.xpath("./w:pPr/w:numPr/w:numId/@w:val")[0])
    lists = list(dict.fromkeys(num_ids))
    assert len(lists) >= 3, "every evidence list is its own list"
    numbering = d.part.numbering_part.element
    for num_id in lists:
        num = next(n for n in numbering.iter(qn("w:num")) if n.get(qn("w:numId")) == num_id)
        assert num.xpath("./w:lvlOverride/w:startOverride/@w:val") == ["1"]


def test_hyperlinks_are_real(stress_full):
    d = docx.Document(str(stress_full[2]))
    links = [h for p in d.paragraphs for h in p._p.iter(qn("w:hyperlink"))]
    links += [h for t in d.tables for c in t._cells for p in c.paragraphs
              for h in p._p.iter(qn("w:hyperlink"))]
    targets = {d.part.rels[h.get(qn("r:id"))].target_ref for h in links}
    assert "https://example.org/report" in targets


def test_no_template_leftovers(example_full):
    names = zipfile.ZipFile(example_full[2]).namelist()
    assert not [n for n in names if "thumbnail" in n or n.startswith("customXml")]
    for info in zipfile.ZipFile(example_full[2]).infolist():
        assert info.date_time == (1980, 1, 1, 0, 0, 0)


def _part(path, name: str) -> str:
    return zipfile.ZipFile(path).read(name).decode("utf-8")


def _field_results(root) -> list[tuple[str, str]]:
    from test_reference_docx import field_results

    return field_results(root)


def test_package_facts_are_true(example_full):
    """app.xml names briefgen, the PDF's page count and the words; compatibility mode 15;
    no lastPrinted, no stylesWithEffects, no revision ids."""
    import re

    import briefgen
    from briefgen.docx_package import app_version

    path = example_full[2]
    app = _part(path, "docProps/app.xml")
    assert "<Application>briefgen</Application>" in app
    assert f"<AppVersion>{app_version()}</AppVersion>" in app
    assert re.fullmatch(r"\d\d\.\d{4}", app_version()) and briefgen.__version__ == "0.1.0"
    assert app_version() == "00.0100"
    assert f"<Pages>{example_full[3]}</Pages>" in app
    d = docx.Document(str(path))
    words = sum(len(p.text.split()) for p in d.paragraphs) + sum(
        len(p.text.split()) for t in d.tables for c in t._cells for p in c.paragraphs)
    stated = int(re.search(r"<Words>(\d+)</Words>", app).group(1))
    assert abs(stated - words) <= 5 and stated > 1000, (stated, words)
    assert "lastPrinted" not in _part(path, "docProps/core.xml")
    settings = _part(path, "word/settings.xml")
    assert re.search(r'w:name="compatibilityMode"[^>]*w:val="15"', settings)
    assert "w:rsids" not in settings
    names = zipfile.ZipFile(path).namelist()
    assert not [n for n in names if "stylesWithEffects" in n]
    assert "stylesWithEffects" not in _part(path, "[Content_Types].xml")
    fonts = re.findall(r'w:font w:name="([^"]+)"', _part(path, "word/fontTable.xml"))
    assert "Arial" in fonts and "Calibri" not in fonts and "Cambria" not in fonts


def test_page_fields_show_their_pages(matrix):
    """A reader that does not update fields still sees the right numbers on the first two
    pages: the first-page header and footer show page 1, the others page 2, and every
    NUMPAGES the page count of the PDF."""
    for key, out in matrix.items():
        d = docx.Document(str(out.docx))
        section = d.sections[0]
        assert section.different_first_page_header_footer == (out.pages >= 2), key
        variants = [(section.footer, 2 if out.pages >= 2 else 1)]
        if out.pages >= 2:
            variants.append((section.first_page_footer, 1))
        for part, page in variants:
            results = _field_results(part._element)
            assert ("PAGE", str(page)) in results and ("NUMPAGES", str(out.pages)) in results, \
                (key, results)
            assert all(v == (str(page) if k == "PAGE" else str(out.pages))
                       for k, v in results), (key, results)
