"""PDF pages: the page frame, and the canvas that draws each page's header, footer,
markings and logo once the page count is known."""

from __future__ import annotations

import datetime

from . import engine  # noqa: F401  (first: it prepares reportlab)
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame, Paragraph

from . import doc
from .pdf_fonts import font_name
from .pdf_text import RtlParagraph, markup, paragraph_style
from .scripts import has_arabic, is_rtl
from .templates import Style, Template, fill

def canvas_class(template: Template, document: doc.Document):
    """A canvas that draws the header, the footer and the logo once the page count is
    known. Text that holds {classification} is a marking and is drawn in the header style
    at the top and at the bottom alike."""
    w, h = template.page_size
    m = template.margins
    values = document.metadata.values()
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
            super().__init__(*args, **kwargs)
            self._doc._timeStamp = TimeStamp(document.metadata.moment())
            self._pages = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _slot_paragraph(self, text: str, st: Style, position: str, baseline: float):
            runs = (doc.Run(text),)
            rtl = is_rtl(text)
            style = paragraph_style(st, template, alignment={
                "left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}[position],
                shaping=1 if has_arabic(text) else 0)
            p = (RtlParagraph if rtl else Paragraph)(
                markup(runs, template, rtl, template.font_for(st), st), style)
            width = w - m["left"] - m["right"]
            p.wrap(width, 1000)
            p.drawOn(self, m["left"], baseline - (style.leading - style.fontSize))

        def _decorate(self, total: int):
            page_values = dict(values, page=str(self._pageNumber), pages=str(total))
            for slots, style, y in lines:
                for position, text in slots.items():
                    if position == "left" and template.logo and slots is template.header:
                        continue  # the logo takes the header's left
                    st = header_style if "{classification}" in text else style
                    shown = fill(text, page_values)
                    if _needs_paragraph(shown, template, st):
                        self._slot_paragraph(shown, st, position, y)
                        continue
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
            if template.logo:
                logo = template.logo
                self.drawImage(str(logo.path), m["left"], h - m["header"] - logo.height,
                               width=logo.width, height=logo.height,
                               preserveAspectRatio=True, anchor="sw", mask="auto")

    return BriefCanvas


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
