"""The README is true: its command synopsis is the click command tree, its CI example
installs briefgen the way a project that is not on PyPI can and its commands run as
written, and what it says about the manifest matches what `build` writes."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import click
import yaml

from briefgen.cli import main
from conftest import EXAMPLE, ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
TOKEN = re.compile(r"\[[^\]]*\](?:\.\.\.)?|\S+")


def _section(title: str) -> str:
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start:end if end != -1 else None]


def _blocks(text: str, lang: str = "") -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", text, re.S)


def _option(param: click.Option) -> str:
    """How the README writes an option: its first flag, its value (the choices, or the
    metavar cli.py gives it), `...` when it repeats."""
    flag = param.opts[0]
    if param.is_flag:
        return f"[{flag}]"
    if isinstance(param.type, click.Choice):
        value = "|".join(param.type.choices)
    else:
        assert param.metavar, f"give {flag} a metavar= in cli.py (the README shows it)"
        value = param.metavar
    return f"[{flag} {value}]" + ("..." if param.multiple else "")


def _argument(param: click.Argument) -> str:
    name = param.metavar or param.name.upper()
    if param.nargs == -1 and not name.endswith("..."):
        name += "..."
    return name if param.required else f"[{name}]"


def expected_synopsis() -> dict[str, list[str]]:
    """`briefgen COMMAND` -> its tokens, from the click command tree."""
    out = {}
    commands = []
    for name, command in main.commands.items():
        if isinstance(command, click.Group):  # briefgen manifest merge ...
            commands += [(f"{name} {sub}", c) for sub, c in command.commands.items()]
        else:
            commands.append((name, command))
    for name, command in commands:
        if command.hidden:
            continue
        tokens = []
        for param in command.params:
            if isinstance(param, click.Argument):
                tokens.append(_argument(param))
            elif not param.hidden and param.name != "help":
                tokens.append(_option(param))
        out[f"briefgen {name}"] = tokens
    for param in main.params:
        if isinstance(param, click.Option) and param.name not in ("help",):
            out[f"briefgen {param.opts[0]}"] = []
    return out


def readme_synopsis() -> dict[str, list[str]]:
    """The README's Commands block: each `briefgen ...` line with its indented continuation
    lines, without the description after two or more spaces."""
    block = _blocks(_section("Commands"))[0]
    out: dict[str, list[str]] = {}
    current = None
    for line in block.splitlines():
        if line.startswith("briefgen "):
            words = re.split(r"\s{2,}", line.strip())[0].split()
            group = len(words) > 2 and isinstance(main.commands.get(words[1]), click.Group)
            current = " ".join(words[:3 if group else 2])
            assert current not in out, f"README lists {current} twice"
            out[current] = TOKEN.findall(" ".join(words[3 if group else 2:]))
        elif line.strip() and current:
            out[current] += TOKEN.findall(re.split(r"\s{2,}", line.strip())[0])
    return out


def test_readme_synopsis_is_the_command_tree():
    want, have = expected_synopsis(), readme_synopsis()
    problems = []
    for command, tokens in want.items():
        line = " ".join([command] + tokens)
        if command not in have:
            problems.append(f"add this line to README.md's Commands block:\n    {line}")
            continue
        missing = [t for t in tokens if t not in have[command]]
        extra = [t for t in have[command] if t not in tokens]
        if missing or extra:
            problems.append(f"README.md's `{command}` line should read:\n    {line}\n"
                            f"  (missing: {' '.join(missing) or '-'}; not in cli.py: "
                            f"{' '.join(extra) or '-'})")
    for command in have:
        if command not in want:
            problems.append(f"README.md lists `{command}`, which the command line lacks")
    assert not problems, "\n".join(problems)


def test_number_options_show_their_kind():
    """An option taking a whole number shows N; one taking a fraction shows another word
    (and its help says fractions are allowed), so nobody reads --reserve-lines as whole
    lines only."""
    for command in main.commands.values():
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden:
                if isinstance(param.type, click.IntRange):
                    assert param.metavar == "N", param.opts
                if isinstance(param.type, click.FloatRange):
                    assert param.metavar not in (None, "N"), param.opts


def test_ci_example_installs_from_the_repository_and_runs_as_written(tmp_path):
    """The workflow parses, installs briefgen without PyPI, and its briefgen steps
    succeed in a copy of this repository's layout."""
    blocks = _blocks(_section("In CI and in scripts"), "yaml")
    workflow = yaml.safe_load(blocks[0])
    steps = workflow["jobs"]["briefs"]["steps"]
    runs = [s["run"] for s in steps if "run" in s]
    installs = [r for r in runs if r.startswith("pip install")]
    assert installs == ["pip install ."], "the job installs this checkout, not from PyPI"
    assert (ROOT / "pyproject.toml").is_file()
    other = yaml.safe_load(blocks[2])[0]["run"]
    assert re.fullmatch(r'pip install "briefgen @ git\+https://\S+@REF"', other), other
    assert "pip install briefgen" not in README.replace("pip install briefgen @", "")
    work = tmp_path / "repo"
    shutil.copytree(ROOT / "inputs", work / "inputs")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for step in steps:
        if "run" in step and step["run"].startswith("briefgen "):
            env.update(step.get("env", {}))
            command = step["run"].replace("briefgen ", f"{sys.executable} -m briefgen ", 1)
            result = subprocess.run(["bash", "-c", command], cwd=work, env=env,
                                    capture_output=True, text=True)
            assert result.returncode == 0, (step["run"], result.stderr)
    manifest = json.loads((work / "out" / "manifest.json").read_text())
    from briefgen.book import is_book

    inputs = list((ROOT / "inputs").glob("*.yaml"))
    books = [p for p in inputs if is_book(p)]  # a book: one file per format, not per length
    assert books and len(manifest["outputs"]) == 4 * (len(inputs) - len(books)) + 2 * len(books)


