"""The offline rule rewriter: edits change only what the request touches (byte-identical
elsewhere), new prompts lose their request wrapper and get defaults, Chinese renders with
Chinese frames, and the labelled edit set meets its targets."""

from __future__ import annotations

import json
import time

import pytest

from dialoggen.agent.prompt import PARTS, DrawingPrompt
from dialoggen.agent.rewriter.rule import DEFAULTS, RuleRewriter, classify, new_prompt, prompt_from_caption, starts_over
from dialoggen.agent.schemas import Conversation
from dialoggen.agent.roles import Rewriter
from dialoggen.evals import edits as edit_set

EN = DrawingPrompt(
    subject="A ginger cat wearing a red hat sleeps on a windowsill",
    background="a cosy living room",
    shot="a medium shot",
    style="watercolor",
    extras=["A potted plant stands beside the cat"],
    lang="en",
)
ZH = DrawingPrompt(
    subject="一只橘猫戴着红色的帽子在窗台上睡觉",
    background="温馨的客厅",
    shot="中景",
    style="水彩",
    extras=["猫旁边放着一盆绿植"],
    lang="zh",
)
EN_CAPTION = "A golden retriever lying on a lawn."
ZH_CAPTION = "一只趴在草坪上的金毛犬。"

# (base, request, edit type, changed parts, keywords in the changed part, words gone from it)
CASES = [
    (EN, "Replace the cat with a dog.", "change_entity", {"subject"}, ["dog"], ["cat"]),
    (EN, "Make the hat blue.", "change_entity", {"subject"}, ["blue hat"], ["red"]),
    (EN, "Make it out of black raven feathers.", "change_entity", {"subject"}, ["made of black raven feathers"], []),
    (EN, "Yes, include people walking through the shallow water.", "add_object", {"extras"}, ["People walking through the shallow water"], []),
    (EN, "Get rid of the hat, please.", "remove_object", {"subject"}, ["cat sleeps"], ["hat"]),
    (EN, "Remove the plant.", "remove_object", {"extras"}, [], ["plant"]),
    (EN, "Could we move it to a sandy beach?", "change_background", {"background"}, ["sandy beach"], ["living room"]),
    (EN, "make it night", "change_background", {"background"}, ["night"], []),
    (EN, "I want it to be very realistic.", "change_style", {"style"}, ["very realistic"], ["watercolor"]),
    (EN, "zoom in", "change_shot", {"shot"}, ["close-up"], []),
    (EN, "Show it from a low angle.", "change_shot", {"shot"}, ["low-angle"], []),
    (ZH, "把猫换成狗", "change_entity", {"subject"}, ["狗"], ["猫"]),
    (ZH, "把帽子改成蓝色的", "change_entity", {"subject"}, ["蓝色的帽子"], ["红色"]),
    (ZH, "加一只小鸟", "add_object", {"extras"}, ["一只小鸟"], []),
    (ZH, "去掉帽子", "remove_object", {"subject"}, ["橘猫在窗台上睡觉"], ["帽子"]),
    (ZH, "背景改成海边", "change_background", {"background"}, ["海边"], []),
    (ZH, "改成晚上", "change_background", {"background"}, ["夜"], []),
    (ZH, "换成素描风格", "change_style", {"style"}, ["素描"], ["水彩"]),
    (ZH, "换成油画风格", "change_style", {"style"}, ["油画"], ["水彩"]),
    (ZH, "来个特写", "change_shot", {"shot"}, ["特写"], ["中景"]),
]


def _conv(user: str, lang: str, prompt: DrawingPrompt | None = None, attachment: str | None = None, earlier: str | None = None) -> Conversation:
    turns = []
    if prompt is not None:
        turns.append({"turn": 1, "user": "", "lang": lang, "modality": "image", "prompt": prompt.model_dump()})
    if earlier is not None:
        turns.append({"turn": len(turns) + 1, "user": "", "lang": lang, "modality": "text", "attachment": {"path": "", "sha256": "e", "caption": earlier}})
    att = {"path": "", "sha256": "a", "caption": attachment} if attachment else None
    return Conversation(user=user, lang=lang, turns=turns, attachment=att)  # type: ignore[arg-type]


def test_implements_the_rewriter_role():
    rw = RuleRewriter()
    assert isinstance(rw, Rewriter)
    assert rw.name == "offline"
    from dialoggen.agent.roles import clear_cache, resolve

    clear_cache()
    assert isinstance(resolve("rewrite", "offline"), RuleRewriter)
    clear_cache()


@pytest.mark.parametrize("base,request_,etype,changed,keywords,gone", CASES, ids=[c[1] for c in CASES])
def test_each_edit_type_changes_only_its_part(base, request_, etype, changed, keywords, gone):
    kinds = [e.kind for e in classify(request_, base.lang, base)]
    assert kinds == [etype]
    out = RuleRewriter().edit(base, request_)
    for part in PARTS:
        if part in changed:
            assert getattr(out, part) != getattr(base, part), part
        else:  # byte-identical: the very same Python object
            assert getattr(out, part) is getattr(base, part), part
    text = " | ".join(out.extras) if changed == {"extras"} else getattr(out, next(iter(changed)))
    for kw in keywords:
        assert kw in text
    for word in gone:
        assert word not in text
    assert out.lang == base.lang


