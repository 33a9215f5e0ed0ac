"""The offline drawing-prompt rewriter: rules, no model, English and Chinese.

``RuleRewriter.rewrite(conv)`` turns the user's request into the next
:class:`~dialoggen.agent.prompt.DrawingPrompt`:

- *new picture* (no previous prompt, or the request clearly starts over): the request's
  content without its wrapper ("can you draw me ...", "帮我生成一张……") becomes the subject;
  background, shot and style come from what the user said, with defaults a T2I model likes
  (``a medium shot`` / ``realistic``; ``中景`` / ``写实``).
- *edit*: the request is read as one or more edits of seven types (change an entity or its
  colour/material, add an object, remove an object, change the background, the style, the
  shot, combine two pictures). Only the parts an edit touches change; every other part is the
  very same string (object consistency). A request no rule understands is kept as one more
  ``extras`` sentence, so nothing the user asked for is lost and nothing else moves.

The starting point of an edit is the thread's previous prompt; when the user attaches a
picture that is not the thread's latest one, its caption (parsed back into parts when it is
a rendered prompt) is the starting point instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Optional

from . import rewrite_lexicon as L
from .prompt import DrawingPrompt
from .roles import Conversation

DEFAULTS = {"en": {"shot": "a medium shot", "style": "realistic"}, "zh": {"shot": "中景", "style": "写实"}}

EDIT_KINDS = (
    "change_entity",
    "add_object",
    "remove_object",
    "change_background",
    "change_style",
    "change_shot",
    "combine_images",
    "extras",
)


@dataclass(frozen=True)
class Edit:
    """One edit read from a request.

    ``target`` is the thing the user named ("" = the main subject); ``value`` the new entity,
    colour, material, object phrase, background, style, shot key or extras sentence;
    ``detail`` refines the kind: ``entity``/``colour``/``material`` for ``change_entity``,
    ``time`` for a time-of-day/weather background change, ``in``/``out`` for relative zoom.
    """

    kind: str
    target: str = ""
    value: str = ""
    detail: str = ""


# =============================================================================== the role
class RuleRewriter:
    """The offline ``rewrite`` role: deterministic rules, pure Python, well under 1 ms."""

    name = "offline"

    def rewrite(self, conv: Conversation) -> DrawingPrompt:
        lang = conv.lang
        caption = (conv.attachment or {}).get("caption") if conv.attachment else None
        previous = conv.previous_prompt
        base: Optional[DrawingPrompt] = previous
        other: Optional[str] = None  # second picture for a combine
        if caption:
            if previous is None:
                earlier = _earlier_caption(conv)
                base = prompt_from_caption(earlier if earlier else caption, lang)
                other = caption if earlier else None
            elif not _is_previous_image(conv):
                other = caption
        if base is None:
            return new_prompt(conv.user, lang)
        if previous is not None and starts_over(conv.user, lang):
            return new_prompt(conv.user, lang)
        edits = classify(conv.user, lang, base, has_second_source=other is not None)
        if other is not None and previous is not None and not any(e.kind == "combine_images" for e in edits):
            # an attached new picture that the request edits (not combines) is the starting point
            base = prompt_from_caption(other, lang)
            previous = None
        out = apply_edits(base, edits, other_caption=other)
        if previous is None:  # a caption was the starting point: fill what a T2I model likes
            fill = {k: v for k, v in DEFAULTS[lang].items() if not getattr(out, k)}
            out = out.model_copy(update=fill) if fill else out
        return out

    def edit(self, prompt: DrawingPrompt, request: str, *, attachment_caption: Optional[str] = None) -> DrawingPrompt:
        """Apply ``request`` to ``prompt`` (the role's core, without a conversation)."""
        edits = classify(request, prompt.lang, prompt, has_second_source=attachment_caption is not None)
        return apply_edits(prompt, edits, other_caption=attachment_caption)


def _earlier_caption(conv: Conversation) -> Optional[str]:
    """The caption of a picture attached earlier in the thread (for combining two captions)."""
    for t in reversed(conv.turns):
        att = t.get("attachment")
        if att and att.get("caption"):
            return att["caption"]
    return None


def _is_previous_image(conv: Conversation) -> bool:
    prev_img = conv.previous_image
    return bool(prev_img and conv.attachment and prev_img.get("sha256") == conv.attachment.get("sha256"))


# =============================================================================== shared helpers
def _clean_spaces(text: str) -> str:
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r",\s*,", ",", text)
    return text.strip(" ,;")


def _norm_en(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", text).strip()


def _word_re(words: tuple[str, ...] | list[str]) -> str:
    return r"(?:" + "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)) + r")"


_COLOUR_RE = re.compile(r"\b(?:(?:" + "|".join(L.COLOUR_MODIFIERS_EN) + r")[- ])?" + _word_re(L.COLOURS_EN) + r"\b", re.I)
_MATERIAL_RE = re.compile(r"\b" + _word_re(L.MATERIALS_EN) + r"\b", re.I)
_STYLE_RE = re.compile(r"(?<![\w-])" + _word_re(L.STYLE_WORDS_EN) + r"(?![\w-])", re.I)
_STYLE_ZH_RE = re.compile(_word_re(L.STYLE_WORDS_ZH))
_GENERIC_STYLE_ZH = ("画风", "风格", "画法", "质感", "效果")
_SPECIFIC_STYLE_ZH_RE = re.compile(_word_re([w for w in L.STYLE_WORDS_ZH if w not in _GENERIC_STYLE_ZH]))
_COLOUR_ZH_RE = re.compile(_word_re(L.COLOURS_ZH) + r"|[" + L.COLOUR_CHARS_ZH + r"](?:色)?(?=的|$)")
_MATERIAL_ZH_RE = re.compile(_word_re(L.MATERIALS_ZH))
_STOP_EN = set(L.DETERMINERS_EN) | set(L.PREPOSITIONS_EN) | set(L.CONJUNCTIONS_EN) | set(L.VERBS_EN)


def _article(phrase: str) -> str:
    return ("an " if phrase[:1].lower() in "aeiou" else "a ") + phrase


def _strip_det(phrase: str) -> str:
    return re.sub(r"^(?:the|a|an|this|that|these|those|its|his|her|their|my|your|our|some)\s+", "", phrase.strip(), flags=re.I)


def _time_of(text: str, lang: str) -> Optional[str]:
    for pattern, phrase in (L.TIMES_EN if lang == "en" else L.TIMES_ZH):
        if re.search(pattern, text, re.I):
            return phrase
    return None


def _shot_of(text: str, lang: str) -> Optional[tuple[str, str]]:
    """``(key, detail)`` of a shot request; detail ``in``/``out`` for relative zooms."""
    if lang == "en":
        if re.search(L.ZOOM_IN_EN, text, re.I):
            return "close", "in"
        if re.search(L.ZOOM_OUT_EN, text, re.I):
            return "wide", "out"
        for pattern, key in L.SHOT_PATTERNS_EN:
            if re.search(pattern, text, re.I):
                return key, ""
        return None
    for pattern, key in L.SHOT_PATTERNS_ZH:
        if re.search(pattern, text):
            detail = "in" if key == "close" and re.search(r"拉近|推近|靠近|放大|近一[点些]", text) else ""
            detail = "out" if key == "wide" and re.search(r"拉远|远一[点些]|缩小|后退", text) else detail
            return key, detail
    return None


# =============================================================================== English noun phrases
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")


def _is_verbish(word: str) -> bool:
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


def _np_span(text: str, head: str) -> Optional[tuple[int, int, int, int]]:
    """``(np_start, mods_start, head_start, head_end)`` of the first noun phrase whose head
    is ``head`` (singular or plural), or ``None``."""
    head = _strip_det(head).strip()
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
        return _np_span(text, head.split()[-1])
    if found is None:
        return None
    hs, he = found
    # extend to plural suffix
    tail = re.match(r"(?:e?s)\b", text[he:])
    if tail and not text[hs:he].lower().endswith("s"):
        he += tail.end()
    mods_start = hs
    np_start = hs
    tokens = list(_TOKEN.finditer(text[:hs]))
    for tok in reversed(tokens):
        between = text[tok.end():mods_start]
        if between.strip():  # punctuation in between
            break
        w = tok.group().lower()
        if w in L.DETERMINERS_EN:
            np_start = tok.start()
            break
        if w in _STOP_EN or _is_verbish(w):
            break
        mods_start = tok.start()
        np_start = tok.start()
    return np_start, mods_start, hs, he


def _main_np(subject: str) -> Optional[tuple[int, int, int, int]]:
    """The noun phrase the subject starts with (the main subject), as :func:`_np_span`."""
    tokens = list(_TOKEN.finditer(subject))
    if not tokens:
        return None
    start = 0
    if tokens[0].group().lower() in L.DETERMINERS_EN:
        start = 1
    end = start
    for i in range(start, len(tokens)):
        w = tokens[i].group().lower()
        gap = subject[tokens[i - 1].end():tokens[i].start()] if i > 0 else ""
        if i > start and (w in _STOP_EN or _is_verbish(w) or "," in gap):
            break
        # "-s" word followed by a determiner/preposition reads as a verb ("waters a")
        if i > start and w.endswith("s") and not w.endswith("ss") and i + 1 < len(tokens) and tokens[i + 1].group().lower() in _STOP_EN:
            break
        end = i
    if end < start:
        return None
    head = tokens[end]
    mods_start = tokens[start].start()
    return tokens[0].start(), mods_start, head.start(), head.end()


def _main_noun(prompt: DrawingPrompt) -> str:
    if prompt.lang == "zh":
        span = _main_span_zh(prompt.subject)
        return prompt.subject[span[0]:span[1]] if span else ""
    span = _main_np(prompt.subject)
    return prompt.subject[span[2]:span[3]] if span else ""


def _fix_articles(text: str) -> str:
    def repl(m: re.Match) -> str:
        art, word = m.group(1), m.group(2)
        vowel = word[:1].lower() in "aeiou" and not re.match(r"(?:uni|use|one|eu)", word, re.I)
        new = "an" if vowel else "a"
        if art[0].isupper():
            new = new.capitalize()
        return f"{new} {word}"

    return re.sub(r"\b(an?|An?)\s+([A-Za-z][\w'-]*)", repl, text)


def _locate(prompt: DrawingPrompt, target: str) -> Optional[tuple[str, int]]:
    """Where the user's ``target`` lives: ``(part, extras index or -1)``; ``None`` if nowhere."""
    if not target:
        return ("subject", -1)
    zh = prompt.lang == "zh"
    for part in ("subject", "extras", "background"):
        values = prompt.extras if part == "extras" else [getattr(prompt, part)]
        for i, value in enumerate(values):
            found = (target in value) if zh else _np_span(value, target) is not None
            if found:
                return part, (i if part == "extras" else -1)
    return None


def _get(prompt: DrawingPrompt, where: tuple[str, int]) -> str:
    part, idx = where
    return prompt.extras[idx] if part == "extras" else getattr(prompt, part)


