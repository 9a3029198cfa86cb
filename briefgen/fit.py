"""Fit: the richest plan whose layout keeps the page budget.

The loop is plan -> build -> measure, in this one place. `measure` replays the PDF
engine's page breaking on cached block heights, so trying a plan costs little; the search
is a binary search over the ladder of `plan`, then one pass that adds the smaller later
steps that still fit (never an item out of priority order). The chosen plan is rendered
for real and its page count checked. A safety margin of `reserve_lines` body lines per page
is kept free while measuring, for word processors that lay text out a little differently.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import doc
from .build import build
from .doc import Document
from .errors import BriefError
from .measure import Measure, Measurer
from .model import Brief
from .plan import Length, Plan, Step, full_plan, ladder, length_for, plan_of
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


class _Search:
    """Builds and measures candidate plans, remembering what it measured."""

    def __init__(self, brief: Brief, length: Length, template: Template, reserve: float):
        self.brief, self.length, self.template = brief, length, template
        self.measurer = Measurer.for_template(template)
        self.reserve = reserve
        self.tried = 0

    def document(self, steps) -> Document:
        return build(self.brief, plan_of(self.brief, self.length, steps), self.template)

    def measure(self, steps) -> Measure:
        self.tried += 1
        return self.measurer.measure(self.document(steps), self.reserve)

    def fits(self, steps) -> bool:
        return self.measure(steps).pages <= self.length.budget


def fit(brief: Brief, length: Length, template: Template,
        reserve_lines: float | None = None) -> Fitted:
    """The richest plan for the length; BriefError when even the minimum overflows, or
    when a block that cannot be split is taller than a page."""
    fitted = _fit(brief, length, template, reserve_lines)
    too_tall = Measurer.for_template(template).overflow(fitted.document)
    if too_tall is not None:
        raise _too_tall(brief, too_tall, template)
    return fitted


def _fit(brief: Brief, length: Length, template: Template,
         reserve_lines: float | None) -> Fitted:
    if length.budget is None:
        plan = full_plan(brief)
        return _render(plan, build(brief, plan, template), template, ())
    if reserve_lines is None:  # the command line's, else the template's, else one line
        reserve_lines = template.reserve_lines if template.reserve_lines is not None \
            else DEFAULT_RESERVE_LINES
    reserve = reserve_lines * template.styles["body"].leading
    base: tuple[Step, ...] = ()
    if length.name == "two-page":
        # Two pages carry at least what one page does.
        base = _fit(brief, length_for("one-page"), template, reserve_lines).steps
    search = _Search(brief, length, template, reserve)
    ladder_steps = [s for s in ladder(brief, length.rungs) if s not in base]
    first_item = next((i for i, s in enumerate(ladder_steps) if s[0] == "item"), None)
    minimum = list(base) + ([ladder_steps[first_item]] if first_item is not None and not base
                            else [])
    if not search.fits(minimum):
        raise _overflow(brief, length, search, minimum)
    # Binary search over prefixes of the ladder; a prefix that fits means all shorter fit.
    lo, hi = 0, len(ladder_steps)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if search.fits(list(base) + ladder_steps[:mid]):
            lo = mid
        else:
            hi = mid - 1
    taken = list(base) + ladder_steps[:lo]
    if lo < len(ladder_steps) and not search.fits(taken):
        taken = minimum  # not monotone here (rare); fall back to what is known to fit
    # Then the later steps that still fit, except items out of priority order.
    failed = {ladder_steps[lo][0]} if lo < len(ladder_steps) else set()
    for step in ladder_steps[lo + 1:]:
        if step[0] in failed:
            continue  # content that did not fit is never passed by lower content of its kind
        if step[0] in ("detail", "evidence") and ("item", step[1]) not in taken:
            continue
        if search.fits(taken + [step]):
            taken.append(step)
        else:
            failed.add(step[0])
    plan = plan_of(brief, length, taken)
    return _render(plan, search.document(taken), template, tuple(taken))


def _render(plan: Plan, document: Document, template: Template, steps) -> Fitted:
    """Pages and fill of the chosen document as the renderers will lay it out (no reserve)."""
    measure = Measurer.for_template(template).measure(document)
    return Fitted(plan, document, measure.pages, measure.last_fill, steps)


def _too_tall(brief: Brief, too_tall, template: Template) -> BriefError:
    lines = max(1, round(too_tall.points / template.styles["body"].leading))
    block = too_tall.block
    if isinstance(block, doc.Callout):
        what = f"the box '{block.label}'"
        hint = "shorten the summary" if block.label == template.labels["bottom_line"] \
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
    words = len(brief.summary.split())
    return BriefError.single(
        brief.path,
        f"{length.name}: the title, the bottom line, the source and the first item do not fit "
        f"in {length.budget} page{'s' if length.budget != 1 else ''}; they overflow by about "
        f"{lines} line{'s' if lines != 1 else ''}. Shorten the summary ({words} "
        f"word{'s' if words != 1 else ''}), the "
        f"title or the highest-priority item's summary, or allow more pages (--pages).")
