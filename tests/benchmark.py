"""Benchmark: every figure the README's Speed section shows, printed with the machine that
made it. Cold processes are measured interleaved with their floor (a Python process that
imports only what a build must: reportlab's platypus and TrueType code, PyYAML and click;
plus python-docx for builds with a DOCX), so a busy machine slows both alike and the
ratio holds; the targets are those of the speed issue.

Run from the repository root:  python tests/benchmark.py   (a few minutes)
With --markdown it prints the rows of the README's table.
Not collected by pytest (the file name does not start with test_); tests/test_readme.py
checks that the README's figures carry exactly the labels in LABELS. The pandoc and typst
comparison runs when both are installed (Debian's pandoc, PyPI's typst).
"""

from __future__ import annotations

import compileall
import os
import platform
import resource
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
FLOOR = [sys.executable, "-c", "import reportlab.platypus, reportlab.pdfbase.ttfonts, yaml, click"]
FLOOR_DOCX = [sys.executable, "-c",
              "import reportlab.platypus, reportlab.pdfbase.ttfonts, yaml, click, docx"]
BARE = [sys.executable, "-c", "pass"]

LABELS = (
    "cold one-page PDF, against the import floor",
    "cold one-page PDF, no font cache, against the floor",
    "cold one-page PDF and DOCX, against the floor + python-docx",
    "briefgen --help, against bare Python",
    "briefgen validate inputs/*.yaml, against bare Python",
    "one-page PDF, fitted, against a plain render (cold caches)",
    "warm: fitted one-page, PDF",
    "warm: fitted one-page, PDF and DOCX",
    "tagging, one-page PDF render",
    "80 items, one-page PDF, fitted, against a plain render",
    "80 items, two-page PDF, fitted, against a plain render",
    "80 items, one-page and two-page PDF, against a plain render",
    "full brief, 12 items, PDF and DOCX",
    "full brief, 30 items, PDF and DOCX",
    "full brief, 62 items, PDF and DOCX",
    "tagging, 53-page PDF render",
    "tagging, Urdu full PDF render",
    "quote check, 80 items vs a 10,000-word article",
    "peak memory, 53-page full brief, both formats",
    "batch: 100 briefs x PDF and DOCX x one-page, -j 2",
    "pandoc (DOCX) + typst (PDF), the same 100 briefs",
)
"""What the benchmark prints, in order: the README's table has one row for each."""


def timed(fn, runs: int = 15, setup=lambda: None) -> tuple[float, float, float]:
    """Median, min and max wall time of fn in milliseconds."""
    xs = []
    for _ in range(runs):
        setup()
        t0 = time.perf_counter()
        fn()
        xs.append((time.perf_counter() - t0) * 1000)
    return statistics.median(xs), min(xs), max(xs)


def paired(plain, other, runs: int = 21, setup=lambda: None) -> tuple[float, float, float]:
    """`other` against `plain`, run in turns (which goes first alternates), each after
    `setup`, in CPU time: the median of the pairs' ratios and the two medians in ms. A
    shared machine's drift slows both of a pair alike, so the ratio holds."""
    ratios, a, b = [], [], []
    for n in range(runs):
        pair = {}
        for which in ((plain, other) if n % 2 else (other, plain)):
            setup()
            t0 = time.process_time()
            which()
            pair[which] = (time.process_time() - t0) * 1000
        ratios.append(pair[other] / pair[plain])
        a.append(pair[plain])
        b.append(pair[other])
    return statistics.median(ratios), statistics.median(a), statistics.median(b)


