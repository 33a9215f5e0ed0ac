"""New prompts: whether a request starts over, a new structured prompt from a request (its
wrapper stripped, parts the user named, defaults for the rest), and a prompt from an
attached picture's caption."""

from __future__ import annotations

import re
from typing import Optional

from . import lexicon as L
from ..prompt import DrawingPrompt
from .common import DEFAULTS, SPECIFIC_STYLE_ZH_RE, STOP_EN, STYLE_RE, STYLE_ZH_RE, article, clean_spaces, norm_en, shot_of


_NEW_VERB_EN = r"(?:draw|paint|make|create|generate|sketch|render|design|produce|illustrate|show|give)"


_REF_EN = re.compile(
    r"\b(?:it|its|it's|this|that|them|they|same|again|instead|also|too|as well|still|previous|last|earlier|version|variant|"
    r"the (?:picture|image|scene|drawing|photo|painting|background|style|shot))\b", re.I)


_REF_ZH = re.compile(r"它|这张|这幅|刚才|上一张|原来|之前|前面|再|也|还|换|改|加|去掉|把|背景|风格|镜头|而不是|代替|这个|那个|保持")


def starts_over(request: str, lang: str) -> bool:
    """Whether ``request`` asks for a new picture although the thread has a prompt."""
    if lang == "zh":
        if re.search(L.START_OVER_ZH, request) and not re.search(r"风格|画风|背景|镜头|换成|改成|用|把|去掉|加", request):
            return True
        wrapper = re.match(r"^(?:请|帮我|给我|麻烦|能不能|可以|我想要?)?(?:你)?(?:帮我|给我)?(?:画|生成|绘制|创作|来)(?:一|两|三|几)(?:张|幅|个|只|条|座|位|辆|棵|朵|群|头|匹)", request)
        return bool(wrapper) and not _REF_ZH.search(request[wrapper.end():]) and not _REF_ZH.search(request[:wrapper.start()])
    text = norm_en(request)
    if re.search(L.START_OVER_EN, text, re.I):
        return True
    wrapper = re.search(
        r"^(?:(?:ok(?:ay)?|now|great|nice|thanks|cool|alright)[,!.]?\s+)*(?:please\s+)?(?:(?:can|could|would|will)\s+you\s+(?:please\s+)?)?"
        + _NEW_VERB_EN + r"\s+(?:me\s+|us\s+)?(?:an?|some|one|two|three|several)\s", text, re.I)
    return bool(wrapper) and not _REF_EN.search(text)


def new_prompt(request: str, lang: str) -> DrawingPrompt:
    """A new structured prompt from a request: content without its wrapper, parts the user
    named, defaults for the rest."""
    return _new_prompt_zh(request) if lang == "zh" else _new_prompt_en(request)


def _strip_wrapper_en(text: str) -> str:
    t = text.strip()
    for _ in range(3):
        before = t
        t = re.sub(r"^(?:(?:yes|yeah|ok(?:ay)?|hi|hello|hey|now|great|nice|so|well|please|alright|sure)\b[,!.]?\s*)+", "", t, flags=re.I)
        for pattern in L.NEW_WRAPPERS_EN:
            m = re.match(pattern + r"\s*", t, re.I)
            if m:
                t = t[m.end():]
                break
        for pattern in L.NEW_OBJECT_WRAPPERS_EN:
            m = re.match(pattern, t, re.I)
            if m:
                t = t[m.end():]
        if t == before:
            break
    t = re.sub(r"^(?:to\s+(?:see|have)\s+)", "", t, flags=re.I)
    t = re.sub(r"[\s,]*(?:please|for me|thanks|thank you|if you can|if possible)?[\s?!.]*$", "", t, flags=re.I)
    return t.strip()


def _style_before_word(text: str) -> Optional[tuple[str, tuple[int, int]]]:
    """``(style, (start, end))`` for "... in a cartoon rendering style ...": up to four words
    before the word "style", cut after the last function word; the span covers the phrase
    with its leading "in a" / comma, to remove it from the content."""
    for m in re.finditer(r"\bstyle\b", text, re.I):
        before = text[:m.start()]
        words = list(re.finditer(r"[\w'-]+", before))[-4:]
        keep: list[re.Match] = []
        for w in reversed(words):
            gap = before[w.end():(keep[0].start() if keep else len(before))]
            word = w.group().lower()
            # a stop word ends the phrase, unless it is a style word itself ("ink painting style": painting)
            if word in STOP_EN and not STYLE_RE.fullmatch(word) or word == "the" or gap.strip():
                break
            keep.insert(0, w)
        if not keep:
            continue
        start = keep[0].start()
        lead = re.search(r"(?:^|[,.]\s*|\s+)(?:(?:in|with)\s+)?(?:(?:an?|the)\s+)?$", before[:start], re.I)
        start = lead.start() if lead else start
        return before[keep[0].start():].strip(), (start, m.end())
    return None


