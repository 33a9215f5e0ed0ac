"""Applying edits to a prompt: only the parts an edit touches change; every other part is
the very same string (object consistency)."""

from __future__ import annotations

import re
from typing import Optional

from . import lexicon as L
from ..prompt import DrawingPrompt
from .common import COLOUR_RE, Edit, article, clean_spaces, word_re
from .new import prompt_from_caption
from .segment import whole_word_span
from .nouns import TOKEN, fix_articles, is_verbish, locate, main_noun, main_np, main_span_zh, np_span, part_text, resolve_target, with_part
from .kinds import EditKind


def apply_edits(prompt: DrawingPrompt, edits: list[Edit], *, other_caption: Optional[str] = None) -> DrawingPrompt:
    """``prompt`` with every edit applied in order; untouched parts stay the same strings."""
    out = prompt
    for e in edits:
        out = apply_edit(out, e, other_caption=other_caption)
    return out


def apply_edit(prompt: DrawingPrompt, edit: Edit, *, other_caption: Optional[str] = None) -> DrawingPrompt:
    zh = prompt.lang == "zh"
    k = edit.kind
    if k == EditKind.CHANGE_STYLE:
        return prompt.model_copy(update={"style": edit.value})
    if k == EditKind.CHANGE_SHOT:
        return prompt.model_copy(update={"shot": _new_shot(prompt, edit)})
    if k == EditKind.CHANGE_BACKGROUND:
        if edit.detail == "time":
            return _apply_time(prompt, edit.value)
        return prompt.model_copy(update={"background": edit.value})
    if k == EditKind.ADD_OBJECT:
        return prompt.model_copy(update={"extras": [*prompt.extras, _added_sentence(prompt, edit.value)]})
    if k == "extras":
        return prompt.model_copy(update={"extras": [*prompt.extras, edit.value]})
    if k == EditKind.REMOVE_OBJECT:
        return _apply_remove(prompt, edit.target)
    if k == EditKind.CHANGE_ENTITY:
        return _apply_entity_zh(prompt, edit) if zh else _apply_entity_en(prompt, edit)
    if k == EditKind.COMBINE_IMAGES:
        return _apply_combine(prompt, edit, other_caption)
    return prompt


def _new_shot(prompt: DrawingPrompt, edit: Edit) -> str:
    shots = L.SHOTS_ZH if prompt.lang == "zh" else L.SHOTS_EN
    current = prompt.shot
    if edit.detail == "in" and current in (shots["close"],):
        return shots["extreme_close"]
    if edit.detail == "out" and current in (shots["wide"], shots["panorama"]):
        return shots["extreme_wide"]
    if edit.detail == "out" and current in (shots["close"], shots["extreme_close"]) and edit.value != "wide":
        return shots["medium"]
    return shots.get(edit.value, edit.value)


def _apply_time(prompt: DrawingPrompt, phrase: str) -> DrawingPrompt:
    if prompt.lang == "zh":
        if not prompt.background:
            return prompt.model_copy(update={"extras": [*prompt.extras, f"场景是{phrase}"]})
        bg = prompt.background
        for old in L.TIME_PHRASES_ZH:
            bg = bg.replace(old + "的", "").replace(old, "")
        return prompt.model_copy(update={"background": f"{phrase}的{bg}" if bg else phrase})
    if not prompt.background:
        return prompt.model_copy(update={"extras": [*prompt.extras, f"The scene is {phrase}"]})
    bg = prompt.background
    for old in L.TIME_PHRASES_EN:
        bg = re.sub(r"\s*\b" + re.escape(old) + r"\b", "", bg, flags=re.I)
    return prompt.model_copy(update={"background": clean_spaces(f"{bg} {phrase}")})


def _added_sentence(prompt: DrawingPrompt, obj: str) -> str:
    if prompt.lang == "zh":
        main = main_noun(prompt)
        obj = re.sub(r"^(?:它|他|她)(?=旁边|身边|前面|后面|上面|头上|身上)", lambda _m: main, obj)  # user text: never a template
        return obj.strip("，, ")
    main = main_noun(prompt)
    if main:
        obj = re.sub(r"\b(?:next to|beside|near|behind|in front of|around|on|above|under|with) (?:it|them)\b",
                     lambda m: m.group(0).rsplit(" ", 1)[0] + " the " + main, obj, flags=re.I)
    obj = obj.strip(" ,.")
    return obj[:1].upper() + obj[1:]


