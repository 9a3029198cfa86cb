"""Stopping a build or a watch: SIGINT and SIGTERM sent to a real `briefgen` process end
every worker, keep the finished files, leave nothing half-written, write the manifest of
what finished, and exit 130 or 143 (SPEC, "Command line"). Also: workers die with a
parent killed outright (Linux), and a stop in the API raises Stopped."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pypdf
import pytest

from conftest import ROOT, copy_example

INPUTS = 150  # far more than are built before the signal: the stop must cut the batch
linux = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")


def _stat(pid: int) -> list[str] | None:
    """Fields of /proc/PID/stat after the command name (state is [0], ppid [1], start
    time [19]), or None when there is no such process."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()


def _children(pid: int) -> set[tuple[int, str]]:
    """(pid, start time) of the live children of a process."""
    out = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat(int(entry))
            if fields and fields[1] == str(pid) and fields[0] != "Z":
                out.add((int(entry), fields[19]))
    return out


def _alive(processes: set[tuple[int, str]]) -> set[tuple[int, str]]:
    """Those of the processes still running (not gone, not a zombie, not a reused pid)."""
    alive = set()
    for pid, start in processes:
        fields = _stat(pid)
        if fields and fields[0] != "Z" and fields[19] == start:
            alive.add((pid, start))
    return alive


def _wait_gone(processes, seconds: float = 10) -> set:
    deadline = time.time() + seconds
    while _alive(processes) and time.time() < deadline:
        time.sleep(0.05)
    return _alive(processes)


@pytest.fixture(scope="module")
def briefs(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("batch")
    paths = []
    for n in range(INPUTS):
        path = folder / f"brief{n:03}.yaml"
        copy_example(path)
        paths.append(path)
    return paths


def _start(args: list[str], cwd: Path) -> tuple[subprocess.Popen, Path]:
    err = cwd / "stderr.txt"
    proc = subprocess.Popen([sys.executable, "-m", "briefgen", *args], cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=err.open("w"),
                            env={**os.environ, "PYTHONPATH": str(ROOT)},
                            start_new_session=True)  # its own process group, as in a shell
    return proc, err


def _stop_batch(briefs, tmp_path: Path, sig: int, jobs: int, group: bool):
    """Start a batch, wait until a few files are written, send the signal (to the whole
    process group, as a terminal's Ctrl-C does, or to the parent alone, as `kill` and
    CI runners do), and wait for the end: (exit status, stderr, processes seen, out)."""
    out = tmp_path / "out"
    proc, err = _start(["build", *map(str, briefs), "-l", "full", "-j", str(jobs), "-o",
                        str(out), "--manifest", str(out / "manifest.json")], tmp_path)
    seen: set[tuple[int, str]] = set()
    deadline = time.time() + 60
    while time.time() < deadline:
        seen |= _children(proc.pid)
        if len(list(out.glob("*.docx"))) >= 3:
            break
        assert proc.poll() is None, err.read_text()
        time.sleep(0.02)
    else:
        pytest.fail("no files after 60 s: " + err.read_text())
    seen |= _children(proc.pid)
    if group:
        os.killpg(proc.pid, sig)
    else:
        proc.send_signal(sig)
    status = proc.wait(timeout=60)
    return status, err.read_text(), seen, out


def _check_outputs(out: Path, stderr: str, name: str) -> None:
    """What a stopped build leaves: complete files, each in the manifest; no temporary
    files; a manifest and a summary that add up."""
    assert not [p for p in out.iterdir() if p.name.endswith(".part")], "half-written files"
    data = json.loads((out / "manifest.json").read_text())
    assert data["stopped"]["signal"] == name
    built, not_built = data["outputs"], data["stopped"]["not_built"]
    assert len(built) + len(not_built) == 2 * INPUTS
    assert 0 < len(built) < 2 * INPUTS, "the stop came in the middle of the batch"
    files = sorted(p.name for p in out.iterdir() if p.suffix in (".pdf", ".docx"))
    assert files == sorted(Path(o["path"]).name for o in built), \
        "every file on disk is listed as built, and every listed one is there"
    for o in built:
        path = Path(o["path"])
        assert "errors" not in o
        assert hashlib.sha256(path.read_bytes()).hexdigest() == o["sha256"]
        if path.suffix == ".pdf":
            assert len(pypdf.PdfReader(path).pages) == o["pages"]
        else:
            with zipfile.ZipFile(path) as z:
                assert z.testzip() is None and "word/document.xml" in z.namelist()
    assert not {Path(o["path"]) for o in built} & {Path(o["path"]) for o in not_built}
    summary = [line for line in stderr.splitlines() if "stopped by" in line]
    assert len(summary) == 1 and summary[0].startswith(
        f"briefgen: stopped by {name}: built {len(built)} of {2 * INPUTS} files; not built: "
        f"{not_built[0]['input']}, "), summary
    assert "Traceback" not in stderr and "Aborted!" not in stderr


@linux
@pytest.mark.parametrize("sig, jobs, group", [
    (signal.SIGTERM, 2, False),   # `kill PID`, a CI runner's timeout
    (signal.SIGINT, 2, True),     # Ctrl-C in a terminal: the whole process group gets it
    (signal.SIGTERM, 1, False),   # a build in one process stops the same way
], ids=["sigterm-j2", "sigint-group-j2", "sigterm-j1"])
def test_signal_stops_the_batch_cleanly(briefs, tmp_path, sig, jobs, group):
    status, stderr, seen, out = _stop_batch(briefs, tmp_path, sig, jobs, group)
    assert status == 128 + sig, stderr
    if jobs > 1:
        assert len(seen) >= 2, "the worker processes were seen running"
    assert not _wait_gone(seen), "no process outlives the build"
    _check_outputs(out, stderr, signal.Signals(sig).name)


@linux
def test_workers_die_with_a_killed_parent(briefs, tmp_path):
    """SIGKILL cannot be caught: the workers still go (PR_SET_PDEATHSIG)."""
    out = tmp_path / "out"
    proc, err = _start(["build", *map(str, briefs), "-l", "full", "-j", "2", "-o",
                        str(out)], tmp_path)
    deadline = time.time() + 60
    seen: set = set()
    while len(seen) < 2 and time.time() < deadline:
        seen |= _children(proc.pid)
        time.sleep(0.02)
    while not list(out.glob("*.pdf")) and time.time() < deadline:
        time.sleep(0.02)
    seen |= _children(proc.pid)
    proc.kill()
    proc.wait(timeout=30)
    assert len(seen) >= 2
    assert not _wait_gone(seen), "workers outlived their killed parent"


@linux
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["sigint", "sigterm"])
def test_signal_stops_watch(tmp_path, sig):
    brief = tmp_path / "w.yaml"
    copy_example(brief)
    proc, err = _start(["watch", str(brief), "-o", str(tmp_path / "out"), "--poll", "0.05"],
                       tmp_path)
    deadline = time.time() + 60
    while "watching" not in err.read_text() and time.time() < deadline:
        assert proc.poll() is None, err.read_text()
        time.sleep(0.05)
    proc.send_signal(sig)
    assert proc.wait(timeout=30) == 128 + sig
    text = err.read_text()
    assert text.strip().splitlines()[-1].endswith(f"stopped by {signal.Signals(sig).name}")
    assert "Traceback" not in text and "Aborted!" not in text
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.endswith(".part")]


