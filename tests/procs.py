"""Helpers for tests that start a local server process."""

from __future__ import annotations

import socket
import subprocess
from typing import IO


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(proc: subprocess.Popen, log: IO) -> None:
    """Terminate ``proc`` (kill it after 15 s) and close its log file."""
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()
