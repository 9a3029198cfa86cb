"""Tagged PDF: structure elements, marked content, and the objects that write them.

The renderer gives every flowable the structure element it draws, made from the document
tree's node types (heading level, list, table header, figure with its alt text, marking);
nothing is inferred from the laid-out page. While pages are drawn, this module:

- marks each paragraph's text with an MCID of its element (a paragraph split over two
  pages is one element with two marked-content references);
- switches to a /Link element (with the annotation as an OBJR) where a link's text begins;
- wraps each shaped Arabic-script word in a /Span with /ActualText (its letters in
  logical order: search, copy and screen readers get the words as typed) and every passage
  in another script than the brief's in a /Span with /Lang;
- turns table backgrounds, grid lines, rules and header rows repeated on a continuation
  page into artifacts (page furniture is marked by `pdf_page`).

At the end `Tagger.finish` writes the structure tree, the parent tree, /StructParents and
/Tabs with reportlab's own PDF objects. Several briefs in one document (a book) are
sections of one tree: `Tagger.section` starts one, and its elements attach to it.
"""

from __future__ import annotations

import unicodedata
from collections import deque

from . import engine  # noqa: F401  (first: it prepares reportlab)
from reportlab.pdfbase.pdfdoc import (PDFArray, PDFDictionary, PDFName, PDFObjectReference,
                                      PDFString)
from reportlab.pdfbase.ttfonts import ShapedStr
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Table

from . import doc
from .engine import SHAPED_FONTS
from .scripts import script_stretches


class Element:
    """A structure element: its role (a standard structure type), its parent, and its
    kids in reading order: elements, marked content (page, MCID) and annotations."""

    __slots__ = ("role", "parent", "kids", "attrs", "alt", "lang", "links", "attached")

    def __init__(self, role: str, parent: Element | None = None, *, attrs: dict | None = None,
                 alt: str | None = None, lang: str | None = None):
        self.role, self.parent, self.kids = role, parent, []
        self.attrs, self.alt, self.lang = attrs, alt, lang
        self.links: dict | None = None
        self.attached = False
        if parent is not None:
            parent.kids.append(self)

    def child(self, role: str, **kw) -> Element:
        """A new element at the end of this one's kids."""
        return Element(role, self, **kw)


class _Annotation:
    """An annotation as a kid of its element (an OBJR)."""

    __slots__ = ("page", "ref")

    def __init__(self, page: int, ref):
        self.page, self.ref = page, ref


TABLE_HEADER = {"O": "/Table", "Scope": "/Column"}
"""The attributes of a column header cell."""


def list_element(numbered: bool, parent: Element | None = None) -> Element:
    """An /L element that says how its labels number."""
    return Element("L", parent, attrs={"O": "/List",
                                       "ListNumbering": "/Decimal" if numbered else "/Disc"})


def list_item(parent: Element) -> tuple[Element, Element]:
    """A /LI in a list: its (label, body) elements."""
    item = parent.child("LI")
    return item.child("Lbl"), item.child("LBody")


