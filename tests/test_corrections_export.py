"""``data corrections`` and ``data export`` with fake models (no downloads, no network)."""

from __future__ import annotations

import json
from typing import Any, Optional

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import RunnableLambda

from dialoggen.evals.corrections import Correction, graph_student, make_corrections, student_samples, teacher_message
from dialoggen.evals.dataset import read_jsonl, write_jsonl
from dialoggen.evals.export import d_pm_samples, export, training_instruction


SEEN: list[tuple[str, str]] = []  # (system, human) of every structured call


class FakeTeacher(BaseChatModel):
    """A chat model whose structured output marks an output wrong when its modality differs
    from the expected one (read from the teacher message), and answers with the reference."""

    @property
    def _llm_type(self) -> str:
        return "fake-teacher"

    def _generate(self, messages: list[BaseMessage], stop: Optional[list[str]] = None, run_manager: Any = None, **kw: Any) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content="ok"))])

    def with_structured_output(self, schema: Any, **kwargs: Any):
        def judge(messages: list[BaseMessage]) -> Correction:
            system, human = messages[0].content, messages[-1].content
            SEEN.append((system, human))
            fields = dict(line.split(": ", 1) for line in human.splitlines() if ": " in line)
            original, expected = fields["Original output"], fields["Expected modality"]
            drew = original.startswith("<draw>")
            if drew == (expected == "image"):
                return schema(is_correct=True, correction="The output follows the three rules.", correct_solution=original)
            solution = fields.get("Reference answer") or ("<draw>A picture.</draw>" if expected == "image" else "A text answer.")
            return schema(is_correct=False, rule="intent", correction=f"The user wanted {expected}.", correct_solution=solution)

        return RunnableLambda(judge)


TRAIN = [
    {"id": "t1", "lang": "en", "turns": [
        {"user": "Draw a red fox in the snow.", "scenario": "T->I", "expected": "image",
         "reference": "A red fox stands in the snow. The background is a pine forest."},
        {"user": "Why is it red?", "scenario": "T->T", "expected": "text", "reference": "Its fur has a red pigment."},
        {"user": "Change the background to a beach.", "scenario": "T->I", "expected": "image"},
    ]},
    {"id": "t2", "lang": "en", "turns": [
        {"user": "What is this?", "image": {"caption": "A cat on a sofa."}, "scenario": "I+T->T", "expected": "text", "reference": "A cat resting on a sofa."},
        {"user": "Paint it as a watercolor.", "scenario": "T->I", "expected": "image", "reference": "A cat rests on a sofa. The style is watercolor."},
    ]},
    {"id": "t3", "lang": "en", "turns": [
        {"user": "Please draw a lighthouse.", "scenario": "T->I", "expected": "image", "reference": "A white lighthouse on a cliff."},
    ]},
    {"id": "t4", "lang": "en", "turns": [
        {"user": "Hello!", "scenario": "T->T", "expected": "text"},
        {"user": "Draw a castle on a hill.", "scenario": "T->I", "expected": "image", "reference": "A stone castle on a green hill."},
    ]},
]


def _scripted_student(convs):
    """Draws whenever the user says 'draw' or 'paint'; otherwise answers 'sure'."""
    for conv in convs:
        records = []
        for turn in conv.turns:
            if any(w in turn.user.lower() for w in ("draw", "paint")):
                records.append({"modality": "image", "prompt_text": f"{turn.user.rstrip('.')}, detailed."})
            else:
                records.append({"modality": "text", "reply": "sure"})
        yield conv, records


