"""Offline zh->en of drawing prompts (issue 13, session 4): names, adverbs, demonyms, localizers,
"made of", "-like", particles, and the UniGenBench drawing-prompt set the translator is measured on."""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

import pytest

pytest.importorskip("jieba")

from dialoggen.agent.offline import translate as tr  # noqa: E402
from dialoggen.agent.prompt import DrawingPrompt  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
HAN = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(scope="module")
def res():
    return tr.load()


def en(text: str) -> str:
    return tr.zh_to_en(text)[0]


@pytest.mark.parametrize("zh, name", [("在未来的上海", "Shanghai"), ("流动的梵高星空", "Vincent Van Gogh"),
                                      ("英国的街道", "United Kingdom")])
def test_names_cc_cedict_gives_with_a_cross_reference_or_a_description_are_kept(res, zh, name):
    # 上海's CC-CEDICT sense is "Shanghai municipality, ..., abbr. to 滬|沪[Hu4]"; 梵高's has a long
    # description; both used to be dropped, so 上海 came out as 上 + 海, "on top ocean"
    out, missing = tr.zh_to_en(zh)
    assert name in out and missing == []
    assert "ocean" not in out


def test_an_unknown_foreign_name_is_reported_not_spelt_out(res):
    # 艾伯特 (Albert) is in no lexicon; character by character it would read "Chinese mugwort or wormwood, father's elder brother, special"
    p = DrawingPrompt(subject="艾伯特站在金字塔前", lang="zh")
    r = tr.translate_prompt(p, "en")
    assert "pyramid" in r.prompt.subject and "elder" not in r.prompt.subject and "special" not in r.prompt.subject
    assert "艾伯特" in r.notice and not HAN.search(r.prompt.render())


@pytest.mark.parametrize("zh", ["一只黑狗在草地上", "小鹿在远山前", "静静的湖"])
def test_ordinary_words_jieba_tags_as_names_are_still_translated(res, zh):
    out, missing = tr.zh_to_en(zh)
    assert missing == [] and out


@pytest.mark.parametrize("zh, expected", [
    ("它好奇地望着", "curiously"), ("老鼠安静地沉睡", "quietly"), ("微微垂头", "slightly"), ("静静地躺着", "quietly"),
    ("她专注地看着", "intently"), ("轻轻地扶起", "gently"), ("一个男孩正在慢慢地走", "a boy slowly walking"),
])
def test_adverbs_of_manner(res, zh, expected):
    assert expected in en(zh)


def test_a_country_before_a_noun_reads_as_its_adjective(res):
    assert en("埃及金字塔") == "Egyptian pyramid"
    assert "Egypt" in en("在埃及") and "Egyptian" not in en("在埃及")


@pytest.mark.parametrize("zh, expected", [
    ("水晶般的犄角", "crystal-like horn"), ("由奶酪制成的比萨斜塔", "Leaning Tower of Pisa made of cheese"),
    ("一只由透明琉璃构成的巨鲸", "giant whale made of transparent glass"),
])
def test_like_and_made_of(res, zh, expected):
    assert expected in en(zh)


@pytest.mark.parametrize("zh, expected", [
    ("一个透明玻璃杯的上方", "above the drinking glass"), ("在桌子的上方", "above the table"),
    ("宝塔的右下方", "lower right of the pagoda"), ("旁边放着一个柠檬", "nearby"), ("画面中央是一只猫", "in the center of the picture"),
])
def test_localizers_after_de_in_corners_and_alone(res, zh, expected):
    out = en(zh)
    assert expected in out and "square" not in out and "one side" not in out


@pytest.mark.parametrize("zh, expected", [("被遗弃的赛博朋克城市", "cyberpunk"), ("一个拟人化的台灯", "anthropomorphic"),
                                          ("纪实摄影风格", "documentary photography"), ("一行英文", "a line of English"),
                                          ("发光的水母", "glowing"), ("温暖的油画质感", "texture")])
def test_drawing_prompt_vocabulary(res, zh, expected):
    assert expected in en(zh)


def test_directional_complements_add_no_words(res):
    assert "go out" not in en("营造出神秘的氛围") and "create" in en("营造出神秘的氛围")


def test_build_lexicon_keeps_names_and_drops_cross_references():
    sys.path.insert(0, str(ROOT / "evals" / "corpora"))
    try:
        from build_lexicon import clean
    finally:
        sys.path.pop(0)
    assert clean("Shanghai municipality, central east China, abbr. to 滬|沪[Hu4]", True) == ("Shanghai", "n")
    assert clean("United Kingdom 聯合王國|联合王国[Lian2 he2 wang2 guo2]", True) == ("United Kingdom", "n")
    assert clean("Baoji prefecture-level city in Shaanxi", True) == ("Baoji", "n")
    assert clean("Chinese painting", True) == ("Chinese painting", "n")  # a lowercase word after a name is not a description
    assert clean("Leaning Tower of Pisa", True) == ("Leaning Tower of Pisa", "n")
    assert clean("same as 閻羅|阎罗[Yan2 luo2]") is None  # what is left once the reference is cut says nothing
    assert clean("to deal with") == ("deal with", "v")  # a common sense ending in a preposition is kept


