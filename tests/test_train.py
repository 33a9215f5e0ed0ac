"""``dialoggen train`` on CPU with a tiny random model built here (no download): the
role-format export, a few SFT steps whose loss goes down, the saved adapter served through
``hf:DIR`` and a turn through the graph with it; bad input gets one sentence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("trl")
pytest.importorskip("peft")

from dialoggen.agent.errors import ConfigError, InputError  # noqa: E402
from dialoggen.evals.train import sft  # noqa: E402

CHAT_TEMPLATE = (
    "{% for m in messages %}<|{{ m['role'] }}|> {{ m['content'] }} </s> {% endfor %}"
    "{% if add_generation_prompt %}<|assistant|> {% endif %}"
)


def write_tiny_word_model(folder: Path, texts: list[str]) -> Path:
    """A 2-layer LlamaForCausalLM (hidden 32) with a word-level tokenizer over the words of
    ``texts`` (split at whitespace; decoding joins with one space, so JSON written with
    single spaces comes back byte-identical) and a chat template, saved to ``folder``."""
    import torch
    from tokenizers import Tokenizer, decoders, models as tok_models, pre_tokenizers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    special = ["<unk>", "<s>", "</s>", "<pad>", "<|system|>", "<|user|>", "<|assistant|>"]
    vocab = {w: i for i, w in enumerate(special)}
    for text in texts:
        for word in text.split():
            vocab.setdefault(word, len(vocab))
    tok = Tokenizer(tok_models.WordLevel(vocab, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tok.decoder = decoders.WordPiece(prefix="##", cleanup=False)  # joins words with one space
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="</s>", unk_token="<unk>", pad_token="<pad>")
    tokenizer.chat_template = CHAT_TEMPLATE
    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=len(vocab), hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=2,
                         num_key_value_heads=2, max_position_embeddings=2048, bos_token_id=1, eos_token_id=2, pad_token_id=3)
    LlamaForCausalLM(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def _texts(folder: Path) -> list[str]:
    return [m["content"] for f in sorted(folder.glob("*.jsonl")) for line in f.open(encoding="utf-8") for m in json.loads(line)["messages"]]


@pytest.fixture(scope="module")
def role_data(tmp_path_factory):
    """The role-format export of a few generated conversations."""
    from dialoggen.evals.dataset import write_jsonl
    from dialoggen.evals.export import export_roles
    from dialoggen.evals.generate import generate_conversations

    root = tmp_path_factory.mktemp("export")
    convs = generate_conversations(12, seed=0, split="train")
    write_jsonl(root / "train.jsonl", convs)
    manifest = export_roles(root / "train.jsonl", root / "roles", seed=0)
    return root / "roles", manifest


@pytest.fixture(scope="module")
def tiny_base(tmp_path_factory, role_data):
    return write_tiny_word_model(tmp_path_factory.mktemp("tiny-llama"), _texts(role_data[0]))


STEPS = 16


def _settings(base: Path, data: list[Path], out: Path, **kw) -> "sft.TrainSettings":
    args = dict(base=f"hf:{base}", data=[str(p) for p in data], out=str(out), max_steps=STEPS, batch_size=4, lr=2e-2, logging_steps=4,
                save_steps=8, max_length=1024, lora_r=8, lora_alpha=16, threads=1, seed=0)
    return sft.TrainSettings(**(args | kw))


@pytest.fixture(scope="module")
def trained(tiny_base, role_data, tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "adapter"
    card = sft.train(_settings(tiny_base, [role_data[0] / "d_i.jsonl"], out), progress=False)
    return out, card


def test_role_export_targets_parse_as_the_roles_answers(role_data):
    from dialoggen.agent.llm.roles import CriticOutput, IntentOutput, PromptEdit, TurnOutput, parse_json
    from dialoggen.agent.llm.roles import system_prompt as load_prompt  # the prompt file as sent ($draw_prompt empty)

    folder, manifest = role_data
    assert all(manifest["counts"][name] > 0 for name in ("d_p", "d_pm", "d_b", "d_c", "d_i", "d_r"))
    schema_of = {load_prompt("turn"): TurnOutput, load_prompt("intent"): IntentOutput, load_prompt("rewrite"): PromptEdit, load_prompt("critic"): CriticOutput}
    rules = set()
    for name in ("d_p", "d_pm", "d_b", "d_c", "d_i", "d_r"):
        for line in (folder / f"{name}.jsonl").open(encoding="utf-8"):
            system, user, answer = json.loads(line)["messages"]
            assert system["role"] == "system" and user["role"] == "user" and answer["role"] == "assistant"
            schema = schema_of[system["content"]]  # the role's own prompt file, verbatim
            assert "Current user message:" in user["content"] and "Answer with one JSON object only" in user["content"]
            parsed = parse_json(schema, answer["content"])
            assert parsed is not None, (name, answer["content"])
            if schema is CriticOutput:
                rules.add(parsed.rule)
    assert {None, "intent", "descriptive_prompt"} <= rules
    # D_pm threads end in a new picture: every part given, start_over
    last = json.loads((folder / "d_pm.jsonl").open(encoding="utf-8").readline())["messages"][-1]["content"]
    assert json.loads(last)["start_over"] is True


def test_mix_weights_and_determinism(role_data):
    files = sft.data_files([str(role_data[0])])
    assert {f.stem for f in files} == {"d_p", "d_pm", "d_b", "d_c", "d_i", "d_r"}
    rows, sources = sft.build_dataset(files, sft.DEFAULT_MIX | sft.parse_mix("d_c=0.5,d_i=2,d_r=0"), seed=3)
    used = {s["set"]: s["used"] for s in sources}
    n = {s["set"]: s["samples"] for s in sources}
    assert used["d_c"] == round(n["d_c"] / 2) and used["d_i"] == 2 * n["d_i"] and used["d_r"] == 0
    assert all(r["completion"][0]["role"] == "assistant" for r in rows)
    again, _ = sft.build_dataset(files, sft.DEFAULT_MIX | sft.parse_mix("d_c=0.5,d_i=2,d_r=0"), seed=3)
    assert again == rows
    with pytest.raises(InputError, match="SET=WEIGHT"):
        sft.parse_mix("d_p=lots")


def test_training_lowers_the_loss_and_writes_adapter_tokenizer_and_card(trained):
    out, card = trained
    log = card["losses"]["log"]
    assert card["steps"] == STEPS and len(log) >= 3
    assert log[-1] < log[0]
    for name in ("adapter_config.json", "adapter_model.safetensors", "tokenizer.json", "README.md", "card.json"):
        assert (out / name).is_file(), name
    from transformers import AutoTokenizer

    assert AutoTokenizer.from_pretrained(out).chat_template
    saved = json.loads((out / "card.json").read_text())
    assert saved["method"] == "LoRA (PEFT)" and saved["settings"]["mix"]["d_c"] == 0.5
    assert saved["data"]["sources"][0]["set"] == "d_i" and saved["data"]["sources"][0]["samples"] > 0
    assert "Losses" in (out / "README.md").read_text()


def test_resume_continues_from_the_last_checkpoint(trained, tiny_base, role_data):
    out, _ = trained
    assert (out / "checkpoints" / f"checkpoint-{STEPS}").is_dir()
    card = sft.train(_settings(tiny_base, [role_data[0] / "d_i.jsonl"], out, max_steps=STEPS + 4, resume=True), progress=False)
    assert card["steps"] == STEPS + 4
    assert len(card["losses"]["log"]) > len(json.loads((out / "checkpoints" / f"checkpoint-{STEPS}" / "trainer_state.json").read_text())["log_history"]) - 1


def test_adapter_serves_through_hf_spec_and_a_graph_turn_parses(trained, tmp_path):
    """The tuned tiny model answers the intent role with JSON that parses (no fallback)."""
    from langchain_core.messages import HumanMessage
    from langgraph.checkpoint.memory import InMemorySaver

    from dialoggen.agent import roles
    from dialoggen.agent.context import Context
    from dialoggen.graphs import build_graph

    out, _ = trained
    spec = f"hf:{out}"
    roles.clear_cache()
    try:
        ctx = Context(intent=spec, rewrite="offline", chat="none", critic=None, t2i="none", data_dir=str(tmp_path))
        graph = build_graph(InMemorySaver())
        turn = graph.invoke({"messages": [HumanMessage("Draw a cat sleeping on a red sofa.")]}, {"configurable": {"thread_id": "t"}}, context=ctx)["last_turn"]
    finally:
        roles.clear_cache()
    assert turn["decided_by"] == spec  # the model's own answer parsed: no "(fallback ...)" source
    assert turn["modality"] in ("text", "image") and turn["confidence"] == pytest.approx(0.9)


def test_bad_input_gets_one_sentence(tiny_base, role_data, tmp_path):
    from transformers import T5Config

    bad = tmp_path / "d_b.jsonl"
    bad.write_text('{"conversation": []}\n', encoding="utf-8")
    with pytest.raises(InputError, match="not a TRL messages sample"):
        sft.train(_settings(tiny_base, [bad], tmp_path / "o1"), progress=False)
    t5 = tmp_path / "t5"  # an encoder-decoder model
    T5Config(vocab_size=10, d_model=8, d_kv=4, d_ff=8, num_layers=1, num_heads=2).save_pretrained(t5)
    with pytest.raises(ConfigError, match="not a causal language model"):
        sft.train(_settings(t5, [role_data[0] / "d_i.jsonl"], tmp_path / "o2"), progress=False)
    with pytest.raises(InputError, match="No checkpoint to resume"):
        sft.train(_settings(tiny_base, [role_data[0] / "d_i.jsonl"], tmp_path / "o3", resume=True), progress=False)


def test_no_disk_space_is_refused_before_training(tiny_base, role_data, tmp_path, monkeypatch):
    import shutil
    from collections import namedtuple

    from dialoggen.agent.errors import NoDiskSpaceError

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10**9, 10**9 - 2**20, 2**20))
    with pytest.raises(NoDiskSpaceError, match="MiB free"):
        sft.train(_settings(tiny_base, [role_data[0] / "d_i.jsonl"], tmp_path / "o"), progress=False)


def test_cli_prints_one_sentence_for_bad_data(tmp_path):
    from typer.testing import CliRunner

    from dialoggen.agent.app.cli import app

    bad = tmp_path / "x.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["train", "--base", "hf:/nowhere", "--data", str(bad), "--out", str(tmp_path / "o")])
    text = " ".join(result.output.split())
    assert result.exit_code == 1 and "x.jsonl:1 is not JSON" in text and "Traceback" not in text


def test_adapter_folder_without_its_base_gets_one_sentence(tmp_path):
    from dialoggen.agent.llm.models import load_chat_model

    (tmp_path / "adapter_config.json").write_text(json.dumps({"base_model_name_or_path": str(tmp_path / "gone"), "peft_type": "LORA"}), encoding="utf-8")
    with pytest.raises(ConfigError, match="needs its base model"):
        load_chat_model(f"hf:{tmp_path}")
