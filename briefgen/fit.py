"""Fit: the richest plan whose layout keeps the page budget.

The loop is plan -> build -> measure, in this one place. `measure` replays the PDF
engine's page breaking on cached block heights, so trying a plan costs little. The search
walks the ladder of `plan` in three bounded passes:

1. the top item of each list, in its one-line form (an item that cannot fit even so is
   skipped and reported);
2. a binary search for the longest prefix of the rest of the ladder that fits;
3. one pass over the steps after it, each tried once: a step that fits is taken, one that
   does not is passed over and the pass goes on. An item whose summary does not fit is
   shown in its one-line form. An item that does not fit even as a one-liner either is too
   long for the length (it does not fit beside the least the length carries: it is
   skipped and reported), or it is left out for room, and then no item of lower priority
   is shown after it.

The chosen plan is measured again without the margin. A safety margin of `reserve_lines`
body lines per page is kept free while measuring, for word processors that lay text out a
little differently.
"""

from __future__ import annotations

from pathlib import Path

from . import doc
from .build import build, item_words, paragraphs
from .labels import labels_for
from .doc import Document
from .errors import BriefError, Diagnostic
from .inline import plain_text
from .measure import Measure, Measurer
from .model import PRIORITIES, Brief, Item
from .plan import (Length, Plan, Step, abridged, full_plan, item_key, item_path, ladder,
                   length_for, plan_of, top_items)
from .records import dataclass
from .templates import Template

DEFAULT_RESERVE_LINES = 1.0
"""Body lines kept free per page while fitting (LibreOffice needed none in our tests)."""


@dataclass(frozen=True)
class Fitted:
    """The plan chosen for an output, its document tree and its layout."""

    plan: Plan
    document: Document
    pages: int
    last_fill: float
    steps: tuple[Step, ...] = ()
    warnings: tuple[Diagnostic, ...] = ()
    """Items too long for the length, each located at the item in the brief."""
    one_liners: tuple[Item, ...] = ()
    """Items shown in their one-line form that leave part of their summary out."""
    skipped: tuple[Item, ...] = ()
    """Items left out because even their one-line form is too long for the length."""


class _Search:
    """Builds and measures candidate plans, remembering what it measured."""

    def __init__(self, brief: Brief, length: Length, template: Template, reserve: float):
        self.brief, self.length, self.template = brief, length, template
        self.measurer = Measurer.for_template(template)
        self.reserve = reserve
        self.tried = 0
        self._measured: dict[tuple, Measure] = {}
        self._memo: dict = {}  # the blocks of each section, by what of the plan they show
        self._sizes: dict = {}
        sections = template.sections
        self.columns = template.columns and "opportunities" in sections \
            and "challenges" in sections

    def document(self, steps) -> Document:
        return build(self.brief, plan_of(self.brief, self.length, steps, words=False),
                     self.template, self._memo, metadata=False)

    def measure(self, steps) -> Measure:
        key = tuple(steps)
        m = self._measured.get(key)
        if m is None:
            self.tried += 1
            m = self._measured[key] = self.measurer.measure(self.document(steps), self.reserve)
        return m

    def fits(self, steps) -> bool:
        m = self.measure(steps)
        return m.pages <= self.length.budget and not m.overflows

    def added(self, steps, step) -> float | None:
        """The content a step added to these steps, if both were measured."""
        before, after = self._measured.get(tuple(steps)), \
            self._measured.get(tuple(steps) + (step,))
        return after.content - before.content if before and after else None

    def room(self, steps) -> float:
        """Points of the budget that the boxes of these (fitting) steps and the space
        between them leave unused (page breaks drop a space each): a step whose least
        height is more cannot fit, wherever the pages break."""
        m = self.measure(steps)
        budget = self.length.budget
        return budget * (self.measurer.height - self.reserve) - m.content \
            + (budget - 1) * m.widest_gap

    def least(self, step: Step, in_sum: bool = False) -> float:
        """A lower bound of the content a step adds. Side by side, an item may fill the
        room beside a longer one (0), but the columns together are at least half their
        items' height (`in_sum`: the bound for the step as one of a run of steps)."""
        if self.columns and len(step) > 1 and step[1][0] != "recommendations":
            if not in_sum or step[0] in ("detail", "evidence"):
                return 0.0  # detail puts the lists one after the other: a new layout
            return self._size(step) / 2
        return self._size(step)

    def estimate(self, step: Step) -> float:
        """A likely height of what a step adds (not a bound: where to start searching)."""
        share = 0.5 if self.columns and len(step) > 1 and step[1][0] != "recommendations" \
            else 1.0
        return share * self._size(step, estimate=True)

    def _size(self, step: Step, estimate: bool = False) -> float:
        key = (step, estimate)
        size = self._sizes.get(key)
        if size is None:
            size = self._sizes[key] = self._least(step, estimate)
        return size

    def _least(self, step: Step, estimate: bool = False) -> float:
        kind, t = step[0], self.template

        def least(texts, styles=("body",), width=None):
            return self.measurer.least_height(texts, styles, width, estimate)

        if kind == "rec_columns":
            return 0.0
        if kind == "key_points":
            return least(map(plain_text, self.brief.key_points), ("bullet", "callout", "number"))
        if kind == "context":
            return least(map(plain_text, paragraphs(self.brief.context)),
                         ("number",) if t.numbered_paragraphs else ("body",))
        item = _item(self.brief, step[1])
        numbered = t.numbered_paragraphs  # a memo numbers every paragraph and one-liner
        styles, width = ("number",) if numbered else ("bullet",), None
        if item.section == "recommendations":
            styles = {"table": ("table_cell",), "numbered": ("number",)}.get(
                t.recommendations, ("number",) if numbered else ("body",))
            if t.recommendations == "table":  # the text column at its widest
                fractions = list(t.table.get("widths", ())) or [1.0]
                width = t.text_width * (sum(fractions[1:-1]) if len(fractions) == 5
                                        else 1.0) / sum(fractions)
        if kind in ("item", "summary"):
            one = least([item_words(item, t, True, self.brief.lang)], styles, width)
            if kind == "item":
                return one
            # What the whole summary adds: at least its lines, less the one-liner's at most
            # (each full line of a paragraph holds more than the width less a word).
            whole = least([item_words(item, t, False, self.brief.lang)], styles, width)
            if estimate:
                return max(0.0, whole - one)
            most = self.measurer.most_height([item_words(item, t, True, self.brief.lang)], styles, width)
            return max(0.0, whole - most)
        # Detail and evidence (the item's heading and summary paragraph take no less room
        # than the one-liner they replace).
        styles = ("number",) if numbered else ("body",) if kind == "detail" else \
            ("quote", "number")
        texts = paragraphs(item.detail or "") if kind == "detail" else \
            [e.quote for e in item.evidence]
        return least(map(plain_text, texts), styles)


