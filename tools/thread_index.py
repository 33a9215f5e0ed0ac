"""Reading, searching and deleting rows of the thread index (``DATA_DIR/index.db``, written by
:class:`~dialoggen.tools.image_store.ImageStore`), for ``dialoggen threads``.

Plain :mod:`sqlite3` and nothing else, so listing threads starts fast; every query is one
indexed or bounded statement, so a page of the newest threads costs the same at 10 threads
and at 10,000. Reading never creates the index (a data dir without one has no threads).
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any, Optional

__all__ = ["count_threads", "find_threads", "thread_info", "thread_names", "delete_thread_rows"]

_COLUMNS = "thread_id, title, turns, created, updated"


def _db_path(data_dir: str | os.PathLike[str]) -> Path:
    return Path(data_dir).expanduser() / "index.db"


def _connect(data_dir: str | os.PathLike[str]) -> Optional[sqlite3.Connection]:
    path = _db_path(data_dir)
    if not path.is_file():
        return None
    conn = sqlite3.connect(str(path), timeout=10)
    conn.row_factory = sqlite3.Row
    return conn


def _like(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere (its own % and _ taken literally)."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _where(search: Optional[str]) -> tuple[str, list[Any]]:
    if not search:
        return "", []
    pattern = _like(search)
    return (
        " where thread_id like ?1 escape '\\' or title like ?1 escape '\\' or thread_id in "
        "(select thread_id from images where prompt like ?1 escape '\\' or caption like ?1 escape '\\')",
        [pattern],
    )


def _query(data_dir: str | os.PathLike[str], sql: str, params: list[Any]) -> list[sqlite3.Row]:
    conn = _connect(data_dir)
    if conn is None:
        return []
    with closing(conn):
        try:
            return conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):  # an index being created right now
                return []
            raise


def count_threads(data_dir: str | os.PathLike[str], search: Optional[str] = None) -> int:
    """How many threads the index holds (matching ``search``, if given)."""
    where, params = _where(search)
    rows = _query(data_dir, f"select count(*) from threads{where}", params)
    return int(rows[0][0]) if rows else 0


def find_threads(
    data_dir: str | os.PathLike[str], *, search: Optional[str] = None, limit: Optional[int] = None, offset: int = 0
) -> list[dict]:
    """Threads, most recently active first: ``thread_id``, ``title`` (the first message),
    ``turns``, ``created``, ``updated``. ``search`` matches the thread's name, its first
    message, or a drawing prompt or caption of one of its pictures (case-insensitive for
    ASCII); ``limit``/``offset`` page through them."""
    where, params = _where(search)
    sql = f"select {_COLUMNS} from threads{where} order by updated desc, rowid desc"
    if limit is not None:
        sql += f" limit {int(limit)} offset {int(offset)}"
    return [dict(r) for r in _query(data_dir, sql, params)]


def thread_info(data_dir: str | os.PathLike[str], thread_id: str) -> Optional[dict]:
    """The index row of one thread, or ``None``."""
    rows = _query(data_dir, f"select {_COLUMNS} from threads where thread_id = ?", [thread_id])
    return dict(rows[0]) if rows else None


def thread_names(data_dir: str | os.PathLike[str], prefix: str = "", limit: int = 50) -> list[str]:
    """Names of the most recent threads starting with ``prefix`` (for shell completion)."""
    rows = _query(
        data_dir,
        "select thread_id from threads where substr(thread_id, 1, ?) = ? order by updated desc limit ?",
        [len(prefix), prefix, int(limit)],
    )
    return [r[0] for r in rows]


def delete_thread_rows(data_dir: str | os.PathLike[str], thread_id: str) -> dict[str, Any]:
    """Remove a thread's rows from the index in one transaction: its ``threads`` row and its
    ``images`` rows. Returns ``{"found": bool, "orphans": [paths], "kept": n}``: ``orphans``
    are the stored pictures no other row refers to any more (the caller removes the files),
    ``kept`` counts the thread's pictures other threads still use."""
    conn = _connect(data_dir)
    if conn is None:
        return {"found": False, "orphans": [], "kept": 0}
    with closing(conn):
        conn.isolation_level = None
        conn.execute("begin immediate")
        try:
            found = conn.execute("select count(*) from threads where thread_id = ?", [thread_id]).fetchone()[0] > 0
            pictures = conn.execute("select distinct sha256, path from images where thread_id = ?", [thread_id]).fetchall()
            found = found or bool(pictures)
            conn.execute("delete from images where thread_id = ?", [thread_id])
            conn.execute("delete from threads where thread_id = ?", [thread_id])
            orphans, kept = [], 0
            for row in pictures:
                if conn.execute("select 1 from images where sha256 = ? limit 1", [row["sha256"]]).fetchone():
                    kept += 1
                else:
                    orphans.append(row["path"])
            conn.execute("commit")
        except BaseException:
            conn.execute("rollback")
            raise
    return {"found": found, "orphans": orphans, "kept": kept}
