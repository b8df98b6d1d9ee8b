"""`pb-ledger export`: the log as the file of docs/log-format.md §4, streamed page by page."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

from pb_ledger.ledger.store import Ledger


def export_log(ledger: Ledger, out: Path, size: int | None = None) -> int:
    """Write the log's first `size` entries (by default every entry), then every checkpoint the service signed up to
    that size in increasing size, with their cosignatures, the last one over exactly the entries written (signed now
    when there is none of that size yet); returns the number of entries."""
    if out.is_dir():
        raise IsADirectoryError(f"{out} is a directory: give the path of the file to write")
    head = ledger.checkpoint().size  # the whole log's, signed now if it grew since the last checkpoint
    size = head if size is None else min(size, head)
    ledger.checkpoint_of_size(size)
    tmp = out.with_name(f".{out.name}.partial")
    try:
        _write(ledger, tmp, size)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return size


def _write(ledger: Ledger, tmp: Path, size: int) -> None:
    with open(tmp, "wb") as f:
        f.write(json.dumps({"format": "pb-ledger-export/v1", "log": ledger.log_id, "entries": size}).encode() + b"\n")
        for row in ledger.iter_entries():
            if row.seq >= size:
                break
            f.write(b'{"sig":"' + base64.b64encode(row.sig) + b'","entry":' + row.entry + b"}\n")
        for checkpoint in ledger.iter_checkpoints(size):
            note = ledger.published_note(checkpoint)
            f.write(json.dumps({"checkpoint": note}, ensure_ascii=False).encode() + b"\n")
