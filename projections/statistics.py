"""The evaluation's numbers (stage 6 of the guide), as tables read from the read models: participation by channel,
district and phase, turnout against the register, ideas by status, channel, district and rejection criterion, money
by district and category, and the works' progress and delays. Amounts stay in minor units; shares are percentages
with one decimal (they are statistics, never part of the signed log)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from projections.queries import CycleQueries

MONEY_COLUMNS = frozenset({"envelope", "cost", "cost_on_ballot", "funded_amount", "budget", "spent"})
TIMELINE = ("ideas", "review", "vote", "results", "implementation", "evaluation")
NO_DISTRICT = ""


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    rows: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "columns": list(self.columns), "rows": self.rows}


def percent(part: int | None, whole: int | None) -> float | None:
    if part is None or not whole:
        return None
    return round(100 * part / whole, 1)


BALLOT_COUNTS = frozenset({"ballots_cast", "ballots_counted", "turnout_percent", "share_percent"})


class EvaluationStatistics:
    """`ballots_public=False` withholds every number of ballots (pb_ledger/web/visibility.py: the public sees no
    count of an open vote's ballots); the read models keep them, for the staff and for after the close."""

    def __init__(self, queries: CycleQueries, ballots_public: bool = True) -> None:
        self.q, self.ballots_public = queries, ballots_public

    def tables(self, cycle: str) -> list[Table]:
        tables = [self.turnout(cycle), self.participation_by_channel(cycle), self.participation_by_district(cycle),
                  self.participation_by_phase(cycle), self.ideas_by_status(cycle), self.ideas_by_channel(cycle),
                  self.ideas_by_district(cycle), self.rejections_by_criterion(cycle), self.money_by_district(cycle),
                  self.money_by_category(cycle), self.implementation(cycle), self.timeline(cycle),
                  self.surveys(cycle)]
        return tables if self.ballots_public else [_withheld(t) for t in tables]

    # --- participation ----------------------------------------------------------------------------------------------
    def turnout(self, cycle: str) -> Table:
        counts = self.q.participation(cycle)
        eligible = self.q.eligible(cycle)
        cast, counted = sum(r["ballots"] for r in counts), sum(r["counted"] for r in counts)
        return Table("turnout", ("eligible", "ballots_cast", "ballots_counted", "turnout_percent"),
                     [{"eligible": eligible, "ballots_cast": cast, "ballots_counted": counted,
                       "turnout_percent": percent(counted, eligible)}])

    def participation_by_channel(self, cycle: str) -> Table:
        by_channel: Counter[str] = Counter()
        cast: Counter[str] = Counter()
        for row in self.q.participation(cycle):
            by_channel[row["channel"]] += row["counted"]
            cast[row["channel"]] += row["ballots"]
        total = sum(by_channel.values())
        return Table("participation_by_channel", ("channel", "ballots_cast", "ballots_counted", "share_percent"),
                     [{"channel": c, "ballots_cast": cast[c], "ballots_counted": n, "share_percent": percent(n, total)}
                      for c, n in sorted(by_channel.items())])

    def participation_by_district(self, cycle: str) -> Table:
        register = self.q.register(cycle)
        counted: Counter[str] = Counter()
        cast: Counter[str] = Counter()
        for row in self.q.participation(cycle):
            counted[row["district"]] += row["counted"]
            cast[row["district"]] += row["ballots"]
        districts = sorted((set(register) | set(counted)) - {NO_DISTRICT})
        if counted[NO_DISTRICT] or register.get(NO_DISTRICT):  # ballots, or residents, without a district: last
            districts.append(NO_DISTRICT)
        return Table("participation_by_district", ("district", "eligible", "ballots_cast", "ballots_counted",
                                                   "turnout_percent"),
                     [{"district": d, "eligible": register.get(d), "ballots_cast": cast[d],
                       "ballots_counted": counted[d], "turnout_percent": percent(counted[d], register.get(d))}
                      for d in districts])

    def participation_by_phase(self, cycle: str) -> Table:
        ideas, forums = self.q.ideas(cycle), self.q.forums(cycle)
        visits = [v for v in self.q.site_visits(cycle) if v["held_seq"] is not None]
        rows = [("ideas", "ideas_submitted", len(ideas)), ("ideas", "forums_held", len(forums)),
                ("ideas", "forum_attendance", sum(f["attendance"] for f in forums)),
                ("review", "appeals_lodged", len(self.q.appeals(cycle))),
                ("vote", "ballots_cast", sum(r["ballots"] for r in self.q.participation(cycle))),
                ("implementation", "site_visits_held", len(visits)),
                ("implementation", "site_visit_attendance", sum(v["attendance"] or 0 for v in visits)),
                ("evaluation", "survey_responses", sum(s["responses"] for s in self.q.surveys(cycle)))]
        return Table("participation_by_phase", ("phase", "measure", "count"),
                     [{"phase": p, "measure": m, "count": n} for p, m, n in rows])

    # --- ideas ------------------------------------------------------------------------------------------------------
    def ideas_by_status(self, cycle: str) -> Table:
        counts = Counter(i["status"] for i in self.q.ideas(cycle))
        return Table("ideas_by_status", ("status", "ideas"),
                     [{"status": s, "ideas": counts[s]} for s in ("submitted", "accepted", "rejected", "merged")])

    def _ideas_by(self, cycle: str, column: str, name: str) -> Table:
        groups: dict[str, Counter[str]] = {}
        for idea in self.q.ideas(cycle):
            groups.setdefault(idea[column] or NO_DISTRICT, Counter())[idea["status"]] += 1
        return Table(name, (column, "submitted", "accepted", "rejected", "merged"),
                     [{column: key, "submitted": sum(c.values()), "accepted": c["accepted"],
                       "rejected": c["rejected"], "merged": c["merged"]} for key, c in sorted(groups.items())])

    def ideas_by_channel(self, cycle: str) -> Table:
        return self._ideas_by(cycle, "channel", "ideas_by_channel")

    def ideas_by_district(self, cycle: str) -> Table:
        return self._ideas_by(cycle, "district", "ideas_by_district")

    def rejections_by_criterion(self, cycle: str) -> Table:
        labels = self.q.criteria(cycle)
        final = Counter(i["criterion"] for i in self.q.ideas(cycle) if i["status"] == "rejected")
        decisions = Counter(d["criterion"] for d in self.q.decisions(cycle) if d["decision"] == "rejected")
        return Table("rejections_by_criterion", ("criterion", "label", "ideas_rejected", "rejection_decisions"),
                     [{"criterion": c, "label": labels.get(c, c), "ideas_rejected": final[c],
                       "rejection_decisions": n} for c, n in sorted(decisions.items())])

    # --- money ------------------------------------------------------------------------------------------------------
    def money_by_district(self, cycle: str) -> Table:
        envelopes, ballot = self.q.envelopes(cycle), self.q.ballot(cycle)
        funded = [p for p in ballot if p["selected"]]
        districts = sorted(set(envelopes) | {p["district"] or NO_DISTRICT for p in ballot})
        return Table("money_by_district", ("district", "envelope", "projects_on_ballot", "cost_on_ballot",
                                           "funded_projects", "funded_amount"),
                     [{"district": d, "envelope": envelopes.get(d),
                       "projects_on_ballot": sum(1 for p in ballot if (p["district"] or NO_DISTRICT) == d),
                       "cost_on_ballot": sum(p["cost"] for p in ballot if (p["district"] or NO_DISTRICT) == d),
                       "funded_projects": sum(1 for p in funded if (p["district"] or NO_DISTRICT) == d),
                       "funded_amount": sum(p["cost"] for p in funded if (p["district"] or NO_DISTRICT) == d)}
                      for d in districts])

    def money_by_category(self, cycle: str) -> Table:
        ballot = self.q.ballot(cycle)
        spent = sum(p["cost"] for p in ballot if p["selected"])
        categories = sorted({p["category"] or "" for p in ballot})
        rows = []
        for c in categories:
            own = [p for p in ballot if (p["category"] or "") == c]
            amount = sum(p["cost"] for p in own if p["selected"])
            rows.append({"category": c, "projects_on_ballot": len(own),
                         "funded_projects": sum(1 for p in own if p["selected"]), "funded_amount": amount,
                         "share_percent": percent(amount, spent)})
        return Table("money_by_category", ("category", "projects_on_ballot", "funded_projects", "funded_amount",
                                           "share_percent"), rows)

    # --- the works and the calendar ---------------------------------------------------------------------------------
    def implementation(self, cycle: str) -> Table:
        columns = ("project", "title", "district", "cost", "status", "percent", "works_started", "ended", "delays",
                   "last_delay_reason")
        return Table("implementation", columns, [{c: row[c] for c in columns} for row in self.q.implementation(cycle)])

    def timeline(self, cycle: str) -> Table:
        """Each phase as planned (TimelineSet) and as it happened (the entries that started it), with the days it
        ended late (negative: early) where both are known."""
        planned = {row["phase"]: row for row in self.q.timeline(cycle)}
        phases = self.q.phases(cycle)  # in log order: a phase ends when the next one starts
        dates = {}
        for n, row in enumerate(phases):
            if row["phase"] not in dates:
                dates[row["phase"]] = (row["time"][:10], phases[n + 1]["time"][:10] if n + 1 < len(phases) else None)
        rows = []
        for phase in TIMELINE:
            plan, (start, end) = planned.get(phase, {}), dates.get(phase, (None, None))
            rows.append({"phase": phase, "planned_start": plan.get("start_date"), "planned_end": plan.get("end_date"),
                         "started": start, "ended": end, "days_late": _days(plan.get("end_date"), end)})
        return Table("timeline", ("phase", "planned_start", "planned_end", "started", "ended", "days_late"), rows)

    def surveys(self, cycle: str) -> Table:
        rows = [{"survey": s["survey"], "responses": s["responses"], "question": q["question"], "answer": option,
                 "answers": n} for s in self.q.surveys(cycle) for q in s["questions"] for option, n in
                q["answers"].items()]
        return Table("surveys", ("survey", "responses", "question", "answer", "answers"), rows)


def _withheld(table: Table) -> Table:
    rows = [{k: None if k in BALLOT_COUNTS or (row.get("measure") == "ballots_cast" and k == "count") else v
             for k, v in row.items()} for row in table.rows]
    return Table(table.name, table.columns, rows)


def _days(planned: str | None, actual: str | None) -> int | None:
    if planned is None or actual is None:
        return None
    return (date.fromisoformat(actual) - date.fromisoformat(planned)).days
