"""PDF metadata and conformance: the XMP packet (dc:title, the PDF/UA and PDF/A
identification), the catalog's /MarkInfo, /ViewerPreferences and, for PDF/A-2a, an sRGB
output intent. Written with reportlab's own PDF objects; the values repeat the document
information dictionary's, as PDF/A requires."""

from __future__ import annotations

import datetime

from . import engine  # noqa: F401  (first: it prepares reportlab)
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream, PDFString

from . import doc
from .xmltext import escape

PRODUCER = "briefgen"

_PDFUA_EXTENSION = """
  <rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
   <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
    <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
    <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
    <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
    <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
     <pdfaProperty:name>part</pdfaProperty:name>
     <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
     <pdfaProperty:category>internal</pdfaProperty:category>
     <pdfaProperty:description>Part of ISO 14289 the file conforms to</pdfaProperty:description>
    </rdf:li></rdf:Seq></pdfaSchema:property>
   </rdf:li></rdf:Bag></pdfaExtension:schemas>
  </rdf:Description>"""


def _date(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def xmp(meta: doc.Metadata, standard: str) -> bytes:
    """The XMP packet: the document information dictionary's values, the language, and
    pdfuaid:part 1 (with pdfaid:part 2 and conformance A for PDF/A-2a)."""
    text = escape

    when = _date(meta.moment())
    keywords = ", ".join(meta.keywords)
    pdfa = standard == "a-2a"
    packet = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{text(meta.title)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{text(meta.author)}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{text(meta.subject)}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>{text(meta.language)}</rdf:li></rdf:Bag></dc:language>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <pdf:Producer>{PRODUCER}</pdf:Producer>
   <pdf:Keywords>{text(keywords)}</pdf:Keywords>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
   <xmp:CreatorTool>{PRODUCER}</xmp:CreatorTool>
   <xmp:CreateDate>{when}</xmp:CreateDate>
   <xmp:ModifyDate>{when}</xmp:ModifyDate>
   <xmp:MetadataDate>{when}</xmp:MetadataDate>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   <pdfuaid:part>1</pdfuaid:part>
  </rdf:Description>"""
    if pdfa:
        packet += """
  <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>A</pdfaid:conformance>
  </rdf:Description>""" + _PDFUA_EXTENSION
    packet += """
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return packet.encode("utf-8")


def srgb_profile(moment: datetime.datetime) -> bytes:
    """An sRGB ICC profile (LittleCMS's, through Pillow), dated `moment` so that the same
    input gives the same bytes."""
    from PIL import ImageCms

    data = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    m = moment.astimezone(datetime.timezone.utc)
    for offset, value in zip(range(24, 36, 2), (m.year, m.month, m.day, m.hour, m.minute,
                                                m.second)):
        data[offset:offset + 2] = value.to_bytes(2, "big")
    return bytes(data)


def write(canvas, meta: doc.Metadata, standard: str | None) -> None:
    """Put the metadata stream, /MarkInfo, /ViewerPreferences (the title shown, not the file
    name) and, for PDF/A-2a, the output intent into the canvas's PDF document."""
    standard = standard or "ua-1"
    pdf = canvas._doc
    # Not compressed: readable by tools that do not parse PDF.
    pdf.Catalog.Metadata = PDFStream(PDFDictionary({"Type": PDFName("Metadata"),
                                                    "Subtype": PDFName("XML")}),
                                     xmp(meta, standard))
    canvas.setViewerPreference("DisplayDocTitle", "true")
    if standard == "a-2a":
        profile = PDFStream(PDFDictionary({"N": 3}), srgb_profile(meta.moment()))
        from reportlab.pdfbase.pdfdoc import PDFZCompress

        profile.filters = [PDFZCompress]
        pdf.Catalog.OutputIntents = PDFArray([PDFDictionary({
            "Type": PDFName("OutputIntent"), "S": PDFName("GTS_PDFA1"),
            "OutputConditionIdentifier": PDFString("sRGB IEC61966-2.1"),
            "Info": PDFString("sRGB IEC61966-2.1"),
            "DestOutputProfile": profile})])
