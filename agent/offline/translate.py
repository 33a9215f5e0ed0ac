"""Offline translation of a structured drawing prompt between Chinese and English.

A conversation in Chinese keeps its :class:`~dialoggen.agent.prompt.DrawingPrompt` in Chinese;
a T2I model that reads English only gets a second, English text. This module renders that text
without a model, from real language resources:

- jieba segments the Chinese and tags parts of speech (``v`` verbs, ``f`` localizers, ``m`` numerals...);
- a filtered subset of CC-CEDICT (``data/cedict_subset.tsv``, CC BY-SA 4.0, built by
  ``evals/corpora/build_lexicon.py``) gives one gloss per word;
- a curated domain lexicon (``data/domain_lexicon.json``) overrides it for the words drawing prompts
  use (frames, shots, styles, colours, measure words, localizers);
- patterns turn the common phrase shapes into English word order: numeral + measure word
  (``一只`` -> ``a``, ``两只猫`` -> ``two cats``, ``一群`` -> ``a group of``), ``在X上`` and ``X上``
  (-> ``on X``), ``在X上Y的Z`` (-> ``Z Y-ing on X``), ``在``/``正在`` + verb (-> ``-ing``).

An English result never holds a Chinese character: a word that no resource translates is left
out, and :class:`TranslationResult` says so in one sentence (``notice``).

en->zh (:func:`en_to_zh`) looks English up in ``data/en_zh_lexicon.json`` (hand-written words,
words chosen on dev items, CC-CEDICT reversed over every sense, classifiers) and the curated
lexicon reversed, longest phrase first and by lemma, then puts the few shapes prompts use in
Chinese order: a/two + measure word (一只猫), adjective + 的, ``X of Y`` -> ``Y的X``, ``N on the
table`` -> ``桌子上的N``, ``V on the table`` -> ``在桌子上V`` (``坐在桌子上``). Rougher than zh->en;
English nothing translates stays in the text and is named in the notice.
Resources load lazily, once per process (:func:`load`).
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ..prompt import DrawingPrompt

DATA = Path(__file__).parent / "data"
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CLAUSE_SPLIT = re.compile(r"[，,。；;！!？?：:\n]+")
_NUM_MW = re.compile(r"^(一|两|二|三|四|五|六|七|八|九|十|几|数|这|那|每)(.*)$")
_ARABIC = re.compile(r"^\d+$")
_LOC_ALONE = {"next to": "nearby", "in front of": "in front", "left of": "on the left", "right of": "on the right",
              "in the middle of": "in the middle", "on": "on top", "in": "inside", "under": "below", "across from": "opposite",
              "upper left of": "at the upper left", "upper right of": "at the upper right", "lower left of": "at the lower left",
              "lower right of": "at the lower right", "on both sides of": "on both sides", "in the center of": "in the center"}
LONG_WORD_FREQ = 20
_PARTICLES = set("着了地的过般")
_MADE_OF = {"制成", "构成", "组成", "做成", "打造", "制作", "堆成", "雕刻", "编织", "拼成", "凝结", "铸成", "砌成"}
_NAME_FLAGS = {"nr", "nrt", "nrfg", "ns", "nz"}  # jieba's tags for person, place and other proper names
_ADJ = {"cute", "happy", "beautiful", "pretty", "lovely", "young", "old", "big", "small", "tall", "short", "long", "fat", "thin",
        "busy", "quiet", "calm", "crowded", "empty", "full", "dirty", "clean", "wet", "dry", "cold", "hot", "warm", "bright", "dark"}
_ADJ_MORE = {"soft", "slow", "gentle", "clear", "neat", "firm", "even", "proud", "deep", "light", "quick", "bold", "curious",
             "silent", "serene", "solemn", "clever", "clumsy", "nimble", "cozy", "tight", "gradual", "slight", "sharp", "steady",
             "eager", "brave", "sad", "glad", "kind", "wild", "free", "loud", "rapid", "swift", "smooth", "rough", "careful",
             "casual", "lazy", "easy", "heavy", "fierce", "tender", "strong", "weak", "proper", "final", "sudden",
             "excited", "surprised", "confused", "focused", "relaxed", "determined", "elegant", "graceful", "intent", "attentive"}
_ADJ_SUFFIX = ("ful", "ous", "ive", "ic", "ish", "less", "able", "ible", "ical", "esque")  # English adjective endings
_ADVERB_SAME = {"fast", "hard", "straight", "high", "low", "late", "early", "far", "long", "still", "well", "alone", "together",
                "real", "same", "only", "just", "almost", "already", "very", "quite", "again", "also", "most", "more"}
_ADVERB_IRREG = {"focused": "intently", "focus": "intently", "good": "well", "grace": "gracefully", "surprise": "in surprise",
                 "lightly": "gently", "attentive": "attentively", "full": "fully", "true": "truly", "whole": "wholly"}
_NOUN_ING = {"building", "painting", "clothing", "ceiling", "evening", "wedding", "pudding", "bed", "red", "shed", "sled"}


@dataclass
class TranslationResult:
    """The translated prompt (``lang`` = target) and the phrases no resource could translate."""

    prompt: DrawingPrompt
    untranslated: list[tuple[str, str]] = field(default_factory=list)  # (part, phrase)
    target: Literal["en", "zh"] = "en"

    @property
    def notice(self) -> str:
        """One sentence for the user, or "" when everything was translated."""
        if not self.untranslated:
            return ""
        phrases = ", ".join(f"'{p}'" for p in dict.fromkeys(p for _, p in self.untranslated))
        if self.target == "en":
            return f"Could not translate {phrases} into English; the drawing text leaves it out."
        return f"Could not translate {phrases} into Chinese; the drawing text keeps it in English."


class _Resources:
    def __init__(self, choices: bool = True) -> None:
        import logging

        import jieba
        import jieba.posseg

        jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict" lines in the user's terminal
        dom = json.loads((DATA / "domain_lexicon.json").read_text(encoding="utf-8"))
        self.frames: dict[str, str] = dom["frames"]
        self.numbers: dict[str, str] = dom["numbers"]
        self.mw: dict[str, str] = dom["measure_words"]
        self.loc: dict[str, str] = dom["localizers"]
        self.drop: set[str] = set(dom["drop"])
        self.colours: dict[str, str] = dom["colours"]
        self.lexicalized: set[str] = set(dom["lexicalized"])
        self.demonyms: dict[str, str] = dom["demonyms"]
        self.curated: dict[str, str] = {**dom["words"], **dom["colours"], **dom["styles"], **dom["shots"]}
        self.gloss: dict[str, tuple[str, str]] = {}
        for line in (DATA / "cedict_subset.tsv").read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                zh, en, pos = line.split("\t")
                self.gloss[zh] = (en, pos)
        self.first_sense = dict(self.gloss)  # en -> zh reads CC-CEDICT's first senses, not the choices below
        # CC-CEDICT senses that captions use, chosen on dev data (evals/corpora/build_gloss_choice.py)
        choice_file = DATA / "gloss_choice.tsv"
        if choices and choice_file.exists():
            for line in choice_file.read_text(encoding="utf-8").splitlines():
                if line and not line.startswith("#"):
                    zh, en, pos = line.split("\t")[:3]
                    if zh in dom["words"]:
                        self.curated[zh] = en
                    self.gloss[zh] = (en, pos)
        # characters that mostly spell names in CC-CEDICT (built by evals/corpora/build_lexicon.py)
        self.name_chars: set[str] = set("".join(
            ln for ln in (DATA / "name_chars.txt").read_text(encoding="utf-8").splitlines() if not ln.startswith("#")))
        self.tok = jieba.Tokenizer()
        self.tok.initialize()
        for word in list(self.curated) + list(self.frames):
            if len(word) > 1 and not self.tok.FREQ.get(word):  # jieba keeps prefixes of its words at 0
                self.tok.add_word(word)
        # CC-CEDICT words of 4+ characters jieba does not know (金刚鹦鹉 macaw, 边境牧羊犬): one word, not pieces;
        # a small count is enough for a 4-character word to beat its two halves
        self.added_long: set[str] = set()  # en -> zh does not write these rare words (黄不溜秋 for "yellowish")
        for word in self.gloss:
            if len(word) >= 4 and not self.tok.FREQ.get(word) and HAN.match(word):
                self.tok.add_word(word, freq=LONG_WORD_FREQ)
                self.added_long.add(word)
        self.pos = jieba.posseg.POSTokenizer(self.tok)
        self._rev: dict[str, str] | None = None
        self.max_len = max(len(w) for w in self.gloss)
        # English verbs by CC-CEDICT ("to play"): a curated phrase starting with one is a verb phrase
        self.en_verbs = {en.split(" ")[0] for en, pos in self.gloss.values() if pos == "v"}

    # -- zh -> en --------------------------------------------------------------------------
    def word(self, w: str) -> str | None:
        if w in self.curated:
            return self.curated[w]
        if w in self.gloss:
            gloss = self.gloss[w][0]
            return "" if gloss.startswith(("classifier", "measure word")) else gloss
        return None

    def is_verb(self, w: str, flag: str) -> bool:
        if w in self.colours or w in self.loc or w in self.numbers:
            return False
        if w in self.curated:
            first = self.curated[w].split(" ")[0]
            participle = first.endswith(("ing", "ed")) and len(first) > 4 and first not in _NOUN_ING
            phrase = " " in self.curated[w] and first in self.en_verbs
            verb_flag = flag.startswith("v") and not self._adjective(self.curated[w])
            return phrase or self.gloss.get(w, ("", "n"))[1] == "v" and not self._adjective(self.curated[w]) or verb_flag or participle
        if w in self.gloss:  # CC-CEDICT's own sense decides: "to run" is a verb, "cute" is not (jieba tags 可爱 v)
            return self.gloss[w][1] == "v" or flag.startswith("v") and not self._adjective(self.gloss[w][0])
        return flag.startswith("v")

    @staticmethod
    def _adjective(gloss: str) -> bool:
        return gloss in _ADJ or " " not in gloss and gloss.endswith(("ful", "ous", "less", "ish", "able", "ible"))

    def split_unknown(self, w: str) -> list[str]:
        """Forward maximum matching of an unknown word against the lexicon."""
        out, i = [], 0
        while i < len(w):
            for j in range(min(len(w), i + self.max_len), i, -1):
                if w[i:j] in self.curated or w[i:j] in self.gloss or j == i + 1:
                    out.append(w[i:j])
                    i = j
                    break
        return out

    # -- en -> zh --------------------------------------------------------------------------
    def reverse(self) -> tuple[dict[str, str], dict[str, str]]:
        """(curated, CEDICT) English -> Chinese; of several words with one English gloss,
        the one jieba's dictionary counts most often (狗 over 狗狗, 中景 over 中景镜头)."""
        if self._rev is None:
            freq = self.tok.FREQ
            best: dict[str, tuple[int, str]] = {}
            for zh, (en, _) in self.first_sense.items():
                if " " in en or not HAN.search(zh) or zh in self.added_long:
                    continue
                f = freq.get(zh, 0)
                if en.lower() not in best or f > best[en.lower()][0]:
                    best[en.lower()] = (f, zh)
            cedict = {en: zh for en, (_, zh) in best.items()}
            curated: dict[str, str] = {}
            rank = lambda zh: -freq.get(zh, 0)  # noqa: E731
            for zh, en in list(self.curated.items()) + list(self.loc.items()):
                key = en.lower()
                if key not in curated or rank(zh) < rank(curated[key]):
                    curated[key] = zh
            self._rev = (curated, cedict)
        return self._rev