class Tagger:
    """The structure tree of one PDF while it is drawn, and its marked content."""

    def __init__(self, document: doc.Document):
        self.root = Element("Document")
        self.root.attached = True
        self.container = self.root
        self.lang = document.metadata.language
        self.languages = dict(document.metadata.scripts)
        """The /Lang of passages in each other script."""
        self.mcids: dict[int, list[Element]] = {}
        self.annotations: list[Element] = []
        self.current = None   # the paragraph being drawn
        self._labelled = False
        self._artifacts: list[str] = []
        self.front: dict[type, Element] = {}
        for item in document.front:
            if isinstance(item, doc.Figure):
                self.front[doc.Figure] = self.root.child("Figure", alt=item.alt)
            else:
                self.front[doc.Marking] = self.root.child("P")
        for el in self.front.values():
            el.attached = True

    def section(self, role: str = "Sect") -> Element:
        """Start a section (a brief of a book): the elements drawn next belong to it."""
        self.container = Element(role, self.root)
        return self.container

    @property
    def artifact(self) -> bool:
        """Whether what is drawn now is page furniture."""
        return bool(self._artifacts)

    def attach(self, element: Element) -> None:
        """Put an element's top-level ancestor into the tree, after what is there (the
        renderer makes elements for blocks that are measured but never drawn)."""
        top = element
        while top.parent is not None:
            top = top.parent
        if not top.attached:
            top.attached = True
            top.parent = self.container
            self.container.kids.append(top)

    def mark(self, element: Element, page: int) -> str:
        """The BDC operator that starts content of an element on a page (a new MCID)."""
        self.attach(element)
        ids = self.mcids.setdefault(page, [])
        element.kids.append((page, len(ids)))
        ids.append(element)
        return f"/{element.role} <</MCID {len(ids) - 1}>> BDC"

    def begin_artifact(self, kind: str = "") -> str:
        """The operator that starts page furniture (`kind`: Header, Footer or a layout
        artifact); nested artifacts are one."""
        op = ""
        if not self._artifacts:
            op = (f"/Artifact <</Type /Pagination /Subtype /{kind}>> BDC" if kind
                  else "/Artifact BMC")
        self._artifacts.append(op)
        return op

    def end_artifact(self) -> str:
        """The operator that ends what `begin_artifact` started."""
        return "EMC" if self._artifacts.pop() else ""

    def begin_label(self, canvas) -> None:
        """Mark a list item's bullet or number, drawn before its text, as its /Lbl."""
        label = getattr(self.current, "label", None)
        self._labelled = label is not None and not self.artifact
        if self._labelled:
            canvas._code.append(self.mark(label, canvas._pageNumber))

    def end_label(self, canvas) -> None:
        """End what `begin_label` started."""
        if self._labelled:
            canvas._code.append("EMC")
            self._labelled = False

    def annotation(self, element: Element) -> int:
        """The /StructParent key of an annotation of an element; call `annotated` once the
        annotation is made."""
        self.annotations.append(element)
        return len(self.annotations) - 1

    def annotated(self, element: Element, canvas) -> None:
        """Add the canvas's last annotation to an element (its OBJR)."""
        ref = canvas._doc.refAnnotation(f"NUMBER{canvas._annotationCount}")
        element.kids.append(_Annotation(canvas._pageNumber, ref))

    def finish(self, canvas) -> None:
        """Write the structure tree, the parent tree and the pages' /StructParents and
        /Tabs into the canvas's PDF document."""
        pdf = canvas._doc
        order: list[Element] = []
        stack = [self.root]
        while stack:  # depth first, in reading order: object numbers follow it
            el = stack.pop()
            order.append(el)
            stack.extend(k for k in reversed(el.kids) if isinstance(k, Element))
        names = {id(el): f"StructElem{n}" for n, el in enumerate(order)}
        root = PDFObjectReference("StructTreeRoot")

        def ref(el: Element):
            return PDFObjectReference(names[id(el)])

        def page(n: int):
            return PDFObjectReference(f"Page{n}")

        homes: dict[int, int | None] = {}
        for el in reversed(order):  # kids before parents
            own = next((k[0] if isinstance(k, tuple) else k.page for k in el.kids
                        if not isinstance(k, Element)), None)
            homes[id(el)] = own if own is not None else next(
                (homes[id(k)] for k in el.kids
                 if isinstance(k, Element) and homes[id(k)] is not None), None)
        keys_before_pages = len(self.annotations)
        tree = PDFDictionary({"Type": PDFName("StructTreeRoot"), "K": ref(self.root)})
        pdf.Reference(tree, "StructTreeRoot")
        for el in order:
            home = homes[id(el)]  # the page of its (first) content
            kids = []
            for k in el.kids:
                if isinstance(k, Element):
                    kids.append(ref(k))
                elif isinstance(k, tuple):
                    kids.append(k[1] if k[0] == home else PDFDictionary(
                        {"Type": PDFName("MCR"), "Pg": page(k[0]), "MCID": k[1]}))
                else:
                    kids.append(PDFDictionary({"Type": PDFName("OBJR"), "Obj": k.ref,
                                               "Pg": page(k.page)}))
            d = {"Type": PDFName("StructElem"), "S": PDFName(el.role),
                 "P": ref(el.parent) if el.parent is not None else root}
            if kids:
                d["K"] = kids[0] if len(kids) == 1 else PDFArray(kids)
            if home is not None:
                d["Pg"] = page(home)
            if el.alt:
                d["Alt"] = PDFString(el.alt)
            if el.lang:
                d["Lang"] = PDFString(el.lang)
            if el.attrs:
                d["A"] = PDFDictionary({k: PDFArray(v) if isinstance(v, (list, tuple)) else v
                                        for k, v in el.attrs.items()})
            pdf.Reference(PDFDictionary(d), names[id(el)])
        nums: list = []
        for key, el in enumerate(self.annotations):
            nums += [key, ref(el)]
        for n, pdf_page in enumerate(pdf.Pages.pages, 1):
            ids = self.mcids.get(n)
            if ids:
                pdf_page.StructParents = keys_before_pages + n - 1
                nums += [keys_before_pages + n - 1, PDFArray([ref(el) for el in ids])]
            if pdf_page.Annots:
                pdf_page.Tabs = PDFName("S")
        tree["ParentTree"] = pdf.Reference(PDFDictionary({"Nums": PDFArray(nums)}))
        tree["ParentTreeNextKey"] = keys_before_pages + len(pdf.Pages.pages)
        pdf.Catalog.StructTreeRoot = tree
        pdf.Catalog.MarkInfo = PDFDictionary({"Marked": "true"})


