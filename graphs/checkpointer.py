"""A SQLite checkpointer whose file grows linearly with a conversation.

LangGraph's stock :class:`~langgraph.checkpoint.sqlite.SqliteSaver` stores every
checkpoint with its whole state inline, so a thread whose ``messages`` grow by two
per turn costs O(turns) bytes per checkpoint and O(turns²) in all.
:class:`DeltaSqliteSaver` stores state the way the Postgres saver does, plus deltas:

* a checkpoint row keeps ``channel_versions`` (and the rest of the checkpoint) but no
  ``channel_values``;
* a channel's value is stored once per ``(thread, namespace, channel, version)``, and
  only when its version moved (``new_versions`` in :meth:`put`);
* a list that only grew (``messages`` under ``add_messages``, the append-only ``turns``)
  is stored as a *delta*: a base version plus the appended items. The previous value is
  held in a small per-saver LRU cache, so checking "is the old list a prefix of the
  new one" costs an identity comparison per item, and writing a turn costs only the
  new items.

Delta chains are bounded without full rewrites: after ``fanout`` consecutive deltas of
one level, the next delta skips them and is based on the node before them (one level
up), like a skip list. A value 200 turns deep is ~28 hops from a full snapshot with
``fanout=16``, while each item is stored once per level (two levels up to ~290
versions, three up to ~4900), so the file grows (near-)linearly. A full snapshot is
written only when a list shrank or changed in place, or when the saver holds no base for
it (a thread's first value, or a write not preceded by a read of the thread in this
process: the graph always reads a thread before it writes).

Values handed out share their items with the cache: like every LangGraph state, they
must not be mutated in place (reducers return new lists; nodes return updates).
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any, NamedTuple, Optional, Union

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import (
    WRITES_IDX_MAP,
    ChannelVersions,
    Checkpoint,
    CheckpointMetadata,
    CheckpointTuple,
    DeltaChannelHistory,
    PendingWrite,
    SerializerProtocol,
    get_checkpoint_id,
    get_checkpoint_metadata,
    writes_sort_key,
)
from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.checkpoint.sqlite.utils import search_where

from ..agent.errors import ConfigError, StorageError, ThreadForkError
from ..tools.storage import BUSY_TIMEOUT_S, retry_locked, storage_advice, storage_reason

__all__ = ["DeltaSqliteSaver", "FOLLOW_KEY", "ThreadChanged", "TurnTxn", "TXN_KEY"]

#: ``config["configurable"][TXN_KEY]``: a :class:`TurnTxn` whose writes are staged in memory
#: and stored only by :meth:`DeltaSqliteSaver.commit_turn` (one transaction, compare-and-swap).
TXN_KEY = "dialoggen_txn"


#: ``config["configurable"][FOLLOW_KEY]``: set by :meth:`DeltaSqliteSaver.get_tuple` on the
#: config of the checkpoint it read. ``True`` when the read asked for the thread's latest
#: checkpoint (a run that continues the thread: its writes must extend the head), ``False``
#: when it asked for an explicit ``checkpoint_id`` (time travel: a fork is intended).
#: LangGraph merges the read tuple's config into the config of every ``put`` of the run.
FOLLOW_KEY = "__dialoggen_follows_head__"


class ThreadChanged(Exception):
    """The thread's head moved since the turn started (another writer committed first)."""


class TurnTxn:
    """One turn's writes, staged until :meth:`DeltaSqliteSaver.commit_turn`.

    ``expected_head`` is the thread's head checkpoint id when the turn started (``None``
    for an empty thread); the commit stores the staged writes only if it still is.
    ``index_rows`` collects the picture-index rows written during the turn (see
    :meth:`dialoggen.tools.image_store.ImageStore.save_generated`): the turn's commit
    writes them with the thread index, a dropped turn drops them.
    """

    def __init__(self, thread_id: str, expected_head: Optional[str]) -> None:
        self.thread_id = str(thread_id)
        self.expected_head = expected_head
        self.ops: list[tuple] = []
        self.delete = False  # commit deletes the thread first (undo of its only turn)
        self.index_rows: list[dict] = []  # picture-index rows of the turn, written on commit
        self.lock = threading.Lock()

    def config(self, **extra: Any) -> dict:
        """A run config naming this transaction."""
        return {"configurable": {"thread_id": self.thread_id, TXN_KEY: self, **extra}}

# Stored kinds of a channel value at one version.
_VALUE = "value"  # any value, serialised whole
_LIST = "list"  # a list serialised whole: a root that deltas can build on
_DELTA = "delta"  # the items appended to the list stored at `base_version`
_EMPTY = "empty"  # no value (never written by this saver: a valueless version has no row)

_ROOT_LEVEL = 1 << 30  # level of a full list snapshot: never merged into
_MISSING = object()

