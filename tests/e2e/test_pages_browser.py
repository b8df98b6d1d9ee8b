"""The pages as citizens and staff use them, in headless Chromium against a real `pb-ledger serve`: a citizen submits
an idea in Arabic and finds it by its receipt; a committee member logs in and rejects it with a reason, which the
citizen then reads; voters cast a knapsack ballot (live budget meter) and a cumulative ballot (points counter) with the
one-time code, and check their receipts; the PB team closes the vote and announces the results on its pages; the
results and the audit page show the numbers of the log. Every page is photographed in every language."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.browser_support import PASSWORD, Server, launch_browser, screenshot_dir, start_server

LOG = "commune-browser"
MAD = 100  # centimes per dirham
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1100, "height": 900}
REGISTER = "national_id;district;contact\nAB100001;;+212600000001\nAB100002;;+212600000002\nAB100003;;\n"
PROJECTS = [("P-1", "حديقة الحي", 400_000), ("P-2", "إنارة عمومية", 350_000), ("P-3", "ملعب قرب", 300_000),
            ("P-4", "مكتبة الحي", 250_000)]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from start_server(tmp_path_factory.mktemp("pages") / "data", LOG)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launch_browser()


@pytest.fixture(scope="module")
def story() -> dict[str, Any]:
    """What one step of the story leaves for the next (the cycles, the receipt)."""
    return {}


def shot(page: Any, name: str) -> None:
    page.screenshot(path=str(screenshot_dir() / f"{name}.png"), full_page=True)


def new_cycle(server: Server, title: str, amount: int) -> str:
    cycle = server.command("team", "/cycles", {"title": title, "amount": amount * MAD, "currency": "MAD"})["cycle"]
    server.command("team", f"/cycles/{cycle}/record-council-decision", {"reference": "مقرر 7/2026",
                                                                        "date": "2026-02-05"})
    server.command("team", f"/cycles/{cycle}/set-criteria", {"criteria": {
        "competence": "يدخل في اختصاصات الجماعة", "cost": "الكلفة في حدود الميزانية"}})
    server.command("team", f"/cycles/{cycle}/set-timeline", {"phases": {
        "ideas": {"start": "2026-03-01", "end": "2026-03-31"}, "review": {"start": "2026-04-01", "end": "2026-04-30"},
        "vote": {"start": "2026-05-10", "end": "2026-05-24"}, "results": {"start": "2026-06-01", "end": "2026-06-05"}}})
    return cycle


def cycle_in_vote(server: Server, title: str, rules: dict[str, Any]) -> str:
    """A cycle whose vote is open on PROJECTS, with a register of three residents."""
    cycle = new_cycle(server, title, 1_000_000)
    server.command("team", f"/cycles/{cycle}/fix-rules", {"rules": rules})
    server.command("team", f"/cycles/{cycle}/start-phase", {"phase": "ideas"})
    response = httpx.post(server.api(f"/cycles/{cycle}/publish-register"), content=REGISTER.encode(),
                          headers={**server.as_("team"), "Content-Type": "text/csv"})
    assert response.status_code == 200, response.text
    ideas = [server.command(None, f"/cycles/{cycle}/submit-idea", {"title": title_})["idea"]
             for _, title_, _ in PROJECTS]
    server.command("team", f"/cycles/{cycle}/start-phase", {"phase": "review"})
    for idea, (project, _, cost) in zip(ideas, PROJECTS, strict=True):
        server.command("committee", f"/cycles/{cycle}/accept-idea", {"idea": idea, "project": project,
                                                                     "cost": cost * MAD, "reason": "قابل للإنجاز"})
    server.command("team", f"/cycles/{cycle}/publish-ballot")
    server.command("team", f"/cycles/{cycle}/open-voting")
    return cycle


def log_in(page: Any, server: Server, username: str) -> None:
    page.get_by_label("اسم المستخدم").fill(username)
    page.get_by_label("كلمة المرور").fill(PASSWORD)
    page.get_by_role("button", name="تسجيل الدخول").click()


def digits(text: str) -> int:
    return int(re.sub(r"\D", "", text))


# --- ideas ------------------------------------------------------------------------------------------------------------


def test_a_citizen_submits_an_idea_in_arabic_and_finds_it_by_its_receipt(server: Server, browser: Any,
                                                                          story: dict[str, Any]) -> None:
    cycle = new_cycle(server, "جماعة المثال · الميزانية التشاركية 2026", 1_500_000)
    server.command("team", f"/cycles/{cycle}/fix-rules", {"rules": {"vote_type": "approval", "max_length": 2}})
    server.command("team", f"/cycles/{cycle}/start-phase", {"phase": "ideas"})
    story["ideas_cycle"] = cycle
    page = browser.new_page(viewport=PHONE)
    page.goto(server.url + "/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    current = page.locator("ol.timeline li[aria-current=step]")
    assert "جمع أفكار ومقترحات المواطنين" in current.inner_text() and "2026" in current.inner_text()
    shot(page, "home-ideas-phase-ar-phone")
    page.get_by_role("link", name="تقديم فكرة").first.click()
    page.get_by_label("عنوان الفكرة").fill("ممر آمن للراجلين قرب مدرسة الحي")
    page.get_by_label("الوصف").fill("ممر مُعلَّم وإشارات ضوئية أمام المدرسة الابتدائية.")
    page.get_by_label("الكلفة التقديرية").fill("250000")
    page.get_by_label("الهاتف").fill("+212600000099")
    page.get_by_role("button", name="إيداع الفكرة").click()
    receipt = page.locator(".receipt-code").inner_text().strip()
    assert re.fullmatch(r"I-[0-9A-Z]{4}-[0-9A-Z]{4}", receipt)
    shot(page, "idea-receipt-ar-phone")
    story["receipt"] = receipt

    lookup = browser.new_page(viewport=PHONE)
    lookup.goto(server.url + "/ideas")
    lookup.get_by_label("رمز الوصل").fill(receipt.lower())
    lookup.get_by_role("button", name="بحث").click()
    assert lookup.get_by_role("heading", name="ممر آمن للراجلين قرب مدرسة الحي").is_visible()
    assert lookup.locator(".status-submitted").inner_text() == "قيد الدراسة"
    assert "تم التحقق" in lookup.locator("#proof-result").inner_text()  # the receipt's proof, checked
    assert "+212600000099" not in "".join(r["entry"] for r in server.get("/entries")["entries"])
    shot(lookup, "idea-lookup-ar-phone")


def test_a_committee_member_rejects_it_with_a_reason_and_the_citizen_sees_the_reason(
        server: Server, browser: Any, story: dict[str, Any]) -> None:
    cycle, receipt = story["ideas_cycle"], story["receipt"]
    server.command("team", f"/cycles/{cycle}/start-phase", {"phase": "review"})
    page = browser.new_page(viewport=DESKTOP)
    page.goto(f"{server.url}/staff/cycles/{cycle}/review")
    assert "/staff/login" in page.url  # no session: the login page, then back
    shot(page, "staff-login-ar")
    log_in(page, server, "committee")
    page.wait_for_url(f"**/staff/cycles/{cycle}/review**")
    idea = page.locator(f"section[data-idea='{receipt}']")
    shot(page, "staff-review-ar")
    idea.get_by_role("button", name="رفض").click()  # without a reason: refused, nothing recorded
    assert "تعليل عمومي" in page.locator("#error").inner_text() or page.locator("#error").is_visible()
    idea = page.locator(f"section[data-idea='{receipt}']")
    idea.get_by_label("المعيار غير المستوفى").select_option("competence")
    idea.get_by_label("التعليل العمومي للرفض").fill("الممرات أمام المدارس من اختصاص المديرية الإقليمية للتجهيز.")
    idea.get_by_role("button", name="رفض").click()
    assert page.locator("#done").is_visible()

    citizen = browser.new_page(viewport=PHONE)
    citizen.goto(f"{server.url}/ideas?receipt={receipt}")
    assert citizen.locator(".status-rejected").inner_text() == "مرفوضة"
    assert "من اختصاص المديرية الإقليمية للتجهيز" in citizen.locator(".reason").inner_text()
    assert citizen.get_by_role("cell", name="رفض لجنة الانتقاء").is_visible()
    shot(citizen, "idea-rejected-ar-phone")
    citizen.get_by_role("link", name="Français").click()
    assert citizen.locator("html").get_attribute("dir") == "ltr"
    assert citizen.locator(".status-rejected").inner_text() == "Rejetée"  # the same page, in French
    shot(citizen, "idea-rejected-fr-phone")


# --- the vote ---------------------------------------------------------------------------------------------------------


def start_ballot(page: Any, server: Server, cycle: str, national_id: str) -> None:
    page.goto(f"{server.url}/cycles/{cycle}/vote")
    page.get_by_label("رقم البطاقة الوطنية للتعريف").fill(national_id)
    before = len(server.lines)
    page.get_by_role("button", name="أرسل لي الرمز").click()
    page.get_by_label("الرمز الصالح لمرة واحدة").fill(server.one_time_code(before))


def cast_and_check_receipt(browser: Any, page: Any, server: Server, name: str) -> tuple[int, str]:
    page.get_by_role("button", name="تأكيد تصويتي").click()
    page.wait_for_url("**/receipts?**")
    assert "سُجّلت ورقة تصويتك" in page.locator("[role=status]").first.inner_text()
    assert "تم التحقق" in page.locator("#proof-result").inner_text()
    seq, entry_hash = int(page.locator("#receipt-seq").inner_text()), page.locator("#receipt-hash").inner_text()
    shot(page, f"{name}-receipt-ar")
    check = browser.new_page()  # later, anyone checks the receipt with its two values
    check.goto(f"{server.url}/receipts?lang=en")
    check.get_by_label("Entry number (seq)").fill(str(seq))
    check.get_by_label("Entry hash").fill(entry_hash)
    check.get_by_role("button", name="Check").click()
    assert "BallotCast" in check.locator("main").inner_text() and "Checked" in check.locator("#proof-result").inner_text()
    assert "P-1" not in check.locator("main").inner_text()  # a receipt shows no choice
    return seq, entry_hash


def test_a_voter_casts_a_knapsack_ballot_with_the_live_budget_meter_and_checks_the_receipt(
        server: Server, browser: Any, story: dict[str, Any]) -> None:
    cycle = cycle_in_vote(server, "تصويت ضمن ميزانية", {"vote_type": "approval", "max_sum_cost": 800_000 * MAD,
                                                          "tie_break": "lottery"})
    story["knapsack"] = cycle
    page = browser.new_page(viewport=PHONE)
    start_ballot(page, server, cycle, "ab 100001")
    meter, over = page.locator("#budget-meter"), page.locator("#budget-over")
    page.get_by_label(re.compile("P-1")).check()
    page.get_by_label(re.compile("P-2")).check()
    assert meter.evaluate("m => m.value") == 750_000 * MAD and over.is_hidden()
    assert "750" in page.locator("#budget-text").inner_text()
    page.get_by_label(re.compile("P-3")).check()  # 1,050,000 > 800,000: the meter warns
    assert over.is_visible()
    shot(page, "ballot-knapsack-over-ar-phone")
    page.get_by_label(re.compile("P-3")).uncheck()
    assert over.is_hidden()
    shot(page, "ballot-knapsack-ar-phone")
    story["knapsack_receipt"] = cast_and_check_receipt(browser, page, server, "ballot-knapsack")


def test_a_voter_casts_a_cumulative_ballot_with_the_points_counter_and_checks_the_receipt(
        server: Server, browser: Any, story: dict[str, Any]) -> None:
    cycle = cycle_in_vote(server, "تصويت بالنقاط", {"vote_type": "cumulative", "max_points": 5,
                                                      "max_sum_points": 10, "tie_break": "lower-cost"})
    story["cumulative"] = cycle
    page = browser.new_page(viewport=PHONE)
    start_ballot(page, server, cycle, "AB100002")
    page.get_by_label(re.compile("P-1")).fill("4")
    page.get_by_label(re.compile("P-2")).fill("3")
    assert page.locator("#points-meter").evaluate("m => m.value") == 7
    assert page.locator("#points-over").is_hidden()
    page.get_by_label(re.compile("P-3")).fill("4")  # 11 points out of 10
    assert page.locator("#points-over").is_visible()
    shot(page, "ballot-cumulative-over-ar-phone")
    page.get_by_label(re.compile("P-3")).fill("")
    shot(page, "ballot-cumulative-ar-phone")
    cast_and_check_receipt(browser, page, server, "ballot-cumulative")
    server.command("team", f"/cycles/{cycle}/close-voting")
    server.command("team", f"/cycles/{cycle}/announce-results")
    results = browser.new_page(viewport=DESKTOP)
    results.goto(f"{server.url}/cycles/{cycle}/results")
    scores = {row.locator(".ref").inner_text(): digits(row.locator(".score").inner_text())
              for row in results.locator("tbody tr").all()}
    assert scores == {"P-1": 4, "P-2": 3, "P-3": 0, "P-4": 0}
    shot(results, "results-cumulative-ar")


def test_no_page_or_api_response_shows_a_vote_count_while_the_vote_is_open(server: Server, browser: Any,
                                                                          story: dict[str, Any]) -> None:
    cycle = story["knapsack"]
    assert server.get(f"/cycles/{cycle}")["ballots"] is None
    assert all(c["ballots"] is None for c in server.get("/cycles") if c["phase"] == "vote")
    assert httpx.get(server.api(f"/cycles/{cycle}/results")).status_code == 404
    entries = server.get("/entries?limit=1000")
    assert all('"BallotCast"' not in e["entry"] for e in entries["entries"])  # the public log stops before them
    export = httpx.get(server.api("/export")).text
    assert '"BallotCast"' not in export
    page = browser.new_page(viewport=DESKTOP)
    for path in (f"/cycles/{cycle}", "/cycles", f"/cycles/{cycle}/results", "/audit"):
        page.goto(f"{server.url}{path}?lang=en")
        text = page.locator("main").inner_text()
        assert "Shown once the vote is closed" in text or "not announced" in text or "—" in text, path
    shot(page, "audit-vote-open-en")


def test_the_team_closes_the_vote_and_announces_and_results_and_audit_show_the_log_s_numbers(
        server: Server, browser: Any, story: dict[str, Any]) -> None:
    cycle = story["knapsack"]
    page = browser.new_page(viewport=DESKTOP)
    page.goto(f"{server.url}/staff/cycles/{cycle}/vote")
    log_in(page, server, "team")
    page.wait_for_url(f"**/staff/cycles/{cycle}/vote**")
    page.get_by_role("button", name="إغلاق التصويت").click()  # not confirmed: refused
    assert page.locator("#error").is_visible()
    page.get_by_label("أؤكد").check()
    page.get_by_role("button", name="إغلاق التصويت").click()
    page.get_by_role("button", name="الفرز وإعلان النتائج").click()
    assert page.locator("#done").is_visible()
    shot(page, "staff-vote-announced-ar")

    announced = server.get(f"/cycles/{cycle}/results")
    assert {"P-1", "P-2"} <= set(announced["winners"]) and announced["ballots"] == 1  # greedy fills what is left
    results = browser.new_page(viewport=DESKTOP)
    results.goto(f"{server.url}/cycles/{cycle}/results")
    rows = {row.locator(".ref").inner_text(): row for row in results.locator("tbody tr").all()}
    for project in announced["projects"]:
        assert digits(rows[project["project"]].locator(".score").inner_text()) == project["score"]
        assert ("ممول" == rows[project["project"]].locator("td").last.inner_text()) == project["selected"]
    assert results.locator("svg.chart rect").count() == len(PROJECTS)
    shot(results, "results-knapsack-ar")

    audit = browser.new_page(viewport=DESKTOP)
    audit.goto(f"{server.url}/audit?lang=en")
    entries = httpx.get(f"{server.url}/healthz").json()["entries"]
    assert digits(audit.locator("#checkpoint-size").inner_text()) == entries
    row = audit.locator("tr", has_text="تصويت ضمن ميزانية")
    assert sorted(row.locator(".audit-winners").inner_text().split(", ")) == sorted(announced["winners"])
    assert digits(row.locator(".audit-ballots").inner_text()) == 1
    seq, entry_hash = story["knapsack_receipt"]
    export = httpx.get(server.api("/export")).text  # after the close, the whole log is public
    assert entry_hash in export and f'"seq":{seq},' in export
    shot(audit, "audit-en")


# --- every page, in every language ------------------------------------------------------------------------------------


def test_every_page_in_every_language_is_photographed_and_fits_a_phone(server: Server, browser: Any,
                                                                        story: dict[str, Any]) -> None:
    cycle, knapsack, cumulative = story["ideas_cycle"], story["knapsack"], story["cumulative"]
    public = {"home": "/", "cycles": "/cycles", "cycle": f"/cycles/{knapsack}", "projects": f"/cycles/{knapsack}/projects",
              "results": f"/cycles/{knapsack}/results", "tracker": f"/cycles/{knapsack}/tracker",
              "idea": f"/ideas?receipt={story['receipt']}", "audit": "/audit", "receipt-check": "/receipts",
              "submit": f"/cycles/{cycle}/submit", "vote": f"/cycles/{knapsack}/vote",
              "form-idea": f"/cycles/{cycle}/forms/idea", "form-ballot-knapsack": f"/cycles/{knapsack}/forms/ballot",
              "form-ballot-cumulative": f"/cycles/{cumulative}/forms/ballot", "staff-login": "/staff/login"}
    staff = {"team": {"staff-setup": f"/staff/cycles/{cycle}/setup", "staff-milestones": f"/staff/cycles/{knapsack}/milestones",
                      "staff-dashboard": "/staff"},
             "committee": {"staff-review": f"/staff/cycles/{cycle}/review"},
             "clerk": {"staff-paper-ideas": f"/staff/cycles/{cycle}/paper-ideas",
                       "staff-paper-ballots": f"/staff/cycles/{knapsack}/paper-ballots"}}
    for lang in ("ar", "fr", "en"):
        page = browser.new_page(viewport=PHONE)
        for name, path in public.items():
            response = page.goto(f"{server.url}{path}{'&' if '?' in path else '?'}lang={lang}")
            assert response.status == 200, path
            assert page.locator("html").get_attribute("lang") == lang
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), \
                f"{name} ({lang}) is wider than a phone"
            shot(page, f"{name}-{lang}")
        page.close()
        for username, pages in staff.items():
            context = browser.new_context(viewport=DESKTOP)
            page = context.new_page()
            page.goto(f"{server.url}/staff/login?lang=ar")
            log_in(page, server, username)
            for name, path in pages.items():
                assert page.goto(f"{server.url}{path}?lang={lang}").status == 200, path
                shot(page, f"{name}-{lang}")
            context.close()
    assert len(list(Path(screenshot_dir()).glob("*.png"))) >= 3 * (len(public) + 6)
