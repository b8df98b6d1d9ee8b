"""The log's secret HMAC keys that never enter the log (`voter.key` for ballot tokens, `staff.key` for staff
references): 32 random bytes each, in the log's keys folder, owner-only, created atomically on first use."""

from __future__ import annotations

import os
from pathlib import Path

from pb_ledger.domain.errors import DomainError

KEY_BYTES = 32


def load_or_create_secret_key(path: Path) -> bytes:
    """The key at `path`; created when missing (two processes starting at once end up with the same key)."""
    if not path.exists():
        _create(path)
    if path.stat().st_mode & 0o077:
        raise DomainError("unusable_key_file", f"{path} is readable by others; run: chmod 600 {path}")
    key = path.read_bytes()
    if len(key) != KEY_BYTES:
        raise DomainError("unusable_key_file", f"{path} does not hold a {KEY_BYTES}-byte key")
    return key


def _create(path: Path) -> None:
    """Write the key to a private temporary file, then link it into place: the first link wins, never a torn file."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(os.urandom(KEY_BYTES))
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink()
