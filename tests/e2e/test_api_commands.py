"""The command API: every command of the application services has its route, and a whole cycle runs through HTTP
alone — staff acting with their accounts, citizens without one — on both stores."""

from __future__ import annotations

import hashlib
import inspect
import json
import subprocess
import sys
from pathlib import Path

import pytest

from pb_ledger.cli_commands import _stage_classes, public_commands
from pb_ledger.ledger.export import export_log
from pb_ledger.web.commands import COMMANDS, REGISTER_ROUTE
from tests.e2e.conftest import StaffApi

REGISTER = "national_id;district;contact\nBE123456;centre;+212661234567\nJA998877;nord;\nCD445566;nord;\n;nord;\n"


def test_every_service_command_has_a_route() -> None:
    routed = {(c.stage, c.method) for c in COMMANDS} | {("ballots", "publish_register")}
    assert sorted(set(public_commands().values()) - routed) == [], "service commands without an API route"
    assert REGISTER_ROUTE.endswith("/publish-register")


@pytest.mark.parametrize("command", COMMANDS, ids=[c.path.rsplit("/", 1)[-1] for c in COMMANDS])
def test_each_request_schema_names_the_service_parameters(command) -> None:  # type: ignore[no-untyped-def]
    parameters = inspect.signature(getattr(_stage_classes()[command.stage], command.method)).parameters
    given = set(command.request.model_fields) if command.request else set()
    given |= set(command.fixed) | ({command.cycle_param} if command.cycle_param else set())
    assert given <= set(parameters) - {"self", "actor"}, "schema fields the service does not take"
    required = {n for n, p in parameters.items() if p.default is inspect.Parameter.empty and n != "self"}
    assert required <= given, "service parameters the route cannot fill"


def cycle_ready_for_ideas(api: StaffApi) -> str:
    cycle = api.ok("pb-team", "/cycles", {"title": "Commune de test", "amount": 100_000, "currency": "MAD"})["cycle"]
    api.ok("pb-team", f"/cycles/{cycle}/record-council-decision", {"reference": "12/2026", "date": "2026-02-05"})
    api.ok("pb-team", f"/cycles/{cycle}/set-criteria", {"criteria": {"land": "public land", "cost": "within budget"}})
    api.ok("pb-team", f"/cycles/{cycle}/set-timeline", {"phases": {"ideas": {"start": "2026-03-01",
                                                                             "end": "2026-03-31"}}})
    api.ok("pb-team", f"/cycles/{cycle}/fix-rules", {"rules": {"vote_type": "approval", "max_length": 2,
                                                               "tie_break": "lottery"}})
    api.ok("pb-team", f"/cycles/{cycle}/start-phase", {"phase": "ideas"})
    return cycle