def test_api_build_stopped_raises_stopped_with_what_finished(tmp_path, monkeypatch):
    """Ctrl-C during api.build: a Stopped (a KeyboardInterrupt) carrying the finished
    results and the jobs not built; the interrupted input leaves no file, neither its
    temporary ones nor its PDF without its DOCX."""
    from briefgen import api, jobs

    inputs = []
    for n in range(3):
        inputs.append(tmp_path / f"b{n}.yaml")
        copy_example(inputs[-1])
    real = jobs.write_temporary
    calls = []

    def interrupted(path, data):
        calls.append(path)
        if len(calls) == 4:  # the second input's DOCX, half-written
            (path.parent / f".{path.name}.{os.getpid()}.x.part").write_bytes(data[:10])
            raise KeyboardInterrupt
        return real(path, data)

    monkeypatch.setattr(jobs, "write_temporary", interrupted)
    with pytest.raises(KeyboardInterrupt) as err:
        api.build(inputs, formats=("pdf", "docx"), lengths="one-page",
                  output=tmp_path / "out")
    stopped = err.value
    assert isinstance(stopped, api.Stopped) and stopped.signum == signal.SIGINT
    assert [r.job.input for r in stopped.results] == [inputs[0], inputs[0]]
    assert all(r.ok for r in stopped.results)
    assert [j.input for j in stopped.not_built] == [inputs[1], inputs[1], inputs[2],
                                                    inputs[2]]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "b0.one-page.docx", "b0.one-page.pdf"]


def test_remove_temp_files_leaves_other_processes_files(tmp_path):
    from briefgen.jobs import remove_temp_files

    mine = tmp_path / ".brief.pdf.111.abc.part"
    theirs = tmp_path / ".brief.pdf.222.abc.part"
    other = tmp_path / ".notes.pdf.111.abc.part"
    for p in (mine, theirs, other):
        p.write_bytes(b"x")
    assert remove_temp_files([tmp_path / "brief.pdf"], [111]) == [mine]
    assert theirs.exists() and other.exists() and not mine.exists()
