"""The key lifecycle end to end on SQLite and PostgreSQL (docs/log-format.md §3.1): keys authorised, rotated and
retired by root-signed entries; the service signs with the key valid at each position, in this process and in
another; the export and receipts verify; an entry written with a retired key fails `unauthorised-key` at its seq."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pb_ledger.config import Settings
from pb_ledger.domain.errors import DomainError
from pb_ledger.ledger.canonical import canonical_json
from pb_ledger.ledger.entry import SIGNING_DOMAIN, entry_hash
from pb_ledger.ledger.export import export_log
from pb_ledger.ledger.keys import _write_new, service_key_path
from pb_ledger.ledger.store import KeysDoNotMatchLog, Ledger
from pb_ledger.services import Services
from verifier.receipt import verify_receipt
from verifier.report import Report
from verifier.verification import verify_export

LOG = "commune-keys"


def note(ledger: Ledger, cycle: UUID, version: int, count: int = 1) -> int:
    return ledger.append(cycle, version, [("Note", {"n": version + n}) for n in range(count)], cycle=str(cycle),
                         actor=("pb-team", ""))


def signer_of(ledger: Ledger, seq: int) -> str:
    return str(json.loads(ledger.entries(seq, 1)[0].entry)["key"])


def verified(ledger: Ledger, tmp_path: Path) -> Report:
    out = tmp_path / "log.export"
    export_log(ledger, out)
    return verify_export(out, ledger.keys.root.public_raw)


@pytest.fixture
def services(settings: Settings) -> Services:
    return Services(Ledger(settings, LOG))


def test_rotation_and_retirement_end_to_end(services: Services, settings: Settings, tmp_path: Path) -> None:
    ledger, keys = services.ledger, services.keys
    first = ledger.keys.service.id
    cycle, version = uuid4(), 0
    version = note(ledger, cycle, version, 3)
    rotated = keys.rotate("yearly rotation of the service key")
    assert signer_of(ledger, rotated.seq) == ledger.keys.root.id  # key entries: the root key
    version = note(ledger, cycle, version, 2)
    assert signer_of(ledger, rotated.seq + 1) == rotated.key != first
    assert service_key_path(ledger.keys_dir, rotated.key).stat().st_mode & 0o777 == 0o600

    # another process (a second Ledger on the same store and keys folder) signs with the key valid at each seq
    other = Ledger(settings, LOG, create=False)
    added = Services(other).keys.authorise("a second server")
    version = note(ledger, cycle, version)  # this process learns of the new key inside its append transaction
    assert signer_of(ledger, added.seq + 1) == added.key
    retired = keys.retire(rotated.key, "the server that held it was decommissioned")
    version = note(ledger, cycle, version)
    assert signer_of(ledger, retired.seq + 1) == added.key
    listed = {k.id: k for k in keys.keys()}
    assert (listed[first].until_seq, listed[rotated.key].until_seq, listed[added.key].until_seq) == (
        rotated.seq + 1, retired.seq + 1, None)
    assert [k.id for k in keys.keys() if k.in_use] == [added.key]

    report = verified(ledger, tmp_path)
    assert report.ok, report.error
    checkpoint = ledger.checkpoint()
    assert checkpoint.key_id == added.key  # checkpoints too are signed by the key in use
    for seq in (2, rotated.seq + 1, retired.seq + 1):  # receipts carry the key entries that authorise the signer
        receipt = verify_receipt(ledger.receipt(seq).encode(), ledger.keys.root.public_raw)
        assert receipt.ok, receipt.error
    other.close()


def test_key_commands_refuse_with_clear_codes_and_write_nothing(services: Services) -> None:
    ledger, keys = services.ledger, services.keys
    head = ledger.head()
    files = sorted(ledger.keys_dir.iterdir())
    for call, code in (
        (lambda: keys.rotate("  "), "key_reason_required"),
        (lambda: keys.retire(ledger.keys.service.id, ""), "key_reason_required"),
        (lambda: keys.retire("0123456789abcdef", "gone"), "unknown_service_key"),
        (lambda: keys.retire(ledger.keys.service.id, "gone"), "last_service_key"),
        (lambda: keys.rotate("replace", old="0123456789abcdef"), "unknown_service_key"),
    ):
        with pytest.raises(DomainError) as refused:
            call()
        assert refused.value.code == code
    assert ledger.head() == head and sorted(ledger.keys_dir.iterdir()) == files  # no entry, no orphan key file
    rotated = keys.rotate("yearly rotation")
    with pytest.raises(DomainError) as again:
        keys.retire(ledger.keys.service.id, "compromised")
    assert again.value.code == "key_already_retired"
    with pytest.raises(DomainError) as twice:
        keys.rotate("again", old=ledger.keys.service.id)
    assert twice.value.code == "key_already_retired"
    assert keys.keys()[-1].id == rotated.key


def test_an_entry_written_with_a_retired_key_fails_unauthorised_key_at_its_seq(
    services: Services, tmp_path: Path
) -> None:
    """Someone who kept the retired key writes an entry into the store behind the service's back."""
    ledger = services.ledger
    retired_key = ledger.keys.service
    cycle, version = uuid4(), 0
    version = note(ledger, cycle, version, 2)
    services.keys.rotate("the old key was copied off the server")
    version = note(ledger, cycle, version, 2)
    assert verified(ledger, tmp_path).ok

    seq, head_hash = ledger.head()
    last = json.loads(ledger.entries(seq - 1, 1)[0].entry)
    forged = canonical_json({**last, "seq": seq, "prev": head_hash, "key": retired_key.id,
                             "payload": {"n": 99, "forged": True}})
    sig = retired_key.sign(SIGNING_DOMAIN + forged)
    recorder = ledger.recorder
    with recorder.datastore.transaction(commit=True) as c:
        c.execute(recorder._q("INSERT INTO ledger_entries VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p}, {p})"),
                  (LOG, seq, head_hash, entry_hash(forged), forged, sig, "Note", last["cycle"]))
        c.execute(recorder._q("UPDATE ledger_heads SET next_seq={p}, head_hash={p} WHERE log_id={p}"),
                  (seq + 1, entry_hash(forged), LOG))
    report = verified(ledger, tmp_path)
    assert report.error is not None
    assert (report.error.code, report.error.seq) == ("unauthorised-key", seq)
    assert f"key {retired_key.id} is not valid at seq {seq}" in report.error.message


