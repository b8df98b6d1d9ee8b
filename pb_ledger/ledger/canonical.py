"""Canonical bytes for everything we sign: RFC 8785 JSON, integers only, NFC text."""

from __future__ import annotations

import unicodedata
from typing import Any

import rfc8785


class NotCanonicalisable(ValueError):
    """A value that the log cannot hold (a float, a non-string key, an integer beyond 2^53 - 1)."""

    code = "value_out_of_range"


class NotUnicode(NotCanonicalisable):
    """Text that is not valid Unicode (a lone surrogate, from bytes that were not UTF-8)."""

    code = "invalid_text"


def canonical_json(value: Any) -> bytes:
    """RFC 8785 bytes of `value`; floats are refused because money and points are integers."""
    _refuse_floats(value)
    try:
        return rfc8785.dumps(value)
    except rfc8785.IntegerDomainError as e:
        raise NotCanonicalisable(f"{e}: amounts and counts in the log stay below 2^53") from None
    except rfc8785.CanonicalizationError as e:  # text that is not valid Unicode (a lone surrogate, bad bytes)
        raise NotUnicode(f"{e}: text in the log is valid Unicode") from None


def nfc(text: str) -> str:
    """The NFC form of user text, as it is signed."""
    return unicodedata.normalize("NFC", text)


def _refuse_floats(value: Any) -> None:
    if isinstance(value, float):
        raise NotCanonicalisable(f"floats are not allowed in the log: {value!r}")
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise NotCanonicalisable(f"object keys must be strings: {key!r}")
            _refuse_floats(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _refuse_floats(item)
