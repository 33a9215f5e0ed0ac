"""The attacks of the reliability suite, as functions returning figures (the tests assert
on them; ``python tests/reliability/harness.py`` prints them).

- ``same_thread_writers``: N processes x M turns on one thread; every confirmed turn must
  be in the thread, turn numbers 1..N without gaps or repeats.
- ``different_thread_writers``: N processes, each on its own thread, all on one store.
- ``sigkill_during_turns``: a writer killed at random moments; the thread must stay
  readable, every turn confirmed before the kill present, and a new writer continue at
  the right turn number.
- ``concurrent_setup``: N processes opening one fresh data directory at once.
- ``bad_data_dirs``: a file, /dev/null, a read-only folder, a full disk; each must give
  one sentence (a DialogGenError), never a traceback.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Optional

HERE = Path(__file__).resolve().parent
WORKER = HERE / "worker.py"


def _worker_cmd(data_dir: Path, thread: str, turns: int, worker: int, db: Optional[str], fake: bool, start: Optional[Path]) -> list[str]:
    cmd = [sys.executable, str(WORKER), str(data_dir), thread, str(turns), str(worker)]
    if db:
        cmd += ["--db", db]
    if fake:
        cmd.append("--fake")
    if start is not None:
        cmd += ["--start", str(start)]
    return cmd


def thread_turns(data_dir: Path, thread: str, db: Optional[str]) -> list[dict]:
    """The thread's turns as a cold reader sees them."""
    from dialoggen.agent.app.session import Session
    from dialoggen.agent.context import Context

    s = Session(Context(t2i="none", chat="none", data_dir=str(data_dir), db=db), thread)
    try:
        return s.turns()
    finally:
        s.checkpointer.close()


def indexed_turns(data_dir: Path, thread: str, db: Optional[str]) -> Optional[int]:
    from dialoggen.agent.app.session import list_threads

    rows = [r for r in list_threads(str(data_dir), db=db) if r["thread_id"] == thread]
    return int(rows[0]["turns"]) if rows else None