def _put(prompt: DrawingPrompt, where: tuple[str, int], value: str) -> DrawingPrompt:
    part, idx = where
    if part == "extras":
        extras = list(prompt.extras)
        extras[idx] = value
        return prompt.model_copy(update={"extras": extras})
    return prompt.model_copy(update={part: value})


def _resolve_target(prompt: DrawingPrompt, target: str) -> str:
    """The user's name for a thing, or the main noun for "it"/"它"."""
    t = target.strip()
    if prompt.lang == "zh":
        t = re.sub(r"^(?:把|将|让|给|这个|那个|这只|那只|画里的|画面里的|图里的|画中的|的)+", "", t)
        t = re.sub(r"(?:的颜色|颜色|的材质|材质|的)$", "", t)
        if t in ("", "它", "他", "她", "它们", "他们", "这个", "画面", "整个画面", "整体", "全部"):
            return _main_noun(prompt)
        found = _find_zh(prompt, t)
        return found or t
    t = re.sub(r"'s\s+(?:colou?r|material)$|\s+(?:colou?r|material)$", "", t, flags=re.I)
    t = re.sub(r"'s$", "", t)
    t = _strip_det(t)
    if t.lower() in ("", "it", "them", "this", "that", "him", "her", "everything", "the whole thing", "one", "they"):
        return _main_noun(prompt)
    return t


def _find_zh(prompt: DrawingPrompt, region: str) -> str:
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


# =============================================================================== Chinese noun spans
def _main_span_zh(subject: str) -> Optional[tuple[int, int]]:
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


# =============================================================================== new prompts
_NEW_VERB_EN = r"(?:draw|paint|make|create|generate|sketch|render|design|produce|illustrate|show|give)"
_REF_EN = re.compile(
    r"\b(?:it|its|it's|this|that|them|they|same|again|instead|also|too|as well|still|previous|last|earlier|"
    r"the (?:picture|image|scene|drawing|photo|painting|background|style|shot))\b", re.I)
_REF_ZH = re.compile(r"它|这张|这幅|刚才|上一张|原来|之前|前面|再|也|还|换|改|加|去掉|把|背景|风格|镜头|而不是|代替|这个|那个|保持")


def starts_over(request: str, lang: str) -> bool:
    """Whether ``request`` asks for a new picture although the thread has a prompt."""
    if lang == "zh":
        if re.search(L.START_OVER_ZH, request) and not re.search(r"风格|画风|背景|镜头|换成|改成|用|把|去掉|加", request):
            return True
        wrapper = re.match(r"^(?:请|帮我|给我|麻烦|能不能|可以|我想要?)?(?:你)?(?:帮我|给我)?(?:画|生成|绘制|创作|来)(?:一|两|三|几)(?:张|幅|个|只|条|座|位|辆|棵|朵|群|头|匹)", request)
        return bool(wrapper) and not _REF_ZH.search(request[wrapper.end():]) and not _REF_ZH.search(request[:wrapper.start()])
    text = _norm_en(request)
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
            if w.group().lower() in _STOP_EN or w.group().lower() in ("the",) or gap.strip():
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
    text = _norm_en(request)
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]
    # the sentence holding the drawing request (else the whole request is the content)
    idx = next((i for i, s in enumerate(sentences) if re.search(r"\b" + _NEW_VERB_EN + r"\b|\bi'?d (?:love|like)\b|\bi want\b", s, re.I)), None)
    content_sentences = sentences if idx is None else sentences[idx:]
    lead = sentences[:idx] if idx else []
    content = _strip_wrapper_en(content_sentences[0]) if content_sentences else ""
    rest = [s.strip() for s in content_sentences[1:]]
    if content.lower() in ("", "one", "it", "that", "some", "them", "one of those", "one of them", "something like that", "this"):
        noun = ""
        for s in lead:
            m = re.search(r"\bi (?:really )?(?:love|like|adore|enjoy|am into|'m into)\s+(?P<n>[\w' -]+?)(?:[.!,]|$)", s, re.I)
            if m:
                noun = _article(_singular_en(m.group("n").strip()))
                break
        content = noun or _strip_wrapper_en(text)
        rest = []
    style = shot = background = ""
    # leading "a close-up watercolor painting of ..."
    m = re.match(r"^(?:an?\s+)?(?P<shot>close[- ]up|wide[- ]angle|aerial|macro|top[- ]down)?\s*(?P<adj>[\w' -]{0,30}?)\s*"
                 r"(?P<kind>photo|photograph|painting|drawing|sketch|illustration|render|watercolou?r|oil painting|picture|image)\s+(?:of|showing)\s+", content, re.I)
    if m and m.group("kind").lower() in ("picture", "image"):
        adj = (m.group("adj") or "").strip()
        style = adj if _STYLE_RE.search(adj) else ""
        content = content[m.end():]
    elif m:
        kind = m.group("kind").lower()
        adj = (m.group("adj") or "").strip()
        kind_style = {"photo": "photographic", "photograph": "photographic", "painting": "painterly", "drawing": "hand-drawn", "render": "3D render"}.get(kind, kind)
        style = f"{adj} {kind if kind not in ('photo', 'photograph', 'painting', 'drawing') else kind_style}".strip() if adj else kind_style
        if m.group("shot"):
            key = _shot_of(m.group("shot"), "en")
            shot = L.SHOTS_EN[key[0]] if key else ""
        content = content[m.end():]
    m = re.match(r"^(?:an?\s+)?(?P<shot>close[- ]up|extreme close[- ]up|wide shot|aerial view|top[- ]down view|bird'?s[- ]eye view)\s+(?:of|showing)\s+", content, re.I)
    if m:
        key = _shot_of(m.group("shot"), "en")
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
    sm = re.search(r"[,.]?\s*(?:in|as)\s+(?:an?\s+)?(?P<s>" + _STYLE_RE.pattern + r"(?:\s+(?:painting|illustration|render|art|drawing|sketch|photo))?)\s*$", content, re.I)
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
    content = _clean_spaces(content).rstrip(".")
    if not content:
        content = _clean_spaces(_strip_wrapper_en(text)).rstrip(".")
    return DrawingPrompt(
        subject=content,
        background=background,
        shot=shot or DEFAULTS["en"]["shot"],
        style=_clean_spaces(style) or DEFAULTS["en"]["style"],
        extras=kept_rest,
        lang="en",
    )


_WRAP_ZH = re.compile(
    r"^(?:(?:是的|好的|好|嗯|那|那么|现在)[，,]?)?(?P<polite>请你?|麻烦你?|你能|你可以|能不能|可不可以|可以|能否)?(?P<for>帮我|给我|为我|帮忙)?"
    r"(?P<want>我想要?|我希望|我需要|我要|想要|想看)?(?:你)?(?:帮我|给我)?(?P<by>根据|按照|依照|参考)?(?:下面的|以下的|下列|这段|这个|我的)?(?:描述|文字|提示|说明)?(?:来)?"
    r"(?P<verb>画(?![面中里])|生成|绘制|创作|制作|创建|设计|画出|做|来|看)?(?:一下)?(?:(?:一|这样一|这样的|一个)?(?:张|幅|个)?(?:图片|图像|画面|图|画作|画|照片|插画|作品))?"
    r"(?:吧|吗)?[：:，,]?\s*"
)


def _new_prompt_zh(request: str) -> DrawingPrompt:
    text = request.strip()
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
        sm = None
    elif lead and _SPECIFIC_STYLE_ZH_RE.search(lead.group("s")) and not re.match(r"^[" + L.NUMERALS_ZH + r"]", lead.group("s")):
        style = lead.group("s")
        content = content[lead.end():]
        sm = None
    else:
        sm = re.match(r"^(?P<s>[^，。,]{1,14}?)(?:风格|画风)[，,]", content)
    if style:
        pass
    elif sm:
        style = sm.group("s").strip()
        content = content[sm.end():]
    else:
        sm = re.search(r"[，,]\s*(?:画面是|画面为|整体是|采用|以|用|呈现)?(?P<s>[^，。,]{1,16}?)(?:风格|画风)(?:的)?[。！]?$", content)
        if sm:
            style = sm.group("s").strip()
            content = content[:sm.start()]
        else:
            sm = re.match(r"^(?P<s>[^，。,]{1,14}?)(?:风格|画风)的", content)
            if sm and _STYLE_ZH_RE.search(sm.group("s")):
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


def prompt_from_caption(caption: str, lang: str) -> DrawingPrompt:
    """A prompt from an attached picture's caption: a rendered prompt (from PNG metadata) is
    parsed back into its parts; any other caption becomes the subject (first sentence) and
    extras (further sentences), with no defaults added."""
    text = caption.strip()
    if lang == "zh":
        sentences = [s.strip().rstrip("。！？.") for s in re.split(r"(?<=[。！？])", text) if s.strip().rstrip("。！？.")]
        parts = {"subject": "", "background": "", "shot": "", "style": "", "extras": []}
        for s in sentences:
            for part, frame in (("background", "背景是"), ("shot", "镜头是"), ("style", "风格是")):
                if s.startswith(frame) and not parts[part]:
                    parts[part] = s[len(frame):]
                    break
            else:
                if not parts["subject"]:
                    parts["subject"] = s
                else:
                    parts["extras"].append(s)
        return DrawingPrompt(**parts, lang="zh")
    sentences = [s.strip().rstrip(".") for s in re.split(r"(?<=[.!?])\s+", _norm_en(text)) if s.strip().rstrip(".")]
    parts = {"subject": "", "background": "", "shot": "", "style": "", "extras": []}
    for s in sentences:
        m = re.match(r"^The (background|shot|style) is (.+)$", s)
        if m and not parts[m.group(1)]:
            parts[m.group(1)] = m.group(2)
        elif not parts["subject"]:
            parts["subject"] = s
        else:
            parts["extras"].append(s)
    return DrawingPrompt(**parts, lang="en")


# =============================================================================== classification
def classify(request: str, lang: str, prompt: Optional[DrawingPrompt] = None, *, has_second_source: bool = False) -> list[Edit]:
    """The edits ``request`` asks of ``prompt`` (in order); a fallback ``extras`` edit when
    no rule applies; ``[]`` for an empty request."""
    prompt = prompt or DrawingPrompt(subject="", lang=lang)  # type: ignore[arg-type]
    if lang == "zh":
        return _classify_zh(request, prompt, has_second_source)
    return _classify_en(request, prompt, has_second_source)


# ----------------------------------------------------------------------------- English rules
_FILLER_EN = re.compile(
    r"^(?:(?:yes|yeah|yep|ok(?:ay)?|sure|great|nice|cool|good|hmm+|um+|well|now|then|and|also|so|oh|alright|right|perfect|"
    r"lovely|thanks|thank you|wow|actually|but|maybe|please|definitely|absolutely|certainly|of course|sure thing|exactly|indeed|excellent|awesome)\b[,!.]?\s*)+", re.I)
