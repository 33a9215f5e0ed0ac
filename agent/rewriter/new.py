"""New prompts: whether a request starts over, a new structured prompt from a request (its
wrapper stripped, parts the user named, defaults for the rest), and a prompt from an
attached picture's caption."""

from __future__ import annotations

import re
from typing import Optional

from . import lexicon as L
from ..prompt import DrawingPrompt
from .nouns import main_noun
from .common import DEFAULTS, SPECIFIC_STYLE_ZH_RE, STOP_EN, STYLE_RE, STYLE_ZH_RE, article, clean_spaces, norm_en, shot_of


_NEW_VERB_EN = r"(?:draw|paint|make|create|generate|sketch|render|design|produce|illustrate|show|give)"


_REF_EN = re.compile(
    r"\b(?:it|its|it's|this|that|them|they|him|her(?=\s*(?:$|[.,!?]|\s+(?:a|an|the|some|to|into|on|in|with|look)\b))|same|again|instead|also|too|as well|still|previous|last|earlier|version|variant|"
    r"the (?:picture|image|scene|drawing|photo|painting|background|style|shot))\b", re.I)


_REF_ZH = re.compile(r"此图|此照片|原图|图中|图片中|图像中|它|这张|这幅|刚才|上一张|原来|之前|前面|再|也|还|换|改|加|去掉|把|背景|风格|镜头|而不是|代替|这个|那个|保持")


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


# --- a new picture asked for in the middle of a thread -------------------------------------
# Real people asking for a further picture rarely say "new picture": they hand over a fresh
# description ("Draw this for me: a hot air balloon ...", "a kitchen with a large
# refrigerator", "生成图像：一只巨大的水晶乌龟……"). Read as an edit, such a request was glued
# onto the last prompt. It is read as a new picture when it is asked for with a lead-in
# ("... :", "... picture of") or has the shape of a description (it opens with a new thing
# or a place and a new thing), and in both cases only when it neither edits nor points back
# at the last picture. Measured on real turns: docs/RESULTS.md ("New picture in a thread").

_LEAD_EN = re.compile(
    r"^(?P<lead>[^:?\n]{0,80}?\b(?:draw|paint|generate|generating|generated|create|make|design|render|produce|sketch|illustrate|"
    r"picture|image|photo|painting|poster|illustration|drawing|prompt|description)\b[^:?\n]{0,40}?)\s*[:?]\s*(?P<rest>\S.*)$", re.I | re.S)
# words that make a lead-in (or the start of a description) an edit of the last picture
_EDIT_WORDS_EN = re.compile(
    r"\b(?:it|it's|its|them|him|her|change|changes|add|remove|replace|edit|modify|update|adjust|fix|same|again|instead|keep|turn|convert|"
    r"transform|previous|last|earlier|original|current|existing)\b", re.I)
# in a handed-over description, only these point back at the last picture
_BACK_REF_EN = re.compile(r"\b(?:same|again|previous|earlier|original|last (?:one|picture|image)|this one|that one|instead|as before)\b", re.I)
_PICTURE_OF_EN = re.compile(
    r"^(?P<lead>(?:(?:ok(?:ay)?|now|great|nice|thanks|cool|alright|next|and)[,!.]?\s+)*(?:please\s+)?"
    r"(?:(?:i'?d|i would) (?:like|love)(?: to see)?|i want(?: to see)?|i need|show me|give me|let'?s (?:see|have|do)|how about|"
    r"can i (?:get|have|see)|could i (?:get|have|see)|(?:can|could|would|will) you (?:please )?(?:make|draw|paint|create|generate|render|show|give|do)(?: me)?|"
    r"(?:make|draw|paint|create|generate|render|do)(?: me)?)?\s*(?:(?:an?|one|another)\s+)?(?:[\w-]+\s+){0,3}?"
    r"(?:picture|image|photo(?:graph)?|painting|drawing|portrait|poster|illustration|sketch|render(?:ing)?|cartoon|scene|close-?up|view|logo|icon|"
    r"wallpaper|artwork)s?\s+of)\s+(?P<rest>\S.*)$", re.I | re.S)
_EDIT_START_EN = re.compile(
    r"^(?:yes|yeah|yep|no|nope|ok(?:ay)?|now|also|and|but|then|so|please|just|maybe|perhaps|can|could|would|will|let's|let|i|i'd|i'm|we|add|put|"
    r"place|include|insert|remove|delete|erase|take|get|drop|change|replace|swap|switch|turn|convert|transform|make|colou?r|recolou?r|paint|move|"
    r"shift|zoom|crop|use|try|give|set|keep|show|have|bring|lose|ditch|go|do|fix|adjust|increase|decrease|reduce|brighten|darken|more|less|"
    r"too|with|without|not|how|what|why|a (?:bit|lot)|a little (?:more|less|bit|too|\w+er)|a few more|another|other|different|same|again|instead)\b", re.I)
