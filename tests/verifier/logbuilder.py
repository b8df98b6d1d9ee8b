"""A small deterministic writer of pb-ledger exports (docs/log-format.md) for the verifier's tests.

Fixed Ed25519 seeds and a fixed clock, so the same calls always give the same bytes. It uses `cryptography` directly
and its own RFC 8785 serialiser and Merkle hashing: nothing here comes from `verifier` (nor from the service), so the
tests check the verifier against a second reading of the document.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

LOG_ID = "commune-test"
START = datetime(2026, 12, 3, 17, 51, 3, 120000, tzinfo=UTC)
ZERO_HASH = "0" * 64
ENTRY_CONTEXT = b"pb-ledger/entry/v1\n"


def canonical_json(value: object) -> str:
    """RFC 8785 for the values entries hold: objects, arrays, strings, integers, booleans and null (no floats)."""
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(canonical_json(item) for item in value) + "]"
    if isinstance(value, dict):
        names = sorted(value, key=lambda name: name.encode("utf-16-be"))
        return "{" + ",".join(f"{canonical_json(name)}:{canonical_json(value[name])}" for name in names) + "}"
    raise TypeError(f"no canonical JSON for {type(value).__name__}")


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


class Signer:
    """An Ed25519 key from a fixed 32-byte seed."""

    def __init__(self, seed_byte: int) -> None:
        self.private = Ed25519PrivateKey.from_private_bytes(bytes([seed_byte]) * 32)
        self.public = self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.key_id = hashlib.sha256(self.public).hexdigest()[:16]

    def sign(self, message: bytes) -> bytes:
        return self.private.sign(message)

    def public_pem(self) -> bytes:
        return self.private.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)

    def authorisation(
        self, from_seq: int = 1, role: str = "service", until_seq: int | None = None
    ) -> dict[str, object]:
        key: dict[str, object] = {"id": self.key_id, "public": b64(self.public), "role": role, "from_seq": from_seq}
        if until_seq is not None:
            key["until_seq"] = until_seq
        return key


ROOT = Signer(1)
SERVICE = Signer(2)
STRANGER = Signer(3)
SECOND_SERVICE = Signer(4)


@dataclass
class BuiltEntry:
    seq: int
    entry_bytes: bytes
    signature: bytes

    @property
    def hash(self) -> str:
        return hashlib.sha256(self.entry_bytes).hexdigest()

    def line(self) -> bytes:
        return b'{"sig":"' + b64(self.signature).encode() + b'","entry":' + self.entry_bytes + b"}"


def merkle_root(leaves: list[bytes]) -> bytes:
    """RFC 6962 Merkle tree hash, written recursively straight from the definition."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    split = 1 << ((len(leaves) - 1).bit_length() - 1)
    return hashlib.sha256(b"\x01" + merkle_root(leaves[:split]) + merkle_root(leaves[split:])).digest()


