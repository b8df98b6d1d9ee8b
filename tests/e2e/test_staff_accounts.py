"""Staff accounts: Argon2id passwords, sessions kept only as hashes, the cookie for the pages, the admin's account
management over the API, and `pb-ledger staff` on the command line."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

from pb_ledger.config import Settings
from tests.conftest import env_for
from tests.e2e.conftest import PASSWORD, StaffApi


def test_a_wrong_password_an_unknown_name_and_a_disabled_account_get_the_same_refusal(staff_api: StaffApi) -> None:
    api = staff_api
    api.ok("admin", "/staff/clerk/disable")
    for username, password in (("pb-team", "not the password"), ("nobody", PASSWORD), ("clerk", PASSWORD)):
        response = api.client.post(api.url("/sessions"), json={"username": username, "password": password})
        assert response.status_code == 401 and response.json()["error"]["code"] == "bad_credentials"


def test_wrong_passwords_lock_a_user_name_for_a_while_even_with_the_right_password(staff_api: StaffApi) -> None:
    api = staff_api
    for _ in range(5):
        response = api.client.post(api.url("/sessions"), json={"username": "clerk", "password": "guess guess guess"})
        assert response.status_code == 401
    response = api.client.post(api.url("/sessions"), json={"username": "clerk", "password": PASSWORD})
    assert response.status_code == 429 and response.json()["error"]["code"] == "too_many_attempts"
    assert api.client.post(api.url("/sessions"), json={"username": "auditor", "password": PASSWORD}).status_code == 200


def test_passwords_are_argon2id_and_sessions_are_kept_only_as_their_hash(staff_api: StaffApi) -> None:
    token = staff_api.tokens["auditor"]
    with staff_api.service.store.transaction() as cur:
        hashes = [r["password_hash"] for r in cur.execute("SELECT password_hash FROM staff_accounts").fetchall()]
        digests = [r["digest"] for r in cur.execute("SELECT digest FROM staff_sessions").fetchall()]
    assert hashes and all(h.startswith("$argon2id$") and PASSWORD not in h for h in hashes)
    assert hashlib.sha256(token.encode()).hexdigest() in digests and token not in digests


def test_login_sets_an_http_only_strict_cookie_that_also_opens_staff_routes(staff_api: StaffApi) -> None:
    api = staff_api
    response = api.client.post(api.url("/sessions"), json={"username": "auditor", "password": PASSWORD})
    cookie = response.headers["set-cookie"].lower()
    assert "pb_session=" in cookie and "httponly" in cookie and "samesite=strict" in cookie
    assert api.client.get(api.url("/session")).json()["role"] == "auditor"  # the cookie, no Authorization header
    assert api.client.delete(api.url("/session")).status_code == 204
    api.client.cookies.clear()
    assert api.client.get(api.url("/session"), headers={"Authorization": f"Bearer {response.json()['token']}"}
                          ).status_code == 401


def test_an_admin_manages_the_accounts_over_the_api(staff_api: StaffApi) -> None:
    api = staff_api
    made = api.client.post(api.url("/staff"), headers=api.as_("admin"),
                           json={"username": "Fatima.Z", "role": "committee", "password": PASSWORD})
    assert made.status_code == 201 and made.json()["username"] == "fatima.z" and "fatima" not in made.json()["ref"]
    refusals = [({"username": "fatima.z", "role": "committee", "password": PASSWORD}, 409, "duplicate_username"),
                ({"username": "x y", "role": "committee", "password": PASSWORD}, 422, "invalid_username"),
                ({"username": "amal", "role": "mayor", "password": PASSWORD}, 422, "unknown_role"),
                ({"username": "amal", "role": "clerk", "password": "short"}, 422, "weak_password")]
    for body, status, code in refusals:
        response = api.client.post(api.url("/staff"), headers=api.as_("admin"), json=body)
        assert (response.status_code, response.json()["error"]["code"]) == (status, code)
    listed = api.client.get(api.url("/staff"), headers=api.as_("auditor")).json()
    assert {a["username"] for a in listed["accounts"]} == {"admin", "auditor", "clerk", "committee", "fatima.z",
                                                          "pb-team"}
    last = api.post("admin", "/staff/admin/disable")
    assert (last.status_code, last.json()["error"]["code"]) == (409, "last_admin")
    missing = api.post("admin", "/staff/nobody/disable")
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "unknown_account")


def test_the_reference_in_the_log_is_stable_per_account_and_is_not_the_username(staff_api: StaffApi) -> None:
    accounts = staff_api.service.accounts
    ref = accounts.get("clerk").ref
    assert accounts.get("clerk").ref == ref == staff_api.client.get(
        staff_api.url("/session"), headers=staff_api.as_("clerk")).json()["ref"]
    assert ref not in (hashlib.sha256(b"clerk").hexdigest()[:32], accounts.get("clerk").account)
    assert len({a.ref for a in accounts.accounts()}) == len(accounts.accounts())


def test_the_first_admin_and_the_staff_are_created_on_the_command_line(settings: Settings) -> None:
    env = {**env_for(settings), "PB_LEDGER_LOG": "commune-cli-staff", "PB_LEDGER_STAFF_PASSWORD": PASSWORD}

    def cli(*args: str, ok: bool = True) -> str:
        done = subprocess.run([sys.executable, "-m", "pb_ledger.cli", "staff", *args], env=env, capture_output=True,
                              text=True)
        assert (done.returncode == 0) == ok, done.stdout + done.stderr
        return done.stdout if ok else done.stderr

    assert "added admin (admin)" in cli("add", "admin", "--role", "admin")
    cli("add", "karim", "--role", "clerk")
    assert "[duplicate_username]" in cli("add", "karim", "--role", "clerk", ok=False)
    assert "[last_admin]" in cli("disable", "admin", ok=False)
    cli("disable", "karim")
    rows = [line.split("\t") for line in cli("list").splitlines()]
    assert [(r[0], r[1], r[2]) for r in rows] == [("admin", "admin", "enabled"), ("karim", "clerk", "disabled")]
    assert oct(os.stat(settings.keys_dir("commune-cli-staff") / "staff.key").st_mode & 0o777) == "0o600"
