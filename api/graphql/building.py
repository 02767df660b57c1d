"""Filling GraphQL objects from graph properties, fast: a large read builds hundreds."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Annotated, Any, TypeVar, cast, get_args, get_origin

from pydantic import BaseModel

T = TypeVar("T")


def build(cls: type[T], model: type[BaseModel], row: dict[str, Any]) -> T:
    """Fill a GraphQL type from graph properties.

    Properties were validated by the domain models when they were written, so reading
    only converts the few typed ones (enums, dates) instead of validating every field
    again — a third of a large query's time. Anything unexpected falls back to full
    validation, which raises a clear error.
    """
    try:
        return cast(T, _maker(cast(Any, cls), model)(row))
    except (ValueError, TypeError, KeyError):
        known = model.model_fields
        parsed = model.model_validate({k: v for k, v in row.items() if k in known})
        fields = field_converters(cast(Any, cls), model)
        return cls(**{name: getattr(parsed, name) for name, _ in fields})


def copied(cls: type[T], source: object, **given: Any) -> T:
    """A GraphQL object whose fields are `source`'s attributes of the same names, but for
    those `given` (renamed, converted or hidden ones)."""
    taken = {name: getattr(source, name) for name in _fields(cast(Any, cls)) if name not in given}
    return cls(**taken, **given)


@cache
def _fields(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls) if f.init)


@cache
def _maker(cls: Any, model: type[BaseModel]) -> Callable[[dict[str, Any]], Any]:
    """`row -> cls(...)` written out for the type, as dataclasses write their __init__: a
    value already of its field's plain type (most of them) is passed on without a call.
    A large read builds hundreds of objects; the generic loop was a sixth of its time."""
    fields = field_converters(cls, model)
    lines = ["def make(row):", "    get = row.get"]
    namespace: dict[str, Any] = {"cls": cls}
    for index, (name, convert) in enumerate(fields):
        namespace[f"c{index}"] = convert
        lines.append(f"    v{index} = get({name!r})")
        exact = getattr(convert, "exact", None)
        if exact is not None:
            namespace[f"t{index}"] = exact
            lines.append(f"    if type(v{index}) is not t{index}:")
            lines.append(f"        v{index} = c{index}(v{index})")
        else:
            lines.append(f"    v{index} = c{index}(v{index})")
    arguments = ", ".join(f"{name}=v{index}" for index, (name, _) in enumerate(fields))
    lines.append(f"    return cls({arguments})")
    exec(compile("\n".join(lines), f"<build {cls.__name__}>", "exec"), namespace)
    return cast(Callable[[dict[str, Any]], Any], namespace["make"])


@cache
def field_converters(
    cls: Any, model: type[BaseModel]
) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
    """Each data field of the GraphQL type with the converter of its stored value; a field
    the model does not know raises KeyError, which falls back to validation."""
    converters = _converters(model)
    return tuple((name, converters.get(name, _unknown)) for name in _plain_fields(cls))


def _unknown(value: Any) -> Any:
    raise KeyError("not a field of the model")


def _converter(annotation: Any, default: Any) -> Callable[[Any], Any]:
    """How to turn a stored value into the field's Python value (None keeps the default)."""
    options = [a for a in get_args(annotation) if a is not type(None)] or [annotation]
    target = options[0] if len(options) == 1 else None
    if get_origin(target) is Annotated:
        target = get_args(target)[0]
    if get_origin(target) is list:

        def listed(v: Any) -> Any:
            if v is None:
                return default
            if not isinstance(v, list):
                raise TypeError(v)
            return list(v)

        return listed
    if isinstance(target, type) and issubclass(target, Enum):
        enum = target
        members = enum._value2member_map_  # value -> member, what enum(v) looks up first

        def member(v: Any) -> Any:
            if v is None:
                return default
            found = members.get(v) if isinstance(v, str) else None
            return found if found is not None else enum(v)

        return member
    if target is datetime:
        return lambda v: default if v is None else datetime.fromisoformat(v)
    if target is date:
        return lambda v: default if v is None else date.fromisoformat(v)
    if target in (str, int, float, bool):
        kind = target

        def plain(v: Any) -> Any:
            if type(v) is kind:
                return v
            if v is None:
                return default
            if not isinstance(v, kind) or (kind is int and isinstance(v, bool)):
                raise TypeError(v)
            return v

        plain.exact = kind  # type: ignore[attr-defined]  # values of this type pass as they are
        return plain
    raise TypeError(annotation)  # a type without a fast path: validate instead


@cache
def _converters(model: type[BaseModel]) -> dict[str, Callable[[Any], Any]]:
    out: dict[str, Callable[[Any], Any]] = {}
    for name, field in model.model_fields.items():
        default = None if field.is_required() else field.get_default(call_default_factory=True)
        try:
            out[name] = _converter(field.annotation, default)
        except TypeError:
            out[name] = _always_validate
    return out


def _always_validate(value: Any) -> Any:
    raise TypeError("validate")


@cache
def _plain_fields(cls: Any) -> tuple[str, ...]:
    """Fields of a GraphQL type that hold data (not resolvers); computed once per type."""
    fields = cls.__strawberry_definition__.fields
    return tuple(f.python_name for f in fields if f.base_resolver is None)
