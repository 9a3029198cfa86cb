"""Build: a brief and its plan become a layout-neutral document tree.

The builder decides words and order (which labels, which sections, how a date reads), never
fonts or positions: those belong to the template and the renderers.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from . import doc
from .doc import Run
from .inline import parse_inline, plain_text
from .model import SECTIONS, Brief, Item
from .labels import Labels, direction, format_date, labels_for
from .plan import Plan, item_key, omissions, one_line_text
from .scripts import script_languages
from .templates import Template, fill


def paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs, each with its line breaks folded into spaces."""
    blocks = [" ".join(line.strip() for line in block.splitlines()).strip()
              for block in text.replace("\r\n", "\n").replace("\t", " ").split("\n\n")]
    return [b for b in blocks if b]


def text_runs(text: str, **fmt) -> tuple[Run, ...]:
    """Inline runs of a one-paragraph field, its line breaks folded into spaces."""
    if not fmt:
        return _text_runs(text)
    return parse_inline(" ".join(paragraphs(text)), **fmt)


@lru_cache(maxsize=8192)
def _text_runs(text: str) -> tuple[Run, ...]:
    return parse_inline(" ".join(paragraphs(text)))


def build(brief: Brief, plan: Plan, template: Template, memo: dict | None = None,
          metadata: bool = True) -> doc.Document:
    """The document tree of one output, its sections in the template's order.

    `memo` (a dict kept by the caller for one brief and template) remembers each section's
    blocks by what of the plan the section depends on, so that a search that builds many
    plans rebuilds only the sections a plan changes; `metadata=False` leaves the document
    properties empty (they do not change the layout)."""
    builder = _Builder(brief, plan, template)
    blocks: list[doc.Block] = []
    for section in template.sections:
        if memo is None:
            blocks += getattr(builder, section)()
            continue
        key = (section, builder.depends(section))
        made = memo.get(key)
        if made is None:
            made = memo[key] = tuple(getattr(builder, section)())
        blocks += made
    if template.numbered_paragraphs:
        blocks = number_paragraphs(blocks)
    meta = _metadata(brief, plan, builder.labels) if metadata else \
        doc.Metadata(title="", direction=direction(brief.lang))
    return doc.Document(meta, tuple(_gaps(blocks)), _front(brief, template))


def _front(brief: Brief, template: Template) -> tuple[doc.Front, ...]:
    return front_furniture(brief.prepared, template)


def front_furniture(prepared, template: Template) -> tuple[doc.Front, ...]:
    """The page furniture read once (a brief's, or a book's cover): the logo (left of the
    header), then the marking of `prepared`."""
    front: list[doc.Front] = []
    if template.logo:
        front.append(doc.Figure(str(template.logo.path), template.logo.alt))
    marking = prepared.classification if prepared else None
    if marking:
        front.append(doc.Marking(clip(marking)))
    return tuple(front)


_SCRIPTS: dict[int, tuple[Brief, tuple[tuple[str, str], ...]]] = {}


def _scripts(brief: Brief) -> tuple[tuple[str, str], ...]:
    """The languages of the brief's passages in other scripts (once per brief: fitting
    builds many trees of one brief)."""
    hit = _SCRIPTS.get(id(brief))
    if hit is None or hit[0] is not brief:
        if len(_SCRIPTS) > 64:
            _SCRIPTS.clear()
        hit = _SCRIPTS[id(brief)] = (brief, tuple(script_languages(
            brief_texts(brief), brief.lang).items()))
    return hit[1]


