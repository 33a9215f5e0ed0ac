"""One writer process for the reliability tests: sends turns to one thread and prints
one JSON line per confirmed turn (``{"w", "i", "turn", "text"}``) or refusal
(``{"w", "i", "error", "kind"}``).

    python tests/reliability/worker.py DATA_DIR THREAD TURNS WORKER [--db URL] [--fake]
    python tests/reliability/worker.py DATA_DIR THREAD TURNS WORKER [--db URL] --durability exit|async|sync

By default each turn goes through a ``Session`` (the CLI's path: turn lock + compare-and-swap
commit). With ``--durability`` the writer is a plain ``graph.invoke`` with that durability (the
embedding use case, ``build_graph(...)`` inside another program, no Session): only the
checkpointer's own compare-and-swap protects the thread. ``--fake`` uses the instant fake roles
of ``tests/fakes.py``; without it the built-in offline models with ``t2i="none", chat="none"``
(the fast offline settings).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path


def _session_sender(args: argparse.Namespace, ctx):  # noqa: ANN001, ANN202 - test helper
    from dialoggen.agent.app.session import Session

    session = Session(ctx, args.thread)
    session.turns()
    return lambda text: session.send(text)["turn"], None


def _invoke_sender(args: argparse.Namespace, ctx):  # noqa: ANN001, ANN202 - test helper
    from dialoggen.graphs import build_graph, open_checkpointer

    saver = open_checkpointer(args.data_dir, db=args.db)
    graph = build_graph(saver)
    config = {"configurable": {"thread_id": args.thread}}
    graph.get_state(config)  # warm up (imports) before the start signal

    def send(text: str) -> int:
        out = graph.invoke({"messages": [{"role": "user", "content": text}]}, config, context=ctx, durability=args.durability)
        return out["last_turn"]["turn"]

    return send, saver.close


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("data_dir")
    ap.add_argument("thread")
    ap.add_argument("turns", type=int)
    ap.add_argument("worker", type=int)
    ap.add_argument("--db", default=None)
    ap.add_argument("--fake", action="store_true")
    ap.add_argument("--durability", default=None, help="plain graph.invoke writer with this durability (no Session)")
    ap.add_argument("--start", default=None, help="wait until this file exists before the first turn")
    args = ap.parse_args()

    from dialoggen.agent.context import Context
    from dialoggen.agent.errors import DialogGenError

    if args.fake:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        from dialoggen.agent import roles
        from fakes import FakeChat, FakeIntent, FakeRewriter

        for role, impl in {"intent": FakeIntent(), "rewrite": FakeRewriter(), "chat": FakeChat()}.items():
            roles.register(role, "fake", impl)
        ctx = Context(intent="fake", rewrite="fake", chat="fake", t2i="none", data_dir=args.data_dir, db=args.db)
    else:
        ctx = Context(t2i="none", chat="none", data_dir=args.data_dir, db=args.db)
    try:
        send, close = (_invoke_sender if args.durability else _session_sender)(args, ctx)
    except DialogGenError as err:
        print(json.dumps({"w": args.worker, "i": -1, "error": str(err), "kind": type(err).__name__}), flush=True)
        return 3
    if args.start:
        while not Path(args.start).exists():
            time.sleep(0.01)
    for i in range(args.turns):
        text = f"draw a red fox, writer {args.worker} message {i}"
        try:
            turn = send(text)
        except DialogGenError as err:
            print(json.dumps({"w": args.worker, "i": i, "error": str(err), "kind": type(err).__name__}), flush=True)
            continue
        print(json.dumps({"w": args.worker, "i": i, "turn": turn, "text": text}), flush=True)
    if close:
        close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
