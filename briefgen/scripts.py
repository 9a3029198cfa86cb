"""Writing systems: which stretches of text are Arabic script (Urdu, Arabic, Persian) and
which way a paragraph runs. Both renderers use this to pick the font per stretch and to
lay right-to-left paragraphs out from the right."""

from __future__ import annotations

import re
import unicodedata

ARABIC_RANGES = "\u0600-\u06FF\u0750-\u077F\u0870-\u089F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF"
_ARABIC_CHAR = re.compile(f"[{ARABIC_RANGES}]")
# Arabic words with the spaces, joiners and digits between them form one stretch, so a
# phrase is shaped and ordered as a whole.
_ARABIC_STRETCH = re.compile(
    f"[{ARABIC_RANGES}]+(?:[\\s\u200c\u200d\u00a0\u0660-\u0669\u06F0-\u06F90-9]+[{ARABIC_RANGES}]+)*")


def has_arabic(text: str) -> bool:
    """Whether the text holds any Arabic-script letter."""
    return bool(_ARABIC_CHAR.search(text))


def split_arabic(text: str) -> list[tuple[bool, str]]:
    """(is_arabic, stretch) pieces of a text, in logical order."""
    out: list[tuple[bool, str]] = []
    pos = 0
    for m in _ARABIC_STRETCH.finditer(text):
        if m.start() > pos:
            out.append((False, text[pos:m.start()]))
        out.append((True, m.group(0)))
        pos = m.end()
    if pos < len(text):
        out.append((False, text[pos:]))
    return out


def is_rtl(text: str) -> bool:
    """Whether a paragraph is mostly right-to-left: more strong RTL letters than LTR."""
    rtl = ltr = 0
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            rtl += 1
        elif kind == "L":
            ltr += 1
    return rtl > ltr


COMMON_CHARACTERS = frozenset(map(chr, range(0x20, 0x7F))) | frozenset(
    map(chr, range(0xA0, 0x100))) | frozenset("\t\n\r\u2013\u2014\u2018\u2019\u201a\u201c"
                                              "\u201d\u201e\u2022\u2026\u2039\u203a\u20ac"
                                              "\u2122")
"""Characters every text font briefgen ships has (Latin-1, dashes, quotes, bullet, ellipsis,
euro): a brief made only of these needs no look at the fonts (tests/test_scripts.py checks
the fonts)."""


def only_common_characters(text: str) -> bool:
    """Whether every character of the text is one of COMMON_CHARACTERS."""
    return all(ch in COMMON_CHARACTERS for ch in text)
