"""Vocabulary and phrasing pools for the offline DialogBen-style generator.

The data live in two files under ``evals/data/``, read once at import:

* ``generator_vocabulary.json``, the **scene vocabulary** (:data:`TOPICS`, :data:`BACKGROUNDS`,
  :data:`SHOTS`, :data:`STYLES`, :data:`OBJECTS`, :data:`COLOURS`, ...): the parts a drawing
  prompt is built from, each an ``(english, chinese)`` pair so one scene renders in both
  languages. A topic's ``attrs`` names the pools it draws from (``"COLOURS:6"``: the first six).
* ``generator_phrases.json``, the **phrasing pools** (:data:`PHRASES`): for each kind of user
  turn, a list of English and a list of Chinese templates with ``str.format`` fields (see
  :data:`FIELDS`), then batches of ``additions`` (kinds the first pools lacked), each appended
  with :func:`_extend`. The generator splits every pool into a train part and a test part
  (:func:`split_pool`), so the test split is written in phrasings the train split never uses.

Pools deliberately mix questions, statements, wishes and bare phrases for *both* output
modalities (an image request may be "What if it were a wolf?", a text request may be
"Show me how to cook this at home."), so that no single surface cue gives the answer.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Sequence

DATA_DIR = Path(__file__).parent / "data"

# --------------------------------------------------------------------------- scene parts

#: Fields a phrasing template may use (the generator fills every one for every turn).
FIELDS = (
    "d",  # a whole scene description (new drawing request)
    "np",  # the subject noun phrase, "a red fox" / "一只红色的狐狸"
    "e",  # the subject's short noun, "fox" / "狐狸"
    "es",  # plural ("foxes"; Chinese = e)
    "act",  # the subject's action, "sitting quietly" / "安静地坐着"
    "t",  # the target of a colour/material change, "fox" or "girl's coat"
    "a",  # a colour or material, "white" / "白色"
    "n",  # another entity of the topic, "wolf" / "狼"
    "nn",  # the same with its article, "a wolf" / "一只狼"
    "s",  # a style name, "watercolor" / "水彩"
    "sa",  # a style as a thing, "a watercolor painting" (Chinese = s)
    "b",  # a background, "a forest in fog" / "雾中的森林"
    "pb",  # a background with its preposition, "in a forest in fog" / "雾中的森林里"
    "sh",  # a shot, "a close-up" / "特写"
    "o",  # an object with its article, "a small wooden boat" / "一只小木船"
    "ot",  # the object, definite, "the small wooden boat" / "小木船"
    "e2",  # the subject of a second image (combine), "cat" / "猫"
    "topic",  # the topic word, "animal" / "动物"
    "s1",
    "s2",  # two style names, for comparisons
    "ot2",  # the object without article, "small wooden boat" / "小木船"
    "np2",  # the bare entity with its article, "a fox" / "狐狸"
    "qt",  # a short text to render or quote, "Open Late" / "欢迎光临"
    "ar",  # an artist or studio name, "Claude Monet" / "莫奈"
    "boost",  # prompt-style quality keywords, "highly detailed, 8K" / "细节丰富，8K"
    "kw",  # the whole scene as comma-separated prompt keywords
)

EDIT_TYPES: tuple[str, ...] = (
    "change_entity", "add_object", "remove_object", "change_background", "change_style", "change_shot", "combine_images",
)


def _tuples(rows: list) -> list[tuple]:
    return [tuple(r) for r in rows]


def _load_vocabulary(path: Path = DATA_DIR / "generator_vocabulary.json") -> dict[str, Any]:
    """The vocabulary file with its rows as tuples and each topic's ``attrs`` resolved."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    vocab: dict[str, Any] = {name: _tuples(rows) for name, rows in raw.items() if name != "topics"}
    topics: dict[str, dict] = {}
    for name, t in raw["topics"].items():
        attrs: list[tuple] = []
        for ref in t["attrs"]:  # "COLOURS" or "COLOURS:6" (the first six)
            pool, _, n = ref.partition(":")
            rows = vocab[pool.lower()]
            attrs += rows[: int(n)] if n else rows
        topics[name] = {k: (tuple(v) if k in ("word", "garment") else attrs if k == "attrs" else _tuples(v)) for k, v in t.items()}
    vocab["topics"] = topics
    return vocab