def brief_texts(value):
    """Every text of a brief (at full length, so that all its outputs agree)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, tuple):
        for v in value:
            yield from brief_texts(v)
    elif hasattr(value, "__dataclass_fields__"):
        for name, f in value.__dataclass_fields__.items():
            if not f.metadata.get("internal") and name != "text":
                yield from brief_texts(getattr(value, name))


def _gaps(blocks: list[doc.Block]) -> list[doc.Block]:
    """A gap between two boxes or tables in a row, which would otherwise touch."""
    out: list[doc.Block] = []
    for block in blocks:
        if out and isinstance(block, doc.BOXES) and isinstance(out[-1], doc.BOXES):
            out.append(doc.Gap())
        out.append(block)
    return out


class _Builder:
    """The blocks of each section; one method per section name of the template."""

    def __init__(self, brief: Brief, plan: Plan, template: Template):
        self.brief, self.plan, self.t = brief, plan, template
        self.labels = labels_for(template, brief.lang)

    def shown(self, section: str) -> list[Item]:
        return [i for i in getattr(self.brief, section) if self.plan.shows(item_key(i))]

    def depends(self, section: str) -> tuple:
        """What of the plan a section's blocks depend on (a key for `build`'s memo)."""
        plan = self.plan
        if section == "title":  # the note under the title counts what is left out
            return (plan.items, plan.one_line, plan.detail, plan.evidence, plan.key_points,
                    plan.context, plan.rec_columns)
        if section == "key_points":
            return (plan.key_points,)
        if section == "context":
            return (plan.context,)
        if section not in SECTIONS:
            return ()
        lists = {section}
        if self.t.columns and {"opportunities", "challenges"} <= set(self.t.sections) \
                and section in ("opportunities", "challenges"):
            lists = {"opportunities", "challenges"}
        extra: tuple = ()
        if section == "recommendations":
            targets = {t for i in self.brief.recommendations for t in i.addresses}
            extra = (plan.rec_columns, tuple(sorted(
                item_key(i) for i in self.brief.items if i.id in targets
                and plan.shows(item_key(i)))))
        return tuple(sorted((k, k in plan.one_line, k in plan.detail, k in plan.evidence)
                            for k in plan.items if k[0] in lists)) + extra

    def title(self) -> list[doc.Block]:
        note = _shortened_note(self.brief, self.plan, self.labels)
        own = self.labels.get("title_text")
        if own:  # a memo prints its own heading; the brief's title is the SUBJECT
            meta = (note,) if note else ()
            return [doc.TitleBlock((Run(str(own)),), (), meta)]
        return [_title_block(self.brief, self.labels, note)]

    def memo(self) -> list[doc.Block]:
        b, labels = self.brief, self.labels
        prepared = b.prepared
        rows = []
        if prepared and prepared.for_:
            rows.append((labels["memo_for"], (Run(prepared.for_),)))
        if prepared and prepared.by:
            rows.append((labels["memo_from"], (Run(prepared.by),)))
        if prepared and prepared.date:
            rows.append((labels["memo_date"], (Run(format_date(prepared.date, labels.lang)),)))
        rows.append((labels["memo_subject"], text_runs(b.title)))
        return [doc.MemoBlock(tuple(rows))]

    def bottom_line(self) -> list[doc.Block]:
        return [doc.Callout(self.labels["bottom_line"], tuple(
            parse_inline(p) for p in paragraphs(self.brief.summary)),
            description=self.labels["bottom_line_described"])]

    def key_points(self) -> list[doc.Block]:
        if not (self.plan.key_points and self.brief.key_points):
            return []
        points = tuple(text_runs(k) for k in self.brief.key_points)
        if self.t.raw.get("key_points_box"):
            return [doc.Callout(self.labels["key_points"], points, bullets=True,
                                description=self.labels["key_points_described"])]
        return [doc.Heading(self.labels["key_points"]), doc.BulletList(points)]

    def context(self) -> list[doc.Block]:
        if not (self.plan.context and self.brief.context):
            return []
        return [doc.Heading(self.labels["context"])] + [
            doc.Paragraph(parse_inline(p)) for p in paragraphs(self.brief.context)]

    def opportunities(self) -> list[doc.Block]:
        if self.t.columns and "challenges" in self.t.sections:
            return self._columns()
        return self._items_section("opportunities")

    def challenges(self) -> list[doc.Block]:
        if self.t.columns and "opportunities" in self.t.sections:
            return []  # printed beside the opportunities
        return self._items_section("challenges")

    def _items_section(self, section: str) -> list[doc.Block]:
        shown = self.shown(section)
        if not shown:
            return []
        return [doc.Heading(self.labels[section])] + _section_items(shown, self.plan,
                                                                    self.labels)

    def _columns(self) -> list[doc.Block]:
        """Opportunities and challenges side by side, a pair per row, while both lists
        have items; the rest of the longer list follows under 'More challenges' (or
        opportunities). When an item is shown with its detail or evidence, or one list
        is empty, the two sections follow each other as in other templates."""
        opps, chals = self.shown("opportunities"), self.shown("challenges")
        if not opps or not chals or any(_in_full(i, self.plan) for i in opps + chals):
            return self._items_section("opportunities") + self._items_section("challenges")
        pairs = min(len(opps), len(chals))
        rows = tuple((_one_liner(o, self.plan, self.labels),
                      _one_liner(c, self.plan, self.labels))
                     for o, c in zip(opps[:pairs], chals[:pairs]))
        left, right = self.labels["opportunities"], self.labels["challenges"]
        out: list[doc.Block] = [doc.ColumnsTable(
            (left, right), rows,
            caption=fill(self.labels["columns_caption"], {"left": left, "right": right}),
            description=fill(self.labels["columns_described"],
                             {"left": left, "right": right}))]
        section, rest = ("opportunities", opps[pairs:]) if len(opps) > pairs \
            else ("challenges", chals[pairs:])
        if rest:
            label = self.labels[f"more_{section}"]
            out += [doc.Heading(str(label)),
                    doc.BulletList(tuple(_one_liner(i, self.plan, self.labels) for i in rest))]
        return out

    def recommendations(self) -> list[doc.Block]:
        recs = self.shown("recommendations")
        if not recs:
            return []
        out: list[doc.Block] = [doc.Heading(self.labels["recommendations"])]
        mode = self.t.recommendations
        if mode == "table":
            out.append(_recommendation_table(recs, self.plan, self.labels, self.t))
            return out + _recommendation_details(self.brief, recs, self.plan, self.labels)
        numbered = mode == "numbered" and not self.t.numbered_paragraphs
        run: list[doc.Runs] = []  # numbered items not yet written
        start = 1
        for item in recs:
            runs = (lead_in(item.title, self.labels["full_stop"]),) + \
                _summary_runs(item, self.plan) + \
                _owner_runs(item, self.plan, self.labels)
            more = _detail_and_evidence(item, item_key(item) in self.plan.detail,
                                        item_key(item) in self.plan.evidence, self.labels)
            if numbered:
                # One numbered list, interrupted (and continued) where an item's detail or
                # evidence follows it.
                run.append(runs)
                if more:
                    out.append(doc.NumberedList(tuple(run), start=start))
                    start, run = start + len(run), []
            else:
                out.append(doc.Paragraph(runs))
                if mode == "decisions":
                    out.append(doc.Paragraph((Run(self.labels["decision"]),), "decision"))
            out += more
        if run:
            out.append(doc.NumberedList(tuple(run), start=start))
        return out

    def source(self) -> list[doc.Block]:
        return [doc.SourceReference(self.labels["source"],
                                    _source_runs(self.brief, self.labels))]


def _in_full(item: Item, plan: Plan) -> bool:
    """Whether an item is shown under its own heading (with detail or evidence)."""
    key = item_key(item)
    return key in plan.detail or key in plan.evidence


def item_words(item: Item, template: Template, one_line: bool,
               lang: str = "en") -> tuple[str, str]:
    """The words an item's entry in its list prints, as (bold lead, rest): a one-liner or
    a summary with its priority, a table row's text, a recommendation with its priority
    (owners and timeframes not counted). Fitting bounds heights with them."""
    plan = Plan("", frozenset(), frozenset(), frozenset(), rec_columns=False,
                one_line=frozenset({item_key(item)}) if one_line else frozenset())
    labels = labels_for(template, lang)
    if item.section == "recommendations" and template.recommendations == "table":
        runs = _summary_runs(item, plan)
    elif item.section == "recommendations":
        runs = _summary_runs(item, plan) + _owner_runs(item, plan, labels)
    else:
        runs = _one_liner(item, plan, labels)[1:]
    return lead_in(item.title, labels["full_stop"]).text, "".join(r.text for r in runs)


def _owner_runs(item: Item, plan: Plan, labels: Labels) -> doc.Runs:
    """' (Owner: X; Timeframe: Y; high priority)' after a recommendation in running text."""
    parts = []
    colon = labels["colon"]
    if plan.rec_columns and item.owner:
        parts.append(f"{labels['owner']}{colon}{item.owner}")
    if plan.rec_columns and item.timeframe:
        parts.append(f"{labels['timeframe']}{colon}{item.timeframe}")
    parts.append(labels.priority("priority_note", item.priority, lower=True))
    return (Run(" (" + "; ".join(parts) + ")", italic=True),)


def number_paragraphs(blocks: list[doc.Block]) -> list[doc.Block]:
    """Number every body paragraph and one-liner of the document, 1, 2, 3... in one run,
    as government memos do."""
    out: list[doc.Block] = []
    n = 1
    for block in blocks:
        if isinstance(block, doc.NumberedList):
            # Evidence lists would restart at 1 among the memo's own numbers: quotes instead.
            out += [doc.Paragraph(item, "quote") for item in block.items]
        elif isinstance(block, doc.Paragraph) and block.style == "body":
            out.append(doc.NumberedList((block.runs,), start=n))
            n += 1
        elif isinstance(block, doc.BulletList):
            out.append(doc.NumberedList(block.items, start=n))
            n += len(block.items)
        else:
            out.append(block)
    return out


def _shortened_note(brief: Brief, plan: Plan, labels: Labels) -> str | None:
    """A discreet line telling the reader that a longer version exists, or None."""
    om = omissions(brief, plan)
    n = sum(c for _, _, c in om.items)
    more = [labels.count("more_items", n)] if n else []
    more += [labels["omitted"][key] for flag, key in (
        (om.key_points, "key_points"), (om.context, "context"), (om.summaries, "summaries"),
        (om.detail, "detail"), (om.evidence, "evidence"), (om.owners, "owners")) if flag]
    if plan.length == "full" or not more:
        return None
    return fill(str(labels["shortened"]), {"length": labels.length(plan.length),
                                           "more": labels.join(more)})


def _title_block(brief: Brief, labels: Labels, note: str | None = None) -> doc.TitleBlock:
    meta = []
    prepared = brief.prepared
    colon = labels["colon"]
    if prepared and prepared.for_:
        meta.append(f"{labels['prepared_for']}{colon}{prepared.for_}")
    by = [prepared.by] if prepared and prepared.by else []
    if prepared and prepared.date:
        by.append(format_date(prepared.date, labels.lang))
    if by:
        meta.append(f"{labels['prepared_by']}{colon}" + " · ".join(by) if prepared.by
                    else " · ".join(by))
    if note:
        meta.append(note)
    return doc.TitleBlock(text_runs(brief.title),
                          text_runs(brief.subtitle) if brief.subtitle else (), tuple(meta))


def _priority_lead(item: Item, labels: Labels) -> Run:
    return Run(labels.priority("priority_lead", item.priority) + labels["full_stop"] + " ",
               bold=True)


def _section_items(items: list[Item], plan: Plan, labels: dict) -> list[doc.Block]:
    """Items in document order: those shown with detail or evidence under their own heading,
    the others as one-liners, consecutive one-liners in one bullet list."""
    out: list[doc.Block] = []
    one_liners: list[doc.Runs] = []
    for item in items:
        if _in_full(item, plan):
            if one_liners:
                out.append(doc.BulletList(tuple(one_liners)))
                one_liners = []
            out += _item_blocks(item, plan, labels)
        else:
            one_liners.append(_one_liner(item, plan, labels))
    if one_liners:
        out.append(doc.BulletList(tuple(one_liners)))
    return out


@lru_cache(maxsize=8192)
def lead_in(title: str, stop: str = ".") -> Run:
    """An item title as the bold start of a sentence: 'Title. ' (no doubled full stop;
    `stop` is the language's full stop, Urdu's ۔)."""
    text = plain_text(title).strip()
    return Run(text + (" " if text[-1:] in ".?!:۔؟" else stop + " "), bold=True)


def _summary_runs(item: Item, plan: Plan) -> doc.Runs:
    """The text after an item's title: its one-line form when the plan shows it so,
    else its whole summary."""
    if item_key(item) in plan.one_line:
        return text_runs(one_line_text(item))
    return text_runs(item.summary)


def _one_liner(item: Item, plan: Plan, labels: Labels) -> doc.Runs:
    priority = labels.priority("priority_note", item.priority, lower=True)
    return ((lead_in(item.title, labels["full_stop"]),) + _summary_runs(item, plan)
            + (Run(f" ({priority})", italic=True),))


def _item_blocks(item: Item, plan: Plan, labels: dict) -> list[doc.Block]:
    key = item_key(item)
    out: list[doc.Block] = [
        doc.Heading(plain_text(item.title), 2, tag=item.priority),
        doc.Paragraph((_priority_lead(item, labels),) + text_runs(item.summary)),
    ]
    out += _detail_and_evidence(item, key in plan.detail, key in plan.evidence, labels)
    return out


def _detail_and_evidence(item: Item, detail: bool, evidence: bool,
                         labels: Labels) -> list[doc.Block]:
    out: list[doc.Block] = []
    if detail and item.detail:
        out += [doc.Paragraph(parse_inline(p)) for p in paragraphs(item.detail)]
    if evidence and item.evidence:
        quotes = tuple(_quote_runs(e, labels) for e in item.evidence)
        if len(quotes) == 1:
            out.append(doc.Paragraph(quotes[0], "quote"))
        else:
            out.append(doc.NumberedList(quotes))
    return out


def _quote_runs(evidence, labels: Labels) -> tuple[Run, ...]:
    runs = text_runs(labels.quoted(evidence.quote.strip()), italic=True)
    where = []
    if evidence.paragraph:
        where.append(labels.count("paragraph_ref", evidence.paragraph))
    if evidence.page:
        where.append(labels.count("page_ref", evidence.page))
    if where:
        runs += (Run(f" ({labels['comma'].join(where)})"),)
    return runs


def _recommendation_table(recs: list[Item], plan: Plan, labels: Labels,
                          template: Template) -> doc.RecommendationTable:
    header = tuple(labels["table_header"])
    widths = tuple(template.table.get("widths", ()))
    if not plan.rec_columns:
        header, widths = header[:2] + header[-1:], _narrow(widths)
    rows = []
    for n, item in enumerate(recs, 1):
        text = (lead_in(item.title, labels["full_stop"]),) + _summary_runs(item, plan)
        cells = [(Run(str(n)),), text]
        if plan.rec_columns:
            cells += [(Run(item.owner or "–"),), (Run(item.timeframe or "–"),)]
        cells.append((Run(labels["priority"][item.priority]),))
        rows.append(doc.TableRow(tuple(cells)))
    return doc.RecommendationTable(
        header, tuple(rows), widths, caption=labels["recommendations"],
        description=fill(labels["recommendations_described"],
                         {"columns": labels.join(header)}))


def _narrow(widths: tuple[float, ...]) -> tuple[float, ...]:
    """Widths for the table without owner and timeframe: the text column takes their room."""
    if len(widths) != 5:
        return ()
    return (widths[0], widths[1] + widths[2] + widths[3], widths[4])


def _recommendation_details(brief: Brief, recs: list[Item], plan: Plan,
                            labels: Labels) -> list[doc.Block]:
    out: list[doc.Block] = []
    for n, item in enumerate(recs, 1):
        key = item_key(item)
        body = _detail_and_evidence(item, key in plan.detail, key in plan.evidence, labels)
        targets = [brief.item_by_id(t) for t in item.addresses]
        answered = [plain_text(t.title) for t in targets if t and plan.shows(item_key(t))]
        if answered and (body or key in plan.detail):
            body.insert(0, doc.Paragraph((Run(f"{labels['addresses']}{labels['colon']}",
                                              bold=True), Run("; ".join(answered))), "body"))
        if body:
            out.append(doc.Heading(f"{n}. {plain_text(item.title)}", 2, tag=item.priority))
            out += body
    if out:
        out.insert(0, doc.Heading(labels["recommendation_details"], 1))
    return out


def _source_runs(brief: Brief, labels: Labels) -> tuple[Run, ...]:
    s = brief.source
    comma = labels["comma"]
    runs: list[Run] = []
    if s.author:
        runs.append(Run(f"{s.author}{comma}"))
    runs.append(Run(labels.quoted(s.title), italic=True))
    tail = [x for x in (s.publisher, format_date(s.date, labels.lang) if s.date else None)
            if x]
    runs.append(Run((comma + comma.join(tail) if tail else "") + labels["full_stop"]))
    if s.url:
        runs.append(Run(" "))
        scheme_ok = s.url.lower().startswith(("http://", "https://"))
        runs.append(Run(s.url, href=s.url if scheme_ok else None))
    return tuple(runs)


def clip(text: str, limit: int = 255) -> str:
    """A document property: invisible characters (soft hyphens, zero-width spaces, controls)
    dropped, shortened at a word boundary with an ellipsis to the 255 characters that
    properties hold."""
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf", "Cc", "Cs"))
    if len(text) <= limit:
        return text
    return text[:limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _metadata(brief: Brief, plan: Plan, labels: Labels) -> doc.Metadata:
    prepared = brief.prepared
    keywords = []
    for item in brief.items:
        if plan.shows(item_key(item)):
            keywords += [t for t in item.tags if t not in keywords]
    s = brief.source
    date = format_date(prepared.date, labels.lang) if prepared and prepared.date else ""
    fields = {
        "title": plain_text(brief.title), "subtitle": plain_text(brief.subtitle or ""),
        "classification": (prepared.classification if prepared else None) or "",
        "date": date, "prepared.date": date,
        "prepared.by": (prepared.by if prepared else None) or "",
        "prepared.for": (prepared.for_ if prepared else None) or "",
        "source.title": s.title, "source.author": s.author or "",
        "source.publisher": s.publisher or "",
        "source.date": format_date(s.date, labels.lang) if s.date else "",
        "length": labels.length(plan.length),
        "page_x_of_y": str(labels["page_x_of_y"]),
    }
    return doc.Metadata(
        title=clip(plain_text(brief.title)),
        author=clip(fields["prepared.by"]),
        subject=clip(" ".join(paragraphs(plain_text(brief.summary)))),
        keywords=_clip_keywords(keywords),
        language=brief.lang,
        direction=direction(brief.lang),
        scripts=_scripts(brief),
        classification=clip(fields["classification"]),
        date=prepared.date.isoformat() if prepared and prepared.date else "",
        fields=tuple(sorted(fields.items())),
    )


def _clip_keywords(keywords: list[str]) -> tuple[str, ...]:
    """As many keywords as fit the 255 characters of a document property."""
    kept: list[str] = []
    for k in keywords:
        if len(", ".join(kept + [k])) > 255:
            break
        kept.append(k)
    return tuple(kept)
