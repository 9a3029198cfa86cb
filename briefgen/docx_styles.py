"""DOCX styles and list numbering.

Every style the brief uses is a real, named Word style (Title, Heading 1, List Bullet,
Quote, a named table style...), set from the template: exact line spacing, the same
spacing, indents and sizes as the PDF, widow control on, no kerning. With these,
LibreOffice breaks lines and pages where reportlab does.

With a reference.docx, its styles win; a style briefgen needs and the reference lacks
(pandoc's has no List Bullet, Word's blank document no Heading 1, LibreOffice's names
"Heading 1" where Word writes "heading 1") is added from briefgen's own definition, and a
list style without numbering gets briefgen's bullets or numbers. Styles are found by name
as Word matches them (case and spacing aside), or by id; never by python-docx's name
lookup, which knows only Word's own spelling.
"""

from __future__ import annotations

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.parts.numbering import NumberingPart
from docx.shared import Pt, RGBColor
from docx.styles.style import StyleFactory

from .docx_xml import child, element, insert_in_order, set_child, twips
from .lists import list_geometry
from .templates import Style, Template

WORD_STYLES = {
    "body": "Normal",
    "title": "Title",
    "subtitle": "Subtitle",
    "meta": "Brief Meta",
    "heading1": "Heading 1",
    "heading2": "Heading 2",
    "bullet": "List Bullet",
    "number": "List Number",
    "quote": "Quote",
    "callout_label": "Bottom Line Label",
    "callout": "Bottom Line",
    "table_header": "Table Heading",
    "table_cell": "Table Text",
    "source": "Source Reference",
    "header": "Header",
    "footer": "Footer",
    "memo_label": "Memo Label",
    "memo_value": "Memo Value",
    "decision": "Decision",
}
"""Template style -> Word style. Custom names read well in Word's style pane."""
TABLE_STYLE = "Recommendations Table"
BOX_STYLE = "Bottom Line Box"
COLUMNS_STYLE = "Columns Table"
HYPERLINK = "Hyperlink"
LIST_STYLES = {"bullet": "List Bullet", "number": "List Number"}
BUILT_IN = {"Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "List Bullet",
            "List Number", "Quote", "Header", "Footer", HYPERLINK, "Normal Table"}
"""Word's own styles: written under Word's internal names, not marked custom."""
_INTERNAL = {"Heading 1": "heading 1", "Heading 2": "heading 2", "Header": "header",
             "Footer": "footer"}
_TYPES = {"paragraph": WD_STYLE_TYPE.PARAGRAPH, "character": WD_STYLE_TYPE.CHARACTER,
          "table": WD_STYLE_TYPE.TABLE}
_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
          "right": WD_ALIGN_PARAGRAPH.RIGHT}
_KEEP_WITH_NEXT = ("title", "subtitle", "heading1", "heading2", "callout_label")


def _norm(name: str) -> str:
    return " ".join(name.lower().split())


