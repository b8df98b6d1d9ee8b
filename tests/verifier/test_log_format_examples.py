"""The worked example of docs/log-format.md §13 (proofs and a receipt) is rebuilt here from the test suite's fixed keys
and clock: every hash, the entry bytes and the whole receipt printed in the document must be exactly these, and the
receipt must verify."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from verifier.receipt import verify_receipt

from .logbuilder import ROOT, LogBuilder, b64, merkle_root
from .proofs import build_receipt, reference_path, reference_subproof

LOG_FORMAT = Path(__file__).resolve().parents[2] / "docs" / "log-format.md"


def example_log() -> LogBuilder:
    builder = LogBuilder(log_id="commune-example")
    builder.genesis()
    budget = {"amount": 100000, "currency": "MAD", "exponent": 2}
    builder.append("CycleCreated", {"title": "Budget 2027", "budget": budget, "source": None}, cycle="c1")
    builder.append("PhaseStarted", {"phase": "ideas"}, cycle="c1")
    idea = {"idea": "i1", "title": "Bancs", "description": "", "channel": "online", "district": None,
            "category": None, "estimated_cost": None}
    builder.append("IdeaSubmitted", idea, cycle="c1", role="pb-team")
    builder.append("PhaseStarted", {"phase": "review"}, cycle="c1")
    return builder


def indented(text: str) -> str:
    return "\n".join(f"    {line}" if line else "" for line in text.rstrip("\n").split("\n"))


def example_values() -> dict[str, str]:
    """The placeholder names of the document's example and their values."""
    builder = example_log()
    data = [entry.entry_bytes for entry in builder.entries]
    leaf = [hashlib.sha256(b"\x00" + item).hexdigest() for item in data]
    receipt = build_receipt(builder, 3).decode()
    extra = base64.b64decode(receipt.split("\n")[1][len("extra ") :]).decode()
    rows = [
        f"| {entry.seq} | `{entry_type}` | `{entry.hash}` | `{leaf[entry.seq]}` |"
        for entry, entry_type in zip(
            builder.entries, ["LogCreated", "CycleCreated", "PhaseStarted", "IdeaSubmitted", "PhaseStarted"]
        )
    ]
    return {
        "ROOT_PUBLIC": b64(ROOT.public),
        "ENTRY_ROWS": "\n".join(rows),
        "ENTRY3": data[3].decode(),
        "N01": merkle_root(data[:2]).hex(),
        "N23": merkle_root(data[2:4]).hex(),
        "N03": merkle_root(data[:4]).hex(),
        "ROOT5": merkle_root(data).hex(),
        "ROOT5_B64": b64(merkle_root(data)),
        "ROOT3": merkle_root(data[:3]).hex(),
        "RECEIPT": indented(receipt),
        "EXTRA": indented(extra),
    }


def test_the_example_proofs_are_the_ones_the_document_spells_out() -> None:
    data = [entry.entry_bytes for entry in example_log().entries]
    leaf = [hashlib.sha256(b"\x00" + item).digest() for item in data]
    n01 = merkle_root(data[:2])
    assert reference_path(data, 3) == [leaf[2], n01, leaf[4]]
    assert reference_subproof(data, 3) == [leaf[2], leaf[3], n01, leaf[4]]


def test_every_value_of_the_worked_example_is_in_the_document() -> None:
    document = LOG_FORMAT.read_text(encoding="utf-8")
    for name, value in example_values().items():
        assert value in document, f"docs/log-format.md §13: {name} differs from the rebuilt example"


def test_the_documents_receipt_verifies() -> None:
    report = verify_receipt(build_receipt(example_log(), 3), ROOT.public)
    assert report.ok and report.receipt is not None
    assert (report.receipt.entry.entry.seq, report.receipt.entry.entry.type) == (3, "IdeaSubmitted")
