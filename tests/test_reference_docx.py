"""Reference files from the real world: a Word-saved reference with even, odd and first-page
headers, a logo and custom XML; pandoc's own reference.docx; one saved by LibreOffice;
python-docx's default. Each builds, is schema-valid, keeps its own styles and header and
footer content, gains what it lacks from briefgen's definitions (headings, bullets and
numbers), carries the marking at the top and the foot of every page as LibreOffice lays it
out, and takes nothing it does not use (images, custom XML) into the brief."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn
from PIL import Image

from briefgen.cli import main
from conftest import EXAMPLE, libreoffice_convert, need_tool, pdf_pages_text, squash
from test_docx_schema import audit_problems, order_problems

FIXTURES = Path(__file__).parent / "fixtures" / "reference"
MARKING = "UNCLASSIFIED"
ORG = "Ministry of Foreign Affairs"
TITLE = "Pakistan and Russia: a partnership worth building"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _picture(r_id: str, n: int) -> str:
    """An inline picture as Word writes it (2 cm square)."""
    return (f'<w:r><w:rPr><w:noProof/></w:rPr><w:drawing><wp:inline distT="0" distB="0" '
            f'distL="0" distR="0"><wp:extent cx="720000" cy="720000"/><wp:effectExtent '
            f'l="0" t="0" r="0" b="0"/><wp:docPr id="{n}" name="Picture {n}"/>'
            f'<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="{A}" noChangeAspect="1"/>'
            f'</wp:cNvGraphicFramePr><a:graphic xmlns:a="{A}"><a:graphicData uri="{PIC}">'
            f'<pic:pic xmlns:pic="{PIC}"><pic:nvPicPr><pic:cNvPr id="0" name="logo.png"/>'
            f'<pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="{r_id}"/>'
            f'<a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm>'
            f'<a:off x="0" y="0"/><a:ext cx="720000" cy="720000"/></a:xfrm><a:prstGeom '
            f'prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData>'
            f'</a:graphic></wp:inline></w:drawing></w:r>')


def _text(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def _page_field(shown: str) -> str:
    return (f'<w:fldSimple w:instr=" PAGE   \\* MERGEFORMAT "><w:r><w:rPr><w:noProof/></w:rPr>'
            f'<w:t>{shown}</w:t></w:r></w:fldSimple>')


def word_reference(path: Path) -> None:
    """Word's file, as an organisation would have it: a different first page (a logo and
    the organisation's name), the name on even pages, "{title}" on odd ones, footers with
    the place and a page number, an image in the body and a custom XML part."""
    source = zipfile.ZipFile(FIXTURES / "word-odd-even-first.docx")
    files = {i.filename: source.read(i.filename) for i in source.infolist()}
    png = io.BytesIO()
    Image.new("RGB", (32, 32), (11, 85, 99)).save(png, "PNG")
    files["word/media/image1.png"] = png.getvalue()
    files["word/media/image2.png"] = png.getvalue()[:-12] + b"\x00" * 12  # another image

    def fill(part: str, content: str) -> None:
        xml = files[part].decode()
        xml = re.sub(r"(<w:pStyle w:val=\"(Header|Footer)\"/></w:pPr>).*?(</w:p>)",
                     lambda m: m.group(1) + content + m.group(3), xml, count=1)
        files[part] = xml.encode()

    fill("word/header2.xml", _text(f"{ORG} | {{title}}"))            # default (odd)
    fill("word/header1.xml", _text(ORG))                              # even
    fill("word/header3.xml", _picture("rId1", 1) + _text(ORG.upper()))  # first
    fill("word/footer1.xml", _text("Islamabad, page ") + _page_field("7"))  # even
    fill("word/footer3.xml", _text("Distribution: Foreign Secretary"))    # first
    files["word/_rels/header3.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="'
        'http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
        f'Id="rId1" Type="{RELS}/image" Target="media/image1.png"/></Relationships>').encode()
    document = files["word/document.xml"].decode()
    document = document.replace("<w:t>First Page.</w:t></w:r>",
                                "<w:t>First Page.</w:t></w:r>" + _picture("rId90", 2))
    document = document.replace("<w:docGrid ", "<w:titlePg/><w:docGrid ")
    files["word/document.xml"] = document.encode()
    rels = files["word/_rels/document.xml.rels"].decode().replace(
        "</Relationships>",
        f'<Relationship Id="rId90" Type="{RELS}/image" Target="media/image2.png"/>'
        f'<Relationship Id="rId91" Type="{RELS}/customXml" Target="../customXml/item1.xml"/>'
        "</Relationships>")
    files["word/_rels/document.xml.rels"] = rels.encode()
    files["customXml/item1.xml"] = b'<?xml version="1.0"?><b:Sources xmlns:b="http://' \
        b'schemas.openxmlformats.org/officeDocument/2006/bibliography" SelectedStyle="" />'
    files["customXml/itemProps1.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<ds:datastoreItem '
        'ds:itemID="{7C2D1D2A-7F3B-4C1E-9E36-2B3C4D5E6F70}" xmlns:ds="http://schemas.'
        'openxmlformats.org/officeDocument/2006/customXml"><ds:schemaRefs><ds:schemaRef '
        'ds:uri="http://schemas.openxmlformats.org/officeDocument/2006/bibliography"/>'
        '</ds:schemaRefs></ds:datastoreItem>').encode()
    files["customXml/_rels/item1.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="'
        'http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
        f'Id="rId1" Type="{RELS}/customXmlProps" Target="itemProps1.xml"/></Relationships>'
    ).encode()
    types = files["[Content_Types].xml"].decode().replace(
        "<Default Extension=\"xml\"",
        '<Default Extension="png" ContentType="image/png"/><Default Extension="xml"').replace(
        "</Types>", '<Override PartName="/customXml/itemProps1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.customXmlProperties+xml"/></Types>')
    files["[Content_Types].xml"] = types.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in files.items():
            out.writestr(name, data)


@pytest.fixture(scope="module")
def references(tmp_path_factory):
    """Template folders, each with its reference.docx: Word's, pandoc's (made by pandoc),
    LibreOffice's (python-docx's default saved again by LibreOffice), python-docx's."""
    folder = tmp_path_factory.mktemp("refs")
    made = folder / "made"
    made.mkdir()
    plain = made / "python-docx.docx"
    docx.Document().save(str(plain))
    lo = libreoffice_convert([plain], folder / "lo", "docx")[0]
    pandoc = made / "pandoc.docx"
    subprocess.run([need_tool("pandoc"), "-o", str(pandoc), "--print-default-data-file",
                    "reference.docx"], check=True, capture_output=True, timeout=60)
    sources = {"python-docx": plain, "libreoffice": lo, "pandoc": pandoc}
    out = {}
    for name in ("word", "pandoc", "libreoffice", "python-docx"):
        template = folder / name
        template.mkdir()
        (template / "template.yaml").write_text(f"parent: policy-brief\nname: {name}\n")
        if name == "word":
            word_reference(template / "reference.docx")
        else:
            (template / "reference.docx").write_bytes(sources[name].read_bytes())
        out[name] = template
    return out


