"""Checkpoint cost: signing a checkpoint from the stored Merkle frontier beside re-hashing the whole log, in one run.

    python bench/checkpoints.py [--sizes 1000,10000,100000] [--repeat 5] [--database-url postgresql://…]

For each size it grows one log (SQLite in a temporary folder, or the given PostgreSQL database) to that many entries,
then times, side by side:
- `frontier`: a checkpoint over the whole log as the service signs one (`Ledger.checkpoint()` after one more entry:
  the lock, the stored compact range, one root fold and one Ed25519 signature);
- `rehash`: the Merkle root recomputed from every stored entry, as the export did before checkpoints were stored.
It prints both medians and their ratio. The frontier's time must stay flat as the log grows; the re-hash grows with it.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import tempfile
import time
from pathlib import Path
from uuid import uuid4

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pb_ledger.config import Settings
from pb_ledger.ledger.merkle import MerkleAccumulator
from pb_ledger.ledger.store import Ledger

BATCH = 5000


def grow(ledger: Ledger, target: int) -> None:
    cycle, version = uuid4(), 0
    while (size := ledger.head()[0]) < target:
        count = min(BATCH, target - size)
        version = ledger.append(cycle, version, [("Note", {"n": version + n}) for n in range(count)],
                                cycle=str(cycle), actor=("pb-team", ""))


def rehash(ledger: Ledger) -> bytes:
    tree = MerkleAccumulator()
    for row in ledger.iter_entries():
        tree.append(row.entry)
    return tree.root()


def timed(action: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", help="a PostgreSQL database to use instead of SQLite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ledger = Ledger(Settings(data_dir=Path(tmp), database_url=args.database_url), f"bench-{uuid4().hex[:8]}")
        cycle, versions = uuid4(), itertools.count()
        print(f"{'entries':>9} {'frontier (ms)':>14} {'rehash (ms)':>12} {'rehash / frontier':>18}")
        for target in (int(size) for size in args.sizes.split(",")):
            grow(ledger, target)

            def sign_after_one_more() -> None:
                ledger.append(cycle, next(versions), [("Note", {})], cycle=str(cycle), actor=("pb-team", ""))

            appended = timed(sign_after_one_more, args.repeat)  # the append alone, to subtract
            both = timed(lambda: (sign_after_one_more(), ledger.checkpoint()), args.repeat)
            frontier = max(both - appended, 1e-9)
            full = timed(lambda: rehash(ledger), args.repeat)
            assert rehash(ledger) == ledger.checkpoint().root
            print(f"{ledger.head()[0]:>9} {frontier * 1000:>14.2f} {full * 1000:>12.1f} {full / frontier:>18.0f}")
        ledger.close()


if __name__ == "__main__":
    main()
