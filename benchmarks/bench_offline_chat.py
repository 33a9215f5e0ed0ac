"""Speed of the offline chat (SmolLM2-135M on the CPU) per torch thread count: tokens per
second and time to first token through the streaming path the graph uses, with the
machine's load average beside each figure (a busy machine changes the best count).

    python benchmarks/bench_offline_chat.py --threads 1 2 --tokens 40

The converted model is read from the shared cache (``$DIALOGGEN_CACHE_DIR``, see
``agent/offline/chat.py``); the first run converts the packaged GGUF there."""

from __future__ import annotations

import argparse
import os
import time

from dialoggen.agent.offline.chat import OfflineChat
from dialoggen.agent.schemas import Conversation

QUESTIONS = ["Why are bullet trains so fast?", "What colour is the sky on a clear day?"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--threads", type=int, nargs="+", default=[1, os.cpu_count() or 1])
    ap.add_argument("--tokens", type=int, default=40, help="max new tokens per reply")
    args = ap.parse_args()
    t = time.perf_counter()
    chat = OfflineChat(max_new_tokens=args.tokens)
    chat.load()
    print(f"load {time.perf_counter() - t:.1f} s (load average {os.getloadavg()[0]:.1f}, {os.cpu_count()} cores)", flush=True)
    for n in args.threads:
        chat.threads = n
        for q in QUESTIONS:
            load = os.getloadavg()[0]
            reply = chat.reply(Conversation(user=q, lang="en"))
            s = chat.last_stats
            print(
                f"threads={n} tokens={s['tokens']} total={s['seconds']:.2f}s tok/s={s['tokens'] / s['seconds']:.1f} "
                f"first_token={s['first_token_s']:.2f}s load_avg={load:.1f} reply={reply[:60]!r}",
                flush=True,
            )


if __name__ == "__main__":
    main()
