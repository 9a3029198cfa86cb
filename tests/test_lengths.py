"""Lengths that fit: one-page, two-page and --pages N hold in the PDF (the DOCX keeps the
same pages: test_fidelity)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen import doc
from briefgen.build import build
from briefgen.cli import main
from briefgen.errors import BriefError
from briefgen.fit import fit
from briefgen.load import load_text
from briefgen.measure import Measurer
from briefgen.model import PRIORITIES
from briefgen.plan import (choosing_order, full_plan, item_key, ladder, length_for, plan_of,
                           top_items)
from briefgen.render_pdf import layout
from conftest import (EXAMPLE, brief_from, brief_strategy, pdf_pages_text,
                      squash, steps_that_still_fit)

TEMPLATES = ["policy-brief", "decision-memo", "handout"]


@pytest.fixture(scope="module")
def fitted(matrix):
    """The example and the stress brief at every budget, template and paper (the shared
    matrix without its full-length outputs); the DOCX side is test_fidelity's."""
    return {k: v for k, v in matrix.items() if v.length.budget is not None}


def test_pdf_keeps_every_budget_and_fills_the_last_page(fitted):
    for where, out in fitted.items():
        assert out.pages == out.fitted.pages <= out.length.budget, where
        if out.fitted.plan.left_out:
            assert out.last_fill >= 0.6, f"{where}: last page {out.last_fill:.0%}"
        text = squash(" ".join(pdf_pages_text(out.pdf)))
        assert "Source:" in text, where


def test_example_one_page_carries_the_high_priority_items(fitted, example_brief):
    out = fitted[("example", "one-page", "policy-brief", "a4")]
    f, text = out.fitted, squash(pdf_pages_text(out.pdf)[0])
    assert text.count("Page 1 of 1") == 1
    for item in example_brief.items:
        if item.priority == "high":
            assert squash(item.title) in text, item.title
    assert "One-page version. The full brief adds" in text
    assert not f.plan.key_points and not f.plan.context and not f.plan.detail


def _check_priority_order(brief, plan, where, excused=frozenset()):
    """The choosing order of the spec: each list's top item is shown (unless too long for
    the length), and apart from the tops no item is shown while one of higher priority is
    left out, unless that one was skipped as too long (here or, for `excused`, at a
    shorter length that this one contains)."""
    tops = top_items(brief)
    skipped = set(plan.skipped) | set(excused)
    for top in tops:
        assert plan.shows(item_key(top)) or item_key(top) in skipped, f"{where}: {top.title}"
    for s in brief.items:
        if not plan.shows(item_key(s)) or s in tops:
            continue
        for h in brief.items:
            if PRIORITIES.index(h.priority) < PRIORITIES.index(s.priority):
                assert plan.shows(item_key(h)) or item_key(h) in skipped, \
                    f"{where}: {s.title} shown, {h.title} left out"


def test_choosing_order_is_data():
    """Tops first (recommendation, challenge, opportunity), then by priority with the
    lists taking turns, recommendations first."""
    brief = load_text("""title: T
summary: S.
source: {title: S}
opportunities:
  - {title: O1, summary: s, priority: low}
  - {title: O2, summary: s, priority: high}
challenges:
  - {title: C1, summary: s, priority: high}
  - {title: C2, summary: s, priority: high}
  - {title: C3, summary: s, priority: medium}
recommendations:
  - {title: R1, summary: s, priority: medium}
  - {title: R2, summary: s, priority: medium}
  - {title: R3, summary: s, priority: high}
""", "order.yaml")
    assert [i.title for i in choosing_order(brief)] == \
        ["R3", "C1", "O2", "C2", "R1", "C3", "R2", "O1"]


