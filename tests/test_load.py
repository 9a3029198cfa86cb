"""The loader against the input format contract (/work/shared/SPEC.md, "Rules").

Fixtures:

- ``tests/fixtures/invalid/<case>.yaml`` start with a comment header with one line per
  expected diagnostic::

      # expect: LINE:COL SUBSTRING

  The diagnostics of ``load()`` must sit at exactly those positions (as a multiset: no
  missing and no unexpected errors), and each SUBSTRING must appear in the formatted
  diagnostic at its position (``FILE:LINE:COL: error: path: message``).
- ``tests/fixtures/valid/<case>.yaml`` must load; ``VALID_CHECKS`` below holds the field
  values each one must produce (a fixture without an entry there fails).

Inputs that need raw bytes (BOM, non-UTF-8, empty, huge, deeply nested) are made in the
tests with ``tmp_path``.
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.cli import main
from briefgen.errors import BriefError, Diagnostic
from briefgen.load import MAX_BYTES, check, load, load_text
from conftest import copy_example

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
INVALID = sorted((FIXTURES / "invalid").glob("*.yaml"))
VALID = sorted((FIXTURES / "valid").glob("*.yaml"))
EXAMPLE = ROOT / "inputs" / "islamabad-moscow.yaml"

EXPECT = re.compile(r"^# expect: (\d+):(\d+) (.+)$")

MINIMAL = """\
title: Pakistan and Russia
summary: A closer relationship serves regional stability.
source:
  title: The prospects of Islamabad's marriage with Moscow
challenges:
  - title: Terrorism and drugs from Afghanistan
    summary: Instability spills over into both countries.
"""


# -- helpers -----------------------------------------------------------------------------

def expectations(path: Path) -> list[tuple[int, int, str]]:
    """The `# expect:` lines of a fixture's leading comment block."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        m = EXPECT.match(line)
        if m:
            found.append((int(m[1]), int(m[2]), m[3]))
        else:
            assert not line.startswith("# expect"), f"{path.name}: malformed header {line!r}"
    return found


def errors_of(path: Path) -> list[Diagnostic]:
    with pytest.raises(BriefError) as info:
        load(path)
    return info.value.diagnostics


def assert_well_formed(d: Diagnostic, file: str) -> None:
    """The one-line `FILE:LINE:COL: severity: ` form editors and CI parse."""
    assert d.file == file
    assert d.line >= 1 and d.column >= 1, d
    text = d.format()
    assert text.startswith(f"{file}:{d.line}:{d.column}: {d.severity}: "), text
    assert "\n" not in text and "\r" not in text, text
    assert "Traceback" not in text


def write(tmp_path: Path, data: bytes | str, name: str = "brief.yaml") -> Path:
    p = tmp_path / name
    if isinstance(data, str):
        data = data.encode("utf-8")
    p.write_bytes(data)
    return p


def run_cli(*args: str):
    result = CliRunner().invoke(main, list(args))
    # a user-caused problem never escapes as an exception (click turns SystemExit into exit_code)
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    return result


# -- fixtures: invalid -------------------------------------------------------------------

def test_fixture_folders_are_populated():
    assert len(INVALID) >= 30 and len(VALID) >= 5
    for path in INVALID:
        assert expectations(path), f"{path.name} has no '# expect:' header"
    for path in VALID:
        assert not expectations(path), f"valid fixture {path.name} expects errors"


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_fixture(path: Path):
    expected = expectations(path)
    diagnostics = errors_of(path)
    file = str(path)
    for d in diagnostics:
        assert_well_formed(d, file)
        assert d.severity == "error"
    got = sorted((d.line, d.column) for d in diagnostics)
    want = sorted((line, col) for line, col, _ in expected)
    assert got == want, "positions differ:\n" + "\n".join(d.format() for d in diagnostics)
    unused = list(diagnostics)
    for line, col, text in expected:
        match = next((d for d in unused if (d.line, d.column) == (line, col)
                      and text in d.format()), None)
        assert match is not None, (
            f"no diagnostic at {line}:{col} contains {text!r}; got:\n"
            + "\n".join(d.format() for d in diagnostics))
        unused.remove(match)
    # all errors at once, in file order
    assert [(d.line, d.column) for d in diagnostics] == got


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_check_and_validate_agree_with_load(path: Path):
    brief, diagnostics = check(path)
    assert brief is None
    assert [d.format() for d in diagnostics] == [d.format() for d in errors_of(path)]
    result = run_cli("validate", str(path))
    assert result.exit_code == 1
    assert diagnostics[0].format() in result.stderr
    assert f"{path}: valid" not in result.stdout
    assert result.stderr.splitlines() == [d.format() for d in diagnostics]


