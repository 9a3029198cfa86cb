"""Templates are data: a folder with `template.yaml` and, optionally, fonts, a logo and a
`reference.docx`.

A template sets the page, fonts, colours, paragraph styles (which inherit from each other
with `parent:`), the header and footer text, the order of the sections, how recommendations
are shown and the words printed. A template inherits from another with a top-level
`parent:`, so a house style can change one colour and keep the rest. Both renderers read
the same resolved values, so the PDF and the DOCX share one look. Every problem in a
template is reported at once, at its line and column, like a problem in a brief.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .errors import BriefError, Diagnostic

FONT_DIR = Path(__file__).parent / "fonts"
PAGE_SIZES = {"a4": (595.3, 841.9), "letter": (612.0, 792.0)}
"""In points, as Word stores them (whole twips: A4 is 11906 x 16838 twips)."""
_UNITS = {"pt": 1.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0}
_LENGTH = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(pt|mm|cm|in)?\s*$")
_COLOR = re.compile(r"^#?[0-9A-Fa-f]{6}$")

SECTIONS = ("title", "memo", "bottom_line", "key_points", "context", "opportunities",
            "challenges", "recommendations", "source")
"""Sections a template may order; title, bottom_line and source are never left out."""
REQUIRED_SECTIONS = ("title", "bottom_line", "source")
RECOMMENDATION_MODES = ("table", "numbered", "decisions")
PLACEHOLDERS = ("title", "subtitle", "classification", "page", "pages", "date", "length",
                "prepared.by", "prepared.for", "prepared.date", "source.title",
                "source.author", "source.publisher", "source.date")
"""What `{...}` in header and footer text may name; nothing else is looked up."""
STYLE_NAMES = ("body", "title", "subtitle", "meta", "heading1", "heading2", "bullet",
               "number", "quote", "callout_label", "callout", "table_header", "table_cell",
               "source", "header", "footer", "memo_label", "memo_value", "decision")
STYLE_KEYS = ("parent", "font", "size", "leading", "space_before", "space_after", "color",
              "bold", "italic", "indent", "align")
ALIGNMENTS = ("left", "center", "right")
TOP_KEYS = ("name", "description", "parent", "page", "fonts", "colors", "styles", "box",
            "table", "header", "footer", "sections", "recommendations", "columns",
            "numbered_paragraphs", "key_points_box", "logo", "labels", "fit",
            "reference_docx", "arabic_font", "fallback_font")


def builtin_dir() -> Path:
    """Where the built-in templates are: inside the package when installed, else the repo."""
    inside = Path(__file__).parent / "templates"
    return inside if inside.is_dir() else Path(__file__).parent.parent / "templates"


@dataclass(frozen=True)
class Style:
    """A resolved paragraph style; sizes in points."""

    name: str
    font: str
    size: float
    leading: float
    space_before: float
    space_after: float
    color: str
    bold: bool = False
    italic: bool = False
    indent: float = 0.0
    align: str = "left"


@dataclass(frozen=True)
class Font:
    """A font family: the TrueType files the PDF embeds and the name the DOCX uses."""

    key: str
    docx: str
    files: dict[str, Path] = field(hash=False, compare=False)
    shaped: bool = False
    """Shaped with HarfBuzz (Arabic script); Latin fonts are not, as Word does not kern."""


@dataclass(frozen=True)
class Slots:
    """Text at the left, centre and right of a header or footer, with placeholders."""

    left: str = ""
    center: str = ""
    right: str = ""

    def items(self) -> list[tuple[str, str]]:
        """(position, text) of the slots that hold text."""
        return [(k, v) for k, v in (("left", self.left), ("center", self.center),
                                    ("right", self.right)) if v]


@dataclass(frozen=True)
class Logo:
    """An image printed at the top left of the first page, with its alternative text."""

    path: Path
    alt: str
    width: float
    height: float


@dataclass(frozen=True)
class Template:
    """A resolved template: every value the builder and the renderers need."""

    name: str
    description: str
    folder: Path
    page_size: tuple[float, float]
    margins: dict[str, float]
    fonts: dict[str, Font]
    colors: dict[str, str]
    styles: dict[str, Style]
    box: dict[str, float]
    table: dict[str, Any]
    labels: dict[str, Any]
    header: Slots = Slots()
    footer: Slots = Slots()
    sections: tuple[str, ...] = SECTIONS
    recommendations: str = "table"
    columns: bool = False
    numbered_paragraphs: bool = False
    logo: Logo | None = None
    reference_docx: Path | None = None
    reserve_lines: float | None = None
    arabic_font: str | None = None
    fallback_font: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def text_width(self) -> float:
        """Width of the text column in points."""
        return to_twips(self.page_size[0] - self.margins["left"] - self.margins["right"])

    def column_widths(self, fractions: tuple[float, ...] | list[float], count: int) -> list[float]:
        """Widths of table columns in points, in whole twips as the DOCX stores them, so
        both formats wrap the cells alike."""
        fractions = list(fractions) if len(fractions) == count else [1.0] * count
        total = sum(fractions)
        return [to_twips(self.text_width * f / total) for f in fractions]

    def font_for(self, style: Style) -> Font:
        """The font family of a style."""
        return self.fonts[style.font]


# -- placeholders ---------------------------------------------------------------------------

def placeholder_problems(text: str) -> list[str]:
    """What is wrong with the `{...}` placeholders of a text (empty when nothing)."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        return [f"bad braces in '{text}': {exc}; write {{{{ and }}}} for literal braces"]
    problems = []
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in PLACEHOLDERS:
            problems.append(f"unknown placeholder '{{{name}}}'; known: "
                            + ", ".join("{" + p + "}" for p in PLACEHOLDERS))
        elif spec or conversion:
            problems.append(f"placeholder '{{{name}}}' takes no format or conversion")
    return problems


