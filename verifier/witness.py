"""`pb-verify witness`: an independent observer keeps the last checkpoint it has seen of a pb-ledger log, checks that
every new checkpoint is consistent with it, and cosigns it (log-format §14; c2sp.org/tlog-witness in spirit,
c2sp.org/tlog-cosignature `cosignature/v1` to the letter).

Checks, in order, each stopping the run when it fails:
- W1 the key history (the genesis and the key entries, log-format §3.1) is signed by the trusted root key;
- W2 the new checkpoint is signed by a key of the log that may sign a checkpoint of its size (§7);
- W3 it is consistent with the checkpoint the witness holds: the same root at the same size, or an RFC 9162
  consistency proof from the held size to the new one; a smaller size, another root at the same size or a proof that
  fails is a **split view**: the witness refuses to cosign and writes both signed checkpoints as evidence.

When all pass, the witness records the new checkpoint in its state file (atomically, under a lock, before it answers)
and prints its cosignature line. It reads the checkpoint, the key history and the proof from files, or fetches them
from a running service with `urllib` (`--url`) and posts its cosignature back.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import fcntl
import hashlib
import io
import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from verifier.checkpoints import Checkpoint, CheckpointNote, open_checkpoint
from verifier.encoding import decode_base64
from verifier.entry import ZERO_HASH, parse_entry
from verifier.errors import ConsistencyProofInvalid, ExportMalformed, GenesisInvalid, VerificationError
from verifier.export import entry_bytes_of, export_lines, is_checkpoint_line, signature_of
from verifier.keys import KEY_TYPES, KeyRing, ed25519_verifies, verify_signature
from verifier.merkle import verify_consistency
from verifier.signed_note import is_key_name, split_note
from verifier.trusted_root import KeyFileError, load_root_key

COSIGNATURE_KEY_TYPE = b"\x04"
COSIGNATURE_HEADER = "cosignature/v1"
STATE_FORMAT = "pb-witness-state/v1"
EVIDENCE_FORMAT = "pb-witness-split-view/v1"
EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2
PASS, FAIL, NOT_CHECKED = "pass", "fail", "not-checked"
WITNESS_CHECKS = {
    "W1": "key history signed by the trusted root key",
    "W2": "checkpoint signed by a key of the log",
    "W3": "consistent with the checkpoint the witness holds",
}
VKEY = re.compile(r"([^+\s]+)\+([0-9a-f]{8})\+(\S+)")
API_PREFIX = "/api/v1/logs/"


class SplitView(VerificationError):
    """The log showed this witness two checkpoints that cannot both be views of one append-only log."""

    code = "split-view"
    check = "W3"

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind  # "rollback", "different-root" or "inconsistent"


class WitnessUsageError(Exception):
    """What the witness was given cannot be used (a missing proof, an unreadable file, a service that does not
    answer): nothing was judged, nothing is cosigned."""


# --- cosignatures (c2sp.org/tlog-cosignature, Ed25519) -----------------------------------------------------------


def cosignature_key_hash(name: str, public: bytes) -> bytes:
    """SHA-256(name || 0x0A || 0x04 || 32-byte public key)[:4]."""
    return hashlib.sha256(name.encode("utf-8") + b"\n" + COSIGNATURE_KEY_TYPE + public).digest()[:4]


def verifier_key(name: str, public: bytes) -> str:
    """The witness's verifier key: `<name>+<key hash hex>+<base64(0x04 || public key)>`."""
    encoded = base64.b64encode(COSIGNATURE_KEY_TYPE + public).decode("ascii")
    return f"{name}+{cosignature_key_hash(name, public).hex()}+{encoded}"


def parse_verifier_key(vkey: str) -> tuple[str, bytes]:
    """(name, raw public key) of a witness verifier key; raises ValueError."""
    found = VKEY.fullmatch(vkey.strip())
    raw = None if found is None else decode_base64(found.group(3))
    if found is None or raw is None or raw[:1] != COSIGNATURE_KEY_TYPE or len(raw) != 33:
        raise ValueError(f"{vkey!r} is not a witness verifier key (name+hash+base64(0x04 || 32-byte key))")
    name, public = found.group(1), raw[1:]
    if cosignature_key_hash(name, public).hex() != found.group(2):
        raise ValueError(f"the key hash of {vkey!r} does not match its name and key")
    return name, public


