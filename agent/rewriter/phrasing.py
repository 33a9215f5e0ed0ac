"""How real people phrase edits (issue 12), read before and checked after the rule rewriter.

- :func:`normalize` drops wording that names the picture rather than a thing in it
  ("from the image", "of this photo", "图片中的") and positional qualifiers the prompt
  cannot hold ("the cup on the left of the kettle" -> "the cup").
- :func:`split_multi` splits several edits in one Chinese message ("……，并……") so each is
  read and applied in order.
- :func:`pre_edits` reads phrasings the older rules misread: "turn them into X", "give her
  X", "let the dog jump", "在X上增加Y", "给X戴上Y", "让X蹲下", "缩小X", "将X的姿势改为Y". Each
  becomes a declarative edit (never the request's own wording).
- :func:`leaked` says whether a value the rules wrote still holds request wording; the
  rewriter then drops that edit and says so in one sentence (the turn's notice).
"""

from __future__ import annotations

import re
from typing import Optional

from . import lexicon as L
from ..prompt import DrawingPrompt
from .common import COLOUR_RE, COLOUR_ZH_RE, STYLE_RE, Edit, article, time_of
from .kinds import EditKind
from .zh import clause_zh
from .nouns import find_zh, fix_articles, locate, main_noun, main_np, np_span, resolve_target

# --- normalizing -------------------------------------------------------------------------------

_PICTURE_EN = re.compile(r"\s+(?:from|in|of|on)\s+(?:the|this|that)\s+(?:image|picture|photo|photograph|pic|scene)\b", re.I)
_POS_WORD = r"(?:left|right|top|bottom|middle|center|centre|front|back|foreground)"
_END_EN = r"(?=\s+(?:to|into|with|out of|made|a|an|as|in|is|are|should|needs?)\b|\s+" + COLOUR_RE.pattern + r"|\s+(?:striped|dotted|checkered|golden|transparent)\b)"
_POSITION_EN = re.compile(
    r"\s+(?:(?:on|to|at|in)\s+(?:the\s+)?" + _POS_WORD + r"(?:\s+side)?(?:\s+(?:of|shelf)(?:\s+(?:the|a)\s+(?:[\w-]+\s+){0,2}?[\w-]+)?)?"
    r"|(?:beneath|under|below|above|behind|next to|beside|near|on top of)\s+the\s+(?:[\w-]+\s+){0,2}?[\w-]+)" + _END_EN, re.I)
_POS_ADJ_EN = re.compile(r"\bthe\s+(?:left|right|top|bottom|middle|front|back)(?:most)?\s+(?=[a-z])", re.I)
_PICTURE_ZH = re.compile(r"(?:图片|照片|图像|画面|图|前景|背景)(?:中|里)的?(?=.)")


def normalize(request: str, lang: str) -> str:
    """The request without wording about the picture itself or positions the prompt cannot hold."""
    if lang == "zh":
        text = _PICTURE_ZH.sub("", request) if not re.search(r"背景(?:替换|换|改|变|是|为)", request) else re.sub(r"(?:图片|照片|图像|画面|图)(?:中|里)的?", "", request)
        text = text.replace("移除掉", "移除").replace("去除掉", "去除")
        return re.sub(r"修改(?=为|成)", "改", text)
    text = _PICTURE_EN.sub("", request)
    if re.match(r"^\s*(?:make|change|turn|color|colour|paint|convert|replace|swap|remove|delete|erase|recolou?r|the)\b", text, re.I):
        text = _POSITION_EN.sub("", text)
        text = _POS_ADJ_EN.sub("the ", text)
    return text


_IMPERATIVE_EN = r"(?:make|let|add|remove|delete|erase|change|turn|put|give|move|colou?r|paint|replace|swap|place|set|get rid of|take out|have)"


