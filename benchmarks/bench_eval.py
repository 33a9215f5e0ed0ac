"""Speed of ``dialoggen eval modality`` with the offline models: prints conversations/s.

    .venv/bin/python benchmarks/bench_eval.py                 # 10,000 generated conversations
    .venv/bin/python benchmarks/bench_eval.py --n 2000 --data shared/benchmark/external-dev.jsonl

Without ``--data`` the set comes from the offline benchmark generator (test split, en+zh);
with ``--data`` the file's conversations are repeated (ids made unique) up to ``--n``.
The time counted is the whole evaluation: loading the roles, batched embedding prefetch,
the graph runs, writing predictions and the reports (the PNG chart included).
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path


def build_set(path: Path, n: int, data: Path | None, seed: int) -> Path:
    if data is None:
        from dialoggen.evals.generate import generate_conversations

        convs = generate_conversations(n, seed=seed, split="test")
    else:
        base = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines() if line.strip()]
        convs = []
        for k in range(n):
            conv = dict(base[k % len(base)])
            conv["id"] = f"{conv['id']}#{k}"
            convs.append(conv)
    from dialoggen.evals.dataset import write_jsonl

    write_jsonl(path, convs)
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000, help="conversations (default 10000)")
    ap.add_argument("--data", type=Path, default=None, help="benchmark JSONL to repeat instead of generating")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--intent", default="offline")
    ap.add_argument("--rewrite", default="offline")
    ap.add_argument("--critic", default=None)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--keep", type=Path, default=None, help="keep the output folder here")
    args = ap.parse_args()

    from dialoggen.agent.context import Context
    from dialoggen.evals.modality import evaluate

    tmp = Path(tempfile.mkdtemp(prefix="bench-eval-"))
    try:
        data = build_set(tmp / "set.jsonl", args.n, args.data, args.seed)
        out = args.keep or tmp / "out"
        if out.exists():
            shutil.rmtree(out)
        ctx = Context(intent=args.intent, rewrite=args.rewrite, chat="none", critic=args.critic, t2i="none", data_dir=str(tmp / "data"))
        t0, c0 = time.perf_counter(), time.process_time()
        res = evaluate(data, out, ctx, workers=args.workers, progress=False)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        n_turns = res.summary["n_turns"]
        print(f"conversations: {res.n_run} ({n_turns} turns), failed {res.n_failed}")
        print(f"wall time: {wall:.1f} s (graph loop {res.seconds:.1f} s); CPU time {cpu:.1f} s (less load-sensitive on a shared machine)")
        print(f"speed: {res.n_run / wall:.1f} conversations/s, {n_turns / wall:.1f} turns/s")
        print(f"Avg {res.summary['avg']}  turn mean {res.summary['turn_mean']}  consistency {json.dumps(res.summary['consistency'])}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
