"""Load on ``dialoggen web``: N concurrent browser-less sessions (``gradio_client``, the same
``send`` event the page uses) against a server this script starts on 127.0.0.1 with fake
roles (``tests/fakes.py``) and no image model, so the figure is the web app's own cost:
Gradio's queue, the Session, the graph and the SQLite checkpointer.

    python benchmarks/bench_web.py --sessions 8 --turns 6 --concurrency 4

Prints turns per second and latency percentiles (p50, p95) per turn. Bounded: at most 64
sessions, 50 turns each, and ``--timeout`` seconds in all; local only.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MESSAGES = ["draw a red fox in the snow", "make it background a snowy hill", "what do foxes eat?",
            "draw a lighthouse at dusk", "make it background a stormy sea", "why is the sea salty?"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data_dir: str, concurrency: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "tests"), "GRADIO_ANALYTICS_ENABLED": "False",
           "DIALOGGEN_CONFIG": os.path.join(data_dir, "no-config.toml")}
    cmd = [sys.executable, "-m", "dialoggen.agent.app.cli", "web", "--host", "127.0.0.1", "--port", str(port),
           "--concurrency", str(concurrency), "--intent", "py:fakes:FakeIntent", "--rewrite", "py:fakes:FakeRewriter",
           "--chat", "py:fakes:FakeChat", "--t2i", "none", "--data-dir", data_dir]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import httpx

    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 120
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit("dialoggen web exited at start-up")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.5)
    proc.terminate()
    raise SystemExit("dialoggen web did not start within 120 s")


def session(url: str, turns: int, latencies: list, errors: list, stop_at: float) -> None:
    from gradio_client import Client

    client = Client(url, verbose=False)
    for i in range(turns):
        if time.time() > stop_at:
            return
        t0 = time.perf_counter()
        try:
            out = client.predict({"text": MESSAGES[i % len(MESSAGES)], "files": []}, "", "off", api_name="/send")
        except Exception as exc:  # noqa: BLE001 - counted, not fatal
            errors.append(f"{type(exc).__name__}: {exc}")
            continue
        dt = time.perf_counter() - t0
        chat = out[0]
        if len(chat) != 2 * (i + 1):
            errors.append(f"turn {i + 1}: the page shows {len(chat)} messages")
            continue
        latencies.append(dt)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=8, help="concurrent sessions (at most 64)")
    ap.add_argument("--turns", type=int, default=6, help="turns per session (at most 50)")
    ap.add_argument("--concurrency", type=int, default=4, help="the server's --concurrency (turns run at once)")
    ap.add_argument("--timeout", type=float, default=300, help="stop after this many seconds in all")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()
    n, turns = max(1, min(args.sessions, 64)), max(1, min(args.turns, 50))
    with tempfile.TemporaryDirectory() as tmp:
        proc, url = start_server(tmp, args.concurrency)
        try:
            # One warm-up turn (loads the roles and the graph once) outside the measurement.
            session(url, 1, [], [], time.time() + 60)
            latencies: list[float] = []
            errors: list[str] = []
            stop_at = time.time() + args.timeout
            workers = [threading.Thread(target=session, args=(url, turns, latencies, errors, stop_at)) for _ in range(n)]
            t0 = time.perf_counter()
            for w in workers:
                w.start()
            for w in workers:
                w.join(max(1.0, stop_at - time.time() + 30))
            wall = time.perf_counter() - t0
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    lat = sorted(latencies)
    p = (lambda q: lat[min(len(lat) - 1, int(round(q * (len(lat) - 1))))] if lat else float("nan"))
    result = {
        "sessions": n, "turns_per_session": turns, "server_concurrency": args.concurrency,
        "turns_done": len(lat), "errors": len(errors), "wall_s": round(wall, 2),
        "turns_per_s": round(len(lat) / wall, 2) if wall else None,
        "p50_ms": round(p(0.50) * 1000, 1), "p95_ms": round(p(0.95) * 1000, 1),
        "mean_ms": round(statistics.fmean(lat) * 1000, 1) if lat else None,
        "cpus": os.cpu_count(), "load_avg_1m": round(os.getloadavg()[0], 1),
    }
    if args.json:
        print(json.dumps(result))
    else:
        for k, v in result.items():
            print(f"{k:>20}: {v}")
        for e in errors[:5]:
            print("error:", e)
    if errors:
        sys.exit(1)


if __name__ == "__main__":
    main()
