"""Text escaped for XML and paragraph markup: what xml.sax.saxutils.escape does, without its
import, which costs a cold build about 25 ms (it pulls in urllib.request, http.client and
ssl)."""

from __future__ import annotations


def escape(text: str, quotes: bool = False) -> str:
    """&, < and > as entities (and the double quote, for an attribute value)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if quotes else text
