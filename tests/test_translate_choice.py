"""Issue 13 (session 3): CC-CEDICT senses chosen on dev captions, the native dev2/sealed2 set and its scorer."""

from __future__ import annotations

import json
import re

import pytest

pytest.importorskip("jieba")
pytest.importorskip("simplemma")

from dialoggen.agent.offline import translate as tr  # noqa: E402
from dialoggen.evals import translate_eval as te  # noqa: E402
from dialoggen.evals.corpora import parallel_prompts as pp  # noqa: E402

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


@pytest.fixture(scope="module")
def res():
    return tr.load()


def test_chosen_senses_are_cedict_senses_with_source_and_licence(res):
    lines = (tr.DATA / "gloss_choice.tsv").read_text(encoding="utf-8").splitlines()
    assert any("CC BY-SA 4.0" in h for h in lines[:3]) and any("dev items only" in h for h in lines[:3])
    rows = [ln.split("\t") for ln in lines if ln and not ln.startswith("#")]
    assert len(rows) > 100
    for zh, gloss, pos, items, gain in rows:
        assert HAN.search(zh) and not HAN.search(gloss) and pos in {"n", "v"}
        assert int(items) >= 3 and float(gain) >= 3.0
        assert len(te.content_words(gloss)) <= 3


def test_chosen_senses_change_the_translation(res):
    plain = tr._Resources(choices=False)
    assert plain.word("滑梯") != "slide" and res.word("滑梯") == "slide"
    assert res.word("长凳") == "bench" and res.word("人") == "person"  # 人 is kept on purpose
    out, missing = tr.zh_to_en("孩子们在公园的滑梯上玩")
    assert "slide" in out and not HAN.search(out) and missing == []


def test_next_to_and_dropped_particles(res):
    assert tr.zh_to_en("椅子旁边的狗")[0] == "dog next to the chair"
    assert tr.zh_to_en("蓝白相间的旗子")[0] == "blue and white flag"


def test_adjectives_jieba_tags_as_verbs_stay_adjectives(res):
    assert tr.zh_to_en("可爱的小狗")[0] == "cute small dog"
    assert tr.zh_to_en("开心的孩子")[0] == "happy child"
    assert tr.zh_to_en("一个微笑的女人")[0] == "a woman smiling"  # a real verb still makes a relative clause
    assert tr.zh_to_en("滑雪运动员")[0] == "skier"


def test_native_split_is_a_fixed_third_by_image():
    splits = [pp.split2_of(f"img{i}.jpg") for i in range(3000)]
    assert set(splits) == {"dev2", "sealed2"}
    assert 0.28 < splits.count("sealed2") / 3000 < 0.38
    assert pp.split2_of("1000268201_693b08cb0e.jpg") == pp.split2_of("1000268201_693b08cb0e.jpg")
    assert pp.split_of("flickr8k-cn:1000268201_693b08cb0e.jpg") in {"dev", "sealed"}  # the old split is unchanged


def test_multi_reference_scoring_takes_the_best_caption(monkeypatch):
    rows = [{"zh": "一只狗在草地上奔跑", "en": "x", "en_refs": ["A cat sleeps on a sofa .", "A dog runs on the grass ."], "split": "dev2"}]
    got = te.evaluate(rows)
    assert got["recall"] == 1.0 and got["precision"] == 1.0 and got["precision_any"] == 1.0 and got["clean"] == 1.0
    rows[0]["en_refs"] = ["A cat sleeps on a sofa ."]
    got = te.evaluate(rows)
    assert got["recall"] == 0.0 and got["precision_any"] == 0.0


def test_manifest_records_both_sets_and_the_old_hash():
    m = json.loads((te.Path(te.__file__).parent / "data" / "translate" / "parallel.manifest.json").read_text(encoding="utf-8"))
    assert m["sha256"] == "7ec70028eda833c1c8edb08c47db4419d1e60cb3e18feff1c68214be91206b65"  # the first set, as measured before
    native = m["native"]
    assert native["committed"] is False and "licence" in native["sources"]["flickr8k-cn-zhc"]
    assert set(native["counts"]) == {"flickr8k-cn-zhc/dev2", "flickr8k-cn-zhc/sealed2"}
