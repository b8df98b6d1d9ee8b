"""A small connection wrapper so plain SQL (read models, the personal-data store) runs on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg.rows import dict_row

from pb_ledger.config import Settings


class ReadStore:
    """SQL with `?` placeholders; on PostgreSQL they are rewritten to `%s`."""

    def __init__(self, settings: Settings) -> None:
        self.postgres = settings.uses_postgres
        self._settings = settings
        self._local = threading.local()  # one connection per thread (the API serves requests on a thread pool)
        self._all: list[Any] = []

    def _connection(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            if self.postgres:
                conn = psycopg.connect(self._settings.database_url or "", row_factory=dict_row, autocommit=True)
            else:
                conn = sqlite3.connect(self._settings.sqlite_path, timeout=30, isolation_level=None,
                                       check_same_thread=False)
                conn.row_factory = sqlite3.Row
            self._local.conn = conn
            self._all.append(conn)
        return conn

    def close(self) -> None:
        for conn in self._all:
            conn.close()
        self._all.clear()
        self._local = threading.local()

    def create_tables(self, statements: Sequence[str]) -> None:
        """Run `CREATE … IF NOT EXISTS` statements; on PostgreSQL under the migration lock, since concurrent
        creation of the same table can fail there."""
        with self.transaction(write=True) as cur:
            if self.postgres:
                cur.execute("SELECT pg_advisory_xact_lock(hashtextextended('pb-ledger/migrate', 0))")
            for statement in statements:
                cur.execute(statement.format(blob="BYTEA" if self.postgres else "BLOB"))

    @contextmanager
    def transaction(self, write: bool = False) -> Iterator[Cursor]:
        conn = self._connection()
        if self.postgres:
            with conn.transaction(), conn.cursor() as cur:
                yield Cursor(cur, postgres=True)
            return
        cur = conn.cursor()
        cur.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        try:
            yield Cursor(cur, postgres=False)
        except BaseException:
            conn.rollback()
            raise
        conn.commit()


class Cursor:
    def __init__(self, cur: Any, postgres: bool) -> None:
        self._cur, self._postgres = cur, postgres

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self._postgres else sql

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        self._cur.execute(self._sql(sql), tuple(params))
        return self

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self._cur.executemany(self._sql(sql), [tuple(r) for r in rows])

    def fetchall(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self._cur.fetchall()]

    def fetchtuples(self) -> list[tuple[Any, ...]]:
        """Rows as plain tuples, in the order of the SELECT (cheaper than dicts when there are many)."""
        if self._postgres:
            return [tuple(r.values()) if isinstance(r, dict) else tuple(r) for r in self._cur.fetchall()]
        return [tuple(r) for r in self._cur.fetchall()]

    def fetchone(self) -> dict[str, Any] | None:
        row = self._cur.fetchone()
        return None if row is None else dict(row)