def split_multi(request: str, lang: str) -> list[str]:
    """Several edits in one message, in order ("把A变成红色，并将B……", "make her smile and move
    her closer to the tree", "change the horse to a zebra, then make the sky orange")."""
    if lang != "zh":
        text = request.strip()
        if not re.match(r"^(?:please\s+)?" + _IMPERATIVE_EN + r"\b", text, re.I) or re.match(r"^(?:please\s+)?(?:swap|replace|switch|exchange|substitute)\b", text, re.I):
            return [request]  # "swap out the lighthouse and put in a windmill" is one edit
        parts = re.split(r"\s*(?:;|,\s*(?:and\s+)?then\s+|\s+and\s+then\s+|,?\s+and\s+(?=(?:also\s+)?" + _IMPERATIVE_EN + r"\b)|,\s*(?=" + _IMPERATIVE_EN + r"\b))\s*", text, flags=re.I)
        parts = [p for p in parts if p and p.strip(" .!,")]
        return parts if len(parts) > 1 else [request]
    split = r"[，,；;]\s*(?:并且?|然后|同时|再|另外|还要)|；|;"
    if re.match(r"^(?:请|帮我)?(?:将|把|给|在|让|移除|去掉|删除|添加|增加|用|改成|换成|变成|加上?|添上)", request.strip()):  # "给她戴上皇冠，将花朵替换为权杖"
        split += r"|[，,](?=(?:将|把|给|在|让|加|添|去掉|移除|删除)[^，,]{2,})"
    parts = [p.strip("，, ") for p in re.split(split, request)]
    parts = [p for p in parts if p.strip("。！ ")]
    return parts if len(parts) > 1 else [request]


# --- edits the older rules misread ---------------------------------------------------------------

_WEAR_EN = r"(?:hat|cap|necklace|neckless|scarf|glasses|sunglasses|crown|shirt|dress|coat|jacket|tie|helmet|mask|earrings|ring|gloves|boots|shoes|bow|wig|suit|sweater|hood|veil)"
_POSE_GERUND = {"run": "running", "jump": "jumping", "sit": "sitting", "stand": "standing", "lie": "lying", "fly": "flying", "swim": "swimming",
                "smile": "smiling", "dance": "dancing", "sleep": "sleeping", "walk": "walking", "raise": "raising", "wave": "waving", "laugh": "laughing",
                "cry": "crying", "eat": "eating", "look": "looking", "turn": "turning", "kneel": "kneeling", "crouch": "crouching", "sing": "singing",
                "play": "playing", "hold": "holding", "read": "reading", "drink": "drinking", "stretch": "stretching", "bow": "bowing", "lean": "leaning"}
_POSTURE_EN = re.compile(r"\b(?:standing|sitting|lying|walking|running|resting|posing|sleeping|laying)\b", re.I)


def _gerund(verb: str) -> str:
    v = verb.lower()
    if v in _POSE_GERUND:
        return _POSE_GERUND[v]
    if v.endswith("e") and not v.endswith("ee"):
        return v[:-1] + "ing"
    return v + "ing"


def pre_edits(request: str, lang: str, prompt: DrawingPrompt) -> Optional[list[Edit]]:
    """Edits for phrasings the older rules misread; ``None`` when none of them applies."""
    return _pre_zh(request, prompt) if lang == "zh" else _pre_en(request, prompt)


_LOOKS_EN = (
    (r"bright(?:er)?|light(?:er)?", "The scene is brightly lit"), (r"dark(?:er)?|dimm?(?:er)?", "The scene is dark and dimly lit"),
    (r"warm(?:er)?", "The colors are warm"), (r"cool(?:er)?|cold(?:er)?", "The colors are cool"),
    (r"more (?:colou?rful|vivid|saturated)|(?:colou?rful|vivid|saturated)", "The colors are vivid"),
    (r"(?:less (?:colou?rful|saturated)|muted|desaturated|duller)", "The colors are muted"),
    (r"(?:more )?(?:gloomy|moody|sad|eerie|spooky|creepy)", "The mood is gloomy"), (r"(?:more )?(?:cheerful|happy|joyful|happier)", "The mood is cheerful"),
)
_LOOKS_ZH = ((r"调亮|更亮|变亮|亮一些|明亮", "画面明亮"), (r"调暗|更暗|变暗|暗一些|昏暗", "画面昏暗"), (r"偏暖|暖色|更暖", "色调温暖"), (r"偏冷|冷色|更冷", "色调清冷"))


