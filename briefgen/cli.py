"""The command line: each command is a few lines that call the library."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path

import click

from . import __version__
from .errors import BriefError, Diagnostic, Stopped

FORMATS = ("pdf", "docx")  # the keys of render.RENDERERS, without importing it here
LENGTHS = ("one-page", "two-page", "full")


def _echo_diagnostics(diagnostics: list[Diagnostic]) -> None:
    for d in diagnostics:
        click.echo(d.format(), err=True)


class _Signals:
    """SIGINT and SIGTERM stop a command cleanly, with exit status 128 + the signal (130,
    143): the first raises `Stopped` in the main thread, where `run_jobs` ends its workers
    and removes their temporary files. After the first, and once every file of a build is
    in place and only its report and manifest are left (`hold`), a signal is only noted."""

    def __init__(self):
        self.signum: int | None = None
        self.hold = False
        self.previous: dict = {}

    def __call__(self, signum, frame) -> None:
        first = self.signum is None
        self.signum = self.signum or signum
        if first and not self.hold:
            raise Stopped(signum)

    def install(self) -> None:
        self.signum, self.hold = None, False
        if threading.current_thread() is threading.main_thread():
            for s in (signal.SIGINT, signal.SIGTERM):
                self.previous[s] = signal.signal(s, self)

    def restore(self) -> None:
        for s, handler in self.previous.items():
            signal.signal(s, handler)
        self.previous = {}


_SIGNALS = _Signals()


class _Main(click.Group):
    """The command group, with SIGINT and SIGTERM turned into clean stops (no click
    'Aborted!', no traceback)."""

    def main(self, *args, **kwargs):
        _SIGNALS.install()
        try:
            return super().main(*args, **kwargs)
        finally:
            _SIGNALS.restore()

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except Stopped as exc:
            click.echo(f"briefgen: stopped by {exc.name}", err=True)
            ctx.exit(128 + exc.signum)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefgen")
def main() -> None:
    """Turn a YAML summary of a policy article into DOCX and PDF briefs."""


def run() -> None:
    """The command line as a process (`briefgen`, `python -m briefgen`): main(), then the
    process ends at once. Every file is written, closed and renamed into place by then;
    the output streams are flushed and atexit's functions run, and the interpreter is not
    torn down object by object, which costs a one-page build about 70 ms (a fifth of it)
    for nothing the user sees. Called as a function (tests, `CliRunner`), main() is
    plain click."""
    import atexit

    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code
    if code is None:
        code = 0
    elif not isinstance(code, int):  # sys.exit("message"), as Python itself reports it
        print(code, file=sys.stderr)
        code = 1
    atexit._run_exitfuncs()  # noqa: SLF001 - what the interpreter would run at exit
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`briefgen ... | head`)
            code = code or 120
    os._exit(code)


def _output_options(default_length: str):
    """The options `build` and `watch` share: formats, lengths, template, paper."""
    def apply(command):
        for option in reversed([
            click.option("-f", "--format", "formats", multiple=True,
                         type=click.Choice(FORMATS),
                         help="Output format; repeat for several. Default: both."),
            click.option("-l", "--length", "lengths", multiple=True,
                         type=click.Choice(LENGTHS),
                         help=f"Length; repeat for several. Default: {default_length}."),
            click.option("--pages", type=click.IntRange(1, 100), default=None, metavar="N",
                         help="Fit the most content into N pages (besides any -l)."),
            click.option("-t", "--template", default="policy-brief", show_default=True,
                         metavar="NAME|PATH",
                         help="A built-in template name or a template folder."),
            click.option("--paper", type=click.Choice(["a4", "letter"]), default=None,
                         help="Paper size. Default: the template's (A4)."),
            click.option("--pdf-standard", type=click.Choice(["ua-1", "a-2a"]),
                         default="ua-1", show_default=True,
                         help="Every PDF is tagged and PDF/UA-1; a-2a makes it PDF/A-2a "
                              "(archival) as well."),
        ]):
            command = option(command)
        return command
    return apply


def _plan(inputs, formats, lengths, pages, output, template, default_length,
          pdf_standard="ua-1"):
    """The jobs of a build or watch, or a usage error."""
    from .jobs import UsageProblem, plan_outputs
    from .plan import length_for

    # Every length asked for is built: -l one-page --pages 3 makes both.
    wanted = [length_for(name) for name in dict.fromkeys(lengths)]
    if pages is not None:
        wanted.append(length_for(None, pages))
    if not wanted:
        wanted = [length_for(default_length)]
    try:
        return plan_outputs(list(inputs), list(dict.fromkeys(formats or FORMATS)), wanted,
                            output, template, pdf_standard)
    except UsageProblem as exc:
        raise click.UsageError(str(exc)) from None


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path),
                metavar="INPUT...")
@_output_options("two-page")
@click.option("-o", "--output", default=None, metavar="FILE|DIR",
              help="Output folder (default out/), or a .pdf/.docx file when one file is built.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=None, metavar="N",
              help="Inputs built in parallel worker processes. Default: the CPU count.")
@click.option("--reserve-lines", type=click.FloatRange(0, 10), default=None, metavar="LINES",
              help="Body lines kept free per page when fitting a page budget, as a margin "
                   "for word processors: a number from 0 to 10, fractions allowed (0.5). "
                   "Default: 1.")
@click.option("--manifest", type=click.Path(path_type=Path), default=None, metavar="FILE",
              help="Write a JSON object listing every output and failure (and, after a "
                   "stop, what was not built).")
@click.option("--shard", default=None, metavar="K/N",
              help="Build only the K-th of N parts of the inputs (dealt out in order of "
                   "their paths), for a CI matrix; merge the parts' manifests with "
                   "`briefgen manifest merge`.")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
def build(inputs, formats, lengths, pages, template, paper, pdf_standard, output, jobs,
          reserve_lines, manifest, shard, quiet):
    """Build INPUT briefs in every format and length asked for.

    Files are named OUT/<input name>.<length>.<format>, for example
    out/islamabad-moscow.two-page.pdf; with --pages 3 the length is '3-page'; with a
    template other than policy-brief its name (a folder's name for -t PATH) comes before
    the length (out/islamabad-moscow.decision-memo.one-page.pdf).
    A page budget is kept by leaving out the lowest-priority content first; what was left
    out is reported for each output.

    A briefing book (a file with book: 1) is built into OUT/<book name>.<format>: a
    cover, a contents page and each brief it names at its own length.

    SIGINT (Ctrl-C) or SIGTERM stops the build: finished files are kept, nothing
    half-written remains, the summary and the manifest say what was not built, and the
    exit status is 130 or 143.
    """
    from .jobs import run_jobs

    if shard is not None:
        from .manifests import ShardProblem, parse_shard, select_shard

        try:
            shard = parse_shard(shard)
        except ShardProblem as exc:
            raise click.BadParameter(str(exc), param_hint="'--shard'") from None
        inputs = select_shard(list(inputs), shard)
        if not quiet:
            click.echo(f"shard {shard[0]}/{shard[1]}: {len(inputs)} "
                       f"input{'' if len(inputs) == 1 else 's'}", err=True)
    _check_template(template, paper)
    planned = _plan(inputs, formats, lengths, pages, output, template, "two-page",
                    pdf_standard) if inputs else []
    reporter = _Reporter(quiet, len({j.input for j in planned}))
    stopped = None
    try:
        try:
            results = run_jobs(planned, template, paper, reserve_lines,
                               jobs or os.cpu_count() or 1, progress=reporter.input_done)
        finally:
            _SIGNALS.hold = True  # every file is in place: a signal now changes nothing
    except Stopped as exc:
        results, stopped = exc.results, exc
    reporter.finish(results, stopped)
    if manifest is not None:
        _write_manifest(manifest, results, template, stopped, shard)
    if stopped is not None:
        sys.exit(128 + stopped.signum)
    if any(not r.ok for r in results):
        sys.exit(1)


class _Reporter:
    """What `build` says: a line per output (or a progress bar on a terminal), the errors
    and warnings once each, and a summary."""

    def __init__(self, quiet: bool, inputs: int):
        self.quiet, self.inputs, self.done = quiet, inputs, 0
        self.bar = not quiet and inputs > 1 and sys.stderr.isatty()
        self.seen: set[str] = set()

    def input_done(self, results) -> None:
        from .plan import join_words

        self.done += 1
        if self.bar:
            click.echo(f"\r[{self.done}/{self.inputs}] {results[0].job.input.name:40.40}",
                       err=True, nl=False)
        for r in results:
            if r.ok and not self.quiet and not self.bar:
                line = f"built {r.job.path} ({r.pages} page{'s' if r.pages != 1 else ''})"
                if r.left_out:
                    line += f"; {r.job.length.name}: left out {join_words(r.left_out)}"
                if r.one_line and not r.job.length.one_liners:
                    names = [f"“{i['title']}”" for i in r.one_line]
                    more = len(names) - 6
                    names = names[:6] + ([f"{more} more"] if more > 0 else [])
                    line += f"; as one-liners: {join_words(names)}"
                click.echo(line, err=True)
            self._once(r.errors + ([] if self.quiet else r.warnings))
        book = next((r for r in results if r.ok and r.briefs), None)
        if book is not None and not self.quiet and not self.bar:
            for b in book.briefs:  # a book's briefs, once for all its formats
                line = f"  brief {b['number']} ({b['input']}, {b['length']}): " \
                       f"{b['pages']} page{'s' if b['pages'] != 1 else ''} from page " \
                       f"{b['first_page']}"
                if b["left_out"]:
                    line += f"; left out {join_words(b['left_out'])}"
                click.echo(line, err=True)

    def _once(self, diagnostics) -> None:
        fresh = [d for d in diagnostics if d.format() not in self.seen]
        self.seen.update(d.format() for d in fresh)
        if fresh and self.bar:
            click.echo("", err=True)
        _echo_diagnostics(fresh)

    def finish(self, results, stopped: Stopped | None = None) -> None:
        if self.bar:
            click.echo("", err=True)
        failed = [r for r in results if not r.ok]
        if stopped is not None:
            total = len(results) + len(stopped.not_built)
            line = f"briefgen: stopped by {stopped.name}: built {len(results) - len(failed)} " \
                   f"of {total} files"
            inputs = list(dict.fromkeys(str(j.input) for j in stopped.not_built))
            if inputs:
                more = f" and {len(inputs) - 5} more inputs" if len(inputs) > 5 else ""
                line += f"; not built: {', '.join(inputs[:5])}{more}"
            if failed:
                line += f"; {len(failed)} failed"
            click.echo(line, err=True)
        elif failed:
            names = sorted({str(r.job.input) for r in failed})
            click.echo(f"briefgen: {len(failed)} of {len(results)} outputs failed "
                       f"({', '.join(names)})", err=True)
        elif not self.quiet and len(results) > 1:
            shortened = sum(1 for r in results if r.left_out)
            click.echo(f"briefgen: built {len(results)} files from {self.inputs} input"
                       f"{'s' if self.inputs != 1 else ''}"
                       + (f"; {shortened} left content out to keep their page budget"
                          if shortened else ""), err=True)


def _write_manifest(path: Path, results, template: str, stopped: Stopped | None,
                    shard: tuple[int, int] | None = None) -> None:
    from .jobs import manifest

    data = manifest(results, template, __version__, stopped)
    if shard is not None:
        data["shard"] = {"index": shard[0], "count": shard[1]}
    _write_json(path, data)


def _write_json(path: Path, data: dict) -> None:
    from .jobs import write_atomic

    import json

    try:
        write_atomic(path, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode())
    except OSError as exc:
        click.echo(f"{path}:1:1: error: cannot write the manifest: {exc.strerror or exc}",
                   err=True)
        sys.exit(1)


def _check_template(name: str, paper: str | None) -> None:
    """A template that does not exist is a usage error (exit 2); one with errors in its
    file is reported like a bad input (exit 1)."""
    from .templates import TemplateNotFound, load_template

    try:
        load_template(name, paper)
    except TemplateNotFound as exc:  # -t names nothing
        raise click.UsageError(exc.diagnostics[0].message) from None
    except BriefError as exc:  # every problem of the template, each at its place
        _echo_diagnostics(exc.diagnostics)
        sys.exit(1)


@main.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@_output_options("one-page")
@click.option("-o", "--output", default=None, metavar="DIR",
              help="Output folder (default out/).")
@click.option("--poll", type=click.FloatRange(0.02, 10), default=0.2, show_default=True,
              metavar="SECONDS", help="Seconds between looks at the files (0.02 to 10).")
@click.option("--stop-after", type=click.IntRange(1), default=None, hidden=True)
def watch(input_path, formats, lengths, pages, template, paper, pdf_standard, output, poll,
          stop_after):
    """Rebuild INPUT whenever it or its template changes, until Ctrl-C.

    Each rebuild prints what was built, its page count and how long it took; an invalid
    brief prints its errors and the watch goes on. SIGINT (Ctrl-C) or SIGTERM stops it
    (exit status 130 or 143), leaving no half-written file.
    """
    from .watch import watch as run_watch

    _check_template(template, paper)
    planned = _plan([input_path], formats, lengths, pages, output, template, "one-page",
                    pdf_standard)

    def report(results, ms):
        stamp = time.strftime("%H:%M:%S")
        for r in results:
            if r.ok:
                click.echo(f"{stamp} rebuilt {r.job.path} ({r.pages} page"
                           f"{'s' if r.pages != 1 else ''}) in {ms:.0f} ms", err=True)
        seen: set[str] = set()
        for r in results:
            fresh = [d for d in r.errors if d.format() not in seen]
            seen.update(d.format() for d in fresh)
            _echo_diagnostics(fresh)
        click.echo(f"{stamp} watching {input_path}, the article its source.text names and "
                   f"the template for changes (Ctrl-C stops)", err=True)

    try:
        run_watch(input_path, planned, template, paper, None, report, poll, stop_after)
    except Stopped as exc:
        click.echo(f"{chr(10) if sys.stderr.isatty() else ''}{time.strftime('%H:%M:%S')} "
                   f"stopped by {exc.name}", err=True)
        sys.exit(128 + exc.signum)


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path),
                metavar="INPUT...")
@click.option("--strict", is_flag=True,
              help="Treat warnings (advice such as items without evidence) as errors.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON on stdout.")
def validate(inputs, strict, as_json):
    """Check INPUT briefs and report every problem, each with file, line and column."""
    from .book import check_book, is_book
    from .load import check

    report, bad = [], False
    for inp in inputs:
        book = is_book(inp)
        brief, diagnostics = check_book(inp) if book else check(inp)
        diagnostics += [] if book else _glyph_warnings(inp, brief)
        if strict:
            diagnostics = [Diagnostic(d.file, d.line, d.column, d.message, d.path, "error")
                           for d in diagnostics]
        valid = brief is not None and not any(d.severity == "error" for d in diagnostics)
        bad = bad or not valid
        report.append({"file": str(inp), "valid": valid,
                       "diagnostics": [d.as_dict() for d in diagnostics]})
        if not as_json:
            _echo_diagnostics(diagnostics)
            if valid:
                n = sum(d.severity == "warning" for d in diagnostics)
                click.echo(f"{inp}: valid" + (f" ({n} warning{'s' if n != 1 else ''}; "
                                              f"--strict fails on them)" if n else ""))
    if as_json:
        import json
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    sys.exit(1 if bad else 0)


def _glyph_warnings(inp: Path, brief) -> list[Diagnostic]:
    """The warning `build` gives for characters no shipped font has (with the default
    template's fonts); a brief of common Latin text is not looked at, so validate stays
    fast."""
    from .scripts import only_common_characters

    try:
        if brief is None or only_common_characters(inp.read_text(encoding="utf-8-sig")):
            return []
    except (OSError, UnicodeDecodeError):
        return []
    from .coverage import glyph_warnings  # the fonts' own maps: no PDF engine loaded
    from .templates import load_template

    try:
        return glyph_warnings(inp, brief, load_template("policy-brief"))
    except BriefError:
        return []


@main.command()
@click.argument("name", required=False)
def templates(name):
    """List the built-in templates, or print one's settings (parents resolved)."""
    import yaml

    from .templates import list_builtin, load_template

    if name is None:
        for tname, description in list_builtin():
            click.echo(f"{tname:16} {description}")
        return
    _check_template(name, None)
    t = load_template(name)
    raw = {k: v for k, v in t.raw.items() if not k.startswith("_")}
    click.echo(f"# {t.name}: {t.description}\n# folder: {t.folder}")
    click.echo(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True), nl=False)


@main.command()
def schema():
    """Print the JSON Schema of the input format (also in the package as schema.json)."""
    click.echo((Path(__file__).parent / "schema.json").read_text(encoding="utf-8"), nl=False)


@main.command()
@click.argument("path", required=False, default="brief.yaml", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def init(path, force):
    """Write a commented starter brief to PATH (default brief.yaml).

    Its first line points editors (through the YAML language server) at
    briefgen.schema.json, which init writes beside it, so fields are completed and checked
    as you type.
    """
    from .jobs import write_atomic

    if path.is_dir():
        click.echo(f"{path}:1:1: error: this is a folder; name a file such as "
                   f"{path / 'brief.yaml'}", err=True)
        sys.exit(1)
    if path.exists() and not force:
        click.echo(f"{path}:1:1: error: the file exists; use --force to overwrite it", err=True)
        sys.exit(1)
    here = Path(__file__).parent
    schema = path.parent / "briefgen.schema.json"
    try:
        write_atomic(path, (here / "starter.yaml").read_bytes())
        if force or not schema.exists():
            write_atomic(schema, (here / "schema.json").read_bytes())
    except OSError as exc:
        click.echo(f"{path}:1:1: error: cannot write the file: {exc.strerror or exc}", err=True)
        sys.exit(1)
    click.echo(f"wrote {path} (and {schema.name} for editors); build it with: "
               f"briefgen build {path}", err=True)


@main.command()
@click.argument("article", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, metavar="FILE",
              help="The brief to write (default: the article's name with .yaml, in the "
                   "current folder); - prints it.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def draft(article, output, force):
    """Draft a starter brief from ARTICLE (plain text, Markdown or a saved HTML page).

    The source is filled from the article (title, author, publisher, date; text pointing
    at ARTICLE), the summary and key points come from its lead and conclusion, and the
    candidate opportunities, challenges and recommendations from the sentences that state
    them, each quoting its sentence and paragraph. Every field has a comment saying what
    to review. Offline; the same article always gives the same file.
    """
    from .article import ArticleError, read_article
    from .draft import draft as draft_brief

    out = output if output is not None else Path(article.stem + ".yaml")
    to_stdout = str(out) == "-"
    if not to_stdout:
        problem = ("this is a folder; name a file such as " + str(out / "brief.yaml")
                   if out.is_dir() else
                   "this is the article itself" if out.exists() and article.exists()
                   and out.resolve() == article.resolve() else
                   "the file exists; use --force to overwrite it"
                   if out.exists() and not force else None)
        if problem:
            click.echo(f"{out}:1:1: error: {problem}", err=True)
            sys.exit(1)
    try:
        source = read_article(article)
    except ArticleError as exc:
        click.echo(f"{article}:1:1: error: {exc}", err=True)
        sys.exit(1)
    folder = Path.cwd() if to_stdout else out.resolve().parent
    text_path = Path(os.path.relpath(article.resolve(), folder)).as_posix()
    text, missing = draft_brief(source, text_path)
    if to_stdout:
        click.echo(text, nl=False)
    else:
        from .jobs import write_atomic

        try:
            write_atomic(out, text.encode("utf-8"))
        except OSError as exc:
            click.echo(f"{out}:1:1: error: cannot write the file: {exc.strerror or exc}",
                       err=True)
            sys.exit(1)
    for what in missing:
        click.echo(f"{article}:1:1: warning: not found in the article: {what}", err=True)
    if not to_stdout:
        click.echo(f"wrote {out}, drafted from the {len(source.paragraphs)} paragraphs of "
                   f"{article}; review every field, then: briefgen validate {out}", err=True)


@main.group()
def manifest():
    """Work with the manifests `build --manifest` writes."""


@manifest.command("merge")
@click.argument("manifests", nargs=-1, required=True, type=click.Path(path_type=Path),
                metavar="MANIFEST...")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, metavar="FILE",
              help="Write the merged manifest here (default: standard output).")
@click.option("--partial", is_flag=True,
              help="Merge even when shards are missing (a runner that never reported).")
def merge_manifests(manifests, output, partial):
    """Merge the manifests of a sharded build (`build --shard K/N --manifest ...` on each
    runner) into one: every output once, sorted by input. Fails, located at the file, when
    a manifest cannot be read, an output is listed twice, or a shard is missing or repeated.
    Exit status 1 when the merged build has a failed output or was stopped."""
    from .manifests import MergeProblem, merge

    try:
        merged, warnings = merge(list(manifests), partial=partial)
    except MergeProblem as exc:
        _echo_diagnostics(exc.diagnostics)
        sys.exit(1)
    _echo_diagnostics(warnings)
    if output is None:
        import json
        click.echo(json.dumps(merged, indent=2, ensure_ascii=False))
    else:
        _write_json(output, merged)
    failed = [o for o in merged["outputs"] if o.get("errors")]
    not_built = merged.get("stopped", {}).get("not_built", [])
    click.echo(f"merged {len(manifests)} manifest{'' if len(manifests) == 1 else 's'}: "
               f"{len(merged['outputs']) - len(failed)} built, {len(failed)} failed"
               + (f", {len(not_built)} not built" if "stopped" in merged else ""), err=True)
    if failed or "stopped" in merged:
        sys.exit(1)