def test_student_samples_and_teacher_message(tmp_path):
    write_jsonl(tmp_path / "train.jsonl", TRAIN)
    conv = read_jsonl(tmp_path / "train.jsonl")[1]
    samples = student_samples(conv, [{"modality": "text", "reply": "A cat."}, {"modality": "image", "prompt_text": "A cat, watercolor."}])
    assert samples[0]["query"] == "<img>A cat on a sofa.</img>\nWhat is this?" and samples[0]["history"] == []
    assert samples[1]["history"] == [{"role": "user", "content": samples[0]["query"]}, {"role": "assistant", "content": "A cat."}]
    assert samples[1]["original_output"] == "<draw>A cat, watercolor.</draw>"
    assert samples[1]["reference"] == "<draw>A cat rests on a sofa. The style is watercolor.</draw>"
    msg = teacher_message(samples[1])
    assert "Assistant: A cat." in msg and "Expected modality: image" in msg and msg.startswith("History:\nUser: <img>")


def test_make_corrections_with_fake_teacher(tmp_path):
    write_jsonl(tmp_path / "train.jsonl", TRAIN)
    convs = read_jsonl(tmp_path / "train.jsonl")
    teacher = FakeTeacher()
    SEEN.clear()
    counts = make_corrections(convs, _scripted_student, teacher, tmp_path / "c.jsonl", student_name="s", teacher_name="t", workers=2)
    rows = [json.loads(line) for line in (tmp_path / "c.jsonl").read_text().splitlines()]
    assert counts == {"samples": 8, "wrong": 1, "failed": 0} and len(rows) == 8
    # the only wrong turn: t1 round 3 ("Change the background ...") answered in text
    wrong = [r for r in rows if not r["is_correct"]]
    assert [(r["id"], r["round"]) for r in wrong] == [("t1", 3)]
    assert wrong[0]["rule"] == "intent" and wrong[0]["correct_solution"] == "<draw>A picture.</draw>"
    assert wrong[0]["original_output"] == "sure" and len(wrong[0]["history"]) == 4
    assert set(rows[0]) >= {"id", "round", "history", "query", "original_output", "correction", "correct_solution", "student", "teacher"}
    system = SEEN[0][0]
    assert "## The three rules" in system and system.count("### Example") == 3


