"""DeltaSqliteSaver: same states and history as LangGraph's in-memory saver, across
processes, forks, deletes and durability modes, with a file that grows linearly."""

from __future__ import annotations

import asyncio
import operator
import sqlite3
import threading
from pathlib import Path
from typing import Annotated, Optional

import pytest
from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, RemoveMessage
from langgraph.channels.delta import DeltaChannel
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages
from typing_extensions import TypedDict

from dialoggen.agent.errors import ConfigError
from dialoggen.graphs.checkpointer import DeltaSqliteSaver

PAD = "lorem ipsum dolor sit amet " * 6  # ~160 characters: messages of a realistic size


class S(TypedDict, total=False):
    messages: Annotated[list[AnyMessage], add_messages]
    log: Annotated[list[str], operator.add]  # append-only list channel
    count: int
    note: Optional[str]
    unused: Optional[str]  # never written by any node


def _first(state: S) -> dict:
    return {"log": [f"seen {len(state['messages'])}"], "count": state.get("count", 0) + 1}


def _second(state: S) -> dict:
    n = state["count"]
    return {"messages": [AIMessage(f"answer {n} {PAD}", id=f"ai-{n}")]}


def build(checkpointer, first=_first):
    builder = StateGraph(S)
    builder.add_node("first", first)
    builder.add_node("second", _second)
    builder.add_edge(START, "first")
    builder.add_edge("first", "second")
    builder.add_edge("second", END)
    return builder.compile(checkpointer=checkpointer)


def cfg(thread: str = "t") -> dict:
    return {"configurable": {"thread_id": thread}}


def turn(graph, i: int, thread: str = "t", durability: str = "exit") -> dict:
    return graph.invoke({"messages": [HumanMessage(f"question {i} {PAD}", id=f"h-{i}")]}, cfg(thread), durability=durability)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "sub" / "checkpoints.db"


@pytest.fixture
def saver(db: Path):
    s = DeltaSqliteSaver.from_path(db)
    yield s
    s.close()


def history(graph, thread: str = "t") -> list:
    return [(h.values, h.next, h.metadata.get("source"), h.metadata.get("step")) for h in graph.get_state_history(cfg(thread))]


def test_from_path_creates_folders_and_uses_wal(db: Path, saver: DeltaSqliteSaver) -> None:
    turn(build(saver), 1)
    assert db.exists()
    assert saver.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {r[0] for r in saver.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"dg_checkpoints", "dg_writes", "dg_blobs"} <= tables


def test_from_path_on_unusable_location_raises_config_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ConfigError, match="is not a directory"):
        DeltaSqliteSaver.from_path(blocker / "checkpoints.db")


def test_from_conn_string_memory() -> None:
    with DeltaSqliteSaver.from_conn_string(":memory:") as s:
        out = turn(build(s), 1)
        assert out["count"] == 1 and s.get_tuple(cfg()) is not None


@pytest.mark.parametrize("durability", ["exit", "async", "sync"])
def test_same_states_and_history_as_in_memory_saver(saver: DeltaSqliteSaver, db: Path, durability: str) -> None:
    graph, ref = build(saver), build(InMemorySaver())
    for i in range(1, 8):
        assert turn(graph, i, durability=durability) == turn(ref, i, durability=durability)
    expected = history(ref)
    assert history(graph) == expected
    # A second process: new connection, cold cache.
    cold = DeltaSqliteSaver.from_path(db)
    try:
        assert history(build(cold)) == expected
        assert cold.get_tuple(cfg()).checkpoint["channel_values"] == saver.get_tuple(cfg()).checkpoint["channel_values"]
    finally:
        cold.close()


def test_state_round_trips_to_a_new_process_and_continues(saver: DeltaSqliteSaver, db: Path) -> None:
    graph = build(saver)
    for i in range(1, 41):
        turn(graph, i)
    before = graph.get_state(cfg()).values
    saver.close()

    second = DeltaSqliteSaver.from_path(db)
    try:
        g2 = build(second)
        assert g2.get_state(cfg()).values == before
        out = turn(g2, 41)
        assert out["messages"][:-2] == before["messages"]
        assert len(out["messages"]) == 82 and out["log"][-1] == "seen 81" and out["count"] == 41
        # The continued turn was stored as a delta on the cold-read value.
        kinds = dict(second.conn.execute(
            "SELECT kind, COUNT(*) FROM dg_blobs WHERE channel = 'messages' GROUP BY kind"
        ).fetchall())
        assert kinds["list"] == 1 and kinds["delta"] == 40
    finally:
        second.close()
    third = DeltaSqliteSaver.from_path(db)
    try:
        assert build(third).get_state(cfg()).values == out
    finally:
        third.close()


