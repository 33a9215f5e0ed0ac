"""Score the offline zh->en prompt translator against human English.

Data: ``evals/data/translate/parallel.jsonl`` (built by ``evals/corpora/parallel_prompts.py``;
each row: ``zh``, human ``en``, ``split`` dev|sealed). Each Chinese sentence becomes the
``subject`` of a zh :class:`DrawingPrompt`; every 10th also gets a ``shot`` and a ``style`` part
(drawn, seeded, from the lexicon's shot and style words) so the frames are exercised too.

Metric (bag of content words, per item, then summed over items = micro average):
- words: lowercase ``[a-z]+`` runs (hyphens split), lemmatized with simplemma (English),
  then a trailing "-ing" stripped (sitting -> sit) so verb forms compare; stopwords dropped
  (function words, numbers spelled out are kept); each side taken as a set;
- recall = sum |ref ∩ ours| / sum |ref|, precision = sum |ref ∩ ours| / sum |ours| (subject only,
  against the human English of that sentence);
- clean = share of items whose whole rendered English prompt holds no CJK character;
- ms = wall time of ``translate_prompt`` per item (median and p95), after the one-time load.

Native set (``parallel_native.jsonl``, splits ``dev2``/``sealed2``): the Chinese was written from the
image, not translated, and each row has the image's five English captions (``en_refs``). Each item
is scored against the caption whose content words best match ours (highest F1; ties: the first),
with the same recall and precision as above (``recall``, ``precision``), and ``precision_any``: the
share of our content words that any of the five captions uses. These figures measure a different
task from the translated sets (two people describing one picture differ) and are not comparable
with them or with the issue's 80% target.

Drawing-prompt set (``parallel_unigen.jsonl``, splits ``udev``/``usealed``): UniGenBench's text-to-image
prompts, each written in Chinese and English (sources ``unigen-short``, one sentence or two, and
``unigen-long``, a paragraph); scored like the translated set, against the one English text.

Exact-word matching undercounts: a synonym (kid/child, couch/sofa) counts as a miss.

Run: ``python -m dialoggen.evals.translate_eval --data evals/data/translate/parallel.jsonl``
(``--split dev`` is the default; ``--show N`` prints N worst items, ``--misses N`` the most
often missed reference words; never pass ``--split sealed`` while tuning).
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import re
import statistics
import sys
import time
from pathlib import Path

STOP = set(
    "a an the and or but if of at by for with about against between into through during before after above below to from up "
    "down in out on off over under again further then once here there when where why how all any both each few more most other "
    "some such no nor not only own same so than too very can will just should now is are was were be been being have has had "
    "having do does did doing i me my we our you your he him his she her it its they them their what which who whom this that "
    "these those am s t don while as until near next front top side one".split()
)
_WORD = re.compile(r"[a-z]+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


def content_words(text: str) -> set[str]:
    import simplemma

    out = set()
    for w in _WORD.findall(text.lower()):
        if w in STOP:
            continue
        lemma = simplemma.lemmatize(w, lang="en").lower()
        if lemma.endswith("ing") and len(lemma) > 5:
            lemma = lemma[:-3]
            if len(lemma) > 2 and lemma[-1] == lemma[-2] and lemma[-1] not in "ls":
                lemma = lemma[:-1]
        if lemma not in STOP:
            out.add(lemma)
    return out


_SPELLING = {"towards": "toward", "grey": "gray", "colour": "color", "colourful": "colorful"}


def _norm(lemma: str) -> str:
    """Spelling variants (grey/gray, towards/toward) and a final -e (ride/rid after -ing) compare equal."""
    lemma = _SPELLING.get(lemma, lemma)
    return lemma[:-1] if lemma.endswith("e") and len(lemma) > 3 else lemma


def evaluate(rows: list[dict], show: int = 0, misses: int = 0) -> dict:
    from ..agent.offline import translate as tr
    from ..agent.prompt import DrawingPrompt

    t0 = time.perf_counter()
    res = tr.load()
    load_s = time.perf_counter() - t0
    rng = random.Random(13)
    lexicon = json.loads((tr.DATA / "domain_lexicon.json").read_text(encoding="utf-8"))
    shots, styles = list(lexicon["shots"]), list(lexicon["styles"])
    del res
    hit = ref_n = hyp_n = clean = notices = any_hit = 0
    times: list[float] = []
    per_item = []
    missed: collections.Counter[str] = collections.Counter()
    for k, row in enumerate(rows):
        extra = {"shot": rng.choice(shots), "style": rng.choice(styles)} if k % 10 == 0 else {}
        prompt = DrawingPrompt(subject=row["zh"], lang="zh", **extra)
        t = time.perf_counter()
        result = tr.translate_prompt(prompt, "en")
        times.append((time.perf_counter() - t) * 1000)
        rendered = result.prompt.render()
        clean += not _CJK.search(rendered)
        notices += bool(result.notice)
        hyp = {_norm(w) for w in content_words(result.prompt.subject)}
        if row.get("en_refs"):
            refs = [{_norm(w) for w in content_words(e)} for e in row["en_refs"]]
            f1 = [2 * len(r & hyp) / max(1, len(r) + len(hyp)) for r in refs]
            ref = refs[f1.index(max(f1))]
            any_hit += len(hyp & set().union(*refs))
        else:
            ref = {_norm(w) for w in content_words(row["en"])}
        both = ref & hyp
        hit, ref_n, hyp_n = hit + len(both), ref_n + len(ref), hyp_n + len(hyp)
        missed.update(ref - hyp)
        per_item.append((len(both) / max(1, len(ref)), row, result.prompt.subject, result.notice))
    n = len(rows)
    report = {
        "items": n,
        "recall": round(hit / max(1, ref_n), 4),
        "precision": round(hit / max(1, hyp_n), 4),
        "clean": round(clean / max(1, n), 4),
        **({"precision_any": round(any_hit / max(1, hyp_n), 4)} if rows and rows[0].get("en_refs") else {}),
        "with_notice": round(notices / max(1, n), 4),
        **timing(times, load_s),
    }
    print_worst([(r, row["zh"], ours, " / ".join(row.get("en_refs") or [row["en"]]), notice) for r, row, ours, notice in per_item],
                show, missed, misses)
    return report


def timing(times: list[float], load_s: float) -> dict:
    """Median and p95 ms per item, and the one-time load, as the report shows them."""
    n = len(times)
    return {"ms_median": round(statistics.median(times), 3) if times else None,
            "ms_p95": round(sorted(times)[int(0.95 * (n - 1))], 3) if times else None,
            "load_s": round(load_s, 2)}


def print_worst(items: list[tuple[float, str, str, str, str]], show: int, missed: collections.Counter, misses: int) -> None:
    """``--show``: the N items of lowest recall (recall, source, ours, human, notice); ``--misses``: the most missed words."""
    for r, source, ours, human, notice in sorted(items, key=lambda x: x[0])[:show]:
        print(f"{r:.2f} | {source} | ours: {ours} | human: {human} | {notice}")
    if misses:
        print("most missed:", ", ".join(f"{w} {c}" for w, c in missed.most_common(misses)))


def load_rows(data: Path, split: str, source: str | None = None, limit: int = 0) -> list[dict]:
    """Rows of one split (``all``: every row) of ``data``, or of its sibling file for the native (dev2/sealed2)
    and drawing-prompt (udev/usealed) splits, optionally of one source only."""
    data = (data.with_name("parallel_native.jsonl") if split in {"dev2", "sealed2"}
            else data.with_name("parallel_unigen.jsonl") if split in {"udev", "usealed"} else data)
    rows = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if split == "all" or r["split"] == split]
    if source:
        rows = [r for r in rows if r["source"] == source]
    return rows[:limit] if limit else rows


def run_cli(argv: list[str] | None, doc: str, evaluate_fn, splits: list[str], default: str, split_help: str) -> int:
    """The command line both translation scorers share: pick rows, score them, print one JSON line."""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path(__file__).parent / "data" / "translate" / "parallel.jsonl")
    ap.add_argument("--split", choices=splits, default=default, help=split_help)
    ap.add_argument("--source", default=None, help="only rows of this source (xtd10, flickr8k-cn, unigen-short, unigen-long)")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--show", type=int, default=0)
    ap.add_argument("--misses", type=int, default=0)
    args = ap.parse_args(argv)
    rows = load_rows(args.data, args.split, args.source, args.limit)
    print(json.dumps(evaluate_fn(rows, args.show, args.misses)))
    return 0


def main(argv: list[str] | None = None) -> int:
    return run_cli(argv, __doc__, evaluate, ["dev", "sealed", "all", "dev2", "sealed2", "udev", "usealed"], "dev",
                   "dev/sealed/all: the translated set; dev2/sealed2: the native set (parallel_native.jsonl); "
                   "udev/usealed: UniGenBench's bilingual drawing prompts (parallel_unigen.jsonl)")


if __name__ == "__main__":
    sys.exit(main())
