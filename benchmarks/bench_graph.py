"""Per-turn cost and storage size of a long conversation: stock SqliteSaver vs
DeltaSqliteSaver, and LangGraph's stock PostgresSaver vs DeltaPostgresSaver.

Runs a 200-turn conversation (instant fake models) through a graph compiled with each
checkpointer and prints, per saver: the median wall time of one turn (graph +
checkpointing) over turns 1-20, 90-110 and 180-200, and the storage size with KB per turn
after the last turn (SQLite: the file after a WAL checkpoint; PostgreSQL: the tables with
their indexes and TOAST, ``pg_total_relation_size``, each saver in a fresh database).
A ``+cas`` saver (``delta+cas``, ``pgdelta+cas``) commits each turn the way a ``Session``
does: staged, then stored in one compare-and-swap transaction (``commit_turn``).

    .venv/bin/python benchmarks/bench_graph.py                    # plain 5-node graph
    .venv/bin/python benchmarks/bench_graph.py --graph product    # dialoggen.graphs.build_graph
    .venv/bin/python benchmarks/bench_graph.py --turns 400 --durability sync
    .venv/bin/python benchmarks/bench_graph.py --savers pgstock,pgdelta,pgdelta+cas --pg postgresql://postgres@/postgres?host=/tmp/pg
"""

from __future__ import annotations

import argparse
import operator
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Annotated, Any, Callable, Optional

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages
from typing_extensions import TypedDict

WINDOWS = ((1, 20), (90, 110), (180, 200))
COLORS = ("red", "blue", "green", "golden", "silver", "purple", "black", "white")
THINGS = ("fox", "steam train", "lighthouse", "teapot", "dragon", "bicycle", "castle", "owl")


