"""Jobs: the outputs one `build` asks for, where they go, and writing them safely."""

from __future__ import annotations

import hashlib
import os
import signal
import sys
import tempfile
from pathlib import Path

from .book_jobs import BOOK_LENGTH, is_book, prepare_book
from .errors import BriefError, Diagnostic, Stopped
from .fit import fit
from .load import language_warnings, load
from .plan import Length
from .records import dataclass, field
from .render import RENDERERS, standards
from .templates import load_template

FORMATS = tuple(RENDERERS)


@dataclass(frozen=True)
class Job:
    """One output: an input built in one format at one length."""

    input: Path
    format: str
    length: Length
    path: Path
    pdf_standard: str = "ua-1"
    """The PDF's standard: ua-1 (every PDF is tagged PDF/UA-1) or a-2a (PDF/A-2a too)."""


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
    briefs: tuple[dict, ...] = ()
    """A book's briefs: each one's length, pages, first page and what it left out."""

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
                       standards=list(standards(self.job.format, self.job.pdf_standard)),
                       left_out=list(self.left_out), one_line=list(self.one_line),
                       skipped=list(self.skipped),
                       warnings=[w.as_dict() for w in self.warnings])
            if self.briefs:
                out["briefs"] = list(self.briefs)
        else:
            out["errors"] = [d.as_dict() for d in self.errors]
        return out


DEFAULT_TEMPLATE = "policy-brief"


class UsageProblem(Exception):
    """The options asked for something that cannot be built (exit code 2)."""


def plan_jobs(inputs: list[Path], formats: list[str], lengths: list[Length],
              output: Path | None, template: str = DEFAULT_TEMPLATE,
              folder: bool = False, pdf_standard: str = "ua-1") -> list[Job]:
    """Every input x format x length, named `<out>/<input stem>.<length>.<format>`, or
    `<out>/<input stem>.<template>.<length>.<format>` with another template than the
    default, so builds with different templates never overwrite each other. A book (see
    `book`) is one file per format, `<out>/<input stem>.<format>`: its briefs keep their
    own lengths.

    `output` ending in .pdf or .docx names the one file of a single-output build; otherwise
    it is the folder (default `out/`)."""
    jobs = []
    single = not folder and output is not None and output.suffix.lower() in (".pdf", ".docx")
    tag = "" if template == DEFAULT_TEMPLATE else f".{Path(template).name}"
    for inp in inputs:
        if is_book(inp):  # one file per format: each brief keeps its own length
            for fmt in formats:
                path = output if single else (output or Path("out")) / f"{inp.stem}{tag}.{fmt}"
                jobs.append(Job(inp, fmt, BOOK_LENGTH, path, pdf_standard))
            continue
        for length in lengths:
            for fmt in formats:
                path = output if single else \
                    (output or Path("out")) / f"{inp.stem}{tag}.{length.name}.{fmt}"
                jobs.append(Job(inp, fmt, length, path, pdf_standard))
    return jobs


