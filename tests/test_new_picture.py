"""A new picture asked for in the middle of a thread, told apart from an edit of the last one
(``starts_anew``), in both languages, and the scorer that measures it on real text."""

from __future__ import annotations

import json

import pytest

from dialoggen.agent.prompt import DrawingPrompt
from dialoggen.agent.rewriter.new import new_prompt, starts_anew
from dialoggen.agent.rewriter.rule import NEW_PICTURE_NOTICE, RuleRewriter
from dialoggen.agent.schemas import Conversation
from dialoggen.evals import new_picture_eval

EN = new_prompt("draw a corgi running on the beach", "en")
ZH = new_prompt("画一只柯基犬在海边奔跑", "zh")


def _conv(user: str, lang: str, prompt: DrawingPrompt) -> Conversation:
    turns = [{"user": "(earlier)", "modality": "image", "prompt": prompt.model_dump()}]
    return Conversation(user=user, lang=lang, turns=turns)  # type: ignore[arg-type]


# Regression phrasings (ours); the evidence is the real-text figure in docs/RESULTS.md.
NEW_EN = [
    ("Draw this for me: a hot air balloon over a desert town", "asked"),
    ("I'd like a picture of slices of mango on a piece of toast.", "asked"),
    ("Can you draw a crown with a ruby in its center?", "asked"),
    ("a kitchen with a large refrigerator", "described"),
    ("Two kittens sleeping in a basket", "described"),
    ("In an abandoned warehouse, a man bends down to pick up a letter.", "described"),
    ("There are two hourglasses on the bookshelf.", "described"),
    ("The red apple was next to the yellow pear.", "described"),
    ("Cleopatra standing in front of the pyramids", "described"),
]
EDIT_EN = [
    "make it night", "add a cat on the sand", "a hat on the corgi", "The corgi should be black", "a little more contrast please",
    "Can you draw a hot air balloon as well?", "Draw a hat on him", "A bird's-eye view would be nice.", "a night market as the setting",
    "an umbrella would be a nice touch", "The lighting is too harsh", "Dramatic lighting with long shadows", "Come in much closer on the subject.",
    "in watercolor style", "Yes, include people walking through the shallow water.", "a bowl, not a cup!!",
]
NEW_ZH = [
    ("生成图像：一只巨大的水晶乌龟漂浮在空中", "asked"),
    ("请绘制一架由透明水晶制成的三角钢琴，琴键上飞出发光的蝴蝶", "asked"),
    ("一个女人站在金字塔前", "described"),
    ("在夜晚的巴黎埃菲尔铁塔下，一条宁静的街道被布置成发布会现场", "described"),
    ("傍晚时分，古老的金字塔静静矗立在沙漠中，塔身被夕阳染成金色", "described"),
]
EDIT_ZH = [
    "把背景换成雪山", "给它戴上一顶帽子", "一只红狐狸也画上", "不喜欢现在的风格，换成炭笔画吧", "黏土动画，谢谢", "加一只小鸟",
    "在柯基旁边增加一个皮球", "将这张图片转化为漫画风格", "一顶红色的帽子也加上", "背景是一片金色的麦田，远处有一座红色的风车，天空中有晚霞",
]


NEW = [("en", t, how) for t, how in NEW_EN] + [("zh", t, how) for t, how in NEW_ZH]
EDITS = [("en", t) for t in EDIT_EN] + [("zh", t) for t in EDIT_ZH]
LAST = {"en": EN, "zh": ZH}


@pytest.mark.parametrize("lang,text,how", NEW, ids=[t for _, t, _ in NEW])
def test_new_requests_start_anew(lang, text, how):
    assert starts_anew(text, lang, LAST[lang]) == how


@pytest.mark.parametrize("lang,text", EDITS, ids=[t for _, t in EDITS])
def test_edits_stay_edits(lang, text):
    assert starts_anew(text, lang, LAST[lang]) is None


def test_a_request_naming_the_last_main_thing_is_an_edit():
    assert starts_anew("a corgi wearing a tiny crown", "en", EN) is None
    assert starts_anew("一只柯基犬戴着一顶小皇冠", "zh", ZH) is None


def test_the_rewriter_starts_a_described_scene_anew_and_says_so():
    rw = RuleRewriter()
    out = rw.rewrite(_conv("a kitchen with a large refrigerator", "en", EN))
    assert out.subject.lower().startswith("a kitchen") and "corgi" not in out.render().lower() and out.extras == []
    assert rw.last_notice == NEW_PICTURE_NOTICE["en"]
    out = rw.rewrite(_conv("Draw this for me: a lighthouse on a cliff", "en", EN))
    assert "lighthouse" in out.subject and "corgi" not in out.render().lower() and rw.last_notice is None  # asked for: nothing to explain
    out = rw.rewrite(_conv("一个女人站在金字塔前", "zh", ZH))
    assert "柯基" not in out.render() and "女人" in out.subject and rw.last_notice == NEW_PICTURE_NOTICE["zh"]
    out = rw.rewrite(_conv("add a cat on the sand", "en", EN))  # an edit keeps the corgi
    assert "corgi" in out.subject.lower() and "cat" in out.render().lower() and rw.last_notice is None


def test_scorer_counts_both_errors(tmp_path, monkeypatch):
    items = [
        {"lang": "en", "source": "new:x", "text": "a kitchen with a large refrigerator", "first": "draw a corgi", "label": "new"},
        {"lang": "en", "source": "new:x", "text": "make it night", "first": "draw a corgi", "label": "new"},  # a miss
        {"lang": "en", "source": "edit:y", "text": "add a hat", "first": "draw a corgi", "label": "edit"},
        {"lang": "en", "source": "edit:y", "text": "Two kittens sleeping in a basket", "first": "draw a corgi", "label": "edit"},  # a false start
    ]
    out = new_picture_eval.evaluate(items)
    en = out["lang"]["en"]
    assert en["new_read_as_new"] == 0.5 and en["new_n"] == 2 and en["edit_read_as_new"] == 0.5 and en["edit_n"] == 2
    assert en["sources"] == {"edit:y": "1/2 read as new", "new:x": "1/2 read as new"}


def test_scorer_runs_on_the_committed_dev_data(capsys):
    items = new_picture_eval.load_items("dev")
    assert {i["label"] for i in items} == {"new", "edit"} and {i["lang"] for i in items} == {"en", "zh"}
    assert all(i["first"] for i in items)
    assert new_picture_eval.main(["--split", "dev"]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    for lang in ("en", "zh"):  # the figures docs/RESULTS.md reports for this split (without the public dev set's turns)
        assert out["lang"][lang]["new_read_as_new"] >= 0.9 and out["lang"][lang]["edit_read_as_new"] <= 0.01
