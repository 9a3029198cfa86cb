"""Shared fixtures: the example brief built once per session, and readers for the outputs."""

from __future__ import annotations

import importlib
import os
import re
import shutil
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "inputs" / "islamabad-moscow.yaml"
ARTICLE = ROOT / "inputs" / "articles" / "islamabad-moscow.txt"


def copy_example(dest: Path, data: bytes | str | None = None) -> Path:
    """Write the example brief (or `data`) at dest, with its article in articles/ beside
    it, where its source.text finds it."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    data = EXAMPLE.read_bytes() if data is None else data
    dest.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    (dest.parent / "articles").mkdir(exist_ok=True)
    shutil.copy(ARTICLE, dest.parent / "articles" / ARTICLE.name)
    return dest


def need_tool(name: str) -> str:
    """The path of a command-line tool; skipped locally, a failure in CI, when missing."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is required in CI (.ci/run installs it)")
        pytest.skip(f"{name} is not installed")
    return path


def need_module(name: str):
    """A test-only Python package (the `test` extra); skipped locally, a failure in CI,
    when missing."""
    try:
        return importlib.import_module(name)
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is required in CI (pip install '.[test]' installs it)")
        pytest.skip(f"{name} is not installed")


def libreoffice_convert(paths: list[Path], outdir: Path, fmt: str) -> list[Path]:
    """Convert files with LibreOffice to a format (pdf, docx...) in one soffice call, with
    a profile of its own."""
    soffice = need_tool("soffice")
    outdir.mkdir(parents=True, exist_ok=True)
    profile = Path("/tmp") / f"lo-briefgen-{uuid.uuid4().hex}"
    try:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", fmt, "--outdir", str(outdir), *map(str, paths)],
                       check=True, capture_output=True, timeout=300)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    out = [outdir / f"{p.stem}.{fmt}" for p in paths]
    for p in out:
        assert p.is_file(), f"LibreOffice did not convert {p.name}"
    return out


def libreoffice_pdf(docx_paths: list[Path], outdir: Path) -> list[Path]:
    """Lay DOCX files out with LibreOffice (one soffice call, its own profile)."""
    return libreoffice_convert(docx_paths, outdir, "pdf")


def pdf_pages_text(path: Path) -> list[str]:
    """The text of each page, by poppler's pdftotext (reading order as laid out)."""
    tool = need_tool("pdftotext")
    out = subprocess.run([tool, "-layout", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    return out.split("\f")[:-1]


def squash(text: str) -> str:
    """Whitespace folded to single spaces, for comparing text across layouts."""
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="session")
def example_brief():
    from briefgen.load import load

    return load(EXAMPLE)


@pytest.fixture(scope="session")
def template():
    from briefgen.templates import load_template

    return load_template("policy-brief")


def build_full(folder: Path, name: str, brief, template):
    """A brief at full length on disk: (document tree, pdf path, docx path, page count)."""
    from briefgen.build import build
    from briefgen.plan import full_plan
    from briefgen.render_docx import render_docx
    from briefgen.render_pdf import layout

    document = build(brief, full_plan(brief), template)
    laid = layout(document, template)
    (folder / f"{name}.pdf").write_bytes(laid.pdf)
    (folder / f"{name}.docx").write_bytes(render_docx(document, template))
    return document, folder / f"{name}.pdf", folder / f"{name}.docx", laid.pages


@pytest.fixture(scope="session")
def example_full(tmp_path_factory, example_brief, template):
    """The example at full length: (document tree, pdf path, docx path, pdf page count)."""
    return build_full(tmp_path_factory.mktemp("example"), "example", example_brief, template)


LOREM = ("Regional cooperation depends on sustained political will, credible institutions and "
         "predictable financing, and each of these needs attention from ministries that rarely "
         "plan together. ")


def stress_yaml(items: int = 12, recommendations: int = 30) -> str:
    """A long brief: many items with long detail, a long recommendations table, links."""
    lines = ["title: Stress test brief with many long items",
             "summary: A brief long enough to run over many pages, with a "
             "[link](https://example.org/report) in the bottom line.",
             "key_points:", "  - First point.", "  - Second point.",
             "source:", "  title: A long report", "  author: A. Author",
             "  url: https://example.org/report",
             "prepared:", "  by: Test Desk", "  date: 2026-11-27",
             "  classification: OFFICIAL-SENSITIVE"]
    for section, n in (("opportunities", items), ("challenges", items)):
        lines.append(f"{section}:")
        for i in range(n):
            pr = ("high", "medium", "low")[i % 3]
            lines += [f"  - id: {section[:3]}-{i}", f"    title: {section[:-1].title()} number {i}",
                      f"    summary: {LOREM.strip()}", f"    priority: {pr}",
                      "    detail: |", f"      {LOREM * 3}", "", f"      {LOREM * 2}",
                      "    evidence:", f"      - quote: {LOREM.strip()}", "        paragraph: 3",
                      f"      - {LOREM.strip()}"]
    lines.append("recommendations:")
    for i in range(recommendations):
        lines += [f"  - title: Recommendation number {i}", f"    summary: {LOREM.strip() * 1}",
                  f"    priority: {('high', 'medium', 'low')[i % 3]}",
                  "    owner: Ministry of Foreign Affairs", "    timeframe: 6-12 months",
                  f"    addresses: [cha-{i % items}]"]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="session")