_POLITE_EN = re.compile(
    r"^(?:(?:can|could|would|will|shall|should)\s+(?:you|we)\s+(?:please\s+|also\s+|maybe\s+|just\s+)*|please\s+|let'?s\s+|let us\s+|"
    r"(?:is|would|will) it be possible (?:for you )?to\s+|is it possible (?:for you )?to\s+|i wonder if you could\s+|do you think you could\s+|"
    r"(?:can|could) i (?:ask you to|get you to)\s+|how about you\s+|"
    r"i(?:'d| would) (?:like|love) (?:you )?to\s+|i want (?:you )?to\s+|i need you to\s+|try to\s+|try\s+(?=(?:adding|removing|making))|go ahead and\s+|just\s+|maybe\s+|also\s+)+", re.I)
_TRAIL_EN = re.compile(r"(?:[\s,]+(?:please|thanks|thank you|for me|if you can|if possible|instead|as well|too|then|now|again|this time|for now|for this one))+\s*[.!?]*$|[\s.!?]+$", re.I)
_LOC_TAIL_EN = re.compile(r"\s+(?:in|into|to|onto|on)\s+(?:the|this|my|that)\s+(?:picture|image|scene|drawing|painting|photo|frame|composition)\b.*$|\s+(?:in there|there|somewhere|in it)\b\s*$", re.I)
_BG_WORDS = r"(?:background|backdrop|setting|scenery|surroundings|environment|location|scene|backgrounds)"
_TIME_ONLY = re.compile(r"^(?:(?:the|a|an)\s+)?(?:night(?:time)?|day(?:time)?|sunset|sunrise|dawn|dusk|twilight|evening|morning|noon|midnight|"
                        r"(?:a\s+)?(?:sunny|rainy|snowy|foggy|misty|stormy|cloudy)(?:\s+day)?|winter|summer|autumn|fall|spring|"
                        r"(?:in\s+the\s+)?(?:rain|snow|fog|mist))$", re.I)


_NOISE_EN = re.compile(
    r"^(?:show me|do it|go ahead|go for it|(?:paint|draw|make|render|show|do) (?:it|that|this|one)(?: for me| for us)?|let me see|let's see|"
    r"surprise me|make it so|thanks?|thank you|ok(?:ay)?|please|yes|sure|cool|great|i'?m curious|just curious)$", re.I)


def _split_clauses_en(text: str) -> list[str]:
    sentences = [s for s in re.split(r"(?<=[.!?;])\s+", text) if s.strip()]
    clauses: list[str] = []
    verbs = r"(?:make|add|remove|change|put|set|turn|give|zoom|show|use|include|switch|swap|replace|paint|get rid|take|draw|render|move|let|place|delete|erase|drop)"
    for s in sentences:
        clauses += [c for c in re.split(r",?\s+(?:and|then|plus)\s+(?:then\s+|also\s+)?(?=" + verbs + r"\b)", s, flags=re.I) if c.strip()]
    return clauses


def _clause_text(clause: str) -> str:
    c = _FILLER_EN.sub("", clause.strip())
    c = _POLITE_EN.sub("", c)
    c = _TRAIL_EN.sub("", c)
    c = _TRAIL_EN.sub("", c)
    return c.strip(" ,")


def _classify_en(request: str, prompt: DrawingPrompt, second: bool) -> list[Edit]:
    text = _norm_en(request)
    # "not the cat. A dog would be better."
    m = re.search(r"\bnot (?:the |a |an )?(?P<old>[\w' -]+?)[.,;!]+\s*(?P<new>(?:an?|some) [\w' -]+?) (?:would|will|might|could|'d|is|seems)\b", text, re.I)
    if m:
        return [_entity_edit_en(m.group("old"), m.group("new"), prompt)]
    edits: list[Edit] = []
    pending: Optional[str] = None  # "Could you replace that hat?" waits for "I'd like a crown there."
    referent: Optional[str] = None  # "The rainbow is distracting. Remove it." -> "it" is the rainbow
    for sentence in [s for s in re.split(r"(?<=[.!?;])\s+", text) if s.strip()]:
        whole = _clause_text(sentence)
        e = _sentence_rule_en(whole, prompt, second) if whole else None
        if e is not None:
            edits.append(_with_referent(e, referent))
            continue
        n_before = len(edits)
        for clause in _split_clauses_en(sentence):
            c = _clause_text(clause)
            if not c or _NOISE_EN.match(c):
                continue
            m = re.match(r"^(?:replace|swap|change|switch|exchange|substitute)\s+(?:out\s+)?(?P<old>(?:the|that|this|those|its)\s+[\w' -]+?|it)$", c, re.I)
            if m and not any(w.lower() in L.PREPOSITIONS_EN for w in m.group("old").split()[1:]):
                pending = m.group("old")
                continue
            e = _rule_en(c, prompt, second)
            m = re.match(r"^(?:do|draw|paint|make|try|show|use|have|go with)\s+(?P<new>(?:an?|some|two|three)\s[\w' -]+)$", c, re.I)
            if m and re.search(r"\b(?:instead|rather)\b", clause, re.I) and (e is None or e.kind in ("add_object", "extras")):
                e = _entity_edit_en("it", m.group("new"), prompt)  # "Do a lighthouse instead."
            if pending and (e is None or e.kind in ("add_object", "extras")):
                new = e.value if e is not None else c
                new = re.sub(r"^(?:i'?d like|i want|i would like|let's have|use|put|maybe|how about)\s+", "", new, flags=re.I)
                new = re.sub(r"\s+(?:there|instead|in its place|in there)$", "", new, flags=re.I)
                e = _entity_edit_en(pending, new, prompt)
                pending = None
            if e is not None:
                edits.append(_with_referent(e, referent))
        if len(edits) == n_before:
            referent = _mentioned_en(sentence, prompt) or referent
    if not edits:
        sentences = [_fallback_en(c) for c in _split_clauses_en(text)]
        return [Edit("extras", value=s) for s in sentences if s]
    return edits


_PRONOUN_SUBJECT = {"it": ("The image", False), "this": ("The image", False), "the picture": ("The image", False), "the image": ("The image", False),
                    "him": ("He", False), "her": ("She", False), "them": ("They", True)}


def _with_referent(e: Edit, referent: Optional[str]) -> Edit:
    """``e`` with a pronoun target ("it", "它") replaced by the thing an earlier sentence named."""
    if referent and e.target.strip().lower() in ("it", "them", "this", "that", "它", "它们", "这个", "那个"):
        return replace(e, target=referent)
    return e


def _mentioned_en(sentence: str, prompt: DrawingPrompt) -> Optional[str]:
    """The first word of ``sentence`` naming something in the prompt (a noun the user talks about)."""
    for tok in _TOKEN.finditer(sentence):
        w = tok.group().lower()
        if len(w) > 2 and w not in _STOP_EN and w not in ("it's", "looks", "look", "seems", "picture", "image", "scene", "really", "too", "very"):
            if _locate(prompt, w) is not None:
                return w
    return None


def _sentence_rule_en(c: str, prompt: DrawingPrompt, second: bool) -> Optional[Edit]:
    """Rules that need a whole sentence (before it is split into clauses)."""
    if second:
        e = _combine_rule_en(c)
        if e is not None:
            return e
    m = (re.search(r"\b(?:swap|switch|take|trade|pull|move)\s+out\s+(?P<old>.+?),?\s+(?:and\s+)?(?:then\s+)?(?:put|bring|add|use|swap|switch|stick|drop)\s+in\s+(?P<new>.+)$", c, re.I)
         or re.search(r"\b(?:swap|switch|trade)\s+(?P<old>.+?)\s+out\s+for\s+(?P<new>.+)$", c, re.I)
         or re.search(r"\b(?:remove|take away|get rid of|lose|drop)\s+(?P<old>.+?),?\s+and\s+(?:then\s+)?(?:put|add|use|draw|place)\s+(?P<new>(?:an?|some|the)\s.+?)(?:\s+(?:instead|in its place|there))?$", c, re.I))
    if m:
        return _entity_edit_en(m.group("old"), m.group("new"), prompt)
    return None


def _fallback_en(clause: str) -> str:
    """A request no rule understands, as one extras sentence ("I'd like it to be warm" ->
    "The image is warm")."""
    c = _clause_text(clause)
    m = re.match(r"^(?:(?:i(?:'d| would) (?:like|love)|i want|i need|let's make|let us make|make|can you make|could you make)\s+)?"
                 r"(?P<p>it|this|the picture|the image|him|her|them)\s+(?:to\s+)?(?P<rest>.+)$", c, re.I)
    if m and (m.group(0).lower().startswith(("i", "let", "make", "can", "could")) or " to " in c.lower()):
        who, plural = _PRONOUN_SUBJECT[m.group("p").lower()]
        rest = m.group("rest")
        vm = re.match(r"^(?P<verb>be|look|feel|seem|have)\s+(?P<v>.+)$", rest, re.I)
        if vm:
            verb = vm.group("verb").lower()
            forms = {"be": ("is", "are"), "look": ("looks", "look"), "feel": ("feels", "feel"), "seem": ("seems", "seem"), "have": ("has", "have")}
            return f"{who} {forms[verb][plural]} {vm.group('v')}"
        first = rest.split()[0].lower()
        if first in L.VERBS_EN or first in ("capture", "focus", "show", "emphasize", "emphasise", "highlight", "feature", "convey", "evoke", "mimic",
                                            "include", "stand", "give", "make", "depict", "portray", "use", "express", "radiate", "tell", "contain"):
            return rest[:1].upper() + rest[1:]
        return f"{who} {'are' if plural else 'is'} {rest}"
    return c[:1].upper() + c[1:] if c else ""


def _colour_value(text: str) -> Optional[str]:
    m = re.fullmatch(r"\s*(?:(?:a|an|the)\s+)?(?:more\s+)?(?P<c>" + _COLOUR_RE.pattern + r"(?:\s+and\s+" + _COLOUR_RE.pattern + r")?)\s*(?:colou?r(?:ed)?|one|instead|in colou?r)?\s*", text, re.I)
    return m.group("c") if m else None


def _material_value(text: str) -> Optional[str]:
    m = re.fullmatch(r"\s*(?:made\s+)?(?:out\s+of|of|from)?\s*(?P<m>(?:[\w-]+\s+){0,3}?" + _MATERIAL_RE.pattern + r")\s*(?:instead)?\s*", text, re.I)
    return m.group("m") if m else None


