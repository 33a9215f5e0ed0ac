"""Session on a checkpointer without staged turns (any LangGraph saver, e.g. the in-memory
one a program passes in): a failed turn is rolled back by LangGraph's own history, /undo
forks from the checkpoint before the last turn, and the thread index follows. Written to
kill the mutants a sampled mutation run found surviving in that path of
``agent/app/session.py``."""

from __future__ import annotations

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from dialoggen.agent.app.session import Session, list_threads
from dialoggen.agent.errors import ModelUnavailableError
from test_session import ctx, tool  # noqa: F401 - the same fake T2I fixtures as the staged Session tests


def _session(ctx, thread="mem"):
    s = Session(ctx, thread, checkpointer=InMemorySaver())
    assert not hasattr(s.checkpointer, "begin_turn")
    return s


def _index(ctx, thread):
    rows = [r for r in list_threads(ctx.data_dir) if r["thread_id"] == thread]
    return (rows[0]["turns"], rows[0]["title"]) if rows else None


def test_turns_are_recorded_with_the_index(fake_roles, ctx, tool):
    s = _session(ctx)
    assert s.send("hello there")["turn"] == 1 and s.send("draw a cat")["turn"] == 2
    assert [t["user"] for t in s.turns()] == ["hello there", "draw a cat"]
    assert _index(ctx, "mem") == (2, "hello there")


def test_failed_turn_is_rolled_back(fake_roles, ctx, tool, monkeypatch):
    s = _session(ctx)
    s.send("draw a cat")
    head = s.graph.get_state(s.config)

    def down(conv):
        raise ModelUnavailableError("The chat model did not answer: start it.")

    monkeypatch.setattr(fake_roles["chat"], "reply", down)
    with pytest.raises(ModelUnavailableError):
        s.send("hello?")
    now = s.graph.get_state(s.config)
    assert now.values == head.values and not now.next
    tool.interrupt_at = 2
    with pytest.raises(KeyboardInterrupt):
        s.send("draw a dog")
    assert s.graph.get_state(s.config).values == head.values and _index(ctx, "mem") == (1, "draw a cat")


def test_failed_first_turn_leaves_no_thread(fake_roles, ctx, tool):
    s = _session(ctx)
    tool.interrupt_at = 3
    with pytest.raises(KeyboardInterrupt):
        s.send("draw a cat")
    snap = s.graph.get_state(s.config)
    assert not snap.values and not snap.next and list(s.graph.get_state_history(s.config)) == []
    assert _index(ctx, "mem") is None


def test_undo_returns_the_last_turn_and_the_index_follows(fake_roles, ctx, tool):
    s = _session(ctx)
    for text in ("hello", "draw a cat", "make it blue"):
        s.send(text)
    assert s.undo()["user"] == "make it blue"
    assert [t["user"] for t in s.turns()] == ["hello", "draw a cat"] and _index(ctx, "mem")[0] == 2
    assert s.send("make it red")["turn"] == 3
    assert s.undo()["user"] == "make it red" and s.undo()["user"] == "draw a cat"
    assert _index(ctx, "mem")[0] == 1
    assert s.undo()["user"] == "hello"  # the only turn: the thread goes
    assert s.turns() == [] and not s.graph.get_state(s.config).values and _index(ctx, "mem") is None
    assert s.undo() is None
