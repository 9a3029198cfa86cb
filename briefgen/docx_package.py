"""The DOCX package and its parts: what a brief's Word file is made of besides its text.

- the base document: python-docx's default template or the template's reference.docx,
  its body emptied and its leftovers dropped (a reference's images, custom XML, comments,
  thumbnail, attached template; python-docx's stylesWithEffects.xml, which Word 2013 no
  longer writes and which disagreed with our styles);
- the properties Word shows and trusts: core.xml (title, author, dates) and app.xml
  (briefgen and its version, the page count of the PDF layout, the word count);
- settings: compatibility mode 15 (Word 2013 and later open the file without
  "Compatibility Mode"), no revision ids, a document id of its own;
- the font table, where fonts can be embedded;
- the zip, written with fixed entry times so that the same input gives the same bytes.
"""

from __future__ import annotations

import copy
import hashlib
import io
import re
import zipfile

from docx import Document as open_docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from . import __version__
from .xmltext import escape
from .docx_xml import NAMESPACES, child, clark, element, insert_in_order, put_in_order

FIXED_TIME = (1980, 1, 1, 0, 0, 0)
WORD = "http://schemas.microsoft.com/office/word"
_MS_RELS = "http://schemas.microsoft.com/office/2007/relationships/"
_MS_RELS_2011 = "http://schemas.microsoft.com/office/2011/relationships/"

KEEP_DOCUMENT_RELS = {RT.STYLES, RT.NUMBERING, RT.SETTINGS, RT.WEB_SETTINGS, RT.FONT_TABLE,
                      RT.THEME, RT.FOOTNOTES, RT.ENDNOTES}
"""Parts the document uses without naming them in its text; any other part that the
body, emptied of the reference's content, no longer names is dropped."""
DROP_PACKAGE_RELS = {RT.THUMBNAIL, RT.CUSTOM_PROPERTIES}
"""The reference's picture of its first page and its custom properties (which may carry
its own sensitivity label): they describe the reference, not the brief."""


def open_reference(path) -> object:
    """A reference.docx opened with its body emptied: its sections' page set-up, header
    and footer references merged into the one section that stays, and every part's
    elements put in schema order."""
    d = open_docx(str(path))
    body = d.element.body
    final = body.find(qn("w:sectPr"))
    if final is None:
        final = insert_in_order(body, element("w:sectPr"))
    # A section whose header is "linked to previous" names no header of its own: give
    # the last section what it inherits before the sections before it go.
    inherited = {}
    for sect in body.iter(qn("w:sectPr")):
        if sect is final:
            continue
        for ref in sect:
            if ref.tag in (qn("w:headerReference"), qn("w:footerReference")):
                inherited[(ref.tag, ref.get(qn("w:type")))] = ref
    own = {(ref.tag, ref.get(qn("w:type"))) for ref in final
           if ref.tag in (qn("w:headerReference"), qn("w:footerReference"))}
    for key, ref in inherited.items():
        if key not in own:
            insert_in_order(final, copy.deepcopy(ref))
    for node in list(body):
        if node is not final:
            body.remove(node)
    xml_part(d, RT.FONT_TABLE, "/word/fontTable.xml", CT.WML_FONT_TABLE, "w:fonts")
    for part in d.part.package.iter_parts():
        if isinstance(part, XmlPart):
            put_in_order(part.element)
            _repair_values(part.element)
    return d


_VALUES = {("w:lvlJc", "w:val"): {"start": "left", "end": "right"}}
"""Values the transitional schema does not allow, as LibreOffice writes them, and the
ones Word writes for the same thing (a list label at the start of a left-to-right line)."""
_DROPPED = (("w:charset", "w:characterSet"),)
"""Attributes LibreOffice writes with values outside the schema's list; optional."""


def _repair_values(root) -> None:
    for (tag, attr), mapping in _VALUES.items():
        for el in root.iter(qn(tag)):
            value = el.get(qn(attr))
            if value in mapping:
                el.set(qn(attr), mapping[value])
    for tag, attr in _DROPPED:
        for el in root.iter(qn(tag)):
            el.attrib.pop(qn(attr), None)


def drop_unused_parts(d) -> None:
    """Drop the parts nothing in the document uses any more (they would otherwise travel
    in every output): unreferenced images, hyperlinks and headers of the reference, its
    custom XML, comments, glossary, thumbnail, and python-docx's stylesWithEffects."""
    part = d.part
    named = {value for el in part.element.iter() for name, value in el.attrib.items()
             if name.startswith(f"{{{NAMESPACES['r']}}}")}
    for r_id, rel in list(part.rels.items()):
        if rel.reltype not in KEEP_DOCUMENT_RELS and r_id not in named:
            part.rels.pop(r_id)
    package_rels = part.package.rels
    for r_id, rel in list(package_rels.items()):
        if rel.reltype in DROP_PACKAGE_RELS or (
                rel.reltype.endswith("/metadata/core-properties") and
                rel.reltype != RT.CORE_PROPERTIES):
            # LibreOffice keeps python-docx's old, wrong core-properties type, which
            # python-docx no longer knows: it would add a second docProps/core.xml.
            package_rels.pop(r_id)
    settings = d.settings.element
    for tag in ("w:attachedTemplate", "w:mailMerge", "w:rsids"):
        # The reference's template on a file server, its mail-merge data source (Word would
        # ask to run its query) and its revision ids.
        for el in settings.findall(qn(tag)):
            settings.remove(el)
    settings_part = part.part_related_by(RT.SETTINGS)
    used = {value for el in settings.iter() for name, value in el.attrib.items()
            if name.startswith(f"{{{NAMESPACES['r']}}}")}
    for r_id in [r for r in settings_part.rels if r not in used]:
        settings_part.rels.pop(r_id)


