"""BLIP-VQA scoring and ``dialoggen eval coherence`` with tiny random models (no download).

The numbers mean nothing; the path (draw, question, score, write) is the real one."""

from __future__ import annotations

import json
import string
from pathlib import Path

import pytest

from dialoggen.agent.errors import ConfigError, InputError
from dialoggen.agent.prompt import DrawingPrompt
from dialoggen.evals.dataset import write_jsonl

WORDS = "yes no is there a an the in of picture image style train cat dog red blue realistic what color background forest".split()


def tiny_blip_dir(root: Path) -> Path:
    """A random ``BlipForQuestionAnswering`` (one layer, width 32, 32x32 images) and its
    processor, with a small BERT WordPiece vocabulary, saved under ``root``."""
    import torch
    from transformers import BertTokenizer, BlipConfig, BlipForQuestionAnswering, BlipImageProcessor, BlipProcessor

    out = root / "tiny-blip"
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "[DEC]", *string.ascii_lowercase, *("##" + c for c in string.ascii_lowercase), "?", ".", *WORDS]
    tok = BertTokenizer(vocab={w: i for i, w in enumerate(dict.fromkeys(vocab))}, do_lower_case=True)
    torch.manual_seed(0)
    config = BlipConfig(
        text_config=dict(vocab_size=len(tok), hidden_size=32, intermediate_size=37, num_hidden_layers=1, num_attention_heads=2,
                         max_position_embeddings=64, bos_token_id=tok.convert_tokens_to_ids("[DEC]"), pad_token_id=0, sep_token_id=3, eos_token_id=3),
        vision_config=dict(hidden_size=32, intermediate_size=37, num_hidden_layers=1, num_attention_heads=2, image_size=32, patch_size=8),
        projection_dim=16,
        image_text_hidden_size=16,
    )
    BlipForQuestionAnswering(config).save_pretrained(out)
    BlipProcessor(image_processor=BlipImageProcessor(size={"height": 32, "width": 32}), tokenizer=tok).save_pretrained(out)
    return out


def tiny_clip_dir(root: Path) -> Path:
    """A random ``CLIPModel`` with the byte-level tiny tokenizer of ``tiny_models``."""
    import torch
    from tiny_models import MAX_TOKENS, write_tiny_clip_tokenizer
    from transformers import CLIPConfig, CLIPImageProcessor, CLIPModel, CLIPProcessor, CLIPTokenizer

    out = root / "tiny-clip"
    tok = CLIPTokenizer.from_pretrained(write_tiny_clip_tokenizer(root / "clip-tok"))
    torch.manual_seed(0)
    config = CLIPConfig(
        text_config=dict(vocab_size=len(tok), hidden_size=32, intermediate_size=37, num_hidden_layers=1, num_attention_heads=2,
                         max_position_embeddings=MAX_TOKENS, bos_token_id=0, eos_token_id=1, pad_token_id=1),
        vision_config=dict(hidden_size=32, intermediate_size=37, num_hidden_layers=1, num_attention_heads=2, image_size=32, patch_size=8),
        projection_dim=16,
    )
    CLIPModel(config).save_pretrained(out)
    image_processor = CLIPImageProcessor(size={"shortest_edge": 32}, crop_size={"height": 32, "width": 32})
    CLIPProcessor(image_processor=image_processor, tokenizer=tok).save_pretrained(out)
    return out


@pytest.fixture(scope="module")
def blip_dir(tmp_path_factory):
    return tiny_blip_dir(tmp_path_factory.mktemp("blip"))


@pytest.fixture(scope="module")
def scorer(blip_dir):
    from dialoggen.tools.vqa import VQAScorer

    return VQAScorer(str(blip_dir))


@pytest.fixture(scope="module")
def sd_dir(tmp_path_factory):
    from tiny_models import tiny_sd_pipeline_dir

    return tiny_sd_pipeline_dir(tmp_path_factory.mktemp("tiny-sd"))


def _image(colour="red"):
    from PIL import Image

    return Image.new("RGB", (40, 30), colour)


# ---------- VQAScorer ----------

def test_yes_and_no_share_the_probability(scorer):
    img = _image()
    yes, no = scorer.score(img, "is there a train?", "yes"), scorer.score(img, "is there a train?", "No ")
    assert 0.0 < yes < 1.0 and yes == pytest.approx(1.0 - no, abs=1e-5)


def test_free_answer_is_the_normalised_decoder_likelihood(scorer):
    """exp(mean log-prob) equals exp(-loss) of the model's own forward pass with the answer as labels."""
    import torch

    img, question, answer = _image("blue"), "what color is the cat?", "red cat"
    got = scorer.score(img, question, answer)
    inputs = scorer.processor(images=[img], text=[question], return_tensors="pt").to(scorer.device)
    labels = torch.tensor([scorer._answer_ids(answer)], device=scorer.device)
    pixels = inputs["pixel_values"].to(scorer.dtype)
    with torch.no_grad():
        loss = scorer.model(input_ids=inputs["input_ids"], pixel_values=pixels, attention_mask=inputs["attention_mask"], labels=labels).loss
    tolerance = 1e-4 if scorer.dtype == torch.float32 else 1e-2  # fp16 on a GPU
    assert got == pytest.approx(float(torch.exp(-loss.float())), rel=tolerance)


def test_batched_scores_equal_single_scores(scorer):
    img = _image()
    qa = [("is there a train?", "yes"), ("what color is it?", "blue"), ("is the style realistic?", "no")]
    many = scorer.score_many(img, qa)
    assert many == pytest.approx([scorer.score(img, q, a) for q, a in qa], abs=5e-4)  # padding changes the kernels, not the maths