def _apply_remove(prompt: DrawingPrompt, target: str) -> DrawingPrompt:
    named = target
    target = resolve_target(prompt, target)
    where = locate(prompt, target)
    if where is None and prompt.lang == "en" and " " in target:
        target = target.split()[-1]
        where = locate(prompt, target)
    if where is None:
        return prompt  # nothing to remove
    part, idx = where
    if part == "extras":
        zh = prompt.lang == "zh"
        keep = [e for e in prompt.extras if not ((target in e) if zh else np_span(e, target) is not None)]
        return prompt.model_copy(update={"extras": keep})
    text = getattr(prompt, part)
    if part == "subject" and _is_main(prompt, target) and _names(named, target, prompt.lang):
        return prompt.model_copy(update={part: _without_main(text, target, prompt.lang)})  # the main thing itself
    new = _remove_zh(text, target) if prompt.lang == "zh" else _remove_en(text, target)
    if new == text and part == "subject" and _names(named, target, prompt.lang):
        new = _without_main(text, target, prompt.lang)
    if new == text and part == "background" and _names(named, target, prompt.lang):
        new = ""  # the background was that thing alone
    return prompt.model_copy(update={part: new})


def _is_main(prompt: DrawingPrompt, target: str) -> bool:
    """Whether ``target`` is the subject's main thing ("女孩" in "一个穿着黄色裙子的女孩站着")."""
    if target and target == main_noun(prompt):
        return True
    if prompt.lang == "zh" and target and not main_noun(prompt):  # "一个穿着……的女孩站着": the head after the clause
        t = re.escape(target)
        return bool(re.search(r"的" + t + r"(?=[站坐躺趴蹲停走跑，,]|$)", prompt.subject))
    return False


def _names(named: str, target: str, lang: str) -> bool:
    """Whether the user named the thing (not "it"/"它", which may point elsewhere)."""
    n = re.sub(r"^(?:the|a|an|this|that|these|those)\s+", "", (named or "").strip(), flags=re.I)
    if lang == "zh":
        return bool(n) and n not in ("它", "他", "她", "它们", "这个", "那个") and (target in n or n in target)
    return bool(n) and n.lower() not in ("it", "them", "this", "that", "him", "her", "one", "they") and target.lower().split()[-1] in n.lower()


#: The subject when the user removes the only thing in it (the background, if any, stays).
EMPTY_SCENE = {"en": "An empty scene", "zh": "空无一物的场景"}
_SURFACES_EN = ("wall", "table", "bench", "shelf", "bed", "sofa", "couch", "desk", "floor", "ground", "bridge", "tree", "rock", "fence", "window", "door", "plate", "tray", "counter", "windowsill", "chair", "car")
_LOCATIVE_EN = re.compile(r"\b(?:against|in front of|on|at|in|near|beside|by|under|below|behind|inside|on top of)\s+(?P<np>(?:an?|the|some)\s+.+)$", re.I)


def _without_main(text: str, target: str, lang: str) -> str:
    """The subject once its main thing is removed: the place it stood on or against ("A bicycle
    parked against a rustic wall" -> "A rustic wall"), else an empty scene."""
    if lang == "zh":
        pos = text.find(target)
        if pos < 0:
            return text
        rest = text[pos + len(target):].lstrip("，, ")
        m = re.match(r"^(?:[坐站躺趴停放立蹲]?在)(?P<p>[^，。]{2,12}?)(?:上|里|中|旁边|旁|前|下)?$", rest)
        return m.group("p") if m else EMPTY_SCENE["zh"]
    conjuncts = re.split(r"\s+and\s+|,\s*", text)
    if len(conjuncts) > 1:  # "A man and a dog" minus the man: "A dog"
        keep = [c for c in conjuncts if np_span(c, target) is None]
        if keep and len(keep) < len(conjuncts):
            rest = " and ".join(keep).strip()
            return rest[:1].upper() + rest[1:]
    span = np_span(text, target) or main_np(text)
    if span is None:
        return text
    m = _LOCATIVE_EN.search(text[span[3]:])
    head = re.sub(r"\s+(?:with|in|on|at|near|under|by|of)\s+.*$", "", m.group("np")).strip(" ,.").split()[-1].lower() if m else ""
    if m and (head in L.PLACES_EN or head.rstrip("s") in _SURFACES_EN or head in _SURFACES_EN):
        np = m.group("np").strip(" ,.")
        return np[:1].upper() + np[1:]
    return EMPTY_SCENE["en"]