@pytest.mark.parametrize("base,request_,etype,changed,keywords,gone", CASES[:3] + CASES[11:14], ids=[c[1] for c in CASES[:3] + CASES[11:14]])
def test_untouched_sentences_render_identically(base, request_, etype, changed, keywords, gone):
    out = RuleRewriter().rewrite(_conv(request_, base.lang, base))
    before, after = base.sentences(), out.sentences()
    for part in PARTS:
        if part not in changed:
            assert after[part] == before[part]


def test_combine_previous_prompt_with_attachment_both_languages():
    out = RuleRewriter().rewrite(_conv("Put the dog from this photo into the picture.", "en", EN, attachment=EN_CAPTION))
    assert "cat" in out.subject and "retriever" in out.subject
    assert (out.background, out.shot, out.style, out.extras) == (EN.background, EN.shot, EN.style, EN.extras)
    out = RuleRewriter().rewrite(_conv("把这两张图合成一张", "zh", ZH, attachment=ZH_CAPTION))
    assert "橘猫" in out.subject and "金毛犬" in out.subject
    assert (out.background, out.shot, out.style, out.extras) == (ZH.background, ZH.shot, ZH.style, ZH.extras)


def test_combine_two_captions_without_previous_prompt():
    out = RuleRewriter().rewrite(_conv("Merge these two images.", "en", attachment=EN_CAPTION, earlier="A red fox standing in the snow."))
    assert "fox" in out.subject and "retriever" in out.subject
    assert out.shot == DEFAULTS["en"]["shot"] and out.style == DEFAULTS["en"]["style"]


def test_attached_picture_is_the_starting_point_without_previous_prompt():
    out = RuleRewriter().rewrite(_conv("Make it watercolor.", "en", attachment=EN_CAPTION))
    assert out.subject == "A golden retriever lying on a lawn"
    assert out.style == "watercolor"
    out = RuleRewriter().rewrite(_conv("换成油画风格", "zh", attachment=ZH_CAPTION))
    assert out.subject == "一只趴在草坪上的金毛犬" and out.style == "油画"


def test_rendered_caption_parses_back_into_parts():
    for p in (EN, ZH):
        back = prompt_from_caption(p.render(), p.lang)
        assert back.model_dump() == p.model_dump()


@pytest.mark.parametrize(
    "request_,lang,subject",
    [
        ("Can you draw me a cat sleeping on a sofa?", "en", "a cat sleeping on a sofa"),
        ("I'd love to see a lighthouse on a cliff", "en", "a lighthouse"),  # the cliff is the background now (issue 12)
        ("Please create a picture of two robots playing chess.", "en", "two robots playing chess"),
        ("I love fast trains. Can you draw me one?", "en", "a fast train"),
        ("画一个戴帽子的猫", "zh", "一个戴帽子的猫"),
        ("帮我生成一张图片：一座漂浮在云上的城堡", "zh", "一座漂浮在云上的城堡"),
        ("请绘制一幅画：一只橘猫蜷缩在窗台上睡觉", "zh", "一只橘猫蜷缩在窗台上睡觉"),
        ("你好，帮我画一座海边的灯塔", "zh", "一座海边的灯塔"),  # a greeting is no part of the picture
        ("您好！请画一只猫", "zh", "一只猫"),
    ],
)
def test_new_prompt_strips_the_wrapper_and_fills_defaults(request_, lang, subject):
    p = new_prompt(request_, lang)
    assert p.subject == subject
    assert p.shot == DEFAULTS[lang]["shot"] and p.style == DEFAULTS[lang]["style"]
    assert p.lang == lang
    assert RuleRewriter().rewrite(_conv(request_, lang)).model_dump() == p.model_dump()


def test_new_prompt_keeps_what_the_user_named():
    p = new_prompt("Draw a dog with a mountain in the background, in watercolor style.", "en")
    assert (p.subject, p.background, p.style) == ("a dog", "a mountain", "watercolor")
    p = new_prompt("Can you draw me a close-up of a fox in the snow, in the style of Hokusai?", "en")
    # issue 12: a trailing place is the background, not part of the subject
    assert (p.subject, p.background, p.shot, p.style) == ("a fox", "the snow", "a close-up", "inspired by Hokusai")
    p = new_prompt("请画一只在月球上的兔子，水彩风格", "zh")
    assert (p.subject, p.style, p.shot) == ("一只在月球上的兔子", "水彩", "中景")
    # a style ending in "painting" (a stop word elsewhere) was left in the subject, and the style stayed "realistic"
    p = new_prompt("draw a fox sleeping under a big oak tree, in ink painting style", "en")
    assert (p.subject, p.style) == ("a fox sleeping under a big oak tree", "ink painting")
    assert new_prompt("draw a fox in an oil painting style", "en").style == "oil painting"


