"""The PDF engine's settings: import this module before reportlab.

- Bidirectional text: reportlab expects `rlbidi` (not on PyPI) for right-to-left text; we
  give it a `log2vis` that leaves the order alone, and order words ourselves (see
  `pdf_text`). Shaping (joined Arabic letters, laid out right to left within a word) is
  reportlab's own, with uharfbuzz, for the fonts registered as shapable.
- Line breaking and paragraph splitting patches that make reportlab break lines where
  Word and LibreOffice do; a list item's text at its indent whatever its label's width.
- Safety: paragraph markup never reaches reportlab unescaped, and reportlab may not fetch
  anything by URL either.
- Versions: the patches rely on reportlab's private names (INTERNALS); importing this
  module checks that they are all there, and pyproject.toml pins the tested range.
- Tagged PDF (see `pdf_tags`): page dictionaries may carry /StructParents and /Tabs and the
  catalog /OutputIntents; ToUnicode maps leave out U+0000, U+FEFF and U+FFFE and give
  HarfBuzz's private-use glyphs (lam-alef ligatures...) the letters they stand for; every
  shaped glyph remembers the letters of its cluster (`ShapeData.chars`, for /ActualText);
  and three hooks let a paragraph's text object and a tagging canvas mark list labels, see
  which run each piece of a line belongs to, and make link annotations.
"""

from __future__ import annotations

import re
import sys
import types



def log2vis(text: str, base_direction: str | None = None, clean: bool = True,
            positions_V_to_L: list | None = None, **_ignored) -> str:
    """rlbidi's interface, answering "no reordering": briefgen orders right-to-left text
    itself (pdf_text.RtlParagraph reverses each laid-out line, and Arabic stretches in
    left-to-right paragraphs are reversed word by word), and HarfBuzz orders the letters
    inside each word. reportlab's own reordering did not survive shaping."""
    if positions_V_to_L is not None:
        positions_V_to_L[:] = range(len(text))
    return text


if "reportlab.pdfgen.textobject" in sys.modules and "rlbidi" not in sys.modules:
    raise ImportError("briefgen.engine must be imported before reportlab")
sys.modules.setdefault("rlbidi", types.SimpleNamespace(log2vis=log2vis))

TESTED_REPORTLAB = ">=5.1,<5.2"
"""The reportlab versions the patches below were written and tested for (pyproject.toml
pins the same range; a test checks that they agree)."""

INTERNALS = (
    ("reportlab.platypus.paragraph",
     ("_hy_shy_letters_pat", "_hy_shy_pat", "_shyUnsplit", "_SHYIndexedStr", "_hyphenateWord",
      "_hyphenateFragWord", "stringWidth", "shapeFragWord", "Paragraph.breakLines",
      "_handleBulletWidth", "_drawBullet", "_putFragLine", "_doLink")),
    ("reportlab.pdfbase.ttfonts", ("ShapedStr", "makeShapedFragWord", "TTFontFile",
                                   "makeToUnicodeCMap")),
    ("reportlab.pdfbase.pdfdoc", ("PDFPage.__NoDefault__", "PDFCatalog.__NoDefault__",
                                  "PDFStream.format", "PDFIndirectObject.format")),
    ("reportlab.rl_config", ("_FUZZ", "overlapAttachedSpace", "trustedSchemes",
                             "trustedHosts")),
    ("reportlab.platypus.flowables", ("Flowable._doctemplateAttr",)),
)
"""reportlab's private (or undocumented) names that briefgen patches, replaces or calls,
by module. Laid-out objects' attributes we read (Frame._atTop, _prevASpace, _aW, _aH, _y,
_y2; Table._rowHeights; Paragraph.blPara, _wrapWidths) are checked by tests/test_engine.py."""


def missing_internals() -> list[str]:
    """The INTERNALS this reportlab lacks (empty when every one is there)."""
    import importlib

    missing = []
    for module_name, names in INTERNALS:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            missing.append(module_name)
            continue
        for name in names:
            obj = module
            for part in name.split("."):
                if not hasattr(obj, part):
                    missing.append(f"{module_name}.{name}")
                    break
                obj = getattr(obj, part)
    return missing