_RES: _Resources | None = None
_LOCK = threading.Lock()


def load() -> _Resources:
    """Load jieba and the lexicons once per process (about a second)."""
    global _RES
    if _RES is None:
        with _LOCK:
            if _RES is None:
                _RES = _Resources()
    return _RES


# ---------------------------------------------------------------------------------------------
# English morphology (only what word order needs: -ing for verbs, plurals after numbers)
_DOUBLE = {"step", "sit", "run", "swim", "cut", "put", "get", "hit", "jog", "dig", "hug", "wag", "skip", "chat", "drop", "grab",
           "plan", "clap", "spin", "set", "stop", "shop", "sip", "nap", "pat", "rub", "tap", "win", "begin", "trim", "slip"}
_IRREG_PL = {"man": "men", "woman": "women", "person": "people", "child": "children", "sheep": "sheep", "fish": "fish",
             "foot": "feet", "tooth": "teeth", "mouse": "mice", "deer": "deer", "people": "people", "clothes": "clothes"}


def _ing(word: str) -> str:
    if word.endswith(("ing", "ed")) or not word.isalpha() or word in {"is", "with", "and", "in", "on", "at", "by", "for", "can",
                                                                        "will", "may", "must", "should", "would", "could"}:
        return word
    if word.endswith("ie"):
        return word[:-2] + "ying"
    if word in _DOUBLE:
        return word + word[-1] + "ing"
    if word.endswith("e") and not word.endswith(("ee", "ye", "oe")) and len(word) > 2:
        return word[:-1] + "ing"
    return word + "ing"


_PREPS = {"from", "toward", "towards", "with", "along", "through", "across", "over", "for", "using", "by", "to", "into", "without", "around", "facing", "not"}


def _agent(verb: str) -> str:
    """runner, skier, climber: the English agent noun of a verb (赛跑者, 滑雪者)."""
    if verb in _DOUBLE:
        return verb + verb[-1] + "er"
    return verb + ("r" if verb.endswith("e") else "er")


