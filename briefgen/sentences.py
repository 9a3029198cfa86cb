"""Sentences: where a text's sentences end, knowing abbreviations such as "U.S.", "e.g."
and "Dr.". The one rule serves the summary-length advice, an item's one-line form (its
summary's first sentence) and the drafting of briefs from articles."""

from __future__ import annotations

import re
from functools import lru_cache

ABBREVIATIONS = ("e.g", "i.e", "etc", "vs", "cf", "al", "approx", "incl", "Mr", "Mrs", "Ms",
                 "Dr", "St", "No", "Nos", "Gen", "Col", "Lt", "Sgt", "Capt", "Maj", "Prof",
                 "Amb", "Gov", "Sen", "Rep", "Pres", "Min", "Dept", "Co", "Corp", "Inc",
                 "Ltd", "Jr", "Sr", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep",
                 "Sept", "Oct", "Nov", "Dec", "Art", "Sec", "para", "paras", "p", "pp", "Vol",
                 "Fig")
"""Words whose full stop does not end a sentence (besides initials such as U.S. or J.)."""

_NO_END = re.compile(r"\b(?:[A-Za-z]\.){2,}(?=[\s,;:)\]]|$)|\b[A-Z]\.(?=\s)|\b(?:"
                     + "|".join(re.escape(a) for a in ABBREVIATIONS) + r")\.")
# A sentence ends at . ! ? (or the Urdu/Arabic full stop ۔ and question mark ؟), closing
# quotes and brackets after it, before a space and a capital letter, digit, opening quote,
# a letter of a caseless script, or the end of the text.
_END = re.compile(r"[.!?۔؟][\"'”’»)\]]*(?=\s+[\"'“‘«(\[]*(?:[A-ZÀ-ÞА-ЯЁΑ-Ω0-9]|"
                  r"[\u0600-\u06FF\u0590-\u05FF\u0900-\u0DFF\u4E00-\u9FFF])|\s*$)")


def sentence_ends(text: str) -> list[int]:
    """Offsets just after each sentence's last character (the end of the text included)."""
    masked = _NO_END.sub(lambda m: m.group(0).replace(".", "\x00"), text)
    ends = [m.end() for m in _END.finditer(masked)]
    stripped = len(text.rstrip())
    if stripped and (not ends or ends[-1] < stripped):
        ends.append(stripped)
    return ends


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
