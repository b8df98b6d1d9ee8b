"""Fixtures for the verifier's tests: built exports on disk, a one-call verification, the shared test vectors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from verifier.report import Report
from verifier.verification import verify_export

from .logbuilder import ROOT, LogBuilder, Signer
from .verifying import VerifyBytes, shared_folder


@pytest.fixture
def verify_bytes(tmp_path: Path) -> VerifyBytes:
    """Write `data` (bytes or a LogBuilder) to a file and verify it against `root` (the builder's root by default)."""

    def verify(data: bytes | LogBuilder, root: Signer = ROOT) -> Report:
        path = tmp_path / "export.jsonl"
        path.write_bytes(data.export() if isinstance(data, LogBuilder) else data)
        return verify_export(path, root.public)

    return verify


@pytest.fixture
def root_pem(tmp_path: Path) -> Path:
    path = tmp_path / "root.pem"
    path.write_bytes(ROOT.public_pem())
    return path


@pytest.fixture
def shared_vectors() -> Callable[[str], Path]:
    """The folder of shared test vectors `name` (../shared/vectors beside the repository); see `shared_folder`."""
    return lambda name: shared_folder("vectors", name)
