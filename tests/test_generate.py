"""The DialogBen-style generator: determinism, coverage, edit locality, questions, CLI, teacher mode."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from typer.testing import CliRunner

from dialoggen.agent.prompt import DrawingPrompt
from dialoggen.evals.cli import bench_app
from dialoggen.evals.dataset import Conversation, read_jsonl
from dialoggen.evals.generate import (
    COMPOSITIONS,
    EDIT_PARTS,
    TOPIC_NAMES,
    generate_conversations,
    parse_json_object,
    plan,
    teacher_conversations,
)
from dialoggen.evals.templates import ADDITIONS, BOOSTERS, EDIT_TYPES, PHRASES, QUOTES, _extend, split_pool

N = 448  # 7 x 64: every composition 7 times, every edit type 64 times


@pytest.fixture(scope="module")
def sample() -> list[dict]:
    return generate_conversations(N, seed=1)


def test_deterministic_for_a_seed() -> None:
    a = generate_conversations(30, seed=5)
    assert a == generate_conversations(30, seed=5)
    assert a != generate_conversations(30, seed=6)
    assert generate_conversations(10, seed=5) == a[:10]  # a prefix is stable


def test_covers_compositions_topics_edit_types_and_languages(sample: list[dict]) -> None:
    comps = Counter(tuple(t["scenario"] for t in c["turns"]) for c in sample)
    assert set(comps) == set(COMPOSITIONS) and len(comps) == 64
    assert set(comps.values()) == {N // 64}
    topics = Counter(c["topic"] for c in sample)
    assert set(topics) == set(TOPIC_NAMES) and len(topics) == 13
    assert min(topics.values()) >= N // 13 and max(topics.values()) <= N // 13 + 1
    edits = Counter(c["edit_type"] for c in sample)
    assert set(edits) == set(EDIT_TYPES) and len(edits) == 7 and set(edits.values()) == {N // 7}
    assert Counter(c["lang"] for c in sample) == {"en": N // 2, "zh": N // 2}
    assert all(c["source"] == "generated" for c in sample)
    # every composition in both languages
    assert len({(tuple(t["scenario"] for t in c["turns"]), c["lang"]) for c in sample}) == 128
    # every edit type is actually applied by some turn (combine needs a drawn picture + a photo)
    applied = Counter(t["edit"] for c in sample for t in c["turns"] if t.get("kind") == "edit")
    assert set(applied) == set(EDIT_TYPES)


def test_plan_covers_every_combination() -> None:
    items = plan(64 * 13 * 7, seed=2)
    assert len({(it["composition"], it["topic"], it["edit_type"]) for it in items}) == 64 * 13 * 7


def test_turns_validate_and_agree(sample: list[dict]) -> None:
    for c in sample:
        conv = Conversation.model_validate(c)
        assert len(conv.turns) == 3
        assert c["composition"] == " | ".join(t.scenario for t in conv.turns)
        for t in conv.turns:
            assert t.user.strip()
            assert (t.image is not None) == t.scenario.startswith("I+T")
            assert t.expected == ("image" if t.scenario.endswith("->I") else "text")
            if t.image is not None:
                assert t.image.caption and t.image.path is None
            if c["lang"] == "zh":
                assert re.search(r"[\u4e00-\u9fff]", t.user), t.user
            else:
                assert not re.search(r"[\u4e00-\u9fff]", t.user), t.user


def test_image_turns_have_reference_prompt_and_questions(sample: list[dict]) -> None:
    n_no = 0
    for c in sample:
        for t in c["turns"]:
            if t["expected"] != "image":
                continue
            prompt = DrawingPrompt.model_validate(t["prompt"])
            assert prompt.lang == c["lang"]
            assert t["reference"] == prompt.render()
            qs = t["questions"]
            assert qs and all(q["a"] in ("yes", "no") for q in qs)
            assert qs[0]["a"] == "yes" and qs[0]["q"].startswith("Is there")
            if c["lang"] == "zh":
                assert all(q["q_zh"] for q in qs)
            n_no += sum(q["a"] == "no" for q in qs)
            if prompt.background:
                assert any(q["q"].startswith("Is the background") and q["a"] == "yes" for q in qs)
            if prompt.style:
                assert any("style" in q["q"] and q["a"] == "yes" for q in qs)
    assert n_no > 100


def test_edits_change_only_the_requested_part(sample: list[dict]) -> None:
    n = Counter()
    for c in sample:
        for t in c["turns"]:
            if t.get("kind") != "edit":
                continue
            before = DrawingPrompt.model_validate(t["base_prompt"])
            after = DrawingPrompt.model_validate(t["prompt"])
            changed = {ch.part for ch in after.diff(before)}
            assert changed == {EDIT_PARTS[t["edit"]]}, (t["user"], changed)
            n[t["edit"]] += 1
            if t["edit"] == "remove_object":
                removed = set(before.extras) - set(after.extras)
                assert len(removed) == 1
                assert any(q["a"] == "no" for q in t["questions"])
            if t["edit"] == "add_object":
                assert len(after.extras) == len(before.extras) + 1 and after.extras[:-1] == before.extras
    assert min(n.values()) >= 10


def test_splits_use_disjoint_phrasings() -> None:
    for name, pool in PHRASES.items():
        for lang, templates in pool.items():
            if len(templates) >= 3:
                assert split_pool(templates, "train") and split_pool(templates, "test")
                assert not set(split_pool(templates, "train")) & set(split_pool(templates, "test")), (name, lang)
    train = {t["user"] for c in generate_conversations(600, seed=0, split="train") for t in c["turns"]}
    test = [t["user"] for c in generate_conversations(300, seed=0, split="test") for t in c["turns"]]
    assert sum(u in train for u in test) / len(test) < 0.03


def test_no_single_surface_cue(sample: list[dict]) -> None:
    """'?' and a final '.' / '。' occur with both modalities in both languages, and no
    frequent first word gives the label away."""
    by: dict[tuple[str, str], list[str]] = {}
    first: dict[str, Counter] = {}
    for c in sample:
        for t in c["turns"]:
            by.setdefault((c["lang"], t["expected"]), []).append(t["user"])
            word = t["user"].split()[0].lower() if c["lang"] == "en" else t["user"][:1]
            first.setdefault(word, Counter())[t["expected"]] += 1
    for (lang, expected), texts in by.items():
        assert sum(x.rstrip().endswith(("?", "？")) for x in texts) / len(texts) > 0.1, (lang, expected)
        assert sum(x.rstrip().endswith((".", "。")) for x in texts) / len(texts) > 0.1, (lang, expected)
    for word, counts in first.items():
        if sum(counts.values()) >= 40:
            assert max(counts.values()) / sum(counts.values()) < 0.98, (word, counts)


def test_added_kinds_land_in_their_split() -> None:
    assert len(ADDITIONS) >= 5  # the batches in evals/data/generator_phrases.json
    for batch in ADDITIONS:
        for name, langs in batch["pools"].items():
            for lang, added in langs.items():
                pool = PHRASES[name][lang]
                assert set(added["train"]) <= set(split_pool(pool, "train")), (name, lang)
                assert set(added["test"]) <= set(split_pool(pool, "test")), (name, lang)
    with pytest.raises(ValueError):
        _extend(["a", "b"], ["c"], [])  # position 2 is a test slot


def test_quotes_and_prompt_keywords_occur_with_both_modalities() -> None:
    """Text to render and prompt keywords ("8K, sharp focus") are image cues in some turns
    and text in others (translate a slogan, ask what a keyword means)."""
    convs = generate_conversations(1500, seed=0)
    for lang in ("en", "zh"):
        quotes = {q[1 if lang == "zh" else 0] for q in QUOTES}
        boosts = {b[1 if lang == "zh" else 0] for b in BOOSTERS} - {"8K"}
        seen = {"quote": Counter(), "boost": Counter()}
        for c in convs:
            if c["lang"] != lang:
                continue
            for t in c["turns"]:
                seen["quote"][t["expected"]] += any(q in t["user"] for q in quotes)
                seen["boost"][t["expected"]] += any(b in t["user"] for b in boosts)
        for cue, counts in seen.items():
            assert counts["image"] >= 5 and counts["text"] >= 5, (lang, cue, counts)


def test_generate_command_writes_both_splits(tmp_path) -> None:
    result = CliRunner().invoke(bench_app, ["generate", "--out", str(tmp_path), "--n-train", "20", "--n-test", "8", "--seed", "3"])
    assert result.exit_code == 0, result.output
    train, test = read_jsonl(tmp_path / "train.jsonl"), read_jsonl(tmp_path / "test.jsonl")
    assert len(train) == 20 and len(test) == 8
    assert train[0].model_dump()["turns"][0]["user"] == generate_conversations(1, seed=3)[0]["turns"][0]["user"]
    assert {c.id for c in train}.isdisjoint({c.id for c in test})


def test_generate_command_refuses_teacher_without_model(tmp_path) -> None:
    result = CliRunner().invoke(bench_app, ["generate", "--out", str(tmp_path), "--mode", "teacher"])
    assert result.exit_code != 0
    assert "--teacher" in str(result.exception) or "--teacher" in result.output


# --------------------------------------------------------------------------- teacher mode


class ScriptedTeacher(BaseChatModel):
    """Writes back the in-context example of the meta-prompt as its conversation, and
    labels turns from the plan it read, flipping the labels of the conversations whose
    index is in ``disagree``; ``garbage`` conversations get an unparsable reply."""

    disagree: set = set()
    garbage: set = set()
    calls: list = []
    expected: list = []

    @property
    def _llm_type(self) -> str:
        return "scripted-teacher"

    def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:
        prompt = messages[-1].content
        self.calls.append(prompt)
        if "Conversation plan" in prompt:
            conv_no = sum("Conversation plan" in p for p in self.calls) - 1
            self.expected = ["image" if "draws a picture" in line else "text"
                             for line in prompt.splitlines() if re.match(r"\s+\d\. (T|I\+T)->", line)]
            example = prompt.split("written from templates):", 1)[1].split("Answer with JSON only", 1)[0]
            text = "not json at all" if conv_no in self.garbage else f"```json\n{example.strip()}\n```"
        else:
            conv_no = sum("Conversation plan" in p for p in self.calls) - 1
            labels = list(self.expected)
            if conv_no in self.disagree:
                labels[0] = "text" if labels[0] == "image" else "image"
            text = json.dumps({"labels": labels})
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])


def test_teacher_mode_keeps_agreeing_and_drops_disagreeing() -> None:
    model = ScriptedTeacher(disagree={1}, garbage={3}, calls=[], expected=[])
    kept, dropped = teacher_conversations(model, 6, seed=0, split="train")
    assert dropped == 2
    assert [c["id"] for c in kept] == ["gen-train-00000", "gen-train-00002", "gen-train-00004", "gen-train-00005"]
    assert len(model.calls) == 6 + 5  # one meta call each, one filter call for the parsable ones
    assert "Answer with JSON only" in model.calls[0] and "drawing prompt" in model.calls[0]
    assert any("labels" in p for p in model.calls[1:2])
    offline = {c["id"]: c for c in generate_conversations(6, seed=0)}
    for c in kept:
        Conversation.model_validate(c)
        assert [t["user"] for t in c["turns"]] == [t["user"] for t in offline[c["id"]]["turns"]]
        for t in c["turns"]:
            if t["expected"] == "image":
                assert t["reference"] == DrawingPrompt.model_validate(t["prompt"]).render() and t["questions"]


def test_teacher_command_uses_load_chat_model(tmp_path, monkeypatch) -> None:
    import sys
    import types

    fake = types.ModuleType("dialoggen.agent.llm.models")
    fake.load_chat_model = lambda spec, **kw: ScriptedTeacher(disagree={0}, calls=[], expected=[])
    monkeypatch.setitem(sys.modules, "dialoggen.agent.llm.models", fake)
    result = CliRunner().invoke(bench_app, ["generate", "--out", str(tmp_path), "--mode", "teacher", "--teacher", "fake:x",
                                            "--n-train", "3", "--n-test", "0"])
    assert result.exit_code == 0, result.output
    assert len(read_jsonl(tmp_path / "train.jsonl")) == 2
    assert "1 dropped" in result.output


def test_parse_json_object() -> None:
    assert parse_json_object('Sure!\n```json\n{"labels": ["text"]}\n```') == {"labels": ["text"]}
    assert parse_json_object("no json") is None
    assert parse_json_object("{broken") is None
