"""Reading an export file (log-format §4): the header line, the entry lines and the checkpoint lines, streamed.

An entry line is exactly `{"sig":"<88 base64 characters>","entry":<entry bytes>}`. The entry bytes are taken from the
line by position (offset 106 up to the final `}`), never by re-serialising parsed JSON.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from verifier.encoding import decode_base64
from verifier.errors import ExportMalformed
from verifier.fields import Fields
from verifier.strict_json import JsonRejected, parse_json_object

EXPORT_FORMAT = "pb-ledger-export/v1"
SIGNATURE_PREFIX = b'{"sig":"'
ENTRY_INFIX = b'","entry":'
ENTRY_OFFSET = 106
SIGNATURE_CHARS = 88
CHECKPOINT_PREFIX = b'{"checkpoint":'
LOG_ID = re.compile(r"[a-z0-9][a-z0-9._/-]{0,127}")


@dataclass(frozen=True)
class Header:
    log: str
    entries: int


@dataclass(frozen=True)
class Line:
    """One line of the export without its final line feed; `number` counts from 1."""

    number: int
    text: bytes


def is_log_id(value: str) -> bool:
    """True when `value` is a log id (log-format §6)."""
    return LOG_ID.fullmatch(value) is not None


def export_lines(stream: BinaryIO) -> Iterator[Line]:
    """The lines of the export in order; raises ExportMalformed at a line not terminated by a line feed."""
    for number, text in enumerate(stream, start=1):
        if not text.endswith(b"\n"):
            raise ExportMalformed(f"line {number} is not terminated by a line feed")
        yield Line(number, text[:-1])


def read_header(line: Line | None) -> Header:
    """The header (`{"format":"pb-ledger-export/v1","log":LOG,"entries":N}`); raises ExportMalformed."""
    if line is None:
        raise ExportMalformed("the export is empty: the header line is missing")
    try:
        value = parse_json_object(line.text)
    except JsonRejected as error:
        raise ExportMalformed(f"line 1 is not a header: {error}") from None
    fields = Fields(value, "header", ExportMalformed, None)
    fields.exactly(["format", "log", "entries"])
    fields.text("format", [EXPORT_FORMAT])
    log = fields.text("log")
    if not is_log_id(log):
        raise ExportMalformed(f"header.log {log!r} is not a log id (log-format §6)")
    return Header(log=log, entries=fields.integer("entries", minimum=0))


def is_checkpoint_line(line: Line) -> bool:
    return line.text.startswith(CHECKPOINT_PREFIX)


def entry_bytes_of(line: Line, seq: int) -> bytes:
    """The entry bytes of entry line `line` (position `seq`); raises ExportMalformed when the line has another shape."""
    text = line.text
    if not text.startswith(SIGNATURE_PREFIX):
        raise ExportMalformed(f"line {line.number} is neither an entry line nor a checkpoint line", seq)
    if text[ENTRY_OFFSET - len(ENTRY_INFIX) : ENTRY_OFFSET] != ENTRY_INFIX:
        raise ExportMalformed(f'line {line.number}: no "entry" member after an 88-character signature', seq)
    if len(text) <= ENTRY_OFFSET + 1 or not text.endswith(b"}"):
        raise ExportMalformed(f"line {line.number}: the entry line does not end with the entry and a final '}}'", seq)
    return text[ENTRY_OFFSET:-1]


def signature_of(line: Line, seq: int) -> bytes:
    """The 64-byte signature of entry line `line`; raises ExportMalformed unless it is canonical padded base64."""
    encoded = line.text[len(SIGNATURE_PREFIX) : len(SIGNATURE_PREFIX) + SIGNATURE_CHARS]
    signature = decode_base64(encoded)
    if signature is None or len(signature) != 64:
        raise ExportMalformed(f"line {line.number}: the signature is not 64 bytes in canonical base64", seq)
    return signature


def checkpoint_note_of(line: Line) -> str:
    """The signed note of checkpoint line `line` (`{"checkpoint":"<note>"}`); raises ExportMalformed."""
    try:
        value = parse_json_object(line.text)
    except JsonRejected as error:
        raise ExportMalformed(f"line {line.number} is not a checkpoint line: {error}") from None
    fields = Fields(value, f"checkpoint line {line.number}", ExportMalformed, None)
    fields.exactly(["checkpoint"])
    return fields.text("checkpoint")
