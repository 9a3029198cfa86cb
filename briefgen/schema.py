"""The JSON Schema of the input format, generated from the model's field specs, the same
specs the loader validates with."""

from __future__ import annotations

import dataclasses
from typing import Any

from .model import LANG_PATTERN, SLUG_PATTERN, Brief, Evidence, yaml_key

SCHEMA_ID = "https://briefgen.invalid/schema/brief-1.json"


def _kind(kind: str, meta: dict) -> dict[str, Any]:
    if kind == "text":
        return {"type": ["string", "number"]}
    if kind == "inline":
        return {"type": ["string", "number"],
                "description": "Text with **bold**, *italic*, [links](https://...) and "
                               "backslash escapes."}
    if kind == "url":
        return {"type": "string", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://\\S+$",
                "format": "uri"}
    if kind == "date":
        return {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "format": "date"}
    if kind == "int":
        return {"type": "integer", "minimum": 1}
    if kind == "enum":
        return {"enum": list(meta["choices"])}
    if kind == "slug":
        return {"type": "string", "pattern": SLUG_PATTERN}
    if kind == "lang":
        return {"type": "string", "pattern": LANG_PATTERN}
    if kind == "evidence":
        return {"oneOf": [{"type": "string"}, _object(Evidence, None)]}
    raise ValueError(kind)


def _field(meta: dict, section: str | None) -> dict[str, Any]:
    kind = meta["kind"]
    if kind == "list":
        of = meta["of"]
        items = _object(of, section) if dataclasses.is_dataclass(of) else _kind(of, meta)
        out = {"type": "array", "items": items}
    elif kind == "object":
        out = _object(meta["of"], section)
    else:
        out = _kind(kind, meta)
    out = dict(out)
    out["description"] = meta["doc"] + (" " + out["description"] if "description" in out else "")
    return out


def _object(cls, section: str | None) -> dict[str, Any]:
    props, required = {}, []
    for f in dataclasses.fields(cls):
        meta = f.metadata
        if meta.get("internal") or (meta.get("only") and meta["only"] != section):
            continue
        key = yaml_key(f)
        sub_section = key if cls is Brief else section
        props[key] = _field(meta, sub_section)
        if meta.get("required"):
            required.append(key)
    out: dict[str, Any] = {"type": "object", "properties": props,
                           "patternProperties": {"^x-": {}}, "additionalProperties": False}
    if required:
        out["required"] = required
    if cls.__doc__:
        out["title"] = cls.__doc__.strip().splitlines()[0]
    return out


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a brief file."""
    schema = _object(Brief, None)
    schema["anyOf"] = [{"required": [s], "properties": {s: {"minItems": 1}}}
                       for s in ("opportunities", "challenges", "recommendations")]
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID,
            **schema}