def _adverb(gloss: str) -> str | None:
    """The -ly adverb of a one-word adjective gloss (安静地 quiet -> quietly, 微微 slight -> slightly),
    or None when the gloss is not plainly an adjective (专注 focus, 优雅 grace stay as they are)."""
    word = gloss[3:] if gloss.startswith("be ") else gloss
    if word in _ADVERB_IRREG:
        return _ADVERB_IRREG[word]
    if " " in word or not word.isalpha() or word in _ADVERB_SAME:
        return None
    if word.endswith("ly"):
        return word
    if not (word in _ADJ or word in _ADJ_MORE or word.endswith(_ADJ_SUFFIX + ("ent", "ant", "al"))):
        return None
    if word.endswith("le") and len(word) > 3:
        return word[:-1] + "y"  # gentle -> gently, nimble -> nimbly
    if word.endswith("y") and len(word) > 2:
        return word[:-1] + "ily"  # happy -> happily
    if word.endswith("ic"):
        return word + "ally"
    if word.endswith("ll"):
        return word + "y"
    return word + "ly"


def _plural(word: str) -> str:
    if word in _IRREG_PL:
        return _IRREG_PL[word]
    if word.endswith(("s", "x", "ch", "sh", "z")):
        return word + "es"
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


@dataclass
class _Unit:
    kind: str  # det, noun, verb, pp, conj, punct, de, frame, prog
    en: str
    zh: str = ""
    plural: bool = False


def _cut(res: _Resources, clause: str) -> list[tuple[str, str]]:
    toks: list[tuple[str, str]] = []
    for p in res.pos.cut(clause):
        w = p.word.strip()
        m = _NUM_MW.match(w)
        # numeral + measure word + noun in one token (一艘船, 两只狗): split it
        if m and w not in res.curated and len(m.group(2)) >= 2 and m.group(2)[0] in res.mw and m.group(2)[1:] not in res.mw:
            toks += [(m.group(1) + m.group(2)[0], "m"), (m.group(2)[1:], "n")]
        elif w:
            toks.append((w, p.flag))
    # a word jieba glued to a particle (躺着, 点缀着, 梦幻般) or doubled (静静地, 薄薄的): the known stem
    # and the particle apart, so the particle's rule applies (静静地 -> 静 地 -> "quietly")
    k = 0
    while k < len(toks):
        w, flag = toks[k]
        if len(w) >= 2 and w not in res.curated and w not in res.gloss and HAN.search(w):
            stem, tail = w, []
            if stem[-1] in _PARTICLES:
                stem, tail = stem[:-1], [(stem[-1], "u")]
            if len(stem) == 2 and stem[0] == stem[1] and stem not in res.curated and stem not in res.gloss:
                stem = stem[0]  # 静静 -> 静
            if (stem, tail) != (w, []) and stem and res.word(stem) is not None:
                toks[k:k + 1] = [(stem, flag)] + tail
        k += 1
    # a bare numeral before "measure word + noun" in one token (一 本书): split the measure word off
    for k in range(len(toks) - 1):
        w, nxt = toks[k][0], toks[k + 1][0]
        if (w in res.numbers or _NUM_MW.match(w) and _NUM_MW.match(w).group(2) == "") and len(nxt) >= 2 \
                and nxt[0] in res.mw and nxt not in res.curated and res.word(nxt[1:]) is not None:
            toks[k:k + 2] = [(w + nxt[0], "m"), (nxt[1:], "n")]
    return toks


