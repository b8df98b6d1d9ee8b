"""The transparency API on both stores: checkpoints as signed notes, proofs and receipts that the standalone verifier
accepts, the key history, and witnesses' cosignatures checked before they are published."""

from __future__ import annotations

import base64
import hashlib
import json
import time
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from pb_ledger.demo import load_demo
from pb_ledger.domain.rules import Rules
from tests.e2e.conftest import StaffApi
from verifier.encoding import decode_base64
from verifier.merkle import verify_consistency, verify_inclusion
from verifier.receipt import verify_receipt
from verifier.signed_note import NoteVerifier, open_note
from verifier.verification import verify_export
from verifier.witness import cosign, verifier_key, verify_cosignature

WITNESS = "observers.example.org/w1"


@pytest.fixture
def api(staff_api: StaffApi) -> StaffApi:
    load_demo(staff_api.service.services, ballots=30)
    return staff_api


def get(api: StaffApi, path: str, **params: object) -> httpx.Response:
    response = api.client.get(api.url(path), params=params)
    assert response.status_code == 200, response.text
    return response


def note_of(text: str) -> tuple[int, bytes]:
    _, size, root = text.split("\n")[:3]
    decoded = decode_base64(root)
    assert decoded is not None
    return int(size), decoded


def test_the_latest_checkpoint_is_a_signed_note_over_the_whole_log(api: StaffApi) -> None:
    response = get(api, "/checkpoint")
    assert response.headers["content-type"].startswith("text/plain")
    note = response.text
    size, _ = note_of(note)
    assert size == api.head()
    ledger = api.service.ledger
    open_note(note, [NoteVerifier.for_ed25519(ledger.log_id, ledger.keys.service.public_raw)])
    listed = get(api, "/checkpoints").json()
    assert [c["reason"] for c in listed] == ["PhaseStarted", "PhaseStarted", "VotingOpened", "VotingClosed",
                                             "on-demand"]
    closed = listed[3]
    assert get(api, f"/checkpoints/{closed['size']}").text.split("\n")[2] == closed["root"]
    missing = api.client.get(api.url("/checkpoints/2"), headers={"Accept-Language": "fr"})
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "no_checkpoint"
    assert "point de contrôle" in missing.json()["error"]["message"]


def test_signing_on_demand_is_for_staff(api: StaffApi) -> None:
    assert api.post(None, "/checkpoints").status_code == 401
    api.service.services.launch.create_cycle("encore", 100, "MAD", 2, None, ("pb-team", ""))
    signed = api.ok("auditor", "/checkpoints")
    assert signed["size"] == api.head() and signed["reason"] == "on-demand" and signed["cosigned_by"] == []


def test_proofs_from_the_api_verify_against_the_checkpoints(api: StaffApi) -> None:
    checkpoints = get(api, "/checkpoints").json()
    old, new = checkpoints[1], checkpoints[-1]
    proof = get(api, "/proofs/consistency", **{"from": old["size"], "to": new["size"]}).json()
    decode = base64.b64decode
    verify_consistency(old["size"], new["size"], decode(old["root"]), decode(new["root"]),
                       [decode(h) for h in proof["proof"]])
    inclusion = get(api, "/proofs/inclusion", seq=7, size=old["size"]).json()
    entry = api.service.ledger.entries(7, 1)[0].entry
    verify_inclusion(7, old["size"], hashlib.sha256(b"\x00" + entry).digest(),
                     [decode(h) for h in inclusion["proof"]], decode(old["root"]))
    beyond = api.client.get(api.url("/proofs/inclusion"), params={"seq": 10**6})
    assert beyond.status_code == 422 and beyond.json()["error"]["code"] == "proof_out_of_range"
    backwards = api.client.get(api.url("/proofs/consistency"), params={"from": new["size"], "to": old["size"]})
    assert backwards.status_code == 422 and backwards.json()["error"]["code"] == "proof_out_of_range"


def test_a_receipt_from_the_api_verifies_offline(api: StaffApi) -> None:
    ballot = next(r.seq for r in api.service.ledger.iter_entries() if r.type == "BallotCast")
    response = get(api, f"/receipts/{ballot}")
    assert response.headers["content-disposition"].endswith(f'-{ballot}.tlog-proof"')
    report = verify_receipt(response.content, api.service.ledger.keys.root.public_raw)
    assert report.ok, report.error


def test_the_key_history_names_the_keys(api: StaffApi) -> None:
    api.service.services.keys.rotate("yearly rotation")
    lines = get(api, "/keys").content.splitlines()
    assert [json.loads(line[106:-1])["type"] for line in lines] == ["LogCreated", "KeyRotated"]


