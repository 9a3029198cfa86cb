"""The Python API refuses what the command line refuses: a ValueError (TypeError for a
wrong type) that names the argument and what it accepts, before anything is built."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from briefgen import api
from briefgen.cli import FORMATS, LENGTHS, main
from briefgen.render import RENDERERS
from conftest import EXAMPLE


@pytest.fixture(scope="module")
def brief():
    return api.load(EXAMPLE)


@pytest.mark.parametrize("kwargs, error, words", [
    ({"format": "html"}, ValueError, ["format", "pdf, docx", "'html'"]),
    ({"format": 1}, TypeError, ["format", "pdf, docx"]),
    ({"length": "short"}, ValueError, ["length", "one-page, two-page, full", "'short'"]),
    ({"length": "full", "pages": 2}, ValueError, ["either length or pages"]),
    ({"pages": 0}, ValueError, ["pages", "from 1 to 100"]),
    ({"pages": 101}, ValueError, ["pages", "from 1 to 100"]),
    ({"pages": 2.5}, TypeError, ["pages", "an int"]),
    ({"pages": True}, TypeError, ["pages", "an int"]),
    ({"reserve_lines": -1}, ValueError, ["reserve_lines", "from 0 to 10"]),
    ({"reserve_lines": 10.5}, ValueError, ["reserve_lines", "from 0 to 10"]),
    ({"reserve_lines": "1"}, TypeError, ["reserve_lines", "a number"]),
    ({"paper": "a5"}, ValueError, ["paper", "a4, letter", "'a5'"]),
    ({"paper": "A4"}, ValueError, ["paper", "a4, letter"]),
    ({"template": "nope"}, ValueError, ["template", "no template 'nope'", "policy-brief"]),
    ({"template": 3}, TypeError, ["template", "str or pathlib.Path"]),
])
def test_render_refuses_bad_arguments(brief, kwargs, error, words):
    with pytest.raises(error) as err:
        api.render(brief, **kwargs)
    for word in words:
        assert word in str(err.value), (word, str(err.value))


def test_render_refuses_what_is_not_a_brief():
    with pytest.raises(TypeError, match="brief must be a Brief"):
        api.render(str(EXAMPLE))


def test_paper_is_not_blamed_on_the_template(brief):
    """An unknown paper is the argument's fault, never located in the built-in template."""
    with pytest.raises(ValueError) as err:
        api.render(brief, paper="a5")
    assert "template.yaml" not in str(err.value)


@pytest.mark.parametrize("args, kwargs, error, words", [
    ((5,), {}, TypeError, ["inputs", "path"]),
    (([],), {}, ValueError, ["inputs is empty"]),
    (([5],), {}, TypeError, ["inputs", "str or pathlib.Path"]),
    ((b"x.yaml",), {}, TypeError, ["inputs"]),
    ((EXAMPLE,), {"formats": ("html",)}, ValueError, ["formats", "pdf, docx", "'html'"]),
    ((EXAMPLE,), {"formats": ()}, ValueError, ["formats is empty"]),
    ((EXAMPLE,), {"lengths": ("one-page", "half")}, ValueError, ["lengths", "'half'"]),
    ((EXAMPLE,), {"pages": 0}, ValueError, ["pages", "from 1 to 100"]),
    ((EXAMPLE,), {"workers": 0}, ValueError, ["workers", "from 1 to 64"]),
    ((EXAMPLE,), {"workers": 1.5}, TypeError, ["workers", "an int"]),
    ((EXAMPLE,), {"reserve_lines": 11}, ValueError, ["reserve_lines", "from 0 to 10"]),
    ((EXAMPLE,), {"paper": "legal"}, ValueError, ["paper", "a4, letter"]),
    ((EXAMPLE,), {"template": "nope"}, ValueError, ["template", "no template 'nope'"]),
    ((EXAMPLE,), {"output": 3}, TypeError, ["output", "str or pathlib.Path"]),
    ((EXAMPLE,), {"output": "x.pdf"}, ValueError, ["output", "names one file"]),
    ((EXAMPLE,), {"output": str(EXAMPLE)}, ValueError, ["output", "is a file, not a folder"]),
])
def test_build_refuses_bad_arguments(tmp_path, monkeypatch, args, kwargs, error, words):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(error) as err:
        api.build(*args, **kwargs)
    for word in words:
        assert word in str(err.value), (word, str(err.value))
    assert list(tmp_path.iterdir()) == [], "nothing built"


def test_paths_may_be_str_or_path_and_one_input_is_enough(tmp_path):
    assert api.load(str(EXAMPLE)).title == api.load(EXAMPLE).title
    assert api.check(str(EXAMPLE)) == api.check(EXAMPLE) == []
    for inputs, output in ((str(EXAMPLE), str(tmp_path / "a")), (EXAMPLE, tmp_path / "b"),
                           ([str(EXAMPLE)], tmp_path / "c")):
        results = api.build(inputs, formats="pdf", lengths="one-page", output=output)
        assert [r.job.path for r in results] == [
            Path(output) / "islamabad-moscow.one-page.pdf"]
        assert results[0].ok and results[0].job.path.read_bytes().startswith(b"%PDF")
    folder = Path(__file__).parent.parent / "docs" / "examples" / "house-style"
    out = api.render(api.load(EXAMPLE), "pdf", length="one-page", template=folder)
    assert out.pages == 1


def test_loads_takes_text_or_bytes_and_names_wrong_types():
    text = EXAMPLE.read_text(encoding="utf-8")
    name = str(EXAMPLE)  # its source.text is found from the brief's folder
    assert api.loads(text, name).title == api.loads(text.encode("utf-8"), name).title
    with pytest.raises(TypeError, match="text must be a str"):
        api.loads(5)
    with pytest.raises(TypeError, match="name must be a str"):
        api.loads(text, name=3)
    with pytest.raises(api.BriefError) as err:
        api.loads(b"title: \xff\n", "bad.yaml")
    assert err.value.diagnostics[0].file == "bad.yaml"
    with pytest.raises(TypeError, match="path must be a path"):
        api.load(3)
    with pytest.raises(TypeError, match="path must be a path"):
        api.check(None)


def test_api_ranges_are_the_command_lines():
    """The API's allowed values are the CLI's: formats, lengths, papers and the ranges of
    --pages, --reserve-lines and -j."""
    assert api.FORMATS == FORMATS == tuple(RENDERERS)
    assert api.LENGTHS == LENGTHS
    options = {p.name: p for p in main.commands["build"].params}
    assert tuple(options["paper"].type.choices) == api.PAPERS
    for name, bounds in (("pages", api.PAGES), ("reserve_lines", api.RESERVE_LINES),
                         ("jobs", api.WORKERS)):
        kind = options[name].type
        assert isinstance(kind, (click.IntRange, click.FloatRange))
        assert (kind.min, kind.max) == bounds, name


def test_docs_api_lists_every_function_with_its_signature():
    import inspect

    text = (Path(__file__).parent.parent / "docs" / "api.md").read_text()
    for name in ("load", "loads", "check", "render", "build"):
        params = inspect.signature(getattr(api, name)).parameters
        row = next((line for line in text.splitlines() if line.startswith(f"| `{name}(")),
                   None)
        assert row is not None, f"docs/api.md has no row for {name}"
        for p in params:
            assert re.search(rf"\b{p}\b", row), f"docs/api.md: {name} lacks {p}"
