"""DialogBen-style benchmark generator: ``dialoggen bench generate``.

Each conversation has three user turns whose scenarios (``T->T``, ``T->I``, ``I+T->T``,
``I+T->I``) follow one of the 64 compositions, about one of 13 topics, with one of 7 edit
types that its image edits apply. Two modes:

* ``offline`` (default, no model): scenes are built from the vocabulary in
  :mod:`.templates` and phrased with its template pools. A scene is kept structured, so
  an edit changes exactly one part of the :class:`~dialoggen.agent.prompt.DrawingPrompt`
  and the yes/no ``questions`` follow from the parts. Train and test draw from disjoint
  halves of every phrasing pool, so the test split measures generalisation.
* ``teacher``: a chat model writes each conversation from ``prompts/generate_meta.md``
  (one call per conversation, with an offline conversation of the same plan as the
  in-context example), then labels each user turn text/image with
  ``prompts/generate_filter.md``; conversations whose labels disagree are dropped (the
  paper's LLM filter).

Extra fields on each turn (allowed by the format): ``kind`` (new, edit, ask, chat,
knowledge), ``edit`` (the edit type applied, on edits), ``prompt`` (the reference as a
``DrawingPrompt`` dump) and ``base_prompt`` (what the edit started from).
"""

from __future__ import annotations

import itertools
import json
import random
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Optional, Sequence

import typer

from ..agent.prompt import DrawingPrompt
from .cli import bench_app
from .dataset import SCENARIOS, Conversation, write_jsonl
from .templates import (
    ARTISTS,
    BACKGROUNDS,
    BOOSTERS,
    EDIT_TYPES,
    KNOWLEDGE,
    OBJECTS,
    PHRASES,
    QUOTES,
    SHOTS,
    STYLES,
    TOPICS,
    split_pool,
)

TOPIC_NAMES: tuple[str, ...] = tuple(TOPICS)
#: All 64 three-round compositions, in a fixed order.
COMPOSITIONS: tuple[tuple[str, str, str], ...] = tuple(itertools.product(SCENARIOS, repeat=3))
#: The part of the drawing prompt each edit type changes.
EDIT_PARTS: dict[str, str] = {
    "change_entity": "subject",
    "combine_images": "subject",
    "add_object": "extras",
    "remove_object": "extras",
    "change_background": "background",
    "change_style": "style",
    "change_shot": "shot",
}


# --------------------------------------------------------------------------- scenes


@dataclass(frozen=True)
class Subject:
    """One subject: indices into its topic's entities, attributes and actions."""

    topic: str
    entity: int
    attr: int
    action: int


@dataclass(frozen=True)
class Scene:
    """A structured picture: the parts of a drawing prompt as vocabulary indices."""

    subject: Subject
    companions: tuple[Subject, ...] = ()
    background: Optional[int] = None
    shot: Optional[int] = None
    style: Optional[int] = None
    extras: tuple[int, ...] = ()


def _a(phrase: str) -> str:
    return ("an " if phrase[:1].lower() in "aeiou" else "a ") + phrase


def _entity(s: Subject) -> tuple[str, str, str, str]:
    return TOPICS[s.topic]["entities"][s.entity]


def _attr(s: Subject) -> tuple[str, str]:
    return TOPICS[s.topic]["attrs"][s.attr]


def _action(s: Subject) -> tuple[str, str]:
    return TOPICS[s.topic]["actions"][s.action]


def noun_phrase(s: Subject, lang: str) -> str:
    """"a red fox", "a girl in a red coat" / "一只红色的狐狸", "一个穿红色外套的女孩"."""
    en, _, zh, mw = _entity(s)
    a_en, a_zh = _attr(s)
    garment = TOPICS[s.topic].get("garment")
    if lang == "zh":
        if garment:
            return f"一{mw}穿{a_zh}{garment[1]}的{zh}"
        return f"一{mw}{a_zh}{zh}" if s.topic == "food" else f"一{mw}{a_zh}的{zh}"
    if garment:
        return f"{_a(en)} in {_a(a_en + ' ' + garment[0])}"
    return _a(f"{a_en} {en}")


def attr_target(s: Subject, lang: str) -> str:
    """What a colour/material change names: "fox", "girl's coat" / "狐狸", "女孩的外套"."""
    en, _, zh, _ = _entity(s)
    garment = TOPICS[s.topic].get("garment")
    if lang == "zh":
        return f"{zh}的{garment[1]}" if garment else zh
    return f"{en}'s {garment[0]}" if garment else en


def subject_phrase(s: Subject, lang: str) -> str:
    act = _action(s)
    return noun_phrase(s, lang) + (act[1] if lang == "zh" else " " + act[0])


