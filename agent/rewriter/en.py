"""English request parsing: a request -> the list of :class:`Edit` it asks for.

Sentences are split into clauses; each clause is stripped of fillers and politeness and
tried against the rules most specific first (remove, material, shot, background, add,
style, entity swaps/colours, placement, time). A request no rule reads becomes ``extras``."""

from __future__ import annotations

import re
from typing import Optional

from . import lexicon as L
from ..prompt import DrawingPrompt
from .common import COLOUR_RE, Edit, MATERIAL_RE, STOP_EN, STYLE_RE, norm_en, shot_edit, shot_of, strip_det, time_of, with_referent
from .nouns import TOKEN, locate
from .kinds import EditKind


_FILLER_EN = re.compile(
    r"^(?:(?:yes|yeah|yep|ok(?:ay)?|sure|great|nice|cool|good|hmm+|um+|well|now|then|and|also|so|oh|alright|right|perfect|"
    r"lovely|thanks|thank you|wow|actually|but|maybe|please|definitely|absolutely|certainly|of course|sure thing|exactly|indeed|excellent|awesome|"
    r"(?:like|as) i (?:said|mentioned)(?: (?:earlier|before|already))?|as mentioned(?: (?:earlier|before))?|not quite|eh|ugh|honestly|tbh|lol|"
    r"ok(?:ay)? so(?: like)?|so like)\b[,!.]?\s*)+", re.I)


_POLITE_EN = re.compile(
    r"^(?:(?:can|could|would|will|shall|should)\s+(?:you|u|we)\s+(?:please\s+|also\s+|maybe\s+|just\s+|kindly\s+)*|please\s+|kindly\s+|let'?s\s+|let us\s+|"
    r"(?:would you )?be so kind as to\s+|"
    r"(?:is|would|will) it be possible (?:for you )?to\s+|is it possible (?:for you )?to\s+|i wonder if you could\s+|do you think you could\s+|"
    r"(?:can|could) i (?:ask you to|get you to)\s+|how about you\s+|"
    r"i(?:'d| would) (?:like|love) (?:you )?to\s+|i want (?:you )?to\s+|i need you to\s+|try to\s+|try\s+(?=(?:adding|removing|making))|go ahead and\s+|just\s+|maybe\s+|also\s+)+", re.I)


_TRAIL_EN = re.compile(r"(?:[\s,]+(?:please|pls|plz|thanks|thx|ty|thank you|for me|real quick|real fast|quickly|quick|asap|right away|if you can|if possible|if (?:that's|that is|it's|it is) possible|instead|as well|too|then|now|again|this time|for now|for this one|maybe|perhaps|i guess|i think|lol|haha|"
    r"not whatever (?:that|this) is|not (?:like )?(?:this|that)(?: one)?))+\s*[.!?]*$|[\s.!?]+$", re.I)


_LOC_TAIL_EN = re.compile(r"\s+(?:in|into|to|onto|on)\s+(?:the|this|my|that)\s+(?:picture|image|scene|drawing|painting|photo|frame|composition)\b.*$|\s+(?:in there|there|somewhere|in it|in this one|in the next one)\b\s*$", re.I)


_AUXILIARIES_EN = {"is", "are", "was", "were", "be", "been", "would", "will", "could", "should", "might", "can", "looks", "look", "seems",
                   "has", "have", "had", "do", "does", "did"}
_BG_WORDS = r"(?:background|backdrop|setting|scenery|surroundings|environment|location|scene|backgrounds)"


_TIME_ONLY = re.compile(r"^(?:(?:the|a|an)\s+)?(?:night(?:time)?|day(?:time)?|sunset|sunrise|dawn|dusk|twilight|evening|morning|noon|midnight|"
                        r"(?:a\s+)?(?:sunny|rainy|snowy|foggy|misty|stormy|cloudy)(?:\s+day)?|winter|summer|autumn|fall|spring|(?:a\s+)?(?:thunder|snow|rain)?storm|a blizzard|"
                        r"(?:in\s+the\s+)?(?:rain|snow|fog|mist))$", re.I)


_NOISE_EN = re.compile(
    r"^(?:show me|do it|go ahead|go for it|(?:paint|draw|make|render|show|do) (?:it|that|this|one)(?: for me| for us)?|let me see|let's see|"
    r"surprise me|make it so|thanks?|thank you|ok(?:ay)?|please|yes|sure|cool|great|i'?m curious|just curious|"
    r"(?:that|it) (?:would|will|'d) be (?:lovely|great|nice|awesome|amazing|perfect|wonderful|fantastic|appreciated)|that'd be (?:lovely|great|nice|awesome|perfect)|"
    r"otherwise (?:it'?s|it is) (?:perfect|great|fine|good)|thank you(?: so much)?(?: in advance)?|thanks(?: a lot| so much)?(?: in advance)?|lol|haha)$", re.I)


_COMMAND_VERBS_EN = ("replace", "remove", "change", "add", "make", "put", "turn", "swap", "switch", "move", "take", "get", "set", "give",
                     "zoom", "show", "delete", "erase", "paint", "draw", "render", "include", "drop", "lose", "place", "use", "try", "redo",
                     "recolor", "recolour", "colour", "color")


def _gerund(verb: str) -> str:
    if verb.endswith("e") and verb not in ("see",):
        return verb[:-1] + "ing"
    if verb in ("put", "get", "set", "swap", "drop", "cut", "stop"):
        return verb + verb[-1] + "ing"
    return verb + "ing"