def _pre_en(request: str, prompt: DrawingPrompt) -> Optional[list[Edit]]:
    text = request.strip().rstrip(".!")
    # "make the background green": a plain backdrop of that colour, not a green subject
    m = re.match(r"^(?:please\s+)?(?:make|turn|change|paint|colou?r)\s+the\s+background\s+(?:to\s+|into\s+)?(?P<c>" + COLOUR_RE.pattern + r")$", text, re.I)
    if m:
        return [Edit(EditKind.CHANGE_BACKGROUND, value=f"a plain {m.group('c').lower()} backdrop")]
    # "change the car from yellow to black": the old colour goes
    m = re.match(r"^(?:please\s+)?(?:change|turn|make|paint|recolou?r)\s+(?:the\s+)?(?P<x>[\w -]+?)\s+from\s+(?P<a>" + COLOUR_RE.pattern + r")\s+(?:to|into)\s+(?P<b>" + COLOUR_RE.pattern + r")$", text, re.I)
    if m:
        return [Edit(EditKind.CHANGE_ENTITY, target=m.group("x"), value=m.group("b"), detail="colour")]
    # "the dog needs to be taken out", "the lamp should be removed", "the hat has to go"
    m = re.match(r"^(?:the|that|this|those|these)\s+(?P<x>[\w -]+?)\s+(?:needs?|has|have|ought|should|must|could|can)\s+(?:to\s+)?(?:be\s+)?(?:taken out|taken away|removed|deleted|erased|gone|go|disappear)$", text, re.I)
    if m:
        return [Edit(EditKind.REMOVE_OBJECT, target=m.group("x"))]
    # "remove the wooden house and dock": both, the later one first (the first may be the main thing)
    m = re.match(r"^(?:please\s+)?(?:remove|delete|erase|take out)\s+(?:the\s+)?(?P<a>[\w -]+?)\s+and\s+(?:the\s+)?(?P<b>[\w -]+)$", text, re.I)
    if m and locate(prompt, m.group("a").split()[-1]) is not None and locate(prompt, m.group("b").split()[-1]) is not None:
        return [Edit(EditKind.REMOVE_OBJECT, target=m.group("b")), Edit(EditKind.REMOVE_OBJECT, target=m.group("a"))]
    # "make it night with a full moon": the time of day and what comes with it
    m = re.match(r"^(?:please\s+)?(?:make|turn|change)\s+it\s+(?:in)?(?:to\s+)?(?P<t>[\w -]+?)\s+with\s+(?P<x>.+)$", text, re.I)
    if m and time_of(m.group("t"), "en"):
        return [Edit(EditKind.CHANGE_BACKGROUND, value=f"{time_of(m.group('t'), 'en')} with {m.group('x').strip()}", detail="time")]
    # size: "make the horse bigger"
    m = re.match(r"^(?:please\s+)?(?:make|let)\s+(?:the\s+)?(?P<x>[\w -]+?)\s+(?:a (?:bit|little) |much |slightly )?(?P<s>bigger|larger|huge|smaller|tiny|tinier|taller|shorter)$", text, re.I)
    if m and m.group("x").lower() not in ("it", "them", "picture", "image", "shot", "photo"):
        adj = {"bigger": "large", "larger": "large", "huge": "huge", "smaller": "small", "tiny": "tiny", "tinier": "tiny", "taller": "tall", "shorter": "short"}[m.group("s").lower()]
        return [Edit("pose", target=m.group("x"), value=adj, detail="size")]
    # expressions: "make her smile"
    m = re.match(r"^(?:please\s+)?(?:make|let|have)\s+(?P<x>him|her|them|it|the\s+[\w -]+?)\s+(?P<v>smile|laugh|cry|frown|grin)$", text, re.I)
    if m:
        return [Edit("pose", target=m.group("x"), value={"smile": "smiling", "laugh": "laughing", "cry": "crying", "frown": "frowning", "grin": "grinning"}[m.group("v").lower()], detail="expression")]
    # position: "move her closer to the tree", "put the dog next to the bench"
    m = re.match(r"^(?:please\s+)?(?:move|put|place|bring)\s+(?P<x>him|her|them|it|the\s+[\w -]+?)\s+(?P<p>closer to|next to|beside|behind|in front of|near|under|on top of|to the left of|to the right of)\s+(?P<y>.+)$", text, re.I)
    if m:
        where = {"closer to": "close to"}.get(m.group("p").lower(), m.group("p").lower())
        return [Edit("pose", target=m.group("x"), value=f"{where} {m.group('y').strip()}", detail="position")]
    # global looks: "make the whole picture brighter", "tone down the colors"
    if re.match(r"^(?:please\s+)?tone down the colou?rs?$", text, re.I):
        return [Edit("extras", value="The colors are muted")]
    m = re.match(r"^(?:please\s+)?(?:make|turn|get)\s+(?:the\s+)?(?:whole\s+|entire\s+)?(?:picture|image|scene|photo|it|everything|lighting|colou?rs?|mood|atmosphere|light)\s+(?:a (?:bit|little) |much |slightly )?(?P<l>.+)$", text, re.I)
    if m:
        for pat, phrase in _LOOKS_EN:
            if re.fullmatch(pat, m.group("l"), re.I):
                return [Edit("extras", value=phrase)]
    m = re.match(r"^(?:please\s+)?(?:turn|convert|change|transform|make)\s+(?:them|these|those|him|her)\s+(?:in)?to\s+(?P<x>.+)$", text, re.I)
    if m and main_noun(prompt) and not STYLE_RE.search(m.group("x")) and not time_of(m.group("x"), "en") and "style" not in m.group("x").lower():
        return [Edit(EditKind.CHANGE_ENTITY, target="", value=m.group("x").strip(), detail="entity")]
    m = re.match(r"^(?:please\s+)?give\s+(?P<who>him|her|them)\s+(?P<x>(?:an?|some|the|two|long|short)\b.*)$", text, re.I)
    if m and not re.search(r"\b(?:feel|look|texture|vibe|finish|style|effect|touch|makeover|tone|glow|mood)s?$", m.group("x"), re.I):
        who = m.group("who").lower()
        pron = {"him": "He", "her": "She", "them": "They", "it": "It"}.get(who, who[:1].upper() + who[1:])
        verb = ("wear" if pron == "They" else "wears") if re.search(r"\b" + _WEAR_EN + r"s?\b", m.group("x"), re.I) else ("have" if pron == "They" else "has")
        return [Edit(EditKind.ADD_OBJECT, value=f"{pron} {verb} {m.group('x').strip()}")]
    # "have her wear a hat", "let him hold a lantern": a sentence about them
    m = re.match(r"^(?:please\s+)?(?:let|make|have)\s+(?P<who>him|her|them|it|the\s+[\w ]+?)\s+(?P<v>wear|hold|carry|wield|read|eat|drink|play|ride|hug)\s+(?P<x>.+)$", text, re.I)
    if m:
        who = m.group("who").lower()
        pron = {"him": "He", "her": "She", "them": "They", "it": "It"}.get(who, who[:1].upper() + who[1:])
        verb = m.group("v").lower()
        verb = verb if pron == "They" else (verb + "es" if verb.endswith(("sh", "ch")) else verb + "s")
        return [Edit(EditKind.ADD_OBJECT, value=f"{pron} {verb} {m.group('x').strip()}")]
    # "make her hair long": the subject gets "with long hair"
    m = re.match(r"^(?:please\s+)?(?:make|give|let)\s+(?:her|his|their|its)\s+(?P<n>hair|eyes|beard|dress|shirt|coat|jacket|skin|fur|smile|nose|ears|tail|clothes)\s+(?P<a>[a-z -]+)$", text, re.I)
    if m:
        return [Edit("pose", value=f"with {m.group('a').strip().lower()} {m.group('n').lower()}", detail="position")]
    m = re.match(r"^(?:please\s+)?(?:let|make|have)\s+(?P<who>him|her|them|it|the\s+[\w ]+?)\s+(?P<v>[a-z]+)(?P<rest>(?:\s+(?:its|his|her|their|the|a|an|up|down|forward|away|around|back|at)\b.*)?)$", text, re.I)
    if m and (m.group("v").lower() in _POSE_GERUND):
        return [Edit("pose", target=m.group("who"), value=_gerund(m.group("v")) + m.group("rest"))]
    return None