def _style_value(text: str) -> Optional[str]:
    """The style a phrase names ("an oil painting" -> "oil painting"), or None."""
    t = text.strip(" .,!?")
    m = re.search(r"\b(?:the way|how|just like|like|as)\s+(?P<a>[A-Z][\w.' -]*?)\s+(?:would|does|did|might|could|paints|painted|draws|drew)\b", t)
    if m and not _STYLE_RE.search(m.group("a")):
        return "inspired by " + m.group("a")
    m = re.search(r"\b(?:in the style of|in the manner of|inspired by|in the vein of|like the work of|like the paintings of|a la|à la)\s+(?P<a>.+)$", t, re.I)
    if m:
        a = re.sub(r"(?:'s)?\s+(?:style|work|art|paintings)$", "", m.group("a").strip(), flags=re.I)
        bare = _strip_det(a)
        return bare if _STYLE_RE.fullmatch(bare) or (_STYLE_RE.search(bare) and bare[:1].islower()) else "inspired by " + a
    sm = None
    for cand in _STYLE_RE.finditer(t):
        if cand.start() == 0 and re.match(r"\s+(?:it|this|them|the|that|everything)\b", t[cand.end():], re.I):
            continue  # "Render it like ...", "Sketch it as ...": a verb, not the style
        sm = cand
        break
    if not sm:
        return None
    words = t.split()
    # the style phrase: from the first word after a stop word before the match to the end,
    # trimmed of framing words
    left = t[:sm.start()].split()
    keep_left: list[str] = []
    for w in reversed(left):
        if w.lower() in ("a", "an", "the", "it", "this", "be", "to", "in", "into", "as", "like", "of", "with", "make", "want", "try",
                         "switch", "change", "give", "render", "redo", "draw", "paint", "do", "look", "looks", "more", "is", "feel", "some", "go",
                         "for", "i", "i'd", "would", "a bit", "bit", "little", "something", "style", "art", "its", "me", "them", "and", "than",
                         "have", "has", "having", "use", "using", "incorporate", "add", "include", "want", "need", "get", "see"):
            break
        keep_left.insert(0, w)
    right = t[sm.end():].split()
    keep_right: list[str] = []
    for w in right:
        lw = w.lower().strip(",")
        if lw in ("style", "styled", "look", "feel", "vibe", "aesthetic", "version", "instead", "please", "for", "to", "it", "this", "with",
                  "like", "than", "too", "rather", "one", "effect", "mode", "sounds", "sound", "would", "will", "could", "seems", "is", "are"
                  ) or (lw in _STOP_EN and lw != "and"):
            break
        keep_right.append(w.strip(","))
        if w.endswith(","):
            break
    while keep_right and keep_right[-1].lower() in ("and", "or"):
        keep_right.pop()
    value = " ".join(keep_left + [sm.group()] + keep_right).strip(" ,")
    return value or None if words else None


def _shot_edit(key: str, detail: str) -> Edit:
    return Edit("change_shot", value=key, detail=detail)


def _rule_en(c: str, prompt: DrawingPrompt, second: bool) -> Optional[Edit]:
    """The edit one English clause asks for, or ``None``. Rules are tried most specific first."""
    if second:
        e = _combine_rule_en(c)
        if e is not None:
            return e
    return _rule_en_rest(c, prompt)


def _combine_rule_en(c: str) -> Optional[Edit]:
    """Combine two pictures ("put the dog from this photo into it", "merge these two")."""
    m = re.search(r"\b(?:put|add|bring|place|insert|move|take|include|drop|paste|use)\s+(?:the\s+|that\s+|this\s+)?(?P<n>[\w' -]+?)\s+(?:from|in|of|on)\s+"
                  r"(?:this|the|my|that)\s+(?:new\s+|attached\s+|other\s+)?(?:photo|picture|image|pic|attachment|one|shot)", c, re.I)
    if m:
        return Edit("combine_images", target=m.group("n"))
    low = c.lower()
    if re.search(r"\b(?:combine|combining|merge|merging|blend|fuse|mix|join|composite|put together|bring together|together)\b", low) or \
            re.search(r"\bboth\b", low) or re.search(r"\b(?:two|these) (?:pictures|images|photos)\b", low):
        return Edit("combine_images")
    return None


def _rule_en_rest(c: str, prompt: DrawingPrompt) -> Optional[Edit]:
    low = c.lower()
    # --- remove
    m = (re.match(r"^(?:remove|delete|erase|eliminate|drop|lose|ditch|omit|get rid of|take (?:away|out|off)|leave out|cut out|clear away|hide|cut|scrap|nix)\s+(?P<x>.+?)(?:\s+(?:from|out of|off)\s+.*)?$", c, re.I)
         or re.match(r"^(?:take|get|leave|cut|move)\s+(?P<x>.+?)\s+(?:out|away|off)\b", c, re.I)
         or re.search(r"\bwithout\s+(?:any\s+)?(?P<x>.+)$", c, re.I)
         or re.match(r"^no (?:more\s+)?(?P<x>[\w' -]+)$", c, re.I)
         or re.search(r"\bi (?:don'?t|do not) (?:want|need|like) (?P<x>the .+?|any .+?)(?: anymore| any more| there| in (?:it|the picture|there))?$", c, re.I)
         or re.match(r"^(?P<x>(?:the|that|those|these)\s+[\w' -]+?)\s+(?:has to|must|should|needs to|need to|can|have to|has got to|gotta) go\b", c, re.I)
         or re.search(r"\bno need for (?P<x>.+)$", c, re.I))
    m = m or re.match(r"^(?P<x>(?:the|that|those|these)\s+[\w' -]+?)\s+(?:is|are|isn't|aren't|is not|are not|looks|look|seems|seem)\s+"
                      r"(?:not\s+)?(?:needed|necessary|required|wanted|unnecessary|distracting|too much|out of place|superfluous|pointless)\b", c, re.I)
    m = m or re.match(r"^(?P<x>(?:the|that|those|these)\s+[\w' -]+?)\s+(?:doesn't|don't|does not|do not)\s+(?:belong|fit|work)\b", c, re.I)
    m = m or re.search(r"\bi(?:'d| would)?\s*(?:rather|prefer to|prefer)\s+not\s+(?:have|see|include|show|keep)\s+(?P<x>.+)$", c, re.I)
    m = m or re.search(r"\bi(?:'d| would)?\s*prefer\s+(?:no|it without)\s+(?P<x>.+)$", c, re.I)
    if m:
        x = re.split(r",", m.group("x"))[0]
        x = _LOC_TAIL_EN.sub("", x).strip()
        x = re.sub(r"\s+(?:completely|entirely|altogether|for good|fully|too|as well|from (?:the|this) (?:scene|picture|image)|from it)$", "", x, flags=re.I)
        return Edit("remove_object", target=_strip_det(x))
    # --- material (before style: "make it out of clay")
    m = (re.search(r"\b(?:make|build|craft|turn|change|render|do|create|redo|remake)\s+(?P<t>it|them|this|(?:the|that|this)\s+[\w' -]+?)\s+(?:out of|from|of|in|into)\s+(?P<m>.+)$", c, re.I)
         or re.search(r"\b(?P<t>it|they|the\s+[\w' -]+?)\s+(?:was|were|is|are|be|to be|should be|being|could be|would be)?\s*made\s+(?:of|from|out of)\s+(?P<m>.+)$", c, re.I))
    if m and _material_value(m.group("m")):
        if re.search(r"\s(?:in|into)\s+" + re.escape(m.group("m")) + "$", c, re.I) and _STYLE_RE.search(m.group("m")):
            return Edit("change_style", value=_style_value(m.group("m")) or m.group("m"))  # "redo it in stained glass"
        return Edit("change_entity", target=m.group("t"), value=_material_value(m.group("m")) or "", detail="material")
    # --- shot
    if not re.match(r"^(?:add|include|put|insert)\b", low):
        shot = _shot_of(c, "en")
        if shot:
            return _shot_edit(*shot)
    # --- background, explicit
    m = (re.search(r"\b" + _BG_WORDS + r"\s+(?:to be|should be|could be|would be|must be|needs to be|has to be|be|is|to|into|for|with|as|of|:|becomes|become)\s+(?P<v>.+)$", c, re.I)
         or re.search(r"\b(?:make|paint|set|use|put)\s+(?:the\s+)?" + _BG_WORDS + r"\s+(?P<v>.+)$", c, re.I)
         or re.search(r"\b(?:new|different)\s+" + _BG_WORDS + r"[:,]?\s+(?P<v>.+)$", c, re.I)
         or re.search(r"\b(?:use|have|put|make|give it|pick|choose|go with)\s+(?P<v>.+?)\s+(?:as|for)\s+(?:the|a|its|their)\s+(?:new\s+)?" + _BG_WORDS + r"$", c, re.I))
    if m:
        v = _bg_value(m.group("v"))
        if v:
            return _bg_or_time(v)
    # --- unmistakable additions ("include ...", "add ...")
    m = re.match(r"^(?:add|adding|include|including|insert|throw in|incorporate|introduce|add in)\s+(?P<o>.+)$", c, re.I)
    if m and not re.search(r"\bstyle\b", c, re.I) and not re.match(r"^(?:it|them|this|that)\b", m.group("o"), re.I):
        obj = _LOC_TAIL_EN.sub("", m.group("o")).strip()
        if obj:
            return Edit("add_object", value=obj)
    # --- style
    m = re.search(r"^(?:make\s+)?(?:it|this|the (?:picture|image))\s+(?:to\s+)?looks?\s+like\s+(?P<v>.+)$", c, re.I)
    if m and not re.search(r"\b(?:it|it's|they)\b", m.group("v"), re.I):
        return Edit("change_style", value=_strip_det(m.group("v")))
    m = re.search(r"\b(?:art\s+)?style\s+(?:to|into|should be|be|as|is|of|:)\s+(?P<v>.+)$", c, re.I)
    if m and not re.search(r"\bstyle of\b", c, re.I):
        return Edit("change_style", value=_style_value(m.group("v")) or m.group("v").strip(" ."))
    sv = _style_value(c)
    possession = re.search(r"\b(?:to have|have|has|with)\b", low) and not re.search(r"\b(?:style|look|aesthetic|in the manner)\b", low)
    if sv and not re.match(r"^(?:add|include|insert)\b", low) and not possession:
        return Edit("change_style", value=sv)
    # --- entity swaps, colours, materials
    e = _entity_rule_en(c, prompt)
    if e is not None:
        return e
    # --- add
    m = (re.match(r"^(?:add|adding|include|including|insert|put|place|draw|paint|show|throw in|stick|pop in|sketch|introduce|incorporate|also show|add in)\s+(?P<o>.+)$", c, re.I)
         or re.search(r"\b(?:there\s+(?:also\s+)?(?:should|needs to|must|could|has to|might|would)\s+(?:also\s+)?be|i want there to be|i'd like there to be|let there be|"
                      r"(?:can|could|should|would|might)\s+there\s+(?:also\s+|still\s+)?be|there\s+(?:is|are)\s+(?:also|still))\s+(?P<o>.+)$", c, re.I)
         or re.search(r"\b(?:i think|i feel like|maybe|perhaps)\s+(?P<o>(?:an?|some|two|three|a few|few|several|more|[\w-]+s\b).+?)(?:\s+(?:would|could|might)\s+(?:look|be)\s+(?:nice|good|great|cool|lovely|better|fun).*)?$", c, re.I)
         or re.search(r"\b(?:how about|what about)\s+(?:adding|including|putting|some|an?\s)(?P<o>.*)$", c, re.I)
         or re.search(r"^(?:can we have|can we get|could we have|could we get|can i have|can i get|give me|we need|let's have|it needs|it should have|"
                      r"it could use|it would be nice to have|needs|i'd like to see|i want to see|i'd love to see)\s+(?P<o>.+)$", c, re.I)
         or re.search(r"^(?:i'?d like|i would like|i want|i'd love|i need|with)\s+(?P<o>(?:an?|some|two|three|four|a few|few|several|many|lots of|more|[\w-]+s)\b.*)$", c, re.I))
    if m:
        obj = m.group("o").strip()
        if re.match(r"^(?:how|what) about\s+an?\s", c, re.I):
            obj = re.search(r"\b(an?\s.*)$", c, re.I).group(1)  # type: ignore[union-attr]
        # "put it on a beach" / "place everything in space" are background moves
        mv = re.match(r"^(?:it|them|him|her|everything|the whole scene|the scene|all of it|this)\s+(?:in|on|at|into|onto|inside|under|near|by|to)\s+(?P<v>.+)$", obj, re.I)
        if mv:
            return _bg_or_time(_bg_value(mv.group("v")))
        obj = _LOC_TAIL_EN.sub("", obj).strip()
        if obj and not re.match(r"^(?:the same|the (?:whole )?(?:scene|picture|image)|it|them|everything|this)\b", obj, re.I):
            return Edit("add_object", value=obj)
    # --- background by placement: "set it on a beach", "I'd like it to be in space", "what about in space?"
    m = (re.search(r"\b(?:put|set|place|move|take|bring|transport|relocate|send|position|show|see|have|imagine|picture|draw|paint|render|make|do|want|need|like)\s+"
                   r"(?:it|them|him|her|everything|the whole scene|the scene|all of it|this|the whole thing|one|another one|a version)\s+"
                   r"(?:in|on|at|into|onto|inside|under|near|by|to(?!\s+(?:be|look|have|feel|seem|become|show|capture|focus)\b)|over)\s+(?P<v>.+)$", c, re.I)
         or re.search(r"\b(?:it|them|they|this|everything)\s+(?:to be|be|to take place|take place|to happen|happen|is|was|were|to|being|set)\s+(?:set\s+)?(?:in|on|at|inside|under|near|by|over)\s+(?P<v>.+)$", c, re.I)
         or re.match(r"^(?:what about|how about|maybe|try)\s+(?:in|on|at|inside|under)\s+(?P<v>.+)$", c, re.I)
         or re.search(r"\bwhat(?:'s| is| does| would| will)?\s+(?:it|this|the scene)\s+(?:look|be)(?:\s+like)?\s+(?:in|on|at|inside|under)\s+(?P<v>.+)$", c, re.I)
         or re.match(r"^(?:maybe|how about|what about|perhaps|try)?\s*(?P<v>(?:an?|the|some)\s.+?)\s+(?:behind|around)\s+(?:it|them|him|her)$", c, re.I)
         or re.match(r"^(?:in|on|at|inside|under)\s+(?P<v>.+)$", c, re.I))
    if m:
        v = _bg_value(m.group("v"))
        if v:
            return _bg_or_time(v)
    # --- time of day / weather
    if _time_of(c, "en") and re.search(r"\b(?:make|set|change|turn|it|show|switch|want|be|could|can|let|during|at|in|scene|same)\b", low):
        return Edit("change_background", value=_time_of(c, "en") or "", detail="time")
    return None