_IMPERATIVE_OF = {_gerund(v): v for v in _COMMAND_VERBS_EN}
_MIND_EN = re.compile(r"^(?:(?:would|do) you )?mind\s+(?P<g>\w+ing)\b", re.I)
# Misspelt command words ("remvoe", "teh"): one swap of neighbouring letters, or (long words) one letter missing.
_TYPO_WORDS_EN = (*_COMMAND_VERBS_EN, "the", "background", "style", "instead", "please", "picture", "colour", "color", "rather", "without",
                  "should", "would", "could", "closer", "wider", "scene")


def _typo_variants(word: str) -> set[str]:
    out = {word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1)}
    if len(word) >= 6:
        out |= {word[:i] + word[i + 1:] for i in range(1, len(word))}  # the first letter is rarely the one missed
    return out - set(_TYPO_WORDS_EN)


_TYPOS_EN = {v: w for w in _TYPO_WORDS_EN if len(w) >= 4 or w == "the" for v in _typo_variants(w)}


def fix_typos_en(text: str) -> str:
    """``text`` with misspelt command words corrected ("remvoe teh hat" -> "remove the hat")."""
    return re.sub(r"[A-Za-z]+", lambda m: _TYPOS_EN.get(m.group(), m.group()), text)


def _split_clauses_en(text: str) -> list[str]:
    sentences = [s for s in re.split(r"(?<=[.!?;])\s+", text) if s.strip()]
    clauses: list[str] = []
    verbs = r"(?:make|add|remove|change|put|set|turn|give|zoom|show|use|include|switch|swap|replace|paint|get rid|take|draw|render|move|let|place|delete|erase|drop|lose|ditch|bin|cut)"
    for s in sentences:
        clauses += [c for c in re.split(r",?\s+(?:and|then|plus)\s+(?:then\s+|also\s+)?(?=" + verbs + r"\b)|,\s+(?=" + verbs + r"\s+(?:it|them)\b)", s, flags=re.I) if c.strip()]
    return clauses


def clause_text(clause: str) -> str:
    c = _FILLER_EN.sub("", clause.strip())
    c = _POLITE_EN.sub("", c)
    c = _MIND_EN.sub(lambda m: _IMPERATIVE_OF.get(m.group("g").lower(), m.group("g")), c)  # "mind replacing" -> "replace"
    c = _TRAIL_EN.sub("", c)
    c = _TRAIL_EN.sub("", c)
    return c.strip(" ,")


_CJK_POLITE = re.compile(r"[\s,，]*(?:谢谢|谢啦|谢了|多谢|感谢|麻烦了|拜托了?|好吗|好不好|吧|呀|啦)+[\s.!?！。～~]*$")


def classify_en(request: str, prompt: DrawingPrompt, second: bool) -> list[Edit]:
    text = fix_typos_en(norm_en(_CJK_POLITE.sub("", request)))
    text = re.sub(r"\s*[—–]+\s*|\s+-{1,2}\s+", ", ", text)  # "not quite — I meant ..."
    # "hat?? no. crown.", "the hat? nope, a crown"
    m = re.fullmatch(r"(?:the\s+)?(?P<old>[\w' -]+?)\s*\?+\s*(?:no|nope|nah)\b[.,!]*\s*(?P<new>(?:an?\s+|some\s+)?[\w' -]+?)[.!]*", text, re.I)
    if m and locate(prompt, m.group("old").split()[-1]) is not None and locate(prompt, m.group("new").split()[-1]) is None:
        return [_entity_edit_en(m.group("old"), m.group("new"), prompt)]
    # "not the cat. A dog would be better."
    m = re.search(r"\bnot (?:the |a |an )?(?P<old>[\w' -]+?)[.,;!]+\s*(?P<new>(?:an?|some) [\w' -]+?) (?:would|will|might|could|'d|is|seems)\b", text, re.I)
    m = m or re.search(r"\b(?:not a fan of|(?:i )?(?:don'?t|do not) (?:like|love)|i dislike|i hate|not sure about)\s+(?:the\s+)?(?P<old>[\w' -]+?)[.,;!…]+\s*"
                       r"(?:maybe\s+|how about\s+|what about\s+|try\s+)?(?P<new>(?:an?|some)\s[\w' -]+?)(?:\s+(?:maybe|instead|please|perhaps))?[?.!]*$", text, re.I)
    if m:
        return [_entity_edit_en(m.group("old"), m.group("new"), prompt)]
    e = _whole_request_en(text, prompt)
    if e is not None:
        return [e]
    edits: list[Edit] = []
    pending: Optional[str] = None  # "Could you replace that hat?" waits for "I'd like a crown there."
    referent: Optional[str] = None  # "The rainbow is distracting. Remove it." -> "it" is the rainbow
    for sentence in [s for s in re.split(r"(?<=[.!?;])\s+", text) if s.strip()]:
        whole = clause_text(sentence)
        e = _sentence_rule_en(whole, prompt, second) if whole else None
        if e is not None:
            edits.append(with_referent(e, referent))
            continue
        n_before = len(edits)
        for clause in _split_clauses_en(sentence):
            c = clause_text(clause)
            if not c or _NOISE_EN.match(c):
                continue
            m = re.match(r"^(?:replace|swap|change|switch|exchange|substitute)\s+(?:out\s+)?(?P<old>(?:the|that|this|those|its)\s+[\w' -]+?|it)$", c, re.I)
            if m and not any(w.lower() in L.PREPOSITIONS_EN for w in m.group("old").split()[1:]):
                pending = m.group("old")
                continue
            e = _rule_en(c, prompt, second)
            if e is None and referent and re.fullmatch(r"(?:remove|delete|erase|lose|drop|ditch|scrap|cut|nix|bin|trash|get rid of)(?:\s+(?:it|them|that|those|this))?", c, re.I):
                e = Edit(EditKind.REMOVE_OBJECT, target=referent)  # "who asked for the waves? remove"
            m = re.match(r"^(?:do|draw|paint|make|try|show|use|have|go with)\s+(?P<new>(?:an?|some|two|three)\s[\w' -]+)$", c, re.I)
            if m and re.search(r"\b(?:instead|rather)\b", clause, re.I) and (e is None or e.kind in (EditKind.ADD_OBJECT, "extras")):
                e = _entity_edit_en("it", m.group("new"), prompt)  # "Do a lighthouse instead."
            if pending and (e is None or e.kind in (EditKind.ADD_OBJECT, "extras")):
                new = e.value if e is not None else c
                new = re.sub(r"^(?:i'?d like|i want|i would like|let's have|use|put|maybe|how about)\s+", "", new, flags=re.I)
                new = re.sub(r"\s+(?:there|instead|in its place|in there)$", "", new, flags=re.I)
                e = _entity_edit_en(pending, new, prompt)
                pending = None
            if e is not None:
                edits.append(with_referent(e, referent))
            else:  # "the katana ruins it, take it out": "it" is the katana
                referent = mentioned_en(clause, prompt) or referent
        if len(edits) == n_before and "," in sentence:  # "too cluttered, drop the bowl": the comma-separated piece that is an edit
            for piece in re.split(r"\s*,\s*", sentence):
                pc = clause_text(piece)
                pe = _rule_en(pc, prompt, second) if pc and not _NOISE_EN.match(pc) else None
                if pe is not None and pe.kind != "extras":
                    edits.append(with_referent(pe, referent))
        if len(edits) == n_before:
            referent = mentioned_en(sentence, prompt) or referent
    if len(edits) == 1 and edits[0].kind == EditKind.ADD_OBJECT and re.search(
            r"\b(?:wrong|different|other|another|new)\s+(?:place|location|setting|spot|backdrop|background|scenery|surroundings)\b", text, re.I):
        edits = [_bg_or_time(_bg_value(edits[0].value))]  # "hmm, wrong place. a frozen lake"
    if not edits:
        sentences = [_fallback_en(c) for c in _split_clauses_en(text)]
        return [Edit("extras", value=s) for s in sentences if s]
    return edits