def test_export_sets(tmp_path):
    write_jsonl(tmp_path / "train.jsonl", TRAIN)
    convs = read_jsonl(tmp_path / "train.jsonl")
    make_corrections(convs, _scripted_student, FakeTeacher(), tmp_path / "c.jsonl")
    manifest = export(tmp_path / "train.jsonl", tmp_path / "sft", corrections=tmp_path / "c.jsonl", seed=3)
    system = training_instruction()
    assert "<draw>" in system and "<!--" not in system
    read = lambda name: [json.loads(line) for line in (tmp_path / "sft" / f"{name}.jsonl").read_text().splitlines()]  # noqa: E731
    d_p, d_pm, d_b, d_c, union = (read(n) for n in ("d_p", "d_pm", "d_b", "d_c", "all"))
    # D_p: first picture turn of each conversation with a reference (t1, t2 r2, t3, t4 r2)
    assert len(d_p) == 4
    assert d_p[0]["messages"] == [
        {"role": "system", "content": system},
        {"role": "user", "content": "Draw a red fox in the snow."},
        {"role": "assistant", "content": "<draw>A red fox stands in the snow. The background is a pine forest.</draw>"},
    ]
    # D_pm: all 4 D_p samples used once, in 2-3 turn groups, one system message each
    assert sum((len(s["messages"]) - 1) // 2 for s in d_pm) in (4, 3)  # a trailing single is dropped
    assert all(s["messages"][0]["role"] == "system" and [m["role"] for m in s["messages"][1:]] == ["user", "assistant"] * ((len(s["messages"]) - 1) // 2) for s in d_pm)
    assert d_pm_samples(d_p, seed=3) == d_pm and d_pm_samples(d_p, seed=3) == d_pm_samples(d_p, seed=3)
    # languages are not mixed within a D_pm sample
    zh = [{"messages": [{"role": "system", "content": "s"}, {"role": "user", "content": f"画一只猫{i}"}, {"role": "assistant", "content": "<draw>猫</draw>"}]} for i in range(5)]
    for sample in d_pm_samples(d_p + zh, seed=1):
        users = [m["content"] for m in sample["messages"] if m["role"] == "user"]
        assert len({u.startswith("画") for u in users}) == 1
    # D_b: t1's round 3 has no reference but the teacher's solution fills it; t4's round 1 has
    # neither (the student was right, so the solution is its own 'sure') -> kept
    t1 = d_b[0]["messages"]
    assert [m["role"] for m in t1] == ["system"] + ["user", "assistant"] * 3
    assert t1[-1]["content"] == "<draw>A picture.</draw>"
    assert d_b[1]["messages"][1]["content"] == "<img>A cat on a sofa.</img>\nWhat is this?"
    assert manifest["d_b_turns_cut"] == 0 and len(d_b) == 4
    # D_c: one per corrected sample
    assert len(d_c) == 8 and d_c[0]["messages"][2]["content"].startswith("Correction: ")
    assert "Original output:" in d_c[0]["messages"][1]["content"] and "Correct solution: " in d_c[0]["messages"][2]["content"]
    assert len(union) == manifest["counts"]["all"] == len(d_p) + len(d_pm) + len(d_b) + len(d_c)
    # without corrections: t1 is cut before round 3, t4 entirely (its first turn has no reference)
    m2 = export(tmp_path / "train.jsonl", tmp_path / "sft2")
    assert m2["d_b_turns_cut"] == 1 + 2 and m2["counts"]["d_b"] == 3 and "d_c" not in m2["counts"]
    assert not (tmp_path / "sft2" / "d_c.jsonl").exists()


def test_export_cli_errors(tmp_path):
    from typer.testing import CliRunner

    from dialoggen.agent.app.cli import app

    res = CliRunner().invoke(app, ["data", "export", "--train", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "o")])
    assert res.exit_code == 1 and "No train file" in res.output
    write_jsonl(tmp_path / "train.jsonl", TRAIN)
    ok = CliRunner().invoke(app, ["data", "export", "--train", str(tmp_path / "train.jsonl"), "--out", str(tmp_path / "o")])
    text = " ".join(ok.output.split())
    assert ok.exit_code == 0 and "d_p 4" in text and "corrections file fills" in text


def test_graph_student_runs_the_graph(tmp_path, fake_roles):
    """The default student drives the real graph (fake roles under the spec 'fake')."""
    write_jsonl(tmp_path / "train.jsonl", TRAIN)
    convs = read_jsonl(tmp_path / "train.jsonl")
    student = graph_student("fake", conv_file=tmp_path / "train.jsonl")
    results = list(student(convs))
    assert [c.id for c, _ in results] == ["t1", "t2", "t3", "t4"]
    records = dict((c.id, r) for c, r in results)
    assert records["t1"][0]["modality"] == "image" and records["t1"][1]["reply"] == "echo: Why is it red?"
    assert records["t1"][2]["prompt"]["background"] == "to a beach"
    counts = make_corrections(convs, student, FakeTeacher(), tmp_path / "g.jsonl")
    assert counts["samples"] == 8 and counts["failed"] == 0


def test_corrections_cli_with_fake_teacher(tmp_path, fake_roles, monkeypatch):
    from typer.testing import CliRunner

    from dialoggen.agent.llm import models
    from dialoggen.agent.app.cli import app

    write_jsonl(tmp_path / "train.jsonl", TRAIN)
    monkeypatch.setattr(models, "load_chat_model", lambda spec, **kw: FakeTeacher())
    res = CliRunner().invoke(app, ["data", "corrections", "--data", str(tmp_path / "train.jsonl"), "--student", "fake",
                                   "--teacher", "openai:teacher", "--out", str(tmp_path / "c.jsonl")])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in (tmp_path / "c.jsonl").read_text().splitlines()]
    assert len(rows) == 8 and rows[0]["teacher"] == "openai:teacher" and rows[0]["student"] == "fake"