def test_name_characters_file_marks_name_spelling_characters():
    text = (tr.DATA / "name_chars.txt").read_text(encoding="utf-8")
    assert "CC-CEDICT" in text and "build_lexicon.py" in text
    chars = set("".join(ln for ln in text.splitlines() if not ln.startswith("#")))
    assert set("萨帕") <= chars and not set("狗黑静") & chars


def test_unigen_prompt_set_is_committed_with_its_source_licence_and_a_fixed_split():
    from dialoggen.evals.corpora import parallel_prompts as pp

    path = ROOT / "evals" / "data" / "translate" / "parallel_unigen.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 1200 and {r["source"] for r in rows} == {"unigen-short", "unigen-long"}
    assert all(r["zh"] and r["en"] and r["split"] == pp.split3_of(r["image"]) for r in rows)
    by_index: dict[str, set[str]] = {}
    for r in rows:
        by_index.setdefault(r["image"], set()).add(r["split"])
    assert all(len(s) == 1 for s in by_index.values())  # short and long form of one prompt share a split
    assert 0.28 < sum(r["split"] == "usealed" for r in rows) / len(rows) < 0.38
    m = json.loads((path.parent / "parallel.manifest.json").read_text(encoding="utf-8"))["unigen"]
    assert m["committed"] is True and "CC BY 4.0" in m["sources"]["unigenbench"]["licence"]
    assert m["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()


def test_sense_choice_never_reads_a_sealed_split(tmp_path, monkeypatch):
    from dialoggen.evals.corpora import build_gloss_choice as bgc

    unigen = ROOT / "evals" / "data" / "translate" / "parallel_unigen.jsonl"
    rows = [json.loads(line) for line in unigen.read_text(encoding="utf-8").splitlines()]
    (tmp_path / "parallel_unigen.jsonl").write_text(unigen.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "parallel.jsonl").write_text(json.dumps({"zh": "狗", "en": "dog", "split": "sealed"}) + "\n" +
                                             json.dumps({"zh": "猫", "en": "cat", "split": "dev"}) + "\n", encoding="utf-8")
    (tmp_path / "parallel_native.jsonl").write_text(
        json.dumps({"zh": "鸟", "en": "bird", "en_refs": ["bird"], "split": "sealed2"}) + "\n", encoding="utf-8")
    monkeypatch.setattr(bgc, "DATA", tmp_path)
    got = [zh for zh, _ in bgc.dev_items()]
    assert "鸟" not in got and "猫" in got and "狗" in got  # sealed2 skipped; the old sealed split is spent, read as dev
    sealed = {r["zh"] for r in rows if r["split"] == "usealed"}
    dev = [r["zh"] for r in rows if r["split"] == "udev"]
    assert sealed and not sealed & set(got)
    assert got.count(dev[0]) == bgc.PROMPT_WEIGHT  # a drawing prompt counts as PROMPT_WEIGHT caption items


@pytest.mark.parametrize("zh, expected", [("一只毛色鲜艳的金刚鹦鹉", "macaw"), ("一只聪明的边境牧羊犬", "border")])
def test_long_cc_cedict_words_jieba_lacks_stay_one_word(res, zh, expected):
    assert expected in en(zh) and "diamond" not in en(zh)


@pytest.mark.parametrize("zh, expected", [("一只在埃及金字塔前奔跑的柯基犬", "corgi"), ("一只柴犬", "Shiba Inu"),
                                          ("新海诚风格的天空", "Makoto Shinkai"), ("水豚", "capybara")])
def test_popular_drawing_subjects_are_not_glossed_character_by_character(res, zh, expected):
    out = en(zh)  # 柯基犬 read "tree branch base dog", 柴犬 "firewood dog", 水豚 "water suckling pig"
    assert expected in out and "tree branch" not in out and "firewood" not in out and "suckling" not in out


def test_moon_measure_words_read_as_an_article_and_compounds_stay_whole(res):
    # 一轮满月 read "first round or stage full moon"; 轮 must not become a measure word everywhere (三轮车)
    assert tr.zh_to_en("一轮满月")[0] == "a full moon"
    assert tr.zh_to_en("一弯新月")[0] == "a new moon"
    assert tr.zh_to_en("一辆三轮车")[0] == "a tricycle"