_ART = r"(?:an?|some|two|three)\s"
_OLD_DET = r"(?:the|that|this|those|these|a|an|its)\s+"


def _whole_request_en(text: str, prompt: DrawingPrompt) -> Optional[Edit]:
    """Whole-request swaps that clause splitting would tear apart: "ditch the cat, a dog works
    better", "I think a dog would be cuter than that cat", "I'd prefer a dog over the cat",
    "cat but felt", "the bowl: gone". Each needs the old thing to be in the prompt."""
    c = clause_text(text)
    named = lambda phrase: locate(prompt, phrase.split()[-1]) is not None if phrase.split() else False  # noqa: E731
    m = re.fullmatch(r"(?:ditch|drop|lose|scrap|remove|nix|bin|kill|replace|swap out|get rid of|no more|not)\s+" + _OLD_DET + r"?(?P<old>[\w' -]+?)\s*[,;.!:]+\s*"
                     r"(?:(?:use|try|do|go with|draw|put|give me|i want|i'd like|maybe|how about)\s+)?(?P<new>" + _ART + r"[\w' -]+?)\s+"
                     r"(?:(?:works|would work|would be|'d be|is|looks|would look|fits|would fit|seems|feels)\s+(?:way\s+|much\s+|a lot\s+)?(?:better|nicer)|instead|in its place)", c, re.I)
    m = m or re.fullmatch(r"(?:(?:i think|i feel like|i guess|imo|maybe|perhaps|honestly)[,]?\s+)?(?P<new>" + _ART + r"[\w' -]+?)\s+(?:would|will|might|could|'d)\s+"
                          r"(?:be|look|work|fit|seem)\s+(?:a lot\s+|way\s+|much\s+|even\s+)?(?:better|nicer|\w+er|more\s+\w+)\s+than\s+" + _OLD_DET + r"?(?P<old>[\w' -]+)", c, re.I)
    m = m or re.fullmatch(r"(?:i'?d (?:much |really )?(?:prefer|rather have|rather see|choose|pick)|i (?:much |really )?prefer|prefer|i'd go for|i would prefer)\s+"
                          r"(?P<new>" + _ART + r"[\w' -]+?)\s+over\s+" + _OLD_DET + r"?(?P<old>[\w' -]+)", c, re.I)
    if m and named(m.group("old")) and not named(m.group("new")):
        return _entity_edit_en(m.group("old"), m.group("new"), prompt)
    m = re.fullmatch(r"(?:the\s+)?(?P<old>[\w' -]+?),?\s+but\s+(?:in\s+|made (?:of|from)\s+|out of\s+)?(?P<new>[\w' -]+)", c, re.I)
    if m and len(m.group("old").split()) <= 3 and named(m.group("old")):
        new = m.group("new")
        if _colour_value(new):
            return Edit(EditKind.CHANGE_ENTITY, target=m.group("old"), value=_colour_value(new) or new, detail="colour")
        if _material_value(new) or new.lower() in L.MATERIAL_ADJECTIVES_EN:
            return Edit(EditKind.CHANGE_ENTITY, target=m.group("old"), value=_material_value(new) or new, detail="material")
        if re.match(_ART, new, re.I) and not named(new):
            return _entity_edit_en(m.group("old"), new, prompt)
    m = re.fullmatch(r"(?:the\s+|that\s+|its\s+)?(?P<old>[\w' -]+?)\s+(?:should|could|must|needs to|has to|would|might|ought to)\s+(?:be|look)\s+"
                     r"(?:(?:a bit |a little |way |much )?more\s+(?:of\s+)?(?:an?\s+)?|kind of\s+|(?:an?\s+)?)(?P<new>[\w' -]+?)(?:\s+(?:colou?r|colou?red|instead))?", c, re.I)
    if m and len(m.group("old").split()) <= 3 and named(m.group("old")) and _colour_value(m.group("new")):
        return Edit(EditKind.CHANGE_ENTITY, target=m.group("old"), value=_colour_value(m.group("new")) or "", detail="colour")  # "kitten should be more of a ochre"
    m = re.fullmatch(r"(?:the\s+|that\s+|those\s+)?(?P<x>[\w' -]+?)\s*[:,=-]+\s*(?:gone|out|remove(?:d)?|delete(?:d)?|bye|away|nope|no|drop(?:ped)?|scrap(?:ped)?|cut)[.!]*", c, re.I)
    if m and len(m.group("x").split()) <= 3 and named(m.group("x")):
        return Edit(EditKind.REMOVE_OBJECT, target=strip_det(m.group("x")))
    return None