def _singular_en(phrase: str) -> str:
    words = phrase.split()
    if not words:
        return phrase
    w = words[-1]
    if w.endswith("ies"):
        w = w[:-3] + "y"
    elif re.search(r"(?:ches|shes|sses|xes)$", w):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith("ss"):
        w = w[:-1]
    return " ".join(words[:-1] + [w])


def _new_prompt_en(request: str) -> DrawingPrompt:
    text = norm_en(request)
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]
    # the sentence holding the drawing request (else the whole request is the content)
    idx = next((i for i, s in enumerate(sentences) if re.search(r"\b" + _NEW_VERB_EN + r"\b|\bi'?d (?:love|like)\b|\bi want\b", s, re.I)), None)
    content_sentences = sentences if idx is None else sentences[idx:]
    lead = sentences[:idx] if idx else []
    content = _strip_wrapper_en(content_sentences[0]) if content_sentences else ""
    rest = [s.strip() for s in content_sentences[1:]]
    pron = re.match(r"^(?:one|it|them|some|one of them|one of those)\s+(?P<rest>(?:crossing|running|standing|sitting|flying|driving|on|in|at|with|near|by|under|over|going|walking|swimming|that|which|who|parked|riding|jumping|playing|eating)\b.*)$", content, re.I)
    if pron and lead:
        for s in reversed(lead):
            m = re.search(r"\b(?:(?:really |just )?(?:loves?|likes?|adores?|enjoys?)|(?:'m|am|is|are) (?:into|crazy about|obsessed with)|fan of)\s+(?P<n>[\w' -]+?)(?:[.!,]|$)", s, re.I)
            if m:
                content = f"{article(_singular_en(m.group('n').strip()))} {pron.group('rest')}"
                rest = []
                break
    if content.lower() in ("", "one", "it", "that", "some", "them", "one of those", "one of them", "something like that", "this"):
        noun = ""
        for s in lead:
            m = re.search(r"\bi (?:really )?(?:love|like|adore|enjoy|am into|'m into)\s+(?P<n>[\w' -]+?)(?:[.!,]|$)", s, re.I)
            if m:
                noun = article(_singular_en(m.group("n").strip()))
                break
        content = noun or _strip_wrapper_en(text)
        rest = []
    style = shot = background = ""
    # leading "a close-up watercolor painting of ..."
    m = re.match(r"^(?:an?\s+)?(?P<shot>close[- ]up|wide[- ]angle|aerial|macro|top[- ]down)?\s*(?P<adj>[\w' -]{0,30}?)\s*"
                 r"(?P<kind>photo|photograph|painting|drawing|sketch|illustration|render|watercolou?r|oil painting|picture|image)\s+(?:of|showing)\s+", content, re.I)
    if m and m.group("kind").lower() in ("picture", "image"):
        adj = (m.group("adj") or "").strip()
        style = adj if STYLE_RE.search(adj) else ""
        content = content[m.end():]
    elif m:
        kind = m.group("kind").lower()
        adj = (m.group("adj") or "").strip()
        kind_style = {"photo": "photographic", "photograph": "photographic", "painting": "painterly", "drawing": "hand-drawn", "render": "3D render"}.get(kind, kind)
        style = f"{adj} {kind if kind not in ('photo', 'photograph', 'painting', 'drawing') else kind_style}".strip() if adj else kind_style
        if m.group("shot"):
            key = shot_of(m.group("shot"), "en")
            shot = L.SHOTS_EN[key[0]] if key else ""
        content = content[m.end():]
    m = re.match(r"^(?:an?\s+)?(?P<shot>close[- ]up|extreme close[- ]up|wide shot|aerial view|top[- ]down view|bird'?s[- ]eye view)\s+(?:of|showing)\s+", content, re.I)
    if m:
        key = shot_of(m.group("shot"), "en")
        shot = L.SHOTS_EN[key[0]] if key else ""
        content = content[m.end():]
    # trailing / embedded style
    for pat in (r"[,.]?\s*in the (?:style|manner) of (?P<a>[^,.]+)", r"[,.]?\s*inspired by (?P<a>[^,.]+)"):
        sm = re.search(pat, content, re.I)
        if sm and not style:
            style = "inspired by " + sm.group("a").strip()
            content = content[:sm.start()] + content[sm.end():]
    found = _style_before_word(content)
    if found and not style:
        style, (a, b) = found
        content = content[:a] + content[b:]
    sm = re.search(r"[,.]?\s*(?:in|as)\s+(?:an?\s+)?(?P<s>" + STYLE_RE.pattern + r"(?:\s+(?:painting|illustration|render|art|drawing|sketch|photo))?)\s*$", content, re.I)
    if sm and not style:
        style = sm.group("s").strip()
        content = content[:sm.start()]
    # background
    for pat in (r",?\s+(?:with|and)\s+(?P<b>[^,.]+?)\s+in the background", r",?\s+(?:against|on)\s+(?:an?\s+)?(?P<b>[\w -]+?\s+background)"):
        bm = re.search(pat, content, re.I)
        if bm:
            background = bm.group("b").strip()
            content = content[:bm.start()] + content[bm.end():]
            break
    if not background:
        content, background = _place_en(content)
    kept_rest = []
    for s in rest:
        bm = re.match(r"^(?P<b>.+?)\s+(?:is|are)\s+in the background\.?$", s, re.I)
        if bm and not background:
            background = bm.group("b").strip()
            continue
        sm = re.match(r"^(?:the\s+)?style\s+(?:is|should be)\s+(?P<s>.+?)\.?$", s, re.I)
        if sm and not style:
            style = sm.group("s")
            continue
        found = _style_before_word(s) if re.match(r"^(?:the (?:picture|image|whole (?:picture|image)|scene)|it)\b.*\bstyle\W*$", s, re.I) else None
        if found and not style:
            style = found[0]
            continue
        found = _style_before_word(s) if re.search(r",\s*(?:in\s+)?(?:an?\s+)?[\w' -]+\s+style\W*$", s, re.I) else None
        if found and not style:
            style, (a, b) = found
            s = s[:a] + s[b:]
        kept_rest.append(s.rstrip("."))
    if not shot:
        key = None
        for pattern, k in L.SHOT_PATTERNS_EN:
            if re.search(pattern, content, re.I):
                key = k
                break
        shot = L.SHOTS_EN[key] if key else ""
    content = clean_spaces(content).rstrip(".")
    if not content:
        content = clean_spaces(_strip_wrapper_en(text)).rstrip(".")
    return DrawingPrompt(
        subject=content,
        background=background,
        shot=shot or DEFAULTS["en"]["shot"],
        style=clean_spaces(style) or DEFAULTS["en"]["style"],
        extras=kept_rest,
        lang="en",
    )


