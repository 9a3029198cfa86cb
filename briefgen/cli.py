"""The command line: each command is a few lines that call the library."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import click

from . import __version__
from .errors import BriefError, Diagnostic

FORMATS = ("pdf", "docx")  # the keys of render.RENDERERS, without importing it here
LENGTHS = ("one-page", "two-page", "full")


def _echo_diagnostics(diagnostics: list[Diagnostic]) -> None:
    for d in diagnostics:
        click.echo(d.format(), err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefgen")
def main() -> None:
    """Turn a YAML summary of a policy article into DOCX and PDF briefs."""


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
            click.option("--pages", type=click.IntRange(1, 100), default=None,
                         help="Fit the most content into N pages (besides any -l)."),
            click.option("-t", "--template", default="policy-brief", show_default=True,
                         help="A built-in template name or a template folder."),
            click.option("--paper", type=click.Choice(["a4", "letter"]), default=None,
                         help="Paper size. Default: the template's (A4)."),
        ]):
            command = option(command)
        return command
    return apply


def _plan(inputs, formats, lengths, pages, output, template, default_length):
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
                            output, template)
    except UsageProblem as exc:
        raise click.UsageError(str(exc)) from None


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@_output_options("two-page")
@click.option("-o", "--output", default=None,
              help="Output folder (default out/), or a .pdf/.docx file when one file is built.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=None,
              help="Inputs built in parallel worker processes. Default: the CPU count.")
@click.option("--reserve-lines", type=click.FloatRange(0, 10), default=None,
              help="Body lines kept free per page when fitting a page budget, as a margin "
                   "for word processors. Default: 1.")
@click.option("--manifest", type=click.Path(path_type=Path), default=None,
              help="Write a JSON list of every output and failure.")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
def build(inputs, formats, lengths, pages, template, paper, output, jobs, reserve_lines,
          manifest, quiet):
    """Build INPUT briefs in every format and length asked for.

    Files are named OUT/<input name>.<length>.<format>, for example
    out/islamabad-moscow.two-page.pdf; with --pages 3 the length is '3-page'; with a
    template other than policy-brief its name comes before the length
    (out/islamabad-moscow.decision-memo.one-page.pdf).
    A page budget is kept by leaving out the lowest-priority content first; what was left
    out is reported for each output.
    """
    from .jobs import run_jobs

    _check_template(template, paper)
    planned = _plan(inputs, formats, lengths, pages, output, template, "two-page")
    reporter = _Reporter(quiet, len({j.input for j in planned}))
    results = run_jobs(planned, template, paper, reserve_lines, jobs or os.cpu_count() or 1,
                       progress=reporter.input_done)
    reporter.finish(results)
    if manifest is not None:
        _write_manifest(manifest, results, template)
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

    def _once(self, diagnostics) -> None:
        fresh = [d for d in diagnostics if d.format() not in self.seen]
        self.seen.update(d.format() for d in fresh)
        if fresh and self.bar:
            click.echo("", err=True)
        _echo_diagnostics(fresh)

    def finish(self, results) -> None:
        if self.bar:
            click.echo("", err=True)
        failed = [r for r in results if not r.ok]
        if failed:
            names = sorted({str(r.job.input) for r in failed})
            click.echo(f"briefgen: {len(failed)} of {len(results)} outputs failed "
                       f"({', '.join(names)})", err=True)
        elif not self.quiet and len(results) > 1:
            shortened = sum(1 for r in results if r.left_out)
            click.echo(f"briefgen: built {len(results)} files from {self.inputs} input"
                       f"{'s' if self.inputs != 1 else ''}"
                       + (f"; {shortened} left content out to keep their page budget"
                          if shortened else ""), err=True)


def _write_manifest(path: Path, results, template: str) -> None:
    from .jobs import manifest, write_atomic

    data = manifest(results, template, __version__)
    try:
        write_atomic(path, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode())
    except OSError as exc:
        click.echo(f"{path}:1:1: error: cannot write the manifest: {exc.strerror or exc}",
                   err=True)
        sys.exit(1)


def _check_template(name: str, paper: str | None) -> None:
    """A template that does not exist is a usage error (exit 2); one with errors in its
    file is reported like a bad input (exit 1)."""
    from .templates import load_template

    try:
        load_template(name, paper)
    except BriefError as exc:
        d = exc.diagnostics[0]
        if len(exc.diagnostics) == 1 and d.message.startswith("no template") and d.file == name:
            raise click.UsageError(d.message) from None  # -t names nothing
        _echo_diagnostics(exc.diagnostics)
        sys.exit(1)


@main.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@_output_options("one-page")
@click.option("-o", "--output", default=None, help="Output folder (default out/).")
@click.option("--poll", type=click.FloatRange(0.02, 10), default=0.2, show_default=True,
              help="Seconds between looks at the files.")
@click.option("--stop-after", type=click.IntRange(1), default=None, hidden=True)
def watch(input_path, formats, lengths, pages, template, paper, output, poll, stop_after):
    """Rebuild INPUT whenever it or its template changes, until Ctrl-C.

    Each rebuild prints what was built, its page count and how long it took; an invalid
    brief prints its errors and the watch goes on.
    """
    from .watch import watch as run_watch

    _check_template(template, paper)
    planned = _plan([input_path], formats, lengths, pages, output, template, "one-page")

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
        click.echo(f"{stamp} watching {input_path} and the template for changes (Ctrl-C "
                   f"stops)", err=True)

    try:
        run_watch(input_path, planned, template, paper, None, report, poll, stop_after)
    except KeyboardInterrupt:
        click.echo("", err=True)


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON on stdout.")
def validate(inputs, strict, as_json):
    """Check INPUT briefs and report every problem, each with file, line and column."""
    from .load import check

    report, bad = [], False
    for inp in inputs:
        brief, diagnostics = check(inp)
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
                click.echo(f"{inp}: valid")
    if as_json:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    sys.exit(1 if bad else 0)


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
