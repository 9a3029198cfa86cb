"""The inline Markdown subset of text fields: **bold**, *italic* or _italic_, [text](url)
and backslash escapes, by CommonMark's rules. Everything else, HTML and entities included,
is literal text. Links are made only for http, https and mailto; any other link stays as
typed.

The parser is a port of markdown-it-py's (4.x) inline rules `escape`, `emphasis` and `link`
with its delimiter balancing (CommonMark's "process emphasis", rule of three included), as
markdown-it-py's "zero" preset with those three rules on would parse a field. It is ported
rather than imported because importing markdown-it-py costs a cold build about 28 ms, a
tenth of the whole process. tests/test_inline.py checks it against markdown-it-py itself on
generated text (markdown-it-py stays a test dependency)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .doc import Run

LINK_SCHEMES = ("http://", "https://", "mailto:")
_MAX_NESTING = 20  # markdown-it's "zero" preset
_ESCAPABLE = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_WHITESPACE = frozenset("\t\n\x0b\x0c\r \xa0\u1680\u202f\u205f\u3000") | \
    frozenset(chr(c) for c in range(0x2000, 0x200B))


_NESTING = {"strong_open": (1, 0), "strong_close": (-1, 0), "em_open": (0, 1),
            "em_close": (0, -1)}


@lru_cache(maxsize=4096)
def parse_inline(text: str, *, bold: bool = False, italic: bool = False,
                 href: str | None = None) -> tuple[Run, ...]:
    """Split text into formatted runs; never fails, unmatched markers stay literal."""
    runs: list[Run] = []
    strong, em, link = int(bold), int(italic), href
    if not any(ch in text for ch in "*_[\\\r\0"):
        tokens = [["text", text]] if text else []  # nothing to parse: the text as typed
    else:
        tokens = _Parser(text.replace("\r\n", "\n").replace("\r", "\n")
                         .replace("\0", "\ufffd")).parse()
    for kind, content in tokens:
        if kind == "text":
            _append(runs, Run(content, strong > 0, em > 0, link))
        elif kind == "hardbreak":
            _append(runs, Run(" ", strong > 0, em > 0, link))
        elif kind in _NESTING:
            strong, em = strong + _NESTING[kind][0], em + _NESTING[kind][1]
        elif kind == "link_open":
            link = content or None
        elif kind == "link_close":
            link = href
    return tuple(runs)


def plain_text(text: str) -> str:
    """The text a reader sees, without the markers."""
    return "".join(r.text for r in parse_inline(text))


def _append(runs: list[Run], run: Run) -> None:
    if runs and (runs[-1].bold, runs[-1].italic, runs[-1].href) == (run.bold, run.italic, run.href):
        runs[-1] = Run(runs[-1].text + run.text, run.bold, run.italic, run.href)
    elif run.text:
        runs.append(run)


class _Delimiter:
    __slots__ = ("marker", "length", "token", "end", "open", "close")

    def __init__(self, marker, length, token, can_open, can_close):
        self.marker, self.length, self.token, self.end = marker, length, token, -1
        self.open, self.close = can_open, can_close


class _Parser:
    """markdown-it's StateInline and ParserInline, reduced to the three rules."""

    def __init__(self, src: str):
        self.src, self.pos, self.max = src, 0, len(src)
        self.tokens: list[list[str]] = []  # [type, content (the href for link_open)]
        self.pending = ""
        self.level = 0
        self.delimiters: list[_Delimiter] = []
        self.all_delimiters = [self.delimiters]
        self._prev: list[list[_Delimiter]] = []
        self.cache: dict[int, int] = {}

    def parse(self) -> list[list[str]]:
        self.tokenize()
        for delimiters in self.all_delimiters:
            _balance(delimiters)
        for delimiters in self.all_delimiters:
            self._emphasis(delimiters)
        return self.tokens

    # The token stream
    def push(self, kind: str, nesting: int, content: str = "") -> None:
        self.flush()
        if nesting < 0:
            self.level -= 1
            self.delimiters = self._prev.pop()
        if nesting > 0:
            self.level += 1
            self._prev.append(self.delimiters)
            self.delimiters = []
            self.all_delimiters.append(self.delimiters)
        self.tokens.append([kind, content])

    def rules(self, silent: bool) -> bool:
        ch = self.src[self.pos]
        if ch == "\\":
            return self.escape(silent)
        if ch in "*_":
            return self.emphasis(silent)
        if ch == "[":
            return self.link(silent)
        return False

    def tokenize(self) -> None:
        end = self.max
        while self.pos < end:
            if self.level < _MAX_NESTING and self.rules(False):
                if self.pos >= end:
                    break
                continue
            self.pending += self.src[self.pos]
            self.pos += 1
        self.flush()

    def flush(self) -> None:
        if self.pending:
            self.tokens.append(["text", self.pending])
            self.pending = ""

    def skip_token(self) -> None:
        pos = self.pos
        if pos in self.cache:
            self.pos = self.cache[pos]
            return
        ok = False
        if self.level < _MAX_NESTING:
            self.level += 1
            ok = self.rules(True)
            self.level -= 1
        else:
            self.pos = self.max
        if not ok:
            self.pos += 1
        self.cache[pos] = self.pos

    # Rules
    def escape(self, silent: bool) -> bool:
        pos = self.pos + 1
        if pos >= self.max:
            return False
        ch = self.src[pos]
        if ch == "\n":
            if not silent:
                self.push("hardbreak", 0)
            pos += 1
            while pos < self.max and self.src[pos] in "\t ":
                pos += 1
            self.pos = pos
            return True
        if not silent:
            self.push("text", 0, ch if ch in _ESCAPABLE else "\\" + ch)
        self.pos = pos + 1
        return True

    def emphasis(self, silent: bool) -> bool:
        if silent:
            return False
        start, marker = self.pos, self.src[self.pos]
        can_open, can_close, count = self.scan_delims(start, marker == "*")
        for _ in range(count):
            self.push("text", 0, marker)
            self.delimiters.append(_Delimiter(marker, count, len(self.tokens) - 1,
                                              can_open, can_close))
        self.pos += count
        return True

    def scan_delims(self, start: int, can_split_word: bool):
        src, pos, marker = self.src, start, self.src[start]
        last = src[start - 1] if start > 0 else " "
        while pos < self.max and src[pos] == marker:
            pos += 1
        count = pos - start
        following = src[pos] if pos < self.max else " "
        last_punct, next_punct = _punct(last), _punct(following)
        last_space, next_space = last in _WHITESPACE, following in _WHITESPACE
        left = not (next_space or (next_punct and not (last_space or last_punct)))
        right = not (last_space or (last_punct and not (next_space or next_punct)))
        can_open = left and (can_split_word or not right or last_punct)
        can_close = right and (can_split_word or not left or next_punct)
        return can_open, can_close, count

    def link(self, silent: bool) -> bool:
        src, maximum = self.src, self.max
        label_start = self.pos + 1
        label_end = self.link_label(self.pos)
        if label_end < 0:
            return False
        pos = label_end + 1
        if not (pos < maximum and src[pos] == "("):
            return False  # a reference link: there are no references
        href = ""
        pos = _skip_space(src, pos + 1, maximum)
        if pos >= maximum:
            return False
        ok, dest, after = _destination(src, pos, maximum)
        if ok:
            if dest.strip().lower().startswith(LINK_SCHEMES):
                href, pos = dest, after
            start = pos
            pos = _skip_space(src, pos, maximum)
            ok, after = _title(src, pos, maximum)
            if pos < maximum and start != pos and ok:
                pos = _skip_space(src, after, maximum)
        if pos >= maximum or src[pos] != ")":
            return False
        pos += 1
        if not silent:
            self.pos, self.max = label_start, label_end
            self.push("link_open", 1, href)
            self.tokenize()
            self.push("link_close", -1)
        self.pos, self.max = pos, maximum
        return True

    def link_label(self, start: int) -> int:
        old, level = self.pos, 1
        self.pos = start + 1
        found = False
        while self.pos < self.max:
            marker = self.src[self.pos]
            if marker == "]":
                level -= 1
                if level == 0:
                    found = True
                    break
            before = self.pos
            self.skip_token()
            if marker == "[":
                if before == self.pos - 1:
                    level += 1
                else:  # a link inside the label: links do not nest
                    self.pos = old
                    return -1
        end = self.pos if found else -1
        self.pos = old
        return end

    # Post-processing: balance_pairs, then emphasis's
    def _emphasis(self, delimiters: list[_Delimiter]) -> None:
        tokens = self.tokens
        i = len(delimiters) - 1
        while i >= 0:
            start = delimiters[i]
            if start.end == -1:
                i -= 1
                continue
            end = delimiters[start.end]
            strong = (i > 0 and delimiters[i - 1].end == start.end + 1
                      and delimiters[i - 1].marker == start.marker
                      and delimiters[i - 1].token == start.token - 1
                      and delimiters[start.end + 1].token == end.token + 1)
            tokens[start.token] = ["strong_open" if strong else "em_open", ""]
            tokens[end.token] = ["strong_close" if strong else "em_close", ""]
            if strong:
                tokens[delimiters[i - 1].token][1] = ""
                tokens[delimiters[start.end + 1].token][1] = ""
                i -= 1
            i -= 1


