"""Quotes: a step after `load`. Every evidence quote of a brief whose `source.text` names
the article is checked against the article's numbered paragraphs (`article`), and the
problems come back as located diagnostics, like load's.

Quote and source are compared after the same normalisation: Unicode NFC, line breaks and
runs of spaces as one space, words hyphenated at a line break joined, curly and straight
quotes and apostrophes alike, every dash alike, "..." and "…" alike (an ellipsis in a quote
marks left-out words), the quote's Markdown markers, its surrounding punctuation and the
case of its first letter ignored. Then a quote is

- found in the paragraph it cites (or anywhere, when it cites none): fine;
- found only in other paragraphs: an error that names them;
- not found: its closest passage is found (rapidfuzz's alignment) and the two are compared
  word by word. Any difference of words is an error; its message says what the quote
  drops, adds or changes (a negation, a number, a name are named as such) and shows the
  source's own words and their paragraph. A difference only of punctuation or capitals is
  advice (a warning).

A quote of fewer than three words is too short to verify: advice, nothing else.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from pathlib import Path

from .article import Article, ArticleError, Paragraph, clean, read_article
from .errors import BriefError, Diagnostic
from .patterns import Lazy
from .model import Brief
from .records import dataclass, field

MIN_WORDS = 3
"""Quotes shorter than this are too short to verify."""
NEGATIONS = frozenset("not no never without nor neither none nobody nothing nowhere cannot "
                      "non".split())
"""Words whose presence or absence turns a statement around (and any word ending in n't)."""
NUMBER_WORDS = frozenset(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
    "eighty ninety hundred thousand million billion trillion dozen half quarter double "
    "twice triple first second third fourth fifth sixth seventh eighth ninth tenth percent"
    .split())
_COMMON = frozenset(
    "a an the this that these those it its he she they we i you our their his her there "
    "here however but and or so yet if when while although though because since as at in "
    "on of for to by with from into after before during despite furthermore moreover "
    "therefore thus hence also finally first lastly instead meanwhile nevertheless still "
    "indeed yes no not never many most some all each every both either neither one such "
    "what which who whom whose why how where whether".split())
"""Words that start sentences: a capital on them is not a sign of a name."""
_STOP = frozenset("a an the of and or to in on at by for with from is are was were be been "
                  "it this that as".split())

_MAP = str.maketrans({
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'", "´": "'", "‹": "'",
    "›": "'", "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"',
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-", "﹣": "-",
    "－": "-"})
_EDGE = " \"'.,;:!?-()[]{}"
_MARKDOWN = re.compile(r"[*_\[\]\\]")
_ELLIPSIS = Lazy(r"\[(?:…|\.{3})\]|\.{3}|…")
_DASH = re.compile(r"\s*-[\s-]*")
_WORD = re.compile(r"\w+")
# For aligning a misquote, a token is a run of characters between spaces and dashes: the
# dashes are alike anyway, and "counter-terrorism" is two words to align.
_TOKEN = Lazy(r"[^\s\-‐‑‒–—―−﹣－]+")


def normalized(text: str) -> str:
    """A cleaned text as quotes are compared verbatim: one kind of quote mark and of
    apostrophe; every dash a hyphen, without spaces around it ("a – b", "a—b", "a - b"
    and "a-b" are alike); an ellipsis of any form "…", spaced; single spaces."""
    text = _ELLIPSIS.sub(" … ", text.translate(_MAP))
    return " ".join(_DASH.sub("-", text).split())


def _exact(token: str) -> str:
    """A token as compared verbatim (quotes and apostrophes of one kind)."""
    return token.translate(_MAP)


def _loose(token: str) -> str:
    """A token as compared for closeness: letters and digits only, in lower case."""
    return "".join(ch for ch in token.casefold() if ch.isalnum())


def _content_words(text: str) -> frozenset[str]:
    """The distinct words of a text, lower case, without the commonest, for ranking."""
    return frozenset(w.lower() for w in _WORD.findall(text)) - _STOP


@dataclass
class _Text:
    """A text cut into tokens, with the words that aligning a misquote uses."""

    text: str
    spans: list[tuple[int, int]]
    words: list[str]            # loose keys of the tokens that have letters or digits
    word_tokens: list[int]      # the token index of each of `words`
    loose: str = ""             # `words` joined by spaces
    loose_starts: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, text: str) -> "_Text":
        spans = [m.span() for m in _TOKEN.finditer(text)]
        words, word_tokens = [], []
        for i, (a, b) in enumerate(spans):
            w = _loose(text[a:b])
            if w:
                words.append(w)
                word_tokens.append(i)
        loose_starts, pos = [], 0
        for w in words:
            loose_starts.append(pos)
            pos += len(w) + 1
        return cls(text, spans, words, word_tokens, " ".join(words), loose_starts)

    def token(self, i: int) -> str:
        a, b = self.spans[i]
        return self.text[a:b]

    def word(self, j: int) -> str:
        """The j-th word as written (its token, surrounding punctuation removed)."""
        return self.token(self.word_tokens[j]).strip(_EDGE + "“”‘’«»…–—")

    def written(self, j0: int, j1: int) -> str:
        """Words j0..j1-1 as written, with what is between them, without the punctuation
        around them."""
        if j1 <= j0:
            return ""
        a = self.spans[self.word_tokens[j0]][0]
        b = self.spans[self.word_tokens[j1 - 1]][1]
        return self.text[a:b].strip(_EDGE + "“”‘’«»…–—")

    def excerpt(self, j0: int, j1: int) -> str:
        """Words j0..j1-1 as written, with an ellipsis where the text goes on."""
        if j1 <= j0:
            return ""
        a = self.spans[self.word_tokens[j0]][0]
        b = self.spans[self.word_tokens[j1 - 1]][1]
        return ("… " if j0 > 0 else "") + self.text[a:b] + (" …" if j1 < len(self.words) else "")


