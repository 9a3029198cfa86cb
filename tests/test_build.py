"""The document tree of the example, compared with a stored snapshot (canonical dump)."""

import os
from pathlib import Path

from briefgen import doc

SNAPSHOTS = Path(__file__).parent / "snapshots"


def check_snapshot(name: str, text: str) -> None:
    """Compare with tests/snapshots/NAME; BRIEFGEN_UPDATE_SNAPSHOTS=1 rewrites it."""
    path = SNAPSHOTS / name
    if os.environ.get("BRIEFGEN_UPDATE_SNAPSHOTS") or not path.exists():
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} changed; review and update"


def test_example_full_snapshot(example_full):
    document = example_full[0]
    check_snapshot("islamabad-moscow.full.txt", document.dump())


def test_example_full_has_every_item(example_full, example_brief):
    document = example_full[0]
    headings = [b.text for b in document.blocks if isinstance(b, doc.Heading)]
    table = next(b for b in document.blocks if isinstance(b, doc.RecommendationTable))
    for item in example_brief.opportunities + example_brief.challenges:
        assert item.title in headings
    assert len(table.rows) == len(example_brief.recommendations)
    assert table.header == ("#", "Recommendation", "Owner", "Timeframe", "Priority")
    first = doc.dump_runs(table.rows[0].cells[1])
    assert first.startswith("**" + example_brief.recommendations[0].title)


def test_title_summary_source_come_first_and_last(example_full):
    blocks = example_full[0].blocks
    assert isinstance(blocks[0], doc.TitleBlock)
    assert isinstance(blocks[1], doc.Callout) and blocks[1].label == "Bottom line"
    assert isinstance(blocks[-1], doc.SourceReference)
    assert "Zeeshan Hayat" in doc.dump_runs(blocks[-1].runs)
    assert "18 January 2025" in doc.dump_runs(blocks[-1].runs)


def test_priority_is_a_word_not_only_a_colour(example_full):
    paras = [b for b in example_full[0].blocks if isinstance(b, doc.Paragraph)]
    leads = {p.runs[0].text for p in paras if p.runs and p.runs[0].bold}
    assert {"High priority. ", "Medium priority. ", "Low priority. "} <= leads
