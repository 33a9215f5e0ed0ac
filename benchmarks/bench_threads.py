"""``dialoggen threads`` at scale: a data dir with N threads (default 10,000), written
straight into the thread index (``index.db``: one ``threads`` row per thread, two turns each,
and one generated-picture row per thread for the search), then the whole command timed as a
user runs it, each the median of 5 runs (process start included).

    .venv/bin/python benchmarks/bench_threads.py [--threads 10000] [--runs 5]

Target: under 0.6 s for the first page at 10,000 threads.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

CMD = [sys.executable, "-c", "from dialoggen.agent.app.cli import main; main()"]
SUBJECTS = ["a red fox", "a lighthouse at dusk", "a ginger cat", "a fast train", "a paper boat", "a snowy cabin", "a koi pond"]


def build(data_dir: Path, n: int) -> float:
    """Write ``n`` threads into a fresh index the way ImageStore lays it out; returns seconds."""
    from dialoggen.tools.image_store import ImageStore

    t = time.perf_counter()
    ImageStore(data_dir)  # creates index.db with its tables
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    threads, images = [], []
    for i in range(n):
        when = (start + timedelta(seconds=37 * i)).isoformat(timespec="microseconds")
        subject = SUBJECTS[i % len(SUBJECTS)]
        tid = f"t{i:05d}"
        threads.append((tid, f"draw {subject} number {i}", 2, when, when))
        sha = f"{i:064x}"
        path = str(data_dir / "images" / sha[:2] / f"{sha}.png")
        images.append((f"{sha}:generated:{tid}:1", sha, path, tid, 1, "generated", f"{subject}, variant {i}", 42, "none", f"{subject}, variant {i}", when))
    with sqlite3.connect(data_dir / "index.db") as db:
        db.executemany("insert into threads (thread_id, title, turns, created, updated) values (?, ?, ?, ?, ?)", threads)
        db.executemany(
            "insert into images (key, sha256, path, thread_id, turn, kind, prompt, seed, model, caption, created) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            images,
        )
    return time.perf_counter() - t


def timed(args: list[str], env: dict) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (user + system: what a shared, busy machine inflates
    least) and the output of one run."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    res = subprocess.run([*CMD, *args], capture_output=True, text=True, env=env, check=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, res.stdout


def main() -> None:
    import os

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    data_dir = Path(tempfile.mkdtemp())
    try:
        built = build(data_dir, a.threads)
        env = {**os.environ, "DIALOGGEN_DATA_DIR": str(data_dir), "DIALOGGEN_CONFIG": str(data_dir / "none.toml")}
        print(f"built {a.threads} threads in the index in {built:.2f} s; each figure: median of {a.runs} runs, process start included")
        from dialoggen.tools.thread_index import count_threads, find_threads

        for label, call in (
            ("first page + count, in process", lambda: (find_threads(data_dir, limit=20), count_threads(data_dir))),
            ("search 'koi pond' page + count, in process", lambda: (find_threads(data_dir, search="koi pond", limit=20), count_threads(data_dir, "koi pond"))),
        ):
            times = []
            for _ in range(a.runs):
                t = time.perf_counter()
                call()
                times.append(time.perf_counter() - t)
            print(f"{label:40s} median {statistics.median(times) * 1000:.1f} ms")
        cases = [
            ("dialoggen --version", ["--version"]),
            ("dialoggen threads (first page)", ["threads"]),
            ("dialoggen threads --page 400", ["threads", "--page", "400"]),
            ("dialoggen threads --search 'koi pond'", ["threads", "--search", "koi pond"]),
            ("dialoggen threads --json", ["threads", "--json"]),
            ("dialoggen threads --all --json", ["threads", "--all", "--json"]),
        ]
        for label, args in cases:
            walls, cpus, out = [], [], ""
            for _ in range(a.runs):
                wall, cpu, out = timed(args, env)
                walls.append(wall)
                cpus.append(cpu)
            lines = len(out.splitlines())
            print(f"{label:40s} wall median {statistics.median(walls):.3f} s (min {min(walls):.3f}), CPU median {statistics.median(cpus):.3f} s, {lines} lines")
        print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
