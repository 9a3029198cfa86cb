"""WordprocessingML elements written in schema order.

Word reads the children of a property element (`w:pPr`, `w:rPr`, `w:tblPr`...) as an
ECMA-376 sequence: a child out of its place is dropped silently or makes Word for the web
refuse the file. python-docx's element classes know the sequence of the children they
declare (`get_or_add_*`); this module holds the sequences of every parent briefgen writes
into, from the transitional schema (wml.xsd, with the w14/w15 extensions Word writes),
and inserts each child at its place with python-docx's own `insert_element_before`.

A sequence is a tuple of slots; a slot is one tag or several that may come in any order
among themselves (a choice). `*` stands for every tag the sequence does not name (the
content of a paragraph, a run or a cell, after its properties).
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import nsmap

NAMESPACES = {**nsmap, "w15": "http://schemas.microsoft.com/office/word/2012/wordml"}

ANYWHERE = frozenset(f"{{{NAMESPACES[p]}}}{t}" for p, t in (tag.split(":") for tag in (
    "w:bookmarkStart w:bookmarkEnd w:commentRangeStart w:commentRangeEnd w:permStart "
    "w:permEnd w:proofErr w:moveFromRangeStart w:moveFromRangeEnd w:moveToRangeStart "
    "w:moveToRangeEnd w:customXmlInsRangeStart w:customXmlInsRangeEnd "
    "w:customXmlDelRangeStart w:customXmlDelRangeEnd w:customXmlMoveFromRangeStart "
    "w:customXmlMoveFromRangeEnd w:customXmlMoveToRangeStart w:customXmlMoveToRangeEnd "
    "w14:customXmlConflictInsRangeStart w14:customXmlConflictInsRangeEnd "
    "w14:customXmlConflictDelRangeStart w14:customXmlConflictDelRangeEnd").split()))
"""Markers of ranges (bookmarks, comments, revisions) that may stand between any two
children of a container, even before its properties."""

_RPR = ("ins del moveFrom moveTo w14:conflictIns w14:conflictDel rStyle rFonts b bCs i iCs "
        "caps smallCaps strike dstrike outline shadow emboss imprint noProof snapToGrid "
        "vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd "
        "fitText vertAlign rtl cs em lang eastAsianLayout specVanish w14:glow w14:shadow "
        "w14:reflection w14:textOutline w14:textFill w14:scene3d w14:props3d w14:ligatures "
        "w14:numForm w14:numSpacing w14:stylisticSets w14:cntxtAlts oMath rPrChange")

_PPR = ("pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
        "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct "
        "topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
        "contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
        "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange")

_SETTINGS = (
    "writeProtection view zoom removePersonalInformation removeDateAndTime "
    "doNotDisplayPageBoundaries displayBackgroundShape printPostScriptOverText "
    "printFractionalCharacterWidth printFormsData embedTrueTypeFonts embedSystemFonts "
    "saveSubsetFonts saveFormsData mirrorMargins alignBordersAndEdges "
    "bordersDoNotSurroundHeader bordersDoNotSurroundFooter gutterAtTop hideSpellingErrors "
    "hideGrammaticalErrors activeWritingStyle proofState formsDesign attachedTemplate "
    "linkStyles stylePaneFormatFilter stylePaneSortMethod documentType mailMerge "
    "revisionView trackRevisions doNotTrackMoves doNotTrackFormatting documentProtection "
    "autoFormatOverride styleLockTheme styleLockQFSet defaultTabStop autoHyphenation "
    "consecutiveHyphenLimit hyphenationZone doNotHyphenateCaps showEnvelope summaryLength "
    "clickAndTypeStyle defaultTableStyle evenAndOddHeaders bookFoldRevPrinting "
    "bookFoldPrinting bookFoldPrintingSheets drawingGridHorizontalSpacing "
    "drawingGridVerticalSpacing displayHorizontalDrawingGridEvery "
    "displayVerticalDrawingGridEvery doNotUseMarginsForDrawingGridOrigin "
    "drawingGridHorizontalOrigin drawingGridVerticalOrigin doNotShadeFormData "
    "noPunctuationKerning characterSpacingControl printTwoOnOne strictFirstAndLastChars "
    "noLineBreaksAfter noLineBreaksBefore savePreviewPicture doNotValidateAgainstSchema "
    "saveInvalidXml ignoreMixedContent alwaysShowPlaceholderText doNotDemarcateInvalidXml "
    "saveXmlDataOnly useXSLTWhenSaving saveThroughXslt showXMLTags "
    "alwaysMergeEmptyNamespace updateFields hdrShapeDefaults footnotePr endnotePr compat "
    "docVars rsids m:mathPr uiCompat97To2003 attachedSchema themeFontLang clrSchemeMapping "
    "doNotIncludeSubdocsInStats doNotAutoCompressPictures forceUpgrade captions "
    "readModeInkLockDown sl:schemaLibrary shapeDefaults doNotEmbedSmartTags decimalSymbol "
    "listSeparator w14:docId w14:discardImageEditingData w14:defaultImageDpi "
    "w14:conflictMode w15:chartTrackingRefBased w15:docId")

_SEQUENCES_TEXT = {
    # Properties (ECMA-376 Part 1, 17.3-17.9; 17.7 styles)
    "w:rPr": _RPR,
    "w:pPr": _PPR,
    "w:tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize "
               "tblStyleColBandSize tblW jc tblCellSpacing tblInd tblBorders shd tblLayout "
               "tblCellMar tblLook tblCaption tblDescription tblPrChange",
    "w:tblPrEx": "tblW jc tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook "
                 "tblPrExChange",
    # A row's own properties are a choice in any order (CT_TrPrBase), then the revisions.
    "w:trPr": "cnfStyle|divId|gridBefore|gridAfter|wBefore|wAfter|trHeight|hidden|cantSplit"
              "|tblHeader|tblCellSpacing|jc ins del trPrChange",
    "w:tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection "
              "tcFitText vAlign hideMark cellIns cellDel cellMerge tcPrChange",
    "w:tblBorders": "top left|start bottom right|end insideH insideV",
    "w:tcBorders": "top left|start bottom right|end insideH insideV tl2br tr2bl",
    "w:tblCellMar": "top left|start bottom right|end",
    "w:tcMar": "top left|start bottom right|end",
    "w:pBdr": "top left bottom right between bar",
    "w:sectPr": "headerReference|footerReference footnotePr endnotePr type pgSz pgMar "
                "paperSrc pgBorders lnNumType pgNumType cols formProt vAlign noEndnote "
                "titlePg textDirection bidi rtlGutter docGrid printerSettings "
                "w15:footnoteColumns sectPrChange",
    # Containers: their properties first, then content in document order.
    "w:p": "pPr *",
    "w:r": "rPr *",
    "w:tbl": "tblPr tblGrid *",
    "w:tr": "tblPrEx trPr *",
    "w:tc": "tcPr *",
    "w:tblGrid": "gridCol tblGridChange",
    "w:body": "* sectPr",
    # Styles and numbering (17.7, 17.9)
    "w:styles": "docDefaults latentStyles style",
    "w:docDefaults": "rPrDefault pPrDefault",
    "w:rPrDefault": "rPr",
    "w:pPrDefault": "pPr",
    "w:style": "name aliases basedOn next link autoRedefine hidden uiPriority semiHidden "
               "unhideWhenUsed qFormat locked personal personalCompose personalReply rsid "
               "pPr rPr tblPr trPr tcPr tblStylePr",
    "w:tblStylePr": "pPr rPr tblPr trPr tcPr",
    "w:numbering": "numPicBullet abstractNum num numIdMacAtCleanup",
    "w:abstractNum": "nsid multiLevelType tmpl name styleLink numStyleLink lvl",
    "w:lvl": "start numFmt lvlRestart pStyle isLgl suff lvlText lvlPicBulletId legacy lvlJc "
             "pPr rPr",
    "w:num": "abstractNumId lvlOverride",
    "w:lvlOverride": "startOverride lvl",
    "w:numPr": "ilvl numId numberingChange ins",
    # Document settings and fonts (17.15, 17.8)
    "w:settings": _SETTINGS,
    "w:compat": "useSingleBorderforContiguousCells wpJustification noTabHangInd noLeading "
                "spaceForUL noColumnBalance balanceSingleByteDoubleByteWidth "
                "noExtraLineSpacing doNotLeaveBackslashAlone ulTrailSpace "
                "doNotExpandShiftReturn spacingInWholePoints lineWrapLikeWord6 "
                "printBodyTextBeforeHeader printColBlack wpSpaceWidth showBreaksInFrames "
                "subFontBySize suppressBottomSpacing suppressTopSpacing "
                "suppressSpacingAtTopOfPage suppressTopSpacingWP suppressSpBfAfterPgBrk "
                "swapBordersFacingPages convMailMergeEsc truncateFontHeightsLikeWP6 "
                "mwSmallCaps usePrinterMetrics doNotSuppressParagraphBorders "
                "wrapTrailSpaces footnoteLayoutLikeWW8 shapeLayoutLikeWW8 "
                "alignTablesRowByRow forgetLastTabAlignment adjustLineHeightInTable "
                "autoSpaceLikeWord95 noSpaceRaiseLower doNotUseHTMLParagraphAutoSpacing "
                "layoutRawTableWidth layoutTableRowsApart useWord97LineBreakRules "
                "doNotBreakWrappedTables doNotSnapToGridInCell selectFldWithFirstOrLastChar "
                "applyBreakingRules doNotWrapTextWithPunct doNotUseEastAsianBreakRules "
                "useWord2002TableStyleRules growAutofit useFELayout useNormalStyleForList "
                "doNotUseIndentAsNumberingTabStop useAltKinsokuLineBreakRules "
                "allowSpaceOfSameStyleInTable doNotSuppressIndentation "
                "doNotAutofitConstrainedTables autofitToFirstFixedWidthCell "
                "underlineTabInNumList displayHangulFixedWidth splitPgBreakAndParaMark "
                "doNotVertAlignCellWithSp doNotBreakConstrainedForcedTable "
                "doNotVertAlignInTxbx useAnsiKerningPairs cachedColBalance compatSetting",
    "w:fonts": "font",
    "w:font": "altName panose1 charset family notTrueType pitch sig embedRegular embedBold "
              "embedItalic embedBoldItalic",
}


def clark(tag: str) -> str:
    """`w:rPr` -> `{namespace}rPr`; a bare name is in the w: namespace."""
    prefix, _, local = tag.rpartition(":")
    return f"{{{NAMESPACES[prefix or 'w']}}}{local}"


def _slots(text: str) -> tuple[frozenset[str], ...]:
    return tuple(frozenset("*" if tag == "*" else clark(tag) for tag in slot.split("|"))
                 for slot in text.split())


SEQUENCES: dict[str, tuple[frozenset[str], ...]] = {
    clark(parent): _slots(text) for parent, text in _SEQUENCES_TEXT.items()}
"""Parent tag -> its children's slots in schema order (Clark notation)."""


