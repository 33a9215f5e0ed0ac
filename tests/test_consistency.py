"""Prompt-consistency metrics on hand-made prompt pairs."""

from __future__ import annotations

from dialoggen.agent.prompt import DrawingPrompt
from dialoggen.evals.consistency import (
    changed_parts,
    consistency_summary,
    levenshtein,
    parse_prompt,
    requested_parts_from_request,
    score_edit,
    word_edit_distance,
    words,
)

FOX = DrawingPrompt(subject="A red fox sits", background="a snowy forest", shot="a close-up", style="realistic")


def test_levenshtein_by_hand():
    assert levenshtein("kitten", "sitting") == 3
    assert levenshtein([], ["a", "b"]) == 2
    assert levenshtein(["a", "b", "c"], ["a", "b", "c"]) == 0
    assert word_edit_distance("a red fox in snow", "a grey fox in the snow") == 2  # red->grey, +the
    assert word_edit_distance("", "one two") == 2
    assert words("画一只猫 please") == ["画", "一", "只", "猫", "please"]


def test_parse_prompt_inverts_render():
    full = FOX.model_copy(update={"extras": ["Soft light falls from the left", "A crow sits on a branch"]})
    assert parse_prompt(full.render()) == full
    zh = DrawingPrompt(subject="一只红狐狸坐着", background="雪林", style="水彩", lang="zh")
    assert parse_prompt(zh.render(), "zh") == zh
    free = parse_prompt("a metal treehouse in an oak tree")
    assert free.subject == "a metal treehouse in an oak tree" and free.background == "" and free.extras == []


def test_changed_parts():
    beach = FOX.model_copy(update={"background": "a sunny beach"})
    assert changed_parts(FOX, beach) == {"background"}
    assert changed_parts(FOX, FOX.model_copy(update={"style": " Realistic "})) == set()
    assert changed_parts(None, FOX) == {"subject", "background", "shot", "style"}


def test_score_edit_by_hand():
    # asked: background; the rewrite also changed the style -> 2 of 3 untouched parts kept
    after = FOX.model_copy(update={"background": "a sunny beach", "style": "watercolor"})
    s = score_edit(FOX, after, {"background"})
    assert (s.untouched, s.kept, s.landed) == (3, 2, True)
    assert abs(s.kept_share - 2 / 3) < 1e-9
    # words: "snowy forest" -> "sunny beach" (2 subs), "realistic" -> "watercolor" (1 sub)
    assert s.word_distance == 3
    # asked: style; nothing changed -> kept all, did not land
    s2 = score_edit(FOX, FOX, {"style"})
    assert (s2.untouched, s2.kept, s2.landed, s2.word_distance) == (3, 3, False, 0)
    # an extra added when the background was asked: extras counts as a touched-but-untouched part
    s3 = score_edit(FOX, FOX.model_copy(update={"background": "a beach", "extras": ["A boat"]}), {"background"})
    assert (s3.untouched, s3.kept, s3.landed) == (4, 3, True)


def test_requested_parts_from_request():
    assert requested_parts_from_request("Make it a watercolor painting") == {"style"}
    assert requested_parts_from_request("Change the background to a beach") == {"background"}
    assert requested_parts_from_request("Show a close-up") == {"shot"}
    assert requested_parts_from_request("Make the fox grey") == {"subject"}
    assert requested_parts_from_request("把背景换成海滩") == {"background"}


def _pred(cid, rnd, prompt, *, expected="image", predicted="image", reference=None, user=""):
    return {"id": cid, "round": rnd, "expected": expected, "predicted": predicted, "user": user, "lang": "en",
            "prompt": prompt.model_dump() if prompt else None, "reference": reference}


def test_consistency_summary_by_hand():
    beach = FOX.model_copy(update={"background": "a sunny beach"})
    ref1 = FOX.render()
    ref2 = beach.render()
    preds = [
        # conv a: perfect background edit, scored against the references
        _pred("a", 1, FOX, reference=ref1),
        _pred("a", 2, beach, reference=ref2),
        # conv b: a text turn between, then a style request (no reference) that changed the style and the shot
        _pred("b", 1, FOX),
        _pred("b", 2, None, expected="text", predicted="text"),
        _pred("b", 3, FOX.model_copy(update={"style": "oil painting", "shot": "a wide shot"}), user="now in oil painting style"),
        # conv c: a single image turn is not an edit
        _pred("c", 1, FOX),
    ]
    block = consistency_summary(preds)
    assert block["n_edits"] == 2
    assert block["basis"] == {"reference": 1, "request": 1}
    # untouched: a -> 3 kept of 3; b -> subject, background, shot: 2 kept of 3  => 5/6
    assert block["kept_pct"] == round(100 * 5 / 6, 2)
    assert block["landed_pct"] == 100.0
    # distances: a = 2 ("snowy forest" -> "sunny beach"); b = "close-up"->"wide shot" (2: sub + insert), realistic -> oil painting (2)
    assert block["word_distance_mean"] == 3.0 and block["word_distance_median"] == 3.0
    # structured reference prompts (generated sets) take precedence over the texts
    base, target = FOX, FOX.model_copy(update={"shot": "a wide shot"})
    rows = [_pred("d", 1, FOX, reference="A fox."),
            {**_pred("d", 2, FOX.model_copy(update={"shot": "a wide shot"}), reference="Something else entirely."),
             "ref_base_prompt": base.model_dump(), "ref_prompt": target.model_dump()}]
    block = consistency_summary(rows)
    assert block["n_edits"] == 1 and block["kept_pct"] == 100.0 and block["landed_pct"] == 100.0
    # a picture turn with an attached image edits that image, not the previous prompt: not scored
    attached = {**_pred("e", 2, beach, reference=ref2), "scenario": "I+T->I"}
    assert consistency_summary([_pred("e", 1, FOX, reference=ref1), attached])["n_edits"] == 0
    assert consistency_summary([]) == {"n_edits": 0, "kept_pct": None, "landed_pct": None, "word_distance_mean": None,
                                       "word_distance_median": None, "basis": {"reference": 0, "request": 0}}