def _bg_value(v: str) -> str:
    v = re.sub(r"\s+(?:instead|please|now|then|for a change)\b.*$", "", v.strip(" .?!,"), flags=re.I)
    return v.strip(" .?!,")


def _bg_or_time(v: str) -> Edit:
    if _colour_value(v):  # "I want it in red"
        return Edit("change_entity", value=_colour_value(v) or v, detail="colour")
    if _TIME_ONLY.match(v) or (len(v.split()) <= 3 and _time_of(v, "en") and not re.search(r"\b(?:city|forest|field|beach|street|room|garden|mountain|sea|lake|desert)", v, re.I)):
        return Edit("change_background", value=_time_of(v, "en") or v, detail="time")
    return Edit("change_background", value=v)


def _entity_edit_en(old: str, new: str, prompt: DrawingPrompt) -> Edit:
    new = new.strip(" .!?,")
    new = re.sub(r"\s+(?:instead|please|then|now|rather)$", "", new, flags=re.I).strip()
    colour = _colour_value(new)
    if colour:
        return Edit("change_entity", target=old, value=colour, detail="colour")
    mat = re.match(r"^(?:made\s+)?(?:out of|of|from)\s+(?P<m>.+)$", new, re.I)
    if mat and _material_value(mat.group("m")):
        return Edit("change_entity", target=old, value=_material_value(mat.group("m")) or "", detail="material")
    return Edit("change_entity", target=old, value=new, detail="entity")


def _entity_rule_en(c: str, prompt: DrawingPrompt) -> Optional[Edit]:
    pats = (
        r"\b(?:replace|swap|switch|substitute|exchange|trade)\s+(?P<old>.+?)\s+(?:with|for|by|to|into)\s+(?P<new>.+)$",
        r"\b(?:change|turn|transform|convert|morph)\s+(?P<old>.+?)\s+(?:into|to)\s+(?P<new>.+)$",
        r"^(?:instead of|rather than|in place of)\s+(?P<old>.+?),?\s+(?:draw|use|have|put|show|make it|i want|i'd like|let'?s have|give me|we could have|go with|how about|maybe|add)?\s*(?P<new>(?:an?|the|some|one)\s.+)$",
        r"^(?:i'?d rather (?:have|see|get)?|i'?d prefer|i want|i would like|i'd like|use|draw|have|put|show|give me|how about|what about|let'?s have|go with|make it|maybe)?\s*(?P<new>.+?)\s+(?:instead of|rather than|in place of)\s+(?P<old>.+)$",
        r"\b(?:what if|how about if|suppose|imagine if|imagine)\s+(?P<old>it|they|the\s+.+?)\s+(?:were|was|is|became|becomes|turned into)\s+(?P<new>.+)$",
        r"^(?:could|can|should|would|might)\s+(?P<old>it|they|the\s+.+?)\s+be\s+(?P<new>.+)$",
        r"^(?P<old>(?:the|that|its|it)\b.*?)\s+(?:should|could|must|needs to|has to|would|might|ought to|can)\s+(?:be|become|turn into)\s+(?P<new>.+)$",
        r"^(?P<old>(?:the|that|its|it)\b.*?)\s+(?:becomes|turns into|is now|is replaced by|gets replaced by)\s+(?P<new>.+)$",
        r"\bi(?:'d| would)?\s*(?:like|want|prefer|love)\s+(?P<old>(?:the|that|its)\s+[\w' -]+?|it)\s+(?:in|painted|coloured|colored|in the colou?r)\s+(?P<new>" + _COLOUR_RE.pattern + r")$",
        r"\bi(?:'d| would)?\s*(?:want|like|prefer|need|love)\s+(?P<old>(?:the|that|it)\b.*?|it|them)\s+to\s+(?:be|look)\s+(?P<new>.+)$",
        r"\b(?:change|set|switch|make)\s+the\s+colou?r\s+of\s+(?P<old>.+?)\s+(?:to|into)\s+(?P<new>.+)$",
        r"^(?P<old>.+?)(?:'s)?\s+colou?r\s+(?:to|into|should be|could be|must be|becomes)\s+(?P<new>.+)$",
        r"\b(?:recolou?r|colou?r|paint|dye|tint|change|do|make|render|draw|show|have)\s+(?P<old>.+?)\s+(?:in|to|into|with)\s+(?P<new>" + _COLOUR_RE.pattern + r")$",
    )
    for pat in pats:
        m = re.search(pat, c, re.I)
        if m:
            old, new = m.group("old").strip(), m.group("new").strip()
            if _style_value(new) and not _colour_value(new):
                return Edit("change_style", value=_style_value(new) or new)
            if re.fullmatch(r"(?:an?\s+)?(?:" + _BG_WORDS + r")", _strip_det(old), re.I):
                return None
            if re.fullmatch(r"(?:the|this|my|that)\s+(?:picture|image|photo|photograph|drawing|pic)", old, re.I) and not _colour_value(new):
                return Edit("change_style", value=_strip_det(_bg_value(new)))
            bare = _bg_value(new)
            sc = re.match(r"^(?:an?\s+|the\s+)?(?P<m>[\w' -]+?)\s+(?:scene|version|setting|atmosphere|mood)$", bare, re.I)
            if sc and _time_of(sc.group("m"), "en"):
                return Edit("change_background", value=_time_of(sc.group("m"), "en") or "", detail="time")
            if _TIME_ONLY.match(bare) or re.match(r"^(?:in|on|at|under|inside|during)\s", bare, re.I):
                return _bg_or_time(re.sub(r"^(?:in|on|at|under|inside|during)\s+", "", bare, flags=re.I)) if not _time_of(bare, "en") or len(bare.split()) > 4 else Edit("change_background", value=_time_of(bare, "en") or "", detail="time")
            if (old.lower() in ("it", "they", "them") and not re.match(r"^(?:an?|some|the|one|two|three)\s", bare, re.I)
                    and not _colour_value(bare) and not re.match(r"^(?:made\s+)?(?:out of|of|from)\s", bare, re.I)):
                continue  # "I want it to be sunny": not an entity; later rules decide
            return _entity_edit_en(old, new, prompt)
    m = re.match(r"^(?:swap|switch|put|bring|sub|trade|drop)\s+in\s+(?P<new>(?:an?|some|the|two|three)\s.+)$", c, re.I)
    m = m or re.match(r"^(?:do|draw|paint|make|try|show|use|have|i'd (?:rather have|prefer|rather see)|i would (?:rather have|prefer)|i prefer)\s+"
                      r"(?P<new>(?:an?|some|two|three)\s[\w' -]+?)(?:\s+instead|\s+rather)?$", c, re.I) if re.search(r"\b(?:instead|prefer|rather)\b", c, re.I) else m
    if m and not _style_value(m.group("new")):
        return _entity_edit_en("it", m.group("new"), prompt)
    m = re.search(r"\b(?:go with|use|try|pick|choose|do)\s+(?P<c>" + _COLOUR_RE.pattern + r")\s+(?:for|on)\s+(?P<old>.+)$", c, re.I)
    if m:
        return Edit("change_entity", target=m.group("old"), value=m.group("c"), detail="colour")
    # "make the red car blue", "make the cat a dog", "paint the hat green", "make it red"
    m = re.match(r"^(?:make|paint|colou?r|dye|recolou?r|turn|render|tint|do)\s+(?P<rest>.+)$", c, re.I)
    if m:
        words = m.group("rest").split()
        for i in range(1, len(words)):
            old, new = " ".join(words[:i]), " ".join(words[i:])
            if not re.match(r"^(?:it|them|this|that|the|its|his|her)\b", old, re.I):
                break
            if re.match(r"^(?:it|them|this|that)$", words[0], re.I) and i > 1:
                break
            if any(w.lower() in L.PREPOSITIONS_EN or w.lower() in L.VERBS_EN for w in words[1:i]):
                break
            if _colour_value(new):
                return Edit("change_entity", target=old, value=_colour_value(new) or "", detail="colour")
            mat = re.sub(r"\s+(?:instead|too|now)$", "", new, flags=re.I)
            if mat.lower() in L.MATERIAL_ADJECTIVES_EN or re.match(r"^(?:made\s+)?(?:out of|of|from)\s", mat, re.I):
                return Edit("change_entity", target=old, value=_material_value(re.sub(r"^(?:made\s+)?(?:out of|of|from)\s+", "", mat, flags=re.I)) or mat, detail="material")
            if re.match(r"^(?:an?|some)\s", new, re.I) and not _style_value(new):
                return _entity_edit_en(old, new, prompt)
    # "let's go with a red car", "i want a blue umbrella"
    m = re.search(r"\b(?P<c>" + _COLOUR_RE.pattern + r")\s+(?P<n>[a-z]+)\b", c, re.I)
    if m and _locate(prompt, m.group("n")) is not None and re.search(r"\b(?:go with|want|like|prefer|how about|what about|rather|make|try|use|have|give me|show|draw|paint|do)\b", c, re.I):
        return Edit("change_entity", target=m.group("n"), value=m.group("c"), detail="colour")
    return None