def cosigned_message(note_text: str, timestamp: int) -> bytes:
    """`cosignature/v1`, `time <timestamp>`, then the checkpoint's text (its lines before the blank line)."""
    return f"{COSIGNATURE_HEADER}\ntime {timestamp}\n{note_text}".encode()


def cosign(name: str, private: Ed25519PrivateKey, note_text: str, timestamp: int) -> str:
    """The cosignature line `— <name> base64(key hash || u64 timestamp || signature)` of a checkpoint text."""
    public = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    signature = private.sign(cosigned_message(note_text, timestamp))
    blob = cosignature_key_hash(name, public) + timestamp.to_bytes(8, "big") + signature
    return f"\u2014 {name} {base64.b64encode(blob).decode('ascii')}"


def verify_cosignature(note: str, name: str, public: bytes) -> int:
    """The timestamp of the cosignature by witness (`name`, `public`) on `note`; raises VerificationError when the
    note carries none by that key or it does not verify."""
    text, signatures = split_note(note)
    wanted = cosignature_key_hash(name, public)
    for signature in signatures:
        if signature.name == name and signature.key_hash == wanted:
            blob = signature.signature
            if len(blob) != 72:
                raise VerificationError(f"the cosignature by {name} is not a timestamp and an Ed25519 signature")
            timestamp = int.from_bytes(blob[:8], "big")
            if not ed25519_verifies(Ed25519PublicKey.from_public_bytes(public), cosigned_message(text, timestamp),
                                    blob[8:]):
                raise VerificationError(f"the cosignature by {name} does not verify")
            return timestamp
    raise VerificationError(f"the note carries no cosignature by {name}+{wanted.hex()}")


# --- the witness's state ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Held:
    """The last checkpoint the witness cosigned for a log."""

    size: int
    root: bytes
    note: str

    def json(self) -> dict[str, object]:
        return {"size": self.size, "root": base64.b64encode(self.root).decode(), "note": self.note}