def fit(brief: Brief, length: Length, template: Template,
        reserve_lines: float | None = None) -> Fitted:
    """The richest plan for the length; BriefError when not even one item fits beside the
    title, the bottom line and the source, or when a block that cannot be split is taller
    than a page."""
    fitted = _fit(brief, length, template, reserve_lines)
    too_tall = Measurer.for_template(template).overflow(fitted.document)
    if too_tall is not None:
        raise _too_tall(brief, too_tall, template)
    return fitted


_RECENT: dict[tuple, tuple] = {}
"""The last fits of this process, so that a two-page build reuses the one-page fit it
starts from (`briefgen build -l one-page -l two-page` fits one page once)."""


def _fit(brief: Brief, length: Length, template: Template,
         reserve_lines: float | None) -> Fitted:
    key = (id(brief), id(template), length, reserve_lines)
    hit = _RECENT.get(key)
    if hit is not None and hit[0] is brief and hit[1] is template:
        return hit[2]
    fitted = _search(brief, length, template, reserve_lines)
    if len(_RECENT) >= 16:
        _RECENT.pop(next(iter(_RECENT)))
    _RECENT[key] = (brief, template, fitted)
    return fitted


def _search(brief: Brief, length: Length, template: Template,
            reserve_lines: float | None) -> Fitted:
    if length.budget is None:
        plan = full_plan(brief)
        return _render(brief, plan, build(brief, plan, template), template, ())
    if reserve_lines is None:  # the command line's, else the template's, else one line
        reserve_lines = template.reserve_lines if template.reserve_lines is not None \
            else DEFAULT_RESERVE_LINES
    reserve = reserve_lines * template.styles["body"].leading
    base: tuple[Step, ...] = ()
    if length.name == "two-page":
        # Two pages carry at least what one page does (when one page can hold anything).
        try:
            base = _fit(brief, length_for("one-page"), template, reserve_lines).steps
        except BriefError:
            base = ()
    search = _Search(brief, length, template, reserve)
    steps = [s for s in ladder(brief, length.rungs) if s not in base]
    taken = list(base)
    rank = {item_key(i): PRIORITIES.index(i.priority) for i in brief.items}
    skipped: list = []   # items too long for the length, reported
    classified: set = set()  # items found too long or left out for room
    crowded: set = set()  # top items that fit alone, but not beside the other tops

    # 1. The top item of each list, one-line. One that cannot fit even beside the title
    # and the bottom line alone is skipped; when the others do not fit together, the
    # tallest challenge or opportunity gives way first (the asks come first).
    tops = [("item", item_key(t)) for t in top_items(brief)
            if ("item", item_key(t)) not in taken]
    if not search.fits(taken + tops):
        for step in list(tops):
            if not search.fits(taken + [step]):
                tops.remove(step)
                skipped.append(step[1])
    while tops and not search.fits(taken + tops):
        others = [t for t in tops if t[1][0] != "recommendations"] or tops
        tallest = max(others, key=lambda t: search.measure(taken + [t]).content)
        tops.remove(tallest)
        skipped.append(tallest[1])
        crowded.add(tallest[1])
    taken += tops
    steps = [s for s in steps if s not in taken
             and not (s[0] == "item" and s[1] in skipped)]
    if not any(s[0] == "item" for s in taken):
        # No top item fits: the first other item that does stands in for them.
        first = next((s for s in steps if s[0] == "item" and search.fits(taken + [s])), None)
        if first is None:
            raise _overflow(brief, length, search,
                            taken + [("item", item_key(top_items(brief)[0]))])
        taken.append(first)
        steps.remove(first)

    # 2. The longest prefix of the rest that fits (a prefix that fits means all shorter
    # ones fit, apart from rare page-breaking effects, which pass 3 mends). It is no
    # longer than the longest prefix whose least heights fit in the room left; the search
    # starts where likely heights fill that room and gallops from there (1, 2, 4... steps)
    # before it bisects, so that content far beyond the budget is seldom laid out.
    room, hi, least, guess, likely = search.room(taken), 0, 0.0, 0, 0.0
    # Likely heights, scaled by how they compare with what is measured already.
    guessed = sum(search.estimate(s) for s in taken)
    measured = search.measure(taken).content - search.measure([]).content
    scale = min(3.0, max(0.7, measured / guessed)) if guessed > 0 else 1.0
    for step in steps:
        least += search.least(step, in_sum=True)
        if least > room:
            break
        likely += scale * search.estimate(step)
        guess += likely <= room
        hi += 1
    lo, guess = 0, max(1, min(guess, hi))
    if hi:
        if search.fits(taken + steps[:guess]):
            lo, jump = guess, 1
            while lo < hi:
                probe = min(hi, lo + jump)
                if not search.fits(taken + steps[:probe]):
                    hi = probe - 1
                    break
                lo, jump = probe, jump * 2
        else:
            hi, jump = guess - 1, 1
            while lo < hi:
                probe = max(lo, hi - jump + 1)
                if search.fits(taken + steps[:probe]):
                    lo = probe
                    break
                hi, jump = probe - 1, jump * 2
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if search.fits(taken + steps[:mid]):
            lo = mid
        else:
            hi = mid - 1
    taken += steps[:lo]

    # 3. Every later step that fits, in ladder order, within the priority rule. A step
    # whose least height exceeds the room left is not laid out at all. Side-by-side
    # columns can take an item later that did not fit earlier (a pair shares a row): what
    # failed before something was taken is tried again, in at most two more passes.
    roomless: set = set()  # items left out for room: no item of lower priority may follow
    todo = steps[lo:]
    known_fail = steps[lo] if lo < len(steps) else None  # known not to fit (pass 2)
    for _ in range(3):
        failed: list[Step] = []
        room = search.room(taken) if todo else 0.0
        again = False  # something was taken after a step failed
        have = set(taken)
        for step in todo:
            kind = step[0]
            key = step[1] if len(step) > 1 else None
            if kind == "item":
                blocked = min((rank[k] + 1 for k in roomless if ("item", k) not in have),
                              default=len(PRIORITIES))
                if rank[key] >= blocked or key in skipped:
                    continue
            if kind != "item" and key is not None and ("item", key) not in have:
                continue
            if kind in ("detail", "evidence") and ("summary", key) not in have:
                continue
            if kind == "summary" and not abridged(_item(brief, key)):
                taken.append(step)  # the one-line form is the whole summary: no cost
                have.add(step)
                continue
            if step is not known_fail and search.least(step) <= room \
                    and search.fits(taken + [step]):
                taken.append(step)
                have.add(step)
                room = search.room(taken)
                again = again or bool(failed)
                continue
            failed.append(step)
            if kind == "item" and key not in classified:
                classified.add(key)
                if _too_long(search, base, taken, step, blocked <= rank[key] + 1):
                    skipped.append(key)
                else:
                    roomless.add(key)
        if not again:
            break
        todo, known_fail = [s for s in todo if s not in have], None  # with what they need
    plan = plan_of(brief, length, taken, tuple(skipped))
    document = build(brief, plan, template, search._memo)
    return _render(brief, plan, document, template, tuple(taken), crowded,
                   bool(base))


