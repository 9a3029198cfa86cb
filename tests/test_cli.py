"""The command line through click's CliRunner: exit codes, messages, files written."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from briefgen.cli import main
from conftest import EXAMPLE, ROOT, copy_example

BAD = """title: T
summary: S
source: {title: A}
challenges:
  - title: C
    summary: D
    priority: urgent
recommendations:
  - title: R
    sumary: x
"""


@pytest.fixture
def runner():
    return CliRunner()


def test_build_full_writes_both_formats(runner, tmp_path):
    result = runner.invoke(main, ["build", str(EXAMPLE), "-l", "full", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "islamabad-moscow.full.pdf"
    docx = tmp_path / "islamabad-moscow.full.docx"
    assert len(pypdf.PdfReader(pdf).pages) >= 4
    assert docx.read_bytes()[:2] == b"PK"
    assert f"built {pdf}" in result.output
    assert not list(tmp_path.glob(".*.part")), "no temporary files left behind"


def test_build_single_file_and_quiet(runner, tmp_path):
    out = tmp_path / "brief.pdf"
    result = runner.invoke(main, ["build", str(EXAMPLE), "-l", "full", "-f", "pdf", "-o",
                                  str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert result.output == ""
    assert pypdf.PdfReader(out).metadata.title.startswith("Pakistan and Russia")


def test_invalid_input_exit_1_with_located_errors(runner, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD)
    result = runner.invoke(main, ["build", str(bad), str(EXAMPLE), "-l", "full", "-o",
                                  str(tmp_path / "out")])
    assert result.exit_code == 1
    assert f"{bad}:7:15: error: challenges[1].priority: expected one of high, medium, low" \
        in result.output
    assert f"{bad}:10:5: error: recommendations[1].sumary: unknown key 'sumary'; did you " \
           "mean 'summary'?" in result.output
    assert result.output.count("unknown key 'sumary'") == 1, "each error once, not per format"
    assert "Traceback" not in result.output
    # The good input is still built.
    assert (tmp_path / "out" / "islamabad-moscow.full.pdf").is_file()
    assert not (tmp_path / "out" / "bad.full.pdf").exists()


def test_output_collisions_and_files_are_usage_errors(runner, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    copy_example(a / "brief.yaml")
    copy_example(b / "brief.yaml")
    result = runner.invoke(main, ["build", str(a / "brief.yaml"), str(b / "brief.yaml"),
                                  "-o", str(tmp_path / "o")])
    assert result.exit_code == 2 and "would both write" in result.output
    result = runner.invoke(main, ["build", str(EXAMPLE), "-o", str(a / "brief.yaml")])
    assert result.exit_code == 2 and "is a file, not a folder" in result.output
    result = runner.invoke(main, ["build", str(EXAMPLE), "-l", "one-page", "-f", "pdf", "-q",
                                  "-o", str(tmp_path / "weird.pdf") + "/"])
    assert result.exit_code == 0
    assert (tmp_path / "weird.pdf" / "islamabad-moscow.one-page.pdf").is_file()
    result = runner.invoke(main, ["build", str(EXAMPLE), "-l", "one-page", "-f", "pdf", "-q",
                                  "-o", str(tmp_path / "o2"), "--manifest", "/proc/nope.json"])
    assert result.exit_code == 1 and "cannot write the manifest" in result.output


def test_long_title_builds_with_clipped_properties(runner, tmp_path):
    brief = tmp_path / "t.yaml"
    brief.write_text("title: " + "word " * 60 + "\nsummary: s.\nsource: {title: t}\n"
                     "challenges: [{title: a, summary: b}]\n")
    result = runner.invoke(main, ["build", str(brief), "-l", "full", "-o", str(tmp_path), "-q"])
    assert result.exit_code == 0, result.output
    import docx
    title = docx.Document(str(tmp_path / "t.full.docx")).core_properties.title
    assert len(title) <= 255 and title.endswith("…")


@pytest.mark.parametrize("args", [
    ["build"],
    ["build", str(EXAMPLE), "-t", "nope"],
    ["build", str(EXAMPLE), "-f", "odt"],
    ["build", str(EXAMPLE), "-l", "full", "-o", "x.pdf"],
    ["build", str(EXAMPLE), "-l", "full", "-f", "docx", "-o", "x.pdf"],
    ["build", str(EXAMPLE), "-l", "one-page", "--pages", "3", "-o", "x.pdf"],
    ["nonsense"],
])
def test_usage_errors_exit_2(runner, args, tmp_path):
    result = runner.invoke(main, args)
    assert result.exit_code == 2, result.output


def test_lengths_and_pages_combine(runner, tmp_path):
    result = runner.invoke(main, ["build", str(EXAMPLE), "-l", "one-page", "--pages", "3",
                                  "-f", "pdf", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    one, three = tmp_path / "islamabad-moscow.one-page.pdf", \
        tmp_path / "islamabad-moscow.3-page.pdf"
    assert len(pypdf.PdfReader(one).pages) == 1
    assert 2 <= len(pypdf.PdfReader(three).pages) <= 3
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([one.name, three.name])


def test_validate(runner, tmp_path):
    result = runner.invoke(main, ["validate", str(EXAMPLE)])
    assert result.exit_code == 0 and "valid" in result.output
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD)
    result = runner.invoke(main, ["validate", str(bad), "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report[0]["valid"] is False
    assert {(d["line"], d["column"]) for d in report[0]["diagnostics"]} == {(7, 15), (9, 5),
                                                                         (10, 5)}
    assert any("missing required key 'summary'" in d["message"]
               for d in report[0]["diagnostics"])


def test_schema_and_templates_and_version(runner):
    schema = json.loads(runner.invoke(main, ["schema"]).output)
    assert schema["required"] == ["title", "summary", "source"]
    rec = schema["properties"]["recommendations"]["items"]["properties"]
    assert {"owner", "timeframe", "addresses"} <= set(rec)
    assert "owner" not in schema["properties"]["challenges"]["items"]["properties"]
    listing = runner.invoke(main, ["templates"]).output
    names = [line.split()[0] for line in listing.splitlines()]
    assert names == ["decision-memo", "handout", "policy-brief"]
    assert "MEMORANDUM FOR" in listing
    described = runner.invoke(main, ["templates", "policy-brief"]).output
    assert "margin_top" in described and "Liberation" in described
    assert runner.invoke(main, ["templates", "nope"]).exit_code == 2
    assert "0.1.0" in runner.invoke(main, ["--version"]).output


def test_init_writes_a_valid_brief_and_does_not_overwrite(runner, tmp_path):
    path = tmp_path / "new.yaml"
    assert runner.invoke(main, ["init", str(path)]).exit_code == 0
    assert runner.invoke(main, ["validate", "--strict", str(path)]).exit_code == 0
    assert runner.invoke(main, ["build", str(path), "-l", "one-page", "-o",
                                str(tmp_path / "o")]).exit_code == 0
    result = runner.invoke(main, ["init", str(tmp_path), "--force"])
    assert result.exit_code == 1 and "this is a folder" in result.output
    result = runner.invoke(main, ["init", "/proc/briefgen-nope.yaml"])
    assert result.exit_code == 1 and "cannot write the file" in result.output
    path.write_text("mine")
    result = runner.invoke(main, ["init", str(path)])
    assert result.exit_code == 1 and path.read_text() == "mine"
    assert runner.invoke(main, ["init", str(path), "--force"]).exit_code == 0


def test_output_may_not_overwrite_input(runner, tmp_path):
    src = tmp_path / "brief.pdf"  # an input that happens to be named like an output
    copy_example(src)
    result = runner.invoke(main, ["build", str(src), "-l", "full", "-f", "pdf", "-o", str(src)])
    assert result.exit_code == 1
    assert "would overwrite the input" in result.output
    assert src.read_text() == EXAMPLE.read_text()


@pytest.mark.parametrize("argv", [["--help"], ["validate", str(EXAMPLE)]])
def test_fast_commands_do_not_import_renderers(argv):
    code = ("import sys\nfrom briefgen.cli import main\n"
            "try:\n    main(%r)\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('reportlab', 'docx') if m in sys.modules]\n"
            "print(heavy)" % (argv,))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_python_m_briefgen(tmp_path):
    result = subprocess.run([sys.executable, "-m", "briefgen", "validate", str(EXAMPLE)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr


def test_process_ends_with_its_files_in_place_and_its_exit_code(tmp_path):
    """`python -m briefgen` ends its process without tearing the interpreter down
    (cli.run): every file and the manifest are complete, the report reaches a pipe, and
    the exit codes are click's (0 built, 1 an input failed, 2 a usage error)."""
    out = tmp_path / "out"
    built = subprocess.run([sys.executable, "-m", "briefgen", "build", str(EXAMPLE), "-l",
                            "one-page", "-o", str(out), "--manifest", str(out / "m.json")],
                           capture_output=True, text=True, cwd=ROOT)
    assert built.returncode == 0, built.stderr
    assert "built " in built.stderr and "(1 page)" in built.stderr
    manifest = json.loads((out / "m.json").read_text())
    for entry in manifest["outputs"]:
        data = Path(entry["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"] and len(data) == entry["bytes"]
    assert not list(out.glob(".*.part"))
    bad = tmp_path / "bad.yaml"
    bad.write_text("briefgen: 1\ntitle: [unclosed\n")
    failed = subprocess.run([sys.executable, "-m", "briefgen", "validate", str(bad)],
                            capture_output=True, text=True, cwd=ROOT)
    assert failed.returncode == 1 and f"{bad}:" in failed.stderr
    usage = subprocess.run([sys.executable, "-m", "briefgen", "build", "--no-such-option"],
                           capture_output=True, text=True, cwd=ROOT)
    assert usage.returncode == 2 and "No such option" in usage.stderr
    listed = subprocess.run(f"{sys.executable} -m briefgen --help | head -n 1", shell=True,
                            capture_output=True, text=True, cwd=ROOT)
    assert listed.stdout.startswith("Usage: "), listed


def test_installed_command_builds_from_another_folder(tmp_path):
    """The installed package carries its templates and fonts (CI installs it non-editable)."""
    from conftest import need_tool

    exe = need_tool("briefgen")
    result = subprocess.run([exe, "build", str(EXAMPLE), "-l", "full", "-f", "pdf", "-o",
                             "here"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "here" / "islamabad-moscow.full.pdf"
    assert "Bottom line" in pypdf.PdfReader(pdf).pages[0].extract_text()


def test_manifest_lists_outputs_and_failures(runner, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD)
    manifest = tmp_path / "m.json"
    result = runner.invoke(main, ["build", str(EXAMPLE), str(bad), "-l", "one-page", "-o",
                                  str(tmp_path / "out"), "--manifest", str(manifest), "-q"])
    assert result.exit_code == 1
    data = json.loads(manifest.read_text())
    ok = [o for o in data["outputs"] if "errors" not in o]
    failed = [o for o in data["outputs"] if "errors" in o]
    assert {o["format"] for o in ok} == {"pdf", "docx"}
    for o in ok:
        path = tmp_path / "out" / f"islamabad-moscow.one-page.{o['format']}"
        assert o["path"] == str(path) and o["pages"] == 1 and o["length"] == "one-page"
        import hashlib
        assert o["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert o["bytes"] == path.stat().st_size
        assert "1 low-priority opportunity" in o["left_out"]
    assert failed and failed[0]["errors"][0]["line"] == 7


def test_letter_paper(runner, tmp_path):
    import docx

    result = runner.invoke(main, ["build", str(EXAMPLE), "-l", "one-page", "--paper", "letter",
                                  "-o", str(tmp_path), "-q"])
    assert result.exit_code == 0, result.output
    page = pypdf.PdfReader(tmp_path / "islamabad-moscow.one-page.pdf").pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)
    section = docx.Document(str(tmp_path / "islamabad-moscow.one-page.docx")).sections[0]
    assert (round(section.page_width.pt), round(section.page_height.pt)) == (612, 792)


def test_markup_in_text_is_printed_literally(runner, tmp_path):
    brief = tmp_path / "hostile.yaml"
    brief.write_text('title: "<b>Bold?</b> & <img src=\\"/etc/passwd\\"/>"\n'
                     'summary: "<font color=red>red</font> { PAGE } ]]> <w:p>"\n'
                     "source: {title: S}\nchallenges: [{title: C, summary: D}]\n")
    result = runner.invoke(main, ["build", str(brief), "-l", "full", "-o", str(tmp_path), "-q"])
    assert result.exit_code == 0, result.output
    text = pypdf.PdfReader(tmp_path / "hostile.full.pdf").pages[0].extract_text()
    assert '<b>Bold?</b> & <img src="/etc/passwd"/>' in text
    assert "<font color=red>red</font> { PAGE } ]]> <w:p>" in text
    import docx

    paragraphs = [p.text for p in docx.Document(str(tmp_path / "hostile.full.docx")).paragraphs]
    assert paragraphs[0] == '<b>Bold?</b> & <img src="/etc/passwd"/>'


ADVICE = """title: T
summary: One. Two. Three. Four.
source: {title: A}
key_points: [Only one]
challenges: [{title: C, summary: D}]
"""


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_validate_shows_warnings_and_strict_fails_on_them(runner, tmp_path, as_json):
    brief = tmp_path / "advice.yaml"
    brief.write_text(ADVICE)
    extra = ["--json"] if as_json else []
    warned = {(4, 13, "key_points"), (2, 10, "summary"), (5, 14, "challenges[1]")}
    result = runner.invoke(main, ["validate", str(brief), *extra])
    assert result.exit_code == 0, result.output
    if as_json:
        found = json.loads(result.stdout)[0]
        assert found["valid"] is True
        assert {(d["line"], d["column"], d["path"]) for d in found["diagnostics"]
                if d["severity"] == "warning"} == warned
    else:
        lines = result.stderr.splitlines()
        assert {tuple(line.split(": ")[0].split(":")[1:]) for line in lines} == {
            (str(a), str(b)) for a, b, _ in warned}
        assert all(f"{brief}:" in line and ": warning: " in line for line in lines), lines
        assert result.stdout == f"{brief}: valid (3 warnings; --strict fails on them)\n"
    strict = runner.invoke(main, ["validate", "--strict", str(brief), *extra])
    assert strict.exit_code == 1
    if as_json:
        found = json.loads(strict.stdout)[0]
        assert found["valid"] is False
        assert {d["severity"] for d in found["diagnostics"]} == {"error"}
    else:
        assert strict.stderr.count(": error: ") == 3 and "valid" not in strict.stdout