_PRONOUN_SUBJECT = {"it": ("The image", False), "this": ("The image", False), "the picture": ("The image", False), "the image": ("The image", False),
                    "him": ("He", False), "her": ("She", False), "them": ("They", True)}


def mentioned_en(sentence: str, prompt: DrawingPrompt) -> Optional[str]:
    """The first word of ``sentence`` naming something in the prompt (a noun the user talks about)."""
    for tok in TOKEN.finditer(sentence):
        w = tok.group().lower()
        if len(w) > 2 and w not in STOP_EN and w not in ("it's", "looks", "look", "seems", "picture", "image", "scene", "really", "too", "very"):
            if locate(prompt, w) is not None:
                return w
    for m in re.finditer(r"\b(?:the|that|those|these)\s+([A-Za-z][\w'-]+)", sentence, re.I):  # "the waves": a noun even if it can be a verb
        w = m.group(1).lower()
        if len(w) > 2 and locate(prompt, w) is not None:
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
    c = clause_text(clause)
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
    m = re.fullmatch(r"\s*(?:(?:a|an|the)\s+)?(?:more\s+)?(?P<c>" + COLOUR_RE.pattern + r"(?:\s+and\s+" + COLOUR_RE.pattern + r")?)\s*(?:colou?r(?:ed)?|one|instead|in colou?r)?\s*", text, re.I)
    return m.group("c") if m else None


def _material_value(text: str) -> Optional[str]:
    m = re.fullmatch(r"\s*(?:made\s+)?(?:out\s+of|of|from)?\s*(?P<m>(?:[\w-]+\s+){0,3}?" + MATERIAL_RE.pattern + r")\s*(?:instead)?\s*", text, re.I)
    return m.group("m") if m else None


def style_value(text: str) -> Optional[str]:
    """The style a phrase names ("an oil painting" -> "oil painting"), or None."""
    t = text.strip(" .,!?")
    m = re.search(r"\b(?:the way|how|just like|like|as|something|a painting|a picture)\s+(?P<a>[A-Z][\w.' -]*?)\s+(?:would|does|did|might|could|paints|painted|draws|drew|made)\b", t)
    if m and not STYLE_RE.search(m.group("a")):
        return "inspired by " + m.group("a")
    m = re.match(r"^(?:channel|emulate|imitate|mimic)\s+(?P<a>[A-Z][\w.' -]+)$", t)
    if m:
        return "inspired by " + m.group("a")
    m = re.search(r"\b(?:in the style of|in the manner of|inspired by|in the vein of|like the work of|like the paintings of|a la|à la)\s+(?P<a>.+)$", t, re.I)
    if m:
        a = re.sub(r"(?:'s)?\s+(?:style|work|art|paintings)$", "", m.group("a").strip(), flags=re.I)
        bare = strip_det(a)
        return bare if STYLE_RE.fullmatch(bare) or (STYLE_RE.search(bare) and bare[:1].islower()) else "inspired by " + a
    sm = None
    for cand in STYLE_RE.finditer(t):
        if cand.start() == 0 and re.match(r"\s+(?:it|this|them|the|that|everything)\b", t[cand.end():], re.I):
            continue  # "Render it like ...", "Sketch it as ...": a verb, not the style
        sm = cand
        break
    if not sm:
        return None
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
                  ) or (lw in STOP_EN and lw != "and" and not STYLE_RE.fullmatch(lw)):
            break
        keep_right.append(w.strip(","))
        if w.endswith(","):
            break
    while keep_right and keep_right[-1].lower() in ("and", "or"):
        keep_right.pop()
    value = " ".join(keep_left + [sm.group()] + keep_right).strip(" ,")
    return value or None


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
    m = m or re.search(r"\b(?:put|add|bring|place|insert|move|paste|drop|stick)\s+(?:the\s+|that\s+|this\s+)(?P<n>[\w' -]+?)\s+(?:to|into|in|onto)\s+"
                       r"(?:the|your|that)\s+(?:picture|image|drawing|painting|scene|one)\s+(?:that\s+)?you\s+(?:made|drew|painted|created|generated|did)\b", c, re.I)
    m = m or re.search(r"^(?:the\s+)?(?P<n>[\w' -]+?)\s+(?:in|from|of)\s+(?:this|my|the)\s+(?:new\s+)?(?:photo|picture|image|pic)\s+(?:should|could|must|needs to|has to)\s+"
                       r"(?:also\s+)?(?:be|go|appear)\s+(?:in|into)\s+(?:your|yours|the other|the last|the previous|it)\b", c, re.I)
    if m:
        return Edit(EditKind.COMBINE_IMAGES, target=m.group("n"))
    low = c.lower()
    if re.search(r"\b(?:combine|combining|merge|merging|blend|fuse|mix|join|composite|put together|bring together|together)\b", low) or \
            re.search(r"\bboth\b", low) or re.search(r"\b(?:two|these) (?:pictures|images|photos)\b", low):
        return Edit(EditKind.COMBINE_IMAGES)
    return None


