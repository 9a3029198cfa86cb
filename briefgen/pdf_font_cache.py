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

FORMAT = "2"
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
        state[_LATER] = pickle.dumps(state.pop("glyphToChar"), protocol=pickle.HIGHEST_PROTOCOL)
        diskcache.put("fonts", name, pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
    return parsed


_LATER = "_glyph_to_char_pickled"
"""The glyph -> characters map, stored as its own pickle inside the entry: only shaping
(Arabic script) reads it, and unpickling it is a third of what loading a face costs."""


class _Face(TTFontFace):
    """A face loaded from the cache: its glyph -> characters map is unpickled when reportlab
    first asks for it."""

    def __getattr__(self, name: str):
        if name == "glyphToChar" and _LATER in self.__dict__:
            stored = self.__dict__.pop(_LATER)
            try:
                value = pickle.loads(stored)
                if not isinstance(value, dict):
                    raise TypeError(type(value))
            except Exception:  # noqa: BLE001 - a damaged entry: the font file says
                value = TTFontFace(self.filename).glyphToChar
            self.glyphToChar = value
            return value
        raise AttributeError(name)


def _loaded(stored: bytes | None, path: Path, data: bytes) -> TTFontFace | None:
    if stored is None:
        return None
    try:
        state = pickle.loads(stored)
        if not isinstance(state, dict) or not isinstance(state.get("unitsPerEm"), int) \
                or not isinstance(state.get(_LATER), bytes):
            return None
        parsed = TTFontFace.__new__(_Face)
        parsed.__dict__.update(state)
        parsed.filename = str(path)
        parsed._ttf_data = data
        per_em = parsed.unitsPerEm
        parsed._pdfScale = (lambda x: x) if per_em == 1000 else \
            (lambda x, m=1000 / per_em: x * m)
        return parsed
    except Exception:  # noqa: BLE001 - any unreadable entry is a miss, never an error
        return None
