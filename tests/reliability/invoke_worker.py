"""One plain-``graph.invoke`` writer (the embedding use case: ``build_graph(...)`` inside
another program, no Session): sends turns to one thread and prints one JSON line per
confirmed turn (``{"w", "i", "turn", "text"}``) or refusal (``{"w", "i", "error", "kind"}``).

    python tests/reliability/invoke_worker.py DATA_DIR THREAD TURNS WORKER [--db URL] [--durability exit|async|sync]

Uses the built-in offline models with ``t2i="none", chat="none"`` (the fast offline settings).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("data_dir")
    ap.add_argument("thread")
    ap.add_argument("turns", type=int)
    ap.add_argument("worker", type=int)
    ap.add_argument("--db", default=None)
    ap.add_argument("--durability", default="async")
    ap.add_argument("--start", default=None, help="wait until this file exists before the first turn")
    args = ap.parse_args()

    from dialoggen.agent.context import Context
    from dialoggen.agent.errors import ThreadForkError
    from dialoggen.graphs import build_graph, open_checkpointer

    ctx = Context(t2i="none", chat="none", data_dir=args.data_dir, db=args.db)
    saver = open_checkpointer(args.data_dir, db=args.db)
    graph = build_graph(saver)
    config = {"configurable": {"thread_id": args.thread}}
    graph.get_state(config)  # warm up (imports) before the start signal
    if args.start:
        while not Path(args.start).exists():
            time.sleep(0.01)
    for i in range(args.turns):
        text = f"draw a red fox, writer {args.worker} message {i}"
        try:
            out = graph.invoke({"messages": [{"role": "user", "content": text}]}, config, context=ctx, durability=args.durability)
        except ThreadForkError as err:
            print(json.dumps({"w": args.worker, "i": i, "error": str(err), "kind": type(err).__name__}), flush=True)
            continue
        print(json.dumps({"w": args.worker, "i": i, "turn": out["last_turn"]["turn"], "text": text}), flush=True)
    saver.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
