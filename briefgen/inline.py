"""The inline Markdown subset of text fields: **bold**, *italic* or _italic_, [text](url)
and backslash escapes, parsed by markdown-it-py (CommonMark) with every other rule off.
Everything else, HTML and entities included, is literal text. Links are made only for
http, https and mailto; any other link stays as typed."""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt

from .doc import Run

LINK_SCHEMES = ("http://", "https://", "mailto:")

_MD = MarkdownIt("zero").enable(["emphasis", "link", "escape"])
_MD.validateLink = lambda url: url.strip().lower().startswith(LINK_SCHEMES)
_MD.normalizeLink = lambda url: url  # keep the address exactly as typed


@lru_cache(maxsize=4096)
def parse_inline(text: str, *, bold: bool = False, italic: bool = False,
                 href: str | None = None) -> tuple[Run, ...]:
    """Split text into formatted runs; never fails, unmatched markers stay literal."""
    runs: list[Run] = []
    strong, em, link = int(bold), int(italic), href
    for block in _MD.parseInline(text):
        for token in block.children or ():
            kind = token.type
            if kind == "text":
                _append(runs, Run(token.content, strong > 0, em > 0, link))
            elif kind in ("softbreak", "hardbreak"):
                _append(runs, Run(" ", strong > 0, em > 0, link))
            elif kind == "strong_open":
                strong += 1
            elif kind == "strong_close":
                strong -= 1
            elif kind == "em_open":
                em += 1
            elif kind == "em_close":
                em -= 1
            elif kind == "link_open":
                link = str(token.attrs.get("href", "")) or None
            elif kind == "link_close":
                link = href
            elif token.content:
                _append(runs, Run(token.content, strong > 0, em > 0, link))
    return tuple(runs)


def plain_text(text: str) -> str:
    """The text a reader sees, without the markers."""
    return "".join(r.text for r in parse_inline(text))


def _append(runs: list[Run], run: Run) -> None:
    if runs and (runs[-1].bold, runs[-1].italic, runs[-1].href) == (run.bold, run.italic, run.href):
        runs[-1] = Run(runs[-1].text + run.text, run.bold, run.italic, run.href)
    elif run.text:
        runs.append(run)
