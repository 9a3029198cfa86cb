"""Which characters a template's fonts have, read from the fonts' own character maps
without loading the PDF engine, so that `validate` can warn of characters no font has
(an emoji) in a few milliseconds, for a brief in any script.

A TrueType file's `cmap` table is read directly (subtables of format 4 and 12, Unicode
ones first); a font it cannot read is asked of reportlab instead.
"""

from __future__ import annotations

import struct
import unicodedata
from pathlib import Path

from .scripts import has_arabic, split_arabic
from .templates import Font, Template

_CHARSETS: dict[str, frozenset[int]] = {}


def charset(path: Path) -> frozenset[int]:
    """The code points a TrueType font maps to a glyph."""
    key = str(path)
    hit = _CHARSETS.get(key)
    if hit is None:
        try:
            hit = _read_cmap(Path(path).read_bytes())
        except (OSError, struct.error, ValueError, IndexError):
            hit = None
        if not hit:
            hit = _reportlab_charset(path)
        _CHARSETS[key] = hit
    return hit


def _read_cmap(data: bytes) -> frozenset[int]:
    tables = struct.unpack_from(">H", data, 4)[0]
    offset = None
    for i in range(tables):
        tag, _, start, _ = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        if tag == b"cmap":
            offset = start
    if offset is None:
        raise ValueError("no cmap")
    count = struct.unpack_from(">H", data, offset + 2)[0]
    subtables = []
    for i in range(count):
        platform, encoding, where = struct.unpack_from(">HHI", data, offset + 4 + 8 * i)
        fmt = struct.unpack_from(">H", data, offset + where)[0]
        rank = {(3, 10): 0, (0, 4): 1, (3, 1): 2, (0, 3): 3}.get((platform, encoding))
        if rank is not None and fmt in (4, 12):
            subtables.append((rank, fmt, offset + where))
    if not subtables:
        raise ValueError("no Unicode cmap")
    _, fmt, at = min(subtables)
    out: set[int] = set()
    if fmt == 12:
        groups = struct.unpack_from(">I", data, at + 12)[0]
        for g in range(groups):
            first, last, glyph = struct.unpack_from(">III", data, at + 16 + 12 * g)
            if glyph:
                out.update(range(first, last + 1))
            else:  # the first code maps to .notdef
                out.update(range(first + 1, last + 1))
        return frozenset(out)
    segments = struct.unpack_from(">H", data, at + 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", data, at + 14)
    starts = struct.unpack_from(f">{segments}H", data, at + 16 + 2 * segments)
    deltas = struct.unpack_from(f">{segments}h", data, at + 16 + 4 * segments)
    ranges_at = at + 16 + 6 * segments
    offsets = struct.unpack_from(f">{segments}H", data, ranges_at)
    for n, (start, end, delta, ro) in enumerate(zip(starts, ends, deltas, offsets)):
        for code in range(start, end + 1):
            if code == 0xFFFF:
                continue
            if ro == 0:
                glyph = (code + delta) & 0xFFFF
            else:
                pos = ranges_at + 2 * n + ro + 2 * (code - start)
                glyph = struct.unpack_from(">H", data, pos)[0]
                glyph = (glyph + delta) & 0xFFFF if glyph else 0
            if glyph:
                out.add(code)
    return frozenset(out)


def _reportlab_charset(path: Path) -> frozenset[int]:
    from . import engine  # noqa: F401  (first: it prepares reportlab)
    from reportlab.pdfbase.ttfonts import TTFontFile

    return frozenset(c for c, g in TTFontFile(str(path)).charToGlyph.items() if g)


def font_charset(font: Font) -> frozenset[int]:
    """The code points of a font family's regular face."""
    return charset(font.files["regular"])


class _Lazy:
    """A font's code points, read only when a character is looked up in it (an English
    brief never reads the Arabic or the fallback face's map)."""

    __slots__ = ("font", "_codes")

    def __init__(self, font: Font | None):
        self.font, self._codes = font, None

    def __contains__(self, code: int) -> bool:
        if self.font is None:
            return False
        if self._codes is None:
            self._codes = font_charset(self.font)
        return code in self._codes


def missing(texts, template: Template) -> list[str]:
    """Characters that no font of the template has (an emoji, say), in order of first
    appearance: the PDF would show an empty box for them. Arabic-script stretches are
    looked up in the Arabic font, everything in the fallback font too."""
    body = _Lazy(template.font_for(template.styles["body"]))
    arabic = _Lazy(template.fonts[template.arabic_font]) if template.arabic_font else body
    fallback = _Lazy(template.fonts[template.fallback_font] if template.fallback_font
                     else None)
    texts = list(texts)
    whole = "\n".join(texts)
    if not has_arabic(whole):  # the usual case: each character once
        pieces = [(False, "".join(dict.fromkeys(whole)))]
    else:
        pieces = [p for text in texts for p in split_arabic(text)]
    out: dict[str, None] = {}
    for is_ar, piece in pieces:
        cmap = arabic if is_ar else body
        for ch in piece:
            code = ord(ch)
            if ch not in out and code not in cmap and not invisible(ch) \
                    and code not in fallback:
                out[ch] = None
    return list(out)


def invisible(ch: str) -> bool:
    """A character that draws nothing and needs no glyph (controls, format characters)."""
    return unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") or ch in "\n\t"


def glyph_warnings(inp, brief, template: Template) -> list:
    """A warning, once per input, for characters of the brief (at full length, so every
    output of it is covered) that no font of the template has."""
    from .build import build
    from .errors import Diagnostic
    from .plan import full_plan

    if _only_common_characters(brief, template):
        return []
    found = missing(build(brief, full_plan(brief), template).texts(), template)
    if not found:
        return []
    shown = ", ".join(f"{ch} (U+{ord(ch):04X})" for ch in found[:8])
    more = f" and {len(found) - 8} more" if len(found) > 8 else ""
    line, column = _first_place(inp, found)
    return [Diagnostic(str(inp), line, column, f"no font briefgen ships has {shown}{more}; a "
                                               f"PDF shows an empty box there (a DOCX leaves "
                                               f"it to the reader's fonts)",
                       severity="warning")]


def _only_common_characters(brief, template: Template) -> bool:
    """Whether every character a brief's documents can hold is one that every shipped text
    font has (scripts.COMMON_CHARACTERS): the brief's texts (the inline markup adds only
    typographic quotes, dashes and ellipses, common too), the labels of its language with
    this template, and an English date. Then the fonts' maps need no look and the brief is
    not built at full length for them."""
    from .build import brief_texts
    from .labels import labels_for
    from .scripts import only_common_characters

    labels = labels_for(template, brief.lang)
    if labels.lang != "en":
        return False  # dates in the language's own words
    return all(map(only_common_characters, brief_texts(brief))) and \
        all(map(only_common_characters, _strings(labels)))


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)


def _first_place(inp, chars) -> tuple[int, int]:
    """Line and column of the first of these characters in the brief file (1:1 when the
    file cannot be read again, or the character comes from elsewhere: a label)."""
    try:
        text = Path(inp).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return 1, 1
    places = [i for i in (text.find(ch) for ch in chars) if i >= 0]
    if not places:
        return 1, 1
    at = min(places)
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1
