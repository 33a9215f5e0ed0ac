"""Finding things in a prompt: English noun-phrase spans, the Chinese main-noun span, and
where (which part, which extras sentence) a thing the user names lives."""

from __future__ import annotations

import re
from typing import Optional

from . import lexicon as L
from ..prompt import DrawingPrompt
from .common import STOP_EN, strip_det


TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")


def is_verbish(word: str) -> bool:
    w = word.lower()
    return w in L.VERBS_EN or (w.endswith("ing") and len(w) > 5)


def _find_word(low: str, word: str) -> Optional[tuple[int, int]]:
    """Span of the first whole-word occurrence of ``word`` in ``low`` (both lower case).
    Plain string search: a regex per word would churn the ``re`` module's pattern cache."""
    if not word:
        return None
    start = low.find(word)
    while start >= 0:
        end = start + len(word)
        before = low[start - 1] if start else " "
        after = low[end] if end < len(low) else " "
        if not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_"):
            return start, end
        start = low.find(word, start + 1)
    return None


def np_span(text: str, head: str) -> Optional[tuple[int, int, int, int]]:
    """``(np_start, mods_start, head_start, head_end)`` of the first noun phrase whose head
    is ``head`` (singular or plural), or ``None``."""
    head = strip_det(head).strip()
    if not head:
        return None
    forms = [head]
    if head.endswith("es"):
        forms.append(head[:-2])
    if head.endswith("s"):
        forms.append(head[:-1])
    else:
        forms += [head + "s", head + "es"]
    found = None
    low = text.lower()
    for form in forms:
        found = _find_word(low, form.lower())
        if found is not None:
            break
    if found is None and " " in head:  # "horse carriage" -> "carriage"
        return np_span(text, head.split()[-1])
    if found is None:
        return None
    hs, he = found
    # extend to plural suffix
    tail = re.match(r"(?:e?s)\b", text[he:])
    if tail and not text[hs:he].lower().endswith("s"):
        he += tail.end()
    mods_start = hs
    np_start = hs
    tokens = list(TOKEN.finditer(text[:hs]))
    for tok in reversed(tokens):
        between = text[tok.end():mods_start]
        if between.strip():  # punctuation in between
            break
        w = tok.group().lower()
        if w in L.DETERMINERS_EN:
            np_start = tok.start()
            break
        if w in STOP_EN or is_verbish(w):
            break
        mods_start = tok.start()
        np_start = tok.start()
    return np_start, mods_start, hs, he


def main_np(subject: str) -> Optional[tuple[int, int, int, int]]:
    """The noun phrase the subject starts with (the main subject), as :func:`np_span`."""
    tokens = list(TOKEN.finditer(subject))
    if not tokens:
        return None
    start = 0
    if tokens[0].group().lower() in L.DETERMINERS_EN:
        start = 1
    end = start
    for i in range(start, len(tokens)):
        w = tokens[i].group().lower()
        gap = subject[tokens[i - 1].end():tokens[i].start()] if i > 0 else ""
        if i > start and (w in STOP_EN or is_verbish(w) or "," in gap):
            break
        # "-s" word followed by a determiner/preposition reads as a verb ("waters a")
        if i > start and w.endswith("s") and not w.endswith("ss") and i + 1 < len(tokens) and tokens[i + 1].group().lower() in STOP_EN:
            break
        end = i
    if end < start:
        return None
    head = tokens[end]
    mods_start = tokens[start].start()
    return tokens[0].start(), mods_start, head.start(), head.end()


def main_noun(prompt: DrawingPrompt) -> str:
    if prompt.lang == "zh":
        span = main_span_zh(prompt.subject)
        return prompt.subject[span[0]:span[1]] if span else ""
    span = main_np(prompt.subject)
    return prompt.subject[span[2]:span[3]] if span else ""


