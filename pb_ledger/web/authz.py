"""Who may call which route: the one authorisation matrix of the HTTP edge, and the one dependency enforcing it.

Every route of the application is a row of `MATRIX` — public ones too, said explicitly. `authorise` runs before
every API route and page (it is the application's global dependency): a route missing from the matrix is refused to
everyone, anonymous callers of a staff route get 401, staff in a role the row does not list get 403 (the codes'
statuses are in pb_ledger/web/errors.py).
tests/e2e/test_authz_matrix.py calls every route in every role.

Staff roles (pb_ledger/accounts.py) are the roles the domain's commands name: `pb-team`, `committee`, `clerk`; plus
`auditor` (reads, and the account list to match the log's actor references) and `admin` (accounts only: an admin
does not run the cycle, so the log never shows an admin acting in it). Public commands act anonymously in the
domain's citizen or voter role (pb_ledger/web/commands.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from fastapi import Request

from pb_ledger.accounts import ROLES, Account, StaffAccounts
from pb_ledger.domain.errors import DomainError
from pb_ledger.web.throttle import PublicWriteLimits

PUBLIC: Final = "public"
STAFF: Final = ROLES
TEAM, COMMITTEE, CLERK, AUDITOR, ADMIN = ("pb-team",), ("committee",), ("clerk",), ("auditor",), ("admin",)

LOG = "/api/v1/logs/{log}"
CYCLE = LOG + "/cycles/{cycle}"

MATRIX: Final[dict[str, str | tuple[str, ...]]] = {
    # --- public reads: the log and its read models are public by design ---------------------------------------------
    f"GET {LOG}/entries": PUBLIC,
    f"GET {LOG}/export": PUBLIC,
    f"GET {LOG}/cycles": PUBLIC,
    f"GET {CYCLE}": PUBLIC,
    f"GET {CYCLE}/projects": PUBLIC,
    f"GET {CYCLE}/results": PUBLIC,
    f"GET {CYCLE}/ideas": PUBLIC,
    f"GET {CYCLE}/milestones": PUBLIC,
    f"GET {LOG}/ideas/{{receipt}}": PUBLIC,
    f"GET {CYCLE}/setup": PUBLIC,
    f"GET {CYCLE}/activity": PUBLIC,
    f"GET {CYCLE}/paper-batches": CLERK + TEAM + AUDITOR,  # their counts are vote counts: staff only
    "GET /healthz": PUBLIC,
    # --- the transparency layer: checkpoints, proofs, receipts, keys, witnesses (anyone may check the log) ---------
    f"GET {LOG}/checkpoint": PUBLIC,  # the latest, signed now if the log grew
    f"GET {LOG}/checkpoints": PUBLIC,
    f"GET {LOG}/checkpoints/{{size}}": PUBLIC,
    f"POST {LOG}/checkpoints": STAFF,  # sign one on demand
    f"POST {LOG}/checkpoints/{{size}}/cosignatures": PUBLIC,  # a witness: its signature is its authentication
    f"GET {LOG}/proofs/inclusion": PUBLIC,
    f"GET {LOG}/proofs/consistency": PUBLIC,
    f"GET {LOG}/receipts/{{seq}}": PUBLIC,
    f"GET {LOG}/keys": PUBLIC,
    f"GET {LOG}/witnesses": PUBLIC,
    # --- the evaluation and the open data (pb_ledger/web/reads.py) --------------------------------------------------
    f"GET {CYCLE}/participation": PUBLIC,  # ballots by channel and district once the vote is closed
    f"GET {CYCLE}/participation/live": TEAM + AUDITOR,  # the same while the vote is open
    f"GET {CYCLE}/decisions": PUBLIC,
    f"GET {CYCLE}/implementation": PUBLIC,
    f"GET {CYCLE}/statistics": PUBLIC,
    f"GET {CYCLE}/statistics/{{file}}": PUBLIC,
    f"GET {CYCLE}/report.html": PUBLIC,
    f"GET {CYCLE}/report.pdf": PUBLIC,
    f"GET {CYCLE}/report/charts/{{file}}": PUBLIC,
    f"GET {CYCLE}/open-data.zip": PUBLIC,
    f"GET {CYCLE}/pabulib.pb": PUBLIC,
    "GET /metrics": PUBLIC,  # the read models' lag; put it behind the proxy's access rules if it should not be public
    # --- staff sessions and accounts ------------------------------------------------------------------------------
    f"POST {LOG}/sessions": PUBLIC,  # log in
    f"GET {LOG}/session": STAFF,  # who am I
    f"DELETE {LOG}/session": STAFF,  # log out
    f"GET {LOG}/staff": ADMIN + AUDITOR,
    f"POST {LOG}/staff": ADMIN,
    f"POST {LOG}/staff/{{username}}/disable": ADMIN,
    # --- stage 1: launch ------------------------------------------------------------------------------------------
    f"POST {LOG}/cycles": TEAM,
    f"POST {CYCLE}/record-council-decision": TEAM,
    f"POST {CYCLE}/set-envelopes": TEAM,
    f"POST {CYCLE}/add-team-member": TEAM,
    f"POST {CYCLE}/set-timeline": TEAM,
    f"POST {CYCLE}/start-phase": TEAM,
    f"POST {CYCLE}/set-criteria": TEAM,
    f"POST {CYCLE}/record-campaign": TEAM,
    # --- stage 1: ideas -------------------------------------------------------------------------------------------
    f"POST {CYCLE}/submit-idea": PUBLIC,  # a citizen, online, without an account
    f"POST {CYCLE}/submit-paper-idea": CLERK + TEAM,
    f"POST {CYCLE}/submit-forum-idea": TEAM,
    f"POST {CYCLE}/record-forum": TEAM,
    f"POST {CYCLE}/merge-ideas": COMMITTEE,
    f"POST {CYCLE}/erase-author": TEAM,
    # --- stage 2: review ------------------------------------------------------------------------------------------
    f"POST {CYCLE}/add-committee-member": TEAM,
    f"POST {CYCLE}/accept-idea": COMMITTEE,
    f"POST {CYCLE}/reject-idea": COMMITTEE,
    f"POST {CYCLE}/lodge-appeal": PUBLIC,  # the idea's author, with its receipt
    f"POST {CYCLE}/answer-appeal": COMMITTEE,
    f"POST {CYCLE}/publish-ballot": TEAM,
    # --- stages 3 and 4: rules, the vote, the count ---------------------------------------------------------------
    f"POST {CYCLE}/fix-rules": TEAM,
    f"POST {CYCLE}/open-voting": TEAM,
    f"POST {CYCLE}/cast-ballot": CLERK,  # one paper ballot
    f"POST {CYCLE}/close-voting": TEAM,
    f"POST {CYCLE}/announce-results": TEAM,
    f"POST {CYCLE}/publish-participation-summary": TEAM,
    f"POST {CYCLE}/publish-register": TEAM,
    f"POST {CYCLE}/request-code": PUBLIC,  # a resident, before voting online
    f"POST {CYCLE}/cast-online-ballot": PUBLIC,  # a resident, with the one-time code
    f"POST {CYCLE}/enter-paper-batch": CLERK,
    f"POST {CYCLE}/reconcile-station": TEAM,
    # --- stage 5: follow-up ---------------------------------------------------------------------------------------
    f"POST {CYCLE}/record-milestone": TEAM,
    f"POST {CYCLE}/add-attachment": TEAM,
    f"POST {CYCLE}/schedule-visit": TEAM,
    f"POST {CYCLE}/record-visit-held": TEAM,
    # --- stage 6: evaluation --------------------------------------------------------------------------------------
    f"POST {CYCLE}/record-survey": TEAM,
    f"POST {CYCLE}/record-lesson": TEAM,
    f"POST {CYCLE}/publish-report": TEAM,
    f"POST {CYCLE}/open-next-cycle": TEAM,
    # --- citizens' pages (pb_ledger/web/pages.py, ballot_pages.py, paper_forms.py) ---------------------------------
    "GET /": PUBLIC,
    "GET /static/{name}": PUBLIC,
    "GET /cycles": PUBLIC,
    "GET /cycles/{cycle}": PUBLIC,
    "GET /cycles/{cycle}/projects": PUBLIC,
    "GET /cycles/{cycle}/results": PUBLIC,
    "GET /cycles/{cycle}/tracker": PUBLIC,
    "GET /cycles/{cycle}/submit": PUBLIC,
    "POST /cycles/{cycle}/submit": PUBLIC,  # a citizen submits an idea, without an account
    "GET /ideas": PUBLIC,
    "GET /receipts": PUBLIC,
    "GET /audit": PUBLIC,
    "GET /cycles/{cycle}/vote": PUBLIC,
    "POST /cycles/{cycle}/vote/code": PUBLIC,  # a resident asks for the one-time code
    "POST /cycles/{cycle}/vote": PUBLIC,  # a resident votes with it
    "GET /cycles/{cycle}/forms/idea": PUBLIC,
    "GET /cycles/{cycle}/forms/ballot": PUBLIC,
    # --- staff pages (pb_ledger/web/staff_pages.py): the same roles as the API routes they act through ---------------
    "GET /staff/login": PUBLIC,
    "POST /staff/login": PUBLIC,
    "POST /staff/logout": STAFF,
    "GET /staff": STAFF,
    "POST /staff/cycles": TEAM,
    "GET /staff/cycles/{cycle}/setup": TEAM,
    "POST /staff/cycles/{cycle}/setup/{step}": TEAM,
    "GET /staff/cycles/{cycle}/paper-ideas": CLERK + TEAM,
    "POST /staff/cycles/{cycle}/paper-ideas/{step}": CLERK + TEAM,
    "GET /staff/cycles/{cycle}/review": COMMITTEE,
    "POST /staff/cycles/{cycle}/review/{step}": COMMITTEE,
    "GET /staff/cycles/{cycle}/paper-ballots": CLERK,
    "POST /staff/cycles/{cycle}/paper-ballots/{step}": CLERK,
    "GET /staff/cycles/{cycle}/vote": TEAM,
    "POST /staff/cycles/{cycle}/vote/{step}": TEAM,
    "GET /staff/cycles/{cycle}/milestones": TEAM,
    "POST /staff/cycles/{cycle}/milestones/{step}": TEAM,
    # --- the API's own description ----------------------------------------------------------------------------------
    "GET /openapi.json": PUBLIC,
    "GET /docs": PUBLIC,
    "GET /docs/oauth2-redirect": PUBLIC,
    "GET /redoc": PUBLIC,
    "GET /docs/assets/{name}": PUBLIC,
}

SESSION_COOKIE = "pb_session"


def route_key(method: str, path: str) -> str:
    return f"{'GET' if method == 'HEAD' else method} {path}"


def allowed_roles(method: str, path: str) -> str | tuple[str, ...] | None:
    return MATRIX.get(route_key(method, path))


def bearer_token(request: Request) -> str | None:
    """The session token: `Authorization: Bearer …` (API clients), else the session cookie (pages)."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return request.cookies.get(SESSION_COOKIE) or None