def to_prompt(scene: Scene, lang: str) -> DrawingPrompt:
    """The scene as a structured drawing prompt in ``lang``."""
    subject = subject_phrase(scene.subject, lang)
    for c in scene.companions:
        subject += f"，还有{subject_phrase(c, lang)}" if lang == "zh" else f", together with {subject_phrase(c, lang)}"
    if lang == "zh":
        extras = [f"旁边有{OBJECTS[o][1]}" for o in scene.extras]
        bg = BACKGROUNDS[scene.background][2] if scene.background is not None else ""
        shot = SHOTS[scene.shot][1] if scene.shot is not None else ""
        style = STYLES[scene.style][2] if scene.style is not None else ""
    else:
        extras = [f"there is {OBJECTS[o][0]} nearby" for o in scene.extras]
        bg = BACKGROUNDS[scene.background][0] if scene.background is not None else ""
        shot = SHOTS[scene.shot][0] if scene.shot is not None else ""
        style = STYLES[scene.style][0] if scene.style is not None else ""
    return DrawingPrompt(subject=subject, background=bg, shot=shot, style=style, extras=extras, lang=lang)


def describe(scene: Scene, lang: str, rng: random.Random) -> str:
    """A user's description of a scene for a drawing request (no trailing punctuation)."""
    s = scene.subject
    if lang == "zh":
        core = subject_phrase(s, lang)
        if scene.background is not None:
            bg = BACKGROUNDS[scene.background]
            core = f"{bg[3]}，{core}" if rng.random() < 0.6 else f"{core}，背景是{bg[2]}"
        for o in scene.extras:
            core += rng.choice(["，旁边有", "，边上还有", "，附近有"]) + OBJECTS[o][1]
        if scene.style is not None:
            st = STYLES[scene.style][2]
            core = rng.choice([f"{core}，{st}风格", f"一幅{st}风格的画，{core}", f"{core}，画成{st}的样子"])
        if scene.shot is not None:
            core += rng.choice(["，{}镜头", "，用{}", "，{}构图"]).format(SHOTS[scene.shot][1])
        return core
    core = subject_phrase(s, lang)
    for o in scene.extras:
        core += rng.choice([", with {} nearby", " with {} beside it", ", and {} close by"]).format(OBJECTS[o][0])
    if scene.background is not None:
        bg = BACKGROUNDS[scene.background]
        core += f" {bg[1]} {bg[0]}"
    if scene.style is not None:
        st = STYLES[scene.style]
        core = rng.choice([f"{st[1]} of {core}", f"{core}, in {st[0]} style", f"{core}, {st[0]}"])
    if scene.shot is not None:
        sh = SHOTS[scene.shot][0]
        core = rng.choice([f"{core}, {sh}", f"{core}, shown as {sh}"])
    return core


def keywords(scene: Scene, lang: str, boost: str) -> str:
    """The scene as a prompt-style keyword list: "a red fox sitting quietly, a forest in fog,
    watercolor, a close-up, highly detailed, 8K" (Chinese joined with "，")."""
    i = 1 if lang == "zh" else 0
    parts = [subject_phrase(scene.subject, lang)]
    parts += [OBJECTS[o][i] for o in scene.extras]
    if scene.background is not None:
        parts.append(BACKGROUNDS[scene.background][2 if i else 0])
    if scene.style is not None:
        parts.append(STYLES[scene.style][2 if i else 0])
    if scene.shot is not None:
        parts.append(SHOTS[scene.shot][i])
    parts.append(boost)
    return ("，" if i else ", ").join(parts)


def caption(scene: Scene, lang: str) -> str:
    """A description of an attached photo (stands in for its pixels)."""
    body = subject_phrase(scene.subject, lang)
    if lang == "zh":
        if scene.background is not None:
            body = f"{BACKGROUNDS[scene.background][3]}，{body}"
        body += "".join(f"，旁边有{OBJECTS[o][1]}" for o in scene.extras)
        kind = f"一幅{STYLES[scene.style][2]}风格的画" if scene.style is not None else "一张照片"
        return f"{kind}：{body}。"
    body += "".join(f", with {OBJECTS[o][0]} nearby" for o in scene.extras)
    if scene.background is not None:
        bg = BACKGROUNDS[scene.background]
        body += f" {bg[1]} {bg[0]}"
    kind = STYLES[scene.style][1] if scene.style is not None else "a photo"
    return f"{kind[0].upper()}{kind[1:]} of {body}."


def random_subject(topic: str, rng: random.Random) -> Subject:
    t = TOPICS[topic]
    return Subject(topic, rng.randrange(len(t["entities"])), rng.randrange(len(t["attrs"])), rng.randrange(len(t["actions"])))


def new_scene(topic: str, rng: random.Random, *, with_extra: bool = False, photo: bool = False) -> Scene:
    """A fresh scene: a subject, usually a background, sometimes a style, shot and object."""
    extras = (rng.randrange(len(OBJECTS)),) if with_extra or rng.random() < 0.35 else ()
    if photo:
        style = rng.randrange(len(STYLES)) if rng.random() < 0.3 else None
        background = rng.randrange(len(BACKGROUNDS))
    else:
        style = rng.randrange(len(STYLES)) if rng.random() < 0.6 else None
        background = rng.randrange(len(BACKGROUNDS)) if rng.random() < 0.75 else None
    shot = rng.randrange(len(SHOTS)) if not photo and rng.random() < 0.35 else None
    return Scene(random_subject(topic, rng), background=background, shot=shot, style=style, extras=extras)