def test_missing_vqa_model_is_a_config_error(tmp_path):
    from dialoggen.tools.vqa import VQAScorer

    with pytest.raises(ConfigError, match="--vqa Salesforce/blip-vqa-base"):
        VQAScorer(str(tmp_path / "nowhere"))


def test_clip_score_is_a_bounded_similarity(tmp_path):
    from dialoggen.tools.vqa import CLIPScorer

    clip = CLIPScorer(str(tiny_clip_dir(tmp_path)))
    s = clip.score(_image(), "a red train")
    assert 0.0 <= s <= 100.0
    assert s == pytest.approx(clip.score(_image(), "a red train"))


# ---------- eval coherence ----------

TRAIN = DrawingPrompt(subject="A red train", background="a forest", style="realistic")
TRAIN_BLUE = TRAIN.model_copy(update={"style": "watercolor"})


def _bench(path: Path) -> Path:
    qs = [{"q": "Is there a train in the picture?", "a": "yes"}, {"q": "Is the style realistic?", "a": "yes"}]
    convs = [
        {"id": "c1", "lang": "en", "turns": [
            {"user": "draw a red train", "scenario": "T->I", "expected": "image", "reference": TRAIN.render(), "questions": qs, "prompt": TRAIN.model_dump()},
            {"user": "what is a train?", "scenario": "T->T", "expected": "text", "reference": "A vehicle."},
            {"user": "make it watercolor", "scenario": "T->I", "expected": "image", "reference": TRAIN_BLUE.render(),
             "questions": [{"q": "Is the style realistic?", "a": "no"}], "prompt": TRAIN_BLUE.model_dump()},
        ]},
        {"id": "c2", "lang": "en", "seed": 7, "turns": [
            {"user": "draw a cat", "scenario": "T->I", "expected": "image", "reference": "A cat.", "questions": [{"q": "Is there a cat?", "a": "yes"}]},
            {"user": "draw a dog", "scenario": "T->I", "expected": "image", "reference": "A dog."},
        ]},
    ]
    write_jsonl(path, convs)
    return path


def test_coherence_eval_draws_scores_and_writes(tmp_path, sd_dir, blip_dir):
    from dialoggen.evals.coherence import ROWS, SUMMARY, evaluate

    res = evaluate(_bench(tmp_path / "bench.jsonl"), tmp_path / "out", t2i=f"diffusers:{sd_dir}", vqa=str(blip_dir), steps=2)
    rows = [json.loads(l) for l in (tmp_path / "out" / ROWS).read_text().splitlines()]
    assert [(r["id"], r["round"]) for r in rows] == [("c1", 1), ("c1", 3), ("c2", 1)]
    assert [r["seed"] for r in rows] == [42, 42, 7]
    assert rows[1]["edit_from"] == "c1-r1.png" and rows[0]["edit_from"] is None  # the style edit starts from turn 1
    for r in rows:
        assert (tmp_path / "out" / r["image"]).is_file()
        assert r["score"] == pytest.approx(sum(q["score"] for q in r["questions"]) / len(r["questions"]))
    summary = json.loads((tmp_path / "out" / SUMMARY).read_text())
    assert summary["score"] == pytest.approx(sum(r["score"] for r in rows) / 3, abs=1e-4) == pytest.approx(res.score, abs=1e-4)
    assert summary["images"] == 3 and summary["questions"] == 4
    assert summary["left_out"] == {"no_questions": 1, "missed": 0, "no_prompt": 0}
    assert 0.0 < summary["score"] < 1.0


def test_coherence_eval_draws_the_predicted_prompts(tmp_path, sd_dir, blip_dir):
    from dialoggen.evals.coherence import evaluate

    preds = tmp_path / "predictions.jsonl"
    preds.write_text("\n".join(json.dumps(r) for r in [
        {"id": "c1", "round": 1, "predicted": "image", "output": "A steam train. The style is realistic.", "prompt": None},
        {"id": "c1", "round": 3, "predicted": "text", "output": "Sure, watercolor is nice."},
        {"id": "c2", "round": 1, "predicted": "image", "output": None, "prompt": DrawingPrompt(subject="A grey cat").model_dump()},
    ]) + "\n")
    res = evaluate(_bench(tmp_path / "bench.jsonl"), tmp_path / "out", t2i=f"diffusers:{sd_dir}", vqa=str(blip_dir), predictions=preds, steps=2)
    assert [r["prompt"] for r in res.rows] == ["A steam train. The style is realistic.", "A grey cat."]
    assert {r["source"] for r in res.rows} == {"prediction"}
    assert res.summary["left_out"]["missed"] == 1


def test_cli_prints_the_score(tmp_path, sd_dir, blip_dir):
    from typer.testing import CliRunner

    from dialoggen.evals.cli import eval_app

    result = CliRunner().invoke(eval_app, ["coherence", "--data", str(_bench(tmp_path / "b.jsonl")), "--out", str(tmp_path / "o"),
                                           "--t2i", f"diffusers:{sd_dir}", "--vqa", str(blip_dir), "--limit", "1", "--steps", "1"])
    assert result.exit_code == 0, result.output
    assert "Coherence VQA score:" in result.output and "over 2 images" in result.output


def test_a_set_without_questions_is_refused(tmp_path, blip_dir):
    from dialoggen.evals.coherence import evaluate

    write_jsonl(tmp_path / "b.jsonl", [{"id": "x", "lang": "en", "turns": [{"user": "draw", "scenario": "T->I", "expected": "image", "reference": "A cat."}]}])
    with pytest.raises(InputError, match="bench generate"):
        evaluate(tmp_path / "b.jsonl", tmp_path / "o", t2i="none", vqa=str(blip_dir))
