"""One contract for the log store, run unchanged on SQLite and PostgreSQL (the `settings` fixture)."""

from __future__ import annotations

import base64
import hashlib
import json
from uuid import uuid4

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from pb_ledger.config import Settings
from pb_ledger.ledger.entry import GENESIS_PREV, SIGNING_DOMAIN
from pb_ledger.ledger.store import ConcurrentUpdate, KeysDoNotMatchLog, Ledger, UnknownLog


def test_a_new_log_starts_with_a_genesis_entry_signed_by_the_root_key(settings: Settings) -> None:
    ledger = Ledger(settings, "commune-a")
    [genesis] = ledger.entries(0, 10)
    entry = json.loads(genesis.entry)
    assert (entry["seq"], entry["prev"], entry["type"], entry["log"]) == (0, GENESIS_PREV, "LogCreated", "commune-a")
    root = Ed25519PublicKey.from_public_bytes(base64.b64decode(entry["payload"]["root_key"]["public"]))
    root.verify(genesis.sig, SIGNING_DOMAIN + genesis.entry)
    assert entry["payload"]["keys"][0]["role"] == "service"


def test_entries_are_gapless_and_each_commits_to_the_previous_hash(settings: Settings) -> None:
    ledger = Ledger(settings, "commune-a")
    cycle = uuid4()
    version = 0
    for n in range(5):
        version = ledger.append(cycle, version, [("Note", {"n": n}), ("Note", {"n": -n})],
                                cycle=str(cycle), actor=("pb-team", ""))
    rows = ledger.entries(0, 100)
    assert [r.seq for r in rows] == list(range(11))
    for before, after in zip(rows, rows[1:]):
        assert json.loads(after.entry)["prev"] == before.entry_hash == hashlib.sha256(before.entry).hexdigest()
    assert ledger.head() == (11, rows[-1].entry_hash)


def test_an_append_on_a_stale_version_is_refused_and_writes_nothing(settings: Settings) -> None:
    ledger = Ledger(settings, "commune-a")
    cycle = uuid4()
    ledger.append(cycle, 0, [("Note", {})], cycle=str(cycle), actor=("pb-team", ""))
    head = ledger.head()
    with pytest.raises(ConcurrentUpdate):
        ledger.append(cycle, 0, [("Note", {"late": 1}), ("Note", {"late": 2})], cycle=str(cycle),
                      actor=("pb-team", ""))
    assert ledger.head() == head
    assert len(ledger.entries(0, 100)) == head[0]


def test_a_log_refuses_to_open_with_keys_other_than_those_it_was_created_with(settings: Settings,
                                                                                tmp_path) -> None:  # type: ignore[no-untyped-def]
    Ledger(settings, "commune-a").close()
    other = Settings(data_dir=tmp_path / "other-data", database_url=settings.database_url)
    if settings.database_url is None:  # SQLite keeps the store in the data dir: share the file to simulate
        other.ensure_data_dir()
        other.sqlite_path.write_bytes(settings.sqlite_path.read_bytes())
    with pytest.raises(KeysDoNotMatchLog):
        Ledger(other, "commune-a")


def test_reading_a_log_without_its_keys_is_an_unknown_log(settings: Settings) -> None:
    with pytest.raises(UnknownLog):
        Ledger(settings, "never-created", create=False)


def test_two_logs_in_one_store_have_independent_chains(settings: Settings) -> None:
    a, b = Ledger(settings, "commune-a"), Ledger(settings, "commune-b")
    cycle = uuid4()
    a.append(cycle, 0, [("Note", {})], cycle=str(cycle), actor=("pb-team", ""))
    assert a.head()[0] == 2 and b.head()[0] == 1
    assert json.loads(b.entries(0, 1)[0].entry)["log"] == "commune-b"


def test_key_files_are_owner_only(settings: Settings) -> None:
    ledger = Ledger(settings, "commune-a")
    keys = settings.keys_dir("commune-a")
    assert oct(keys.stat().st_mode & 0o777) == "0o700"
    for name in ("root.key", "service.key"):
        assert oct((keys / name).stat().st_mode & 0o777) == "0o600"
    assert "PRIVATE" not in repr(ledger.keys)


def test_a_lost_service_key_file_is_refused_not_replaced(settings: Settings) -> None:
    from pb_ledger.ledger.keys import KeyFileError

    Ledger(settings, "commune-a").close()
    (settings.keys_dir("commune-a") / "service.key").unlink()
    with pytest.raises(KeyFileError, match="restore"):
        Ledger(settings, "commune-a")
    assert not (settings.keys_dir("commune-a") / "service.key").exists()


def test_without_its_root_key_file_a_log_opens_with_the_root_key_offline_never_a_new_one(settings: Settings) -> None:
    public = Ledger(settings, "commune-a").keys.root.public_raw
    (settings.keys_dir("commune-a") / "root.key").unlink()
    ledger = Ledger(settings, "commune-a")
    assert ledger.keys.root.public_raw == public and not (settings.keys_dir("commune-a") / "root.key").exists()


def test_a_log_whose_key_files_are_all_gone_is_not_given_new_ones(settings: Settings) -> None:
    Ledger(settings, "commune-a").close()
    for key in settings.keys_dir("commune-a").iterdir():
        key.unlink()
    with pytest.raises(KeysDoNotMatchLog, match="restore"):
        Ledger(settings, "commune-a")
    assert not list(settings.keys_dir("commune-a").iterdir())