def _other(n: int, current: Optional[int], rng: random.Random) -> int:
    return rng.choice([i for i in range(n) if i != current])


def can_edit(scene: Scene, edit: str, other: Optional[Scene]) -> bool:
    """Whether ``edit`` applies to ``scene`` (removal needs an object, combining a second image)."""
    if edit == "remove_object":
        return bool(scene.extras)
    if edit == "combine_images":
        return other is not None and other.subject != scene.subject
    if edit == "add_object":
        return len(scene.extras) < 3
    return True


@dataclass
class Edit:
    """What an edit did, for phrasing and questions."""

    type: str
    before: Scene
    after: Scene
    variant: str = ""  # change_entity: "attr" or "noun"
    obj: Optional[int] = None  # add/remove
    other: Optional[Scene] = None  # combine


def apply_edit(scene: Scene, edit: str, rng: random.Random, other: Optional[Scene] = None) -> Edit:
    """``scene`` with exactly the part named by ``edit`` changed."""
    if edit == "change_style":
        return Edit(edit, scene, replace(scene, style=_other(len(STYLES), scene.style, rng)))
    if edit == "change_background":
        return Edit(edit, scene, replace(scene, background=_other(len(BACKGROUNDS), scene.background, rng)))
    if edit == "change_shot":
        return Edit(edit, scene, replace(scene, shot=_other(len(SHOTS), scene.shot, rng)))
    if edit == "add_object":
        obj = rng.choice([i for i in range(len(OBJECTS)) if i not in scene.extras])
        return Edit(edit, scene, replace(scene, extras=scene.extras + (obj,)), obj=obj)
    if edit == "remove_object":
        obj = rng.choice(scene.extras)
        return Edit(edit, scene, replace(scene, extras=tuple(o for o in scene.extras if o != obj)), obj=obj)
    if edit == "combine_images":
        assert other is not None
        return Edit(edit, scene, replace(scene, companions=scene.companions + (other.subject,)), other=other)
    if edit == "change_entity":
        s = scene.subject
        t = TOPICS[s.topic]
        if rng.random() < 0.5:
            new = replace(s, attr=_other(len(t["attrs"]), s.attr, rng))
            return Edit(edit, scene, replace(scene, subject=new), variant="attr")
        new = replace(s, entity=_other(len(t["entities"]), s.entity, rng))
        return Edit(edit, scene, replace(scene, subject=new), variant="noun")
    raise ValueError(f"unknown edit type {edit!r}")


# --------------------------------------------------------------------------- questions


def _q(en: str, zh: str, answer: str, lang: str) -> dict:
    q = {"q": en, "a": answer}
    if lang == "zh":
        q["q_zh"] = zh
    return q


def questions_for(scene: Scene, lang: str, edit: Optional[Edit] = None, distractor: Optional[int] = None) -> list[dict]:
    """Yes/no questions a correct picture of ``scene`` answers (English ``q``, for the VQA
    scorer; Chinese conversations add ``q_zh``). After an edit, the changed part is asked
    both ways (the new value 'yes', the old one 'no')."""
    s = scene.subject
    e_en, _, e_zh, _ = _entity(s)
    qs = [_q(f"Is there {_a(e_en)} in the picture?", f"图中有{e_zh}吗？", "yes", lang)]
    changed = EDIT_PARTS.get(edit.type) if edit else None
    if edit and edit.type == "change_entity":
        old = edit.before.subject
        if edit.variant == "attr":
            a_en, a_zh = _attr(s)
            o_en, o_zh = _attr(old)
            t_en, t_zh = attr_target(s, "en"), attr_target(s, "zh")
            qs.append(_q(f"Is the {t_en} {a_en}?", f"{t_zh}是{a_zh}的吗？", "yes", lang))
            qs.append(_q(f"Is the {t_en} {o_en}?", f"{t_zh}是{o_zh}的吗？", "no", lang))
        else:
            o_en, _, o_zh, _ = _entity(old)
            qs.append(_q(f"Is there {_a(o_en)} in the picture?", f"图中有{o_zh}吗？", "no", lang))
    if edit and edit.type == "combine_images":
        c_en, _, c_zh, _ = _entity(edit.other.subject)
        qs.append(_q(f"Is there {_a(c_en)} in the picture?", f"图中有{c_zh}吗？", "yes", lang))
    if scene.background is not None:
        b = BACKGROUNDS[scene.background]
        qs.append(_q(f"Is the background {b[0]}?", f"背景是{b[2]}吗？", "yes", lang))
        if changed == "background" and edit.before.background is not None:
            ob = BACKGROUNDS[edit.before.background]
            qs.append(_q(f"Is the background {ob[0]}?", f"背景是{ob[2]}吗？", "no", lang))
    if scene.style is not None:
        st = STYLES[scene.style]
        qs.append(_q(f"Is the style of the picture {st[0]}?", f"画面是{st[2]}风格吗？", "yes", lang))
        if changed == "style" and edit.before.style is not None:
            os_ = STYLES[edit.before.style]
            qs.append(_q(f"Is the style of the picture {os_[0]}?", f"画面是{os_[2]}风格吗？", "no", lang))
    if scene.shot is not None:
        sh = SHOTS[scene.shot]
        qs.append(_q(f"Is the picture {sh[0]}?", f"这是{sh[1]}镜头吗？", "yes", lang))
    for o in scene.extras:
        qs.append(_q(f"Is there {OBJECTS[o][0]} in the picture?", f"图中有{OBJECTS[o][2]}吗？", "yes", lang))
    if edit and edit.type == "remove_object":
        qs.append(_q(f"Is there {OBJECTS[edit.obj][0]} in the picture?", f"图中有{OBJECTS[edit.obj][2]}吗？", "no", lang))
    if distractor is not None and distractor not in scene.extras:
        qs.append(_q(f"Is there {OBJECTS[distractor][0]} in the picture?", f"图中有{OBJECTS[distractor][2]}吗？", "no", lang))
    return qs