def _units(res: _Resources, toks: list[tuple[str, str]], missing: list[str]) -> list[_Unit]:
    units: list[_Unit] = []
    i = 0
    while i < len(toks):
        w, flag = toks[i]
        nxt = toks[i + 1][0] if i + 1 < len(toks) else ""
        # frames: 背景是 / 镜头是 / 风格是
        if w + nxt in res.frames:
            units.append(_Unit("frame", res.frames[w + nxt], w + nxt))
            i += 2
            continue
        if w in res.frames:
            units.append(_Unit("frame", res.frames[w], w))
            i += 1
            continue
        # numeral (+ measure word), in one token (一只) or two (一 只)
        m = _NUM_MW.match(w)
        if w in res.numbers and w not in res.curated and len(w) > 1 and not m:
            units.append(_Unit("det", res.numbers[w], w, plural=w not in {"每", "这", "那"}))
            i += 1
            continue
        if m and (m.group(2) in res.mw or m.group(2) == "") and w not in res.curated and (m.group(2) or nxt in res.mw or flag == "m" or w in {"这", "那"}):
            num, mw = m.group(1), m.group(2)
            step = 1
            if not mw and nxt in res.mw:
                mw, step = nxt, 2
            det = res.numbers.get(num, num)
            part = res.mw.get(mw, "")
            plural = num not in {"一", "这", "那", "每"}
            if mw == "些":
                det, plural = {"一": "some", "这": "these", "那": "those"}.get(num, "some"), True
            if part:
                det, plural = f"{'a' if num == '一' else det} {part}", True
            units.append(_Unit("det", det, w + (nxt if step == 2 else ""), plural=plural))
            i += step
            continue
        if _ARABIC.match(w):
            step = 2 if nxt in res.mw else 1
            units.append(_Unit("det", w, w, plural=w != "1"))
            i += step
            continue
        # 在 / 正在 + verb: progressive; 在 + place (+ localizer): prepositional phrase
        if w in {"在", "正在", "正", "在于"}:
            j = i + 1
            v = j
            while v < len(toks) and (toks[v][1] == "d" or toks[v][0] == "地" or v + 1 < len(toks) and toks[v + 1][0] == "地"):
                v += 1  # 正在 慢慢地 走: adverbs between 在 and its verb
            if v < len(toks) and res.is_verb(*toks[v]) and toks[v][0] not in res.loc:
                units.append(_Unit("prog", "", w))
                i += 1
                continue
            k = j
            while k < len(toks) and toks[k][0] not in res.loc and not res.is_verb(*toks[k]) and (
                    toks[k][0] not in {"的", "，"} or toks[k][0] == "的" and k + 1 < len(toks) and toks[k + 1][0] in res.loc):
                k += 1  # 在桌子的上方: the 的 before a localizer belongs to the place
            if k < len(toks) and toks[k][0] in res.loc:
                inner = _units(res, toks[j:k], missing)
                units.append(_Unit("pp", f"{res.loc[toks[k][0]]} the {_join(inner)}".strip(), "".join(t[0] for t in toks[i:k + 1])))
                i = k + 1
                continue
            last = toks[k - 1][0] if k > j else ""
            if k > j and len(last) >= 2 and last[-1] in res.loc and last not in res.curated and last not in res.lexicalized:
                # 在树下: the localizer is the last character of the place's token
                inner = _units(res, toks[j:k - 1] + [(last[:-1], "n")], missing)
                units.append(_Unit("pp", f"{res.loc[last[-1]]} the {_join(inner)}", "".join(t[0] for t in toks[i:k])))
                i = k
                continue
            if k > j:
                inner = _units(res, toks[j:k], missing)
                text = _join(inner)
                prep = "" if text.split(" ")[0] in {"on", "in", "at", "under", "near", "next", "behind", "beside"} else "in the "
                units.append(_Unit("pp", prep + text, "".join(t[0] for t in toks[i:k])))
                i = k
                continue
            i += 1
            continue
        # noun (+ noun) + localizer without 在: 桌子上的电脑 -> computer on the table; 玻璃杯的上方 -> above the glass
        if w in res.loc and len(units) >= 2 and units[-1].kind == "de" and units[-2].kind == "noun" and len(w) >= 2:
            units.pop()
        if w in res.loc and units and units[-1].kind == "noun":
            j = len(units)
            while j > 0 and units[j - 1].kind in {"noun"} and len(units) - j < 2:
                j -= 1
            inner = units[j:]
            del units[j:]
            units.append(_Unit("pp", f"{res.loc[w]} the {_join(inner)}", "".join(u.zh for u in inner) + w))
            i += 1
            continue
        # a localizer with no place before it (旁边放着一个柠檬): the adverb ("nearby")
        if w in res.loc and len(w) >= 2 and w not in res.curated and (not units or units[-1].kind in {"conj", "punct", "frame"}):
            units.append(_Unit("pp", _LOC_ALONE.get(res.loc[w], res.loc[w].replace(" of", "")), w))
            i += 1
            continue
        # 红色(的)衣服 -> "red": English says "a man in red", not "in red clothes"
        if w in {"衣服", "衣", "服装"} and units and (units[-1].zh in res.colours or
                                                 units[-1].kind == "de" and len(units) > 1 and units[-2].zh in res.colours):
            i += 1
            continue
        if w == "的":
            units.append(_Unit("de", "", w))
            i += 1
            continue
        # X般(的) / X似的: "X-like" (水晶般的犄角 -> crystal-like horn)
        if w in {"般", "般的", "似的", "一般的"} and units and units[-1].kind == "noun" and units[-1].en:
            units[-1] = _Unit("noun", units[-1].en + "-like", units[-1].zh + w)
            if w.endswith("的"):
                units.append(_Unit("de", "", "的"))
            i += 1
            continue
        # 由 X 制成/构成 (的): "made of X", placed like a prepositional phrase (after its head)
        if w == "由":
            k = i + 1
            while k < len(toks) and toks[k][0] not in _MADE_OF and toks[k][0] not in {"的", "，"} and k - i <= 6:
                k += 1
            if k < len(toks) and toks[k][0] in _MADE_OF and k > i + 1:
                inner = _units(res, toks[i + 1:k], missing)
                units.append(_Unit("pp", f"made of {_join(inner)}", "".join(t[0] for t in toks[i:k + 1])))
                i = k + 1
                continue
        if w in {"、", "／", "/"}:
            units.append(_Unit("conj", ",", w))
            i += 1
            continue
        if w in res.drop and w not in res.curated:
            i += 1
            continue
        if not HAN.search(w):
            if re.search(r"[A-Za-z0-9]", w):
                units.append(_Unit("noun", w, w))
            i += 1
            continue
        # noun + localizer in one token (山上, 湖里, 车里): "on the mountain", "in the lake"
        if (len(w) >= 2 and w[-1] in res.loc and w not in res.curated and w not in res.lexicalized
                and not flag.startswith("v") and res.word(w[:-1]) is not None):
            units.append(_Unit("pp", f"{res.loc[w[-1]]} the {res.word(w[:-1])}", w))
            i += 1
            continue
        if w == "们" and units and units[-1].kind == "noun":  # 孩子 们
            base = units[-1].en.split(" ")
            units[-1] = _Unit("noun", " ".join(base[:-1] + [_plural(base[-1])]), units[-1].zh + w)
            i += 1
            continue
        # agent suffix 者 (赛跑者 -> runner) when the lexicon lacks the word
        if w.endswith("者") and len(w) >= 2 and w not in res.curated and w not in res.gloss and res.word(w[:-1]):
            base = res.word(w[:-1]).split(" ")[0]
            units.append(_Unit("noun", _agent(base), w))
            i += 1
            continue
        if w == "者" and units and units[-1].kind in {"verb", "noun"} and units[-1].en:
            units[-1] = _Unit("noun", _agent(units[-1].en.split(" ")[0]), units[-1].zh + w)
            i += 1
            continue
        # plural suffix 们 (孩子们, 家伙们)
        if len(w) >= 2 and w.endswith("们") and w not in res.curated and res.word(w[:-1]) is not None:
            base = res.word(w[:-1]).split(" ")
            units.append(_Unit("noun", " ".join(base[:-1] + [_plural(base[-1])]), w))
            i += 1
            continue
        en = res.word(w)
        if en is not None:
            adverb = _adverb(en) if nxt == "地" or flag == "d" else None
            if adverb:  # 好奇地 -> curiously; 微微 -> slightly
                units.append(_Unit("adv", adverb, w))
                i += 1
                continue
            if en in res.demonyms and nxt and nxt not in {"的", "，"} and res.word(nxt) and not res.is_verb(*toks[i + 1]):
                en = res.demonyms[en]  # 埃及金字塔 -> Egyptian pyramid (but 在埃及 -> in Egypt)
            kind = "conj" if en in {"and", "or"} else "prep" if en in _PREPS else ("verb" if res.is_verb(w, flag) else "noun")
            units.append(_Unit(kind, en, w))
            i += 1
            continue
        # unknown: split into known pieces; any piece nothing translates is reported
        pieces = res.split_unknown(w)
        if flag in _NAME_FLAGS and len(w) >= 2 and all(len(p) == 1 for p in pieces) \
                and 3 * sum(c in res.name_chars for c in w) >= 2 * len(w):
            # a name jieba found but no lexicon knows, spelt mostly with characters that spell names
            # (克利奥帕特拉, 吉萨): its characters one by one would be nonsense ("sharp obscure wrap"),
            # so it is reported, not guessed; 黑狗 (black dog) is not such a name
            missing.append(w)
            i += 1
            continue
        for p in pieces:
            if p in res.drop:
                continue
            en = res.word(p)
            if en is None:
                missing.append(p)
            else:
                units.append(_Unit("verb" if res.is_verb(p, "") else "noun", en, p))
        i += 1
    return units


def _join(units: list[_Unit]) -> str:
    out: list[str] = []
    for k, u in enumerate(units):
        if u.kind == "det" and u.plural:  # the head noun (last of the noun run after a numeral) takes -s
            j, last = k + 1, None
            while j < len(units) and units[j].kind == "noun":
                last = j if units[j].en else last
                j += 1
            if last is not None:
                j = last
                words = units[j].en.split(" ")
                words[-1] = _plural(words[-1])
                units[j] = _Unit("noun", " ".join(words), units[j].zh)
        if u.en:
            out.append(units[k].en)
    return " ".join(out)