_ADD_VERBS_ZH = r"(?:增加|添加|加上|加入|添上|摆放|放置|放上|放着|放|加)"
_WEAR_VERBS_ZH = {"戴上": "戴着", "穿上": "穿着", "披上": "披着", "拿上": "拿着", "围上": "围着", "系上": "系着"}
_POSTURE_ZH = re.compile(r"(?:站着|坐着|趴着|躺着|蹲着|跪着|停着|站立|站|坐|趴|躺|蹲)")
_POSE_ACT_ZH = {"蹲下": "蹲着", "站起来": "站着", "站起": "站着", "坐下": "坐着", "躺下": "躺着", "趴下": "趴着", "跪下": "跪着"}


def _pre_zh(request: str, prompt: DrawingPrompt) -> Optional[list[Edit]]:
    c = clause_zh(request)
    c = re.sub(r"[，,]?以(?:增强|增加|营造|突出|体现).*$", "", c)
    # 用宫崎骏的风格重新画一遍 -> 风格是宫崎骏
    m = re.match(r"^(?:用|以|按照?)(?P<s>[^，,]{1,16}?)的?(?:风格|画风)(?:重新|再)?(?:画|绘制|生成|来|做)?(?:一遍|一次|一张|一幅|一下)?$", c)
    if m:
        return [Edit(EditKind.CHANGE_STYLE, value=m.group("s"))]
    # 调亮整体画面 / 色调偏暖
    if re.search(r"画面|整体|色调|光线|亮度|颜色", c) and not re.search(r"背景|风格|画风", c) and len(c) <= 12:
        for pat, phrase in _LOOKS_ZH:
            if re.search(pat, c):
                return [Edit("extras", value=phrase)]
    # 去掉人物 on "一个女人……": the person the subject names
    m = re.match(r"^(?:去掉|移除|删除|去除|删掉|拿掉)(?:所有的?)?(?:人物|人)$", c)
    if m:
        person = re.search(r"(?:女人|男人|女孩|男孩|女士|男士|老人|孩子|小孩|女生|男生|人)", prompt.subject)
        if person:
            return [Edit(EditKind.REMOVE_OBJECT, target=person.group(0))]
    # 把A的B变成红色: the colour goes to B (the last thing named), not A
    m = re.match(r"^(?:把|将)(?P<x>[^，,]+?)(?:的颜色|的色彩)?(?:变成|改成|改为|换成|变为|涂成|染成|调成)(?P<c>[^，,]{1,8})$", c)
    if m and re.fullmatch(r"(?:" + COLOUR_ZH_RE.pattern + r")的?", m.group("c")):
        x = m.group("x").rsplit("的", 1)[-1]
        if x and x in "".join([prompt.subject, *prompt.extras]):
            return [Edit(EditKind.CHANGE_ENTITY, target=x, value=m.group("c").rstrip("的"), detail="colour")]
    # 将X替换为Y (Y may name a painting or a comic book: still a thing, not a style)
    m = re.match(r"^(?:把|将)(?P<x>[^，,]+?)(?:替换为|替换成|换成|换为)(?P<y>[^，,]+)$", c)
    if m and not re.search(r"背景|风格|画风|图片|照片|画面|整张|整幅|镜头|视角|色调|光", m.group("x")) and not re.search(r"风格$|画风$", m.group("y")):
        x = m.group("x")
        if x in prompt.subject or (len(find_zh(prompt, x)) >= 2 and find_zh(prompt, x) in prompt.subject):
            x = x if x in prompt.subject else find_zh(prompt, x)
            return [Edit(EditKind.CHANGE_ENTITY, target=x, value=m.group("y"), detail="entity")]
    # 给X戴上Y -> X戴着Y
    m = re.match(r"^(?:给|帮)(?P<who>.+?)(?P<v>" + "|".join(_WEAR_VERBS_ZH) + r")(?P<o>.+)$", c)
    if m:
        who = m.group("who")
        who = main_noun(prompt) if who in ("她", "他", "它", "人物", "这个人") else who
        return [Edit(EditKind.ADD_OBJECT, value=f"{who}{_WEAR_VERBS_ZH[m.group('v')]}{m.group('o')}")]
    # 在X上增加Y / 给X增加Y -> X上有Y
    m = re.match(r"^(?P<p>在|给|往|于)(?P<loc>.+?)" + _ADD_VERBS_ZH + r"(?P<o>.+)$", c)
    if m and not re.match(r"^背景", m.group("loc")):
        loc = m.group("loc")
        obj = re.sub(r"^(?:上|进)", "", m.group("o"))
        if re.fullmatch(r"(?:整个|整张|这张|这幅)?(?:画面|图片|图|照片|画|图像)(?:上|里|中)?", loc):
            return [Edit(EditKind.ADD_OBJECT, value=obj)]
        if m.group("p") == "给":
            return [Edit(EditKind.ADD_OBJECT, value=f"{loc}带有{obj}")]
        return [Edit(EditKind.ADD_OBJECT, value=f"{loc}有{obj}")]
    # 缩小X / 把X放大 / 将X变大
    m = re.match(r"^(?P<v>缩小|放大|变大|变小)(?P<x>.+)$", c) or re.match(r"^(?:把|将)(?P<x>.+?)(?P<v>缩小|放大|变大|变小|调大|调小)(?:一些|一点|些)?$", c)
    if m:
        x = m.group("x")
        small = m.group("v") in ("缩小", "变小", "调小")
        return [Edit("pose", target=x, value="显得更小" if small else "显得更大", detail="size")]
    # 将X的姿势/动作/表情改为Y
    m = re.match(r"^(?:把|将)(?P<x>.+?)的(?:姿势|动作|姿态|表情|趴姿|坐姿|站姿|蹲姿)(?:改为|改成|变为|变成|换成)(?P<y>.+)$", c)
    if m:
        return [Edit("pose", target=m.group("x"), value=m.group("y"))]
    # 让熊猫变大一点
    m = re.match(r"^(?:让|使|把|将)(?P<x>[^，,]+?)(?:变得?|显得|调)(?P<v>更大|更小|大|小)(?:一点|一些|点|些)?$", c)
    if m and not re.search(r"背景|画面|整体|镜头|视角|字", m.group("x")):
        return [Edit("pose", target=m.group("x"), value="显得更小" if "小" in m.group("v") else "显得更大", detail="size")]
    # 让X蹲下 / 使X站起来 / 让X做出拳击姿态 / 让它睡觉
    m = re.match(r"^(?:让|使|叫)(?P<x>.+?)(?P<y>(?:蹲下|站起来|站起|坐下|躺下|趴下|跪下|做出|摆出|转过|转身|抬起|举起|看向|微笑|笑|闭上|张开|张嘴|伸出|跳|跑|趴在|躺在|坐在|站在|睁开|低头|抬头|回头|挥手).*)$", c)
    m = m or re.match(r"^(?:让|使)(?P<x>它们?|他们?|她们?|[^，,]{1,6}?)(?:在|正在)?(?P<y>(?:睡觉|睡|吃|喝|看|读|玩|唱|哭|飞|游|奔跑|跳舞|散步|思考|打|拿|抱|举|骑|弹|画|写|追|望)[^，,]*)$", c)
    if m and not re.search(r"背景|画面|整体|镜头|视角|颜色|色调|光|风格|画风", m.group("x")):
        return [Edit("pose", target=m.group("x"), value=m.group("y"))]
    return None


