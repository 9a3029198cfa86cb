"""Plan: decide what of a brief a given length carries.

Items are chosen in one order, the *choosing order* (`choosing_order`): first the top item
of each list (its highest priority, first in document order), recommendations first; then
every other item by priority, the three lists taking turns within a priority
(recommendation, challenge, opportunity, recommendation, ...). The builder prints items in
their document order, whatever order chose them.

Content is added in steps, the *ladder*: each item in its one-line form (its title and
`short`, else its summary's first sentence), then with its whole summary, high priority
first; the recommendations' owners and timeframes; the key points; the other items; the
detail of high-priority items; the context; the detail of the rest; the evidence. A plan is
the set of steps taken; `fit` picks the most steps that fit a page budget. Each named length
may climb only some rungs: a one-page brief shows items only in their one-line form and
never carries key points, context or detail. The title, the summary and the source
reference are not steps: every plan carries them.
"""

from __future__ import annotations

from functools import lru_cache

from .inline import plain_text
from .model import PRIORITIES, Brief, Item
from .records import dataclass
from .sentences import first_sentence

LENGTHS = ("one-page", "two-page", "full")
BUDGETS = {"one-page": 1, "two-page": 2, "full": None}
TURNS = ("recommendations", "challenges", "opportunities")
"""The lists in the order they take turns when items are chosen: the asks first."""

ItemKey = tuple[str, int]
Step = tuple  # ("item", key), ("summary", key), ("key_points",), ("detail", key), ...

# The rungs each named length may climb; --pages N climbs all of them.
RUNGS = {
    "one-page": {"item", "rec_columns"},
    "two-page": {"key_points", "item", "summary", "rec_columns", "detail-high", "context"},
}
ALL_RUNGS = {"key_points", "item", "summary", "rec_columns", "detail-high", "context",
             "detail", "evidence"}


@dataclass(frozen=True)
class Length:
    """A named length and its page budget (None: no limit)."""

    name: str
    budget: int | None

    @property
    def rungs(self) -> set[str]:
        """The kinds of content this length may carry."""
        return RUNGS.get(self.name, ALL_RUNGS)

    @property
    def one_liners(self) -> bool:
        """Whether this length shows every item in its one-line form (one-page does)."""
        return "summary" not in self.rungs


def length_title(name: str) -> str:
    """'one-page' -> 'One-page', '2-page' -> 'Two-page', '7-page' -> '7-page'."""
    words = {"1-page": "one-page", "2-page": "two-page"}
    name = words.get(name, name)
    return name[:1].upper() + name[1:]


def length_for(name: str | None, pages: int | None = None) -> Length:
    """`one-page`, `two-page`, `full`, or `--pages N` (named `N-page`)."""
    if pages is not None:
        return Length(f"{pages}-page", pages)
    return Length(name or "two-page", BUDGETS[name or "two-page"])


@dataclass(frozen=True)
class Plan:
    """What one output carries; the builder follows it to the letter."""

    length: str
    items: frozenset[ItemKey]
    detail: frozenset[ItemKey]
    evidence: frozenset[ItemKey]
    key_points: bool = True
    context: bool = True
    rec_columns: bool = True
    one_line: frozenset[ItemKey] = frozenset()
    """Shown items printed in their one-line form (title and short or first sentence)."""
    skipped: tuple[ItemKey, ...] = ()
    """Items left out because even their one-line form is too long for the length."""
    left_out: tuple[str, ...] = ()

    def shows(self, key: ItemKey) -> bool:
        """Whether the item is in this output at all."""
        return key in self.items


def item_key(item: Item) -> ItemKey:
    """The key that names an item in a plan: its section and position."""
    return (item.section, item.index)


def item_path(item: Item) -> str:
    """Where the item is in the brief, as messages name it: 'challenges[3]' (1-based)."""
    return f"{item.section}[{item.index + 1}]"


def one_line_text(item: Item) -> str:
    """The text printed after the title in the item's one-line form: its `short`, else
    the first sentence of its summary."""
    return item.short.strip() if item.short else first_sentence(item.summary)


