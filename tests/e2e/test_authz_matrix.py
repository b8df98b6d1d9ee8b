"""The authorisation matrix (pb_ledger/web/authz.py) is the whole truth about who may call what: every route of the
app — API routes and pages, the staff pages included — has its row, and every route, called in every role and
anonymously, lets through exactly the roles of its row. A page refuses in HTML: an anonymous visitor of a staff page is
sent to the login page (303), a staff member in another role gets a 403 page; both carry the code in X-Error-Code."""

from __future__ import annotations

import time
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.routing import Route

from pb_ledger.accounts import ROLES
from pb_ledger.web.authz import MATRIX, PUBLIC, route_key
from tests.e2e.conftest import STAFF_LOG, StaffApi

PATH_VALUES = {"log": STAFF_LOG, "cycle": "00000000-0000-4000-8000-000000000000", "receipt": "I-0000-0000",
               "username": "nobody", "file": "turnout.csv", "name": "site.css", "step": "no-such-step", "size": "1",
               "seq": "0"}
LOGOUTS = (("DELETE", "/api/v1/logs/{log}/session"), ("POST", "/staff/logout"))


def app_routes(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path) of every route the app answers, API routes, pages and the OpenAPI document alike."""
    found = []
    for route in app.routes:
        assert isinstance(route, (APIRoute, Route)), f"a route of an unexpected kind: {route!r}"
        for method in sorted(route.methods or ()):
            if method != "HEAD":
                found.append((method, route.path))
    return found


def call(api: StaffApi, method: str, path: str, role: str | None) -> Any:
    url = path.format(**PATH_VALUES)
    headers = api.as_(role)
    if (method, path) in LOGOUTS and role is not None:
        headers = {"Authorization": f"Bearer {api.login(role)}"}  # logging out must not end the shared session
    body = {"json": {}} if method == "POST" and path.startswith("/api/") else {}
    return api.client.request(method, url, headers=headers, follow_redirects=False, **body)


def refusal(response: Any) -> tuple[int, str | None]:
    """The status and the stable code of a response: the API's JSON error body, or a page's X-Error-Code."""
    is_json = response.headers.get("content-type", "").split(";")[0] == "application/json"
    body = response.json() if is_json else None
    code = body["error"]["code"] if isinstance(body, dict) and "error" in body else None
    return response.status_code, code or response.headers.get("x-error-code")


def test_every_route_has_exactly_one_row_and_every_row_a_route(staff_api: StaffApi) -> None:
    routes = {route_key(method, path) for method, path in app_routes(staff_api.client.app)}  # type: ignore[arg-type]
    assert sorted(routes - set(MATRIX)) == [], "routes missing from the authorisation matrix"
    assert sorted(set(MATRIX) - routes) == [], "rows of the matrix for routes that do not exist"
    for key, allowed in MATRIX.items():
        assert allowed == PUBLIC or (allowed and set(allowed) <= set(ROLES)), key


@pytest.mark.parametrize("role", [None, *ROLES], ids=["anonymous", *ROLES])
def test_each_route_lets_through_exactly_the_roles_of_its_row(staff_api: StaffApi, role: str | None) -> None:
    wrong = []
    for method, path in app_routes(staff_api.client.app):  # type: ignore[arg-type]
        allowed = MATRIX[route_key(method, path)]
        status, code = refusal(call(staff_api, method, path, role))
        login_page = 303 if method == "GET" and not path.startswith("/api/") else 401
        if allowed == PUBLIC or role in allowed:
            if code in ("not_authenticated", "forbidden_role", "route_not_authorised"):
                wrong.append(f"{method} {path}: refused ({status} {code}) but the matrix allows it")
        elif role is None and (status, code) != (login_page, "not_authenticated"):
            wrong.append(f"{method} {path}: anonymous got {status} {code}, not {login_page}")
        elif role is not None and (status, code) != (403, "forbidden_role"):
            wrong.append(f"{method} {path}: {role} got {status} {code}, not 403")
    assert not wrong, "\n".join(wrong)


def test_a_route_missing_from_the_matrix_is_refused_to_everyone(staff_api: StaffApi) -> None:
    app: FastAPI = staff_api.client.app  # type: ignore[assignment]

    @app.get("/api/v1/forgotten")
    def forgotten() -> dict[str, str]:
        return {"reached": "yes"}

    for role in (None, "admin", "pb-team"):
        response = staff_api.client.get("/api/v1/forgotten", headers=staff_api.as_(role))
        assert response.status_code == 403 and response.json()["error"]["code"] == "route_not_authorised"


def test_a_staff_route_refuses_a_bad_an_ended_or_an_expired_session(staff_api: StaffApi) -> None:
    whoami = staff_api.url("/session")
    garbage = staff_api.client.get(whoami, headers={"Authorization": "Bearer not-a-session"})
    assert garbage.status_code == 401 and garbage.json()["error"]["code"] == "invalid_session"
    assert garbage.headers["www-authenticate"].startswith("Bearer")
    token = staff_api.login("clerk")
    assert staff_api.client.delete(whoami, headers={"Authorization": f"Bearer {token}"}).status_code == 204
    ended = staff_api.client.get(whoami, headers={"Authorization": f"Bearer {token}"})
    assert ended.status_code == 401 and ended.json()["error"]["code"] == "invalid_session"
    accounts = staff_api.service.accounts
    later = time.time() + accounts.lifetime + 1
    accounts.clock = lambda: later
    expired = staff_api.client.get(whoami, headers=staff_api.as_("clerk"))
    assert expired.status_code == 401 and expired.json()["error"]["code"] == "session_expired"


def test_a_disabled_account_loses_its_sessions_at_once(staff_api: StaffApi) -> None:
    assert staff_api.client.get(staff_api.url("/session"), headers=staff_api.as_("committee")).status_code == 200
    staff_api.ok("admin", "/staff/committee/disable")
    refused = staff_api.client.get(staff_api.url("/session"), headers=staff_api.as_("committee"))
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "invalid_session"
