"""The inline Markdown subset of text fields: **bold**, *italic* or _italic_, [text](url)
and backslash escapes. Everything else, HTML included, is literal text."""

from __future__ import annotations

import string
from functools import lru_cache

from .doc import Run

LINK_SCHEMES = ("http://", "https://", "mailto:")
_ESCAPABLE = set(string.punctuation)


@lru_cache(maxsize=4096)
def parse_inline(text: str, *, bold: bool = False, italic: bool = False,
                 href: str | None = None) -> tuple[Run, ...]:
    """Split text into formatted runs; never fails, unmatched markers stay literal."""
    runs: list[Run] = []
    buf: list[str] = []
    italic_mark: str | None = None
    i, n = 0, len(text)

    def flush() -> None:
        if buf:
            _append(runs, Run("".join(buf), bold, italic or italic_mark is not None, href))
            buf.clear()

    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n and text[i + 1] in _ESCAPABLE:
            buf.append(text[i + 1])
            i += 2
            continue
        if text.startswith("**", i) and (bold and not italic_mark or text.find("**", i + 2) > i + 2):
            flush()
            bold = not bold
            i += 2
            continue
        if c in "*_":
            if italic_mark == c and (c == "*" or not _word_char(text, i + 1)):
                flush()
                italic_mark = None
                i += 1
                continue
            if italic_mark is None and _opens_italic(text, i, c):
                flush()
                italic_mark = c
                i += 1
                continue
        if c == "[" and href is None:
            link = _link_at(text, i)
            if link is not None:
                label, url, end = link
                flush()
                for run in parse_inline(label, bold=bold,
                                        italic=italic or italic_mark is not None, href=url):
                    _append(runs, run)
                i = end
                continue
        buf.append(c)
        i += 1
    flush()
    return tuple(runs)


def plain_text(text: str) -> str:
    """The text a reader sees, without the markers."""
    return "".join(r.text for r in parse_inline(text))


def _append(runs: list[Run], run: Run) -> None:
    if runs and (runs[-1].bold, runs[-1].italic, runs[-1].href) == (run.bold, run.italic, run.href):
        runs[-1] = Run(runs[-1].text + run.text, run.bold, run.italic, run.href)
    elif run.text:
        runs.append(run)


def _word_char(text: str, i: int) -> bool:
    return 0 <= i < len(text) and text[i].isalnum()


def _opens_italic(text: str, i: int, mark: str) -> bool:
    """An opening marker: followed by non-space, and a closing marker comes later."""
    if i + 1 >= len(text) or text[i + 1].isspace() or text.startswith("**", i):
        return False
    if mark == "_" and _word_char(text, i - 1):
        return False  # snake_case stays literal
    j = i + 1
    while True:
        j = text.find(mark, j + 1)
        if j < 0:
            return False
        if text[j - 1] == "\\" or text[j - 1].isspace():
            continue
        if mark == "*" and text.startswith("**", j):
            j += 1
            continue
        if mark == "_" and _word_char(text, j + 1):
            continue
        return True


def _link_at(text: str, i: int) -> tuple[str, str, int] | None:
    """`[label](url)` starting at i, with an allowed scheme: (label, url, end) or None."""
    j, depth = i + 1, 0
    while j < len(text):
        if text[j] == "\\":
            j += 2
            continue
        if text[j] == "[":
            depth += 1
        elif text[j] == "]":
            if depth == 0:
                break
            depth -= 1
        j += 1
    else:
        return None
    if not text.startswith("(", j + 1):
        return None
    k, depth = j + 2, 0
    while k < len(text):
        ch = text[k]
        if ch.isspace():
            return None
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                break
            depth -= 1
        k += 1
    else:
        return None
    url = text[j + 2:k]
    if not url.lower().startswith(LINK_SCHEMES) or i + 1 == j:
        return None
    return text[i + 1:j], url, k + 1
