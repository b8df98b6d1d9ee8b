"""Stage 6, evaluation: survey results in aggregate, lessons, the evaluation report, and the next cycle."""

from __future__ import annotations

from typing import Any

from pb_ledger.domain.cycle import CLOSED, EVALUATION, Cycle, Event, applies, require_amount, require_phase
from pb_ledger.domain.cycle import require_role, require_text
from pb_ledger.domain.errors import DomainError
from pb_ledger.domain.text import DOCUMENT, SENTENCE
from pb_ledger.domain.ideas import SHA256_HEX


def decide_survey(cycle: Cycle, survey: str, responses: int, questions: dict[str, dict[str, int]],
                  role: str) -> Event:
    require_role(role, "pb-team")
    require_phase(cycle, EVALUATION, "recording survey results")
    require_amount(responses, "number of responses", positive=False)
    rows = []
    for question, answers in questions.items():
        question = require_text(question, "question", SENTENCE)
        for option, n in answers.items():
            require_text(option, "answer option")
            require_amount(n, f"count of {option!r}", positive=False)
        if sum(answers.values()) > responses:
            raise DomainError("survey_mismatch", f"the answers to {question!r} outnumber the responses")
        rows.append({"question": question, "answers": dict(answers)})
    return "SurveyResultsRecorded", {"survey": require_text(survey, "survey id"), "responses": responses,
                                     "questions": rows}


def decide_lesson(cycle: Cycle, lesson: str, role: str) -> Event:
    require_role(role, "pb-team")
    require_phase(cycle, EVALUATION, "recording a lesson")
    return "LessonRecorded", {"lesson": require_text(lesson, "lesson", SENTENCE, multiline=True)}


def decide_report(cycle: Cycle, summary: str, document_sha256: str | None, role: str) -> Event:
    require_role(role, "pb-team")
    require_phase(cycle, EVALUATION, "publishing the evaluation report")
    if document_sha256 is not None and not SHA256_HEX.match(document_sha256):
        raise DomainError("invalid_hash", "the report document is named by its SHA-256 (64 lowercase hex)")
    return "EvaluationReportPublished", {"summary": require_text(summary, "summary", DOCUMENT, multiline=True),
                                         "document": document_sha256}


def carried_ideas(previous: Cycle) -> list[tuple[str, str]]:
    """Ideas judged eligible but not funded: (idea id, title)."""
    if previous.phase not in (EVALUATION, CLOSED):
        raise DomainError("wrong_phase", "the next cycle is opened from a cycle in evaluation or closed")
    return [(i, x.title) for i, x in previous.ideas.items() if x.status == "accepted" and x.project not in
            previous.winners]


@applies("EvaluationReportPublished")
def _report(c: Cycle, p: dict[str, Any]) -> None:
    c.evaluated = True
