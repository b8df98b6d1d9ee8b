"""Response schemas of the HTTP API, separate from domain objects."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


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
    ballots: int
    spent: int | None


class ProjectPublic(BaseModel):
    project: str
    idea: str
    title: str
    cost: int
    score: int | None
    rank: int | None
    selected: bool | None


class ResultsPublic(BaseModel):
    cycle: str
    rule: str | None
    winners: list[str]
    spent: int | None
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
