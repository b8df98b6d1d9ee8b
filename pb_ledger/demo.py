"""A demonstration cycle for a fresh install: a commune's whole cycle through the application services — launch,
ideas from the three channels, the committee's review with a rejection and its public reason, simulated paper and
online ballots, results, and the first milestones of the works."""

from __future__ import annotations

import hashlib
import random

from pb_ledger.domain import voting
from pb_ledger.domain.rules import Rules
from pb_ledger.services import Services

TEAM, COMMITTEE, CLERK = ("pb-team", "demo"), ("committee", "demo"), ("clerk", "demo")
# (title, estimated cost in dirhams, channel, accepted?)
IDEAS = [
    ("تهيئة حديقة الحي مع ألعاب للأطفال", 450_000, "online", True),
    ("إنارة عمومية بالطاقة الشمسية في شارع المسيرة", 300_000, "online", True),
    ("ملعب قرب لكرة القدم", 600_000, "paper", True),
    ("تجهيز مكتبة الحي بالحواسيب", 150_000, "forum", True),
    ("تشجير مدخل الجماعة", 120_000, "online", True),
    ("ممرات آمنة للراجلين قرب المدرسة", 250_000, "paper", True),
    ("بناء مسبح أولمبي", 9_000_000, "online", False),
]
REJECTION = ("الكلفة التقديرية (9 ملايين درهم) تفوق الميزانية المخصصة للمشاريع التشاركية (1.5 مليون درهم).",
             "cost-within-budget")
CRITERIA = {"competence": "يدخل في اختصاصات الجماعة", "cost-within-budget": "الكلفة في حدود الميزانية",
            "public-land": "يُنجز على عقار عمومي"}
WEIGHTS = [30, 22, 18, 12, 9, 14]
# each idea's district and category (aligned with IDEAS), for the evaluation's statistics
PLACES = [("حي السلام", "المساحات الخضراء"), ("حي النهضة", "الإنارة والطرق"), ("حي السلام", "الرياضة"),
          ("حي الفتح", "الثقافة"), ("حي النهضة", "المساحات الخضراء"), ("حي الفتح", "الإنارة والطرق"),
          ("حي السلام", "الرياضة")]
ENVELOPES = {"حي السلام": 70_000_000, "حي النهضة": 45_000_000, "حي الفتح": 35_000_000}  # centimes: 1.5 million MAD
TIMELINE = {"ideas": ("2026-03-01", "2026-03-31"), "review": ("2026-04-01", "2026-04-30"),
            "vote": ("2026-05-10", "2026-05-24"), "results": ("2026-06-01", "2026-06-05"),
            "implementation": ("2026-06-06", "2027-05-31"), "evaluation": ("2027-06-01", "2027-06-30")}


def load_demo(services: Services, ballots: int = 600, seed: int = 2026) -> str:
    launch, ideas, review = services.launch, services.ideas, services.review
    cycle = launch.create_cycle("جماعة النموذج · الميزانية التشاركية 2026", 150_000_000, "MAD", 2,
                                {"format": "demo", "note": "demonstration data, simulated ballots"}, TEAM)
    launch.record_council_decision(cycle, "مقرر رقم 12/2026", "2026-02-05", "الانخراط في الميزانية التشاركية", TEAM)
    launch.set_criteria(cycle, CRITERIA, TEAM)
    launch.set_timeline(cycle, TIMELINE, TEAM)
    launch.set_envelopes(cycle, ENVELOPES, TEAM)
    services.voting.fix_rules(cycle, Rules(vote_type="approval", min_length=1, max_length=3, rule="greedy",
                                           tie_break="lottery"), TEAM)
    launch.start_phase(cycle, "ideas", TEAM)
    ideas.record_forum(cycle, "F-1", "2026-03-14", "دار الشباب", 85, TEAM)
    receipts = [_submit(services, cycle, n, *idea[:3], *PLACES[n]) for n, idea in enumerate(IDEAS)]
    launch.start_phase(cycle, "review", TEAM)
    for n, (receipt, (title, cost, _, accepted)) in enumerate(zip(receipts, IDEAS)):
        if accepted:
            review.accept_idea(cycle, receipt, f"P-{n + 1:03d}", cost * 100, "مقترح مؤهل وقابل للإنجاز",
                               checks=dict.fromkeys(CRITERIA, True), actor=COMMITTEE)
        else:
            review.reject_idea(cycle, receipt, *REJECTION, actor=COMMITTEE)
    review.publish_ballot(cycle, TEAM)
    services.voting.open_voting(cycle, TEAM)
    _cast(services, cycle, ballots, seed)
    services.voting.close_voting(cycle, TEAM)
    winners = services.voting.announce_results(cycle, TEAM)
    _follow_up(services, cycle, winners)
    return cycle


def _follow_up(services: Services, cycle: str, winners: list[str]) -> None:
    """The first milestones of the works: one project under way, one delayed with its reason."""
    followup = services.followup
    followup.record_milestone(cycle, winners[0], "procurement", "2026-09-01", actor=TEAM)
    followup.record_milestone(cycle, winners[0], "works-started", "2026-10-15", actor=TEAM)
    followup.record_milestone(cycle, winners[0], "progress", "2026-12-01", percent=45, actor=TEAM)
    if len(winners) > 1:
        followup.record_milestone(cycle, winners[1], "planned", "2026-09-15", actor=TEAM)
        followup.record_milestone(cycle, winners[1], "delayed", "2026-11-20", actor=TEAM,
                                  reason="تأخر تسليم أعمدة الإنارة من طرف المورد")


def _submit(services: Services, cycle: str, n: int, title: str, cost: int, channel: str, district: str,
            category: str) -> str:
    where = {"district": district, "category": category, "estimated_cost": cost * 100}
    if channel == "paper":
        scan = hashlib.sha256(f"demo scan {n}".encode()).hexdigest()
        return services.ideas.submit_idea(cycle, title, channel="paper", paper_form_number=f"PF-{n:04d}",
                                          scan_sha256=scan, actor=CLERK, **where)
    if channel == "forum":
        return services.ideas.submit_idea(cycle, title, channel="forum", forum="F-1", actor=TEAM, **where)
    return services.ideas.submit_idea(cycle, title, actor=("citizen", ""), **where)


def _cast(services: Services, cycle: str, ballots: int, seed: int) -> None:
    """Simulated ballots, decided one by one by the domain and appended in one transaction."""
    rng = random.Random(seed)
    state, version = services.repo.load(cycle)
    projects = list(state.ballot)
    paper, online = [], []
    for i in range(ballots):
        vote = sorted(set(rng.choices(projects, weights=WEIGHTS, k=rng.randint(1, 3))))
        if i % 3 == 0:
            paper.append(voting.decide_cast(state, "paper", vote, None, "clerk"))
        else:
            online.append(voting.decide_cast(state, "online", vote, None, "voter"))
    version = services.repo.append_decided(cycle, version, paper, CLERK)
    services.repo.append_decided(cycle, version, online, ("voter", ""))