class WitnessState:
    """The state file: per log, the last checkpoint cosigned. Read and replaced under an exclusive lock, so two runs
    of the witness can never roll each other back (c2sp.org/tlog-witness: check and record atomically)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @contextlib.contextmanager
    def locked(self) -> Iterator[dict[str, object]]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.path.with_name(self.path.name + ".lock")
        with open(lock_path, "a", encoding="utf-8") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield self._read()

    def _read(self) -> dict[str, object]:
        if not self.path.exists():
            return {"format": STATE_FORMAT, "logs": {}}
        try:
            state = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise WitnessUsageError(f"the state file {self.path} is unreadable: {error}") from None
        if not isinstance(state, dict) or state.get("format") != STATE_FORMAT \
                or not isinstance(state.get("logs"), dict):
            raise WitnessUsageError(f"{self.path} is not a pb-verify witness state file ({STATE_FORMAT})")
        return state

    def write(self, state: dict[str, object]) -> None:
        """Replace the state file atomically (write, flush to disk, rename)."""
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(state, f, indent=2, ensure_ascii=False)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)


def held_of(state: dict[str, object], log: str) -> Held | None:
    logs = state["logs"]
    assert isinstance(logs, dict)
    found = logs.get(log)
    if found is None:
        return None
    root = decode_base64(str(found.get("root", "")))
    if root is None or not isinstance(found.get("size"), int):
        raise WitnessUsageError(f"the state of log {log!r} in the state file is damaged")
    return Held(int(found["size"]), root, str(found.get("note", "")))


# --- checking a new checkpoint ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsistencyInput:
    """A consistency proof as `pb-ledger proof consistency` and the API give it (the roots in it are not trusted)."""

    old_size: int
    new_size: int
    hashes: list[bytes]

    @classmethod
    def from_json(cls, data: bytes, source: str) -> ConsistencyInput:
        try:
            value = json.loads(data)
            hashes = [decode_base64(h) for h in value["proof"]]
            old_size, new_size = value["old_size"], value["new_size"]
        except (ValueError, KeyError, TypeError) as error:
            raise WitnessUsageError(
                f"{source} is not a consistency proof (old_size, new_size, proof): {error}") from None
        if any(h is None for h in hashes) or not isinstance(old_size, int) or not isinstance(new_size, int):
            raise WitnessUsageError(f"{source}: the proof hashes are not canonical base64, or a size is not a number")
        return cls(old_size, new_size, [h for h in hashes if h is not None])


@dataclass
class WitnessReport:
    """What one run of the witness found."""

    witness: str
    log: str | None = None
    checks: list[tuple[str, str, str]] = field(default_factory=list)  # (id, status, detail)
    checkpoint: Checkpoint | None = None
    held: Held | None = None
    cosignature: str | None = None
    error: VerificationError | None = None
    evidence: Path | None = None
    submitted: str | None = None

    @property
    def ok(self) -> bool:
        return self.cosignature is not None


def keyring_from_history(data: bytes, trusted_root: bytes) -> tuple[str, KeyRing, int]:
    """(log id, keys, number of key entries) from the genesis and key entry lines of `data` (the key history, or a
    whole export: other lines are skipped), each key entry signed by the root key and valid under §3.1."""
    keyring: KeyRing | None = None
    log, previous, key_entries = "", 0, 0
    try:
        for line in export_lines(io.BytesIO(data)):
            if not line.text.startswith(b'{"sig":') or is_checkpoint_line(line):
                continue  # an export's header and checkpoint lines
            entry_bytes = entry_bytes_of(line, previous)
            entry = parse_entry(entry_bytes, previous)
            signature = signature_of(line, entry.seq)
            if keyring is None:
                if entry.seq != 0 or entry.prev != ZERO_HASH:
                    raise GenesisInvalid("the key history does not start with the genesis entry", entry.seq)
                keyring, log = KeyRing.from_genesis(entry, entry_bytes, signature, trusted_root), entry.log
            elif entry.type in KEY_TYPES:
                if entry.log != log or entry.seq <= previous:
                    raise GenesisInvalid("the key entries must be of the genesis's log, in increasing seq", entry.seq)
                verify_signature(keyring.authorise(entry, entry.seq), entry_bytes, signature, entry.seq)
                previous, key_entries = entry.seq, key_entries + 1
    except ExportMalformed as error:
        raise WitnessUsageError(f"the key history is not made of export entry lines: {error.message}") from None
    if keyring is None:
        raise WitnessUsageError("the key history holds no genesis entry")
    return log, keyring, key_entries


def judge(note: str, history: bytes, trusted_root: bytes, held_state: dict[str, object],
          proof: ConsistencyInput | None, report: WitnessReport) -> Checkpoint:
    """W1 to W3 for checkpoint `note`; raises the first VerificationError (a SplitView for W3)."""
    step = "W1"
    try:
        log, keyring, key_entries = keyring_from_history(history, trusted_root)
        report.log = log
        report.checks.append(("W1", PASS, f"log {log}: genesis under root key {keyring.root.id}, "
                                         f"{key_entries} key entries"))
        step = "W2"
        checkpoint = open_checkpoint(CheckpointNote(0, note), log, keyring.checkpoint_keys(), sys.maxsize)
        report.checkpoint = checkpoint
        report.checks.append(("W2", PASS, f"size {checkpoint.size}, signed by {', '.join(checkpoint.signers)}"))
        step = "W3"
        report.held = held_of(held_state, log)
        report.checks.append(("W3", PASS, _consistent(report.held, checkpoint, proof, note)))
        return checkpoint
    except VerificationError as error:
        report.checks.append((step, FAIL, error.message))
        later = [check for check in WITNESS_CHECKS if check > step]
        report.checks += [(check, NOT_CHECKED, f"not checked: {step} did not pass") for check in later]
        raise


def _consistent(held: Held | None, new: Checkpoint, proof: ConsistencyInput | None, note: str) -> str:
    if held is None:
        return "the first checkpoint this witness sees of the log: nothing to compare it with"
    old_root, new_root = _b64(held.root), _b64(new.root)
    if new.size < held.size:
        raise SplitView(f"the log shows size {new.size} after it showed this witness size {held.size}: a log never "
                        "shrinks", "rollback")
    if new.size == held.size:
        if new.root != held.root:
            raise SplitView(f"two checkpoints of size {new.size} with different roots ({old_root} held, "
                            f"{new_root} new)", "different-root")
        return f"the same tree as the held checkpoint (size {new.size}, root {new_root})"
    if proof is None:
        raise WitnessUsageError(f"a consistency proof from size {held.size} to {new.size} is needed (--proof)")
    if (proof.old_size, proof.new_size) != (held.size, new.size):
        raise WitnessUsageError(f"the proof is from size {proof.old_size} to {proof.new_size}; the witness holds size "
                                f"{held.size} and the checkpoint has size {new.size}")
    try:
        verify_consistency(held.size, new.size, held.root, new.root, proof.hashes)
    except ConsistencyProofInvalid as error:
        raise SplitView(f"the checkpoint of size {new.size} is not consistent with the held one of size "
                        f"{held.size}: {error.message}", "inconsistent") from None
    return f"{len(proof.hashes)} proof hashes show size {held.size} ({old_root}) is a prefix of size {new.size}"


def witness(name: str, private: Ed25519PrivateKey, state: WitnessState, note: str, history: bytes,
            trusted_root: bytes, proof: ConsistencyInput | None, evidence: Path | None = None,
            timestamp: int | None = None) -> WitnessReport:
    """Judge `note` against the state and, when it is consistent, record it and cosign it; on a split view, write
    the evidence (both signed checkpoints) and cosign nothing. Raises WitnessUsageError only."""
    report = WitnessReport(name)
    with state.locked() as held_state:
        try:
            checkpoint = judge(note, history, trusted_root, held_state, proof, report)
        except SplitView as error:
            report.error = error
            report.evidence = _write_evidence(evidence or _evidence_path(state.path, report), report, note, proof)
            return report
        except VerificationError as error:
            report.error = error
            return report
        assert report.log is not None
        text = note[: note.index("\n\n") + 1]
        logs = held_state["logs"]
        assert isinstance(logs, dict)
        logs[report.log] = {**Held(checkpoint.size, checkpoint.root, note).json(), "witnessed_at": int(time.time())}
        state.write(held_state)  # recorded before the cosignature is given out
        report.cosignature = cosign(name, private, text, int(time.time()) if timestamp is None else timestamp)
    return report


def _evidence_path(state_path: Path, report: WitnessReport) -> Path:
    log = (report.log or "log").replace("/", "_")
    return state_path.with_name(f"split-view-{log}-{int(time.time())}.json")


def _write_evidence(path: Path, report: WitnessReport, note: str, proof: ConsistencyInput | None) -> Path:
    error = report.error
    assert isinstance(error, SplitView) and report.held is not None and report.checkpoint is not None
    evidence = {
        "format": EVIDENCE_FORMAT,
        "log": report.log,
        "witness": report.witness,
        "kind": error.kind,
        "detail": error.message,
        "observed_at": int(time.time()),
        "held": report.held.json(),
        "new": {"size": report.checkpoint.size, "root": _b64(report.checkpoint.root), "note": note},
        "proof": None if proof is None else {"old_size": proof.old_size, "new_size": proof.new_size,
                                             "proof": [_b64(h) for h in proof.hashes]},
    }
    path.write_text(json.dumps(evidence, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


# --- a running service (standard library urllib only) ----------------------------------------------------------------


class Service:
    """The API of a running pb-ledger service: `<base>/api/v1/logs/<log>/…`."""

    def __init__(self, url: str, log: str | None, timeout: float = 30) -> None:
        """`url` is the service's address (`https://HOST`, the log then given or asked of `/healthz`) or its log's
        API address (`https://HOST/api/v1/logs/LOG`, as `pb-verify --url` takes it)."""
        self.timeout = timeout
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise WitnessUsageError(f"{url!r} is not an http:// or https:// URL")
        base, marker, named = url.rstrip("/").partition(API_PREFIX)
        self.base = base
        if marker and named:
            named = urllib.parse.unquote(named)
            if log is not None and log != named:
                raise WitnessUsageError(f"--url names log {named!r} and --log {log!r}")
            log = named
        self.log = log or str(json.loads(self._get(f"{self.base}/healthz"))["log"])

    def url(self, path: str) -> str:
        return f"{self.base}{API_PREFIX}{urllib.parse.quote(self.log, safe='')}{path}"

    def _get(self, url: str) -> bytes:
        return self._send(urllib.request.Request(url, headers={"Accept": "*/*"}))

    def _send(self, request: urllib.request.Request) -> bytes:
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - http(s) only
                return bytes(response.read())
        except urllib.error.HTTPError as error:
            raise WitnessUsageError(f"{request.full_url}: HTTP {error.code} {_error_text(error)}") from None
        except (urllib.error.URLError, OSError) as error:
            raise WitnessUsageError(f"{request.full_url}: {getattr(error, 'reason', error)}") from None

    def checkpoint(self) -> str:
        return self._get(self.url("/checkpoint")).decode("utf-8")

    def key_history(self) -> bytes:
        return self._get(self.url("/keys"))

    def consistency(self, old_size: int, new_size: int) -> ConsistencyInput:
        query = urllib.parse.urlencode({"from": old_size, "to": new_size})
        url = self.url(f"/proofs/consistency?{query}")
        return ConsistencyInput.from_json(self._get(url), url)

    def submit(self, size: int, line: str) -> str:
        body = json.dumps({"cosignature": line}).encode()
        request = urllib.request.Request(self.url(f"/checkpoints/{size}/cosignatures"), data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        published = json.loads(self._send(request))
        return ", ".join(published.get("cosigned_by", []))


def _error_text(error: urllib.error.HTTPError) -> str:
    try:
        body = json.loads(error.read())["error"]
        return f"[{body['code']}] {body['detail']}"
    except (ValueError, KeyError, TypeError):
        return str(error.reason)


# --- the command line ------------------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pb-verify witness",
        description="Witness a pb-ledger log: check that each new checkpoint is consistent with the last one this "
        "witness cosigned, and cosign it (c2sp.org/tlog-cosignature v1). A split view is refused and its evidence "
        "written.",
        epilog="Exit status: 0 cosigned, 1 refused (split view or a checkpoint that does not verify), 2 usage error.",
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    init = actions.add_parser("init", help="create the witness's Ed25519 key and print its verifier key")
    init.add_argument("--name", required=True, help="the witness's name, a schema-less URL: witness.example.org/w1")
    init.add_argument("--key-out", type=Path, required=True, metavar="FILE", help="where to write the private key")
    cosign_ = actions.add_parser("cosign", help="check a new checkpoint against the held one and cosign it")
    cosign_.add_argument("--name", required=True, help="the witness's name, as given to init")
    cosign_.add_argument("--key", type=Path, required=True, metavar="FILE", help="the witness's private key file")
    cosign_.add_argument("--state", type=Path, required=True, metavar="FILE",
                         help="the state file: the last checkpoint cosigned, per log (created on first use)")
    cosign_.add_argument("--root-key", type=Path, required=True, metavar="KEYFILE",
                         help="the log's root public key, obtained out of band")
    source = cosign_.add_mutually_exclusive_group(required=True)
    source.add_argument("--url", help="a running service's address (https://HOST, or https://HOST/api/v1/logs/LOG); "
                        "fetches the checkpoint, key history and proof, and posts the cosignature back")
    source.add_argument("--checkpoint", type=Path, metavar="FILE", help="the new checkpoint (a signed note)")
    cosign_.add_argument("--log", help="with --url: the log id (default: the one the service holds)")
    cosign_.add_argument("--keys", type=Path, metavar="FILE",
                         help="with --checkpoint: the key history (pb-ledger keys history) or an export file")
    cosign_.add_argument("--proof", type=Path, metavar="FILE", help="with --checkpoint: the consistency proof from "
                         "the held size (pb-ledger proof consistency --from HELD --to NEW)")
    cosign_.add_argument("--no-submit", action="store_true", help="with --url: do not post the cosignature")
    cosign_.add_argument("--cosignature-out", type=Path, metavar="FILE", help="also write the cosignature line here")
    cosign_.add_argument("--evidence", type=Path, metavar="FILE", help="where to write a split view's evidence "
                         "(default: beside the state file)")
    cosign_.add_argument("--json", action="store_true", help="print one JSON object instead of the text report")
    return parser


def main(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(list(argv))
    try:
        if args.action == "init":
            return _init(args)
        return _cosign(args)
    except (WitnessUsageError, KeyFileError) as error:
        print(f"pb-verify witness: error: {error}", file=sys.stderr)
        return EXIT_USAGE


def _init(args: argparse.Namespace) -> int:
    if not is_key_name(args.name):
        raise WitnessUsageError(f"{args.name!r} is not a key name: no spaces and no '+'")
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    try:
        fd = os.open(args.key_out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise WitnessUsageError(f"{args.key_out} exists: a witness keeps its key; choose another file") from None
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    print(verifier_key(args.name, public))
    return EXIT_OK


def load_witness_key(path: Path) -> Ed25519PrivateKey:
    try:
        if path.stat().st_mode & 0o077:
            raise WitnessUsageError(f"{path} is readable by others; run: chmod 600 {path}")
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as error:
        raise WitnessUsageError(f"cannot read the witness key {path}: {error}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise WitnessUsageError(f"{path} is not an Ed25519 private key")
    return key


def _read(path: Path | None, what: str) -> bytes:
    if path is None:
        raise WitnessUsageError(f"{what} is needed")
    try:
        return path.read_bytes()
    except OSError as error:
        raise WitnessUsageError(f"cannot read {path}: {error.strerror or error}") from None


def _cosign(args: argparse.Namespace) -> int:
    private, root = load_witness_key(args.key), load_root_key(args.root_key)
    state = WitnessState(args.state)
    service = None
    if args.url:
        service = Service(args.url, args.log)
        note, history = service.checkpoint(), service.key_history()
        proof = _fetched_proof(service, state, note)
    else:
        note = _read(args.checkpoint, "--checkpoint").decode("utf-8")
        history = _read(args.keys, "--keys (the key history: pb-ledger keys history, or an export)")
        proof = None if args.proof is None else ConsistencyInput.from_json(_read(args.proof, "--proof"),
                                                                         str(args.proof))
    report = witness(args.name, private, state, note, history, root, proof, args.evidence)
    if report.cosignature is not None:
        if args.cosignature_out is not None:
            args.cosignature_out.write_text(report.cosignature + "\n", encoding="utf-8")
        if service is not None and not args.no_submit and report.checkpoint is not None:
            report.submitted = service.submit(report.checkpoint.size, report.cosignature)
    print(json.dumps(report_json(report)) if args.json else report_text(report))
    return EXIT_OK if report.ok else EXIT_REFUSED


def _fetched_proof(service: Service, state: WitnessState, note: str) -> ConsistencyInput | None:
    """The consistency proof from the held size to the new checkpoint's, when both are known and differ."""
    with state.locked() as held_state:
        held = held_of(held_state, service.log)
    lines = note.split("\n")
    size = int(lines[1]) if len(lines) > 2 and lines[1].isdigit() else None
    if held is None or size is None or size <= held.size:
        return None
    return service.consistency(held.size, size)