def plan_outputs(inputs: list[Path], formats: list[str], lengths: list[Length],
                 output: str | None, template: str = DEFAULT_TEMPLATE,
                 pdf_standard: str = "ua-1") -> list[Job]:
    """The jobs of a build, with the output option checked: a folder (created if missing;
    a trailing slash always means a folder), or one .pdf/.docx file when exactly one file
    is built. Two inputs may not write the same file. Raises UsageProblem."""
    folder = output is not None and output.endswith(("/", "\\"))
    path = Path(output) if output is not None else None
    single = path is not None and not folder and path.suffix.lower() in (".pdf", ".docx")
    if path is not None and not single and path.exists() and not path.is_dir():
        raise UsageProblem(f"-o {path} is a file, not a folder; name a folder, or a .pdf or "
                           f".docx file when one file is built")
    jobs = plan_jobs(inputs, formats, lengths, path, template, folder=folder,
                     pdf_standard=pdf_standard)
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
    inputs; `progress(results_of_one_input)` is called for each input, in input order. A
    failure never stops the other inputs.

    Stopped by Ctrl-C (KeyboardInterrupt) or by a `Stopped` that a signal handler raises,
    it ends its worker processes, removes the temporary files of the outputs in progress
    and raises `Stopped` with the results finished so far: finished files are kept,
    nothing half-written remains."""
    by_input: dict[Path, list[Job]] = {}
    for job in jobs:
        by_input.setdefault(job.input, []).append(job)
    args = [(inp, js, template, paper, reserve_lines) for inp, js in by_input.items()]
    finished: dict[int, list[Result]] = {}
    reported = 0

    def done(index: int, prepared: Prepared) -> None:
        nonlocal reported
        with _DeferSignals():  # a file is in place if and only if its result is kept
            finished[index] = commit(*prepared)
        while reported in finished:
            reported += 1
            if progress:
                progress(finished[reported - 1])

    writers = [os.getpid()]  # the processes whose temporary files a stop may leave
    try:
        if workers > 1 and len(args) > 1:
            _in_workers(args, workers, done, writers)
        else:
            for i, a in enumerate(args):
                done(i, prepare_input(*a))
    except BaseException as exc:  # Ctrl-C, Stopped raised by a signal handler, or a bug
        with _DeferSignals(deliver=False):
            not_built = [job for i, a in enumerate(args) if i not in finished for job in a[1]]
            remove_temp_files([job.path for job in not_built], writers)
            if not isinstance(exc, KeyboardInterrupt):
                raise
            for i in sorted(finished):  # say what finished after an input still in progress
                if i >= reported and progress:
                    progress(finished[i])
            results = [r for i in sorted(finished) for r in finished[i]]
        raise Stopped(getattr(exc, "signum", signal.SIGINT), results, not_built) from None
    return [r for i in range(len(args)) for r in finished[i]]


def _in_workers(args: list[tuple], workers: int, done, writers: list[int]) -> None:
    """Run `prepare_input(*a)` for each of `args` in worker processes, calling
    `done(index, prepared)` as each finishes; on any interruption, end the workers (adding
    their pids to `writers`) before passing it on."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context()
    # A forkserver's workers are its children, not ours: they cannot check their parent.
    parent = os.getpid() if context.get_start_method() != "forkserver" else None
    pool = ProcessPoolExecutor(max_workers=min(workers, len(args)), mp_context=context,
                               initializer=_worker_start, initargs=(parent,))
    lost: list[Path] = []
    try:
        with _HoldSignals():  # a worker is born with them held, until it ignores them
            futures = {pool.submit(prepare_input, *a): i for i, a in enumerate(args)}
        for future in as_completed(futures):
            writers += [pid for pid in _worker_pids(pool) if pid not in writers]
            i = futures[future]
            try:
                prepared = future.result()
            except BrokenProcessPool:  # a worker was killed (out of memory?) or crashed
                lost += [job.path for job in args[i][1]]
                prepared = [Result(job, errors=[Diagnostic(
                    str(job.input), 1, 1, f"not built: a worker process ended unexpectedly "
                                          f"(out of memory, or killed) while {job.path.name} "
                                          f"waited or was being built; build it again")])
                            for job in args[i][1]], []
            done(i, prepared)
    except BaseException:
        with _DeferSignals(deliver=False):
            writers += _end_workers(pool)
        raise
    pool.shutdown()
    remove_temp_files(lost, writers)  # what a worker that died left


def _worker_pids(pool) -> list[int]:
    # CPython's record of a pool's live processes (there since 3.2, still in 3.14).
    return list(getattr(pool, "_processes", None) or {})