_WRAP_ZH = re.compile(
    r"^(?:(?:是的|好的|好|嗯|那|那么|现在)[，,]?)?(?P<polite>请你?|麻烦你?|你能|你可以|能不能|可不可以|可以|能否)?(?P<for>帮我|给我|为我|帮忙)?"
    r"(?P<want>我想要?|我希望|我需要|我要|想要|想看)?(?:你)?(?:帮我|给我)?(?P<by>根据|按照|依照|参考)?(?:下面的|以下的|下列|这段|这个|我的)?(?:描述|文字|提示|说明)?(?:来)?"
    r"(?P<verb>画(?![面中里])|生成|绘制|创作|制作|创建|设计|画出|做|来|看)?(?:一下)?(?:(?:一|这样一|这样的|一个)?(?:张|幅|个)?(?:图片|图像|画面|图|画作|画|照片|插画|作品))?"
    r"(?:吧|吗)?[：:，,]?\s*"
)


_LIKE_ZH = re.compile(r"(?:很|特别|非常|超|最)?(?:喜欢|爱|迷上了?|想看)(?P<n>[^，。！？,.!?]{1,8})")


def _lead_noun_zh(request: str) -> str:
    """"我很喜欢熊猫。能画一只……的吗？": the thing named before the drawing request ("" if none)."""
    sentences = [x for x in re.split(r"(?<=[。！？!?])", request) if x.strip()]
    if len(sentences) < 2:
        return ""
    for i, sentence in enumerate(sentences[1:], 1):
        if re.search(r"画|生成|绘制", sentence):
            for lead in sentences[:i]:
                m = _LIKE_ZH.search(lead)
                if m:
                    return m.group("n").strip("的了")
    return ""


