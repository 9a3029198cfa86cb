"""PDF pages: the page frame, and the canvas that draws each page's header, footer,
markings and logo once the page count is known, marked as page furniture (artifacts) but
for the first page's logo (its /Figure) and marking (read once, see doc.Marking). The
canvas also puts bookmarks on the page that shows their heading and finishes the tagged
PDF (`pdf_tags`, `pdf_meta`)."""

from __future__ import annotations

import datetime

from . import engine  # noqa: F401  (first: it prepares reportlab)
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFObjectReference
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame

from . import doc, pdf_meta
from .pdf_fonts import font_name
from .pdf_tags import Tagger
from .pdf_text import markup, paragraph_class, paragraph_style
from .scripts import has_arabic, is_rtl
from .templates import Style, Template, fill

def canvas_class(template: Template, document: doc.Document, tagger: Tagger | None = None,
                 pdf_standard: str | None = None):
    """A canvas that draws the header, the footer and the logo once the page count is
    known. Text that holds {classification} is a marking and is drawn in the header style
    at the top and at the bottom alike. With a tagger, the PDF is tagged."""
    w, h = template.page_size
    m = template.margins
    values = document.metadata.values()
    rtl_page = document.metadata.direction == "rtl"
    # A right-to-left page swaps the left and right slots (and the logo goes right).
    swap = {"left": "right", "right": "left"} if rtl_page else {}
    header_style, footer_style = template.styles["header"], template.styles["footer"]
    lines = [(slots, style, y)
             for slots, style, y in ((template.header, header_style,
                                      h - m["header"] - header_style.size),
                                     (template.footer, footer_style, m["footer"]))]

    def _fitting_size(text: str, face: str, size: float, room: float) -> float:
        """The font size at which a header or footer text fits its third of the line
        (down to 60%), so that slots never print over each other."""
        width = pdfmetrics.stringWidth(text, face, size)
        return size if width <= room else max(size * 0.6, size * room / width)

    def _needs_paragraph(text: str, t: Template, st: Style) -> bool:
        """Text with Arabic script or characters the style's font lacks is set as a small
        paragraph (fonts per stretch, right-to-left order) instead of a plain string."""
        if has_arabic(text):
            return True
        cmap = pdfmetrics.getFont(font_name(t.font_for(st))).face.charToGlyph
        return any(ord(ch) not in cmap for ch in text if not ch.isspace())

    class BriefCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            # Without an initial font, every page names unembedded Helvetica.
            kwargs["initialFontName"] = font_name(template.font_for(footer_style))
            kwargs["initialFontSize"] = footer_style.size
            if tagger is not None:
                kwargs["pdfVersion"] = (1, 7)  # PDF/UA-1 and PDF/A-2 are PDF 1.7
            super().__init__(*args, **kwargs)
            self._doc._timeStamp = TimeStamp(document.metadata.moment())
            self._pages = []
            self.tagger = tagger
            # Right-to-left list items mark their label inline (pdf_text.LABEL_MARK).
            self.setNamedCB("label", _toggle_label)

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                # Page furniture is painted first: the marking and logo that are read
                # first are painted first too.
                body, self._code = self._code, []
                self._decorate(total)
                self._code = ["q"] + self._code + ["Q"] + body
                super().showPage()
            if tagger is not None:
                tagger.finish(self)
                pdf_meta.write(self, document.metadata, pdf_standard)
            super().save()

        def bookmarkPage(self, key, *args, **kwargs):
            # reportlab binds a destination to the page the document has written last;
            # pages here are written at the end (their page count is then known).
            dest = super().bookmarkPage(key, *args, **kwargs)
            dest.setPage(PDFObjectReference(f"Page{self._pageNumber}"))
            return dest

        def _furniture(self, kind: str, read: doc.Front | None = None) -> str:
            """Start page furniture: the first page's marking or logo is tagged content
            (read once), everything else an artifact. Returns what ends it."""
            if tagger is None:
                return ""
            element = tagger.front.get(type(read)) if read is not None else None
            if element is not None and self._reads_front() and not tagger.artifact:
                self._code.append(tagger.mark(element, self._pageNumber))
                return "EMC"
            self._code.append(tagger.begin_artifact(kind))
            return tagger.end_artifact()

        def _slot_paragraph(self, text: str, st: Style, position: str, baseline: float,
                            tag=None):
            runs = (doc.Run(text),)
            rtl = rtl_page or is_rtl(text)
            style = paragraph_style(st, template, alignment={
                "left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}[position],
                shaping=1 if has_arabic(text) else 0)
            p = paragraph_class(text, rtl)(
                markup(runs, template, rtl, template.font_for(st), st), style)
            p.tag = tag
            width = w - m["left"] - m["right"]
            p.wrap(width, 1000)
            p.drawOn(self, m["left"], baseline - (style.leading - style.fontSize))

        def _page_numbers(self, total: int) -> dict[str, str]:
            """The page placeholders' values on this page (a book numbers its own)."""
            return {"page": str(self._pageNumber), "pages": str(total)}

        def _reads_front(self) -> bool:
            """Whether this page's marking and logo are read (tagged, not furniture)."""
            return self._pageNumber == 1

        def _decorate(self, total: int):
            page_values = dict(values, **self._page_numbers(total))
            marking = next((f for f in document.front if isinstance(f, doc.Marking)), None)
            if template.logo:
                logo = template.logo
                figure = next((f for f in document.front if isinstance(f, doc.Figure)), None)
                x, y = (w - m["right"] - logo.width if rtl_page else m["left"]), \
                    h - m["header"] - logo.height
                element = tagger.front.get(doc.Figure) if tagger else None
                if element is not None:
                    element.attrs = {"O": "/Layout", "Placement": "/Block",
                                     "BBox": [round(x, 2), round(y, 2), round(x + logo.width, 2),
                                              round(y + logo.height, 2)]}
                end = self._furniture("Header", figure)
                self.drawImage(str(logo.path), x, y, width=logo.width, height=logo.height,
                               preserveAspectRatio=True, anchor="sw", mask="auto")
                self._code.append(end)
            for slots, style, y in lines:
                kind = "Header" if slots is template.header else "Footer"
                for position, text in slots.items():
                    if position == "left" and template.logo and slots is template.header:
                        continue  # the logo takes the header's left
                    position = swap.get(position, position)
                    st = header_style if "{classification}" in text else style
                    shown = fill(text, page_values)
                    read = marking if marking is not None and "{classification}" in text \
                        else None
                    if read is not None:
                        marking = None  # read once: the first marking of the page
                    if _needs_paragraph(shown, template, st) or rtl_page:
                        tag = tagger.front.get(doc.Marking) if (
                            tagger and read and self._reads_front()) else None
                        end = "" if tag is not None else self._furniture(kind)
                        self._slot_paragraph(shown, st, position, y, tag)
                        self._code.append(end)
                        continue
                    end = self._furniture(kind, read)
                    self.setFillColor(colors.HexColor("#" + st.color))
                    face = font_name(template.font_for(st), st.bold, st.italic)
                    room = (w - m["left"] - m["right"]) / (1 if len(slots.items()) == 1 else 3)
                    size = _fitting_size(shown, face, st.size, room - 4)
                    self.setFont(face, size)
                    if position == "left":
                        self.drawString(m["left"], y, shown)
                    elif position == "center":
                        self.drawCentredString(w / 2, y, shown)
                    else:
                        self.drawRightString(w - m["right"], y, shown)
                    self._code.append(end)

    return BriefCanvas


def _toggle_label(canvas, kind, label) -> None:
    """The onDraw callback of pdf_text.LABEL_MARK: tell the text object being drawn."""
    toggle = getattr(canvas._curr_tx_info["tx"], "toggle_label", None)
    if toggle is not None:
        toggle()


class TimeStamp:
    """reportlab's TimeStamp for a given moment: the PDF's /CreationDate and /ModDate."""

    def __init__(self, moment):
        self.t = moment.timestamp()
        self.lt = moment.timetuple()
        self.YMDhms = tuple(self.lt)[:6]
        self.dhh = self.dmm = 0
        self.tzname = "UTC"

    @property
    def datetime(self):
        return datetime.datetime.fromtimestamp(self.t, datetime.timezone.utc)


def page_frame(template: Template, reserve: float = 0.0) -> Frame:
    """The text frame: the page less its margins, with no padding (see module docstring).
    `reserve` points are kept free at the foot of every page."""
    w, h = template.page_size
    m = template.margins
    return Frame(m["left"], m["bottom"] + reserve, w - m["left"] - m["right"],
                 h - m["top"] - m["bottom"] - reserve,
                 leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