def fix_articles(text: str) -> str:
    def repl(m: re.Match) -> str:
        art, word = m.group(1), m.group(2)
        vowel = word[:1].lower() in "aeiou" and not re.match(r"(?:uni|use|one|eu)", word, re.I)
        new = "an" if vowel else "a"
        if art[0].isupper():
            new = new.capitalize()
        return f"{new} {word}"

    return re.sub(r"\b(an?|An?)\s+([A-Za-z][\w'-]*)", repl, text)


def locate(prompt: DrawingPrompt, target: str) -> Optional[tuple[str, int]]:
    """Where the user's ``target`` lives: ``(part, extras index or -1)``; ``None`` if nowhere."""
    if not target:
        return ("subject", -1)
    zh = prompt.lang == "zh"
    for part in ("subject", "extras", "background"):
        values = prompt.extras if part == "extras" else [getattr(prompt, part)]
        for i, value in enumerate(values):
            found = (target in value) if zh else np_span(value, target) is not None
            if found:
                return part, (i if part == "extras" else -1)
    return None


def part_text(prompt: DrawingPrompt, where: tuple[str, int]) -> str:
    part, idx = where
    return prompt.extras[idx] if part == "extras" else getattr(prompt, part)


def with_part(prompt: DrawingPrompt, where: tuple[str, int], value: str) -> DrawingPrompt:
    part, idx = where
    if part == "extras":
        extras = list(prompt.extras)
        extras[idx] = value
        return prompt.model_copy(update={"extras": extras})
    return prompt.model_copy(update={part: value})


def resolve_target(prompt: DrawingPrompt, target: str) -> str:
    """The user's name for a thing, or the main noun for "it"/"它"."""
    t = target.strip()
    if prompt.lang == "zh":
        t = re.sub(r"^(?:把|将|让|给|这个|那个|这只|那只|画里的|画面里的|图里的|画中的|的)+", "", t)
        t = re.sub(r"(?:的颜色|颜色|的材质|材质|的)$", "", t)
        if t in ("", "它", "他", "她", "它们", "他们", "这个", "画面", "整个画面", "整体", "整个", "全部", "全都"):
            return main_noun(prompt)
        found = find_zh(prompt, t)
        return found or t
    t = re.sub(r"'s\s+(?:colou?r|material)$|\s+(?:colou?r|material)$", "", t, flags=re.I)
    t = re.sub(r"'s$", "", t)
    t = strip_det(t)
    if t.lower() in ("", "it", "them", "this", "that", "him", "her", "everything", "the whole thing", "one", "they"):
        return main_noun(prompt)
    return t


def find_zh(prompt: DrawingPrompt, region: str) -> str:
    """The longest piece of ``region`` that occurs in the prompt's subject, extras or background."""
    texts = [prompt.subject, *prompt.extras, prompt.background]
    best = ""
    region = region[:40]  # a name, not a paragraph
    n = len(region)
    for i in range(n):
        for j in range(n, i, -1):
            if j - i <= len(best):
                break
            piece = region[i:j]
            if any(piece in t for t in texts if t):
                best = piece
                break
    return best if len(best) >= 1 else ""


def main_span_zh(subject: str) -> Optional[tuple[int, int]]:
    """The main noun's span in a Chinese subject: after numeral+measure word and modifiers
    ending in 的, up to the first verb-like character."""
    m = re.match(r"^(?:[" + L.NUMERALS_ZH + r"]+[" + L.MEASURE_CHARS_ZH + r"])?", subject)
    start = m.end() if m else 0
    rest = subject[start:]
    stop = re.search(r"在|正|戴|穿|撑|拿|握|抱|骑|沿|停|坐|站|躺|趴|走|跑|飞|吃|喝|给|和|与|，|,|。|加了|留着|冒着|身穿|手持|被|从|向|朝|往|把", rest)
    end = start + (stop.start() if stop else len(rest))
    seg = subject[start:end]
    k = seg.rfind("的")
    if k >= 0 and k + 1 < len(seg):
        start += k + 1
    if end <= start:
        return None
    return start, end