def slot_of(parent_tag: str, child_tag: str) -> int | None:
    """The index of a child's slot in its parent's sequence; None when the parent has no
    sequence here, the child has no place in it, or it is a range marker (ANYWHERE)."""
    slots = SEQUENCES.get(parent_tag)
    if slots is None or child_tag in ANYWHERE:
        return None
    wild = None
    for n, slot in enumerate(slots):
        if child_tag in slot:
            return n
        if "*" in slot:
            wild = n
    return wild


def insert_in_order(parent, child):
    """Insert `child` at its place in the schema sequence of `parent` and return it."""
    n = slot_of(parent.tag, child.tag)
    if n is None:
        raise ValueError(f"no place for {child.tag} in {parent.tag}")
    for existing in parent:
        m = slot_of(parent.tag, existing.tag) if isinstance(existing.tag, str) else None
        if m is not None and m > n:
            existing.addprevious(child)
            return child
    parent.append(child)
    return child


def put_in_order(root) -> None:
    """Put the children of every element under `root` that has a sequence into schema
    order, keeping the order of those that share a slot (for a reference.docx whose maker
    wrote them out of order: pandoc's own puts qFormat and bCs out of place). A child with
    no slot of its own (a bookmark, an unknown extension) stays after the child before
    it."""
    for el in list(root.iter()):
        slots = SEQUENCES.get(el.tag) if isinstance(el.tag, str) else None
        if slots is None or len(el) < 2:
            continue
        keyed, last = [], 0
        for n, node in enumerate(el):
            slot = slot_of(el.tag, node.tag) if isinstance(node.tag, str) else None
            last = last if slot is None else slot
            keyed.append((last, n, node))
        if any(a[0] > b[0] for a, b in zip(keyed, keyed[1:])):
            for _, _, node in sorted(keyed, key=lambda k: (k[0], k[1])):
                el.append(node)  # re-appending every child in order moves each to its place


def element(tag: str, **attrs) -> OxmlElement:
    """A new element with w: attributes (`val=...`); values become strings."""
    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(clark(key), str(value))
    return el


def set_child(parent, tag: str, **attrs):
    """Replace the children named `tag` with one new one, at its place in the sequence."""
    for old in parent.findall(clark(tag)):
        parent.remove(old)
    return insert_in_order(parent, element(tag, **attrs))


def child(parent, tag: str, **attrs):
    """The child named `tag`, added at its place when missing (attributes are set)."""
    found = parent.find(clark(tag))
    if found is None:
        return insert_in_order(parent, element(tag, **attrs))
    for key, value in attrs.items():
        found.set(clark(key), str(value))
    return found


def twips(points: float) -> str:
    """Points as whole twips, the unit of Word's lengths."""
    return str(int(round(points * 20)))
