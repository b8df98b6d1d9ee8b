"""The words the pages use for the log's codes (phases, statuses, event types, milestone kinds, vote methods, counting
rules), marked for the gettext catalogue and translated when a page shows them (`_(PHASES[code])`). The English here
is the catalogue's msgid; the Arabic follows the terms of the municipal guide."""

from __future__ import annotations


def N_(text: str) -> str:
    """Marks a string for extraction into the catalogue (pybabel extract -k N_); translated where it is shown."""
    return text


PHASES = {
    "launch": N_("Launch"),
    "ideas": N_("Collection of ideas"),
    "review": N_("Study of the ideas"),
    "vote": N_("Vote on the projects"),
    "counting": N_("Vote closed, counting"),
    "results": N_("Announcement of the results"),
    "implementation": N_("Follow-up of the works"),
    "evaluation": N_("Evaluation of the process"),
    "closed": N_("Cycle closed"),
}
# the phases a timeline shows, in order (the guide's stages)
TIMELINE = ("ideas", "review", "vote", "results", "implementation", "evaluation")

STATUSES = {
    "submitted": N_("Under study"),
    "accepted": N_("Accepted"),
    "rejected": N_("Rejected"),
    "merged": N_("Merged with a similar idea"),
}

EVENTS = {
    "IdeaSubmitted": N_("Idea submitted"),
    "IdeaAccepted": N_("Accepted by the selection committee"),
    "IdeaRejected": N_("Rejected by the selection committee"),
    "IdeasMerged": N_("Ideas merged"),
    "AppealLodged": N_("Appeal lodged"),
    "AppealAnswered": N_("Appeal answered"),
    "AuthorDataErased": N_("Personal data erased"),
}

DETAIL_FIELDS = {
    "reason": N_("Reason"),
    "revision_reason": N_("Reason for the revision"),
    "criterion": N_("Criterion"),
    "cost": N_("Cost"),
    "statement": N_("Appeal"),
    "answer": N_("Answer"),
    "outcome": N_("Outcome"),
    "project": N_("Project"),
    "channel": N_("Channel"),
}

CHANNELS = {
    "online": N_("Online form"),
    "paper": N_("Paper form"),
    "forum": N_("Citizen forum"),
    "import": N_("Imported"),
    "carried": N_("Carried over from the previous cycle"),
}

MILESTONES = {
    "planned": N_("Planned"),
    "procurement": N_("Procurement"),
    "works-started": N_("Works started"),
    "progress": N_("Progress"),
    "delayed": N_("Delayed"),
    "completed": N_("Completed"),
    "cancelled": N_("Cancelled"),
}

VOTE_TYPES = {
    "approval": N_("Approval: choose several projects"),
    "knapsack": N_("Within a budget: choose projects whose total cost fits the budget"),
    "cumulative": N_("Points: share out your points among the projects"),
    "ordinal": N_("Ranking: rank the projects in order of preference"),
    "choose-1": N_("One project: choose a single project"),
}

# counting rules, in plain words
RULES = {
    "greedy": N_("The projects are funded in order of their votes, from the most voted; a project that no longer "
                 "fits in what is left of the budget is skipped, and the next ones are still considered."),
    "greedy-no-skip": N_("The projects are funded in order of their votes, from the most voted, until the first "
                         "project that does not fit in what is left of the budget: the count stops there."),
    "greedy-threshold": N_("Only projects with at least the minimum support set in the rules can be funded; among "
                           "them, the most voted are funded first, skipping those that no longer fit."),
    "greedy-exclusive": N_("The projects are funded in order of their votes, skipping those that no longer fit and "
                           "those that exclude a project already funded."),
    "greedy-custom": N_("The projects are funded in order of their votes, as the city's own rule sets it out, "
                        "skipping those that no longer fit."),
    "equalshares": N_("Method of Equal Shares: the budget is shared equally among the voters, and a project is "
                      "funded when its supporters can pay for it together from their shares."),
    "equalshares/add1": N_("Method of Equal Shares, with each voter's share raised step by step so that as much of "
                           "the budget as possible is used."),
    "equalshares-comparison": N_("Method of Equal Shares, compared with the simple count by votes: the outcome "
                                 "that the rule prefers is kept."),
    "equalshares/add1-comparison": N_("Method of Equal Shares with shares raised step by step, compared with the "
                                      "simple count by votes: the outcome that the rule prefers is kept."),
}

TIE_BREAKS = {
    "lower-cost": N_("A tie between projects is settled in favour of the cheaper project."),
    "lexicographic": N_("A tie between projects is settled by the order of their references."),
    "lottery": N_("A tie between projects is settled by a lottery drawn from the fingerprint of the entry that "
                  "closed the vote, which anyone can redraw."),
}

TEAM_ROLES = {"coordinator": N_("Coordinator"), "member": N_("Member"), "communication": N_("Communication"),
              "technical": N_("Technical"), "finance": N_("Finance"), "legal": N_("Legal")}

STAFF_ROLES = {"pb-team": N_("Participatory budgeting team"), "committee": N_("Selection committee"),
               "clerk": N_("Data-entry clerk"), "auditor": N_("Auditor"), "admin": N_("Administrator")}


def method_of(rules: dict[str, object] | None) -> str | None:
    """The ballot method the pages show: an approval vote with a cost limit is the knapsack ballot."""
    if not rules:
        return None
    if rules.get("vote_type") == "approval" and rules.get("max_sum_cost") is not None:
        return "knapsack"
    return str(rules.get("vote_type"))
