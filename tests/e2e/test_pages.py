"""The pages' forms on both stores, through HTTP: paper ideas typed in the order of the printed form, paper batches
with their per-line report, every ballot method, refusals that append nothing, language links that keep the page,
the pages' security headers, and no vote count anywhere before the close."""

from __future__ import annotations

import hashlib
import html
import json
import re
from typing import Any

import pytest

from pb_ledger.web.paper_forms import parse_paper_lines
from tests.e2e.conftest import StaffApi

REGISTER = "national_id;district;contact\nAB1;;\nAB2;;\nAB3;;\nAB4;;\n"
COSTS = {"P-1": 40_000, "P-2": 30_000, "P-3": 20_000}


def page(api: StaffApi, role: str | None, path: str, **params: Any) -> Any:
    return api.client.get(path, params=params, headers=api.as_(role), follow_redirects=False)


def form(api: StaffApi, role: str | None, path: str, data: dict[str, Any], files: Any = None) -> Any:
    return api.client.post(path, data=data, files=files, headers=api.as_(role), follow_redirects=False)


def cycle_collecting_ideas(api: StaffApi, rules: dict[str, Any]) -> str:
    cycle = api.ok("pb-team", "/cycles", {"title": "Commune", "amount": 100_000, "currency": "MAD"})["cycle"]
    api.ok("pb-team", f"/cycles/{cycle}/set-criteria", {"criteria": {"land": "أرض عمومية"}})
    api.ok("pb-team", f"/cycles/{cycle}/fix-rules", {"rules": rules})
    api.ok("pb-team", f"/cycles/{cycle}/start-phase", {"phase": "ideas"})
    return cycle


def cycle_in_vote(api: StaffApi, rules: dict[str, Any]) -> str:
    cycle = cycle_collecting_ideas(api, rules)
    upload = api.client.post(api.url(f"/cycles/{cycle}/publish-register"), content=REGISTER.encode(),
                             headers={**api.as_("pb-team"), "Content-Type": "text/csv"})
    assert upload.status_code == 200
    ideas = {p: api.ok(None, f"/cycles/{cycle}/submit-idea", {"title": f"Projet {p}"})["idea"] for p in COSTS}
    api.ok("pb-team", f"/cycles/{cycle}/start-phase", {"phase": "review"})
    for project, idea in ideas.items():
        api.ok("committee", f"/cycles/{cycle}/accept-idea", {"idea": idea, "project": project,
                                                             "cost": COSTS[project]})
    api.ok("pb-team", f"/cycles/{cycle}/publish-ballot")
    api.ok("pb-team", f"/cycles/{cycle}/open-voting")
    return cycle


def field_positions(page_html: str, fields: list[str]) -> list[int]:
    """Where each field's name first appears in the page's main part (as a reader sees the text)."""
    text = re.sub(r"<[^>]+>", " ", html.unescape(page_html.split("<main", 1)[1]))
    return [text.index(name) for name in fields]


def test_a_clerk_types_a_paper_idea_in_the_order_of_the_printed_form(staff_api: StaffApi) -> None:
    api = staff_api
    cycle = cycle_collecting_ideas(api, {"vote_type": "approval"})
    printed = page(api, None, f"/cycles/{cycle}/forms/idea", lang="fr").text
    entry = page(api, "clerk", f"/staff/cycles/{cycle}/paper-ideas", lang="fr").text
    fields = ["Numéro du formulaire", "Titre de l'idée", "Description", "Secteur", "Catégorie", "Lieu",
              "Coût estimé", "Téléphone", "Courriel"]
    for shown in (printed, entry):
        found = field_positions(shown, fields)
        assert found == sorted(found), "the data-entry page asks for the fields in the printed form's order"
    scan = b"%PDF-1.4 the scanned paper form"
    response = form(api, "clerk", f"/staff/cycles/{cycle}/paper-ideas/enter?lang=fr",
                    {"paper_form_number": "PF-0042", "title": "Bancs publics", "estimated_cost": "12 500,50"},
                    files={"scan": ("scan.pdf", scan, "application/pdf")})
    assert response.status_code == 303 and "ref=I-" in response.headers["location"]
    receipt = response.headers["location"].split("ref=")[1].split("&")[0]
    shown = api.client.get(response.headers["location"], headers=api.as_("clerk")).text
    assert receipt in shown and "Fait : inscrit au journal." in shown
    [row] = [r for r in api.service.ledger.iter_entries() if r.type == "IdeaSubmitted"]
    payload = json.loads(row.entry)["payload"]
    assert payload["paper_form"] == {"number": "PF-0042", "scan_sha256": hashlib.sha256(scan).hexdigest()}
    assert payload["estimated_cost"] == 1_250_050 and json.loads(row.entry)["actor"]["role"] == "clerk"


