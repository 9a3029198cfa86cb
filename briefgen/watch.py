"""Watch: rebuild a brief whenever it or its template changes, in one warm process.

The process keeps its fonts, measured block heights and parsed text, so a rebuild of a
one-page brief takes tens of milliseconds. Files are polled (no extra dependency): a change
of modification time or size of the brief, of the article its source.text names, or of any
file of the template folders, starts a rebuild. An invalid brief prints its errors and the
watch goes on. Ctrl-C or SIGTERM stops it between or during builds, leaving no
half-written file.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Callable

from .jobs import Job, Result, remove_temp_files, run_input
from .templates import load_template


def template_files(template: str) -> list[Path]:
    """The files of a template folder and of its parents' folders."""
    from .errors import BriefError
    from .templates import _load_chain

    try:
        folders = _load_chain(template, ())[2]
    except BriefError:  # a broken template is reported by the build itself
        folders = [Path(template)] if Path(template).is_dir() else []
    seen: list[Path] = []
    for folder in folders:
        for path in sorted(folder.glob("*")):
            if path.is_file():
                seen.append(path)
    return seen


def _stamp(paths: list[Path]) -> tuple:
    out = []
    for p in paths:
        try:
            st = p.stat()
            out.append((str(p), st.st_mtime_ns, st.st_size))
        except OSError:
            out.append((str(p), None, None))
    return tuple(out)


def _article(input_path: Path) -> list[Path]:
    """The article that the brief's source.text names, watched with it (none when the
    brief cannot be read: its build says why); for a book, its briefs and their articles."""
    from .book import is_book, load_book
    from .errors import BriefError
    from .load import load
    from .quotes import source_path

    if is_book(input_path):
        try:
            briefs = [e.brief for e in load_book(input_path).entries]
        except BriefError:
            return []
        files = [Path(b.path) for b in briefs] + [source_path(b) for b in briefs]
        return list(dict.fromkeys(f for f in files if f is not None))
    try:
        path = source_path(load(input_path))
    except BriefError:
        return []
    return [path] if path is not None else []


def watch(input_path: Path, jobs: list[Job], template: str, paper: str | None,
          reserve_lines: float | None, report: Callable[[list[Result], float], None],
          poll: float = 0.2, stop_after: int | None = None) -> int:
    """Build now and after every change; return the number of builds (when stopped)."""
    builds = 0
    last_input = last_template = None
    article: list[Path] = []
    while stop_after is None or builds < stop_after:
        input_stamp = _stamp([input_path] + article)
        template_stamp = _stamp(template_files(template))
        if (input_stamp, template_stamp) != (last_input, last_template):
            if last_template is not None and template_stamp != last_template:
                load_template.cache_clear()  # re-read the changed template
            last_input, last_template = input_stamp, template_stamp
            started = time.perf_counter()
            try:
                results = run_input(input_path, jobs, template, paper, reserve_lines)
            except KeyboardInterrupt:  # Ctrl-C or SIGTERM (Stopped): nothing half-written
                remove_temp_files([job.path for job in jobs], [os.getpid()])
                raise
            report(results, (time.perf_counter() - started) * 1000)
            named = _article(input_path)
            if named != article:  # source.text names another file: watch it from now on
                article = named
                last_input = input_stamp[:1] + _stamp(article)
            builds += 1
            continue
        time.sleep(poll)
    return builds