def test_three_errors_reported_at_once_in_line_order():
    diagnostics = errors_of(FIXTURES / "invalid" / "three-errors.yaml")
    assert [d.path for d in diagnostics] == [
        "source.date", "challenges[1].priority", "recommendations[1].ownr"]
    assert [d.line for d in diagnostics] == sorted(d.line for d in diagnostics)


def test_object_tag_is_never_constructed(tmp_path: Path):
    marker = tmp_path / "pwned"
    text = MINIMAL.replace(
        "title: Pakistan and Russia",
        f'title: !!python/object/apply:os.system ["touch {marker}"]', 1)
    with pytest.raises(BriefError) as info:
        load(write(tmp_path, text))
    assert "is not allowed" in info.value.diagnostics[0].message
    assert not marker.exists()


# -- fixtures: valid ---------------------------------------------------------------------

def _minimal(b):
    assert b.title == "Pakistan and Russia"
    assert b.summary == "A closer relationship serves regional stability."
    assert b.source.title == "The prospects of Islamabad's marriage with Moscow"
    assert b.source.author is None and b.source.date is None
    assert b.briefgen == 1 and b.subtitle is None and b.prepared is None
    assert b.opportunities == () and b.recommendations == () and b.key_points == ()
    (c,) = b.challenges
    assert (c.title, c.summary) == ("Terrorism and drugs from Afghanistan",
                                    "Instability spills over into both countries.")
    assert c.priority == "medium"  # the default
    assert (c.section, c.index, c.id, c.evidence, c.tags) == ("challenges", 0, None, (), ())
    assert b.extensions == ()


def _extensions(b):
    assert dict(b.extensions) == {"x-reviewed-by": "Desk editor",
                                  "x-workflow": {"status": "draft", "rounds": [1, 2]}}
    assert [k for k, _ in b.extensions] == ["x-reviewed-by", "x-workflow"]  # file order
    assert b.source.title == "The prospects of Islamabad's marriage with Moscow"
    assert b.opportunities[0].title == "Regional economic integration"
    assert b.recommendations[0].owner == "Ministry of Foreign Affairs"
    assert "x-analyst-note" not in repr(b) and "x-internal" not in repr(b)


def _evidence_string(b):
    (item,) = b.opportunities
    first, second = item.evidence
    assert first.quote == "There is a huge untapped potential for bilateral cooperation."
    assert first.paragraph is None and first.page is None
    assert (second.quote, second.paragraph, second.page) == (
        "Russia can act as a balancer.", 7, 2)


def _dates(b):
    assert b.source.date == datetime.date(2025, 1, 18)
    assert b.prepared.date == datetime.date(2026, 11, 27)
    assert type(b.source.date) is datetime.date and type(b.prepared.date) is datetime.date
    assert (b.prepared.by, b.prepared.for_, b.prepared.classification) == (
        "Regional Affairs Desk", "Office of the Foreign Secretary", "UNCLASSIFIED")


def _anchors(b):
    assert b.challenges[0].summary == b.summary == \
        "A closer relationship serves regional stability."
    assert b.challenges[0].tags == b.recommendations[0].tags == ("security", "afghanistan")
    assert b.recommendations[0].addresses == ("afghanistan-spillover",)
    assert dict(b.extensions) == {"x-common-tags": ["security", "afghanistan"]}


def _numbers_as_text(b):
    assert b.title == "2025" and b.summary == "3.50"  # as typed, not 3.5
    assert b.source.title == "1984" and b.source.author == "007"
    (c,) = b.challenges
    assert c.title == "2025-01-18" and c.summary == "1e3"
    assert c.tags == ("2025", "10")