_PATTERN_EN = r"(?:striped|stripy|dotted|polka-dotted|spotted|checkered|checked|plaid|floral|shiny|matte|glowing|transparent|metallic|furry|fluffy|rusty|wet|frozen|golden|silver)"


def fallback_edits(request: str, lang: str, prompt: DrawingPrompt) -> Optional[list[Edit]]:
    """Edits for requests the rules kept as a raw sentence (an instruction): "turn the X into
    a Y", "make the X striped", "在X里……"; ``None`` when none applies."""
    text = request.strip().rstrip(".!")
    if lang == "zh":
        return None
    m = re.match(r"^(?:please\s+)?(?:turn|change|convert|transform|make|replace)\s+(?:the\s+)?(?P<x>[\w -]+?)\s+(?:in)?to\s+(?P<y>(?:an?|some|the|two|three)\s+.+)$", text, re.I)
    if m:
        return [Edit(EditKind.CHANGE_ENTITY, target=m.group("x"), value=m.group("y"), detail="entity")]
    m = re.match(r"^(?:please\s+)?(?:make|paint|turn|render)\s+(?:the\s+)?(?P<x>[\w -]+?)\s+(?P<p>" + _PATTERN_EN + r")$", text, re.I)
    if m:
        return [Edit(EditKind.CHANGE_ENTITY, target=m.group("x"), value=m.group("p").lower(), detail="colour")]
    m = re.match(r"^(?:please\s+)?(?:make|turn)\s+(?:the\s+)?(?P<x>[\w -]+?)\s+(?P<y>(?:an?)\s+[\w -]+)$", text, re.I)
    if m:
        return [Edit(EditKind.CHANGE_ENTITY, target=m.group("x"), value=m.group("y"), detail="entity")]
    return None


