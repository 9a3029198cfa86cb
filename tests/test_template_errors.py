"""Template mistakes are reported like brief mistakes: at their place in template.yaml (or at
the reference file), all at once, exit 1, nothing written, never "internal error".

Fixtures: ``tests/fixtures/templates/invalid/<case>/template.yaml``, one mistake per case,
start with a comment header::

    # make: FILE RECIPE          a file the case needs, made by RECIPES below
    # expect: [FILE:]LINE:COL SUBSTRING

The diagnostics of ``load_template()`` must sit at exactly the expected places (FILE is
template.yaml unless named), each holding its SUBSTRING. Broken logos, fonts and Word
files are made by the test (RECIPES), so each fixture shows in text what is wrong with it.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from briefgen import api
from briefgen.cli import main
from briefgen.errors import BriefError
from briefgen.templates import LABELS, load_template
from conftest import EXAMPLE

CASES = sorted((Path(__file__).parent / "fixtures" / "templates" / "invalid").iterdir())
EXPECT = re.compile(r"^# expect: (?:(\S+?):)?(\d+):(\d+) (.+)$")
MAKE = re.compile(r"^# make: (\S+) (\S+)$")


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 64), (110, 20, 30)).save(out, "PNG")
    return out.getvalue()


def _image(kind: str) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (32, 32), (11, 85, 99)).save(out, kind)
    return out.getvalue()


def _docx(edit=None, drop: str | None = None) -> bytes:
    """A Word file from python-docx, with one part edited or dropped."""
    source = io.BytesIO()
    docx.Document().save(source)
    out = io.BytesIO()
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            if name == drop:
                continue
            data = src.read(name)
            dst.writestr(name, edit(name, data) if edit else data)
    return out.getvalue()


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("notes.txt", "not a Word file")
    return out.getvalue()


RECIPES = {
    "text": lambda: b"this is not what its name says\n",
    "png": _png,
    "truncated-png": lambda: _png()[:70],
    "ppm": lambda: _image("PPM"),
    "zip": _zip,
    "docx-without-document": lambda: _docx(drop="word/document.xml"),
    "docx-damaged-xml": lambda: _docx(lambda n, d: b"<w:document" if n == "word/document.xml"
                                      else d),
    "dotx": lambda: _docx(lambda n, d: d.replace(b"document.main+xml", b"template.main+xml")
                          if n == "[Content_Types].xml" else d),
    "doc97": lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504,
}


def make_file(recipe: str) -> bytes:
    """The bytes a `# make:` line asks for."""
    return RECIPES[recipe]()


def prepare(case: Path, into: Path) -> tuple[Path, list[tuple[str, int, int, str]]]:
    """The case copied to `into` with its files made; its expected diagnostics."""
    folder = into / case.name
    shutil.copytree(case, folder)
    expected = []
    for line in (folder / "template.yaml").read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        if make := MAKE.match(line):
            (folder / make[1]).write_bytes(make_file(make[2]))
        elif expect := EXPECT.match(line):
            expected.append((expect[1] or "template.yaml", int(expect[2]), int(expect[3]),
                             expect[4]))
        else:
            assert not line.startswith(("# expect", "# make")), f"{case.name}: bad {line!r}"
    return folder, expected


def test_corpus_is_populated():
    assert len(CASES) >= 40
    for case in CASES:
        assert (case / "template.yaml").is_file(), case
        assert any(EXPECT.match(line) for line in (case / "template.yaml").read_text()
                   .splitlines()), f"{case.name} has no '# expect:' line"


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_broken_template(case: Path, tmp_path: Path):
    folder, expected = prepare(case, tmp_path)
    with pytest.raises(BriefError) as err:
        load_template(str(folder))
    found = err.value.diagnostics
    for d in found:
        assert d.severity == "error"
        assert Path(d.file).parent == folder, d.format()
        assert "internal error" not in d.message and "None" not in d.message, d.format()
        assert d.format().startswith(f"{d.file}:{d.line}:{d.column}: error: ")
    got = sorted((Path(d.file).name, d.line, d.column) for d in found)
    assert got == sorted(e[:3] for e in expected), "places differ:\n" + "\n".join(
        d.format() for d in found)
    for file, line, col, text in expected:
        assert any((Path(d.file).name, d.line, d.column) == (file, line, col)
                   and text in d.format() for d in found), (
            f"no diagnostic at {file}:{line}:{col} holds {text!r}; got:\n"
            + "\n".join(d.format() for d in found))
    assert [(d.file, d.line, d.column) for d in found] == sorted(
        (d.file, d.line, d.column) for d in found), "in file and line order"


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_build_with_broken_template_writes_nothing(case: Path, tmp_path: Path):
    folder, expected = prepare(case, tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(EXAMPLE), "-t", str(folder), "-l",
                                       "one-page", "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output and "internal error" not in result.output
    lines = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(lines) == len(expected), result.stderr
    for file, line, col, text in expected:
        assert f"{folder / file}:{line}:{col}: error: " in result.stderr
    assert not out.exists(), "no output file for a broken template"


def test_api_reports_template_errors_as_brief_errors(tmp_path: Path):
    folder, expected = prepare(next(c for c in CASES if c.name == "every-error-at-once"),
                               tmp_path)
    brief = api.load(EXAMPLE)
    with pytest.raises(api.BriefError) as err:
        api.render(brief, "pdf", template=folder)
    assert len(err.value.diagnostics) == len(expected)
    with pytest.raises(api.BriefError):
        api.build(EXAMPLE, template=folder, output=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_labels_table_covers_what_the_builder_prints():
    """Every label the builder looks up is in the one table of known labels, and each
    label of the table is set by a built-in template."""
    source = (Path(__file__).parent.parent / "briefgen" / "build.py").read_text()
    used = set(re.findall(r"labels(?:\.get\()?\[?[\"']([a-z_]+)[\"']", source))
    assert len(used) >= 15 and used <= set(LABELS), used - set(LABELS)
    builtin = set().union(*(load_template(n).labels for n in
                            ("policy-brief", "decision-memo", "handout")))
    from briefgen.labels import LABEL_SETS, TEMPLATE_ONLY, builtin as language_set

    assert builtin | set(language_set("en")) == set(LABELS)
    for code in LABEL_SETS:  # every language has every label a template prints
        assert set(language_set(code)) == set(LABELS) - set(TEMPLATE_ONLY), code


def test_x_keys_are_ignored_and_other_image_formats_work(tmp_path: Path):
    """User extensions (x-) at any level are kept out of the way; a GIF logo, which both
    PDF and Word can show, builds."""
    import pypdf
    from docx.oxml.ns import qn

    folder = tmp_path / "ext"
    folder.mkdir()
    (folder / "crest.gif").write_bytes(_image("GIF"))
    (folder / "template.yaml").write_text(
        "parent: handout\nx-owner: Regional Affairs Desk\n"
        "styles: {x-draft: {size: 40}, title: {x-note: keep it short}}\n"
        "labels: {x-reviewed: 2026-11-01}\n"
        "logo: {file: crest.gif, alt: Desk crest, width: 12mm, height: 12mm}\n")
    t = load_template(str(folder))
    assert "x-draft" not in t.styles and t.styles["title"].size == 26
    result = CliRunner().invoke(main, ["build", str(EXAMPLE), "-t", str(folder), "-l",
                                       "one-page", "-o", str(tmp_path / "o"), "-q"])
    assert result.exit_code == 0, result.output
    pdf = pypdf.PdfReader(tmp_path / "o" / "islamabad-moscow.ext.one-page.pdf")
    assert pdf.pages[0].images
    d = docx.Document(str(tmp_path / "o" / "islamabad-moscow.ext.one-page.docx"))
    assert [p.get("descr") for p in d.sections[0].header._element.iter(qn("wp:docPr"))] == [
        "Desk crest"]


def test_a_template_without_parent_lists_every_missing_label(tmp_path: Path):
    """A stand-alone template must define every label the builder prints (a memo's labels
    included): each missing one is named, rather than a KeyError while building."""
    source = Path(load_template("policy-brief").folder / "template.yaml").read_text()
    text = source.split("\nlabels:\n")[0] + "\nlabels:\n  bottom_line: Bottom line\n"
    folder = tmp_path / "alone"
    folder.mkdir()
    (folder / "template.yaml").write_text(text)
    with pytest.raises(BriefError) as err:
        load_template(str(folder))
    missing = {re.search(r"label '(\w+)' is missing", d.message)[1]
               for d in err.value.diagnostics}
    assert missing == {k for k, (_, required) in LABELS.items() if required} - {"bottom_line"}
    assert {"memo_for", "decision", "owner"} <= missing
