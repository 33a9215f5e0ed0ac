"""Chinese word boundaries for the rewriter (jieba, loaded once, lazily).

An edit that deletes or replaces a named thing must cut whole words: "去掉人" on
"一个女人坐着" removes "女人", not the character "人" (which would leave "一个女坐着").
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Optional

_lock = threading.Lock()
_tok = None


def _tokenizer():
    global _tok
    with _lock:
        if _tok is None:
            import logging

            import jieba

            jieba.setLogLevel(logging.WARNING)
            tok = jieba.Tokenizer()
            tok.initialize()
            _tok = tok
    return _tok


@lru_cache(maxsize=4096)
def boundaries(text: str) -> frozenset[int]:
    """The offsets in ``text`` where a jieba word starts or ends."""
    out = {0, len(text)}
    pos = 0
    for word in _tokenizer().cut(text, HMM=True):
        pos += len(word)
        out.add(pos)
    return frozenset(out)


def whole_word_span(text: str, target: str) -> Optional[tuple[int, int]]:
    """The span of ``target`` in ``text`` widened to whole words: an occurrence that starts and
    ends on word boundaries first; else the first occurrence widened to the words around it."""
    if not target or target not in text:
        return None
    cuts = boundaries(text)
    start = text.find(target)
    first = (start, start + len(target))
    while start >= 0:
        if start in cuts and start + len(target) in cuts:
            return start, start + len(target)
        start = text.find(target, start + 1)
    a, b = first
    a = max(c for c in cuts if c <= a)
    b = min(c for c in cuts if c >= b)
    return a, b
