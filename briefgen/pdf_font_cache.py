"""Parsed TrueType metrics kept on disk between processes (see `diskcache`).

Parsing a face (its character map, widths and tables) is most of what a font costs reportlab:
about 13 ms a face. The parsed face is stored keyed by a hash of the font file's bytes and
the reportlab version; a corrupt or foreign entry is parsed again."""

from __future__ import annotations

import pickle
from pathlib import Path

from reportlab import Version as _REPORTLAB_VERSION
from reportlab.pdfbase.ttfonts import TTFontFace

from . import diskcache

FORMAT = "1"
"""Changed when what is stored changes."""

_NOT_STORED = ("_ttf_data", "_pdfScale")
"""The file's bytes (read again: they are needed for the hash anyway) and a function (not
picklable, rebuilt from unitsPerEm as reportlab builds it)."""


def face(path: Path) -> TTFontFace:
    """The parsed face of a font file: from the cache when it holds this file's face, else
    parsed (and stored when the cache can be written)."""
    data, digest = diskcache.file_digest(path)
    name = diskcache.key(FORMAT, _REPORTLAB_VERSION, digest) + ".pickle"
    found = _loaded(diskcache.get("fonts", name), path, data)
    if found is not None:
        return found
    parsed = TTFontFace(str(path))
    if diskcache.folder() is not None:
        state = {k: v for k, v in vars(parsed).items() if k not in _NOT_STORED}
        diskcache.put("fonts", name, pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
    return parsed


def _loaded(stored: bytes | None, path: Path, data: bytes) -> TTFontFace | None:
    if stored is None:
        return None
    try:
        state = pickle.loads(stored)
        if not isinstance(state, dict) or not isinstance(state.get("unitsPerEm"), int):
            return None
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
