"""Start-up figures a user feels: ``dialoggen --help`` and the time until ``dialoggen chat``
shows its first prompt in a terminal (a pseudo-terminal here), each the median of 5 runs.

    .venv/bin/python benchmarks/bench_startup.py
"""

from __future__ import annotations

import os
import pty
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXE = str(Path(sys.executable).with_name("dialoggen"))


def help_seconds() -> float:
    t = time.perf_counter()
    subprocess.run([EXE, "--help"], capture_output=True, check=True)
    return time.perf_counter() - t


def first_prompt_seconds(data_dir: str) -> float:
    t = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: a chat on a terminal
        os.environ["DIALOGGEN_DATA_DIR"] = data_dir
        os.execv(EXE, [EXE, "chat"])
    seen = b""
    while b"you>" not in seen:
        ready, _, _ = select.select([fd], [], [], 30)
        if not ready:
            raise SystemExit("no prompt within 30 s")
        seen += os.read(fd, 4096)
    elapsed = time.perf_counter() - t
    os.write(fd, b"/quit\r")
    os.waitpid(pid, 0)
    return elapsed


def main() -> None:
    data_dir = tempfile.mkdtemp()
    try:
        helps = [help_seconds() for _ in range(5)]
        prompts = [first_prompt_seconds(data_dir) for _ in range(5)]
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    print(f"dialoggen --help:             median {statistics.median(helps):.2f} s (target < 1 s)")
    print(f"dialoggen chat, first prompt: median {statistics.median(prompts):.2f} s (target < 2 s)")


if __name__ == "__main__":
    main()