def stress_full(tmp_path_factory, template):
    """The stress brief at full length: (document, pdf path, docx path, pages)."""
    from briefgen.load import load_text

    brief = load_text(stress_yaml(), "stress.yaml")
    return build_full(tmp_path_factory.mktemp("stress"), "stress", brief, template)


TEMPLATES = ("policy-brief", "decision-memo", "handout")
LENGTHS = (("one-page", None), ("two-page", None), (None, 3), ("full", None))
PAPERS = ("a4", "letter")


@dataclass(frozen=True)
class Output:
    """One brief built at one length with one template on one paper, in both formats."""

    length: object
    fitted: object
    pages: int
    last_fill: float
    pdf: Path
    docx: Path


@pytest.fixture(scope="session")
def matrix(tmp_path_factory, example_brief) -> dict[tuple[str, str, str, str], Output]:
    """The example and the stress brief at every length (one-page, two-page, --pages 3,
    full), with every built-in template, on A4 and Letter: (brief, length, template,
    paper) -> Output. Built once per session; the fidelity, length and DOCX validity
    tests share it."""
    from briefgen.fit import fit
    from briefgen.load import load_text
    from briefgen.plan import length_for
    from briefgen.render_docx import render_docx
    from briefgen.render_pdf import layout
    from briefgen.templates import load_template

    folder = tmp_path_factory.mktemp("matrix")
    briefs = {"example": example_brief, "stress": load_text(stress_yaml(), "stress.yaml")}
    out = {}
    for paper in PAPERS:
        for tname in TEMPLATES:
            template = load_template(tname, paper)
            for name, brief in briefs.items():
                for length_name, pages in LENGTHS:
                    length = length_for(length_name, pages)
                    f = fit(brief, length, template)
                    laid = layout(f.document, template)
                    stem = f"{name}-{tname}-{length.name}-{paper}"
                    (folder / f"{stem}.pdf").write_bytes(laid.pdf)
                    (folder / f"{stem}.docx").write_bytes(render_docx(f.document, template))
                    out[(name, length.name, tname, paper)] = Output(
                        length, f, laid.pages, laid.last_fill, folder / f"{stem}.pdf",
                        folder / f"{stem}.docx")
    return out


WORDS = ("policy regional stability cooperation Afghanistan ministry trade energy security "
         "dialogue partnership institutions Россия сотрудничество Ελλάδα συνεργασία "
         "counter-terrorism non-proliferation multilateral framework long-term").split()


def brief_strategy():
    """Random valid briefs as YAML-ready dicts (hypothesis)."""
    from hypothesis import strategies as st

    def text(lo, hi):
        return st.lists(st.sampled_from(WORDS), min_size=lo, max_size=hi).map(
            lambda ws: (" ".join(ws) or "text").capitalize() + ".")

    def paragraphs(lo, hi):
        return st.lists(text(20, 80), min_size=lo, max_size=hi).map("\n\n".join)

    def sentences(lo, hi):
        return st.lists(text(4, 30), min_size=lo, max_size=hi).map(" ".join)

    def item(recommendation):
        fields = {"title": text(2, 8), "summary": sentences(1, 4),
                  "priority": st.sampled_from(["high", "medium", "low"])}
        optional = {"detail": paragraphs(1, 3), "short": text(3, 12),
                    "evidence": st.lists(text(5, 30), min_size=1, max_size=3)}
        if recommendation:
            optional.update(owner=text(1, 5), timeframe=st.sampled_from(["0-6 months", "1-3 years"]))
        return st.fixed_dictionaries(fields, optional=optional)

    return st.fixed_dictionaries(
        {"title": text(3, 12), "summary": text(10, 60), "source": st.just({"title": "Source"}),
         "opportunities": st.lists(item(False), max_size=9),
         "challenges": st.lists(item(False), min_size=1, max_size=12),
         "recommendations": st.lists(item(True), max_size=9)},
        optional={"key_points": st.lists(text(5, 20), min_size=2, max_size=5),
                  "context": paragraphs(1, 3),
                  "prepared": st.just({"by": "Desk", "classification": "UNCLASSIFIED"})})


def brief_from(data: dict):
    """A Brief from a generated dict, through the real loader."""
    import yaml

    from briefgen.load import load_text

    return load_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "random.yaml")


