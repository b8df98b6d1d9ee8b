"""Parse JSON the way log-format §2 allows it: objects without repeated member names, and no floating-point numbers."""

from __future__ import annotations

import json
from typing import NoReturn


class JsonRejected(ValueError):
    """The text is not JSON, or is JSON that a pb-ledger export never contains."""


def _unique_members(pairs: list[tuple[str, object]]) -> dict[str, object]:
    members = dict(pairs)
    if len(members) != len(pairs):
        names = [name for name, _ in pairs]
        repeated = sorted({name for name in names if names.count(name) > 1})
        raise JsonRejected(f"repeated member name {repeated[0]!r}")
    return members


def _no_float(text: str) -> NoReturn:
    raise JsonRejected(f"floating-point number {text} (log-format §2 allows integers only)")


def _no_constant(text: str) -> NoReturn:
    raise JsonRejected(f"non-JSON constant {text}")


_DECODER = json.JSONDecoder(object_pairs_hook=_unique_members, parse_float=_no_float, parse_constant=_no_constant)


def parse_json(text: str) -> object:
    """The value of `text`; raises JsonRejected for invalid JSON, repeated member names or non-integer numbers."""
    try:
        value = _DECODER.decode(text)
    except JsonRejected:
        raise
    except (ValueError, RecursionError) as error:
        raise JsonRejected(f"not valid JSON ({error})") from None
    if "\\u" in text:
        _reject_lone_surrogates(value)
    return value


def _reject_lone_surrogates(value: object) -> None:
    """Raise for a string escaping half of a UTF-16 surrogate pair, which no UTF-8 text can hold (RFC 7493 §2.1)."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise JsonRejected("a string holds a lone surrogate escape (not I-JSON)") from None


def parse_json_object(data: bytes) -> dict[str, object]:
    """The JSON object encoded in UTF-8 `data`; raises JsonRejected when it is anything else."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise JsonRejected(f"not UTF-8 ({error.reason} at byte {error.start})") from None
    value = parse_json(text)
    if not isinstance(value, dict):
        raise JsonRejected("not a JSON object")
    return value
