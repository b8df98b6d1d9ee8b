"""Staff sessions and accounts over HTTP: log in (a bearer token, also set as an HttpOnly, SameSite=Strict cookie
for the pages), who am I, log out, and the admin's account management. Who may call each route: authz.MATRIX."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from fastapi import FastAPI, Query, Request, Response

from pb_ledger.accounts import Account, StaffAccounts
from pb_ledger.web.authz import LOG, SESSION_COOKIE, bearer_token, current_account
from pb_ledger.web.schemas import LoginRequest, SessionPublic, StaffCreate, StaffPage, StaffPublic


def install_staff_routes(app: FastAPI, accounts: StaffAccounts, check_log: Callable[[str], None]) -> None:
    @app.post(f"{LOG}/sessions", response_model=SessionPublic, tags=["staff"], name="login")
    def login(log: str, body: LoginRequest, request: Request, response: Response) -> SessionPublic:
        """Log in with a user name and password; answers the bearer token and sets the session cookie."""
        check_log(log)
        session = accounts.login(body.username, body.password)
        response.set_cookie(SESSION_COOKIE, session.token, max_age=int(accounts.lifetime), httponly=True,
                            samesite="strict", secure=request.url.scheme == "https", path="/")
        return SessionPublic(token=session.token, expires=_rfc3339(session.expires), account=_public(session.account))

    @app.get(f"{LOG}/session", response_model=StaffPublic, tags=["staff"], name="whoami")
    def whoami(log: str, request: Request) -> StaffPublic:
        """The account of the current session."""
        check_log(log)
        return _public(current_account(request))

    @app.delete(f"{LOG}/session", status_code=204, tags=["staff"], name="logout")
    def logout(log: str, request: Request, response: Response) -> Response:
        """End the current session (the token stops working at once)."""
        check_log(log)
        token = bearer_token(request)
        if token is not None:
            accounts.logout(token)
        response.status_code = 204
        response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
        return response

    @app.get(f"{LOG}/staff", response_model=StaffPage, tags=["staff"], name="list-staff")
    def list_staff(log: str, start: int = Query(0, ge=0), limit: int = Query(100, ge=1, le=1000)) -> StaffPage:
        """The staff accounts with their roles and their references in the log (admins and auditors)."""
        check_log(log)
        rows = accounts.accounts(start, limit)
        return StaffPage(accounts=[_public(a) for a in rows], next_start=start + limit if len(rows) == limit else None)

    @app.post(f"{LOG}/staff", response_model=StaffPublic, status_code=201, tags=["staff"], name="add-staff")
    def add_staff(log: str, body: StaffCreate) -> StaffPublic:
        """Create a staff account (admins only)."""
        check_log(log)
        return _public(accounts.add(body.username, body.role, body.password))

    @app.post(f"{LOG}/staff/{{username}}/disable", response_model=StaffPublic, tags=["staff"], name="disable-staff")
    def disable_staff(log: str, username: str) -> StaffPublic:
        """Disable a staff account and end its sessions (admins only; never the last admin)."""
        check_log(log)
        return _public(accounts.disable(username))


def _public(account: Account) -> StaffPublic:
    return StaffPublic(username=account.username, role=account.role, ref=account.ref, disabled=account.disabled)


def _rfc3339(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