def _new_prompt_zh(request: str) -> DrawingPrompt:
    text = request.strip()
    noun = _lead_noun_zh(text)
    if noun:  # keep the drawing request's sentence; "一只……的" / "它" get the thing named before
        drawing = next(x for x in re.split(r"(?<=[。！？!?])", text)[1:] if re.search(r"画|生成|绘制", x))
        drawing = re.sub(r"^(?:你)?(?:能|能不能|可以|可不可以|帮我|给我|请)+", "", drawing.strip())
        drawing = re.sub(r"(?:吗|吧|呢|嘛)?[？?！!。]*$", "", drawing)
        drawing = drawing.replace("它", noun)
        if drawing.endswith("的") or re.search(r"(?:一|两|几)[只个头条匹辆座棵]$", drawing):
            drawing += noun
        text = drawing + "。"
    m = _WRAP_ZH.match(text)
    wrapped = bool(m and any(m.group(g) for g in ("polite", "for", "want", "by", "verb")))
    content = text[m.end():] if m and wrapped else text
    if not content:
        content = text
    style = shot = background = ""
    # "一幅蒸汽朋克风格的画面，" / leading "水墨画风格，" / trailing "，画面是温暖的绘本风格。"
    sm = re.match(r"^(?:一幅|一张|一个)?(?P<s>[^，。,]{1,14}?)(?:风格|画风)的(?:画面|图片|图|画|插画|照片|作品)[，,：:]?", content)
    lead = re.match(r"^(?P<s>[^，。,]{2,10})[，,]", content)
    if sm:
        style = sm.group("s").strip()
        content = content[sm.end():]
    elif lead and SPECIFIC_STYLE_ZH_RE.search(lead.group("s")) and not re.match(r"^[" + L.NUMERALS_ZH + r"]", lead.group("s")):
        style = lead.group("s")
        content = content[lead.end():]
    else:
        sm = re.match(r"^(?P<s>[^，。,]{1,14}?)(?:风格|画风)[，,]", content)
        if sm:
            style = sm.group("s").strip()
            content = content[sm.end():]
        else:
            sm = re.search(r"[，,]\s*(?:画面是|画面为|整体是|采用|以|用|呈现)?(?P<s>[^，。,]{1,16}?)(?:风格|画风)(?:的)?[。！]?$", content)
            if sm:
                style = sm.group("s").strip()
                content = content[:sm.start()]
            else:
                sm = re.match(r"^(?P<s>[^，。,]{1,14}?)(?:风格|画风)的", content)
                if sm and STYLE_ZH_RE.search(sm.group("s")):
                    style = sm.group("s")
                    content = content[sm.end():]
    bm = re.search(r"[，,。]?\s*背景(?:是|为)(?P<b>[^，。]+)[。]?", content)
    if bm:
        background = bm.group("b").strip()
        content = content[:bm.start()] + content[bm.end():]
    sm2 = re.search(r"特写|近景|远景|全景|俯视|俯拍|仰拍|航拍|鸟瞰|全身照|全身像|全身镜头|广角|微距", content)
    if sm2:
        for pattern, key in L.SHOT_PATTERNS_ZH:
            if re.search(pattern, sm2.group()):
                shot = L.SHOTS_ZH[key]
                break
    sentences = [s for s in re.split(r"(?<=[。！？])", content) if s.strip()]
    subject = sentences[0].strip().rstrip("。！？") if sentences else content
    subject = _THERE_IS_ZH.sub("", subject) or subject  # "画一幅画，里面有小狗" -> "小狗"
    if not background:
        subject, background = _place_zh(subject)
    extras = [s.strip().rstrip("。！？") for s in sentences[1:] if s.strip().rstrip("。！？")]
    m2 = re.match(r"^一?[张幅](?P<c>.+?)的(?:图片|图|画|照片)$", subject)
    if m2:
        subject = m2.group("c")
    return DrawingPrompt(
        subject=subject.strip("，, ") or text,
        background=background,
        shot=shot or DEFAULTS["zh"]["shot"],
        style=style or DEFAULTS["zh"]["style"],
        extras=extras,
        lang="zh",
    )