@pytest.fixture(scope="module")
def built(references, tmp_path_factory):
    """Each reference's brief at two pages and at full length, and LibreOffice's layout of
    every one of them (one soffice call)."""
    folder = tmp_path_factory.mktemp("built")
    outputs = {}
    for name, template in references.items():
        result = CliRunner().invoke(main, ["build", str(EXAMPLE), "-t", str(template), "-l",
                                           "two-page", "-l", "full", "-f", "docx", "-o",
                                           str(folder), "-q"])
        assert result.exit_code == 0, (name, result.output)
        assert "internal error" not in result.output
        for length in ("two-page", "full"):
            outputs[(name, length)] = folder / f"islamabad-moscow.{name}.{length}.docx"
    pdfs = libreoffice_convert(list(outputs.values()), folder / "lo", "pdf")
    return {key: (path, pdf) for (key, path), pdf in zip(outputs.items(), pdfs)}


def _parts(path: Path) -> list[str]:
    return zipfile.ZipFile(path).namelist()


@pytest.mark.parametrize("name", ["word", "pandoc", "libreoffice", "python-docx"])
def test_reference_builds_valid_files(built, name):
    for length in ("two-page", "full"):
        path = built[(name, length)][0]
        assert not order_problems(path)
        assert not audit_problems(path)
        assert not [p for p in _parts(path) if p.startswith(("customXml", "docProps/custom",
                                                             "docProps/thumbnail"))]


@pytest.mark.parametrize("name", ["word", "pandoc", "libreoffice", "python-docx"])
def test_reference_gets_the_styles_it_lacks(built, name):
    d = docx.Document(str(built[(name, "full")][0]))
    used = {p.style.name for p in d.paragraphs}
    for style in ("Title", "Heading 1", "Heading 2", "List Bullet", "List Number"):
        assert any(u.lower() == style.lower() for u in used), (name, style, used)
    numbering = d.part.numbering_part.element
    for style, fmt in (("List Bullet", "bullet"), ("List Number", "decimal")):
        element = next(s for s in d.styles.element.findall(qn("w:style"))
                       if s.xpath("./w:name/@w:val")[0].lower() == style.lower())
        num_id = element.xpath("./w:pPr/w:numPr/w:numId/@w:val")[0]
        num = next(n for n in numbering.findall(qn("w:num")) if n.get(qn("w:numId")) == num_id)
        abstract = next(a for a in numbering.findall(qn("w:abstractNum")) if a.get(
            qn("w:abstractNumId")) == num.find(qn("w:abstractNumId")).get(qn("w:val")))
        assert abstract.xpath("./w:lvl[@w:ilvl='0']/w:numFmt/@w:val", namespaces={
            "w": W}) == [fmt], (name, style)


