"""briefgen's `records.dataclass` makes classes that behave as the standard library's
dataclasses do, for everything briefgen uses, and refuses what it does not support."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from briefgen import records


def _pair(frozen: bool):
    """The same class made by both decorators."""
    made = []
    for deco, fld in ((dataclasses.dataclass, dataclasses.field),
                      (records.dataclass, records.field)):
        @deco(frozen=frozen)
        class Point:
            """A point."""

            x: int
            y: int = 2
            tags: tuple = ()
            notes: list = fld(default_factory=list, hash=False)
            meta: dict = fld(default=None, metadata={"doc": "m"}, compare=False)
            weight: float = fld(default=1.0, hash=False)

            def norm(self) -> int:
                return self.x + self.y

        made.append(Point)
    return made


@pytest.mark.parametrize("frozen", [True, False])
def test_same_behaviour_as_dataclasses(frozen):
    std, ours = _pair(frozen)
    for args, kwargs in (((1,), {}), ((1, 5), {"tags": ("a",)}), ((0,), {"meta": {"k": 1}})):
        a, b = std(*args, **kwargs), ours(*args, **kwargs)
        assert repr(a) == repr(b)
        assert vars(a) == vars(b)
        assert a.norm() == b.norm()
        assert (a == std(*args, **kwargs)) == (b == ours(*args, **kwargs)) is True
        assert (a == std(9)) == (b == ours(9)) is False
        if frozen:
            assert hash(a) == hash(b), "the same fields hashed, in the same order"
            assert hash(b) == hash(ours(*args, **kwargs))
            with pytest.raises(dataclasses.FrozenInstanceError):
                b.x = 3
            with pytest.raises(dataclasses.FrozenInstanceError):
                del b.x
        else:
            assert std.__hash__ is None and ours.__hash__ is None
            c = ours(*args, **kwargs)
            c.x = 7
            assert c.x == 7 and c != b
        assert dataclasses.is_dataclass(b)
        assert [f.name for f in dataclasses.fields(ours)] == \
            [f.name for f in dataclasses.fields(std)]
        assert dataclasses.fields(ours)[4].metadata == {"doc": "m"}
        assert dataclasses.asdict(b) == dataclasses.asdict(ours(*args, **kwargs))
        replaced = dataclasses.replace(b, y=11)
        assert replaced.y == 11 and replaced.x == b.x and type(replaced) is ours
    assert ours(1).notes is not ours(1).notes, "a default_factory makes a new value each time"
    assert ours(1, meta={"a": 1}) == ours(1, meta={"b": 2}), "compare=False is not compared"
    assert ours.__match_args__ == std.__match_args__
    assert ours.__doc__ == "A point."
    with pytest.raises(TypeError):
        ours()  # x is required
    with pytest.raises(TypeError):
        ours(1, 2, (), [], None, 1.0, "too many")


def test_frozen_hash_uses_the_hashed_fields():
    _, ours = _pair(True)
    assert hash(ours(1, weight=1.0)) == hash(ours(1, weight=9.0))
    assert {ours(1), ours(1)} == {ours(1)}


def test_records_pickle():
    from briefgen.doc import Run

    run = Run("text", True, False, "https://example.org")
    assert pickle.loads(pickle.dumps(run)) == run


@pytest.mark.parametrize("body", [
    "x: int = []",
    "x: int = 1\n    y: int",
    "x: int = records.field(default=1, init=False)",
    "x: 'ClassVar[int]' = 1",
    "x: int\n    def __post_init__(self): pass",
])
def test_refuses_what_it_does_not_support(body):
    source = f"@records.dataclass(frozen=True)\nclass Bad:\n    {body}\n"
    with pytest.raises((TypeError, ValueError)):
        exec(source, {"records": records})


def test_refuses_inheritance_between_records():
    @records.dataclass(frozen=True)
    class Base:
        x: int

    with pytest.raises(TypeError, match="inherit"):
        @records.dataclass(frozen=True)
        class Child(Base):
            y: int = 0
