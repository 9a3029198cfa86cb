"""Writing systems: which stretches of text are Arabic script (Urdu, Arabic, Persian) and
which way a paragraph runs. Both renderers use this to pick the font per stretch and to
lay right-to-left paragraphs out from the right."""

from __future__ import annotations

import unicodedata

from .patterns import Lazy

ARABIC_RANGES = "\u0600-\u06FF\u0750-\u077F\u0870-\u089F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF"


def chars(ranges: str) -> frozenset[str]:
    """The characters of a regular-expression class body made of single characters and
    ranges ("a-z\u0600-\u06FF"): a set to test a text against with `isdisjoint`, which
    costs nothing to build where compiling the class costs a cold process a millisecond."""
    out: set[str] = set()
    i = 0
    while i < len(ranges):
        if i + 2 < len(ranges) and ranges[i + 1] == "-":
            out.update(map(chr, range(ord(ranges[i]), ord(ranges[i + 2]) + 1)))
            i += 3
        else:
            out.add(ranges[i])
            i += 1
    return frozenset(out)


ARABIC_CHARS = chars(ARABIC_RANGES)
# Arabic words with the spaces and joiners between them form one stretch, set in the
# Arabic font. European digits are not part of it: HarfBuzz would lay them out right to
# left with the letters, where the bidi algorithm keeps a number left to right.
_ARABIC_STRETCH = Lazy(
    f"[{ARABIC_RANGES}]+(?:[\\s\u200c\u200d\u00a0]+[{ARABIC_RANGES}]+)*")


def has_arabic(text: str) -> bool:
    """Whether the text holds any Arabic-script letter."""
    return not ARABIC_CHARS.isdisjoint(text)


def split_arabic(text: str) -> list[tuple[bool, str]]:
    """(is_arabic, stretch) pieces of a text, in logical order."""
    if ARABIC_CHARS.isdisjoint(text):
        return [(False, text)] if text else []
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
    if not any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in set(text)):
        return False  # (each distinct character looked at once: the usual case)
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
    return COMMON_CHARACTERS.issuperset(text)


# -- languages of passages in other scripts -------------------------------------------------

SCRIPT_RANGES = {
    "Arab": ARABIC_RANGES,
    "Cyrl": "\u0400-\u052F\u1C80-\u1C8F\u2DE0-\u2DFF\uA640-\uA69F",
    "Grek": "\u0370-\u03FF\u1F00-\u1FFF",
    "Latn": "A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u1E00-\u1EFF",
}
"""The scripts whose passages are told apart (ISO 15924 codes), by their letters."""
_NOT_LATIN = chars("".join(r for s, r in SCRIPT_RANGES.items() if s != "Latn"))

_LETTER = {s: f"[{r}]" for s, r in SCRIPT_RANGES.items()}
# A passage: letters of one script, with the spaces, digits and punctuation between them.
_GAP = "[\\s\u00a0\u200c\u200d0-9\u0660-\u0669\u06F0-\u06F9.,;:!?'\"()«»“”‘’\\-–—\u060C\u061B\u061F\u06D4]+"
_STRETCH = Lazy("|".join(f"(?P<{s}>{c}+(?:{_GAP}{c}+)*)" for s, c in _LETTER.items()))

SCRIPT_OF_LANGUAGE = {
    **dict.fromkeys(("ar", "fa", "ur", "ps", "sd", "ug", "ckb", "ks", "pnb", "skr", "bal"),
                    "Arab"),
    **dict.fromkeys(("ru", "uk", "be", "bg", "sr", "mk", "kk", "ky", "tg", "mn", "tt", "ba",
                     "cv", "ce", "os", "ab"), "Cyrl"),
    "el": "Grek",
    **dict.fromkeys(("he", "yi", "lad"), "Hebr"),
    **dict.fromkeys(("hi", "mr", "ne", "sa"), "Deva"),
    "bn": "Beng", "ta": "Taml", "th": "Thai",
    "zh": "Hani", "ja": "Jpan", "ko": "Kore",
    "dv": "Thaa", "syr": "Syrc", "nqo": "Nkoo",
}
"""The script a language is written in when its tag names none; any other: Latin."""