def _extend(pool: list[str], train: Sequence[str], test: Sequence[str]) -> None:
    """Append ``train`` and ``test`` templates to ``pool`` at the positions
    :func:`split_pool` gives to each split (every third position is test)."""
    train, test = list(train), list(test)
    while train or test:
        slot = test if len(pool) % 3 == 2 else train
        if not slot:
            raise ValueError(f"_extend: {len(train)} train / {len(test)} test templates left that do not fit 2:1 at {pool[-1]!r}")
        pool.append(slot.pop(0))


def _load_phrases(path: Path = DATA_DIR / "generator_phrases.json") -> tuple[dict[str, dict[str, list[str]]], list[dict]]:
    """The phrasing pools with every batch of additions applied, and the batches themselves."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    pools = raw["pools"]
    for batch in raw["additions"]:
        for name, langs in batch["pools"].items():
            for lang, added in langs.items():
                _extend(pools[name][lang], added["train"], added["test"])
    return pools, raw["additions"]


_VOCAB = _load_vocabulary()
COLOURS: list[tuple[str, str]] = _VOCAB["colours"]
MATERIALS: list[tuple[str, str]] = _VOCAB["materials"]
FABRICS: list[tuple[str, str]] = _VOCAB["fabrics"]
FLAVOURS: list[tuple[str, str]] = _VOCAB["flavours"]
#: Each topic: its word, entities ``(en, en_plural, zh, zh_measure)``, attributes (colour,
#: material, ...), actions that fit every entity, and an optional garment: when set, the
#: attribute colours the garment ("a girl in a red coat") instead of the entity.
TOPICS: dict[str, dict] = _VOCAB["topics"]
#: Backgrounds: (english, english preposition, chinese, chinese locative form).
BACKGROUNDS: list[tuple[str, str, str, str]] = _VOCAB["backgrounds"]
#: Shots: (english, chinese).
SHOTS: list[tuple[str, str]] = _VOCAB["shots"]
#: Styles: (english name, english "as a thing", chinese name).
STYLES: list[tuple[str, str, str]] = _VOCAB["styles"]
#: Objects that can be added to or removed from a scene: (english with article, chinese with measure word, chinese bare).
OBJECTS: list[tuple[str, str, str]] = _VOCAB["objects"]
#: Short texts a picture may show (a sign, a caption, a speech bubble) or a user may quote: (english, chinese).
QUOTES: list[tuple[str, str]] = _VOCAB["quotes"]
#: Artists and studios users name in prompts or ask about: (english, chinese).
ARTISTS: list[tuple[str, str]] = _VOCAB["artists"]
#: Quality keywords of prompt-style requests: (english, chinese).
BOOSTERS: list[tuple[str, str]] = _VOCAB["boosters"]
#: Knowledge questions that mention visual words but want a text answer: (en q, en a, zh q, zh a).
KNOWLEDGE: list[tuple[str, str, str, str]] = _VOCAB["knowledge"]

#: Phrasing pools by turn kind. ``new_*``: a first drawing request; ``edit_*``: a change to
#: the picture in focus; ``att_*``: a change to an attached photo; ``ask_photo``: a question
#: about an attached photo (text); ``chat_*``: a text turn.
PHRASES, ADDITIONS = _load_phrases()


def split_pool(pool: Sequence[str], split: str) -> list[str]:
    """The part of a phrasing pool a split uses: every third template (from the third) is
    test-only, the rest train-only; pools of fewer than three are shared."""
    if len(pool) < 3:
        return list(pool)
    if split == "test":
        return [p for i, p in enumerate(pool) if i % 3 == 2]
    return [p for i, p in enumerate(pool) if i % 3 != 2]
