"""A demonstration cycle for a fresh install: a commune's whole cycle through the application services, with ideas
in Arabic, one rejection with its public reason, simulated paper and online ballots, and the announced results."""

from __future__ import annotations

import random

from pb_ledger.domain import cycle as domain
from pb_ledger.domain.rules import Rules
from pb_ledger.services import CycleService

# (idea id, title, estimated cost in dirhams, accepted?)
IDEAS = [
    ("I-001", "تهيئة حديقة الحي مع ألعاب للأطفال", 450_000, True),
    ("I-002", "إنارة عمومية بالطاقة الشمسية في شارع المسيرة", 300_000, True),
    ("I-003", "ملعب قرب لكرة القدم", 600_000, True),
    ("I-004", "تجهيز مكتبة الحي بالحواسيب", 150_000, True),
    ("I-005", "تشجير مدخل الجماعة", 120_000, True),
    ("I-006", "ممرات آمنة للراجلين قرب المدرسة", 250_000, True),
    ("I-007", "بناء مسبح أولمبي", 9_000_000, False),
]
REJECTION = ("الكلفة التقديرية (9 ملايين درهم) تفوق الميزانية المخصصة للمشاريع التشاركية (1.5 مليون درهم).",
             "cost-within-budget")
WEIGHTS = [30, 22, 18, 12, 9, 14]


def load_demo(service: CycleService, ballots: int = 600, seed: int = 2026) -> str:
    cycle = service.create_cycle("جماعة النموذج · الميزانية التشاركية 2026", 150_000_000, "MAD", 2,
                                 {"format": "demo", "note": "demonstration data, simulated ballots"})
    service.fix_rules(cycle, Rules(vote_type="approval", min_length=1, max_length=3, rule="greedy",
                                   tie_break="lottery"))
    for idea, title, cost, accepted in IDEAS:
        service.submit_idea(cycle, idea, title, "", "paper" if idea.endswith(("3", "6")) else "online",
                            estimated_cost=cost * 100)
        if accepted:
            service.accept_idea(cycle, idea, idea.replace("I-", "P-"), cost * 100, "مقترح مؤهل وقابل للإنجاز")
        else:
            service.reject_idea(cycle, idea, *REJECTION)
    service.open_voting(cycle)
    _cast(service, cycle, ballots, seed)
    service.close_voting(cycle)
    service.announce_results(cycle)
    return cycle


def _cast(service: CycleService, cycle: str, ballots: int, seed: int) -> None:
    rng = random.Random(seed)
    projects = [f"P-{n:03d}" for n in range(1, 7)]
    state, version = service.load(cycle)
    events = []
    for i in range(ballots):
        size = rng.randint(1, 3)
        vote = sorted(set(rng.choices(projects, weights=WEIGHTS, k=size)))
        events.append(domain.decide_cast_ballot(state, "paper" if i % 3 == 0 else "online", vote, None))
    service.append_decided(cycle, version, events, ("voter", ""))