def user_message(i: int) -> str:
    """The i-th fake user message (~90 characters), alternating drawing and chat requests."""
    c, t = COLORS[i % len(COLORS)], THINGS[(i // 3) % len(THINGS)]
    if i % 2:
        return f"Turn {i}: what do you think about the {c} {t}, and why does it look that way?"
    return f"Turn {i}: please draw a {c} {t} in the snow at dusk, seen from a low angle."


# -- the plain 5-node graph ---------------------------------------------------------


class PlainState(TypedDict, total=False):
    messages: Annotated[list[AnyMessage], add_messages]
    turns: Annotated[list[dict], operator.add]
    decision: Optional[dict]
    draft: Optional[dict]
    last_turn: Optional[dict]
    seed: Optional[int]


def _intent(state: PlainState) -> dict:
    text = state["messages"][-1].content
    modality = "image" if "draw" in text else "text"
    return {"decision": {"modality": modality, "confidence": 0.93, "source": "fake"}, "seed": 42}


def _rewrite(state: PlainState) -> dict:
    text = state["messages"][-1].content
    prompt = {"subject": text[:40], "background": "snow at dusk", "shot": "a low angle", "style": "realistic", "extras": []}
    return {"draft": {"user": text, "prompt": prompt, "prompt_text": f"{text[:40]}. The background is snow at dusk."}}


def _critic(state: PlainState) -> dict:
    return {}


def _t2i(state: PlainState) -> dict:
    return {}


def _chat(state: PlainState) -> dict:
    text = state["messages"][-1].content
    turn = len(state.get("turns") or []) + 1
    reply = f"Here is my answer to turn {turn}: the scene works because the light and the subject agree with each other."
    record = {
        "turn": turn,
        "user": text,
        "lang": "en",
        "modality": (state.get("decision") or {}).get("modality", "text"),
        "confidence": 0.93,
        "decided_by": "fake",
        "reply": reply,
        "prompt": (state.get("draft") or {}).get("prompt"),
        "prompt_text": (state.get("draft") or {}).get("prompt_text"),
        "prompt_diff": [],
        "image": None,
        "seed": 42,
        "critic": None,
        "notice": None,
    }
    return {"messages": [AIMessage(reply)], "turns": [record], "last_turn": record}


def build_plain_graph(checkpointer: Any):
    """START -> intent -> rewrite -> critic -> t2i -> chat -> END, all instant."""
    builder = StateGraph(PlainState)
    names = ("intent", "rewrite", "critic", "t2i", "chat")
    for name, fn in zip(names, (_intent, _rewrite, _critic, _t2i, _chat)):
        builder.add_node(name, fn)
    builder.add_edge(START, names[0])
    for a, b in zip(names, names[1:]):
        builder.add_edge(a, b)
    builder.add_edge(names[-1], END)
    return builder.compile(checkpointer=checkpointer)


def plain_runner(checkpointer: Any) -> Callable[[int, dict, str], Any]:
    graph = build_plain_graph(checkpointer)
    return lambda i, config, durability: graph.invoke(
        {"messages": [HumanMessage(user_message(i))]}, config, durability=durability
    )


# -- the product graph with instant fake models ----------------------------------------


def product_runner(checkpointer: Any, data_dir: Path) -> Callable[[int, dict, str], Any]:
    """``dialoggen.graphs.build_graph`` with fake instant roles registered under ``bench``."""
    try:
        from dialoggen.agent.context import Context
        from dialoggen.agent.prompt import DrawingPrompt
        from dialoggen.agent.roles import register
        from dialoggen.agent.schemas import TurnDecision
        from dialoggen.graphs.graph import build_graph
    except ImportError as err:  # the product graph is not there (yet)
        raise SystemExit(f"--graph product needs dialoggen.graphs.graph.build_graph, which does not import: {err}")

    class FakeIntent:
        name = "bench"

        def decide(self, conv, *, full_turn=False):
            return TurnDecision(modality="image" if "draw" in conv.user else "text", confidence=0.93, source="bench")

    class FakeRewriter:
        name = "bench"

        def rewrite(self, conv):
            return DrawingPrompt(subject=conv.user[:40], background="snow at dusk", shot="a low angle", style="realistic")

    class FakeChat:
        name = "bench"

        def reply(self, conv):
            return f"Here is my answer: the scene works because the light and the subject agree ({len(conv.turns)})."

    for role, impl in (("intent", FakeIntent()), ("rewrite", FakeRewriter()), ("chat", FakeChat())):
        register(role, "bench", impl)
    graph = build_graph(checkpointer=checkpointer)
    ctx = Context(intent="bench", rewrite="bench", chat="bench", critic=None, t2i="none", data_dir=str(data_dir))
    return lambda i, config, durability: graph.invoke(
        {"messages": [HumanMessage(user_message(i))]}, config, context=ctx, durability=durability
    )


# -- measuring -------------------------------------------------------------------------


def _fresh_pg_database(url: str) -> str:
    """A new empty database on the server of ``url``; its URL."""
    import uuid
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    name = "bench_" + uuid.uuid4().hex[:10]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


def open_saver(kind: str, path: Path, pg: Optional[str] = None) -> Any:
    kind = kind.split("+")[0]
    if kind.startswith("pg"):
        if not pg:
            raise SystemExit(f"saver {kind} needs --pg postgresql://... (a server where the user may create databases)")
        url = _fresh_pg_database(pg)
        if kind == "pgstock":
            import psycopg
            from langgraph.checkpoint.postgres import PostgresSaver
            from psycopg.rows import dict_row

            saver = PostgresSaver(psycopg.connect(url, autocommit=True, prepare_threshold=0, row_factory=dict_row))
            saver.setup()
            return saver
        from dialoggen.graphs.postgres import DeltaPostgresSaver

        return DeltaPostgresSaver.from_url(url)
    if kind == "stock":
        from langgraph.checkpoint.sqlite import SqliteSaver

        return SqliteSaver(sqlite3.connect(str(path), check_same_thread=False))
    from dialoggen.graphs.checkpointer import DeltaSqliteSaver

    return DeltaSqliteSaver.from_path(path)


def file_size(saver: Any, path: Path) -> int:
    """Bytes on disk once the WAL is folded into the main file (PostgreSQL: the tables,
    with indexes and TOAST)."""
    if not isinstance(getattr(saver, "conn", None), sqlite3.Connection):
        with saver.lock:
            row = saver.conn.execute(
                "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relkind = 'r'"
            ).fetchone()
        return int(row[0] if not isinstance(row, dict) else next(iter(row.values())))
    with saver.lock:
        saver.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return sum(os.path.getsize(p) for p in (path, Path(f"{path}-wal")) if p.exists())


def measure(kind: str, graph: str, turns: int, durability: str, workdir: Path, pg: Optional[str] = None) -> dict:
    """Run one conversation of ``turns`` turns; per-turn ms and final storage size."""
    path = workdir / f"{kind.replace('+', '-')}-{graph}-{durability}.sqlite"
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        p.unlink(missing_ok=True)
    saver = open_saver(kind, path, pg)
    run = plain_runner(saver) if graph == "plain" else product_runner(saver, workdir / "data")
    thread = f"bench-{kind}"
    cas = kind.endswith("+cas")
    wall, cpu = [], []
    for i in range(1, turns + 1):
        t0, c0 = time.perf_counter(), time.process_time()
        if cas:  # as a Session commits a turn: staged, then one compare-and-swap transaction
            txn = saver.begin_turn(thread)
            run(i, txn.config(), durability)
            saver.commit_turn(txn)
        else:
            run(i, {"configurable": {"thread_id": thread}}, durability)
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    size = file_size(saver, path)
    saver.conn.close()
    return {"wall": wall, "cpu": cpu, "size": size}


def window_median(runs: list[list[float]], lo: int, hi: int) -> float:
    """The median over turns lo..hi (1-based, inclusive), the lowest over repeated runs."""
    return min(statistics.median(times[lo - 1 : hi]) for times in runs)


def _pg_version(url: str) -> str:
    import psycopg

    with psycopg.connect(url) as conn:
        return str(conn.execute("SHOW server_version").fetchone()[0])


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--graph", choices=("plain", "product"), default="plain")
    ap.add_argument("--turns", type=int, default=200)
    ap.add_argument("--durability", choices=("exit", "async", "sync"), default="exit")
    ap.add_argument(
        "--savers", default="stock,delta",
        help="comma-separated: stock, delta, delta+cas (SQLite); pgstock, pgdelta, pgdelta+cas (PostgreSQL, needs --pg)",
    )
    ap.add_argument("--pg", default=None, help="postgresql://... URL of a server where the user may create databases")
    ap.add_argument("--repeat", type=int, default=3, help="runs per saver; each window reports its lowest median")
    ap.add_argument("--dir", type=Path, default=None, help="working folder (default: a temporary one)")
    args = ap.parse_args(argv)

    tmp = None
    workdir = args.dir
    if workdir is None:
        tmp = tempfile.TemporaryDirectory(prefix="dialoggen-bench-")
        workdir = Path(tmp.name)
    workdir.mkdir(parents=True, exist_ok=True)
    windows = [(lo, min(hi, args.turns)) for lo, hi in WINDOWS if lo <= args.turns]
    print(
        f"graph={args.graph} turns={args.turns} durability={args.durability} repeat={args.repeat} "
        f"python={sys.version.split()[0]} sqlite={sqlite3.sqlite_version}" + (f" postgresql={_pg_version(args.pg)}" if args.pg else "")
    )
    print("per-turn median ms (graph + checkpointing): wall clock, and process CPU time in brackets")
    head = f"{'saver':<12}" + "".join(f"{f'ms t{lo}-{hi}':>18}" for lo, hi in windows) + f"{'file MB':>10}{'KB/turn':>10}"
    print(head)
    print("-" * len(head))
    for kind in [k.strip() for k in args.savers.split(",") if k.strip()]:
        runs = [measure(kind, args.graph, args.turns, args.durability, workdir, args.pg) for _ in range(max(1, args.repeat))]
        cells = "".join(
            f"{window_median([r['wall'] for r in runs], lo, hi):>10.2f} [{window_median([r['cpu'] for r in runs], lo, hi):>5.2f}]"
            for lo, hi in windows
        )
        size = runs[-1]["size"]
        print(f"{kind:<12}{cells}{size / 1e6:>10.2f}{size / 1024 / args.turns:>10.1f}", flush=True)
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
