"""What can be wrong with a pb-ledger export: one exception per kind of fault, each saying where and why.

Verification functions raise these; they never return a bool for validity. Every error carries the `seq` of the entry
it was found at (or None when it concerns the export as a whole or a checkpoint), a stable `code`, a human `message`,
and the id of the check (V1 … V7) that it fails.
"""

from __future__ import annotations

from typing import ClassVar


class VerificationError(Exception):
    """The export does not verify. Base class of every verification failure."""

    code: ClassVar[str] = "verification-failed"
    check: ClassVar[str] = ""

    def __init__(self, message: str, seq: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.seq = seq

    def __str__(self) -> str:
        where = "" if self.seq is None else f"seq {self.seq}: "
        return f"{where}{self.message}"


class ExportMalformed(VerificationError):
    """A line of the export is not in the shape of log-format §4 or an entry is not in the shape of §2."""

    code = "export-malformed"
    check = "V1"


class EntryCountMismatch(ExportMalformed):
    """The header's `entries` differs from the number of entry lines."""

    code = "entry-count-mismatch"


class SequenceGap(VerificationError):
    """An entry's `seq` is not its position: an entry is missing, repeated or out of order."""

    code = "sequence-gap"
    check = "V2"


class LogMismatch(VerificationError):
    """An entry names another log than the export's header."""

    code = "log-mismatch"
    check = "V2"


class ChainBroken(VerificationError):
    """An entry's `prev` is not the hash of the entry before it."""

    code = "chain-broken"
    check = "V3"


class BadSignature(VerificationError):
    """An entry's signature does not verify under the key that it names."""

    code = "bad-signature"
    check = "V4"


class UnknownKey(VerificationError):
    """An entry is signed by a key that the log never authorised."""

    code = "unknown-key"
    check = "V4"


class UnauthorisedKey(VerificationError):
    """An entry is signed by a key the log knows, but which may not sign at that position (role, from/until seq)."""

    code = "unauthorised-key"
    check = "V4"


class RootKeyMismatch(VerificationError):
    """The genesis root key is not the trusted root key that the auditor passed in."""

    code = "root-key-mismatch"
    check = "V4"


class GenesisInvalid(VerificationError):
    """Entry 0 is not a well-formed `LogCreated` signed by its own root key, or `LogCreated` appears later."""

    code = "genesis-invalid"
    check = "V4"


class RulesViolation(VerificationError):
    """A cycle event is malformed or out of order (rules after voting opened, a ballot outside voting, …)."""

    code = "rules-violation"
    check = "V5"


class InvalidBallot(VerificationError):
    """A `BallotCast` breaks the vote rules in force (log-format §5.1)."""

    code = "invalid-ballot"
    check = "V5"


class TallyMismatch(VerificationError):
    """The recount (log-format §5.2) differs from what the log announced."""

    code = "tally-mismatch"
    check = "V6"


class CheckpointInvalid(VerificationError):
    """A checkpoint is malformed, not signed by an authorised key, or does not commit to the exported entries."""

    code = "checkpoint-invalid"
    check = "V7"


class NoteInvalid(CheckpointInvalid):
    """A signed note is malformed or does not verify (c2sp.org/signed-note)."""

    code = "note-invalid"


class ProofInvalid(VerificationError):
    """A Merkle proof (RFC 9162 §2.1.3, §2.1.4) is malformed or does not lead to the root hash it is checked against."""

    code = "proof-invalid"


class InclusionProofInvalid(ProofInvalid):
    """An inclusion proof: index not below the size, wrong number of hashes, a hash not 32 bytes, or the wrong root."""

    code = "inclusion-proof-invalid"


class ConsistencyProofInvalid(ProofInvalid):
    """A consistency proof: sizes out of order or zero, wrong number of hashes, or roots it does not lead to."""

    code = "consistency-proof-invalid"


class ReceiptMalformed(VerificationError):
    """A receipt (log-format §12) is not in the shape of a c2sp.org/tlog-proof carrying pb-ledger entry lines."""

    code = "receipt-malformed"
    check = "R1"


class ReceiptEntryMismatch(VerificationError):
    """The entry in a receipt is not the one the receipt claims: another position, another log."""

    code = "receipt-entry-mismatch"
    check = "R3"