def test_left_out_lowest_priority_first(fitted, example_brief):
    checked = 0
    for key, out in fitted.items():
        if key[0] == "example":
            _check_priority_order(example_brief, out.fitted.plan, key)
            checked += 1
    assert checked == 18, "3 lengths, 3 templates, 2 papers"
    one = fitted[("example", "one-page", "policy-brief", "a4")].fitted.plan
    assert any(i.priority == "high" for i in example_brief.items if one.shows(item_key(i)))
    assert any(not one.shows(item_key(i)) for i in example_brief.items), "something left out"
    assert one.one_line == one.items, "one page shows every item as a one-liner"


def test_overflow_is_a_clear_error(template):
    summary = " ".join(["An overlong bottom line that no one-page brief can hold."] * 120)
    brief = load_text(f"title: T\nsummary: {summary}\nsource: {{title: S}}\n"
                      "challenges: [{title: C, summary: D}]\n", "long.yaml")
    with pytest.raises(BriefError) as err:
        fit(brief, length_for("one-page"), template)
    message = err.value.diagnostics[0].format()
    assert message.startswith("long.yaml:1:1: error: one-page:")
    assert "overflow by about" in message and "Shorten the summary (1200 words)" in message
    with pytest.raises(BriefError) as err:  # the box cannot be split: no budget helps
        fit(brief, length_for("full"), template)
    assert "the box 'Bottom line' is taller than a page, by about" in str(err.value)
    medium = load_text(f"title: T\nsummary: {' '.join(summary.split()[:600])}\n"
                       "source: {title: S}\nchallenges: [{title: C, summary: D}]\n", "m.yaml")
    with pytest.raises(BriefError):
        fit(medium, length_for("one-page"), template)
    assert fit(medium, length_for(None, 2), template).pages <= 2


def test_cli_too_tall_box_is_an_error_and_others_still_build(tmp_path):
    long = tmp_path / "long.yaml"
    long.write_text("title: T\nsummary: " + "A long bottom line sentence. " * 150 +
                    "\nsource: {title: t}\nchallenges: [{title: a, summary: b}]\n")
    result = CliRunner().invoke(main, ["build", str(long), str(EXAMPLE), "-l", "full", "-f",
                                       "pdf", "-o", str(tmp_path / "o"), "--manifest",
                                       str(tmp_path / "m.json")])
    assert result.exit_code == 1
    assert f"{long}:1:1: error: the box 'Bottom line' is taller than a page" in result.output
    assert "Traceback" not in result.output
    assert (tmp_path / "o" / "islamabad-moscow.full.pdf").is_file()
    assert (tmp_path / "m.json").is_file()