def _order(units: list[_Unit]) -> list[_Unit]:
    """English word order: PP after its verb, relative clause after its head, -ing verbs."""
    # progressive markers and verbs in captions: -ing
    for k, u in enumerate(units):
        v = k + 1
        while v < len(units) and units[v].kind == "adv":  # 正在 慢慢地 走: the verb after the adverb
            v += 1
        if u.kind == "prog" and v < len(units) and units[v].kind == "verb":
            words = units[v].en.split(" ")
            units[v].en = " ".join([_ing(words[0])] + words[1:])
    units = [u for u in units if u.kind != "prog"]
    # caption style: the first verb right after its subject noun reads as "-ing" (a man riding ...)
    for k, u in enumerate(units):
        if u.kind == "verb":
            b = k - 1
            while b > 0 and units[b].kind == "adv":  # 老鼠 安静地 沉睡: mouse quietly sleeping
                b -= 1
            if b >= 0 and units[b].kind in {"noun", "pp"} and u.en.split(" ")[0] not in {"is", "with"}:
                words = u.en.split(" ")
                u.en = " ".join([_ing(words[0])] + words[1:])
            break
    # the last 的: "A 的 B" -> "B A" when A holds a verb (relative clause), else "A B"
    des = [k for k, u in enumerate(units) if u.kind == "de"]
    if des:
        d = des[-1]
        left, right = [u for u in units[:d] if u.kind != "de"], units[d + 1:]
        # the left side ends where the modifier starts: after the last conj
        cut = max([k + 1 for k, u in enumerate(left) if u.kind in {"conj", "frame"}] or [0])
        pre, mod = left[:cut], left[cut:]
        verbs = [k for k, u in enumerate(mod) if u.kind == "verb"]
        if verbs and any(u.kind == "noun" for u in mod[: verbs[0]]) and verbs[-1] + 1 < len(mod):
            # a clause with its own subject (女人抓住马的缰绳): 的 marks the object's owner only
            pre, mod = pre + mod[: verbs[-1] + 1], mod[verbs[-1] + 1:]
        if right and any(u.kind in {"verb", "pp"} for u in mod):
            dets = []
            while mod and mod[0].kind == "det":
                dets.append(mod.pop(0))
            for u in mod:
                if u.kind == "verb":
                    words = u.en.split(" ")
                    u.en = " ".join([_ing(words[0])] + words[1:])
                    break
            head_end = 0
            while head_end < len(right) and right[head_end].kind in {"noun", "det"}:
                head_end += 1
            units = pre + dets + right[:head_end] + mod + right[head_end:]
        else:
            units = pre + mod + right
    units = [u for u in units if u.kind != "de"]
    # a PP directly before a verb phrase moves after it (to the next 的/conj or the end)
    k = 0
    while k < len(units):
        if units[k].kind == "pp" and k + 1 < len(units) and units[k + 1].kind == "verb":
            end = k + 1
            while end < len(units) and units[end].kind not in {"de", "conj", "punct", "pp"}:
                end += 1
            units = units[:k] + units[k + 1:end] + [units[k]] + units[end:]
            k = end
        k += 1
    return units


def _tidy(text: str) -> str:
    text = re.sub(r"\s+,", ",", text)
    text = re.sub(r",\s*,", ",", text)
    text = re.sub(r"\b(the|a|an) (the|a|an)\b", r"\2", text)
    text = re.sub(r"\bthe (on|in|at) the\b", r"\1 the", text)
    text = re.sub(r"\ba ([aeiouAEIOU])", r"an \1", text)
    text = re.sub(r"\s+", " ", text).strip(" ,")
    return text


def zh_to_en(text: str) -> tuple[str, list[str]]:
    """Translate one Chinese phrase; returns the English and the words left out."""
    res = load()
    missing: list[str] = []
    clauses = []
    for clause in _CLAUSE_SPLIT.split(text):
        if clause.strip():
            en = _tidy(_join(_order(_units(res, _cut(res, clause.strip()), missing))))
            if en:
                clauses.append(en)
    out = ", ".join(clauses)
    leftover = HAN.findall(out)
    if leftover:  # never reached with the lexicons as built; kept as the guarantee
        missing.extend(leftover)
        out = _tidy(HAN.sub("", out))
    out = CJK.sub(" ", out)
    return _tidy(out), missing


# ---------------------------------------------------------------------------------------------
# en -> zh: lexicon look-up (longest phrase first, lemmas), then Chinese order for the few shapes
# drawing prompts use: articles dropped, a/two + measure word, adjective + 的, "X of Y" -> Y的X,
# "N on the table" -> 桌子上的N, "V on the table" -> 在桌子上V (坐在桌子上 for posture verbs).
_EN_TOKEN = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*|'s\b|\d+(?:\.\d+)?|[^\sA-Za-z\d']")
_DET = {"a": "一", "an": "一", "one": "一", "two": "两", "three": "三", "four": "四", "five": "五", "six": "六", "seven": "七",
        "eight": "八", "nine": "九", "ten": "十", "several": "几", "this": "这", "that": "那", "each": "每", "every": "每",
        "the": "", "these": "这些", "those": "那些", "some": "一些", "many": "许多", "multiple": "多", "numerous": "无数"}
_COUNTED = {"a", "an", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "several", "this", "that",
            "each", "every"}
_AUX = {"is", "are", "was", "were", "be", "been", "being", "am", "has", "have", "had", "will", "would", "can", "could", "does",
        "do", "did", "to", "itself", "themselves", "there", "which", "who", "that's", "it's", "also", "then", "himself", "herself", "whose", "whom", "off", "up", "down", "where", "what"}
_PRON = {"it": "它", "its": "它的", "he": "他", "his": "他的", "she": "她", "her": "她的", "they": "他们", "their": "他们的",
         "them": "他们", "him": "他", "i": "我", "my": "我的", "we": "我们", "our": "我们的", "you": "你", "your": "你的"}
_CONJ = {"and": "和", "or": "或", "but": "但", "while": "而", "whereas": "而", "as well as": "以及"}
# locative prepositions -> the localizer after the place (在桌子上); "" = 在 + place alone
_LOC = {"in front of": "前面", "next to": "旁边", "on top of": "顶上", "in the middle of": "中间", "in the center of": "中央",
        "in the centre of": "中央", "at the center of": "中央", "at the top of": "顶部", "at the bottom of": "底部",
        "on the left of": "左边", "on the right of": "右边", "on the left side of": "左侧", "on the right side of": "右侧",
        "on": "上", "onto": "上", "upon": "上", "atop": "顶上", "in": "中", "inside": "里", "into": "里", "within": "内",
        "under": "下", "beneath": "下", "underneath": "下", "below": "下方", "behind": "后面", "near": "附近", "beside": "旁边",
        "above": "上方", "over": "上方", "around": "周围", "among": "中", "amid": "中", "amidst": "中", "between": "之间",
        "outside": "外面", "at": "", "with": "with",
        # prepositions that stay before the place: along the road -> 沿着道路
        "along": "^沿着", "through": "^穿过", "across": "^穿过", "toward": "^朝着", "towards": "^朝着", "from": "^从"}
_CLOSED_CLASSES = (("n", _PRON), ("of", {"of": ""}), ("prep", _LOC), ("conj", _CONJ))
# "a group of birds" -> 一群鸟: the quantity noun becomes the measure word
_QUANT = {"group": "群", "herd": "群", "flock": "群", "crowd": "群", "pair": "对", "couple": "对", "cup": "杯", "bowl": "碗",
          "bunch": "束", "bouquet": "束", "pile": "堆", "stack": "堆", "piece": "块", "row": "排", "team": "队", "bottle": "瓶",
          "glass": "杯", "plate": "盘", "box": "盒", "bag": "袋", "slice": "片", "sheet": "张", "kind": "种", "type": "种",
          "set": "套", "line": "排", "cluster": "簇", "clump": "丛", "string": "串", "drop": "滴", "ray": "缕", "beam": "束"}
