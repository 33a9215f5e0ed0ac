"""Small numpy work on one BLAS thread.

The router and the rewriter's classifier multiply one feature row by a small matrix per
turn. With OpenBLAS's default threads on a busy machine the threads spin for each other and
that costs many times more than on one thread (figures: docs/RESULTS.md). :func:`one_blas_thread` limits BLAS
to one thread for the duration of a ``with`` block only, so the host program's own numpy
(or torch) keeps its threads.
"""

from __future__ import annotations

import contextlib
from functools import lru_cache
from typing import Any, Iterator


@lru_cache(maxsize=1)
def _controller() -> Any:
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # pragma: no cover - threadpoolctl is a dependency
        return None
    return ThreadpoolController()


@contextlib.contextmanager
def one_blas_thread() -> Iterator[None]:
    controller = _controller()
    if controller is None:
        yield
        return
    with controller.limit(limits=1, user_api="blas"):
        yield