def note_key_hash(name: str, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n\x01" + public).digest()[:4]


@dataclass
class LogBuilder:
    """Appends signed entries one by one; `export()` gives the export file's bytes."""

    log_id: str = LOG_ID
    service: Signer = SERVICE
    entries: list[BuiltEntry] = field(default_factory=list)
    checkpoints: list[str] = field(default_factory=list)
    # docs/log-format.md §4: an export ends with a checkpoint over all its entries; the builder adds one when the test
    # did not, unless a test is about its absence
    complete_checkpoint: bool = True

    def genesis(self, keys: list[dict[str, object]] | None = None, root: Signer = ROOT) -> BuiltEntry:
        authorised = keys if keys is not None else [self.service.authorisation()]
        payload = {"root_key": {"id": root.key_id, "public": b64(root.public)}, "keys": authorised}
        return self.append("LogCreated", payload, role="root", signer=root)

    def append(
        self,
        type: str,
        payload: Mapping[str, object],
        cycle: str | None = None,
        role: str = "service",
        ref: str = "",
        signer: Signer | None = None,
    ) -> BuiltEntry:
        signer = signer or self.service
        seq = len(self.entries)
        entry = {
            "v": 1,
            "log": self.log_id,
            "seq": seq,
            "prev": self.entries[-1].hash if self.entries else ZERO_HASH,
            "type": type,
            "cycle": cycle,
            "time": (START + timedelta(seconds=seq)).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "actor": {"role": role, "ref": ref},
            "key": signer.key_id,
            "payload": payload,
        }
        entry_bytes = canonical_json(entry).encode("utf-8")
        built = BuiltEntry(seq, entry_bytes, signer.sign(ENTRY_CONTEXT + entry_bytes))
        self.entries.append(built)
        return built

    def checkpoint(self, size: int | None = None, signer: Signer | None = None, origin: str | None = None) -> str:
        """Add a checkpoint line over the first `size` entries (default: all so far)."""
        size = len(self.entries) if size is None else size
        signer = signer or self.service
        name = self.log_id
        root = merkle_root([entry.entry_bytes for entry in self.entries[:size]])
        text = f"{origin or name}\n{size}\n{b64(root)}\n"
        signature = note_key_hash(name, signer.public) + signer.sign(text.encode())
        note = f"{text}\n\u2014 {name} {b64(signature)}\n"
        self.checkpoints.append(note)
        return note

    def lines(self, declared_entries: int | None = None) -> list[bytes]:
        """The export's lines without their line feeds: header, entries, checkpoints."""
        count = len(self.entries) if declared_entries is None else declared_entries
        header = json.dumps(
            {"format": "pb-ledger-export/v1", "log": self.log_id, "entries": count}, separators=(",", ":")
        )
        notes = list(self.checkpoints)
        if self.complete_checkpoint and not any(n.split("\n")[1] == str(len(self.entries)) for n in notes):
            notes.append(self.checkpoint())
            self.checkpoints.pop()
        checkpoint_lines = [
            json.dumps({"checkpoint": note}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            for note in notes
        ]
        return [header.encode("utf-8")] + [entry.line() for entry in self.entries] + checkpoint_lines

    def export(self, declared_entries: int | None = None) -> bytes:
        return join_lines(self.lines(declared_entries))

    def write(self, path: Path, declared_entries: int | None = None) -> Path:
        path.write_bytes(self.export(declared_entries))
        return path


def join_lines(lines: list[bytes]) -> bytes:
    return b"".join(line + b"\n" for line in lines)


def rules(vote_type: str = "approval", **overrides: object) -> dict[str, object]:
    """A complete RulesFixed payload: approval of 1 to 3 projects, greedy, ties to the lower cost."""
    payload: dict[str, object] = {
        "vote_type": vote_type,
        "min_length": 1,
        "max_length": 3,
        "max_sum_cost": None,
        "max_points": None,
        "min_sum_points": None,
        "max_sum_points": None,
        "rule": "greedy",
        "threshold": None,
        "tie_break": "lower-cost",
    }
    payload.update(overrides)
    return payload


def ballot(*vote: str, points: list[int] | None = None, channel: str = "online") -> dict[str, object]:
    payload: dict[str, object] = {"channel": channel, "vote": list(vote)}
    if points is not None:
        payload["points"] = points
    return payload


# The standard cycle, counted by hand (log-format §5.2, approval, greedy, ties to the lower cost, budget 1000):
# scores p1 4, p2 3, p3 3, p4 2, p5 2; order p1, p2 (300 < 500), p3, p5 (100 < 200), p4;
# p1 (400, left 600), p2 (300, left 300), p3 (500) does not fit, p5 (100, left 200), p4 (200, left 0).
STANDARD_CYCLE = "2026"
STANDARD_COSTS = {"p1": 400, "p2": 300, "p3": 500, "p4": 200, "p5": 100}
STANDARD_BALLOTS = [
    ("p1", "p2"),
    ("p1", "p3"),
    ("p1", "p4"),
    ("p2", "p3"),
    ("p2",),
    ("p3", "p5"),
    ("p1",),
    ("p4", "p5"),
]
STANDARD_WINNERS = ["p1", "p2", "p5", "p4"]
STANDARD_SCORES = {"p1": 4, "p2": 3, "p3": 3, "p4": 2, "p5": 2}


@dataclass
class CycleSeqs:
    """Where the interesting entries of a built cycle are."""

    created: int = -1
    rules: int = -1
    opened: int = -1
    ballots: list[int] = field(default_factory=list)
    closed: int = -1
    announced: int = -1


def add_cycle(
    builder: LogBuilder,
    cycle: str = STANDARD_CYCLE,
    costs: dict[str, int] | None = None,
    vote_rules: dict[str, object] | None = None,
    ballots: list[dict[str, object]] | None = None,
    budget: int = 1000,
    winners: list[str] | None = None,
    scores: dict[str, int] | None = None,
    announce: bool = True,
    title: str = "Budget participatif 2026",
    register: list[str] | None = None,
    opened: dict[str, object] | None = None,
    announced: dict[str, object] | None = None,
) -> CycleSeqs:
    """Append a whole cycle. Without arguments it is the standard cycle, with its hand-counted results.

    `opened` and `announced` add members to the `VotingOpened` and `ResultsAnnounced` payloads."""
    costs = STANDARD_COSTS if costs is None else costs
    ballots = [ballot(*vote) for vote in STANDARD_BALLOTS] if ballots is None else ballots
    seqs = CycleSeqs()
    budget_payload = {"amount": budget, "currency": "MAD", "exponent": 2}
    seqs.created = builder.append(
        "CycleCreated", {"title": title, "budget": budget_payload, "source": None}, cycle, role="pb-team"
    ).seq
    seqs.rules = builder.append("RulesFixed", vote_rules or rules(), cycle, role="pb-team").seq
    if register is not None:
        builder.append("VoterRegisterPublished", {"count": len(register), "districts": {}, "refused_lines": 0},
                       cycle, role="pb-team")
        builder.append("BallotTokensPublished", {"tokens": register}, cycle, role="pb-team")
    for number, (project, cost) in enumerate(costs.items()):
        idea = f"idea-{number}"
        builder.append(
            "IdeaSubmitted",
            {
                "idea": idea,
                "title": f"Idée {project}",
                "description": "…",
                "channel": "online",
                "district": None,
                "category": None,
                "estimated_cost": cost,
            },
            cycle,
            role="citizen",
            ref=f"r{number}",
        )
        builder.append(
            "IdeaAccepted",
            {"idea": idea, "project": project, "cost": cost, "reason": "feasible"},
            cycle,
            role="committee",
        )
    builder.append(
        "IdeaRejected",
        {"idea": "idea-x", "reason": "outside the commune's competence", "criterion": "competence"},
        cycle,
        role="committee",
    )
    seqs.opened = builder.append("VotingOpened", {"projects": list(costs), **(opened or {})}, cycle,
                                 role="pb-team").seq
    for payload in ballots:
        seqs.ballots.append(builder.append("BallotCast", payload, cycle, role="voter").seq)
    closed = builder.append("VotingClosed", {"ballots": len(ballots)}, cycle, role="pb-team")
    seqs.closed = closed.seq
    if announce:
        winners = STANDARD_WINNERS if winners is None else winners
        scores = STANDARD_SCORES if scores is None else scores
        announcement = {
            "rule": str((vote_rules or rules())["rule"]),
            "winners": winners,
            "scores": scores,
            "spent": sum(costs[project] for project in winners),
            "closing_entry": closed.hash,
            **(announced or {}),
        }
        seqs.announced = builder.append("ResultsAnnounced", announcement, cycle, role="pb-team").seq
    return seqs


def standard_log() -> tuple[LogBuilder, CycleSeqs]:
    """Genesis, the standard cycle, a checkpoint after the vote closed and one over the whole log."""
    builder = LogBuilder()
    builder.genesis()
    seqs = add_cycle(builder)
    builder.checkpoint(size=seqs.closed + 1)
    builder.checkpoint()
    return builder, seqs
