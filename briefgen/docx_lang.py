"""The languages a DOCX declares, the same the PDF's /Lang says: the brief's language in
the document defaults, and a `w:lang` of its own on every run of text in another script.

The languages are the document tree's (`Metadata.language`, and `Metadata.scripts`, which
`scripts.script_languages` chose once for the whole brief); this module only says where
Word reads each: `w:val` for Latin, Cyrillic, Greek and every other script, `w:bidi` for
complex scripts (Arabic, Hebrew, Devanagari...), `w:eastAsia` for Chinese, Japanese and
Korean.
"""

from __future__ import annotations

import copy

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn

from .docx_xml import child, clark, element, insert_in_order, set_child
from .scripts import COMPLEX_SCRIPTS, EAST_ASIAN_SCRIPTS, language_script, script_stretches

_SKIP = frozenset({qn("w:rPr")})
"""What a run holds besides its content."""


def declare_languages(d, metadata) -> None:
    """The brief's language in the document defaults of a python-docx document, and their
    own on runs in other scripts, in the body, the headers and the footers."""
    languages = dict(metadata.scripts)
    attrs = document_language(d.styles.element, metadata.language)
    # The languages theme fonts are chosen for: python-docx's template (or a reference)
    # says en-US and ja-JP; the brief's own, as in the defaults.
    set_child(d.settings.element, "w:themeFontLang", **attrs)
    mark_runs(d.element.body, languages)
    for rel in d.part.rels.values():
        if rel.reltype in (RT.HEADER, RT.FOOTER) and not rel.is_external:
            mark_runs(rel.target_part.element, languages)


def attribute(script: str) -> str:
    """The attribute of w:lang that gives the language of text in a script."""
    if script in COMPLEX_SCRIPTS:
        return "bidi"
    if script in EAST_ASIAN_SCRIPTS:
        return "eastAsia"
    return "val"


def document_language(styles_root, language: str) -> dict[str, str]:
    """The brief's language in the document defaults (w:docDefaults/w:rPrDefault): w:val,
    and w:bidi or w:eastAsia as well when its script is complex or East Asian. A language
    declared by a style (a reference.docx's) would override it for that style's text, so
    a style's own w:lang is dropped: it described the reference, not the brief. Returns
    the attributes of the defaults' w:lang."""
    defaults = child(styles_root, "w:docDefaults")
    rpr = child(child(defaults, "w:rPrDefault"), "w:rPr")
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    attrs = {"val": language}
    kind = attribute(language_script(language))
    if kind != "val":
        attrs[kind] = language
    insert_in_order(rpr, element("w:lang", **attrs))
    for style in styles_root.findall(qn("w:style")):
        for lang in style.findall(f"{qn('w:rPr')}/{qn('w:lang')}"):
            lang.getparent().remove(lang)
    return attrs


def pieces(text: str, languages: dict[str, str]) -> list[tuple[str, tuple[str, str] | None]]:
    """A text cut where its language changes: (piece, (attribute, language) or None for
    the brief's own). What lies between passages (spaces, digits, punctuation) is the
    brief's, as in the PDF."""
    if not languages or (text.isascii() and "Latn" not in languages):
        return [(text, None)]
    out: list[tuple[str, tuple[str, str] | None]] = []
    for script, piece in script_stretches(text):
        lang = languages.get(script) if script else None
        mark = (attribute(script), lang) if lang else None
        if out and out[-1][1] == mark:
            out[-1] = (out[-1][0] + piece, mark)
        else:
            out.append((piece, mark))
    return out


def mark_runs(root, languages: dict[str, str]) -> None:
    """Give every run under `root` that holds text in another script than the brief's its
    w:lang, cutting a run in two where its language changes (the pieces keep the run's
    formatting). A language a run already declares (a reference.docx's own header text)
    is kept."""
    if not languages:
        return
    t_tag = qn("w:t")
    for r in list(root.iter(qn("w:r"))):
        texts = [t for t in r if t.tag == t_tag]
        if not texts:
            continue
        cut = [pieces(t.text or "", languages) for t in texts]
        if all(all(mark is None for _, mark in c) for c in cut):
            continue
        content = [c for c in r if c.tag not in _SKIP]
        if len(content) == 1 and len(cut[0]) == 1:
            _declare(r, cut[0][0][1])
            continue
        # One run per text and per piece, in reading order; tabs, breaks and the like
        # keep a run of their own.
        pending = iter(cut)
        last = r
        for node in content:
            parts = next(pending) if node.tag == t_tag else [(None, None)]
            for text, mark in parts:
                new = copy.deepcopy(r)
                for c in [c for c in new if c.tag not in _SKIP]:
                    new.remove(c)
                if text is None:
                    new.append(copy.deepcopy(node))
                else:
                    t = element("w:t")
                    t.text = text
                    t.set(qn("xml:space"), "preserve")
                    new.append(t)
                    _declare(new, mark)
                last.addnext(new)
                last = new
        r.getparent().remove(r)


def _declare(r, mark: tuple[str, str] | None) -> None:
    """A run's w:lang attribute for its language (unless it declares one already)."""
    if mark is None:
        return
    name, language = mark
    rpr = r.find(qn("w:rPr"))
    if rpr is None:
        rpr = insert_in_order(r, element("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = insert_in_order(rpr, element("w:lang"))
    if lang.get(clark(name)) is None:
        lang.set(clark(name), language)
