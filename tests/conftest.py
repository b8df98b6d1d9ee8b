"""Shared fixtures: the ../shared folder, and a fresh store on each backend (SQLite file, PostgreSQL database)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from pb_ledger.config import Settings

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PABULIB = SHARED / "data" / "pabulib"
POSTGRES_ADMIN_URL = os.environ.get("PB_LEDGER_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def shared_path(*parts: str) -> Path:
    """A path under ../shared; skipped when it is absent, but a failure under CI=true."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        message = f"{path} is missing: clone the project beside its shared/ folder to run this test"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def _postgres_available() -> bool:
    try:
        psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=3).close()
        return True
    except psycopg.OperationalError:
        return False


@pytest.fixture(scope="session")
def postgres_server() -> str:
    if not _postgres_available():
        message = f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return POSTGRES_ADMIN_URL


def _fresh_database(admin_url: str) -> tuple[str, str]:
    name = f"pbl_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = admin_url.rsplit("/", 1)[0]
    return name, f"{base}/{name}"


def _drop_database(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgres"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """Settings for a fresh, empty store on each backend."""
    if request.param == "sqlite":
        yield Settings(data_dir=tmp_path / "data")
        return
    admin = request.getfixturevalue("postgres_server")
    name, url = _fresh_database(admin)
    try:
        yield Settings(data_dir=tmp_path / "data", database_url=url)
    finally:
        _drop_database(admin, name)


def env_for(settings: Settings) -> dict[str, str]:
    """The environment that points the CLI at `settings`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PB_LEDGER_")}
    env["PB_LEDGER_DATA_DIR"] = str(settings.data_dir)
    if settings.database_url:
        env["PB_LEDGER_DATABASE_URL"] = settings.database_url
    return env