class SourceIndex:
    """An article's paragraphs prepared for searching quotes: their normalised text in
    one string (the common case, a verbatim quote, is a `str.find`), and, made when a
    misquote needs them, their words."""

    def __init__(self, article: Article):
        self.article = article
        self.paragraphs: list[Paragraph] = list(article.paragraphs)
        exact = [normalized(p.text) for p in self.paragraphs]
        self.whole = "\n".join(exact)
        self.flat = self.whole.replace("\n", " ")
        self.offsets, pos = [], 0
        for e in exact:
            self.offsets.append(pos)
            pos += len(e) + 1
        self._texts: dict[int, _Text] = {}
        self._sets: list[frozenset[str]] | None = None

    def exact(self, i: int) -> str:
        """The normalised text of the i-th paragraph."""
        end = self.offsets[i + 1] - 1 if i + 1 < len(self.offsets) else len(self.whole)
        return self.whole[self.offsets[i]:end]

    def text(self, i: int) -> _Text:
        """The i-th paragraph's tokens and words."""
        if i not in self._texts:
            self._texts[i] = _Text.of(self.paragraphs[i].text)
        return self._texts[i]

    @property
    def sets(self) -> list[frozenset[str]]:
        """Each paragraph's content words."""
        if self._sets is None:
            self._sets = [_content_words(p.text) for p in self.paragraphs]
        return self._sets

    def paragraph_at(self, pos: int) -> int:
        """The index of the paragraph that holds a position of `whole`."""
        return bisect.bisect_right(self.offsets, pos) - 1

    def find(self, part: str, haystack: str | None = None, start: int = 0) -> list[int]:
        """Start positions of a normalised part in `whole` (or `haystack`, from `start`),
        at word boundaries, with the case of its first letter free."""
        haystack = self.whole if haystack is None else haystack
        variants = {part}
        if part[:1].isalpha():
            variants.add(part[0].swapcase() + part[1:])
        found = []
        for v in variants:
            pos = haystack.find(v, start)
            while pos >= 0:
                if _bounded(haystack, pos, pos + len(v), v):
                    found.append(pos)
                pos = haystack.find(v, pos + 1)
        return sorted(found)


def _bounded(hay: str, a: int, b: int, needle: str) -> bool:
    """Whether a match starts and ends at word boundaries (unless the quote itself starts
    or ends inside punctuation)."""
    if a > 0 and needle[0].isalnum() and hay[a - 1].isalnum():
        return False
    return not (b < len(hay) and needle[-1].isalnum() and hay[b].isalnum())


