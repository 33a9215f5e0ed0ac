"""Small helpers shared by the SQLite stores (checkpoints, picture and thread index):
waiting out another process's lock, and one-sentence reasons for storage errors."""

from __future__ import annotations

import sqlite3
from typing import Any, Callable

#: Seconds a write waits for another process's write lock before giving up.
BUSY_TIMEOUT_S = 30.0


def retry_locked(fn: Callable[[], Any], tries: int = 50) -> Any:
    """Run ``fn``, retrying while SQLite says the database is locked or busy."""
    import random
    import time

    for i in range(tries):
        try:
            return fn()
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) and "busy" not in str(err) or i == tries - 1:
                raise
            time.sleep(0.02 + random.random() * 0.08)


def storage_reason(err: BaseException) -> str:
    """A short reason for a storage error, one line."""
    text = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    return text.rstrip(".")


def storage_advice(err: BaseException) -> str:
    """What to do about a storage error, as the end of a sentence."""
    text = str(err).lower()
    if "full" in text or getattr(err, "errno", None) in (27, 28):
        return "free space on the disk and try again."
    if "disk i/o error" in text:
        return "the disk may be full or failing: free space on it and try again."
    if "readonly" in text or "read-only" in text or getattr(err, "errno", None) in (13, 30) or "permission" in text:
        return "make the data directory writable or choose another --data-dir."
    if "locked" in text or "busy" in text:
        return "another program holds the database; close it or try again."
    return "check that the data directory is a writable folder, or choose another --data-dir."
