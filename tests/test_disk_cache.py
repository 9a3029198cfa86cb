"""A document pays only for the faces it uses, and parsed faces and each template's
prepared DOCX are cached on disk: the Arabic face only when Arabic script occurs, the serif
faces only in a template that uses them; a missing, corrupt or unwritable cache changes
nothing in the output, PDF or DOCX."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLE, ROOT, copy_example

_PROBE = """
import json, sys
from pathlib import Path
from briefgen import api, pdf_fonts
api.build(Path(sys.argv[1]), output=sys.argv[2], lengths=[sys.argv[3]],
          formats=sys.argv[5].split(","), template=sys.argv[4])
print(json.dumps(pdf_fonts.PARSED))
"""


def _parsed(brief: Path, out: Path, length="one-page", template="policy-brief",
            cache: Path | None = None, formats="pdf,docx", **env) -> list[str]:
    environ = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    if cache is not None:
        environ["BRIEFGEN_CACHE_DIR"] = str(cache)
    done = subprocess.run([sys.executable, "-c", _PROBE, str(brief), str(out), length,
                           template, formats], capture_output=True, text=True, env=environ)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _pdf(out: Path) -> bytes:
    return next(out.glob("*.pdf")).read_bytes()


def _docx(out: Path) -> bytes:
    return next(out.glob("*.docx")).read_bytes()


def test_english_brief_parses_only_its_sans_faces(tmp_path):
    faces = _parsed(EXAMPLE, tmp_path / "o", cache=tmp_path / "cache")
    assert faces and all("LiberationSans" in f for f in faces), faces
    assert not any("Naskh" in f or "Serif" in f or "DejaVu" in f for f in faces)


def test_arabic_script_parses_the_arabic_face(tmp_path):
    faces = _parsed(ROOT / "tests" / "fixtures" / "accessibility" / "urdu.yaml",
                    tmp_path / "o", length="full", cache=tmp_path / "cache")
    assert any("NotoNaskhArabic" in f for f in faces), faces


def test_symbol_the_text_font_lacks_parses_the_fallback_face(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "**regional stability**", "**regional stability** (₽ 2 bn → ₹)", 1)
    brief = copy_example(tmp_path / "b" / "symbols.yaml", text)
    faces = _parsed(brief, tmp_path / "o", cache=tmp_path / "cache")
    assert any("DejaVu" in f for f in faces), faces


def test_serif_template_parses_serif_faces_only(tmp_path):
    from briefgen.templates import load_template

    serif = [n for n in ("policy-brief", "decision-memo", "handout")
             if "Serif" in str(load_template(n).font_for(load_template(n).styles["body"])
                                .files["regular"])]
    if not serif:
        pytest.skip("no built-in template sets its body in a serif face")
    faces = _parsed(EXAMPLE, tmp_path / "o", template=serif[0], cache=tmp_path / "cache")
    assert any("Serif" in f for f in faces) and not any("Naskh" in f for f in faces)


def test_cache_is_written_then_read_and_changes_nothing(tmp_path):
    cache = tmp_path / "cache"
    _parsed(EXAMPLE, tmp_path / "cold", cache=cache)
    entries = sorted(p for p in cache.rglob("*") if p.is_file())
    assert len([p for p in entries if p.suffix in (".pickle", ".docx")]) >= 3, \
        "each parsed face and the prepared DOCX are stored"
    stamps = {p: p.stat().st_mtime_ns for p in entries}
    _parsed(EXAMPLE, tmp_path / "warm", cache=cache)
    assert {p: p.stat().st_mtime_ns for p in sorted(p for p in cache.rglob("*")
                                                      if p.is_file())} == stamps, \
        "a second run reads the entries and writes nothing"
    _parsed(EXAMPLE, tmp_path / "off", BRIEFGEN_NO_CACHE="1")
    assert _pdf(tmp_path / "cold") == _pdf(tmp_path / "warm") == _pdf(tmp_path / "off")
    assert _docx(tmp_path / "cold") == _docx(tmp_path / "warm") == _docx(tmp_path / "off")
    assert not list(cache.rglob(".part-*")), "no temporary file is left behind"


def test_corrupt_or_unwritable_cache_is_ignored(tmp_path):
    cache = tmp_path / "cache"
    _parsed(EXAMPLE, tmp_path / "good", cache=cache)
    for entry in cache.rglob("*.pickle"):
        entry.write_bytes(b"\x80\x05not a pickle at all")
    flipped = 0
    for pattern in ("*.docx", "*.ttf", "*.deflate"):  # one byte changed inside each
        for entry in cache.rglob(pattern):
            good = entry.read_bytes()
            entry.write_bytes(good[:len(good) // 2] + bytes([good[len(good) // 2] ^ 1]) +
                              good[len(good) // 2 + 1:])
            flipped += 1
    assert list(cache.rglob("*.deflate")) and list(cache.rglob("*.ttf")), \
        "the faces' subsets and the compressed parts are stored"
    _parsed(EXAMPLE, tmp_path / "corrupt", cache=cache)
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    _parsed(EXAMPLE, tmp_path / "blocked", cache=blocked / "fonts")
    assert _pdf(tmp_path / "good") == _pdf(tmp_path / "corrupt") == _pdf(tmp_path / "blocked")
    assert _docx(tmp_path / "good") == _docx(tmp_path / "corrupt") == \
        _docx(tmp_path / "blocked")


def test_damaged_glyph_map_inside_a_face_entry_is_read_from_the_font(tmp_path):
    """A face entry whose pickle reads but whose glyph map (unpickled only when Arabic
    text is shaped) is damaged: the map comes from the font file, the output is the same."""
    import pickle

    from briefgen import pdf_font_cache

    urdu = ROOT / "tests" / "fixtures" / "accessibility" / "urdu.yaml"
    cache = tmp_path / "cache"
    _parsed(urdu, tmp_path / "good", length="full", cache=cache, formats="pdf")
    damaged = 0
    for entry in cache.rglob("*.pickle"):
        state = pickle.loads(entry.read_bytes())
        assert isinstance(state[pdf_font_cache._LATER], bytes)
        state[pdf_font_cache._LATER] = b"\x80\x05damaged"
        entry.write_bytes(pickle.dumps(state))
        damaged += 1
    assert damaged >= 2
    _parsed(urdu, tmp_path / "damaged", length="full", cache=cache, formats="pdf")
    _parsed(urdu, tmp_path / "off", length="full", formats="pdf", BRIEFGEN_NO_CACHE="1")
    assert _pdf(tmp_path / "good") == _pdf(tmp_path / "damaged") == _pdf(tmp_path / "off")


def test_no_cache_writes_nothing(tmp_path):
    home = tmp_path / "home"
    _parsed(EXAMPLE, tmp_path / "o", BRIEFGEN_NO_CACHE="1", XDG_CACHE_HOME=str(home),
            HOME=str(home))
    assert not home.exists() or not any(home.rglob("*.pickle"))


def test_default_cache_folder_is_the_users(tmp_path):
    home = tmp_path / "xdg"
    env = {k: v for k, v in os.environ.items() if k != "BRIEFGEN_CACHE_DIR"}
    env.update(XDG_CACHE_HOME=str(home), PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", _PROBE, str(EXAMPLE), str(tmp_path / "o"),
                           "one-page", "policy-brief", "pdf,docx"], env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert list((home / "briefgen" / "fonts").glob("*.pickle"))
    assert list((home / "briefgen" / "docx").glob("*.docx"))


_EAGER = """
import sys
from pathlib import Path
from reportlab.pdfbase import pdfmetrics
from briefgen import api, pdf_fonts
from briefgen.templates import load_template
template = load_template(sys.argv[4])
for font in template.fonts.values():
    pdf_fonts._register(font)