def test_a_refused_form_says_why_in_the_page_s_language_and_appends_nothing(staff_api: StaffApi) -> None:
    api = staff_api
    cycle = cycle_collecting_ideas(api, {"vote_type": "approval"})
    before = api.head()
    refused = form(api, "clerk", f"/staff/cycles/{cycle}/paper-ideas/enter?lang=ar",
                   {"paper_form_number": "PF-1", "title": "مقاعد", "scan_sha256": "not-a-hash"})
    assert refused.status_code == 422 and "بصمة SHA-256" in refused.text and "مقاعد" in refused.text  # kept
    wrong_amount = form(api, None, f"/cycles/{cycle}/submit?lang=en", {"title": "Benches", "estimated_cost": "12,5,5"})
    assert wrong_amount.status_code == 422 and "amount or count is not valid" in wrong_amount.text
    assert api.head() == before


def test_a_paper_batch_gets_its_per_line_report_and_a_malformed_typing_appends_nothing(staff_api: StaffApi) -> None:
    api = staff_api
    cycle = cycle_in_vote(api, {"vote_type": "approval", "max_length": 2})
    batches = page(api, "clerk", f"/staff/cycles/{cycle}/paper-ballots", lang="ar").text
    example = re.search(r'<code dir="ltr" id="line-format">(.*?)</code>', batches).group(1)  # type: ignore[union-attr]
    assert parse_paper_lines(example, "approval", False)[0]["vote"] == ["P-1", "P-2"]
    before = api.head()
    malformed = form(api, "clerk", f"/staff/cycles/{cycle}/paper-ballots/enter?lang=ar",
                     {"station": "S1", "batch": "B1", "lines": "AB1 ; P-1\nAB2 P-2\n"})
    assert malformed.status_code == 422 and "line 2" in malformed.text and api.head() == before
    entered = form(api, "clerk", f"/staff/cycles/{cycle}/paper-ballots/enter?lang=ar",
                   {"station": "S1", "batch": "B1", "lines": "AB1 ; P-1 P-2\nAB1 ; P-3\nAB2 ; P-1 P-2 P-3\n"})
    assert entered.status_code == 303
    report = api.client.get(entered.headers["location"], headers=api.as_("clerk")).text
    assert "3 سطر: 1 مقبول، 2 مرفوض." in report
    assert "سبق لهذا الشخص أن صوّت" in report or "already_voted" in report
    assert "too_many_choices" in report
    listed = api.client.get(api.url(f"/cycles/{cycle}/paper-batches"), headers=api.as_("auditor")).json()
    assert [(b["accepted"], [r["line"] for r in b["refused"]]) for b in listed["batches"]] == [(1, [2, 3])]
    assert api.client.get(api.url(f"/cycles/{cycle}/paper-batches")).status_code == 401


@pytest.mark.parametrize("rules,fields,vote", [
    ({"vote_type": "approval", "max_length": 2}, {"vote": ["P-3", "P-1"]}, ["P-1", "P-3"]),
    ({"vote_type": "choose-1"}, {"vote": "P-2"}, ["P-2"]),
    ({"vote_type": "ordinal", "max_length": 3}, {"rank-P-1": "2", "rank-P-2": "", "rank-P-3": "1"}, ["P-3", "P-1"]),
    ({"vote_type": "cumulative", "max_points": 3, "max_sum_points": 5}, {"points-P-1": "3", "points-P-2": "2"},
     ["P-1", "P-2"]),
], ids=["approval", "choose-1", "ordinal", "cumulative"])
def test_each_ballot_method_is_cast_through_its_page(staff_api: StaffApi, rules: dict[str, Any],
                                                     fields: dict[str, Any], vote: list[str]) -> None:
    api = staff_api
    cycle = cycle_in_vote(api, rules)
    ballot = form(api, None, f"/cycles/{cycle}/vote/code?lang=fr", {"national_id": "ab 1"})
    assert ballot.status_code == 200 and 'name="code"' in ballot.text
    cast = form(api, None, f"/cycles/{cycle}/vote?lang=fr", {"national_id": "ab 1", "code": api.inbox.last, **fields})
    assert cast.status_code == 303, cast.text[-3000:]
    seq = int(re.search(r"seq=(\d+)", cast.headers["location"]).group(1))  # type: ignore[union-attr]
    entry = json.loads(api.service.ledger.entries(seq, 1)[0].entry)
    assert entry["type"] == "BallotCast" and entry["payload"]["vote"] == vote
    receipt = api.client.get(cast.headers["location"]).text
    assert "Votre bulletin est enregistré" in receipt and "Vérifié" in receipt
    assert not any(project in receipt for project in COSTS)  # the receipt shows no choice


