"""Bidirectional text in the PDF: each laid-out line put in visual order by the Unicode
bidi algorithm (UAX #9), as Word and LibreOffice order the DOCX.

reportlab breaks a paragraph's lines in reading order; then each line's pieces (runs of
letters and runs of spaces, each within one font) get the embedding levels that UAX #9
resolves for the line (python-bidi's implementation of the algorithm, rules X1-I2 with the
paragraph's base direction) and are reordered by rule L2: every run at a level of at least
n reversed, from the highest level down to the lowest odd one. A right-to-left piece that
HarfBuzz shaped (Arabic script) has its letters laid out already; any other piece at an odd
level (brackets, quote marks in a right-to-left stretch) is reversed and its mirrored
characters (rule L4: ( ) « » [ ]...) swapped. Bidi marks and embeddings (U+200E, U+200F,
U+202A-U+202E, U+2066-U+2069, U+061C) order the text and are then dropped, as are the
word joiner and the other invisible format characters: they draw nothing. A zero-width
space stays a break opportunity (see engine) and draws nothing.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .patterns import Lazy
from .scripts import ARABIC_RANGES, chars

_RTL_CHARS = chars(f"\u0590-\u05FF\u07C0-\u07FF{ARABIC_RANGES}")
FORMAT_CHARS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c" \
    "\u2060\u2061\u2062\u2063\u2064\ufeff\u180e"
"""Invisible format characters: the bidi marks, embeddings and isolates, which take part
in ordering, and the word joiner, invisible operators and BOM; none is ever drawn (the
zero-width space, joiner and non-joiner stay: they break or shape)."""
_FORMAT = Lazy(f"[{FORMAT_CHARS}]")
_FORMAT_CHARS = frozenset(FORMAT_CHARS)
_PIECES = re.compile(r" +|[^ ]+")
_STRONG = frozenset(("L", "R", "AL"))
ARABIC_DIGITS = frozenset("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٪٫٬")
"""Arabic-Indic digits and their signs: a number in them reads left to right, but HarfBuzz,
shaping it in the Arabic font, lays its glyphs out right to left."""


def needs_bidi(text: str) -> bool:
    """Whether a paragraph's lines need ordering: it holds right-to-left letters or bidi
    format characters."""
    return not (_RTL_CHARS.isdisjoint(text) and _FORMAT_CHARS.isdisjoint(text))


def strip_format(text: str) -> str:
    """Text without its bidi format characters."""
    return text if _FORMAT_CHARS.isdisjoint(text) else _FORMAT.sub("", text)


@lru_cache(maxsize=4096)
def levels(text: str, rtl: bool) -> tuple[int, ...]:
    """The embedding level of every character of a line (UAX #9, X1-I2 and L1's rule that
    trailing white space takes the paragraph level); characters that rule X9 removes
    (zero-width space, embeddings) take the level of the character before them."""
    from bidi import algorithm as uax9

    storage = uax9.get_empty_storage()
    storage["base_level"] = 1 if rtl else 0
    storage["base_dir"] = "R" if rtl else "L"
    uax9.get_embedding_levels(text, storage, False)
    uax9.explicit_embed_and_overrides(storage)
    uax9.resolve_weak_types(storage)
    uax9.resolve_neutral_types(storage, False)
    uax9.resolve_implicit_levels(storage, False)
    resolved = storage["chars"]
    out: list[int] = []
    j = 0
    base = 1 if rtl else 0
    for ch in text:
        if j < len(resolved) and resolved[j]["ch"] == ch:
            out.append(resolved[j]["level"])
            j += 1
        else:
            out.append(out[-1] if out else base)
    # L1: white space (and format characters) at the end of the line take the base level.
    k = len(text)
    while k and (text[k - 1].isspace() or text[k - 1] in FORMAT_CHARS or text[k - 1] == "\u200b"):
        k -= 1
        out[k] = base
    return tuple(out)


def piece_level(text: str, line_levels: tuple[int, ...], start: int) -> int:
    """A piece's level: that of its first strong character, else of its first one."""
    for i, ch in enumerate(text):
        if unicodedata.bidirectional(ch) in _STRONG:
            return line_levels[start + i]
    return line_levels[start]


def reorder(levels_of: list[int]) -> list[int]:
    """Rule L2: the visual order (indexes) of items with these levels."""
    order = list(range(len(levels_of)))
    if not order:
        return order
    top = max(levels_of)
    low = min((lv for lv in levels_of if lv % 2), default=None)
    if low is None:
        return order
    for level in range(top, low - 1, -1):
        i = 0
        while i < len(order):
            if levels_of[order[i]] >= level:
                j = i
                while j < len(order) and levels_of[order[j]] >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                i = j
            else:
                i += 1
    return order