def test_a_whole_cycle_runs_through_the_api(staff_api: StaffApi, tmp_path: Path) -> None:
    api = staff_api
    cycle = cycle_ready_for_ideas(api)
    upload = api.client.post(api.url(f"/cycles/{cycle}/publish-register"), content=REGISTER.encode(),
                             headers={**api.as_("pb-team"), "Content-Type": "text/csv"})
    assert upload.status_code == 200
    assert upload.json()["lines"] == ["eligible: 3", "line 5: refused: no national ID number"]
    api.ok("pb-team", f"/cycles/{cycle}/record-forum", {"forum": "F-1", "date": "2026-03-14",
                                                        "place": "Maison des jeunes", "attendance": 40})
    garden = api.ok(None, f"/cycles/{cycle}/submit-idea", {"title": "Jardin", "estimated_cost": 40_000,
                                                           "author_contact": {"phone": "+212600000000"}})["idea"]
    pool = api.ok(None, f"/cycles/{cycle}/submit-idea", {"title": "Piscine olympique"})["idea"]
    lights = api.ok("clerk", f"/cycles/{cycle}/submit-paper-idea", {
        "title": "Éclairage", "paper_form_number": "PF-1", "scan_sha256": hashlib.sha256(b"scan").hexdigest()})["idea"]
    library = api.ok("pb-team", f"/cycles/{cycle}/submit-forum-idea", {"title": "Bibliothèque", "forum": "F-1"})["idea"]
    api.ok("pb-team", f"/cycles/{cycle}/start-phase", {"phase": "review"})
    for n, idea in enumerate((garden, lights, library)):
        api.ok("committee", f"/cycles/{cycle}/accept-idea", {"idea": idea, "project": f"P{n}", "cost": 30_000 + n,
                                                             "reason": "feasible"})
    api.ok("committee", f"/cycles/{cycle}/reject-idea", {"idea": pool, "reason": "far above the budget",
                                                         "criterion": "cost"})

    found = api.client.get(api.url(f"/ideas/{pool}")).json()  # the author looks it up by the receipt, no account
    assert found["status"] == "rejected" and found["reason"] == "far above the budget"
    appeal = api.ok(None, f"/cycles/{cycle}/lodge-appeal", {"idea": pool, "statement": "a smaller pool?"})["appeal"]
    api.ok("committee", f"/cycles/{cycle}/answer-appeal", {"appeal": appeal, "outcome": "dismissed",
                                                           "answer": "still far above the budget"})
    assert api.ok("pb-team", f"/cycles/{cycle}/publish-ballot")["projects"] == ["P0", "P1", "P2"]
    api.ok("pb-team", f"/cycles/{cycle}/open-voting")

    assert api.ok(None, f"/cycles/{cycle}/request-code", {"national_id": "be 123456"})["detail"].startswith("if this")
    receipt = api.ok(None, f"/cycles/{cycle}/cast-online-ballot", {"national_id": "BE123456", "code": api.inbox.last,
                                                                   "vote": ["P0", "P1"]})
    entry = json.loads(api.service.ledger.entries(receipt["seq"], 1)[0].entry)
    assert entry["type"] == "BallotCast" and entry["actor"] == {"role": "voter", "ref": ""}
    assert receipt["entry_hash"] == receipt["entries"][0]["hash"] and "P0" not in json.dumps(receipt)
    batch = api.ok("clerk", f"/cycles/{cycle}/enter-paper-batch", {"station": "S1", "batch": "B1", "lines": [
        {"national_id": "JA998877", "vote": ["P0"]}, {"national_id": "BE123456", "vote": ["P2"]},
        {"national_id": "CD445566", "vote": ["P1", "P2"]}]})
    assert batch["event"] == "PaperBatchEntered" and batch["accepted"] == 2
    assert [(r["line"], r["code"]) for r in batch["refused"]] == [(2, "already_voted")]
    assert "unaccounted 1" in api.ok("pb-team", f"/cycles/{cycle}/reconcile-station",
                                     {"station": "S1", "handed_out": 4})["lines"][0]
    api.ok("pb-team", f"/cycles/{cycle}/close-voting")
    winners = api.ok("pb-team", f"/cycles/{cycle}/announce-results")["winners"]
    assert set(winners) == set(api.client.get(api.url(f"/cycles/{cycle}/results")).json()["winners"]) and winners

    api.ok("pb-team", f"/cycles/{cycle}/start-phase", {"phase": "implementation"})
    api.ok("pb-team", f"/cycles/{cycle}/record-milestone", {"project": "P0", "kind": "procurement",
                                                            "date": "2026-09-01"})
    milestones = api.client.get(api.url(f"/cycles/{cycle}/milestones")).json()
    assert [(m["project"], m["kind"]) for m in milestones] == [("P0", "procurement")]
    api.ok("pb-team", f"/cycles/{cycle}/start-phase", {"phase": "evaluation"})
    api.ok("pb-team", f"/cycles/{cycle}/record-lesson", {"lesson": "more forums in the north"})
    api.ok("pb-team", f"/cycles/{cycle}/publish-report", {"summary": "a good first cycle"})
    assert_the_read_models_tell_the_cycle(api, cycle)
    assert_staff_actions_carry_role_and_account_reference(api)
    assert_the_export_verifies(api, tmp_path)


def assert_the_read_models_tell_the_cycle(api: StaffApi, cycle: str) -> None:
    setup = api.client.get(api.url(f"/cycles/{cycle}/setup")).json()
    assert setup["council_decision"]["reference"] == "12/2026" and setup["voter_register"]["count"] == 3
    assert [c["id"] for c in setup["criteria"]] == ["land", "cost"] and setup["timeline"][0]["phase"] == "ideas"
    assert setup["rules"]["vote_type"] == "approval" and [p["project"] for p in setup["projects_on_ballot"]] == [
        "P0", "P1", "P2"]
    activity = api.client.get(api.url(f"/cycles/{cycle}/activity")).json()
    assert [f["forum"] for f in activity["forums"]] == ["F-1"]
    assert activity["evaluation_report"]["summary"] == "a good first cycle"
    batches = api.client.get(api.url(f"/cycles/{cycle}/paper-batches"), headers=api.as_("clerk")).json()
    assert batches["batches"][0]["accepted"] == 2 and batches["stations"][0]["unaccounted"] == 1


def assert_staff_actions_carry_role_and_account_reference(api: StaffApi) -> None:
    refs = {a.role: a.ref for a in api.service.accounts.accounts()}
    actors = {(e["actor"]["role"], e["actor"]["ref"]) for e in
              (json.loads(row.entry) for row in api.service.ledger.iter_entries(1))}
    assert {("pb-team", refs["pb-team"]), ("committee", refs["committee"]), ("clerk", refs["clerk"]),
            ("citizen", ""), ("voter", "")} == actors
    text = "".join(row.entry.decode() for row in api.service.ledger.iter_entries())
    assert "BE123456" not in text and "+212" not in text and "committee-" not in text


