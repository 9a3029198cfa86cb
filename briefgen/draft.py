"""Draft: the reverse of `load`. An article's text in (read by `article`, paragraphs
numbered by its rule), the YAML text of a starter brief out: its source filled from the
article's metadata, a summary and key points from the lead and the conclusion, and
candidate items from the sentences that state them, each quoting its sentence with its
paragraph. Every field carries a comment saying what to review. Offline and
deterministic: the same article gives the same bytes. Never imports a renderer.
"""

from __future__ import annotations

import json
import re
import unicodedata

from .records import dataclass

from .article import Article, Paragraph
from .model import SECTIONS
from .sentences import split_sentences

CUES = {
    "recommendations": re.compile(
        r"\b(?:should|must|ought to|needs? to|is needed|are needed|it is (?:important|"
        r"essential|vital|crucial|necessary) (?:that|to)|recommend\w*|calls? (?:for|on))\b",
        re.IGNORECASE),
    "challenges": re.compile(
        r"\b(?:hurdles?|threats?|threaten\w*|concerns?|risks?|obstacles?|challenges?|"
        r"dangers?|problems?|barriers?|undermin\w*|stands? in the way)\b", re.IGNORECASE),
    "opportunities": re.compile(
        r"\b(?:potential|opportunit(?:y|ies)|can help|could help|can be helpful|helpful|"
        r"benefi\w*|advantages?)\b", re.IGNORECASE),
}
"""Cue phrases by list, strongest claim first: a sentence goes to the first list it cues."""
CUE_WORDS = {
    "opportunities": '"potential", "opportunity", "can help", "benefit"',
    "challenges": '"hurdle", "threat", "concern", "risk"',
    "recommendations": '"should", "must", "need to", "is needed"',
}
MAX_ITEMS = 8
"""Candidates drafted per list at most (in the article's order)."""
SHORT = 12
"""A cue sentence shorter than this is drafted with the sentence after it."""
MIN_WORDS = 6
"""Shorter sentences are too slight to draft an item from."""
WIDTH = 88

_OPENERS = re.compile(r"^(?:however|therefore|furthermore|moreover|finally|lastly|firstly|"
                      r"secondly|thus|hence|in turn|in addition|also|above all|at the same "
                      r"time|for example|meanwhile|still|yet|but|and|so)\b[,:]?\s*"
                      r"|^there (?:is|are) (?:also )?(?:an? |the )?", re.IGNORECASE)
_TRAILING = {"a", "an", "the", "of", "and", "or", "in", "for", "to", "with", "on", "at", "by",
             "from", "that", "which", "is", "are", "was", "were", "be", "as", "its", "their",
             "this", "these", "but", "can", "could", "will", "would", "should", "must", "has",
             "have", "not", "so", "than", "into"}
_MARKDOWN = re.compile(r"([\\*_\[\]`])")
_PRINTABLE = re.compile(r"^[^\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]*$")


@dataclass(frozen=True)
class Candidate:
    """A sentence that states an item, with the paragraph it comes from."""

    section: str
    sentence: str
    paragraph: int


def candidates(article: Article) -> dict[str, list[Candidate]]:
    """The sentences that state opportunities, challenges and recommendations, by list
    (the first MAX_ITEMS of each, in the article's order); a sentence goes to the list of
    its strongest cue (recommendation, then challenge, then opportunity)."""
    found: dict[str, list[Candidate]] = {s: [] for s in SECTIONS}
    seen: set[str] = set()
    for paragraph in _argument(article):
        sentences = split_sentences(paragraph.text)
        for n, sentence in enumerate(sentences):
            key = " ".join(sentence.casefold().split())
            if key in seen or len(sentence.split()) < MIN_WORDS:
                continue
            seen.add(key)
            section = next((s for s, cue in CUES.items() if cue.search(sentence)), None)
            if section is None or len(found[section]) >= MAX_ITEMS:
                continue
            text = sentence
            if len(sentence.split()) < SHORT and n + 1 < len(sentences):
                # "The first hurdle is fuel supply." says little alone: take the next too
                text = f"{sentence} {sentences[n + 1]}"
                seen.add(" ".join(sentences[n + 1].casefold().split()))
            found[section].append(Candidate(section, text, paragraph.number))
    return found


def _argument(article: Article) -> list[Paragraph]:
    """The paragraphs without the author's bio and disclaimer at the end."""
    paragraphs = list(article.paragraphs)
    while len(paragraphs) > 1 and _is_bio(paragraphs[-1].text, article.author):
        paragraphs.pop()
    return paragraphs


def _is_bio(text: str, author: str | None) -> bool:
    if re.search(r"\bviews expressed\b|\bdo not necessarily reflect\b", text, re.IGNORECASE):
        return True
    start = re.match(r"^\W*((?:[A-Z][\w.'’-]*\s+){1,4})(?:is|was)\s+(?:an?|the)\s", text)
    if not start:
        return False
    return author is None or start.group(1).split()[0] in author