_MANY = {"lot", "lots", "number", "plenty", "variety"}
_POSTURE = {"sit", "stand", "lie", "hang", "perch", "park", "place", "put", "lay", "stay", "live", "fall", "kneel", "land",
            "rest", "set", "float", "hide", "squat", "lean", "stick", "grow", "standing", "sitting", "lying"}
_ADJ_EN = _ADJ | {"huge", "giant", "tiny", "ancient", "modern", "cute", "little", "large", "gorgeous", "elegant", "vivid",
                  "golden", "wooden", "silent", "brilliant", "fierce", "gentle", "vast", "strange", "delicate", "soft",
                  "smooth", "rough", "sharp", "shiny", "fluffy", "muddy", "sandy", "rainy", "snowy", "sunny", "cloudy", "misty",
                  "foggy", "dusty", "rusty", "messy", "cozy", "furry", "massive", "magnificent", "mysterious", "futuristic",
                  "retro", "vintage", "surreal", "realistic", "abstract", "transparent", "translucent", "ornate", "exquisite",
                  "majestic", "new", "broken", "rich", "deep", "heavy", "light", "pale", "vibrant", "sad",
                  "proud", "angry", "serene", "peaceful", "tranquil", "warm", "round", "square", "thick", "open", "empty", "hot",
                  # adjectives in -ly (not adverbs)
                  "lonely", "lovely", "friendly", "ugly", "curly", "early", "elderly", "silly", "holy", "lively", "chilly",
                  "costly", "deadly", "daily", "woolly", "bubbly", "sparkly", "prickly", "wrinkly", "cuddly", "jolly",
                  "ghostly", "heavenly", "stately", "leisurely", "burly", "frilly", "oily", "hilly", "gnarly", "scaly"}


# derivational suffixes: an unknown word is looked up as its base (approximate, better than English left in)
_DERIV = [("ness", ""), ("ishly", ""), ("ish", ""), ("ically", "y"), ("ical", "y"), ("ic", "y"), ("ity", ""), ("al", ""),
          ("ern", ""), ("ists", ""), ("ist", ""), ("ers", ""), ("er", ""), ("ian", ""), ("ment", ""), ("ful", "")]


@dataclass
class _Item:
    kind: str  # det, n, mod, v, adv, prep, of, poss, conj, punct, np, pp
    zh: str
    en: str = ""
    counted: bool = False
    items: list["_Item"] = field(default_factory=list)  # an np's words; a pp's np


class _EnLexicon:
    """English -> Chinese tables, most trusted first: the hand-written en->zh words, the words
    people wrote for them in dev items (``choice``, evals/corpora/build_en_zh_choice.py), the curated
    zh->en lexicon reversed, CC-CEDICT reversed over every sense (data/en_zh_lexicon.json), and
    the one-gloss CC-CEDICT subset reversed."""

    def __init__(self, res: _Resources) -> None:
        data = json.loads((DATA / "en_zh_lexicon.json").read_text(encoding="utf-8"))
        curated, cedict = res.reverse()
        self.tables = [{k.lower(): v for k, v in data["words"].items()}, data.get("choice", {}), curated, data["cedict"], cedict]
        self.measure: dict[str, str] = {**data["measure"], **data["measure_extra"]}
        self.max_n = 4
        self.verbs = res.en_verbs

    def get(self, phrase: str) -> str | None:
        for table in self.tables:
            if phrase in table:
                return table[phrase]
        return None

    def classifier(self, noun: str) -> str:
        if noun in self.measure and self.measure[noun] not in {"双", "对", "副"}:  # a vase is not 一对花瓶
            return self.measure[noun]
        for key in (noun[-1:], noun[:1] if len(noun) == 2 else ""):  # 小狗: 狗 takes 只; 狐狸: 狐
            if key in self.measure and self.measure[key] not in {"双", "对", "副", "套", "口"}:  # 选手 is not 一双
                return self.measure[key]
        return "个"


_EN_LEX: _EnLexicon | None = None


def _en_lexicon() -> _EnLexicon:
    global _EN_LEX
    if _EN_LEX is None:
        res = load()  # outside the lock: load() takes it too
        with _LOCK:
            if _EN_LEX is None:
                _EN_LEX = _EnLexicon(res)
    return _EN_LEX


def _forms(word: str) -> list[str]:
    """The word, its lemma, and the stems of an -ing/-ed/-ly form (running -> run, quietly -> quiet)."""
    import simplemma

    forms = [word, simplemma.lemmatize(word, lang="en").lower()]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            forms += [stem, stem + "e"] + ([stem[:-1]] if stem[-1] == stem[-2] else [])
    if word.endswith("ably"):
        forms.append(word[:-1] + "e")
    if word.endswith("ily"):
        forms.append(word[:-3] + "y")
    elif word.endswith("ly") and len(word) > 4:
        forms.append(word[:-2])
    if word.endswith("ies"):
        forms.append(word[:-3] + "y")
    elif word.endswith("s") and len(word) > 3:
        forms.append(word[:-1])
    return list(dict.fromkeys(forms))


def _lookup(lex: _EnLexicon, words: list[str], i: int, min_n: int = 1, tables: int = 5) -> tuple[str, int, str] | None:
    """Longest phrase from words[i] the lexicon knows: (zh, length, form). The last word is tried in
    each of its forms (and a two-word phrase's first word as a lemma: "looked up" -> "look up"),
    table by table, so a trusted table's lemma wins over a reversed dictionary's odd inflected
    entry (running -> 跑, not CC-CEDICT's "running" 营运)."""
    import simplemma

    for n in range(min(lex.max_n, len(words) - i), min_n - 1, -1):
        head = [w.lower() for w in words[i:i + n]]
        if n > 1 and not all(re.match(r"[a-z]", w) for w in head):
            continue
        # a dictionary phrase holding "in"/"the" swallows the preposition ("placed in" 身处): trusted table only
        use = 1 if n > 1 and any(w in _LOC or w in _DET or w in _AUX for w in head) else tables
        forms = _forms(head[-1])
        cands = [" ".join(head[:-1] + [f]) for f in forms]
        if n == 2:
            cands.append(simplemma.lemmatize(head[0], lang="en").lower() + " " + head[1])
        for table in lex.tables[:use]:
            for cand in cands:
                if cand in table:
                    return table[cand], n, cand.split(" ")[-1]
    return None


def _is_adj(word: str) -> bool:
    return word in _ADJ_EN or word.endswith(_ADJ_SUFFIX) and len(word) > 5