def test_cli_reports_what_was_left_out(tmp_path):
    result = CliRunner().invoke(main, ["build", str(EXAMPLE), "-l", "one-page", "-f", "pdf",
                                       "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    line = result.output.strip().splitlines()[0]
    assert line.startswith(f"built {tmp_path}/islamabad-moscow.one-page.pdf (1 page); "
                           "one-page: left out 1 low-priority opportunity")
    quiet = CliRunner().invoke(main, ["build", str(EXAMPLE), "-l", "one-page", "-q", "-o",
                                      str(tmp_path)])
    assert quiet.exit_code == 0 and quiet.output == ""
    pages = CliRunner().invoke(main, ["build", str(EXAMPLE), "--pages", "3", "-f", "pdf", "-o",
                                      str(tmp_path)])
    assert pages.exit_code == 0 and "3-page.pdf (3 pages)" in pages.output


settings.register_profile("briefs", max_examples=20, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow,
                                                 HealthCheck.data_too_large])


@settings(settings.get_profile("briefs"))
@given(brief_strategy(), st.sampled_from(TEMPLATES))
def test_random_briefs_fit_and_nest(data, tname):
    """Random briefs (sizes, priorities, list lengths): the budget holds, the choosing
    rules hold, what one page shows two pages show, and what two pages show the full brief
    does; nothing that the length may carry and the priority rule allows would still fit."""
    from briefgen.templates import load_template

    template = load_template(tname)
    brief = brief_from(data)
    one = fit(brief, length_for("one-page"), template)
    two = fit(brief, length_for("two-page"), template)
    full = full_plan(brief)
    assert one.pages <= 1 and two.pages <= 2
    assert layout(one.document, template).pages <= 1
    assert one.plan.items <= two.plan.items <= full.items
    assert one.plan.detail <= two.plan.detail <= full.detail
    assert one.plan.evidence <= two.plan.evidence <= full.evidence
    assert one.plan.one_line == one.plan.items
    _check_priority_order(brief, one.plan, "one-page")
    _check_priority_order(brief, two.plan, "two-page", excused=one.plan.skipped)
    for f in (one, two):
        blocks = f.document.blocks
        assert isinstance(blocks[0], doc.TitleBlock)
        assert any(isinstance(b, doc.Callout) and b.label == template.labels["bottom_line"]
                   for b in blocks)
        assert isinstance(blocks[-1], doc.SourceReference)
        assert f.plan.items, "at least one item"
        # Every later step was tried: none that the rules allow still fits.
        assert not steps_that_still_fit(brief, f, template), f.plan.length


@settings(settings.get_profile("briefs"))
@given(brief_strategy(), st.sampled_from(TEMPLATES))
def test_measure_equals_real_layout(data, tname):
    from briefgen.templates import load_template

    template = load_template(tname)
    brief = brief_from(data)
    measurer = Measurer(template)
    steps = ladder(brief, length_for(None, 5).rungs)
    for k in {0, len(steps) // 3, len(steps) // 2, len(steps)}:
        document = build(brief, plan_of(brief, length_for(None, 5), steps[:k] or steps[:1]),
                         template)
        m, real = measurer.measure(document), layout(document, template)
        assert m.pages == real.pages
        assert abs(m.last_fill - real.last_fill) < 0.01


def test_overflow_names_and_locates_the_longest_fixed_field(tmp_path, template):
    """A subtitle too long for any budget: the error names the subtitle and points at it."""
    from briefgen.load import load

    path = tmp_path / "sub.yaml"
    path.write_text("title: T\nsubtitle: " + " ".join(["word"] * 3000) + "\nsummary: S.\n"
                    "source: {title: S}\nchallenges: [{title: C, summary: D}]\n",
                    encoding="utf-8")
    with pytest.raises(BriefError) as err:
        fit(load(path), length_for("one-page"), template)
    message = err.value.diagnostics[0].format()
    assert message.startswith(f"{path}:2:11: error: one-page:"), message
    assert "Shorten the subtitle (3000 words), the summary or the title" in message


@pytest.mark.parametrize("paper", [None, "letter"])
def test_table_rows_measure_as_reportlab_lays_them_out(paper):
    """The fit measures a recommendations table row by row from its cells' paragraphs; each
    row is exactly as tall as reportlab's Table makes it (the example, the Urdu brief and
    the stress corpus at full length, where long owners and timeframes wrap)."""
    from briefgen.load import load
    from briefgen.render_pdf import Renderer
    from briefgen.templates import load_template
    from conftest import ROOT

    template = load_template("policy-brief", paper)  # the template that draws a table
    assert template.recommendations == "table"
    measurer, renderer = Measurer(template), Renderer(template)
    paths = [ROOT / "inputs" / "islamabad-moscow.yaml",
             ROOT / "inputs" / "islamabad-moscow.ur.yaml", *sorted((ROOT / "tests" / "fixtures" / "stress").glob("*.yaml"))]
    tables = 0
    for path in paths:
        brief = load(path)
        document = build(brief, full_plan(brief), template)
        for block in document.blocks:
            if not isinstance(block, doc.RecommendationTable) or not block.rows:
                continue
            (table,) = renderer.block(block)
            table.wrap(template.text_width, 1e6)
            (box,) = measurer.boxes(block)
            assert box.rows == pytest.approx(tuple(table._rowHeights), abs=1e-9), path.name
            assert box.height == pytest.approx(table._height, abs=1e-9)
            assert (box.space_before, box.space_after) == \
                (table.getSpaceBefore(), table.getSpaceAfter())
            tables += 1
    assert tables >= 3