def process(args: list[str], runs: int = 9, cwd=None) -> tuple[float, float, float]:
    return timed(lambda: subprocess.run(args, check=True, cwd=cwd, env=ENV,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
                 runs)


MARKDOWN = "--markdown" in sys.argv
"""`python tests/benchmark.py --markdown` prints the README's table rows instead."""


def show(label: str, value: str, note: str = "") -> None:
    assert label in LABELS, label
    if MARKDOWN:
        figures, _, target = note.partition("target ")
        print(f"| {label} | {value} | {figures.strip()} | {target.strip() or '-'} |",
              flush=True)
    else:
        print(f"{label:62} {value:>24}  {note}".rstrip(), flush=True)


def figure(figures) -> str:
    median, lo, hi = figures
    if median >= 1000:
        return f"{median / 1000:.2f} s ({lo / 1000:.2f}-{hi / 1000:.2f})"
    return f"{median:.1f} ms ({lo:.1f}-{hi:.1f})"


def machine() -> str:
    """The machine the figures come from: CPU model, cores, Python, OS."""
    model = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}")


def interleaved(commands: dict[str, list[str]], runs: int, env=None) -> dict[str, tuple]:
    """Each command run `runs` times, taking turns, as whole processes: per command the
    median wall time and the median CPU time (user + system) in ms, and every round's wall
    time (for `ratio`)."""
    wall: dict[str, list[float]] = {k: [] for k in commands}
    cpu: dict[str, list[float]] = {k: [] for k in commands}
    for _ in range(runs):
        for name, args in commands.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            subprocess.run(args, check=True, env=env or ENV, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            wall[name].append((time.perf_counter() - t0) * 1000)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[name].append((after.ru_utime + after.ru_stime - before.ru_utime
                              - before.ru_stime) * 1000)
    return {k: (statistics.median(wall[k]), statistics.median(cpu[k]), wall[k])
            for k in commands}


def ratio(ours, floor, label: str, target: float | None) -> None:
    """The median of the rounds' ratios: each round runs the two one after the other, so a
    shared machine's load, which swings within seconds here, weighs on both of a round
    alike (the ratio of the two medians mixes rounds of different loads)."""
    (wall, cpu, rounds), (fwall, fcpu, frounds) = ours, floor
    rate = statistics.median(a / b for a, b in zip(rounds, frounds))
    note = f"{wall:.0f} ms vs {fwall:.0f} ms (CPU {cpu / fcpu:.2f}x)"
    if target is not None:
        note += f"  target <= {target}x"
    show(label, f"{rate:.2f}x", note)


def cold_processes(tmp: Path, runs: int = 21) -> None:
    """Whole cold processes against their floors, interleaved. The font cache is filled
    first (as after a machine's first build), and measured empty too."""
    pdf = CLI + ["build", str(EXAMPLE), "-l", "one-page", "-f", "pdf", "-o", str(tmp / "a"),
                 "-q"]
    both = CLI + ["build", str(EXAMPLE), "-l", "one-page", "-o", str(tmp / "b"), "-q"]
    cache = {**ENV, "BRIEFGEN_CACHE_DIR": str(tmp / "font-cache")}
    subprocess.run(both, check=True, env=cache)  # fills the font cache
    got = interleaved({"floor": FLOOR, "pdf": pdf, "floor+docx": FLOOR_DOCX, "both": both},
                      runs, cache)
    ratio(got["pdf"], got["floor"], "cold one-page PDF, against the import floor", 1.4)
    nocache = interleaved({"floor": FLOOR, "pdf": pdf}, max(5, runs // 2),
                          {**ENV, "BRIEFGEN_NO_CACHE": "1"})
    ratio(nocache["pdf"], nocache["floor"],
          "cold one-page PDF, no font cache, against the floor", None)
    ratio(got["both"], got["floor+docx"],
          "cold one-page PDF and DOCX, against the floor + python-docx", 1.5)
    small = interleaved({"bare": BARE, "help": CLI + ["--help"], "validate": CLI + [
        "validate", *map(str, sorted((ROOT / "inputs").glob("*.yaml")))]}, runs)
    ratio(small["help"], small["bare"], "briefgen --help, against bare Python", None)
    ratio(small["validate"], small["bare"],
          "briefgen validate inputs/*.yaml, against bare Python", None)


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

    rate, plain, cold_fit = paired(lambda: render_pdf(fitted.document, template),
                                   lambda: render_pdf(fit(brief, one, template).document,
                                                      template), setup=cold)
    show("one-page PDF, fitted, against a plain render (cold caches)", f"{rate:.2f}x",
         f"{cold_fit:.1f} ms vs {plain:.1f} ms CPU  target <= 1.5x")
    show("warm: fitted one-page, PDF", figure(timed(lambda: render_pdf(
        fit(brief, one, template).document, template))), "target <= 40 ms")

    def both():
        f = fit(brief, one, template)
        render_pdf(f.document, template)
        render_docx(f.document, template)

    show("warm: fitted one-page, PDF and DOCX", figure(timed(both)), "target <= 60 ms")
    tagging_cost(fitted.document, template, "one-page")

    # A long brief shortened: the 80-item stress brief fitted to one and two pages, against
    # one plain render of the content chosen (the fit is a bounded search).
    long = load(ROOT / "tests" / "fixtures" / "stress" / "eighty-items.yaml")
    lengths = {"one-page": [one], "two-page": [length_for("two-page")],
               "one-page and two-page": [one, length_for("two-page")]}
    for label, wanted in lengths.items():
        chosen = [fit(long, w, template) for w in wanted]
        rate, plain, fitted = paired(
            lambda: [render_pdf(f.document, template) for f in chosen],
            lambda: [render_pdf(fit(long, w, template).document, template) for w in wanted],
            setup=cold)
        name = f"80 items, {label} PDF, fitted, against a plain render" \
            if label != "one-page and two-page" else \
            "80 items, one-page and two-page PDF, against a plain render"
        target = "  target <= 2x" if len(wanted) == 2 else ""  # the speed issue's figure
        show(name, f"{rate:.2f}x", f"{fitted:.0f} ms vs {plain:.0f} ms CPU{target}")

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
        show(f"full brief, {items} items, PDF and DOCX", figure(figures),
             f"{pages} pages, {figures[0] / pages:.1f} ms/page"
             + ("  target <= 3 s" if pages >= 45 else ""))
    tagging_cost(f.document, template, "53-page" if pages == 53 else f"{pages}-page")
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
    show(f"tagging, {name} PDF render", f"{cost * 100:+.1f} %",
         f"untagged {min(off):.1f} ms  target <= +15 %")


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
    show("quote check, 80 items vs a 10,000-word article", figure(figures),
         f"{len(brief.items)} items, {quotes_n} quotes, {len(article.split())} words  "
         f"target <= 200 ms")


def peak_memory_50_pages(folder: Path) -> None:
    from conftest import stress_yaml

    brief = folder / "fifty.yaml"
    brief.write_text(stress_yaml(62, 70), encoding="utf-8")
    # main() as a function: the command line's process ends without returning (cli.run).
    code = ("import resource\nfrom briefgen.cli import main\ntry:\n main(['build', %r, '-l', "
            "'full', '-o', %r, '-q'])\nexcept SystemExit: pass\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
            % (str(brief), str(folder / "o")))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=ENV, check=True).stdout
    pages = subprocess.run(["pdfinfo", str(folder / "o" / "fifty.full.pdf")],
                           capture_output=True, text=True).stdout
    n = next((line.split()[-1] for line in pages.splitlines() if line.startswith("Pages")), "?")
    show("peak memory, 53-page full brief, both formats", f"{int(out.strip()) / 1024:.0f} MB",
         f"{n} pages, whole process  target <= 200 MB")


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
    show("batch: 100 briefs x PDF and DOCX x one-page, -j 2", figure(ours), "target <= 8 s")
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
    show("pandoc (DOCX) + typst (PDF), the same 100 briefs", f"{figures[0] / ours[0]:.1f}x",
         f"{figures[0] / 1000:.2f} s, one file at a time: briefgen is {figures[0] / ours[0]:.1f}x "
         f"faster  target >= 2x")


def main() -> int:
    compileall.compile_dir(str(ROOT / "briefgen"), quiet=1)  # as an installed package is
    print(f"Measured on {machine()} (python tests/benchmark.py)" if MARKDOWN else
          f"briefgen benchmark on {machine()}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        cold_processes(tmp)
        in_process()
        quote_check(tmp)
        peak_memory_50_pages(tmp)
        batch(tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