def _worker_start(parent: int | None) -> None:
    """In each worker: SIGINT and SIGTERM are the parent's to handle (it ends the workers
    itself, and a terminal's Ctrl-C reaches the whole process group), and on Linux the
    worker dies with its parent even when the parent is killed outright."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _HoldSignals.SIGNALS)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # pragma: no cover - no prctl: the parent ends us
            pass
    if parent is not None and os.getppid() != parent:
        os._exit(1)  # the parent died before prctl took effect


def _end_workers(pool) -> list[int]:
    """Kill a pool's worker processes (they ignore SIGINT and SIGTERM) and reap them and
    the pool; return their pids."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # _worker_pids
    for p in processes:
        p.kill()
    for p in processes:
        p.join(10)
    pool.shutdown(wait=True, cancel_futures=True)
    return [p.pid for p in processes]


class _HoldSignals:
    """Blocks SIGINT and SIGTERM in this thread while worker processes are started: a
    worker inherits the mask, so one is never stopped before `_worker_start` has set it to
    ignore them (a Ctrl-C reaches the whole process group). A signal sent meanwhile is
    delivered when the block ends."""

    SIGNALS = {signal.SIGINT, signal.SIGTERM}

    def __enter__(self):
        self.old = signal.pthread_sigmask(signal.SIG_BLOCK, self.SIGNALS) \
            if hasattr(signal, "pthread_sigmask") else None
        return self

    def __exit__(self, *exc) -> None:
        if self.old is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, self.old)


class _DeferSignals:
    """Holds SIGINT and SIGTERM off a stretch that must not be cut: putting an input's
    files in place and recording them, or cleaning up after a stop. With `deliver`, a
    signal that came meanwhile goes to its own handler afterwards; without (a stop is under
    way already), it is dropped, except a SIGTERM with its default action, which then ends
    the process. Only the main thread can change signal handlers; elsewhere this does
    nothing."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self, deliver: bool = True):
        self.deliver = deliver
        self.previous: dict = {}
        self.received: list[int] = []

    def __enter__(self):
        import threading

        if threading.current_thread() is threading.main_thread():
            for s in self.SIGNALS:
                self.previous[s] = signal.signal(s, lambda n, _: self.received.append(n))
        return self

    def __exit__(self, *exc) -> None:
        for s, handler in self.previous.items():
            signal.signal(s, handler)
        for s in dict.fromkeys(self.received):
            handler = self.previous[s]
            if handler == signal.SIG_DFL:
                signal.raise_signal(s)
            elif self.deliver and callable(handler):
                handler(s, None)


def manifest(results: list[Result], template: str, version: str,
             stopped: Stopped | None = None) -> dict:
    """The manifest of a build: every output and every failure, and after a stop the
    outputs not built (see docs/manifest.schema.json)."""
    data = {"briefgen": version, "outputs": [r.as_dict(template) for r in results]}
    if stopped is not None:
        data["stopped"] = {"signal": stopped.name, "not_built": [
            {"input": str(j.input), "template": template, "length": j.length.name,
             "format": j.format, "path": str(j.path)} for j in stopped.not_built]}
    return data


def write_atomic(path: Path, data: bytes) -> None:
    """Write under a temporary name in the same folder, then rename: a reader never sees a
    half-written file, and a failed build leaves the previous file in place."""
    tmp = write_temporary(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        _unlink(tmp)
        raise


def write_temporary(path: Path, data: bytes) -> str:
    """Write data beside `path` under the temporary name `.<name>.<pid>.<random>.part`
    (which says which process writes it: `remove_temp_files`), for a rename into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".part",
                               dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o666 & ~_umask())
    except BaseException:
        _unlink(tmp)
        raise
    return tmp


