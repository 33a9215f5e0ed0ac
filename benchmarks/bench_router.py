"""Speed of the offline intent router: load time, cold single-turn latency, steady per-turn
latency on new messages, and batched throughput with ``prefetch``.

    .venv/bin/python benchmarks/bench_router.py [--turns 300] [--file BENCHMARK.jsonl]

Without ``--file`` it times messages from the project's generated test split. The budget
is 5 ms per turn on one CPU thread (the embedding is most of it; the head is ~0.05 ms).
"""

from __future__ import annotations

import argparse
import statistics
import time


def _messages(path: str | None, n: int) -> list[tuple[str, bool]]:
    if path:
        from dialoggen.evals.dataset import read_jsonl

        convs = read_jsonl(path)
    else:
        from dialoggen.evals.dataset import Conversation
        from dialoggen.evals.generate import generate_conversations

        convs = [Conversation.model_validate(c) for c in generate_conversations(max(1, n // 3 + 1), seed=123, split="test")]
    seen: dict[str, bool] = {}
    for c in convs:
        for t in c.turns:
            seen.setdefault(t.user, t.image is not None)
    return list(seen.items())[:n]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--turns", type=int, default=300, help="distinct messages to time")
    ap.add_argument("--file", default=None, help="benchmark .jsonl to take messages from")
    args = ap.parse_args()

    from dialoggen.agent.schemas import Conversation
    from dialoggen.agent.offline.router import OfflineRouter, TurnContext

    msgs = _messages(args.file, args.turns)
    img = {"path": "", "sha256": "", "caption": None}

    t0 = time.perf_counter()
    router = OfflineRouter.load()
    load_s = time.perf_counter() - t0

    def conv(text: str, att: bool) -> Conversation:
        return Conversation(user=text, lang="en", attachment=img if att else None)

    t0 = time.perf_counter()
    router.decide(conv("Could you draw me a lighthouse at dusk?", False))
    cold_ms = (time.perf_counter() - t0) * 1e3

    lat, cpu = [], []
    for text, att in msgs:  # every message is new to the cache: embedding + head
        t0, c0 = time.perf_counter(), time.process_time()
        router.decide(conv(text, att))
        lat.append((time.perf_counter() - t0) * 1e3)
        cpu.append((time.process_time() - c0) * 1e3)
    lat.sort()

    fresh = OfflineRouter(router.head, embedder=router.embedder)
    t0 = time.perf_counter()
    fresh.prefetch([m for m, _ in msgs])
    for text, att in msgs:
        fresh.decide(conv(text, att))
    batch_s = time.perf_counter() - t0

    x = router.features(TurnContext(user=msgs[0][0]))
    t0 = time.perf_counter()
    for _ in range(1000):
        router.head.proba(x)
    head_ms = (time.perf_counter() - t0)

    chars = statistics.mean(len(m) for m, _ in msgs)
    print(f"messages: {len(msgs)} distinct (mean {chars:.0f} chars); head hidden units: {router.head.w1.shape[1]}")
    print(f"load (head + sentence encoder): {load_s:.2f} s")
    print(f"cold first turn after load:     {cold_ms:.2f} ms")
    print(f"per turn, new message:          median {statistics.median(lat):.2f} ms, p95 {lat[int(0.95 * (len(lat) - 1))]:.2f} ms, max {lat[-1]:.2f} ms")
    print(f"per turn, CPU time (less load-sensitive): median {statistics.median(cpu):.2f} ms, mean {statistics.mean(cpu):.2f} ms")
    print(f"head only:                      {head_ms:.3f} ms")
    print(f"batched (prefetch + decide):    {len(msgs) / batch_s:.0f} turns/s ({batch_s / len(msgs) * 1e3:.2f} ms/turn)")


if __name__ == "__main__":
    main()
