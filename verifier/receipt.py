"""Receipts (log-format §12): a c2sp.org/tlog-proof for one entry, checked offline against the trusted root key.

A receipt carries, in its `extra` line, the export lines (§4) of the genesis entry, of the key entries (§3.1) and of the
entry it is for. The genesis and the key entries, signed by the root key, name the service keys; a service key signed
the entry and the checkpoint; the
inclusion proof ties the entry bytes to the checkpoint's root hash. The checks run in that order (R1 to R5), and a
check whose input failed an earlier one is not checked. Nothing of the entry's payload is reported: a ballot's choices
stay in the entry bytes, which the holder already has.
"""

from __future__ import annotations

import base64
import io
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from verifier.checkpoints import Checkpoint, CheckpointNote, open_checkpoint
from verifier.encoding import decode_base64
from verifier.entry import ZERO_HASH, Entry, entry_hash, parse_entry
from verifier.errors import ExportMalformed, ReceiptEntryMismatch, ReceiptMalformed, VerificationError
from verifier.export import Line, entry_bytes_of, export_lines, signature_of
from verifier.keys import KEY_TYPES, KeyRing, verify_signature
from verifier.merkle import leaf_hash, verify_inclusion

TLOG_PROOF_HEADER = "c2sp.org/tlog-proof@v1"
DECIMAL = re.compile(r"0|[1-9][0-9]*")
PASS, FAIL, NOT_CHECKED = "pass", "fail", "not-checked"
RECEIPT_CHECKS = {
    "R1": "receipt shape",
    "R2": "genesis signed by the trusted root key",
    "R3": "entry signed by a key the log authorised",
    "R4": "checkpoint signed by a key of the log",
    "R5": "entry included in the checkpoint's tree",
}


@dataclass(frozen=True)
class SignedEntry:
    """One entry line of the receipt's extra data: the entry bytes, their signature and their parsed members."""

    entry_bytes: bytes
    signature: bytes
    entry: Entry


@dataclass(frozen=True)
class Receipt:
    """A receipt as read: the index it claims, the proof hashes, the checkpoint note, the genesis and the entry."""

    index: int
    hashes: list[bytes]
    note: str
    note_line: int
    genesis: SignedEntry
    entry: SignedEntry
    key_entries: tuple[SignedEntry, ...] = ()  # the key entries (§3.1) between the genesis and the entry line


@dataclass(frozen=True)
class ReceiptCheck:
    id: str
    status: str
    detail: str
    seq: int | None = None

    @property
    def name(self) -> str:
        return RECEIPT_CHECKS[self.id]


@dataclass
class ReceiptReport:
    """What `pb-verify receipt` found: each check, the entry (seq, type, cycle, time, hash) and the checkpoint."""

    checks: list[ReceiptCheck] = field(default_factory=list)
    receipt: Receipt | None = None
    checkpoint: Checkpoint | None = None
    error: VerificationError | None = None

    @property
    def ok(self) -> bool:
        return len(self.checks) == len(RECEIPT_CHECKS) and all(check.status == PASS for check in self.checks)


# --- reading ----------------------------------------------------------------------------------------------------------


