"""Benchmark: each figure is the median of several runs, with the range; the targets are
those of the speed issue, on the 2-core reference machine.

Run from the repository root:  python tests/benchmark.py   (about a minute)
Not collected by pytest (the file name does not start with test_). The pandoc and typst
comparison runs when both are installed (Debian's pandoc, PyPI's typst).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
EXAMPLE = ROOT / "inputs" / "islamabad-moscow.yaml"
CLI = [sys.executable, "-m", "briefgen"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def timed(fn, runs: int = 15, setup=lambda: None) -> tuple[float, float, float]:
    """Median, min and max wall time of fn in milliseconds."""
    xs = []
    for _ in range(runs):
        setup()
        t0 = time.perf_counter()
        fn()
        xs.append((time.perf_counter() - t0) * 1000)
    return statistics.median(xs), min(xs), max(xs)


def process(args: list[str], runs: int = 9, cwd=None) -> tuple[float, float, float]:
    return timed(lambda: subprocess.run(args, check=True, cwd=cwd, env=ENV,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
                 runs)


def show(label: str, figures, target: str = "") -> None:
    median, lo, hi = figures
    unit, scale = ("s ", 1000) if median >= 1000 else ("ms", 1)
    note = f"  target {target}" if target else ""
    print(f"{label:55} {median / scale:8.{2 if scale > 1 else 1}f} {unit} "
          f"({lo / scale:.{2 if scale > 1 else 1}f}-{hi / scale:.{2 if scale > 1 else 1}f})"
          f"{note}", flush=True)


def in_process() -> None:
    from briefgen.fit import fit
    from briefgen.inline import parse_inline
    from briefgen.load import load, load_text
    from briefgen.measure import Measurer
    from briefgen.plan import length_for
    from briefgen.render_docx import render_docx
    from briefgen.render_pdf import render_pdf
    from briefgen.templates import load_template
    from conftest import stress_yaml

    brief, template = load(EXAMPLE), load_template("policy-brief")
    one = length_for("one-page")
    fitted = fit(brief, one, template)
    render_pdf(fitted.document, template)
    render_docx(fitted.document, template)

    def cold():
        from briefgen import build as build_module, fit as fit_module, pdf_fonts, pdf_text
        from briefgen import sentences

        Measurer._shared.clear()
        fit_module._RECENT.clear()
        for cached in (parse_inline, build_module._text_runs, build_module.lead_in,
                       sentences.first_sentence):
            cached.cache_clear()
        for cache in (pdf_text._PARSED, pdf_text._WRAPPED, pdf_fonts._PIECES):
            cache.clear()

    plain = timed(lambda: render_pdf(fitted.document, template), setup=cold)
    show("one-page PDF, plain render of the final content, cold", plain)
    cold_fit = timed(lambda: render_pdf(fit(brief, one, template).document, template),
                     setup=cold)
    show("one-page PDF, fitted, cold measure caches", cold_fit,
         f"<= 1.5x plain: {cold_fit[0] / plain[0]:.2f}x")
    show("warm: fitted one-page, PDF", timed(lambda: render_pdf(
        fit(brief, one, template).document, template)), "<= 40 ms")

    def both():
        f = fit(brief, one, template)
        render_pdf(f.document, template)
        render_docx(f.document, template)

    show("warm: fitted one-page, PDF and DOCX", timed(both), "<= 60 ms")
    tagging_cost(fitted.document, template, "one-page")

    # A long brief shortened: the 80-item stress brief fitted to one and two pages, against
    # one plain render of the content chosen (the fit is a bounded search).
    long = load(ROOT / "tests" / "fixtures" / "stress" / "eighty-items.yaml")
    lengths = {"one-page": [one], "two-page": [length_for("two-page")],
               "one-page and two-page": [one, length_for("two-page")]}
    for label, wanted in lengths.items():
        chosen = [fit(long, w, template) for w in wanted]
        plain = timed(lambda: [render_pdf(f.document, template) for f in chosen], setup=cold)
        fitted = timed(lambda: [render_pdf(fit(long, w, template).document, template)
                                for w in wanted], setup=cold)
        show(f"80 items, {label} PDF, plain render of the chosen content", plain)
        show(f"80 items, {label} PDF, fitted, cold caches", fitted,
             f"<= 2x plain: {fitted[0] / plain[0]:.2f}x")

    # Cost against pages: the stress brief at growing sizes, full length, both formats.
    for items, recs in ((12, 15), (30, 35), (62, 70)):
        big = load_text(stress_yaml(items, recs), "stress.yaml")
        full = length_for("full")
        f = fit(big, full, template)
        pages = f.pages

        def render_both():
            g = fit(big, full, template)
            render_pdf(g.document, template)
            render_docx(g.document, template)

        figures = timed(render_both, runs=3)
        show(f"full brief, {pages} pages, PDF and DOCX ({figures[0] / pages:.1f} ms/page)",
             figures, "<= 3 s" if pages >= 45 else "")
    tagging_cost(f.document, template, f"{pages}-page")
    urdu = load(ROOT / "tests" / "fixtures" / "accessibility" / "urdu.yaml")
    tagging_cost(fit(urdu, length_for("full"), template).document, template, "Urdu full")


def tagging_cost(document, template, name: str) -> None:
    """What tagging (structure tree, marked content, XMP) adds to a PDF render: the same
    document rendered with tagging off and on (an internal switch) back to back, in CPU
    time; the median of the pairs' ratios (a shared machine's drift cancels out)."""
    from briefgen.render_pdf import layout

    ratios, off = [], []
    for n in range(31):
        pair = []
        for tagged in (n % 2 == 1, n % 2 == 0):
            t0 = time.process_time()
            layout(document, template, tagged=tagged)
            pair.append((tagged, time.process_time() - t0))
        times = dict(pair)
        ratios.append(times[True] / times[False])
        off.append(times[False] * 1000)
    cost = statistics.median(ratios) - 1
    print(f"{'tagging, ' + name + ' PDF render (untagged ' + f'{min(off):.1f} ms)':55} "
          f"{cost * 100:+7.1f} %  target <= +15 %", flush=True)


def quote_check(folder: Path) -> None:
    from briefgen import quotes
    from briefgen.load import load
    from conftest import long_article, quoted_brief

    article = long_article()
    (folder / "article.txt").write_text(article, encoding="utf-8")
    text, spoiled = quoted_brief(article)
    (folder / "quoted.yaml").write_text(text, encoding="utf-8")
    brief = load(folder / "quoted.yaml")
    found = [d for d in quotes.check(brief) if d.severity == "error"]
    assert len(found) == spoiled, (len(found), spoiled)
    figures = timed(lambda: quotes.check(brief), setup=quotes._cached_index.cache_clear)
    quotes_n = sum(len(i.evidence) for i in brief.items)
    show(f"quote check: {len(brief.items)} items, {quotes_n} quotes vs "
         f"{len(article.split()) // 1000},000 words", figures, "<= 200 ms")


def peak_memory_50_pages(folder: Path) -> None:
    from conftest import stress_yaml

    brief = folder / "fifty.yaml"
    brief.write_text(stress_yaml(62, 70), encoding="utf-8")
    code = ("import resource, sys, runpy; sys.argv = ['briefgen', 'build', %r, '-l', 'full', "
            "'-o', %r, '-q'];\ntry:\n runpy.run_module('briefgen', run_name='__main__')\n"
            "except SystemExit: pass\nprint(resource.getrusage(resource.RUSAGE_SELF)"
            ".ru_maxrss)" % (str(brief), str(folder / "o")))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=ENV, check=True).stdout
    pages = subprocess.run(["pdfinfo", str(folder / "o" / "fifty.full.pdf")],
                           capture_output=True, text=True).stdout
    n = next((line.split()[-1] for line in pages.splitlines() if line.startswith("Pages")), "?")
    print(f"{'peak memory, ' + n + '-page full brief, both formats, whole process':55} "
          f"{int(out.strip()) / 1024:8.0f} MB  target <= 200 MB", flush=True)


def batch(folder: Path) -> None:
    import yaml

    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["source"]["text"] = str(EXAMPLE.parent / data["source"]["text"])  # copied elsewhere
    briefs = folder / "many"
    briefs.mkdir()
    for n in range(100):
        data["title"] = f"Brief {n}: Pakistan and Russia"
        (briefs / f"brief{n:03}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True),
                                                  encoding="utf-8")
    inputs = sorted(str(p) for p in briefs.glob("*.yaml"))
    ours = process(CLI + ["build", *inputs, "-l", "one-page", "-j", "2", "-o",
                          str(folder / "batch"), "-q"], runs=3)
    show("batch: 100 briefs x PDF and DOCX x one-page, -j 2", ours, "<= 8 s")
    if shutil.which("pandoc") is None:
        print("(pandoc not installed: no comparison)")
        return
    try:
        import typst
    except ImportError:
        print("(typst not installed: pip install typst, for the comparison)")
        return
    # The same briefs as Markdown and Typst, converted one by one: pandoc as a process
    # per file (DOCX), typst in one warm process (PDF) - the comparison favours them.
    md, typ = [], []
    for path in inputs:
        b = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        body = [f"# {b['title']}", "", b["summary"], ""]
        for section in ("opportunities", "challenges", "recommendations"):
            body += [f"## {section.title()}", ""] + [
                f"- **{i['title']}.** {i['summary']}" for i in b.get(section, [])] + [""]
        m = Path(path).with_suffix(".md")
        m.write_text("\n".join(body), encoding="utf-8")
        md.append(m)
        t = Path(path).with_suffix(".typ")
        t.write_text("\n".join(line.replace("## ", "== ").replace("# ", "= ")
                               .replace("**", "*").replace("#", "\\#") if not
                               line.startswith(("# ", "## ")) else
                               line.replace("## ", "== ").replace("# ", "= ")
                               for line in body), encoding="utf-8")
        typ.append(t)

    def theirs():
        for m in md:
            subprocess.run(["pandoc", str(m), "-o", str(m.with_suffix(".docx"))], check=True)
        for t in typ:
            typst.compile(str(t), output=str(t.with_suffix(".pdf")))

    figures = timed(theirs, runs=2)
    show("pandoc (DOCX) + typst (PDF), one file at a time", figures,
         f"briefgen is {figures[0] / ours[0]:.1f}x faster (target >= 2x)")


def main() -> int:
    print(f"briefgen benchmark, Python {sys.version.split()[0]}, {os.cpu_count()} cores",
          flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        show("briefgen --help, whole process", process(CLI + ["--help"]), "<= 150 ms")
        show("briefgen validate inputs/*.yaml, whole process", process(
            CLI + ["validate", *map(str, sorted((ROOT / "inputs").glob("*.yaml")))]),
            "<= 200 ms")
        show("command line, one-page PDF, cold process", process(
            CLI + ["build", str(EXAMPLE), "-l", "one-page", "-f", "pdf", "-o",
                   str(tmp / "a"), "-q"]), "<= 450 ms")
        show("command line, one-page PDF and DOCX, cold process", process(
            CLI + ["build", str(EXAMPLE), "-l", "one-page", "-o", str(tmp / "b"), "-q"]),
            "<= 600 ms")
        in_process()
        quote_check(tmp)
        peak_memory_50_pages(tmp)
        batch(tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