_DET_EN = r"(?:an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|\d+|some|several|many|a few|a pair of|a group of|a couple of|a herd of|a flock of|a crowd of)"
_DESC_START_EN = re.compile(
    r"^(?:" + _DET_EN + r"\s+(?!(?:bit|lot|few more|different|new|more|less|similar|similarly|version|variant|variation)\b|little\s+(?:more|less|bit|too|\w+er)\b)\S"
    r"|there (?:is|are|was|were|stands?|sits?|lies?)\s+" + _DET_EN + r"\s)", re.I)
# a place, time or style opening, then a clause of its own: "In an abandoned warehouse, a man ...",
# "Pixar animation style, on the left side ..."
_SCENE_OPEN_EN = re.compile(
    r"^(?:(?:in|on|under|at|inside|from|beneath|above|below|during|amid|among|near|beside|within|across|through|over|along|deep in|high above)\b[^,.;]{2,80}"
    r"|[^,.;]{1,40}\bstyle),\s*(?P<rest>\S.*)$", re.I | re.S)
# a sentence about a thing: "The red apple was next to the yellow pear."
_THE_SENTENCE_EN = re.compile(
    r"^the\s+(?:[\w-]+,?\s+){0,3}?(?P<head>[\w-]+)(?:\s+(?:of|and)\s+(?:the\s+|an?\s+)?(?:[\w-]+,?\s+){0,2}?[\w-]+)?\s+"
    r"(?:is|are|was|were|\w+ed|\w+s|sat|stood|lay|hung|lit|cast|held|flew|shone|rose|fell|grew|ran|swam|wore|sang|wrote|rest|keep|float|sit|stand|lie|"
    r"hang|nap|sleep|play|grow|shine|glow|sway|dance|fly|swim|run|walk|lean|perch|hover|blend|stretch)\b", re.I)
# a named person or place doing something: "Cleopatra standing in front of the pyramids",
# "Times Square with thousands of dogs running around"
_NAME_SCENE_EN = re.compile(
    r"^(?P<head>[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)*)\s+(?:(?:is|are|was|were)\s+)?(?P<next>\w+ing|with|in|on|at|under|near|during|beside|inside)\b")
# a lone capitalised word is a name only if it is not an adjective, an imperative or followed by an -ing noun
_NOT_NAME_EN = re.compile(
    r"^(?:\w+(?:ic|al|ful|ous|ive|y|ed|less|ish|ent|ant|ary|ble|er|est)|come|go|get|let|bring|zoom|pan|move|shift|try|give|put|set|keep|show|focus|"
    r"center|centre|frame|crop|tilt|rotate|flip|mirror|light|darken|brighten|soften|sharpen|blur|fill|cover|paint|draw|render|add|use|swap|place)$", re.I)
_ING_NOUNS_EN = {"lighting", "painting", "drawing", "building", "clothing", "ceiling", "evening", "morning", "wedding", "setting", "ring", "string",
                 "thing", "king", "wing", "spring", "ending", "feeling", "coating", "frosting", "shading", "framing", "rendering", "sketching",
                 "background", "something", "nothing", "everything", "anything", "styling", "colouring", "coloring", "texturing"}
_PROPERTY_HEADS_EN = {
    "lighting", "color", "colors", "colour", "colours", "sky", "mood", "atmosphere", "tone", "tones", "composition", "angle", "camera",
    "view", "shot", "style", "background", "foreground", "scene", "picture", "image", "photo", "drawing", "painting", "lines", "edges", "contrast",
    "saturation", "detail", "details", "texture", "face", "eyes", "expression", "pose", "hair", "clothes", "outfit", "size", "shadows", "shadow",
    "text", "words", "sign", "logo", "font", "result", "output", "version", "one", "first", "last", "left", "right", "top", "bottom", "middle", "center",
}
_JUDGING_EN = re.compile(r"\b(?:(?:looks?|seems?|feels?)\s+(?:too|more|less|a bit|kind of|so|very|\w+er|off|weird|wrong|odd|fine|good|bad|great|nice|like)|"
                         r"should|shouldn't|could|would|needs?|must|too|more|less|better|worse|bigger|smaller|instead|"
                         r"again|please|not|don't|doesn't|isn't|aren't|can|can't|try|now|still|anymore|way|kinda|bit|fine|ok|okay|wrong|weird|off)\b", re.I)
