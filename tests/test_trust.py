"""Output you can trust: byte-identical builds, atomic writes, limits, random briefs and
random mutations that never end in a traceback."""

from __future__ import annotations

import hashlib
import os
import random
import subprocess
import sys
import time

import docx
import pypdf
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.cli import main
from conftest import EXAMPLE, ROOT, brief_from, brief_strategy, copy_example


def _build_in(folder, *extra, env=None):
    folder.mkdir(parents=True, exist_ok=True)
    result = subprocess.run([sys.executable, "-m", "briefgen", "build", str(EXAMPLE), "-l",
                             "one-page", "-l", "full", "-o", "out", "-q", *extra],
                            cwd=folder, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})
    assert result.returncode == 0, result.stderr
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((folder / "out").iterdir())}


def test_same_input_same_bytes_in_any_folder_at_any_time(tmp_path):
    first = _build_in(tmp_path / "a")
    time.sleep(1.1)
    second = _build_in(tmp_path / "elsewhere" / "b")
    assert len(first) == 4 and first == second


def test_pdf_a_is_byte_identical_too(tmp_path):
    first = _build_in(tmp_path / "a", "-f", "pdf", "--pdf-standard", "a-2a")
    second = _build_in(tmp_path / "b", "-f", "pdf", "--pdf-standard", "a-2a")
    assert len(first) == 2 and first == second
    assert first != _build_in(tmp_path / "c", "-f", "pdf")


def test_dates_follow_source_date_epoch_then_the_prepared_date(tmp_path):
    _build_in(tmp_path / "a")
    pdf = pypdf.PdfReader(tmp_path / "a" / "out" / "islamabad-moscow.one-page.pdf")
    assert pdf.metadata["/CreationDate"].startswith("D:20261127000000")
    props = docx.Document(str(tmp_path / "a" / "out" / "islamabad-moscow.one-page.docx"))
    assert props.core_properties.created.isoformat().startswith("2026-11-27T00:00:00")
    hashes = _build_in(tmp_path / "b", env={"SOURCE_DATE_EPOCH": "1700000000"})
    pdf = pypdf.PdfReader(tmp_path / "b" / "out" / "islamabad-moscow.one-page.pdf")
    assert pdf.metadata["/CreationDate"].startswith("D:20231114221320")
    assert hashes == _build_in(tmp_path / "c", env={"SOURCE_DATE_EPOCH": "1700000000"})


def test_a_failed_build_keeps_the_previous_file(tmp_path):
    brief = tmp_path / "b.yaml"
    copy_example(brief)
    runner = CliRunner()
    assert runner.invoke(main, ["build", str(brief), "-l", "one-page", "-f", "pdf", "-o",
                                str(tmp_path), "-q"]).exit_code == 0
    out = tmp_path / "b.one-page.pdf"
    good = out.read_bytes()
    brief.write_text("title: [broken\n", encoding="utf-8")
    result = runner.invoke(main, ["build", str(brief), "-l", "one-page", "-f", "pdf", "-o",
                                  str(tmp_path)])
    assert result.exit_code == 1 and "YAML syntax" in result.output
    assert out.read_bytes() == good
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_an_interrupted_write_leaves_nothing(tmp_path, monkeypatch):
    from briefgen import jobs

    target = tmp_path / "x.pdf"
    target.write_bytes(b"previous")

    def boom(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(jobs.os, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        jobs.write_atomic(target, b"new content")
    assert target.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.pdf"]


def test_unwritable_folder_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["build", str(EXAMPLE), "-l", "one-page", "-o",
                                       "/proc/briefgen-nope"])
    assert result.exit_code == 1
    assert "cannot write /proc/briefgen-nope/islamabad-moscow.one-page.pdf" in result.output


def test_a_hundred_long_items_build_at_full_length(tmp_path):
    from conftest import stress_yaml

    brief = tmp_path / "big.yaml"
    brief.write_text(stress_yaml(items=35, recommendations=30), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(brief), "-l", "full", "-o", str(tmp_path),
                                       "-q", "--manifest", str(tmp_path / "m.json")])
    assert result.exit_code == 0, result.output
    pages = len(pypdf.PdfReader(tmp_path / "big.full.pdf").pages)
    assert pages >= 20
    d = docx.Document(str(tmp_path / "big.full.docx"))
    assert sum(1 for p in d.paragraphs if p.style.name == "Heading 2") >= 70


BRIEFS = settings(max_examples=12, deadline=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
TITLES = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn")),
                 min_size=1, max_size=80).filter(lambda t: t.strip())


@BRIEFS
@given(brief_strategy(), TITLES, st.sampled_from(["one-page", "two-page", "full"]))
def test_random_briefs_build_in_both_formats(data, title, length):
    from briefgen.fit import fit
    from briefgen.plan import length_for
    from briefgen.render import RENDERERS
    from briefgen.templates import load_template
    import io

    data = dict(data, title=title)
    brief = brief_from(data)
    template = load_template("policy-brief")
    fitted = fit(brief, length_for(length), template)
    pdf = pypdf.PdfReader(io.BytesIO(RENDERERS["pdf"](fitted.document, template)))
    assert pdf.metadata.title == fitted.document.metadata.title
    d = docx.Document(io.BytesIO(RENDERERS["docx"](fitted.document, template)))
    assert d.core_properties.title == fitted.document.metadata.title
    summary_start = fitted.document.blocks[1].paragraphs[0][0].text.split()[0]
    assert summary_start in " ".join(c.text for t in d.tables for c in t._cells)
    assert summary_start in pdf.pages[0].extract_text()


def _mutate(text: str, rnd: random.Random) -> bytes:
    lines = text.splitlines(keepends=True)
    kind = rnd.choice(["delete", "duplicate", "swap-type", "garbage", "truncate", "indent"])
    i = rnd.randrange(len(lines))
    if kind == "delete":
        del lines[i]
    elif kind == "duplicate":
        lines.insert(i, lines[i])
    elif kind == "swap-type":
        line = lines[i]
        if ":" in line:
            key = line.split(":", 1)[0]
            lines[i] = key + ": " + rnd.choice(["[1, 2]", "{a: b}", "42", "true", "~", "''"]) + "\n"
    elif kind == "indent":
        lines[i] = " " * rnd.randrange(1, 5) + lines[i]
    elif kind == "truncate":
        lines = lines[:i]
    data = "".join(lines).encode("utf-8")
    if kind == "garbage":
        at = rnd.randrange(len(data))
        data = data[:at] + bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 8))) + \
            data[at:]
    return data


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32 - 1))
def test_mutated_yaml_builds_or_fails_with_located_errors(tmp_path_factory, seed):
    folder = tmp_path_factory.mktemp("mutant")
    text = EXAMPLE.read_text(encoding="utf-8")
    path = copy_example(folder / "mutant.yaml", _mutate(text, random.Random(seed)))
    result = CliRunner().invoke(main, ["build", str(path), "-l", "one-page", "-f", "pdf",
                                       "-o", str(folder / "out")], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    if result.exit_code == 1:
        errors = [l for l in result.output.splitlines() if ": error: " in l]
        assert errors
        for line in errors:
            assert line.startswith(f"{path}:"), line
            parts = line.split(":")
            assert parts[1].isdigit() and parts[2].isdigit()
    else:
        assert (folder / "out" / "mutant.one-page.pdf").is_file()