class TaggedTable(Table):
    """A table that knows whether it continues one split on an earlier page, where its
    repeated header rows are page furniture."""

    continued = False

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        for n, part in enumerate(parts):
            part.continued = self.continued or n > 0
        return parts


class TableTags:
    """A table's render callback: backgrounds and rules are artifacts, and so are the
    header rows that a continuation repeats and cells that hold no flowable."""

    altText = None  # reportlab reads it when a table splits

    def __call__(self, table: Table, event: str, *args) -> None:
        canvas = table.canv
        tagger: Tagger | None = getattr(canvas, "tagger", None)
        if tagger is None:
            return
        if event in ("startBG", "startLines"):
            canvas._code.append(tagger.begin_artifact())
        elif event in ("endBG", "endLines"):
            canvas._code.append(tagger.end_artifact())
        elif event == "startRow":
            table._repeated = getattr(table, "continued", False) and args[0] < table.repeatRows
            if table._repeated:
                canvas._code.append(tagger.begin_artifact())
        elif event == "endRow" and getattr(table, "_repeated", False):
            canvas._code.append(tagger.end_artifact())
        elif event == "startCell":
            table._bare = isinstance(args[2], str)
            if table._bare:
                canvas._code.append(tagger.begin_artifact())
        elif event == "endCell" and getattr(table, "_bare", False):
            canvas._code.append(tagger.end_artifact())


TABLE_TAGS = TableTags()


def _hex(text: str) -> str:
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