_DESC_REF_EN = re.compile(
    r"\b(?:it|it's|them|same|again|instead|also|too|as well|previous|earlier|version|variant|"
    r"the (?:picture|image|drawing|photo|painting|background|foreground|(?:main )?subject|style(?! of)|shot|scene))\b", re.I)
# "draw a hat on him", "paint a star on its back": something drawn onto the last picture
_ON_IT_EN = re.compile(
    r"\b(?:it|him|them)\b|\bher(?=\s*(?:$|[.,!?]|\s+(?:a|an|the|some|to|into|on|in|with|look)\b))|\b(?:its|his|her|their)\s+(?:[\w-]+\s+)?(?:head|face|back|neck|hands?|ears?|eyes?|body|tail|paws?|feet|foot|arms?|"
    r"legs?|side|top|front|shoulders?|chest|nose|mouth|hair|wings?|collar|lap)\b", re.I)
_ALSO_EN = re.compile(r"\b(?:also|too|as well)\b", re.I)
# "a rainbow would be a nice touch", "a glacier as the setting", "a bowl, not a cup": wishes about the last picture
_WISH_EN = re.compile(r"\b(?:would|should|could|might|'d|will)\b|\bas (?:the|a|its) (?:setting|background|backdrop|scene|style|location|place)\b|"
                      r"(?:^|,\s*)not an?\b|\b(?:better|nicer|cuter|instead)\b", re.I)
_ASK_EN = re.compile(
    r"^(?:(?:ok(?:ay)?|now|great|nice|thanks|cool|alright|next|and)[,!.]?\s+)*(?:please\s+)?(?:(?:can|could|would|will)\s+you\s+(?:please\s+)?)?"
    r"(?:(?:draw|paint|generate|create|design|render|sketch|illustrate|produce)(?:\s+me|\s+us)?|make\s+(?:me|us))\s+" + _DET_EN + r"\s+(?!(?:bit|lot|different|new|more|less|similar|version|variant|variation|copy)\b)", re.I)

_LEAD_ZH = re.compile(r"^(?P<lead>[^：:\n]{0,24})[：:]\s*(?P<rest>\S.*)$", re.S)
_LEAD_ASK_ZH = re.compile(r"画|生成|绘制|创作|设计|制作|做|图|照片|海报|插画|描述|提示词")
_WRAP_ASK_ZH = re.compile(
    r"^(?:请|帮我|给我|麻烦|能不能|可以|我想要?|我要|我需要)?(?:你)?(?:帮我|给我|为我)?(?:画|生成|绘制|创作|设计|制作|来)(?:出)?"
    r"(?=(?:一|两|三|四|五|几|\d+))")
# a part of the picture named first: "背景是……，……" edits that part
_PART_OPEN_ZH = re.compile(r"^(?:背景|风格|画风|镜头|色调|光线|整体|天空|颜色|构图|视角)")
# an edit opens with its verb ("把毛衣……", "移除……", "给图片中的女人戴上……", "在X上增加……")
_EDIT_OPEN_ZH = re.compile(
    r"^(?:请|帮我|麻烦|再|然后|那就|就)?(?:把|将|移除|去掉|去除|删除|删掉|拿掉|添加|增加|加上|加入|加个|加一|替换|换|改|让|使|给|保持|保留|调整|变成|变为|转换|转化|"
    r"在[^，。,]{1,14}(?:上|里|中|旁|边|前|后|下|左侧|右侧|上方|下方)(?:增加|添加|加上|加|放|放置|画上|戴))")
# words that point back at the last picture
_BACK_REF_ZH = re.compile(r"(?:也|再|还)(?:画上|加上|添上|放上|画进|加进|画|加|放)|也要|(?:画上|加上|添上|放上)(?:吧|吗|呢|去)?$|现在的|目前的|当前的|这张|这幅|这个画面|此图|此照片|此画|原图|原始|原来|图中|图片中|图像中|照片中|刚才|上一张|之前|同样的画|一样的画|再来|再画")
_CHANGE_ZH = re.compile(r"(?:改成|换成|变成|变为|替换为|替换成|改为)(?!了)")
_DESC_START_ZH = re.compile(
    r"(?:^|[，,。；;])(?:一|两|三|四|五|六|七|八|九|十|几|\d+)[" + L.MEASURE_CHARS_ZH + r"款件排艘架尊间家台杯块颗枚面道轮栋扇]"
    r"|^在[^，。,；]{1,30}[，,]|^[^，。,；]{1,16}(?:风格|画风|摄影|画)[，,][^，。,；]{6,}")