def make_authorise(accounts: StaffAccounts,
                   limits: PublicWriteLimits | None = None) -> Callable[[Request], Account | None]:
    """The dependency every route runs: looks its row up in MATRIX and lets the caller through or refuses. Public
    writes are also counted against their rate per client address (web/throttle.py)."""

    def authorise(request: Request) -> Account | None:
        route = request.scope.get("route")
        path = getattr(route, "path", request.url.path)
        allowed = allowed_roles(request.method, path)
        if allowed is None:
            raise DomainError("route_not_authorised", "this route has no row in the authorisation matrix")
        if allowed == PUBLIC:
            if limits is not None and request.method == "POST":
                limits.hit(path, request.client.host if request.client else "unknown")
            request.state.account = None  # public routes act anonymously, whoever calls them
            return None
        token = bearer_token(request)
        if token is None:
            raise DomainError("not_authenticated", "this action is for staff: log in first")
        account = accounts.authenticate(token)
        if account.role not in allowed:
            raise DomainError("forbidden_role", f"this route is for {' or '.join(allowed)}, not for {account.role}")
        request.state.account = account
        return account

    return authorise


def current_account(request: Request) -> Account:
    """The account `authorise` let through (staff routes only)."""
    account: Account | None = getattr(request.state, "account", None)
    if account is None:
        raise DomainError("not_authenticated", "this action is for staff: log in first")
    return account
