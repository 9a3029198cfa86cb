"""Regular expressions compiled when first used, not when their module is imported.

Compiling a character class of a few thousand code points (Arabic, CJK) costs Python's
`re` about a millisecond; a cold build that never meets the script should not pay it."""

from __future__ import annotations

import re

_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")


class Lazy:
    """As `re.compile(pattern, flags)`, compiled at the first use of any attribute; after
    that the pattern's methods are plain attributes of this object."""

    def __init__(self, pattern: str | bytes, flags: int = 0):
        self._source = (pattern, flags)

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        compiled = re.compile(*self._source)
        for method in _METHODS:
            self.__dict__[method] = getattr(compiled, method)
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"Lazy({self._source[0]!r})"