def _remove_en(text: str, target: str) -> str:
    span = np_span(text, target)
    if span is None:
        return text
    start, _, _, end = span
    main = main_np(text)
    if main is not None and main[2] == span[2]:
        return text  # never delete the main subject itself
    before, after = text[:start], text[end:]
    # "... and a hat" / "a hat and ..."
    m = re.search(r"(?:,\s*|\s+)and\s+$", before)
    if m:
        return clean_spaces(before[:m.start()] + after)
    m = re.match(r"\s+and\s+", after)
    if m:
        return clean_spaces(before + after[m.end():])
    # connector: "wearing a hat", "with a beard", "beside a lighthouse", "parked beside a lighthouse"
    tokens = list(TOKEN.finditer(before))
    cut = start
    if tokens:
        last = tokens[-1]
        w = last.group().lower()
        if w in L.PREPOSITIONS_EN or is_verbish(w):
            cut = last.start()
            if w in L.PREPOSITIONS_EN and len(tokens) > 1:
                prev = tokens[-2].group().lower()
                if prev in ("next", "in") and w in ("to", "front"):
                    cut = tokens[-2].start()
                elif prev.endswith("ed") or prev.endswith("ing") and prev in L.VERBS_EN:
                    if prev in L.VERBS_EN:
                        cut = tokens[-2].start()
    head = before[:cut]
    if not after.strip(" ,.;"):
        while True:  # "... suit while riding a" -> "... suit"
            m = re.search(r"[\s,]+(?P<w>[\w'-]+)\s*$", head)
            if not m or m.start() == 0:
                break
            w = m.group("w").lower()
            if w in L.DETERMINERS_EN or w in L.PREPOSITIONS_EN or w in ("while", "and", "as", "who", "which", "that") or (
                    w.endswith("ing") and is_verbish(w)):
                head = head[:m.start()]
                continue
            break
    new = head + after
    cleaned = clean_spaces(new)
    return cleaned if cleaned else text


#: Verbs whose object a removal can take away, leaving them dangling.
_OBJECT_VERB_ZH = "[弹拿吃啃咬叼吹烤煮抓踢扔抱骑接看玩读写画拉推举提停放戴撑握喝修补浇]"


def _remove_zh(text: str, target: str) -> str:
    span = whole_word_span(text, target)  # whole words: "人" in "女人" takes "女人"
    if span is None:
        return text
    pos, end = span
    target = text[pos:end]
    # extend left over modifiers to a verb / conjunction
    left = text[:pos]
    m = re.search(r"(?:戴着|拿着|穿着|握着|撑着|抱着|背着|带着|牵着|举着|提着|留着|加了|放着|停着|冒着|身穿|手[持握拿捧提](?!着)|和|与|跟|以及|还有|、)[^，。、和与在]*$", left)
    if m:
        start = m.start()
    else:
        start = pos
        mm = re.search(r"(?:[" + L.NUMERALS_ZH + r"]+[" + L.MEASURE_CHARS_ZH + r"])?(?:[^，。、在和与的]{0,6}的)?$", left)
        if mm:
            start = mm.start()
    if m and re.match(r"加了|放着|停着|冒着|留着", m.group()) and text[end:end + 1] == "的":
        end += 1
    # a place around it goes too: "停在灯塔旁边" -> "停"
    loc = re.match(r"(?:旁边|旁|边上|上面|上|里面|里|下面|下|前面|前|后面|后|附近|周围|四周|中间|对面)", text[end:])
    if loc and text[:start].endswith("在"):
        start -= 1
        end += loc.end()
    new = text[:start] + text[end:]
    # an object's verb left dangling at the end: "坐在岩石上弹" -> "坐在岩石上", "汽车停" -> "汽车"
    if end >= len(text):
        new = re.sub(r"(?<=[^\s])(?:在)?" + _OBJECT_VERB_ZH + "$", "", new)
        new = re.sub(r"(?<=[^\s])(?:正在|正|在)$", "", new)
    # ... or before the 的 of its clause: "一只吃竹子的大熊猫" -> "一只大熊猫", not "一只吃的大熊猫"
    elif text[end:end + 1] == "的" and re.search(r"(?:正在|正|在)?" + _OBJECT_VERB_ZH + "$", text[:start]):
        verb = re.search(r"(?:正在|正|在)?" + _OBJECT_VERB_ZH + "$", text[:start])
        new = text[:verb.start()] + text[end + 1:]
    # "停着木船的小港口" -> "小港口"; "一只戴着红帽子的熊猫" -> "一只熊猫", not "一只的熊猫"
    new = re.sub(r"^的", "", new)
    new = re.sub(r"^([" + L.NUMERALS_ZH + r"]+[" + L.MEASURE_CHARS_ZH + r"])的", r"\1", new)
    new = new.replace("，，", "，").strip("，、 ")
    # "和" / "、" left dangling
    new = re.sub(r"(?:和|与|、)$", "", new)
    return new or text