class StyleSheet:
    """The styles and list numbering of one document: briefgen's own, or a reference's
    with what it lacks added from briefgen's definitions."""

    def __init__(self, d, template: Template, reference: bool):
        self.d, self.t, self.reference = d, template, reference
        self.root = d.styles.element
        self._ids: dict[str, str] = {}
        self._indexed: tuple[int, dict] | None = None
        self.theirs = {_norm(n) for n in self.root.xpath("./w:style/w:name/@w:val")} \
            if reference else set()
        self.numbering = Numbering(d)

    # -- finding ---------------------------------------------------------------------------
    def find(self, name: str, kind: str = "paragraph"):
        """The style element Word would take for `name` (None when there is none): the
        first of the kind with that name, else the first with that id."""
        by_name, by_id = self._index(kind)
        found = by_name.get(_norm(name))
        return found if found is not None else by_id.get(name.replace(" ", ""))

    def _index(self, kind: str) -> tuple[dict, dict]:
        """The styles of a kind by normalised name and by id, first ones first; made again
        when a style has been added or removed since."""
        styles = self.root.findall(qn("w:style"))
        if self._indexed is None or self._indexed[0] != len(styles):
            name_tag, val, type_tag, id_tag = qn("w:name"), qn("w:val"), qn("w:type"), \
                qn("w:styleId")
            kinds: dict[str, tuple[dict, dict]] = {}
            for s in styles:
                by_name, by_id = kinds.setdefault(s.get(type_tag, "paragraph"), ({}, {}))
                found = s.find(name_tag)
                if found is not None:
                    by_name.setdefault(_norm(found.get(val, "")), s)
                by_id.setdefault(s.get(id_tag), s)
            self._indexed = (len(styles), kinds)
        return self._indexed[1].get(kind, ({}, {}))

    def default(self, kind: str):
        """The default style of a kind (w:default), as Word picks it: the last one."""
        found = [s for s in self.root.findall(qn("w:style"))
                 if s.get(qn("w:type"), "paragraph") == kind and
                 s.get(qn("w:default")) in ("1", "true", "on")]
        return found[-1] if found else None

    def ours(self, name: str) -> bool:
        """Whether briefgen styles this (not when a reference.docx defines it)."""
        return _norm(name) not in self.theirs

    def style_id(self, name: str, kind: str = "paragraph") -> str:
        """A style's id, looked up once."""
        key = f"{kind}:{name}"
        if key not in self._ids:
            found = self.find(name, kind)
            if found is None:
                raise KeyError(f"no {kind} style '{name}'")
            self._ids[key] = found.get(qn("w:styleId"))
        return self._ids[key]

    def list_num_id(self, kind: str) -> str:
        """The numbering instance of the List Bullet or List Number style."""
        style = self.find(LIST_STYLES[kind])
        ids = style.xpath("./w:pPr/w:numPr/w:numId/@w:val") if style is not None else []
        return ids[0] if ids else self.numbering.add_list(kind, self.t)

    # -- set-up ----------------------------------------------------------------------------
    def setup(self) -> None:
        """Give every style briefgen uses its definition: all of them for a document of
        our own, the missing ones for a reference."""
        if not self.reference:
            self._document_defaults()
            for rsid in self.root.iter(qn("w:rsid")):
                rsid.getparent().remove(rsid)
        else:
            self._drop_dangling()
        for key, name in WORD_STYLES.items():
            if key not in self.t.styles or not self.ours(name):
                continue
            style = self.find(name) if not self.reference else None
            if style is None:
                style = self.add(name, "paragraph")
            self.apply(style, self.t.styles[key], key)
        for kind, name in LIST_STYLES.items():
            style = self.find(name)
            if self.ours(name) or not self.numbering.resolves(style):
                # Our list definition; a reference's list style without numbering gets it.
                ppr = child(style, "w:pPr")
                num_pr = set_child(ppr, "w:numPr")
                set_child(num_pr, "w:numId", val=self.numbering.add_list(kind, self.t))
        for name in (TABLE_STYLE, BOX_STYLE, COLUMNS_STYLE):
            if self.ours(name):
                self.add(name, "table")
        if self.ours(TABLE_STYLE):
            table = self.find(TABLE_STYLE, "table")
            self.borders(child(table, "w:tblPr"), "w:tblBorders",
                         self.t.table_geometry.border,
                         self.t.colors.get("rule", "999999"),
                         ("top", "left", "bottom", "right", "insideH", "insideV"))
        if self.ours(HYPERLINK) and self.find(HYPERLINK, "character") is None:
            link = StyleFactory(self.add(HYPERLINK, "character"))
            link.font.color.rgb = RGBColor.from_string(self.t.colors.get("link", "1F4E8C"))
            link.font.underline = True

    def drop_table_styles(self) -> None:
        """python-docx's template defines 99 table styles (Light Shading to Colorful Grid,
        every accent) that no brief uses: nine tenths of its styles part, which every
        build would parse, search and write again. Word keeps them as latent styles, so
        its style gallery still offers them. The default table style stays (our tables
        are based on it). Done once, on python-docx's template, before any of ours is
        added (a book adds each template's styles to the same document)."""
        for style in self.root.findall(qn("w:style")):
            if style.get(qn("w:type")) == "table" and \
                    style.get(qn("w:default")) not in ("1", "true", "on"):
                self.root.remove(style)

    def _drop_dangling(self) -> None:
        """A reference's style based on, followed by or linked to a style it does not have
        (pandoc's "Table" is based on a missing "TableNormal") is taken as standing alone."""
        ids = set(self.root.xpath("./w:style/@w:styleId"))
        for tag in ("w:basedOn", "w:next", "w:link"):
            for el in self.root.iter(qn(tag)):
                if el.get(qn("w:val")) not in ids:
                    el.getparent().remove(el)

    def add(self, name: str, kind: str):
        """A new style based on the default of its kind, with an id no other style has."""
        builtin = name in BUILT_IN
        style = self.root.add_style_of_type(_INTERNAL.get(name, name), _TYPES[kind], builtin)
        ids = {s.get(qn("w:styleId")) for s in self.root.findall(qn("w:style"))
               if s is not style}
        base_id, n = style.get(qn("w:styleId")), 1
        while style.get(qn("w:styleId")) in ids:
            n += 1
            style.set(qn("w:styleId"), f"{base_id}{n}")
        base = self.default(kind)
        if base is not None and base is not style:
            insert_in_order(style, element("w:basedOn", val=base.get(qn("w:styleId"))))
        if kind == "paragraph":
            insert_in_order(style, element("w:qFormat"))
        return style

    def _document_defaults(self) -> None:
        """Our font everywhere, no theme fonts, no kerning, no paragraph defaults."""
        defaults = self.root.find(qn("w:docDefaults"))
        rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        for old in list(rpr):
            rpr.remove(old)
        self.fonts(rpr, self.t.fonts[self.t.styles["body"].font].docx)
        ppr_default = defaults.find(qn("w:pPrDefault"))
        if ppr_default is not None:
            defaults.remove(ppr_default)

    @staticmethod
    def fonts(rpr, name: str) -> None:
        """One font for every script of a run."""
        set_child(rpr, "w:rFonts", ascii=name, hAnsi=name, cs=name, eastAsia=name)

    def apply(self, el, s: Style, key: str) -> None:
        """Set a paragraph style from a template style."""
        for tag in ("w:pPr", "w:rPr"):
            for old in el.findall(qn(tag)):
                el.remove(old)
        style = StyleFactory(el)
        pf = style.paragraph_format
        pf.space_before, pf.space_after = Pt(s.space_before), Pt(s.space_after)
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(s.leading)
        pf.widow_control = True  # on in both formats: measured to break alike
        pf.alignment = _ALIGN[s.align]
        if key in _KEEP_WITH_NEXT:
            pf.keep_with_next = True
        if key.startswith("heading"):
            set_child(el.get_or_add_pPr(), "w:outlineLvl", val=int(key[-1]) - 1)
        if s.indent and key not in ("bullet", "number"):
            pf.left_indent = Pt(s.indent)
        rpr = el.get_or_add_rPr()
        self.fonts(rpr, self.t.font_for(s).docx)
        style.font.size = Pt(s.size)
        set_child(rpr, "w:szCs", val=int(round(s.size * 2)))
        style.font.bold, style.font.italic = s.bold, s.italic
        if s.bold:
            set_child(rpr, "w:bCs")
        if s.italic:
            set_child(rpr, "w:iCs")
        style.font.color.rgb = RGBColor.from_string(s.color)

    @staticmethod
    def borders(parent, tag: str, width: float, color: str, sides) -> None:
        """Single borders of a width (points) on the given sides of a table or cell."""
        borders = set_child(parent, tag)
        for side in sides:
            set_child(borders, f"w:{side}", val="single", sz=int(round(width * 8)), space=0,
                      color=color)