@lru_cache(maxsize=16)
def _cached_index(path: str, mtime: int, size: int) -> SourceIndex:
    return SourceIndex(read_article(path))


def source_index(path: Path) -> SourceIndex:
    """The article at `path` read and indexed, cached while the file is unchanged."""
    try:
        st = path.stat()
    except OSError as exc:
        if not path.exists():
            raise ArticleError(f"no such file: {path}") from None
        raise ArticleError(f"cannot read {path}: {exc.strerror or exc}") from None
    return _cached_index(str(path), st.st_mtime_ns, st.st_size)


def source_path(brief: Brief) -> Path | None:
    """Where `source.text` points: relative to the brief file's folder."""
    if not brief.source.text:
        return None
    return Path(brief.path or ".").parent / brief.source.text.strip()


# -- checking -------------------------------------------------------------------------------

def check(brief: Brief) -> list[Diagnostic]:
    """Every evidence quote of the brief checked against `source.text` (nothing when it
    is not set): errors and advice, each located at its quote."""
    path = source_path(brief)
    if path is None:
        return []
    file = brief.path
    try:
        index = source_index(path)
    except ArticleError as exc:
        line, col = brief.source.at_text
        return [Diagnostic(file, line, col, f"{exc}; source.text names the article's text, "
                                            f"relative to this file's folder", "source.text")]
    out = []
    for item in brief.items:
        for n, evidence in enumerate(item.evidence, 1):
            where = f"{item.section}[{item.index + 1}].evidence[{n}]"
            for severity, key, message in check_quote(index, evidence.quote,
                                                      evidence.paragraph):
                out.append(Diagnostic(file, *evidence.at, message, f"{where}.{key}",
                                      severity))
    return out


def verify(brief: Brief) -> list[Diagnostic]:
    """`check`, raising BriefError with every diagnostic when one is an error; otherwise
    the advice (warnings)."""
    diagnostics = check(brief)
    if any(d.severity == "error" for d in diagnostics):
        raise BriefError(sorted(diagnostics, key=lambda d: (d.line, d.column)))
    return diagnostics


def quote_text(quote: str) -> str:
    """A quote as a reader sees it: its inline Markdown markers removed."""
    if _MARKDOWN.search(quote):
        from .inline import plain_text

        return plain_text(quote)
    return quote


def check_quote(index: SourceIndex, quote: str,
                cited: int | None) -> list[tuple[str, str, str]]:
    """The problems of one quote: (severity, key, message) with key 'quote' or 'paragraph'."""
    cleaned = clean(quote_text(quote))
    n = sum(1 for m in _TOKEN.finditer(cleaned) if _loose(m.group(0)))
    if n < MIN_WORDS:
        return [("warning", "quote", f"the quote has {n} word{'s' if n != 1 else ''}, too "
                                     f"short to verify against the source; quote at least "
                                     f"{MIN_WORDS} words")]
    # An ellipsis marks left-out words: the pieces around it are searched in order.
    pieces = [(normalized(w).strip(_EDGE), w.strip(_EDGE)) for w in _ELLIPSIS.split(cleaned)]
    pieces = [(p, w) for p, w in pieces if any(ch.isalnum() for ch in p)]
    parts, written = [p for p, _ in pieces], [w for _, w in pieces]
    count = len(index.paragraphs)
    holding = _holding(index, parts)
    if holding:
        if cited is None or cited in holding:
            return []
        return [("error", "paragraph", _wrong_paragraph(holding, cited, count))]
    if len(parts) == 1:
        across = index.find(parts[0], index.flat)
        if across:
            first = index.paragraph_at(across[0])
            last = index.paragraph_at(across[0] + len(parts[0]) - 1)
            return [("error", "quote", f"the quote runs across paragraphs "
                                       f"{_numbers(range(first + 1, last + 2))}; a quote "
                                       f"is taken from one paragraph")]
    # Not verbatim: compare each part that is not found word by word with its closest
    # passage (a quote without an ellipsis is one part).
    problems = []
    found_in: set[int] = set()
    for part, as_written in zip(parts, written):
        where = _holding(index, [part])
        if where:
            found_in |= set(where)
            continue
        problems += _misquote(index, _Text.of(as_written), cited)
    if not problems:  # every part is in the source, but not together in one paragraph
        problems.append(("error", "quote", f"the parts of the quote around its ellipsis "
                                           f"are not in one paragraph in this order (they "
                                           f"are in paragraph{'s' if len(found_in) > 1 else ''}"
                                           f" {_numbers(sorted(found_in))})"))
    return problems