def _balance(delimiters: list[_Delimiter]) -> None:
    """markdown-it's processDelimiters: each closing marker finds its opener."""
    bottoms: dict[str, list[int]] = {}
    header, last_token, jumps = 0, -2, []
    for closer_idx, closer in enumerate(delimiters):
        jumps.append(0)
        if delimiters[header].marker != closer.marker or last_token != closer.token - 1:
            header = closer_idx
        last_token = closer.token
        if not closer.close:
            continue
        bottom = bottoms.setdefault(closer.marker, [-1] * 6)
        slot = (3 if closer.open else 0) + closer.length % 3
        opener_idx = header - jumps[header] - 1
        new_min = opener_idx
        while opener_idx > bottom[slot]:
            opener = delimiters[opener_idx]
            if opener.marker != closer.marker:
                opener_idx -= jumps[opener_idx] + 1
                continue
            if opener.open and opener.end < 0:
                odd = ((opener.close or closer.open)
                       and (opener.length + closer.length) % 3 == 0
                       and (opener.length % 3 != 0 or closer.length % 3 != 0))
                if not odd:
                    last_jump = jumps[opener_idx - 1] + 1 \
                        if opener_idx > 0 and not delimiters[opener_idx - 1].open else 0
                    jumps[closer_idx] = closer_idx - opener_idx + last_jump
                    jumps[opener_idx] = last_jump
                    closer.open = False
                    opener.end = closer_idx
                    opener.close = False
                    new_min = -1
                    last_token = -2
                    break
            opener_idx -= jumps[opener_idx] + 1
        if new_min != -1:
            bottom[(3 if closer.open else 0) + closer.length % 3] = new_min


