"""`dataclass` for briefgen's records, made in a fraction of the time the standard
library's takes to make a class.

briefgen defines about 45 small record classes; `dataclasses.dataclass` compiles five or
six generated methods for each, one `exec` apiece, which costs a cold process about 12 ms
(4% of a one-page build). This decorator compiles only `__init__`, one `exec` a class;
equality, hashing and repr are shared functions over `operator.attrgetter`, and nothing a
record does not use is built. The classes it makes are dataclasses as far as the
standard library can tell: `dataclasses.fields`, `replace`, `asdict` and `is_dataclass`
work on them, and `field()` is the standard library's.

Supported: `frozen`, `eq` (with `__hash__` from the compared fields when frozen, none when
not, as dataclasses does), `repr`, defaults and `field(default=, default_factory=,
metadata=, compare=, hash=, repr=)`. Anything else (inheritance between records,
`__post_init__`, `init=False`, `order`, `slots`, InitVar, ClassVar) is refused at class
creation, so a new use cannot silently behave differently from dataclasses."""

from __future__ import annotations

import dataclasses
from dataclasses import MISSING, Field, FrozenInstanceError, field
from operator import attrgetter

__all__ = ["dataclass", "field"]

_PARAMS = dataclasses._DataclassParams  # noqa: SLF001 - what dataclasses.fields looks for
_FIELD = dataclasses._FIELD  # noqa: SLF001
_FIELDS = dataclasses._FIELDS  # noqa: SLF001  ("__dataclass_fields__")
_PARAMS_ATTR = dataclasses._PARAMS  # noqa: SLF001  ("__dataclass_params__")


def _key(names: tuple[str, ...]):
    """The tuple of these fields of a record (C code: no method is compiled per class)."""
    if not names:
        return lambda self: ()
    if len(names) == 1:
        get = attrgetter(names[0])
        return lambda self: (get(self),)
    return attrgetter(*names)


def _eq(key):
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return key(self) == key(other)
        return NotImplemented
    return __eq__


def _hash(key):
    def __hash__(self):
        return hash(key(self))
    return __hash__


def _repr(names: tuple[str, ...]):
    def __repr__(self):
        shown = ", ".join(f"{n}={getattr(self, n)!r}" for n in names)
        return f"{type(self).__qualname__}({shown})"
    return __repr__


def _frozen_setattr(self, name, value):
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self, name):
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def dataclass(cls=None, /, *, frozen: bool = False, eq: bool = True, repr: bool = True):
    """As `dataclasses.dataclass` for the subset above."""
    def wrap(c):
        return _make(c, frozen, eq, repr)
    return wrap if cls is None else wrap(cls)


def _make(cls, frozen: bool, eq: bool, with_repr: bool):
    if any(hasattr(base, _FIELDS) for base in cls.__mro__[1:]):
        raise TypeError(f"{cls.__name__}: records do not inherit from records")
    if "__post_init__" in cls.__dict__:
        raise TypeError(f"{cls.__name__}: records have no __post_init__")
    fields: list[Field] = []
    for name, kind in cls.__dict__.get("__annotations__", {}).items():
        if "ClassVar" in str(kind) or "InitVar" in str(kind):
            raise TypeError(f"{cls.__name__}.{name}: no ClassVar or InitVar in records")
        default = cls.__dict__.get(name, MISSING)
        if isinstance(default, (list, dict, set)):
            raise ValueError(f"mutable default {type(default)} for field {name} is not "
                             f"allowed: use default_factory")
        f = default if isinstance(default, Field) else field(default=default)
        if not f.init or f.kw_only is True:
            raise TypeError(f"{cls.__name__}.{name}: records take every field in __init__")
        f.name, f.type, f._field_type = name, kind, _FIELD  # noqa: SLF001
        fields.append(f)
        if isinstance(default, Field):
            if f.default is MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, f.default)
    seen_default = False
    for f in fields:
        has_default = f.default is not MISSING or f.default_factory is not MISSING
        if seen_default and not has_default:
            raise TypeError(f"non-default argument {f.name!r} follows default argument")
        seen_default |= has_default

    scope: dict = {"MISSING": MISSING, "FrozenInstanceError": FrozenInstanceError,
                   "cls": cls, "setattr": object.__setattr__}
    params, body = [], []
    for f in fields:
        if f.default_factory is not MISSING:
            scope[f"f_{f.name}"] = f.default_factory
            params.append(f"{f.name}=MISSING")
            value = f"f_{f.name}() if {f.name} is MISSING else {f.name}"
        elif f.default is not MISSING:
            scope[f"d_{f.name}"] = f.default
            params.append(f"{f.name}=d_{f.name}")
            value = f.name
        else:
            params.append(f.name)
            value = f.name
        body.append(f"  setattr(self, {f.name!r}, {value})" if frozen
                    else f"  self.{f.name} = {value}")
    src = [f"def __init__(self, {', '.join(params)}):" if params else "def __init__(self):"]
    src += body or ["  pass"]
    exec("\n".join(src), scope)  # noqa: S102 - our own generated __init__, as dataclasses
    methods = {"__init__": scope["__init__"]}
    compared = tuple(f.name for f in fields if f.compare)
    if with_repr:
        methods["__repr__"] = _repr(tuple(f.name for f in fields if f.repr))
    if eq:
        methods["__eq__"] = _eq(_key(compared))
    if frozen:
        methods["__setattr__"], methods["__delattr__"] = _frozen_setattr, _frozen_delattr
    explicit = cls.__dict__.get("__hash__", MISSING) not in (MISSING, None)
    if eq and frozen and not explicit:
        methods["__hash__"] = _hash(_key(tuple(
            f.name for f in fields if f.compare and (f.hash if f.hash is not None else True))))
    for name, method in methods.items():
        if name == "__hash__":
            method.__qualname__ = f"{cls.__qualname__}.{name}"
            setattr(cls, name, method)  # only made when the class has none of its own
            continue
        if name in cls.__dict__ and name not in ("__setattr__", "__delattr__"):
            continue  # the class defines its own (as dataclasses keeps it)
        if name in cls.__dict__:
            raise TypeError(f"{cls.__name__} defines {name} on a frozen record")
        if name not in ("__setattr__", "__delattr__"):
            method.__qualname__ = f"{cls.__qualname__}.{name}"
        setattr(cls, name, method)
    explicit_hash = cls.__dict__.get("__hash__", MISSING) not in (MISSING, None)
    if eq and not frozen and not explicit_hash:
        cls.__hash__ = None
    setattr(cls, _FIELDS, {f.name: f for f in fields})
    try:
        params = _PARAMS(True, with_repr, eq, False, False, frozen)
    except TypeError:  # Python 3.12+: match_args, kw_only, slots, weakref_slot too
        params = _PARAMS(True, with_repr, eq, False, False, frozen, True, False, False, False)
    setattr(cls, _PARAMS_ATTR, params)
    cls.__match_args__ = tuple(f.name for f in fields)
    return cls
