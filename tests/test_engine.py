"""What briefgen patches or reads inside reportlab and python-docx is there, and the
dependencies are pinned to the versions the tests ran on: an upgrade fails loudly, with a
message saying what to install, instead of changing the layout on a user's machine."""

from __future__ import annotations

import importlib.metadata
import sys

import pytest

from briefgen import engine  # noqa: F401  (first: it prepares reportlab)
from conftest import ROOT

try:
    import tomllib
except ImportError:  # Python 3.10
    tomllib = None


def _requirements() -> dict:
    from packaging.requirements import Requirement

    if tomllib is None:
        pytest.skip("tomllib needs Python 3.11")
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return {Requirement(r).name.lower(): Requirement(r) for r in
            data["project"]["dependencies"]}


def test_every_patched_reportlab_internal_is_there():
    missing = engine.missing_internals()
    assert not missing, (f"reportlab {importlib.metadata.version('reportlab')} lacks "
                         f"{', '.join(missing)}, which briefgen/engine.py patches or calls: "
                         f"adapt engine.py to this reportlab, or install "
                         f"'reportlab{engine.TESTED_REPORTLAB}'")


def test_a_missing_internal_fails_the_import_with_a_clear_message(monkeypatch):
    from reportlab.platypus import paragraph

    monkeypatch.delattr(paragraph, "_hyphenateFragWord")
    assert engine.missing_internals() == ["reportlab.platypus.paragraph._hyphenateFragWord"]
    with pytest.raises(ImportError) as err:
        engine.check_internals()
    message = str(err.value)
    assert "reportlab.platypus.paragraph._hyphenateFragWord" in message
    assert f"pip install 'reportlab{engine.TESTED_REPORTLAB}'" in message


def test_laid_out_objects_have_the_attributes_briefgen_reads():
    """pdf_flow, measure and render_pdf read these attributes of laid-out reportlab
    objects; python-docx's private attributes are read by render_docx."""
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Frame, Paragraph, Table

    frame = Frame(0, 0, 300, 300)
    for name in ("_atTop", "_prevASpace", "_aW", "_aH", "_y", "_y2"):
        assert hasattr(frame, name), f"reportlab Frame lacks {name}"
    table = Table([["a", "b"]])
    table.wrap(200, 200)
    assert hasattr(table, "_rowHeights"), "reportlab Table lacks _rowHeights"
    para = Paragraph("a few words", getSampleStyleSheet()["Normal"])
    para.wrap(100, 100)
    for name in ("blPara", "_wrapWidths", "frags"):
        assert hasattr(para, name), f"reportlab Paragraph lacks {name}"
    assert para.breakLines(100).kind in (0, 1)

    import docx

    d = docx.Document()
    t = d.add_table(rows=1, cols=1)
    cell, row, p = t.cell(0, 0), t.rows[0], d.add_paragraph("x")
    for obj, name in ((t, "_tbl"), (t, "_cells"), (cell, "_tc"), (row, "_tr"), (p, "_p"),
                      (d, "_body"), (d.part, "numbering_part"), (d.sections[0].header,
                                                                  "_element")):
        assert hasattr(obj, name), f"python-docx {type(obj).__name__} lacks {name}"


def test_patched_dependencies_are_pinned_to_the_tested_range():
    from packaging.specifiers import SpecifierSet
    from packaging.version import Version

    reqs = _requirements()
    assert reqs["reportlab"].specifier == SpecifierSet(engine.TESTED_REPORTLAB), (
        f"pyproject.toml pins {reqs['reportlab']}, engine.TESTED_REPORTLAB says "
        f"{engine.TESTED_REPORTLAB}: make them agree")
    for name in ("reportlab", "python-docx"):
        spec = reqs[name].specifier
        assert any(s.operator == "<" for s in spec), f"{name} needs an upper bound: {spec}"
        installed = Version(importlib.metadata.version(name))
        assert spec.contains(installed), (
            f"the tests run on {name} {installed}, outside the pinned {spec}: test this "
            f"version and widen the pin, or install one inside it")


def test_importing_engine_after_reportlab_is_refused():
    import subprocess

    code = "import reportlab.pdfgen.textobject\nimport briefgen.engine\n"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin"})
    assert result.returncode == 1
    assert "briefgen.engine must be imported before reportlab" in result.stderr