def check_internals() -> None:
    """Fail at import, with a message that says what to install, when reportlab lacks what
    briefgen patches: an upgrade must not change the layout silently."""
    missing = missing_internals()
    if missing:
        from importlib.metadata import PackageNotFoundError, version

        try:
            found = version("reportlab")
        except PackageNotFoundError:  # pragma: no cover - reportlab imported, so it is there
            found = "?"
        raise ImportError(f"briefgen needs reportlab{TESTED_REPORTLAB}; reportlab {found} "
                          f"lacks {', '.join(missing)}, which briefgen patches or calls. "
                          f"Install the tested version: pip install "
                          f"'reportlab{TESTED_REPORTLAB}'")


check_internals()

from reportlab import rl_config  # noqa: E402  (after the rlbidi shim)
from reportlab.platypus import paragraph as _paragraph  # noqa: E402

rl_config.overlapAttachedSpace = 1  # space between blocks: the larger of after/before, as LibreOffice
rl_config.trustedSchemes = []       # no file:, http: or data: fetches from any markup
rl_config.trustedHosts = None


def _break_after_hyphens_like_libreoffice() -> None:
    """Let a word break after any hyphen that is not followed by a digit (Unicode line
    breaking, which LibreOffice and Word follow): 'Russia-|U.S.' and 'non-|proliferation'
    may break, '6-12' may not. reportlab's own rule accepts only words of Latin letters."""
    _paragraph._hy_shy_letters_pat = re.compile(r"^\S+$")
    _paragraph._hy_shy_pat = re.compile("(-(?=\\D)|\xad|\u200b)")  # and a zero-width space

    # When a paragraph split across pages is re-wrapped, reportlab rejoins a word it broke
    # after a hyphen and strips the hyphen ('non-|proliferation' -> 'nonproliferation'):
    # the first part then needs an extra line and platypus fails with a splitting error.
    # Without a hyphenator, reportlab never inserts a hyphen, so a joined part keeps it.
    original = _paragraph._shyUnsplit

    def unsplit(s, ss=None):
        if ss is None or isinstance(s, _paragraph._SHYIndexedStr) or hasattr(ss, "_shyIndices"):
            return original(s, ss)
        return s + ss

    _paragraph._shyUnsplit = unsplit

    # After a break at a hyphen, reportlab never splits the rest of the word again, so a
    # long rest ('asia.directorate@mofa.gov.pk' after 'russia.central-') ran out of its
    # table cell. Break at the hyphen only when the rest fits a line; otherwise the word is
    # split by letters, as any word longer than a line is.
    word, frag_word = _paragraph._hyphenateWord, _paragraph._hyphenateFragWord

    def hyphenate_word(hyphenator, fontName, fontSize, w, ww, newWidth, maxWidth, *rest,
                       **kw):
        parts = word(hyphenator, fontName, fontSize, w, ww, newWidth, maxWidth, *rest, **kw)
        if parts and len(parts) == 2 and \
                _paragraph.stringWidth(str(parts[1]), fontName, fontSize) > maxWidth:
            return []
        return parts

    def hyphenate_frag_word(hyphenator, FW, newWidth, maxWidth, *rest, **kw):
        parts = frag_word(hyphenator, FW, newWidth, maxWidth, *rest, **kw)
        if parts and len(parts) == 2 and parts[1] and parts[1][0] > maxWidth:
            return []
        return parts

    _paragraph._hyphenateWord = hyphenate_word
    _paragraph._hyphenateFragWord = hyphenate_frag_word


_break_after_hyphens_like_libreoffice()

SHAPED_FONTS: set[str] = set()
"""Registered font names that HarfBuzz shapes (the Arabic-script faces)."""


