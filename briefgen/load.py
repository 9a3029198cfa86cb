"""Load: the only code that touches YAML. Bytes in, a validated `Brief` or every error out.

PyYAML composes a node tree (every node carries its line and column); we walk it with the
field specs of `model`, so type errors, unknown keys and missing fields are all reported
at once, each at its place.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from pathlib import Path
from typing import Any

import yaml

from .errors import BriefError, Diagnostic
from .patterns import Lazy
from .model import (LANG_PATTERN, PRIORITIES, SECTIONS, SLUG_PATTERN, Brief, Evidence, Item,
                    yaml_key)
from .sentences import count_sentences

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML has it (ten times faster), else the Python one."""
MAX_BYTES = 2 * 1024 * 1024
"""Largest input file accepted; a brief is a few kilobytes."""
MAX_NODES = 100_000
"""Most YAML nodes visited, counting every alias expansion (stops 'billion laughs')."""
MAX_DEPTH = 20
"""Deepest nesting of mappings and lists accepted; a brief uses five levels."""

_STD = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_STD + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_SLUG = re.compile(SLUG_PATTERN)
_LANG = Lazy(LANG_PATTERN)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INTS = yaml.constructor.SafeConstructor()  # reads int scalars the way YAML defines them


class _NodeBudgetExceeded(Exception):
    pass