def _apply_entity_en(prompt: DrawingPrompt, edit: Edit) -> DrawingPrompt:
    target = resolve_target(prompt, edit.target)
    where = locate(prompt, target)
    if where is None:  # not found: the main subject is meant
        where = ("subject", -1)
        target = main_noun(prompt)
    text = part_text(prompt, where)
    span = np_span(text, target) if target else None
    if span is None:
        span = main_np(text)
    if span is None:
        return with_part(prompt, where, f"{text} ({edit.value})")
    np_start, mods_start, hs, he = span
    if edit.detail == "colour":
        mods = text[mods_start:hs]
        stripped = COLOUR_RE.sub("", mods)
        new_mods = clean_spaces(stripped)
        new_np_tail = (new_mods + " " if new_mods else "") + edit.value.lower() + " " + text[hs:he]
        new = text[:mods_start] + new_np_tail + text[he:]
        if mods_start == 0:
            new = new[:1].upper() + new[1:]
        return with_part(prompt, where, fix_articles(clean_spaces(new)))
    if edit.detail == "material" and edit.value.lower() in L.MATERIAL_ADJECTIVES_EN:  # "a woollen coat"
        mods = clean_spaces(re.sub(r"\b(?:" + "|".join(L.MATERIAL_ADJECTIVES_EN) + r")\b", "", text[mods_start:hs], flags=re.I))
        new = text[:mods_start] + (mods + " " if mods else "") + edit.value.lower() + " " + text[hs:]
        if mods_start == 0:
            new = new[:1].upper() + new[1:]
        return with_part(prompt, where, fix_articles(clean_spaces(new)))
    if edit.detail == "material":
        mods = text[mods_start:hs]
        new_mods = clean_spaces(re.sub(r"\b(?:wooden|metal|glass|stone|paper|golden|plastic|marble|crystal|ice)\b", "", mods, flags=re.I))
        after = re.sub(r"^\s+made (?:of|from|out of)\s+[^,]*?(?=\s+(?:" + "|".join(L.VERBS_EN) + r"|" + "|".join(L.PREPOSITIONS_EN) + r")\b|,|$)", "", text[he:])
        new = text[:mods_start] + (new_mods + " " if new_mods else "") + text[hs:he] + " made of " + edit.value + after
        if mods_start == 0:
            new = new[:1].upper() + new[1:]
        return with_part(prompt, where, fix_articles(clean_spaces(new)))
    # a new entity: replace the whole noun phrase (its modifiers described the old thing)
    new_np = edit.value.strip()
    det_old = text[np_start:mods_start].strip()
    has_det = re.match(r"^(?:an?|the|some|one|two|three|several|many|a few)\s", new_np, re.I)
    if not has_det:
        if det_old.lower() in ("a", "an", ""):
            new_np = article(new_np) if det_old else new_np
        else:
            new_np = f"{det_old} {new_np}"
    if np_start == 0 and text[:1].isupper():
        new_np = new_np[:1].upper() + new_np[1:]
    new = text[:np_start] + new_np + text[he:]
    return with_part(prompt, where, fix_articles(clean_spaces(new)))


def _measure_for(noun: str) -> Optional[str]:
    for mw, nouns in L.MEASURE_ZH.items():
        if noun in nouns:
            return mw
    for mw, nouns in L.MEASURE_ZH.items():
        if any(noun.endswith(n) for n in nouns if len(n) >= 1):
            return mw
    return None


