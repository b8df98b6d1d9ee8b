"""The HTTP status of each refusal. The code (and its sentence in pb_ledger/messages.py) is the same in the API, the
CLI and the pages; the status only tells an HTTP client which kind of refusal it is. Codes not listed are bad input
(422)."""

from __future__ import annotations

UNAUTHENTICATED = ("bad_credentials", "not_authenticated", "invalid_session", "session_expired")
FORBIDDEN = ("forbidden_role", "route_not_authorised", "not_eligible", "wrong_code", "code_expired")
NOT_FOUND = ("unknown_cycle", "unknown_account", "not_found", "unknown_idea", "unknown_log")
# the request is well formed but the state of the cycle (or of the accounts) does not allow it now
CONFLICT = ("wrong_phase", "busy", "already_voted", "rules_frozen", "rules_missing", "ballot_not_published",
            "voting_not_open", "voting_closed", "voting_not_closed", "duplicate_idea", "duplicate_username",
            "duplicate_forum", "duplicate_visit", "duplicate_appeal", "project_id_taken", "batch_already_entered",
            "same_clerk", "last_admin", "appeal_pending", "appeals_pending", "revision_pending", "ideas_undecided",
            "idea_merged", "project_finished", "concurrent_update")

STATUS: dict[str, int] = {
    **dict.fromkeys(UNAUTHENTICATED, 401), **dict.fromkeys(FORBIDDEN, 403), **dict.fromkeys(NOT_FOUND, 404),
    **dict.fromkeys(CONFLICT, 409), "register_too_large": 413,
    **dict.fromkeys(("too_many_codes", "too_many_attempts", "too_many_requests"), 429),
    "request_too_large": 413,
}


def status_of(code: str) -> int:
    return STATUS.get(code, 422)
