"""Plain ``graph.invoke`` writers in separate processes on one thread (the embedding use
case: ``build_graph(open_checkpointer(...))`` in another program, no Session, no turn
lock): the checkpointer's compare-and-swap alone keeps the thread one chain, every
confirmed turn in it under its number, every other run refused in one sentence. On
SQLite and PostgreSQL. (``tests/reliability`` repeats this at full size.)"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "reliability"))

import harness  # noqa: E402
from pgserver import postgres_server, postgres_url  # noqa: E402,F401


@pytest.fixture(params=["sqlite", "postgres"])
def db(request):
    return request.getfixturevalue("postgres_url") if request.param == "postgres" else None


@pytest.mark.parametrize("durability", ["exit", "async"])
def test_plain_invoke_writers_on_one_thread(tmp_path: Path, db, durability: str) -> None:
    figures = harness.plain_invoke_writers(tmp_path / "data", procs=3, turns=4, db=db, durability=durability, timeout=300)
    assert figures["problems"] == [], figures
    assert figures["confirmed"] + figures["refused"] == 12 and figures["confirmed"] >= 4
    assert figures["stored"] == figures["confirmed"]