def test_chinese_rendering_uses_chinese_frames():
    out = RuleRewriter().edit(ZH, "背景改成海边")
    text = out.render()
    assert text == "一只橘猫戴着红色的帽子在窗台上睡觉。猫旁边放着一盆绿植。背景是海边。镜头是中景。风格是水彩。"
    assert new_prompt("画一只猫", "zh").render() == "一只猫。镜头是中景。风格是写实。"


def test_starting_over_builds_a_new_prompt():
    assert starts_over("Draw me a red cube, please.", "en")
    assert not starts_over("Please draw a small bird next to it.", "en")
    assert starts_over("重新画一张：一只狐狸", "zh")
    assert not starts_over("再画一只小鸟", "zh")
    out = RuleRewriter().rewrite(_conv("Draw me a red cube, please.", "en", EN))
    assert out.subject == "a red cube" and out.background == "" and out.extras == []


def test_unknown_request_is_kept_as_extras_only():
    out = RuleRewriter().edit(EN, "I'd like it to be warm and inviting.")
    assert out.extras == [*EN.extras, "The image is warm and inviting"]
    for part in ("subject", "background", "shot", "style"):
        assert getattr(out, part) is getattr(EN, part)
    assert RuleRewriter().edit(EN, "").model_dump() == EN.model_dump()


def test_several_edits_in_one_request():
    out = RuleRewriter().edit(EN, "Make it night and zoom out.")
    assert "night" in out.background and out.shot == "a wide shot"
    assert out.subject is EN.subject and out.style is EN.style


def test_deterministic_and_fast():
    rw = RuleRewriter()
    requests = [c[1] for c in CASES]
    first = [rw.edit(c[0], c[1]).model_dump() for c in CASES]
    t0 = time.perf_counter()
    second = [rw.edit(c[0], c[1]).model_dump() for c in CASES]
    per_call = (time.perf_counter() - t0) / len(requests)
    assert first == second
    assert per_call < 0.005  # well under 1 ms on a quiet machine; lenient on a shared one


def test_edit_set_builds_and_is_large_enough(tmp_path):
    counts = edit_set.build(tmp_path)
    for lang in ("en", "zh"):
        on_disk = edit_set.load_cases(lang, tmp_path)
        assert on_disk == edit_set.load_cases(lang) == json.loads(json.dumps(edit_set.build_cases(lang), ensure_ascii=False))
        assert counts[lang] == len(on_disk)
        assert len(on_disk) >= 300
        assert {c["edit_type"] for c in on_disk} == set(edit_set.EDIT_TYPES)
        assert {c["split"] for c in on_disk} == set(edit_set.SPLITS) - {"all"}
        assert sum(c["split"] == "blind3" for c in on_disk) >= 150


def test_edit_set_meets_the_targets():
    """On the splits whose failures were fixed (untuned blind splits are measured only)."""
    cases = [c for lang in ("en", "zh") for c in edit_set.load_cases(lang) if c["split"] in edit_set.TUNED_SPLITS]
    assert len(cases) >= 600
    table = edit_set.summarize(edit_set.evaluate(cases))
    for lang in ("en", "zh"):
        for etype in edit_set.EDIT_TYPES:
            cell = table[(lang, etype, "all")]
            assert cell["preserved"] == 100.0, (lang, etype, cell)
            assert cell["applied"] >= 90.0, (lang, etype, cell)


def test_bench_rewriter_command_prints_the_table():
    from typer.testing import CliRunner

    from dialoggen.evals.cli import bench_app

    result = CliRunner().invoke(bench_app, ["rewriter"])
    assert result.exit_code == 0, result.output
    assert "change_background" in result.output and "heldout" in result.output


@pytest.mark.parametrize(
    "subject,request_,lang,expected",
    [
        ("A golden retriever catches a frisbee", "Remove the frisbee.", "en", "A golden retriever"),
        ("A red vintage car parked beside a lighthouse", "Delete the lighthouse.", "en", "A red vintage car"),
        ("一只金毛犬正在接飞盘", "去掉飞盘", "zh", "一只金毛犬"),
        ("一辆红色的老式汽车停在灯塔旁边", "删掉灯塔", "zh", "一辆红色的老式汽车"),
    ],
)
def test_removal_leaves_no_dangling_words(subject, request_, lang, expected):
    assert RuleRewriter().edit(DrawingPrompt(subject=subject, lang=lang), request_).subject == expected


def test_pronoun_refers_to_the_thing_named_before():
    base = EN.model_copy(update={"extras": ["A rainbow arcs over the roof"]})
    out = RuleRewriter().edit(base, "The rainbow is distracting. Remove it.")
    assert out.extras == [] and out.subject is base.subject