def _run_writers(
    data_dir: Path, threads: list[str], turns: int, db: Optional[str], fake: bool, timeout: float, durability: Optional[str] = None
) -> list[dict]:
    """Start one writer per thread name at once (``durability``: plain ``graph.invoke``
    writers with that durability instead of Sessions, see :mod:`worker`)."""
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    start = data_dir.parent / f"start-{random.getrandbits(32):08x}"

    def cmd(w: int, t: str) -> list[str]:
        return _worker_cmd(data_dir, t, turns, w, db, fake, start) + (["--durability", durability] if durability else [])

    procs = [subprocess.Popen(cmd(w, t), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for w, t in enumerate(threads)]
    time.sleep(0.5)
    start.touch()
    lines: list[dict] = []
    for p in procs:
        out, err = p.communicate(timeout=timeout)
        if p.returncode not in (0,):
            raise AssertionError(f"writer exited {p.returncode}: {err[-2000:]}")
        if "Traceback" in err:
            raise AssertionError(f"writer printed a traceback: {err[-2000:]}")
        lines += [json.loads(x) for x in out.splitlines() if x.strip()]
    return lines


def _check_thread(data_dir: Path, thread: str, db: Optional[str], lines: list[dict]) -> tuple[list, list, list, list]:
    """The writers' confirmed and refused lines, the stored turn numbers, and what is wrong
    with the thread: numbers not 1..N (so no repeats), a confirmed turn missing or
    renumbered, a stored turn nobody was told about."""
    confirmed = [x for x in lines if "turn" in x]
    refused = [x for x in lines if "error" in x]
    stored = thread_turns(data_dir, thread, db)
    numbers = [t["turn"] for t in stored]
    by_text = {t["user"]: t["turn"] for t in stored}
    problems = []
    if numbers != list(range(1, len(numbers) + 1)):
        problems.append(f"turn numbers are not 1..N: {numbers}")
    lost = [x for x in confirmed if by_text.get(x["text"]) != x["turn"]]
    if lost:
        problems.append(f"{len(lost)} confirmed turns missing or renumbered, e.g. {lost[:3]}")
    dupes = len(numbers) - len(set(numbers))
    if dupes:
        problems.append(f"{dupes} turn numbers handed out twice")
    unconfirmed = set(by_text) - {x["text"] for x in confirmed}
    if unconfirmed:
        problems.append(f"{len(unconfirmed)} stored turns were never confirmed: {sorted(unconfirmed)[:3]}")
    return confirmed, refused, numbers, problems


def same_thread_writers(
    data_dir: Path, *, procs: int = 8, turns: int = 20, db: Optional[str] = None, fake: bool = False, timeout: float = 900
) -> dict:
    """Writers on one thread: figures and the problems found (empty = none)."""
    lines = _run_writers(data_dir, ["shared"] * procs, turns, db, fake, timeout)
    confirmed, refused, numbers, problems = _check_thread(data_dir, "shared", db, lines)
    if any("Traceback" in x.get("error", "") or "\n" in x.get("error", "") for x in refused):
        problems.append("a refusal is not one sentence")
    index = indexed_turns(data_dir, "shared", db)
    if index != len(numbers):
        problems.append(f"the thread index says {index} turns, the thread has {len(numbers)}")
    return {
        "writers": procs, "turns_each": turns, "confirmed": len(confirmed), "refused": len(refused),
        "stored": len(numbers), "index_turns": index, "problems": problems,
        "refusals": sorted({x["error"] for x in refused})[:3],
    }


def plain_invoke_writers(
    data_dir: Path, *, procs: int = 3, turns: int = 6, db: Optional[str] = None, durability: str = "async", timeout: float = 600
) -> dict:
    """Plain ``graph.invoke`` writers (no Session, no turn lock) on one thread: the
    checkpointer's own compare-and-swap must keep the thread linear, every confirmed turn
    in it under its number, every other run refused with ``ThreadForkError``."""
    lines = _run_writers(data_dir, ["plain"] * procs, turns, db, False, timeout, durability=durability)
    confirmed, refused, numbers, problems = _check_thread(data_dir, "plain", db, lines)
    if len(confirmed) + len(refused) != procs * turns:
        problems.append(f"{procs * turns - len(confirmed) - len(refused)} runs neither confirmed nor refused")
    if any(x.get("kind") != "ThreadForkError" or "\n" in x["error"] for x in refused):
        problems.append("a refusal is not a one-sentence ThreadForkError")
    forks = checkpoint_forks(data_dir, "plain", db)
    if forks:
        problems.append(f"the thread forked: {forks[:3]}")
    return {
        "writers": procs, "turns_each": turns, "durability": durability, "confirmed": len(confirmed),
        "refused": len(refused), "stored": len(numbers), "problems": problems,
    }


def checkpoint_forks(data_dir: Path, thread: str, db: Optional[str]) -> list[str]:
    """Where the thread's root-namespace checkpoints are not one chain: a parent with two
    children, more than one root, or a parent that is not stored."""
    from dialoggen.graphs import open_checkpointer

    saver = open_checkpointer(str(data_dir), db=db)
    try:
        rows = [
            (t.config["configurable"]["checkpoint_id"], (t.parent_config or {}).get("configurable", {}).get("checkpoint_id"))
            for t in saver.list({"configurable": {"thread_id": thread, "checkpoint_ns": ""}})
        ]
    finally:
        saver.close()
    ids = {cid for cid, _ in rows}
    children: dict = {}
    for cid, parent in rows:
        children.setdefault(parent, []).append(cid)
    problems = [f"{p} has children {c}" for p, c in children.items() if p is not None and len(c) > 1]
    if len(children.get(None, [])) > 1:
        problems.append(f"{len(children[None])} roots")
    problems += [f"{cid}'s parent {p} is missing" for cid, p in rows if p is not None and p not in ids]
    return problems


def different_thread_writers(
    data_dir: Path, *, procs: int = 8, turns: int = 20, db: Optional[str] = None, fake: bool = False, timeout: float = 900
) -> dict:
    threads = [f"own-{w}" for w in range(procs)]
    lines = _run_writers(data_dir, threads, turns, db, fake, timeout)
    confirmed = [x for x in lines if "turn" in x]
    problems = []
    for w, t in enumerate(threads):
        stored = [x["turn"] for x in thread_turns(data_dir, t, db)]
        mine = [x for x in confirmed if x["w"] == w]
        if stored != list(range(1, len(mine) + 1)):
            problems.append(f"thread {t}: stored turns {stored}, confirmed {len(mine)}")
        if indexed_turns(data_dir, t, db) != len(stored):
            problems.append(f"thread {t}: the index disagrees")
    return {"writers": procs, "turns_each": turns, "confirmed": len(confirmed), "problems": problems}


def sigkill_during_turns(
    data_dir: Path, *, kills: int = 20, db: Optional[str] = None, fake: bool = True, seed: int = 0
) -> dict:
    """Start a writer, SIGKILL it after a random delay, check the thread, repeat."""
    rng = random.Random(seed)
    confirmed: dict[str, int] = {}
    problems = []
    for k in range(kills):
        p = subprocess.Popen(_worker_cmd(data_dir, "killed", 1000, k, db, fake, None), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        # Let it load, then kill it somewhere in its turns.
        first = p.stdout.readline()
        if first.strip():
            x = json.loads(first)
            if "turn" in x:
                confirmed[x["text"]] = x["turn"]
        time.sleep(rng.uniform(0.0, 0.6))
        p.send_signal(signal.SIGKILL)
        out, _ = p.communicate()
        for line in out.splitlines():
            x = json.loads(line) if line.strip().startswith("{") else {}
            if "turn" in x:
                confirmed[x["text"]] = x["turn"]
        stored = thread_turns(data_dir, "killed", db)
        numbers = [t["turn"] for t in stored]
        if numbers != list(range(1, len(numbers) + 1)):
            problems.append(f"kill {k}: turn numbers {numbers[-5:]}")
        by_text = {t["user"]: t["turn"] for t in stored}
        lost = [t for t, n in confirmed.items() if by_text.get(t) != n]
        if lost:
            problems.append(f"kill {k}: {len(lost)} confirmed turns lost")
    stored = thread_turns(data_dir, "killed", db)
    # One more writer continues at the right number.
    lines = _run_writers(data_dir, ["killed"], 1, db, fake, 300)
    after = [x for x in lines if "turn" in x]
    if not after or after[0]["turn"] != len(stored) + 1:
        problems.append(f"the next turn after the kills is {after}, expected {len(stored) + 1}")
    index = indexed_turns(data_dir, "killed", db)
    return {"kills": kills, "confirmed": len(confirmed), "stored": len(stored), "index_turns_after": index,
            "index_stale_by": (len(stored) + 1 - index) if index is not None else None, "problems": problems}


_SETUP = """
import sys
from dialoggen.agent.errors import DialogGenError
from dialoggen.graphs import open_checkpointer
from dialoggen.tools.image_store import ImageStore
try:
    ImageStore(sys.argv[1]); s = open_checkpointer(sys.argv[1]); s.head_id("x"); s.close()
except DialogGenError as e:
    print("ERROR", e); sys.exit(3)
"""


def concurrent_setup(root: Path, *, procs: int = 48) -> dict:
    """``procs`` processes open one fresh data directory at the same moment."""
    data_dir = root / "fresh"
    ps = [subprocess.Popen([sys.executable, "-c", _SETUP, str(data_dir)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(procs)]
    failed = []
    for p in ps:
        out, err = p.communicate(timeout=600)
        if p.returncode != 0:
            failed.append((out + err).strip().splitlines()[-1:] or ["?"])
    return {"processes": procs, "failed": len(failed), "errors": failed[:3]}


_OPEN = """
import sys, json
from dialoggen.agent.context import Context
from dialoggen.agent.errors import DialogGenError
from dialoggen.agent.app.session import Session
try:
    s = Session(Context(t2i="none", chat="none", data_dir=sys.argv[1]), "t")
    s.send("hello there")
    print(json.dumps({"ok": True}))
except DialogGenError as e:
    print(json.dumps({"error": str(e)}))
"""


def open_data_dir(path: str) -> dict:
    """Open a session on ``path`` and send one turn in a fresh process: ``{"ok"}``,
    ``{"error": sentence}``, or ``{"traceback": stderr}``."""
    p = subprocess.run([sys.executable, "-c", _OPEN, path], capture_output=True, text=True, timeout=300)
    if "Traceback" in p.stderr or not p.stdout.strip():
        return {"traceback": p.stderr[-1500:]}
    return json.loads(p.stdout.strip().splitlines()[-1])


def bad_data_dirs(root: Path) -> dict:
    """Each bad data directory gives one sentence; returns {case: result}."""
    results = {}
    blocker = root / "a-file"
    blocker.write_text("x")
    results["a file"] = open_data_dir(str(blocker))
    results["a path under a file"] = open_data_dir(str(blocker / "sub"))
    results["/dev/null"] = open_data_dir("/dev/null")
    ro = root / "read-only"
    ro.mkdir()
    if os.geteuid() != 0:
        ro.chmod(0o555)
        results["read-only folder"] = open_data_dir(str(ro / "data"))
        ro.chmod(0o755)
    elif _mount(ro, "ro,size=1m"):
        try:
            results["read-only mount"] = open_data_dir(str(ro / "data"))
        finally:
            _umount(ro)
    full = root / "full"
    full.mkdir()
    if os.geteuid() == 0 and _mount(full, "size=256k"):
        try:
            (full / "filler").write_bytes(b"\0" * (200 * 1024))
            results["full disk"] = open_data_dir(str(full / "data"))
        finally:
            _umount(full)
    return results


def _mount(path: Path, opts: str) -> bool:
    return subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(path)], capture_output=True).returncode == 0


def _umount(path: Path) -> None:
    subprocess.run(["umount", str(path)], capture_output=True)


def one_sentence(text: str) -> bool:
    return bool(text) and "\n" not in text and "Traceback" not in text and text.rstrip().endswith((".", "!", "?"))


if __name__ == "__main__":  # print the figures
    import argparse

    ap = argparse.ArgumentParser(description="The reliability attacks, with figures.")
    ap.add_argument("--db", default=None, help="postgresql://... to run against PostgreSQL")
    ap.add_argument("--procs", type=int, default=8)
    ap.add_argument("--turns", type=int, default=20)
    ap.add_argument("--kills", type=int, default=20)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        print("same thread", same_thread_writers(root / "a" / "data", procs=args.procs, turns=args.turns, db=args.db))
        print("different threads", different_thread_writers(root / "b" / "data", procs=args.procs, turns=args.turns, db=args.db))
        print("sigkill", sigkill_during_turns(root / "c" / "data", kills=args.kills, db=args.db))
        print("setup", concurrent_setup(root / "d"))
        print("bad data dirs", bad_data_dirs(root))
