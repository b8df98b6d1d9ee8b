"""The transparency layer over HTTP (docs/log-format.md §7, §10 to §14): checkpoints as signed notes with their
cosignatures, inclusion and consistency proofs, receipts, the key history a witness checks signatures with, and the
witnesses' cosignatures. Checkpoint notes, receipts and the key history are served as text, as a witness or
`pb-verify` reads them; who may call each route: authz.MATRIX."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import TypeVar

from fastapi import FastAPI, Query, Response

from pb_ledger.domain.errors import DomainError
from pb_ledger.ledger.merkle import ProofRangeError
from pb_ledger.services.transparency import PublishedCheckpoint, TransparencyService
from pb_ledger.web.authz import LOG
from pb_ledger.web.schemas import (
    CheckpointPublic,
    CheckpointSummary,
    ConsistencyProofPublic,
    CosignatureSubmission,
    InclusionProofPublic,
    WitnessPublic,
)

NOTE_MEDIA_TYPE = "text/plain; charset=utf-8"
TAGS = ["transparency"]
T = TypeVar("T")


def install_transparency_routes(app: FastAPI, transparency: TransparencyService, check_log: Callable[[str], None],
                                public_size: Callable[[], int]) -> None:
    """`public_size()` is how many entries the public may read now (pb_ledger/web/visibility.py): a receipt, which
    holds its entry's bytes, is given only for those; checkpoints and proofs, which hold only hashes, cover them all."""

    @app.get(f"{LOG}/checkpoint", response_class=Response, tags=TAGS, name="latest checkpoint",
             responses={200: {"content": {"text/plain": {}}}})
    def latest(log: str) -> Response:
        """The checkpoint over every entry of the log as a signed note (c2sp.org/tlog-checkpoint) followed by the
        witnesses' cosignatures; signed now if the log grew since the last checkpoint."""
        check_log(log)
        return _note(transparency.latest())

    @app.post(f"{LOG}/checkpoints", response_model=CheckpointPublic, tags=TAGS, name="sign a checkpoint")
    def sign(log: str) -> CheckpointPublic:
        """Sign a checkpoint over every entry now (or answer the one of that size already signed)."""
        check_log(log)
        return _public(transparency.latest())

    @app.get(f"{LOG}/checkpoints", response_model=list[CheckpointSummary], tags=TAGS, name="checkpoints")
    def checkpoints(log: str, start: int = Query(1, ge=1, description="the smallest size to list"),
                    limit: int = Query(100, ge=1, le=1000)) -> list[CheckpointSummary]:
        """Every checkpoint the service signed, in increasing size, from size `start`."""
        check_log(log)
        return [CheckpointSummary(size=c.size, root=_b64(c.root), key=c.key_id, reason=c.reason,
                                  signed_at=c.signed_at) for c in transparency.checkpoints(start, limit)]

    @app.get(f"{LOG}/checkpoints/{{size}}", response_class=Response, tags=TAGS, name="checkpoint by size",
             responses={200: {"content": {"text/plain": {}}}})
    def by_size(log: str, size: int) -> Response:
        """The checkpoint of `size` entries the service signed, as a signed note with its cosignatures."""
        check_log(log)
        return _note(transparency.at(size))

    @app.post(f"{LOG}/checkpoints/{{size}}/cosignatures", response_model=CheckpointPublic, tags=TAGS,
              name="add a cosignature")
    def cosign(log: str, size: int, body: CosignatureSubmission) -> CheckpointPublic:
        """A witness's cosignature of checkpoint `size` (c2sp.org/tlog-cosignature): checked against the witness
        keys the log names, then published with the checkpoint. The signature is the authentication."""
        check_log(log)
        return _public(transparency.add_cosignature(size, body.cosignature))

    @app.get(f"{LOG}/proofs/inclusion", response_model=InclusionProofPublic, tags=TAGS, name="inclusion proof")
    def inclusion(log: str, seq: int = Query(..., ge=0, description="the entry's seq"),
                  size: int | None = Query(None, ge=1, description="the tree size (default: every entry)"),
                  ) -> InclusionProofPublic:
        """The inclusion proof of entry `seq` in the tree of the first `size` entries (RFC 9162 §2.1.3)."""
        check_log(log)
        found = _proof(lambda: transparency.inclusion(seq, size))
        return InclusionProofPublic(log=log, index=found.index, size=found.size, leaf_hash=_b64(found.leaf_hash),
                                    root=_b64(found.root), proof=[_b64(h) for h in found.hashes])

    @app.get(f"{LOG}/proofs/consistency", response_model=ConsistencyProofPublic, tags=TAGS,
             name="consistency proof")
    def consistency(log: str, old: int = Query(..., alias="from", ge=1, description="the earlier tree size"),
                    new: int | None = Query(None, alias="to", ge=1, description="the later size (default: all)"),
                    ) -> ConsistencyProofPublic:
        """The proof that the first `from` entries are a prefix of the first `to` (RFC 9162 §2.1.4)."""
        check_log(log)
        found = _proof(lambda: transparency.consistency(old, new))
        return ConsistencyProofPublic(log=log, old_size=found.old_size, new_size=found.new_size,
                                      old_root=_b64(found.old_root), new_root=_b64(found.new_root),
                                      proof=[_b64(h) for h in found.hashes])

    @app.get(f"{LOG}/receipts/{{seq}}", response_class=Response, tags=TAGS, name="receipt",
             responses={200: {"content": {"text/plain": {}}}})
    def receipt(log: str, seq: int) -> Response:
        """A receipt for entry `seq` (c2sp.org/tlog-proof, §12), to keep and check offline with `pb-verify
        receipt`."""
        check_log(log)
        if seq >= public_size() and seq < transparency.ledger.head()[0]:
            raise DomainError("entry_not_public", f"entry {seq} belongs to a vote still open: its receipt is given "
                              "when the vote closes")
        text = _proof(lambda: transparency.receipt(seq))
        return Response(text, media_type=NOTE_MEDIA_TYPE, headers={
            "Content-Disposition": f'attachment; filename="{log.replace("/", "_")}-{seq}.tlog-proof"'})

    @app.get(f"{LOG}/keys", response_class=Response, tags=TAGS, name="key history",
             responses={200: {"content": {"application/jsonl": {}}}})
    def keys(log: str) -> Response:
        """The export lines of the genesis and of every key entry: with the root public key, which key may sign
        which checkpoint."""
        check_log(log)
        return Response(transparency.key_history(), media_type="application/jsonl")

    @app.get(f"{LOG}/witnesses", response_model=list[WitnessPublic], tags=TAGS, name="witnesses")
    def witnesses(log: str) -> list[WitnessPublic]:
        """The witnesses whose cosignatures the log accepts and publishes."""
        check_log(log)
        return [WitnessPublic(name=w.name, key=w.key, vkey=w.vkey, added_at=w.added_at)
                for w in transparency.witnesses()]


def _proof(make: Callable[[], T]) -> T:
    """Run a proof or receipt maker; an index or size outside the log is bad input with its code."""
    try:
        return make()
    except ProofRangeError as e:
        raise DomainError(e.code, str(e)) from None


def _note(published: PublishedCheckpoint) -> Response:
    return Response(published.note, media_type=NOTE_MEDIA_TYPE)


def _public(published: PublishedCheckpoint) -> CheckpointPublic:
    stored = published.stored
    return CheckpointPublic(size=stored.size, root=_b64(stored.root), note=published.note, key=stored.key_id,
                            reason=stored.reason, signed_at=stored.signed_at, cosigned_by=published.cosigned_by)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()