def _full(b):
    assert b.briefgen == 1
    assert b.title == "Pakistan and Russia: a partnership worth building"
    assert b.subtitle == "Opportunities, challenges and recommendations"
    assert b.summary.strip() == \
        "A closer Pakistan-Russia relationship serves **regional stability**."
    assert b.key_points == ("Cooperation on Afghanistan is the shared core interest.",
                            "Connectivity pays off once the region is stable.")
    assert b.context.split("\n\n") == ["Relations were mixed during the Cold War.",
                                       "They are improving.\n"]
    assert b.source.url == "https://example.org/article"
    assert b.source.publisher == "Global Village Space"
    (o,), (c,), (r,) = b.opportunities, b.challenges, b.recommendations
    assert (o.id, o.priority, o.tags) == ("eurasian-integration", "high",
                                          ("trade", "connectivity"))
    assert o.evidence[0].paragraph == 4
    assert "\n\n" in o.detail
    assert (c.id, c.priority) == ("afghanistan-spillover", "low")
    assert (r.owner, r.timeframe, r.priority) == ("Ministry of Foreign Affairs",
                                                  "6-12 months", "high")
    assert r.addresses == ("afghanistan-spillover", "eurasian-integration")
    assert [(i.section, i.index) for i in b.items] == [
        ("opportunities", 0), ("challenges", 0), ("recommendations", 0)]
    assert b.item_by_id("afghanistan-spillover") is c


VALID_CHECKS = {
    "minimal": _minimal,
    "extensions": _extensions,
    "evidence-string": _evidence_string,
    "dates": _dates,
    "anchors": _anchors,
    "numbers-as-text": _numbers_as_text,
    "full": _full,
}


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_fixture(path: Path):
    assert path.stem in VALID_CHECKS, f"add the expected field values of {path.name}"
    brief = load(path)
    assert brief.path == str(path)
    VALID_CHECKS[path.stem](brief)
    again, diagnostics = check(path)
    assert again == brief
    assert all(d.severity == "warning" for d in diagnostics)
    for d in diagnostics:
        assert_well_formed(d, str(path))
    assert run_cli("validate", str(path)).exit_code == 0


def test_example_brief_loads():
    brief = load(EXAMPLE)
    assert brief.title == "Pakistan and Russia: a partnership worth building"
    assert brief.source.date == datetime.date(2025, 1, 18)
    assert len(brief.items) >= 3
    ids = {i.id for i in brief.items if i.id}
    for r in brief.recommendations:
        assert set(r.addresses) <= ids


# -- bytes: BOM, encodings, empty, size, nesting -----------------------------------------

def test_bom_is_accepted(tmp_path: Path):
    brief = load(write(tmp_path, b"\xef\xbb\xbf" + MINIMAL.encode()))
    _minimal(brief)


def test_bom_does_not_shift_positions(tmp_path: Path):
    bad = MINIMAL + "    priority: hgih\n"
    plain = errors_of(write(tmp_path, bad, "plain.yaml"))
    bom = errors_of(write(tmp_path, b"\xef\xbb\xbf" + bad.encode(), "bom.yaml"))
    assert [(d.line, d.column, d.message) for d in bom] == \
        [(d.line, d.column, d.message) for d in plain] == [
            (8, 15, "expected one of high, medium, low, found 'hgih'; did you mean 'high'?")]


@pytest.mark.parametrize("data, line, col, byte", [
    (b"title: caf\xe9\n", 1, 11, "0xe9"),  # Latin-1
    (MINIMAL.encode().replace(b"Instability", b"Instabilit\xff"), 7, 24, "0xff"),
    (b"\xff\xfe" + "title: x\n".encode("utf-16-le"), 1, 1, "0xff"),  # UTF-16 with BOM
], ids=["latin-1", "late-line", "utf-16"])
def test_non_utf8_is_located(tmp_path: Path, data: bytes, line: int, col: int, byte: str):
    (d,) = errors_of(write(tmp_path, data))
    assert (d.line, d.column) == (line, col)
    assert "not UTF-8" in d.message and byte in d.message
    assert_well_formed(d, str(tmp_path / "brief.yaml"))


