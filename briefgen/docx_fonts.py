"""Fonts that travel in the DOCX: the shipped faces a document uses, embedded as Word
embeds them (ECMA-376 Part 1, §17.8.3), so that Word and LibreOffice show them, and break
lines with their widths, on a machine that has none of them.

Each face is cut down (fontTools' subsetter, every layout feature kept, so Arabic letters
still join) to the same set of characters in every document: the scripts briefgen writes
(Latin with its extensions A, Greek, Cyrillic, punctuation, currency and letterlike
symbols; the whole Arabic script of the Arabic font), and any other character a document
prints. The same face has the same glyphs in every brief because LibreOffice keeps the
first embedded face of a name it meets in a session and gives it to every later document
(batch conversions in CI do exactly that): a face cut to one document's characters would
lack another's. A face no text uses (bold italic, mostly) is left out. It is obfuscated as
the standard says
(the first 32 bytes XORed with the 16 bytes of a GUID, in reverse order, the GUID being
the part's `w:fontKey`) and stored as `word/fonts/fontN.odttf`, named by the font table's
`w:embedRegular`, `w:embedBold`... of the font it is. settings.xml says
`w:embedTrueTypeFonts` and `w:saveSubsetFonts`. The text font is embedded under the name
the DOCX gives it (Liberation Sans as Arial, whose metrics it has). The same document
gives the same bytes: the GUID is derived from the face's bytes, and the subsetter keeps
the font's own timestamps. Subsets are remembered in the process and in the disk cache
(`diskcache`, kind `font-subsets`, keyed by the face's bytes, the characters and fontTools'
version, each entry checked by its digest): the subsetter takes about 0.1 s a face and
0.3 s to import.
"""

from __future__ import annotations

import hashlib
import io
import uuid
from functools import lru_cache
from pathlib import Path

from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn

from .docx_xml import child, element, insert_in_order
from .scripts import ARABIC_CHARS, split_arabic
from .templates import Font, Template

OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
FONT_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"
FACES = (("regular", "w:embedRegular"), ("bold", "w:embedBold"),
         ("italic", "w:embedItalic"), ("bold_italic", "w:embedBoldItalic"))
_NAMESPACE = uuid.UUID("6f1c2b4e-2f0e-4c55-9d57-62726965666e")  # briefgen's own
FIXED_RANGES = ((0x20, 0x7E), (0xA0, 0x17F), (0x370, 0x3FF), (0x400, 0x4FF), (0x2000, 0x206F),
                (0x20A0, 0x20CF), (0x2100, 0x214F), (0xFB00, 0xFB06))
"""What every embedded text face holds, whatever the document: Latin (Basic, Latin-1,
Extended-A), Greek, Cyrillic, punctuation, currency and letterlike symbols (№)."""
_ALWAYS = frozenset("0123456789 ")  # page numbers, which Word's fields compute


