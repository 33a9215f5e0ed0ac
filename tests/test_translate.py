"""The offline zh<->en translator of drawing prompts (jieba + CC-CEDICT subset + curated lexicon)."""

from __future__ import annotations

import json
import random
import re

import pytest

pytest.importorskip("jieba")

from dialoggen.agent.offline import translate as tr  # noqa: E402
from dialoggen.agent.prompt import DrawingPrompt  # noqa: E402

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


@pytest.fixture(scope="module")
def res():
    return tr.load()


def en(text: str) -> str:
    out, _ = tr.zh_to_en(text)
    return out


def test_frames_shots_styles_of_a_prompt(res):
    p = DrawingPrompt(subject="一只在草地上奔跑的小狗", background="森林", shot="中景", style="写实", extras=["阳光明媚"], lang="zh")
    r = tr.translate_prompt(p, "en")
    assert r.prompt.lang == "en" and r.notice == ""
    assert r.prompt.shot == "a medium shot" and r.prompt.style == "realistic" and r.prompt.background == "forest"
    assert r.prompt.subject == "a small dog running on the grass"
    assert r.prompt.render() == (
        "A small dog running on the grass. Sunny. The background is forest. The shot is a medium shot. The style is realistic."
    )


@pytest.mark.parametrize(
    "zh, expected",
    [("特写", "close-up"), ("远景", "wide shot"), ("中景", "medium shot"), ("水彩", "watercolor"), ("油画", "oil painting"),
     ("动漫", "anime"), ("写实", "realistic"), ("背景是森林", "the background is forest"), ("风格是水彩", "the style is watercolor"),
     ("镜头是特写", "the shot is close-up")],
)
def test_shots_styles_and_sentence_frames(res, zh, expected):
    assert en(zh) == expected


@pytest.mark.parametrize(
    "zh, expected",
    [("一只猫", "a cat"), ("两只猫", "two cats"), ("三只白色的狗", "three white dogs"), ("一个苹果", "an apple"),
     ("一群鸟", "a group of birds"), ("一艘船", "a boat"), ("几艘大船", "several large boats")],
)
def test_measure_words(res, zh, expected):
    assert en(zh) == expected


@pytest.mark.parametrize(
    "zh, expected",
    [("在草地上奔跑的小狗", "small dog running on the grass"),  # 在X上Y的Z -> Z Y on X
     ("一只在桌子上睡觉的猫", "a cat sleeping on the table"),
     ("桌子上的电脑", "computer on the table"),
     ("一个男人在街上骑自行车", "a man riding bike on the street"),
     ("两只猫坐在桌子上", "two cats sitting on the table"),
     ("一只鸟在树下", "a bird under the tree")],
)
def test_location_and_relative_clause_patterns(res, zh, expected):
    assert en(zh) == expected


@pytest.mark.parametrize("zh, name, description", [("宫崎骏", "Miyazaki Hayao", "director"), ("东京", "Tokyo", "capital")])
def test_proper_names_come_without_the_dictionarys_description(res, zh, name, description):
    p = DrawingPrompt(subject="一只狐狸", style=zh, lang="zh")
    style = tr.translate_prompt(p, "en").prompt.style
    assert name.lower() in style.lower() and description not in style


def test_colours(res):
    assert en("一辆红色的汽车") == "a red car"
    assert en("蓝色的天空") == "blue sky"


def test_no_chinese_character_ever_in_english(res):
    rng = random.Random(7)
    words = [w for w in list(res.gloss)[::50] if HAN.search(w)] + list(res.curated)
    for _ in range(300):
        text = "".join(rng.choice(words) for _ in range(rng.randint(1, 8)))
        out, _ = tr.zh_to_en(text)
        assert not HAN.search(out), (text, out)
    # characters no resource knows (rare CJK extension A) are left out and reported
    out, missing = tr.zh_to_en("一只㐀㐁狗")
    assert out == "a dog" and not HAN.search(out) and "㐀" in missing


def test_untranslatable_word_yields_a_notice_not_cjk(res):
    p = DrawingPrompt(subject="一只㐀狗", style="水彩", lang="zh")
    r = tr.translate_prompt(p, "en")
    assert not HAN.search(r.prompt.render())
    assert r.untranslated == [("subject", "㐀")]
    assert r.notice == "Could not translate '㐀' into English; the drawing text leaves it out."


def test_same_language_is_returned_unchanged(res):
    p = DrawingPrompt(subject="a cat", lang="en")
    r = tr.translate_prompt(p, "en")
    assert r.prompt == p and r.notice == ""


def test_en_to_zh_with_the_reversed_lexicon(res):
    p = DrawingPrompt(subject="a dog running on the grass", background="a forest", shot="a close-up", style="watercolor", lang="en")
    r = tr.translate_prompt(p, "zh")
    assert r.prompt.lang == "zh"
    assert r.prompt.shot == "特写" and r.prompt.style == "水彩" and r.prompt.background == "森林"
    assert r.prompt.subject == "一只狗在草地上奔跑"
    assert r.prompt.render().endswith("背景是森林。镜头是特写。风格是水彩。")


def test_en_to_zh_keeps_unknown_english_and_says_so(res):
    r = tr.translate_prompt(DrawingPrompt(subject="a dog named Zorblax", lang="en"), "zh")
    assert "Zorblax" in r.prompt.subject
    assert r.notice == "Could not translate 'Zorblax' into Chinese; the drawing text keeps it in English."


def test_lexicon_data_records_source_and_licence():
    head = (tr.DATA / "cedict_subset.tsv").read_text(encoding="utf-8").splitlines()[:4]
    assert any("CC-CEDICT" in h for h in head) and any("CC BY-SA 4.0" in h for h in head)
    assert (tr.DATA / "cedict_subset.tsv").stat().st_size < 5_000_000
    dom = json.loads((tr.DATA / "domain_lexicon.json").read_text(encoding="utf-8"))
    assert {"frames", "shots", "styles", "colours", "measure_words", "localizers", "words"} <= set(dom)