@pytest.mark.parametrize("data, text", [
    (b"", "the file is empty"),
    (b"  \n\t\n\n", "the file is empty"),
    (b"\xef\xbb\xbf", "the file is empty"),
    (b"# only a comment\n", "no YAML document"),
], ids=["empty", "whitespace", "bom-only", "comment-only"])
def test_empty_files(tmp_path: Path, data: bytes, text: str):
    (d,) = errors_of(write(tmp_path, data))
    assert text in d.message and (d.line, d.column) == (1, 1)


def test_huge_file_gets_a_size_error(tmp_path: Path):
    # a valid brief padded by an x- block of text, so only the size can be wrong
    data = MINIMAL.encode() + b"x-padding: |\n" + (b"  " + b"a" * 100 + b"\n") * (MAX_BYTES // 100)
    assert len(data) > 2 * 1024 * 1024
    path = write(tmp_path, data)
    (d,) = errors_of(path)
    assert "at most 2,097,152 bytes" in d.message and f"{len(data):,} bytes" in d.message
    assert (d.line, d.column) == (1, 1)
    brief, diagnostics = check(path)
    assert brief is None and diagnostics[0].message == d.message
    result = run_cli("validate", str(path))
    assert result.exit_code == 1 and "at most 2,097,152 bytes" in result.stderr


@pytest.mark.parametrize("text", [
    "title: " + "[" * 10000 + "]" * 10000 + "\n",
    "title: " + "{a: " * 10000 + "x" + "}" * 10000 + "\n",
    MINIMAL + "x-deep: " + "[" * 10000 + "]" * 10000 + "\n",
    MINIMAL + "x-deep:\n  " + "- " * 10000 + "x\n",
    MINIMAL + "x-deep:\n" + "".join(" " * i + "a:\n" for i in range(1, 1000)) + " " * 1000 + "x\n",
], ids=["flow-lists", "flow-mappings", "under-x-key", "block-lists", "block-mappings"])
def test_deep_nesting_is_a_clear_error(tmp_path: Path, text: str):
    path = write(tmp_path, text)
    (d,) = errors_of(path)  # a BriefError: a RecursionError must not escape
    assert "nested" in d.message
    assert_well_formed(d, str(path))
    brief, diagnostics = check(path)
    assert brief is None and "nested" in diagnostics[0].message
    result = run_cli("validate", str(path))
    assert result.exit_code == 1 and "nested" in result.stderr


def test_moderate_nesting_under_x_key_is_kept(tmp_path: Path):
    brief = load(write(tmp_path, MINIMAL + "x-deep: " + "[" * 15 + "1" + "]" * 15 + "\n"))
    value = dict(brief.extensions)["x-deep"]
    for _ in range(15):
        (value,) = value
    assert value == 1


def test_nesting_deeper_than_any_brief_needs_is_a_located_error(tmp_path: Path):
    path = write(tmp_path, MINIMAL + "x-deep: " + "[" * 50 + "1" + "]" * 50 + "\n")
    with pytest.raises(BriefError) as err:
        load(path)
    (d,) = err.value.diagnostics
    line = MINIMAL.count("\n") + 1
    assert (d.line, d.column) == (line, 8 + 20)
    assert "nested more than 20 levels deep" in d.message


@pytest.mark.parametrize("written", ["010", "1:30", "0x1F", "1_000", "+3", "0b11"])
def test_yaml_integer_forms_never_crash(written: str):
    # PyYAML reads all of these as ints; the loader must not hand them to int(x, 0) raw.
    text = MINIMAL + f"    evidence:\n      - quote: q\n        paragraph: {written}\n"
    brief = load_text(text, "f.yaml")
    assert brief.challenges[0].evidence[0].paragraph >= 1


def test_unreadable_path(tmp_path: Path):
    missing = tmp_path / "nope.yaml"
    (d,) = errors_of(missing)
    assert "cannot read the file" in d.message
    brief, diagnostics = check(tmp_path)  # a directory
    assert brief is None and "cannot read the file" in diagnostics[0].message
    result = run_cli("validate", str(missing))
    assert result.exit_code == 1 and "cannot read the file" in result.stderr


# -- diagnostics -------------------------------------------------------------------------

def test_diagnostic_format():
    d = Diagnostic("b.yaml", 4, 3, "expected one of high, medium, low, found 'x'",
                   "recommendations[2].priority")
    assert d.format() == ("b.yaml:4:3: error: recommendations[2].priority: "
                          "expected one of high, medium, low, found 'x'")
    assert Diagnostic("b.yaml", 1, 1, "the file is empty").format() == \
        "b.yaml:1:1: error: the file is empty"
    assert Diagnostic("b.yaml", 2, 5, "m", "p", "warning").format() == \
        "b.yaml:2:5: warning: p: m"
    assert d.as_dict() == {"file": "b.yaml", "line": 4, "column": 3, "severity": "error",
                           "path": "recommendations[2].priority",
                           "message": "expected one of high, medium, low, found 'x'"}


def test_brief_error_message_lists_every_diagnostic():
    with pytest.raises(BriefError) as info:
        load(FIXTURES / "invalid" / "three-errors.yaml")
    assert str(info.value).splitlines() == [d.format() for d in info.value.diagnostics]


# -- warnings, --strict, --json ----------------------------------------------------------

def test_check_returns_warnings(tmp_path: Path):
    # the one item has evidence, so the only warning is about the six key points
    text = MINIMAL + "    evidence: [A quote from the source.]\nkey_points:\n" + "".join(
        f"  - Point number {n} is one sentence.\n" for n in range(1, 7))
    path = write(tmp_path, text)
    brief, diagnostics = check(path)
    assert brief is not None and len(brief.key_points) == 6
    (w,) = diagnostics
    assert w.severity == "warning" and w.path == "key_points"
    assert "6 key points" in w.message and "two to five" in w.message
    assert (w.line, w.column) == (10, 3)
    assert w.format().startswith(f"{path}:10:3: warning: key_points: ")
    assert load(path) == brief  # warnings never make load() fail


def test_check_warns_about_long_summary_and_missing_evidence(tmp_path: Path):
    text = MINIMAL.replace("regional stability.", "stability. Two. Three. Four.")
    brief, diagnostics = check(write(tmp_path, text))
    assert brief is not None
    assert [(d.path, d.severity) for d in diagnostics] == [
        ("summary", "warning"), ("challenges[1]", "warning")]
    assert "4 sentences" in diagnostics[0].message
    assert "no evidence" in diagnostics[1].message
    assert (diagnostics[1].line, diagnostics[1].column) == (6, 5)


def test_validate_strict_turns_warnings_into_errors(tmp_path: Path):
    path = write(tmp_path, MINIMAL)  # valid, with a "no evidence" warning
    plain = run_cli("validate", str(path))
    assert plain.exit_code == 0
    assert f"{path}:6:5: warning: challenges[1]: no evidence" in plain.stderr
    assert f"{path}: valid" in plain.stdout
    strict = run_cli("validate", "--strict", str(path))
    assert strict.exit_code == 1
    assert f"{path}:6:5: error: challenges[1]: no evidence" in strict.stderr
    assert f"{path}: valid" not in strict.stdout


def test_validate_strict_passes_a_brief_without_warnings():
    path = FIXTURES / "valid" / "evidence-string.yaml"
    assert check(path)[1] == []
    assert run_cli("validate", "--strict", str(path)).exit_code == 0


def test_validate_json(tmp_path: Path):
    good = FIXTURES / "valid" / "minimal.yaml"
    bad = FIXTURES / "invalid" / "three-errors.yaml"
    result = run_cli("validate", "--json", str(good), str(bad))
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert [(r["file"], r["valid"]) for r in report] == [(str(good), True), (str(bad), False)]
    for r in report:
        assert set(r) >= {"file", "valid", "diagnostics"}
        for d in r["diagnostics"]:
            assert isinstance(d["line"], int) and isinstance(d["column"], int)
            assert d["line"] >= 1 and d["column"] >= 1
            assert d["file"] == r["file"] and d["severity"] in ("error", "warning")
    assert [d["severity"] for d in report[0]["diagnostics"]] == ["warning"]
    assert [(d["line"], d["column"], d["path"]) for d in report[1]["diagnostics"]] == [
        (9, 9, "source.date"), (14, 15, "challenges[1].priority"),
        (19, 5, "recommendations[1].ownr")]

    strict = json.loads(run_cli("validate", "--json", "--strict", str(good)).stdout)
    assert strict[0]["valid"] is False
    assert [d["severity"] for d in strict[0]["diagnostics"]] == ["error"]


# -- property: mutations of the example brief never crash the loader ---------------------

EXAMPLE_BYTES = EXAMPLE.read_bytes()
EXAMPLE_LINES = EXAMPLE_BYTES.splitlines(keepends=True)
VALUE_LINES = [i for i, line in enumerate(EXAMPLE_LINES)
               if re.match(rb"^\s*(- )?[a-z_]+: \S", line)]
ODD_VALUES = [b"[a, b]", b"{x: 1}", b"yes", b"~", b"''", b"12", b"-3", b"1.5", b"2025-13-01",
              b"2025-01-18 10:00:00", b"*nope", b"&anchor x", b"!tag x", b"|", b">-",
              b"!!python/object/apply:os.system [true]", b"[[[[", b"'unclosed", b"- x",
              b"010", b"1:30", b"0x_", b"\"\\u00e9\"", b"\xff", b"\t"]


@st.composite
def mutated_example(draw) -> bytes:
    lines = list(EXAMPLE_LINES)
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["delete", "duplicate", "slice-text", "slice-bytes",
                                     "swap-type"]))
        if kind == "swap-type":
            i = draw(st.sampled_from(VALUE_LINES))
            if i >= len(lines):
                continue
            head = re.match(rb"^(\s*(?:- )?[a-z_]+: )", lines[i])
            if head:
                lines[i] = head[1] + draw(st.sampled_from(ODD_VALUES)) + b"\n"
            continue
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        if kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        else:
            data = b"".join(lines)
            start = draw(st.integers(0, len(data)))
            end = draw(st.integers(start, min(len(data), start + 200)))
            new = (draw(st.text(max_size=40)).encode("utf-8") if kind == "slice-text"
                   else draw(st.binary(max_size=40)))
            lines = (data[:start] + new + data[end:]).splitlines(keepends=True)
    return b"".join(lines)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=mutated_example())
