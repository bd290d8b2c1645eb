"""`@record`: an immutable value class (a namedtuple) declared with annotations, like typing.NamedTuple.

typing.NamedTuple would do, but importing `typing` costs the quick-log path ~4 ms of its budget (DESIGN §8),
and frozen dataclasses cost more (dataclasses imports inspect, and builds code per class). A namedtuple
gives the same value semantics — immutable, equal by value, hashable, `_replace` — for ~0.1 ms a class.
"""

from __future__ import annotations

from collections import namedtuple

# For type checkers only: `record` makes a frozen, dataclass-like class (fields from the annotations, an __init__
# in their order, defaults last; ordered field by field, as tuples are). `typing` is not imported at run time (the
# quick path's budget); this is the idiom PEP 681 gives for that. A checker sees no namedtuple, so its `_replace`,
# `_fields` and `_asdict` are reached through `replace`, `fields` and `as_dict` below. `replace` is declared as
# dataclasses.replace, whose keywords mypy checks against the record's fields (names and types).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from dataclasses import replace as replace
    from typing import Any, TypeVar, dataclass_transform

    T = TypeVar("T")

    @dataclass_transform(frozen_default=True, order_default=True)
    def record(cls: type[T]) -> type[T]: ...

    def fields(cls: type) -> tuple[str, ...]: ...

    def as_dict(value: object) -> dict[str, Any]: ...

else:

    def record(cls: type) -> type:
        """Turn `class X: a: int; b: str = ""` (plus methods) into a namedtuple subclass with those fields."""
        names = [name for name in cls.__dict__.get("__annotations__", {})]
        defaults = [cls.__dict__[name] for name in names if name in cls.__dict__]
        if any(name not in cls.__dict__ for name in names[len(names) - len(defaults):]):
            raise TypeError(f"{cls.__name__}: fields with defaults must come last")
        base = namedtuple(cls.__name__, names, defaults=defaults or None, module=cls.__module__)
        namespace = {k: v for k, v in cls.__dict__.items()
                     if k not in names and k not in {"__dict__", "__weakref__"}}
        namespace["__slots__"] = ()
        return type(cls.__name__, (base,), namespace)

    def replace(value, /, **changes):
        """A copy of the record `value` with `changes` to some of its fields (the namedtuple's `_replace`)."""
        return value._replace(**changes)

    def fields(cls):
        """The field names of a record class, in order (the namedtuple's `_fields`)."""
        return cls._fields

    def as_dict(value):
        """The record `value` as {field: value}, in field order (the namedtuple's `_asdict`)."""
        return value._asdict()