@lru_cache(maxsize=4096)
def _abridged(short: str | None, summary: str) -> bool:
    one = short.strip() if short else first_sentence(summary)
    return plain_text(" ".join(one.split())) != plain_text(" ".join(summary.split()))


def abridged(item: Item) -> bool:
    """Whether the one-line form leaves part of the summary out."""
    return _abridged(item.short, item.summary)


def _rank(item: Item) -> int:
    return PRIORITIES.index(item.priority)


def top_items(brief: Brief) -> list[Item]:
    """Each list's top item (its highest priority, first in document order), the
    recommendation first, then the challenge, then the opportunity."""
    return [min(items, key=lambda i: (_rank(i), i.index))
            for items in (getattr(brief, s) for s in TURNS) if items]


def choosing_order(brief: Brief) -> list[Item]:
    """Every item in the order items are chosen: the top item of each list, then by
    priority, the lists taking turns within a priority, recommendations first."""
    tops = top_items(brief)
    order = list(tops)
    for priority in PRIORITIES:
        queues = [[i for i in getattr(brief, s) if i.priority == priority and i not in tops]
                  for s in TURNS]
        for turn in range(max(len(q) for q in queues)):
            order += [q[turn] for q in queues if turn < len(q)]
    return order


def by_priority(brief: Brief) -> list[Item]:
    """Items in the choosing order, stably sorted by priority: the order in which the
    ladder adds them (a top item of low priority is shown first, but its summary and
    detail wait for its priority)."""
    return sorted(choosing_order(brief), key=_rank)


def ladder(brief: Brief, rungs: set[str]) -> list[Step]:
    """Every step a length may take, in the order content is added: the high-priority
    items (each one-line, then with its summary), the recommendations' owners and
    timeframes, the key points, the other items, the detail of high-priority items, the
    context, the detail of the rest, the evidence. The top items' own steps come first."""
    ordered = by_priority(brief)

    def shown(items: list[Item]) -> list[Step]:
        out: list[Step] = []
        for i in items:
            out.append(("item", item_key(i)))
            if "summary" in rungs:
                out.append(("summary", item_key(i)))
        return out

    tops = top_items(brief)
    high = [i for i in ordered if i.priority == "high"]
    rest = [i for i in ordered if i.priority != "high"]
    steps: list[Step] = [("item", item_key(i)) for i in tops]
    steps += [s for s in shown(high) if s[0] != "item" or s[1] not in
              {item_key(i) for i in tops}]
    if "rec_columns" in rungs and any(i.owner or i.timeframe for i in brief.recommendations):
        steps.append(("rec_columns",))
    if "key_points" in rungs and brief.key_points:
        steps.append(("key_points",))
    steps += [s for s in shown(rest) if s[0] != "item" or s[1] not in
              {item_key(i) for i in tops}]
    if "detail-high" in rungs or "detail" in rungs:
        steps += [("detail", item_key(i)) for i in high if i.detail]
    if "context" in rungs and brief.context:
        steps.append(("context",))
    if "detail" in rungs:
        steps += [("detail", item_key(i)) for i in rest if i.detail]
    if "evidence" in rungs:
        steps += [("evidence", item_key(i)) for i in ordered if i.evidence]
    return steps


def plan_of(brief: Brief, length: Length, steps: list[Step] | tuple[Step, ...],
            skipped: tuple[ItemKey, ...] = (), words: bool = True) -> Plan:
    """The plan that carries exactly these steps: an item without its summary step is
    shown in its one-line form; detail and evidence only of items shown with their
    summary. `words=False` leaves the left-out wording empty (for trial plans)."""
    taken = set(steps)
    items = frozenset(s[1] for s in taken if s[0] == "item")
    whole = frozenset(s[1] for s in taken if s[0] == "summary" and s[1] in items)
    plan = Plan(
        length=length.name, items=items,
        detail=frozenset(s[1] for s in taken if s[0] == "detail" and s[1] in whole),
        evidence=frozenset(s[1] for s in taken if s[0] == "evidence" and s[1] in whole),
        key_points=("key_points",) in taken, context=("context",) in taken,
        rec_columns=("rec_columns",) in taken, one_line=items - whole,
        skipped=tuple(k for k in skipped if k not in items))
    if not words:
        return plan
    return Plan(**{**plan.__dict__, "left_out": left_out(brief, plan)})