# ----------------------------------------------------------------------------- Chinese rules
_FILLER_ZH = re.compile(r"^(?:(?:是的|好的|好|嗯|那|那么|然后|现在|对|行|可以|不错|很好|谢谢)[，,！!。]?)+")
_POLITE_ZH = re.compile(r"^(?:请你?|麻烦你?|帮我|帮忙|你能不能|你可以|能不能|可不可以|能否|你能|可以|请帮我|帮我把|我希望你?|我想(?=让)|想(?=让)|我要(?=让)|是否可以|有没有可能|能(?=把|将|让)|可(?=把))+")
_TRAIL_ZH = re.compile(r"(?:[，,]?(?:其他|其余|别的|其它)(?:的)?(?:都|部分)?(?:保持)?不变|[，,]?保持其他不变|好吗|可以吗|行吗|好不好|吗|吧|呢|呀|啊|哦|呗|嘛|啦|一下|谢谢|[~～]+)+[。！？!?.，,]*$|[。！？!?.，,\s]+$")
_SWAP_VERBS_ZH = r"(?:改画成|改画为|重画成|画成|改画|换画|弄成|搞成|换做|换成|改成|变成|替换成|替换为|改为|换为|变为|改用|换掉成|涂成|刷成|染成|漆成|改成了|换成了|转换为|转化为|转换成|转化成|转为|转成|做成|制作成|调成|调整为|调为)"
_WHOLE_PICTURE_ZH = re.compile(r"^(?:这张|这幅|此|该|原|上传的|附件中的|附件的|整张|整个)?(?:图片|照片|图像|图|画面|画|相片)?$")
_REMOVE_VERBS_ZH = r"(?:去掉|去除|删掉|删除|移除|拿掉|拿走|擦掉|抹掉|抹去|清除|除去|剔除|弄走|删了|去了|撤掉|取消)"


def _clause_zh(text: str) -> str:
    c = text.strip()
    for _ in range(2):
        c = _FILLER_ZH.sub("", c)
        c = _POLITE_ZH.sub("", c)
        c = _TRAIL_ZH.sub("", c)
        c = _TRAIL_ZH.sub("", c)
    return c.strip("，, ")


def _classify_zh(request: str, prompt: DrawingPrompt, second: bool) -> list[Edit]:
    sentences = [s for s in re.split(r"[。！？!?；;\n]+", request) if s.strip()]
    edits: list[Edit] = []
    for s in sentences:
        c = _clause_zh(s)
        if not c:
            continue
        m = re.match(r"^(?P<about>[^，,]{1,12}?)(?:太|很|有点|不太|不)[^，,]*[，,]\s*(?P<rest>.*(?:它|它们|这个|那个).*)$", c)
        if m and _find_zh(prompt, m.group("about")):  # "彩虹太显眼了，去掉它"
            e = _rule_zh(_clause_zh(m.group("rest")), prompt, second)
            if e is not None:
                edits.append(_with_referent(e, _find_zh(prompt, m.group("about"))))
                continue
        if edits and len(c) > 24:  # details of a long instruction: kept as they are
            edits.append(Edit("extras", value=c))
            continue
        e = _rule_zh(c, prompt, second)
        if e is None and re.search(r"[，,]|并且|然后|同时|再把", c):
            for piece in re.split(r"[，,]|并且|然后|同时", c):
                piece = _clause_zh(piece)
                if piece:
                    pe = _rule_zh(piece, prompt, second)
                    if pe is not None:
                        edits.append(pe)
            continue
        if e is not None:
            edits.append(e)
    if not edits:
        c = _clause_zh(request)
        return [Edit("extras", value=c)] if c else []
    return edits


def _typed_value_zh(old: str, new: str) -> Edit:
    """Route "X改成Y" by what Y is: colour, material, style, shot, time, else a new entity
    (or a style, when X is the whole picture: "把这张图片转换为卡通插画")."""
    new = re.sub(r"(?:的样子|的场景|的感觉|的|吧|了)$", "", new.strip("，, "))
    whole = bool(old) and bool(_WHOLE_PICTURE_ZH.match(old)) and old not in ("它",)
    if re.fullmatch(r"(?:整体|画面|整个画面|图片|这张图|图)?的?(?:风格|画风|艺术风格|绘画风格)", old):
        return Edit("change_style", value=_style_value_zh(new))
    cm = _COLOUR_ZH_RE.fullmatch(new) or re.fullmatch(r"(?P<c>[" + L.COLOUR_CHARS_ZH + r"])色?的?", new)
    if cm:
        colour = new if new.endswith("色") or new == "透明" else new[0] + "色"
        return Edit("change_entity", target=old, value=colour, detail="colour")
    mm = re.fullmatch(r"(?:用)?(?P<m>" + _MATERIAL_ZH_RE.pattern + r")(?:做的|做|制成的|制成|制的|制|砌的|砌|材质|材料|打造的|打造)", new)
    if mm:
        return Edit("change_entity", target=old, value=mm.group("m"), detail="material")
    if _SPECIFIC_STYLE_ZH_RE.search(new) or re.search(r"风格|画风|风$|效果$|质感$|[^好]感$|画法$", new):
        return Edit("change_style", value=_style_value_zh(new))
    shot = _shot_of(new, "zh")
    if shot and len(new) <= 6:
        return _shot_edit(*shot)
    t = _time_of(new, "zh")
    if t and len(new) <= 5 and (old in ("", "它", "场景", "时间", "天气", "时段", "季节", "时候") or whole):
        return Edit("change_background", value=t, detail="time")
    if whole:
        return Edit("change_style", value=_style_value_zh(new))
    return Edit("change_entity", target=old, value=new, detail="entity")


def _style_value_zh(v: str) -> str:
    v = raw = re.split(r"[，,：:]", v.strip("，, "))[0]
    v = re.sub(r"^(?:用|采用|以|像(?!素)|参考|模仿|仿照|按照|学|来点|更加|更|一点|有点)", "", v)
    v = re.sub(r"(?:重新画|重画|再画一次|来表现|来呈现|表现|呈现|来画)$", "", v)
    v = re.sub(r"(?:那样画|那样|一样|的风格|风格|的画风|画风|的画法|画法|的效果|效果|的感觉|感觉|的样子|风|一点|一些|点)$", "", v)
    v = re.sub(r"(?:的风格|风格|的画风|画风)$", "", v)
    if raw.endswith("画风") and not v.endswith("画") and _SPECIFIC_STYLE_ZH_RE.search(raw[:-1]):
        v = re.sub(r"^(?:用|采用|以|像(?!素)|参考|模仿|仿照|按照|学|来点|更加|更)", "", raw[:-1])  # "油画风" -> "油画"
    if v and not _STYLE_ZH_RE.search(v):
        return v + "风格"  # an artist's or a place's name
    return v