def _item(brief: Brief, key) -> Item:
    return getattr(brief, key[0])[key[1]]


def _too_long(search: _Search, base, taken, step, decided: bool) -> bool:
    """Whether an item that did not fit is too long for the length even as a one-liner
    (it does not fit beside what the length always carries), rather than left out for
    room. `decided`: lower priorities are blocked already, so say so only when sure."""
    alone, added = search.room(list(base)), search.added(taken, step)
    if added is not None:
        return added > alone  # more content than the length leaves beside it
    if search.least(step) > alone:
        return True
    return False if decided else not search.fits(list(base) + [step])


def _render(brief: Brief, plan: Plan, document: Document, template: Template,
            steps, crowded=frozenset(), on_base: bool = False) -> Fitted:
    """Pages and fill of the chosen document as the renderers will lay it out (no reserve),
    and a warning for each item too long for the length."""
    measure = Measurer.for_template(template).measure(document)
    skipped = tuple(i for i in brief.items if item_key(i) in set(plan.skipped))
    return Fitted(plan, document, measure.pages, measure.last_fill, steps,
                  tuple(_too_long_warning(brief, plan, i, item_key(i) in crowded, on_base)
                        for i in skipped),
                  tuple(i for i in brief.items if item_key(i) in plan.one_line and abridged(i)),
                  skipped)