# --------------------------------------------------------------------------- phrasing


def _fields(scene: Scene, lang: str, rng: random.Random, edit: Optional[Edit] = None) -> dict[str, str]:
    """Every template field for a turn about ``scene`` (``edit`` fills the changed values)."""
    zh = lang == "zh"
    s = scene.subject
    e_en, es_en, e_zh, _ = _entity(s)
    a = _attr(s)
    bg = BACKGROUNDS[scene.background if scene.background is not None else rng.randrange(len(BACKGROUNDS))]
    st = STYLES[scene.style if scene.style is not None else rng.randrange(len(STYLES))]
    sh = SHOTS[scene.shot if scene.shot is not None else rng.randrange(len(SHOTS))]
    obj = OBJECTS[rng.randrange(len(OBJECTS))]
    s1, s2 = rng.sample(STYLES, 2)
    other = random_subject(s.topic, rng)
    word = TOPICS[s.topic]["word"]
    f = {
        "np": noun_phrase(s, lang), "e": e_zh if zh else e_en, "es": e_zh if zh else es_en,
        "act": _action(s)[1 if zh else 0], "t": attr_target(s, lang), "a": a[1 if zh else 0],
        "n": _entity(other)[2 if zh else 0], "nn": noun_phrase(other, lang) if zh else _a(_entity(other)[0]),
        "s": st[2] if zh else st[0], "sa": st[2] if zh else st[1],
        "b": bg[2] if zh else bg[0], "pb": bg[3] if zh else f"{bg[1]} {bg[0]}", "sh": sh[1] if zh else sh[0],
        "o": obj[1] if zh else obj[0], "ot": obj[2] if zh else "the " + obj[0].split(" ", 1)[1],
        "ot2": obj[2] if zh else obj[0].split(" ", 1)[1], "e2": _entity(other)[2 if zh else 0],
        "topic": word[1] if zh else word[0], "s1": s1[2] if zh else s1[0], "s2": s2[2] if zh else s2[0],
        "np2": e_zh if zh else _a(e_en), "d": describe(scene, lang, rng),
        "qt": rng.choice(QUOTES)[1 if zh else 0], "ar": rng.choice(ARTISTS)[1 if zh else 0],
        "boost": ("，" if zh else ", ").join(b[1 if zh else 0] for b in rng.sample(BOOSTERS, rng.randint(2, 4))),
    }
    f["kw"] = keywords(scene, lang, f["boost"])
    if edit is not None:
        after = edit.after.subject
        if edit.type == "change_entity":
            ea = _entity(after)
            f.update(a=_attr(after)[1 if zh else 0], n=ea[2 if zh else 0],
                     nn=f"一{ea[3]}{ea[2]}" if zh else _a(ea[0]),
                     e=_entity(edit.before.subject)[2 if zh else 0], t=attr_target(edit.before.subject, lang))
        elif edit.type in ("add_object", "remove_object"):
            o = OBJECTS[edit.obj]
            f.update(o=o[1] if zh else o[0], ot=o[2] if zh else "the " + o[0].split(" ", 1)[1],
                     ot2=o[2] if zh else o[0].split(" ", 1)[1])
        elif edit.type == "change_background":
            b = BACKGROUNDS[edit.after.background]
            f.update(b=b[2] if zh else b[0], pb=b[3] if zh else f"{b[1]} {b[0]}")
        elif edit.type == "change_style":
            st = STYLES[edit.after.style]
            f.update(s=st[2] if zh else st[0], sa=st[2] if zh else st[1])
        elif edit.type == "change_shot":
            f.update(sh=SHOTS[edit.after.shot][1 if zh else 0])
        elif edit.type == "combine_images":
            f.update(e2=_entity(edit.other.subject)[2 if zh else 0])
    return f