def starts_anew(request: str, lang: str, prompt: DrawingPrompt) -> Optional[str]:
    """Whether ``request`` asks for a new picture rather than a change of ``prompt`` (the
    thread's last one): ``"asked"`` (it says so: "start over", a lead-in such as "Draw this
    for me: ...", "I'd like a picture of ..."), ``"described"`` (a fresh description with
    nothing of the last picture in it: "a kitchen with a large refrigerator"), ``None`` (an
    edit)."""
    if starts_over(request, lang):
        return "asked"
    return _starts_anew_zh(request.strip(), prompt) if lang == "zh" else _starts_anew_en(norm_en(request.strip()), prompt)


def _starts_anew_zh(text: str, prompt: DrawingPrompt) -> Optional[str]:
    first = re.split(r"[。！？!?\n]", text, maxsplit=1)[0]
    clause = re.split(r"[，,；;：:]", first, maxsplit=1)[0]
    noun = main_noun(prompt)
    m = _LEAD_ZH.match(text)
    if m and _LEAD_ASK_ZH.search(m.group("lead")) and not _EDIT_OPEN_ZH.match(m.group("lead")) and not _BACK_REF_ZH.search(m.group("lead") + m.group("rest")[:60]):
        return "asked"
    edits = _EDIT_OPEN_ZH.match(clause) or _BACK_REF_ZH.search(first) or _CHANGE_ZH.search(first)
    names_last = len(noun) >= 2 and noun[:2] in text
    if edits or names_last:
        return None
    wrap = _WRAP_ASK_ZH.match(text)
    if wrap and not _EDIT_OPEN_ZH.match(text[wrap.end():]):
        return "asked"
    if _DESC_START_ZH.search(first) or (len(first) >= 24 and len(re.findall(r"[，,]", first)) >= 2 and not _PART_OPEN_ZH.match(clause)):
        return "described"
    return None


def _starts_anew_en(text: str, prompt: DrawingPrompt) -> Optional[str]:
    first = re.split(r"(?<=[.!?;])\s+", text, maxsplit=1)[0]
    noun = main_noun(prompt).lower()
    names_last = bool(noun) and re.search(r"\b(?:the|that|this|my|your|our)\s+(?:[\w-]+\s+){0,2}" + re.escape(noun) + r"s?\b", text, re.I)
    m = _LEAD_EN.match(text)
    if m and not _EDIT_WORDS_EN.search(m.group("lead")) and not _BACK_REF_EN.search(m.group("rest")) and not names_last:
        return "asked"
    m = _PICTURE_OF_EN.match(text)
    if m and not _EDIT_WORDS_EN.search(m.group("lead")) and not _BACK_REF_EN.search(m.group("rest")) and not names_last:
        return "asked"
    names_noun = bool(noun) and re.search(r"\b" + re.escape(noun) + r"s?\b", text, re.I)
    if names_last or names_noun:
        return None
    if _ASK_EN.match(text) and not _BACK_REF_EN.search(text) and not _ON_IT_EN.search(first) and not _ALSO_EN.search(first):
        return "asked"
    if _EDIT_START_EN.match(first):
        return None
    words = first.split()
    if _DESC_REF_EN.search(" ".join(words[:8])) or (len(words) < 10 and _ALSO_EN.search(first)):
        return None
    if _DESC_START_EN.match(first) and not _WISH_EN.search(first) and not (len(words) < 8 and shot_of(first, "en")):
        return "described"
    m = _SCENE_OPEN_EN.match(first)
    if m and len(m.group("rest").split()) >= 4 and not _EDIT_START_EN.match(m.group("rest")):
        return "described"
    m = _NAME_SCENE_EN.match(first)
    head = m.group("head").split() if m else []
    if (m and len(words) >= 5 and not _JUDGING_EN.search(first) and m.group("next").lower() not in _ING_NOUNS_EN
            and not any(w.lower() in STOP_EN or w.lower() in _PROPERTY_HEADS_EN for w in head)
            and (len(head) > 1 or not _NOT_NAME_EN.match(head[0]))):
        return "described"
    m = _THE_SENTENCE_EN.match(first)
    if m and len(words) >= 7 and m.group("head").lower() not in _PROPERTY_HEADS_EN and not _JUDGING_EN.search(first):
        return "described"
    return None


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
    r"^(?:(?:你好|您好|嗨|哈喽|hello|hi)[啊呀]?[，,！!。~～\s]*)?(?:(?:是的|好的|好|嗯|那|那么|现在)[，,]?)?(?P<polite>请你?|麻烦你?|你能|你可以|能不能|可不可以|可以|能否)?(?P<for>帮我|给我|为我|帮忙)?"
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
