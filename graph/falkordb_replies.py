"""FalkorDB's compact replies read straight into plain values, for the awaited reads.

The client's asyncio flavour parses a reply with a coroutine per value (`await
parse_scalar(...)` for every string of every map): a planned read answers thousands of
values, and that parsing was a third of the served dashboard's time, more than the
blocking client spends on the same reply. Here the reply of `GRAPH.RO_QUERY ... --compact`
is read in plain loops into what `FalkorStore` hands out anyway (maps as dicts, nodes as
their properties). Nodes, edges and paths need the client's label and property caches,
and typed values (points, vectors, dates) its own readers: a reply holding any of them,
or an error, is left to the client's parser (`None`).

The compact format (https://docs.falkordb.com/design/client_spec.html): a reply is
`[header, rows, statistics]`; a header is `[column type, name]` pairs; a value is
`[type, payload]`, with 1 null, 2 string, 3 integer, 4 boolean ("true"/"false"),
5 double (as text), 6 array of values, 10 map (key, value, key, value, ...).
"""

from __future__ import annotations

from typing import Any

Row = dict[str, Any]

_NULL, _STRING, _INTEGER, _BOOLEAN, _DOUBLE, _ARRAY, _MAP = 1, 2, 3, 4, 5, 6, 10


class _Typed(Exception):
    """A value only the client's parser reads (a node, an edge, a path, a point...)."""


def _text(payload: Any) -> str:
    if type(payload) is str:
        return payload
    return payload.decode() if isinstance(payload, bytes) else str(payload)


def _value(cell: Any) -> Any:
    kind, payload = cell
    if kind == _STRING:
        return payload if type(payload) is str else _text(payload)
    if kind == _INTEGER:
        return int(payload)
    if kind == _MAP:
        return _map(payload)
    if kind == _ARRAY:
        return _array(payload)
    if kind == _NULL:
        return None
    if kind == _BOOLEAN:
        return _text(payload) == "true"
    if kind == _DOUBLE:
        return float(payload)
    raise _Typed(kind)


def _array(payload: Any) -> list[Any]:
    out: list[Any] = []
    add = out.append
    for cell in payload:
        kind, value = cell
        if kind == _STRING and type(value) is str:  # most values: no call
            add(value)
        elif kind == _MAP:
            add(_map(value))
        elif kind == _ARRAY:  # a relation's (parent, neighbour, relationship) triples
            add(_array(value))
        else:
            add(_value(cell))
    return out


def _map(payload: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for index in range(0, len(payload), 2):
        key, (kind, value) = payload[index], payload[index + 1]
        if kind == _STRING and type(value) is str:  # most values: no call
            out[key if type(key) is str else _text(key)] = value
        else:
            out[key if type(key) is str else _text(key)] = _value((kind, value))
    return out


def rows(reply: Any) -> list[Row] | None:
    """The rows of a compact query reply, or None when only the client may read it."""
    if not isinstance(reply, list) or len(reply) != 3:
        return None  # an error, or a reply with statistics only
    header, records, _ = reply
    if not isinstance(header, list) or not isinstance(records, list):
        return None
    try:
        names = [_text(column[1]) for column in header]
        return [
            dict(zip(names, (_value(cell) for cell in record), strict=True)) for record in records
        ]
    except (_Typed, TypeError, ValueError, IndexError):
        return None