def _holding(index: SourceIndex, parts: list[str]) -> list[int]:
    """The numbers of the paragraphs that hold every part, in order."""
    out = []
    for pos in index.find(parts[0]):
        i = index.paragraph_at(pos)
        if index.paragraphs[i].number in out:
            continue
        para = index.exact(i)
        end = pos - index.offsets[i] + len(parts[0])
        for part in parts[1:]:
            hits = index.find(part, para, end)
            if not hits:
                break
            end = hits[0] + len(part)
        else:
            out.append(index.paragraphs[i].number)
    return out


def _numbers(numbers) -> str:
    numbers = [str(n) for n in numbers]
    return numbers[0] if len(numbers) == 1 else ", ".join(numbers[:-1]) + " and " + numbers[-1]


def _wrong_paragraph(holding: list[int], cited: int, count: int) -> str:
    where = f"paragraph{'s' if len(holding) > 1 else ''} {_numbers(holding)}"
    if cited > count:
        return f"the source has {count} paragraphs, so there is no paragraph {cited}; the " \
               f"quote is in {where}"
    return f"the quote is in {where}, not {cited}"


# -- misquotes ------------------------------------------------------------------------------

@dataclass
class _Difference:
    kind: str        # negation, number, name, word or typography
    quote: str       # the quote's words, as written ("" when it drops words)
    source: str      # the source's words, as written ("" when the quote adds words)
    at: tuple[int, int]   # the source's words j0..j1 it concerns (j0 == j1: a point)

    def describe(self) -> str:
        q, s = self.quote, self.source
        if not self.quote:
            text = f'drops "{s}"'
        elif not self.source:
            text = f'adds "{q}"'
        else:
            text = f'has "{q}" where the source has "{s}"'
        label = {"negation": "a negation", "number": "a number", "name": "a name"}.get(self.kind)
        return text + (f" ({label})" if label else "")


def _misquote(index: SourceIndex, quote: _Text,
              cited: int | None) -> list[tuple[str, str, str]]:
    """The problem of a quote not in the source: how it differs from its closest passage."""
    from rapidfuzz import fuzz

    qset = _content_words(quote.text)
    sets = index.sets
    ranked = sorted(range(len(sets)), key=lambda i: -len(qset & sets[i]))[:4]
    cited_i = next((i for i, p in enumerate(index.paragraphs) if p.number == cited), None)
    if cited_i is not None and cited_i not in ranked:
        ranked.append(cited_i)
    best = None
    for i in ranked:
        if qset and not qset & sets[i]:
            continue
        a = fuzz.partial_ratio_alignment(quote.loose, index.text(i).loose)
        if a is None:
            continue
        key = (a.score + (0.5 if i == cited_i else 0), -i)
        if best is None or key > best[0]:
            best = (key, i, a)
    if best is None:
        return [("error", "quote", "the quote is not in the source, and no passage of it "
                                   "is close")]
    _, i, a = best
    text = index.text(i)
    number = index.paragraphs[i].number
    # The alignment is of characters and as long as the quote: widen it to whole words
    # and by half the quote's length, for the words a misquote drops.
    starts, pad = text.loose_starts, len(quote.words) // 2 + 3
    j0 = max(0, bisect.bisect_right(starts, min(a.dest_start, a.dest_end)) - 1 - pad)
    j1 = min(len(text.words), bisect.bisect_left(starts, max(a.dest_start, a.dest_end)) + pad)
    ops = _opcodes(quote.words, text.words, j0, j1)
    if not ops:
        return [("error", "quote", "the quote is not in the source")]
    first, last = ops[0][3], ops[-1][4]
    equal = sum(i2 - i1 for tag, i1, i2, _, _ in ops if tag == "equal")
    where = f"paragraph {number}" + (f", not {cited} as cited"
                                     if cited is not None and cited != number else "")
    if equal < len(quote.words) / 4:
        return [("error", "quote", "the quote is not in the source, and no passage of it "
                                   "is close")]
    if equal < len(quote.words) / 2:
        shown = text.excerpt(first, min(last, first + 30))
        return [("error", "quote", f'the quote is not in the source; the closest passage, '
                                   f'in paragraph {number}, says "{shown}"')]
    differences = _differences(quote, text, ops)
    words = [d for d in differences if d.kind != "typography"]
    if not words:
        shown = _excerpt(text, differences, first, last) if differences else \
            text.excerpt(first, last)
        listed = _listed([d.describe() for d in differences])
        message = "the quote differs from the source only in punctuation or capitals" + \
                  (f" ({listed})" if listed else "") + f'; the source says "{shown}" ({where})'
        return [("warning", "quote", message)]
    shown = _excerpt(text, words, first, last)
    return [("error", "quote", f'the quote {_listed([d.describe() for d in words])}; the '
                               f'source says "{shown}" ({where})')]