def _shape_only_arabic_script() -> None:
    """A paragraph that holds Arabic script is laid out with shaping on; reportlab would
    then shape its Latin words too (kerning, ligatures) and break their lines differently
    from Word. Shape only the words set in an Arabic-script font."""
    original_word = _paragraph.shapeFragWord

    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfbase.ttfonts import ShapedFragWord, ShapedStr, makeShapedFragWord

    def shape(w, *args, **kwargs):
        """reportlab's shaping, each glyph remembering its letters (for /ActualText)."""
        shaped = original_word(w, *args, **kwargs)
        if shaped is not w and isinstance(shaped, ShapedFragWord):
            _remember_letters(w, shaped)
        return shaped

    def shape_frag_word(w, *args, **kwargs):
        fonts = [getattr(f, "fontName", None) for f, _ in w[1:]]
        if not any(name in SHAPED_FONTS for name in fonts) or \
                any(isinstance(t, ShapedStr) for _, t in w[1:]):
            return w  # nothing to shape, or shaped already
        if all(name in SHAPED_FONTS for name in fonts[:1]) and len(set(fonts)) == 1:
            return shape(w, *args, **kwargs)
        # A word that mixes an Arabic-script stretch with Latin punctuation, e.g. «نئی:
        # reportlab would shape it all with the first frag's font. Shape the Arabic frags
        # alone and keep the rest as they are.
        parts, width, shaped = [], 0.0, False
        for f, text in w[1:]:
            if getattr(f, "fontName", None) in SHAPED_FONTS and not hasattr(f, "cbDefn"):
                one = shape([stringWidth(text, f.fontName, f.fontSize), (f, text)],
                                    *args, **kwargs)
                shaped = shaped or any(isinstance(t, ShapedStr) for _, t in one[1:])
                width += one[0]
                parts += list(one[1:])
            else:
                width += getattr(f, "width", 0) if hasattr(f, "cbDefn") else \
                    stringWidth(text, f.fontName, f.fontSize)
                parts.append((f, text))
        # Keep the word's own class: it says, among other things, whether a space follows.
        return (makeShapedFragWord(w) if shaped else w.__class__)([width] + parts)

    _paragraph.shapeFragWord = shape_frag_word
    # (Paragraphs of one font take another path, but ours with Arabic script always mix a
    # Latin base font with Arabic-script <font> stretches.)


_shape_only_arabic_script()


def _list_text_at_its_indent() -> None:
    """A list item's text starts at its indent, as at the tab stop of Word and LibreOffice,
    whenever its label ends before it: reportlab keeps 0.6 em after a label and pushes the
    first line to the right when "10." ends later. A style with `bulletGap` (points) sets
    the room kept instead (briefgen's list styles: 0; `lists` keeps the label clear)."""
    handle_width, draw_bullet = _paragraph._handleBulletWidth, _paragraph._drawBullet

    def label_width(bulletText, style) -> float:
        if isinstance(bulletText, str):
            return _paragraph.stringWidth(bulletText, style.bulletFontName,
                                          style.bulletFontSize)
        return sum(_paragraph.stringWidth(f.text, f.fontName, f.fontSize) for f in bulletText)

    def ours(style) -> bool:
        return getattr(style, "bulletGap", None) is not None and \
            style.wordWrap != "RTL" and style.bulletAnchor == "start"

    def handle_bullet_width(bulletText, style, maxWidths):
        if not (bulletText and ours(style)):
            return handle_width(bulletText, style, maxWidths)
        end = style.bulletIndent + label_width(bulletText, style) + style.bulletGap
        indent = (style.rightIndent if getattr(style, "bulletFromRight", 0)
                  else style.leftIndent) + style.firstLineIndent
        if end > indent:
            maxWidths[0] -= end - indent

    def draw(canvas, offset, cur_y, bulletText, style, rtl):
        if getattr(style, "bulletFromRight", 0) and not rtl:
            # A right-to-left list: the label stands bulletIndent from the right edge
            # (pdf_text.BidiParagraph tells the canvas the paragraph's width).
            import copy

            mirrored = copy.copy(style)
            mirrored.bulletIndent = getattr(canvas, "_paragraph_width", 0) - \
                style.bulletIndent - label_width(bulletText, style)
            draw_bullet(canvas, offset, cur_y, bulletText, mirrored, rtl)
            return offset
        result = draw_bullet(canvas, offset, cur_y, bulletText, style, rtl)
        if rtl or not ours(style):
            return result
        end = style.bulletIndent + label_width(bulletText, style) + style.bulletGap
        return max(offset, end - style.leftIndent)

    _paragraph._handleBulletWidth = handle_bullet_width
    _paragraph._drawBullet = draw