def _rule_zh(c: str, prompt: DrawingPrompt, second: bool) -> Optional[Edit]:
    # --- combine
    if second:
        m = (re.search(r"(?:这张|这|图|照片|图片|附件|新图)(?:片)?(?:里|中|上)的(?P<n>.+?)(?:也)?(?:放进|放到|加到|加进|画进|放入|加入|移到|移进|合到|搬到|画到|画上|加上|放上)", c)
             or re.search(r"(?:把|将)(?P<n>.+?)(?:也)?(?:放进|放到|加到|加进|画进|放入|加入|移到)(?:之前|刚才|上一张|原来|前面|那张|原)的?(?:画|图|图片|照片|画面)", c))
        if m:
            return Edit("combine_images", target=m.group("n"))
        if re.search(r"合成|合并|融合|结合|合在一起|放到一起|放在一起|拼在一起|拼接|组合|合到一起|同框|两张|二合一", c):
            return Edit("combine_images")
    # --- wishes: "要是一辆自行车会怎么样", "莲花要是绿色的就好了"
    m = re.search(r"^(?P<old>[^，,]*?)(?:要是|如果是|若是|假如是)(?P<c>.+?)的?(?:就好了|就好|会更好|更好|多好)$", c)
    if m and (_COLOUR_ZH_RE.fullmatch(m.group("c")) or re.fullmatch(r"[" + L.COLOUR_CHARS_ZH + r"]色?", m.group("c"))):
        return _typed_value_zh(m.group("old"), m.group("c"))
    m = re.search(r"^(?:要是|如果|假如|换成|改成)(?:它|这)?(?:是|变成|换成)?(?P<new>[一两三几][^，,。]*?)(?:的话)?(?:会怎么样|会怎样|怎么样|会如何|如何|呢|会更好|好不好)$", c)
    if m:
        return _typed_value_zh("", m.group("new"))
    m = re.search(r"(?:不如|还是|最好是?)(?:放在|放到|在)?(?P<v>[^，,]+?)(?:里|上|中)?[，,]?\s*(?:挪|搬|移|放|换)(?:过去|到那|到那里|那儿)", c)
    if m:
        return Edit("change_background", value=m.group("v"))
    # --- colours: "飞盘要紫色的", "给火车换个颜色，黄色"
    m = (re.search(r"^(?:给|把|让)?(?P<old>.+?)(?:换|改|变)(?:个|一个|一种|一下)?颜色[，,：:]?\s*(?:换成|改成|变成|用|要|为|成)?(?P<c>.+)$", c)
         or re.search(r"^(?P<old>.+?)(?:要|想要|用|要用|最好是|改|换)(?P<c>" + _COLOUR_ZH_RE.pattern + r")的?$", c))
    if m and (_COLOUR_ZH_RE.fullmatch(re.sub(r"的$", "", m.group("c"))) or re.fullmatch(r"[" + L.COLOUR_CHARS_ZH + r"]色?的?", m.group("c"))):
        return _typed_value_zh(m.group("old"), m.group("c"))
    # --- swaps: "不要猫了，换成狗", "我想要狗，不要猫了", "用狗代替猫", "画狗而不是猫", "猫不好看，换狗吧", "我觉得狗会比猫好"
    m = (re.search(r"^(?P<old>.+?)(?:不好看|不好|不行|不太好|不喜欢|太丑了?|不太合适|不合适)[，,]?\s*(?:换成|改成|换|改|用|来)(?:个|一个)?(?P<new>.+)$", c)
         or re.search(r"^(?:我觉得|我感觉|感觉|我认为)?(?P<new>.+?)(?:会|可能|应该|也许)?比(?P<old>.+?)(?:更|要)?(?:好看|好|合适|适合|强|棒|酷)", c)
         or re.search(r"(?:不要|别要|不想要)(?P<old>.+?)了?[，,]\s*(?:换成|改成|要|改为|用|换|来)(?P<new>.+)$", c)
         or re.search(r"(?:我想要|我要|想要|要|换成|改成|来)(?P<new>[^，,]+)[，,]\s*(?:不要|别要|不是|而不是)(?P<old>.+?)了?$", c)
         or re.search(r"用(?P<new>.+?)(?:来)?(?:代替|替换|取代|替代|换掉)(?P<old>.+)$", c)
         or re.search(r"^(?:画|要|用|换成|改成)?(?P<new>.+?)而不是(?P<old>.+)$", c))
    if m:
        return _typed_value_zh(m.group("old"), m.group("new"))
    m = re.search(r"(?:我想要|想要|我要|要|来个|换个|换成|来一个)(?P<c>" + _COLOUR_ZH_RE.pattern + r")的?(?P<old>.+)$", c)
    if m and _find_zh(prompt, m.group("old")):
        return Edit("change_entity", target=m.group("old"), value=_typed_value_zh("", m.group("c")).value, detail="colour")
    m = re.search(r"(?:我想要|想要|我要|要|来个|换个|换成|来一个)(?P<m>" + _MATERIAL_ZH_RE.pattern + r")(?:做|制|材质)?的(?P<old>.+)$", c)
    if m and _find_zh(prompt, m.group("old")):
        return Edit("change_entity", target=m.group("old"), value=m.group("m"), detail="material")
    # material: "把X变成木头做的", "X改用木头做", "要是X是木头做的就好了"
    m = re.search(r"^(?:要是|如果|假如|我想|我希望)?(?:把|将|让)?(?P<old>.*?)(?:变成|改成|换成|弄成|搞成|改用|用|是|看起来是|看起来像是|看上去是|像是)?(?P<m>" + _MATERIAL_ZH_RE.pattern + r")(?:做的|做|制成的|制成|制的|砌的|材质|打造的|打造|雕成|雕的)", c)
    if m:
        old = re.sub(r"(?:变成|改成|换成|改用|用|是|看起来|看上去)$", "", m.group("old"))
        return Edit("change_entity", target=old, value=m.group("m"), detail="material")
    # --- remove (before the generic swap: "把帽子去掉")
    m = (re.search(r"^(?P<x>.+?)(?:就)?(?:不要了|不需要了|可以不要了|不用了|没必要了?|是多余的|多余了|可以去掉|删了|去掉吧)$", c)
         or re.search(r"(?:把|将)(?P<x>.+?)" + _REMOVE_VERBS_ZH, c)
         or re.search(r"^" + _REMOVE_VERBS_ZH + r"(?:掉)?(?P<x>.+)$", c)
         or re.search(r"^(?P<x>.+?)" + _REMOVE_VERBS_ZH, c)
         or re.search(r"(?:不要|别要|不想要|不需要|别有|不要有|没有|别画|不用|去掉)(?P<x>.+?)(?:了|会更好|比较好|更好|就好了|就好)?$", c))
    if m and not re.search(_SWAP_VERBS_ZH, c):
        x = re.sub(r"^(?:画面里|画面中|画里|图里|背景里|背景中|里面|里|的)+", "", m.group("x"))
        x = re.sub(r"^(?:再|也)?有", "", x)
        return Edit("remove_object", target=x)
    # --- background, explicit (before the generic swap: "背景换成海边")
    m = re.search(r"(?:我说的是|我是说|我要的是|应该是|我指的是)(?P<v>[^，,]+)[，,].*(?:背景|场景)", c)
    if m:
        return Edit("change_background", value=m.group("v"))
    m = (re.search(r"(?:背景|场景|背景图|环境|地点|布景|场地)(?:图)?(?:也)?(?:能不能|可不可以|能否|能|可以|再|也)?(?:我)?(?:想要|要|想换成|希望是|希望换成|最好是|最好换成|换一下[，,]?\s*(?:改成|换成)?|改成|换成|变成|改为|换为|设为|设成|用|是|换到|改到|放在|就是|换|改|：|:|为)[，,]?\s*(?P<v>.+)$", c)
         or re.search(r"换(?:个|一个|一下)(?:背景|场景)[，,：:]?\s*(?:换成|改成|用|到)?(?P<v>.+)$", c))
    if m:
        v = re.sub(r"(?:里|中|吧|了|去)$", "", m.group("v").strip())
        if v:
            t = _time_of(v, "zh")
            if t and len(v) <= 4:
                return Edit("change_background", value=t, detail="time")
            return Edit("change_background", value=v)
    # --- shot
    shot = _shot_of(c, "zh")
    if shot and not re.match(r"^(?:再)?(?:加|添|画|放)", c):
        return _shot_edit(*shot)
    # --- generic swap "把X换成Y" / "X改为Y" / "让X变成Y"
    m = re.search(r"^(?:把|将|让|给)?(?P<old>.*?)(?P<verb>" + _SWAP_VERBS_ZH + r")(?P<new>.+)$", c)
    if m:
        old = re.sub(r"(?:的颜色|颜色|全部|都)$", "", m.group("old"))
        e = _typed_value_zh(old, m.group("new"))
        if e.kind == "change_entity" and e.detail == "entity" and m.group("verb") in ("画成", "做成", "弄成", "搞成") and not old \
                and not re.match(r"^[" + L.NUMERALS_ZH + r"]", e.value):
            return Edit("change_style", value=_style_value_zh(e.value))  # "画成粉彩的": drawn as, a look
        return e
    # --- style
    m = re.search(r"(?:画成|做成|画得|弄成|转成|转换成|转为|调成|调整为|调为|试试|试一下|喜欢|用|采用|来点|像(?!素)|参考|模仿|仿照|学|按照|要|想要|更|更加|风格(?:是)?)(?P<v>.+)$", c)
    if (_SPECIFIC_STYLE_ZH_RE.search(c) or re.search(r"风格|画风|画法|那样画|的风$", c)) and m:
        return Edit("change_style", value=_style_value_zh(m.group("v")))
    if _SPECIFIC_STYLE_ZH_RE.search(c) and not re.match(r"^(?:再)?(?:加|添|画上|放)", c):
        sm = _SPECIFIC_STYLE_ZH_RE.search(c)
        return Edit("change_style", value=_style_value_zh(c[sm.start():]))  # type: ignore[union-attr]
    # --- placement "放到海边", "让它在雪地里", "搬到沙漠去"
    m = (re.search(r"^(?:把(?:它|他|她|它们|他们|整个画面|画面|场景)?)?(?:放到|放在|搬到|移到|挪到|换到|放进|置于|来到|去到|转移到)(?P<v>.+)$", c)
         or re.search(r"^让?(?:它|他|她|它们|他们|画面|整个画面|场景)?(?:在|处在|位于|待在|出现在)(?P<v>.+)$", c))
    if m and not re.search(r"加上|加入|添加|添上|画上|放上|增加|加个|加一", m.group("v")):
        v = re.sub(r"(?:里面|上面|里|中|上|去|吧)$", "", m.group("v").strip())
        if v:
            t = _time_of(v, "zh")
            if t and len(v) <= 4:
                return Edit("change_background", value=t, detail="time")
            return Edit("change_background", value=v)
    # --- add
    m = (re.search(r"^(?P<loc>画面里|画面中|画里|图里|图中|给画面|在画面里|在画里|在画面中|旁边|背景里|天上|远处|地上|前面|身边|角落里?)?(?:再|也|还|多)?"
                   r"(?:加上|加入|添加|添上|增加|放上|画上|补上|加个|加|添|放|画|来|配上|安排)(?P<o>.+)$", c)
         or re.search(r"(?:还要有|还有|要有|最好再有|再有|也要有|多一|我想在画里看到|我想在画面里看到|我想看到|想看到|希望有|应该有|得有|需要有|要加)(?P<o>.+)$", c))
    if m:
        obj = m.group("o").strip()
        loc = m.groupdict().get("loc") or ""
        if loc in ("旁边", "天上", "远处", "地上", "前面", "身边", "角落", "角落里", "背景里"):
            obj = f"{loc}有{obj}"
        return Edit("add_object", value=obj)
    # --- time
    t = _time_of(c, "zh")
    if t:
        return Edit("change_background", value=t, detail="time")
    if re.search(r"风格|画风|画法|的感觉|效果", c) and m is None:
        return Edit("change_style", value=_style_value_zh(c))
    return None


# =============================================================================== applying edits
def apply_edits(prompt: DrawingPrompt, edits: list[Edit], *, other_caption: Optional[str] = None) -> DrawingPrompt:
    """``prompt`` with every edit applied in order; untouched parts stay the same strings."""
    out = prompt
    for e in edits:
        out = apply_edit(out, e, other_caption=other_caption)
    return out


def apply_edit(prompt: DrawingPrompt, edit: Edit, *, other_caption: Optional[str] = None) -> DrawingPrompt:
    zh = prompt.lang == "zh"
    k = edit.kind
    if k == "change_style":
        return prompt.model_copy(update={"style": edit.value})
    if k == "change_shot":
        return prompt.model_copy(update={"shot": _new_shot(prompt, edit)})
    if k == "change_background":
        if edit.detail == "time":
            return _apply_time(prompt, edit.value)
        return prompt.model_copy(update={"background": edit.value})
    if k == "add_object":
        return prompt.model_copy(update={"extras": [*prompt.extras, _added_sentence(prompt, edit.value)]})
    if k == "extras":
        return prompt.model_copy(update={"extras": [*prompt.extras, edit.value]})
    if k == "remove_object":
        return _apply_remove(prompt, edit.target)
    if k == "change_entity":
        return _apply_entity_zh(prompt, edit) if zh else _apply_entity_en(prompt, edit)
    if k == "combine_images":
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
    return prompt.model_copy(update={"background": _clean_spaces(f"{bg} {phrase}")})