def number_drawings(d) -> None:
    """Give every picture of the document, its headers and footers an id of its own
    (python-docx counts per part, so two headers' logos were both picture 1)."""
    n = 0
    for part in d.part.package.iter_parts():
        if isinstance(part, XmlPart):
            for pr in part.element.iter(qn("wp:docPr")):
                n += 1
                pr.set("id", str(n))


def set_compatibility(d) -> None:
    """Compatibility mode 15: Word 2013 and later lay the document out as their own."""
    settings = d.settings.element
    compat = child(settings, "w:compat")
    for setting in compat.findall(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")
            setting.set(qn("w:uri"), WORD)
            return
    insert_in_order(compat, element("w:compatSetting", name="compatibilityMode", uri=WORD,
                                    val="15"))


def set_document_ids(d) -> None:
    """Word's document ids (w14:docId, w15:docId), derived from the document's text so that
    two briefs never share one and the same brief always has the same."""
    digest = hashlib.sha256(d.element.xml.encode("utf-8")).hexdigest()
    settings = d.settings.element
    for el in settings.findall(clark("w14:docId")):
        el.set(clark("w14:val"), f"{int(digest[:8], 16) & 0x7FFFFFFF:08X}")
    for el in settings.findall(clark("w15:docId")):
        g = digest[8:40].upper()
        el.set(clark("w15:val"), f"{{{g[:8]}-{g[8:12]}-{g[12:16]}-{g[16:20]}-{g[20:32]}}}")


def xml_part(d, reltype: str, partname: str, content_type: str, root: str) -> XmlPart:
    """The document's part of a type, as XML (python-docx keeps some, such as the font
    table, as bytes), made with an empty `root` element when the document has none."""
    source = d.part
    for r_id, rel in list(source.rels.items()):
        if rel.reltype != reltype or rel.is_external:
            continue
        part = rel.target_part
        if isinstance(part, XmlPart):
            return part
        xml = XmlPart.load(part.partname, part.content_type, part.blob, part.package)
        for own_id, own in part.rels.items():
            xml.rels.add_relationship(own.reltype, own.target_ref if own.is_external
                                      else own.target_part, own_id, own.is_external)
        source.rels.pop(r_id)
        source.rels.add_relationship(reltype, xml, r_id)
        return xml
    xml = XmlPart(PackURI(partname), content_type, parse_xml(f"<{root} {nsdecls('w')}/>"),
                  source.package)
    source.relate_to(xml, reltype)
    return xml


def font_table(d, names: list[str], replace: bool) -> None:
    """The fonts the document names, in its font table (every other entry dropped when
    `replace`, as for python-docx's template, which lists fonts we never use)."""
    fonts = xml_part(d, RT.FONT_TABLE, "/word/fontTable.xml", CT.WML_FONT_TABLE,
                     "w:fonts").element
    if replace:
        for font in fonts.findall(qn("w:font")):
            fonts.remove(font)
    known = {f.get(qn("w:name")) for f in fonts.findall(qn("w:font"))}
    for name in dict.fromkeys(names):
        if name in known:
            continue
        font = insert_in_order(fonts, element("w:font", name=name))
        insert_in_order(font, element("w:charset", val="00"))
        insert_in_order(font, element("w:family", val="auto"))
        insert_in_order(font, element("w:pitch", val="variable"))


def body_counts(d) -> dict[str, int]:
    """Words, characters and paragraphs of the body, counted as Word counts them."""
    words = chars = spaced = paragraphs = 0
    for p in d.element.body.iter(qn("w:p")):
        text = "".join(t.text or "" for t in p.iter(qn("w:t")))
        if not text.strip():
            continue
        paragraphs += 1
        words += len(text.split())
        spaced += len(text)
        chars += len(re.sub(r"\s", "", text))
    return {"Words": words, "Characters": chars, "CharactersWithSpaces": spaced,
            "Paragraphs": paragraphs}


def app_version() -> str:
    """briefgen's version as app.xml wants it, XX.YYYY (0.1.0 -> 00.0100)."""
    parts = [int(x) for x in re.findall(r"\d+", __version__)[:3]] + [0, 0, 0]
    return f"{parts[0]:02d}.{parts[1]:02d}{parts[2]:02d}"


def set_properties(d, metadata, pages: int) -> None:
    """core.xml from the brief's metadata (no lastPrinted: nothing was printed) and
    app.xml naming briefgen, with the page count of the PDF layout and the word count."""
    props = d.core_properties
    core = props._element
    for el in list(core):
        core.remove(el)
    m = metadata
    props.title = m.title
    props.author = m.author or "briefgen"
    props.last_modified_by = "briefgen"
    if m.subject:
        props.subject = m.subject
    if m.keywords:
        props.keywords = ", ".join(m.keywords)
    props.language = m.language
    if m.classification:
        props.category = m.classification
    props.revision = 1
    props.created = props.modified = m.moment().replace(tzinfo=None)
    counts = body_counts(d)
    fields = [("Pages", pages), ("Words", counts["Words"]),
              ("Characters", counts["Characters"]), ("Application", "briefgen"),
              ("DocSecurity", 0), ("Paragraphs", counts["Paragraphs"]),
              ("ScaleCrop", "false"), ("LinksUpToDate", "false"),
              ("CharactersWithSpaces", counts["CharactersWithSpaces"]),
              ("SharedDoc", "false"), ("HyperlinksChanged", "false"),
              ("AppVersion", app_version())]
    xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="'
           'http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
           'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
           + "".join(f"<{k}>{escape(str(v))}</{k}>" for k, v in fields) + "</Properties>")
    package = d.part.package
    for r_id, rel in list(package.rels.items()):
        if rel.reltype.lower() == RT.EXTENDED_PROPERTIES.lower():
            package.rels.pop(r_id)
    part = Part(PackURI("/docProps/app.xml"), CT.OFC_EXTENDED_PROPERTIES,
                xml.encode("utf-8"), package)
    package.relate_to(part, RT.EXTENDED_PROPERTIES)


