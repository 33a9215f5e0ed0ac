"""en->zh prompt translation (issue 13, session 4): phrases, lemmas, Chinese order, measure words."""

from __future__ import annotations

import json
import re

import pytest

pytest.importorskip("jieba")
pytest.importorskip("simplemma")

from dialoggen.agent.offline import translate as tr  # noqa: E402
from dialoggen.agent.prompt import DrawingPrompt  # noqa: E402

LATIN = re.compile(r"[A-Za-z]")


def zh(text: str) -> str:
    out, missing = tr.en_to_zh(text)
    assert missing == [] and not LATIN.search(out), (text, out, missing)
    return out


def test_multi_word_phrases_win_over_word_by_word():
    assert "放大镜" in zh("a magnifying glass")
    assert "埃菲尔铁塔" in zh("the Eiffel Tower")
    assert "大熊猫" in zh("a giant panda")
    assert zh("an ink painting") == "一幅水墨画"
    assert zh("a cup on the left") == "一个杯子在左边"


def test_inflected_words_are_looked_up_by_lemma():
    assert zh("a dog running") == "一只狗奔跑"
    assert zh("cats") == "猫"
    assert "睡觉" in zh("a fox sleeping quietly")
    assert zh("a fox sleeping quietly").endswith("安静地睡觉")  # the adverb goes before its verb, with 地


def test_unknown_derived_words_fall_back_to_their_base():
    assert zh("yellowish") == "黄色" and zh("archaeological") == "考古"


def test_prepositional_phrases_take_chinese_order():
    assert zh("a cat on the table") == "桌子上的一只猫"
    assert zh("a dog running on the grass") == "一只狗在草地上奔跑"
    assert zh("birds sit on the tree") == "鸟坐在树上"
    assert zh("On the chessboard, a black king") == "在棋盘上，一个黑色国王"
    assert zh("a train running along the tracks") == "一列火车沿着轨道奔跑"


def test_verb_object_place_and_style():
    assert zh("a man performing a trick in a park") == "一个男人在公园里表演一个技巧"
    assert zh("a scene in the style of ink painting") == "一个场景水墨画风格"
    assert zh("an old man staring at the sky") == "一个老人凝视天空"  # staring: stare, not star (星星); "at" marks the object
    assert "地" not in zh("a lonely red high heel")  # lonely is an adjective, not an adverb


def test_chained_modifiers_keep_every_noun():
    assert zh("a man with a hat on the table") == "桌子上的有帽子的一个男人"  # no noun phrase is lost


def test_of_phrases_and_quantity_nouns():
    assert zh("the cockpit of a crashed starship") == "坠毁的星舰的驾驶舱"
    assert zh("a group of birds") == "一群鸟"


def test_measure_words_and_articles():
    assert zh("two dogs") == "两只狗"
    assert zh("a car") == "一辆汽车"
    assert zh("the car") == "汽车"
    assert zh("a huge fox") == "一只巨大的狐狸"
    r = tr.translate_prompt(DrawingPrompt(subject="a cat", background="a forest", lang="en"), "zh")
    assert r.prompt.subject == "一只猫" and r.prompt.background == "森林"  # only the subject is counted


def test_untranslatable_english_stays_and_is_named():
    r = tr.translate_prompt(DrawingPrompt(subject="a dog named Zorblax on the grass", lang="en"), "zh")
    assert "Zorblax" in r.prompt.subject and "草地" in r.prompt.subject
    assert r.untranslated == [("subject", "Zorblax")]
    assert r.notice == "Could not translate 'Zorblax' into Chinese; the drawing text keeps it in English."


def test_en_zh_lexicon_records_source_and_licence():
    data = json.loads((tr.DATA / "en_zh_lexicon.json").read_text(encoding="utf-8"))
    assert "CC-CEDICT" in data["_about"] and "CC BY-SA 4.0" in data["_about"]
    assert data["_source"]["licence"] == "CC BY-SA 4.0" and len(data["_source"]["sha256"]) == 64
    assert data["cedict"]["fox"] == "狐狸" and data["measure"]["猫"] == "只" and data["words"]["the picture"] == "画面"


def test_scorer_counts_content_words_and_bigrams():
    from dialoggen.evals import translate_eval_zh as ev

    assert ev.content_words("一只可爱的猫在桌子上") == {"可爱", "猫", "桌子", "上"}
    assert "两只" in ev.content_words("两只狗") or "两" in ev.content_words("两只狗")  # numerals other than 一 count
    assert ev.bigrams("红色的花，蓝天") == {"红色": 1, "色的": 1, "的花": 1, "蓝天": 1}
    rep = ev.evaluate([{"en": "a cat on the table", "zh": "桌子上的猫"}])
    assert rep["recall"] == 1.0 and rep["clean"] == 1.0 and rep["with_notice"] == 0.0
