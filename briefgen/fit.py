"""Fit: choose the plan for a length.

`full` carries everything. Page budgets (one-page, two-page, --pages N) are fitted by
measuring candidate plans with the PDF engine; see the lengths issue.
"""

from __future__ import annotations

from dataclasses import dataclass

from .build import build
from .doc import Document
from .errors import BriefError
from .model import Brief
from .plan import Length, Plan, full_plan
from .render import count_pages
from .templates import Template


@dataclass(frozen=True)
class Fitted:
    """The plan chosen for an output, its document tree and its measured page count."""

    plan: Plan
    document: Document
    pages: int


def fit(brief: Brief, length: Length, template: Template) -> Fitted:
    """The richest plan whose layout fits the length's page budget."""
    if length.budget is not None:
        raise BriefError.single(brief.path, f"length '{length.name}' is not available yet; "
                                            f"use -l full")
    plan = full_plan(brief)
    document = build(brief, plan, template)
    return Fitted(plan, document, count_pages(document, template))
