"""Books: the briefing-book file (`book: 1`) -> a validated `Book`, or every error at once.

A book names briefs in reading order, each with its own length (`length:` or `pages:`) and,
optionally, its own template. Loading a book loads every brief it names (quotes checked
against their articles, as `load.check` does) and every template, so that one run reports
all that is wrong: the book's own mistakes at the book's line and column (a missing brief
file, a bad length, an unknown template), each brief's at its own.
"""

from __future__ import annotations

import datetime
import difflib
import re
from pathlib import Path

import yaml

from .book_jobs import is_book  # noqa: F401  (where it was)
from .errors import BriefError, Diagnostic
from .load import _bad_tags, _compose, _Walker, check, decode, describe
from .model import LANG_PATTERN, Brief, Prepared
from .plan import LENGTHS, Length, length_for
from .records import dataclass, field

BOOK_KEYS = ("book", "title", "subtitle", "lang", "prepared", "briefs")
ENTRY_KEYS = ("file", "length", "pages", "template")
MAX_BRIEFS = 99
"""The most briefs a book holds (the contents fit a page; a visit book has a dozen)."""
MAX_PAGES = 100  # as --pages
"""The largest `pages:` of one brief in a book."""



@dataclass(frozen=True)
class Entry:
    """One brief of a book: its file, length and template, and the brief loaded."""

    file: Path
    """The brief file, relative to the current folder (the book names it relative to itself)."""
    length: Length
    template: str | None
    """The template the entry names (a built-in name, or a folder relative to the book)."""
    brief: Brief
    at: tuple[int, int] = (1, 1)
    """Where the entry starts in the book file."""
    number: int = 0
    """The brief's number in the book, 1-based."""
    at_template: tuple[int, int] | None = None
    """Where the entry names its template, if it does."""


@dataclass(frozen=True)
class Book:
    """A validated briefing book."""

    path: str
    title: str
    entries: tuple[Entry, ...]
    subtitle: str | None = None
    prepared: Prepared | None = None
    lang: str = "en"
    warnings: tuple[Diagnostic, ...] = field(default=())
    """The briefs' warnings (advice, quotes), located in their files."""


def load_book(path: str | Path, default_template: str = "policy-brief",
              paper: str | None = None) -> Book:
    """Read and validate a book file and every brief and template it names; BriefError
    with every problem found when anything is wrong."""
    book, diagnostics = check_book(path, default_template, paper)
    errors = [d for d in diagnostics if d.severity == "error"]
    if book is None or errors:
        raise BriefError(errors or diagnostics)
    return book


def check_book(path: str | Path, default_template: str = "policy-brief",
               paper: str | None = None) -> tuple[Book | None, list[Diagnostic]]:
    """Validate a book: the book (None when invalid) and every diagnostic, warnings of the
    briefs included, the book's own first."""
    file = str(path)
    try:
        text = decode(Path(path).read_bytes(), file)
        root = _compose(text, file)
    except OSError as exc:
        return None, [Diagnostic(file, 1, 1, f"cannot read the file: {exc.strerror or exc}")]
    except BriefError as exc:
        return None, exc.diagnostics
    bad = _bad_tags(root, file)
    if bad:
        return None, bad
    walker = _Walker(file)
    reader = _BookReader(walker, Path(path), default_template, paper)
    book = reader.read(root)
    own = sorted(walker.diagnostics, key=lambda d: (d.line, d.column))
    diagnostics = own + reader.brief_diagnostics
    if book is None or any(d.severity == "error" for d in diagnostics):
        return None, diagnostics
    return book, diagnostics