def _opcodes(a: list[str], words: list[str], offset: int,
             end: int) -> list[tuple[str, int, int, int, int]]:
    """Word alignment of the quote `a` within the window offset..end of a paragraph's
    `words`: the best score of matched words (2 each) less dropped, added and changed
    words (1 each), the source's words before and after the quote free (a semi-global
    alignment). Returns (tag, i1, i2, j1, j2), tag equal or change, j counted in the
    paragraph."""
    b = words[offset:end]
    n, m = len(a), len(b)
    rows = [[0] * (m + 1)]  # row 0: the quote may start anywhere in the window
    for i in range(1, n + 1):
        prev, row, ai = rows[-1], [-i] + [0] * m, a[i - 1]
        for j in range(1, m + 1):
            row[j] = max(prev[j - 1] + (2 if ai == b[j - 1] else -1), prev[j] - 1,
                         row[j - 1] - 1)
        rows.append(row)
    j = max(range(m + 1), key=lambda k: (rows[n][k], k))  # and end anywhere
    steps: list[tuple[str, int, int]] = []
    i = n
    while i > 0:
        here = rows[i][j]
        if j > 0 and a[i - 1] == b[j - 1] and rows[i - 1][j - 1] + 2 == here:
            steps.append(("equal", i - 1, j - 1))
            i, j = i - 1, j - 1
        elif j > 0 and rows[i][j - 1] - 1 == here:
            steps.append(("dropped", i, j - 1))
            j -= 1
        elif j > 0 and a[i - 1] != b[j - 1] and rows[i - 1][j - 1] - 1 == here:
            steps.append(("change", i - 1, j - 1))
            i, j = i - 1, j - 1
        else:
            steps.append(("added", i - 1, j))
            i -= 1
    ops: list[list] = []
    for tag, qi, sj in reversed(steps):
        kind = "equal" if tag == "equal" else "change"
        i1, i2 = (qi, qi) if tag == "dropped" else (qi, qi + 1)
        j1, j2 = (sj, sj) if tag == "added" else (sj, sj + 1)
        if ops and ops[-1][0] == kind:
            ops[-1][2], ops[-1][4] = i2, j2 + offset
        else:
            ops.append([kind, i1, i2, j1 + offset, j2 + offset])
    # Words the quote has before (or after) all of the source's: they stand where the
    # source's words just before (after) stand, so they change those ("China's main
    # concern" for "Russia's main concern"), rather than being added.
    # A first or last change may also take the source's neighbouring words that the
    # quote runs together ("counterterrorism" for "counter-terrorism").
    if ops and ops[0][0] == "change":
        op = ops[0]
        if op[3] == op[4]:
            op[3] = max(0, op[3] - (op[2] - op[1]))
        joined = "".join(a[op[1]:op[2]])
        op[3] -= next((k for k in (1, 2, 3) if op[3] - k >= 0 and
                       "".join(words[op[3] - k:op[4]]) == joined), 0)
    if ops and ops[-1][0] == "change":
        op = ops[-1]
        if op[3] == op[4]:
            op[4] = min(len(words), op[4] + (op[2] - op[1]))
        joined = "".join(a[op[1]:op[2]])
        op[4] += next((k for k in (1, 2, 3) if op[4] + k <= len(words) and
                       "".join(words[op[3]:op[4] + k]) == joined), 0)
    return [tuple(op) for op in ops]


