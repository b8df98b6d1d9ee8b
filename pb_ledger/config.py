"""Settings from the environment (DESIGN §9): one place that knows where data and keys live."""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from psycopg.conninfo import conninfo_to_dict

LOG_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._/-]{0,127}$")


class SettingsError(ValueError):
    """A configuration value that the service refuses to start with."""


def check_log_id(log_id: str) -> str:
    if not LOG_ID_PATTERN.match(log_id) or ".." in log_id:
        raise SettingsError(
            f"invalid log id {log_id!r}: use 1 to 128 characters of a-z 0-9 . - _ /, starting with a letter or digit"
        )
    return log_id


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str | None = None

    @classmethod
    def from_env(cls) -> Settings:
        url = os.environ.get("PB_LEDGER_DATABASE_URL") or None
        if url is not None and not url.startswith(("postgresql://", "postgres://")):
            raise SettingsError("PB_LEDGER_DATABASE_URL must be a postgresql:// URL (unset it to use SQLite)")
        return cls(data_dir=Path(os.environ.get("PB_LEDGER_DATA_DIR", "./pb-data")).resolve(), database_url=url)

    @property
    def uses_postgres(self) -> bool:
        return self.database_url is not None

    def ensure_data_dir(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(self.data_dir, 0o700)

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "ledger.sqlite3"

    def keys_dir(self, log_id: str) -> Path:
        return self.data_dir / "keys" / check_log_id(log_id)

    def default_log_id(self) -> str:
        """PB_LEDGER_LOG, else the log this data directory was first set up for (named once, at random, so that
        several data directories can share one PostgreSQL database without their logs colliding)."""
        configured = os.environ.get("PB_LEDGER_LOG")
        if configured:
            return check_log_id(configured)
        self.ensure_data_dir()
        marker = self.data_dir / "default-log"
        if not marker.exists():
            candidate = f"commune-{secrets.token_hex(3)}"
            try:
                with open(marker, "x", encoding="utf-8") as f:
                    f.write(candidate + "\n")
            except FileExistsError:
                pass
        return check_log_id(marker.read_text(encoding="utf-8").strip())

    def eventsourcing_env(self) -> dict[str, Any]:
        """The eventsourcing factory settings; tables are created by `migrate`, never implicitly."""
        if self.database_url is None:
            self.ensure_data_dir()
            return {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(self.sqlite_path),
                "SQLITE_LOCK_TIMEOUT": "30",
                "APPLICATION_RECORDER_TOPIC": "pb_ledger.ledger.recorder:SQLiteLedgerRecorder",
                "CREATE_TABLE": "false",
            }
        parts = conninfo_to_dict(self.database_url)
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": parts.get("dbname", "postgres"),
            "POSTGRES_HOST": parts.get("host", "127.0.0.1"),
            "POSTGRES_PORT": str(parts.get("port", "5432")),
            "POSTGRES_USER": parts.get("user", "postgres"),
            "POSTGRES_PASSWORD": parts.get("password", ""),
            "POSTGRES_LOCK_TIMEOUT": "30",
            # Entries are signed inside the insert transaction; a whole imported election (10^5 ballots) takes
            # seconds of signing during which the session is idle in transaction: allow it, but not forever.
            "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": "300",
            "APPLICATION_RECORDER_TOPIC": "pb_ledger.ledger.recorder:PostgresLedgerRecorder",
            "CREATE_TABLE": "false",
        }
