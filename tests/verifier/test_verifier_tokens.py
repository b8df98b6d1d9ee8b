"""Ballot tokens (log-format §5.3): one counted ballot per registered resident, checked from the log alone."""

from __future__ import annotations

import pytest

from .logbuilder import STANDARD_BALLOTS, LogBuilder, add_cycle, ballot
from .verifying import VerifyBytes

TOKENS = sorted(f"{n:064x}" for n in range(1, 41))


def tokened(tokens: list[str | None], register: list[str] | None = TOKENS) -> bytes:
    builder = LogBuilder()
    builder.genesis()
    ballots = []
    for vote, token in zip(STANDARD_BALLOTS, tokens):
        payload = ballot(*vote)
        if token is not None:
            payload["token"] = token
        ballots.append(payload)
    add_cycle(builder, ballots=ballots, register=register)
    return builder.export()


def test_ballots_with_distinct_registered_tokens_verify(verify_bytes: VerifyBytes) -> None:
    assert verify_bytes(tokened(TOKENS[: len(STANDARD_BALLOTS)])).ok


@pytest.mark.parametrize("tokens, register, message", [
    (["f" * 64], TOKENS, "not in the cycle's register"),
    ([TOKENS[0], TOKENS[0]], TOKENS, "a second ballot with the same token"),
    ([TOKENS[0]], None, "the cycle published no register"),
    ([None], TOKENS, "not in the cycle's register"),
    ([TOKENS[0]], [TOKENS[1], TOKENS[0]], "sorted in each entry"),
], ids=["unknown-token", "duplicate-token", "token-without-register", "missing-token", "unsorted-register"])
def test_a_token_problem_fails_at_its_seq(verify_bytes: VerifyBytes, tokens: list[str | None],
                                          register: list[str] | None, message: str) -> None:
    rest = TOKENS[2:] if register is TOKENS else [None] * len(STANDARD_BALLOTS)
    report = verify_bytes(tokened([*tokens, *rest][: len(STANDARD_BALLOTS)], register))
    assert not report.ok and report.error is not None and message in report.error.message