def _listed(items: list[str]) -> str:
    if len(items) > 3:
        items = items[:3] + [f"{len(items) - 3} more difference{'s' if len(items) > 4 else ''}"]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] \
        if items else ""


def _differences(quote: _Text, text: _Text, ops) -> list[_Difference]:
    out = []
    last = len(quote.words) - 1
    for tag, i1, i2, j1, j2 in ops:
        q, s = list(range(i1, i2)), list(range(j1, j2))
        if tag == "equal":
            for qi, si in zip(q, s):
                qt, st = quote.token(quote.word_tokens[qi]), text.token(text.word_tokens[si])
                if not _same_typography(qt, st, qi == 0, qi == last):
                    out.append(_Difference("typography", qt, st, (si, si + 1)))
            continue
        qw, sw, at = quote.written(i1, i2), text.written(j1, j2), (j1, j2)
        if "".join(quote.words[k] for k in q) == "".join(text.words[k] for k in s):
            out.append(_Difference("typography", qw, sw, at))  # counter terrorism / -terrorism
            continue
        out.append(_Difference(_kind(quote, q, text, s), qw, sw, at))
    return out


def _same_typography(q: str, s: str, first: bool, last: bool) -> bool:
    """Whether a quote's token is the source's, verbatim after normalisation (at the
    quote's start and end, surrounding punctuation and a first capital are free)."""
    q, s = _exact(q), _exact(s)
    if first:
        q, s = q.lstrip(_EDGE), s.lstrip(_EDGE)
        q, s = q[:1].lower() + q[1:], s[:1].lower() + s[1:]
    if last:
        q, s = q.rstrip(_EDGE + "…"), s.rstrip(_EDGE + "…")
    return q == s


def _kind(quote: _Text, q: list[int], text: _Text, s: list[int]) -> str:
    """What a changed passage changes: a negation, a number, a name, or other words."""
    qw = [quote.words[k] for k in q]
    sw = [text.words[k] for k in s]
    if sorted(w for w in qw if _is_negation(w)) != sorted(w for w in sw if _is_negation(w)) \
            or any(_negated(a, b) or _negated(b, a) for a in qw for b in sw):
        return "negation"
    if sorted(w for w in qw if _is_number(w)) != sorted(w for w in sw if _is_number(w)):
        return "number"
    if sorted(w for k, w in zip(q, qw) if _is_name(quote, k)) != \
            sorted(w for k, w in zip(s, sw) if _is_name(text, k)):
        return "name"
    return "word"


def _negated(word: str, other: str) -> bool:
    """Whether a word is the other with a negating prefix (unlikely, non-binding)."""
    return any(word == prefix + other for prefix in ("non", "un", "in", "im", "il", "ir",
                                                      "dis")) and len(other) > 3


def _is_negation(word: str) -> bool:
    return word in NEGATIONS or word.endswith("nt") and word[:-2] in (
        "can", "don", "doesn", "didn", "won", "wouldn", "shouldn", "couldn", "isn", "aren",
        "wasn", "weren", "hasn", "haven", "hadn", "mustn", "needn", "ain", "mightn", "shan")


def _is_number(word: str) -> bool:
    return any(ch.isdigit() for ch in word) or word in NUMBER_WORDS


def _is_name(text: _Text, j: int) -> bool:
    """Whether the j-th word is capitalised as a name is (not as a sentence's first word)."""
    written = text.word(j)
    if not written[:1].isupper():
        return False
    if text.words[j] not in _COMMON:
        return True
    ti = text.word_tokens[j]
    return ti > 0 and not re.search(r"[.!?:\"”]$", text.token(ti - 1))


def _excerpt(text: _Text, differences: list[_Difference], first: int, last: int) -> str:
    """The source's words around the differences, at most about 24 of them."""
    lo = max(first, min(d.at[0] for d in differences) - 4)
    hi = min(last, max(d.at[1] for d in differences) + 4)
    if hi - lo <= 24:
        return text.excerpt(lo, max(hi, lo + 1))
    pieces = []
    for d in differences[:3]:
        a, b = max(first, d.at[0] - 4), min(last, d.at[1] + 4)
        pieces.append(text.excerpt(a, max(b, a + 1)).strip("… "))
    return "… " + " … ".join(pieces) + " …"