def _rule_en_rest(c: str, prompt: DrawingPrompt) -> Optional[Edit]:
    low = c.lower()
    # --- remove
    m = (re.match(r"^(?:remove|delete|erase|eliminate|drop|lose|ditch|omit|get rid of|take (?:away|out|off)|leave out|cut out|clear away|hide|cut|scrap|nix|bin|trash|toss|axe|nuke|not have|not show|not include)\s+(?P<x>.+?)(?:\s+(?:from|out of|off)\s+.*)?$", c, re.I)
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
        return Edit(EditKind.REMOVE_OBJECT, target=strip_det(x))
    # --- material (before style: "make it out of clay")
    m = (re.search(r"\b(?:make|build|craft|turn|change|render|do|create|redo|remake)\s+(?P<t>it|them|this|(?:the|that|this)\s+[\w' -]+?)\s+(?:out of|from|of|in|into)\s+(?P<m>.+)$", c, re.I)
         or re.search(r"\b(?P<t>it|they|the\s+[\w' -]+?)\s+(?:was|were|is|are|be|to be|should be|being|could be|would be)?\s*made\s+(?:of|from|out of)\s+(?P<m>.+)$", c, re.I))
    if m and _material_value(m.group("m")):
        if re.search(r"\s(?:in|into)\s+" + re.escape(m.group("m")) + "$", c, re.I) and STYLE_RE.search(m.group("m")):
            return Edit(EditKind.CHANGE_STYLE, value=style_value(m.group("m")) or m.group("m"))  # "redo it in stained glass"
        return Edit(EditKind.CHANGE_ENTITY, target=m.group("t"), value=_material_value(m.group("m")) or "", detail="material")
    # --- shot
    if not re.match(r"^(?:add|include|put|insert)\b", low):
        shot = shot_of(c, "en")
        if shot:
            return shot_edit(*shot)
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
            return Edit(EditKind.ADD_OBJECT, value=obj)
    # --- style
    m = re.search(r"^(?:make\s+)?(?:it|this|the (?:picture|image))\s+(?:to\s+)?looks?\s+like\s+(?P<v>.+)$", c, re.I)
    if m and not re.search(r"\b(?:it|it's|they)\b", m.group("v"), re.I):
        return Edit(EditKind.CHANGE_STYLE, value=strip_det(m.group("v")))
    m = re.search(r"\b(?:art\s+)?style\s+(?:to|into|should be|be|as|is|of|:)\s+(?P<v>.+)$", c, re.I)
    if m and not re.search(r"\bstyle of\b", c, re.I):
        return Edit(EditKind.CHANGE_STYLE, value=style_value(m.group("v")) or m.group("v").strip(" ."))
    m = re.match(r"^(?:redo|re-?draw|re-?render|re-?paint)\s+(?:it\s+|this\s+)?as\s+(?P<v>.+)$", c, re.I)  # "redo as a linocut print"
    if m and not _colour_value(m.group("v")):
        return Edit(EditKind.CHANGE_STYLE, value=strip_det(m.group("v")))
    mv = re.match(r"^(?:an?\s+)?(?P<v>[\w' -]+?)\s+(?:version|edition)(?:\s+(?:of|on)\s+(?:this|it|that))?$", c, re.I)
    if mv and all(w.lower() in L.MATERIALS_EN for w in mv.group("v").split()):  # "an origami paper version of it": a material
        return Edit(EditKind.CHANGE_ENTITY, target="it", value=mv.group("v"), detail="material")
    sv = style_value(c)
    possession = re.search(r"\b(?:to have|have|has|with)\b", low) and not re.search(r"\b(?:style|look|aesthetic|in the manner)\b", low)
    if sv and not re.match(r"^(?:add|include|insert)\b", low) and not possession and not _colour_value(c):  # "charcoal grey" is a colour
        return Edit(EditKind.CHANGE_STYLE, value=sv)
    # "a linocut take on this", "rainy version please": a look, or a time of day
    m = re.match(r"^(?:any chance of|how about|what about|maybe)?\s*(?:an?\s+)?(?P<v>[\w' -]+?)\s+(?:take|spin|rendition|version|edition)(?:\s+(?:on|of)\s+(?:this|it|that))?$", c, re.I)
    if m and not _colour_value(m.group("v")):
        v = m.group("v")
        if all(w.lower() in L.MATERIALS_EN for w in v.split()):  # "a denim version of it": the subject's material
            return Edit(EditKind.CHANGE_ENTITY, target="it", value=v, detail="material")
        if _TIME_ONLY.match(v) or (len(v.split()) == 1 and time_of(v, "en")):
            return Edit(EditKind.CHANGE_BACKGROUND, value=time_of(v, "en") or v, detail="time")
        return Edit(EditKind.CHANGE_STYLE, value=v)
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
         or re.search(r"^(?:i'?d like|i would like|i want|i'd love|i need|with)\s+(?P<o>(?:an?|some|two|three|four|a few|few|several|many|lots of|more|[\w-]+s|"
                      r"people|children|men|women|geese|mice|sheep|fish|deer)\b.*)$", c, re.I)
         or re.match(r"^(?:see|have|get)\s+(?P<o>(?:an?|some|two|three|a few|more)\s.+)$", c, re.I))
    bare = re.fullmatch(r"(?P<o>(?:an?|some|a few|two|three|more)\s+[\w' -]+)", c, re.I)  # "Maybe a glowing jellyfish?"
    words = set(c.lower().split())
    near = re.fullmatch(r"(?P<o>(?:an?|some|a few|two|three|more)\s+[\w' -]+?)\s+(?:next to|beside|near|behind|in front of|on top of|under|by|around)\s+(?:the|its|his|her|their)\s+(?P<n>[\w' -]+)", c, re.I)
    if not m and near and locate(prompt, near.group("n").split()[-1]) is not None and locate(prompt, near.group("o").split()[-1]) is None:
        m = near
        c = near.group(0)
    if not m and bare and not words & _AUXILIARIES_EN and not words & (set(L.PREPOSITIONS_EN) - {"of"}) and locate(prompt, c.split()[-1]) is None:
        m = bare
    if m:
        obj = m.group("o").strip()
        if re.match(r"^(?:how|what) about\s+an?\s", c, re.I):
            obj = re.search(r"\b(an?\s.*)$", c, re.I).group(1)  # type: ignore[union-attr]
        # "put it on a beach" / "place everything in space" are background moves
        mv = re.match(r"^(?:it|them|him|her|everything|the whole scene|the scene|all of it|this|(?:the|that|this)\s+(?P<n>[\w-]+))\s+(?:in|on|at|into|onto|inside|to)\s+(?P<v>.+)$", obj, re.I)
        if mv and (not mv.group("n") or locate(prompt, mv.group("n")) == ("subject", -1)):
            return _bg_or_time(_bg_value(mv.group("v")))
        obj = _LOC_TAIL_EN.sub("", obj).strip()
        if obj and not re.match(r"^(?:the same|the (?:whole )?(?:scene|picture|image)|it|them|everything|this)\b", obj, re.I):
            return Edit(EditKind.ADD_OBJECT, value=obj)
    # --- background by placement: "set it on a beach", "I'd like it to be in space", "what about in space?"
    m = (re.search(r"\b(?:put|set|place|move|take|bring|transport|relocate|send|position|show|see|have|imagine|picture|draw|paint|render|make|do|want|need|like|"
                   r"putting|setting|placing|moving|taking|bringing)\s+"
                   r"(?:it|them|him|her|everything|the whole scene|the scene|all of it|this|the whole thing|one|another one|a version)\s+"
                   r"(?:in|on|at|into|onto|inside|under|near|by|to(?!\s+(?:be|look|have|feel|seem|become|show|capture|focus)\b)|over)\s+(?P<v>.+)$", c, re.I)
         or re.search(r"\b(?:it|them|they|this|everything|the (?:whole )?(?:scene|picture|image|thing))\s+(?:to be|be|to take place|take place|to happen|happen|is|was|were|to|being|set)\s+(?:set\s+)?(?:in|on|at|inside|under|near|by|over)\s+(?P<v>.+)$", c, re.I)
         or re.match(r"^(?:what about|how about|maybe|try)\s+(?:in|on|at|inside|under)\s+(?P<v>.+)$", c, re.I)
         or re.search(r"\bwhat(?:'s| is| does| would| will)?\s+(?:it|this|the scene)\s+(?:look|be)(?:\s+like)?\s+(?:in|on|at|inside|under)\s+(?P<v>.+)$", c, re.I)
         or re.match(r"^(?:maybe|how about|what about|perhaps|try)?\s*(?P<v>(?:an?|the|some)\s.+?)\s+(?:behind|around)\s+(?:it|them|him|her)$", c, re.I)
         or re.match(r"^(?:in|on|at|inside|under)\s+(?P<v>.+)$", c, re.I)
         or re.match(r"^(?:relocate|move|go|head|travel|teleport|transfer|shift)\s+(?:over\s+)?(?:to|into|onto)\s+(?P<v>(?:an?|the|some)\s.+)$", c, re.I)
         or re.match(r"^(?P<v>(?:an?|the|some)\s.+?)\s+as\s+(?:the|a|its|their)\s+(?:new\s+)?" + _BG_WORDS + r"$", c, re.I))
    if m:
        v = _bg_value(m.group("v"))
        if v:
            return _bg_or_time(v)
    if _colour_value(c):  # just "sky blue": the main subject's colour
        return Edit(EditKind.CHANGE_ENTITY, value=_colour_value(c) or c, detail="colour")
    # --- time of day / weather
    if time_of(c, "en") and re.search(r"\b(?:make|set|change|turn|it|show|switch|want|be|could|can|let|during|at|in|scene|same)\b", low):
        return Edit(EditKind.CHANGE_BACKGROUND, value=time_of(c, "en") or "", detail="time")
    return None