_list_text_at_its_indent()


PRIVATE_USE: dict[tuple[str, int], str] = {}
"""(font face name, private-use code point) -> the letters that glyph stands for: HarfBuzz
glyphs that the font's cmap lacks (ligatures, contextual forms) get private-use code points
from reportlab; the ToUnicode map gives them these letters instead."""

_words = iter(range(1 << 62))


def _remember_letters(word: list, shaped: list) -> None:
    """Give each shaped glyph the letters of its cluster (`chars`, in logical order; the
    cluster's further glyphs get "") and its word (`word`: a number, the word's letters and
    its number of glyphs), for /ActualText."""
    from reportlab.pdfbase.pdfmetrics import getFont
    from reportlab.pdfbase.ttfonts import ShapedStr

    text = "".join(t for f, t in word[1:] if not hasattr(f, "cbDefn"))
    pieces = [(f, s) for f, s in shaped[1:] if isinstance(s, ShapedStr)]
    starts = sorted({sd.cluster for _, s in pieces for sd in s.__shapeData__
                     if 0 <= sd.cluster < len(text)})
    ends = dict(zip(starts, starts[1:] + [len(text)]))
    # The word: (a number of its own, its letters in logical order when one run of glyphs
    # holds them all, else None, and its number of glyphs).
    token = (next(_words), text[starts[0]:] if len(pieces) == 1 and starts else None,
             sum(len(s) for _, s in pieces))
    seen = set()
    for f, s in pieces:
        face = getFont(f.fontName).face
        name = (face.name + face.subfontNameX).decode("latin-1")
        for ch, sd in zip(s, s.__shapeData__):
            letters = text[sd.cluster:ends[sd.cluster]] if sd.cluster in ends else ""
            sd.chars = "" if sd.cluster in seen else letters
            sd.word = token
            seen.add(sd.cluster)
            if 0xE000 <= ord(ch) <= 0xF8FF and letters:
                PRIVATE_USE.setdefault((name, ord(ch)), letters)


def _page_and_catalog_keys() -> None:
    """Page dictionaries may carry /StructParents and /Tabs, the catalog /OutputIntents
    (reportlab writes only the keys it lists); a stream's data is followed by an end of
    line before `endstream`, not counted in /Length, as PDF/A requires; and objects with
    prepared bytes are written as they are."""
    from reportlab.pdfbase import pdfdoc

    pdfdoc.PDFPage.__NoDefault__ = pdfdoc.PDFPage.__NoDefault__ + ["StructParents", "Tabs"]
    pdfdoc.PDFCatalog.__NoDefault__ = pdfdoc.PDFCatalog.__NoDefault__ + ["OutputIntents"]
    stream_format = pdfdoc.PDFStream.format
    tail = b"endstream\n"

    def format_stream(self, document):
        out = stream_format(self, document)
        return out[:-len(tail)] + b"\n" + tail if out.endswith(tail) else out

    pdfdoc.PDFStream.format = format_stream

    # An object that carries its own bytes (`prepared`, as pdf_tags writes its thousands of
    # structure elements) is written as it is, without reportlab's general formatting.
    indirect_format = pdfdoc.PDFIndirectObject.format

    def format_indirect(self, document):
        data = getattr(self.content, "prepared", None)
        if data is None:
            return indirect_format(self, document)
        n, v = document.idToObjectNumberAndVersion[self.name]
        document.encrypt.register(n, v)
        return b"%d %d obj\n%s\nendobj\n" % (n, v, data)

    pdfdoc.PDFIndirectObject.format = format_indirect


_FORMS: dict[int, str] = {}


