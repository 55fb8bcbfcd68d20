# SPDX-License-Identifier: MIT
"""Frozen dataclasses to JSON-ready data and back, driven by their type hints.

The results cache stores analyses as JSON rather than pickle: a cache directory can come
from anywhere (a CI artifact, a shared checkout), and unpickling it would run whatever it
says. Decoding here only ever builds the dataclasses, enums and primitives that the target
type's hints name, and rejects anything else, so a foreign entry is at worst a miss.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import types
import typing
from collections.abc import Mapping
from typing import Any, TypeVar

T = TypeVar("T")

_PRIMITIVES: tuple[type, ...] = (str, int, float, bool, type(None))


class DecodeError(ValueError):
    """The data does not have the shape of the requested type."""


def encode(value: Any) -> Any:
    """A dataclass instance (nested dataclasses, enums, tuples, mappings) as JSON-ready data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
    if isinstance(value, enum.Enum):
        return encode(value.value)
    if isinstance(value, (tuple, list)):
        return [encode(item) for item in value]
    if isinstance(value, Mapping):
        return {_key(k): encode(v) for k, v in value.items()}
    if isinstance(value, _PRIMITIVES):
        return value
    raise TypeError(f"cannot encode {type(value).__name__}")


def decode(tp: Any, data: Any) -> Any:
    """Build a value of type `tp` (a dataclass or any hint `encode` produces) from `data`."""
    return _decoder(tp)(data)


Decoder = typing.Callable[[Any], Any]


@functools.cache
def _decoder(tp: Any) -> Decoder:
    """The function that decodes data of type `tp`, worked out once per type: a warm run
    decodes every cached analysis, and reading each hint anew was most of its time."""
    origin = typing.get_origin(tp)
    if tp is Any:
        return lambda data: data
    if origin in (typing.Union, types.UnionType):
        return functools.partial(_decode_union, typing.get_args(tp))
    if origin is tuple:
        return _tuple_decoder(typing.get_args(tp))
    if origin is list:
        item = _decoder(typing.get_args(tp)[0])
        return lambda data: [item(value) for value in _expect(data, list)]
    if origin in (dict, Mapping) or tp is dict:
        key_type, value_type = typing.get_args(tp) or (str, Any)
        if key_type is not str:
            raise DecodeError(f"mappings with {key_type} keys are not supported")
        value = _decoder(value_type)
        return lambda data: {k: value(v) for k, v in _expect(data, dict).items()}
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return functools.partial(_decode_enum, tp)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return functools.partial(_decode_dataclass, tp)
    if tp is float:
        return _decode_float
    if tp in _PRIMITIVES:
        return functools.partial(_decode_primitive, tp)
    raise DecodeError(f"unsupported type {tp!r}")


def _decode_enum(tp: type[enum.Enum], data: Any) -> enum.Enum:
    try:
        return tp(data)
    except ValueError:
        raise DecodeError(f"{data!r} is not a {tp.__name__}") from None


def _decode_float(data: Any) -> float:
    if isinstance(data, (int, float)) and not isinstance(data, bool):
        return float(data)
    raise DecodeError(f"expected a number, got {type(data).__name__}")


def _decode_primitive(tp: type, data: Any) -> Any:
    if type(data) is tp:  # exact: a bool is not an int here
        return data
    raise DecodeError(f"expected {tp.__name__}, got {type(data).__name__}")


def _decode_union(arms: tuple[Any, ...], data: Any) -> Any:
    # Exact primitive matches first, so `str | int | float | bool | None` keeps 1 an int.
    for arm in arms:
        if arm in _PRIMITIVES and type(data) is arm:
            return data
    for arm in arms:
        try:
            return _decoder(arm)(data)
        except DecodeError:
            continue
    raise DecodeError(f"{type(data).__name__} matches none of {arms}")


def _tuple_decoder(args: tuple[Any, ...]) -> Decoder:
    if len(args) == 2 and args[1] is Ellipsis:
        item = _decoder(args[0])
        return lambda data: tuple([item(value) for value in _expect(data, list)])
    items = tuple(_decoder(arg) for arg in args)
    primitive = all(arg in (str, int, bool) for arg in args)

    def decode_fixed(data: Any) -> tuple[Any, ...]:
        values = _expect(data, list)
        if len(items) != len(values):
            raise DecodeError(f"expected {len(items)} items, got {len(values)}")
        if primitive and all(type(value) is arg for arg, value in zip(args, values)):
            return tuple(values)
        return tuple([item(value) for item, value in zip(items, values)])

    return decode_fixed


def _decode_dataclass(cls: type[T], data: Any) -> T:
    fields = _init_fields(cls)
    values = _expect(data, dict)
    if not values.keys() <= fields.keys():
        raise DecodeError(f"unknown fields for {cls.__name__}: {sorted(set(values) - set(fields))}")
    kwargs = {}
    for name, (hint, required) in fields.items():
        if name in values:
            kwargs[name] = _decoder(hint)(values[name])
        elif required:
            raise DecodeError(f"missing field {cls.__name__}.{name}")
    return cls(**kwargs)


@functools.cache
def _init_fields(cls: type) -> dict[str, tuple[Any, bool]]:
    """Each init field's resolved type hint and whether it has no default."""
    hints = typing.get_type_hints(cls)
    return {
        f.name: (
            hints[f.name],
            f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
        )
        for f in dataclasses.fields(cls)
        if f.init
    }


def _expect(data: Any, kind: type) -> Any:
    if not isinstance(data, kind):
        raise DecodeError(f"expected {kind.__name__}, got {type(data).__name__}")
    return data


def _key(key: Any) -> str:
    if not isinstance(key, str):
        raise TypeError(f"cannot encode mapping key {key!r}: keys must be strings")
    return key