def _apply_entity_zh(prompt: DrawingPrompt, edit: Edit) -> DrawingPrompt:
    target = resolve_target(prompt, edit.target)
    where = locate(prompt, target) if target else None
    if where is None:
        where = ("subject", -1)
        target = main_noun(prompt)
    text = part_text(prompt, where)
    pos = text.find(target) if target else -1
    if edit.detail == "colour" and pos >= 0 and re.fullmatch(r"[" + L.COLOUR_CHARS_ZH + r"]+色", target):
        start = pos  # "从白色变为橘黄色": the old colour word itself, whole ("灰白色" -> "橘黄色")
        while start > 0 and text[start - 1] in L.COLOUR_CHARS_ZH:
            start -= 1
        colour = edit.value if edit.value.endswith("色") or edit.value == "透明" else edit.value + "色"
        return with_part(prompt, where, text[:start] + colour + text[pos + len(target):])
    if pos < 0:
        span = main_span_zh(text)
        if span is None:
            return with_part(prompt, where, f"{text}（{edit.value}）")
        pos, target = span[0], text[span[0]:span[1]]
    end = pos + len(target)
    if edit.detail == "colour":
        left = text[:pos]
        m = re.search(r"[" + L.COLOUR_CHARS_ZH + r"]*(?:" + word_re(L.COLOURS_ZH) + r"的?|[" + L.COLOUR_CHARS_ZH + r"]色?的?)$", left)
        colour = edit.value if edit.value.endswith("色") or edit.value == "透明" else edit.value + "色"
        lead = re.match(r"[" + L.COLOUR_CHARS_ZH + r"]+色的?", text[pos:end])
        if lead and lead.end() < end - pos:  # the target itself starts with the old colour ("白色的猫")
            return with_part(prompt, where, text[:m.start() if m else pos] + colour + "的" + text[pos + lead.end():])
        if m:
            new = text[:m.start()] + colour + "的" + text[pos:]
        elif target[:1] in L.COLOUR_CHARS_ZH and len(target) >= 2:  # "白马" -> "红色的马"
            new = text[:pos] + colour + "的" + target[1:] + text[end:]
        else:
            new = text[:pos] + colour + "的" + text[pos:]
        return with_part(prompt, where, new)
    if edit.detail == "material":
        new = text[:pos] + f"{edit.value}做的" + text[pos:]
        return with_part(prompt, where, new)
    new_noun = edit.value.strip()
    left = text[:pos]
    mw_new = None
    m = re.match(r"^(?P<num>[" + L.NUMERALS_ZH + r"]+)(?P<mw>[" + L.MEASURE_CHARS_ZH + r"])(?P<n>.+)$", new_noun)
    mm = re.search(r"(?P<num>[" + L.NUMERALS_ZH + r"]+)(?P<mw>[" + L.MEASURE_CHARS_ZH + r"])(?P<mod>[^，。在戴穿撑拿握抱骑着了给和与正]{0,8}?)$", left)
    if m and mm:  # "一束玫瑰" replaces "一把蓝色的雨伞"
        return with_part(prompt, where, text[:mm.start()] + new_noun + text[end:])
    if mm:
        mw_new = _measure_for(new_noun)
        # modifiers between the measure word and the noun described the old thing
        if mw_new and mw_new != mm.group("mw"):
            new = text[:mm.start()] + mm.group("num") + mw_new + new_noun + text[end:]
        else:
            new = text[:mm.start()] + mm.group("num") + mm.group("mw") + new_noun + text[end:]
        return with_part(prompt, where, new)
    return with_part(prompt, where, text[:pos] + new_noun + text[end:])


def _apply_combine(prompt: DrawingPrompt, edit: Edit, other_caption: Optional[str]) -> DrawingPrompt:
    if not other_caption:
        return prompt
    zh = prompt.lang == "zh"
    other = prompt_from_caption(other_caption, prompt.lang).subject
    if edit.target and not zh:  # Chinese keeps the caption's whole subject (the named thing's context)
        span = np_span(other, edit.target)
        if span is not None:
            piece = other[span[0]:span[3]]
            other = piece if len(piece.split()) > 1 else other
    if zh:
        return prompt.model_copy(update={"subject": f"{prompt.subject}，旁边还有{other.rstrip('。')}"})
    other = other.rstrip(".")
    if other[:2] in ("A ", "An") or other.split(" ", 1)[0] in ("The", "Two", "Three", "Some", "Several", "An", "A"):
        other = other[:1].lower() + other[1:]
    return prompt.model_copy(update={"subject": f"{prompt.subject}, together with {other}"})
