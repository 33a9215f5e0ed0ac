"""New picture or edit? How the offline rewriter reads a drawing request that follows a picture.

In the middle of a thread a request either changes the last picture ("add a book on the
table") or asks for a new one ("a kitchen with a large refrigerator", "生成图像：一只巨大的
水晶乌龟……"). Read as an edit, a new request is glued onto the last prompt; read as new, an
edit loses the picture the user was working on. This scorer measures both errors on real
text, with :func:`~dialoggen.agent.rewriter.new.starts_anew` (what the rule rewriter and the
t2i node's img2img choice use):

- *new requests* (should start anew): the drawing turns (T->I) of the router's held-out
  conversations, T2I-CompBench and UniGenBench prompts written by people
  (``evals/data/corpora/router_heldout_{dev,sealed}.jsonl``); with ``--xdev``, also the
  public dev set's turns marked ``subtype: new`` (``../shared/benchmark/external-dev.jsonl``).
- *edit requests* (should not): the real edit requests of the rewriter's sets
  (``evals/data/rewrite/real_{dev,sealed}.jsonl`` and ``real_cap_*``), each after its own
  first turn; with ``--xdev``, the dev set's ``subtype: edit`` turns without an attachment.

Each new request follows a first turn of the same split and language (in turn, so a request
that happens to name the first turn's main thing counts as a miss, as it would in use).

    python -m dialoggen.evals.new_picture_eval --split dev [--xdev ../shared/benchmark/external-dev.jsonl] [--show 20]

Prints one JSON line: per language, ``new_read_as_new`` (recall) and ``edit_read_as_new``
(false start-overs) with counts, per source, and the median time of one decision.
"""

from __future__ import annotations

import argparse
import collections
import json
import statistics
import time
from pathlib import Path
from typing import Iterable, Optional

DATA = Path(__file__).parent / "data"
FILES = {
    "dev": {"new": ["corpora/router_heldout_dev.jsonl"], "edit": ["rewrite/real_dev.jsonl", "rewrite/real_cap_dev.jsonl"]},
    "sealed": {"new": ["corpora/router_heldout_sealed.jsonl"], "edit": ["rewrite/real_sealed.jsonl", "rewrite/real_cap_sealed.jsonl"]},
}


def _jsonl(path: Path) -> Iterable[dict]:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            yield json.loads(line)


def load_items(split: str, xdev: Optional[Path] = None) -> list[dict]:
    """``{"lang", "source", "text", "first", "label"}`` items of ``split`` (label ``new`` or ``edit``)."""
    items: list[dict] = []
    firsts: dict[str, list[str]] = collections.defaultdict(list)
    for name in FILES[split]["edit"]:
        for row in _jsonl(DATA / name):
            items.append({"lang": row["lang"], "source": f"edit:{row['source']}", "text": row["request"], "first": row["first_turn"], "label": "edit"})
            if row["first_turn"] not in firsts[row["lang"]]:
                firsts[row["lang"]].append(row["first_turn"])
    new: list[tuple[str, str, str]] = []
    for name in FILES[split]["new"]:
        for conv in _jsonl(DATA / name):
            for turn in conv["turns"]:
                if turn["expected"] == "image" and turn.get("image") is None:
                    new.append((conv["lang"], f"new:{turn.get('origin')}", turn["user"]))
    if xdev is not None:
        for conv in _jsonl(xdev):
            for turn in conv["turns"]:
                if turn["expected"] == "image" and turn.get("image") is None and turn.get("subtype") in ("new", "edit"):
                    if turn["subtype"] == "new":
                        new.append((conv["lang"], "new:xdev", turn["user"]))
                    else:  # an edit of a picture the dev set does not describe: any first turn of the language
                        items.append({"lang": conv["lang"], "source": "edit:xdev", "text": turn["user"], "first": None, "label": "edit"})
    counter: collections.Counter = collections.Counter()
    for lang, source, text in new:
        pool = firsts[lang]
        items.append({"lang": lang, "source": source, "text": text, "first": pool[counter[lang] % len(pool)], "label": "new"})
        counter[lang] += 1
    for item in items:
        if item["first"] is None:
            pool = firsts[item["lang"]]
            item["first"] = pool[counter[item["lang"]] % len(pool)]
            counter[item["lang"]] += 1
    return items


def evaluate(items: list[dict], show: int = 0) -> dict:
    from ..agent.rewriter.new import new_prompt, starts_anew

    out: dict = {"lang": {}}
    shown: list[str] = []
    times: list[float] = []
    by: dict = collections.defaultdict(lambda: collections.defaultdict(lambda: [0, 0]))
    bases: dict[tuple[str, str], object] = {}
    for item in items:
        key = (item["first"], item["lang"])
        if key not in bases:
            bases[key] = new_prompt(item["first"], item["lang"])
        t0 = time.perf_counter()
        reading = starts_anew(item["text"], item["lang"], bases[key])  # type: ignore[arg-type]
        times.append((time.perf_counter() - t0) * 1000)
        cell = by[item["lang"]][item["source"]]
        cell[0] += reading is not None
        cell[1] += 1
        wrong = (reading is None) if item["label"] == "new" else (reading is not None)
        if wrong and len(shown) < show:
            shown.append(f"{item['label']} read as {'edit' if reading is None else reading} | {item['source']} | {item['text'][:140]!r} | after {item['first'][:60]!r}")
    for lang, sources in sorted(by.items()):
        new = [v for s, v in sources.items() if s.startswith("new:")]
        edit = [v for s, v in sources.items() if s.startswith("edit:")]
        nn, nt = sum(v[0] for v in new), sum(v[1] for v in new)
        en, et = sum(v[0] for v in edit), sum(v[1] for v in edit)
        out["lang"][lang] = {
            "new_read_as_new": round(nn / nt, 4) if nt else None, "new_n": nt,
            "edit_read_as_new": round(en / et, 4) if et else None, "edit_n": et,
            "sources": {s: f"{v[0]}/{v[1]} read as new" for s, v in sorted(sources.items())},
        }
    out["ms_median"] = round(statistics.median(times), 3) if times else None
    for line in shown:
        print(line)
    return out


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=sorted(FILES), default="dev", help="sealed: measure once, after the last change")
    ap.add_argument("--xdev", type=Path, default=None, help="also the public dev set's new/edit turns (external-dev.jsonl)")
    ap.add_argument("--show", type=int, default=0, help="print this many wrong readings")
    args = ap.parse_args(argv)
    print(json.dumps(evaluate(load_items(args.split, args.xdev), args.show), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
