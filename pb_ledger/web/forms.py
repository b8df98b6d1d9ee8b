"""Reading what people type into the pages' forms: amounts in the currency's units, whole numbers, optional text.
A value that cannot be read is refused with the same stable codes as the API (`invalid_amount`, `not_a_number`)."""

from __future__ import annotations

import re
from typing import Any

from starlette.datastructures import FormData

from pb_ledger.domain.errors import DomainError

SPACES = re.compile(r"[\s\u00a0\u202f\u066c']")  # spaces, no-break spaces, the Arabic thousands separator
ARABIC_INDIC = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def optional(form: FormData, name: str) -> str | None:
    return text(form, name) or None


def digits(value: str) -> str:
    """Arabic-Indic and Persian digits typed on a phone keyboard read as the digits they are."""
    return SPACES.sub("", value.translate(ARABIC_INDIC))


def amount(value: str, exponent: int, what: str) -> int:
    """'1 500 000,50', '1.500.000,50' or '1,500,000.50' dirhams → minor units. A separator followed by at most
    `exponent` digits at the end is the decimal one; the other groups thousands, in threes. Refused when it cannot
    be read, has more decimals than the currency, or is negative."""
    raw = digits(value).replace("٫", ".")
    decimal, grouping = _separators(raw, exponent)
    whole, _, fraction = raw.rpartition(decimal) if decimal else (raw, "", "")
    if not decimal:
        whole, fraction = raw, ""
    if grouping and not re.fullmatch(rf"\d{{1,3}}({re.escape(grouping)}\d{{3}})*", whole):
        raise DomainError("invalid_amount", f"the {what} {value!r} is not an amount")
    whole = whole.replace(grouping, "") if grouping else whole
    if not whole.isdigit() or (fraction and not fraction.isdigit()) or len(fraction) > exponent:
        raise DomainError("invalid_amount", f"the {what} {value!r} is not an amount in the currency's units")
    minor: int = int(whole) * 10**exponent + int(fraction.ljust(exponent, "0") or 0)
    return minor


def _separators(raw: str, exponent: int) -> tuple[str, str]:
    """(decimal separator, thousands separator) of a typed amount; '' when it has none."""
    if "," in raw and "." in raw:
        return (".", ",") if raw.rfind(".") > raw.rfind(",") else (",", ".")
    for mark in (",", "."):
        if mark in raw:
            tail = raw.rsplit(mark, 1)[1]
            if raw.count(mark) == 1 and len(tail) <= exponent:
                return mark, ""
            return "", mark
    return "", ""


def optional_amount(form: FormData, name: str, exponent: int, what: str) -> int | None:
    value = text(form, name)
    return None if not value else amount(value, exponent, what)


def whole(value: str, what: str) -> int:
    try:
        return int(digits(value))
    except ValueError:
        raise DomainError("not_a_number", f"the {what} {value!r} is not a whole number") from None


def optional_whole(form: FormData, name: str, what: str) -> int | None:
    value = text(form, name)
    return None if not value else whole(value, what)


def pairs(value: str, what: str) -> dict[str, str]:
    """Lines `key = value` (criteria, envelopes); blank lines are skipped."""
    found: dict[str, str] = {}
    for number, line in enumerate(value.splitlines(), start=1):
        if not line.strip():
            continue
        key, sep, rest = line.partition("=")
        if not sep or not key.strip() or not rest.strip():
            raise DomainError("malformed_line", f"{what}, line {number}: write it as `key = value`")
        found[key.strip()] = rest.strip()
    return found


def kept(form: FormData) -> dict[str, Any]:
    """What was typed, to fill the form again after a refusal (secrets left out)."""
    return {k: v for k, v in form.multi_items() if isinstance(v, str) and k not in ("password", "code")}