@pytest.mark.parametrize("name", ["word", "pandoc", "libreoffice", "python-docx"])
def test_marking_at_the_top_and_foot_of_every_page(built, name):
    for length in ("two-page", "full"):
        pages = pdf_pages_text(built[(name, length)][1])
        assert len(pages) >= 2
        for n, text in enumerate(pages, 1):
            lines = [squash(line) for line in text.splitlines() if line.strip()]
            assert MARKING in lines[0] and MARKING in lines[-1], (name, length, n, lines[:2],
                                                                   lines[-2:])


def test_word_reference_keeps_its_headers_beside_the_marking(built):
    path = built[("word", "full")][0]
    d = docx.Document(str(path))
    section = d.sections[0]
    assert section.different_first_page_header_footer and \
        d.settings.odd_and_even_pages_header_footer
    variants = {"first": (section.first_page_header, section.first_page_footer, 1),
                "even": (section.even_page_header, section.even_page_footer, 2),
                "default": (section.header, section.footer, 3)}
    own = {"first": ORG.upper(), "even": ORG, "default": f"{ORG} | {TITLE}"}
    for variant, (header, footer, page) in variants.items():
        header_text = "\n".join(p.text for p in header.paragraphs)
        footer_text = "\n".join(p.text for p in footer.paragraphs)
        assert MARKING in header_text and MARKING in footer_text, variant
        assert own[variant] in header_text, (variant, header_text)
        assert header.paragraphs[0].text == MARKING, "the marking is the header's top line"
        assert footer.paragraphs[-1].text.strip().endswith(MARKING) or \
            MARKING in footer.paragraphs[-1].text, "and the footer's last"
        for part in (header, footer):
            for instruction, shown in field_results(part._element):
                assert shown == str(page if instruction == "PAGE" else app_pages(path)), \
                    (variant, instruction, shown)
    even_footer = "".join(t.text or "" for t in section.even_page_footer._element.iter(qn("w:t")))
    assert "Islamabad, page 2" in even_footer, "its own PAGE field, shown for page 2"
    assert "Distribution: Foreign Secretary" in section.first_page_footer.paragraphs[0].text
    # The logo of the first-page header stays; the body's picture and the custom XML go.
    pictures = list(section.first_page_header._element.iter(qn("a:blip")))
    assert len(pictures) == 1
    media = [p for p in _parts(path) if p.startswith("word/media/")]
    assert len(media) == 1, media


def test_word_reference_pages_in_libreoffice(built):
    pages = pdf_pages_text(built[("word", "full")][1])
    assert ORG.upper() in pages[0] and "Distribution: Foreign Secretary" in pages[0]
    assert ORG in pages[1] and ORG.upper() not in pages[1] and "Islamabad, page 2" in pages[1]
    assert f"{ORG} | {TITLE}" in squash(pages[2])
    for n, text in enumerate(pages[1:], 2):  # even pages: Word's footer; odd: ours
        assert (f"Islamabad, page {n}" if n % 2 == 0 else f"Page {n} of {len(pages)}") in \
            squash(text), n


def field_results(root) -> list[tuple[str, str]]:
    """(instruction name, shown result) of every field under root, in reading order."""
    found, stack = [], []
    for simple in root.iter(qn("w:fldSimple")):
        found.append((simple.get(qn("w:instr")).split()[0],
                      "".join(t.text or "" for t in simple.iter(qn("w:t")))))
    for el in root.iter(qn("w:fldChar"), qn("w:instrText"), qn("w:t")):
        if el.tag == qn("w:fldChar"):
            kind = el.get(qn("w:fldCharType"))
            if kind == "begin":
                stack.append(["", "", False])
            elif kind == "separate" and stack:
                stack[-1][2] = True
            elif kind == "end" and stack:
                instruction, shown, _ = stack.pop()
                found.append((instruction.split()[0], shown))
        elif stack and el.tag == qn("w:instrText") and not stack[-1][2]:
            stack[-1][0] += el.text or ""
        elif stack and el.tag == qn("w:t") and stack[-1][2]:
            stack[-1][1] += el.text or ""
    return found


def app_pages(path: Path) -> int:
    """The page count app.xml states."""
    app = zipfile.ZipFile(path).read("docProps/app.xml").decode()
    return int(re.search(r"<Pages>(\d+)</Pages>", app).group(1))
