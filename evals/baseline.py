"""Bag-of-words text-or-image baseline: ``dialoggen bench baseline``.

A logistic regression on the user's words alone: word unigrams and bigrams for Latin
script, character unigrams and bigrams for Chinese (each CJK character is a token, so
token bigrams are character bigrams), punctuation as tokens, and one token for "an image is
attached". It sees neither history nor meaning, so it measures how far surface cues go:
a generated set on which it scores near 100% has a shortcut a real router would learn
instead of the task.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterable, Sequence

import typer

from .cli import bench_app
from .dataset import Conversation, SCENARIOS, load_conversations

ATTACHED = "__attached__"
_TOKEN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[a-z0-9]+(?:'[a-z]+)?|[?？!！.。,，:：]")


def tokens(text: str, has_image: bool) -> list[str]:
    """Unigrams and bigrams of the message's tokens (a CJK character is a token), plus
    the attached-image flag."""
    toks = _TOKEN.findall((text or "").lower())
    feats = toks + [f"{a} {b}" for a, b in zip(toks, toks[1:])]
    if has_image:
        feats.append(ATTACHED)
    return feats


def turn_rows(conversations: Iterable[Conversation]) -> list[dict[str, Any]]:
    """One row per user turn: text, attached flag, label, scenario, round."""
    rows = []
    for conv in conversations:
        for k, t in enumerate(conv.turns, 1):
            rows.append({"text": t.user, "image": t.image is not None, "label": t.expected, "scenario": t.scenario, "round": k})
    return rows


class BowBaseline:
    """The classifier; :meth:`fit` on benchmark conversations, :meth:`predict` on turns."""

    def __init__(self, c: float = 1.0) -> None:
        self.c = c
        self.pipeline: Any = None

    def fit(self, conversations: Iterable[Conversation]) -> "BowBaseline":
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline

        rows = turn_rows(conversations)
        vec = TfidfVectorizer(analyzer=lambda r: tokens(r[0], r[1]), sublinear_tf=True, min_df=1)
        clf = LogisticRegression(C=self.c, max_iter=2000)
        self.pipeline = make_pipeline(vec, clf)
        self.pipeline.fit([(r["text"], r["image"]) for r in rows], [r["label"] for r in rows])
        return self

    def predict(self, rows: Sequence[dict[str, Any]]) -> list[str]:
        return list(self.pipeline.predict([(r["text"], r["image"]) for r in rows]))

    def top_features(self, k: int = 15) -> dict[str, list[tuple[str, float]]]:
        """The ``k`` features that push hardest towards each label."""
        vec, clf = self.pipeline[0], self.pipeline[-1]
        names = vec.get_feature_names_out()
        w = clf.coef_[0]  # positive: classes_[1]
        order = w.argsort()
        return {clf.classes_[0]: [(names[i], float(w[i])) for i in order[:k]],
                clf.classes_[1]: [(names[i], float(w[i])) for i in order[::-1][:k]]}


def evaluate(model: BowBaseline, conversations: Iterable[Conversation]) -> dict[str, Any]:
    """Accuracy per scenario, per round × scenario, overall (mean over turns) and ``avg``
    (the unweighted mean of the round × scenario cells, the paper's Avg)."""
    rows = turn_rows(conversations)
    preds = model.predict(rows)
    cells: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r, p in zip(rows, preds):
        ok = int(p == r["label"])
        for key, table in (((r["round"], r["scenario"]), cells), (r["scenario"], per)):
            table[key][0] += ok
            table[key][1] += 1
    cell_acc = {f"{k[0]}:{k[1]}": v[0] / v[1] for k, v in sorted(cells.items())}
    return {
        "overall": sum(int(p == r["label"]) for r, p in zip(rows, preds)) / max(len(rows), 1),
        "avg": sum(cell_acc.values()) / max(len(cell_acc), 1),
        "per_scenario": {s: per[s][0] / per[s][1] for s in SCENARIOS if per[s][1]},
        "counts": {s: per[s][1] for s in SCENARIOS if per[s][1]},
        "cells": cell_acc,
        "turns": len(rows),
    }


def format_report(name: str, result: dict[str, Any]) -> str:
    """Overall, per-scenario and per round × scenario accuracy as plain text."""
    parts = [f"{s:7s} {100 * a:5.1f}% (n={result['counts'][s]})" for s, a in result["per_scenario"].items()]
    rounds = sorted({int(k.split(":")[0]) for k in result["cells"]})
    for r in rounds:
        cells = [f"{s} {100 * result['cells'][f'{r}:{s}']:5.1f}%" for s in SCENARIOS if f"{r}:{s}" in result["cells"]]
        parts.append(f"round {r}: " + "  ".join(cells))
    return (f"{name}: overall {100 * result['overall']:.1f}% over {result['turns']} turns, Avg {100 * result['avg']:.1f}%\n  "
            + "\n  ".join(parts))


@bench_app.command("baseline")
def baseline_command(
    train: Path = typer.Option(..., "--train", help="Benchmark .jsonl to train the bag-of-words classifier on."),
    eval_files: list[Path] = typer.Option(..., "--eval", help="Benchmark .jsonl to evaluate on (repeatable)."),
    c: float = typer.Option(1.0, "--c", help="Inverse regularisation strength of the logistic regression."),
    show_features: bool = typer.Option(False, "--features", help="Also print the strongest features per label."),
) -> None:
    """Train the bag-of-words text-or-image baseline and print per-scenario accuracy."""
    sets = {path: load_conversations(path) for path in [train, *eval_files]}
    model = BowBaseline(c=c).fit(sets[train])
    typer.echo(format_report(f"train {train}", evaluate(model, sets[train])))
    for path in eval_files:
        typer.echo(format_report(f"eval {path}", evaluate(model, sets[path])))
    if show_features:
        for label, feats in model.top_features().items():
            typer.echo(f"{label}: " + ", ".join(f"{n!r} {w:+.2f}" for n, w in feats))
