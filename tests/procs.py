"""Helpers for tests that start a local server process."""

from __future__ import annotations

import subprocess
from typing import IO


def stop(proc: subprocess.Popen, log: IO) -> None:
    """Terminate ``proc`` (kill it after 15 s) and close its log file."""
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()
