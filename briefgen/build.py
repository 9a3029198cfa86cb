"""Build: a brief and its plan become a layout-neutral document tree.

The builder decides words and order (which labels, which sections, how a date reads), never
fonts or positions: those belong to the template and the renderers.
"""

from __future__ import annotations

import datetime

from . import doc
from .doc import Run
from .inline import parse_inline, plain_text
from .model import Brief, Item
from .plan import Plan, item_key, join_words, omissions
from .templates import Template


def format_date(value: datetime.date) -> str:
    """A date as a reader expects it in a brief: 18 January 2025."""
    return f"{value.day} {value.strftime('%B')} {value.year}"


def paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs, each with its line breaks folded into spaces."""
    blocks = [" ".join(line.strip() for line in block.splitlines()).strip()
              for block in text.replace("\r\n", "\n").split("\n\n")]
    return [b for b in blocks if b]


def text_runs(text: str, **fmt) -> tuple[Run, ...]:
    """Inline runs of a one-paragraph field, its line breaks folded into spaces."""
    return parse_inline(" ".join(paragraphs(text)), **fmt)


def build(brief: Brief, plan: Plan, template: Template) -> doc.Document:
    """The document tree of one output."""
    labels = template.labels
    blocks: list[doc.Block] = [_title_block(brief, labels, _shortened_note(brief, plan, labels))]
    blocks.append(doc.Callout(labels["bottom_line"], tuple(
        parse_inline(p) for p in paragraphs(brief.summary))))
    if plan.key_points and brief.key_points:
        blocks.append(doc.Heading(labels["key_points"]))
        blocks.append(doc.BulletList(tuple(text_runs(k) for k in brief.key_points)))
    if plan.context and brief.context:
        blocks.append(doc.Heading(labels["context"]))
        blocks += [doc.Paragraph(parse_inline(p)) for p in paragraphs(brief.context)]
    for section in ("opportunities", "challenges"):
        shown = [i for i in getattr(brief, section) if plan.shows(item_key(i))]
        if shown:
            blocks.append(doc.Heading(labels[section]))
            blocks += _section_items(shown, plan, labels)
    recs = [i for i in brief.recommendations if plan.shows(item_key(i))]
    if recs:
        blocks.append(doc.Heading(labels["recommendations"]))
        blocks.append(_recommendation_table(recs, plan, labels, template))
        blocks += _recommendation_details(brief, recs, plan, labels)
    blocks.append(doc.SourceReference(labels["source"], _source_runs(brief)))
    return doc.Document(_metadata(brief), tuple(blocks))


def _shortened_note(brief: Brief, plan: Plan, labels: dict) -> str | None:
    """A discreet line telling the reader that a longer version exists, or None."""
    more = omissions(brief, plan).short()
    if plan.length == "full" or not more:
        return None
    length = plan.length[:1].upper() + plan.length[1:]
    return labels.get("shortened", "{length} version. The full brief adds {more}.").format(
        length=length, more=join_words(more))


def _title_block(brief: Brief, labels: dict, note: str | None = None) -> doc.TitleBlock:
    meta = []
    prepared = brief.prepared
    if prepared and prepared.for_:
        meta.append(f"{labels['prepared_for']}: {prepared.for_}")
    by = [prepared.by] if prepared and prepared.by else []
    if prepared and prepared.date:
        by.append(format_date(prepared.date))
    if by:
        meta.append(f"{labels['prepared_by']}: " + " · ".join(by) if prepared.by
                    else " · ".join(by))
    if note:
        meta.append(note)
    return doc.TitleBlock(text_runs(brief.title),
                          text_runs(brief.subtitle) if brief.subtitle else (), tuple(meta))


def _priority_lead(item: Item, labels: dict) -> Run:
    return Run(f"{labels['priority'][item.priority]} priority. ", bold=True)


def _section_items(items: list[Item], plan: Plan, labels: dict) -> list[doc.Block]:
    """Items in document order: those shown with detail or evidence under their own heading,
    the others as one-liners, consecutive one-liners in one bullet list."""
    out: list[doc.Block] = []
    one_liners: list[doc.Runs] = []
    for item in items:
        key = item_key(item)
        if key in plan.detail or key in plan.evidence:
            if one_liners:
                out.append(doc.BulletList(tuple(one_liners)))
                one_liners = []
            out += _item_blocks(item, plan, labels)
        else:
            one_liners.append(_one_liner(item, labels))
    if one_liners:
        out.append(doc.BulletList(tuple(one_liners)))
    return out


def lead_in(title: str) -> Run:
    """An item title as the bold start of a sentence: 'Title. ' (no doubled full stop)."""
    text = plain_text(title).strip()
    return Run(text + (" " if text[-1:] in ".?!:" else ". "), bold=True)


def _one_liner(item: Item, labels: dict) -> doc.Runs:
    priority = labels["priority"][item.priority].lower()
    return ((lead_in(item.title),) + text_runs(item.summary)
            + (Run(f" ({priority}\u00a0priority)", italic=True),))


def _item_blocks(item: Item, plan: Plan, labels: dict) -> list[doc.Block]:
    key = item_key(item)
    out: list[doc.Block] = [
        doc.Heading(plain_text(item.title), 2, tag=item.priority),
        doc.Paragraph((_priority_lead(item, labels),) + text_runs(item.summary)),
    ]
    out += _detail_and_evidence(item, key in plan.detail, key in plan.evidence)
    return out


def _detail_and_evidence(item: Item, detail: bool, evidence: bool) -> list[doc.Block]:
    out: list[doc.Block] = []
    if detail and item.detail:
        out += [doc.Paragraph(parse_inline(p)) for p in paragraphs(item.detail)]
    if evidence and item.evidence:
        quotes = tuple(_quote_runs(e) for e in item.evidence)
        if len(quotes) == 1:
            out.append(doc.Paragraph(quotes[0], "quote"))
        else:
            out.append(doc.NumberedList(quotes))
    return out


def _quote_runs(evidence) -> tuple[Run, ...]:
    runs = text_runs(f"“{evidence.quote.strip()}”", italic=True)
    where = []
    if evidence.paragraph:
        where.append(f"para. {evidence.paragraph}")
    if evidence.page:
        where.append(f"p. {evidence.page}")
    if where:
        runs += (Run(f" ({', '.join(where)})"),)
    return runs


def _recommendation_table(recs: list[Item], plan: Plan, labels: dict,
                          template: Template) -> doc.RecommendationTable:
    header = tuple(labels["table_header"])
    widths = tuple(template.table.get("widths", ()))
    if not plan.rec_columns:
        header, widths = header[:2] + header[-1:], _narrow(widths)
    rows = []
    for n, item in enumerate(recs, 1):
        text = (lead_in(item.title),) + text_runs(item.summary)
        cells = [(Run(str(n)),), text]
        if plan.rec_columns:
            cells += [(Run(item.owner or "–"),), (Run(item.timeframe or "–"),)]
        cells.append((Run(labels["priority"][item.priority]),))
        rows.append(doc.TableRow(tuple(cells)))
    return doc.RecommendationTable(header, tuple(rows), widths)


def _narrow(widths: tuple[float, ...]) -> tuple[float, ...]:
    """Widths for the table without owner and timeframe: the text column takes their room."""
    if len(widths) != 5:
        return ()
    return (widths[0], widths[1] + widths[2] + widths[3], widths[4])


def _recommendation_details(brief: Brief, recs: list[Item], plan: Plan,
                            labels: dict) -> list[doc.Block]:
    out: list[doc.Block] = []
    for n, item in enumerate(recs, 1):
        key = item_key(item)
        body = _detail_and_evidence(item, key in plan.detail, key in plan.evidence)
        targets = [brief.item_by_id(t) for t in item.addresses]
        answered = [plain_text(t.title) for t in targets if t and plan.shows(item_key(t))]
        if answered and (body or key in plan.detail):
            body.insert(0, doc.Paragraph((Run(f"{labels['addresses']}: ", bold=True),
                                          Run("; ".join(answered))), "body"))
        if body:
            out.append(doc.Heading(f"{n}. {plain_text(item.title)}", 2, tag=item.priority))
            out += body
    if out:
        out.insert(0, doc.Heading(labels["recommendation_details"], 1))
    return out


def _source_runs(brief: Brief) -> tuple[Run, ...]:
    s = brief.source
    runs: list[Run] = []
    if s.author:
        runs.append(Run(f"{s.author}, "))
    runs.append(Run(f"“{s.title}”", italic=True))
    tail = [x for x in (s.publisher, format_date(s.date) if s.date else None) if x]
    runs.append(Run((", " + ", ".join(tail) if tail else "") + "."))
    if s.url:
        runs.append(Run(" "))
        scheme_ok = s.url.lower().startswith(("http://", "https://"))
        runs.append(Run(s.url, href=s.url if scheme_ok else None))
    return tuple(runs)


def clip(text: str, limit: int = 255) -> str:
    """Shorten at a word boundary with an ellipsis; document properties hold 255 characters."""
    if len(text) <= limit:
        return text
    return text[:limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _metadata(brief: Brief) -> doc.Metadata:
    prepared = brief.prepared
    keywords = []
    for item in brief.items:
        keywords += [t for t in item.tags if t not in keywords]
    return doc.Metadata(
        title=plain_text(brief.title),
        author=(prepared.by if prepared and prepared.by else "") or "",
        subject=clip(" ".join(paragraphs(plain_text(brief.summary)))),
        keywords=_clip_keywords(keywords),
        language="en",
        classification=(prepared.classification if prepared and prepared.classification
                        else ""),
        date=prepared.date.isoformat() if prepared and prepared.date else "",
    )


def _clip_keywords(keywords: list[str]) -> tuple[str, ...]:
    """As many keywords as fit the 255 characters of a document property."""
    kept: list[str] = []
    for k in keywords:
        if len(", ".join(kept + [k])) > 255:
            break
        kept.append(k)
    return tuple(kept)