# Phrasings found by the blind3 round: typos, "would you mind ...ing", "X, not the Y", wishes,
# colour shades and fragments, a complaint naming what a later "it" means, Chinese 口语.
@pytest.mark.parametrize(
    "base,request_,part,keywords,gone",
    [
        (EN, "remvoe teh hat", "subject", ["cat sleeps"], ["hat"]),
        (EN, "Would you mind replacing the cat with a fox? Everything else is perfect.", "subject", ["fox"], ["cat"]),
        (EN, "i want a dog, not the cat", "subject", ["dog"], ["cat"]),
        (EN, "I wish the hat was navy blue.", "subject", ["navy blue hat"], ["red"]),
        (EN, "teal hat please", "subject", ["teal hat"], []),
        (EN, "the plant ruins it, take it out", "extras", [], ["plant"]),
        (EN, "Could you make a version without the plant?", "extras", [], ["plant"]),
        (EN, "make it midnight instead", "background", ["midnight"], []),
        (EN, "view from directly above please", "shot", ["top-down"], []),
        (EN, "can u add a small bird, thx", "extras", ["A small bird"], ["thx", "Can u"]),
        (ZH, "帽子别要了", "subject", ["橘猫"], ["帽子"]),
        (ZH, "背景搞成海边", "background", ["海边"], []),
        (ZH, "在猫旁边弄一只小鸟", "extras", ["猫旁边有一只小鸟"], ["弄"]),
        (ZH, "整个弄成深红色的", "subject", ["深红色"], []),
        (ZH, "帽子颜色不对，改藏蓝色", "subject", ["藏蓝色的帽子"], ["红色"]),
        (ZH, "小狗，把猫换掉", "subject", ["狗"], ["橘猫"]),
        (ZH, "画面有点空，加一只小鸟吧", "extras", ["一只小鸟"], ["画面", "吧"]),
        (ZH, "侧着拍", "shot", ["侧面"], []),
        (ZH, "弄成冬天的", "background", ["冬天"], []),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_everyday_phrasings_change_only_their_part(base, request_, part, keywords, gone):
    out = RuleRewriter().edit(base, request_)
    for p in PARTS:
        if p != part:
            assert getattr(out, p) is getattr(base, p), p
    text = " | ".join(out.extras) if part == "extras" else getattr(out, part)
    assert getattr(out, part) != getattr(base, part)
    for kw in keywords:
        assert kw in text
    for word in gone:
        assert word not in text


def test_combine_with_the_picture_you_made():
    out = RuleRewriter().rewrite(_conv("add this dog to the picture you made", "en", EN, attachment=EN_CAPTION))
    assert "cat" in out.subject and "retriever" in out.subject and out.extras == EN.extras


def test_scorer_rejects_leaked_request_wording_and_fallback_additions():
    case = next(c for c in edit_set.load_cases("en") if c["edit_type"] == "add_object" and c["split"] == "blind3")

    class Echo:  # keeps the whole request as an extras sentence (the fallback)
        name = "echo"

        def rewrite(self, conv):
            prev = conv.previous_prompt
            return prev.model_copy(update={"extras": [*prev.extras, conv.user]})

    assert not edit_set.score_case(case, Echo()).applied
    assert edit_set.score_case(case, RuleRewriter()).applied


@pytest.mark.parametrize(
    "base,request_,part,keywords,gone",
    [
        (EN, "A fox would suit better than the cat.", "subject", ["fox"], ["cat"]),
        (EN, "not a fan of the hat... a crown maybe?", "subject", ["crown"], ["hat"]),
        (EN, "recolour hat -> burgundy", "subject", ["burgundy hat"], ["red"]),
        (EN, "give the hat a wicker texture", "subject", ["wicker"], []),
        (EN, "bin the plant", "extras", [], ["plant"]),
        (EN, "the plant is ugly, lose it", "extras", [], ["plant"]),
        (EN, "what about setting this on a crowded beach", "background", ["crowded beach"], []),
        (EN, "I'd rather it was in a misty swamp", "background", ["misty swamp"], []),
        (EN, "rainy version please", "background", ["rain"], []),
        (EN, "redo as a linocut print", "style", ["linocut print"], []),
        (EN, "channel Andy Warhol", "style", ["inspired by Andy Warhol"], []),
        (EN, "turn the camera to the side", "shot", ["side view"], []),
        (EN, "back off a bit so the whole scene fits", "shot", ["wide"], []),
        (ZH, "猫换个狐狸试试", "subject", ["狐狸"], ["橘猫"]),
        (ZH, "帽子来个薄荷绿的", "subject", ["薄荷绿"], ["红色"]),
        (ZH, "帽子弄成羊毛的质感", "subject", ["羊毛"], []),
        (ZH, "绿植多余，删", "extras", [], ["绿植"]),
        (ZH, "整成晚上", "background", ["夜"], []),
        (ZH, "换个地方，麦田", "background", ["麦田"], []),
        (ZH, "画风改三渲二", "style", ["三渲二"], ["风改"]),
        (ZH, "油画风格的能来一张吗？", "style", ["油画"], ["的能"]),
        (ZH, "近点", "shot", ["特写"], []),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_second_round_phrasings_change_only_their_part(base, request_, part, keywords, gone):
    test_everyday_phrasings_change_only_their_part(base, request_, part, keywords, gone)


def test_combining_two_pictures_is_not_starting_over():
    out = RuleRewriter().rewrite(_conv("make one image out of both", "en", EN, attachment=EN_CAPTION))
    assert "cat" in out.subject and "retriever" in out.subject and out.background == EN.background
    assert starts_over("Draw me two dogs playing together", "en")


# --------------------------------------------------------------------------- learned edit classifier
from dialoggen.agent.rewriter import classifier as rewrite_router  # noqa: E402
from dialoggen.agent.rewriter.common import Edit  # noqa: E402


def test_learned_head_loads_with_every_edit_type():
    info = rewrite_router.status()
    assert info["head"] is True
    kinds = {label.split(":")[0] for label in info["labels"]}
    assert kinds == set(edit_set.EDIT_TYPES) | {"other"}
    from dialoggen.evals.train.rewrite_classifier import TRAIN_SPLITS

    assert "blind7" not in TRAIN_SPLITS  # the measurement-only round never trains it
    assert "blind7" not in edit_set.TUNED_SPLITS and "blind6" in edit_set.TUNED_SPLITS


@pytest.mark.parametrize(
    "request_, lang, kind, detail",
    [
        ("remove the hat", "en", "remove_object", ""),
        ("ugh, the colour's wrong. go mint green", "en", "change_entity", "colour"),
        ("backgroud → a sandy beach", "en", "change_background", "place"),
        ("把背景换成海边", "zh", "change_background", "place"),
        ("加一只小鸟", "zh", "add_object", ""),
        ("像莫奈画的那样", "zh", "change_style", ""),
        ("帽子颜色不对，酒红色", "zh", "change_entity", "colour"),
    ],
)
def test_learned_classifier_reads_clear_requests_in_both_languages(request_, lang, kind, detail):
    g = rewrite_router.guess(request_, lang)
    assert g is not None and (g.kind, g.detail) == (kind, detail)
    assert g.prob >= rewrite_router.MIN_PROB and 0.0 <= g.margin <= g.prob <= 1.0


@pytest.mark.parametrize(
    "base, request_, part, keywords, gone",
    [
        (EN, "ugh, the colour's wrong. go mint green", "subject", ["mint green cat"], []),
        (EN, "backgroud → a sandy beach", "background", ["sandy beach"], ["living room"]),
        (ZH, "把帽子P掉", "subject", ["橘猫在窗台上睡觉"], ["帽子"]),
        (ZH, "您好，请问能在画面里添加一只小鸟吗？谢谢", "extras", ["一只小鸟"], ["请问", "谢谢"]),
        (ZH, "像莫奈画的那样", "style", ["莫奈"], ["水彩"]),
    ],
)
def test_learned_fallback_edits_only_its_part(base, request_, part, keywords, gone, monkeypatch):
    out = RuleRewriter().edit(base, request_)
    text = " | ".join(out.extras) if part == "extras" else getattr(out, part)
    assert all(k in text for k in keywords) and not any(g in text for g in gone), text
    for p in PARTS:
        if p != part:
            assert getattr(out, p) == getattr(base, p), p
    monkeypatch.setenv(rewrite_router.DISABLE_ENV, "0")  # the rules alone do not read these phrasings
    assert RuleRewriter().edit(base, request_) != out


def test_learned_component_falls_back_safely(monkeypatch):
    request_ = "把帽子P掉"
    rules_only = [Edit("extras", value="把帽子P掉")]
    monkeypatch.setenv(rewrite_router.DISABLE_ENV, "0")
    assert rewrite_router.guess(request_, "zh") is None
    assert classify(request_, "zh", ZH) == rules_only
    monkeypatch.delenv(rewrite_router.DISABLE_ENV)
    # no head file: the rules' answer stands
    monkeypatch.setattr(rewrite_router, "_head", None)
    monkeypatch.setattr(rewrite_router.EditHead, "from_file", classmethod(lambda cls, path=None: (_ for _ in ()).throw(OSError("missing"))))
    monkeypatch.setattr(rewrite_router, "_head_failed", False)
    assert rewrite_router.guess(request_, "zh") is None
    assert classify(request_, "zh", ZH) == rules_only


def test_learned_component_survives_a_broken_embedder(monkeypatch):
    from dialoggen.agent.offline.embedder import shared_cache

    class Broken:
        def encode(self, texts):
            raise RuntimeError("no embedder")

    monkeypatch.setattr(shared_cache(), "_embedder", Broken())
    request_ = "帽子P掉吧，这是一个从没缓存过的请求"  # not in the embedding cache
    assert rewrite_router.guess(request_, "zh") is None
    with_broken = classify(request_, "zh", ZH)
    monkeypatch.setenv(rewrite_router.DISABLE_ENV, "0")
    assert with_broken == classify(request_, "zh", ZH)  # exactly the rules' answer


def test_edit_head_rejects_mismatched_weights():
    import numpy as np

    with pytest.raises(ValueError, match="retrain"):
        rewrite_router.EditHead(np.zeros((512, 3), np.float32), np.zeros(2, np.float32), ["a", "b"])


def test_unsure_marks_fallbacks_and_leaked_values_only():
    assert rewrite_router.unsure([Edit("extras", value="x")], "en")
    assert rewrite_router.unsure([Edit("change_style", value="")], "zh")
    assert rewrite_router.unsure([Edit("change_entity", target="coat", value="a hoodie pls", detail="entity")], "en")
    assert rewrite_router.unsure([Edit("change_style", value="安排风格")], "zh")
    assert not rewrite_router.unsure([Edit("change_style", value="水彩")], "zh")
    assert not rewrite_router.unsure([Edit("remove_object", target="hat")], "en")
    assert not rewrite_router.unsure([], "en")


def test_learned_guess_is_fast_and_deterministic():
    rewrite_router.guess("warm up", "en")
    texts = [f"swap the hat for a crown number {i}" for i in range(20)]
    t0 = time.perf_counter()
    first = [rewrite_router.guess(t, "en") for t in texts]
    per_call = (time.perf_counter() - t0) / len(texts)
    assert per_call < 0.02  # ~2 ms uncached on a quiet machine; lenient on a shared one
    assert [rewrite_router.guess(t, "en") for t in texts] == first


# Phrasings found by the blind6 round: comparisons ("a dog would be cuter than that cat", "a dog
# over the cat"), a removal then its replacement, "X but felt", "X: gone", a bare "remove" after
# a question naming the thing, places named after a time ("night market", "夜市"), negated looks,
# an addition followed by quality tags. Each must change its own part and nothing else.
@pytest.mark.parametrize(
    "base,request_,part,keywords,gone",
    [
        (EN, "ditch the cat, a fox works better", "subject", ["fox"], ["cat"]),
        (EN, "I think a fox would be cuter than that cat", "subject", ["fox"], ["cat"]),
        (EN, "honestly i'd prefer a fox over the cat", "subject", ["fox"], ["cat", "over"]),
        (EN, "can you turn the cat into a fox real quick", "subject", ["fox"], ["quick"]),
        (EN, "cat but felt", "subject", ["felt"], []),
        (EN, "cat should be more of a ochre", "subject", ["ochre"], []),
        (EN, "plant: gone", "extras", [], ["plant"]),
        (EN, "too cluttered, drop the plant", "extras", [], ["plant", "cluttered"]),
        (EN, "who asked for the plant? remove", "extras", [], ["plant", "emove"]),
        (EN, "relocate to a night market", "background", ["night market"], ["at night"]),
        (EN, "let's go with glass for the cat", "subject", ["glass"], []),
        (ZH, "猫撤了，换城堡", "subject", ["城堡"], ["橘猫"]),
        (ZH, "以夜市为背景", "background", ["夜市"], ["夜晚"]),
        (ZH, "背景里塞一串葡萄", "extras", ["葡萄"], ["塞"]),
        (ZH, "别那么卡通，真实点", "style", ["真实"], ["卡通"]),
        (ZH, "新艺术运动画风求安排", "style", ["新艺术"], ["求"]),
        (ZH, "镜头再贴近猫一点", "shot", ["特写"], []),
        (ZH, "蚂蚁视角", "shot", ["仰"], []),
        (ZH, "画面里加一只蝴蝶，OC渲染，色彩鲜艳，杰作", "extras", ["蝴蝶", "杰作"], []),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_sixth_round_phrasings_change_only_their_part(base, request_, part, keywords, gone):
    test_everyday_phrasings_change_only_their_part(base, request_, part, keywords, gone)


def test_learned_value_with_request_wording_is_not_used(monkeypatch):
    """A confident guess whose extracted value keeps request wording changes no part: the
    request stays one extras sentence (conservative: the wrong part never changes)."""
    monkeypatch.setattr(rewrite_router, "guess", lambda request, lang="en": rewrite_router.EditGuess("change_background", "place", 0.99, 0.98))
    monkeypatch.setattr("dialoggen.agent.rewriter.classifier.extract", lambda g, r, lang, p: Edit("change_background", value="换成海边"))
    out = RuleRewriter().edit(ZH, "嗯嗯嗯这个那个")
    assert (out.subject, out.background, out.shot, out.style) == (ZH.subject, ZH.background, ZH.shot, ZH.style)
    assert out.extras[:-1] == ZH.extras and len(out.extras) == len(ZH.extras) + 1



# --- issue 12: real phrasings -------------------------------------------------------------------

def _edit(first: str, request: str, lang: str):
    r = RuleRewriter()
    before = new_prompt(first, lang)
    return before, r.edit(before, request), r.last_notice


def test_first_turn_puts_the_place_into_the_background_and_resolves_one():
    p = new_prompt("I love old steam trains. Can you draw one crossing a stone bridge?", "en")
    assert p.subject == "an old steam train crossing a stone bridge"
    p = new_prompt("Draw a dog sitting in a garden.", "en")
    assert (p.subject, p.background) == ("a dog sitting", "a garden")
    p = new_prompt("画一只坐在花园里的小狗。", "zh")
    assert (p.subject, p.background) == ("一只坐着的小狗", "花园")
    assert new_prompt("画一幅画，里面有绿色植物。", "zh").subject == "绿色植物"
    assert new_prompt("画一个女人坐在公园的长椅上", "zh").background == ""  # the park modifies the bench


def test_chinese_removal_cuts_whole_words():
    from dialoggen.agent.rewriter.apply import _remove_zh

    assert _remove_zh("一个女人坐在公园的长椅上", "人") == "坐在公园的长椅上"  # never "一个女坐在……"


def test_backslash_in_a_chinese_subject_survives_edits():  # issue 8 item 9
    from dialoggen.agent.rewriter.apply import _added_sentence

    p = DrawingPrompt(subject="一只熊猫\\1\\g<0>", lang="zh")
    assert _added_sentence(p, "它旁边有一只猫") == "熊猫\\1\\g<0>旁边有一只猫"  # the main noun, backslashes as typed
    before, after, _ = _edit("画一只熊猫\\1", "在它旁边加一只猫", "zh")
    assert after.subject == before.subject and "猫" in after.render()


@pytest.mark.parametrize(
    "first,request_,lang,present,absent",
    [
        ("Draw a yellow car parked under a grey sky.", "change the car from yellow to black", "en", ["black car"], ["yellow"]),
        ("Draw a small boy in a red coat standing in front of a brick wall.", "make the background green", "en", ["green backdrop", "red coat"], ["green boy"]),
        ("Draw a woman and a dog walking on a beach.", "the dog needs to be taken out", "en", ["woman"], ["dog", "taken out"]),
        ("Draw a giraffe in a park.", "Remove the giraffe from the image", "en", ["park"], ["giraffe"]),
        ("Draw a cabin in a snowy forest.", "make the whole picture brighter", "en", ["brightly lit"], ["brighter"]),
        ("Draw a cabin in a snowy forest.", "tone down the colors", "en", ["muted"], ["tone down"]),
        ("Draw three ducks swimming on a lake.", "turn them into swans", "en", ["swans"], ["ducks", "turn"]),
        ("Draw a desk with a computer.", "Color the curtain on the left pink", "en", ["the curtain is pink"], ["left pink", "color the"]),
        ("Draw a white horse standing in the grass.", "Let the horse run", "en", ["horse running"], ["let"]),
        ("Draw a man and a woman holding a baby.", "Give him a long beard.", "en", ["he has a long beard"], ["give"]),
        ("画一幅画，里面有熊。", "在熊的嘴里增加一条鲑鱼", "zh", ["熊的嘴里有一条鲑鱼"], ["增加"]),
        ("画一幅画，里面有小猪。", "给小猪戴上一顶黄色的安全帽", "zh", ["小猪戴着一顶黄色的安全帽"], ["戴上"]),
        ("画一个女人坐在公园的长椅上", "去掉人物", "zh", ["长椅"], ["女人", "女坐"]),
        ("画一只戴着红帽子的熊猫", "用宫崎骏的风格重新画一遍", "zh", ["风格是宫崎骏"], ["重新画"]),
        ("画一个戴着蓝色围巾的雪人", "把雪人的围巾变成红色，并将视角变为广角", "zh", ["红色", "雪人"], ["并将"]),
        ("画一只拿着勺子的手放在餐桌上", "移除手上的勺子，并调亮整体画面", "zh", ["画面明亮"], ["勺子", "调亮"]),
        ("画两个男生站在篮球场上", "让左边的男生蹲下", "zh", ["蹲着"], ["让"]),
        ("Draw a woman standing in a park next to a tree.", "make her smile and move her closer to the tree", "en", ["smiling woman", "close to the tree"], ["move"]),
        ("Draw a cabin in a snowy forest.", "make it night with a full moon", "en", ["night", "full moon"], ["make"]),
        ("Draw a white horse standing in a field.", "make the horse bigger", "en", ["large white horse"], ["bigger"]),
        ("Draw a white horse standing in a field.", "change the horse to a zebra, then make the sky orange", "en", ["zebra", "the sky is orange"], ["horse", "then"]),
        ("Draw a man and a dog on a beach.", "the man on the left should be removed", "en", ["a dog"], ["man", "removed"]),
        ("Draw a boy in a red coat.", "make the mood more gloomy", "en", ["gloomy", "red coat"], ["make"]),
        ("My kid loves dinosaurs. Could you draw one playing in a park?", "make it a t-rex", "en", ["t-rex playing"], ["one playing"]),
        ("我很喜欢熊猫。能画一只在竹林里吃竹子的吗？", "让它睡觉", "zh", ["熊猫", "睡觉", "背景是竹林"], ["让", "吗"]),
        ("画一只在竹林里吃竹子的大熊猫", "改成夜晚，加一轮满月", "zh", ["夜晚", "满月"], ["加一轮", "改成"]),
        ("画一只在竹林里吃竹子的大熊猫", "让熊猫变大一点", "zh", ["大熊猫", "更大"], ["让", "一只变大"]),
        ("画一座山顶的寺庙", "把天空换成黄昏", "zh", ["寺庙", "黄昏"], ["一座黄昏"]),
        ("Draw a girl in a yellow dress holding a red umbrella on a city street.", "have her wear a hat", "en", ["she wears a hat"], ["have her"]),
        ("Draw a girl in a yellow dress holding a red umbrella on a city street.", "make her hair long", "en", ["with long hair"], ["is hair"]),
        ("Draw a girl in a yellow dress holding a red umbrella on a city street.", "remove the girl", "en", ["city street"], ["girl", "yellow dress"]),
        ("Draw a bicycle with a basket parked against a rustic wall with vines.", "Remove the bicycle", "en", ["a rustic wall with vines"], ["bicycle"]),
        ("画一个穿着黄色裙子、撑着红伞的女孩站在街道上", "删除女孩", "zh", ["街道"], ["女孩", "裙子站着"]),
        ("画一个穿着黄色裙子、撑着红伞的女孩站在街道上", "把伞换成蓝色", "zh", ["蓝色的伞"], ["红蓝色", "红伞"]),
        ("画一只戴着红帽子的熊猫", "去掉帽子", "zh", ["一只熊猫"], ["帽子", "一只的"]),
        # ours, written to show each case met on caption first turns (issue 12, this session)
        ("Draw a girl walking on the beach holding a kite.", "change the background to a forest", "en", ["forest", "holding a kite"], ["beach"]),
        ("Draw a cat sleeping in the snow.", "remove the snow", "en", ["cat"], ["snow"]),
        ("Draw a boy wears a cap while sitting on a wooden horse.", "remove the horse", "en", ["wears a cap"], ["horse", "on a.", "while"]),
        ("Draw a woman reading a magazine on a train.", "replace magazine with peach", "en", ["a peach"], ["magazine", "peach magazine"]),
        ("Draw a lighthouse on a cliff.", "Change the image to watercolor painting style", "en", ["watercolor painting"], []),
        ("画一只站在窗台上的灰白色的狗。", "把狗的毛色从白色变为棕色", "zh", ["棕色的狗"], ["白色", "灰"]),
        ("画一个女孩的手拿着一杯咖啡。", "去掉咖啡", "zh", ["女孩的手"], ["咖啡"]),
        ("画一座海边的灯塔。", "将整张图片转换为莫奈《日出》的绘画风格", "zh", ["莫奈"], ["风格是的"]),
    ],
)
def test_real_phrasings_are_applied_declaratively(first, request_, lang, present, absent):
    before, after, _ = _edit(first, request_, lang)
    text = after.render().lower()
    for w in present:
        assert w.lower() in text, (w, text)
    for w in absent:
        assert w.lower() not in text, (w, text)
    if "视角" not in request_:
        assert after.shot == before.shot


def test_an_unplaceable_request_leaves_the_prompt_and_says_so():
    before, after, notice = _edit("Draw a cabin in a snowy forest.", "the dog needs to go to the vet because it was sick", "en")
    assert after == before and notice and notice.startswith("The drawing prompt is unchanged")
    before, after, notice = _edit("Draw a cabin in a snowy forest.", "make the cabin red", "en")
    assert after != before and notice is None


@pytest.mark.parametrize(
    "subject, target, expected",
    [("一只吃竹子的大熊猫", "竹子", "一只大熊猫"), ("一个弹吉他的男孩坐在岩石上", "吉他", "一个男孩坐在岩石上"), ("坐在岩石上弹吉他", "吉他", "坐在岩石上")],
)
def test_chinese_removal_takes_the_verb_its_object_leaves_dangling(subject, target, expected):
    from dialoggen.agent.rewriter.apply import _remove_zh

    assert _remove_zh(subject, target) == expected


def test_a_mid_sentence_place_is_the_background():
    from dialoggen.agent.rewriter.rule import new_prompt

    p = new_prompt("Draw a young boy walking on the beach carrying a surfboard.", "en")
    assert p.background == "the beach" and "beach" not in p.subject and "carrying a surfboard" in p.subject
    p = new_prompt("Draw a woman sitting on the beach under an umbrella.", "en")
    assert "umbrella" in p.subject + p.background  # no participle after the place: left as before
