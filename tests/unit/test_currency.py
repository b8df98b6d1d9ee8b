"""A cycle's budget is in minor units of an ISO 4217 currency, with that currency's number of minor-unit digits."""

from __future__ import annotations

import pytest

from pb_ledger.domain.errors import DomainError
from pb_ledger.services.launch import currency_exponent


@pytest.mark.parametrize("currency,digits", [("MAD", 2), ("EUR", 2), ("JPY", 0), ("TND", 3)])
def test_the_minor_unit_digits_come_from_the_currency(currency: str, digits: int) -> None:
    assert currency_exponent(currency, None) == digits
    assert currency_exponent(currency, digits) == digits


@pytest.mark.parametrize("currency,exponent", [("JPY", 2), ("MAD", 0), ("XYZ", None), ("mad", None), ("", None)])
def test_an_unknown_currency_or_a_wrong_number_of_digits_is_refused(currency: str, exponent: int | None) -> None:
    with pytest.raises(DomainError) as refused:
        currency_exponent(currency, exponent)
    assert refused.value.code == "invalid_currency"
