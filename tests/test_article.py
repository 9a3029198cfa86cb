"""The paragraph rule and the metadata of articles: plain text, Markdown and saved HTML
pages, the fixtures and an ugly corpus of small texts."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from briefgen.article import ArticleError, clean, read_article
from conftest import ARTICLE

ARTICLES = Path(__file__).parent / "fixtures" / "articles"


def starts(article) -> list[str]:
    return [" ".join(p.text.split()[:4]) for p in article.paragraphs]


def test_example_article_numbering_is_the_briefs():
    a = read_article(ARTICLE)
    assert a.format == "text" and len(a.paragraphs) == 14
    assert a.paragraphs[0].text.startswith("Despite the mixed history between Pakistan")
    assert a.paragraphs[3].text.startswith("This relationship can not only be beneficial")
    assert a.paragraphs[3].text.endswith("only yield fruits if there is regional stability.")
    assert a.paragraphs[12].text.startswith("Russia-Pakistan cooperation in addressing")
    assert a.paragraphs[13].text.startswith("Zeeshan Hayat is a Research Associate")  # NBSP gone
    assert [p.line for p in a.paragraphs[:3]] == [9, 11, 13]
    assert [reason for _, reason in a.left_out] == [
        "no sentence", "dateline", "no sentence", "no sentence", "link line", "no sentence",
        "link line", "link line"]
    assert (a.title, a.author, a.publisher, a.date) == (
        "The prospects of Islamabad’s marriage with Moscow", "Zeeshan Hayat",
        "Global Village Space", datetime.date(2025, 1, 18))


def test_markdown_article():
    a = read_article(ARTICLES / "island-grids.md")
    assert a.format == "markdown" and len(a.paragraphs) == 15
    assert starts(a)[:5] == ["When Cyclone Lola crossed", "Small island developing states",
                             "Most island grids were", "The cheapest kilowatt-hour on",
                             "There is a clear"]
    # list items are paragraphs of their own, quoted Markdown is plain text
    assert a.paragraphs[9].text.startswith("Utilities need to map")
    assert a.paragraphs[8].text.startswith('Island governments should adopt a "build back')
    assert a.paragraphs[14].text.startswith("Mere Tuilagi is an Associate Fellow")
    skipped = dict(a.left_out)
    assert skipped["Home | Energy | Climate | Newsletter"] == "links"
    assert skipped["By Mere Tuilagi, Associate Fellow"] == "byline"
    assert skipped["2 November 2023"] == "dateline"
    assert skipped["Recommendations"] == "heading"
    assert skipped["© 2023 Island Policy Review. All rights reserved."] == "link line"
    assert (a.title, a.author, a.publisher, a.date) == (
        "Keeping the lights on: grid resilience for small island states", "Mere Tuilagi",
        "Island Policy Review", datetime.date(2023, 11, 2))


def test_html_page_main_text_and_metadata():
    a = read_article(ARTICLES / "baltic-green-corridors.html")
    assert a.format == "html" and len(a.paragraphs) == 16
    text = " ".join(p.text for p in a.paragraphs)
    for furniture in ("cookies", "Read more", "Subscribe", "All rights reserved", "Home",
                      "7 min read", "Share this", "Arctic shipping routes", "Senior Fellow at"):
        assert furniture not in text, furniture
    assert a.paragraphs[4].text.startswith("“A corridor is not a technology project.")
    assert a.paragraphs[12].text.startswith("Regulators need to publish")  # a list item
    assert a.paragraphs[15].text.startswith("None of this is beyond reach.")
    assert (a.title, a.author, a.publisher, a.date, a.url) == (
        "Green corridors on the Baltic: how ports can make shipping cleaner", "Liisa Rantanen",
        "Nordic Maritime Policy Institute", datetime.date(2024, 5, 14),
        "https://nordic-maritime-policy.example.org/analysis/baltic-green-shipping-corridors")


def test_clean_joins_hyphenation_and_spaces():
    assert clean("regi-\n  onal  co\u00adoperation\u00a0now") == "regional cooperation now"
    assert clean("Pakistan-\nIndia") == "Pakistan-\nIndia".replace("\n", " ")  # a capital
    assert clean("e\u0301t\u200be\u0301") == "\u00e9t\u00e9"  # NFC, zero-width space gone


UGLY = {
    "no-blank-lines.txt": ("Title of a piece\nFirst paragraph of the argument here.\nSecond "
                           "paragraph says more.\n", ["First paragraph of the", "Second "
                                                      "paragraph says more."]),
    "crlf-bom.txt": ("\ufeffHeading\r\n\r\nOne paragraph, wrapped\r\nover two lines.\r\n",
                     ["One paragraph, wrapped over"]),
    "bullets.txt": ("The plan has three parts:\n- build the first port now\n- fund the "
                    "second one\n* train new people\n• Too short\n",
                    ["build the first port", "fund the second one", "train new people"]),
    "bylines.txt": ("By Jane Doe | 3 March 2024\n\nPublished on 3 March 2024, 10:30 GMT\n\n"
                    "Share this: x\n\nThe real text ends here.\n", ["The real text ends"]),
    "long-no-stop.txt": ("This block has no full stop at its end but it has more than twenty "
                         "words so it counts as a paragraph of the argument anyway and goes on\n",
                         ["This block has no"]),
    "front-matter.md": ("---\ntitle: From front matter\nauthor: [A. One, B. Two]\ndate: "
                        "2024-02-29\n---\n\n# Heading\n\nBody text that counts.\n\n```\ncode "
                        "block.\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n---\n\n> Quoted "
                        "words count too.\n", ["Body text that counts.", "Quoted words count "
                                               "too."]),
}


@pytest.mark.parametrize("name", sorted(UGLY))
def test_ugly_texts(tmp_path, name):
    text, expected = UGLY[name]
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    a = read_article(path)
    assert starts(a) == [" ".join(e.split()[:4]) for e in expected]
    if name == "front-matter.md":
        assert (a.title, a.author, a.date) == ("From front matter", "A. One, B. Two",
                                               datetime.date(2024, 2, 29))
    if name == "bylines.txt":
        assert (a.author, a.date) == ("Jane Doe", datetime.date(2024, 3, 3))


def test_html_sniffed_without_suffix_and_links_only_lists(tmp_path):
    page = tmp_path / "saved"
    page.write_text("<!DOCTYPE html><html><head><title>T</title></head><body><article>"
                    "<h1>A title here</h1>" + "".join(
                        f"<p>Paragraph {n} of the article says something worth quoting at "
                        f"length, with enough words.</p>" for n in range(1, 6)) +
                    "<ul><li><a href='/a'>Another story entirely</a></li></ul>"
                    "</article></body></html>", encoding="utf-8")
    a = read_article(page)
    assert a.format == "html" and starts(a) == [f"Paragraph {n} of the" for n in range(1, 6)]


@pytest.mark.parametrize("content, message", [
    (None, "cannot read"),
    (b"\xff\xfe bad", "is not UTF-8 (byte 0xff on line 1)"),
    (b"Only a title\n\nAnd a heading\n", "has no paragraph that briefgen can number"),
    (b"<html><body></body></html>", "no article text found"),
    (b"%PDF-1.7", "is a PDF file; briefgen reads an article as plain text"),
])
def test_unreadable_articles(tmp_path, content, message):
    path = tmp_path / ("a.html" if content and content.startswith(b"<") else
                       "a.pdf" if content and content.startswith(b"%PDF") else "a.txt")
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ArticleError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_article(path)
