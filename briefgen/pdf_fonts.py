"""PDF fonts: each template font registered with reportlab once per process, the face
for a weight and slant, and which font sets each stretch of text (Arabic script in the
template's Arabic font, characters the paragraph's font lacks in the fallback font).

Faces are parsed when a document first needs them, not when their family is registered: a
family's names are known to reportlab at once (so bold and italic markup find their face),
and reportlab's lookup of a name it does not hold (`pdfmetrics.findFontAndRegister`, which
`getFont` calls on a miss) parses the face then, through the disk cache of
`pdf_font_cache`. An English brief never parses the Arabic face; a sans-serif template
never parses the serif ones."""

from __future__ import annotations

from . import engine  # noqa: F401  (first: it prepares reportlab)
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

from . import doc, pdf_font_cache
from .scripts import split_arabic
from .templates import Font, Template


_REGISTERED: dict[tuple, str] = {}


_BY_OBJECT: dict[int, tuple[Font, str]] = {}


_PENDING: dict[str, tuple[object, bool, tuple]] = {}
"""Registered face names not parsed yet: name -> (font file, shaped, its family)."""

PARSED: list[str] = []
"""The faces parsed in this process, in order (what a document paid for)."""

_find_unregistered = pdfmetrics.findFontAndRegister


def _find_and_register(name):
    pending = _PENDING.pop(str(name), None)
    if pending is None:
        return _find_unregistered(name)
    path, shaped, family = pending
    font = TTFont.__new__(TTFont)
    _init_ttfont(font, str(name), pdf_font_cache.face(path))
    pdfmetrics.registerFont(font)
    # registerFont maps bold and italic of the font's own name to itself: say again which
    # faces are the family's bold and italic (as registering every face first, then the
    # family, did).
    pdfmetrics.registerFontFamily(family[0], normal=family[1], bold=family[2],
                                  italic=family[3], boldItalic=family[4])
    if shaped:
        engine.SHAPED_FONTS.add(str(name))
    PARSED.append(str(name))
    return font


def _init_ttfont(font: TTFont, name: str, face: TTFontFace) -> None:
    """TTFont.__init__ with a face already parsed (reportlab's constructor parses the file
    itself); every face may take part in a shaped paragraph."""
    from fnmatch import fnmatch
    from weakref import WeakKeyDictionary

    from reportlab import rl_config
    from reportlab.pdfbase.ttfonts import TTEncoding

    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, glob) for glob in rl_config.unShapedFontGlob)


pdfmetrics.findFontAndRegister = _find_and_register


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
        names[face] = base if face == "regular" else f"{base}-{face}"
    family = (base, names["regular"], names["bold"], names["italic"], names["bold_italic"])
    for face, path in font.files.items():
        _PENDING[names[face]] = (path, font.shaped, family)  # engine shapes Arabic faces
        # The mappings registering the face sets (every style of its name is itself), as
        # if every face were registered now; the family's mapping then overrides its base.
        pdfmetrics.registerFontFamily(names[face])
    pdfmetrics.registerFontFamily(base, normal=names["regular"], bold=names["bold"],
                                  italic=names["italic"], boldItalic=names["bold_italic"])
    _REGISTERED[cache_key] = base
    _BY_OBJECT[id(font)] = (font, base)
    return base


class _Cmap:
    """A face's character map, parsed on first use (the fallback face is parsed only when
    a character the paragraph's font lacks is looked up in it)."""

    __slots__ = ("name", "_map")

    def __init__(self, name: str | None):
        self.name, self._map = name, None

    def __contains__(self, code: int) -> bool:
        if self.name is None:
            return False
        if self._map is None:
            self._map = pdfmetrics.getFont(self.name).face.charToGlyph
        return code in self._map


def missing_characters(document: doc.Document, template: Template) -> list[str]:
    """Characters that no font of the template has (an emoji, say): the PDF would show an
    empty box for them. Arabic-script stretches are looked up in the Arabic font."""
    from .coverage import missing

    return missing(document.texts(), template)


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
    fb_cmap = _FALLBACK_CMAPS.get(fallback)
    if fb_cmap is None:
        fb_cmap = _FALLBACK_CMAPS[fallback] = _Cmap(fallback)
    return arabic, fallback, cmap, fb_cmap


_FALLBACK_CMAPS: dict[str | None, _Cmap] = {}


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
