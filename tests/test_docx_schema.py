"""Files that strict clients open as intended: every DOCX briefgen writes has its elements
in the ECMA-376 order of their parents and passes openxml-audit (a port of the Open XML
SDK's validator, with the Word app-compat rules) without an error or a Word finding, for
every template at every length, for the example, a long stress brief, a brief in Urdu and
Latin scripts, a template with a logo and a template with a reference.docx."""

from __future__ import annotations

import json
import zipfile
from importlib import resources
from pathlib import Path

import docx
import pytest
from lxml import etree

from briefgen.docx_xml import ANYWHERE, NAMESPACES, SEQUENCES, clark, slot_of
from conftest import LENGTHS, TEMPLATES, need_module

CHECKED = ("pPr", "rPr", "tblPr", "tblBorders", "tcPr", "sectPr", "style", "numPr", "lvl")
"""Parents whose child order the issue named; the check covers every parent in
docx_xml.SEQUENCES, and these must each have been seen."""
W = NAMESPACES["w"]


def order_problems(path: Path, seen: set[str] | None = None) -> list[str]:
    """Children out of schema order, or unknown to their parent's sequence, in every XML
    part of a DOCX, and parts stored twice in its ZIP. Range markers (bookmarks...) may
    stand anywhere."""
    problems = []
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:  # zipfile reads the last of them; Word refuses the package
            problems.append(f"{path.name}: parts stored twice: {', '.join(twice)}")
        for name in names:
            if not name.endswith(".xml") or name.startswith("docProps/") or \
                    name == "[Content_Types].xml":
                continue
            root = etree.fromstring(z.read(name))
            for el in root.iter():
                slots = SEQUENCES.get(el.tag) if isinstance(el.tag, str) else None
                if slots is None:
                    continue
                if seen is not None:
                    seen.add(etree.QName(el).localname)
                last = -1
                for node in el:
                    if not isinstance(node.tag, str):
                        continue
                    slot = slot_of(el.tag, node.tag)
                    where = f"{path.name}:{name}:{root.getroottree().getpath(node)}"
                    if slot is None:
                        if node.tag.startswith(f"{{{W}}}") and node.tag not in ANYWHERE:
                            problems.append(f"{where}: no place in its parent")
                        continue
                    if slot < last:
                        problems.append(f"{where}: out of order")
                    last = max(last, slot)
    return problems


def audit_problems(path: Path) -> list[str]:
    """openxml-audit's errors and Word app-compat findings for a file."""
    audit = need_module("openxml_audit")
    from openxml_audit.errors import SourceClass, ValidationSeverity

    result = audit.OpenXmlValidator().validate(str(path))
    return [f"{path.name}: {e.description} ({e.part_uri} {e.path})" for e in result.errors
            if e.severity == ValidationSeverity.ERROR or
            e.source_class is SourceClass.WORD_APP_COMPAT]


def _reference_docx(path: Path) -> None:
    """A house style made with python-docx: red headings, its own margins, a header with
    placeholders."""
    d = docx.Document()
    d.styles["Heading 1"].font.color.rgb = docx.shared.RGBColor(0xC0, 0, 0)
    section = d.sections[0]
    section.left_margin = section.right_margin = docx.shared.Mm(30)
    section.header.paragraphs[0].text = "{title} | {classification}"
    d.save(str(path))


@pytest.fixture(scope="module")
def extra_outputs(tmp_path_factory):
    """The fixtures beyond the shared matrix, each at every length with every template: a
    brief in Urdu and other scripts, a template with a logo, one with a reference.docx."""
    from PIL import Image

    from briefgen.fit import fit
    from briefgen.load import load
    from briefgen.plan import length_for
    from briefgen.render_docx import render_docx
    from briefgen.templates import load_template
    from conftest import EXAMPLE
    from test_scripts import _brief

    folder = tmp_path_factory.mktemp("extra")
    scripts = load(_brief(folder))
    example = load(EXAMPLE)
    Image.new("RGB", (64, 64), (11, 85, 99)).save(folder / "crest.png")
    out = []
    for tname in TEMPLATES:
        logo = folder / f"logo-{tname}"
        logo.mkdir()
        (logo / "crest.png").write_bytes((folder / "crest.png").read_bytes())
        (logo / "template.yaml").write_text(f"parent: {tname}\nlogo: {{file: crest.png, "
                                            "alt: Ministry crest, width: 30mm, height: 10mm}\n")
        ref = folder / f"ref-{tname}"
        ref.mkdir()
        (ref / "template.yaml").write_text(f"parent: {tname}\n")
        _reference_docx(ref / "reference.docx")
        cases = [("scripts", scripts, load_template(tname)),
                 ("logo", example, load_template(str(logo))),
                 ("reference", example, load_template(str(ref)))]
        for name, brief, template in cases:
            for length_name, pages in LENGTHS:
                length = length_for(length_name, pages)
                path = folder / f"{name}-{tname}-{length.name}.docx"
                path.write_bytes(render_docx(fit(brief, length, template).document, template))
                out.append(path)
    return out


