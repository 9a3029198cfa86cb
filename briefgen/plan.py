"""Plan: decide what of a brief a given length carries.

Content is added in a fixed order, the *ladder*: the high-priority items as one-liners (in
document order), the recommendations' owners and timeframes, the key points, the other
items (medium, then low), the detail of high-priority items, the context, the detail of the
rest, and last the evidence. A plan is the set of steps taken; `fit` picks the most steps
that fit a page budget. Each named length may climb only some rungs: a one-page brief never
carries key points, context or detail. The title, the summary and the source reference are
not steps: every plan carries them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import PRIORITIES, Brief, Item

LENGTHS = ("one-page", "two-page", "full")
BUDGETS = {"one-page": 1, "two-page": 2, "full": None}

ItemKey = tuple[str, int]
Step = tuple  # ("key_points",), ("item", key), ("rec_columns",), ("detail", key), ...

# The rungs each named length may climb; --pages N climbs all of them.
RUNGS = {
    "one-page": {"item", "rec_columns"},
    "two-page": {"key_points", "item", "rec_columns", "detail-high", "context"},
}
ALL_RUNGS = {"key_points", "item", "rec_columns", "detail-high", "context", "detail",
             "evidence"}


@dataclass(frozen=True)
class Length:
    """A named length and its page budget (None: no limit)."""

    name: str
    budget: int | None

    @property
    def rungs(self) -> set[str]:
        """The kinds of content this length may carry."""
        return RUNGS.get(self.name, ALL_RUNGS)


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
    left_out: tuple[str, ...] = ()

    def shows(self, key: ItemKey) -> bool:
        """Whether the item is in this output at all."""
        return key in self.items


def item_key(item: Item) -> ItemKey:
    """The key that names an item in a plan: its section and position."""
    return (item.section, item.index)


def by_priority(brief: Brief) -> list[Item]:
    """Items high priority first; within a priority, in document order."""
    return sorted(brief.items, key=lambda i: PRIORITIES.index(i.priority))


def ladder(brief: Brief, rungs: set[str]) -> list[Step]:
    """Every step a length may take, in the order content is added: the high-priority
    items, the recommendations' owners and timeframes, the key points, the other items,
    the detail of high-priority items, the context, the detail of the rest, the evidence."""
    ordered = by_priority(brief)
    high = [i for i in ordered if i.priority == "high"]
    rest = [i for i in ordered if i.priority != "high"]
    steps: list[Step] = [("item", item_key(i)) for i in high]
    if "rec_columns" in rungs and any(i.owner or i.timeframe for i in brief.recommendations):
        steps.append(("rec_columns",))
    if "key_points" in rungs and brief.key_points:
        steps.append(("key_points",))
    steps += [("item", item_key(i)) for i in rest]
    if "detail-high" in rungs or "detail" in rungs:
        steps += [("detail", item_key(i)) for i in high if i.detail]
    if "context" in rungs and brief.context:
        steps.append(("context",))
    if "detail" in rungs:
        steps += [("detail", item_key(i)) for i in rest if i.detail]
    if "evidence" in rungs:
        steps += [("evidence", item_key(i)) for i in ordered if i.evidence]
    return steps


def plan_of(brief: Brief, length: Length, steps: list[Step] | tuple[Step, ...]) -> Plan:
    """The plan that carries exactly these steps (detail and evidence only of shown items)."""
    taken = set(steps)
    items = frozenset(s[1] for s in taken if s[0] == "item")
    plan = Plan(
        length=length.name, items=items,
        detail=frozenset(s[1] for s in taken if s[0] == "detail" and s[1] in items),
        evidence=frozenset(s[1] for s in taken if s[0] == "evidence" and s[1] in items),
        key_points=("key_points",) in taken, context=("context",) in taken,
        rec_columns=("rec_columns",) in taken)
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

    def words(self) -> tuple[str, ...]:
        """Each omission in words: '2 low-priority challenges', 'the context'."""
        out = [f"{n} {p}-priority {_NOUNS[s][0] if n == 1 else _NOUNS[s][1]}"
               for p, s, n in self.items]
        out += [w for flag, w in ((self.key_points, "the key points"),
                                  (self.context, "the context"),
                                  (self.owners, "owners and timeframes")) if flag]
        out += [f"the {what} of {n} item{'s' if n != 1 else ''}"
                for what, n in (("detail", self.detail), ("evidence", self.evidence)) if n]
        return tuple(out)

    def short(self) -> tuple[str, ...]:
        """The omissions as a reader's note lists them: '11 more items', 'context'."""
        n = sum(c for _, _, c in self.items)
        out = [f"{n} more item{'s' if n != 1 else ''}"] if n else []
        out += [w for flag, w in ((self.key_points, "key points"), (self.context, "context"),
                                  (self.detail, "detail"), (self.evidence, "evidence"),
                                  (self.owners, "recommendation owners and timeframes"))
                if flag]
        return tuple(out)


def omissions(brief: Brief, plan: Plan) -> Omissions:
    """Count what the plan leaves out."""
    items = tuple((p, s, n) for p in reversed(PRIORITIES) for s in _NOUNS
                  for n in [sum(1 for i in getattr(brief, s)
                                if i.priority == p and not plan.shows(item_key(i)))] if n)
    shown = [i for i in brief.items if plan.shows(item_key(i))]
    return Omissions(
        items=items,
        key_points=bool(brief.key_points) and not plan.key_points,
        context=bool(brief.context) and not plan.context,
        owners=not plan.rec_columns and any(i.owner or i.timeframe for i in shown),
        detail=sum(1 for i in shown if i.detail and item_key(i) not in plan.detail),
        evidence=sum(1 for i in shown if i.evidence and item_key(i) not in plan.evidence))


def left_out(brief: Brief, plan: Plan) -> tuple[str, ...]:
    """What the plan leaves out, in words."""
    return omissions(brief, plan).words()


def join_words(parts: tuple[str, ...] | list[str]) -> str:
    """'a, b and c'; 'nothing' when there are none."""
    if not parts:
        return "nothing"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]