def phrase(pool: str, lang: str, split: str, rng: random.Random, fields: dict[str, str]) -> tuple[str, str]:
    """A user message from the split's part of a phrasing pool; returns (text, template)."""
    template = rng.choice(split_pool(PHRASES[pool][lang], split))
    text = template.format(**fields)
    text = re.sub(r"[ \t]+", " ", text).strip()
    if lang == "en" and text:
        text = text[0].upper() + text[1:]
    return _vary_punctuation(text, lang, rng), template


def _vary_punctuation(text: str, lang: str, rng: random.Random) -> str:
    """Users are loose with final punctuation; vary it the same way for every kind of turn
    so it carries no label."""
    r = rng.random()
    if lang == "zh":
        if text.endswith("。"):
            return text[:-1] if r < 0.3 else text
        if text.endswith("？"):
            return text[:-1] if r < 0.15 else text
        if text.endswith(("吗", "呢", "么")):
            return text + "？" if r < 0.8 else text
        if not text.endswith(("！", "!", "?", "？")):
            return text + "。" if r < 0.35 else text + "！" if r < 0.45 else text
        return text
    if text.endswith("."):
        return text[:-1] if r < 0.1 else text
    if text.endswith("?"):
        return text[:-1] if r < 0.05 else text
    if not text.endswith("!"):
        return text + "." if r < 0.5 else text
    return text


# --------------------------------------------------------------------------- conversations


@dataclass
class _State:
    focus: Optional[Scene] = None  # the picture the conversation is about (drawn or attached)
    drawn: Optional[Scene] = None  # the last picture the assistant drew
    attached: Optional[Scene] = None  # the last photo the user attached


def _pick_edit(scene: Scene, edit_type: str, alt: str, other: Optional[Scene]) -> str:
    if can_edit(scene, edit_type, other):
        return edit_type
    if can_edit(scene, alt, other):
        return alt
    return "change_style"


def _image_turn(scene: Scene, lang: str, scenario: str, *, user: str, kind: str, edit: Optional[Edit],
                attached: Optional[Scene], distractor: Optional[int] = None) -> dict:
    prompt = to_prompt(scene, lang)
    turn: dict[str, Any] = {
        "user": user,
        "image": {"caption": caption(attached, lang), "path": None} if attached is not None else None,
        "scenario": scenario,
        "expected": "image",
        "reference": prompt.render(),
        "questions": questions_for(scene, lang, edit, distractor),
        "kind": kind,
        "edit": edit.type if edit else None,
        "prompt": prompt.model_dump(),
    }
    if edit is not None:
        turn["base_prompt"] = to_prompt(edit.before, lang).model_dump()
    return turn


def _text_turn(user: str, scenario: str, *, kind: str, reference: Optional[str], attached: Optional[Scene], lang: str) -> dict:
    return {
        "user": user,
        "image": {"caption": caption(attached, lang), "path": None} if attached is not None else None,
        "scenario": scenario,
        "expected": "text",
        "reference": reference,
        "kind": kind,
    }


_DESCRIBE = re.compile(r"describe|summar|what's in|描述|有什么|总结|拍的是什么", re.I)
_COLOUR = re.compile(r"colou?r|颜色|\{t\} \{a\}|\{t\}是\{a\}")


def _text_reference(template: str, scene: Scene, lang: str, *, drawn: bool = False) -> Optional[str]:
    """A reference reply where the template makes one obvious (``drawn``: the scene is a
    picture the assistant made, described by its prompt rather than a photo caption)."""
    if _DESCRIBE.search(template):
        return to_prompt(scene, lang).render() if drawn else caption(scene, lang)
    if _COLOUR.search(template):
        return _attr(scene.subject)[1 if lang == "zh" else 0]
    if "doing" in template or "在做什么" in template:
        return subject_phrase(scene.subject, lang)
    if "where" in template.lower() or "哪里" in template:
        if scene.background is not None:
            return BACKGROUNDS[scene.background][0 if lang == "en" else 2]
    return None


