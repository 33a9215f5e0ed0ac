"""``dialoggen eval modality``: the Table 3 numbers, summary.json, reports, resume, and
end-to-end runs through the real graph (fake roles, then the offline models)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dialoggen.evals.dataset import SCENARIOS, write_jsonl
from dialoggen.evals.report import ModalityTable, markdown_report, plot_cells, rich_table, summary_dict, write_reports


def _row(cid, rnd, scenario, correct):
    expected = "image" if scenario.endswith("->I") else "text"
    other = "text" if expected == "image" else "image"
    return {"id": cid, "round": rnd, "scenario": scenario, "expected": expected, "predicted": expected if correct else other}


# A hand-made prediction set. Cells (round, scenario): correct / n
#   r1 T->T 2/2=100   r1 T->I 1/2=50    r1 I+T->T 0/1=0   r1 I+T->I (empty)
#   r2 T->T 1/4=25    r2 T->I 3/3=100   r2 I+T->T (empty) r2 I+T->I 1/1=100
#   r3 T->T (empty)   r3 T->I 2/3=66.67 r3 I+T->T 1/2=50  r3 I+T->I 0/1=0
# Avg = (100+50+0+25+100+100+66.666..+50+0)/9 = 491.666../9 = 54.6296.. -> 54.63
# turn mean = 11 correct / 19 turns = 57.894.. -> 57.89
HAND = (
    [_row("a", 1, "T->T", True), _row("b", 1, "T->T", True), _row("a", 1, "T->I", True), _row("b", 1, "T->I", False),
     _row("c", 1, "I+T->T", False)]
    + [_row("a", 2, "T->T", True)] + [_row(x, 2, "T->T", False) for x in "bcd"]
    + [_row(x, 2, "T->I", True) for x in "abc"] + [_row("d", 2, "I+T->I", True)]
    + [_row(x, 3, "T->I", True) for x in "ab"] + [_row("c", 3, "T->I", False)]
    + [_row("a", 3, "I+T->T", True), _row("b", 3, "I+T->T", False), _row("c", 3, "I+T->I", False)]
)


def test_table_numbers_by_hand():
    table = ModalityTable.from_predictions(HAND)
    assert table.cells[1]["T->T"].acc == 100.0 and table.cells[1]["T->T"].n == 2
    assert table.cells[2]["T->T"].acc == 25.0 and table.cells[2]["T->T"].n == 4
    assert round(table.cells[3]["T->I"].acc, 2) == 66.67
    assert table.cells[1]["I+T->I"].n == 0 and table.cells[1]["I+T->I"].acc is None
    assert len(table.nonempty()) == 9
    assert round(table.avg, 2) == 54.63  # unweighted cell mean, empty cells excluded
    assert table.n_turns == 19
    assert round(table.turn_mean, 2) == 57.89


def test_summary_schema_exact():
    table = ModalityTable.from_predictions(HAND)
    summary = summary_dict(table, {"n_edits": 0})
    assert set(summary) == {"avg", "turn_mean", "n_turns", "cells", "consistency"}
    assert summary["avg"] == 54.63 and summary["turn_mean"] == 57.89 and summary["n_turns"] == 19
    assert set(summary["cells"]) == {"1", "2", "3"}
    for rnd in ("1", "2", "3"):
        assert list(summary["cells"][rnd]) == list(SCENARIOS)
        for cell in summary["cells"][rnd].values():
            assert set(cell) == {"acc", "n"}
    assert summary["cells"]["1"]["I+T->I"] == {"acc": None, "n": 0}
    assert summary["cells"]["3"]["T->I"] == {"acc": 66.67, "n": 3}
    json.dumps(summary)  # serialisable


def test_reports_render(tmp_path):
    table = ModalityTable.from_predictions(HAND)
    md = markdown_report(table, {"n_edits": 0}, {"intent": "offline"})
    assert "| 1 | 100.00 (n=2) | 50.00 (n=2) | 0.00 (n=1) | – (n=0) |" in md
    assert "**54.63**" in md and "57.89" in md
    png = plot_cells(table, tmp_path / "c.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    from rich.console import Console

    console = Console(record=True, width=120)
    console.print(rich_table(table))
    text = console.export_text()
    assert "66.67 (n=3)" in text and "Avg" in text and "54.63" in text
    table2, summary = write_reports(tmp_path / "out", HAND)
    assert {p.name for p in (tmp_path / "out").iterdir()} == {"summary.json", "report.md", "cells.png"}
    assert json.loads((tmp_path / "out" / "summary.json").read_text())["avg"] == 54.63


# --- runs through the graph ---------------------------------------------------------------------

def _bench(path: Path) -> Path:
    convs = [
        {"id": "c1", "lang": "en", "turns": [
            {"user": "Please draw a red fox in the snow.", "scenario": "T->I", "expected": "image",
             "reference": "A red fox stands in the snow. The background is a park. The shot is a medium shot. The style is realistic."},
            {"user": "Change the background to a beach.", "scenario": "T->I", "expected": "image",
             "reference": "A red fox stands in the snow. The background is a beach. The shot is a medium shot. The style is realistic."},
            {"user": "Why are foxes red?", "scenario": "T->T", "expected": "text"},
        ]},
        {"id": "c2", "lang": "en", "turns": [
            {"user": "What is in this photo?", "image": {"caption": "A cat on a sofa."}, "scenario": "I+T->T", "expected": "text"},
            {"user": "Tell me about cats.", "scenario": "T->T", "expected": "text"},
            {"user": "This is wrong, draw a picture of it.", "scenario": "T->I", "expected": "image"},
        ]},
        {"id": "c3", "lang": "en", "turns": [
            {"user": "Hello there.", "scenario": "T->T", "expected": "text"},
            {"user": "Make it a painting of a lake.", "image": {"caption": "A lake at dawn."}, "scenario": "I+T->I", "expected": "image"},
            {"user": "Nice, thanks.", "scenario": "T->T", "expected": "text"},
        ]},
    ]
    write_jsonl(path, convs)
    return path


def test_evaluate_with_fake_roles_and_resume(tmp_path, fake_roles, fake_context):
    from dialoggen.evals.modality import PREDICTIONS, evaluate

    data = _bench(tmp_path / "bench.jsonl")
    out = tmp_path / "run"
    res = evaluate(data, out, fake_context, limit=2, progress=False)
    assert res.n_run == 2 and res.n_failed == 0
    rows = [json.loads(line) for line in (out / PREDICTIONS).read_text().splitlines()]
    assert [(r["id"], r["round"]) for r in rows] == [("c1", 1), ("c1", 2), ("c1", 3), ("c2", 1), ("c2", 2), ("c2", 3)]
    assert rows[0]["predicted"] == "image" and rows[0]["output"].startswith("Please draw a red fox")
    assert rows[1]["prompt"]["background"] == "to a beach" and rows[1]["prompt"]["subject"] == rows[0]["prompt"]["subject"]
    assert rows[2]["predicted"] == "text" and rows[2]["output"] == "echo: Why are foxes red?"
    # the fake intent draws on 'draw'/'picture': c2 round 3 correct, everything else too
    assert all(r["correct"] for r in rows)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["n_turns"] == 6 and summary["avg"] == 100.0
    assert summary["consistency"]["n_edits"] == 1 and summary["consistency"]["kept_pct"] == 100.0
    assert summary["consistency"]["basis"] == {"reference": 1, "request": 0}
    assert (out / "cells.png").is_file() and "Prompt consistency" in (out / "report.md").read_text()

    # a torn conversation (c2 cut after round 1) is dropped and rerun; c1 is not rerun
    lines = (out / PREDICTIONS).read_text().splitlines()
    (out / PREDICTIONS).write_text("\n".join(lines[:4]) + "\n{\"id\": \"c2\", \"rou")
    calls = fake_roles["intent"].calls
    res2 = evaluate(data, out, fake_context, progress=False)
    assert res2.n_resumed == 1 and res2.n_run == 2  # c2 again, c3 new
    assert fake_roles["intent"].calls - calls == 6
    rows = [json.loads(line) for line in (out / PREDICTIONS).read_text().splitlines()]
    assert sorted((r["id"], r["round"]) for r in rows) == sorted((c, k) for c in ("c1", "c2", "c3") for k in (1, 2, 3))
    assert json.loads((out / "summary.json").read_text())["n_turns"] == 9
    # nothing left to do: a third run runs nothing
    res3 = evaluate(data, out, fake_context, progress=False)
    assert res3.n_run == 0 and res3.n_resumed == 3 and res3.summary["n_turns"] == 9
    # a smaller --limit summarises only its conversations, the file keeps the rest
    res4 = evaluate(data, out, fake_context, progress=False, limit=1)
    assert res4.n_run == 0 and res4.summary["n_turns"] == 3 and len((out / PREDICTIONS).read_text().splitlines()) == 9
    # resuming with another intent model is refused
    import dataclasses

    from dialoggen.agent.errors import InputError

    with pytest.raises(InputError, match="intent=fake"):
        evaluate(data, out, dataclasses.replace(fake_context, intent="offline"), progress=False)


def test_critic_two_step_changes_modality(tmp_path, fake_roles, fake_context):
    import dataclasses

    from dialoggen.evals.modality import evaluate

    data = _bench(tmp_path / "bench.jsonl")
    ctx = dataclasses.replace(fake_context, critic="fake-critic")
    res = evaluate(data, tmp_path / "two", ctx, progress=False, workers=2)
    rows = [json.loads(line) for line in (tmp_path / "two" / "predictions.jsonl").read_text().splitlines()]
    flipped = [r for r in rows if r["id"] == "c2" and r["round"] == 3][0]
    assert flipped["critic"]["ok"] is False and flipped["predicted"] == "text" and not flipped["correct"]
    assert res.summary["cells"]["3"]["T->I"] == {"acc": 0.0, "n": 1}
    report = (tmp_path / "two" / "report.md").read_text()
    assert "Turns judged: 9; rejected (a rule broken): 1; output modality changed: 1" in report


def test_cli_compare_critic(tmp_path, fake_roles, fake_context, monkeypatch):
    from typer.testing import CliRunner

    from dialoggen.agent.app.cli import app

    data = _bench(tmp_path / "bench.jsonl")
    monkeypatch.setenv("DIALOGGEN_DATA_DIR", str(tmp_path / "data"))
    result = CliRunner().invoke(app, ["eval", "modality", "--data", str(data), "--out", str(tmp_path / "cmp"), "--intent", "fake",
                                           "--rewrite", "fake", "--chat", "fake", "--critic", "fake-critic", "--compare-critic"])
    assert result.exit_code == 0, result.output
    assert "One-step vs two-step" in result.output
    comparison = json.loads((tmp_path / "cmp" / "comparison.json").read_text())
    assert comparison["one_step"]["avg"] == 100.0 and comparison["two_step"]["avg"] < 100.0
    bad = CliRunner().invoke(app, ["eval", "modality", "--data", str(tmp_path / "missing.jsonl"), "--out", str(tmp_path / "x"),
                                        "--intent", "fake", "--rewrite", "fake", "--chat", "fake"])
    assert bad.exit_code == 1 and "No benchmark file" in bad.output and "Traceback" not in bad.output


def test_end_to_end_offline_models(tmp_path):
    """The real offline roles (router, rule rewriter, no chat) on a slice of the dev set."""
    from dialoggen.agent.context import Context
    from dialoggen.evals.modality import evaluate

    dev = Path(__file__).resolve().parents[2] / "shared" / "benchmark" / "external-dev.jsonl"
    data = tmp_path / "dev.jsonl"
    if dev.is_file():
        data.write_text("".join(dev.read_text(encoding="utf-8").splitlines(keepends=True)[:12]), encoding="utf-8")
    else:
        _bench(data)
    ctx = Context(intent="offline", rewrite="offline", chat="none", t2i="none", data_dir=str(tmp_path / "d"))
    res = evaluate(data, tmp_path / "off", ctx, progress=False)
    assert res.n_failed == 0, res.errors
    from dialoggen.evals.dataset import read_jsonl

    assert res.summary["n_turns"] == sum(len(c.turns) for c in read_jsonl(data))
    rows = [json.loads(line) for line in (tmp_path / "off" / "predictions.jsonl").read_text().splitlines()]
    assert all(r["predicted"] in ("text", "image") and 0.0 <= r["confidence"] <= 1.0 for r in rows)
    assert all(r["output"] for r in rows if r["predicted"] == "image")
    assert res.summary["avg"] is not None and res.summary["avg"] > 50.0  # well above chance on the dev slice


def test_carried_state_matches_checkpointed_threads(tmp_path, fake_roles, fake_context):
    """The fast path (no checkpointer, state carried by the eval) gives the same turn
    records as a checkpointed thread."""
    from langgraph.checkpoint.memory import InMemorySaver

    from dialoggen.evals.dataset import read_jsonl
    from dialoggen.evals.modality import run_conversation_records
    from dialoggen.graphs import build_graph

    data = _bench(tmp_path / "bench.jsonl")
    saver = InMemorySaver()
    fast, slow = build_graph(), build_graph(checkpointer=saver)
    for conv in read_jsonl(data):
        a = run_conversation_records(fast, conv, fake_context)
        b = run_conversation_records(slow, conv, fake_context, run_tag="t")
        assert [rec for _, rec in a] == [rec for _, rec in b]
        assert [rec["turn"] for _, rec in a] == [1, 2, 3]
    assert not list(saver.list(None))  # threads are dropped after each conversation


def test_load_conversations_names_the_fix_in_one_sentence(tmp_path):
    from dialoggen.agent.errors import InputError
    from dialoggen.evals.dataset import load_conversations

    with pytest.raises(InputError, match="No train file at"):
        load_conversations(tmp_path / "missing.jsonl", what="train")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "lang": "en", "turns": []}\n')
    with pytest.raises(InputError, match=r"bad.jsonl:1: .*fix that line"):
        load_conversations(bad)