ARTICLE_WORDS = ("the ministry regional stability cooperation trade energy corridor port "
                 "security dialogue partnership institutions budget reform agreement border "
                 "water grid finance investment pipeline treaty commission parliament "
                 "minister council province district agency programme strategy capacity "
                 "market supply demand policy risk growth climate transport customs").split()
NAMES = ("Pakistan", "Russia", "India", "China", "Finland", "Tallinn", "Kazakhstan", "Moscow",
         "the European Union", "the World Bank")


def long_article(words: int = 10_000, seed: int = 16) -> str:
    """A deterministic plain-text article of about `words` words: a title, a byline and
    paragraphs of five to nine sentences with names, numbers and negations."""
    import random

    rnd = random.Random(seed)
    out = ["| Welcome to the Benchmark Review", "A long article for the quote benchmark",
           "By Test Author |"]
    count = 0
    while count < words:
        sentences = []
        for _ in range(rnd.randint(5, 9)):
            ws = [rnd.choice(ARTICLE_WORDS) for _ in range(rnd.randint(10, 22))]
            ws.insert(rnd.randrange(len(ws)), rnd.choice(NAMES))
            if rnd.random() < 0.3:
                ws.insert(rnd.randrange(1, len(ws)), "not")
            if rnd.random() < 0.3:
                ws.insert(rnd.randrange(1, len(ws)), str(rnd.randint(2, 2000)))
            sentence = " ".join(ws)
            sentences.append(sentence[0].upper() + sentence[1:] + ".")
            count += len(ws)
        out.append(" ".join(sentences))
    return "\n\n".join(out) + "\n"


def quoted_brief(article_text: str, items: int = 80, seed: int = 16,
                 text_path: str = "article.txt") -> tuple[str, int]:
    """A brief of `items` items, each with two quotes taken from the article (one in
    ten changed: a word dropped or replaced, or the wrong paragraph cited); returns the
    YAML text and how many quotes were spoiled."""
    import json
    import random

    from briefgen.article import number, text_blocks

    paragraphs = number("article.txt", "text", text_blocks(article_text), {}).paragraphs
    rnd = random.Random(seed)
    lines = ["title: Quote benchmark", "summary: Many quotes against a long article.",
             "source:", "  title: A long article", f"  text: {text_path}"]
    spoiled = 0
    for section, n in (("opportunities", items * 3 // 8), ("challenges", items * 3 // 8),
                       ("recommendations", items - 2 * (items * 3 // 8))):
        lines.append(f"{section}:")
        for i in range(n):
            lines += [f"  - title: Item {i}", f"    summary: Item {i} of {section}.",
                      "    evidence:"]
            for _ in range(2):
                p = rnd.choice(paragraphs)
                ws = p.text.split()
                start = rnd.randrange(0, max(1, len(ws) - 25))
                quote = ws[start:start + rnd.randint(8, 25)]
                cited = p.number
                if rnd.random() < 0.1:
                    spoiled += 1
                    kind = rnd.choice(("drop", "replace", "paragraph"))
                    if kind == "drop":
                        del quote[rnd.randrange(1, len(quote) - 1)]
                    elif kind == "replace":
                        quote[rnd.randrange(1, len(quote) - 1)] = "unrelatedword"
                    else:
                        cited = cited % len(paragraphs) + 1
                lines += [f"      - quote: {json.dumps(' '.join(quote))}",
                          f"        paragraph: {cited}"]
    return "\n".join(lines) + "\n", spoiled


def steps_that_still_fit(brief, fitted, template) -> list:
    """The steps of the length's ladder that the fit left out although they would fit and
    the rules allow them: an item when every item of higher priority is shown or skipped
    as too long, a summary of a shown item, detail and evidence of an item shown with its
    summary, key points, context, owners. The fit promises there are none."""
    from briefgen.fit import _Search
    from briefgen.model import PRIORITIES
    from briefgen.plan import item_key, ladder, length_for

    plan, taken = fitted.plan, list(fitted.steps)
    name = plan.length
    length = length_for(None, int(name.split("-")[0])) if name[0].isdigit() \
        else length_for(name)
    reserve = (template.reserve_lines if template.reserve_lines is not None else 1.0) \
        * template.styles["body"].leading
    search = _Search(brief, length, template, reserve)
    out = []
    for step in ladder(brief, length.rungs):
        if step in taken:
            continue
        if step[0] == "item":
            item = getattr(brief, step[1][0])[step[1][1]]
            if step[1] in plan.skipped or any(
                    PRIORITIES.index(h.priority) < PRIORITIES.index(item.priority)
                    and not plan.shows(item_key(h)) and item_key(h) not in plan.skipped
                    for h in brief.items):
                continue
        elif len(step) > 1 and ("item", step[1]) not in taken:
            continue
        elif step[0] in ("detail", "evidence") and ("summary", step[1]) not in taken:
            continue
        if search.fits(taken + [step]):
            out.append(step)
    return out