def _turn(scenario: str, st: _State, topic: str, edit_type: str, alt: str, lang: str, split: str, rng: random.Random) -> dict:
    """One user turn of ``scenario``; updates the conversation state."""
    if scenario == "T->T":
        if st.focus is not None and rng.random() < 0.55:
            text, tpl = phrase("chat_context", lang, split, rng, _fields(st.focus, lang, rng))
            ref = _text_reference(tpl, st.focus, lang, drawn=st.focus == st.drawn)
            return _text_turn(text, scenario, kind="chat", reference=ref, attached=None, lang=lang)
        r = rng.random()
        if r < 0.25:
            kq = split_pool(KNOWLEDGE, split)
            en_q, en_a, zh_q, zh_a = rng.choice(kq)
            return _text_turn(zh_q if lang == "zh" else en_q, scenario, kind="knowledge", reference=zh_a if lang == "zh" else en_a,
                              attached=None, lang=lang)
        pool = "chat_task" if r < 0.6 else "chat_free"
        text, _ = phrase(pool, lang, split, rng, _fields(new_scene(topic, rng), lang, rng))
        return _text_turn(text, scenario, kind="chat", reference=None, attached=None, lang=lang)

    if scenario == "I+T->T":
        photo = new_scene(topic, rng, photo=True, with_extra=edit_type == "remove_object")
        text, tpl = phrase("ask_photo", lang, split, rng, _fields(photo, lang, rng))
        st.attached = st.focus = photo
        return _text_turn(text, scenario, kind="ask", reference=_text_reference(tpl, photo, lang), attached=photo, lang=lang)

    if scenario == "T->I":
        if st.focus is None or rng.random() < 0.12:
            scene = new_scene(topic, rng, with_extra=edit_type == "remove_object")
            text, _ = phrase("new", lang, split, rng, _fields(scene, lang, rng))
            st.focus = st.drawn = scene
            return _image_turn(scene, lang, scenario, user=text, kind="new", edit=None, attached=None,
                               distractor=rng.randrange(len(OBJECTS)) if rng.random() < 0.5 else None)
        other = st.attached if st.attached is not None and st.attached != st.focus else None
        kind = _pick_edit(st.focus, edit_type, alt, other)
        edit = apply_edit(st.focus, kind, rng, other)
        text, _ = phrase(_edit_pool(edit), lang, split, rng, _fields(edit.after, lang, rng, edit))
        st.focus = st.drawn = edit.after
        return _image_turn(edit.after, lang, scenario, user=text, kind="edit", edit=edit, attached=None)

    # I+T->I: change the attached photo, or combine it with the last drawn picture
    photo = new_scene(topic, rng, photo=True, with_extra=edit_type == "remove_object")
    if edit_type == "combine_images" and st.drawn is not None and st.drawn.subject != photo.subject:
        edit = apply_edit(st.drawn, "combine_images", rng, photo)
        pool = "att_combine_images"
    else:
        kind = _pick_edit(photo, edit_type if edit_type != "combine_images" else alt, alt, None)
        edit = apply_edit(photo, kind, rng)
        pool = f"att_{kind}" if f"att_{kind}" in PHRASES and rng.random() < 0.5 else _edit_pool(edit)
        if kind == "change_style" and rng.random() < 0.5:
            pool = "att_generic"
    text, _ = phrase(pool, lang, split, rng, _fields(edit.after, lang, rng, edit))
    st.attached = photo
    st.focus = st.drawn = edit.after
    return _image_turn(edit.after, lang, scenario, user=text, kind="edit", edit=edit, attached=photo)


def _edit_pool(edit: Edit) -> str:
    if edit.type == "change_entity":
        return f"edit_change_entity_{edit.variant}"
    return f"edit_{edit.type}"


