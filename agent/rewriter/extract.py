"""Value extraction for a learned edit guess: the request -> one :class:`Edit`.

Once :mod:`~dialoggen.agent.rewriter.classifier` has named the edit type, what remains is to find
its arguments without a phrasing-specific rule. The request is stripped of its wrapper
(politeness, hedges, fillers, thanks, references to earlier turns, words in the other
language, typos of command words); the thing it names is found in the previous prompt (the
longest piece of the request that occurs there); the new value is the longest run of words
(characters, in Chinese) left once the named thing and the words that only frame a request
("make", "should be", "background", "换成", "背景", "一下") are taken out. ``None`` when an
argument cannot be found, so the caller keeps the rules' answer.
"""

from __future__ import annotations

import re
from typing import Optional

from . import lexicon as L
from ..prompt import DrawingPrompt
from .common import COLOUR_RE, COLOUR_ZH_RE, MATERIAL_RE, MATERIAL_ZH_RE, Edit, EditGuess, norm_en, time_of
from .en import clause_text, fix_typos_en, mentioned_en, style_value
from .nouns import find_zh
from .zh import clause_zh, style_value_zh
from .kinds import EditKind

# ----------------------------------------------------------------------------------- English
_WRAP_EN = re.compile(
    r"\b(?:like i said(?: earlier| before)?|as i said(?: earlier| before)?|as mentioned|i meant|i mean|not quite|hmm+|ok(?:ay)? so(?: like)?|so like|"
    r"lol|lmao|haha+|pls|plz|please|thx|thanks|thank you(?: so much)?(?: in advance)?|if that'?s not too much trouble|that would be lovely|"
    r"otherwise it'?s perfect|honestly|not whatever that is|eh|ugh|idk|tbh|maybe|perhaps|kindly|would you be so kind as to|"
    r"would you mind|could you|can you|can u|could u|would you|i'?d love to see|i'?d like to see|i was picturing it|i'?d rather)\b", re.I)
_FRAME_EN = set(
    "a an the this that these those it its it's they them their there here is are was were be been being to of for with and or but so as at by "
    "make made making render redo draw paint show put set move switch swap change replace turn give get go try do does did use want need needs "
    "should could would will can must has have had like more less much very really just also too now then instead rather version "
    "colour color colours colors coloured colored ish look looks looking feel style styled vibe vibes aesthetic take on background backdrop "
    "setting scene location place scenery everything same thing whole one bit little new add adding include throw pop forgot missing "
    "something somewhere no not don't any there i i'd i'm me my u you your we us our let's see wrong picture image pic photo shot camera "
    "view angle done if what how about while okay ok yes yeah sure please pls plz lol say said earlier before thank thanks".split())
_DET_EN = ("a", "an", "the", "some", "two", "three", "several", "a few", "a pair of", "a couple of", "a stack of", "a flock of")


