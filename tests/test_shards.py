"""`build --shard K/N` spreads a batch over CI runners, `briefgen manifest merge` joins
their manifests: the shards are disjoint, together they build everything, and do not
depend on the order the shell gives the inputs in."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from conftest import ROOT, copy_example

SCHEMA = json.loads((ROOT / "docs" / "manifest.schema.json").read_text(encoding="utf-8"))


def _cli(*args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "briefgen", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Path:
    """Seven briefs in a folder and a subfolder, names that sort differently as paths and
    as file names."""
    root = tmp_path_factory.mktemp("batch")
    example = copy_example(root / "briefs" / "example.yaml").read_text(encoding="utf-8")
    names = ["b/zeta", "a", "b/alpha", "c-10", "c-9", "m", "Z"]
    for n, name in enumerate(names):
        path = root / "briefs" / f"{name}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        copy_example(path, example.replace('title: "', f'title: "Brief {n}: ', 1))
    (root / "briefs" / "example.yaml").unlink()
    return root


def _inputs(batch: Path) -> list[str]:
    return sorted(str(p.relative_to(batch)) for p in (batch / "briefs").rglob("*.yaml"))


def _shard(batch: Path, k: int, n: int, inputs: list[str], tag: str) -> dict:
    done = _cli("build", *inputs, "-l", "one-page", "-f", "pdf", "--shard", f"{k}/{n}",
                "-o", f"out-{tag}", "--manifest", f"m-{tag}-{k}.json", "-q", cwd=batch)
    assert done.returncode == 0, done.stderr
    data = json.loads((batch / f"m-{tag}-{k}.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA)
    assert data["shard"] == {"index": k, "count": n}
    return data


@pytest.mark.parametrize("count", [1, 3, 4, 9])
def test_shards_are_disjoint_and_build_everything(batch, count):
    inputs = _inputs(batch)
    parts = [{o["input"] for o in _shard(batch, k, count, inputs, f"n{count}")["outputs"]}
             for k in range(1, count + 1)]
    assert set().union(*parts) == set(inputs)
    assert sum(len(p) for p in parts) == len(inputs), "no input is built twice"
    sizes = [len(p) for p in parts]
    assert max(sizes) - min(sizes) <= 1, sizes
    built = sorted(p.name for p in (batch / f"out-n{count}").glob("*.pdf"))
    assert len(built) == len(inputs)
    if count > len(inputs):
        assert 0 in sizes  # a runner with nothing to do succeeds with an empty manifest


def test_shards_do_not_depend_on_argument_order(batch):
    inputs = _inputs(batch)
    shuffled = inputs[:]
    random.Random(7).shuffle(shuffled)
    for k in (1, 2, 3):
        a = {o["input"] for o in _shard(batch, k, 3, inputs, "sorted")["outputs"]}
        b = {o["input"] for o in _shard(batch, k, 3, shuffled, "shuffled")["outputs"]}
        assert a == b


def test_merge_joins_the_shards(batch):
    inputs = _inputs(batch)
    for k in (1, 2, 3, 4):
        _shard(batch, k, 4, inputs, "merge")
    done = _cli("manifest", "merge", *(f"m-merge-{k}.json" for k in (3, 1, 4, 2)),
                "-o", "merged.json", cwd=batch)
    assert done.returncode == 0, done.stderr
    assert "merged 4 manifests: 7 built, 0 failed" in done.stderr
    merged = json.loads((batch / "merged.json").read_text(encoding="utf-8"))
    jsonschema.validate(merged, SCHEMA)
    assert sorted(o["input"] for o in merged["outputs"]) == inputs
    assert [o["input"] for o in merged["outputs"]] == sorted(o["input"] for o in merged["outputs"])
    assert [(s["index"], s["count"]) for s in merged["merged_shards"]] == \
        [(1, 4), (2, 4), (3, 4), (4, 4)]
    to_stdout = _cli("manifest", "merge", *(f"m-merge-{k}.json" for k in (1, 2, 3, 4)),
                     cwd=batch)
    assert json.loads(to_stdout.stdout) == merged


def test_merge_refuses_missing_repeated_and_broken_manifests(batch):
    inputs = _inputs(batch)
    for k in (1, 2, 3):
        _shard(batch, k, 3, inputs, "bad")
    missing = _cli("manifest", "merge", "m-bad-1.json", "m-bad-3.json", cwd=batch)
    assert missing.returncode == 1
    assert "m-bad-1.json:1:1: error: shard 2/3 missing" in missing.stderr
    partial = _cli("manifest", "merge", "m-bad-1.json", "m-bad-3.json", "--partial", cwd=batch)
    assert partial.returncode == 0, partial.stderr
    twice = _cli("manifest", "merge", "m-bad-1.json", "m-bad-2.json", "m-bad-2.json",
                 "m-bad-3.json", cwd=batch)
    assert twice.returncode == 1 and "is listed in m-bad-2.json too" in twice.stderr
    (batch / "broken.json").write_text('{"briefgen": "1",\n  "outputs": [,]}')
    (batch / "other.json").write_text('{"name": "not ours"}')
    broken = _cli("manifest", "merge", "m-bad-1.json", "broken.json", "other.json",
                  "absent.json", cwd=batch)
    assert broken.returncode == 1
    assert "broken.json:2:15: error: not JSON" in broken.stderr
    assert "other.json:1:1: error: not a briefgen manifest" in broken.stderr
    assert "absent.json:1:1: error: cannot read the manifest" in broken.stderr
    assert "Traceback" not in broken.stderr


def test_merge_fails_when_an_output_failed(batch, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: [unclosed\n")
    done = _cli("build", bad, "-f", "pdf", "--manifest", tmp_path / "m.json", "-q",
                "-o", tmp_path / "o", cwd=batch)
    assert done.returncode == 1
    merged = _cli("manifest", "merge", tmp_path / "m.json", "-o", tmp_path / "all.json",
                  cwd=batch)
    assert merged.returncode == 1 and "0 built, 1 failed" in merged.stderr
    assert json.loads((tmp_path / "all.json").read_text())["outputs"][0]["errors"]


@pytest.mark.parametrize("value", ["0/3", "4/3", "a/b", "3", "1/0", "-1/2", "2/4/8", ""])
def test_bad_shard_is_a_usage_error(batch, value):
    done = _cli("build", *_inputs(batch), "--shard", value, "-o", "never", cwd=batch)
    assert done.returncode == 2
    assert "--shard takes K/N with 1 <= K <= N" in done.stderr
    assert not (batch / "never").exists()


def test_api_takes_a_shard(batch):
    from briefgen import api

    inputs = [batch / p for p in _inputs(batch)]
    parts = [api.build(inputs, formats="pdf", lengths="one-page", output=batch / "api",
                       shard=(k, 2)) for k in (1, 2)]
    built = [{r.job.input for r in part} for part in parts]
    assert built[0].isdisjoint(built[1]) and built[0] | built[1] == set(inputs)
    assert api.build(inputs[:1], formats="pdf", output=batch / "api", shard="2/2") == []
    with pytest.raises(ValueError, match="shard takes K/N"):
        api.build(inputs, shard="3/2")
    with pytest.raises(TypeError, match="shard must be"):
        api.build(inputs, shard=[1, 2])


@pytest.mark.parametrize("text, message", [
    ('{"briefgen": "1", "outputs": [{"path": "a.pdf"}], "shard": {"index": "x", "count": null}}',
     "'shard' should be"),
    ('{"briefgen": "1", "outputs": [{"path": "a.pdf"}], "shard": {"index": 3, "count": 2}}',
     "'shard' should be"),
    ('{"briefgen": "1", "outputs": [], "stopped": {"signal": "SIGINT", "not_built": "x"}}',
     "'stopped' should be"),
    ('{"briefgen": "1", "outputs": [], "stopped": []}', "'stopped' should be"),
    ('{"briefgen": 1, "outputs": []}', "not a briefgen manifest"),
    ('{"briefgen": "1", "outputs": [{"input": "a.yaml"}]}', "not a briefgen manifest"),
    ('[1, 2]', "not a briefgen manifest"),
    ('{"briefgen": "1", "outputs": [', "not JSON"),
])
def test_merge_reports_hostile_manifests_at_the_file(tmp_path, text, message):
    (tmp_path / "m.json").write_text(text, encoding="utf-8")
    done = _cli("manifest", "merge", "m.json", "-o", "out.json", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.startswith("m.json:1:") and message in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out.json").exists(), "nothing written when the merge fails"
