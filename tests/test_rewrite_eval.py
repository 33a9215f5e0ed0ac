"""The real-request scorer (``dialoggen eval rewrite``): its checks can fail, and a run writes
the report files."""

from __future__ import annotations

import json

from dialoggen.evals.rewrite_eval import applied_problems, contains, evaluate_file, kept_problems, usability_problems


def test_matching_is_word_level_in_english_and_substring_in_chinese():
    assert contains("Two black cats sit.", "cat", "en")
    assert not contains("A concatenated word.", "cat", "en")
    assert contains("一只黑猫。", "黑猫", "zh")


def test_applied_needs_every_include_and_no_exclude():
    e = {"must_include": ["black", ["car", "auto"]], "must_exclude": ["yellow"]}
    assert applied_problems("A black car.", e, "en") == []
    assert applied_problems("A black yellow car.", e, "en") == ["still has yellow"]
    assert applied_problems("A black bike.", e, "en") == ["missing car|auto"]


def test_kept_compares_parts_byte_for_byte():
    assert kept_problems({"shot": "a close-up"}, {"shot": "a close-up"}, ["shot"]) == []
    assert kept_problems({"shot": "a close-up"}, {"shot": "a close-up "}, ["shot"])


def test_usability_flags_request_wording():
    p = {"subject": "x"}
    assert usability_problems(p, "A cabin. The scene is brightly lit.", "en") == []
    assert usability_problems(p, "A cabin. Make it brighter.", "en")
    assert usability_problems(p, "A woman and a taken out walking.", "en")
    assert usability_problems(p, "A cabin with 雪.", "en")
    assert usability_problems(p, "A black black cat.", "en")
    assert usability_problems(p, "熊。在熊的嘴里增加一条鲑鱼。", "zh")
    assert usability_problems(p, "一个女人撑着一把伞。", "zh") == []  # 一把: a measure word, not the disposal marker
    assert usability_problems({"subject": ""}, "", "en") == ["empty subject"]


def test_a_run_writes_report_rows_and_summary(tmp_path):
    items = [
        {"id": "t1", "lang": "en", "source": "test", "first_turn": "Draw a yellow car parked under a grey sky.",
         "request": "change the car from yellow to black", "kind": "recolor",
         "expect": {"must_include": ["black"], "must_exclude": ["yellow"], "keep": ["background", "shot", "style"], "target_part": "subject"}},
        {"id": "t2", "lang": "zh", "source": "test", "first_turn": "画一幅画，里面有熊。", "request": "在熊的嘴里增加一条鲑鱼", "kind": "add",
         "expect": {"must_include": ["鲑鱼"], "must_exclude": [], "keep": ["background", "shot", "style"], "target_part": None}},
    ]
    data = tmp_path / "items.jsonl"
    data.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items) + "\n", encoding="utf-8")
    summary = evaluate_file(data, tmp_path / "out")
    rows = [json.loads(l) for l in (tmp_path / "out" / "rows.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["t1", "t2"]
    assert all(r["all"] for r in rows), rows
    assert summary["overall"]["n"] == 2 and summary["rewrite_ms"]["median"] is not None
    assert "Per language and kind" in (tmp_path / "out" / "report.md").read_text(encoding="utf-8")


def test_the_rewriters_notice_reaches_the_turn_record(tmp_path):
    """A request the rewriter cannot place leaves the prompt unchanged and the turn says so
    (the intent is pinned to "image" so the test does not depend on the router's reading)."""
    from dialoggen.agent import roles
    from dialoggen.agent.app.session import Session
    from dialoggen.agent.context import Context
    from dialoggen.agent.schemas import TurnDecision

    class AlwaysImage:
        name = "always-image"

        def decide(self, conv, *, full_turn=False):
            return TurnDecision(modality="image", confidence=0.9, source=self.name)

    roles.register("intent", "always-image", AlwaysImage())
    try:
        s = Session(Context(intent="always-image", rewrite="offline", chat="none", t2i="none", data_dir=str(tmp_path)), "n")
        first = s.send("Draw a cabin in a snowy forest.")
        second = s.send("the dog needs to go to the vet because it was sick")
    finally:
        roles.clear_cache()
    assert second["prompt_text"] == first["prompt_text"]
    assert second["notice"] and "unchanged" in second["notice"]
