"""A national ID number typed in another form is still the same person: one token, one ballot."""

from __future__ import annotations

import pytest

from pb_ledger.eligibility import ballot_token, normalise_id

KEY = b"\x07" * 32


@pytest.mark.parametrize("typed", ["BE123456", "be 123456", "ＢＥ１２３４５６", "BE١٢٣٤٥٦", "be ۱۲۳۴۵۶", " B E 1 2 3 4 5 6 "])
def test_every_way_of_typing_one_number_gives_one_token(typed: str) -> None:
    assert normalise_id(typed) == "BE123456"
    assert ballot_token(KEY, "c1", typed) == ballot_token(KEY, "c1", "BE123456")


def test_different_numbers_and_cycles_give_different_tokens() -> None:
    assert ballot_token(KEY, "c1", "BE123456") != ballot_token(KEY, "c1", "BE123457")
    assert ballot_token(KEY, "c1", "BE123456") != ballot_token(KEY, "c2", "BE123456")
