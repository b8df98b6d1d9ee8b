"""The order of the log: each entry sits at its own `seq`, belongs to the export's log and links to its predecessor."""

from __future__ import annotations

from verifier.entry import ZERO_HASH, Entry
from verifier.errors import ChainBroken, LogMismatch, SequenceGap


def check_position(entry: Entry, position: int, log: str) -> None:
    """Raise SequenceGap unless the entry at `position` has `seq == position`; LogMismatch unless it is of `log`."""
    if entry.seq != position:
        if entry.seq > position:
            reason = f"entry {position} is missing (found seq {entry.seq} in its place)"
        else:
            reason = f"found seq {entry.seq} where seq {position} belongs (an entry is repeated or out of order)"
        raise SequenceGap(reason, position)
    if entry.log != log:
        raise LogMismatch(f"the entry belongs to log {entry.log!r}, the export to log {log!r}", position)


def check_link(entry: Entry, position: int, previous_hash: str | None) -> None:
    """Raise ChainBroken unless `entry.prev` is `previous_hash` (the zero hash for the genesis).

    `previous_hash` is None when the previous line held no entry bytes at all; that fault is reported by the export
    check, and the link cannot be judged.
    """
    if position == 0:
        if entry.prev != ZERO_HASH:
            raise ChainBroken("the genesis entry's prev hash is not 64 zeros", position)
        return
    if previous_hash is not None and entry.prev != previous_hash:
        raise ChainBroken(f"prev hash does not match the hash of entry {position - 1}", position)