def apply_pose(prompt: DrawingPrompt, edit: Edit) -> DrawingPrompt:
    """A pose, expression or size edit rewrites the subject phrase (declaratively)."""
    subject = prompt.subject
    if prompt.lang == "zh":
        act = edit.value.strip("，, ")
        if edit.detail == "size":
            return prompt.model_copy(update={"subject": f"{subject}，{_zh_who(edit.target, prompt)}{act}"})
        lead = next((k for k in sorted(_POSE_ACT_ZH, key=len, reverse=True) if act.startswith(k)), None)
        state = _POSE_ACT_ZH[lead] + act[len(lead):] if lead else act
        state = {"蹲姿": "蹲着", "坐姿": "坐着", "站姿": "站着", "趴姿": "趴着", "跪姿": "跪着"}.get(state, state)
        is_posture = bool(lead) or re.fullmatch(r"(?:双脚|四脚|单脚)?(?:站立|站着|坐着|趴着|躺着|蹲着|跪着)", state)
        posture = re.search(r"(?:站着|坐着|趴着|躺着|蹲着|跪着)", subject)
        if posture and is_posture:
            return prompt.model_copy(update={"subject": subject[:posture.start()] + state + subject[posture.end():]})
        at = re.search(r"[站坐趴躺蹲跪](?=在)", subject)
        if at and is_posture and state[:1] in "站坐趴躺蹲跪" and len(state) == 2:
            return prompt.model_copy(update={"subject": subject[:at.start()] + state[0] + subject[at.end():]})
        # "两个坐在长椅上的男生" + 站起来 -> "……，男生站着"; "让它睡觉" -> "……，正在睡觉"
        who = _zh_who(edit.target, prompt)
        lead_in = "" if who or is_posture or re.match(r"^(?:做出|摆出|转|抬|举|看向|闭|张|伸|睁|低头|抬头|回头|背对|面向)", state) else "正在"
        return prompt.model_copy(update={"subject": f"{subject}，{who}{lead_in}{state}"})
    act = edit.value.strip()
    if edit.detail in ("size", "expression"):  # an adjective on the thing: "a large white horse", "a smiling woman"
        t = resolve_target(prompt, re.sub(r"^the\s+", "", edit.target or "", flags=re.I))
        span = (np_span(subject, t) if t else None) or main_np(subject)
        if span is not None:
            _, mods, _, _ = span
            new = subject[:mods] + act + " " + subject[mods:]
            new = new[:1].upper() + new[1:] if mods == 0 else new
            return prompt.model_copy(update={"subject": fix_articles(new)})
        return prompt.model_copy(update={"subject": f"{subject}, {act}"})
    if edit.detail == "position":
        return prompt.model_copy(update={"subject": f"{subject}, {act}"})
    posture = _POSTURE_EN.search(subject)
    if posture:
        return prompt.model_copy(update={"subject": subject[:posture.start()] + act + subject[posture.end():]})
    noun = main_noun(prompt)
    if noun:
        i = subject.lower().find(noun.lower())
        j = i + len(noun)
        return prompt.model_copy(update={"subject": subject[:j] + " " + act + subject[j:]})
    return prompt.model_copy(update={"subject": f"{subject}, {act}"})