class TaggedText(PDFTextObject):
    """A paragraph's text object that marks its content: the paragraph's element, a
    /Link where a link's text is, /Lbl for a label set inline (right-to-left items), and
    /Span with /ActualText or /Lang inside. Marked content opens and closes inside BT/ET,
    as the PDF specification requires of sequences within a text object."""

    def __init__(self, canvas, x, y, tagger: Tagger, paragraph):
        super().__init__(canvas, x, y)
        self._tagger, self._paragraph = tagger, paragraph
        self._element: Element | None = paragraph.tag
        self._open: Element | None = None
        self._queue: deque | None = None
        self._line_links: list[tuple[str, Element]] = []
        self._in_label = False
        bl = getattr(paragraph, "blPara", None)
        whole = getattr(bl, "link", None) if getattr(bl, "kind", 1) == 0 else None
        self._whole = whole[-1] if whole else None

    # -- hooks called by reportlab (see engine._tagging_hooks) ---------------------------

    def frag_line(self, line) -> None:
        """The runs of the line about to be drawn, in drawing order."""
        self._queue = deque(f for f in line.words if not hasattr(f, "cbDefn"))
        self._line_links = []

    def toggle_label(self) -> None:
        """An inline label starts or ends (right-to-left list items carry it in their
        text)."""
        self._in_label = not self._in_label

    def link_annotation(self, href: str, rect) -> None:
        """Make the link annotation of a line's link text: with /Contents (the link's text),
        the print flag, and its /StructParent and OBJR in the link's element."""
        element = None
        for n, (h, el) in enumerate(self._line_links):
            if h == href:
                element = self._line_links.pop(n)[1]
                break
        if element is None and self._whole is not None and self._element is not None:
            element = (self._element.links or {}).get(self._whole)
        canvas, tagger = self._canvas, self._tagger
        texts = getattr(self._paragraph, "link_texts", None) or {}
        extra = {"Contents": PDFString(texts.get(href) or href), "F": 4}
        if element is not None and not tagger.artifact:
            extra["StructParent"] = tagger.annotation(element)
        canvas.linkURL(href, rect, relative=1, kind="URI", **extra)
        if "StructParent" in extra:
            tagger.annotated(element, canvas)

    # -- marking ----------------------------------------------------------------------------

    def _target(self, text) -> Element | None:
        queue = self._queue
        frag = queue.popleft() if queue and queue[0].text is text else None
        if self._in_label:
            return getattr(self._paragraph, "label", None) or self._element
        link = frag.link[-1] if frag is not None and frag.link else \
            (self._whole if frag is None and self._whole is not None else None)
        if frag is None and link is None and self._open is not None:
            return self._open  # a piece reportlab did not announce: where we are
        if link is None:
            return self._element
        el = self._element
        if el.links is None:
            el.links = {}
        found = el.links.get(link)
        if found is None:
            found = el.links[link] = el.child("Link")
        if not any(e is found for _, e in self._line_links):
            self._line_links.append((link[1], found))
        return found

    def _textOut(self, text, TStar=0):
        tagger = self._tagger
        if not text:
            return super()._textOut(text, TStar)
        if self._element is not None and not tagger.artifact:
            target = self._target(text)
            if target is not self._open:
                if self._open is not None:
                    self._code.append("EMC")
                self._code.append(tagger.mark(target, self._canvas._pageNumber))
                self._open = target
        # Page furniture too: its words come back as typed when copied or searched.
        self._code.append(self._spans(text) + (" T*" if TStar else ""))

    def getCode(self):
        if self._open is not None:
            self._code.append("EMC")
            self._open = None
        return super().getCode()

    def _spans(self, text) -> str:
        """The text's operators, with /Span for shaped Arabic words and other languages."""
        if self._fontname in SHAPED_FONTS:
            return self._arabic(text)
        languages = self._tagger.languages
        if not languages or (text.isascii() and "Latn" not in languages):
            return self._formatText(text)
        out = []
        for script, piece in script_stretches(text):
            lang = languages.get(script) if script else None
            code = self._formatText(piece)
            out.append(f"/Span <</Lang ({lang})>> BDC {code} EMC" if lang else code)
        return " ".join(out)

    def _arabic(self, text) -> str:
        """Shaped words come out as glyphs in visual order, their letters as presentation
        forms, ligatures and glyphs that several letters share. Each word with right-to-left
        letters gets a /Span with /ActualText: the word's letters in logical order (and
        /Lang when it is another language than the brief's). Inside it, each glyph cluster
        gets its own /ActualText, its letters in the glyphs' visual order: poppler and MuPDF
        use the innermost spans and lay an /ActualText out left to right before they put
        right-to-left text into reading order, so only spans of one letter, or of letters
        in visual order, come back as typed."""
        data = text.__shapeData__ if isinstance(text, ShapedStr) else None
        glyphs = []  # (letters, word, logical order, cluster) per glyph, in visual order
        for i, ch in enumerate(text):
            sd = data[i] if data is not None else None
            letters = getattr(sd, "chars", None)
            if letters is None:  # a glyph that stands for its own letter(s), visual order
                glyphs.append((unicodedata.normalize("NFKC", ch), None, -i, i))
            else:
                glyphs.append((letters, sd.word, sd.cluster, sd.cluster))
        lang = self._tagger.languages.get("Arab")
        out: list[str] = []
        i = 0
        while i < len(glyphs):
            j = i + 1
            if glyphs[i][0].isspace():
                while j < len(glyphs) and glyphs[j][0].isspace():
                    j += 1
                out.append(self._formatText(text[i:j]))
                i = j
                continue
            while j < len(glyphs) and not glyphs[j][0].isspace() and \
                    glyphs[j][1] == glyphs[i][1]:
                j += 1
            out.append(self._arabic_word(text, glyphs, i, j, lang))
            i = j
        return " ".join(out)

    def _arabic_word(self, text, glyphs, start: int, end: int, lang: str | None) -> str:
        """One word's operators (see `_arabic`)."""
        word = glyphs[start:end]
        logical = "".join(g[0] for g in sorted(word, key=lambda g: g[2]))
        if not any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in logical):
            return self._formatText(text[start:end])  # digits, punctuation: as they are
        inner = []
        i = start
        while i < end:
            j = i + 1
            while j < end and glyphs[j][3] == glyphs[i][3] and glyphs[j][1] == glyphs[i][1]:
                j += 1
            letters = "".join(g[0] for g in glyphs[i:j])
            code = self._formatText(text[i:j])
            if letters:
                if any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in letters):
                    letters = letters[::-1]  # a ligature's letters, in visual order
                code = f"/Span <</ActualText {_hex(letters)}>> BDC {code} EMC"
            inner.append(code)
            i = j
        props = f"/Lang ({lang}) " if lang else ""
        return f"/Span <<{props}/ActualText {_hex(logical)}>> BDC {' '.join(inner)} EMC"
