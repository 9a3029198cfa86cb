"""Briefs in CI and at scale: batch builds, the manifest, watch, init with a schema for
editors, pre-commit hooks and the Python API."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pypdf
import pytest
import yaml
from click.testing import CliRunner

from briefgen import api
from briefgen.cli import main
from briefgen.schema import json_schema
from conftest import EXAMPLE, ROOT, copy_example


def test_batch_builds_every_input_in_parallel_and_summarises(tmp_path):
    inputs = []
    for n in range(4):
        path = tmp_path / f"brief{n}.yaml"
        copy_example(path)
        inputs.append(str(path))
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: [\n")
    manifest = tmp_path / "m.json"
    result = CliRunner().invoke(main, ["build", *inputs, str(bad), "-l", "one-page", "-j",
                                       "2", "-o", str(tmp_path / "out"), "--manifest",
                                       str(manifest)])
    assert result.exit_code == 1
    assert len(list((tmp_path / "out").glob("*.pdf"))) == 4
    assert len(list((tmp_path / "out").glob("*.docx"))) == 4
    assert "briefgen: 2 of 10 outputs failed" in result.output
    data = json.loads(manifest.read_text())
    schema = json.loads((ROOT / "docs" / "manifest.schema.json").read_text())
    item = schema["properties"]["outputs"]["items"]
    for entry in data["outputs"]:
        assert set(entry) <= set(item["properties"])
        assert set(item["required"]) <= set(entry)
        assert any(set(alt["required"]) <= set(entry) for alt in item["oneOf"])


def test_summary_line_when_all_built(tmp_path):
    result = CliRunner().invoke(main, ["build", str(EXAMPLE), "-l", "one-page", "-l",
                                       "two-page", "-o", str(tmp_path)])
    assert result.exit_code == 0
    assert result.output.strip().splitlines()[-1] == (
        "briefgen: built 4 files from 1 input; 4 left content out to keep their page budget")


def _replace(path: Path, text: str) -> None:
    """Write a file whole: a temporary file renamed over it (a watcher polling every 50 ms
    could otherwise read it half-written, which counts as a build)."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def test_watch_rebuilds_on_change_and_survives_errors(tmp_path):
    brief = tmp_path / "w.yaml"
    copy_example(brief)
    proc = subprocess.Popen([sys.executable, "-m", "briefgen", "watch", str(brief), "-f", "pdf",
                             "-o", str(tmp_path / "out"), "--poll", "0.05", "--stop-after",
                             "3"], stderr=subprocess.PIPE, text=True, cwd=tmp_path,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    lines = []

    def wait_for(text):
        deadline = time.time() + 30
        while time.time() < deadline:
            line = proc.stderr.readline()
            lines.append(line)
            if text in line:
                return line
        pytest.fail(f"no '{text}' in {lines}")

    first = wait_for("rebuilt")
    assert "w.one-page.pdf (1 page) in" in first
    wait_for("watching")
    time.sleep(0.1)
    _replace(brief, "title: [\n")  # as editors save: the whole file at once, renamed in
    error = wait_for("error:")
    assert error.startswith(f"{brief}:2:1: error: YAML syntax")
    wait_for("watching")
    time.sleep(0.1)
    _replace(brief, EXAMPLE.read_text(encoding="utf-8"))
    again = wait_for("rebuilt")
    ms = int(again.rsplit(" in ", 1)[1].split()[0])
    assert ms < 1000
    proc.wait(timeout=30)
    assert proc.returncode == 0


def test_init_points_editors_at_the_schema(tmp_path):
    path = tmp_path / "brief.yaml"
    assert CliRunner().invoke(main, ["init", str(path)]).exit_code == 0
    first = path.read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=briefgen.schema.json"
    shipped = json.loads((tmp_path / "briefgen.schema.json").read_text())
    assert shipped == json_schema()


def test_shipped_schema_is_the_generated_one():
    shipped = json.loads((ROOT / "briefgen" / "schema.json").read_text())
    assert shipped == json_schema(), "run: briefgen schema > briefgen/schema.json"
    printed = json.loads(CliRunner().invoke(main, ["schema"]).output)
    assert printed == shipped


def test_pre_commit_hooks_call_validate():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert {h["id"]: h["entry"] for h in hooks} == {
        "briefgen-validate": "briefgen validate",
        "briefgen-validate-strict": "briefgen validate --strict"}
    assert all(h["language"] == "python" for h in hooks)


def test_python_api(tmp_path):
    brief = api.load(EXAMPLE)
    out = api.render(brief, "pdf", length="one-page")
    assert out.pages == 1 and out.data.startswith(b"%PDF")
    assert "1 low-priority opportunity" in out.left_out
    docx_out = api.render(brief, "docx", pages=2, template="decision-memo")
    assert docx_out.data[:2] == b"PK" and docx_out.length == "2-page"
    with pytest.raises(api.BriefError) as err:
        api.loads("title: T\nsummary: S\n", "inline.yaml")
    assert err.value.diagnostics[0].format().startswith("inline.yaml:1:1: error:")
    results = api.build([EXAMPLE], formats=("pdf",), lengths=("one-page",),
                        output=tmp_path)
    assert [r.ok for r in results] == [True]
    assert len(pypdf.PdfReader(results[0].job.path).pages) == 1
    assert api.check(EXAMPLE) == [] and api.check(EXAMPLE, strict=True) == []


def test_watch_rebuilds_when_the_article_changes(tmp_path):
    import threading

    from briefgen.jobs import plan_jobs
    from briefgen.plan import length_for
    from briefgen.watch import watch

    brief = copy_example(tmp_path / "w.yaml")
    article = tmp_path / "articles" / "islamabad-moscow.txt"
    jobs = plan_jobs([brief], ["pdf"], [length_for("one-page")], tmp_path / "out")
    reports, first = [], threading.Event()

    def report(results, ms):
        reports.append(results)
        first.set()

    thread = threading.Thread(target=watch, args=(brief, jobs, "policy-brief", None, None,
                                                  report, 0.05, 2), daemon=True)
    thread.start()
    assert first.wait(60)
    time.sleep(0.2)
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("It will not only start", "It will only start"),
                       encoding="utf-8")
    thread.join(60)
    assert len(reports) == 2 and reports[0][0].ok
    (failed,) = reports[1]
    assert not failed.ok and 'the source says "… It will only start' in \
        failed.errors[0].message