def glyph_text(face: str, cp: int) -> str | None:
    """What a glyph of `face` drawn for code point `cp` stands for in the ToUnicode map: the
    letters of a private-use glyph (see PRIVATE_USE), the letter(s) of a Hebrew or Arabic
    presentation form (its compatibility decomposition: a final alef is an alef, the lam-alef
    ligature lam and alef), else the code point itself."""
    if 0xE000 <= cp <= 0xF8FF:
        return PRIVATE_USE.get((face, cp))
    if 0xFB1D <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFC:
        out = _FORMS.get(cp)
        if out is None:
            import unicodedata

            out = _FORMS[cp] = unicodedata.normalize("NFKC", chr(cp))
        return out
    return chr(cp)


def to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap for a font subset, without mappings to U+0000, U+FEFF or
    U+FFFE (PDF/UA forbids them), private-use values and presentation forms replaced by the
    letters of the glyph (`glyph_text`), surrogate pairs for characters beyond the BMP, and
    at most 100 entries per block."""
    face = fontname.split("+", 1)[-1]
    entries = []
    for code, cp in enumerate(subset):
        if cp in (0, 0xFEFF, 0xFFFE):
            continue
        text = glyph_text(face, cp)
        if text:
            entries.append("<%02X> <%s>" % (code, text.encode("utf-16-be").hex().upper()))
    blocks = []
    for i in range(0, len(entries), 100):
        chunk = entries[i:i + 100]
        blocks += [f"{len(chunk)} beginbfchar"] + chunk + ["endbfchar"]
    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        "/CIDSystemInfo", "<< /Registry (%s)" % fontname, "/Ordering (%s)" % fontname,
        "/Supplement 0", ">> def", "/CMapName /%s def" % fontname, "/CMapType 2 def",
        "1 begincodespacerange", "<00> <%02X>" % (len(subset) - 1), "endcodespacerange",
        *blocks, "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"])


def _tagging_hooks() -> None:
    """Three hooks for tagged PDF, each a no-op unless asked for:
    - a bullet drawn on a canvas with a `tagger` is marked as the list item's label;
    - a text object with `frag_line` is told each line before it is drawn, so it knows
      which run (link or not) each piece of text belongs to;
    - a text object with `link_annotation` makes the link annotations of its lines."""
    from reportlab.pdfbase import ttfonts

    ttfonts.makeToUnicodeCMap = to_unicode_cmap
    draw_bullet, put_frag_line, do_link = (_paragraph._drawBullet, _paragraph._putFragLine,
                                           _paragraph._doLink)

    def drawBullet(canvas, *args, **kwargs):
        tagger = getattr(canvas, "tagger", None)
        if tagger is None:
            return draw_bullet(canvas, *args, **kwargs)
        tagger.begin_label(canvas)
        try:
            return draw_bullet(canvas, *args, **kwargs)
        finally:
            tagger.end_label(canvas)

    def putFragLine(cur_x, tx, line, last, pKind):
        hook = getattr(tx, "frag_line", None)
        if hook is not None:
            hook(line)
        return put_frag_line(cur_x, tx, line, last, pKind)

    def doLink(tx, link, rect):
        hook = getattr(tx, "link_annotation", None)
        if hook is not None and link and not link.startswith("#") and ":" in link:
            return hook(link, rect)
        return do_link(tx, link, rect)

    _paragraph._drawBullet = drawBullet
    _paragraph._putFragLine = putFragLine
    _paragraph._doLink = doLink


_page_and_catalog_keys()
_tagging_hooks()


def _rise_at_the_start_of_a_text_object() -> None:
    """reportlab's setRise looks at the last operator of the text object, which a line
    that starts with a raised piece (a right-to-left line put in visual order may) does
    not have yet."""
    from reportlab.pdfgen.textobject import PDFTextObject

    original = PDFTextObject.setRise

    def set_rise(self, rise):
        if not self._code:
            self._code.append("")
        return original(self, rise)

    PDFTextObject.setRise = set_rise


_rise_at_the_start_of_a_text_object()