def test_mutations_never_crash(tmp_path: Path, data: bytes):
    path = copy_example(tmp_path / "mutated.yaml", data)  # its article beside it
    brief, diagnostics = check(path)  # must not raise
    try:
        text_lines = len(data.decode("utf-8-sig").splitlines())
    except UnicodeDecodeError:
        text_lines = 0
    last_line = max(len(data.splitlines()), text_lines) + 1
    for d in diagnostics:
        assert_well_formed(d, str(path))
        assert d.line <= last_line, d.format()
    if brief is None:
        assert any(d.severity == "error" for d in diagnostics)
    else:
        assert all(d.severity == "warning" for d in diagnostics)


@pytest.mark.parametrize("text, line, col, char", [
    ("\x1ftitle: x\n", 1, 1, "U+001F"),
    (MINIMAL.replace("Instability", "Insta\x07bility"), 7, 19, "U+0007"),
    ("title: a\r\nsummary: b\x00\n", 2, 11, "U+0000"),
], ids=["first-byte", "late-line", "crlf-nul"])
def test_control_character_is_located(tmp_path: Path, text: str, line: int, col: int, char: str):
    # PyYAML's ReaderError carries no mark and a two-line message; the diagnostic has neither.
    (d,) = errors_of(write(tmp_path, text))
    assert (d.line, d.column) == (line, col) and char in d.message
    assert_well_formed(d, str(tmp_path / "brief.yaml"))


@pytest.mark.parametrize("text, n", [
    ("Ties with the U.S. matter. Pakistan agrees. India objects.", 3),
    ("One. Two! Three? Four.", 4),
    ("See e.g. the SCO and Dr. Khan. Then act.", 2),
    ("He said “go.” Then he left.", 2),
    ("No full stop at the end", 1),
])
def test_sentence_count_ignores_abbreviations(text, n):
    from briefgen.sentences import count_sentences

    assert count_sentences(text) == n
