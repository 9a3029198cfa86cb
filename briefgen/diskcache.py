"""What briefgen keeps on disk between processes to make cold builds cheaper: parsed font
metrics (`pdf_font_cache`) and each template's prepared empty DOCX (`render_docx`).

Entries live in the user's cache folder (`$XDG_CACHE_HOME/briefgen`, else
`~/.cache/briefgen`; `BRIEFGEN_CACHE_DIR` names another), one file per entry, named by a
hash of everything the entry depends on (the input's bytes or settings, and the versions
of briefgen and the library that made it), so a changed font, template or upgrade makes a
new entry. The cache is only an optimisation: a missing, corrupt or read-only cache is
ignored and the work is done as usual; `BRIEFGEN_NO_CACHE=1` turns it off. Entries are
written to a temporary file and renamed, so a reader never sees half an entry."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


def folder() -> Path | None:
    """The cache folder, or None when the cache is off."""
    if os.environ.get("BRIEFGEN_NO_CACHE", "") not in ("", "0"):
        return None
    chosen = os.environ.get("BRIEFGEN_CACHE_DIR")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "briefgen"


def key(*parts: bytes | str) -> str:
    """A hash of what an entry depends on."""
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


_FILES: dict[str, tuple[tuple[int, int], bytes, str]] = {}


def file_digest(path: str | Path) -> tuple[bytes, str]:
    """A file's bytes and a hash of them, read once per process while the file's size and
    time stay the same (a font file: its parsed metrics, its DOCX subsets and the glyph
    check all key on it)."""
    key = str(path)
    stat = os.stat(key)
    seen = (stat.st_size, stat.st_mtime_ns)
    hit = _FILES.get(key)
    if hit is not None and hit[0] == seen:
        return hit[1], hit[2]
    with open(key, "rb") as f:
        data = f.read()
    digest = hashlib.sha256(data).hexdigest()
    if len(_FILES) > 64:
        _FILES.clear()
    _FILES[key] = (seen, data, digest)
    return data, digest


def _entry(kind: str, name: str) -> Path | None:
    where = folder()
    return None if where is None else where / kind / name


def get(kind: str, name: str) -> bytes | None:
    """An entry's bytes, or None (no cache, no entry, unreadable)."""
    path = _entry(kind, name)
    if path is None:
        return None
    try:
        return path.read_bytes()
    except OSError:
        return None


def put(kind: str, name: str, data: bytes) -> None:
    """Store an entry; any failure (read-only, full, not a folder) is ignored."""
    path = _entry(kind, name)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass
