"""The Python API, for scripts: load and check briefs, render them to bytes, build files.

    from briefgen import api

    brief = api.load("inputs/islamabad-moscow.yaml")          # BriefError if invalid
    out = api.render(brief, "pdf", length="one-page")
    open("brief.pdf", "wb").write(out.data)
    print(out.pages, out.left_out)

Every failure a user can cause is a `BriefError` whose `.diagnostics` are located
`Diagnostic`s (file, line, column, path, message, severity), the same the command line
prints. An argument the command line would refuse raises `ValueError` (a wrong type,
`TypeError`), naming the argument and what it accepts. Paths may be `str` or `Path`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .errors import BriefError, Diagnostic, Stopped
from .model import Brief
from .plan import LENGTHS
from .records import dataclass
from .templates import PAGE_SIZES

__all__ = ["BriefError", "Diagnostic", "Rendered", "Stopped", "load", "loads", "check",
           "render", "build"]

FORMATS = ("pdf", "docx")  # the keys of render.RENDERERS (a test checks they agree)
PAPERS = tuple(PAGE_SIZES)
PAGES = (1, 100)
PDF_STANDARDS = ("ua-1", "a-2a")
RESERVE_LINES = (0, 10)
WORKERS = (1, 64)
"""The ranges the command line accepts (--pages, --reserve-lines, -j)."""


@dataclass(frozen=True)
class Rendered:
    """One rendered output: its bytes, page count, what was left out, and warnings."""

    data: bytes
    format: str
    length: str
    pages: int
    left_out: tuple[str, ...]
    warnings: tuple[Diagnostic, ...] = ()
    standards: tuple[str, ...] = ()
    """The standards the file meets: ("PDF/UA-1",) or ("PDF/UA-1", "PDF/A-2a") for a PDF."""


# -- arguments, checked as the command line checks its options ---------------------------

def _path(name: str, value: Any) -> Path:
    if isinstance(value, (str, os.PathLike)) and not isinstance(value, bytes):
        return Path(value)
    raise TypeError(f"{name} must be a path (str or pathlib.Path), not "
                    f"{type(value).__name__}")


def _choice(name: str, value: Any, allowed: tuple[str, ...]) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, one of {', '.join(allowed)}; not "
                        f"{type(value).__name__}")
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
    return value


def _choices(name: str, value: Any, allowed: tuple[str, ...]) -> list[str]:
    """One value or several (any iterable but a mapping), each checked; duplicates once."""
    values = [value] if isinstance(value, str) else value
    if isinstance(values, (dict, bytes)) or not isinstance(values, Iterable):
        raise TypeError(f"{name} must be a str or a sequence of str from "
                        f"{', '.join(allowed)}; not {type(value).__name__}")
    out = [_choice(name, v, allowed) for v in values]
    if not out:
        raise ValueError(f"{name} is empty; give one or more of {', '.join(allowed)}")
    return list(dict.fromkeys(out))


def _number(name: str, value: Any, bounds: tuple[int, int], integer: bool) -> Any:
    low, high = bounds
    kinds = (int,) if integer else (int, float)
    if isinstance(value, bool) or not isinstance(value, kinds):
        raise TypeError(f"{name} must be {'an int' if integer else 'a number'} from {low} to "
                        f"{high}, not {type(value).__name__}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be from {low} to {high}, not {value!r}")
    return value


def _length(length: str | None, pages: int | None) -> tuple[str | None, int | None]:
    if length is not None and pages is not None:
        raise ValueError(f"give either length or pages, not both (length={length!r}, "
                         f"pages={pages!r})")
    if pages is not None:
        return None, _number("pages", pages, PAGES, integer=True)
    return _choice("length", length or "two-page", LENGTHS), None


def _template(template: Any, paper: str | None):
    """The loaded template: ValueError when there is none of that name, BriefError (every
    problem, located in template.yaml) when it has errors."""
    from .templates import TemplateNotFound, load_template

    name = str(_path("template", template))
    if paper is not None:
        _choice("paper", paper, PAPERS)
    try:
        return load_template(name, paper)
    except TemplateNotFound as exc:
        raise ValueError(f"template: {exc.diagnostics[0].message}") from None


# -- the API --------------------------------------------------------------------------------

def load(path: str | Path) -> Brief:
    """Read and validate a brief file, and its quotes against `source.text` when set;
    BriefError with every problem when invalid."""
    from .load import load as load_file
    from .quotes import verify

    brief = load_file(_path("path", path))
    verify(brief)
    return brief


def loads(text: str | bytes, name: str = "<string>") -> Brief:
    """Validate brief YAML given as text (or UTF-8 bytes); `name` is used in error
    locations, and a relative `source.text` is found from its folder."""
    from .load import decode, load_text
    from .quotes import verify

    if not isinstance(name, str):
        raise TypeError(f"name must be a str, not {type(name).__name__}")
    if isinstance(text, (bytes, bytearray)):
        text = decode(bytes(text), name)
    if not isinstance(text, str):
        raise TypeError(f"text must be a str (or bytes), not {type(text).__name__}")
    brief = load_text(text, name)
    verify(brief)
    return brief


def check(path: str | Path, strict: bool = False) -> list[Diagnostic]:
    """Every error and warning of a brief file (warnings count as errors when strict)."""
    from .load import check as check_file

    _, diagnostics = check_file(_path("path", path))
    if strict:
        diagnostics = [Diagnostic(d.file, d.line, d.column, d.message, d.path, "error")
                       for d in diagnostics]
    return diagnostics


def render(brief: Brief, format: str = "pdf", length: str | None = None, *,
           pages: int | None = None, template: str | Path = "policy-brief",
           paper: str | None = None, reserve_lines: float | None = None,
           pdf_standard: str = "ua-1") -> Rendered:
    """Fit a brief to a length (two-page unless `length` or `pages` says otherwise) and
    render it to PDF or DOCX bytes; a PDF is tagged PDF/UA-1, and PDF/A-2a too with
    pdf_standard="a-2a"."""
    from .fit import fit
    from .pdf_fonts import missing_characters
    from .plan import length_for
    from .render import RENDERERS, standards

    if not isinstance(brief, Brief):
        raise TypeError(f"brief must be a Brief (from api.load or api.loads), not "
                        f"{type(brief).__name__}")
    _choice("format", format, FORMATS)
    name, pages = _length(length, pages)
    if reserve_lines is not None:
        _number("reserve_lines", reserve_lines, RESERVE_LINES, integer=False)
    _choice("pdf_standard", pdf_standard, PDF_STANDARDS)
    t = _template(template, paper)
    wanted = length_for(name, pages)
    fitted = fit(brief, wanted, t, reserve_lines)
    missing = missing_characters(fitted.document, t)
    warnings = (Diagnostic(brief.path, 1, 1, "no font has: " + "".join(missing),
                           severity="warning"),) if missing else ()
    warnings += fitted.warnings  # items too long for the length
    if brief.path:  # a language briefgen has no labels in
        from .load import language_warnings

        warnings += tuple(language_warnings(brief))
    return Rendered(RENDERERS[format](fitted.document, t, pdf_standard=pdf_standard), format,
                    wanted.name, fitted.pages, fitted.plan.left_out, warnings,
                    standards(format, pdf_standard))


def build(inputs: str | Path | Iterable[str | Path],
          formats: str | Iterable[str] = FORMATS,
          lengths: str | Iterable[str] | None = None, *, pages: int | None = None,
          template: str | Path = "policy-brief", paper: str | None = None,
          output: str | Path = "out", workers: int = 1,
          reserve_lines: float | None = None, pdf_standard: str = "ua-1",
          shard: str | tuple[int, int] | None = None):
    """Build files as `briefgen build` does; returns one `jobs.Result` per output (its
    `.ok`, `.job.path`, `.pages`, `.left_out`, `.errors`, `.warnings`). `inputs` is one
    path or several; `formats` and `lengths` one name or several; `shard` ("2/4" or
    (2, 4)) builds only that part of the inputs, as `--shard`. Ctrl-C stops it
    cleanly and raises `Stopped` (a KeyboardInterrupt) with the results finished."""
    from .jobs import UsageProblem, plan_outputs, run_jobs
    from .plan import length_for

    if isinstance(inputs, (str, os.PathLike)):
        paths = [_path("inputs", inputs)]
    elif isinstance(inputs, (bytes, dict)) or not isinstance(inputs, Iterable):
        raise TypeError(f"inputs must be a path or a sequence of paths (str or "
                        f"pathlib.Path), not {type(inputs).__name__}")
    else:
        paths = [_path("inputs", i) for i in inputs]
    if not paths:
        raise ValueError("inputs is empty; give one or more brief files")
    if shard is not None:
        from .manifests import ShardProblem, parse_shard, select_shard

        if isinstance(shard, tuple) and len(shard) == 2 and all(
                isinstance(n, int) and not isinstance(n, bool) for n in shard):
            shard = f"{shard[0]}/{shard[1]}"
        if not isinstance(shard, str):
            raise TypeError(f"shard must be 'K/N' or a (K, N) pair of ints, not {shard!r}")
        try:
            paths = select_shard(paths, parse_shard(shard))
        except ShardProblem as exc:
            raise ValueError(f"shard: {str(exc).replace('--shard', 'shard')}") from None
    wanted_formats = _choices("formats", formats, FORMATS)
    # As on the command line, lengths and pages may be combined: each is built.
    wanted = [] if lengths is None and pages is not None else \
        [length_for(n) for n in _choices("lengths", lengths or "two-page", LENGTHS)]
    if pages is not None:
        wanted.append(length_for(None, _number("pages", pages, PAGES, integer=True)))
    _number("workers", workers, WORKERS, integer=True)
    _choice("pdf_standard", pdf_standard, PDF_STANDARDS)
    if reserve_lines is not None:
        _number("reserve_lines", reserve_lines, RESERVE_LINES, integer=False)
    name = str(_path("template", template))
    _template(name, paper)
    out = str(_path("output", output))
    if not paths:
        return []  # a shard with no inputs
    try:
        jobs = plan_outputs(paths, wanted_formats, wanted, out, name, pdf_standard)
    except UsageProblem as exc:
        raise ValueError(f"output: {exc}") from None
    return run_jobs(jobs, name, paper, reserve_lines, workers)