_PLACE_EN = re.compile(
    r"\s+(?:(?:standing|sitting|lying|parked|placed|located|set)\s+)?(?:in|on|at|inside|across|along|by)\s+(?P<b>(?:(?:an?|the)\s+)?(?:(?!(?:in|on|at|with|of|near|by|and)\b)[\w'-]+\s+){0,3}?"
    + "(?:" + "|".join(re.escape(p) for p in sorted(L.PLACES_EN, key=len, reverse=True)) + r")"
    + r"(?:\s+(?:at|during|in|on|with|under|near)\s+[^,.]+)?)$", re.I)
_MID_PLACE_EN = re.compile(
    r"\s+(?:in|on|at|across|along)\s+(?P<b>(?:an?|the)\s+(?:[\w'-]+\s+)?(?:" + "|".join(re.escape(p) for p in sorted(L.PLACES_EN, key=len, reverse=True))
    + r"))(?=\s+(?:[a-z]+ing\b|together\s*$))", re.I)
_THERE_IS_ZH = re.compile(r"^(?:里面|画面里|画面中|画里|画中|图中|上面|其中)(?:有|是)")
_PLACE_ZH = re.compile(
    r"(?P<verb>[坐站躺趴蹲停立])?在(?P<b>[^，。在的]{0,4}?(?:" + "|".join(sorted(L.PLACES_ZH, key=len, reverse=True)) + r"))(?P<suffix>里面|里|上面|上|中|旁边|边|旁|内)?")


def _place_en(content: str) -> tuple[str, str]:
    """``(subject, background)``: a trailing place phrase ("sitting in a garden", "on mountains")
    becomes the background; "A dog in a garden" -> ("A dog", "a garden")."""
    m = _PLACE_EN.search(content)
    if not m:  # "A boy walking on the beach carrying a surfboard", "A dog playing in the snow together"
        mid = _MID_PLACE_EN.search(content)
        if mid and len(content[:mid.start()].split()) >= 2:
            rest = content[mid.end():].strip()
            subject = content[:mid.start()].rstrip(" ,")
            subject = f"{subject}, {rest}" if rest.lower() != "together" else f"{subject} {rest}"
            return subject, mid.group("b").strip()
    if not m or len(content[:m.start()].split()) < 1:
        return content, ""
    subject = content[:m.start()].rstrip(" ,")
    if re.search(r"\b(?:standing|sitting|lying|parked|placed)\s*$", m.group(0).split(" in ")[0].split(" on ")[0].split(" at ")[0], re.I):
        pass
    verb = re.match(r"\s+(standing|sitting|lying|parked|placed|located|set)\b", m.group(0), re.I)
    if verb:
        subject = f"{subject} {verb.group(1)}"
    if not re.search(r"[A-Za-z]", subject):
        return content, ""
    return subject, m.group("b").strip()


def _place_zh(subject: str) -> tuple[str, str]:
    """``(subject, background)``: "一只坐在花园里的小狗" -> ("一只坐着的小狗", "花园")."""
    m = _PLACE_ZH.search(subject)
    if not m:
        return subject, ""
    verb = m.group("verb") or ""
    rest = subject[m.end():]
    if rest[:1] == "的" and not m.group("suffix") and not m.group("b").endswith(("边", "上", "里")):
        return subject, ""  # "坐在公园的长椅上": the place modifies a thing, it is not where the subject is
    if verb and (not rest or rest[:1] in "的，,"):
        verb += "着"
    elif verb and rest[:1] not in "的":
        verb += ""
    new = subject[:m.start()] + verb + rest
    new = new.strip("，, ")
    if len(new) < 2:
        return subject, ""
    return new, m.group("b")


def prompt_from_caption(caption: str, lang: str) -> DrawingPrompt:
    """A prompt from an attached picture's caption: a rendered prompt (from PNG metadata) is
    parsed back into its parts; any other caption becomes the subject (first sentence) and
    extras (further sentences), with no defaults added."""
    text = caption.strip()
    return DrawingPrompt.parse(text if lang == "zh" else norm_en(text), lang)
