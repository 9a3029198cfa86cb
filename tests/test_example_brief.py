"""The example brief is a faithful summary of its source article, as briefgen checks it.

``inputs/islamabad-moscow.yaml`` names the article it summarizes, kept verbatim in
``inputs/articles/islamabad-moscow.txt``, as its ``source.text``; ``briefgen validate``
therefore checks every evidence quote against the article, in the paragraph it cites
(numbered by briefgen's paragraph rule). These tests run that check and the rule, and
check the data that the loader does not (the source metadata, the priorities used).
"""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner

from briefgen.article import read_article
from briefgen.cli import main
from briefgen.load import check
from briefgen.quotes import source_index

ROOT = Path(__file__).parent.parent
BRIEF = ROOT / "inputs" / "islamabad-moscow.yaml"
ARTICLE = ROOT / "inputs" / "articles" / "islamabad-moscow.txt"


def test_validates_strictly_against_its_article():
    result = CliRunner().invoke(main, ["validate", "--strict", str(BRIEF)])
    assert result.exit_code == 0 and result.output == f"{BRIEF}: valid\n", result.output
    brief, diagnostics = check(BRIEF)
    assert diagnostics == [] and (BRIEF.parent / brief.source.text).resolve() == \
        ARTICLE.resolve()


def test_every_item_quotes_the_paragraph_it_cites():
    brief, _ = check(BRIEF)
    index = source_index(ARTICLE)
    texts = {p.number: p.text for p in index.paragraphs}
    quotes = [e for item in brief.items for e in item.evidence]
    assert all(item.evidence for item in brief.items)
    assert len(quotes) == 31 and all(e.paragraph in texts for e in quotes)
    # the check normalises quotes and dashes only: these quotes are verbatim already
    assert all(e.quote in texts[e.paragraph] for e in quotes)


def test_source_matches_article():
    data = yaml.safe_load(BRIEF.read_text(encoding="utf-8"))
    article = read_article(ARTICLE)
    source = data["source"]
    assert (source["title"], source["author"], source["publisher"], source["date"]) == (
        article.title, article.author, article.publisher, article.date)
    assert "url" not in source


def test_all_priorities_used():
    data = yaml.safe_load(BRIEF.read_text(encoding="utf-8"))
    used = {item.get("priority", "medium")
            for name in ("opportunities", "challenges", "recommendations")
            for item in data.get(name) or []}
    assert used == {"high", "medium", "low"}
