"""The LLM roles against ``transformers serve`` (SmolLM2-135M, CPU): per configuration and
role, requests per turn, time per turn, the structured mode that ran, and the share of calls
that needed the fallback. Prints one JSON object; figures go to docs/RESULTS.md.

    python benchmarks/bench_local_server.py --conversations 2 --out runs/local_server.json

Conversations: the first English ones of ../shared/benchmark/external-dev.jsonl (the
external dev set), whole, through the graph (prompt-only t2i). The server is started here
on a free port with one torch thread, like tests/test_local_server.py.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "benchmark" / "external-dev.jsonl"
LIMITS = dict(max_tokens_intent=24, max_tokens_rewrite=48, max_tokens_chat=32, max_tokens_critic=32, llm_timeout=120.0, llm_retries=1)


def start_server(folder: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1"}
    cmd = [sys.executable, "-c", "import sys; from transformers.cli.transformers import main; sys.argv[0] = 'transformers'; sys.exit(main())",
           "serve", str(folder), "--host", "127.0.0.1", "--port", str(port), "--device", "cpu"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    base = f"http://127.0.0.1:{port}/v1"
    end = time.monotonic() + 240
    while time.monotonic() < end:
        try:
            urllib.request.urlopen(base + "/models", timeout=5).read()
            return proc, base
        except OSError:
            time.sleep(1)
    proc.kill()
    raise SystemExit("transformers serve did not start")


def run_config(name: str, ctx, convs, stats) -> dict:
    from langchain_core.messages import HumanMessage
    from langgraph.checkpoint.memory import InMemorySaver

    from dialoggen.agent import roles
    from dialoggen.agent.errors import DialogGenError
    from dialoggen.agent.llm.roles import forget_modes
    from dialoggen.graphs import build_graph

    roles.clear_cache()
    forget_modes()
    stats.reset()
    graph = build_graph(InMemorySaver())
    times, failed, turns = [], 0, 0
    for i, conv in enumerate(convs):
        config = {"configurable": {"thread_id": f"{name}-{i}"}}
        for turn in conv["turns"]:
            caption = (turn.get("image") or {}).get("caption")
            attachment = {"path": "", "sha256": "", "caption": caption} if caption else None
            start = time.monotonic()
            try:
                graph.invoke({"messages": [HumanMessage(turn["user"])], "attachment": attachment}, config, context=ctx)
            except DialogGenError as exc:
                failed += 1
                print(f"{name}: turn failed: {exc}", file=sys.stderr)
            times.append(time.monotonic() - start)
            turns += 1
    snap = stats.snapshot()
    per_role: dict[str, dict] = {}
    for key, n in snap["requests"].items():
        role, mode = key.split("/", 1)
        r = per_role.setdefault(role, {"requests_per_turn": 0.0, "seconds_per_turn": 0.0, "modes": {}})
        r["requests_per_turn"] += n / turns
        r["seconds_per_turn"] += snap["seconds"][key] / turns
        r["modes"][mode] = {"requests": n, "unparsed": snap["unparsed"].get(key, 0), "seconds_per_request": round(snap["seconds"][key] / n, 2)}
    for role, r in per_role.items():
        calls = snap["calls"].get(role, 0)
        r["calls"] = calls
        r["fallback_share"] = round(snap["fallbacks"].get(role, 0) / calls, 3) if calls else None
        r["requests_per_turn"] = round(r["requests_per_turn"], 2)
        r["seconds_per_turn"] = round(r["seconds_per_turn"], 2)
    times.sort()
    return {"turns": turns, "failed_turns": failed, "seconds_per_turn_median": round(times[len(times) // 2], 2),
            "seconds_per_turn_max": round(times[-1], 2), "roles": per_role}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--conversations", type=int, default=2)
    ap.add_argument("--configs", default="single_pass,single_pass_critic,intent_only")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()

    from dialoggen.agent.context import Context
    from dialoggen.agent.llm.roles import STATS
    from dialoggen.agent.offline.chat import _converted_dir, gguf_path, load_smollm2

    cache = Path(os.environ.get("DIALOGGEN_TEST_MODELS") or Path(tempfile.gettempdir()) / "dialoggen-test-models")
    folder = _converted_dir(cache, gguf_path())
    if not (folder / "config.json").is_file():
        load_smollm2(cache_dir=cache)
    convs = [c for c in map(json.loads, DEV.read_text(encoding="utf-8").splitlines()) if c.get("lang") == "en"][: args.conversations]
    proc, base = start_server(folder)
    spec = f"openai:{folder}"
    try:
        with tempfile.TemporaryDirectory() as data:
            base_ctx = Context(t2i="none", openai_base_url=base, data_dir=data, critic=None, **LIMITS)
            configs = {
                "single_pass": dataclasses.replace(base_ctx, intent=spec, rewrite=spec, chat=spec),
                "single_pass_critic": dataclasses.replace(base_ctx, intent=spec, rewrite=spec, chat=spec, critic=spec),
                "intent_only": dataclasses.replace(base_ctx, intent=spec, rewrite="offline", chat="none"),
            }
            report = {"server": "transformers serve (SmolLM2-135M-Instruct float16 copy, CPU, 1 torch thread)", "limits": LIMITS,
                      "conversations": [c["id"] for c in convs], "configs": {}}
            for name in args.configs.split(","):
                report["configs"][name] = run_config(name, configs[name], convs, STATS)
                print(json.dumps({name: report["configs"][name]}), file=sys.stderr, flush=True)
    finally:
        proc.terminate()
        proc.wait(30)
    text = json.dumps(report, indent=1)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text)


if __name__ == "__main__":
    main()