class _Walker:
    """Validates one composed document against the model, collecting diagnostics."""

    def __init__(self, file: str):
        self.file = file
        self.diagnostics: list[Diagnostic] = []
        self.visited = 0
        self.top_key: yaml.Node | None = None  # the top-level key being walked, for budget errors

    # -- reporting -----------------------------------------------------------------------
    def error(self, node: yaml.Node | None, path: str, message: str, severity: str = "error"):
        line, col = (node.start_mark.line + 1, node.start_mark.column + 1) if node else (1, 1)
        self.diagnostics.append(Diagnostic(self.file, line, col, message, path, severity))

    def visit(self, node: yaml.Node) -> None:
        self.visited += 1
        if self.visited > MAX_NODES:
            raise _NodeBudgetExceeded

    # -- shapes --------------------------------------------------------------------------
    def mapping(self, node: yaml.Node, path: str, cls) -> dict[str, Any] | None:
        """Check a mapping against a dataclass; return field values keyed by field name."""
        self.visit(node)
        if not isinstance(node, yaml.MappingNode):
            what = "the top level of a brief" if not path else "expected"
            self.error(node, path, f"{what}: expected a mapping (key: value lines), "
                                   f"found {describe(node)}" if not path else
                       f"expected a mapping (key: value lines), found {describe(node)}")
            return None
        section = path.split("[")[0] if cls is Item else None
        fields = {yaml_key(f): f for f in dataclasses.fields(cls)
                  if not f.metadata.get("internal")
                  and f.metadata.get("only") in (None, section)}
        positions = {f.name for f in dataclasses.fields(cls) if f.name.startswith("at_")}
        values: dict[str, Any] = {}
        seen: dict[str, yaml.Node] = {}
        extensions = []
        for key_node, value_node in node.value:
            if cls is Brief:
                self.top_key = key_node
            self.visit(key_node)
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            sub = f"{path}.{key}" if path else str(key)
            if not isinstance(key, str):
                self.error(key_node, path, f"expected a key name, found {describe(key_node)}")
                continue
            if key in seen:
                first = seen[key].start_mark.line + 1
                self.error(key_node, sub, f"duplicate key '{key}' (first given on line {first})")
                continue
            seen[key] = key_node
            if key.startswith("x-"):
                self._small(value_node, sub)
                try:
                    extensions.append((key, yaml.safe_load(yaml.serialize(value_node))))
                except (ValueError, TypeError, AttributeError, OverflowError,
                        yaml.YAMLError) as exc:  # e.g. 2025-13-01, 0x_, !!timestamp x
                    why = " ".join(str(exc).split()) if isinstance(exc, ValueError) \
                        else "a value does not fit its YAML type"
                    self.error(value_node, sub, f"the value cannot be read as YAML data "
                                                f"({why}); put text that looks like a "
                                                f"number or date in quotes")
                continue
            f = fields.get(key)
            if f is None:
                self.error(key_node, sub, self._unknown_key(key, fields, cls, section))
                continue
            before = len(self.diagnostics)
            value = self.value(value_node, sub, f.metadata)
            if value is not None:
                values[f.name] = value
                if f"at_{f.name}" in positions:  # e.g. Source.at_text, for messages
                    values[f"at_{f.name}"] = _position(value_node)
            elif f.metadata.get("required") and len(self.diagnostics) == before:
                self.error(key_node, sub, f"required key '{key}' has no value "
                                          f"({f.metadata['doc']})")
        for key, f in fields.items():
            if f.metadata.get("required") and f.name not in values and key not in seen:
                self.error(node, f"{path}.{key}" if path else key,
                           f"missing required key '{key}' ({f.metadata['doc']})")
        if cls is Brief and extensions:
            values["extensions"] = tuple(extensions)
        return values

    def _small(self, node: yaml.Node, path: str) -> bool:
        # x- values are kept, but walked with the same node budget as everything else,
        # and their duplicate keys are errors too (PyYAML would keep the last silently).
        stack, checked = [node], set()
        while stack:
            n = stack.pop()
            self.visited += 1
            if self.visited > MAX_NODES:
                raise _NodeBudgetExceeded
            if isinstance(n, yaml.MappingNode):
                stack.extend(v for pair in n.value for v in pair)
                if id(n) in checked:
                    continue
                checked.add(id(n))
                first: dict[str, yaml.Node] = {}
                for k, _ in n.value:
                    if not isinstance(k, yaml.ScalarNode):
                        continue
                    if k.value in first:
                        self.error(k, path, f"duplicate key '{k.value}' (first given on "
                                            f"line {first[k.value].start_mark.line + 1})")
                    else:
                        first[k.value] = k
            elif isinstance(n, yaml.SequenceNode):
                stack.extend(n.value)
        return True

    @staticmethod
    def _unknown_key(key: str, fields: dict, cls, section: str | None) -> str:
        message = f"unknown key '{key}'"
        known = sorted(fields)
        import difflib
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        if cls is Item and key in ("owner", "timeframe", "addresses"):
            return message + " (allowed on recommendations only)"
        if close:
            return message + f"; did you mean '{close[0]}'?"
        return message + f"; expected one of: {', '.join(known)} (or an x- key of your own)"

    def value(self, node: yaml.Node, path: str, meta: dict) -> Any:
        """Convert one node by its field spec; report and return None when it is wrong."""
        kind = meta["kind"]
        if kind == "list":
            return self.sequence(node, path, meta["of"])
        if kind == "object":
            if isinstance(node, yaml.ScalarNode) and node.tag == _STD + "null":
                return None
            values = self.mapping(node, path, meta["of"])
            return None if values is None else meta["of"](**values)
        return self.scalar(node, path, kind, meta)

    def sequence(self, node: yaml.Node, path: str, of: Any) -> tuple:
        self.visit(node)
        if isinstance(node, yaml.ScalarNode) and node.tag == _STD + "null":
            return ()
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, path, f"expected a list (lines starting with '- '), "
                                   f"found {describe(node)}")
            return ()
        out = []
        for i, child in enumerate(node.value):
            sub = f"{path}[{i + 1}]"
            if isinstance(child, yaml.ScalarNode) and child.tag == _STD + "null" \
                    and not dataclasses.is_dataclass(of):
                self.visit(child)
                self.error(child, sub, "expected text, found nothing (an empty list entry)")
                continue
            if dataclasses.is_dataclass(of):
                values = self.mapping(child, sub, of)
                if values is not None:
                    out.append(of(**values, at=_position(child)))
            elif of == "evidence":
                ev = self.evidence(child, sub)
                if ev is not None:
                    out.append(ev)
            else:
                v = self.scalar(child, sub, of, {"choices": ()})
                if v is not None:
                    out.append(v)
        return tuple(out)

    def evidence(self, node: yaml.Node, path: str) -> Evidence | None:
        self.visit(node)
        if isinstance(node, yaml.ScalarNode):
            quote = self.scalar(node, path, "inline", {})
            return Evidence(quote=quote, at=_position(node)) if quote else None
        values = self.mapping(node, path, Evidence)
        if not values or "quote" not in values:
            return None
        quote_node = _node_at(node, "quote")
        return Evidence(**values, at=_position(quote_node or node))

    def scalar(self, node: yaml.Node, path: str, kind: str, meta: dict) -> Any:
        self.visit(node)
        if not isinstance(node, yaml.ScalarNode):
            expected = {"int": "a whole number", "date": "a date (YYYY-MM-DD)"}.get(kind, "text")
            self.error(node, path, f"expected {expected}, found {describe(node)}")
            return None
        tag, raw = node.tag, node.value
        if tag == _STD + "null":
            return None  # an empty value counts as absent; required keys report it
        if kind == "int":
            # YAML's own reading (010 is octal, 1:30 sexagesimal); Python's int() rejects both
            try:
                number = _INTS.construct_yaml_int(node) if tag == _STD + "int" else 0
            except ValueError:  # the resolver takes '0x_' for an int; int() does not
                number = 0
            if number < 1:
                self.error(node, path, f"expected a whole number from 1 up, found {describe(node)}")
                return None
            return number
        if kind == "date":
            return self.date(node, path)
        if tag == _STD + "bool":
            self.error(node, path, f"expected text, found {describe(node)}; "
                                   f"put it in quotes if you mean the word")
            return None
        text = raw  # int, float and timestamp scalars are taken as they were typed
        if kind == "enum":
            if text not in meta["choices"]:
                import difflib
                close = difflib.get_close_matches(text.lower(), meta["choices"], n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                self.error(node, path, f"expected one of {', '.join(meta['choices'])}, "
                                       f"found '{shorten(text)}'{hint}")
                return None
            return text
        if kind == "url":
            if not text.strip().lower().startswith(("http://", "https://")) or \
                    any(ch.isspace() for ch in text.strip()):
                self.error(node, path, f"expected a web address starting with http:// or "
                                       f"https://, found '{shorten(text)}'")
                return None
            return text.strip()
        if kind == "slug":
            if not _SLUG.match(text):
                self.error(node, path, f"expected an id of lowercase letters, digits and "
                                       f"hyphens (like 'trade-route'), found '{shorten(text)}'")
                return None
            return text
        if kind == "lang":
            if not _LANG.match(text.strip()):
                self.error(node, path, f"expected a BCP 47 language tag such as en, ur, "
                                       f"ru-RU or sr-Latn, found '{shorten(text)}'")
                return None
            return text.strip()
        if not text.strip():
            self.error(node, path, "expected text, found an empty string")
            return None
        return text

    def date(self, node: yaml.ScalarNode, path: str) -> datetime.date | None:
        raw = node.value.strip()
        if node.tag in (_STD + "timestamp", _STD + "str") and _DATE.match(raw):
            try:
                return datetime.date.fromisoformat(raw)
            except ValueError:
                self.error(node, path, f"expected a real date (YYYY-MM-DD), found '{raw}'")
                return None
        self.error(node, path, f"expected a date as YYYY-MM-DD, found {describe(node)}")
        return None


def _position(node: yaml.Node) -> tuple[int, int]:
    """A node's 1-based line and column."""
    return node.start_mark.line + 1, node.start_mark.column + 1


def _bad_tags(root: yaml.Node, file: str) -> list[Diagnostic]:
    """Every node whose tag would build an object (each distinct node once, so aliases
    cannot multiply the work)."""
    found, seen, stack = [], set(), [(root, 1)]
    deep = None
    while stack:
        n, depth = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        if depth > MAX_DEPTH and deep is None:
            deep = Diagnostic(file, n.start_mark.line + 1, n.start_mark.column + 1,
                              f"the YAML is nested more than {MAX_DEPTH} levels deep here; "
                              f"a brief needs at most 5")
        if isinstance(n, yaml.MappingNode):
            ok = n.tag == _STD + "map"
            stack.extend((v, depth + 1) for pair in n.value for v in pair)
        elif isinstance(n, yaml.SequenceNode):
            ok = n.tag == _STD + "seq"
            stack.extend((v, depth + 1) for v in n.value)
        else:
            ok = n.tag in _SCALAR_TAGS
        if n.tag == _STD + "merge":
            found.append(Diagnostic(file, n.start_mark.line + 1, n.start_mark.column + 1,
                                    "YAML merge keys ('<<') are not allowed in a brief; "
                                    "write the keys out"))
        elif not ok:
            found.append(Diagnostic(file, n.start_mark.line + 1, n.start_mark.column + 1,
                                    f"YAML tag '{n.tag}' is not allowed: a brief holds only "
                                    f"text, numbers, dates, lists and mappings"))
    if deep is not None:
        found.append(deep)
    return sorted(found, key=lambda d: (d.line, d.column))


def shorten(text: str) -> str:
    """A found value as quoted in a one-line message: line breaks shown as \\n, cut at 40."""
    text = text.replace("\r", "\\r").replace("\n", "\\n")
    return text if len(text) <= 40 else text[:37] + "..."


def describe(node: yaml.Node) -> str:
    """Say what a node is, in the words of the error messages."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    kind = node.tag.rsplit(":", 1)[-1]
    shown = shorten(node.value)
    return {"null": "nothing (an empty value)", "bool": f"true/false '{shown}'",
            "int": f"the number {shown}", "float": f"the number {shown}",
            "timestamp": f"the date/time '{shown}'"}.get(kind, f"'{shown}'")


def decode(data: bytes, file: str) -> str:
    """UTF-8 (a byte order mark allowed) or a located error at the first bad byte."""
    if len(data) > MAX_BYTES:
        raise BriefError.single(file, f"file is {len(data):,} bytes; a brief may be at most "
                                      f"{MAX_BYTES:,} bytes")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[:exc.start]
        line = before.count(b"\n") + 1
        col = len(before.rsplit(b"\n", 1)[-1].decode("utf-8", "replace")) + 1
        raise BriefError.single(file, f"the file is not UTF-8: byte 0x{data[exc.start]:02x} "
                                      f"cannot be decoded; save the file as UTF-8", line, col)
    if not text.strip():
        raise BriefError.single(file, "the file is empty; a brief is a mapping with at least "
                                      "title, summary, source and one item")
    return text


def _compose(text: str, file: str) -> yaml.Node:
    try:
        nodes = list(yaml.compose_all(text, Loader=_LOADER))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = " ".join(filter(None, [exc.problem, exc.context and f"({exc.context})"]))
        if exc.problem and "nesting depth" in exc.problem:  # PyYAML 6.0.4 has a limit too
            problem = f"the YAML is nested more than its {MAX_DEPTH} levels allow here"
        elif exc.problem and exc.problem.startswith("mapping values are not allowed"):
            # (libyaml says "in this context", PyYAML "here")
            problem = "mapping values are not allowed here; put a value that contains ': ' " \
                      "in quotes"
        raise BriefError.single(file, f"YAML syntax: {problem}", line, col) from None
    except yaml.reader.ReaderError as exc:  # a control character; located like a mark
        lines = re.split("\r\n|[\n\r\x85\u2028\u2029]", text[:exc.position])
        raise BriefError.single(file, f"YAML syntax: character U+{exc.character:04X} is not "
                                      f"allowed in a YAML file; remove it",
                                len(lines), len(lines[-1]) + 1) from None
    except yaml.YAMLError as exc:
        raise BriefError.single(file, "YAML syntax: " + " ".join(str(exc).split())) from None
    except RecursionError:
        raise BriefError.single(file, "the YAML is nested too deeply for a brief") from None
    nodes = [n for n in nodes if n is not None]
    if not nodes:
        raise BriefError.single(file, "the file holds no YAML document")
    if len(nodes) > 1:
        m = nodes[1].start_mark
        raise BriefError.single(file, "the file holds more than one YAML document ('---'); "
                                      "a brief is one document", m.line + 1, m.column + 1)
    return nodes[0]


def load_text(text: str, file: str = "<string>") -> Brief:
    """Validate YAML text into a Brief, or raise BriefError with every problem found."""
    root = _compose(text, file)
    bad = _bad_tags(root, file)
    if bad:
        raise BriefError(bad)
    walker = _Walker(file)
    try:
        values = walker.mapping(root, "", Brief)
    except _NodeBudgetExceeded:
        at, key = walker.top_key, walker.top_key.value if walker.top_key else ""
        where = f"the value of '{key}'" if isinstance(key, str) and key else "the document"
        raise BriefError.single(file, f"{where} expands to more than {MAX_NODES:,} YAML "
                                      f"nodes (anchors and aliases repeated too often?)",
                                *((at.start_mark.line + 1, at.start_mark.column + 1)
                                  if at else (1, 1))) from None
    except RecursionError:
        raise BriefError.single(file, "the YAML is nested too deeply for a brief") from None
    if values is not None:
        _check_brief(walker, root, values)
    if walker.diagnostics or values is None:
        raise BriefError(sorted(walker.diagnostics, key=lambda d: (d.line, d.column)))
    brief = Brief(**values, path=file)
    return _number_items(brief)


def load(path: str | Path) -> Brief:
    """Read and validate a brief file."""
    file = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise BriefError.single(file, f"cannot read the file: {exc.strerror or exc}") from None
    return load_text(decode(data, file), file)


def check(path: str | Path) -> tuple[Brief | None, list[Diagnostic]]:
    """Validate a file, and its quotes against `source.text` when set; return the brief
    (None if invalid) and all diagnostics, warnings too."""
    file = str(path)
    try:
        data = Path(path).read_bytes()
        text = decode(data, file)
    except OSError as exc:
        return None, [Diagnostic(file, 1, 1, f"cannot read the file: {exc.strerror or exc}")]
    except BriefError as exc:
        return None, exc.diagnostics
    try:
        brief = load_text(text, file)
    except BriefError as exc:
        return None, exc.diagnostics
    diagnostics = list(_warnings(brief, text, file))
    if brief.source.text:  # quotes checked against the article (a step after load)
        from .quotes import check as check_quotes

        diagnostics = sorted(diagnostics + check_quotes(brief), key=lambda d: (d.line, d.column))
        if any(d.severity == "error" for d in diagnostics):
            return None, diagnostics
    return brief, diagnostics


def _node_at(root: yaml.Node, *keys) -> yaml.Node | None:
    """The node under a path of mapping keys and list indexes (0-based), if present."""
    node = root
    for k in keys:
        if isinstance(k, int) and isinstance(node, yaml.SequenceNode) and k < len(node.value):
            node = node.value[k]
        elif isinstance(k, str) and isinstance(node, yaml.MappingNode):
            node = next((v for kn, v in node.value if kn.value == k), None)
            if node is None:
                return None
        else:
            return None
    return node


def _slug_node(node: yaml.Node | None) -> str | None:
    """The id a scalar node holds if the walker accepted it as one (else it reported it)."""
    if isinstance(node, yaml.ScalarNode) and node.tag not in (_STD + "null", _STD + "bool") \
            and _SLUG.match(node.value):
        return node.value
    return None


def _check_brief(walker: _Walker, root: yaml.Node, values: dict) -> None:
    """Rules that span fields: at least one item, unique ids, `addresses` that resolve.

    Ids and addresses are read from the YAML nodes, not from `values`: an item or id that
    failed validation is left out of `values`, which would shift every later index.
    """
    if not any(values.get(s) for s in SECTIONS):
        walker.error(root, "", "a brief needs at least one item in opportunities, "
                               "challenges or recommendations")
    ids: dict[str, str] = {}
    for section in SECTIONS:
        seq = _node_at(root, section)
        for i, item in enumerate(seq.value if isinstance(seq, yaml.SequenceNode) else ()):
            id_node = _node_at(item, "id")
            item_id = _slug_node(id_node)
            if item_id is None:
                continue
            if item_id in ids:
                walker.error(id_node, f"{section}[{i + 1}].id",
                             f"id '{item_id}' is already used by {ids[item_id]}; "
                             f"ids must be unique across the brief")
            else:
                ids[item_id] = f"{section}[{i + 1}]"
    targets = [k for k, where in ids.items() if not where.startswith("recommendations")]
    seq = _node_at(root, "recommendations")
    for i, item in enumerate(seq.value if isinstance(seq, yaml.SequenceNode) else ()):
        addresses = _node_at(item, "addresses")
        for j, node in enumerate(addresses.value if isinstance(addresses, yaml.SequenceNode)
                                 else ()):
            target = _slug_node(node)
            if target is None:
                continue
            path = f"recommendations[{i + 1}].addresses[{j + 1}]"
            if target not in ids:
                import difflib
                close = difflib.get_close_matches(target, targets, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else (
                    f"; known ids: {', '.join(targets)}" if targets
                    else "; no opportunity or challenge has an id")
                walker.error(node, path,
                             f"no opportunity or challenge has the id '{target}'{hint}")
            elif target not in targets:
                walker.error(node, path,
                             f"'{target}' is a recommendation ({ids[target]}); addresses "
                             f"names opportunities and challenges")
    if values.get("briefgen", 1) != 1:
        walker.error(_node_at(root, "briefgen"), "briefgen",
                     f"this briefgen reads format version 1, found {values['briefgen']}")


def _number_items(brief: Brief) -> Brief:
    """Record each item's section and position, which the planner orders by."""
    return dataclasses.replace(brief, **{
        s: tuple(dataclasses.replace(item, section=s, index=i)
                 for i, item in enumerate(getattr(brief, s)))
        for s in SECTIONS})


def _warnings(brief: Brief, text: str, file: str):
    """Advice that `validate --strict` turns into errors: the brief is valid but unusual."""
    root = _compose(text, file)
    yield from _language_warnings(brief, root, file)
    n = len(brief.key_points)
    if n and not 2 <= n <= 5:
        node = _node_at(root, "key_points")
        yield Diagnostic(file, node.start_mark.line + 1, node.start_mark.column + 1,
                         f"{n} key points; a brief reads best with two to five",
                         "key_points", "warning")
    sentences = count_sentences(brief.summary)
    if sentences > 3:
        node = _node_at(root, "summary")
        yield Diagnostic(file, node.start_mark.line + 1, node.start_mark.column + 1,
                         f"the summary has {sentences} sentences; the bottom line should "
                         f"take one to three", "summary", "warning")
    for item in brief.items:
        if item.priority not in PRIORITIES:  # pragma: no cover - validated above
            continue
        if not item.evidence:
            node = _node_at(root, item.section, item.index)
            yield Diagnostic(file, node.start_mark.line + 1, node.start_mark.column + 1,
                             "no evidence: readers trust items that quote the source",
                             f"{item.section}[{item.index + 1}]", "warning")


def language_warnings(brief: Brief) -> list[Diagnostic]:
    """A warning at `lang` when briefgen has no labels in the brief's language (its labels
    are then printed in English), for `build` as `validate` gives it."""
    from .labels import has_labels

    if has_labels(brief.lang):
        return []
    try:
        root = _compose(decode(Path(brief.path).read_bytes(), brief.path), brief.path)
    except (OSError, BriefError):
        root = None
    return list(_language_warnings(brief, root, brief.path))


def _language_warnings(brief: Brief, root, file: str):
    from .labels import LABEL_SETS, has_labels

    if has_labels(brief.lang):
        return
    node = _node_at(root, "lang") if root is not None else None
    line, col = (node.start_mark.line + 1, node.start_mark.column + 1) if node else (1, 1)
    code = brief.lang.replace("_", "-").split("-")[0].lower()
    yield Diagnostic(file, line, col,
                     f"briefgen has no labels in '{brief.lang}' (it has "
                     f"{', '.join(LABEL_SETS)}): the labels are printed in English; a "
                     f"template can give its own (labels: {{{code}: {{...}}}})",
                     "lang", "warning")