def save(d) -> bytes:
    """The package's bytes: its parts (as python-docx serialises them) in a ZIP whose every
    entry has the same fixed time (see `zip_entries`)."""
    from docx.opc.pkgwriter import PackageWriter

    class Collect:  # python-docx's physical writer, collecting instead of zipping
        def __init__(self):
            self.entries: list[tuple[str, bytes]] = []

        def write(self, pack_uri, blob):
            self.entries.append((pack_uri.membername, blob))

    package = d.part.package
    for part in package.parts:
        part.before_marshal()
    out = Collect()
    parts = list(package.parts)
    PackageWriter._write_content_types_stream(out, parts)
    PackageWriter._write_pkg_rels(out, package.rels)
    PackageWriter._write_parts(out, parts)
    return zip_entries(out.entries)


_DEFLATED: dict[bytes, bytes] = {}
_REMEMBERED = 16 * 1024
"""Parts at least this large (embedded faces, the prepared styles) have their compressed
bytes remembered, in the process and in the disk cache (`diskcache`, kind "deflated"):
a brief's faces and styles are mostly the same from one build to the next."""


def _deflate(data: bytes) -> bytes:
    """Raw deflate of a part, as zipfile writes it (zlib's default level)."""
    import zlib

    if len(data) < _REMEMBERED:
        return zlib.compress(data, -1, -15)
    digest = hashlib.sha256(data).digest()
    hit = _DEFLATED.get(digest)
    if hit is not None:
        return hit
    from . import diskcache

    name = digest.hex() + ".deflate"
    stored = diskcache.get("deflated", name)
    if stored is not None:
        try:  # used only when it gives back these very bytes
            if zlib.decompress(stored, -15) == data:
                hit = stored
        except zlib.error:
            pass
    if hit is None:
        hit = zlib.compress(data, -1, -15)
        diskcache.put("deflated", name, hit)
    if len(_DEFLATED) > 64:
        _DEFLATED.clear()
    _DEFLATED[digest] = hit
    return hit


def zip_entries(entries: list[tuple[str, bytes]]) -> bytes:
    """A ZIP of (name, data) entries, deflated, each with FIXED_TIME and mode 0644: the
    bytes Python's zipfile writes for them, without compressing a part twice."""
    import struct
    import zlib

    y, mo, day, h, mi, sec = FIXED_TIME
    dos_date = (y - 1980) << 9 | mo << 5 | day
    dos_time = h << 11 | mi << 5 | sec // 2
    out = io.BytesIO()
    central = []
    for name, data in entries:
        raw = name.encode("utf-8")
        flags = 0 if raw.isascii() else 0x800
        packed = _deflate(data)
        crc = zlib.crc32(data)
        offset = out.tell()
        out.write(struct.pack("<4s2B4HL2L2H", b"PK\003\004", 20, 0, flags, 8, dos_time,
                              dos_date, crc, len(packed), len(data), len(raw), 0))
        out.write(raw)
        out.write(packed)
        central.append(struct.pack("<4s4B4HL2L5H2L", b"PK\001\002", 20, 3, 20, 0, flags, 8,
                                   dos_time, dos_date, crc, len(packed), len(data), len(raw),
                                   0, 0, 0, 0, 0o644 << 16, offset) + raw)
    start = out.tell()
    for record in central:
        out.write(record)
    out.write(struct.pack("<4s4H2LH", b"PK\005\006", 0, 0, len(central), len(central),
                          out.tell() - start, start, 0))
    return out.getvalue()