def test_every_docx_is_in_schema_order(matrix, extra_outputs):
    seen: set[str] = set()
    problems = []
    for path in [o.docx for o in matrix.values()] + extra_outputs:
        problems += order_problems(path, seen)
    assert not problems, "\n".join(problems[:40])
    assert set(CHECKED) <= seen, set(CHECKED) - seen


def test_every_docx_passes_openxml_audit(matrix, extra_outputs):
    paths = [o.docx for k, o in matrix.items() if k[3] == "a4"] + extra_outputs
    problems = [p for path in paths for p in audit_problems(path)]
    assert not problems, "\n".join(problems[:40])


def test_the_order_check_and_openxml_audit_catch_what_the_issue_found(matrix, tmp_path):
    """A style's bCs moved after its szCs and a table's jc after its tblLook, as the old
    renderer wrote them: both checks object."""
    source = matrix[("example", "two-page", "policy-brief", "a4")].docx
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(source) as z, zipfile.ZipFile(broken, "w") as out:
        for info in z.infolist():
            data = z.read(info.filename)
            if info.filename in ("word/styles.xml", "word/document.xml"):
                root = etree.fromstring(data)
                for path in (".//w:style/w:rPr/w:bCs", ".//w:tblPr/w:jc"):
                    el = root.find(path, {"w": W})
                    if el is not None:
                        el.getparent().append(el)  # to the end, as the old helper did
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)
            out.writestr(info, data)
    ours = order_problems(broken)
    assert any("bCs" in p for p in ours) and any("tblPr/w:jc" in p for p in ours), ours
    theirs = audit_problems(broken)
    assert any("'bCs'" in p for p in theirs) and any("'jc'" in p for p in theirs), theirs


def _sdk_children() -> dict[str, list[list[str]]]:
    """openxml-audit's copy of the Open XML SDK schema: for each element of the main
    WordprocessingML namespace, the children of each type it has, in schema order."""
    need_module("openxml_audit")
    data = resources.files("openxml_audit") / "data/openxml/schemas/" \
        "schemas_openxmlformats_org_wordprocessingml_2006_main.json"
    types = json.loads(data.read_text())["Types"]
    prefixes = {"w": W, "w14": NAMESPACES["w14"], "w15": NAMESPACES["w15"],
                "m": NAMESPACES["m"], "sl": NAMESPACES["sl"]}
    out: dict[str, list[list[str]]] = {}
    for t in types:
        element = t["Name"].split("/")[-1]
        if not element.startswith("w:") or t.get("Particle", {}).get("Kind") != "Sequence":
            continue
        children = []
        for c in t.get("Children", []):
            prefix, local = c["Name"].split("/")[-1].split(":")
            if prefix in prefixes:
                children.append(f"{{{prefixes[prefix]}}}{local}")
        out.setdefault(clark(element), []).append(children)
    return out


def test_the_sequences_agree_with_the_sdk_schema():
    """briefgen's child sequences order every pair of children as the SDK's schema does,
    and give every child the schema allows a place."""
    sdk = _sdk_children()
    compared = 0
    for parent in SEQUENCES:
        for children in sdk.get(parent, []):
            known = [c for c in children if slot_of(parent, c) is not None]
            for a, b in zip(known, known[1:]):
                assert slot_of(parent, a) <= slot_of(parent, b), (parent, a, b)
                compared += 1
            missing = [c for c in children if slot_of(parent, c) is None and
                       c.startswith(f"{{{W}}}") and c not in ANYWHERE]
            assert not missing, (parent, missing)
    assert compared > 300