class _BookReader:
    """Walks a book's node tree; the `prepared` mapping is checked by the brief loader's
    own walker, so it reads and fails exactly as a brief's does."""

    def __init__(self, walker: _Walker, path: Path, default_template: str,
                 paper: str | None):
        self.w, self.path, self.default, self.paper = walker, path, default_template, paper
        self.brief_diagnostics: list[Diagnostic] = []
        self._checked: dict[Path, tuple[Brief | None, list[Diagnostic]]] = {}

    def error(self, node, path: str, message: str) -> None:
        self.w.error(node, path, message)

    def read(self, root: yaml.Node) -> Book | None:
        if not isinstance(root, yaml.MappingNode):
            self.error(root, "", f"the top level of a book: expected a mapping (key: value "
                                 f"lines), found {describe(root)}")
            return None
        values: dict[str, yaml.Node] = {}
        keys: dict[str, yaml.Node] = {}
        for key_node, value_node in root.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                self.error(key_node, "", f"expected a key name, found {describe(key_node)}")
            elif key in keys:
                self.error(key_node, key, f"duplicate key '{key}' (first given on line "
                                          f"{keys[key].start_mark.line + 1})")
            elif key.startswith("x-"):
                keys[key] = key_node
            elif key not in BOOK_KEYS:
                self.error(key_node, key, _unknown(key, BOOK_KEYS, "a book"))
            else:
                keys[key], values[key] = key_node, value_node
        version = values.get("book")
        if version is not None and not (isinstance(version, yaml.ScalarNode)
                                        and version.value == "1"):
            self.error(version, "book", f"expected 1 (the book format's version), found "
                                        f"{describe(version)}")
        for required in ("book", "title", "briefs"):
            if required not in values and required not in keys:
                self.error(root, required, f"missing required key '{required}'" + {
                    "title": " (the book's title, printed on its cover)",
                    "briefs": " (the list of briefs, in reading order)",
                    "book": " (book: 1 says the file is a briefing book)"}[required])
        title = self.text(values.get("title"), "title")
        subtitle = self.text(values.get("subtitle"), "subtitle")
        lang = self.text(values.get("lang"), "lang") or "en"
        if "lang" in values and not re.fullmatch(LANG_PATTERN, lang):
            self.error(values["lang"], "lang", f"expected a BCP 47 language tag such as en "
                                               f"or ru-RU, found '{lang}'")
        prepared = None
        if "prepared" in values:
            got = self.w.mapping(values["prepared"], "prepared", Prepared)
            prepared = Prepared(**got) if got is not None else None
        entries = self.entries(values.get("briefs"))
        if title is None or entries is None:
            return None
        return Book(str(self.path), title, tuple(entries), subtitle, prepared, lang,
                    tuple(d for d in self.brief_diagnostics if d.severity != "error"))

    def text(self, node, path: str) -> str | None:
        if node is None:
            return None
        if not isinstance(node, yaml.ScalarNode) or node.tag != "tag:yaml.org,2002:str" \
                or not node.value.strip():
            self.error(node, path, f"expected text, found {describe(node)}")
            return None
        return node.value.strip()

    def entries(self, node) -> list[Entry] | None:
        if node is None:
            return None
        if isinstance(node, yaml.SequenceNode) and not node.value:
            self.error(node, "briefs", "a book needs at least one brief (- file: brief.yaml)")
            return None
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, "briefs", f"expected a list of briefs (- file: brief.yaml), "
                                       f"found {describe(node)}")
            return None
        if len(node.value) > MAX_BRIEFS:
            self.error(node.value[MAX_BRIEFS], f"briefs[{MAX_BRIEFS + 1}]",
                       f"a book holds at most {MAX_BRIEFS} briefs; this one has "
                       f"{len(node.value)}")
            return None
        out, ok = [], True
        for n, item in enumerate(node.value, 1):
            entry = self.entry(item, f"briefs[{n}]", n)
            ok = ok and entry is not None
            if entry is not None:
                out.append(entry)
        return out if ok else None

    def entry(self, node, path: str, number: int) -> Entry | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str":
            values = {"file": node}  # `- brief.yaml` is short for `- file: brief.yaml`
        elif isinstance(node, yaml.MappingNode):
            values = {}
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                sub = f"{path}.{key}"
                if not isinstance(key, str):
                    self.error(key_node, path, f"expected a key name, found "
                                               f"{describe(key_node)}")
                elif key in values:
                    self.error(key_node, sub, f"duplicate key '{key}'")
                elif key.startswith("x-"):
                    continue
                elif key not in ENTRY_KEYS:
                    self.error(key_node, sub, _unknown(key, ENTRY_KEYS, "a book's brief"))
                else:
                    values[key] = value_node
        else:
            self.error(node, path, f"expected a brief (file: NAME.yaml, with length: or "
                                   f"pages:), found {describe(node)}")
            return None
        before = len(self.w.diagnostics)
        if "file" not in values:
            self.error(node, f"{path}.file", "missing required key 'file' (the brief file, "
                                             "relative to the book)")
            return None
        length = self.length(values, path)
        template = self.template(values.get("template"), f"{path}.template")
        brief = self.brief(values["file"], f"{path}.file")
        if brief is None or length is None or len(self.w.diagnostics) > before:
            return None
        named = values.get("template")
        return Entry(Path(brief.path), length, template, brief,
                     (node.start_mark.line + 1, node.start_mark.column + 1), number,
                     (named.start_mark.line + 1, named.start_mark.column + 1) if named
                     else None)

    def length(self, values: dict, path: str) -> Length | None:
        if "length" in values and "pages" in values:
            self.error(values["pages"], f"{path}.pages", "give length or pages, not both")
            return None
        if "pages" in values:
            node = values["pages"]
            if not (isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:int"
                    and node.value.isdigit() and 1 <= int(node.value) <= MAX_PAGES):
                self.error(node, f"{path}.pages", f"expected a whole number of pages from 1 "
                                                  f"to {MAX_PAGES}, found {describe(node)}")
                return None
            return length_for(None, int(node.value))
        node = values.get("length")
        if node is None:
            return length_for("two-page")
        if not (isinstance(node, yaml.ScalarNode) and node.value in LENGTHS):
            shown = node.value if isinstance(node, yaml.ScalarNode) else ""
            close = difflib.get_close_matches(str(shown), LENGTHS, 1, 0.6)
            hint = f"; did you mean '{close[0]}'?" if close else \
                " (or pages: N for N pages)"
            self.error(node, f"{path}.length", f"expected one of {', '.join(LENGTHS)}, found "
                                               f"{describe(node)}{hint}")
            return None
        return length_for(node.value)

    def template(self, node, path: str) -> str | None:
        if node is None:
            return None
        name = self.text(node, path)
        if name is None:
            return None
        local = self.path.parent / name
        resolved = str(local) if (local / "template.yaml").is_file() else name
        from .templates import load_template

        try:
            load_template(resolved, self.paper)
        except BriefError as exc:
            if any(d.file == resolved for d in exc.diagnostics):  # no such template
                self.error(node, path, exc.diagnostics[0].message)
            else:  # a template with mistakes of its own: located in its template.yaml
                self.brief_diagnostics += exc.diagnostics
                self.error(node, path, f"the template '{name}' is invalid (its errors "
                                       f"are listed at their places)")
        return resolved

    def brief(self, node, path: str) -> Brief | None:
        name = self.text(node, path)
        if name is None:
            return None
        file = self.path.parent / name
        if file.resolve() == self.path.resolve():
            self.error(node, path, "a book cannot name itself as a brief")
            return None
        if not file.is_file():
            self.error(node, path, f"no brief file '{name}' (looked for {file}; paths are "
                                   f"relative to the book)")
            return None
        if is_book(file):
            self.error(node, path, f"'{name}' is a book, not a brief; books do not nest")
            return None
        key = file.resolve()
        if key not in self._checked:
            self._checked[key] = check(file)
            self.brief_diagnostics += self._checked[key][1]
        brief, diagnostics = self._checked[key]
        if brief is None or any(d.severity == "error" for d in diagnostics):
            self.error(node, path, f"the brief '{name}' is invalid (its errors are listed "
                                   f"at their places)")
            return None
        return brief


def _unknown(key: str, known: tuple[str, ...], what: str) -> str:
    close = difflib.get_close_matches(key, known, 1, 0.6)
    hint = f"; did you mean '{close[0]}'?" if close else f" (known: {', '.join(known)})"
    return f"unknown key '{key}' in {what}{hint}"


def book_date(book: Book) -> datetime.date | None:
    """The book's prepared date, if any."""
    return book.prepared.date if book.prepared else None
