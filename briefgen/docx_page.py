"""DOCX pages: the page set-up, and the header and footer of every page.

A header or footer part is shared by the pages of its variant: the first page (when the
section has a different first page), even pages (when the document has even and odd
headers) and the rest. Each variant caches in its PAGE field the number of the first page
it is shown on, and every NUMPAGES field the page count, so a reader that does not update
fields still shows "Page 1 of 3" on page 1 and "Page 2 of 3" on page 2. A brief of two
pages or more has a first-page variant for that reason.

The classification marking is at the top and the bottom of every page in every variant. A
reference.docx keeps its own header and footer content (placeholders filled in); a
variant that lacks the marking gets it as a line of its own beside that content, and an
empty variant gets the template's header or footer.
"""

from __future__ import annotations

import copy

from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor, Twips

from . import doc
from .docx_xml import element, insert_in_order
from .templates import Template, fill_parts, placeholder_problems

_CONTENT = ("w:drawing", "w:pict", "w:tbl", "w:fldSimple", "w:instrText", "w:object")


def setup_page(section, template: Template) -> None:
    """The template's page size and margins."""
    w, h = template.page_size
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Twips(round(w * 20)), Twips(round(h * 20))
    tw = {k: Twips(round(v * 20)) for k, v in template.margins.items()}
    section.top_margin, section.bottom_margin = tw["top"], tw["bottom"]
    section.left_margin, section.right_margin = tw["left"], tw["right"]
    section.header_distance, section.footer_distance = tw["header"], tw["footer"]


def complete_page(section, template: Template) -> None:
    """A reference's page set-up, with the template's page size or margins where it sets
    none (pandoc's reference.docx sets neither)."""
    if section.page_width is None or section.page_height is None:
        w, h = template.page_size
        section.page_width, section.page_height = Twips(round(w * 20)), Twips(round(h * 20))
    m = {k: Twips(round(v * 20)) for k, v in template.margins.items()}
    for side in ("top", "bottom", "left", "right"):
        if getattr(section, f"{side}_margin") is None:
            setattr(section, f"{side}_margin", m[side])
    if section.header_distance is None:
        section.header_distance = m["header"]
    if section.footer_distance is None:
        section.footer_distance = m["footer"]


def first_page_of(variant: str, title_page: bool, even_and_odd: bool) -> int:
    """The number of the first page on which a header/footer variant is shown."""
    if variant == "first":
        return 1
    if variant == "even":
        return 2
    n = 2 if title_page else 1
    return n + 1 if even_and_odd and n % 2 == 0 else n


def update_page_fields(root, page: int, pages: int) -> None:
    """Set the shown result of every PAGE and NUMPAGES field under `root` to the page number
    and the page count (simple fields and fields of field characters alike)."""
    values = {"PAGE": str(page), "NUMPAGES": str(pages)}

    def show(texts, instruction: str) -> None:
        name = (instruction.split() or [""])[0].upper()
        if name in values and texts:
            texts[0].text = values[name]
            for t in texts[1:]:
                t.text = ""

    for simple in root.iter(qn("w:fldSimple")):
        show(list(simple.iter(qn("w:t"))), simple.get(qn("w:instr"), ""))
    stack: list[dict] = []
    for el in root.iter(qn("w:fldChar"), qn("w:instrText"), qn("w:t")):
        if el.tag == qn("w:fldChar"):
            kind = el.get(qn("w:fldCharType"))
            if kind == "begin":
                stack.append({"instruction": "", "texts": [], "result": False})
            elif kind == "separate" and stack:
                stack[-1]["result"] = True
            elif kind == "end" and stack:
                done = stack.pop()
                show(done["texts"], done["instruction"])
        elif stack and el.tag == qn("w:instrText") and not stack[-1]["result"]:
            stack[-1]["instruction"] += el.text or ""
        elif stack and el.tag == qn("w:t") and stack[-1]["result"]:
            stack[-1]["texts"].append(el)


