"""Benchmark: prints each figure as the median of several runs, with its spread.

Run from the repository root:  python tests/benchmark.py
Not collected by pytest (the file name does not start with test_).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "inputs" / "islamabad-moscow.yaml"


def timed(fn, runs: int = 15, setup=lambda: None) -> tuple[float, float, float]:
    """Median, min and max wall time of fn in milliseconds."""
    xs = []
    for _ in range(runs):
        setup()
        t0 = time.perf_counter()
        fn()
        xs.append((time.perf_counter() - t0) * 1000)
    return statistics.median(xs), min(xs), max(xs)


def show(label: str, figures: tuple[float, float, float], target: str = "") -> None:
    median, lo, hi = figures
    note = f"   target {target}" if target else ""
    print(f"{label:52} {median:8.1f} ms  ({lo:.1f}-{hi:.1f}){note}")


def main() -> int:
    from briefgen.fit import fit
    from briefgen.inline import parse_inline
    from briefgen.load import load
    from briefgen.measure import Measurer
    from briefgen.plan import length_for
    from briefgen.render_docx import render_docx
    from briefgen.render_pdf import render_pdf
    from briefgen.templates import load_template

    brief, template = load(EXAMPLE), load_template("policy-brief")
    one = length_for("one-page")
    fitted = fit(brief, one, template)
    render_pdf(fitted.document, template)

    def cold():
        Measurer._shared.clear()
        parse_inline.cache_clear()

    print(f"briefgen benchmark, {EXAMPLE.name}, Python {sys.version.split()[0]}")
    plain = timed(lambda: render_pdf(fitted.document, template))
    show("one-page PDF, plain render of the final content", plain)
    cold_fit = timed(lambda: render_pdf(fit(brief, one, template).document, template),
                     setup=cold)
    show("one-page PDF, fitted (cold caches)", cold_fit,
         f"<= 1.5x plain: {cold_fit[0] / plain[0]:.2f}x")
    warm_fit = timed(lambda: render_pdf(fit(brief, one, template).document, template))
    show("one-page PDF, fitted (warm, as in watch mode)", warm_fit,
         f"<= 1.5x plain: {warm_fit[0] / plain[0]:.2f}x")
    show("one-page DOCX, render", timed(lambda: render_docx(fitted.document, template)))
    show("full PDF, fit and render",
         timed(lambda: render_pdf(fit(brief, length_for("full"), template).document, template)))
    cli = timed(lambda: subprocess.run(
        [sys.executable, "-m", "briefgen", "build", str(EXAMPLE), "-l", "one-page", "-f", "pdf",
         "-o", "/tmp/briefgen-bench.pdf", "-q"], check=True), runs=7)
    show("command line, one-page PDF, whole process", cli)
    return 0


if __name__ == "__main__":
    sys.exit(main())