_SCHEMA = """
CREATE TABLE IF NOT EXISTS dg_checkpoints (
    thread_id TEXT NOT NULL,
    checkpoint_ns TEXT NOT NULL DEFAULT '',
    checkpoint_id TEXT NOT NULL,
    parent_checkpoint_id TEXT,
    type TEXT,
    checkpoint BLOB,
    metadata BLOB,
    PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id)
);
CREATE TABLE IF NOT EXISTS dg_writes (
    thread_id TEXT NOT NULL,
    checkpoint_ns TEXT NOT NULL DEFAULT '',
    checkpoint_id TEXT NOT NULL,
    task_id TEXT NOT NULL,
    task_path TEXT NOT NULL DEFAULT '',
    idx INTEGER NOT NULL,
    channel TEXT NOT NULL,
    type TEXT,
    value BLOB,
    PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id, task_id, idx)
);
CREATE TABLE IF NOT EXISTS dg_blobs (
    thread_id TEXT NOT NULL,
    checkpoint_ns TEXT NOT NULL DEFAULT '',
    channel TEXT NOT NULL,
    version TEXT NOT NULL,
    kind TEXT NOT NULL,
    type TEXT,
    value BLOB,
    base_version TEXT,
    level INTEGER NOT NULL DEFAULT 0,
    length INTEGER,
    PRIMARY KEY (thread_id, checkpoint_ns, channel, version)
);
"""

_BLOB_COLS = "version, kind, type, value, base_version, level, length"

# A delta's chain, newest first, read lazily: the caller stops at a cached version.
_CHAIN_SQL = (
    f"WITH RECURSIVE chain({_BLOB_COLS}) AS ("
    f"SELECT {_BLOB_COLS} FROM dg_blobs "
    "WHERE thread_id = ? AND checkpoint_ns = ? AND channel = ? AND version = ? "
    "UNION ALL "
    "SELECT b.version, b.kind, b.type, b.value, b.base_version, b.level, b.length "
    "FROM chain c CROSS JOIN dg_blobs b ON b.version = c.base_version "
    "WHERE b.thread_id = ? AND b.checkpoint_ns = ? AND b.channel = ?"
    f") SELECT {_BLOB_COLS} FROM chain"
)

# Ancestors of a checkpoint, nearest first, following parent ids (see the stock saver).
_ANCESTORS_SQL = (
    "WITH RECURSIVE ancestors(checkpoint_id, parent_checkpoint_id, type, checkpoint) AS ("
    "SELECT checkpoint_id, parent_checkpoint_id, type, checkpoint FROM dg_checkpoints "
    "WHERE thread_id = ? AND checkpoint_ns = ? AND checkpoint_id = ? "
    "UNION ALL "
    "SELECT c.checkpoint_id, c.parent_checkpoint_id, c.type, c.checkpoint "
    "FROM ancestors a CROSS JOIN dg_checkpoints c ON c.checkpoint_id = a.parent_checkpoint_id "
    "WHERE c.thread_id = ? AND c.checkpoint_ns = ?"
    ") SELECT checkpoint_id, type, checkpoint FROM ancestors"
)

_WRITES_SQL = (
    "SELECT task_id, channel, type, value, task_path, idx FROM dg_writes "
    "WHERE thread_id = ? AND checkpoint_ns = ? AND checkpoint_id = ?"
)

_CKPT_COLS = "thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, type, checkpoint, metadata"


class _Node(NamedTuple):
    """One stored list version on a delta chain."""

    version: str
    level: int
    length: int


class _Resolved(NamedTuple):
    """A list value rebuilt from its chain: the items and the chain, root first."""

    items: tuple
    path: tuple[_Node, ...]


_Key = tuple[str, str, str, str]  # thread_id, checkpoint_ns, channel, version


