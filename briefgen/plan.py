"""Plan: decide what of a brief a given length carries.

A plan names the items shown and, per item, whether its detail and evidence are shown.
The planner never drops the title, the summary or the source reference.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Brief

LENGTHS = ("one-page", "two-page", "full")
BUDGETS = {"one-page": 1, "two-page": 2, "full": None}

ItemKey = tuple[str, int]


@dataclass(frozen=True)
class Length:
    """A named length and its page budget (None: no limit)."""

    name: str
    budget: int | None


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


def item_key(item) -> ItemKey:
    """The key that names an item in a plan: its section and position."""
    return (item.section, item.index)


def full_plan(brief: Brief) -> Plan:
    """Everything: every item with detail and evidence."""
    keys = frozenset(item_key(i) for i in brief.items)
    return Plan("full", items=keys, detail=keys, evidence=keys)
