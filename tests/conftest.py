"""Shared fixtures: the example brief built once per session, and readers for the outputs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "inputs" / "islamabad-moscow.yaml"


def need_tool(name: str) -> str:
    """The path of a command-line tool; skipped locally, a failure in CI, when missing."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is required in CI (.ci/run installs it)")
        pytest.skip(f"{name} is not installed")
    return path


def libreoffice_pdf(docx_paths: list[Path], outdir: Path) -> list[Path]:
    """Lay DOCX files out with LibreOffice (one soffice call, its own profile)."""
    soffice = need_tool("soffice")
    outdir.mkdir(parents=True, exist_ok=True)
    profile = Path("/tmp") / f"lo-briefgen-{uuid.uuid4().hex}"
    try:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(outdir),
                        *map(str, docx_paths)],
                       check=True, capture_output=True, timeout=300)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    out = [outdir / (p.stem + ".pdf") for p in docx_paths]
    for p in out:
        assert p.is_file(), f"LibreOffice did not convert {p.name}"
    return out


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
