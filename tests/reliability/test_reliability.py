"""The reliability suite: the storage attacks of issue 8, repeated at full size, on SQLite
and PostgreSQL. Slow (minutes): runs only with ``DIALOGGEN_RELIABILITY=1`` (``make
reliability``; ``.ci/run`` runs it). ``python tests/reliability/harness.py`` prints the
same figures."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import harness  # noqa: E402
from pgserver import postgres_server, postgres_url  # noqa: E402,F401

pytestmark = [
    pytest.mark.reliability,
    pytest.mark.skipif(not os.environ.get("DIALOGGEN_RELIABILITY"), reason="reliability suite: set DIALOGGEN_RELIABILITY=1 (make reliability)"),
]

PROCS = int(os.environ.get("DIALOGGEN_RELIABILITY_PROCS", "8"))
TURNS = int(os.environ.get("DIALOGGEN_RELIABILITY_TURNS", "20"))


@pytest.fixture(params=["sqlite", "postgres"])
def db(request):
    return request.getfixturevalue("postgres_url") if request.param == "postgres" else None


def test_same_thread_writers(tmp_path: Path, db) -> None:
    """8 processes x 20 turns on one thread, fast offline settings (t2i none, chat none)."""
    figures = harness.same_thread_writers(tmp_path / "data", procs=PROCS, turns=TURNS, db=db)
    print("same thread", figures)
    assert figures["problems"] == []
    assert figures["confirmed"] + figures["refused"] == PROCS * TURNS


@pytest.mark.parametrize("durability", ["exit", "async"])
def test_plain_invoke_writers(tmp_path: Path, db, durability: str) -> None:
    """4 processes x 20 plain graph.invoke turns on one thread (no Session, no turn lock)."""
    figures = harness.plain_invoke_writers(tmp_path / "data", procs=4, turns=TURNS, db=db, durability=durability)
    print("plain invoke", figures)
    assert figures["problems"] == []


def test_different_thread_writers(tmp_path: Path, db) -> None:
    figures = harness.different_thread_writers(tmp_path / "data", procs=PROCS, turns=TURNS, db=db, fake=True)
    print("different threads", figures)
    assert figures["problems"] == [] and figures["confirmed"] == PROCS * TURNS


def test_sigkill_during_turns(tmp_path: Path, db) -> None:
    figures = harness.sigkill_during_turns(tmp_path / "data", kills=int(os.environ.get("DIALOGGEN_RELIABILITY_KILLS", "20")), db=db)
    print("sigkill", figures)
    assert figures["problems"] == []


def test_concurrent_setup_of_a_fresh_data_dir(tmp_path: Path) -> None:
    figures = harness.concurrent_setup(tmp_path, procs=int(os.environ.get("DIALOGGEN_RELIABILITY_OPENERS", "48")))
    print("setup", figures)
    assert figures["failed"] == 0


def test_bad_data_dirs(tmp_path: Path) -> None:
    results = harness.bad_data_dirs(tmp_path)
    print("bad data dirs", results)
    assert len(results) >= 3
    for case, result in results.items():
        assert "traceback" not in result, f"{case}: {result}"
        assert "error" in result and harness.one_sentence(result["error"]), f"{case}: {result}"