def test_a_configured_witness_cosignature_is_checked_and_published(api: StaffApi) -> None:
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    transparency = api.service.services.transparency
    transparency.add_witness(WITNESS, verifier_key(WITNESS, public), "the observers' association")
    assert get(api, "/witnesses").json() == [
        {"name": WITNESS, "key": base64.b64encode(public).decode(), "vkey": verifier_key(WITNESS, public),
         "added_at": api.head() - 1}]
    note = get(api, "/checkpoint").text
    size, _ = note_of(note)
    text = note[: note.index("\n\n") + 1]
    line = cosign(WITNESS, key, text, int(time.time()))
    published = api.ok(None, f"/checkpoints/{size}/cosignatures", {"cosignature": line})
    assert published["cosigned_by"] == [WITNESS] and published["note"] == note + line + "\n"
    assert get(api, f"/checkpoints/{size}").text == note + line + "\n"
    verify_cosignature(get(api, "/checkpoint").text, WITNESS, public)

    stranger = Ed25519PrivateKey.generate()
    refusals = [
        (cosign("stranger.example.org", stranger, text, int(time.time())), 403, "unknown_witness"),
        (cosign(WITNESS, stranger, text, int(time.time())), 403, "unknown_witness"),  # another key under its name
        (cosign(WITNESS, key, text.replace(f"\n{size}\n", "\n1\n"), int(time.time())), 422, "cosignature_invalid"),
        (cosign(WITNESS, key, text, int(time.time()) + 86400), 422, "cosignature_invalid"),
        ("— " + WITNESS + " bm90IGEgY29zaWduYXR1cmU=", 422, "cosignature_malformed"),
    ]
    for submitted, status, code in refusals:
        response = api.post(None, f"/checkpoints/{size}/cosignatures", {"cosignature": submitted})
        assert (response.status_code, response.json()["error"]["code"]) == (status, code), submitted
    no_such = api.post(None, "/checkpoints/3/cosignatures", {"cosignature": line})
    assert no_such.status_code == 404 and no_such.json()["error"]["code"] == "no_checkpoint"
    assert get(api, f"/checkpoints/{size}").text == note + line + "\n"


def test_the_export_carries_the_cosignatures_and_still_verifies(api: StaffApi, tmp_path: Path) -> None:
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    api.service.services.transparency.add_witness(WITNESS, base64.b64encode(public).decode())
    closed = [c for c in get(api, "/checkpoints").json() if c["reason"] == "VotingClosed"][0]
    note = get(api, f"/checkpoints/{closed['size']}").text
    line = cosign(WITNESS, key, note[: note.index("\n\n") + 1], int(time.time()))
    api.ok(None, f"/checkpoints/{closed['size']}/cosignatures", {"cosignature": line})
    export = tmp_path / "log.export"
    export.write_bytes(get(api, "/export").content)
    rows = export.read_bytes().splitlines()
    notes = [json.loads(row)["checkpoint"] for row in rows if row.startswith(b'{"checkpoint"')]
    assert any(line in note for note in notes)
    assert verify_export(export, api.service.ledger.keys.root.public_raw).ok


def test_the_cycle_page_names_the_checkpoint_of_the_count_and_its_witnesses(api: StaffApi) -> None:
    cycle = api.client.get(api.url("/cycles")).json()[0]["cycle"]
    closed = [c for c in get(api, "/checkpoints").json() if c["reason"] == "VotingClosed"][0]
    page = api.client.get(f"/cycles/{cycle}", params={"lang": "en"}).text
    assert f"The count was made from the first {closed['size']} entries of the log" in page
    assert closed["root"] in page and "No independent witness has cosigned this checkpoint yet." in page
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    api.service.services.transparency.add_witness(WITNESS, base64.b64encode(public).decode())
    latest = get(api, "/checkpoint").text
    size, _ = note_of(latest)
    api.ok(None, f"/checkpoints/{size}/cosignatures",
           {"cosignature": cosign(WITNESS, key, latest[: latest.index("\n\n") + 1], int(time.time()))})
    page = api.client.get(f"/cycles/{cycle}", params={"lang": "fr"}).text
    assert f"Un point de contrôle ultérieur ({size} entrées)" in page and WITNESS in page
    assert f"proofs/consistency?from={closed['size']}&amp;to={size}" in page
    note = get(api, f"/checkpoints/{closed['size']}").text
    api.ok(None, f"/checkpoints/{closed['size']}/cosignatures",
           {"cosignature": cosign(WITNESS, key, note[: note.index("\n\n") + 1], int(time.time()))})
    page = api.client.get(f"/cycles/{cycle}", params={"lang": "ar"}).text
    assert "وقّعها أيضاً الشهود المستقلون:" in page and WITNESS in page


def test_a_receipt_of_an_open_votes_ballot_waits_for_the_close(staff_api: StaffApi) -> None:
    """While a vote is open the public log stops before its ballots (pb_ledger/web/visibility.py): a receipt, which
    holds the entry's bytes, is refused until the close; checkpoints and proofs, hashes only, cover every entry."""
    services, team = staff_api.service.services, ("pb-team", "")
    cycle = services.launch.create_cycle("Budget 2028", 100_000, "MAD", 2, None, team)
    services.voting.fix_rules(cycle, Rules(vote_type="approval", min_length=1, max_length=1, rule="greedy",
                                           tie_break="lower-cost"), team)
    services.launch.start_phase(cycle, "ideas", team)
    idea = services.ideas.submit_idea(cycle, "Des bancs", actor=("citizen", ""))
    services.launch.start_phase(cycle, "review", team)
    services.review.accept_idea(cycle, idea, "P-1", 40_000, "faisable", actor=("committee", ""))
    services.review.publish_ballot(cycle, team)
    services.voting.open_voting(cycle, team)
    services.voting.cast_ballot(cycle, "paper", ["P-1"], actor=("clerk", ""))
    ballot = staff_api.head() - 1
    refused = staff_api.client.get(staff_api.url(f"/receipts/{ballot}"))
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "entry_not_public"
    latest = get(staff_api, "/checkpoint").text
    assert note_of(latest)[0] == staff_api.head()  # the checkpoint covers the ballot, by its hash only
    assert get(staff_api, "/proofs/inclusion", seq=ballot).json()["index"] == ballot
    services.voting.close_voting(cycle, team)
    receipt = get(staff_api, f"/receipts/{ballot}").content
    assert verify_receipt(receipt, staff_api.service.ledger.keys.root.public_raw).ok