for name in list(pdf_fonts._PENDING):
    pdfmetrics.getFont(name)  # every face parsed first, as before faces were lazy
api.build(Path(sys.argv[1]), output=sys.argv[2], lengths=[sys.argv[3]],
          formats=("pdf", "docx"), template=sys.argv[4])
"""


@pytest.mark.parametrize("template", ["policy-brief", "decision-memo", "handout"])
def test_lazy_faces_lay_out_as_eager_ones(tmp_path, template):
    """Parsing a face late changes nothing: bold and italic markup still find their faces
    (reportlab's registerFont maps a font's bold to itself), so the same bytes come out."""
    urdu = ROOT / "tests" / "fixtures" / "accessibility" / "urdu.yaml"
    for brief, length in ((EXAMPLE, "one-page"), (EXAMPLE, "full"), (urdu, "full")):
        lazy, eager = tmp_path / f"lazy-{length}", tmp_path / f"eager-{length}"
        _parsed(brief, lazy, length=length, template=template, BRIEFGEN_NO_CACHE="1")
        done = subprocess.run([sys.executable, "-c", _EAGER, str(brief), str(eager), length,
                               template], capture_output=True, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT),
                                   "BRIEFGEN_NO_CACHE": "1"})
        assert done.returncode == 0, done.stderr
        for out in sorted(lazy.iterdir()):
            assert out.read_bytes() == (eager / out.name).read_bytes(), out.name