class Numbering:
    """The numbering part: briefgen's list definitions and restarted number lists."""

    def __init__(self, d):
        self.d = d
        self._el = None

    @property
    def el(self):
        """The w:numbering element, the part made when the document has none."""
        if self._el is None:
            try:
                part = self.d.part.part_related_by(RT.NUMBERING)
            except KeyError:
                part = NumberingPart(PackURI("/word/numbering.xml"), CT.WML_NUMBERING,
                                     parse_xml(f"<w:numbering {nsdecls('w')}/>"),
                                     self.d.part.package)
                self.d.part.relate_to(part, RT.NUMBERING)
            self._el = part.element
        return self._el

    def _next_id(self, tag: str, attr: str) -> int:
        ids = [int(v) for v in self.el.xpath(f"./w:{tag}/@w:{attr}") if v.lstrip("-").isdigit()]
        return max(ids, default=0) + 1

    def num(self, num_id: str):
        """The w:num of an id (None when there is none)."""
        for num in self.el.findall(qn("w:num")):
            if num.get(qn("w:numId")) == num_id:
                return num
        return None

    def resolves(self, style) -> bool:
        """Whether a style's numbering reaches a list definition with a level 0."""
        if style is None:
            return False
        ids = style.xpath("./w:pPr/w:numPr/w:numId/@w:val")
        num = self.num(ids[0]) if ids else None
        if num is None or num.find(qn("w:abstractNumId")) is None:
            return False
        abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
        return bool(self.el.xpath(f"./w:abstractNum[@w:abstractNumId='{abstract_id}']"
                                  "/w:lvl[@w:ilvl='0']"))

    def add_list(self, kind: str, template: Template) -> str:
        """A new list definition of briefgen's (bullets or numbers at the template's
        indents, the label upright whatever the paragraph), and its numbering id."""
        style_key = "bullet" if kind == "bullet" else "number"
        geometry = list_geometry(template, style_key, "•" if kind == "bullet" else "1.")
        abstract_id = str(self._next_id("abstractNum", "abstractNumId"))
        abstract = insert_in_order(self.el, element("w:abstractNum",
                                                    abstractNumId=abstract_id))
        insert_in_order(abstract, element("w:multiLevelType", val="singleLevel"))
        lvl = insert_in_order(abstract, element("w:lvl", ilvl=0))
        insert_in_order(lvl, element("w:start", val=1))
        insert_in_order(lvl, element("w:numFmt", val="bullet" if kind == "bullet" else
                                     "decimal"))
        insert_in_order(lvl, element("w:lvlText", val="•" if kind == "bullet" else "%1."))
        insert_in_order(lvl, element("w:lvlJc", val="left"))
        ppr = insert_in_order(lvl, element("w:pPr"))
        tabs = insert_in_order(ppr, element("w:tabs"))
        tabs.append(element("w:tab", val="num", pos=twips(geometry.text_indent)))
        insert_in_order(ppr, element("w:ind", left=twips(geometry.text_indent),
                                     hanging=twips(geometry.hanging)))
        rpr = insert_in_order(lvl, element("w:rPr"))
        for tag in ("w:b", "w:bCs", "w:i", "w:iCs"):
            insert_in_order(rpr, element(tag, val=0))
        return self._add_num(abstract_id)

    def _add_num(self, abstract_id: str, start: int | None = None) -> str:
        num_id = str(self._next_id("num", "numId"))
        num = insert_in_order(self.el, element("w:num", numId=num_id))
        insert_in_order(num, element("w:abstractNumId", val=abstract_id))
        if start is not None:
            override = insert_in_order(num, element("w:lvlOverride", ilvl=0))
            insert_in_order(override, element("w:startOverride", val=start))
        return num_id

    def restarted(self, num_id: str, start: int = 1) -> str:
        """A new instance of a numbered list, counting from `start`."""
        abstract = self.num(num_id).find(qn("w:abstractNumId")).get(qn("w:val"))
        return self._add_num(abstract, start)