def _zh_who(target: str, prompt: DrawingPrompt) -> str:
    t = re.sub(r"^(?:左边|右边|中间|这个|那个|这只|那只)?的?", "", target or "")
    if not t or t in ("她", "他", "它", "我"):
        return ""
    return t


# --- after the rules -----------------------------------------------------------------------------

_LEAK_EN = re.compile(
    r"^(?:make|change|add|remove|turn|let|have|put|place|insert|replace|give|convert|transform|modify|adjust|edit|delete|erase|swap|get|bring|"
    r"increase|decrease|reduce|enlarge|shrink|apply|use|render|recolou?r|colou?r|paint|draw|move|set)\b|\b(?:please|can you|could you|instead of|"
    r"needs? to be|should be|taken (?:out|away|off)|get rid)\b", re.I)
_LEAK_ZH = re.compile(r"(?<![一二两三四五六七八九十几每这那])把|(?<![即])将(?!军)|让|请|帮我|改成|改为|换成|替换|去掉|删除|移除|添加|增加|变成|变为|重新画")


def leaked(value: str, lang: str) -> bool:
    """Whether a value written into the prompt still holds request wording."""
    return bool((_LEAK_ZH if lang == "zh" else _LEAK_EN).search(value or ""))


def absent_target(prompt: DrawingPrompt, edit: Edit) -> Optional[str]:
    """The named thing a change_entity edit targets when the prompt does not hold it (``None``
    when it does, when the edit means the main subject, or when the name is not a clean noun
    phrase: then the older rules decide)."""
    if edit.kind != EditKind.CHANGE_ENTITY or not edit.target:
        return None
    t = resolve_target(prompt, edit.target)
    if not t or t == main_noun(prompt):
        return None
    if prompt.lang == "zh":
        t = re.sub(r"^(?:所有的?|全部的?|每个|每一?[" + L.MEASURE_CHARS_ZH + r"]|[" + L.NUMERALS_ZH + r"]+[" + L.MEASURE_CHARS_ZH + r"])", "", t)
        if not t or len(t) > 8 or not re.fullmatch(r"[\u4e00-\u9fff]+", t) or find_zh(prompt, t):
            return None
        return t
    if not re.fullmatch(r"[A-Za-z][A-Za-z -]*", t) or len(t.split()) > 3:
        return None
    if t.lower() in ("it", "them", "this", "that", "him", "her", "one", "they", "everything", "image", "picture", "photo", "scene", "whole thing"):
        return None
    if locate(prompt, t) is not None or locate(prompt, t.split()[-1]) is not None or locate(prompt, _singular(t.split()[-1])) is not None:
        return None
    return t