def fill(text: str, values: dict[str, str]) -> str:
    """Replace placeholders with values by name only: no attribute or index lookup, so a
    template cannot reach anything but the brief's fields."""
    out = []
    for literal, name, _, _ in string.Formatter().parse(text):
        out.append(literal)
        if name is not None:
            out.append(values.get(name, ""))
    return "".join(out)


def fill_parts(text: str, values: dict[str, str]) -> list[tuple[str, str]]:
    """Text split into ('text', s) and ('field', PAGE|NUMPAGES) parts, for renderers that
    print page numbers as fields."""
    parts: list[tuple[str, str]] = []
    for literal, name, _, _ in string.Formatter().parse(text):
        if literal:
            parts.append(("text", literal))
        if name in ("page", "pages"):
            parts.append(("field", "PAGE" if name == "page" else "NUMPAGES"))
        elif name is not None:
            parts.append(("text", values.get(name, "")))
    return parts


# -- loading ---------------------------------------------------------------------------------

Origins = dict[tuple, tuple[str, int, int]]
_SCALAR_TAGS = {"tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null")}
_CONSTRUCTOR = yaml.SafeLoader("")
REQUIRED_LABELS = ("bottom_line", "key_points", "context", "opportunities", "challenges",
                   "recommendations", "recommendation_details", "source", "prepared_for",
                   "prepared_by", "addresses", "priority", "table_header")


def list_builtin() -> list[tuple[str, str]]:
    """(name, description) of every built-in template."""
    out = []
    for folder in sorted(builtin_dir().iterdir()):
        if (folder / "template.yaml").is_file():
            out.append((folder.name, load_template(folder.name).description))
    return out


@lru_cache(maxsize=32)
def load_template(name_or_path: str, paper: str | None = None) -> Template:
    """Resolve a built-in name or a template folder into a Template, or raise BriefError
    with every problem found, each at its file, line and column."""
    data, origins, folders = _load_chain(str(name_or_path), ())
    return _Resolver(data, origins, folders).resolve(paper)


def _locate(name_or_path: str, where: tuple[str, int, int] | None = None) -> Path:
    path = Path(name_or_path)
    if (path / "template.yaml").is_file():
        return path
    builtin = builtin_dir() / name_or_path
    if "/" not in name_or_path and (builtin / "template.yaml").is_file():
        return builtin
    names = ", ".join(sorted(p.name for p in builtin_dir().iterdir()
                             if (p / "template.yaml").is_file()))
    file, line, col = where or (name_or_path, 1, 1)
    raise BriefError([Diagnostic(file, line, col, f"no template '{name_or_path}': not a "
                                 f"built-in ({names}) nor a folder with template.yaml")])


