"""Batches spread over several machines: `build --shard K/N` builds the K-th of N parts of
its inputs, and `briefgen manifest merge` joins the parts' manifests into one.

A shard is chosen by input path, not by the order the shell lists the inputs in: the
inputs are sorted by their path (as given, normalised, with forward slashes) and dealt out
in turn, the first to shard 1, the second to shard 2, and so on. Every runner of a CI
matrix that is given the same inputs builds a disjoint part, the parts together build
everything, and their sizes differ by one at most."""

from __future__ import annotations

import json
import os
from pathlib import Path

from .errors import Diagnostic


class ShardProblem(ValueError):
    """A --shard value that is not K/N with 1 <= K <= N."""


def parse_shard(text: str) -> tuple[int, int]:
    """'2/4' -> (2, 4)."""
    k, sep, n = text.partition("/")
    try:
        index, count = int(k), int(n)
    except ValueError:
        index = count = 0
    if not sep or count < 1 or not 1 <= index <= count or count > 10_000:
        raise ShardProblem(f"--shard takes K/N with 1 <= K <= N (for example 2/4), "
                           f"not {text!r}")
    return index, count


def shard_key(path: Path) -> str:
    """What orders inputs for sharding: the path as given, normalised."""
    return Path(os.path.normpath(path)).as_posix()


def select_shard(inputs: list[Path], shard: tuple[int, int]) -> list[Path]:
    """The inputs of shard K of N, in the order they were given."""
    index, count = shard
    unique = list(dict.fromkeys(inputs))
    ordered = sorted(unique, key=shard_key)
    chosen = {p for n, p in enumerate(ordered) if n % count == index - 1}
    return [p for p in unique if p in chosen]


# Merging manifests


class MergeProblem(Exception):
    """Manifests that cannot be merged; `diagnostics` says where and why."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__("; ".join(d.message for d in diagnostics))
        self.diagnostics = diagnostics


def _read(path: Path, problems: list[Diagnostic]) -> dict | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Diagnostic(str(path), 1, 1,
                                   f"cannot read the manifest: {getattr(exc, 'strerror', None) or exc}"))
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        problems.append(Diagnostic(str(path), exc.lineno, exc.colno,
                                   f"not JSON: {exc.msg}"))
        return None
    if not isinstance(data, dict) or not isinstance(data.get("briefgen"), str) \
            or not isinstance(data.get("outputs"), list) \
            or not all(isinstance(o, dict) and isinstance(o.get("path"), str)
                       for o in data["outputs"]):
        problems.append(Diagnostic(str(path), 1, 1,
                                   "not a briefgen manifest (an object with 'briefgen' and "
                                   "'outputs', as `briefgen build --manifest` writes)"))
        return None
    shard = data.get("shard")
    if shard is not None and not (
            isinstance(shard, dict) and all(type(shard.get(k)) is int for k in ("index", "count"))
            and 1 <= shard["index"] <= shard["count"]):
        problems.append(Diagnostic(str(path), 1, 1, f"'shard' should be {{\"index\": K, "
                                   f"\"count\": N}} with 1 <= K <= N, not {json.dumps(shard)}"))
        return None
    stopped = data.get("stopped")
    if stopped is not None and not (
            isinstance(stopped, dict) and isinstance(stopped.get("not_built", []), list)
            and all(isinstance(o, dict) for o in stopped.get("not_built", []))):
        problems.append(Diagnostic(str(path), 1, 1, "'stopped' should be an object whose "
                                   "'not_built' lists the outputs a stop left unbuilt"))
        return None
    return data


def merge(paths: list[Path], *, partial: bool = False) -> tuple[dict, list[Diagnostic]]:
    """One manifest from several: every output once (sorted by input, then path), the
    shards merged, anything not built after a stop kept. Raises MergeProblem for unreadable
    files, outputs listed twice, or (unless `partial`) shards missing or repeated; returns
    the merged manifest and warnings (versions that differ)."""
    problems: list[Diagnostic] = []
    warnings: list[Diagnostic] = []
    read = [(p, _read(p, problems)) for p in paths]
    read = [(p, d) for p, d in read if d is not None]
    seen: dict[str, Path] = {}
    outputs, not_built, shards, stopped = [], [], [], []
    for path, data in read:
        for entry in data["outputs"]:
            first = seen.get(entry["path"])
            seen.setdefault(entry["path"], path)
            if first is not None:
                problems.append(Diagnostic(str(path), 1, 1,
                                           f"{entry['path']} is listed in {first} too: "
                                           f"were two shards given the same part?"))
                continue
            outputs.append(entry)
        if isinstance(data.get("stopped"), dict):
            stopped.append(data["stopped"].get("signal", "?"))
            not_built += data["stopped"].get("not_built", [])
        shard = data.get("shard")
        if isinstance(shard, dict):
            shards.append((path, shard.get("index"), shard.get("count")))
    versions = sorted({d["briefgen"] for _, d in read})
    if len(versions) > 1:
        warnings.append(Diagnostic(str(read[-1][0]), 1, 1,
                                   f"the manifests come from different briefgen versions "
                                   f"({', '.join(versions)})", severity="warning"))
    counts = {c for _, _, c in shards}
    if shards and not partial:
        if len(counts) > 1 or len(shards) != len(read):
            kinds = {p: f"shard {k}/{c}" for p, k, c in shards}
            problems.append(Diagnostic(str(paths[0]), 1, 1,
                                       "the manifests are not shards of one build: "
                                       + ", ".join(f"{p} is {kinds.get(p, 'not a shard')}"
                                                   for p, _ in read)))
        else:
            count = counts.pop()
            have = [k for _, k, _ in shards]
            missing = [k for k in range(1, count + 1) if k not in have]
            twice = sorted({k for k in have if have.count(k) > 1})
            if missing or twice:
                given = ", ".join(f"{p} ({k}/{c})" for p, k, c in shards)
                problems.append(Diagnostic(
                    str(paths[0]), 1, 1,
                    (f"shard {', '.join(f'{k}/{count}' for k in missing)} missing" if missing
                     else "") + ("; " if missing and twice else "") +
                    (f"shard {', '.join(f'{k}/{count}' for k in twice)} given twice"
                     if twice else "") + f" among the manifests given: {given} (use --partial "
                                         f"to merge what is there)"))
    if problems:
        raise MergeProblem(problems)
    outputs.sort(key=lambda o: (str(o.get("input", "")), o["path"]))
    merged: dict = {"briefgen": versions[-1] if versions else "", "outputs": outputs}
    if shards:
        merged["merged_shards"] = sorted(
            ({"index": k, "count": c, "manifest": str(p)} for p, k, c in shards),
            key=lambda s: (s["count"] or 0, s["index"] or 0))
    if stopped:
        merged["stopped"] = {"signal": ", ".join(dict.fromkeys(stopped)),
                             "not_built": sorted(not_built, key=lambda o: str(o.get("path")))}
    return merged, warnings
