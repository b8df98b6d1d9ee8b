"""`pb-ledger export`: the log as the file of docs/log-format.md §4, streamed page by page."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

from pb_ledger.ledger.checkpoint import sign_checkpoint
from pb_ledger.ledger.merkle import MerkleAccumulator
from pb_ledger.ledger.store import Ledger


def export_log(ledger: Ledger, out: Path, size: int | None = None) -> int:
    """Write the log (its first `size` entries, by default all up to the head read at the start, then one checkpoint
    over them); returns the count."""
    if out.is_dir():
        raise IsADirectoryError(f"{out} is a directory: give the path of the file to write")
    head, _ = ledger.head()
    size = head if size is None else min(size, head)
    tree = MerkleAccumulator()
    tmp = out.with_name(f".{out.name}.partial")
    try:
        _write(ledger, tmp, size, tree)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return tree.size


def _write(ledger: Ledger, tmp: Path, size: int, tree: MerkleAccumulator) -> None:
    with open(tmp, "wb") as f:
        f.write(json.dumps({"format": "pb-ledger-export/v1", "log": ledger.log_id, "entries": size}).encode() + b"\n")
        for row in ledger.iter_entries():
            if row.seq >= size:
                break
            f.write(b'{"sig":"' + base64.b64encode(row.sig) + b'","entry":' + row.entry + b"}\n")
            tree.append(row.entry)
        note = sign_checkpoint(ledger.log_id, tree.size, tree.root(), ledger.keys.service)
        f.write(json.dumps({"checkpoint": note}, ensure_ascii=False).encode() + b"\n")
