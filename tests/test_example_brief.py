"""Checks that the example brief is a faithful summary of its source article.

The example input ``inputs/islamabad-moscow.yaml`` summarizes the article kept verbatim in
``inputs/articles/islamabad-moscow.txt``. Every evidence quote must be an exact substring
of the article, inside the paragraph it cites. The test reads both files directly with
PyYAML and does not import briefgen, so it checks the data, not the program.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parent.parent
BRIEF = ROOT / "inputs" / "islamabad-moscow.yaml"
ARTICLE = ROOT / "inputs" / "articles" / "islamabad-moscow.txt"

ARTICLE_TITLE = "The prospects of Islamabad\u2019s marriage with Moscow"
SECTION_HEADINGS = {"The perks of the Entente"}
DATE_LINE = re.compile(
    r"^(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), "
    r"[A-Z][a-z]+ \d{1,2}, \d{4}$"
)
# 13 paragraphs of argument plus the author bio at the end (paragraph 14).
EXPECTED_PARAGRAPHS = 14

ITEM_LISTS = ("opportunities", "challenges", "recommendations")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def is_skipped(block: str) -> bool:
    """True for the blocks that are page furniture, not paragraphs of the article."""
    return (
        block.startswith("| Welcome to Global Village Space")  # site banner
        or DATE_LINE.match(block) is not None  # "Saturday, January 18, 2025"
        or block == ARTICLE_TITLE  # title line
        or block.endswith("|")  # byline, "Zeeshan Hayat |"
        or block.startswith("Read more:")  # links to other articles
        or block in SECTION_HEADINGS  # "The perks of the Entente"
    )


def article_paragraphs(text: str) -> list[str]:
    """The article's paragraphs, in order; paragraph N is ``result[N - 1]``.

    The convention (also written at the top of the brief): paragraphs are the
    blank-line-separated blocks of the article file, counted from 1, skipping the site
    banner, the date line, the title line, the byline, every "Read more:" line and the
    section heading. The author bio at the end is kept, as the last paragraph. Blocks are
    stripped of surrounding whitespace (the bio starts with a no-break space) and
    whitespace inside a block is not otherwise changed.
    """
    blocks = (block.strip() for block in re.split(r"\n[ \t]*\n", text))
    return [block for block in blocks if block and not is_skipped(block)]


@pytest.fixture(scope="module")
def article() -> str:
    return ARTICLE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def paragraphs(article: str) -> list[str]:
    return article_paragraphs(article)


@pytest.fixture(scope="module")
def brief() -> dict:
    with BRIEF.open(encoding="utf-8") as f:
        data = yaml.safe_load(f)
    assert isinstance(data, dict)
    return data


def all_items(brief: dict) -> list[tuple[str, dict]]:
    items = []
    for name in ITEM_LISTS:
        for index, item in enumerate(brief.get(name) or []):
            items.append((f"{name}[{index}]", item))
    return items


def evidence_entries(item: dict) -> list[tuple[str, int | None]]:
    """(quote, paragraph or None) for each evidence entry, string or mapping."""
    entries = []
    for entry in item.get("evidence") or []:
        if isinstance(entry, str):
            entries.append((entry, None))
        else:
            entries.append((entry["quote"], entry.get("paragraph")))
    return entries


def test_paragraph_convention(paragraphs: list[str]) -> None:
    assert len(paragraphs) == EXPECTED_PARAGRAPHS
    assert paragraphs[0].startswith("Despite the mixed history between Pakistan and Russia")
    assert paragraphs[3].startswith("This relationship can not only be beneficial")
    assert paragraphs[3].endswith("only yield fruits if there is regional stability.")
    assert paragraphs[12].startswith("Russia-Pakistan cooperation in addressing")
    assert paragraphs[12].endswith("implementing different regional economic projects.")
    assert paragraphs[13].startswith("Zeeshan Hayat is a Research Associate")
    assert not any(p.startswith("Read more:") for p in paragraphs)
    assert "The perks of the Entente" not in paragraphs


def test_source_matches_article(brief: dict, article: str) -> None:
    assert brief["source"]["title"] == ARTICLE_TITLE
    assert ARTICLE_TITLE in article.splitlines()
    assert brief["source"]["author"] == "Zeeshan Hayat"
    assert "url" not in brief["source"]
    assert brief["title"] and brief["summary"]


def test_every_item_has_verbatim_evidence(
    brief: dict, article: str, paragraphs: list[str]
) -> None:
    items = all_items(brief)
    assert items, "the brief has no opportunities, challenges or recommendations"
    problems = []
    for where, item in items:
        entries = evidence_entries(item)
        if not entries:
            problems.append(f"{where} ({item.get('id')}): no evidence")
        for quote, number in entries:
            if quote not in article:
                problems.append(f"{where}: quote not in article: {quote!r}")
                continue
            if number is None:
                continue
            if not 1 <= number <= len(paragraphs):
                problems.append(f"{where}: paragraph {number} out of range")
            elif quote not in paragraphs[number - 1]:
                problems.append(f"{where}: quote not in paragraph {number}: {quote!r}")
            else:
                # Repeated text cites the first paragraph that contains it.
                first = next(i for i, p in enumerate(paragraphs, 1) if quote in p)
                if first != number:
                    problems.append(
                        f"{where}: quote first occurs in paragraph {first}, "
                        f"cited as {number}: {quote!r}"
                    )
    assert not problems, "\n".join(problems)


def test_ids_unique_and_valid(brief: dict) -> None:
    ids = [item["id"] for _, item in all_items(brief) if "id" in item]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    bad = [i for i in ids if not SLUG.match(i)]
    assert not bad, bad


def test_addresses_refer_to_existing_ids(brief: dict) -> None:
    ids = {item["id"] for _, item in all_items(brief) if "id" in item}
    missing = [
        (item.get("id"), target)
        for item in brief.get("recommendations") or []
        for target in item.get("addresses") or []
        if target not in ids
    ]
    assert not missing, missing


def test_all_priorities_used(brief: dict) -> None:
    used = {item.get("priority", "medium") for _, item in all_items(brief)}
    assert used == {"high", "medium", "low"}
