"""Text typed by people is checked before it is signed: blank, too long, or hiding control characters is refused."""

from __future__ import annotations

import pytest

from pb_ledger.domain.cycle import Cycle, evolve
from pb_ledger.domain.errors import DomainError
from pb_ledger.domain.ideas import decide_submit
from pb_ledger.domain.launch import decide_create, decide_start_phase
from pb_ledger.domain.text import DOCUMENT, NAME, clean_text, is_blank


@pytest.mark.parametrize("blank", ["", "   ", "\u200f", "\u200b\u200b", "\u200f\u200b \u00a0", "\ufeff", "\u064e"])
def test_text_made_only_of_invisible_characters_is_blank(blank: str) -> None:
    assert is_blank(blank)
    with pytest.raises(DomainError) as refused:
        clean_text(blank, "reason")
    assert refused.value.code == "missing_text"
    assert clean_text(blank, "reason", required=False) is None


@pytest.mark.parametrize("char", ["\u202e", "\u202d", "\u2066", "\u2069", "\x01", "\x1b", "\ud800"])
def test_direction_overrides_and_control_characters_are_refused(char: str) -> None:
    with pytest.raises(DomainError) as refused:
        clean_text(f"حديقة{char}الحي", "title")
    assert refused.value.code == "invalid_text" and f"U+{ord(char):04X}" in refused.value.message


def test_text_is_signed_in_nfc_and_trimmed_and_keeps_marks_that_arabic_needs() -> None:
    assert clean_text("  Cafe\u0301 \u200b", "title") == "Café"
    assert clean_text("\u200fمَدرسة\u200f", "title") == "\u200fمَدرسة\u200f"  # right-to-left marks are kept inside


def test_lines_are_kept_only_where_the_field_has_several_lines() -> None:
    assert clean_text("first\r\nsecond", "description", multiline=True) == "first\nsecond"
    with pytest.raises(DomainError, match=r"U\+000A"):
        clean_text("first\nsecond", "title")


def test_text_longer_than_its_field_allows_is_refused_with_both_lengths() -> None:
    assert clean_text("x" * NAME, "title") == "x" * NAME
    with pytest.raises(DomainError) as refused:
        clean_text("x" * (NAME + 1), "title")
    assert refused.value.code == "text_too_long" and f"{NAME + 1}" in refused.value.message


def test_an_idea_with_a_huge_description_or_title_appends_nothing() -> None:
    cycle = Cycle("c1")
    evolve(cycle, *decide_create("BP", 1000, "MAD", 2, None))
    evolve(cycle, *decide_start_phase(cycle, "ideas", "pb-team"))
    with pytest.raises(DomainError, match="text_too_long|at most"):
        decide_submit(cycle, "i1", "Park", "d" * (DOCUMENT + 1), "online", "citizen")
    with pytest.raises(DomainError, match="at most"):
        decide_submit(cycle, "i1", "T" * 20_000, "", "online", "citizen")
    decide_submit(cycle, "i1", "T" * 251, "", "online", "citizen")  # as long as real cities' project titles
    _, payload = decide_submit(cycle, "i1", "  Park  ", "  shade\r\ntrees ", "online", "citizen",
                               category="\u200b", district=" Centre ")
    assert (payload["title"], payload["description"], payload["category"], payload["district"]) == (
        "Park", "shade\ntrees", None, "Centre")