def _clean_en(request: str) -> str:
    text = fix_typos_en(norm_en(request))
    text = re.sub(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+", " ", text)  # "谢谢" in an English request
    text = re.sub(r"(?:->|→|=>|\?+|!+|…)", " , ", text)
    text = _WRAP_EN.sub(" , ", text)
    return re.sub(r"\s+", " ", text).strip(" ,.")


def _runs_en(text: str, drop: set[str]) -> list[list[str]]:
    """Runs of consecutive content words (words not in ``drop`` nor framing), in order."""
    runs: list[list[str]] = [[]]
    for tok in re.findall(r"[A-Za-z][\w'-]*|[,.;:]", text):
        low = tok.lower()
        if low in _FRAME_EN or low in drop or tok in ",.;:":
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append(re.sub(r"-ish$", "", tok))
    return [r for r in runs if r]


def _value_en(text: str, drop: set[str]) -> Optional[str]:
    """The longest run of content words (the last one on a tie)."""
    runs = _runs_en(text, drop)
    if not runs:
        return None
    best = max(range(len(runs)), key=lambda i: (len(runs[i]), i))
    return " ".join(runs[best])


def _det_np_en(text: str, exclude: set[str]) -> Optional[str]:
    """A determiner-led noun phrase of the request that does not name something in ``exclude``."""
    for m in re.finditer(r"\b(?P<det>a pair of|a couple of|a stack of|a flock of|a few|a|an|some|two|three|several)\s+(?P<np>[A-Za-z][\w'-]*(?:\s+[A-Za-z][\w'-]*){0,3})", text, re.I):
        words: list[str] = []
        toks = m.group("np").split() + text[m.end():].split()[:3]
        for i, w in enumerate(toks[:6]):
            nxt = toks[i + 1].lower() if i + 1 < len(toks) else ""
            if w.lower() == "of" and words and nxt and nxt not in _FRAME_EN:  # "a pile of pumpkins"
                words.append(w)
                continue
            if w.lower() in _FRAME_EN or w.lower() in L.PREPOSITIONS_EN or not re.fullmatch(r"[A-Za-z][\w'-]*", w):
                break
            words.append(w)
        if words and not any(w.lower() in exclude for w in words):
            return f"{m.group('det')} {' '.join(words)}"
    return None


def _extract_en(g: EditGuess, request: str, prompt: DrawingPrompt) -> Optional[Edit]:
    text = _clean_en(request)
    clauses = [c for c in (clause_text(s) for s in re.split(r"\s*,\s*|(?<=[.;])\s+", text)) if c]
    flat = " , ".join(clauses)
    named = mentioned_en(flat, prompt)
    if g.kind == EditKind.CHANGE_SHOT:
        return Edit(EditKind.CHANGE_SHOT, value=g.detail) if g.detail else None
    if g.kind == EditKind.COMBINE_IMAGES:
        return Edit(EditKind.COMBINE_IMAGES)
    if g.kind == EditKind.REMOVE_OBJECT:
        return Edit(EditKind.REMOVE_OBJECT, target=named) if named else None
    drop = {named.lower()} if named else set()
    drop |= {w.lower() for w in prompt.subject.split()} if g.kind == EditKind.CHANGE_BACKGROUND else set()
    if g.kind == EditKind.ADD_OBJECT:
        obj = _det_np_en(flat, drop) or _value_en(flat, drop)
        return Edit(EditKind.ADD_OBJECT, value=obj) if obj else None
    if g.kind == EditKind.CHANGE_BACKGROUND:
        t = time_of(flat, "en")
        if t and (g.detail == "time" or len(flat.split()) <= 3):
            return Edit(EditKind.CHANGE_BACKGROUND, value=t, detail="time")
        v = _det_np_en(flat, drop) or _value_en(flat, drop)
        return Edit(EditKind.CHANGE_BACKGROUND, value=v) if v else None
    if g.kind == EditKind.CHANGE_STYLE:
        for c in clauses:
            sv = style_value(c)
            if sv:
                return Edit(EditKind.CHANGE_STYLE, value=sv)
        if re.search(r"\b(?:real|realistic|lifelike|photo|photorealistic|photo-like)\b", flat, re.I):
            return Edit(EditKind.CHANGE_STYLE, value="photorealistic")
        m = re.search(r"\b(?:like|by|of)\s+(?P<a>[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*)*)", flat)
        if m:
            return Edit(EditKind.CHANGE_STYLE, value="inspired by " + m.group("a"))
        v = _value_en(flat, drop)
        return Edit(EditKind.CHANGE_STYLE, value=v) if v else None
    if g.kind == EditKind.CHANGE_ENTITY:
        target = named or "it"
        if g.detail == "colour":
            m = COLOUR_RE.search(flat)
            v = _value_en(flat, drop)
            v = v if v and (not m or m.group().lower() in v.lower()) and len(v.split()) <= 3 else (m.group() if m else None)
            return Edit(EditKind.CHANGE_ENTITY, target=target, value=v, detail="colour") if v else None
        if g.detail == "material":
            m = MATERIAL_RE.search(flat)
            v = _value_en(flat, drop)
            v = v if v and len(v.split()) <= 3 else (m.group() if m else None)
            return Edit(EditKind.CHANGE_ENTITY, target=target, value=v, detail="material") if v else None
        new = _det_np_en(flat, drop) or _value_en(flat, drop)
        if not new or (named and new.lower() == named.lower()):
            return None
        return Edit(EditKind.CHANGE_ENTITY, target=target, value=new, detail="entity")
    return None


# ----------------------------------------------------------------------------------- Chinese
_WRAP_ZH = re.compile(
    r"[A-Za-z]+|emm+|嗯+|额+|呃+|您好|你好|请问|麻烦您?|能不能|可不可以|可以|能否|如果方便的话|方便的话|是否|帮我|帮忙|请|谢谢啦?|非常感谢|感谢|多谢|"
    r"之前说了|刚才说了|我说了|我是说|我觉得|我感觉|感觉|我想象中|我想要|我想|我要|想要|不太对|不对|不行|太丑了?|太普通了|太假了|太挤了|"
    r"一下|一点|一些|点儿?|吧|吗|呢|呀|啊|哦|啦|嘛|呗|了|的话|就是|那种|那样|一样|安排|走起|试试|看看|会更好|更好|比较好|"
    r"就好了|应该是|应该|而不是|顺便|还要有|还要|再来|再|也|都|就")
_FRAME_ZH = re.compile(
    r"换成|改成|变成|替换为|替换成|换为|改为|唤成|弄成|搞成|整成|做成|调成|画成|换到|搬到|放到|放在|放进|移到|改|换|整|搞|弄|加上|加个|加|添加|添上|放|来个|来|"
    r"给|把|将|让|用|要|上个|颜色|色调|整体|版本|背景|场景|地点|地方|环境|风格|画风|感觉|氛围|效果|质感|材质|画面|画里|图里|里面|"
    r"旁边|身边|同样的|同样|的时候|时候|在|是|个|会比|不要|重新绘制|重新|绘制|画的")


def _runs_zh(text: str, drop: str) -> list[str]:
    if drop:
        text = text.replace(drop, "|")
    text = _WRAP_ZH.sub("|", text)
    text = _FRAME_ZH.sub("|", text)
    runs = (r.strip("的里中上去") for r in re.split(r"[|，,。！？!?：:；;、\s→>\-+~～…（）()“”\"']+", text))
    return [r for r in runs if r]


def _value_zh(text: str, drop: str) -> Optional[str]:
    runs = _runs_zh(text, drop)
    if not runs:
        return None
    best = max(range(len(runs)), key=lambda i: (len(runs[i]), i))
    return runs[best]


_STOP_CHARS_ZH = set("的了在是一个着上下里和与把给要个也都就")


def _named_zh(request: str, prompt: DrawingPrompt) -> str:
    """The longest piece of the request that names something in the prompt ("" if none)."""
    text = _WRAP_ZH.sub("|", request)
    best = ""
    for piece in re.split(r"[|，,。！？!?：:；;\s]+", text):
        found = find_zh(prompt, piece)
        found = found.strip("".join(_STOP_CHARS_ZH))
        if len(found) > len(best) and not (len(found) == 1 and found in _STOP_CHARS_ZH):
            best = found
    return best if best and not re.fullmatch(r"[一二两三几]?[只个位名台头艘辆]?", best) else ""


def _extract_zh(g: EditGuess, request: str, prompt: DrawingPrompt) -> Optional[Edit]:
    text = request.strip()
    if g.kind == EditKind.CHANGE_SHOT:
        return Edit(EditKind.CHANGE_SHOT, value=g.detail) if g.detail else None
    if g.kind == EditKind.COMBINE_IMAGES:
        return Edit(EditKind.COMBINE_IMAGES)
    named = _named_zh(text, prompt)
    if g.kind == EditKind.REMOVE_OBJECT:
        return Edit(EditKind.REMOVE_OBJECT, target=named) if named else None
    if g.kind == EditKind.ADD_OBJECT:
        body = re.sub(r"^[^，,]*?(?:加|添|放|来|整|配上|要有)", "", _WRAP_ZH.sub("", text)) or text
        m = re.search(r"[一两三几][^，,。！？!?\s]{1,12}", body)
        obj = m.group().rstrip("吧吗呢哦啦") if m else _value_zh(text, "")
        return Edit(EditKind.ADD_OBJECT, value=obj) if obj else None
    drop = named if g.kind == EditKind.CHANGE_ENTITY else ""
    if g.kind == EditKind.CHANGE_BACKGROUND:
        t = time_of(text, "zh")
        v = _value_zh(text, "")
        if t and (g.detail == "time" or (v and len(v) <= 4)):
            return Edit(EditKind.CHANGE_BACKGROUND, value=t, detail="time")
        return Edit(EditKind.CHANGE_BACKGROUND, value=v) if v else None
    if g.kind == EditKind.CHANGE_STYLE:
        if re.search(r"写实|真实|照片|逼真", text):
            return Edit(EditKind.CHANGE_STYLE, value="写实")
        v = style_value_zh(clause_zh(text))
        if v and len(v) <= 10 and not re.search(r"[，,。！？!?]", v):
            return Edit(EditKind.CHANGE_STYLE, value=v)
        v = _value_zh(text, "")
        if not v:
            return None
        return Edit(EditKind.CHANGE_STYLE, value=v if re.search(r"风|画|艺术|渲染|插画|摄影|素描|漫|像素|玻璃|多边形|波", v) else v + "风格")
    if g.kind == EditKind.CHANGE_ENTITY:
        v = _value_zh(text, drop)
        if not v:
            return None
        if g.detail == "colour":
            m = COLOUR_ZH_RE.search(v)
            return Edit(EditKind.CHANGE_ENTITY, target=named, value=v if len(v) <= 5 else (m.group() if m else v), detail="colour")
        if g.detail == "material":
            m = MATERIAL_ZH_RE.search(v)
            return Edit(EditKind.CHANGE_ENTITY, target=named, value=v if len(v) <= 4 else (m.group() if m else v), detail="material")
        if not named or v == named:
            return None
        return Edit(EditKind.CHANGE_ENTITY, target=named, value=v, detail="entity")
    return None


def extract(g: EditGuess, request: str, lang: str, prompt: DrawingPrompt) -> Optional[Edit]:
    """The :class:`Edit` of kind ``g.kind`` that ``request`` asks of ``prompt``, or ``None``."""
    try:
        return _extract_zh(g, request, prompt) if lang == "zh" else _extract_en(g, request, prompt)
    except (re.error, IndexError, ValueError):  # pragma: no cover - defensive: the rules' answer stands
        return None


__all__ = ["extract"]
