"""The command line: each command is a few lines that call the library."""

from __future__ import annotations

import json
import sys
from concurrent.futures import ProcessPoolExecutor
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


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-f", "--format", "formats", multiple=True, type=click.Choice(FORMATS),
              help="Output format; repeat for several. Default: both.")
@click.option("-l", "--length", "lengths", multiple=True, type=click.Choice(LENGTHS),
              help="Length; repeat for several. Default: two-page.")
@click.option("--pages", type=click.IntRange(1, 100), default=None,
              help="Fit the most content into N pages (instead of -l).")
@click.option("-t", "--template", default="policy-brief", show_default=True,
              help="A built-in template name or a template folder.")
@click.option("--paper", type=click.Choice(["a4", "letter"]), default=None,
              help="Paper size. Default: the template's (A4).")
@click.option("-o", "--output", default=None,
              help="Output folder (default out/), or a .pdf/.docx file when one file is built.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Inputs built in parallel worker processes.")
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
    from .jobs import plan_jobs
    from .plan import describe_left_out, length_for

    if pages is not None and lengths:
        raise click.UsageError("give either -l or --pages, not both")
    _check_template(template, paper)
    formats = list(dict.fromkeys(formats or FORMATS))
    wanted = [length_for(None, pages)] if pages is not None else \
        [length_for(name) for name in dict.fromkeys(lengths or ("two-page",))]
    folder_wanted = output is not None and output.endswith(("/", "\\"))
    output = Path(output) if output is not None else None
    if output is not None and (folder_wanted or output.suffix.lower() not in (".pdf", ".docx")):
        if output.exists() and not output.is_dir():
            raise click.UsageError(f"-o {output} is a file, not a folder; name a folder, or a "
                                   f".pdf or .docx file when one file is built")
        output = output / "" if folder_wanted else output
    planned = plan_jobs(list(inputs), formats, wanted, output, template,
                        folder=folder_wanted)
    seen: dict[Path, Path] = {}
    for job in planned:
        other = seen.setdefault(job.path, job.input)
        if other != job.input:
            raise click.UsageError(f"{other} and {job.input} would both write {job.path}; "
                                   f"build them into different folders (-o) or rename one")
    if output is not None and output.suffix.lower() in (".pdf", ".docx") and not folder_wanted:
        if len(planned) != 1:
            raise click.UsageError(f"-o {output} names one file, but {len(planned)} would be "
                                   f"built; give a folder instead")
        if output.suffix.lower().lstrip(".") != planned[0].format:
            raise click.UsageError(f"-o {output} does not end in .{planned[0].format}")
    by_input: dict[Path, list] = {}
    for job in planned:
        by_input.setdefault(job.input, []).append(job)
    args = [(inp, js, template, paper, reserve_lines) for inp, js in by_input.items()]
    if jobs > 1 and len(args) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = [r for rs in pool.map(_run, args) for r in rs]
    else:
        results = [r for a in args for r in _run(a)]
    reported: set[tuple] = set()
    for r in results:
        if r.ok and not quiet:
            line = f"built {r.job.path} ({r.pages} page{'s' if r.pages != 1 else ''})"
            if r.left_out:
                line += f"; {r.job.length.name}: left out {describe_left_out(r.left_out)}"
            click.echo(line, err=True)
            fresh = [d for d in r.warnings if d.format() not in reported]
            reported.update(d.format() for d in r.warnings)
            _echo_diagnostics(fresh)
        elif not r.ok:
            fresh = [d for d in r.errors if (d.file, d.line, d.column, d.message) not in reported]
            reported.update((d.file, d.line, d.column, d.message) for d in r.errors)
            _echo_diagnostics(fresh)
    failed = [r for r in results if not r.ok]
    if manifest is not None:
        from .jobs import write_atomic

        data = {"briefgen": __version__, "outputs": [r.as_dict(template) for r in results]}
        try:
            write_atomic(manifest, (json.dumps(data, indent=2, ensure_ascii=False) + "\n")
                         .encode())
        except OSError as exc:
            click.echo(f"{manifest}:1:1: error: cannot write the manifest: "
                       f"{exc.strerror or exc}", err=True)
            sys.exit(1)
    if failed:
        names = sorted({str(r.job.input) for r in failed})
        click.echo(f"briefgen: {len(failed)} of {len(results)} outputs failed "
                   f"({', '.join(names)})", err=True)
        sys.exit(1)


def _check_template(name: str, paper: str | None) -> None:
    """A template that does not exist is a usage error (exit 2); one with errors in its
    file is reported like a bad input (exit 1)."""
    from .templates import load_template

    try:
        load_template(name, paper)
    except BriefError as exc:
        if len(exc.diagnostics) == 1 and exc.diagnostics[0].message.startswith("no template"):
            raise click.UsageError(exc.diagnostics[0].message) from None
        _echo_diagnostics(exc.diagnostics)
        sys.exit(1)


def _run(args):
    from .jobs import run_input

    return run_input(*args)


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
    """Print the JSON Schema of the input format."""
    from .schema import json_schema

    click.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))


@main.command()
@click.argument("path", required=False, default="brief.yaml", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def init(path, force):
    """Write a commented starter brief to PATH (default brief.yaml)."""
    from .jobs import write_atomic

    if path.exists() and not force and not path.is_dir():
        click.echo(f"{path}:1:1: error: the file exists; use --force to overwrite it", err=True)
        sys.exit(1)
    starter = (Path(__file__).parent / "starter.yaml").read_bytes()
    if path.is_dir():
        click.echo(f"{path}:1:1: error: this is a folder; name a file such as "
                   f"{path / 'brief.yaml'}", err=True)
        sys.exit(1)
    try:
        write_atomic(path, starter)
    except OSError as exc:
        click.echo(f"{path}:1:1: error: cannot write the file: {exc.strerror or exc}", err=True)
        sys.exit(1)
    click.echo(f"wrote {path}; build it with: briefgen build {path}", err=True)
