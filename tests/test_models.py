"""Model specs -> chat models: spec forms and config errors, the OpenAI key rules, and the
hf: path with a tiny random transformers chat model built here (no download)."""

from __future__ import annotations

import pytest
from langchain_core.messages import HumanMessage

from dialoggen.agent import roles
from dialoggen.agent.llm import models
from dialoggen.agent.errors import ConfigError
from dialoggen.agent.llm.roles import LLMChat, LLMIntent
from dialoggen.agent.llm.models import is_vision_model, load_chat_model
from dialoggen.agent.schemas import Conversation

WORDS = "hello the a cat dog draw picture image text modality confidence { } : , \" yes no".split()
CHAT_TEMPLATE = (
    "{% for m in messages %}<|{{ m['role'] }}|> {{ m['content'] }} </s> {% endfor %}"
    "{% if add_generation_prompt %}<|assistant|> {% endif %}"
)


def write_tiny_chat_model(folder):
    """A 2-layer LlamaForCausalLM (hidden size 16) with a word-level tokenizer and a chat
    template, saved to ``folder``; returns ``folder``."""
    import torch
    from tokenizers import Tokenizer, models as tok_models, pre_tokenizers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    special = ["<unk>", "<s>", "</s>", "<pad>", "<|system|>", "<|user|>", "<|assistant|>"]
    vocab = {w: i for i, w in enumerate(special + WORDS)}
    tok = Tokenizer(tok_models.WordLevel(vocab, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="</s>", unk_token="<unk>", pad_token="<pad>")
    tokenizer.chat_template = CHAT_TEMPLATE
    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=len(vocab),
        hidden_size=16,
        intermediate_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        num_key_value_heads=2,
        max_position_embeddings=4096,
        bos_token_id=1,
        eos_token_id=2,
        pad_token_id=3,
    )
    LlamaForCausalLM(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def tiny_dir(tmp_path_factory):
    return write_tiny_chat_model(tmp_path_factory.mktemp("tiny-llama"))


# ------------------------------------------------------------------ spec forms
@pytest.mark.parametrize("spec", ["gguf:x", "openai:", "hf:", "gpt-4o", "offline:x"])
def test_unknown_spec_lists_the_accepted_forms(spec):
    with pytest.raises(ConfigError, match="offline, openai:MODEL, hf:PATH_OR_HUB_ID"):
        load_chat_model(spec)


def test_openai_needs_a_key_for_openai_itself(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    with pytest.raises(ConfigError, match=r"^Set OPENAI_API_KEY .*--openai-base-url for a local server\.$"):
        load_chat_model("openai:gpt-4o")
    with pytest.raises(ConfigError):
        load_chat_model("openai:gpt-4o", openai_base_url="https://api.openai.com/v1/")


def test_openai_local_server_gets_a_placeholder_key(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    m = load_chat_model("openai:qwen2.5-7b")
    assert m.openai_api_base == "http://127.0.0.1:9/v1" and m.model_name == "qwen2.5-7b"
    assert m.openai_api_key.get_secret_value() == models.LOCAL_KEY
    assert m.max_retries <= 2 and m.request_timeout
    arg = load_chat_model("openai:m", openai_base_url="http://10.0.0.1:8000/v1")
    assert arg.openai_api_base == "http://10.0.0.1:8000/v1"  # the argument beats the environment


def test_openai_key_from_environment_is_never_shown(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-very-secret-key")
    m = load_chat_model("openai:gpt-4o")
    assert m.openai_api_key.get_secret_value() == "sk-very-secret-key"
    assert "sk-very-secret-key" not in repr(m) and "sk-very-secret-key" not in str(m.model_dump())


def test_is_vision_model(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    assert is_vision_model(load_chat_model("openai:gpt-4o"))
    assert not is_vision_model(load_chat_model("openai:fake-model", openai_base_url="http://127.0.0.1:9/v1"))
    assert is_vision_model(load_chat_model("openai:Qwen/Qwen2-VL-7B-Instruct", openai_base_url="http://127.0.0.1:9/v1"))
    assert not is_vision_model(object())


# ------------------------------------------------------------------ hf:
def test_hf_missing_folder_and_unknown_offline_hub_id(monkeypatch, tmp_path):
    with pytest.raises(ConfigError, match=r"^No model folder at /no/such/dir: .*\.$"):
        load_chat_model("hf:/no/such/dir")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ConfigError, match="Could not load the model hub id 'nobody/no-such-model'"):
        load_chat_model("hf:nobody/no-such-model")
    with pytest.raises(ConfigError, match="Could not load the model folder"):
        load_chat_model(f"hf:{tmp_path}")  # a folder without a model


def test_hf_tiny_chat_model_replies_and_never_crashes_on_garbage(tiny_dir, monkeypatch):
    from langchain_huggingface import ChatHuggingFace

    monkeypatch.setattr(models, "HF_MAX_NEW_TOKENS", 12)
    model = load_chat_model(f"hf:{tiny_dir}")
    assert isinstance(model, ChatHuggingFace) and not is_vision_model(model)
    conv = Conversation(user="hello draw a cat", lang="en", messages=[HumanMessage("hello draw a cat")])
    reply = LLMChat(model, name=f"hf:{tiny_dir}").reply(conv)
    assert isinstance(reply, str)
    first, second = (model.invoke([HumanMessage("hello")]).content for _ in range(2))
    assert first == second  # greedy decoding

    # random weights write no JSON: plain-text parsing, one retry, then the fallback
    def no_router(*a, **k):
        raise ImportError("no router in this test")

    import dialoggen.agent.offline.router as router_mod

    monkeypatch.setattr(router_mod, "default_router", no_router)  # what the intent fallback consults
    intent = LLMIntent(model, name="hf:tiny")
    decision = intent.decide(conv)
    from dialoggen.agent.llm.roles import structured_mode

    assert structured_mode(model) == "prompt"  # ChatHuggingFace has no structured output for a pydantic schema
    assert intent.last_notice and "fallback" in intent.last_notice
    assert (decision.modality, decision.confidence) == ("text", 0.0) and "fallback" in decision.source


def write_tiny_vision_model(folder):
    """A tiny random LLaVA (CLIP vision tower + 2-layer Llama, hidden size 16) with a
    word-level tokenizer, a PIL CLIP image processor (28x28) and a chat template placing
    ``<image>``, saved to ``folder``; returns ``folder``."""
    import torch
    from tokenizers import Tokenizer, models as tok_models, pre_tokenizers
    from transformers import CLIPVisionConfig, LlamaConfig, LlavaConfig, LlavaForConditionalGeneration, LlavaProcessor, PreTrainedTokenizerFast

    try:  # transformers >= 5.2x: the PIL backend needs no torchvision
        from transformers.models.clip.image_processing_pil_clip import CLIPImageProcessorPil as ImageProcessor
    except ImportError:
        from transformers import CLIPImageProcessor as ImageProcessor

    vocab = {w: i for i, w in enumerate(["<unk>", "<s>", "</s>", "<pad>", "<image>", "USER:", "ASSISTANT:", "SYSTEM:", *WORDS])}
    tok = Tokenizer(tok_models.WordLevel(vocab, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=tok, bos_token="<s>", eos_token="</s>", unk_token="<unk>", pad_token="<pad>", extra_special_tokens={"image_token": "<image>"}
    )
    template = (
        "{% for m in messages %}{{ m['role'] | upper }}: {% if m['content'] is string %}{{ m['content'] }} {% else %}"
        "{% for c in m['content'] %}{% if c['type'] == 'image' %}<image> {% else %}{{ c['text'] }} {% endif %}{% endfor %}"
        "{% endif %}{% endfor %}{% if add_generation_prompt %}ASSISTANT: {% endif %}"
    )
    processor = LlavaProcessor(
        image_processor=ImageProcessor(size={"shortest_edge": 28}, crop_size={"height": 28, "width": 28}),
        tokenizer=tokenizer,
        chat_template=template,
        patch_size=14,
        vision_feature_select_strategy="default",
        image_token="<image>",
        num_additional_image_tokens=1,
    )
    config = LlavaConfig(
        vision_config=CLIPVisionConfig(hidden_size=16, intermediate_size=32, num_hidden_layers=2, num_attention_heads=2, image_size=28, patch_size=14, projection_dim=16),
        text_config=LlamaConfig(
            vocab_size=len(vocab), hidden_size=16, intermediate_size=32, num_hidden_layers=2, num_attention_heads=2, num_key_value_heads=2,
            bos_token_id=1, eos_token_id=2, pad_token_id=3,
        ),
        image_token_id=vocab["<image>"],
        vision_feature_layer=-1,
        vision_feature_select_strategy="default",
    )
    torch.manual_seed(0)
    LlavaForConditionalGeneration(config).save_pretrained(folder)
    processor.save_pretrained(folder)
    return folder


def test_hf_vision_model_gets_the_attached_image(tmp_path, monkeypatch):
    from PIL import Image

    folder = write_tiny_vision_model(tmp_path / "tiny-llava")
    monkeypatch.setattr(models, "HF_MAX_NEW_TOKENS", 4)
    model = load_chat_model(f"hf:{folder}")
    assert isinstance(model, models.HFVisionChat) and is_vision_model(model)
    seen = []
    generate = model.model.generate
    monkeypatch.setattr(model.model, "generate", lambda **kw: seen.append(kw) or generate(**kw))
    image = tmp_path / "red.png"
    Image.new("RGB", (40, 30), "red").save(image)
    conv = Conversation(
        user="what colour is it",
        lang="en",
        messages=[HumanMessage("what colour is it")],
        attachment={"path": str(image), "sha256": "x", "caption": "a red square"},
    )
    reply = LLMChat(model, name="hf:tiny-llava").reply(conv)
    assert isinstance(reply, str)
    assert seen and seen[0]["pixel_values"].shape[0] == 1  # the pixels, not the caption
    image_id = model.processor.tokenizer.convert_tokens_to_ids("<image>")
    assert (seen[0]["input_ids"] == image_id).sum() == 4  # (28 / 14) ** 2 patches placed by the template
