"""The inline Markdown subset: bold, italic, links, escapes; everything else literal."""

import pytest

from briefgen.doc import Run
from briefgen.inline import parse_inline, plain_text


@pytest.mark.parametrize("text, runs", [
    ("plain", [Run("plain")]),
    ("a **b** c", [Run("a "), Run("b", bold=True), Run(" c")]),
    ("*i* and _j_", [Run("i", italic=True), Run(" and "), Run("j", italic=True)]),
    ("**bold *both***", [Run("bold ", bold=True), Run("both", bold=True, italic=True)]),
    ("[site](https://example.org/a_(b))", [Run("site", href="https://example.org/a_(b)")]),
    ("[mail](mailto:desk@example.org)", [Run("mail", href="mailto:desk@example.org")]),
    ("[bad](javascript:alert(1))", [Run("[bad](javascript:alert(1))")]),
    ("[file](file:///etc/passwd)", [Run("[file](file:///etc/passwd)")]),
    (r"\*not italic\* and \[x\]", [Run("*not italic* and [x]")]),
    ("snake_case_name stays", [Run("snake_case_name stays")]),
    ("<b>html</b> &amp; <img src=x>", [Run("<b>html</b> &amp; <img src=x>")]),
    ("**unclosed", [Run("**unclosed")]),
    ("5 * 3 * 2", [Run("5 * 3 * 2")]),
])
def test_runs(text, runs):
    assert list(parse_inline(text)) == runs


def test_plain_text_drops_markers_only():
    assert plain_text("**Bold** [link](https://x.org) \\_x\\_") == "Bold link _x_"