def _unlink(path: str | Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def remove_temp_files(paths: list[Path], pids: list[int]) -> list[Path]:
    """Remove the temporary files that `write_atomic` in the processes `pids` left for
    these outputs (a process killed while writing leaves one); return what was removed.
    Another process's files, even for the same output, are left alone."""
    names: dict[Path, set[str]] = {}
    for path in paths:
        names.setdefault(path.parent, set()).add(path.name)
    owners = {str(pid) for pid in pids}
    removed = []
    for folder, wanted in names.items():
        try:
            entries = os.listdir(folder)
        except OSError:
            continue
        for entry in entries:
            parts = entry[1:-len(".part")].rsplit(".", 2) \
                if entry.startswith(".") and entry.endswith(".part") else []
            if len(parts) == 3 and parts[0] in wanted and parts[1] in owners:
                try:
                    os.unlink(folder / entry)
                    removed.append(folder / entry)
                except OSError:
                    pass
    return removed


def verify_quotes(brief) -> list[Diagnostic]:
    """The quote check's advice (quotes.verify; its module loads only for a brief that
    names its article)."""
    if not brief.source.text:
        return []
    from .quotes import verify

    return verify(brief)


def glyph_warnings(inp: Path, brief, template) -> list[Diagnostic]:
    """A warning, once per input, for characters of the brief (at full length, so every
    output of it is covered) that no shipped font has (see coverage)."""
    from .coverage import glyph_warnings as warnings

    return warnings(inp, brief, template)


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
    return commit(*prepare_input(inp, jobs, template_name, paper, reserve_lines))


Prepared = tuple[list[Result], list[tuple[int, str]]]
"""An input built into temporary files: its results, and (result index, temporary file)
for each file that `commit` puts in place."""


def commit(results: list[Result], temporary: list[tuple[int, str]]) -> list[Result]:
    """Put the prepared files of one input in place, each by a rename: they appear together,
    when all of them are rendered, so a stopped build leaves none of an input's files or
    all of them."""
    for i, tmp in temporary:
        try:
            os.replace(tmp, results[i].job.path)
        except OSError as exc:
            _unlink(tmp)
            results[i] = Result(results[i].job, errors=[Diagnostic(
                str(results[i].job.input), 1, 1,
                f"cannot write {results[i].job.path}: {exc.strerror or exc}")])
    return results


def prepare_input(inp: Path, jobs: list[Job], template_name: str, paper: str | None,
                  reserve_lines: float | None = None) -> Prepared:
    """Build every job of one input into temporary files beside its outputs (`commit` puts
    them in place); errors become results, never exceptions."""
    if jobs and jobs[0].length == BOOK_LENGTH:
        return prepare_book(inp, jobs, template_name, paper, reserve_lines)
    try:
        brief = load(inp)
        quote_warnings = verify_quotes(brief) + language_warnings(brief)
        template = load_template(template_name, paper)
    except BriefError as exc:
        return [Result(job, errors=exc.diagnostics) for job in jobs], []
    results = []
    fitted = {}
    unwritten: list[tuple[int, Job, bytes]] = []
    try:
        glyphs = glyph_warnings(inp, brief, template)
    except BriefError:
        glyphs = []  # the build below reports what is wrong
    for job in jobs:
        try:
            if job.length not in fitted:
                fitted[job.length] = fit(brief, job.length, template, reserve_lines)
            f = fitted[job.length]
            if job.path.resolve() == inp.resolve():
                raise BriefError.single(str(inp), f"output {job.path} would overwrite the input")
            data = RENDERERS[job.format](f.document, template, pdf_standard=job.pdf_standard)
            unwritten.append((len(results), job, data))
            warnings = quote_warnings + glyphs + list(f.warnings)
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
            results.append(internal_error(inp, job, exc))
    return results, write_all(inp, results, unwritten)


def internal_error(inp: Path, job: Job, exc: Exception) -> Result:
    """A bug of ours, said as one located error of the output: the other outputs go on."""
    return Result(job, errors=[Diagnostic(
        str(inp), 1, 1, f"internal error while building {job.path.name}: "
                        f"{type(exc).__name__}: {exc}; please report it")])


def write_all(inp: Path, results: list[Result], unwritten) -> list[tuple[int, str]]:
    """The rendered outputs (index, job, bytes) written under temporary names, for
    `commit` to rename together; an output that cannot be written becomes a failure."""
    temporary = []
    for i, job, data in unwritten:
        try:
            temporary.append((i, write_temporary(job.path, data)))
        except OSError as exc:
            results[i] = Result(job, errors=[Diagnostic(
                str(inp), 1, 1, f"cannot write {job.path}: {exc.strerror or exc}")])
    return temporary