def full_plan(brief: Brief) -> Plan:
    """Everything: every item with detail and evidence."""
    length = Length("full", None)
    return plan_of(brief, length, ladder(brief, ALL_RUNGS))


_NOUNS = {"opportunities": ("opportunity", "opportunities"),
          "challenges": ("challenge", "challenges"),
          "recommendations": ("recommendation", "recommendations")}


@dataclass(frozen=True)
class Omissions:
    """What a plan leaves out of the full brief, counted."""

    items: tuple[tuple[str, str, int], ...]  # (priority, section, count), lowest priority first
    key_points: bool
    context: bool
    owners: bool
    detail: int       # shown items whose detail is left out
    evidence: int     # shown items whose evidence is left out
    summaries: int = 0  # shown items whose one-line form leaves part of the summary out

    def words(self) -> tuple[str, ...]:
        """Each omission in words: '2 low-priority challenges', 'the context'."""
        out = [f"{n} {p}-priority {_NOUNS[s][0] if n == 1 else _NOUNS[s][1]}"
               for p, s, n in self.items]
        out += [w for flag, w in ((self.key_points, "the key points"),
                                  (self.context, "the context"),
                                  (self.owners, "owners and timeframes")) if flag]
        if self.summaries:
            n = self.summaries
            out.append(f"the rest of the summary of {n} item{'s' if n != 1 else ''} (shown as "
                       f"{'one-liners' if n != 1 else 'a one-liner'})")
        out += [f"the {what} of {n} item{'s' if n != 1 else ''}"
                for what, n in (("detail", self.detail), ("evidence", self.evidence)) if n]
        return tuple(out)

    def short(self) -> tuple[str, ...]:
        """The omissions as a reader's note lists them: '11 more items', 'context'."""
        n = sum(c for _, _, c in self.items)
        out = [f"{n} more item{'s' if n != 1 else ''}"] if n else []
        out += [w for flag, w in ((self.key_points, "key points"), (self.context, "context"),
                                  (self.summaries, "full summaries"),
                                  (self.detail, "detail"), (self.evidence, "evidence"),
                                  (self.owners, "recommendation owners and timeframes"))
                if flag]
        return tuple(out)


def omissions(brief: Brief, plan: Plan) -> Omissions:
    """Count what the plan leaves out."""
    hidden: dict[tuple[str, str], int] = {}
    shown = []
    for i in brief.items:
        if (i.section, i.index) in plan.items:
            shown.append(i)
        else:
            hidden[(i.priority, i.section)] = hidden.get((i.priority, i.section), 0) + 1
    items = tuple((p, s, hidden[(p, s)]) for p in reversed(PRIORITIES) for s in _NOUNS
                  if (p, s) in hidden)
    return Omissions(
        items=items,
        key_points=bool(brief.key_points) and not plan.key_points,
        context=bool(brief.context) and not plan.context,
        owners=not plan.rec_columns and any(i.owner or i.timeframe for i in shown),
        detail=sum(1 for i in shown if i.detail and item_key(i) not in plan.detail),
        evidence=sum(1 for i in shown if i.evidence and item_key(i) not in plan.evidence),
        summaries=sum(1 for i in shown if item_key(i) in plan.one_line and abridged(i)))


def left_out(brief: Brief, plan: Plan) -> tuple[str, ...]:
    """What the plan leaves out, in words."""
    return omissions(brief, plan).words()


def join_words(parts: tuple[str, ...] | list[str]) -> str:
    """'a, b and c'; 'nothing' when there are none."""
    if not parts:
        return "nothing"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
