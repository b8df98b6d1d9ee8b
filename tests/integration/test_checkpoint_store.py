"""Stored, signed checkpoints (docs/log-format.md §7) on SQLite and PostgreSQL: signed in the append transaction at
every PhaseStarted, VotingOpened and VotingClosed, and on demand; the Merkle root kept incrementally beside the head;
every one of them carried by the export and accepted by the standalone verifier."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from uuid import uuid4

import pytest

from pb_ledger.config import Settings
from pb_ledger.demo import load_demo
from pb_ledger.ledger.export import export_log
from pb_ledger.ledger.merkle import MerkleAccumulator
from pb_ledger.ledger.recorder import CHECKPOINT_TYPES
from pb_ledger.ledger.store import ConcurrentUpdate, Ledger
from pb_ledger.services import Services
from verifier.signed_note import NoteVerifier, open_note
from verifier.verification import verify_export

LOG = "commune-checkpoints"


@pytest.fixture
def ledger(settings: Settings) -> Ledger:
    ledger = Ledger(settings, LOG)
    load_demo(Services(ledger), ballots=40)
    return ledger


def tree_root(ledger: Ledger, size: int) -> bytes:
    """The Merkle tree hash of the first `size` entries, recomputed from the entries."""
    tree = MerkleAccumulator()
    for row in ledger.iter_entries():
        if row.seq >= size:
            break
        tree.append(row.entry)
    return tree.root()


def note_lines(note: str) -> tuple[str, int, bytes]:
    origin, size, root = note.split("\n")[:3]
    return origin, int(size), base64.b64decode(root)


def test_a_checkpoint_is_stored_at_every_entry_that_calls_for_one(ledger: Ledger) -> None:
    due = [row.seq + 1 for row in ledger.iter_entries() if row.type in CHECKPOINT_TYPES]
    assert len(due) >= 4  # two phases, the opening and the close of the vote
    stored = ledger.checkpoints()
    assert [c.size for c in stored] == due
    for checkpoint in stored:
        entry_type = json.loads(ledger.entries(checkpoint.size - 1, 1)[0].entry)["type"]
        assert checkpoint.reason == entry_type
        assert checkpoint.root == tree_root(ledger, checkpoint.size)
        assert note_lines(checkpoint.note) == (LOG, checkpoint.size, checkpoint.root)
        verifier = NoteVerifier.for_ed25519(LOG, ledger.keys.service.public_raw)
        assert open_note(checkpoint.note, [verifier]).text == "\n".join(checkpoint.note.split("\n")[:3]) + "\n"


def test_the_announcement_names_the_checkpoint_signed_at_the_close_of_the_vote(ledger: Ledger) -> None:
    closed = next(r for r in ledger.iter_entries() if r.type == "VotingClosed")
    announced = next(r for r in ledger.iter_entries() if r.type == "ResultsAnnounced")
    claim = json.loads(announced.entry)["payload"]["checkpoint"]
    stored = ledger.checkpoint_at(closed.seq + 1)
    assert stored is not None and stored.reason == "VotingClosed"
    assert claim == {"size": closed.seq + 1, "root": base64.b64encode(stored.root).decode()}


def test_a_checkpoint_on_demand_covers_the_head_and_is_signed_once(ledger: Ledger) -> None:
    size, _ = ledger.head()
    first = ledger.checkpoint()
    assert (first.size, first.reason, first.root) == (size, "on-demand", tree_root(ledger, size))
    again = ledger.checkpoint()
    assert again == first
    assert [c.size for c in ledger.checkpoints(size, size)] == [size]
    assert ledger.latest_checkpoint() == first


def test_the_stored_tree_grows_with_each_append_without_rehashing(settings: Settings) -> None:
    ledger = Ledger(settings, LOG)
    cycle, version = uuid4(), 0
    for n in range(1, 40):
        version = ledger.append(cycle, version, [("Note", {"n": n})] * (n % 3 + 1), cycle=str(cycle),
                                actor=("pb-team", ""))
        size, _ = ledger.head()
        with ledger.recorder.datastore.transaction(commit=False) as c:
            c.execute(ledger.recorder._q("SELECT size, frontier FROM ledger_trees WHERE log_id={p}"), (LOG,))
            row = c.fetchone()
        tree = MerkleAccumulator.from_frontier(int(row["size"]), bytes(row["frontier"]))
        assert tree.size == size and tree.root() == tree_root(ledger, size)
        assert len(bytes(row["frontier"])) == 32 * bin(size).count("1")  # the compact range, nothing more


def test_a_refused_append_leaves_the_tree_and_the_checkpoints_as_they_were(ledger: Ledger) -> None:
    before = (ledger.head(), ledger.checkpoints())
    cycle = uuid4()
    ledger.append(cycle, 0, [("Note", {})], cycle=str(cycle), actor=("pb-team", ""))
    head = ledger.head()
    with pytest.raises(ConcurrentUpdate):  # version 0 again: the whole transaction rolls back
        ledger.append(cycle, 0, [("PhaseStarted", {"phase": "ideas"})], cycle=str(cycle), actor=("pb-team", ""))
    assert ledger.head() == head and ledger.checkpoints() == before[1]
    assert ledger.checkpoint().root == tree_root(ledger, head[0])


def test_a_log_written_before_the_tree_was_kept_catches_up(ledger: Ledger) -> None:
    """Drop the tree and the stored checkpoints, as in a database from before them: the next append rebuilds the
    tree from the entries and signs the checkpoints that were due on the way."""
    due = [c.size for c in ledger.checkpoints()]
    with ledger.recorder.datastore.transaction(commit=True) as c:
        c.execute(ledger.recorder._q("DELETE FROM ledger_trees WHERE log_id={p}"), (LOG,))
        c.execute(ledger.recorder._q("DELETE FROM ledger_checkpoints WHERE log_id={p}"), (LOG,))
    cycle = uuid4()
    ledger.append(cycle, 0, [("Note", {})], cycle=str(cycle), actor=("pb-team", ""))
    assert [c.size for c in ledger.checkpoints()] == due
    assert ledger.checkpoint().root == tree_root(ledger, ledger.head()[0])


def test_the_export_carries_every_checkpoint_and_verifies(ledger: Ledger, tmp_path: Path) -> None:
    stored = [c.size for c in ledger.checkpoints()]
    out = tmp_path / "log.export"
    assert export_log(ledger, out) == ledger.head()[0]
    lines = out.read_bytes().splitlines()
    notes = [json.loads(line)["checkpoint"] for line in lines if line.startswith(b'{"checkpoint":')]
    assert [note_lines(note)[1] for note in notes] == [*stored, ledger.head()[0]]
    report = verify_export(out, ledger.keys.root.public_raw)
    assert report.ok, report.error
    assert {c.id: c.status for c in report.checks}["V7"] == "pass"
