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


# The port against markdown-it-py itself: the same runs for any text made of the characters
# that matter to the three rules (markers, brackets, escapes, spaces, punctuation, letters).

from hypothesis import given, settings, strategies as st  # noqa: E402

_PIECES = st.sampled_from([
    "*", "**", "***", "_", "__", "[", "]", "(", ")", "\\", "\\*", "\\\n", " ", "\n", "\t",
    "a", "word", "é", "ب", ".", ",", "!", "\"", "'", "<", ">", "&amp;", "&#65;", "&bogus;",
    "https://x.org/a_b", "http://y.org/(p)", "mailto:m@x.org", "javascript:x", "<https://z.org>",
    " \"title\"", " (t)", "\u00a0", "\u2003", "-", "—", "$", "\r\n", "\0", "`", "~", "==",
])


def _markdown_it_runs(text):
    from markdown_it import MarkdownIt

    md = MarkdownIt("zero").enable(["emphasis", "link", "escape"])
    md.validateLink = lambda url: url.strip().lower().startswith(
        ("http://", "https://", "mailto:"))
    md.normalizeLink = lambda url: url
    runs, strong, em, link = [], 0, 0, None

    def add(t):
        if runs and (runs[-1].bold, runs[-1].italic, runs[-1].href) == (strong > 0, em > 0, link):
            runs[-1] = Run(runs[-1].text + t, strong > 0, em > 0, link)
        elif t:
            runs.append(Run(t, strong > 0, em > 0, link))

    for block in md.parseInline(text):
        for token in block.children or ():
            kind = token.type
            if kind in ("softbreak", "hardbreak"):
                add(" ")
            elif kind in ("strong_open", "strong_close"):
                strong += 1 if kind.endswith("open") else -1
            elif kind in ("em_open", "em_close"):
                em += 1 if kind.endswith("open") else -1
            elif kind == "link_open":
                link = str(token.attrs.get("href", "")) or None
            elif kind == "link_close":
                link = None
            else:
                add(token.content)
    return runs


@settings(max_examples=int(__import__("os").environ.get("INLINE_EXAMPLES", 3000)), deadline=None)
@given(st.lists(_PIECES, max_size=24).map("".join))
def test_port_agrees_with_markdown_it(text):
    parse_inline.cache_clear()
    assert list(parse_inline(text)) == _markdown_it_runs(text)


@pytest.mark.parametrize("text", [
    "[" * 30 + "x" + "]" * 30, "*_" * 40, "**a *b** c*", "[a]()", "[a](<https://x.org/a b>)",
    "[a](https://x.org \"t\")", "[[a](https://x.org)](https://y.org)", "a\\\n   b",
    "[a](https://x.org?a=1&amp;b=&#x41;&nope;)", "_a_b_", "*a*b*", "***a***", "_\u00a0a_",
])
def test_port_agrees_on_hard_cases(text):
    parse_inline.cache_clear()
    assert list(parse_inline(text)) == _markdown_it_runs(text)
