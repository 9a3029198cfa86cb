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
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .errors import BriefError, Diagnostic
from .label_rules import (LABEL_PRIORITIES, LABELS, LANGUAGE_KEY,  # noqa: F401 (re-exported)
                          NOTE_PLACEHOLDERS, label_problems)
from .records import dataclass, field

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
PLACEHOLDERS = ("title", "subtitle", "classification", "page", "pages", "page_x_of_y",
                "date", "length",
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
PAGE_KEYS = ("size", "margin_top", "margin_bottom", "margin_left", "margin_right",
             "header_distance", "footer_distance")
FONT_KEYS = ("docx", "regular", "bold", "italic", "bold_italic")
BOX_KEYS = ("padding", "border", "space_before", "space_after", "gap")
TABLE_KEYS = ("padding_x", "padding_y", "border", "widths", "space_before", "space_after")
SLOT_KEYS = ("left", "center", "right")
LOGO_KEYS = ("file", "alt", "width", "height")
FIT_KEYS = ("reserve_lines",)
REQUIRED_COLORS = ("box", "box_border", "table_header")
"""Colours the renderers use by name (the rest are for styles to refer to)."""
IMAGE_FORMATS = ("PNG", "JPEG", "GIF", "BMP", "TIFF")
"""Logo formats that both reportlab (through Pillow) and Word (python-docx) read."""

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
class TableGeometry:
    """A table's rule and spacing in points, read once from the template's `table`
    settings, so that the PDF, the DOCX and the fit's measure use the same numbers."""

    border: float
    pad_x: float
    pad_y: float
    space_before: float
    space_after: float


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
    """The template's own labels, for English briefs (and any without a label set)."""
    language_labels: dict[str, dict[str, Any]] = field(default_factory=dict)
    """The template's labels for other languages, by primary language subtag."""
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
    def table_geometry(self) -> TableGeometry:
        """The table settings with their defaults (0.5 pt rules, 4 pt and 3 pt padding, 8 pt
        after)."""
        t = self.table
        return TableGeometry(float(t.get("border", 0.5)), float(t.get("padding_x", 4)),
                             float(t.get("padding_y", 3)), float(t.get("space_before", 0)),
                             float(t.get("space_after", 8)))

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
        if name == "page_x_of_y":  # the label "Page {page} of {pages}" in the brief's language
            out.append(fill(values.get(name, "").replace("{page_x_of_y}", ""), values))
        elif name is not None:
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
        elif name == "page_x_of_y":
            parts += fill_parts(values.get(name, "").replace("{page_x_of_y}", ""), values)
        elif name is not None:
            parts.append(("text", values.get(name, "")))
    return parts


# -- loading ---------------------------------------------------------------------------------

Origins = dict[tuple, tuple[str, int, int]]
_SCALAR_TAGS = {"tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null")}
_CONSTRUCTOR = yaml.SafeLoader("")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML has it: a template parses in a few ms instead of 40."""


def list_builtin() -> list[tuple[str, str]]:
    """(name, description) of every built-in template."""
    out = []
    for folder in sorted(builtin_dir().iterdir()):
        if (folder / "template.yaml").is_file():
            out.append((folder.name, load_template(folder.name).description))
    return out


class TemplateNotFound(BriefError):
    """The template asked for is neither a built-in nor a folder with template.yaml (the
    command line's usage error; the API's ValueError)."""


@lru_cache(maxsize=32)
def load_template(name_or_path: str, paper: str | None = None) -> Template:
    """Resolve a built-in name or a template folder into a Template, or raise BriefError
    with every problem found, each at its file, line and column (TemplateNotFound when
    there is no such template). `paper` overrides the page size: a4 or letter."""
    if paper is not None and paper not in PAGE_SIZES:
        raise ValueError(f"paper must be one of {', '.join(PAGE_SIZES)}, not {paper!r}")
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
    raise (BriefError if where else TemplateNotFound)([Diagnostic(
        file, line, col, f"no template '{name_or_path}': not a built-in ({names}) nor a "
                         f"folder with template.yaml")])


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
        root = yaml.compose(text, Loader=_LOADER)
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
        if node.tag == "tag:yaml.org,2002:timestamp":
            return node.value  # a date is text here, as the user wrote it
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


def _kind(value: Any) -> str:
    """How a wrong value reads in a message."""
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing"
    return f"'{value}'"


def _suggest(word: Any, known: tuple[str, ...] | list[str], listed: bool = True) -> str:
    """'; did you mean ...?' for a close known word, else the known words (or nothing)."""
    import difflib
    close = difflib.get_close_matches(str(word), list(known), n=1, cutoff=0.6)
    if close:
        return f"; did you mean '{close[0]}'?"
    return ("; expected one of: " + ", ".join(known)) if listed and known else ""


def image_problem(path: Path) -> str | None:
    """Why a logo cannot be drawn in the PDF (reportlab, through Pillow) and shown in the
    DOCX (python-docx reads its header), or None when both can."""
    import warnings

    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                kind = image.format
                image.load()
    except UnidentifiedImageError:
        return "is not an image (PNG or JPEG expected)"
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return "is too many pixels to decode safely; a logo needs a few hundred at most"
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        return f"is a damaged image that cannot be decoded ({exc})"
    if kind not in IMAGE_FORMATS:
        return f"is a {kind} image, which Word cannot show; use PNG or JPEG"
    try:
        from reportlab.lib.utils import ImageReader

        ImageReader(str(path)).getRGBData()
    except Exception as exc:  # noqa: BLE001 - any failure means the PDF cannot draw it
        return f"cannot be drawn in the PDF ({type(exc).__name__}: {exc})"
    try:
        from docx.image.image import Image as WordImage

        WordImage.from_file(str(path))
    except Exception as exc:  # noqa: BLE001 - any failure means Word cannot show it
        return f"cannot be put in the Word file ({type(exc).__name__}: {exc})"
    return None


def reference_problem(path: Path) -> str | None:
    """Why a reference.docx cannot give the DOCX its styles (not a zip, damaged, not a Word
    document), or None when python-docx opens it as a Word document."""
    import zipfile

    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return ("is a Word 97-2003 (.doc) file; open it in Word and save it as a Word "
                "document (.docx)")
    if not zipfile.is_zipfile(path):
        return "is not a Word document (.docx): it is not a zip file"
    try:
        with zipfile.ZipFile(path) as z:
            damaged = z.testzip()
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError) as exc:
        return f"is a damaged zip file ({exc})"
    if damaged is not None:
        return f"is damaged: its part {damaged} fails its checksum"
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        Document(str(path))
    except PackageNotFoundError:
        return "is not a Word document (.docx)"
    except KeyError as exc:
        return f"is not a Word document (.docx): {exc.args[0] if exc.args else exc}"
    except ValueError as exc:
        text = str(exc)
        if "template.main" in text:
            return ("is a Word template (.dotx); open it in Word and save it as a Word "
                    "document (.docx)")
        if "macroEnabled" in text:
            return "is a macro-enabled document (.docm); save it as a Word document (.docx)"
        return f"is not a Word document (.docx): {text}"
    except Exception as exc:  # noqa: BLE001 - damaged XML and the like: unreadable
        return f"is not a readable Word document ({type(exc).__name__}: {exc})"
    return None


def font_problem(path: Path) -> str | None:
    """Why a font file cannot be embedded in the PDF (not TrueType, damaged), or None."""
    from . import engine  # noqa: F401  (first: it prepares reportlab)
    from reportlab.pdfbase.ttfonts import TTFontFile

    try:
        TTFontFile(str(path))
    except Exception as exc:  # noqa: BLE001 - TTFError, struct.error...: not usable
        return f"is not a TrueType font the PDF can embed ({exc})"
    return None


class _Resolver:
    """Checks merged template data and resolves it, collecting every problem."""

    def __init__(self, data: dict, origins: Origins, folders: list[Path]):
        self.data, self.origins, self.folders = data, origins, folders
        self.problems: list[Diagnostic] = []

    def error(self, path: tuple, message: str, at_key: bool = False) -> None:
        """A problem at a value (or at its key), or at the nearest enclosing node there is."""
        where = "".join(f"[{x + 1}]" if isinstance(x, int) else f".{x}" for x in path)[1:] \
            if path and not isinstance(path[0], int) else ""
        if at_key and ("key",) + path in self.origins:
            file, line, col = self.origins[("key",) + path]
            self.problems.append(Diagnostic(file, line, col, message, where))
            return
        p = path
        while p and p not in self.origins:
            p = p[:-1]
        file, line, col = self.origins.get(p, (str(self.folders[0] / "template.yaml"), 1, 1))
        self.problems.append(Diagnostic(file, line, col, message, where))

    def file(self, name: str) -> Path | None:
        """A file named by the template: its own folder first, then its parents', then
        briefgen's fonts."""
        for folder in self.folders:
            if (folder / name).is_file():
                return folder / name
        return FONT_DIR / name if (FONT_DIR / name).is_file() else None

    def mapping(self, path: tuple, value: Any, keys: tuple[str, ...] | None = None,
                what: str = "setting") -> dict:
        """A mapping's entries, each unknown key reported (with a 'did you mean'); keys
        starting with x- are the user's own and left out."""
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error(path, f"expected a mapping, found {_kind(value)}")
            return {}
        out = {}
        for k, v in value.items():
            if k.startswith("x-"):
                continue
            if keys is not None and k not in keys:
                self.error(path + (k,), f"unknown {what} '{k}'" + _suggest(k, keys),
                           at_key=True)
                continue
            out[k] = v
        return out

    def text(self, path: tuple, value: Any, default: str = "") -> str:
        if value is None:
            return default
        if not isinstance(value, str):
            self.error(path, f"expected text, found {_kind(value)}")
            return default
        return value

    def flag(self, path: tuple, value: Any) -> bool:
        if value is None:
            return False
        if not isinstance(value, bool):
            self.error(path, f"expected true or false, found {_kind(value)}")
            return False
        return value

    def choice(self, path: tuple, value: Any, choices: tuple[str, ...]) -> bool:
        if value not in choices:
            self.error(path, f"expected one of {', '.join(choices)}, found {_kind(value)}"
                       + _suggest(value, choices, listed=False))
            return False
        return True

    def size(self, path: tuple, value: Any, default: Any = 0, minimum: float | None = None
             ) -> float:
        try:
            points = length(default if value is None else value)
        except BriefError:
            self.error(path, f"expected a length such as 12 or 20mm, found {_kind(value)}")
            return 0.0
        if minimum is not None and points < minimum:
            self.error(path, f"expected a length of {minimum:g} or more")
        return points

    def resolve(self, paper: str | None) -> Template:
        d = self.mapping((), self.data, TOP_KEYS)
        page = self.mapping(("page",), d.get("page"), PAGE_KEYS)
        size_name = paper or self.text(("page", "size"), page.get("size"), "a4").lower()
        if size_name not in PAGE_SIZES:
            self.error(("page", "size"), f"page size '{size_name}' is not one of "
                                         f"{', '.join(PAGE_SIZES)}")
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
        colors = self.colors(d.get("colors"))
        fonts = self.fonts(d.get("fonts"))
        styles = self.styles(d.get("styles"), colors, fonts)
        arabic = self.font_choice("arabic_font", d.get("arabic_font"), fonts)
        if arabic is not None:
            fonts[arabic] = Font(fonts[arabic].key, fonts[arabic].docx, fonts[arabic].files,
                                 shaped=True)
        fallback = self.font_choice("fallback_font", d.get("fallback_font"), fonts)
        labels = self.mapping(("labels",), d.get("labels"))
        by_language = {k: labels.pop(k) for k in list(labels)
                       if LANGUAGE_KEY.match(k) and k not in LABELS}
        for path, message, at_key in label_problems(labels):
            self.error(("labels",) + path, message, at_key)
        for code, own in by_language.items():
            own = self.mapping(("labels", code), own)
            for path, message, at_key in label_problems(own, required=False):
                self.error(("labels", code) + path, message, at_key)
            by_language[code] = own
        header = self.slots("header", d.get("header"))
        footer = self.slots("footer", d.get("footer"))
        sections = self.sections(d.get("sections"))
        rec_mode = d.get("recommendations", "table")
        if not self.choice(("recommendations",), rec_mode, RECOMMENDATION_MODES):
            rec_mode = "table"
        flags = {flag: self.flag((flag,), d.get(flag))
                 for flag in ("columns", "numbered_paragraphs", "key_points_box")}
        fit = self.mapping(("fit",), d.get("fit"), FIT_KEYS)
        reserve = fit.get("reserve_lines")
        if reserve is not None and (not isinstance(reserve, (int, float)) or
                                    isinstance(reserve, bool) or not 0 <= reserve <= 10):
            self.error(("fit", "reserve_lines"), "expected a number of lines from 0 to 10")
            reserve = None
        logo = self.logo(d.get("logo"))
        reference = self.reference(d.get("reference_docx"))
        table = self.table(d.get("table"))
        box = {k: self.size(("box", k), v, minimum=0)
               for k, v in self.mapping(("box",), d.get("box"), BOX_KEYS, "box setting").items()}
        name = self.text(("name",), d.get("name"), self.folders[0].name)
        description = self.text(("description",), d.get("description"))
        if self.problems:
            unique = {(p.file, p.line, p.column, p.message): p for p in self.problems}
            raise BriefError(sorted(unique.values(), key=lambda p: (p.file, p.line, p.column)))
        return Template(
            name=name, description=description, folder=self.folders[0],
            page_size=PAGE_SIZES[size_name], margins=margins, fonts=fonts, colors=colors,
            styles=styles, box=box, table=table, labels=dict(labels),
            language_labels=by_language, header=header,
            footer=footer, sections=sections, recommendations=rec_mode,
            columns=flags["columns"], numbered_paragraphs=flags["numbered_paragraphs"],
            logo=logo, reference_docx=reference,
            reserve_lines=float(reserve) if reserve is not None else None,
            arabic_font=arabic,
            fallback_font=fallback,
            raw={k: v for k, v in self.data.items()})

    def colors(self, value: Any) -> dict[str, str]:
        colors = {}
        for k, v in self.mapping(("colors",), value, None, "colour").items():
            if isinstance(v, int) and not isinstance(v, bool) and not _COLOR.match(str(v)):
                self.error(("colors", k), f"expected a colour as six hex digits, found the "
                                          f"number {v}: put the digits in quotes, like "
                                          f"\"000000\"")
                colors[k] = "000000"  # reported once, here, not again in every style
            elif isinstance(v, (bool, list, dict)) or v is None or not _COLOR.match(str(v)):
                self.error(("colors", k), f"expected a colour as six hex digits like 1F3A5F, "
                                          f"found {_kind(v)}")
                colors[k] = "000000"
            else:
                colors[k] = str(v).lstrip("#").upper()
        for k in REQUIRED_COLORS:
            if k not in colors:
                self.error(("colors",), f"colour '{k}' is missing (inherit it with parent:)")
                colors[k] = "000000"
        return colors

    def fonts(self, value: Any) -> dict[str, Font]:
        fonts = {}
        for key, spec in self.mapping(("fonts",), value, None, "font").items():
            path = ("fonts", key)
            if spec is not None and not isinstance(spec, dict):
                self.error(path, f"expected a mapping with docx, regular, bold, italic and "
                                 f"bold_italic, found {_kind(spec)}")
                continue
            spec = self.mapping(path, spec, FONT_KEYS, "font setting")
            if not spec.get("regular"):
                self.error(path, f"font '{key}' needs regular: (its TrueType file)")
                continue
            files = {}
            for face in ("regular", "bold", "italic", "bold_italic"):
                where = path + (face if face in spec else "regular",)
                name = self.text(where, spec.get(face) or spec.get("regular"))
                if not name:
                    continue
                file = self.file(name)
                if file is None:
                    self.error(where, f"font file '{name}' not found in the template folder "
                                      "nor among briefgen's fonts")
                    continue
                if file.parent != FONT_DIR:
                    problem = font_problem(file)
                    if problem:
                        self.error(where, f"font file '{name}' {problem}")
                        continue
                files[face] = file
            fonts[key] = Font(key, self.text(path + ("docx",), spec.get("docx"), key), files)
        return fonts

    def font_choice(self, key: str, value: Any, fonts: dict) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str) or value not in fonts:
            self.error((key,), f"unknown font {_kind(value)}; the template defines: "
                       + ", ".join(fonts) + _suggest(value, tuple(fonts), listed=False))
            return None
        return value

    def styles(self, value: Any, colors: dict, fonts: dict) -> dict[str, Style]:
        specs = self.mapping(("styles",), value, STYLE_NAMES, "style")
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
        spec = dict(self.mapping(path, specs.get(name), STYLE_KEYS, "style setting"))
        parent = spec.pop("parent", None)
        base: dict = {}
        if parent is not None:
            if not isinstance(parent, str) or parent not in specs:
                self.error(path + ("parent",), f"unknown parent style {_kind(parent)}"
                           + _suggest(parent, tuple(specs), listed=False))
                return None
            p = self.style(parent, specs, colors, fonts, chain + (name,))
            if p is None:
                return None  # the parent's problem is reported already
            base = dict(p.__dict__)
        values = {**base, **spec, "name": name}
        if "font" not in values:
            self.error(path, f"style '{name}' has no font: give it font: or parent:")
            return None
        if values["font"] not in fonts:
            self.error(path + ("font",), f"unknown font {_kind(values['font'])}; the "
                       f"template defines: {', '.join(fonts) or 'none'}"
                       + _suggest(values["font"], tuple(fonts), listed=False))
            return None
        color = values.get("color", "000000")
        if isinstance(color, (bool, list, dict)) or color is None:
            self.error(path + ("color",), f"expected a colour name or six hex digits, found "
                                          f"{_kind(color)}")
            color = "000000"
        color = str(color)
        values["color"] = colors.get(color, color.lstrip("#").upper())
        if not _COLOR.match(values["color"]):
            self.error(path + ("color",), f"unknown colour '{color}'; the template defines: "
                       + ", ".join(colors) + _suggest(color, tuple(colors), listed=False))
        # Values set here are checked here; inherited ones were checked in their style.
        for k in ("size", "leading", "space_before", "space_after", "indent"):
            if k in spec or k not in base:
                values[k] = self.size(path + (k,), spec.get(k, 0), minimum=0 if k in (
                    "space_before", "space_after", "indent") else None)
        if "align" in spec and not self.choice(path + ("align",), spec["align"], ALIGNMENTS):
            values["align"] = "left"
        for k in ("bold", "italic"):
            if k in spec:
                values[k] = self.flag(path + (k,), spec[k])
        if values["size"] <= 0 or values["leading"] < values["size"]:
            self.error(path, "size must be positive and leading at least the size")
        return Style(**{k: values[k] for k in Style.__dataclass_fields__ if k in values})

    def slots(self, key: str, value: Any) -> Slots:
        spec = self.mapping((key,), value, SLOT_KEYS, f"{key} position")
        texts = {}
        for pos, text in spec.items():
            texts[pos] = self.text((key, pos), text)
            for problem in placeholder_problems(texts[pos]):
                self.error((key, pos), problem)
        return Slots(**texts)

    def sections(self, value: Any) -> tuple[str, ...]:
        if value is None:
            return SECTIONS
        if not isinstance(value, list):
            self.error(("sections",), f"expected a list of sections, found {_kind(value)}")
            return SECTIONS
        seen: set[str] = set()
        for i, s in enumerate(value):
            if s not in SECTIONS:
                self.error(("sections", i), f"unknown section {_kind(s)}"
                           + _suggest(s, SECTIONS))
            elif s in seen:
                self.error(("sections", i), f"section '{s}' is listed twice")
            seen.add(s)
        for s in REQUIRED_SECTIONS:
            if s not in value:
                self.error(("sections",), f"section '{s}' is required (it is never left out)")
        if value and value[0] != "title":
            self.error(("sections", 0), "the title comes first")
        return tuple(value)

    def table(self, value: Any) -> dict[str, Any]:
        table: dict[str, Any] = {}
        for k, v in self.mapping(("table",), value, TABLE_KEYS, "table setting").items():
            if k == "widths":
                if not isinstance(v, list) or (v and (len(v) != 5 or not all(
                        isinstance(w, (int, float)) and not isinstance(w, bool) and w > 0
                        for w in v))):
                    self.error(("table", "widths"), "expected five positive numbers: the "
                               "shares of #, recommendation, owner, timeframe, priority")
                else:
                    table[k] = list(v)
            else:
                table[k] = self.size(("table", k), v, minimum=0)
        return table

    def logo(self, value: Any) -> Logo | None:
        if value is None:
            return None
        spec = self.mapping(("logo",), value, LOGO_KEYS, "logo setting")
        if not spec:
            return None
        name = self.text(("logo", "file"), spec.get("file"))
        path = self.file(name) if name else None
        if path is None:
            self.error(("logo", "file") if "file" in spec else ("logo",),
                       f"logo file '{name}' not found beside the template" if name else
                       "a logo needs file: (a PNG or JPEG beside the template)")
            return None
        problem = image_problem(path)
        if problem:
            self.error(("logo", "file"), f"logo '{name}' {problem}")
        alt = self.text(("logo", "alt"), spec.get("alt"))
        if not alt.strip():
            self.error(("logo",), "a logo needs alt text (alt:) for readers who cannot see it")
        logo = Logo(path, alt,
                    self.size(("logo", "width"), spec.get("width"), "30mm", minimum=1),
                    self.size(("logo", "height"), spec.get("height"), "12mm", minimum=1))
        page = self.data.get("page") if isinstance(self.data.get("page"), dict) else {}
        try:
            room = length(page.get("margin_top") or "20mm") - \
                length(page.get("header_distance") or "10mm")
        except BriefError:
            return logo  # the page's own error is reported there
        if logo.height > room - 2:
            self.error(("logo", "height"), f"the logo is {logo.height:.0f} pt high but the top "
                                           f"margin leaves {room - 2:.0f} pt below the header "
                                           f"distance; raise page.margin_top")
        return None if problem else logo

    def reference(self, value: Any) -> Path | None:
        if value is not None:
            name = self.text(("reference_docx",), value)
            if not name:
                return None
            path = self.file(name)
            if path is None:
                self.error(("reference_docx",), f"file '{name}' not found beside the "
                                                "template")
                return None
            problem = reference_problem(path)
            if problem:
                self.error(("reference_docx",), f"'{name}' {problem}")
                return None
            return path
        path = self.folders[0] / "reference.docx"
        if not path.is_file():
            return None
        problem = reference_problem(path)
        if problem:
            self.problems.append(Diagnostic(
                str(path), 1, 1, f"this file {problem}; briefgen reads it because it is the "
                                 f"template's reference.docx (rename it to leave it out)"))
            return None
        return path