def _singular(word: str) -> str:
    return word[:-3] + "y" if word.endswith("ies") else word[:-2] if re.search(r"(?:ches|shes|sses|xes)$", word) else word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def declarative_for_absent(target: str, edit: Edit, lang: str) -> str:
    """One declarative sentence for a recolour/replace of a thing the prompt does not name."""
    if lang == "zh":
        if edit.detail == "colour":
            colour = edit.value if edit.value.endswith("色") else edit.value + "色"
            return f"{target}是{colour}的"
        if edit.detail == "material":
            return f"{target}是{edit.value}做的"
        return edit.value
    plural = target.endswith("s") and not target.endswith("ss")
    be = "are" if plural else "is"
    if edit.detail == "colour":
        return f"The {target} {be} {edit.value.lower()}"
    if edit.detail == "material":
        adjective = {"gold": "golden", "wood": "wooden", "silver": "silver"}.get(edit.value.lower().strip())
        return f"The {target} {be} {adjective}" if adjective else f"The {target} {be} made of {edit.value}"
    value = edit.value.strip()
    return value if re.match(r"^(?:an?|the|some|two|three)\s", value, re.I) else article(value)


__all__ = ["edit_prompt", "UNPLACED", "PARTLY", "normalize", "split_multi", "pre_edits", "apply_pose", "leaked", "absent_target", "declarative_for_absent"]


#: The turn's notice when a request could not be placed in the prompt.
UNPLACED = {
    "en": "The drawing prompt is unchanged: I could not tell how to draw \u201c{request}\u201d; try naming the thing and what it should become.",
    "zh": "绘图提示未改动：我没能理解“{request}”该怎样画进去，请说明要改哪个东西、改成什么。",
}
PARTLY = {
    "en": "I could not place \u201c{request}\u201d in the drawing prompt; the rest of the request was applied.",
    "zh": "“{request}”没能写进绘图提示，请求的其余部分已照做。",
}


def edit_prompt(base: DrawingPrompt, request: str, lang: str, classify, apply_edit) -> tuple[DrawingPrompt, Optional[str]]:
    """``base`` with the request's edits applied in order, and a one-sentence notice for
    what could not be placed (``None`` when everything was). An edit whose value still holds
    request wording is dropped rather than pasted into the prompt."""
    out = base
    unplaced: list[str] = []
    for piece in split_multi(request, lang):
        text = normalize(piece, lang)
        edits = pre_edits(text, lang, out)
        if edits is None:
            edits = classify(text, lang, out)
            if edits and all(e.kind == "extras" and leaked(e.value, lang) for e in edits):
                edits = fallback_edits(text, lang, out) or edits
        if not edits:
            continue
        if any(e.kind == EditKind.CHANGE_ENTITY for e in edits):  # "the girl doesn't work, try a duckling": the replacement covers it
            edits = [e for e in edits if e.kind != EditKind.REMOVE_OBJECT] or edits
        for e in edits:
            if e.kind == EditKind.CHANGE_ENTITY and e.detail == "colour" and e.target.strip().lower() in ("the", "a", "an", "this", "that") and len(e.value.split()) >= 2:
                e = Edit(e.kind, target=" ".join(e.value.split()[:-1]), value=e.value.split()[-1], detail="colour")  # "make the sky orange", not "sky orange"
            if e.kind == "pose":
                out = apply_pose(out, e)
                continue
            absent = absent_target(out, e)
            if absent and e.detail == "entity" and re.search(r"^(?:the\s+)?sky$|^天空$|^天$", absent, re.I) and time_of(e.value, lang):
                out = apply_edit(out, Edit(EditKind.CHANGE_BACKGROUND, value=time_of(e.value, lang), detail="time"))  # "把天空换成黄昏"
                continue
            if absent:
                out = out.model_copy(update={"extras": [*out.extras, declarative_for_absent(absent, e, lang)]})
                continue
            new = apply_edit(out, e)
            changed = [getattr(new, p) for p in ("subject", "background", "shot", "style") if getattr(new, p) != getattr(out, p)]
            changed += [x for x in new.extras if x not in out.extras]
            if any(leaked(v, lang) for v in changed):
                unplaced.append(piece.strip())
                continue
            out = new
    notice = None
    if unplaced:
        shown = "\uff0c".join(dict.fromkeys(unplaced)) if lang == "zh" else "; ".join(dict.fromkeys(unplaced))
        notice = (UNPLACED if out == base else PARTLY)[lang].format(request=shown[:120])
    elif out == base and request.strip():
        notice = UNPLACED[lang].format(request=request.strip()[:120])
    return out, notice
