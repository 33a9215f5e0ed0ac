"""The bag-of-words text-or-image baseline and its command."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from dialoggen.evals.baseline import ATTACHED, BowBaseline, evaluate, tokens, turn_rows
from dialoggen.evals.cli import bench_app
from dialoggen.evals.dataset import Conversation, write_jsonl
from dialoggen.evals.generate import generate_conversations


def test_tokens_words_bigrams_chinese_characters_and_flag() -> None:
    en = tokens("Make it a watercolor?", False)
    assert {"make", "it", "watercolor", "?", "make it", "a watercolor"} <= set(en)
    assert ATTACHED not in en
    zh = tokens("把背景换成海滩", True)
    assert {"把", "背", "背 景", "换 成", ATTACHED} <= set(zh)


@pytest.fixture(scope="module")
def fitted() -> BowBaseline:
    return BowBaseline().fit(Conversation.model_validate(c) for c in generate_conversations(600, seed=0, split="train"))


def test_learns_but_finds_no_shortcut_on_the_test_split(fitted: BowBaseline) -> None:
    test = [Conversation.model_validate(c) for c in generate_conversations(300, seed=0, split="test")]
    result = evaluate(fitted, test)
    assert result["turns"] == 900 and sum(result["counts"].values()) == 900
    assert set(result["per_scenario"]) == {"T->T", "T->I", "I+T->T", "I+T->I"}
    # better than chance, clearly short of perfect: the test split's phrasings are unseen
    assert 0.65 < result["overall"] < 0.97, result


def test_evaluate_counts_cells() -> None:
    class AlwaysImage:
        def predict(self, rows):
            return ["image"] * len(rows)

    conv = Conversation.model_validate({"id": "x", "lang": "en", "turns": [
        {"user": "hi", "scenario": "T->T", "expected": "text"},
        {"user": "draw a cat", "scenario": "T->I", "expected": "image"},
        {"user": "what is this?", "image": {"caption": "a dog"}, "scenario": "I+T->T", "expected": "text"},
    ]})
    result = evaluate(AlwaysImage(), [conv])
    assert result["per_scenario"] == {"T->T": 0.0, "T->I": 1.0, "I+T->T": 0.0}
    assert result["overall"] == pytest.approx(1 / 3) and result["avg"] == pytest.approx(1 / 3)
    assert [r["round"] for r in turn_rows([conv])] == [1, 2, 3]


def test_baseline_command_prints_per_scenario_accuracy(tmp_path) -> None:
    write_jsonl(tmp_path / "train.jsonl", generate_conversations(120, seed=0, split="train"))
    write_jsonl(tmp_path / "test.jsonl", generate_conversations(40, seed=0, split="test"))
    result = CliRunner().invoke(bench_app, ["baseline", "--train", str(tmp_path / "train.jsonl"),
                                            "--eval", str(tmp_path / "test.jsonl"), "--features"])
    assert result.exit_code == 0, result.output
    assert "eval " in result.output and "overall" in result.output
    for scenario in ("T->T", "T->I", "I+T->T", "I+T->I"):
        assert scenario in result.output


def test_baseline_command_refuses_missing_file(tmp_path) -> None:
    result = CliRunner().invoke(bench_app, ["baseline", "--train", str(tmp_path / "nope.jsonl"), "--eval", str(tmp_path / "x.jsonl")])
    assert result.exit_code != 0
    assert "No benchmark file at" in str(result.exception)