def draft(article: Article, text_path: str) -> tuple[str, list[str]]:
    """The YAML text of a starter brief drafted from the article, whose `source.text` is
    `text_path`; and the list of what could not be found, in words."""
    missing = [name for name in ("title", "author", "publisher", "date")
               if getattr(article, name) is None]
    argument = _argument(article)
    lead, conclusion = argument[0], argument[-1]
    lead_sentences = split_sentences(lead.text)
    end_sentences = split_sentences(conclusion.text)
    summary = [lead_sentences[0]] + ([end_sentences[-1]] if conclusion is not lead or
                                     len(end_sentences) > 1 else [])
    points = _key_points(argument, summary)
    found = candidates(article)
    for section, items in found.items():
        if not items:
            missing.append(f"a sentence stating {_one(section)} (cue words: "
                           f"{CUE_WORDS[section]})")
    fallback = not any(found.values())
    if fallback:  # the brief needs an item: the conclusion, to be rewritten as one
        missing[-1] += "; the conclusion stands in for a recommendation"
        found["recommendations"] = [Candidate("recommendations", end_sentences[-1],
                                              conclusion.number)]
    title = article.title or _title_from_path(article.path)

    out = Writer()
    out.comment("A brief drafted by `briefgen draft` from the article in source.text: a")
    out.comment("starting point for you to review, not a finished brief. Each comment says what")
    out.comment("to check; keep the quotes verbatim (`briefgen validate` checks them against")
    out.comment("the article).")
    out.comment("The article's paragraphs, numbered by briefgen's rule (docs/input-format.md,")
    out.comment('"Paragraphs"), which `paragraph:` below counts:')
    for p in article.paragraphs:
        out.comment(f"  {p.number:>3}  {_opening(p.text)}")
    if missing:
        out.comment("Not found in the article: " + "; ".join(missing) + ".")
    out.blank()
    out.line("briefgen: 1" + _trailing("the input format's version"))
    out.field("title", _inline(title), "review: state the brief's point (this is the "
                                       "article's title)")
    out.field("subtitle", "Opportunities, challenges and recommendations",
              "review: optional; a line under the title")
    out.field("summary", _inline(" ".join(summary)),
              "review: the bottom line in one to three sentences (drafted from the "
              "article's lead and conclusion)", block=True)
    out.line("key_points:" + _trailing("review: two to five one-sentence messages (drafted "
                                       "from the lead and the conclusion)"))
    for point in points:
        out.item(_inline(point))
    out.line("source:" + _trailing("the article summarized: check each field against it"))
    out.field("title", title, "review: the article's title as published" +
              ("" if article.title else " (not found: this is the file's name)"), indent=2,
              literal=True)
    for name, what in (("author", "the author or authors"), ("publisher", "the publication"),
                       ("date", "the publication date, YYYY-MM-DD"),
                       ("url", "where readers can find the article")):
        value = getattr(article, name)
        if value is None:
            example = {"author": "Author Name", "publisher": "Publisher",
                       "date": "2025-01-31", "url": "https://example.org/article"}[name]
            out.line(f"  # {name}: {example}" + _trailing(f"not found in the article: add "
                                                          f"{what}"))
        else:
            out.field(name, value.isoformat() if name == "date" else value,
                      f"review: {what}", indent=2, literal=True, plain=name == "date")
    out.field("text", text_path, "the article's text: every quote is checked against it",
              indent=2, literal=True)
    out.line("# prepared:" + _trailing("optional: who made the brief, for whom, its marking"))
    for key, value in (("by", "Your desk"), ("for", "The reader"), ("date", "2025-01-31"),
                       ("classification", "UNCLASSIFIED")):
        out.line(f"#   {key}: {value}")
    ids: set[str] = set()
    for section, items in found.items():
        if not items:
            continue
        out.blank()
        out.line(f"{section}:" + _trailing(f"review: candidate {section}, one per sentence "
                                           f"that states {_one(section)}; keep the real "
                                           f"ones, merge or drop the rest"))
        for candidate in items:
            _item(out, candidate, ids, fallback)
    return out.text(), missing


def _item(out: "Writer", c: Candidate, ids: set[str], fallback: bool) -> None:
    title = _title(c.sentence)
    slug = _slug(title, c.section, ids)
    out.line(f"  - id: {slug}" + _trailing("review: a short slug that other items' "
                                           "`addresses` name"))
    out.field("title", _inline(title), "review: a short heading that states the point",
              indent=4)
    note = ("no sentence states a recommendation in so many words: this is the article's "
            "conclusion; rewrite it as one") if fallback else \
        "review: one or two sentences in your words (this is the article's sentence)"
    out.field("summary", _inline(c.sentence), note, indent=4, block=True)
    out.field("priority", "medium", "review: high, medium or low; shorter briefs leave out "
                                    "low first", indent=4, plain=True)
    out.line("    evidence:" + _trailing("the sentence this item was drafted from"))
    out.field("- quote", _inline(c.sentence), "the article's own words: keep them verbatim",
              indent=6, block=True)
    out.field("paragraph", str(c.paragraph), "the paragraph that holds the quote",
              indent=8, plain=True)
    if c.section == "recommendations":
        for key, value, what in (("owner", "Ministry or office", "who should act"),
                                 ("timeframe", "6-12 months", "by when"),
                                 ("addresses", "[id-of-a-challenge]",
                                  "ids of the opportunities and challenges it answers")):
            out.line(f"    # {key}: {value}" + _trailing(f"review: {what}"))