def plan(n: int, *, seed: int = 0, langs: Sequence[str] = ("en", "zh"), split: str = "train") -> list[dict]:
    """What each of ``n`` conversations is about: composition, topic, edit type, language.

    Compositions, topics and edit types cycle with periods 64, 13 and 7 (pairwise coprime),
    each in a seed-shuffled order, so any 64 conversations cover every composition, any 13
    every topic, any 7 every edit type, and 5,824 conversations every combination."""
    rng = random.Random(f"dialoggen-plan:{seed}:{split}")
    comps = list(COMPOSITIONS)
    topics = list(TOPIC_NAMES)
    edits = list(EDIT_TYPES)
    for xs in (comps, topics, edits):
        rng.shuffle(xs)
    langs = list(langs)
    return [
        {"composition": comps[i % 64], "topic": topics[i % 13], "edit_type": edits[i % 7],
         "lang": langs[(i + i // 64) % len(langs)]}
        for i in range(n)
    ]


def offline_conversation(i: int, item: dict, *, seed: int, split: str) -> dict:
    """Conversation ``i`` of a split, written from the templates."""
    rng = random.Random(f"dialoggen-conv:{seed}:{split}:{i}")
    edit_type = item["edit_type"]
    alt = rng.choice([e for e in EDIT_TYPES if e not in (edit_type, "combine_images")])
    st = _State()
    turns = [_turn(sc, st, item["topic"], edit_type, alt, item["lang"], split, rng) for sc in item["composition"]]
    return {
        "id": f"gen-{split}-{i:05d}",
        "lang": item["lang"],
        "topic": item["topic"],
        "edit_type": edit_type,
        "source": "generated",
        "composition": " | ".join(item["composition"]),
        "turns": turns,
    }


def generate_conversations(n: int, *, seed: int = 0, langs: Sequence[str] = ("en", "zh"), split: str = "train") -> list[dict]:
    """``n`` offline-generated conversations (dicts valid as :class:`~.dataset.Conversation`),
    the same for the same ``seed`` and ``split``; ``split`` ("train" or "test") also picks
    which half of every phrasing pool is used."""
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', not {split!r}")
    return [offline_conversation(i, item, seed=seed, split=split) for i, item in enumerate(plan(n, seed=seed, langs=langs, split=split))]


# --------------------------------------------------------------------------- teacher mode

EDIT_MEANINGS: dict[str, str] = {
    "change_entity": "change the subject, or its colour or material",
    "add_object": "add an object to the picture",
    "remove_object": "remove an object from the picture",
    "change_background": "change the background",
    "change_style": "change the style",
    "change_shot": "change the camera shot",
    "combine_images": "combine the attached photo with the picture drawn before",
}
_SCENARIO_PLAN = {
    "T->T": "the user writes text -> the assistant answers in text",
    "T->I": "the user writes text -> the assistant draws a picture",
    "I+T->T": "the user attaches a photo and writes text -> the assistant answers in text",
    "I+T->I": "the user attaches a photo and writes text -> the assistant draws a picture",
}
_LANG_NAMES = {"en": "English", "zh": "Chinese (简体中文)"}


def _model_text(model: Any, prompt: str) -> str:
    """One call to a langchain chat model; the reply's text."""
    from langchain_core.messages import HumanMessage

    content = model.invoke([HumanMessage(content=prompt)]).content
    if isinstance(content, list):  # content blocks
        content = "".join(b.get("text", "") if isinstance(b, dict) else str(b) for b in content)
    return str(content)


def parse_json_object(text: str) -> Optional[dict]:
    """The first JSON object in a model reply (code fences and chatter around it ignored)."""
    text = re.sub(r"```(?:json)?", "", text)
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end <= start:
        return None
    try:
        value = json.loads(text[start : end + 1])
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


def _example_json(conv: dict) -> str:
    turns = []
    for t in conv["turns"]:
        image = t["expected"] == "image"
        prompt = {k: t["prompt"][k] for k in ("subject", "background", "shot", "style", "extras")} if image else None
        turns.append({"user": t["user"], "image_caption": (t["image"] or {}).get("caption"),
                      "reply": None if image else (t.get("reference") or "(a short, helpful answer)"), "prompt": prompt,
                      "questions": [{"q": q["q"], "a": q["a"]} for q in t.get("questions") or []] or None})
    return json.dumps({"turns": turns}, ensure_ascii=False, indent=1)


def meta_prompt(item: dict, example: dict) -> str:
    """The meta-prompt (``prompts/generate_meta.md``) for one planned conversation."""
    from string import Template

    from ..prompts import load_prompt

    lines = [f"  {k}. {sc}: {_SCENARIO_PLAN[sc]}" + (" (attaches a photo)" if sc.startswith("I+T") else "")
             for k, sc in enumerate(item["composition"], 1)]
    return Template(load_prompt("generate_meta")).safe_substitute(
        n_turns=len(item["composition"]), lang_name=_LANG_NAMES[item["lang"]], topic=item["topic"],
        edit_type=item["edit_type"], edit_meaning=EDIT_MEANINGS[item["edit_type"]], turn_plan="\n".join(lines),
        example=_example_json(example))


def filter_prompt(conv: dict) -> str:
    """The labelling prompt (``prompts/generate_filter.md``) for a written conversation."""
    from string import Template

    from ..prompts import load_prompt

    lines = []
    for k, t in enumerate(conv["turns"], 1):
        att = f" [attached photo: {t['image']['caption']}]" if t.get("image") else ""
        lines.append(f"{k}. user{att}: {t['user']}")
    return Template(load_prompt("generate_filter")).safe_substitute(lang_name=_LANG_NAMES[conv["lang"]], turns="\n".join(lines))


def _teacher_turn(raw: Any, scenario: str, lang: str) -> Optional[dict]:
    """A turn of the teacher's JSON checked against the plan; None when it does not fit."""
    if not isinstance(raw, dict) or not isinstance(raw.get("user"), str) or not raw["user"].strip():
        return None
    has_image = scenario.startswith("I+T")
    cap = raw.get("image_caption")
    if has_image != bool(isinstance(cap, str) and cap.strip()):
        return None
    turn: dict[str, Any] = {"user": raw["user"].strip(), "image": {"caption": cap.strip(), "path": None} if has_image else None,
                            "scenario": scenario, "expected": "image" if scenario.endswith("->I") else "text"}
    if turn["expected"] == "image":
        p = raw.get("prompt")
        if not isinstance(p, dict) or not p.get("subject"):
            return None
        try:
            prompt = DrawingPrompt(subject=str(p["subject"]), background=str(p.get("background") or ""), shot=str(p.get("shot") or ""),
                                   style=str(p.get("style") or ""), extras=[str(x) for x in p.get("extras") or []], lang=lang)
        except ValueError:
            return None
        qs = [{"q": str(q["q"]), "a": str(q["a"]).strip().lower()} for q in raw.get("questions") or []
              if isinstance(q, dict) and q.get("q") and str(q.get("a", "")).strip().lower() in ("yes", "no")]
        turn.update(reference=prompt.render(), questions=qs or None, prompt=prompt.model_dump())
    else:
        reply = raw.get("reply")
        turn["reference"] = reply.strip() if isinstance(reply, str) and reply.strip() else None
    return turn


def teacher_conversation(model: Any, i: int, item: dict, *, seed: int, split: str, filter_model: Any = None) -> tuple[Optional[dict], str]:
    """Conversation ``i`` written by ``model`` and checked by ``filter_model`` (default the
    same model). Returns (conversation or None, why: "ok", "unparsable", "off-plan" or
    "filtered")."""
    example = offline_conversation(i, item, seed=seed, split=split)
    data = parse_json_object(_model_text(model, meta_prompt(item, example)))
    if data is None or not isinstance(data.get("turns"), list):
        return None, "unparsable"
    if len(data["turns"]) != len(item["composition"]):
        return None, "off-plan"
    turns = [_teacher_turn(raw, sc, item["lang"]) for raw, sc in zip(data["turns"], item["composition"])]
    if any(t is None for t in turns):
        return None, "off-plan"
    conv = {"id": f"gen-{split}-{i:05d}", "lang": item["lang"], "topic": item["topic"], "edit_type": item["edit_type"],
            "source": "generated", "generator": "teacher", "composition": " | ".join(item["composition"]), "turns": turns}
    labels = parse_json_object(_model_text(filter_model or model, filter_prompt(conv)))
    got = labels.get("labels") if labels else None
    if not isinstance(got, list) or [str(x).strip().lower() for x in got] != [t["expected"] for t in turns]:
        return None, "filtered"
    Conversation.model_validate(conv)
    return conv, "ok"


def teacher_conversations(model: Any, n: int, *, seed: int = 0, langs: Sequence[str] = ("en", "zh"), split: str = "train",
                          filter_model: Any = None) -> tuple[list[dict], int]:
    """Up to ``n`` teacher-written conversations (the plan of :func:`plan`), and how many
    were dropped (unparsable, off the plan, or relabelled differently by the filter)."""
    kept: list[dict] = []
    dropped = 0
    for i, item in enumerate(plan(n, seed=seed, langs=langs, split=split)):
        conv, _why = teacher_conversation(model, i, item, seed=seed, split=split, filter_model=filter_model)
        if conv is None:
            dropped += 1
        else:
            kept.append(conv)
    return kept, dropped


# --------------------------------------------------------------------------- command


@bench_app.command("generate")
def generate_command(
    out: Path = typer.Option(..., "--out", help="Folder to write train.jsonl and test.jsonl into."),
    n_train: int = typer.Option(2000, "--n-train", help="Conversations in the train split."),
    n_test: int = typer.Option(500, "--n-test", help="Conversations in the test split."),
    seed: int = typer.Option(0, "--seed", help="Random seed (same seed, same files)."),
    mode: str = typer.Option("offline", "--mode", help="offline (templates) or teacher (a chat model writes, then filters)."),
    teacher: Optional[str] = typer.Option(None, "--teacher", help="Model spec of the teacher chat model (teacher mode), e.g. openai:gpt-4o-mini."),
    langs: str = typer.Option("en,zh", "--langs", help="Comma-separated languages: en, zh."),
    openai_base_url: Optional[str] = typer.Option(None, "--openai-base-url", help="OpenAI-compatible server for an openai: teacher (default: DIALOGGEN_OPENAI_BASE_URL)."),
) -> None:
    """Write a DialogBen-style train and test split (3-turn conversations, en + zh)."""
    from ..agent.errors import ConfigError, InputError

    lang_list = tuple(x.strip() for x in langs.split(",") if x.strip())
    if not lang_list or any(x not in ("en", "zh") for x in lang_list):
        raise InputError("Give --langs as a comma-separated list of en and zh, e.g. --langs en,zh.")
    if n_train < 0 or n_test < 0:
        raise InputError("Give --n-train and --n-test as zero or more conversations.")
    if mode == "offline":
        splits = {"train": generate_conversations(n_train, seed=seed, langs=lang_list, split="train"),
                  "test": generate_conversations(n_test, seed=seed, langs=lang_list, split="test")}
        dropped = {"train": 0, "test": 0}
    elif mode == "teacher":
        if not teacher:
            raise ConfigError("Teacher mode needs a chat model: add --teacher MODEL_SPEC, e.g. --teacher openai:gpt-4o-mini.")
        from ..agent.config import load_settings
        from ..agent.llm.models import load_chat_model

        model = load_chat_model(teacher, openai_base_url=load_settings(openai_base_url=openai_base_url).openai_base_url)
        splits, dropped = {}, {}
        for split, n in (("train", n_train), ("test", n_test)):
            splits[split], dropped[split] = teacher_conversations(model, n, seed=seed, langs=lang_list, split=split)
    else:
        raise InputError(f"Unknown --mode '{mode}': use offline or teacher.")
    for split, convs in splits.items():
        path = Path(out) / f"{split}.jsonl"
        count = write_jsonl(path, convs)
        note = f" ({dropped[split]} dropped by the filter)" if mode == "teacher" else ""
        typer.echo(f"{path}: {count} conversations{note}")