# --- reports ----------------------------------------------------------------------------------------------------------


def report_json(report: WitnessReport) -> dict[str, object]:
    checkpoint = None if report.checkpoint is None else {"size": report.checkpoint.size,
                                                         "root": _b64(report.checkpoint.root)}
    error = report.error
    return {
        "ok": report.ok,
        "witness": report.witness,
        "log": report.log,
        "checkpoint": checkpoint,
        "held": None if report.held is None else {"size": report.held.size, "root": _b64(report.held.root)},
        "checks": [{"id": i, "name": WITNESS_CHECKS[i], "status": s, "detail": d} for i, s, d in report.checks],
        "cosignature": report.cosignature,
        "submitted": report.submitted,
        "error": None if error is None else {"code": error.code, "message": error.message,
                                             "kind": getattr(error, "kind", None)},
        "evidence": None if report.evidence is None else str(report.evidence),
    }


def report_text(report: WitnessReport) -> str:
    lines = [f"pb-verify witness {report.witness}: log {report.log or '(unknown)'}"]
    for check, status, detail in report.checks:
        word = {PASS: "PASS", FAIL: "FAIL", NOT_CHECKED: "NOT-CHECKED"}[status]
        lines.append(f"  {check} {word:<11} {WITNESS_CHECKS[check]}: {detail}")
    error = report.error
    if isinstance(error, SplitView):
        assert report.held is not None and report.checkpoint is not None
        lines.append(f"SPLIT VIEW [{error.code}/{error.kind}]: {error.message}")
        lines.append(f"  held: size {report.held.size}, root {_b64(report.held.root)}")
        lines.append(f"  new:  size {report.checkpoint.size}, root {_b64(report.checkpoint.root)}")
        lines.append(f"  evidence (both signed checkpoints): {report.evidence}")
        lines.append("NOT COSIGNED")
    elif error is not None:
        lines.append(f"REFUSED [{error.code}]: {error.message}")
        lines.append("NOT COSIGNED")
    else:
        assert report.checkpoint is not None and report.cosignature is not None
        lines.append(f"COSIGNED checkpoint of size {report.checkpoint.size}")
        if report.submitted is not None:
            lines.append(f"  published by the service, cosigned by: {report.submitted}")
        lines.append(report.cosignature)
    return "\n".join(lines)