#: Colour names that are also things: after "replace X with" they name the thing ("an orange").
_COLOUR_THINGS_EN = frozenset({"orange", "peach", "lemon", "lime", "plum", "cherry", "olive", "chocolate", "rose", "salmon"})


def _bg_value(v: str) -> str:
    v = re.sub(r"\s+(?:instead|please|now|then|for a change)\b.*$", "", v.strip(" .?!,"), flags=re.I)
    return v.strip(" .?!,")


def _bg_or_time(v: str) -> Edit:
    if _colour_value(v):  # "I want it in red"
        return Edit(EditKind.CHANGE_ENTITY, value=_colour_value(v) or v, detail="colour")
    if _TIME_ONLY.match(v) or (len(v.split()) <= 3 and time_of(v, "en") and not re.match(r"^(?:an?|the)\s", v, re.I) and not re.search(r"\b(?:city|forest|field|beach|street|room|garden|mountain|sea|lake|desert)", v, re.I)):
        return Edit(EditKind.CHANGE_BACKGROUND, value=time_of(v, "en") or v, detail="time")
    return Edit(EditKind.CHANGE_BACKGROUND, value=v)


def _entity_edit_en(old: str, new: str, prompt: DrawingPrompt) -> Edit:
    new = new.strip(" .!?,")
    new = re.sub(r"\s+(?:instead|please|then|now|rather)$", "", new, flags=re.I).strip()
    colour = _colour_value(new)
    if colour:
        return Edit(EditKind.CHANGE_ENTITY, target=old, value=colour, detail="colour")
    mat = re.match(r"^(?:made\s+)?(?:out of|of|from)\s+(?P<m>.+)$", new, re.I)
    if mat and _material_value(mat.group("m")):
        return Edit(EditKind.CHANGE_ENTITY, target=old, value=_material_value(mat.group("m")) or "", detail="material")
    return Edit(EditKind.CHANGE_ENTITY, target=old, value=new, detail="entity")


