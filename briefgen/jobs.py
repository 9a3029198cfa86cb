"""Jobs: the outputs one `build` asks for, where they go, and writing them safely."""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BriefError, Diagnostic
from .fit import fit
from .load import load
from .plan import Length
from .render import RENDERERS
from .templates import load_template

FORMATS = tuple(RENDERERS)


@dataclass(frozen=True)
class Job:
    """One output: an input built in one format at one length."""

    input: Path
    format: str
    length: Length
    path: Path


@dataclass
class Result:
    """What became of a job: the file written, or the errors that stopped it."""

    job: Job
    pages: int = 0
    size: int = 0
    sha256: str = ""
    left_out: tuple[str, ...] = ()
    errors: list[Diagnostic] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    one_line: tuple[dict, ...] = ()
    """Items shown in their one-line form, without the rest of their summary."""
    skipped: tuple[dict, ...] = ()
    """Items left out because even their one-line form is too long for the length."""

    @property
    def ok(self) -> bool:
        """Whether the file was written."""
        return not self.errors

    def as_dict(self, template: str) -> dict:
        """The manifest entry."""
        out = {"input": str(self.job.input), "template": template, "length": self.job.length.name,
               "format": self.job.format, "path": str(self.job.path)}
        if self.ok:
            out.update(pages=self.pages, bytes=self.size, sha256=self.sha256,
                       left_out=list(self.left_out), one_line=list(self.one_line),
                       skipped=list(self.skipped),
                       warnings=[w.as_dict() for w in self.warnings])
        else:
            out["errors"] = [d.as_dict() for d in self.errors]
        return out


DEFAULT_TEMPLATE = "policy-brief"


class UsageProblem(Exception):
    """The options asked for something that cannot be built (exit code 2)."""


def plan_jobs(inputs: list[Path], formats: list[str], lengths: list[Length],
              output: Path | None, template: str = DEFAULT_TEMPLATE,
              folder: bool = False) -> list[Job]:
    """Every input x format x length, named `<out>/<input stem>.<length>.<format>`, or
    `<out>/<input stem>.<template>.<length>.<format>` with another template than the
    default, so builds with different templates never overwrite each other.

    `output` ending in .pdf or .docx names the one file of a single-output build; otherwise
    it is the folder (default `out/`)."""
    jobs = []
    single = not folder and output is not None and output.suffix.lower() in (".pdf", ".docx")
    tag = "" if template == DEFAULT_TEMPLATE else f".{Path(template).name}"
    for inp in inputs:
        for length in lengths:
            for fmt in formats:
                path = output if single else \
                    (output or Path("out")) / f"{inp.stem}{tag}.{length.name}.{fmt}"
                jobs.append(Job(inp, fmt, length, path))
    return jobs


def plan_outputs(inputs: list[Path], formats: list[str], lengths: list[Length],
                 output: str | None, template: str = DEFAULT_TEMPLATE) -> list[Job]:
    """The jobs of a build, with the output option checked: a folder (created if missing;
    a trailing slash always means a folder), or one .pdf/.docx file when exactly one file
    is built. Two inputs may not write the same file. Raises UsageProblem."""
    folder = output is not None and output.endswith(("/", "\\"))
    path = Path(output) if output is not None else None
    single = path is not None and not folder and path.suffix.lower() in (".pdf", ".docx")
    if path is not None and not single and path.exists() and not path.is_dir():
        raise UsageProblem(f"-o {path} is a file, not a folder; name a folder, or a .pdf or "
                           f".docx file when one file is built")
    jobs = plan_jobs(inputs, formats, lengths, path, template, folder=folder)
    seen: dict[Path, Path] = {}
    for job in jobs:
        other = seen.setdefault(job.path, job.input)
        if other != job.input:
            raise UsageProblem(f"{other} and {job.input} would both write {job.path}; build "
                               f"them into different folders (-o) or rename one")
    if single:
        if len(jobs) != 1:
            raise UsageProblem(f"-o {path} names one file, but {len(jobs)} would be built; "
                               f"give a folder instead")
        if path.suffix.lower().lstrip(".") != jobs[0].format:
            raise UsageProblem(f"-o {path} does not end in .{jobs[0].format}")
    return jobs


