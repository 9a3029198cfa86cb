"""Sentences: where a text's sentences end, knowing abbreviations such as "U.S.", "e.g."
and "Dr.". The one rule serves the summary-length advice, an item's one-line form (its
summary's first sentence) and the drafting of briefs from articles."""

from __future__ import annotations

import re
from functools import lru_cache

from .patterns import Lazy

ABBREVIATIONS = ("e.g", "i.e", "etc", "vs", "cf", "al", "approx", "incl", "Mr", "Mrs", "Ms",
                 "Dr", "St", "No", "Nos", "Gen", "Col", "Lt", "Sgt", "Capt", "Maj", "Prof",
                 "Amb", "Gov", "Sen", "Rep", "Pres", "Min", "Dept", "Co", "Corp", "Inc",
                 "Ltd", "Jr", "Sr", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep",
                 "Sept", "Oct", "Nov", "Dec", "Art", "Sec", "para", "paras", "p", "pp", "Vol",
                 "Fig")
"""Words whose full stop does not end a sentence (besides initials such as U.S. or J.)."""

_NO_END = Lazy(r"\b(?:[A-Za-z]\.){2,}(?=[\s,;:)\]]|$)|\b[A-Z]\.(?=\s)|\b(?:"
                     + "|".join(re.escape(a) for a in ABBREVIATIONS) + r")\.")
# A sentence ends at . ! ? (or the Urdu/Arabic full stop ۔ and question mark ؟), closing
# quotes and brackets after it, before a space and a word character that is not a lower-case
# letter (a capital, a digit, a letter of a caseless script: Arabic, Devanagari, Han...),
# opening quotes before it allowed, or the end of the text. The character is checked in
# Python: a character class of every capital and caseless letter would cost a cold
# process milliseconds to compile.
_END = Lazy(r"[.!?۔؟][\"'”’»)\]]*(?=\s+[\"'“‘«(\[]*(\w)|\s*$)")


def sentence_ends(text: str) -> list[int]:
    """Offsets just after each sentence's last character (the end of the text included)."""
    masked = _NO_END.sub(lambda m: m.group(0).replace(".", "\x00"), text)
    ends = [m.end() for m in _END.finditer(masked) if _starts_sentence(m.group(1))]
    stripped = len(text.rstrip())
    if stripped and (not ends or ends[-1] < stripped):
        ends.append(stripped)
    return ends


def _starts_sentence(ch: str | None) -> bool:
    return ch is None or (ch != "_" and not ch.islower())


def split_sentences(text: str) -> list[str]:
    """The sentences of a text, each stripped of surrounding space."""
    out, start = [], 0
    for end in sentence_ends(text):
        piece = text[start:end].strip()
        if piece:
            out.append(piece)
        start = end
    return out


def count_sentences(text: str) -> int:
    """How many sentences a text has (at least one when it has any text)."""
    return len(split_sentences(text))


@lru_cache(maxsize=8192)
def first_sentence(text: str) -> str:
    """The first sentence of a text (the whole text when it has one sentence)."""
    sentences = split_sentences(text)
    return sentences[0] if sentences else text.strip()