def _too_long_warning(brief: Brief, plan: Plan, item: Item, crowded: bool,
              on_base: bool) -> Diagnostic:
    """The warning for an item left out because even its one-line form does not fit."""
    form = "title and `short`" if item.short else "title and the first sentence of its summary"
    fix = "give it a shorter `short:`" if item.short else \
        "give it a `short:` (one sentence, printed after the title when it is a one-liner)"
    beside = "beside the title, the bottom line and the other lists' first items" if crowded \
        else "beside what the one-page brief carries" if on_base \
        else "beside the title and the bottom line"
    return Diagnostic(brief.path, item.at[0], item.at[1],
                      f"too long for {plan.length}: '{plain_text(item.title)}' is left out, as "
                      f"even its one-line form ({form}) does not fit {beside}; {fix}",
                      item_path(item), "warning")


def _too_tall(brief: Brief, too_tall, template: Template) -> BriefError:
    lines = max(1, round(too_tall.points / template.styles["body"].leading))
    block = too_tall.block
    if isinstance(block, doc.Callout):
        what = f"the box '{block.label}'"
        hint = "shorten the summary" if block.label == labels_for(template, brief.lang)["bottom_line"] \
            else "shorten the key points"
    elif isinstance(block, doc.RecommendationTable):
        what = f"row {too_tall.row + 1} of the recommendations table"
        hint = "shorten that recommendation's summary"
    else:
        what = f"a {type(block).__name__} block"
        hint = "shorten its text"
    return BriefError.single(
        brief.path, f"{what} is taller than a page, by about {lines} "
                    f"line{'s' if lines != 1 else ''}, and cannot be split; {hint}")


def _overflow(brief: Brief, length: Length, search: _Search, minimum) -> BriefError:
    m = search.measure(minimum)
    frame = search.measurer.height - search.reserve
    over = (m.pages - length.budget - 1) * frame + m.last_fill * frame
    lines = max(1, round(over / search.template.styles["body"].leading))
    # The longest of the fields every length prints, named first and pointed at.
    fields = {"summary": brief.summary, "title": brief.title, "subtitle": brief.subtitle or ""}
    longest = max(fields, key=lambda k: (len(fields[k]), k == "summary"))
    words = len(fields[longest].split())
    size = f"{words} word{'s' if words != 1 else ''}" if words > 1 else \
        f"{len(fields[longest])} characters"
    others = [k for k in ("summary", "title", "subtitle") if k != longest and fields[k]]
    line, column = _key_place(brief.path, longest)
    return BriefError.single(
        brief.path,
        f"{length.name}: the title, the bottom line, the source and any one item do not fit "
        f"in {length.budget} page{'s' if length.budget != 1 else ''}; with the first item "
        f"they overflow by about {lines} line{'s' if lines != 1 else ''}. Shorten the "
        f"{longest} ({size}), the {' or the '.join(others)} or the highest-priority "
        f"item's summary, or allow more pages (--pages).", line, column)


def _key_place(path: str, key: str) -> tuple[int, int]:
    """Line and column of a top-level key's value in the brief file (1:1 if not found)."""
    import re

    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return 1, 1
    found = re.search(rf"^{re.escape(key)}:[ \t]*", text, re.M)
    if not found:
        return 1, 1
    return text.count("\n", 0, found.start()) + 1, found.end() - found.start() + 1