def run_jobs(jobs: list[Job], template: str = DEFAULT_TEMPLATE, paper: str | None = None,
             reserve_lines: float | None = None, workers: int = 1,
             progress=None) -> list[Result]:
    """Build the jobs, input by input, in `workers` processes when there are several
    inputs; `progress(results_of_one_input)` is called as each input finishes. A failure
    never stops the other inputs."""
    by_input: dict[Path, list[Job]] = {}
    for job in jobs:
        by_input.setdefault(job.input, []).append(job)
    args = [(inp, js, template, paper, reserve_lines) for inp, js in by_input.items()]
    results: list[Result] = []
    if workers > 1 and len(args) > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=min(workers, len(args))) as pool:
            for done in pool.map(_run_args, args):
                results += done
                if progress:
                    progress(done)
    else:
        for a in args:
            done = run_input(*a)
            results += done
            if progress:
                progress(done)
    return results


def _run_args(args) -> list[Result]:
    return run_input(*args)


def manifest(results: list[Result], template: str, version: str) -> dict:
    """The manifest of a build: every output and every failure (see
    docs/manifest.schema.json)."""
    return {"briefgen": version, "outputs": [r.as_dict(template) for r in results]}


def write_atomic(path: Path, data: bytes) -> None:
    """Write under a temporary name in the same folder, then rename: a reader never sees a
    half-written file, and a failed build leaves the previous file in place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _glyph_warnings(inp: Path, brief, template) -> list[Diagnostic]:
    """A warning, once per input, for characters of the brief (at full length, so every
    output of it is covered) that no shipped font has."""
    from .build import build
    from .plan import full_plan
    from .pdf_fonts import missing_characters

    missing = missing_characters(build(brief, full_plan(brief), template), template)
    if not missing:
        return []
    shown = ", ".join(f"{ch} (U+{ord(ch):04X})" for ch in missing[:8])
    more = f" and {len(missing) - 8} more" if len(missing) > 8 else ""
    return [Diagnostic(str(inp), 1, 1, f"no font briefgen ships has {shown}{more}; a PDF "
                                       f"shows an empty box there (a DOCX leaves it to the "
                                       f"reader's fonts)", severity="warning")]


def _items(items) -> tuple[dict, ...]:
    """Items as the manifest names them: path, title, line and column in the brief."""
    from .inline import plain_text
    from .plan import item_path

    return tuple({"path": item_path(i), "title": plain_text(i.title), "line": i.at[0],
                  "column": i.at[1]} for i in items)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def run_input(inp: Path, jobs: list[Job], template_name: str, paper: str | None,
              reserve_lines: float | None = None) -> list[Result]:
    """Build every job of one input; errors become results, never exceptions."""
    try:
        brief = load(inp)
        template = load_template(template_name, paper)
    except BriefError as exc:
        return [Result(job, errors=exc.diagnostics) for job in jobs]
    results = []
    fitted = {}
    try:
        glyphs = _glyph_warnings(inp, brief, template)
    except BriefError:
        glyphs = []  # the build below reports what is wrong
    for job in jobs:
        try:
            if job.length not in fitted:
                fitted[job.length] = fit(brief, job.length, template, reserve_lines)
            f = fitted[job.length]
            if job.path.resolve() == inp.resolve():
                raise BriefError.single(str(inp), f"output {job.path} would overwrite the input")
            data = RENDERERS[job.format](f.document, template)
            write_atomic(job.path, data)
            warnings = list(glyphs) + list(f.warnings)
            if job.format == "docx" and template.reference_docx is not None:
                warnings.append(Diagnostic(
                    str(template.reference_docx), 1, 1,
                    f"{job.path.name} takes its styles and page set-up from this file, so "
                    f"Word lays it out by them: its page count is not checked against the "
                    f"{job.length.name} budget", severity="warning"))
            results.append(Result(job, pages=f.pages, size=len(data),
                                  sha256=hashlib.sha256(data).hexdigest(),
                                  left_out=f.plan.left_out, warnings=warnings,
                                  one_line=_items(f.one_liners), skipped=_items(f.skipped)))
        except BriefError as exc:
            results.append(Result(job, errors=exc.diagnostics))
        except OSError as exc:
            results.append(Result(job, errors=[Diagnostic(
                str(inp), 1, 1, f"cannot write {job.path}: {exc.strerror or exc}")]))
        except Exception as exc:  # a bug of ours: say so, and go on with the other outputs
            results.append(Result(job, errors=[Diagnostic(
                str(inp), 1, 1, f"internal error while building {job.path.name}: "
                                f"{type(exc).__name__}: {exc}; please report it")]))
    return results