def _added_sentence(prompt: DrawingPrompt, obj: str) -> str:
    if prompt.lang == "zh":
        main = _main_noun(prompt)
        obj = re.sub(r"^(?:它|他|她)(?=旁边|身边|前面|后面|上面|头上|身上)", main, obj)
        return obj.strip("，, ")
    main = _main_noun(prompt)
    if main:
        obj = re.sub(r"\b(?:next to|beside|near|behind|in front of|around|on|above|under|with) (?:it|them)\b",
                     lambda m: m.group(0).rsplit(" ", 1)[0] + " the " + main, obj, flags=re.I)
    obj = obj.strip(" ,.")
    return obj[:1].upper() + obj[1:]


def _apply_remove(prompt: DrawingPrompt, target: str) -> DrawingPrompt:
    target = _resolve_target(prompt, target)
    where = _locate(prompt, target)
    if where is None and prompt.lang == "en" and " " in target:
        target = target.split()[-1]
        where = _locate(prompt, target)
    if where is None:
        return prompt  # nothing to remove
    part, idx = where
    if part == "extras":
        zh = prompt.lang == "zh"
        keep = [e for e in prompt.extras if not ((target in e) if zh else _np_span(e, target) is not None)]
        return prompt.model_copy(update={"extras": keep})
    text = getattr(prompt, part)
    new = _remove_zh(text, target) if prompt.lang == "zh" else _remove_en(text, target)
    return prompt.model_copy(update={part: new})


def _remove_en(text: str, target: str) -> str:
    span = _np_span(text, target)
    if span is None:
        return text
    start, _, _, end = span
    main = _main_np(text)
    if main is not None and main[2] == span[2]:
        return text  # never delete the main subject itself
    before, after = text[:start], text[end:]
    # "... and a hat" / "a hat and ..."
    m = re.search(r"(?:,\s*|\s+)and\s+$", before)
    if m:
        return _clean_spaces(before[:m.start()] + after)
    m = re.match(r"\s+and\s+", after)
    if m:
        return _clean_spaces(before + after[m.end():])
    # connector: "wearing a hat", "with a beard", "beside a lighthouse", "parked beside a lighthouse"
    tokens = list(_TOKEN.finditer(before))
    cut = start
    if tokens:
        last = tokens[-1]
        w = last.group().lower()
        if w in L.PREPOSITIONS_EN or _is_verbish(w):
            cut = last.start()
            if w in L.PREPOSITIONS_EN and len(tokens) > 1:
                prev = tokens[-2].group().lower()
                if prev in ("next", "in") and w in ("to", "front"):
                    cut = tokens[-2].start()
                elif prev.endswith("ed") or prev.endswith("ing") and prev in L.VERBS_EN:
                    if prev in L.VERBS_EN:
                        cut = tokens[-2].start()
    new = before[:cut] + after
    cleaned = _clean_spaces(new)
    return cleaned if cleaned else text


def _remove_zh(text: str, target: str) -> str:
    pos = text.find(target)
    if pos < 0:
        return text
    end = pos + len(target)
    # extend left over modifiers to a verb / conjunction
    left = text[:pos]
    m = re.search(r"(?:戴着|拿着|穿着|握着|撑着|抱着|背着|带着|牵着|举着|提着|留着|加了|放着|停着|冒着|身穿|手持|和|与|跟|以及|还有|、)[^，。、和与在]*$", left)
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
    loc = re.match(r"(?:旁边|旁|边上|上面|上|里面|里|下面|下|前面|前|后面|后|附近)", text[end:])
    if loc and text[:start].endswith("在"):
        start -= 1
        end += loc.end()
    new = text[:start] + text[end:]
    # an object's verb left dangling at the end: "坐在岩石上弹" -> "坐在岩石上", "汽车停" -> "汽车"
    if end >= len(text):
        new = re.sub(r"(?<=[^\s])(?:在)?[弹拿吃抱骑接看玩读写画拉推举提停放戴撑握喝修补浇]$", "", new)
        new = re.sub(r"(?<=[^\s])(?:正在|正|在)$", "", new)
    # "停着木船的小港口" -> "小港口"
    new = re.sub(r"^的", "", new)
    new = new.replace("，，", "，").strip("，、 ")
    # "和" / "、" left dangling
    new = re.sub(r"(?:和|与|、)$", "", new)
    return new or text


def _apply_entity_en(prompt: DrawingPrompt, edit: Edit) -> DrawingPrompt:
    target = _resolve_target(prompt, edit.target)
    where = _locate(prompt, target)
    if where is None:
        if edit.detail == "entity":
            where = ("subject", -1)
            target = _main_noun(prompt)
        else:
            where = ("subject", -1)
            target = _main_noun(prompt)
    text = _get(prompt, where)
    span = _np_span(text, target) if target else None
    if span is None:
        span = _main_np(text)
    if span is None:
        return _put(prompt, where, f"{text} ({edit.value})")
    np_start, mods_start, hs, he = span
    if edit.detail == "colour":
        mods = text[mods_start:hs]
        stripped = _COLOUR_RE.sub("", mods)
        new_mods = _clean_spaces(stripped)
        new_np_tail = (new_mods + " " if new_mods else "") + edit.value.lower() + " " + text[hs:he]
        new = text[:mods_start] + new_np_tail + text[he:]
        if mods_start == 0:
            new = new[:1].upper() + new[1:]
        return _put(prompt, where, _fix_articles(_clean_spaces(new)))
    if edit.detail == "material" and edit.value.lower() in L.MATERIAL_ADJECTIVES_EN:  # "a woollen coat"
        mods = _clean_spaces(re.sub(r"\b(?:" + "|".join(L.MATERIAL_ADJECTIVES_EN) + r")\b", "", text[mods_start:hs], flags=re.I))
        new = text[:mods_start] + (mods + " " if mods else "") + edit.value.lower() + " " + text[hs:]
        if mods_start == 0:
            new = new[:1].upper() + new[1:]
        return _put(prompt, where, _fix_articles(_clean_spaces(new)))
    if edit.detail == "material":
        mods = text[mods_start:hs]
        new_mods = _clean_spaces(re.sub(r"\b(?:wooden|metal|glass|stone|paper|golden|plastic|marble|crystal|ice)\b", "", mods, flags=re.I))
        after = re.sub(r"^\s+made (?:of|from|out of)\s+[^,]*?(?=\s+(?:" + "|".join(L.VERBS_EN) + r"|" + "|".join(L.PREPOSITIONS_EN) + r")\b|,|$)", "", text[he:])
        new = text[:mods_start] + (new_mods + " " if new_mods else "") + text[hs:he] + " made of " + edit.value + after
        if mods_start == 0:
            new = new[:1].upper() + new[1:]
        return _put(prompt, where, _fix_articles(_clean_spaces(new)))
    # a new entity: replace the whole noun phrase (its modifiers described the old thing)
    new_np = edit.value.strip()
    det_old = text[np_start:mods_start].strip()
    has_det = re.match(r"^(?:an?|the|some|one|two|three|several|many|a few)\s", new_np, re.I)
    if not has_det:
        if det_old.lower() in ("a", "an", ""):
            new_np = _article(new_np) if det_old else new_np
        else:
            new_np = f"{det_old} {new_np}"
    if np_start == 0 and text[:1].isupper():
        new_np = new_np[:1].upper() + new_np[1:]
    new = text[:np_start] + new_np + text[he:]
    return _put(prompt, where, _fix_articles(_clean_spaces(new)))


def _measure_for(noun: str) -> Optional[str]:
    for mw, nouns in L.MEASURE_ZH.items():
        if noun in nouns:
            return mw
    for mw, nouns in L.MEASURE_ZH.items():
        if any(noun.endswith(n) for n in nouns if len(n) >= 1):
            return mw
    return None


def _apply_entity_zh(prompt: DrawingPrompt, edit: Edit) -> DrawingPrompt:
    target = _resolve_target(prompt, edit.target)
    where = _locate(prompt, target) if target else None
    if where is None:
        where = ("subject", -1)
        target = _main_noun(prompt)
    text = _get(prompt, where)
    pos = text.find(target) if target else -1
    if pos < 0:
        span = _main_span_zh(text)
        if span is None:
            return _put(prompt, where, f"{text}（{edit.value}）")
        pos, target = span[0], text[span[0]:span[1]]
    end = pos + len(target)
    if edit.detail == "colour":
        left = text[:pos]
        m = re.search(r"(?:" + _word_re(L.COLOURS_ZH) + r"的?|[" + L.COLOUR_CHARS_ZH + r"]色?的?)$", left)
        colour = edit.value if edit.value.endswith("色") or edit.value == "透明" else edit.value + "色"
        if m:
            new = text[:m.start()] + colour + "的" + text[pos:]
        elif target[:1] in L.COLOUR_CHARS_ZH and len(target) >= 2:  # "白马" -> "红色的马"
            new = text[:pos] + colour + "的" + target[1:] + text[end:]
        else:
            new = text[:pos] + colour + "的" + text[pos:]
        return _put(prompt, where, new)
    if edit.detail == "material":
        new = text[:pos] + f"{edit.value}做的" + text[pos:]
        return _put(prompt, where, new)
    new_noun = edit.value.strip()
    left = text[:pos]
    mw_new = None
    m = re.match(r"^(?P<num>[" + L.NUMERALS_ZH + r"]+)(?P<mw>[" + L.MEASURE_CHARS_ZH + r"])(?P<n>.+)$", new_noun)
    mm = re.search(r"(?P<num>[" + L.NUMERALS_ZH + r"]+)(?P<mw>[" + L.MEASURE_CHARS_ZH + r"])(?P<mod>[^，。在戴穿撑拿握抱骑着了给和与正]{0,8}?)$", left)
    if m and mm:  # "一束玫瑰" replaces "一把蓝色的雨伞"
        return _put(prompt, where, text[:mm.start()] + new_noun + text[end:])
    if mm:
        mw_new = _measure_for(new_noun)
        # modifiers between the measure word and the noun described the old thing
        if mw_new and mw_new != mm.group("mw"):
            new = text[:mm.start()] + mm.group("num") + mw_new + new_noun + text[end:]
        else:
            new = text[:mm.start()] + mm.group("num") + mm.group("mw") + new_noun + text[end:]
        return _put(prompt, where, new)
    return _put(prompt, where, text[:pos] + new_noun + text[end:])


def _apply_combine(prompt: DrawingPrompt, edit: Edit, other_caption: Optional[str]) -> DrawingPrompt:
    if not other_caption:
        return prompt
    zh = prompt.lang == "zh"
    other = prompt_from_caption(other_caption, prompt.lang).subject
    if edit.target:
        if zh:
            pass  # the caption's whole subject keeps the named thing's context
        else:
            span = _np_span(other, edit.target)
            if span is not None:
                piece = other[span[0]:span[3]]
                other = piece if len(piece.split()) > 1 else other
    if zh:
        return prompt.model_copy(update={"subject": f"{prompt.subject}，旁边还有{other.rstrip('。')}"})
    other = other.rstrip(".")
    if other[:2] in ("A ", "An") or other.split(" ", 1)[0] in ("The", "Two", "Three", "Some", "Several", "An", "A"):
        other = other[:1].lower() + other[1:]
    return prompt.model_copy(update={"subject": f"{prompt.subject}, together with {other}"})
