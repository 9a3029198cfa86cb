"""Parsed TrueType metrics kept on disk between processes.

Parsing a face (its character map, widths and tables) is most of what a font costs reportlab:
about 13 ms a face. The parsed face is stored in the user's cache folder
(`$XDG_CACHE_HOME/briefgen/fonts`, else `~/.cache/briefgen/fonts`; `BRIEFGEN_CACHE_DIR`
overrides it), keyed by a hash of the font file's bytes and the versions that made it, so a
changed font or reportlab is parsed again. The cache is only an optimisation: a missing,
corrupt, foreign or read-only cache is ignored and the face is parsed as usual;
`BRIEFGEN_NO_CACHE=1` turns it off. Entries are written to a temporary file and renamed, so a
reader never sees half an entry.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from reportlab import Version as _REPORTLAB_VERSION
from reportlab.pdfbase.ttfonts import TTFontFace

FORMAT = 1
"""Bumped when what is stored changes."""

_NOT_STORED = ("_ttf_data", "_pdfScale")
"""The file's bytes (read again: they are needed for the hash anyway) and a function (not
picklable, rebuilt from unitsPerEm as reportlab builds it)."""


def folder() -> Path | None:
    """Where parsed faces are kept, or None when the cache is off."""
    if os.environ.get("BRIEFGEN_NO_CACHE", "") not in ("", "0"):
        return None
    chosen = os.environ.get("BRIEFGEN_CACHE_DIR")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "briefgen" / "fonts"


def face(path: Path) -> TTFontFace:
    """The parsed face of a font file: from the cache when it holds this file's face, else
    parsed (and stored when the cache can be written)."""
    data = path.read_bytes()
    where = folder()
    if where is None:
        return TTFontFace(str(path))
    key = hashlib.blake2b(data, digest_size=20,
                          person=f"bg{FORMAT}".encode()).hexdigest()
    entry = where / f"{key}-rl{_REPORTLAB_VERSION}.pickle"
    found = _read(entry, path, data)
    if found is not None:
        return found
    parsed = TTFontFace(str(path))
    _write(entry, parsed)
    return parsed


def _read(entry: Path, path: Path, data: bytes) -> TTFontFace | None:
    try:
        state = pickle.loads(entry.read_bytes())
        if not isinstance(state, dict) or state.get("__format__") != FORMAT:
            return None
        del state["__format__"]
        parsed = TTFontFace.__new__(TTFontFace)
        parsed.__dict__.update(state)
        parsed.filename = str(path)
        parsed._ttf_data = data
        per_em = parsed.unitsPerEm
        parsed._pdfScale = (lambda x: x) if per_em == 1000 else \
            (lambda x, m=1000 / per_em: x * m)
        return parsed
    except Exception:  # noqa: BLE001 - any unreadable entry is a miss, never an error
        return None


def _write(entry: Path, parsed: TTFontFace) -> None:
    state = {k: v for k, v in vars(parsed).items() if k not in _NOT_STORED}
    state["__format__"] = FORMAT
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".part-")
        try:
            with os.fdopen(fd, "wb") as out:
                pickle.dump(state, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, entry)
        except BaseException:
            os.unlink(tmp)
            raise
    except Exception:  # noqa: BLE001 - a cache that cannot be written is no cache
        pass
