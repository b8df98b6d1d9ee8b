"""`pb-ledger staff add|list|disable`: staff accounts from the command line (the first admin is created here).

The password comes from PB_LEDGER_STAFF_PASSWORD (for scripts) or from a prompt, typed twice; it is never an option,
so it does not end up in the shell's history or the process list."""

from __future__ import annotations

import argparse
import getpass
import os
from collections.abc import Callable
from typing import Any

from pb_ledger.accounts import ROLES, StaffAccounts
from pb_ledger.config import Settings
from pb_ledger.domain.errors import DomainError

PASSWORD_VARIABLE = "PB_LEDGER_STAFF_PASSWORD"


def add_staff_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], epilog: str,
                     command: Callable[..., argparse.ArgumentParser]) -> None:
    staff = sub.add_parser("staff", help="staff accounts (roles: " + ", ".join(ROLES) + ")", epilog=epilog)
    actions = staff.add_subparsers(dest="staff_command", required=True, metavar="ACTION")
    add = command(actions, "add", f"create a staff account; the password comes from {PASSWORD_VARIABLE} or a prompt",
                  _add)
    add.add_argument("username", metavar="USERNAME")
    add.add_argument("--role", required=True, choices=ROLES, help="the account's role")
    command(actions, "list", "list the staff accounts with their roles and their references in the log", _list)
    disable = command(actions, "disable", "disable a staff account and end its sessions", _disable)
    disable.add_argument("username", metavar="USERNAME")


def _accounts(settings: Settings, args: argparse.Namespace) -> StaffAccounts:
    from pb_ledger.ledger.store import Ledger
    from pb_ledger.sqlstore import ReadStore

    ledger = Ledger(settings, args.log or settings.default_log_id())
    ledger.close()
    return StaffAccounts(ReadStore(settings), ledger.log_id, ledger.keys_dir)


def _add(settings: Settings, args: argparse.Namespace) -> int:
    accounts = _accounts(settings, args)
    account = accounts.add(args.username, args.role, _password())
    print(f"added {account.username} ({account.role}) to log {accounts.log_id}; its reference in the log: "
          f"{account.ref}")
    return 0


def _list(settings: Settings, args: argparse.Namespace) -> int:
    accounts = _accounts(settings, args)
    for account in _all(accounts):
        state = "disabled" if account.disabled else "enabled"
        print(f"{account.username}\t{account.role}\t{state}\t{account.ref}")
    return 0


def _all(accounts: StaffAccounts) -> list[Any]:
    found, start = [], 0
    while page := accounts.accounts(start, 1000):
        found += page
        start += len(page)
    return found


def _disable(settings: Settings, args: argparse.Namespace) -> int:
    account = _accounts(settings, args).disable(args.username)
    print(f"disabled {account.username}; its sessions have ended")
    return 0


def _password() -> str:
    given = os.environ.get(PASSWORD_VARIABLE)
    if given:
        return given
    first = getpass.getpass("password: ")
    if getpass.getpass("password again: ") != first:
        raise DomainError("passwords_differ", "the two passwords typed differ")
    return first
