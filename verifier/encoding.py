"""Strict decoding of the text encodings that the log uses for binary values."""

from __future__ import annotations

import base64
import binascii


def decode_base64(encoded: bytes | str) -> bytes | None:
    """The bytes of canonical standard base64 with padding, or None (no other alphabet, no stray bits or spaces)."""
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return None
    as_bytes = encoded.encode("ascii") if isinstance(encoded, str) else encoded
    return data if base64.b64encode(data) == as_bytes else None