COMPLEX_SCRIPTS = frozenset("Arab Hebr Syrc Thaa Nkoo Deva Beng Guru Gujr Orya Taml Telu "
                            "Knda Mlym Sinh Thai Laoo Khmr Mymr Tibt".split())
"""Scripts that word processors set as complex script (right to left, or shaped): Word
takes their language from w:lang's w:bidi."""
EAST_ASIAN_SCRIPTS = frozenset("Hani Hans Hant Jpan Kore Hira Kana Hang Bopo".split())
"""Scripts whose language Word takes from w:lang's w:eastAsia."""

URDU_LETTERS = set("ٹڈڑںھہےۓۃ۔")
"""Letters that Urdu writes and Persian and Arabic do not (tteh, ddal, rreh, noon ghunna,
heh doachashmee, heh goal, yeh barree, and the Urdu full stop)."""
PERSIAN_LETTERS = set("پچژگکی")
"""Letters that Persian (and Urdu) writes and Arabic does not."""
UKRAINIAN_LETTERS = set("ґєіїҐЄІЇ")
SERBIAN_LETTERS = set("ђћџљњјЂЋЏЉЊЈ")


def language_script(lang: str) -> str:
    """The script of a BCP 47 tag: its script subtag (sr-Latn), else the language's usual
    one."""
    parts = lang.replace("_", "-").split("-")
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            return part.title()
    return SCRIPT_OF_LANGUAGE.get(parts[0].lower(), "Latn")


def script_stretches(text: str) -> list[tuple[str | None, str]]:
    """(script, stretch) pieces of a text in logical order; None for what lies between
    passages (spaces, digits, punctuation, symbols)."""
    out: list[tuple[str | None, str]] = []
    pos = 0
    for m in _STRETCH.finditer(text):
        if m.start() > pos:
            out.append((None, text[pos:m.start()]))
        out.append((m.lastgroup, m.group(0)))
        pos = m.end()
    if pos < len(text):
        out.append((None, text[pos:]))
    return out


def script_languages(texts, lang: str) -> dict[str, str]:
    """The language of passages in each script other than the brief's own, guessed from all
    the brief's text at once (so every length of a brief says the same):

    - Arabic script: `ur` when a letter only Urdu writes occurs (ٹ ڈ ڑ ں ھ ہ ے ۔), else `fa`
      when a letter Persian adds to Arabic occurs (پ چ ژ گ ک ی), else `ar`;
    - Cyrillic: `uk` with ґ є і ї, `sr` with ђ ћ џ љ њ ј, else `ru`;
    - Greek: `el`; Latin: `en`.

    The brief's own script is left out: its passages are in the brief's language."""
    own = language_script(lang)
    seen: dict[str, set[str]] = {}
    for text in texts:
        if text.isascii():
            if own != "Latn" and any(ch.isalpha() for ch in text):
                seen.setdefault("Latn", set())
            continue
        if own == "Latn" and _NOT_LATIN.isdisjoint(text):
            continue  # only the brief's own script: no passage to tell apart
        for script, piece in script_stretches(text):
            if script and script != own:
                seen.setdefault(script, set()).update(piece)
    out = {}
    for script, letters in seen.items():
        if script == "Arab":
            out[script] = "ur" if letters & URDU_LETTERS else \
                "fa" if letters & PERSIAN_LETTERS else "ar"
        elif script == "Cyrl":
            out[script] = "uk" if letters & UKRAINIAN_LETTERS else \
                "sr" if letters & SERBIAN_LETTERS else "ru"
        elif script == "Grek":
            out[script] = "el"
        else:
            out[script] = "en"
    return dict(sorted(out.items()))
