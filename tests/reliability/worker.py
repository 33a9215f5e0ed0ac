"""One writer process for the reliability tests: sends turns to one thread and prints
one JSON line per confirmed turn (``{"w", "i", "turn", "text"}``) or refusal
(``{"w", "i", "error"}``).

    python tests/reliability/worker.py DATA_DIR THREAD TURNS WORKER [--db URL] [--fake]

``--fake`` uses the instant fake roles of ``tests/fakes.py``; without it the built-in
offline models with ``t2i="none", chat="none"`` (the fast offline settings).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("data_dir")
    ap.add_argument("thread")
    ap.add_argument("turns", type=int)
    ap.add_argument("worker", type=int)
    ap.add_argument("--db", default=None)
    ap.add_argument("--fake", action="store_true")
    ap.add_argument("--start", default=None, help="wait until this file exists before the first turn")
    args = ap.parse_args()

    from dialoggen.agent.app.session import Session
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
        session = Session(ctx, args.thread)
        session.turns()
    except DialogGenError as err:
        print(json.dumps({"w": args.worker, "i": -1, "error": str(err)}), flush=True)
        return 3
    if args.start:
        import time

        while not Path(args.start).exists():
            time.sleep(0.01)
    for i in range(args.turns):
        text = f"draw a red fox, writer {args.worker} message {i}"
        try:
            record = session.send(text)
        except DialogGenError as err:
            print(json.dumps({"w": args.worker, "i": i, "error": str(err)}), flush=True)
            continue
        print(json.dumps({"w": args.worker, "i": i, "turn": record["turn"], "text": text}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
