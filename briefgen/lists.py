"""Where a list item's label (its bullet or number) and its text stand, one answer for both
renderers, so that the PDF and the DOCX break the item's lines alike.

The text always starts at the style's indent, whatever the label: Word and LibreOffice
set it at the hanging indent's tab stop as long as the label ends before it, and the PDF
engine is told to do the same (engine: no extra room after a label). The label stands
`LABEL_X` points from the text's left edge; a label too wide for that ("10." in a narrow
indent, "100.") moves left, into the hanging indent and at the end into the margin, so it
never pushes the text. Widths are the PDF fonts' (Liberation Sans and Serif have the
widths of Arial and Times New Roman, the fonts the DOCX names).
"""

from __future__ import annotations

from .records import dataclass

from .templates import Template, to_twips

LABEL_X = 2.0
"""Where a label stands, from the left edge of the text, when it has room."""
DEFAULT_INDENT = 14.0
"""A list's text indent when its style sets none."""
GAP = 0.25
"""The least room between a label and the text, in ems of the style's size."""


@dataclass(frozen=True)
class ListGeometry:
    """A list item's label position and text indent, in points from the text's left edge
    (whole twips, as the DOCX stores them)."""

    label_x: float
    text_indent: float

    @property
    def hanging(self) -> float:
        """The DOCX's hanging indent: from the label to the text."""
        return self.text_indent - self.label_x


_CACHE: dict[tuple, tuple[Template, ListGeometry]] = {}


def list_geometry(template: Template, style_key: str, label: str) -> ListGeometry:
    """Where the label and the text of an item in a style stand."""
    key = (id(template), style_key, label)
    cached = _CACHE.get(key)
    if cached is None or cached[0] is not template:
        if len(_CACHE) > 4096:
            _CACHE.clear()
        cached = _CACHE[key] = (template, _geometry(template, style_key, label))
    return cached[1]


def _geometry(template: Template, style_key: str, label: str) -> ListGeometry:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from .pdf_fonts import font_name

    style = template.styles[style_key]
    indent = to_twips(style.indent or DEFAULT_INDENT)
    width = stringWidth(label, font_name(template.font_for(style)), style.size)
    x = min(LABEL_X, indent - width - GAP * style.size)
    return ListGeometry(to_twips(x), indent)