def obfuscate(data: bytes, font_key: str) -> bytes:
    """A font's bytes as an .odttf part holds them: the first 32 bytes XORed with the
    GUID's 16 bytes in reverse order (the same operation undoes it)."""
    key = bytes.fromhex(font_key.strip("{}").replace("-", ""))[::-1]
    head = bytes(b ^ key[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


def font_key(data: bytes) -> str:
    """The GUID of an embedded face, from its bytes (the same face, the same key)."""
    return "{" + str(uuid.uuid5(_NAMESPACE, hashlib.sha256(data).hexdigest())).upper() + "}"


def document_characters(d) -> set[str]:
    """Every character the document's body, headers and footers print."""
    chars: set[str] = set(_ALWAYS)
    roots = [d.element.body]
    for section in d.sections:
        for part in (section.header, section.footer, section.first_page_header,
                     section.first_page_footer, section.even_page_header,
                     section.even_page_footer):
            if not part.is_linked_to_previous:
                roots.append(part._element)
    for root in roots:
        for t in root.iter(qn("w:t")):
            chars.update(t.text or "")
    numbering = getattr(d.part, "numbering_part", None)
    if numbering is not None:  # list bullets and the full stop after numbers
        for lvl in numbering.element.iter(qn("w:lvlText")):
            chars.update(ch for ch in (lvl.get(qn("w:val")) or "").replace("%", "")
                         if not ch.isdigit() and not 0xE000 <= ord(ch) <= 0xF8FF)
    return chars  # (private-use bullets are the Symbol font's, which no brief uses)


def _needed(template: Template, chars: set[str]) -> dict[str, set[str]]:
    """Font key -> the characters the document sets in that font."""
    from .pdf_fonts import charmap

    text = "".join(sorted(chars))
    arabic = {ch for is_ar, piece in split_arabic(text) if is_ar for ch in piece}
    latin = chars - arabic
    main = {s.font for s in template.styles.values()}
    fixed = {chr(c) for a, b in FIXED_RANGES for c in range(a, b + 1)}
    out: dict[str, set[str]] = {key: latin | fixed for key in main}
    if template.arabic_font and arabic:
        whole = set(ARABIC_CHARS)
        out.setdefault(template.arabic_font, set()).update(
            arabic | whole | {" ", "\u200c", "\u200d", "\u00a0"})
    if template.fallback_font and template.fallback_font not in main:
        covered = set().union(*(set(chr(c) for c in charmap(template.fonts[k]))
                                for k in main)) if main else set()
        rest = {ch for ch in latin - covered if not ch.isspace()}
        if rest:
            out.setdefault(template.fallback_font, set()).update(rest)
    return out


def embed_fonts(d, template: Template, fonts_part) -> int:
    """Embed the faces the document uses into its font table; returns the bytes added."""
    chars = document_characters(d)
    faces = used_faces(d)
    added = 0
    parts: dict[tuple[str, frozenset], tuple[str, str]] = {}  # -> (r:id, fontKey)
    table = fonts_part.element
    # Faces embedded already (a briefing book embeds each of its templates' faces in turn):
    # new parts are numbered after them, so no two parts share a name.
    before = sum(1 for rel in fonts_part.rels.values() if rel.reltype == FONT_RELATIONSHIP)
    for key, needed in _needed(template, chars).items():
        font: Font = template.fonts[key]
        entry = next((f for f in table.findall(qn("w:font"))
                      if f.get(qn("w:name")) == font.docx), None)
        if entry is None:
            continue
        for face, tag in FACES:
            path = font.files.get(face)
            if path is None or face not in faces:
                continue
            if any(e.get(qn("r:id")) for e in entry.findall(qn(tag))):
                continue  # embedded already, for another template of a briefing book
            wanted = frozenset(needed)
            made = parts.get((str(path), wanted))
            if made is None:
                data = subset(Path(path), wanted, shaped=key == template.arabic_font)
                fkey = font_key(data)
                name = PackURI(f"/word/fonts/font{before + len(parts) + 1}.odttf")
                part = Part(name, OBFUSCATED_FONT, obfuscate(data, fkey), d.part.package)
                made = parts[(str(path), wanted)] = (fonts_part.relate_to(part, FONT_RELATIONSHIP),
                                                     fkey)
                added += len(data)
            for old in entry.findall(qn(tag)):
                entry.remove(old)
            el = insert_in_order(entry, element(tag, fontKey=made[1]))
            el.set(qn("r:id"), made[0])
    if parts:
        settings = d.settings.element
        child(settings, "w:embedTrueTypeFonts")
        child(settings, "w:saveSubsetFonts")
    return added


def used_faces(d) -> set[str]:
    """The faces the document's text asks for: regular, bold and italic, and bold italic
    when a run, or a style the text uses (or its parent), is both."""
    faces = {"regular", "bold", "italic"}
    roots = [d.element.body] + [p._element for s in d.sections for p in (
        s.header, s.footer, s.first_page_header, s.first_page_footer)]
    used: set[str] = set()
    for root in roots:
        for rpr in root.iter(qn("w:rPr")):
            if rpr.find(qn("w:b")) is not None and rpr.find(qn("w:i")) is not None:
                return faces | {"bold_italic"}
        for tag in ("w:pStyle", "w:rStyle"):
            used.update(el.get(qn("w:val")) for el in root.iter(qn(tag)))
    styles = {st.get(qn("w:styleId")): st for st in d.styles.element.iter(qn("w:style"))}
    for style_id in used:
        bold = italic = False
        seen = set()
        while style_id in styles and style_id not in seen:
            seen.add(style_id)
            st = styles[style_id]
            rpr = st.find(qn("w:rPr"))
            if rpr is not None:
                bold = bold or rpr.find(qn("w:b")) is not None
                italic = italic or rpr.find(qn("w:i")) is not None
            based = st.find(qn("w:basedOn"))
            style_id = based.get(qn("w:val")) if based is not None else None
        if bold and italic:
            return faces | {"bold_italic"}
    return faces


_SUBSETS: dict[tuple, bytes] = {}


def subset(path: Path, chars: frozenset, shaped: bool = True) -> bytes:
    """A face cut down to these characters, with what their shaping needs when `shaped`
    (Arabic script); a text face without its layout tables, as the PDF sets Latin text
    unshaped (no ligatures, no kerning) and LibreOffice then does too."""
    key = (str(path), chars, shaped)
    hit = _SUBSETS.get(key)
    if hit is not None:
        return hit
    from . import diskcache

    name = diskcache.key("subset-1", _tool_version(), diskcache.file_digest(path)[1],
                         str(shaped), "".join(sorted(chars))) + ".ttf"
    stored = diskcache.get("font-subsets", name)  # the face, then a digest of it
    data = stored[:-32] if stored and len(stored) > 32 else b""
    if not data or hashlib.blake2b(data, digest_size=32).digest() != stored[-32:]:
        data = _make_subset(path, chars, shaped)
        diskcache.put("font-subsets", name, data + hashlib.blake2b(data, digest_size=32).digest())
    if len(_SUBSETS) > 256:
        _SUBSETS.clear()
    _SUBSETS[key] = data
    return data


def _make_subset(path: Path, chars: frozenset, shaped: bool) -> bytes:
    import logging

    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont

    logging.getLogger("fontTools").setLevel(logging.ERROR)
    options = ft_subset.Options()
    options.layout_features = ["*"] if shaped else []  # Arabic: joining, ligatures, marks
    options.name_IDs = ["*"]          # the names readers match the font by
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False           # screen hints only; widths are unchanged
    options.legacy_kern = True
    options.drop_tables += ["FFTM", "DSIG"]
    font = TTFont(str(path), recalcTimestamp=False, lazy=True)
    sub = ft_subset.Subsetter(options)
    sub.populate(text="".join(sorted(chars)))
    sub.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


@lru_cache(maxsize=1)
def _tool_version() -> str:
    """fontTools' version, for the cache key (its package's own attribute: importlib.metadata
    would cost a cold build 20 ms or more)."""
    try:
        import fontTools

        return str(fontTools.version)
    except Exception:  # noqa: BLE001 - any failure: no version to key by
        return "?"