def assert_the_export_verifies(api: StaffApi, tmp_path: Path) -> None:
    export, root = tmp_path / "log.export", tmp_path / "root.pem"
    export_log(api.service.ledger, export)
    root.write_bytes(api.service.ledger.keys.public_pem())
    done = subprocess.run([sys.executable, "-m", "verifier", str(export), "--root-key", str(root)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("body,code", [
    ({"title": "x", "amount": "100000", "currency": "MAD"}, "invalid_request"),  # money is a number, not text
    ({"title": "x", "amount": 1000.0, "currency": "MAD"}, "invalid_request"),  # nor a float
    ({"title": "x", "amount": 1000, "currency": "MAD", "colour": "red"}, "invalid_request"),  # no unknown fields
    ({"title": "x", "amount": 0, "currency": "MAD"}, "invalid_amount"),
    ({"title": "x", "amount": 1000, "currency": "DOLLARS"}, "invalid_currency"),
    ({"title": " ", "amount": 1000, "currency": "MAD"}, "missing_text"),
])
def test_bad_input_is_refused_with_its_code_and_appends_nothing(staff_api: StaffApi, body: dict[str, object],
                                                               code: str) -> None:
    before = staff_api.head()
    response = staff_api.post("pb-team", "/cycles", body, headers={"Accept-Language": "fr"})
    assert response.status_code == 422 and response.json()["error"]["code"] == code
    assert response.json()["error"]["message"] and staff_api.head() == before


def test_refusals_of_the_domain_have_their_status_and_append_nothing(staff_api: StaffApi) -> None:
    api = staff_api
    cycle = cycle_ready_for_ideas(api)
    idea = api.ok(None, f"/cycles/{cycle}/submit-idea", {"title": "Jardin"})["idea"]
    before = api.head()
    cases = [
        ("committee", "/accept-idea", {"idea": idea, "project": "P1", "cost": 10}, 409, "wrong_phase"),
        ("pb-team", "/start-phase", {"phase": "vote"}, 422, "invalid_transition"),
        ("clerk", "/submit-paper-idea", {"title": "x", "paper_form_number": "1", "scan_sha256": "nope"}, 422,
         "scan_hash_required"),
        (None, "/request-code", {"national_id": ""}, 422, "missing_text"),
        ("pb-team", "/fix-rules", {"rules": {"vote_type": "approval", "colour": "red"}}, 422, "invalid_rules"),
    ]
    for role, path, body, status, code in cases:
        response = api.post(role, f"/cycles/{cycle}{path}", body)
        assert (response.status_code, response.json()["error"]["code"]) == (status, code), path
    missing = api.post("pb-team", "/cycles/00000000-0000-4000-8000-000000000000/start-phase", {"phase": "review"})
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "unknown_cycle")
    assert api.head() == before


def test_a_wrong_one_time_code_is_refused_and_the_resident_can_still_vote(staff_api: StaffApi) -> None:
    api = staff_api
    cycle = cycle_ready_for_ideas(api)
    api.client.post(api.url(f"/cycles/{cycle}/publish-register"), content=REGISTER.encode(),
                    headers={**api.as_("pb-team"), "Content-Type": "text/csv"})
    idea = api.ok(None, f"/cycles/{cycle}/submit-idea", {"title": "Jardin"})["idea"]
    api.ok("pb-team", f"/cycles/{cycle}/start-phase", {"phase": "review"})
    api.ok("committee", f"/cycles/{cycle}/accept-idea", {"idea": idea, "project": "P1", "cost": 10_000})
    api.ok("pb-team", f"/cycles/{cycle}/publish-ballot")
    api.ok("pb-team", f"/cycles/{cycle}/open-voting")
    api.ok(None, f"/cycles/{cycle}/request-code", {"national_id": "JA998877"})
    wrong = "000000" if api.inbox.last != "000000" else "111111"
    before = api.head()
    refused = api.post(None, f"/cycles/{cycle}/cast-online-ballot", {"national_id": "JA998877", "code": wrong,
                                                                     "vote": ["P1"]})
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "wrong_code") and api.head() == before
    api.ok(None, f"/cycles/{cycle}/cast-online-ballot", {"national_id": "JA998877", "code": api.inbox.last,
                                                         "vote": ["P1"]})
    api.ok(None, f"/cycles/{cycle}/request-code", {"national_id": "JA998877"})
    again = api.post(None, f"/cycles/{cycle}/cast-online-ballot", {"national_id": "JA998877", "code": api.inbox.last,
                                                                   "vote": ["P1"]})
    assert (again.status_code, again.json()["error"]["code"]) == (409, "already_voted")


def test_list_routes_are_paged_with_a_link_to_the_next_page(staff_api: StaffApi) -> None:
    api = staff_api
    cycle = cycle_ready_for_ideas(api)
    ideas = [api.ok(None, f"/cycles/{cycle}/submit-idea", {"title": f"Idée {n}"})["idea"] for n in range(3)]
    first = api.client.get(api.url(f"/cycles/{cycle}/ideas"), params={"limit": 2})
    assert [i["idea"] for i in first.json()] == ideas[:2] and 'rel="next"' in first.headers["link"]
    following = first.headers["link"].split(">")[0].lstrip("<")
    last = api.client.get(following)
    assert [i["idea"] for i in last.json()] == ideas[2:] and "link" not in last.headers
