"""The Python API, for scripts: load and check briefs, render them to bytes, build files.

    from briefgen import api

    brief = api.load("inputs/islamabad-moscow.yaml")          # BriefError if invalid
    out = api.render(brief, "pdf", length="one-page")
    open("brief.pdf", "wb").write(out.data)
    print(out.pages, out.left_out)

Every failure a user can cause is a `BriefError` whose `.diagnostics` are located
`Diagnostic`s (file, line, column, path, message, severity), the same the command line
prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import BriefError, Diagnostic
from .model import Brief

__all__ = ["BriefError", "Diagnostic", "Rendered", "load", "loads", "check", "render",
           "build"]


@dataclass(frozen=True)
class Rendered:
    """One rendered output: its bytes, page count, what was left out, and warnings."""

    data: bytes
    format: str
    length: str
    pages: int
    left_out: tuple[str, ...]
    warnings: tuple[Diagnostic, ...] = ()


def load(path: str | Path) -> Brief:
    """Read and validate a brief file; BriefError with every problem when invalid."""
    from .load import load as load_file

    return load_file(path)


def loads(text: str, name: str = "<string>") -> Brief:
    """Validate brief YAML given as text; `name` is used in error locations."""
    from .load import load_text

    return load_text(text, name)


def check(path: str | Path, strict: bool = False) -> list[Diagnostic]:
    """Every error and warning of a brief file (warnings count as errors when strict)."""
    from .load import check as check_file

    _, diagnostics = check_file(path)
    if strict:
        diagnostics = [Diagnostic(d.file, d.line, d.column, d.message, d.path, "error")
                       for d in diagnostics]
    return diagnostics


def render(brief: Brief, format: str = "pdf", length: str = "two-page", *,
           pages: int | None = None, template: str = "policy-brief",
           paper: str | None = None, reserve_lines: float | None = None) -> Rendered:
    """Fit a brief to a length (or `pages`) and render it to PDF or DOCX bytes."""
    from .fit import fit
    from .plan import length_for
    from .render import RENDERERS
    from .pdf_fonts import missing_characters
    from .templates import load_template

    if format not in RENDERERS:
        raise ValueError(f"format must be one of {', '.join(RENDERERS)}")
    if pages is None and length not in ("one-page", "two-page", "full"):
        raise ValueError("length must be one-page, two-page or full (or give pages=N)")
    if pages is not None and not 1 <= pages <= 100:
        raise ValueError("pages must be from 1 to 100")
    t = load_template(template, paper)
    wanted = length_for(None, pages) if pages is not None else length_for(length)
    fitted = fit(brief, wanted, t, reserve_lines)
    missing = missing_characters(fitted.document, t)
    warnings = (Diagnostic(brief.path, 1, 1, "no font has: " + "".join(missing),
                           severity="warning"),) if missing else ()
    warnings += fitted.warnings  # items too long for the length
    return Rendered(RENDERERS[format](fitted.document, t), format, wanted.name, fitted.pages,
                    fitted.plan.left_out, warnings)


def build(inputs: list[str | Path], formats: tuple[str, ...] = ("pdf", "docx"),
          lengths: tuple[str, ...] = ("two-page",), *, pages: int | None = None,
          template: str = "policy-brief", paper: str | None = None,
          output: str | Path = "out", workers: int = 1):
    """Build files as `briefgen build` does; returns one `jobs.Result` per output (its
    `.ok`, `.job.path`, `.pages`, `.left_out`, `.errors`, `.warnings`)."""
    from .jobs import plan_outputs, run_jobs
    from .plan import length_for

    wanted = [length_for(None, pages)] if pages is not None else \
        [length_for(name) for name in lengths]
    jobs = plan_outputs([Path(i) for i in inputs], list(formats), wanted, str(output),
                        template)
    return run_jobs(jobs, template, paper, None, workers)
