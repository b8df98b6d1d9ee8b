"""Types and small helpers shared by the verifier's tests."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from verifier.report import Report

VerifyBytes = Callable[..., Report]
SHARED = Path(__file__).resolve().parents[3] / "shared"


def statuses(report: Report) -> dict[str, str]:
    """Each check's status by its id."""
    return {check.id: check.status for check in report.checks}


def shared_folder(*parts: str) -> Path:
    """A folder of ../shared beside the repository.

    Skips the test when it is absent, except in CI (CI=true), where its absence fails the test.
    """
    path = SHARED.joinpath(*parts)
    if not path.is_dir():
        message = f"shared test data not found at {path}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path