def _entity_rule_en(c: str, prompt: DrawingPrompt) -> Optional[Edit]:
    if re.search(r"\b(?:camera|lens|angle|viewpoint|perspective)\b", c, re.I):
        return None  # "turn the camera to the side": a shot, never an entity
    m = re.search(r"\bgive\s+(?P<t>it|them|the\s+[\w' -]+?)\s+an?\s+(?P<m>[\w' -]+?)\s+(?:texture|finish|surface|material)$", c, re.I)
    if m:
        return Edit(EditKind.CHANGE_ENTITY, target=m.group("t"), value=m.group("m"), detail="material")
    m = re.match(r"^(?P<old>(?:the|that|its)\s+[\w' -]+?)\s+in\s+(?P<c>" + COLOUR_RE.pattern + r")\b.*$", c, re.I)
    if m:
        return Edit(EditKind.CHANGE_ENTITY, target=m.group("old"), value=m.group("c"), detail="colour")
    pats = (
        r"^(?P<new>(?:an?|some)\s[\w' -]+?)\s+(?:would|will|might|could)?\s*(?:\w+\s+){0,2}better\s+than\s+(?:the|a|an|that)\s+(?P<old>[\w' -]+)$",
        r"^(?:recolou?r|colou?r|paint|change|swap|replace|make)?\s*(?:the\s+)?(?P<old>[\w' -]+?)\s*(?:->|→|=>)\s*(?P<new>.+)$",
        r"\b(?:replace|swap|switch|substitute|exchange|trade)\s+(?P<old>.+?)\s+(?:with|for|by|to|into)\s+(?P<new>.+)$",
        r"\b(?:change|turn|transform|convert|morph)\s+(?P<old>.+?)\s+(?:into|to)\s+(?P<new>.+)$",
        r"^(?:instead of|rather than|in place of)\s+(?P<old>.+?),?\s+(?:draw|use|have|put|show|make it|i want|i'd like|let'?s have|give me|we could have|go with|how about|maybe|add)?\s*(?P<new>(?:an?|the|some|one)\s.+)$",
        r"^(?:i'?d rather (?:have|see|get)?|i'?d prefer|i want|i would like|i'd like|use|draw|have|put|show|give me|how about|what about|let'?s have|go with|make it|maybe)?\s*(?P<new>.+?)\s+(?:instead of|rather than|in place of)\s+(?P<old>.+)$",
        r"^(?:i(?:'d)? (?:want|like|prefer|rather have)|i would (?:like|prefer)|i meant|i mean|i said|i wanted|i asked for|give me|use|draw|make it|let'?s have|go with)?\s*"
        r"(?P<new>(?:an?|some)\s[\w' -]+?),?\s+(?:and\s+)?not\s+(?:the|a|an|that|this)\s+(?P<old>[\w' -]+)$",
        r"\b(?:what if|how about if|suppose|imagine if|imagine|i wish|if only)\s+(?P<old>it|they|the\s+.+?)\s+(?:were|was|is|became|becomes|turned into)\s+(?P<new>.+)$",
        r"^(?:could|can|should|would|might)\s+(?P<old>it|they|the\s+.+?)\s+be\s+(?P<new>.+)$",
        r"^(?P<old>(?:the|that|its|it)\b.*?)\s+(?:should|could|must|needs to|has to|would|might|ought to|can)\s+(?:be|become|turn into)\s+(?P<new>.+)$",
        r"^(?P<old>(?:the|that|its|it)\b.*?)\s+(?:becomes|turns into|is now|is replaced by|gets replaced by)\s+(?P<new>.+)$",
        r"\bi(?:'d| would)?\s*(?:like|want|prefer|love)\s+(?P<old>(?:the|that|its)\s+[\w' -]+?|it)\s+(?:in|painted|coloured|colored|in the colou?r)\s+(?P<new>" + COLOUR_RE.pattern + r")$",
        r"\bi(?:'d| would)?\s*(?:want|like|prefer|need|love)\s+(?P<old>(?:the|that|it)\b.*?|it|them)\s+to\s+(?:be|look)\s+(?P<new>.+)$",
        r"\b(?:change|set|switch|make)\s+the\s+colou?r\s+of\s+(?P<old>.+?)\s+(?:to|into)\s+(?P<new>.+)$",
        r"^(?P<old>.+?)(?:'s)?\s+colou?r\s+(?:to|into|should be|could be|must be|becomes)\s+(?P<new>.+)$",
        r"\b(?:recolou?r|colou?r|paint|dye|tint|change|do|make|render|draw|show|have)\s+(?P<old>.+?)\s+(?:in|to|into|with)\s+(?P<new>" + COLOUR_RE.pattern + r")$",
    )
    for pat in pats:
        m = re.search(pat, c, re.I)
        if m:
            old, new = m.group("old").strip(), m.group("new").strip()
            if style_value(new) and not _colour_value(new):
                return Edit(EditKind.CHANGE_STYLE, value=style_value(new) or new)
            if re.fullmatch(r"(?:an?\s+)?(?:" + _BG_WORDS + r")", strip_det(old), re.I):
                return None
            if re.fullmatch(r"(?:the|this|my|that)\s+(?:picture|image|photo|photograph|drawing|pic)", old, re.I) and not _colour_value(new):
                return Edit(EditKind.CHANGE_STYLE, value=strip_det(_bg_value(new)))
            bare = _bg_value(new)
            sc = re.match(r"^(?:an?\s+|the\s+)?(?P<m>[\w' -]+?)\s+(?:scene|version|setting|atmosphere|mood)$", bare, re.I)
            if sc and time_of(sc.group("m"), "en"):
                return Edit(EditKind.CHANGE_BACKGROUND, value=time_of(sc.group("m"), "en") or "", detail="time")
            if _TIME_ONLY.match(bare) or re.match(r"^(?:in|on|at|under|inside|during)\s", bare, re.I):
                return _bg_or_time(re.sub(r"^(?:in|on|at|under|inside|during)\s+", "", bare, flags=re.I)) if not time_of(bare, "en") or len(bare.split()) > 4 else Edit(EditKind.CHANGE_BACKGROUND, value=time_of(bare, "en") or "", detail="time")
            if (old.lower() in ("it", "they", "them") and not re.match(r"^(?:an?|some|the|one|two|three)\s", bare, re.I)
                    and not _colour_value(bare) and not re.match(r"^(?:made\s+)?(?:out of|of|from)\s", bare, re.I)):
                continue  # "I want it to be sunny": not an entity; later rules decide
            if pat is pats[2] and new.strip(" .!").lower() in _COLOUR_THINGS_EN and not _colour_value(old):
                return Edit(EditKind.CHANGE_ENTITY, target=old, value=new.strip(" .!"), detail="entity")
            return _entity_edit_en(old, new, prompt)
    m = re.match(r"^(?:swap|switch|put|bring|sub|trade|drop)\s+in\s+(?P<new>(?:an?|some|the|two|three)\s.+)$", c, re.I)
    m = m or re.match(r"^(?:do|draw|paint|make|try|show|use|have|i'd (?:rather have|prefer|rather see)|i would (?:rather have|prefer)|i prefer)\s+"
                      r"(?P<new>(?:an?|some|two|three)\s[\w' -]+?)(?:\s+instead|\s+rather)?$", c, re.I) if re.search(r"\b(?:instead|prefer|rather)\b", c, re.I) else m
    if m and not style_value(m.group("new")):
        return _entity_edit_en("it", m.group("new"), prompt)
    m = re.search(r"\b(?:go with|use|try|pick|choose|do)\s+(?P<c>" + COLOUR_RE.pattern + r")\s+(?:for|on)\s+(?P<old>.+)$", c, re.I)
    if m:
        return Edit(EditKind.CHANGE_ENTITY, target=m.group("old"), value=m.group("c"), detail="colour")
    m = re.search(r"\b(?:go with|use|try|pick|choose|do)\s+(?P<m>[\w-]+)\s+(?:for|on)\s+(?P<old>(?:the|its|that)\s+[\w' -]+|it|them)$", c, re.I)
    if m and _material_value(m.group("m")):  # "let's go with glass for the lighthouse"
        return Edit(EditKind.CHANGE_ENTITY, target=m.group("old"), value=_material_value(m.group("m")) or "", detail="material")
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
                return Edit(EditKind.CHANGE_ENTITY, target=old, value=_colour_value(new) or "", detail="colour")
            mat = re.sub(r"\s+(?:instead|too|now)$", "", new, flags=re.I)
            if mat.lower() in L.MATERIAL_ADJECTIVES_EN or re.match(r"^(?:made\s+)?(?:out of|of|from)\s", mat, re.I):
                return Edit(EditKind.CHANGE_ENTITY, target=old, value=_material_value(re.sub(r"^(?:made\s+)?(?:out of|of|from)\s+", "", mat, flags=re.I)) or mat, detail="material")
            if re.match(r"^(?:an?|some)\s", new, re.I) and not style_value(new):
                return _entity_edit_en(old, new, prompt)
    # "let's go with a red car", "i want a blue umbrella"
    m = re.search(r"\b(?P<c>" + COLOUR_RE.pattern + r")\s+(?P<n>[a-z]+)\b", c, re.I)
    asks = re.search(r"\b(?:go with|want|like|prefer|how about|what about|rather|make|try|use|have|give me|show|draw|paint|do)\b", c, re.I)
    fragment = m and re.fullmatch(r"(?:(?:an?|the)\s+)?" + re.escape(m.group(0)), c, re.I)  # just "teal katana"
    if m and locate(prompt, m.group("n")) is not None and (asks or fragment):
        return Edit(EditKind.CHANGE_ENTITY, target=m.group("n"), value=m.group("c"), detail="colour")
    return None