def mirror(text: str) -> str:
    """An unshaped piece at an odd level, in visual order: reversed, mirrored characters
    swapped (rule L4)."""
    from bidi.mirror import MIRRORED

    return "".join(MIRRORED.get(ch, ch) for ch in reversed(text))


def visual_frags(frags: list, rtl: bool, shaped) -> list:
    """The frags of one laid-out line (reportlab's kind-1 line) in visual order: each frag
    cut into pieces, reordered by UAX #9, each piece a clone of its frag. `shaped(text)`
    says whether a piece was laid out by HarfBuzz (its glyphs are in visual order)."""
    pieces: list[tuple[object, object]] = []  # (frag, text or None) in logical order
    for frag in frags:
        text = getattr(frag, "text", None)
        if not isinstance(text, str) or hasattr(frag, "cbDefn"):
            pieces.append((frag, None))
            continue
        for start, end in _spans(text, shaped(text)):
            pieces.append((frag, text[start:end]))
    # The line's logical text; a shaped piece stands in as strong right-to-left letters
    # (its glyph codes are presentation forms or private-use code points).
    stand_in = []
    for n, (frag, text) in enumerate(pieces):
        if text is None:
            stand_in.append("")
        elif shaped(text) and _number(str(text)):
            # A number: its glyphs back in reading order, its digits ordered as digits.
            text = text[::-1]
            pieces[n] = (frag, text)
            stand_in.append(str(text))
        elif shaped(text):
            stand_in.append("\u05d0" * len(text))
        else:
            stand_in.append(str(text))
    line = "".join(stand_in)
    if not line:
        return frags
    line_levels = levels(line, rtl)
    piece_levels, pos = [], 0
    for n, (_, text) in enumerate(pieces):
        if text is None:  # a callback (list label mark): with what follows it
            piece_levels.append(None)
            continue
        piece_levels.append(piece_level(stand_in[n], line_levels, pos))
        pos += len(stand_in[n])
    following = 1 if rtl else 0
    for n in range(len(pieces) - 1, -1, -1):
        if piece_levels[n] is None:
            piece_levels[n] = following
        following = piece_levels[n]
    visual: list[list] = []  # [frag, text, level], neighbours of one frag and level joined
    for n in reorder(piece_levels):
        frag, text = pieces[n]
        if text is None:
            visual.append([frag, None, None])
            continue
        if not shaped(text):
            plain = strip_format(str(text))
            if piece_levels[n] % 2:
                plain = mirror(plain)
            if not plain:
                continue
            text = plain if plain != str(text) else text
        last = visual[-1] if visual else None
        if last is not None and last[0] is frag and last[2] == piece_levels[n] and \
                shaped(last[1]) == shaped(text):
            last[1] = last[1] + text  # fewer pieces to draw and to tag
        else:
            visual.append([frag, text, piece_levels[n]])
    return [frag if text is None else frag.clone(text=text) for frag, text, _ in visual]


def _spans(text, shaped: bool) -> list[tuple[int, int]]:
    """Where the pieces of a frag's text are: runs of spaces and runs of the rest. In a
    shaped text, a space that HarfBuzz gave a glyph of its own (a cluster of the word) is a
    zero-width non-joiner inside a word (توصیه‌ها), not a space: reportlab's own spaces
    between shaped words carry its "simple" shape data."""
    if not shaped:
        return [m.span() for m in _PIECES.finditer(text)]
    from reportlab.pdfbase.ttfonts import _sdSimple

    data = getattr(text, "__shapeData__", None) or []
    kinds = []
    for i, ch in enumerate(text):
        d = data[i] if i < len(data) else _sdSimple
        kinds.append(ch == " " and tuple(map(str, d)) == tuple(map(str, _sdSimple)))
    out, start = [], 0
    for i in range(1, len(text) + 1):
        if i == len(text) or kinds[i] != kinds[start]:
            out.append((start, i))
            start = i
    return out


def _number(text: str) -> bool:
    """Whether a shaped piece is a number in Arabic-Indic digits (HarfBuzz may give one of
    its digits a private-use code point: a Persian form of the glyph)."""
    rest = set(text) - ARABIC_DIGITS
    return bool(set(text) & ARABIC_DIGITS) and all(0xE000 <= ord(c) <= 0xF8FF for c in rest)


def visual_words(words: list[str], rtl: bool) -> list[str]:
    """The words of a line of one font (reportlab's kind-0 line) in visual order."""
    line = " ".join(words)
    if not line:
        return words
    line_levels = levels(line, rtl)
    word_levels, pos = [], 0
    for w in words:
        word_levels.append(piece_level(w, line_levels, pos) if w else (1 if rtl else 0))
        pos += len(w) + 1
    out = []
    for n in reorder(word_levels):
        w = strip_format(words[n])
        out.append(mirror(w) if word_levels[n] % 2 and _RTL_CHARS.isdisjoint(w) else w)
    return out