def _load_chain(name_or_path: str, seen: tuple[str, ...],
                where: tuple[str, int, int] | None = None):
    """The merged data of a template and its parents, where each value came from, and
    the folders (child first) where its files are looked up."""
    folder = _locate(name_or_path, where)
    file = folder / "template.yaml"
    key = str(file.resolve())
    if key in seen:
        raise BriefError([Diagnostic(str(file), 1, 1, "templates inherit from each other in a "
                                                      "circle")])
    data, origins = _read(file)
    parent = data.get("parent")
    if parent is None:
        return data, origins, [folder]
    if not isinstance(parent, str):
        f, line, col = origins[("parent",)]
        raise BriefError([Diagnostic(f, line, col, "parent: expected a template name or "
                                                   "folder")])
    base, base_origins, folders = _load_chain(
        str(parent) if Path(parent).is_absolute() or "/" not in str(parent)
        else str((folder / parent).resolve()),
        seen + (key,), origins[("parent",)])
    merged = _merge(base, data)
    merged_origins = dict(base_origins)
    merged_origins.update(origins)
    return merged, merged_origins, [folder] + folders


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for key, value in over.items():
        if key == "parent" and not isinstance(base.get(key), dict):
            out[key] = value
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _read(file: Path) -> tuple[dict, Origins]:
    """Parse a template file into plain data, remembering each value's line and column."""
    name = str(file)
    try:
        text = file.read_bytes().decode("utf-8-sig")
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except UnicodeDecodeError:
        raise BriefError.single(name, "the template is not UTF-8") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise BriefError.single(name, f"YAML syntax: {exc.problem}",
                                mark.line + 1 if mark else 1,
                                mark.column + 1 if mark else 1) from None
    except OSError as exc:
        raise BriefError.single(name, f"cannot read the template: {exc.strerror}") from None
    origins: Origins = {}
    problems: list[Diagnostic] = []

    def convert(node, path):
        origins[path] = (name, node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            out = {}
            for k, v in node.value:
                key = k.value if isinstance(k, yaml.ScalarNode) else None
                if not isinstance(key, str):
                    problems.append(Diagnostic(name, k.start_mark.line + 1,
                                               k.start_mark.column + 1, "expected a key name"))
                    continue
                if key in out:
                    problems.append(Diagnostic(name, k.start_mark.line + 1,
                                               k.start_mark.column + 1,
                                               f"duplicate key '{key}'"))
                    continue
                origins[("key",) + path + (key,)] = (name, k.start_mark.line + 1,
                                                     k.start_mark.column + 1)
                out[key] = convert(v, path + (key,))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [convert(v, path + (i,)) for i, v in enumerate(node.value)]
        where = (name, node.start_mark.line + 1, node.start_mark.column + 1)
        if node.tag not in _SCALAR_TAGS:
            problems.append(Diagnostic(*where, f"YAML tag '{node.tag}' is not allowed in a "
                                               "template"))
            return None
        try:
            return _CONSTRUCTOR.construct_object(node)
        except (yaml.YAMLError, ValueError) as exc:
            problems.append(Diagnostic(*where, f"cannot read the value '{node.value}': {exc}"))
            return None

    data = convert(root, ()) if root is not None else {}
    if problems:
        raise BriefError(problems)
    if not isinstance(data, dict):
        raise BriefError.single(name, "a template is a mapping of settings")
    return data, origins


def to_twips(points: float) -> float:
    """Points rounded to a whole twip (1/20 pt), the unit of Word's page geometry: rounding
    here gives the PDF the very sizes the DOCX will have."""
    return round(points * 20) / 20


def length(value: Any, where: str = "template") -> float:
    """A size in points from a number (points) or a string with a unit (mm, cm, in, pt)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    m = _LENGTH.match(str(value))
    if not m:
        raise BriefError.single(where, f"expected a length such as 12 or 20mm, found '{value}'")
    return float(m.group(1)) * _UNITS[m.group(2) or "pt"]


class _Resolver:
    """Checks merged template data and resolves it, collecting every problem."""

    def __init__(self, data: dict, origins: Origins, folders: list[Path]):
        self.data, self.origins, self.folders = data, origins, folders
        self.problems: list[Diagnostic] = []

    def error(self, path: tuple, message: str, at_key: bool = False) -> None:
        if at_key and ("key",) + path in self.origins:
            file, line, col = self.origins[("key",) + path]
            self.problems.append(Diagnostic(file, line, col, message,
                                            ".".join(str(x) for x in path)))
            return
        p = path
        while p and p not in self.origins:
            p = p[:-1]
        file, line, col = self.origins.get(p, (str(self.folders[0] / "template.yaml"), 1, 1))
        where = ".".join(str(x) for x in path)
        self.problems.append(Diagnostic(file, line, col, message, where))

    def file(self, name: str) -> Path | None:
        """A file named by the template: its own folder first, then its parents', then
        briefgen's fonts."""
        for folder in self.folders:
            if (folder / name).is_file():
                return folder / name
        return FONT_DIR / name if (FONT_DIR / name).is_file() else None

    def mapping(self, path: tuple, value: Any, keys: tuple[str, ...] | None = None) -> dict:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error(path, "expected a mapping")
            return {}
        if keys is not None:
            for k in value:
                if k not in keys:
                    self.error(path + (k,), f"unknown setting '{k}'; expected one of: "
                                            + ", ".join(keys), at_key=True)
        return value

    def size(self, path: tuple, value: Any, default: Any = 0) -> float:
        try:
            return length(default if value is None else value)
        except BriefError:
            self.error(path, f"expected a length such as 12 or 20mm, found '{value}'")
            return 0.0

    def resolve(self, paper: str | None) -> Template:
        d = self.data
        self.mapping((), d, TOP_KEYS)
        page = self.mapping(("page",), d.get("page"),
                            ("size", "margin_top", "margin_bottom", "margin_left",
                             "margin_right", "header_distance", "footer_distance"))
        size_name = str(paper or page.get("size", "a4")).lower()
        if size_name not in PAGE_SIZES:
            self.error(("page", "size"), f"page size '{size_name}' is not one of a4, letter")
            size_name = "a4"
        margins = {side: self.size(("page", f"margin_{side}"), page.get(f"margin_{side}"),
                                   "20mm") for side in ("top", "bottom", "left", "right")}
        margins["header"] = self.size(("page", "header_distance"), page.get("header_distance"),
                                      "10mm")
        margins["footer"] = self.size(("page", "footer_distance"), page.get("footer_distance"),
                                      "10mm")
        margins = {k: to_twips(v) for k, v in margins.items()}
        for k, v in margins.items():
            if v < 0:
                name = f"margin_{k}" if k in ("top", "bottom", "left", "right") else \
                    f"{k}_distance"
                self.error(("page", name), "expected a length of 0 or more")
        page_w, page_h = PAGE_SIZES.get(size_name, PAGE_SIZES["a4"])
        if page_w - margins["left"] - margins["right"] < 144:
            self.error(("page",), "the side margins leave less than 2 inches for the text")
        if page_h - margins["top"] - margins["bottom"] < 144:
            self.error(("page",), "the top and bottom margins leave less than 2 inches for "
                                  "the text")
        colors = {}
        for k, v in self.mapping(("colors",), d.get("colors")).items():
            if not _COLOR.match(str(v)):
                self.error(("colors", k), f"expected a colour as six hex digits like 1F3A5F, "
                                          f"found '{v}'")
                colors[k] = "000000"  # reported once, here, not again in every style
            else:
                colors[k] = str(v).lstrip("#").upper()
        fonts = self.fonts()
        styles = self.styles(colors, fonts)
        arabic = d.get("arabic_font")
        if arabic is not None and arabic not in fonts:
            self.error(("arabic_font",), f"unknown font '{arabic}'; the template defines: "
                                         + ", ".join(fonts))
            arabic = None
        if arabic is not None:
            fonts[arabic] = Font(fonts[arabic].key, fonts[arabic].docx, fonts[arabic].files,
                                 shaped=True)
        fallback = d.get("fallback_font")
        if fallback is not None and fallback not in fonts:
            self.error(("fallback_font",), f"unknown font '{fallback}'; the template "
                                           f"defines: " + ", ".join(fonts))
            fallback = None
        labels = self.mapping(("labels",), d.get("labels"))
        for key in REQUIRED_LABELS:
            if key not in labels:
                self.error(("labels",), f"label '{key}' is missing (inherit it with parent:)")
        header = self.slots("header", d.get("header"))
        footer = self.slots("footer", d.get("footer"))
        sections = self.sections(d.get("sections"))
        rec_mode = d.get("recommendations", "table")
        if rec_mode not in RECOMMENDATION_MODES:
            self.error(("recommendations",), f"expected one of {', '.join(RECOMMENDATION_MODES)}"
                                             f", found '{rec_mode}'")
        for flag in ("columns", "numbered_paragraphs"):
            if not isinstance(d.get(flag, False), bool):
                self.error((flag,), "expected true or false")
        for key in ("shortened",):
            if key in labels:
                text = str(labels[key])
                for _, name, _, _ in (string.Formatter().parse(text) if "{" in text else []):
                    if name not in (None, "length", "more"):
                        self.error(("labels", key), f"unknown placeholder '{{{name}}}'; "
                                                    "known: {length}, {more}")
        fit = self.mapping(("fit",), d.get("fit"), ("reserve_lines",))
        reserve = fit.get("reserve_lines")
        if reserve is not None and (not isinstance(reserve, (int, float)) or
                                    isinstance(reserve, bool) or not 0 <= reserve <= 10):
            self.error(("fit", "reserve_lines"), "expected a number of lines from 0 to 10")
            reserve = None
        logo = self.logo(d.get("logo"))
        reference = None
        ref_name = d.get("reference_docx")
        if ref_name:
            reference = self.file(str(ref_name))
            if reference is None:
                self.error(("reference_docx",), f"file '{ref_name}' not found beside the "
                                                "template")
        elif (self.folders[0] / "reference.docx").is_file():
            reference = self.folders[0] / "reference.docx"
        table = self.mapping(("table",), d.get("table"))
        widths = table.get("widths", [])
        if not isinstance(widths, list) or (widths and (len(widths) != 5 or not all(
                isinstance(w, (int, float)) and not isinstance(w, bool) and w > 0
                for w in widths))):
            self.error(("table", "widths"), "expected five positive numbers: the shares of "
                                            "#, recommendation, owner, timeframe, priority")
        box = {k: self.size(("box", k), v) for k, v in self.mapping(("box",), d.get("box")).items()}
        if self.problems:
            unique = {(p.file, p.line, p.column, p.message): p for p in self.problems}
            raise BriefError(sorted(unique.values(), key=lambda p: (p.file, p.line, p.column)))
        return Template(
            name=str(d.get("name", self.folders[0].name)),
            description=str(d.get("description", "")), folder=self.folders[0],
            page_size=PAGE_SIZES[size_name], margins=margins, fonts=fonts, colors=colors,
            styles=styles, box=box, table=dict(table), labels=dict(labels), header=header,
            footer=footer, sections=sections, recommendations=rec_mode,
            columns=bool(d.get("columns", False)),
            numbered_paragraphs=bool(d.get("numbered_paragraphs", False)), logo=logo,
            reference_docx=reference,
            reserve_lines=float(reserve) if reserve is not None else None,
            arabic_font=arabic,
            fallback_font=fallback,
            raw={k: v for k, v in d.items()})

    def fonts(self) -> dict[str, Font]:
        fonts = {}
        for key, spec in self.mapping(("fonts",), self.data.get("fonts")).items():
            spec = self.mapping(("fonts", key), spec,
                                ("docx", "regular", "bold", "italic", "bold_italic"))
            files = {}
            for face in ("regular", "bold", "italic", "bold_italic"):
                name = spec.get(face) or spec.get("regular")
                path = self.file(str(name)) if name else None
                if path is None:
                    self.error(("fonts", key, face if face in spec else "regular"),
                               f"font file '{name}' not found in the template folder nor "
                               "among briefgen's fonts")
                    continue
                files[face] = path
            fonts[key] = Font(key, str(spec.get("docx", key)), files)
        return fonts

    def styles(self, colors: dict, fonts: dict) -> dict[str, Style]:
        specs = self.mapping(("styles",), self.data.get("styles"))
        out = {}
        for name in specs:
            style = self.style(name, specs, colors, fonts, ())
            if style is not None:
                out[name] = style
        for name in STYLE_NAMES:
            if name not in specs:
                self.error(("styles",), f"style '{name}' is missing (inherit it with parent:)")
        return out

    def style(self, name: str, specs: dict, colors: dict, fonts: dict, chain: tuple):
        path = ("styles", name)
        if name in chain:
            self.error(path, f"style '{name}' inherits from itself")
            return None
        spec = dict(self.mapping(path, specs.get(name), STYLE_KEYS))
        parent = spec.pop("parent", None)
        base: dict = {}
        if parent is not None:
            if parent not in specs:
                self.error(path + ("parent",), f"unknown parent style '{parent}'")
                return None
            p = self.style(parent, specs, colors, fonts, chain + (name,))
            if p is None:
                return None  # the parent's problem is reported already
            base = dict(p.__dict__)
        values = {**base, **spec, "name": name}
        if values.get("font") not in fonts:
            self.error(path + ("font",), f"unknown font '{values.get('font')}'; the template "
                                         f"defines: {', '.join(fonts) or 'none'}")
            return None
        color = str(values.get("color", "000000"))
        values["color"] = colors.get(color, color.lstrip("#").upper())
        if not _COLOR.match(values["color"]):
            self.error(path + ("color",), f"unknown colour '{color}'")
        for k in ("size", "leading", "space_before", "space_after", "indent"):
            values[k] = self.size(path + (k,), values.get(k, 0))
        if values.get("align", "left") not in ALIGNMENTS:
            self.error(path + ("align",), f"expected one of {', '.join(ALIGNMENTS)}")
        for k in ("bold", "italic"):
            if not isinstance(values.get(k, False), bool):
                self.error(path + (k,), "expected true or false")
        if values["size"] <= 0 or values["leading"] < values["size"]:
            self.error(path, "size must be positive and leading at least the size")
        return Style(**{k: values[k] for k in Style.__dataclass_fields__ if k in values})

    def slots(self, key: str, value: Any) -> Slots:
        spec = self.mapping((key,), value, ("left", "center", "right"))
        for pos, text in spec.items():
            for problem in placeholder_problems(str(text or "")):
                self.error((key, pos), problem)
        return Slots(**{k: str(v or "") for k, v in spec.items()
                        if k in ("left", "center", "right")})

    def sections(self, value: Any) -> tuple[str, ...]:
        if value is None:
            return SECTIONS
        if not isinstance(value, list):
            self.error(("sections",), "expected a list of sections")
            return SECTIONS
        for i, s in enumerate(value):
            if s not in SECTIONS:
                self.error(("sections", i), f"unknown section '{s}'; expected one of: "
                                            + ", ".join(SECTIONS))
        for s in REQUIRED_SECTIONS:
            if s not in value:
                self.error(("sections",), f"section '{s}' is required (it is never left out)")
        if value and value[0] != "title":
            self.error(("sections", 0), "the title comes first")
        return tuple(value)

    def logo(self, value: Any) -> Logo | None:
        if value is None:
            return None
        spec = self.mapping(("logo",), value, ("file", "alt", "width", "height"))
        name = spec.get("file")
        path = self.file(str(name)) if name else None
        if path is None:
            self.error(("logo", "file"), f"logo file '{name}' not found beside the template")
            return None
        if not spec.get("alt"):
            self.error(("logo",), "a logo needs alt text (alt:) for readers who cannot see it")
        logo = Logo(path, str(spec.get("alt", "")),
                    self.size(("logo", "width"), spec.get("width"), "30mm"),
                    self.size(("logo", "height"), spec.get("height"), "12mm"))
        page = self.data.get("page") or {}
        room = self.size(("page", "margin_top"), page.get("margin_top"), "20mm") - \
            self.size(("page", "header_distance"), page.get("header_distance"), "10mm")
        if logo.height > room - 2:
            self.error(("logo", "height"), f"the logo is {logo.height:.0f} pt high but the top "
                                           f"margin leaves {room - 2:.0f} pt below the header "
                                           f"distance; raise page.margin_top")
        return logo