def test_sharded_ci_example_builds_everything_once(tmp_path):
    """The four-shard matrix and its merge job, run step by step as written (the artifact
    steps become a shared folder): every input built once, one merged manifest."""
    workflow = yaml.safe_load(_blocks(_section("In CI and in scripts"), "yaml")[1])
    build, merge = workflow["jobs"]["build"], workflow["jobs"]["merge"]
    assert merge["needs"] == "build"
    shards = build["strategy"]["matrix"]["shard"]
    assert shards == [1, 2, 3, 4]
    work = tmp_path / "repo"
    shutil.copytree(ROOT / "inputs", work / "inputs")
    for n in range(5):  # more inputs than the example alone, so every shard has work
        shutil.copy(EXAMPLE, work / "inputs" / f"copy-{n}.yaml")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def run(step, shard=None):
        command = step["run"].replace("${{ matrix.shard }}", str(shard))
        command = command.replace("briefgen ", f"{sys.executable} -m briefgen ", 1)
        result = subprocess.run(["bash", "-c", command], cwd=work, env=env,
                                capture_output=True, text=True)
        assert result.returncode == 0, (command, result.stderr)

    for shard in shards:
        for step in build["steps"]:
            if "run" in step and step["run"].startswith("briefgen "):
                run(step, shard)
    for step in merge["steps"]:
        if "run" in step and step["run"].startswith("briefgen "):
            run(step)
    merged = json.loads((work / "out" / "manifest.json").read_text())
    inputs = sorted(str(p.relative_to(work)) for p in (work / "inputs").glob("*.yaml"))
    assert sorted({o["input"] for o in merged["outputs"]}) == inputs
    assert len(merged["outputs"]) == 2 * len(inputs)  # PDF and DOCX, one-page, once each


def test_manifest_is_described_as_it_is_written(tmp_path):
    result = subprocess.run([sys.executable, "-m", "briefgen", "build", str(EXAMPLE), "-l",
                             "one-page", "-f", "pdf", "-o", str(tmp_path), "--manifest",
                             str(tmp_path / "m.json"), "-q"], cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0
    data = json.loads((tmp_path / "m.json").read_text())
    assert isinstance(data, dict) and set(data) == {"briefgen", "outputs"}
    assert '`{"briefgen": VERSION, "outputs": [...]}`' in README
    assert "JSON list" not in README
    help_text = main.commands["build"].params
    manifest = next(p for p in help_text if p.name == "manifest")
    assert "JSON object" in manifest.help
    schema = json.loads((ROOT / "docs" / "manifest.schema.json").read_text())
    assert schema["type"] == "object" and "stopped" in schema["properties"]


def test_speed_table_rows_are_the_benchmarks_figures():
    """The README's Speed table has one row per figure tests/benchmark.py prints, with the
    benchmark's own label, the command that made it and the machine."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("benchmark", ROOT / "tests" / "benchmark.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    speed = _section("Speed")
    assert "python tests/benchmark.py" in speed
    rows = [line for line in speed.splitlines() if line.startswith("| ") and
            not line.startswith(("| figure", "| ---"))]
    labels = [row.split("|")[1].strip() for row in rows]
    assert labels == list(bench.LABELS), "README Speed rows differ from benchmark.LABELS"
    for row in rows:
        assert re.search(r"\d", row.split("|")[2]), f"no figure in: {row}"
    machine = re.search(r"Measured on (.+?) \(", speed)
    assert machine and "cores" in machine.group(1), "the Speed section names the machine"