def test_history_order_and_parent_links(saver: DeltaSqliteSaver) -> None:
    graph = build(saver)
    for i in range(1, 6):
        turn(graph, i, durability="sync")
    snaps = list(graph.get_state_history(cfg()))
    ids = [s.config["configurable"]["checkpoint_id"] for s in snaps]
    assert ids == sorted(ids, reverse=True)
    for newer, older in zip(snaps, snaps[1:]):
        assert newer.parent_config["configurable"]["checkpoint_id"] == older.config["configurable"]["checkpoint_id"]
    assert snaps[-1].parent_config is None
    lengths = [len(s.values.get("messages", [])) for s in snaps]
    assert lengths == sorted(lengths, reverse=True) and lengths[0] == 10
    # list(): filter, before, limit
    tuples = list(saver.list(cfg(), filter={"source": "input"}))
    assert len(tuples) == 5 and all(t.metadata["source"] == "input" for t in tuples)
    older = list(saver.list(cfg(), before=snaps[2].config, limit=2))
    assert [t.config["configurable"]["checkpoint_id"] for t in older] == ids[3:5]


def test_update_state_fork_rollback_then_continue(saver: DeltaSqliteSaver, db: Path) -> None:
    graph, ref = build(saver), build(InMemorySaver())
    for g in (graph, ref):
        for i in range(1, 7):
            turn(g, i)
    # /undo: fork from the checkpoint that ended turn 3, then go on from there.
    for g in (graph, ref):
        target = next(s for s in g.get_state_history(cfg()) if s.values.get("count") == 3)
        g.update_state(target.config, {"note": "undo"})
        out = turn(g, 100)
        assert [m.id for m in out["messages"]] == ["h-1", "ai-1", "h-2", "ai-2", "h-3", "ai-3", "h-100", "ai-4"]
        assert out["note"] == "undo" and out["log"] == ["seen 1", "seen 3", "seen 5", "seen 7"]
    assert history(graph) == history(ref)
    # Removing a message (not an append) stores a full value, still read back right.
    for g in (graph, ref):
        g.update_state(cfg(), {"messages": [RemoveMessage(id="h-1")]})
    assert graph.get_state(cfg()).values == ref.get_state(cfg()).values
    cold = DeltaSqliteSaver.from_path(db)
    try:
        assert history(build(cold)) == history(ref)
    finally:
        cold.close()


def test_delete_thread(saver: DeltaSqliteSaver) -> None:
    graph = build(saver)
    for i in range(1, 4):
        turn(graph, i, thread="a")
        turn(graph, i, thread="b")
    saver.delete_thread("a")
    assert graph.get_state(cfg("a")).values == {}
    assert list(saver.list(cfg("a"))) == []
    for table in ("dg_checkpoints", "dg_writes", "dg_blobs"):
        assert saver.conn.execute(f"SELECT COUNT(*) FROM {table} WHERE thread_id = 'a'").fetchone()[0] == 0
    assert len(graph.get_state(cfg("b")).values["messages"]) == 6
    out = turn(graph, 1, thread="a")  # the thread starts over, from a full value
    assert len(out["messages"]) == 2 and out["count"] == 1


def test_never_written_field_and_values_are_not_in_checkpoint_rows(saver: DeltaSqliteSaver) -> None:
    graph = build(saver)
    for i in range(1, 6):
        turn(graph, i, durability="sync")
    channels = {r[0] for r in saver.conn.execute("SELECT DISTINCT channel FROM dg_blobs")}
    assert "unused" not in channels and {"messages", "log", "count"} <= channels
    for type_, blob in saver.conn.execute("SELECT type, checkpoint FROM dg_checkpoints"):
        stored = saver.serde.loads_typed((type_, blob))
        assert stored["channel_values"] == {} and "unused" not in stored["channel_versions"]
    assert "unused" not in graph.get_state(cfg()).values