def _items(lex: _EnLexicon, words: list[str], missing: list[str]) -> list[_Item]:
    """English tokens -> Chinese items, with a guess of each word's part (verb, modifier, noun)."""
    import simplemma

    out: list[_Item] = []
    quote = False
    i = 0
    while i < len(words):
        raw = words[i]
        w = raw.lower()
        prev = out[-1].kind if out else "punct"
        nxt = words[i + 1].lower() if i + 1 < len(words) else ""
        phrase = _lookup(lex, words, i, min_n=2, tables=1)  # hand-written phrases first: "on the left" -> 在左边
        if phrase:
            kind = "pp" if phrase[0].startswith("在") else "n"
            out.append(_Item(kind, phrase[0], " ".join(x.lower() for x in words[i:i + phrase[1]])))
            i += phrase[1]
            continue
        multi = next(((p, n) for n in (5, 4, 3, 2) for p in [" ".join(x.lower() for x in words[i:i + n])]
                      if len(words[i:i + n]) == n and (p in _LOC or p in _CONJ)), None)
        if multi and multi[0] in _LOC:
            out.append(_Item("prep", _LOC[multi[0]], multi[0]))
            i += multi[1]
            continue
        if multi:
            out.append(_Item("conj", _CONJ[multi[0]], multi[0]))
            i += multi[1]
            continue
        if w in {"a", "an"} and nxt in _MANY or w in _MANY and nxt == "of" and prev != "det":
            out.append(_Item("det", "许多", w))
            i += 1 if w in _MANY else 2
            if i < len(words) and words[i].lower() == "of":
                i += 1
            continue
        if w in _DET and not (w == "that" and prev in {"n", "np"}):
            out.append(_Item("det", _DET[w], w, counted=w in _COUNTED))
            i += 1
            continue
        if w == "'s":
            out.append(_Item("poss", "的", w))
            i += 1
            continue
        if not re.match(r"[a-z0-9]", w):
            if w == '"':
                out.append(_Item("punct", "”" if quote else "“", w))
                quote = not quote
            elif w in {",", ";", ":", "!", "?", "."}:
                out.append(_Item("punct", {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", ".": "。"}[w], w))
            i += 1
            continue
        if w.isdigit():
            out.append(_Item("det", w, w, counted=True))
            i += 1
            continue
        if w in {"has", "have", "had"} and nxt != "been" and not nxt.endswith(("ed", "en")):  # a fox has horns: 有
            out.append(_Item("v", "有", w))
            i += 1
            continue
        if w in _AUX:
            if out and out[-1].kind != "aux":
                out.append(_Item("aux", "", w))
            i += 1
            continue
        closed = next(((kind, table[w]) for kind, table in _CLOSED_CLASSES if w in table), None)
        if closed:  # pronouns, "of", place prepositions, conjunctions: one item each, from their tables
            out.append(_Item(closed[0], closed[1], w))
            i += 1
            continue
        hit = _lookup(lex, words, i)
        if hit is None and "-" not in w:  # dimness -> dim, yellowish -> yellow, archaeological -> archaeology
            for suffix, rep in _DERIV:
                base = w[: -len(suffix)] + rep
                if w.endswith(suffix) and len(base) >= 3:
                    got = _lookup(lex, [base], 0)
                    if got:
                        hit = (got[0], 1, got[2])
                        break
        if hit is None and w.endswith("-like") and _lookup(lex, [w[:-5]], 0):  # crystal-like -> 水晶般
            hit = (_lookup(lex, [w[:-5]], 0)[0] + "般", 1, w)
        if hit is None and "-" in w:  # Geographic-style, low-poly: the parts one by one
            parts = w.split("-")
            words = words[:i] + parts + words[i + 1:]
            continue
        if hit is None:
            missing.append(raw)
            out.append(_Item("n", raw, w))
            i += 1
            continue
        zh, n, form = hit
        kind = "n"
        if n == 1:
            lemma = simplemma.lemmatize(w, lang="en").lower()
            verbal = w.endswith(("ing", "ed")) or lemma != w and not w.endswith("s") and lemma in lex.verbs
            verb_like = lemma in lex.verbs or form in lex.verbs
            if w.endswith("ly") and len(w) > 4 and w not in _ADJ_EN and w not in {"only", "family", "belly", "lily", "jelly"}:
                kind = "adv"
            elif prev in {"det", "mod", "poss"} or prev == "n" and out[-1].zh in _PRON.values() and out[-1].zh.endswith("的"):
                kind = "mod" if verbal or _is_adj(w) else "n"
            elif prev == "aux" and (verb_like or verbal):
                kind = "v"
            elif verbal and verb_like and prev in {"n", "punct", "conj", "adv", "v"}:
                kind = "v"
            elif w.endswith("s") and lemma != w and verb_like and prev == "n" and (nxt in _DET or nxt in _PRON or nxt in _LOC
                                                                                  or nxt.endswith("ly")):
                kind = "v"
            elif (lemma == w and verb_like and prev == "n" and not _is_adj(w)
                  and (nxt in _DET or nxt in _PRON or nxt in _LOC or nxt in _CONJ or out[-1].en.endswith("s"))):
                kind = "v"
            elif _is_adj(w) or verbal and verb_like:
                kind = "mod"
            if kind == "adv" and len(zh) >= 2 and not zh.endswith("地"):
                zh += "地"
        out.append(_Item(kind, zh, w if n == 1 else " ".join(x.lower() for x in words[i:i + n])))
        i += n
    return [it for it in out if it.kind != "aux"]


def _render_np(lex: _EnLexicon, items: list[_Item], counted: bool) -> str:
    """det + modifiers + nouns -> 一只可爱的猫: measure word from the head noun, 的 after the last
    adjective of two characters or more."""
    det = [it for it in items if it.kind == "det"]
    words = [it for it in items if it.kind != "det"]
    nouns = [k for k, it in enumerate(words) if it.kind in {"n", "np", "poss"}]
    head = words[nouns[-1]].zh if nouns else (words[-1].zh if words else "")
    parts = []
    for k, it in enumerate(words):
        parts.append(it.zh)
        later_mod = any(x.kind == "mod" for x in words[k + 1:])
        if it.kind == "mod" and not later_mod and k + 1 < len(words) and len(it.zh) >= 2 and not it.zh.endswith("的"):
            parts.append("的")
    text = "".join(parts)
    if det:
        d = det[0]
        if d.counted and counted and head and HAN.search(head) and not (d.en in {"a", "an"} and not words):
            return d.zh + lex.classifier(head) + text
        if d.en in {"a", "an"}:
            return text
        if d.counted:
            return d.zh + lex.classifier(head) + text if head and HAN.search(head) else d.zh + text
        return d.zh + text
    return text


def _chunk_zh(lex: _EnLexicon, chunk: _Item, counted: bool) -> str:
    """A noun phrase's Chinese (rendered from its words, or already built: 桌子上的猫)."""
    return _render_np(lex, chunk.items, counted) if chunk.kind == "np" and chunk.items else chunk.zh


def _posture(verb_en: str) -> bool:
    """sit, stand, lie, place...: the place follows the verb in Chinese (坐在椅子上)."""
    import simplemma

    verb = verb_en.split(" ")[0]
    return verb in _POSTURE or simplemma.lemmatize(verb, lang="en") in _POSTURE


def _clause(lex: _EnLexicon, items: list[_Item], counted: bool) -> str:
    # 1. noun phrases: det? (mod | n | poss)* ; "X of Y" -> Y的X (or 一群鸟 for a quantity noun)
    chunks: list[_Item] = []
    k = 0
    while k < len(items):
        if items[k].kind in {"det", "mod", "n", "poss"}:
            j = k
            while j < len(items) and (items[j].kind in {"mod", "n", "poss"} or items[j].kind == "det" and j == k):
                j += 1
            if j == k + 1 and items[k].kind == "mod" and chunks and chunks[-1].kind in {"v", "np"}:
                chunks.append(_Item("adv" if chunks[-1].kind == "v" else "mod", items[k].zh, items[k].en))  # "is sad"
                k = j
                continue
            chunks.append(_Item("np", "", items[k].en, items=items[k:j]))
            k = j
            continue
        chunks.append(items[k])
        k += 1
    k = 0
    while k + 2 < len(chunks):
        a, of, b = chunks[k:k + 3]
        if a.kind == "np" and of.kind == "of" and b.kind == "np":
            head = [it for it in a.items if it.kind != "det"]
            dets = [it for it in a.items if it.kind == "det"]
            if len(head) == 1 and head[-1].en in _QUANT:
                q = _QUANT[head[-1].en]
                num = dets[0].zh if dets and dets[0].counted else "一"
                chunks[k:k + 3] = [_Item("np", "", a.en, items=[_Item("n", num + q + _render_np(lex, b.items, False), a.en)])]
            else:
                owner = _render_np(lex, b.items, False)
                chunks[k:k + 3] = [_Item("np", "", a.en, items=dets + [_Item("n", owner + "的", b.en)] + head)]
            continue
        k += 1
    for c in chunks:
        if c.kind == "of":
            c.kind, c.zh = "punct", ""
    # 2. prepositional phrases, placed the Chinese way
    out: list[_Item] = []
    k = 0
    verb_seen = False
    while k < len(chunks):
        c = chunks[k]
        if c.kind == "prep" and k + 1 < len(chunks) and chunks[k + 1].kind == "np":
            place = _chunk_zh(lex, chunks[k + 1], False)
            if c.en == "in" and len(place) <= 2:
                c = _Item("prep", "里", "in")  # 在公园里, 在水里; a longer place takes 中 (在废墟城市中)
            prev = out[-1] if out else None
            if c.zh.startswith("^"):
                out.append(_Item("pp", c.zh[1:] + place))
                if prev is not None and prev.kind == "v" and (len(out) < 3 or out[-3].kind != "pp"):
                    out[-2], out[-1] = out[-1], out[-2]  # 沿着轨道行驶
            elif place.endswith("风格") and c.zh in {"中", ""}:  # in the style of ink painting -> 水墨画风格
                out.append(_Item("pp", place.replace("的风格", "风格")))
            elif c.zh == "with":
                if prev is not None and prev.kind == "np" and not verb_seen:
                    out[-1] = _Item("np", "有" + place + "的" + _chunk_zh(lex, prev, counted))
                else:
                    out.append(_Item("pp", place))
            elif prev is not None and prev.kind == "np" and not verb_seen:
                out[-1] = _Item("np", place + c.zh + "的" + _chunk_zh(lex, prev, counted))
            elif prev is not None and prev.kind == "v" and c.en == "at" and not _posture(prev.en):  # staring at the sky: 凝视天空
                out.append(_Item("n", place))
            elif prev is not None and prev.kind == "v":
                pp = "在" + place + c.zh
                if _posture(prev.en):
                    out.append(_Item("pp", pp + ("旁" if c.en == "at" else "")))  # sitting at a table: 坐在桌子旁
                else:
                    j = len(out) - 1
                    while j > 0 and out[j - 1].kind in {"adv", "v"}:
                        j -= 1
                    out.insert(j, _Item("pp", pp))
            elif (prev is not None and prev.kind == "np" and len(out) >= 2 and out[-2].kind == "v"
                  and not _posture(out[-2].en)):
                # V + object + PP: 在公园里表演技巧 (the place goes before the verb)
                j = len(out) - 2
                while j > 0 and out[j - 1].kind in {"adv", "v", "pp"}:
                    j -= 1
                out.insert(j, _Item("pp", "在" + place + c.zh))
            else:
                out.append(_Item("pp", "在" + place + c.zh))
            k += 2
            continue
        if c.kind == "prep":
            k += 1
            continue
        if c.kind == "adv" and out and out[-1].kind == "v":  # "sleeping quietly" -> 安静地睡
            out.insert(len(out) - 1, c)
            k += 1
            continue
        if c.kind == "v":
            verb_seen = True
        if c.kind == "punct":
            verb_seen = False
        out.append(c)
        k += 1
    text = ""
    for c in out:
        piece = _chunk_zh(lex, c, counted)
        if c.kind == "conj" and c.zh == "和" and not (text and out.index(c) + 1 < len(out) and out[out.index(c) + 1].kind == "np"):
            piece = "，"
        if text and piece and (re.match(r"[A-Za-z0-9]", piece) and re.search(r"[A-Za-z0-9]$", text)):
            text += " "
        text += piece
    return text


def en_to_zh(text: str, counted: bool = True) -> tuple[str, list[str]]:
    """Translate one English phrase into Chinese; returns the Chinese and the English words left
    in it untranslated. ``counted``: "a cat" -> 一只猫 (else 猫, for a background or style part)."""
    lex = _en_lexicon()
    missing: list[str] = []
    items = _items(lex, _EN_TOKEN.findall(text.replace("\u2019", "'")), missing)
    pieces, clause = [], []
    for it in items + [_Item("punct", "")]:
        if it.kind == "punct" and it.zh not in {"“", "”"}:
            if clause:
                pieces.append(_clause(lex, clause, counted))
            clause = []
            pieces.append(it.zh)
        else:
            clause.append(it) if it.kind != "punct" else clause.append(_Item("n", it.zh))
    out = re.sub(r"([，。；：])[，。；：]+", r"\1", "".join(pieces))
    return out.strip("，；：。 "), missing




def translate_prompt(prompt: DrawingPrompt, target: Literal["en", "zh"]) -> TranslationResult:
    """The prompt with every part in ``target``; a prompt already in ``target`` is returned as is."""
    if prompt.lang == target:
        return TranslationResult(prompt=prompt.model_copy(), target=target)
    fn = zh_to_en if target == "en" else en_to_zh
    untranslated: list[tuple[str, str]] = []
    values: dict[str, object] = {}
    for part in ("subject", "background", "shot", "style"):
        value = getattr(prompt, part)
        text, missing = (fn(value) if target == "en" else en_to_zh(value, counted=part == "subject")) if value else ("", [])
        if part == "shot" and target == "en" and text and not re.match(r"(?:a|an|the)\b", text, re.I):
            text = ("an " if text[0].lower() in "aeiou" else "a ") + text  # "a medium shot", as English prompts say it
        values[part] = text
        untranslated += [(part, m) for m in missing]
    extras = []
    for e in prompt.extras:
        text, missing = fn(e)
        untranslated += [("extras", m) for m in missing]
        if text:
            extras.append(text)
    values["extras"] = extras
    return TranslationResult(prompt=DrawingPrompt(lang=target, **values), untranslated=untranslated, target=target)
