"""Settings from the environment (DESIGN §9): one place that knows where data and keys live."""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict

LOG_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._/-]{0,127}$")


class SettingsError(ValueError):
    """A configuration value that the service refuses to start with."""

    code = "configuration"


class DatabaseUnreachable(RuntimeError):
    code = "database_unreachable"


def _redact(url: str) -> str:
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)


def check_log_id(log_id: str) -> str:
    if not LOG_ID_PATTERN.match(log_id) or ".." in log_id:
        raise SettingsError(
            f"invalid log id {log_id!r}: use 1 to 128 characters of a-z 0-9 . - _ /, starting with a letter or digit"
        )
    return log_id


# libpq parameters we pass on (as their PG* environment variables, which libpq reads for every connection)
URL_PARAMETERS = {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT",
                  "sslkey": "PGSSLKEY", "connect_timeout": "PGCONNECT_TIMEOUT", "application_name": "PGAPPNAME"}


def _check_database_url(url: str) -> None:
    if not url.startswith(("postgresql://", "postgres://")):
        raise SettingsError("PB_LEDGER_DATABASE_URL must be a postgresql:// URL (unset it to use SQLite)")
    try:
        parts = conninfo_to_dict(url)
    except Exception as e:  # noqa: BLE001 - psycopg raises ProgrammingError for a malformed URL
        raise SettingsError(f"PB_LEDGER_DATABASE_URL is not a valid PostgreSQL URL: {str(e).strip()}") from None
    if not parts.get("dbname"):
        raise SettingsError("PB_LEDGER_DATABASE_URL names no database: add it, e.g. postgresql://host:5432/pbledger")
    unknown = set(parts) - {"dbname", "host", "port", "user", "password"} - set(URL_PARAMETERS)
    if unknown:
        raise SettingsError(f"PB_LEDGER_DATABASE_URL has parameters pb-ledger does not pass on: "
                            f"{', '.join(sorted(unknown))} (supported: {', '.join(URL_PARAMETERS)})")


def _projection_settings() -> dict[str, Any]:
    mode = os.environ.get("PB_LEDGER_PROJECTIONS", "").strip() or "in-process"
    if mode not in ("in-process", "worker"):
        raise SettingsError(f"PB_LEDGER_PROJECTIONS={mode!r}: use in-process (the service follows the log itself) "
                            "or worker (separate `pb-ledger projections run` processes do)")
    wait = os.environ.get("PB_LEDGER_READ_WAIT", "").strip() or "5"
    try:
        seconds = float(wait)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= 300:
        raise SettingsError(f"PB_LEDGER_READ_WAIT={wait!r}: give the seconds a read may wait, from 0 to 300")
    return {"projections": mode, "read_wait": seconds}


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str | None = None
    keys_root: Path | None = None  # PB_LEDGER_KEYS_DIR; default: the data directory's keys/
    projections: str = "in-process"  # PB_LEDGER_PROJECTIONS: in-process | worker (projections/reading.py)
    read_wait: float = 5.0  # PB_LEDGER_READ_WAIT: seconds a read waits for the projection workers

    @classmethod
    def from_env(cls) -> Settings:
        url = os.environ.get("PB_LEDGER_DATABASE_URL") or None
        if url is not None:
            _check_database_url(url)
        data_dir = os.environ.get("PB_LEDGER_DATA_DIR", "").strip() or "./pb-data"
        keys = os.environ.get("PB_LEDGER_KEYS_DIR", "").strip()
        return cls(data_dir=Path(data_dir).resolve(), database_url=url, keys_root=Path(keys).resolve() if keys else None,
                   **_projection_settings())

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
        return (self.keys_root or self.data_dir / "keys") / check_log_id(log_id)

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

    def check_database(self) -> None:
        """Fail fast, with the server's own reason, when PostgreSQL cannot be reached (instead of a pool timeout)."""
        if self.database_url is None:
            return
        self.eventsourcing_env()  # sets the SSL and timeout parameters for libpq
        try:
            psycopg.connect(self.database_url, connect_timeout=10).close()
        except psycopg.OperationalError as e:
            reason = " ".join(line.strip() for line in str(e).splitlines() if line.strip()) or type(e).__name__
            raise DatabaseUnreachable(f"cannot connect to PostgreSQL ({_redact(self.database_url)}): {reason}") from None

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
        for name, variable in URL_PARAMETERS.items():
            if name in parts:
                os.environ[variable] = str(parts[name])
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": parts["dbname"],
            "POSTGRES_HOST": parts.get("host", "127.0.0.1"),
            "POSTGRES_PORT": str(parts.get("port", "5432")),
            "POSTGRES_USER": parts.get("user", "postgres"),
            "POSTGRES_PASSWORD": parts.get("password", ""),
            "POSTGRES_CONNECT_TIMEOUT": "10",
            "POSTGRES_LOCK_TIMEOUT": "30",
            # Entries are signed inside the insert transaction; a whole imported election (10^5 ballots) takes
            # seconds of signing during which the session is idle in transaction: allow it, but not forever.
            "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": "300",
            "APPLICATION_RECORDER_TOPIC": "pb_ledger.ledger.recorder:PostgresLedgerRecorder",
            "CREATE_TABLE": "false",
        }