def _key_points(argument: list[Paragraph], summary: list[str]) -> list[str]:
    """Two to four sentences from the lead and the conclusion (then the next paragraphs'
    openings), not those of the summary."""
    pool = split_sentences(argument[0].text)[1:] + split_sentences(argument[-1].text)
    pool += [split_sentences(p.text)[0] for p in argument[1:-1]]
    points: list[str] = []
    for sentence in pool:
        if sentence in summary or sentence in points or len(sentence.split()) < MIN_WORDS:
            continue
        points.append(sentence)
        if len(points) == 4:
            break
    while len(points) < 2:  # a very short article: repeat is better than invalid
        points.append(summary[len(points) % len(summary)])
    return points


def _one(section: str) -> str:
    return {"opportunities": "an opportunity", "challenges": "a challenge",
            "recommendations": "a recommendation"}[section]


def _opening(text: str, words: int = 9) -> str:
    shown = text.split()
    return " ".join(shown[:words]) + (" …" if len(shown) > words else "")


def _title(sentence: str) -> str:
    """A heading from a sentence: its first clause, at most eight words."""
    text = sentence.strip("“”\"'‘’ ")
    for _ in range(2):  # "However, there is a risk ..." -> "Risk ..."
        text = _OPENERS.sub("", text, count=1)
    clause = re.split(r"[,;:–—(]|\s-\s", text, maxsplit=1)[0].strip()
    words = (clause if len(clause.split()) >= 4 else text).split()[:8]
    while len(words) > 2 and (words[-1].casefold().strip(".,") in _TRAILING or
                              _unclosed(words[-1])):
        words.pop()
    title = " ".join(words).rstrip(".,;:!?")
    return title[:1].upper() + title[1:] if title else sentence


def _unclosed(word: str) -> bool:
    """Whether a word opens a quotation or bracket that it does not close."""
    return any(word.startswith(a) and b not in word[1:] for a, b in
               (("‘", "’"), ("“", "”"), ('"', '"'), ("(", ")"), ("[", "]"), ("'", "'")))


def _slug(title: str, section: str, taken: set[str]) -> str:
    ascii_ = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = [w for w in re.findall(r"[a-z0-9]+", ascii_.lower()) if w not in _TRAILING]
    base = "-".join(words[:4]) or section[:-1]
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def _title_from_path(path: str) -> str:
    from pathlib import Path

    stem = re.sub(r"[-_]+", " ", Path(path).stem).strip()
    return stem[:1].upper() + stem[1:] if stem else "Untitled article"


def _inline(text: str) -> str:
    """Text for an inline-Markdown field, its Markdown characters escaped so that it
    prints (and is compared) as written."""
    return _MARKDOWN.sub(r"\\\1", text)


def _trailing(comment: str) -> str:
    return f"  # {comment}"


class Writer:
    """YAML lines with comments, every scalar written so that it reads back exactly."""

    def __init__(self):
        self.lines: list[str] = []

    def text(self) -> str:
        """The YAML text, ending with a newline."""
        return "\n".join(self.lines).rstrip("\n") + "\n"

    def line(self, line: str) -> None:
        self.lines.append(line)

    def blank(self) -> None:
        self.lines.append("")

    def comment(self, text: str) -> None:
        self.lines.append(f"# {text}".rstrip())

    def item(self, value: str, indent: int = 2) -> None:
        """A list entry: a folded scalar under a dash."""
        self.field("-", value, None, indent=indent, block=True, dash=True)

    def field(self, key: str, value: str, comment: str | None, indent: int = 0,
              block: bool = False, literal: bool = False, plain: bool = False,
              dash: bool = False) -> None:
        """`key: value  # comment`; a long text as a folded block (`>-`), wrapped at
        single spaces, which YAML folds back into them."""
        pad = " " * indent
        note = _trailing(comment) if comment else ""
        head = f"{pad}{key}" if dash else f"{pad}{key}:"
        if plain:
            self.lines.append(f"{head} {value}{note}")
        elif block and _foldable(value):
            self.lines.append(f"{head} >-{note}")
            inner = " " * (indent + (4 if key.startswith("- ") else 2))
            for piece in _wrap(value, WIDTH - len(inner)):
                self.lines.append(inner + piece)
        else:
            self.lines.append(f"{head} {json.dumps(value, ensure_ascii=False)}{note}")


def _foldable(text: str) -> bool:
    """Whether a folded block scalar holds the text exactly: single spaces, no space at
    its ends, printable characters."""
    return bool(text) and text == text.strip() and "  " not in text and \
        not re.search(r"\s", text.replace(" ", "")) and bool(_PRINTABLE.match(text))


def _wrap(text: str, width: int) -> list[str]:
    lines, current = [], ""
    for word in text.split(" "):
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    return lines
