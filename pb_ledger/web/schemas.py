"""Request and response schemas of the HTTP API, separate from domain objects.

A command's request schema names its fields as the application service's parameters (tests/e2e/test_api_commands.py
checks it), so `to_kwargs()` hands them over unchanged unless a schema says otherwise."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, Strict


class ErrorBody(BaseModel):
    code: str
    message: str  # in the caller's language
    detail: str  # the specific reason, in English


class ErrorResponse(BaseModel):
    error: ErrorBody


class EntryPublic(BaseModel):
    seq: int
    hash: str
    sig: str
    entry: str  # the exact entry bytes (UTF-8 JSON text), to be hashed and verified as they are


class EntriesPage(BaseModel):
    log: str
    entries: list[EntryPublic]
    next_start: int | None
    public_size: int  # the entries the public may read now: all, or, while a vote is open, those before its ballots


class Money(BaseModel):
    amount: int
    currency: str
    exponent: int


class CyclePublic(BaseModel):
    cycle: str
    title: str
    budget: Money
    phase: str
    vote_type: str | None
    rule: str | None
    tie_break: str | None
    threshold: int | None
    ballots: int | None  # null until the vote is closed: no running count (pb_ledger/web/visibility.py)
    spent: int | None


class ProjectPublic(BaseModel):
    project: str
    idea: str
    title: str
    cost: int
    score: int | None
    rank: int | None
    selected: bool | None
    on_ballot: bool = False  # put to the vote (once the vote has opened)
    district: str | None = None
    category: str | None = None


class ResultsPublic(BaseModel):
    cycle: str
    rule: str | None
    winners: list[str]
    spent: int | None
    ballots: int
    closing_entry: str | None
    projects: list[ProjectPublic]


class IdeaEventPublic(BaseModel):
    seq: int
    event: str
    detail: dict[str, Any]


class IdeaPublic(BaseModel):
    idea: str
    cycle: str
    title: str
    status: str
    channel: str
    district: str | None
    reason: str | None
    project: str | None
    history: list[IdeaEventPublic]


class MilestonePublic(BaseModel):
    seq: int
    project: str
    kind: str
    date: str
    percent: int | None
    reason: str | None
    note: str | None


# --- staff sessions and accounts ------------------------------------------------------------------------------------


class LoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str
    password: str


class StaffPublic(BaseModel):
    username: str
    role: str
    ref: str  # the reference the log carries for this account's actions
    disabled: bool


class SessionPublic(BaseModel):
    token: str  # the bearer token: `Authorization: Bearer <token>` (also set as an HttpOnly cookie)
    expires: str  # RFC 3339 UTC
    account: StaffPublic


class StaffCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str
    role: str
    password: str


class StaffPage(BaseModel):
    accounts: list[StaffPublic]
    next_start: int | None


# --- commands: requests ---------------------------------------------------------------------------------------------

Amount = Annotated[int, Strict()]  # money in minor units and counts: whole numbers, never "12" or 12.0


class CommandRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    def to_kwargs(self) -> dict[str, Any]:
        """The service's keyword arguments; the fields left out keep the service's defaults."""
        return self.model_dump(exclude_unset=True)


class CreateCycle(CommandRequest):
    title: str
    amount: Amount
    currency: str
    exponent: Amount | None = None  # the currency's ISO 4217 minor-unit digits when absent
    source: dict[str, Any] | None = None


class RecordCouncilDecision(CommandRequest):
    reference: str
    date: str
    summary: str = ""


class SetEnvelopes(CommandRequest):
    envelopes: dict[str, Amount]


class AddTeamMember(CommandRequest):
    member: str
    name: str
    team_role: str


class PhaseDates(BaseModel):
    model_config = ConfigDict(extra="forbid")
    start: str
    end: str


class SetTimeline(CommandRequest):
    phases: dict[str, PhaseDates]

    def to_kwargs(self) -> dict[str, Any]:
        return {"phases": {phase: (dates.start, dates.end) for phase, dates in self.phases.items()}}


class StartPhase(CommandRequest):
    phase: str


class SetCriteria(CommandRequest):
    criteria: dict[str, str]


class RecordCampaign(CommandRequest):
    channel: str
    start: str
    end: str
    description: str = ""


class SubmitIdea(CommandRequest):
    """An idea submitted online by a citizen (no account); the contact, if given, stays out of the log."""

    title: str
    description: str = ""
    district: str | None = None
    category: str | None = None
    location: str | None = None
    estimated_cost: Amount | None = None
    author_contact: dict[str, str] | None = None


class SubmitPaperIdea(SubmitIdea):
    paper_form_number: str
    scan_sha256: str


class SubmitForumIdea(SubmitIdea):
    forum: str


class RecordForum(CommandRequest):
    forum: str
    date: str
    place: str
    attendance: Amount


class MergeIdeas(CommandRequest):
    into: str
    merged: list[str]
    reason: str


class EraseAuthor(CommandRequest):
    idea: str


class AddCommitteeMember(CommandRequest):
    member: str
    name: str
    kind: str


class AcceptIdea(CommandRequest):
    idea: str
    project: str
    cost: Amount
    reason: str = ""
    checks: dict[str, bool] | None = None
    revision_reason: str | None = None


class RejectIdea(CommandRequest):
    idea: str
    reason: str
    criterion: str
    checks: dict[str, bool] | None = None
    revision_reason: str | None = None


class LodgeAppeal(CommandRequest):
    idea: str
    statement: str


class AnswerAppeal(CommandRequest):
    appeal: str
    outcome: str
    answer: str


class RulesIn(BaseModel):
    """The vote rules (docs/log-format.md §5.1). Members this schema does not name yet are passed on to the domain,
    which refuses the ones it does not know (`invalid_rules`)."""

    model_config = ConfigDict(extra="allow")
    vote_type: str
    min_length: Amount = 1
    max_length: Amount | None = None
    max_sum_cost: Amount | None = None
    max_points: Amount | None = None
    min_sum_points: Amount | None = None
    max_sum_points: Amount | None = None
    rule: str = "greedy"
    threshold: Amount | None = None
    tie_break: str = "lower-cost"
    exclusive: list[list[str]] = Field(default_factory=list)
    voter_budget_increment: Amount | None = None
    revoting: str | None = None
    district_vote: str | None = None
    paper_double_entry: bool = False


class FixRules(CommandRequest):
    rules: RulesIn

    def to_kwargs(self) -> dict[str, Any]:
        return {"rules": self.rules.model_dump(exclude_unset=True)}  # the web layer makes the domain's Rules


class CastPaperBallot(CommandRequest):
    """One paper ballot typed in by a clerk (a cycle without a register; with one, use paper batches)."""

    vote: list[str]
    points: list[Amount] | None = None
    district: str | None = None


class PublishParticipationSummary(CommandRequest):
    thanks: str


class RequestCode(CommandRequest):
    national_id: str


class CastOnlineBallot(CommandRequest):
    national_id: str
    code: str
    vote: list[str]
    points: list[Amount] | None = None
    district: str | None = None  # the district voted in, when the rules let residents choose it


class PaperLine(BaseModel):
    model_config = ConfigDict(extra="forbid")
    national_id: str = ""
    vote: list[str] = Field(default_factory=list)
    points: list[Amount] | None = None
    district: str | None = None


class EnterPaperBatch(CommandRequest):
    station: str
    batch: str
    lines: list[PaperLine]

    def to_kwargs(self) -> dict[str, Any]:
        lines = [line.model_dump(exclude_none=True) for line in self.lines]
        return {"station": self.station, "batch": self.batch, "lines": lines}


class ReconcileStation(CommandRequest):
    station: str
    handed_out: Amount


class RecordMilestone(CommandRequest):
    project: str
    kind: str
    date: str
    percent: Amount | None = None
    reason: str | None = None
    note: str = ""


class AddAttachment(CommandRequest):
    project: str
    sha256: str
    media_type: str
    title: str


class ScheduleVisit(CommandRequest):
    visit: str
    project: str
    date: str
    place: str


class RecordVisitHeld(CommandRequest):
    visit: str
    attendance: Amount
    note: str = ""


class RecordSurvey(CommandRequest):
    survey: str
    responses: Amount
    questions: dict[str, dict[str, Amount]]


class RecordLesson(CommandRequest):
    lesson: str


class PublishReport(CommandRequest):
    summary: str
    document_sha256: str | None = None


class OpenNextCycle(CommandRequest):
    title: str
    amount: Amount
    currency: str
    exponent: Amount | None = None
    carry_forward: bool = True


# --- commands: responses --------------------------------------------------------------------------------------------


class AppendedEntry(BaseModel):
    seq: int
    hash: str


class Recorded(BaseModel):
    """What a command appended: its cycle and the entries of its (last) append, to check in the log."""

    cycle: str
    entries: list[AppendedEntry]


class IdeaReceipt(Recorded):
    idea: str  # the receipt code the author looks the idea up with


class AppealReceipt(Recorded):
    appeal: str


class ProjectsOnBallot(Recorded):
    projects: list[str]


class Winners(Recorded):
    winners: list[str]


class LineReport(Recorded):
    lines: list[str]  # the per-line report, one sentence a line


class RefusedLine(BaseModel):
    line: int
    code: str
    reason: str


class PaperBatchReport(Recorded):
    """The batch's per-line report. `event` says what the log recorded: `PaperBatchEntered` (the ballots were
    entered: `accepted` and each `refused` line with its reason), or, under double entry, `PaperBatchFirstEntry`
    (kept until a second clerk types it) or `PaperBatchMismatch` (the two typings differ; nothing entered)."""

    event: str
    report: list[str]
    accepted: int | None
    refused: list[RefusedLine]


class BallotReceipt(Recorded):
    """Proves that the ballot is in the log (its entry's position and hash) and shows none of its choices."""

    log: str
    seq: int
    entry_hash: str


class CodeRequested(BaseModel):
    """The same answer whether or not the number is on the register: nobody learns who is registered by asking."""

    cycle: str
    detail: str


# --- read models of the pages (projections/facts.py) ----------------------------------------------------------------


class PhaseDatesPublic(BaseModel):
    phase: str
    start: str
    end: str


class CriterionPublic(BaseModel):
    id: str
    label: str


class CouncilDecisionPublic(BaseModel):
    reference: str
    date: str
    summary: str


class RegisterPublic(BaseModel):
    count: int
    districts: dict[str, int]
    refused_lines: int


class BallotProjectPublic(BaseModel):
    project: str
    idea: str
    title: str
    cost: int


class CycleSetupPublic(BaseModel):
    """How a cycle is set up, as its latest records in the log say: everything a citizen reads before voting."""

    cycle: str
    council_decision: CouncilDecisionPublic | None
    timeline: list[PhaseDatesPublic]
    criteria: list[CriterionPublic]
    envelopes: dict[str, int]
    rules: dict[str, Any] | None  # the RulesFixed payload (docs/log-format.md §5.1)
    voter_register: RegisterPublic | None  # counts only; the register itself never leaves the service
    projects_on_ballot: list[BallotProjectPublic] | None  # null until the list put to the vote is published


class PaperBatchPublic(BaseModel):
    station: str
    batch: str
    seq: int
    lines: int
    accepted: int
    refused: list[RefusedLine]


class StationPublic(BaseModel):
    station: str
    handed_out: int
    entered: int
    refused: int
    unaccounted: int


class PaperBallotsPublic(BaseModel):
    """The paper batches entered, each with its per-line report, and the stations reconciled (staff only while the
    vote is open: the batches' counts are vote counts)."""

    cycle: str
    batches: list[PaperBatchPublic]
    stations: list[StationPublic]


class CycleActivityPublic(BaseModel):
    """What the cycle did beyond ideas and ballots, as recorded: citizen forums, the participation summary, the site
    visits and attachments of the works, and the evaluation report (payloads as in docs/log-format.md §5)."""

    cycle: str
    forums: list[dict[str, Any]]
    participation_summary: dict[str, Any] | None  # null until published (after the results)
    site_visits: list[dict[str, Any]]
    attachments: list[dict[str, Any]]
    evaluation_report: dict[str, Any] | None


# --- the transparency layer: checkpoints, proofs, cosignatures, witnesses (docs/log-format.md §7, §10 to §14) ------
class CheckpointPublic(BaseModel):
    size: int
    root: str  # base64
    note: str  # the signed note, then the witnesses' cosignature lines
    key: str  # the id of the key that signed it
    reason: str  # the entry type it was signed at (PhaseStarted, VotingOpened, VotingClosed) or on-demand
    signed_at: str
    cosigned_by: list[str]


class CheckpointSummary(BaseModel):
    size: int
    root: str
    key: str
    reason: str
    signed_at: str


class InclusionProofPublic(BaseModel):
    log: str
    index: int
    size: int
    leaf_hash: str
    root: str
    proof: list[str]


class ConsistencyProofPublic(BaseModel):
    log: str
    old_size: int
    new_size: int
    old_root: str
    new_root: str
    proof: list[str]


class CosignatureSubmission(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cosignature: str = Field(description="one c2sp.org/tlog-cosignature line: '— <witness name> <base64>'",
                             max_length=1024)


class WitnessPublic(BaseModel):
    name: str
    key: str  # base64 Ed25519 public key
    vkey: str  # its verifier key, name+hash+base64(0x04 || key)
    added_at: int