def _punct(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "PS"


def _skip_space(src: str, pos: int, maximum: int) -> int:
    while pos < maximum and src[pos] in "\t \n":
        pos += 1
    return pos


def _destination(src: str, pos: int, maximum: int) -> tuple[bool, str, int]:
    """markdown-it's parseLinkDestination: (ok, the destination, the position after)."""
    start = pos
    if src[pos] == "<":
        pos += 1
        while pos < maximum:
            ch = src[pos]
            if ch in "\n<":
                return False, "", pos
            if ch == ">":
                return True, _unescape(src[start + 1:pos]), pos + 1
            pos += 2 if ch == "\\" and pos + 1 < maximum else 1
        return False, "", pos
    level = 0
    while pos < maximum:
        ch = src[pos]
        if ch == " " or ord(ch) < 0x20 or ch == "\x7f":
            break
        if ch == "\\" and pos + 1 < maximum:
            if src[pos + 1] == " ":
                break
            pos += 2
            continue
        if ch == "(":
            level += 1
            if level > 32:
                return False, "", pos
        if ch == ")":
            if level == 0:
                break
            level -= 1
        pos += 1
    if start == pos or level != 0:
        return False, "", pos
    return True, _unescape(src[start:pos]), pos


def _title(src: str, pos: int, maximum: int) -> tuple[bool, int]:
    """markdown-it's parseLinkTitle: (ok, the position after); the title is not used."""
    if pos >= maximum or src[pos] not in "\"'(":
        return False, pos
    marker = ")" if src[pos] == "(" else src[pos]
    pos += 1
    while pos < maximum:
        ch = src[pos]
        if ch == marker:
            return True, pos + 1
        if ch == "(" and marker == ")":
            return False, pos
        if ch == "\\" and pos + 1 < maximum:
            pos += 1
        pos += 1
    return False, pos


_UNESCAPE = None


def _unescape(text: str) -> str:
    """markdown-it's unescapeAll: backslash escapes and HTML entities in a destination."""
    if "\\" not in text and "&" not in text:
        return text
    global _UNESCAPE
    if _UNESCAPE is None:
        _UNESCAPE = re.compile(r'\\([!"#$%&\'()*+,\-./:;<=>?@[\\\]^_`{|}~])'
                               r"|&([a-z#][a-z0-9]{1,31});", re.IGNORECASE)
    return _UNESCAPE.sub(_unescaped, text)


def _unescaped(match: re.Match) -> str:
    if match.group(1):
        return match.group(1)
    import html.entities

    name = match.group(2)
    chars = html.entities.html5.get(name + ";")
    if chars is not None:
        return chars
    number = re.fullmatch(r"#([0-9]{1,8})|#[xX]([0-9a-fA-F]{1,8})", name)
    if number:
        code = int(number.group(1), 10) if number.group(1) else int(number.group(2), 16)
        if _valid_entity(code):
            return chr(code)
    return match.group()


def _valid_entity(c: int) -> bool:
    return not (0xD800 <= c <= 0xDFFF or 0xFDD0 <= c <= 0xFDEF or (c & 0xFFFF) in
                (0xFFFF, 0xFFFE) or c <= 0x08 or c == 0x0B or 0x0E <= c <= 0x1F
                or 0x7F <= c <= 0x9F or c > 0x10FFFF)