def read_receipt(data: bytes) -> Receipt:
    """The receipt in `data`; raises ReceiptMalformed unless it has the shape of log-format §12."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ReceiptMalformed("the receipt is not UTF-8 text") from None
    proof_part, blank, note = text.partition("\n\n")
    if not blank:
        raise ReceiptMalformed("the receipt has no empty line before its checkpoint")
    lines = proof_part.split("\n")
    if lines[0] != TLOG_PROOF_HEADER:
        raise ReceiptMalformed(f"the first line is not {TLOG_PROOF_HEADER!r}")
    if len(lines) < 3 or not lines[1].startswith("extra "):
        raise ReceiptMalformed("the receipt has no extra line: it must carry the genesis and entry lines")
    index = _index(lines[2])
    hashes = [_proof_hash(line, number) for number, line in enumerate(lines[3:], start=4)]
    genesis, key_entries, entry = _entry_lines(lines[1][len("extra ") :], index)
    return Receipt(index, hashes, note, len(lines) + 2, genesis, entry, key_entries)


def _index(line: str) -> int:
    number = line[len("index ") :]
    if not line.startswith("index ") or DECIMAL.fullmatch(number) is None:
        raise ReceiptMalformed(f"line 3 is not 'index <decimal>': {line[:40]!r}")
    return int(number)


def _proof_hash(line: str, number: int) -> bytes:
    value = decode_base64(line)
    if value is None or len(value) != 32:
        raise ReceiptMalformed(f"line {number} is not a 32-byte hash in canonical base64")
    return value


def _entry_lines(encoded: str, index: int) -> tuple[SignedEntry, tuple[SignedEntry, ...], SignedEntry]:
    """The genesis line, the key entry lines, and the entry line (the genesis itself when `index` is 0)."""
    extra = decode_base64(encoded)
    if extra is None:
        raise ReceiptMalformed("the extra line is not canonical base64")
    try:
        lines = list(export_lines(io.BytesIO(extra)))
    except ExportMalformed:
        raise ReceiptMalformed("the extra data does not end with a line feed") from None
    least = 1 if index == 0 else 2
    if len(lines) < least:
        raise ReceiptMalformed(f"the extra data holds {len(lines)} entry lines; a receipt for entry {index} holds "
                               f"at least {least} (the genesis{'' if index == 0 else ' and the entry'})")
    genesis = _signed_entry(lines[0], 0, "genesis")
    middle = lines[1:] if index == 0 else lines[1:-1]
    key_entries = tuple(_signed_entry(line, position, "key entry") for position, line in enumerate(middle, 1))
    return genesis, key_entries, genesis if index == 0 else _signed_entry(lines[-1], index, "entry")


def _signed_entry(line: Line, seq: int, what: str) -> SignedEntry:
    try:
        entry_bytes = entry_bytes_of(line, seq)
        return SignedEntry(entry_bytes, signature_of(line, seq), parse_entry(entry_bytes, seq))
    except ExportMalformed as error:
        raise ReceiptMalformed(f"the {what} line of the extra data: {error.message}", seq) from None


# --- checking ---------------------------------------------------------------------------------------------------------


class _ReceiptChecks:
    """The state carried from one check to the next."""

    def __init__(self, receipt: Receipt, trusted_root: bytes) -> None:
        self.receipt = receipt
        self.trusted_root = trusted_root
        self.keyring: KeyRing | None = None
        self.checkpoint: Checkpoint | None = None

    def genesis(self) -> str:
        genesis = self.receipt.genesis
        if genesis.entry.seq != 0 or genesis.entry.prev != ZERO_HASH:
            raise ReceiptEntryMismatch("the first entry line is not a genesis entry (seq 0, prev of 64 zeros)", 0)
        self.keyring = KeyRing.from_genesis(genesis.entry, genesis.entry_bytes, genesis.signature, self.trusted_root)
        previous = 0
        for signed in self.receipt.key_entries:  # the keys authorised, rotated and retired after the genesis
            seq = signed.entry.seq
            if signed.entry.type not in KEY_TYPES or signed.entry.log != genesis.entry.log or seq <= previous:
                raise ReceiptEntryMismatch("the lines between the genesis and the entry must be key entries of the "
                                           "same log, in increasing seq", seq)
            verify_signature(self.keyring.authorise(signed.entry, seq), signed.entry_bytes, signed.signature, seq)
            previous = seq
        keys = f" and {len(self.receipt.key_entries)} key entries" if self.receipt.key_entries else ""
        return f"log {genesis.entry.log} created under root key {self.keyring.root.id}{keys}"

    def entry(self) -> str:
        receipt, keyring = self.receipt, self._keyring()
        if receipt.index == 0:
            return "the entry is the genesis itself"
        signed, index = receipt.entry, receipt.index
        if signed.entry.seq != index:
            raise ReceiptEntryMismatch(f"the receipt is for index {index}, its entry is seq {signed.entry.seq}", index)
        if signed.entry.log != receipt.genesis.entry.log:
            raise ReceiptEntryMismatch(
                f"the entry belongs to log {signed.entry.log!r}, the genesis to {receipt.genesis.entry.log!r}", index
            )
        if signed.entry.type in KEY_TYPES:  # checked with the key entries: it must be the one given there
            if all(k.entry_bytes != signed.entry_bytes for k in receipt.key_entries):
                raise ReceiptEntryMismatch(f"key entry {index} is not among the receipt's key entries", index)
            return f"seq {index} is a key entry signed by the root key {keyring.root.id}"
        key = keyring.authorise(signed.entry, index)
        verify_signature(key, signed.entry_bytes, signed.signature, index)
        return f"seq {index} signed by service key {key.id}"

    def checkpoint_note(self) -> str:
        log = self.receipt.genesis.entry.log
        found = CheckpointNote(self.receipt.note_line, self.receipt.note)
        self.checkpoint = open_checkpoint(found, log, self._keyring().checkpoint_keys(), sys.maxsize)
        return f"size {self.checkpoint.size}, signed by {', '.join(self.checkpoint.signers)}"

    def inclusion(self) -> str:
        receipt, checkpoint = self.receipt, self.checkpoint
        assert checkpoint is not None
        leaf = leaf_hash(receipt.entry.entry_bytes)
        try:
            verify_inclusion(receipt.index, checkpoint.size, leaf, receipt.hashes, checkpoint.root)
        except VerificationError as error:
            error.seq = receipt.index
            raise
        return f"leaf {receipt.index} of {checkpoint.size}: {len(receipt.hashes)} proof hashes lead to its root hash"

    def _keyring(self) -> KeyRing:
        assert self.keyring is not None
        return self.keyring


def verify_receipt(data: bytes, trusted_root: bytes) -> ReceiptReport:
    """Check the receipt in `data` against the raw 32-byte `trusted_root` key; never raises for a bad receipt."""
    report = ReceiptReport()
    try:
        report.receipt = read_receipt(data)
    except ReceiptMalformed as error:
        return _failed(report, "R1", error)
    count = 1 + len(report.receipt.key_entries) + (report.receipt.index != 0)
    entries = "1 entry line" if count == 1 else f"{count} entry lines"
    report.checks.append(ReceiptCheck("R1", PASS, f"{TLOG_PROOF_HEADER} with {entries}, index {report.receipt.index}"))
    checks = _ReceiptChecks(report.receipt, trusted_root)
    steps: list[tuple[str, Callable[[], str]]] = [
        ("R2", checks.genesis),
        ("R3", checks.entry),
        ("R4", checks.checkpoint_note),
        ("R5", checks.inclusion),
    ]
    for check_id, step in steps:
        try:
            report.checks.append(ReceiptCheck(check_id, PASS, step()))
        except VerificationError as error:
            report.checkpoint = checks.checkpoint
            return _failed(report, check_id, error)
    report.checkpoint = checks.checkpoint
    return report


def _failed(report: ReceiptReport, check_id: str, error: VerificationError) -> ReceiptReport:
    report.error = error
    report.checks.append(ReceiptCheck(check_id, FAIL, error.message, error.seq))
    later = [check for check in RECEIPT_CHECKS if check > check_id]
    report.checks += [ReceiptCheck(check, NOT_CHECKED, f"not checked: {check_id} did not pass") for check in later]
    return report


# --- reporting --------------------------------------------------------------------------------------------------------


def _entry_json(receipt: Receipt | None) -> dict[str, object] | None:
    if receipt is None:
        return None
    entry = receipt.entry.entry
    return {
        "seq": entry.seq,
        "type": entry.type,
        "cycle": entry.cycle,
        "time": entry.time,
        "hash": entry_hash(receipt.entry.entry_bytes),
    }


def receipt_json(report: ReceiptReport) -> dict[str, object]:
    """The report as the JSON object that `pb-verify receipt --json` prints."""
    checkpoint = None if report.checkpoint is None else {
        "size": report.checkpoint.size, "root": base64.b64encode(report.checkpoint.root).decode()
    }
    return {
        "ok": report.ok,
        "log": None if report.receipt is None else report.receipt.genesis.entry.log,
        "entry": _entry_json(report.receipt),
        "checkpoint": checkpoint,
        "checks": [
            {"id": check.id, "name": check.name, "status": check.status, "detail": check.detail, "seq": check.seq}
            for check in report.checks
        ],
        "error": None if report.error is None else {
            "seq": report.error.seq, "code": report.error.code, "message": report.error.message
        },
    }


def receipt_text(report: ReceiptReport) -> str:
    """The report as a short text for a person at a terminal."""
    summary = receipt_json(report)
    lines = [f"pb-verify receipt: log {summary['log'] or '(unknown)'}"]
    for check in report.checks:
        status = {PASS: "PASS", FAIL: "FAIL", NOT_CHECKED: "NOT-CHECKED"}[check.status]
        lines.append(f"  {check.id} {status:<11} {check.name}: {check.detail}")
    entry = summary["entry"]
    if isinstance(entry, dict):
        cycle = entry["cycle"] or "(log-level)"
        lines.append(f"entry: seq {entry['seq']}, type {entry['type']}, cycle {cycle}, time {entry['time']}")
        lines.append(f"entry hash: {entry['hash']}")
    if report.error is None:
        lines.append("OK: the entry is in the log, as the checkpoint signed by the log's key shows")
    else:
        where = "" if report.error.seq is None else f" seq {report.error.seq}"
        lines.append(f"FAIL [{report.error.code}]{where}: {report.error.message}")
    return "\n".join(lines)