def test_a_service_key_file_missing_for_the_key_in_use_refuses_to_append(services: Services) -> None:
    ledger = services.ledger
    rotated = services.keys.rotate("move to a hardware-backed key")
    path = service_key_path(ledger.keys_dir, rotated.key)
    saved = path.read_bytes()
    path.unlink()
    ledger.keys.later.clear()  # as a process started after the file was lost
    head = ledger.head()
    cycle = uuid4()
    with pytest.raises(Exception) as refused:
        note(ledger, cycle, 0)
    assert getattr(refused.value, "code", None) == "no_service_key"
    assert ledger.head() == head
    path.write_bytes(saved)
    path.chmod(0o600)
    note(ledger, cycle, 0)
    assert signer_of(ledger, head[0]) == rotated.key


def test_the_key_history_is_the_genesis_and_the_key_entries(services: Services) -> None:
    services.keys.rotate("yearly rotation")
    services.keys.authorise()
    lines = services.transparency.key_history().splitlines()
    types = [json.loads(line[106:-1])["type"] for line in lines]
    assert types == ["LogCreated", "KeyRotated", "KeyAuthorised"]
    assert all(base64.b64decode(json.loads(line)["sig"]) for line in lines)


def test_the_root_key_can_be_kept_off_the_server_and_brought_back_for_key_entries(
        services: Services, settings: Settings, tmp_path: Path) -> None:
    root_file = services.ledger.keys_dir / "root.key"
    offline = tmp_path / "usb" / "root.key"
    offline.parent.mkdir()
    root_file.rename(offline)  # the council keeps its root key on a stick in a safe
    ledger = Ledger(settings, LOG)
    cycle = note(ledger, uuid4(), 0, 2)
    assert cycle == 2 and ledger.keys.public_pem() == services.ledger.keys.public_pem()
    with pytest.raises(RuntimeError) as refused:
        Services(ledger).keys.rotate("yearly rotation of the service key")
    assert getattr(refused.value, "code", None) == "root_key_offline"
    with_root = Services(Ledger(settings, LOG, root_key=offline))
    rotated = with_root.keys.rotate("yearly rotation of the service key")
    assert signer_of(with_root.ledger, rotated.seq) == with_root.ledger.keys.root.id
    stranger = tmp_path / "stranger.key"
    _write_new(stranger, Ed25519PrivateKey.generate())
    with pytest.raises(KeysDoNotMatchLog):
        Ledger(settings, LOG, root_key=stranger)
    assert verified(Ledger(settings, LOG), tmp_path).ok