def _equal(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except Exception:  # e.g. arrays, whose == is elementwise: treat as changed
        return False


def _extends(old: tuple, new: list) -> bool:
    """Whether ``old`` is a prefix of ``new`` (item identity first, then equality)."""
    if len(new) < len(old):
        return False
    return all(a is b or _equal(a, b) for a, b in zip(old, new))


class _LRU(OrderedDict):
    """A tiny least-recently-used mapping (callers hold the saver's lock)."""

    def __init__(self, maxsize: int) -> None:
        super().__init__()
        self.maxsize = maxsize

    def get(self, key: Any, default: Any = None) -> Any:  # noqa: D102
        if key in self:
            self.move_to_end(key)
            return self[key]
        return default

    def put(self, key: Any, value: Any) -> None:  # noqa: D102
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.maxsize:
            self.popitem(last=False)


class DeltaSqliteSaver(SqliteSaver):
    """A LangGraph checkpointer on one SQLite file that stores each channel value once
    per version and append-only lists as deltas (see the module docstring).

    Args:
        conn: an open connection (use ``check_same_thread=False`` to share it between
            threads; every access is serialised by the saver's lock).
        serde: the serializer (default: LangGraph's ``JsonPlusSerializer``).
        fanout: deltas per level before a delta skips over them (chain bound).
        cache_size: resolved list values kept in memory.
        synchronous: SQLite ``PRAGMA synchronous`` (``NORMAL`` is durable across
            application crashes in WAL mode; use ``FULL`` to survive power loss too).
    """

    def __init__(
        self,
        conn: sqlite3.Connection,
        *,
        serde: Optional[SerializerProtocol] = None,
        fanout: int = 16,
        cache_size: int = 256,
        synchronous: str = "NORMAL",
    ) -> None:
        super().__init__(conn, serde=serde)
        if fanout < 1:
            raise ValueError("fanout must be at least 1")
        if synchronous.upper() not in {"OFF", "NORMAL", "FULL", "EXTRA"}:
            raise ValueError(f"unknown PRAGMA synchronous value: {synchronous!r}")
        self.lock = threading.RLock()
        self.fanout = fanout
        self.synchronous = synchronous.upper()
        self._cache: _LRU = _LRU(cache_size)  # _Key -> _Resolved
        self._heads: _LRU = _LRU(4 * cache_size)  # (thread, ns, channel) -> version
        self._uncommitted: Optional[list[_Key]] = None  # cache keys of the open write transaction
        self._closed = False
        self.path: Optional[Path] = None  # the database file, when opened by from_path

    # -- construction -------------------------------------------------------------

    @classmethod
    def from_path(cls, path: Union[str, Path], **kwargs: Any) -> "DeltaSqliteSaver":
        """Open (creating it and its parent folders if needed) the database at ``path``.

        Close it with :meth:`close`. Raises :class:`~dialoggen.agent.errors.StorageError`
        (a ``ConfigError``) with one sentence when the file cannot be opened or written.
        """
        p = Path(path).expanduser()
        try:
            if p.parent.exists() and not p.parent.is_dir():
                raise StorageError(f"The data directory {p.parent} is not a directory: choose another --data-dir.")
            p.parent.mkdir(parents=True, exist_ok=True)
            if p.exists() and not p.is_file():
                raise StorageError(f"{p} is not a database file: choose another --data-dir.")
            conn = sqlite3.connect(str(p), check_same_thread=False, timeout=BUSY_TIMEOUT_S)
            saver = cls(conn, **kwargs)
            saver.path = p
            saver.setup()
        except StorageError:
            raise
        except (OSError, sqlite3.Error) as err:
            raise StorageError(f"Cannot open the conversation database {p} ({storage_reason(err)}): {storage_advice(err)}") from err
        return saver

    @classmethod
    @contextmanager
    def from_conn_string(cls, conn_string: str, **kwargs: Any) -> Iterator["DeltaSqliteSaver"]:
        """Context manager: a saver on ``conn_string`` (a path or ``:memory:``), closed on exit."""
        if conn_string != ":memory:" and not conn_string.startswith("file:"):
            Path(conn_string).expanduser().parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(conn_string, check_same_thread=False, timeout=BUSY_TIMEOUT_S)) as conn:
            yield cls(conn, **kwargs)

    def close(self) -> None:
        """Close the connection (after a WAL checkpoint, so one file holds the data).

        Closing twice is harmless."""
        with self.lock:
            if self._closed:
                return
            self._closed = True
            try:
                if self.is_setup:
                    self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error:  # busy or read-only: the WAL stays, nothing is lost
                pass
            finally:
                self.conn.close()

    def setup(self) -> None:
        """Create the tables (idempotent, in one write transaction: safe when many
        processes open a new file at once) and switch the file to WAL mode."""
        if self.is_setup:
            return
        with self.lock:
            if self.is_setup:
                return
            if self.conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                retry_locked(lambda: self.conn.execute("PRAGMA journal_mode=WAL"))
            self.conn.execute(f"PRAGMA synchronous={self.synchronous}")
            have = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not {"dg_checkpoints", "dg_writes", "dg_blobs"} <= have:
                self.conn.execute("BEGIN IMMEDIATE")
                try:
                    for stmt in _SCHEMA.split(";"):
                        if stmt.strip():
                            self.conn.execute(stmt)
                    self.conn.commit()
                except BaseException:
                    self.conn.rollback()
                    raise
            self.is_setup = True

    @contextmanager
    def cursor(self, transaction: bool = True) -> Iterator[Any]:
        """A cursor under the saver's lock; commits on exit when ``transaction``."""
        with self.lock:
            self.setup()
            cur = self.conn.cursor()
            if transaction:
                self._uncommitted = []
            try:
                yield cur
                if transaction:
                    self.conn.commit()
            except BaseException:
                if transaction:
                    self.conn.rollback()
                    self._forget_uncommitted()
                raise
            finally:
                if transaction:
                    self._uncommitted = None
                cur.close()

    @contextmanager
    def _write_txn(self, thread_id: str) -> Iterator[Any]:
        """A write transaction that holds the database's write lock from its first
        statement (``BEGIN IMMEDIATE``), so a read of the head inside it stays true."""
        with self.lock:
            self.setup()
            cur = self.conn.cursor()
            self._uncommitted = []
            try:
                cur.execute("BEGIN IMMEDIATE")
                yield cur
                self.conn.commit()
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.rollback()
                self._forget_uncommitted()
                raise
            finally:
                self._uncommitted = None
                cur.close()

    # -- turns: staged writes, committed by compare-and-swap -------------------------

    def head_id(self, thread_id: str, checkpoint_ns: str = "") -> Optional[str]:
        """The id of the thread's latest checkpoint (its head), ``None`` for no thread."""
        with self.cursor(transaction=False) as cur:
            return self._head_id(cur, str(thread_id), checkpoint_ns)

    def _head_id(self, cur: Any, thread_id: str, ns: str = "") -> Optional[str]:
        cur.execute(
            "SELECT checkpoint_id FROM dg_checkpoints WHERE thread_id = ? AND checkpoint_ns = ? "
            "ORDER BY checkpoint_id DESC LIMIT 1",
            (thread_id, ns),
        )
        row = cur.fetchone()
        return row[0] if row else None

    @contextmanager
    def turn_lock(self, thread_id: str, timeout: float = 60.0) -> Iterator[bool]:
        """Take turns on a thread: an advisory lock (``flock`` on a file beside the
        database) held while a turn runs, so writers of one thread queue instead of
        racing. Yields whether the lock was taken: after ``timeout`` seconds, or where no
        lock file can be made, the turn runs anyway and the compare-and-swap commit alone
        keeps the thread whole. A killed process releases its lock."""
        import fcntl
        import hashlib
        import random
        import time

        handle = None
        if self.path is not None:
            try:
                folder = self.path.parent / (self.path.name + ".locks")
                folder.mkdir(exist_ok=True)
                handle = open(folder / hashlib.sha1(str(thread_id).encode()).hexdigest()[:20], "a+b")
            except OSError:
                handle = None
        got = False
        try:
            if handle is not None:
                deadline = time.monotonic() + timeout
                while True:
                    try:
                        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        got = True
                        break
                    except OSError:
                        if time.monotonic() >= deadline:
                            break
                        time.sleep(random.uniform(0.005, 0.03))
            yield got
        finally:
            if handle is not None:
                if got:
                    fcntl.flock(handle, fcntl.LOCK_UN)
                handle.close()

    def begin_turn(self, thread_id: str) -> TurnTxn:
        """Start a turn on the thread's current head: run the graph with
        ``txn.config()`` (its writes are staged), then :meth:`commit_turn` or drop it."""
        return TurnTxn(thread_id, self.head_id(thread_id))

    def commit_turn(self, txn: TurnTxn, *, on_commit: Optional[Callable[[Any], None]] = None) -> Optional[str]:
        """Store a turn's staged writes in one transaction, only if the thread's head is
        still ``txn.expected_head`` (compare-and-swap under the write lock).

        ``on_commit(cursor)`` runs inside the same transaction (e.g. the thread index).
        Returns the new head id. Raises :class:`ThreadChanged` when another writer
        committed first (nothing is stored), :class:`StorageError` when the database
        refuses the write (nothing is stored).
        """
        with txn.lock:
            ops = list(txn.ops)
        try:
            with self._write_txn(txn.thread_id) as cur:
                head = self._head_id(cur, txn.thread_id)
                if head != txn.expected_head:
                    raise ThreadChanged(txn.thread_id)
                new_ids = [op[2]["id"] for op in ops if op[0] == "put" and not (op[1]["configurable"].get("checkpoint_ns") or "")]
                if head is not None and not txn.delete and any(cid <= head for cid in new_ids):
                    raise ThreadChanged(txn.thread_id)  # ids must keep growing: re-run on the head
                if txn.delete:
                    self._delete_rows(cur, txn.thread_id)
                for op in ops:
                    if op[0] == "put":
                        self._put_rows(cur, *op[1:])
                    else:
                        self._put_writes_rows(cur, *op[1:])
                if on_commit is not None:
                    on_commit(cur)
                return self._head_id(cur, txn.thread_id)
        except ThreadChanged:
            raise
        except (sqlite3.Error, OSError) as err:
            raise StorageError(
                f"The turn could not be saved ({storage_reason(err)}); nothing was recorded: {storage_advice(err)}"
            ) from err

    # -- writing ------------------------------------------------------------------

    def put(
        self,
        config: RunnableConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> RunnableConfig:
        """Store a checkpoint: its row without values, plus one blob per moved channel.

        Under a :class:`TurnTxn` (``configurable[TXN_KEY]``) the checkpoint is only staged."""
        conf = config["configurable"]
        ns = conf.get("checkpoint_ns", "") or ""
        txn = conf.get(TXN_KEY)
        if isinstance(txn, TurnTxn):
            with txn.lock:
                txn.ops.append(("put", config, checkpoint, metadata, dict(new_versions)))
        else:
            with self._write_txn(str(conf["thread_id"])) as cur:
                if not ns:
                    self._check_parent(cur, conf, checkpoint)
                self._put_rows(cur, config, checkpoint, metadata, new_versions)
        return {"configurable": {"thread_id": conf["thread_id"], "checkpoint_ns": ns, "checkpoint_id": checkpoint["id"]}}

    def _check_parent(self, cur: Any, conf: Mapping[str, Any], checkpoint: Checkpoint) -> None:
        """Compare-and-swap for a plain (unstaged) write of a root checkpoint, run inside
        the write transaction that stores it (so no other writer can move the head between
        the check and the write).

        Every writer is covered, not only :class:`TurnTxn` turns: two processes that
        ``graph.invoke`` one thread both read head H and would both store a child of H (a
        fork, where the later write silently hides the other). Refused with
        :class:`~dialoggen.agent.errors.ThreadForkError`, nothing stored:

        * a checkpoint of a run that read the thread's *latest* checkpoint (``FOLLOW_KEY``
          true), or of a graph run that found the thread empty (no ``FOLLOW_KEY``, but
          LangGraph's ``__pregel_*`` run keys in its config), whose parent is no longer
          the head (for a first checkpoint: the thread has a head by now), or whose id
          would not become the head (ids must keep growing).

        A bare ``put`` with neither key (the checkpointer API as LangGraph's conformance
        suite uses it, ``update_state`` on an empty thread) is stored as before.

        Kept as LangGraph designs it: a run or ``update_state`` from an explicit older
        ``checkpoint_id`` (time travel) forks on purpose and is stored; subgraph
        namespaces (``checkpoint_ns != ""``) have their own heads and are not checked;
        re-storing the head itself (same id) is allowed. Pending writes (``put_writes``)
        are not checked: they hang off their checkpoint and are read only by a run
        resuming that very checkpoint.
        """
        thread_id = str(conf["thread_id"])
        parent = conf.get("checkpoint_id")
        head = self._head_id(cur, thread_id)
        if head is None or checkpoint["id"] == head:
            return
        follows = conf.get(FOLLOW_KEY, any(str(k).startswith("__pregel_") for k in conf))
        if follows and (parent != head or checkpoint["id"] < head):
            raise ThreadForkError(
                f"Another writer added to thread {thread_id} after this run read it, so this step was not saved "
                "(it would have forked the thread): run it again, it will start from the thread's new state."
            )

    def _put_rows(
        self, cur: Any, config: RunnableConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata, new_versions: ChannelVersions
    ) -> None:
        conf = config["configurable"]
        thread_id = str(conf["thread_id"])
        ns = conf.get("checkpoint_ns", "") or ""
        values = checkpoint["channel_values"]
        bare = {k: v for k, v in checkpoint.items() if k != "channel_values"}
        bare["channel_values"] = {}
        type_, blob = self.serde.dumps_typed(bare)
        meta = json.dumps(get_checkpoint_metadata(config, metadata), ensure_ascii=False).encode("utf-8", "ignore")
        for channel, version in new_versions.items():
            self._put_value(cur, thread_id, ns, channel, str(version), values.get(channel, _MISSING))
        cur.execute(
            f"INSERT OR REPLACE INTO dg_checkpoints ({_CKPT_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (thread_id, ns, checkpoint["id"], conf.get("checkpoint_id"), type_, blob, meta),
        )

    def _put_value(self, cur: sqlite3.Cursor, thread_id: str, ns: str, channel: str, version: str, value: Any) -> None:
        """Store one channel value at one version (a version, once stored, never changes)."""
        key = (thread_id, ns, channel, version)
        if key in self._cache:
            return
        if value is _MISSING:  # versioned but valueless (a consumed trigger, a DeltaChannel step)
            return
        resolved: Optional[_Resolved] = None
        row: tuple
        if type(value) is list:
            plan = self._plan_delta(cur, thread_id, ns, channel, value)
            if plan is None:
                row = (_LIST, *self.serde.dumps_typed(value), None, _ROOT_LEVEL, len(value))
                resolved = _Resolved(tuple(value), (_Node(version, _ROOT_LEVEL, len(value)),))
            else:
                base_path, level = plan
                base = base_path[-1]
                row = (_DELTA, *self.serde.dumps_typed(value[base.length :]), base.version, level, len(value))
                resolved = _Resolved(tuple(value), base_path + (_Node(version, level, len(value)),))
        else:
            row = (_VALUE, *self.serde.dumps_typed(value), None, 0, None)
        cur.execute(
            f"INSERT OR IGNORE INTO dg_blobs (thread_id, checkpoint_ns, channel, {_BLOB_COLS}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (thread_id, ns, channel, version, *row),
        )
        if resolved is not None and cur.rowcount == 1:
            self._remember(key, resolved)

    def _plan_delta(
        self, cur: sqlite3.Cursor, thread_id: str, ns: str, channel: str, value: list
    ) -> Optional[tuple[tuple[_Node, ...], int]]:
        """The chain to extend and the new node's level, or ``None`` for a full snapshot.

        The base is the channel's last value this saver wrote or read for the thread,
        when it is a prefix of ``value``. After ``fanout`` nodes of one level at the
        chain's end, the new node replaces them one level up (based on the node before).
        """
        head = self._heads.get((thread_id, ns, channel))
        prev = self._cache.get((thread_id, ns, channel, head)) if head is not None else None
        if prev is None or not _extends(prev.items, value):
            return None
        path, level, k = list(prev.path), 0, self.fanout
        while len(path) > k and all(n.level == level for n in path[-k:]):
            del path[-k:]
            level += 1
        cur.execute(
            "SELECT 1 FROM dg_blobs WHERE thread_id = ? AND checkpoint_ns = ? AND channel = ? AND version = ?",
            (thread_id, ns, channel, path[-1].version),
        )
        if cur.fetchone() is None:  # the base was deleted (e.g. by another process)
            return None
        return tuple(path), level

    def _remember(self, key: _Key, resolved: _Resolved) -> None:
        self._cache.put(key, resolved)
        self._heads.put(key[:3], key[3])
        if self._uncommitted is not None:
            self._uncommitted.append(key)

    def _forget_uncommitted(self) -> None:
        """After a rollback: drop cached values whose rows were not stored."""
        for key in self._uncommitted or ():
            self._cache.pop(key, None)
            if self._heads.get(key[:3]) == key[3]:
                self._heads.pop(key[:3], None)
        self._uncommitted = None

    def put_writes(
        self,
        config: RunnableConfig,
        writes: Sequence[tuple[str, Any]],
        task_id: str,
        task_path: str = "",
    ) -> None:
        """Store a task's intermediate writes linked to a checkpoint (as the stock saver);
        staged under a :class:`TurnTxn`."""
        txn = config["configurable"].get(TXN_KEY)
        if isinstance(txn, TurnTxn):
            with txn.lock:
                txn.ops.append(("writes", config, list(writes), task_id, task_path))
            return
        with self.cursor() as cur:
            self._put_writes_rows(cur, config, writes, task_id, task_path)

    def _put_writes_rows(self, cur: Any, config: RunnableConfig, writes: Sequence[tuple[str, Any]], task_id: str, task_path: str) -> None:
        conf = config["configurable"]
        replace = all(w[0] in WRITES_IDX_MAP for w in writes)
        query = (
            f"INSERT OR {'REPLACE' if replace else 'IGNORE'} INTO dg_writes "
            "(thread_id, checkpoint_ns, checkpoint_id, task_id, task_path, idx, channel, type, value) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        )
        rows = [
            (
                str(conf["thread_id"]),
                str(conf.get("checkpoint_ns", "") or ""),
                str(conf["checkpoint_id"]),
                task_id,
                task_path,
                WRITES_IDX_MAP.get(channel, idx),
                channel,
                *self.serde.dumps_typed(value),
            )
            for idx, (channel, value) in enumerate(writes)
        ]
        cur.executemany(query, rows)

    def delete_thread(self, thread_id: str) -> None:
        """Delete every checkpoint, write and stored value of a thread."""
        with self.cursor() as cur:
            self._delete_rows(cur, str(thread_id))

    def _delete_rows(self, cur: Any, tid: str) -> None:
        for table in ("dg_checkpoints", "dg_writes", "dg_blobs"):
            cur.execute(f"DELETE FROM {table} WHERE thread_id = ?", (tid,))
        for cache in (self._cache, self._heads):
            for key in [k for k in cache if k[0] == tid]:
                del cache[key]

    def copy_thread(self, source_thread_id: str, target_thread_id: str) -> None:
        """Copy a thread's whole history (checkpoints, writes, values) to another id."""
        src, dst = str(source_thread_id), str(target_thread_id)
        with self.cursor() as cur:
            cur.execute(
                f"INSERT OR REPLACE INTO dg_checkpoints ({_CKPT_COLS}) SELECT ?, "
                f"{_CKPT_COLS.split(', ', 1)[1]} FROM dg_checkpoints WHERE thread_id = ?",
                (dst, src),
            )
            cols = "checkpoint_ns, checkpoint_id, task_id, task_path, idx, channel, type, value"
            cur.execute(
                f"INSERT OR REPLACE INTO dg_writes (thread_id, {cols}) SELECT ?, {cols} FROM dg_writes WHERE thread_id = ?",
                (dst, src),
            )
            cols = f"checkpoint_ns, channel, {_BLOB_COLS}"
            cur.execute(
                f"INSERT OR IGNORE INTO dg_blobs (thread_id, {cols}) SELECT ?, {cols} FROM dg_blobs WHERE thread_id = ?",
                (dst, src),
            )

    # -- reading ------------------------------------------------------------------

    def get_tuple(self, config: RunnableConfig) -> Optional[CheckpointTuple]:
        """The checkpoint named by ``config`` (the thread's latest without a checkpoint id)."""
        conf = config["configurable"]
        thread_id = str(conf["thread_id"])
        ns = conf.get("checkpoint_ns", "") or ""
        with self.cursor(transaction=False) as cur:
            if checkpoint_id := get_checkpoint_id(config):
                cur.execute(
                    f"SELECT {_CKPT_COLS} FROM dg_checkpoints WHERE thread_id = ? AND checkpoint_ns = ? AND checkpoint_id = ?",
                    (thread_id, ns, checkpoint_id),
                )
            else:
                cur.execute(
                    f"SELECT {_CKPT_COLS} FROM dg_checkpoints WHERE thread_id = ? AND checkpoint_ns = ? "
                    "ORDER BY checkpoint_id DESC LIMIT 1",
                    (thread_id, ns),
                )
            row = cur.fetchone()
            if row is None:
                return None
            tup = self._make_tuple(cur, row, memo=None)
        tup.config["configurable"][FOLLOW_KEY] = not checkpoint_id
        return tup

    def list(
        self,
        config: Optional[RunnableConfig],
        *,
        filter: Optional[dict[str, Any]] = None,
        before: Optional[RunnableConfig] = None,
        limit: Optional[int] = None,
    ) -> Iterator[CheckpointTuple]:
        """Checkpoints matching ``config``/``filter``/``before``, newest first.

        Rows are fetched up front and each tuple is built under the lock, so the caller
        may use the saver while iterating. Values shared by consecutive checkpoints are
        rebuilt once per call.
        """
        where, params = search_where(config, filter, before)
        query = f"SELECT {_CKPT_COLS} FROM dg_checkpoints {where} ORDER BY checkpoint_id DESC"
        if limit is not None:
            query += " LIMIT ?"
            params = (*params, limit)
        with self.cursor(transaction=False) as cur:
            cur.execute(query, params)
            rows = cur.fetchall()
        memo: dict[_Key, _Resolved] = {}
        for row in rows:
            with self.cursor(transaction=False) as cur:
                tup = self._make_tuple(cur, row, memo=memo)
            yield tup

    def _make_tuple(self, cur: sqlite3.Cursor, row: tuple, memo: Optional[dict]) -> CheckpointTuple:
        thread_id, ns, checkpoint_id, parent_id, type_, blob, meta = row
        checkpoint = self.serde.loads_typed((type_, blob))
        checkpoint["channel_values"] = self._load_values(cur, thread_id, ns, checkpoint["channel_versions"], memo)
        cur.execute(_WRITES_SQL, (thread_id, ns, checkpoint_id))
        writes: list[PendingWrite] = [
            (task_id, channel, self.serde.loads_typed((wtype, value)))
            for task_id, channel, wtype, value, _, _ in sorted(
                cur.fetchall(), key=lambda r: writes_sort_key(r[4], r[0], r[5])
            )
        ]

        def conf(cid: str) -> RunnableConfig:
            return {"configurable": {"thread_id": thread_id, "checkpoint_ns": ns, "checkpoint_id": cid}}

        return CheckpointTuple(
            conf(checkpoint_id),
            checkpoint,
            json.loads(meta) if meta is not None else {},
            conf(parent_id) if parent_id else None,
            writes,
        )

    def _load_values(
        self, cur: sqlite3.Cursor, thread_id: str, ns: str, versions: Mapping[str, Any], memo: Optional[dict]
    ) -> dict[str, Any]:
        """The channel values at ``versions``; lists come from the cache when possible.

        With ``memo`` (a listing), resolved lists go to ``memo``; without it (a single
        read, i.e. the graph loading a thread) they become the cache's heads.
        """
        values: dict[str, Any] = {}
        missing: list[tuple[str, str]] = []
        for channel, version in versions.items():
            key = (thread_id, ns, channel, str(version))
            hit = self._cached(key, memo)
            if hit is None:
                missing.append((channel, str(version)))
                continue
            values[channel] = list(hit.items)
            if memo is None:
                self._heads.put(key[:3], key[3])
        if not missing:
            return values
        pairs = ", ".join("(?, ?)" for _ in missing)
        cur.execute(
            f"WITH k(channel, version) AS (VALUES {pairs}) "
            f"SELECT b.channel, b.version, b.kind, b.type, b.value, b.base_version, b.level, b.length "
            "FROM k JOIN dg_blobs b ON b.channel = k.channel AND b.version = k.version "
            "WHERE b.thread_id = ? AND b.checkpoint_ns = ?",
            [x for pair in missing for x in pair] + [thread_id, ns],
        )
        for channel, version, kind, vtype, value, base_version, level, length in cur.fetchall():
            if kind == _EMPTY:
                continue
            if kind == _VALUE:
                values[channel] = self.serde.loads_typed((vtype, value))
                continue
            key = (thread_id, ns, channel, version)
            if kind == _LIST:
                resolved = _Resolved(tuple(self.serde.loads_typed((vtype, value))), (_Node(version, _ROOT_LEVEL, length),))
            else:
                resolved = self._resolve_chain(cur, key, memo)
            if memo is None:
                self._remember(key, resolved)
            else:
                memo[key] = resolved
            values[channel] = list(resolved.items)
        return values

    def _cached(self, key: _Key, memo: Optional[dict]) -> Optional[_Resolved]:
        if memo is not None and key in memo:
            return memo[key]
        return self._cache.get(key)

    def _resolve_chain(self, cur: sqlite3.Cursor, key: _Key, memo: Optional[dict]) -> _Resolved:
        """Rebuild a delta-stored list: walk its bases to a cached value or a full one."""
        thread_id, ns, channel, version = key
        cur.execute(_CHAIN_SQL, (thread_id, ns, channel, version, thread_id, ns, channel))
        deltas: list[tuple] = []
        base: Optional[_Resolved] = None
        seen: set[str] = set()
        for row in cur:
            v, kind, vtype, value, base_version, level, length = row
            if v in seen:
                break
            seen.add(v)
            if deltas and (hit := self._cached((thread_id, ns, channel, v), memo)) is not None:
                base = hit
                break
            if kind == _LIST:
                base = _Resolved(tuple(self.serde.loads_typed((vtype, value))), (_Node(v, _ROOT_LEVEL, length),))
                break
            if kind != _DELTA:
                break
            deltas.append(row)
        if base is None:
            raise ConfigError(
                f"The conversation database is damaged (a stored part of {channel!r} in thread {thread_id} is missing); "
                "delete the thread or restore the file from a backup."
            )
        items, path = list(base.items), base.path
        for v, _, vtype, value, _, level, length in reversed(deltas):
            items.extend(self.serde.loads_typed((vtype, value)))
            path = path + (_Node(v, level, length),)
            if memo is not None:
                memo[(thread_id, ns, channel, v)] = _Resolved(tuple(items), path)
        return _Resolved(tuple(items), path)

    def get_delta_channel_history(
        self, *, config: RunnableConfig, channels: Sequence[str]
    ) -> Mapping[str, DeltaChannelHistory]:
        """Writes and seed per ``DeltaChannel`` along the parent chain (LangGraph contract).

        Walks the target's ancestors nearest first; a channel's walk stops at the first
        ancestor that stores a value for it (its seed). Writes stored at the target
        itself are excluded, as the contract says.
        """
        channels = list(channels)
        if not channels:
            return {}
        conf = config["configurable"]
        thread_id = str(conf["thread_id"])
        ns = conf.get("checkpoint_ns", "") or ""
        target_id = get_checkpoint_id(config)
        if not target_id:
            target = self.get_tuple(config)
            if target is None:
                return {ch: {"writes": []} for ch in channels}
            target_id = target.config["configurable"]["checkpoint_id"]
        chain: dict[str, list[str]] = {ch: [] for ch in channels}
        seeds: dict[str, Any] = {}
        with self.cursor(transaction=False) as cur:
            cur.execute(_ANCESTORS_SQL, (thread_id, ns, target_id, thread_id, ns))
            ancestors = []
            seen: set[str] = set()
            for cid, type_, blob in cur:
                if cid in seen:
                    break
                seen.add(cid)
                ancestors.append((cid, type_, blob))
            active = set(channels)
            for cid, type_, blob in ancestors[1:]:
                if not active:
                    break
                versions = self.serde.loads_typed((type_, blob))["channel_versions"]
                for ch in active:
                    chain[ch].append(cid)
                stored = self._load_values(cur, thread_id, ns, {ch: versions[ch] for ch in active if ch in versions}, {})
                for ch, value in stored.items():
                    seeds[ch] = value
                    active.discard(ch)
            rows_by: dict[tuple[str, str], list[tuple]] = {}
            for ch in channels:
                for cid in chain[ch]:
                    cur.execute(_WRITES_SQL + " AND channel = ?", (thread_id, ns, cid, ch))
                    rows_by[(ch, cid)] = sorted(cur.fetchall(), key=lambda r: writes_sort_key(r[4], r[0], r[5]))
        result: dict[str, DeltaChannelHistory] = {}
        for ch in channels:
            writes: list[PendingWrite] = [
                (task_id, ch, self.serde.loads_typed((wtype, value)))
                for cid in reversed(chain[ch])
                for task_id, _, wtype, value, _, _ in rows_by[(ch, cid)]
            ]
            entry: DeltaChannelHistory = {"writes": writes}
            if ch in seeds:
                entry["seed"] = seeds[ch]
            result[ch] = entry
        return result

    # -- async: the sync methods in the default executor ------------------------------

    async def aget_tuple(self, config: RunnableConfig) -> Optional[CheckpointTuple]:
        """Async :meth:`get_tuple`."""
        return await asyncio.get_running_loop().run_in_executor(None, self.get_tuple, config)

    async def alist(
        self,
        config: Optional[RunnableConfig],
        *,
        filter: Optional[dict[str, Any]] = None,
        before: Optional[RunnableConfig] = None,
        limit: Optional[int] = None,
    ) -> AsyncIterator[CheckpointTuple]:
        """Async :meth:`list`."""
        loop = asyncio.get_running_loop()
        items = await loop.run_in_executor(
            None, lambda: list(self.list(config, filter=filter, before=before, limit=limit))
        )
        for item in items:
            yield item

    async def aput(
        self,
        config: RunnableConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> RunnableConfig:
        """Async :meth:`put`."""
        return await asyncio.get_running_loop().run_in_executor(
            None, self.put, config, checkpoint, metadata, new_versions
        )

    async def aput_writes(
        self, config: RunnableConfig, writes: Sequence[tuple[str, Any]], task_id: str, task_path: str = ""
    ) -> None:
        """Async :meth:`put_writes`."""
        await asyncio.get_running_loop().run_in_executor(None, self.put_writes, config, writes, task_id, task_path)

    async def adelete_thread(self, thread_id: str) -> None:
        """Async :meth:`delete_thread`."""
        await asyncio.get_running_loop().run_in_executor(None, self.delete_thread, thread_id)

    async def acopy_thread(self, source_thread_id: str, target_thread_id: str) -> None:
        """Async :meth:`copy_thread`."""
        await asyncio.get_running_loop().run_in_executor(None, self.copy_thread, source_thread_id, target_thread_id)

    async def aget_delta_channel_history(
        self, *, config: RunnableConfig, channels: Sequence[str]
    ) -> Mapping[str, DeltaChannelHistory]:
        """Async :meth:`get_delta_channel_history`."""
        return await asyncio.get_running_loop().run_in_executor(
            None, lambda: self.get_delta_channel_history(config=config, channels=channels)
        )