def test_a_ballot_the_rules_refuse_does_not_spend_the_one_time_code(staff_api: StaffApi) -> None:
    api = staff_api
    cycle = cycle_in_vote(api, {"vote_type": "approval", "max_sum_cost": 50_000})
    form(api, None, f"/cycles/{cycle}/vote/code", {"national_id": "AB2"})
    code, before = api.inbox.last, api.head()
    over = form(api, None, f"/cycles/{cycle}/vote?lang=en", {"national_id": "AB2", "code": code,
                                                             "vote": ["P-1", "P-2"]})
    assert over.status_code == 422 and "over_cost_limit" in over.text and api.head() == before
    assert 'value="P-1" checked' in over.text  # the choices are kept, to correct them
    repeated = form(api, None, f"/cycles/{cycle}/vote?lang=en", {"national_id": "AB2", "code": code,
                                                                 "rank-P-1": "x", "vote": ["P-1"]})
    assert repeated.status_code == 303  # the same code still works for the corrected ballot


def test_vote_counts_stay_secret_until_the_vote_is_closed(staff_api: StaffApi) -> None:
    api = staff_api
    cycle = cycle_in_vote(api, {"vote_type": "approval"})
    form(api, None, f"/cycles/{cycle}/vote/code", {"national_id": "AB3"})
    form(api, None, f"/cycles/{cycle}/vote", {"national_id": "AB3", "code": api.inbox.last, "vote": ["P-1"]})
    assert api.client.get(api.url(f"/cycles/{cycle}")).json()["ballots"] is None
    entries = api.client.get(api.url("/entries"), params={"limit": 1000}).json()
    assert entries["public_size"] < api.head() and entries["next_start"] is None
    assert not any('"BallotCast"' in e["entry"] for e in entries["entries"])
    assert '"BallotCast"' not in api.client.get(api.url("/export")).text
    for role in ("pb-team", None):
        for path in (f"/cycles/{cycle}", "/cycles", "/audit", f"/staff/cycles/{cycle}/vote", "/staff"):
            if role is None and path.startswith("/staff"):
                continue
            assert ">1<" not in page(api, role, path, lang="en").text.replace(" ", ""), path
    api.ok("pb-team", f"/cycles/{cycle}/close-voting")
    assert api.client.get(api.url(f"/cycles/{cycle}")).json()["ballots"] == 1
    entries = api.client.get(api.url("/entries"), params={"limit": 1000}).json()
    assert entries["public_size"] == api.head() and any('"BallotCast"' in e["entry"] for e in entries["entries"])


def test_language_links_keep_the_page_and_pages_carry_a_strict_content_security_policy(staff_api: StaffApi) -> None:
    api = staff_api
    cycle = cycle_collecting_ideas(api, {"vote_type": "approval"})
    response = page(api, None, f"/cycles/{cycle}/submit", lang="en")
    assert f'href="/cycles/{cycle}/submit?lang=fr"' in response.text
    assert f'href="/cycles/{cycle}/submit?lang=ar"' in response.text
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "unsafe-inline" not in csp
    assert "<script>" not in response.text and " style=" not in response.text
    assert page(api, None, "/static/ballot.js").headers["content-type"].startswith("text/javascript")
    assert page(api, None, "/static/nothing.js").status_code == 404


def test_the_team_posts_milestones_and_the_tracker_shows_the_progress(staff_api: StaffApi) -> None:
    api = staff_api
    cycle = cycle_in_vote(api, {"vote_type": "approval"})
    form(api, None, f"/cycles/{cycle}/vote/code", {"national_id": "AB4"})
    form(api, None, f"/cycles/{cycle}/vote", {"national_id": "AB4", "code": api.inbox.last, "vote": ["P-2"]})
    for step, data in (("close", {"confirm": "yes"}), ("announce", {})):
        assert form(api, "pb-team", f"/staff/cycles/{cycle}/vote/{step}", data).status_code == 303
    posted = form(api, "pb-team", f"/staff/cycles/{cycle}/milestones/record?lang=fr",
                  {"project": "P-2", "kind": "progress", "date": "2026-10-01", "percent": "40", "note": "Fondations"})
    assert posted.status_code == 303
    delayed = form(api, "pb-team", f"/staff/cycles/{cycle}/milestones/record?lang=fr",
                   {"project": "P-2", "kind": "delayed", "date": "2026-11-01", "reason": ""})
    assert delayed.status_code == 422 and "missing_text" in delayed.text  # a delay needs its reason
    tracker = page(api, None, f"/cycles/{cycle}/tracker", lang="fr").text
    assert 'value="40"' in tracker and "40\xa0%" in tracker and "1 octobre 2026" in tracker and "Fondations" in tracker
