"""PDF fonts: each template font registered with reportlab once per process, the face
for a weight and slant, and which font sets each stretch of text (Arabic script in the
template's Arabic font, characters the paragraph's font lacks in the fallback font)."""

from __future__ import annotations

import unicodedata

from . import engine  # noqa: F401  (first: it prepares reportlab)
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from . import doc
from .scripts import split_arabic
from .templates import Font, Template


_REGISTERED: dict[tuple, str] = {}


_BY_OBJECT: dict[int, tuple[Font, str]] = {}


def _register(font: Font) -> str:
    """Register a font family once per process; return its base name."""
    known = _BY_OBJECT.get(id(font))
    if known is not None and known[0] is font:
        return known[1]
    cache_key = tuple(sorted((face, str(path)) for face, path in font.files.items())) + \
        (font.shaped,)
    if cache_key in _REGISTERED:
        _BY_OBJECT[id(font)] = (font, _REGISTERED[cache_key])
        return _REGISTERED[cache_key]
    base = f"bg{len(_REGISTERED)}-{font.files['regular'].stem}"
    names = {}
    for face, path in font.files.items():
        name = base if face == "regular" else f"{base}-{face}"
        # Every face may take part in a shaped paragraph; engine shapes only Arabic faces.
        pdfmetrics.registerFont(TTFont(name, str(path), shapable=True))
        if font.shaped:
            engine.SHAPED_FONTS.add(name)
        names[face] = name
    pdfmetrics.registerFontFamily(base, normal=names["regular"], bold=names["bold"],
                                  italic=names["italic"], boldItalic=names["bold_italic"])
    _REGISTERED[cache_key] = base
    _BY_OBJECT[id(font)] = (font, base)
    return base


def missing_characters(document: doc.Document, template: Template) -> list[str]:
    """Characters that no font of the template has (an emoji, say): the PDF would show an
    empty box for them. Arabic-script stretches are looked up in the Arabic font."""
    from .coverage import missing

    return missing(document.texts(), template)


def _invisible(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") or ch in "\n\t"


def font_name(font: Font, bold: bool = False, italic: bool = False) -> str:
    """The registered face for a weight and slant."""
    base = _register(font)
    face = {(False, False): "", (True, False): "-bold", (False, True): "-italic",
            (True, True): "-bold_italic"}[(bold, italic)]
    return base + face


def faces(template: Template, font: Font | None):
    """(arabic face, fallback face, the paragraph font's character map)."""
    arabic = _register(template.fonts[template.arabic_font]) if template.arabic_font else None
    fallback = _register(template.fonts[template.fallback_font]) \
        if template.fallback_font else None
    font = font or template.font_for(template.styles["body"])
    cmap = pdfmetrics.getFont(font_name(font)).face.charToGlyph
    fb_cmap = pdfmetrics.getFont(fallback).face.charToGlyph if fallback else {}
    return arabic, fallback, cmap, fb_cmap


_PIECES: dict[tuple, list] = {}


def by_font(text: str, faces) -> list[tuple[str | None, str]]:
    """Pieces of text with the face to set them in (None: the paragraph's own)."""
    arabic, fallback, cmap, fb_cmap = faces
    key = (text, arabic, fallback, id(cmap))
    cached = _PIECES.get(key)
    if cached is None:
        if len(_PIECES) > 50_000:
            _PIECES.clear()
        cached = _PIECES[key] = _split_faces(text, arabic, fallback, cmap, fb_cmap)
    return cached


def _split_faces(text, arabic, fallback, cmap, fb_cmap) -> list[tuple[str | None, str]]:
    out: list[tuple[str | None, str]] = []
    for is_ar, piece in split_arabic(text):
        if is_ar and arabic:
            out.append((arabic, piece))
            continue
        for ch in piece:
            face = fallback if (ord(ch) not in cmap and ord(ch) in fb_cmap) else None
            if out and out[-1][0] == face and not (face is None and out[-1][0] == arabic):
                out[-1] = (face, out[-1][1] + ch)
            else:
                out.append((face, ch))
    return out


def charmap(font: Font) -> dict:
    """The character map (code point -> glyph) of a font family's regular face."""
    return pdfmetrics.getFont(font_name(font)).face.charToGlyph
