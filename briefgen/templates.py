"""Templates are data: a folder with `template.yaml` (page, fonts, colours, styles, labels).

Styles inherit from each other with `parent:`; a template inherits from another with a
top-level `parent:`. Both renderers read the same resolved values, so the PDF and the DOCX
share one look.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .errors import BriefError

FONT_DIR = Path(__file__).parent / "fonts"
PAGE_SIZES = {"a4": (595.2756, 841.8898), "letter": (612.0, 792.0)}
_UNITS = {"pt": 1.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0}
_LENGTH = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(pt|mm|cm|in)?\s*$")


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


@dataclass(frozen=True)
class Font:
    """A font family: the TrueType files the PDF embeds and the name the DOCX uses."""

    key: str
    docx: str
    files: dict[str, Path]


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
    raw: dict[str, Any]

    @property
    def text_width(self) -> float:
        """Width of the text column in points."""
        return self.page_size[0] - self.margins["left"] - self.margins["right"]

    def font_for(self, style: Style) -> Font:
        """The font family of a style."""
        return self.fonts[style.font]


def list_builtin() -> list[tuple[str, str]]:
    """(name, description) of every built-in template."""
    out = []
    for folder in sorted(builtin_dir().iterdir()):
        if (folder / "template.yaml").is_file():
            out.append((folder.name, load_template(folder.name).description))
    return out


@lru_cache(maxsize=32)
def load_template(name_or_path: str, paper: str | None = None) -> Template:
    """Resolve a built-in name or a template folder into a Template."""
    raw = _load_chain(name_or_path, ())
    folder = _locate(name_or_path)
    return _resolve(raw, folder, paper)


def _locate(name_or_path: str) -> Path:
    path = Path(name_or_path)
    if (path / "template.yaml").is_file():
        return path
    builtin = builtin_dir() / name_or_path
    if "/" not in name_or_path and (builtin / "template.yaml").is_file():
        return builtin
    names = ", ".join(sorted(p.name for p in builtin_dir().iterdir() if p.is_dir()))
    raise BriefError.single(name_or_path, f"no template '{name_or_path}': not a built-in "
                                          f"({names}) nor a folder with template.yaml")


def _load_chain(name_or_path: str, seen: tuple[str, ...]) -> dict:
    folder = _locate(name_or_path)
    file = folder / "template.yaml"
    if str(file.resolve()) in seen:
        raise BriefError.single(str(file), "templates inherit from each other in a circle")
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise BriefError.single(str(file), f"YAML syntax: {exc.problem}",
                                mark.line + 1 if mark else 1, mark.column + 1 if mark else 1)
    if not isinstance(data, dict):
        raise BriefError.single(str(file), "a template is a mapping")
    parent = data.get("parent")
    if parent:
        base = _load_chain(str(parent), seen + (str(file.resolve()),))
        data = _merge(base, {k: v for k, v in data.items() if k != "parent"})
    data.setdefault("_folder", str(folder))
    return data


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def length(value: Any, where: str) -> float:
    """A size in points from a number (points) or a string with a unit (mm, cm, in, pt)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    m = _LENGTH.match(str(value))
    if not m:
        raise BriefError.single(where, f"expected a length such as 12 or 20mm, found '{value}'")
    return float(m.group(1)) * _UNITS[m.group(2) or "pt"]


def _resolve(raw: dict, folder: Path, paper: str | None) -> Template:
    file = str(folder / "template.yaml")
    page = raw.get("page", {})
    size_name = (paper or page.get("size", "a4")).lower()
    if size_name not in PAGE_SIZES:
        raise BriefError.single(file, f"page size '{size_name}' is not one of a4, letter")
    margins = {side: length(page.get(f"margin_{side}", "20mm"), file)
               for side in ("top", "bottom", "left", "right")}
    margins["header"] = length(page.get("header_distance", "10mm"), file)
    margins["footer"] = length(page.get("footer_distance", "10mm"), file)
    colors = {k: str(v).lstrip("#").upper() for k, v in raw.get("colors", {}).items()}
    fonts = {}
    for key, spec in raw.get("fonts", {}).items():
        files = {}
        for face in ("regular", "bold", "italic", "bold_italic"):
            name = spec.get(face) or spec.get("regular")
            path = Path(folder) / name if (Path(folder) / name).is_file() else FONT_DIR / name
            if not path.is_file():
                raise BriefError.single(file, f"font file '{name}' not found in the template "
                                              f"folder nor among briefgen's fonts")
            files[face] = path
        fonts[key] = Font(key, spec.get("docx", key), files)
    styles = {name: _style(name, raw.get("styles", {}), colors, fonts, file, ())
              for name in raw.get("styles", {})}
    return Template(
        name=str(raw.get("name", folder.name)), description=str(raw.get("description", "")),
        folder=Path(folder), page_size=PAGE_SIZES[size_name], margins=margins, fonts=fonts,
        colors=colors, styles=styles,
        box={k: length(v, file) for k, v in raw.get("box", {}).items()},
        table=dict(raw.get("table", {})), labels=dict(raw.get("labels", {})), raw=raw)


def _style(name: str, specs: dict, colors: dict, fonts: dict, file: str,
           chain: tuple[str, ...]) -> Style:
    if name not in specs:
        raise BriefError.single(file, f"style '{chain[-1]}' names an unknown parent '{name}'")
    if name in chain:
        raise BriefError.single(file, f"style '{name}' inherits from itself")
    spec = dict(specs[name])
    parent = spec.pop("parent", None)
    base = _style(parent, specs, colors, fonts, file, chain + (name,)).__dict__ if parent else {}
    values = {**base, **spec, "name": name}
    if values.get("font") not in fonts:
        raise BriefError.single(file, f"style '{name}' uses an unknown font '{values.get('font')}'")
    color = str(values.get("color", "000000"))
    values["color"] = colors.get(color, color.lstrip("#").upper())
    for k in ("size", "leading", "space_before", "space_after", "indent"):
        values[k] = length(values.get(k, 0), file)
    return Style(**{k: values[k] for k in Style.__dataclass_fields__ if k in values})
