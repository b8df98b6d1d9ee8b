"""Reading what people type into the pages' forms: amounts in the currency's units, whole numbers, optional text.
A value that cannot be read is refused with the same stable codes as the API (`invalid_amount`, `not_a_number`)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
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
    """'1 500 000,50' or '1500000.50' dirhams → minor units; refused when it has more decimals than the currency."""
    raw = digits(value).replace("٫", ".")
    if "," in raw and "." in raw:
        raw = raw.replace(",", "") if raw.rfind(".") > raw.rfind(",") else raw.replace(".", "").replace(",", ".")
    elif raw.count(",") == 1 and len(raw.rsplit(",", 1)[1]) <= exponent:
        raw = raw.replace(",", ".")
    else:
        raw = raw.replace(",", "")
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise DomainError("invalid_amount", f"the {what} {value!r} is not an amount") from None
    minor = number.scaleb(exponent)
    if minor != minor.to_integral_value() or minor < 0:
        raise DomainError("invalid_amount", f"the {what} {value!r} has more decimals than the currency or is "
                                            "negative")
    return int(minor)


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