def test_each_message_is_stored_at_most_twice(saver: DeltaSqliteSaver) -> None:
    graph = build(saver)
    for i in range(1, 61):
        turn(graph, i)
    blobs = b"".join(v for (v,) in saver.conn.execute("SELECT value FROM dg_blobs WHERE value IS NOT NULL"))
    for i in (1, 17, 30, 59):
        assert 1 <= blobs.count(f"question {i} ".encode()) <= 2


def test_file_grows_linearly_and_chains_stay_short(saver: DeltaSqliteSaver, db: Path) -> None:
    graph = build(saver)
    sizes = {}
    for i in range(1, 201):
        turn(graph, i)
        if i in (10, 50, 150, 200):
            saver.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            sizes[i] = db.stat().st_size
    early = (sizes[50] - sizes[10]) / 40
    late = (sizes[200] - sizes[150]) / 50
    assert late <= 1.5 * early
    assert sizes[200] / 200 <= 20 * 1024
    # A cold read of turn 200 follows a bounded chain (fanout 16: <= 16 + 200/17 + 1 nodes).
    cold = DeltaSqliteSaver.from_path(db)
    try:
        values = cold.get_tuple(cfg()).checkpoint["channel_values"]
        assert len(values["messages"]) == 400 and len(values["log"]) == 200
        paths = [r.path for k, r in cold._cache.items() if k[2] == "messages"]
        assert paths and max(len(p) for p in paths) <= 30
    finally:
        cold.close()


