"""Tagged PDF: structure elements, marked content, and the objects that write them.

The renderer gives every flowable the structure element it draws, made from the document
tree's node types (heading level, list, table header, figure with its alt text, marking);
nothing is inferred from the laid-out page. While pages are drawn, this module:

- marks each paragraph's text with an MCID of its element (a paragraph split over two
  pages is one element with two marked-content references), with `pdf_marks`, which also
  switches to a /Link element (with the annotation as an OBJR) where a link's text begins
  and wraps each shaped Arabic-script word in a /Span with /ActualText (its letters in
  logical order: search, copy and screen readers get the words as typed) and every passage
  in another script than the brief's in a /Span with /Lang;
- turns table backgrounds, grid lines, rules and header rows repeated on a continuation
  page into artifacts (page furniture is marked by `pdf_page`).

At the end `Tagger.finish` writes the structure tree, the parent tree, /StructParents and
/Tabs with reportlab's own PDF objects. Several briefs in one document (a book) are
sections of one tree: `Tagger.section` starts one, and its elements attach to it.
"""

from __future__ import annotations

from . import engine  # noqa: F401  (first: it prepares reportlab)
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFObject, PDFString
from reportlab.platypus import Table

from . import doc
from .pdf_flow import BriefTable


class Element:
    """A structure element: its role (a standard structure type), its parent, and its
    kids in reading order: elements, marked content (page, MCID) and annotations."""

    __slots__ = ("role", "parent", "kids", "attrs", "alt", "lang", "links", "attached", "page",
                 "ref")

    def __init__(self, role: str, parent: Element | None = None, *, attrs: dict | None = None,
                 alt: str | None = None, lang: str | None = None):
        self.role, self.parent, self.kids = role, parent, []
        self.attrs, self.alt, self.lang = attrs, alt, lang
        self.links: dict | None = None
        self.attached = False
        self.page: int | None = None  # where its first content is
        self.ref = ""  # "n 0 R", once written
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
        if element.page is None:  # its first content: into the tree, and its page
            if not element.attached:
                self.attach(element)
                element.attached = True
            el = element
            while el is not None and el.page is None:
                el.page = page
                el = el.parent
        ids = self.mcids.get(page)
        if ids is None:
            ids = self.mcids[page] = []
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
        el = element
        while el is not None and el.page is None:
            el.page = canvas._pageNumber
            el = el.parent

    def finish(self, canvas) -> None:
        """Write the structure tree, the parent tree and the pages' /StructParents and
        /Tabs into the canvas's PDF document."""
        pdf = canvas._doc
        order: list[Element] = []
        stack = [self.root]
        while stack:  # depth first, in reading order: object numbers follow it
            el = stack.pop()
            order.append(el)
            stack.extend(k for k in reversed(el.kids) if type(k) is Element)
        # Objects are numbered as they are registered (as PDFDocument.Reference does, for
        # thousands of objects at once): register first, then write.
        objects = [_Prepared() for _ in range(len(order) + 2)]
        counter = pdf.objectcounter
        numbers, by_number, by_name = (pdf.idToObjectNumberAndVersion, pdf.numberToId,
                                       pdf.idToObject)
        for n, obj in enumerate(objects):
            counter += 1
            name = obj.__InternalName__ = "StructElem%d" % n
            numbers[name] = (counter, 0)
            by_number[counter] = name
            by_name[name] = obj
            if n < len(order):
                order[n].ref = "%d 0 R" % counter
        pdf.objectcounter = counter
        tree, parent_tree = objects[-2:]
        tree_ref = "%d 0 R" % (counter - 1)
        pages = [""] + [f"{numbers[f'Page{n}'][0]} 0 R"
                        for n in range(1, len(pdf.Pages.pages) + 1)]
        for el, obj in zip(order, objects):
            home = el.page
            parent = el.parent.ref if el.parent is not None else tree_ref
            kids = el.kids
            if len(kids) == 1 and type(kids[0]) is tuple and not (el.attrs or el.alt
                                                                   or el.lang):
                # Most elements: one piece of content (a paragraph, a cell, a label).
                obj.prepared = (b"<</Type /StructElem /S /%s /P %s /Pg %s /K [ %d ]>>" % (
                    el.role.encode(), parent.encode(), pages[home].encode(), kids[0][1]))
                continue
            text = [f"<</Type /StructElem /S /{el.role} /P {parent}"]
            if home is not None:
                text.append(f" /Pg {pages[home]}")
            if kids:
                text.append(" /K [")
                for k in kids:
                    t = type(k)
                    if t is tuple:
                        text.append(f" {k[1]}" if k[0] == home else
                                    f" <</Type /MCR /Pg {pages[k[0]]} /MCID {k[1]}>>")
                    elif t is Element:
                        text.append(" " + k.ref)
                    else:
                        text.append(f" <</Type /OBJR /Obj {numbers[k.ref.name][0]} 0 R "
                                    f"/Pg {pages[k.page]}>>")
                text.append(" ]")
            if el.attrs:
                text.append(" /A <<" + "".join(
                    f" /{k} [{fp_str(*v)}]" if isinstance(v, (list, tuple)) else f" /{k} {v}"
                    for k, v in el.attrs.items()) + " >>")
            if el.alt or el.lang:
                data = "".join(text).encode("latin-1")
                if el.alt:
                    data += b" /Alt " + PDFString(el.alt).format(pdf)
                if el.lang:
                    data += b" /Lang " + PDFString(el.lang).format(pdf)
                obj.prepared = data + b">>"
            else:
                text.append(">>")
                obj.prepared = "".join(text).encode("latin-1")
        nums = [f"{key} {el.ref}" for key, el in enumerate(self.annotations)]
        first = len(self.annotations)
        for n, pdf_page in enumerate(pdf.Pages.pages, 1):
            ids = self.mcids.get(n)
            if ids:
                pdf_page.StructParents = first + n - 1
                nums.append(f"{first + n - 1} [{' '.join([el.ref for el in ids])}]")
            if pdf_page.Annots:
                pdf_page.Tabs = PDFName("S")
        parent_tree.prepared = f"<</Nums [{' '.join(nums)}]>>".encode("latin-1")
        tree.prepared = (f"<</Type /StructTreeRoot /K {self.root.ref} /ParentTree "
                     f"{counter} 0 R /ParentTreeNextKey "
                     f"{first + len(pdf.Pages.pages)}>>").encode("latin-1")
        pdf.Catalog.StructTreeRoot = tree
        pdf.Catalog.MarkInfo = PDFDictionary({"Marked": "true"})


class _Prepared(PDFObject):
    """A PDF object written as prepared bytes: reportlab's general dictionaries take too
    long for the thousands of structure elements of a long brief."""

    prepared = b""
    """The object's bytes (engine writes them without reportlab's formatting)."""

    def format(self, document) -> bytes:
        return self.prepared


class TaggedTable(BriefTable):
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
