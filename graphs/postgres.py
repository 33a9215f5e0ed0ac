"""The delta checkpointer on PostgreSQL, for many users on one server.

:class:`DeltaPostgresSaver` keeps the storage of
:class:`~dialoggen.graphs.checkpointer.DeltaSqliteSaver` (each channel value once per
version, append-only lists as deltas on a skip-list chain, so a thread grows linearly)
and its turn commit (staged writes stored in one transaction only if the thread's head
is unchanged), on a PostgreSQL database through psycopg 3. The same SQL runs on both: a
small translation turns SQLite's ``?``, ``INSERT OR IGNORE/REPLACE`` and ``CROSS JOIN``
into PostgreSQL's. It also keeps the thread index (table ``dg_threads``), written in the
same transaction as the turn's checkpoint.

A turn's compare-and-swap takes a transaction-scoped advisory lock on the thread
(``pg_advisory_xact_lock``), so two writers of one thread serialise their commits while
writers of different threads never wait for each other.

Needs the ``postgres`` extra (``pip install 'dialoggen[postgres]'``: psycopg with its
binary wheel, and ``langgraph-checkpoint-postgres`` for the stock saver the benchmark
compares with). Keep the password out of the URL: use ``PGPASSWORD`` or ``~/.pgpass``.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, Optional

from langgraph.checkpoint.base import BaseCheckpointSaver, CheckpointTuple, SerializerProtocol
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer

from ..agent.errors import ConfigError, StorageError
from .checkpointer import _SCHEMA as _SQLITE_SCHEMA
from .checkpointer import DeltaSqliteSaver, ThreadChanged, TurnTxn

__all__ = ["DeltaPostgresSaver", "redact_url"]

# The same tables as the SQLite saver (BLOB is BYTEA here), plus the thread index.
_SCHEMA = tuple(
    stmt.strip().replace("BLOB", "BYTEA") for stmt in _SQLITE_SCHEMA.split(";") if stmt.strip()
) + (
    """CREATE TABLE IF NOT EXISTS dg_threads (
    thread_id TEXT PRIMARY KEY,
    title TEXT,
    turns INTEGER,
    created TEXT,
    updated TEXT)""",
)

_CONFLICT_UPDATE = {
    "dg_checkpoints": (
        "(thread_id, checkpoint_ns, checkpoint_id)",
        "parent_checkpoint_id = EXCLUDED.parent_checkpoint_id, type = EXCLUDED.type, "
        "checkpoint = EXCLUDED.checkpoint, metadata = EXCLUDED.metadata",
    ),
    "dg_writes": (
        "(thread_id, checkpoint_ns, checkpoint_id, task_id, idx)",
        "task_path = EXCLUDED.task_path, channel = EXCLUDED.channel, type = EXCLUDED.type, value = EXCLUDED.value",
    ),
}


@lru_cache(maxsize=256)
def translate(sql: str) -> str:
    """SQLite SQL of the delta saver -> PostgreSQL SQL (placeholders, upserts, joins)."""
    out = sql.replace("%", "%%").replace("?", "%s").replace("CROSS JOIN", "JOIN")
    m = re.match(r"\s*INSERT OR (IGNORE|REPLACE) INTO (\w+)", out)
    if m:
        kind, table = m.groups()
        out = "INSERT INTO " + table + out[m.end():]
        if kind == "IGNORE":
            out += " ON CONFLICT DO NOTHING"
        else:
            target, sets = _CONFLICT_UPDATE[table]
            out += f" ON CONFLICT {target} DO UPDATE SET {sets}"
    return out


def redact_url(url: str) -> str:
    """``url`` without a password (``postgresql://user:***@host/db``)."""
    return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", str(url))


class _Cursor:
    """A psycopg cursor that speaks the delta saver's SQLite dialect."""

    def __init__(self, cur: Any) -> None:
        self._cur = cur

    def execute(self, sql: str, params: Any = ()) -> "_Cursor":
        self._cur.execute(translate(sql), tuple(params) if params is not None else None)
        return self

    def executemany(self, sql: str, rows: Any) -> None:
        rows = [tuple(r) for r in rows]
        if rows:
            self._cur.executemany(translate(sql), rows)

    def fetchone(self) -> Optional[tuple]:
        return self._cur.fetchone()

    def fetchall(self) -> list[tuple]:
        return self._cur.fetchall()

    def __iter__(self) -> Iterator[tuple]:
        return iter(self._cur.fetchall())

    @property
    def rowcount(self) -> int:
        return self._cur.rowcount

    def close(self) -> None:
        self._cur.close()


def _errors() -> tuple[type[BaseException], ...]:
    import psycopg

    return (psycopg.Error, OSError)


class DeltaPostgresSaver(DeltaSqliteSaver):
    """:class:`DeltaSqliteSaver`'s storage and turn commits on a PostgreSQL connection.

    Args:
        conn: an open ``psycopg.Connection`` in autocommit mode (the saver opens its own
            transactions); every access is serialised by the saver's lock.
        serde, fanout, cache_size: as for :class:`DeltaSqliteSaver`.
    """

    keeps_thread_index = True

    def __init__(
        self, conn: Any, *, serde: Optional[SerializerProtocol] = None, fanout: int = 16, cache_size: int = 256
    ) -> None:
        BaseCheckpointSaver.__init__(self, serde=serde or JsonPlusSerializer())
        self.jsonplus_serde = JsonPlusSerializer()
        if fanout < 1:
            raise ValueError("fanout must be at least 1")
        self.conn = conn
        self.is_setup = False
        self.lock = threading.RLock()
        self.fanout = fanout
        self.synchronous = "FULL"
        from .checkpointer import _LRU

        self._cache = _LRU(cache_size)
        self._heads = _LRU(4 * cache_size)
        self._uncommitted = None
        self._closed = False
        self.url = ""

    # -- construction -------------------------------------------------------------

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> "DeltaPostgresSaver":
        """Connect to ``url`` (``postgresql://user@host:port/db``) and create the tables.

        Raises :class:`~dialoggen.agent.errors.StorageError` (one sentence, password
        redacted) when the server cannot be reached or the tables cannot be created, and
        :class:`~dialoggen.agent.errors.ConfigError` when psycopg is not installed."""
        try:
            import psycopg
        except ImportError as err:
            raise ConfigError(
                "PostgreSQL storage needs psycopg: pip install 'dialoggen[postgres]' (or unset --db to use SQLite)."
            ) from err
        try:
            conn = psycopg.connect(url, autocommit=True, connect_timeout=10)
        except psycopg.Error as err:
            reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
            raise StorageError(
                f"Cannot connect to the PostgreSQL database {redact_url(url)} ({redact_url(reason).rstrip('.')}): "
                "check that the server runs and the URL is right."
            ) from err
        saver = cls(conn, **kwargs)
        saver.url = redact_url(url)
        try:
            saver.setup()
        except _errors() as err:
            conn.close()
            raise StorageError(
                f"Cannot create the tables in the PostgreSQL database {saver.url} ({str(err).strip().splitlines()[0]}): "
                "check that the user may create tables there."
            ) from err
        return saver

    @classmethod
    @contextmanager
    def from_conn_string(cls, conn_string: str, **kwargs: Any) -> Iterator["DeltaPostgresSaver"]:
        """Context manager: a saver on ``conn_string``, closed on exit."""
        saver = cls.from_url(conn_string, **kwargs)
        try:
            yield saver
        finally:
            saver.close()

    def close(self) -> None:
        """Close the connection (closing twice is harmless)."""
        with self.lock:
            if not self._closed:
                self._closed = True
                self.conn.close()

    def setup(self) -> None:
        """Create the tables (idempotent; one transaction under an advisory lock, so many
        processes may set up one database at once)."""
        if self.is_setup:
            return
        with self.lock:
            if self.is_setup:
                return
            with self.conn.transaction():
                with self.conn.cursor() as cur:
                    cur.execute("SELECT pg_advisory_xact_lock(hashtext('dialoggen-schema'))")
                    for stmt in _SCHEMA:
                        cur.execute(stmt)
            self.is_setup = True

    @contextmanager
    def cursor(self, transaction: bool = True) -> Iterator[Any]:
        """A translating cursor under the saver's lock, in a transaction (reads too: one
        consistent snapshot per call)."""
        with self.lock:
            self.setup()
            if transaction:
                self._uncommitted = []
            try:
                with self.conn.transaction():
                    with self.conn.cursor() as raw:
                        yield _Cursor(raw)
            except BaseException:
                if transaction:
                    self._forget_uncommitted()
                raise
            finally:
                if transaction:
                    self._uncommitted = None

    @contextmanager
    def _write_txn(self, thread_id: str) -> Iterator[Any]:
        """A transaction holding the thread's advisory lock from its first statement."""
        with self.lock:
            self.setup()
            self._uncommitted = []
            try:
                with self.conn.transaction():
                    with self.conn.cursor() as raw:
                        raw.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (str(thread_id),))
                        yield _Cursor(raw)
            except BaseException:
                self._forget_uncommitted()
                raise
            finally:
                self._uncommitted = None

    def commit_turn(self, txn: TurnTxn, *, on_commit: Any = None) -> Optional[str]:
        """As :meth:`DeltaSqliteSaver.commit_turn`, on PostgreSQL."""
        try:
            return super().commit_turn(txn, on_commit=on_commit)
        except (ThreadChanged, StorageError):
            raise
        except _errors() as err:
            raise StorageError(
                f"The turn could not be saved in the PostgreSQL database {self.url} "
                f"({str(err).strip().splitlines()[0]}), so nothing was recorded: check the server and try again."
            ) from err

    @contextmanager
    def turn_lock(self, thread_id: str, timeout: float = 60.0) -> Iterator[bool]:
        """As :meth:`DeltaSqliteSaver.turn_lock`, with a session-level advisory lock on
        the server (held by this process's connection; released if the process dies)."""
        import random
        import time

        key = ("dialoggen-turn", str(thread_id))
        deadline = time.monotonic() + timeout
        got = False
        while True:
            with self.lock:
                row = self.conn.execute("SELECT pg_try_advisory_lock(hashtext(%s), hashtext(%s))", key).fetchone()
            if row and row[0]:
                got = True
                break
            if time.monotonic() >= deadline:
                break
            time.sleep(random.uniform(0.005, 0.03))
        try:
            yield got
        finally:
            if got and not self._closed:
                with self.lock:
                    self.conn.execute("SELECT pg_advisory_unlock(hashtext(%s), hashtext(%s))", key)

    # -- the thread index -----------------------------------------------------------

    def thread_index(self, cur: Any) -> Any:
        """Thread-index writes inside the transaction of ``cur`` (see :meth:`commit_turn`)."""
        from ..tools.image_store import ThreadIndex

        return ThreadIndex(cur, table="dg_threads", param="?")

    def list_threads(self) -> list[dict]:
        """Every thread (thread_id, title, turns, created, updated), newest activity first."""
        with self.cursor(transaction=False) as cur:
            cur.execute("SELECT thread_id, title, turns, created, updated FROM dg_threads ORDER BY updated DESC")
            cols = ("thread_id", "title", "turns", "created", "updated")
            return [dict(zip(cols, row)) for row in cur.fetchall()]

    def _delete_rows(self, cur: Any, tid: str) -> None:
        super()._delete_rows(cur, tid)
        cur.execute("DELETE FROM dg_threads WHERE thread_id = ?", (tid,))

    # -- reading: metadata filters in Python (the stock SQL uses SQLite's json_extract) ---

    def list(
        self,
        config: Optional[dict],
        *,
        filter: Optional[dict[str, Any]] = None,
        before: Optional[dict] = None,
        limit: Optional[int] = None,
    ) -> Iterator[CheckpointTuple]:
        """Checkpoints matching ``config``/``filter``/``before``, newest first."""
        from .checkpointer import _CKPT_COLS

        clauses, params = [], []
        if config is not None:
            conf = config["configurable"]
            clauses.append("thread_id = ?")
            params.append(str(conf["thread_id"]))
            if conf.get("checkpoint_ns") is not None:
                clauses.append("checkpoint_ns = ?")
                params.append(conf.get("checkpoint_ns"))
            if conf.get("checkpoint_id"):
                clauses.append("checkpoint_id = ?")
                params.append(conf["checkpoint_id"])
        if before is not None:
            clauses.append("checkpoint_id < ?")
            params.append(before["configurable"]["checkpoint_id"])
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        with self.cursor(transaction=False) as cur:
            cur.execute(f"SELECT {_CKPT_COLS} FROM dg_checkpoints {where} ORDER BY checkpoint_id DESC", params)
            rows = cur.fetchall()
        if filter:
            rows = [r for r in rows if _matches(json.loads(bytes(r[6])) if r[6] is not None else {}, filter)]
        if limit is not None:
            rows = rows[:limit]
        memo: dict = {}
        for row in rows:
            row = (*row[:5], bytes(row[5]) if row[5] is not None else None, bytes(row[6]) if row[6] is not None else None)
            with self.cursor(transaction=False) as cur:
                tup = self._make_tuple(cur, row, memo=memo)
            yield tup


def _matches(meta: dict, filt: dict) -> bool:
    return all(meta.get(k) == v for k, v in filt.items())