def test_concurrent_threads_share_one_saver(saver: DeltaSqliteSaver) -> None:
    graph = build(saver)
    errors: list[BaseException] = []

    def worker(name: str) -> None:
        try:
            for i in range(1, 9):
                turn(graph, i, thread=name, durability="async")
        except BaseException as err:  # pragma: no cover - reported below
            errors.append(err)

    threads = [threading.Thread(target=worker, args=(f"w{k}",)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for k in range(4):
        values = graph.get_state(cfg(f"w{k}")).values
        assert len(values["messages"]) == 16 and values["count"] == 8


def test_async_invoke(saver: DeltaSqliteSaver) -> None:
    graph = build(saver)

    async def run() -> dict:
        out = {}
        for i in range(1, 4):
            out = await graph.ainvoke({"messages": [HumanMessage(f"q{i}", id=f"h-{i}")]}, cfg(), durability="async")
        return out

    out = asyncio.run(run())
    assert len(out["messages"]) == 6 and graph.get_state(cfg()).values == out


def _extend(state: list, writes: list) -> list:
    return [*state, *(x for w in writes for x in w)]


class D(TypedDict, total=False):
    items: Annotated[list[str], DeltaChannel(_extend, snapshot_frequency=3)]
    n: int


def test_delta_channel_replay(saver: DeltaSqliteSaver, db: Path) -> None:
    """LangGraph's own DeltaChannel (values rebuilt from stored writes) works on this saver."""

    def node(state: D) -> dict:
        n = state.get("n", 0) + 1
        return {"items": [f"x{n}"], "n": n}

    builder = StateGraph(D)
    builder.add_node("node", node)
    builder.add_edge(START, "node")
    builder.add_edge("node", END)
    graph, ref = builder.compile(checkpointer=saver), builder.compile(checkpointer=InMemorySaver())
    for g in (graph, ref):
        for _ in range(7):
            g.invoke({"items": ["in"]}, cfg(), durability="sync")
    assert graph.get_state(cfg()).values == ref.get_state(cfg()).values
    cold = DeltaSqliteSaver.from_path(db)
    try:
        assert builder.compile(checkpointer=cold).get_state(cfg()).values == ref.get_state(cfg()).values
    finally:
        cold.close()


def test_damaged_chain_raises_config_error(saver: DeltaSqliteSaver, db: Path) -> None:
    graph = build(saver)
    for i in range(1, 5):
        turn(graph, i)
    saver.conn.execute("DELETE FROM dg_blobs WHERE channel = 'messages' AND kind = 'list'")
    saver.conn.commit()
    cold = DeltaSqliteSaver.from_path(db)
    try:
        with pytest.raises(ConfigError, match="damaged"):
            cold.get_tuple(cfg())
    finally:
        cold.close()


def test_langgraph_conformance_suite(tmp_path: Path) -> None:
    """LangGraph's checkpointer conformance suite, when installed (langgraph-checkpoint-conformance)."""
    conformance = pytest.importorskip("langgraph.checkpoint.conformance")

    counter = iter(range(1_000_000))

    @conformance.checkpointer_test(name="DeltaSqliteSaver")
    async def make():
        path = tmp_path / f"conf-{next(counter)}.db"
        s = DeltaSqliteSaver(sqlite3.connect(str(path), check_same_thread=False))
        yield s
        s.conn.close()

    report = asyncio.run(conformance.validate(make))
    assert report.passed_all_base()


def test_product_graph_round_trip_and_undo(db: Path, fake_roles, fake_context) -> None:
    """The DialogGen graph on this saver: a cold reader sees the same thread; a fork from
    an older turn (/undo) continues from that turn."""
    graph_mod = pytest.importorskip("dialoggen.graphs.graph")
    saver = DeltaSqliteSaver.from_path(db)
    graph = graph_mod.build_graph(checkpointer=saver)
    asks = ["draw a red fox in the snow", "what is a fox?", "make it blue", "background a city at night"]
    for i in range(12):
        graph.invoke({"messages": [HumanMessage(asks[i % len(asks)])]}, cfg(), context=fake_context, durability="exit")
    values = graph.get_state(cfg()).values
    assert len(values["turns"]) == 12 and len(values["messages"]) == 24
    saver.close()
    cold = DeltaSqliteSaver.from_path(db)
    try:
        g2 = graph_mod.build_graph(checkpointer=cold)
        assert g2.get_state(cfg()).values == values
        target = next(s for s in g2.get_state_history(cfg()) if len(s.values.get("turns", [])) == 5 and not s.next)
        assert len(target.values["messages"]) == 10
        g2.update_state(target.config, None)
        out = g2.invoke({"messages": [HumanMessage("what is a fox?")]}, cfg(), context=fake_context, durability="exit")
        state = g2.get_state(cfg()).values
        assert len(state["turns"]) == 6 and state["turns"][:5] == target.values["turns"]
        assert state["messages"][:10] == target.values["messages"] and out["last_turn"]["turn"] == 6
    finally:
        cold.close()


# -- turns committed by compare-and-swap, on SQLite and PostgreSQL ----------------------

from pgserver import postgres_server, postgres_url  # noqa: E402,F401

from dialoggen.graphs.checkpointer import ThreadChanged  # noqa: E402


@pytest.fixture(params=["sqlite", "postgres"])
def any_saver(request, tmp_path: Path):
    if request.param == "postgres":
        from dialoggen.graphs.postgres import DeltaPostgresSaver

        s = DeltaPostgresSaver.from_url(request.getfixturevalue("postgres_url"))
    else:
        s = DeltaSqliteSaver.from_path(tmp_path / "cas.db")
    yield s
    s.close()


def test_staged_turn_is_invisible_until_committed(any_saver) -> None:
    graph = build(any_saver)
    txn = any_saver.begin_turn("t")
    graph.invoke({"messages": [HumanMessage("q0", id="h-0")]}, txn.config(), durability="exit")
    assert any_saver.get_tuple(cfg()) is None and txn.ops  # staged only
    head = any_saver.commit_turn(txn)
    assert any_saver.head_id("t") == head and len(graph.get_state(cfg()).values["messages"]) == 2


def test_commit_refuses_a_moved_head_and_stores_nothing(any_saver) -> None:
    graph = build(any_saver)
    turn(graph, 0)
    a, b = any_saver.begin_turn("t"), any_saver.begin_turn("t")
    graph.invoke({"messages": [HumanMessage("from a", id="a")]}, a.config(), durability="exit")
    graph.invoke({"messages": [HumanMessage("from b", id="b")]}, b.config(), durability="exit")
    any_saver.commit_turn(b)
    before = list(any_saver.list(cfg()))
    with pytest.raises(ThreadChanged):
        any_saver.commit_turn(a)
    assert len(list(any_saver.list(cfg()))) == len(before)
    texts = [m.content for m in graph.get_state(cfg()).values["messages"]]
    assert "from b" in texts and "from a" not in texts
    # re-run on the new head: commits
    a2 = any_saver.begin_turn("t")
    graph.invoke({"messages": [HumanMessage("from a", id="a")]}, a2.config(), durability="exit")
    any_saver.commit_turn(a2)
    assert [m.content for m in graph.get_state(cfg()).values["messages"]][-2:][0] == "from a"


def test_failed_on_commit_hook_rolls_back_everything(any_saver) -> None:
    graph = build(any_saver)
    turn(graph, 0)
    head = any_saver.head_id("t")
    txn = any_saver.begin_turn("t")
    graph.invoke({"messages": [HumanMessage("q1", id="h-1")]}, txn.config(), durability="exit")

    def boom(cur):
        raise RuntimeError("index down")

    with pytest.raises(RuntimeError):
        any_saver.commit_turn(txn, on_commit=boom)
    assert any_saver.head_id("t") == head
    turn(graph, 2)  # the cache forgot the rolled-back values: the next turn stores fine
    any_saver._cache.clear()
    any_saver._heads.clear()  # a cold read
    texts = [m.content.split()[:2] for m in graph.get_state(cfg()).values["messages"]]
    assert texts == [["question", "0"], ["answer", "1"], ["question", "2"], ["answer", "2"]]


def test_commit_of_a_first_turn_refused_when_the_thread_appeared(any_saver) -> None:
    graph = build(any_saver)
    a = any_saver.begin_turn("t")
    assert a.expected_head is None
    turn(graph, 0)
    graph.invoke({"messages": [HumanMessage("late", id="late")]}, a.config(), durability="exit")
    with pytest.raises(ThreadChanged):
        any_saver.commit_turn(a)


def test_postgres_saver_matches_sqlite_history_and_grows_linearly(postgres_url, tmp_path: Path) -> None:
    from dialoggen.graphs.postgres import DeltaPostgresSaver

    pg = DeltaPostgresSaver.from_url(postgres_url)
    lite = DeltaSqliteSaver.from_path(tmp_path / "x.db")
    try:
        gp, gl = build(pg), build(lite)
        for i in range(40):
            turn(gp, i)
            turn(gl, i)
        assert gp.get_state(cfg()).values == gl.get_state(cfg()).values
        assert history(gp) == history(gl)
        cold = DeltaPostgresSaver.from_url(postgres_url)
        try:
            assert build(cold).get_state(cfg()).values == gl.get_state(cfg()).values
            assert list(cold.list(None, filter={"source": "input"})) == []  # exit durability: loop only
            assert len(list(cold.list(cfg(), filter={"source": "loop"}, limit=3))) == 3
        finally:
            cold.close()
        with pg.cursor(transaction=False) as cur:
            cur.execute("SELECT coalesce(sum(length(value)), 0) FROM dg_blobs WHERE channel = 'messages'")
            stored = cur.fetchone()[0]
        one = len(PAD) * 2
        assert stored < 40 * one * 4  # each message stored a few times at most, not O(turns^2)
        pg.delete_thread("t")
        assert pg.get_tuple(cfg()) is None
    finally:
        pg.close()
        lite.close()


def test_postgres_conformance_suite(postgres_server) -> None:
    conformance = pytest.importorskip("langgraph.checkpoint.conformance")
    from dialoggen.graphs.postgres import DeltaPostgresSaver

    @conformance.checkpointer_test(name="DeltaPostgresSaver")
    async def make():
        s = DeltaPostgresSaver.from_url(postgres_server.new_database())
        yield s
        s.close()

    report = asyncio.run(conformance.validate(make))
    assert report.passed_all_base()


def test_postgres_bad_url_is_one_sentence_without_password() -> None:
    pytest.importorskip("psycopg")
    from dialoggen.agent.errors import StorageError
    from dialoggen.graphs import open_checkpointer

    with pytest.raises(StorageError) as info:
        open_checkpointer(db="postgresql://me:hunter2@127.0.0.1:1/nope")
    msg = str(info.value)
    assert "hunter2" not in msg and "\n" not in msg and msg.endswith(".")
    assert msg.startswith("Cannot connect to the PostgreSQL database postgresql://") and "127.0.0.1:1/nope (" in msg
    with pytest.raises(ConfigError, match="postgresql://"):
        open_checkpointer(db="mysql://x")


# -- compare-and-swap for every writer: plain graph.invoke / put, not only staged turns --

from dialoggen.agent.errors import ThreadForkError  # noqa: E402
from dialoggen.graphs.checkpointer import FOLLOW_KEY  # noqa: E402


@pytest.fixture(params=["sqlite", "postgres"])
def two_savers(request, tmp_path: Path):
    """Two savers on one store, as two processes would have (own connections, own caches)."""
    if request.param == "postgres":
        from dialoggen.graphs.postgres import DeltaPostgresSaver

        url = request.getfixturevalue("postgres_url")
        pair = (DeltaPostgresSaver.from_url(url), DeltaPostgresSaver.from_url(url))
    else:
        pair = (DeltaSqliteSaver.from_path(tmp_path / "two.db"), DeltaSqliteSaver.from_path(tmp_path / "two.db"))
    yield pair
    for s in pair:
        s.close()


def _intruding_graph(checkpointer, intrude):
    """``build`` with a first node that calls ``intrude()`` once (another writer's turn)."""

    def first(state: S) -> dict:
        intrude()
        return _first(state)

    return build(checkpointer, first)


def _root_chain(saver, thread: str = "t") -> list[tuple]:
    rows = [
        (t.config["configurable"]["checkpoint_id"], (t.parent_config or {}).get("configurable", {}).get("checkpoint_id"))
        for t in saver.list({"configurable": {"thread_id": thread, "checkpoint_ns": ""}})
    ]
    parents = [p for _, p in rows]
    return rows if len(parents) == len(set(parents)) else []  # [] = forked


@pytest.mark.parametrize("durability", ["exit", "async", "sync"])
@pytest.mark.parametrize("first_turn", [False, True])
def test_plain_invoke_that_lost_the_race_is_refused_not_forked(two_savers, durability: str, first_turn: bool) -> None:
    """Writer A reads the head, B commits a turn while A runs, A's write is refused with
    one sentence: the thread stays one chain holding B's turn (also when both started on
    an empty thread)."""
    a_saver, b_saver = two_savers
    b = build(b_saver)
    if not first_turn:
        turn(b, 0)
    outcome: dict[str, str] = {}

    def intrude():
        if not outcome:
            try:
                b.invoke({"messages": [HumanMessage("from b", id="b")]}, cfg(), durability="exit")
                outcome["b"] = "committed"
            except ThreadForkError as err:  # A's input checkpoint (async) landed before B's read
                outcome["b"] = str(err)

    a = _intruding_graph(a_saver, intrude)
    try:
        a.invoke({"messages": [HumanMessage("from a", id="a")]}, cfg(), durability=durability)
        outcome["a"] = "committed"
    except ThreadForkError as err:
        outcome["a"] = str(err)
    # exactly one of the two committed; the other was told, in one sentence
    assert sorted(outcome.values()).count("committed") == 1, outcome
    loser = next(v for v in outcome.values() if v != "committed")
    assert "\n" not in loser and "run it again" in loser
    if durability == "exit":
        assert outcome["b"] == "committed"  # A stores nothing until its end
    chain = _root_chain(a_saver)
    assert chain and sum(1 for _, p in chain if p is None) == 1
    texts = [m.content for m in build(a_saver).get_state(cfg()).values["messages"]]
    winner = "from b" if outcome["b"] == "committed" else "from a"
    assert winner in texts
    if durability == "exit":
        assert "from a" not in texts  # one write per run: a refused run stored nothing
    # Run again: it starts from the new head and commits.
    out = a.invoke({"messages": [HumanMessage("again a", id="a2")]}, cfg(), durability=durability)
    assert out["messages"][-2].content == "again a" and winner in [m.content for m in out["messages"]]
    assert _root_chain(b_saver)


def test_bare_put_checks_the_head_it_read(two_savers) -> None:
    """At the checkpointer API: a put built on a tuple read as the thread's latest is
    refused once the head moved; the head itself may be stored again (same id)."""
    a_saver, b_saver = two_savers
    turn(build(a_saver), 0)
    read = a_saver.get_tuple(cfg())
    assert read.config["configurable"][FOLLOW_KEY] is True
    assert b_saver.get_tuple(read.config).config["configurable"][FOLLOW_KEY] is False  # explicit id
    turn(build(b_saver), 1)
    head = a_saver.head_id("t")
    from langgraph.checkpoint.base import create_checkpoint, empty_checkpoint

    child = create_checkpoint(read.checkpoint, None, 5)
    with pytest.raises(ThreadForkError):
        a_saver.put(read.config, child, {"source": "loop", "step": 5}, {})
    assert a_saver.head_id("t") == head and len(_root_chain(a_saver)) == len(list(a_saver.list(cfg())))
    # the same put without the marker (an explicit fork from that checkpoint) is stored
    explicit = {"configurable": {**read.config["configurable"], FOLLOW_KEY: False}}
    a_saver.put(explicit, child, {"source": "fork", "step": 5}, {})
    assert a_saver.head_id("t") == child["id"]
    # re-storing the head (same id, e.g. LangGraph's exit write) is allowed
    again = a_saver.get_tuple(cfg())
    a_saver.put(again.config, again.checkpoint, again.metadata, {})
    # a graph run's first checkpoint on a thread that has one by now is refused
    run_conf = {"configurable": {"thread_id": "t", "checkpoint_ns": "", "__pregel_durability": "exit"}}
    with pytest.raises(ThreadForkError):
        a_saver.put(run_conf, empty_checkpoint(), {"source": "input", "step": -1}, {})
    # a subgraph namespace has its own head: never checked here
    sub = {"configurable": {"thread_id": "t", "checkpoint_ns": "sub:1", "checkpoint_id": "old", FOLLOW_KEY: True}}
    a_saver.put(sub, empty_checkpoint(), {"source": "loop", "step": 0}, {})
    # a bare first put (no run keys, no marker: LangGraph's API and conformance suite) is kept
    a_saver.put({"configurable": {"thread_id": "t", "checkpoint_ns": ""}}, empty_checkpoint(), {"source": "loop", "step": 0}, {})


def test_time_travel_still_forks_by_design(saver: DeltaSqliteSaver) -> None:
    """LangGraph's time travel (invoke or update_state from an explicit older checkpoint_id)
    forks on purpose: stored, and the fork becomes the head, as with the in-memory saver."""
    graph, ref = build(saver), build(InMemorySaver())
    for g in (graph, ref):
        for i in range(1, 4):
            turn(g, i)
        old = next(s for s in g.get_state_history(cfg()) if s.values.get("count") == 1 and not s.next)
        out = g.invoke({"messages": [HumanMessage("replayed", id="r")]}, old.config, durability="exit")
        assert [m.id for m in out["messages"]] == ["h-1", "ai-1", "r", "ai-2"]
        g.update_state(old.config, {"note": "forked twice"})
        assert g.get_state(cfg()).values["note"] == "forked twice"
    assert history(graph) == history(ref)
    parents = [t.parent_config["configurable"]["checkpoint_id"] for t in saver.list(cfg()) if t.parent_config]
    assert len(parents) > len(set(parents))  # a real fork, as LangGraph designs it


def test_checkpoint_metadata_is_langgraphs_without_our_marker(saver: DeltaSqliteSaver) -> None:
    """The head marker rides in configs only: stored metadata equals the in-memory saver's
    (a user's ``list(filter=...)`` sees LangGraph's keys and nothing of ours)."""
    graph, ref = build(saver), build(InMemorySaver())
    for g in (graph, ref):
        for i in range(1, 4):
            turn(g, i, durability="sync")
        g.update_state(cfg(), {"note": "n"})
    ours = [t.metadata for t in saver.list(cfg())]
    theirs = [t.metadata for t in ref.checkpointer.list(cfg())]
    assert ours == theirs and all(FOLLOW_KEY not in m for m in ours)
    assert not any("dialoggen" in k for m in ours for k in m)


def test_postgres_translation_keeps_literal_percent_signs(postgres_url) -> None:
    """A ``%`` in the saver's SQL reaches PostgreSQL as a literal percent (psycopg reads
    ``%`` as a placeholder mark), next to ``?`` placeholders."""
    from dialoggen.graphs.postgres import DeltaPostgresSaver

    s = DeltaPostgresSaver.from_url(postgres_url)
    try:
        with s.cursor(transaction=False) as cur:
            cur.execute("SELECT '50%' || ?, ? LIKE 'a%'", ("x", "abc"))
            assert cur.fetchone() == ("50%x", True)
    finally:
        s.close()


def test_from_path_creates_nested_folders(tmp_path: Path) -> None:
    s = DeltaSqliteSaver.from_path(tmp_path / "a" / "b" / "c" / "checkpoints.db")
    try:
        turn(build(s), 1)
        assert (tmp_path / "a" / "b" / "c" / "checkpoints.db").is_file()
    finally:
        s.close()


def test_turn_lock_lets_writers_of_one_thread_take_turns(tmp_path: Path) -> None:
    """The advisory turn lock: held by one writer of a thread at a time (others wait, then
    run anyway after their timeout, told so); other threads are not held up."""
    a, b = DeltaSqliteSaver.from_path(tmp_path / "l.db"), DeltaSqliteSaver.from_path(tmp_path / "l.db")
    try:
        with a.turn_lock("t") as got:
            assert got is True
            with b.turn_lock("t", timeout=0.1) as other:
                assert other is False
            with b.turn_lock("u", timeout=0.1) as other:
                assert other is True
        with b.turn_lock("t", timeout=0.1) as got:
            assert got is True
        with DeltaSqliteSaver.from_conn_string(":memory:") as m:  # no file beside it: no lock
            with m.turn_lock("t") as got:
                assert got is False
    finally:
        a.close()
        b.close()


def test_postgres_list_selects_like_the_sqlite_saver(postgres_url, tmp_path: Path) -> None:
    """``list`` on PostgreSQL (metadata filters in Python) picks the same checkpoints as
    the SQLite saver: by checkpoint id, by metadata, before an id, with a limit."""
    from dialoggen.graphs.postgres import DeltaPostgresSaver

    pg, lite = DeltaPostgresSaver.from_url(postgres_url), DeltaSqliteSaver.from_path(tmp_path / "l.db")
    try:
        picks = {}
        for name, s in (("pg", pg), ("lite", lite)):
            g = build(s)
            for i in range(1, 4):
                turn(g, i, durability="sync")
            ids = [t.config["configurable"]["checkpoint_id"] for t in s.list(cfg())]
            one = {"configurable": {"thread_id": "t", "checkpoint_ns": "", "checkpoint_id": ids[3]}}
            picks[name] = (
                len(ids),
                [ids.index(t.config["configurable"]["checkpoint_id"]) for t in s.list(one)],
                [ids.index(t.config["configurable"]["checkpoint_id"]) for t in s.list(cfg(), filter={"source": "input"})],
                [ids.index(t.config["configurable"]["checkpoint_id"]) for t in s.list(cfg(), before=one, limit=2)],
            )
        assert picks["pg"] == picks["lite"] and picks["pg"][1] == [3]
    finally:
        pg.close()
        lite.close()


def test_redact_url_hides_only_the_password() -> None:
    from dialoggen.graphs.postgres import redact_url

    assert redact_url("postgresql://me:hunter2@db.example:5432/app") == "postgresql://me:***@db.example:5432/app"
    assert redact_url("postgresql://me@db/app") == "postgresql://me@db/app"
    assert redact_url("postgresql:///app?host=/run/pg") == "postgresql:///app?host=/run/pg"


def test_postgres_commit_on_a_lost_connection_says_nothing_was_recorded(postgres_url) -> None:
    from dialoggen.agent.errors import StorageError
    from dialoggen.graphs.postgres import DeltaPostgresSaver

    s = DeltaPostgresSaver.from_url(postgres_url)
    graph = build(s)
    turn(graph, 0)
    txn = s.begin_turn("t")
    graph.invoke({"messages": [HumanMessage("q1", id="h-1")]}, txn.config(), durability="exit")
    s.conn.close()  # the server went away
    with pytest.raises(StorageError) as info:
        s.commit_turn(txn)
    msg = str(info.value)
    assert msg.startswith("The turn could not be saved in the PostgreSQL database postgresql://")
    assert msg.endswith("), so nothing was recorded: check the server and try again.") and "\n" not in msg
    s.close()