class PageFurniture:
    """Writes the header and footer of every page variant of a document."""

    def __init__(self, writer, pages: int):
        self.w, self.t, self.pages = writer, writer.t, pages
        self.values = writer.meta.values()
        self.marking = self.values.get("classification", "")

    def write(self) -> None:
        """Every variant's header and footer, with their page fields' results."""
        d = self.w.d
        section = d.sections[0]
        if not self.w.reference and self.pages >= 2:
            section.different_first_page_header_footer = True
        title_page = section.different_first_page_header_footer
        even_and_odd = self.w.reference and d.settings.odd_and_even_pages_header_footer
        variants = [("default", section.header, section.footer)]
        if title_page:
            variants.append(("first", section.first_page_header, section.first_page_footer))
        if even_and_odd:
            variants.append(("even", section.even_page_header, section.even_page_footer))
        for variant, header, footer in variants:
            page = first_page_of(variant, title_page, even_and_odd)
            for part, key in ((header, "header"), (footer, "footer")):
                root = part._element
                if self.w.reference and _has_content(root):
                    self._theirs(part, key, page)
                else:
                    self._ours(part, key, page)
                update_page_fields(root, page, self.pages)

    # -- the template's header and footer -----------------------------------------------------
    def _ours(self, part, key: str, page: int) -> None:
        root = part._element
        for block in list(root):
            root.remove(block)
        p = part.add_paragraph()
        self.w.set_style(p, key)
        if self.w.rtl:  # from the right: the left slot shows at the right, and so on
            insert_in_order(p._p.get_or_add_pPr(), element("w:bidi"))
        width = self.w.text_width
        tabs = p.paragraph_format.tab_stops
        tabs.add_tab_stop(Pt(width / 2), WD_TAB_ALIGNMENT.CENTER)
        tabs.add_tab_stop(Pt(width), WD_TAB_ALIGNMENT.RIGHT)
        slots = self.t.header if key == "header" else self.t.footer
        texts = {"left": slots.left, "center": slots.center, "right": slots.right}
        for position in ("left", "center", "right"):
            if position != "left":
                p.add_run("\t")
            if position == "left" and key == "header" and self.t.logo:
                self._logo(p)
                continue
            text = texts[position]
            self._slot(p, text, page, "{classification}" in text and key == "footer")

    def _slot(self, p, text: str, page: int, marking: bool) -> None:
        """One slot's text, its placeholders filled, page numbers as fields."""
        for kind, value in fill_parts(text, self.values):
            if kind == "field":
                self._field(p, value, page)
            else:
                self._text(p, value, marking)

    def _text(self, p, value: str, marking: bool) -> None:
        before = len(p.runs)
        # As in the body: Urdu and Arabic stretches as complex-script runs.
        self.w.runs(p, (doc.Run(value),))
        if marking:
            for run in p.runs[before:]:
                self._marking(run)

    def _logo(self, p) -> None:
        logo = self.t.logo
        # An exact line height would clip the picture to one line of text.
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
        p.paragraph_format.line_spacing = Pt(self.t.styles["header"].leading)
        run = p.add_run()
        run.add_picture(str(logo.path), width=Pt(logo.width), height=Pt(logo.height))
        for pr in run._r.iter(qn("wp:docPr")):
            pr.set("descr", logo.alt)
            pr.set("title", logo.alt)

    def _marking(self, run) -> None:
        """A classification marking in the footer looks like the one in the header."""
        s = self.t.styles["header"]
        run.bold = s.bold
        run.font.color.rgb = RGBColor.from_string(s.color)
        run.font.size = Pt(s.size)

    def _field(self, p, instruction: str, page: int, rpr=None) -> None:
        """A PAGE or NUMPAGES field showing its value for the variant's first page."""
        shown = str(page if instruction == "PAGE" else self.pages)
        for kind in ("begin", "instruction", "separate", "result", "end"):
            run = p.add_run(shown if kind == "result" else None)
            if rpr is not None:
                insert_in_order(run._r, copy.deepcopy(rpr))
            if kind == "instruction":
                instr = insert_in_order(run._r, element("w:instrText"))
                instr.set(qn("xml:space"), "preserve")
                instr.text = f" {instruction} "
            elif kind != "result":
                insert_in_order(run._r, element("w:fldChar", fldCharType=kind))

    # -- a reference's own header and footer -----------------------------------------------------
    def _theirs(self, part, key: str, page: int) -> None:
        """Fill {title}, {classification}, {page}... in a reference's header or footer,
        keeping its design, and add the marking when it does not show it."""
        paragraphs = list(part.paragraphs)
        for table in part.tables:
            paragraphs += [p for cell in table._cells for p in cell.paragraphs]
        for p in paragraphs:
            text = p.text
            if "{" not in text or placeholder_problems(text):
                continue
            runs = p.runs
            rpr = runs[0]._r.rPr if runs else None
            for r in runs:
                r._r.getparent().remove(r._r)
            for kind, value in fill_parts(text, self.values):
                if kind == "field":
                    self._field(p, value, page, rpr)
                    continue
                run = p.add_run(value)
                if rpr is not None:
                    insert_in_order(run._r, copy.deepcopy(rpr))
        shown = "".join(t.text or "" for t in part._element.iter(qn("w:t")))
        if not self.marking or self.marking in shown:
            return
        p = part.add_paragraph()
        self.w.set_style(p, key)
        p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._marking(p.add_run(self.marking))
        if key == "header":  # the marking is the first line at the top, the last at the foot
            part._element.insert(0, p._p)


def _has_content(root) -> bool:
    """Whether a header or footer shows anything: text, a picture, a table, a field."""
    if any((t.text or "").strip() for t in root.iter(qn("w:t"))):
        return True
    return any(True for tag in _CONTENT for _ in root.iter(qn(tag)))
