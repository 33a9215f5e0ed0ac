"""Issue 13: with an LLM role, the same call writes the drawing text in the T2I model's language.

The roles are served by a real local OpenAI-compatible HTTP server (``FakeOpenAIServer``) that
answers what each test scripts: these are wiring tests (what is asked for, what is drawn, what
falls back, what is recorded), not evidence of translation quality.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest
from fake_chat import FakeOpenAIServer
from langchain_core.messages import HumanMessage
from PIL import Image

from dialoggen.agent import roles
from dialoggen.agent.app.session import Session
from dialoggen.agent.context import Context
from dialoggen.agent.llm.models import load_chat_model
from dialoggen.agent.llm.roles import LLMCritic, LLMIntent, LLMRewriter, TurnOutput, forget_modes, parse_json, system_prompt
from dialoggen.agent.prompt import DrawingPrompt
from dialoggen.agent.schemas import Conversation, TurnDecision
from dialoggen.graphs.nodes.rewrite import write_prompt
from dialoggen.graphs.nodes.t2i import _set_drawing_text, fits_lang, known_drawing_lang
from dialoggen.tools import t2i as t2i_module
from dialoggen.tools.image_store import png_text
from dialoggen.tools.t2i import known_langs

CJK = re.compile(r"[\u3400-\u9fff]")
SPEC = "openai:fake-model"
EN_DRAW = "A small puppy runs on the grass. The background is a park. The style is realistic."
ZH_CHANGES = {"subject": "一只小狗在草地上奔跑", "background": "公园", "style": "写实"}


class FakeT2I:
    supports_img2img = False

    def __init__(self, name: str, langs: tuple[str, ...]) -> None:
        self.name, self.langs, self.calls = name, langs, []

    def generate(self, prompt, *, seed, init_image=None, strength=0.6, steps=None, size=None, on_step=None):
        self.calls.append(prompt)
        return Image.new("RGB", (8, 8), (len(prompt) % 255, seed % 255, 0))


@pytest.fixture
def tools(monkeypatch):
    made = {spec: FakeT2I(spec, langs) for spec, langs in (("fake-en", ("en",)), ("fake-bilingual", ("en", "zh")))}
    for spec, tool in made.items():
        monkeypatch.setitem(t2i_module._cache, spec, tool)
    return made


@pytest.fixture(autouse=True)
def fresh(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    roles.clear_cache()
    forget_modes()
    yield
    roles.clear_cache()
    forget_modes()


@pytest.fixture
def no_offline_translation(monkeypatch):
    """Fails the test if the offline translator is called."""
    import dialoggen.agent.offline.translate as translate

    calls = []

    def refuse(*args, **kwargs):
        calls.append(args)
        raise AssertionError("the offline translation was called")

    monkeypatch.setattr(translate, "translate_prompt", refuse)
    return calls


def _ctx(server, tmp_path, **kw) -> Context:
    base = dict(intent=SPEC, rewrite=SPEC, chat=SPEC, critic=None, t2i="fake-en", openai_base_url=server.base_url, data_dir=str(tmp_path / "data"))
    return Context(**(base | kw))


def _schema_name(body: dict) -> str | None:
    return ((body.get("response_format") or {}).get("json_schema") or {}).get("name")


def _system(body: dict) -> str:
    return body["messages"][0]["content"]


# ------------------------------------------------------------------ (a) the LLM's text is drawn
def test_chinese_conversation_with_an_english_model_draws_the_llm_text_in_one_call(tools, tmp_path, no_offline_translation):
    def responder(body):
        return {"modality": "image", "confidence": 0.95, "start_over": True, "changes": ZH_CHANGES, "draw_prompt": EN_DRAW}

    with FakeOpenAIServer(responder=responder) as server:
        rec = Session(_ctx(server, tmp_path), "zh-llm").send("画一只在草地上奔跑的小狗")
    assert len(server.requests) == 1  # the single pass: no extra call for the drawing text
    body = server.requests[0][1]
    assert _schema_name(body) == "TurnDrawOutput"
    assert "`draw_prompt`" in _system(body) and "English only" in _system(body)
    assert rec["modality"] == "image" and CJK.search(rec["prompt_text"])  # the user's prompt stays Chinese
    assert (rec["draw_text"], rec["draw_lang"], rec["draw_source"]) == (EN_DRAW, "en", "llm")
    assert tools["fake-en"].calls == [EN_DRAW] and no_offline_translation == []
    assert "llm_draw" not in rec  # scratch, not kept in the record
    meta = png_text(rec["image"]["path"])
    assert meta["dialoggen:prompt"] == rec["prompt_text"] and meta["dialoggen:draw_text"] == EN_DRAW


def test_an_edit_shows_the_previous_drawing_text_and_draws_the_new_one(tools, tmp_path, no_offline_translation):
    answers = [
        {"modality": "image", "confidence": 0.95, "start_over": True, "changes": ZH_CHANGES, "draw_prompt": EN_DRAW},
        {"modality": "image", "confidence": 0.9, "changes": {"style": "水彩"}, "draw_prompt": EN_DRAW.replace("realistic", "watercolor")},
    ]
    with FakeOpenAIServer(answers) as server:
        s = Session(_ctx(server, tmp_path), "zh-edit")
        s.send("画一只在草地上奔跑的小狗")
        rec = s.send("改成水彩画")
    assert rec["draw_source"] == "llm" and rec["draw_text"].endswith("The style is watercolor.")
    assert f"Previous drawing text (English): {EN_DRAW}" in server.requests[1][1]["messages"][-1]["content"]


def test_a_separate_llm_rewriter_writes_the_drawing_text_too(tools, tmp_path, no_offline_translation):
    """Offline intent, LLM rewrite: the rewrite call carries the field."""
    with FakeOpenAIServer([{"start_over": True, "changes": ZH_CHANGES, "draw_prompt": EN_DRAW}]) as server:
        rec = Session(_ctx(server, tmp_path, intent="offline", chat="none"), "zh-rw").send("画一只在草地上奔跑的小狗")
    assert [_schema_name(b) for _, b in server.requests] == ["PromptEditDraw"]
    assert (rec["draw_text"], rec["draw_source"]) == (EN_DRAW, "llm")


# ------------------------------------------------------------------ (b) unfit text: offline, noted
@pytest.mark.parametrize("bad", ["一只小狗在草地上奔跑。", "A puppy runs on the grass。", "", "   "])
def test_a_drawing_text_that_does_not_fit_the_target_falls_back_to_the_offline_translation(tools, tmp_path, bad):
    def responder(body):
        return {"modality": "image", "confidence": 0.95, "start_over": True, "changes": ZH_CHANGES, "draw_prompt": bad}

    with FakeOpenAIServer(responder=responder) as server:
        rec = Session(_ctx(server, tmp_path), "zh-bad").send("画一只在草地上奔跑的小狗")
    assert rec["draw_source"] == "offline" and rec["draw_lang"] == "en"
    assert not CJK.search(rec["draw_text"]) and "dog" in rec["draw_text"].lower()
    assert tools["fake-en"].calls == [rec["draw_text"]]
    if bad.strip():
        assert "drawing text was not in English" in (rec["notice"] or "")


def test_no_drawing_text_at_all_falls_back_silently(tools, tmp_path):
    with FakeOpenAIServer([{"modality": "image", "confidence": 0.95, "start_over": True, "changes": ZH_CHANGES}]) as server:
        rec = Session(_ctx(server, tmp_path), "zh-none").send("画一只在草地上奔跑的小狗")
    assert rec["draw_source"] == "offline" and not CJK.search(rec["draw_text"])


def test_the_text_must_fit_its_language():
    assert fits_lang(EN_DRAW, "en") and not fits_lang("A dog runs，fast.", "en") and not fits_lang("123", "en")
    assert fits_lang("一只小狗。", "zh") and not fits_lang("A dog.", "zh") and not fits_lang("A" * 2001, "en")


# ------------------------------------------------------------------ (c) same language: not asked, ignored
def test_same_language_does_not_ask_for_the_field_and_ignores_one_given(tools, tmp_path):
    def responder(body):
        return {"modality": "image", "confidence": 0.95, "start_over": True, "changes": {"subject": "A puppy runs"}, "draw_prompt": "Something else entirely."}

    with FakeOpenAIServer(responder=responder) as server:
        rec = Session(_ctx(server, tmp_path), "en-same").send("Draw a puppy running.")
    body = server.requests[0][1]
    assert _schema_name(body) == "TurnOutput"
    system = _system(body)
    assert "draw_prompt" not in system and "$" not in system and "Drawing text" not in system
    assert "Previous drawing text" not in body["messages"][-1]["content"]
    assert (rec["draw_source"], rec["draw_text"]) == ("prompt", rec["prompt_text"]) and rec["draw_text"].startswith("A puppy runs.")


def test_the_system_prompts_are_unchanged_when_the_field_is_not_asked_for():
    """Served prompts and exported training data keep their old text byte for byte."""
    from dialoggen.prompts import load_prompt

    for name in ("turn", "rewrite", "critic"):
        raw = load_prompt(name)
        assert raw.count("$draw_prompt\n\n") == 1
        assert system_prompt(name) == raw.replace("$draw_prompt\n\n", "")  # the file as it was before issue 13
        assert "corrected_draw_prompt" in system_prompt("critic", "en", "corrected_draw_prompt")
        filled = system_prompt(name, "zh")
        assert "$" not in filled and "<!--" not in filled and "Chinese (中文)" in filled


def test_a_bilingual_model_keeps_the_conversation_language_and_asks_nothing(tools, tmp_path):
    with FakeOpenAIServer([{"modality": "image", "confidence": 0.9, "start_over": True, "changes": ZH_CHANGES}]) as server:
        rec = Session(_ctx(server, tmp_path, t2i="fake-bilingual"), "zh-bi").send("画一只在草地上奔跑的小狗")
    assert _schema_name(server.requests[0][1]) == "TurnOutput"
    assert (rec["draw_lang"], rec["draw_source"]) == ("zh", "prompt")


# ------------------------------------------------------------------ (d) every structured-output mode
def _mode_server(mode: str, answer: dict):
    """A server that refuses (HTTP 400) every mode above ``mode`` and answers JSON in it."""
    order = ["json_schema", "json_object", None]

    def responder(body):
        got = (body.get("response_format") or {}).get("type")
        if order.index(got) < order.index(None if mode == "prompt" else mode):
            return ("status", 400)
        return json.dumps(answer, ensure_ascii=False)

    return FakeOpenAIServer(responder=responder)


def _zh(user: str, draw_lang: str = "en") -> Conversation:
    return Conversation(user=user, lang="zh", messages=[HumanMessage(content=user)], draw_lang=draw_lang)  # type: ignore[arg-type]


@pytest.mark.parametrize("mode", ["json_schema", "json_object", "prompt"])
def test_every_role_parses_the_drawing_text_in_every_structured_mode(mode):
    cases = [
        (LLMIntent, {"modality": "image", "confidence": 0.9, "start_over": True, "changes": ZH_CHANGES, "draw_prompt": EN_DRAW}, lambda r, c: r.decide(c, full_turn=True).draw_text),
        (LLMRewriter, {"start_over": True, "changes": ZH_CHANGES, "draw_prompt": EN_DRAW}, lambda r, c: (r.rewrite(c), r.last_draw)[1][0]),
        (
            LLMCritic,
            {"ok": False, "rule": "descriptive_prompt", "reason": "r", "corrected_changes": ZH_CHANGES, "corrected_draw_prompt": EN_DRAW},
            lambda r, c: r.check(c, TurnDecision(modality="image", prompt=DrawingPrompt(subject="一只狗", lang="zh"))).corrected_draw_text,
        ),
    ]
    for cls, answer, run in cases:
        forget_modes()
        with _mode_server(mode, answer) as server:
            role = cls(load_chat_model(SPEC, openai_base_url=server.base_url), name=SPEC)
            assert run(role, _zh("画一只在草地上奔跑的小狗")) == EN_DRAW, (cls.__name__, mode)
            assert role.last_notice is None
        last = server.requests[-1][1]
        sent = json.dumps(last["messages"], ensure_ascii=False)
        assert "draw_prompt" in sent  # asked for in the system prompt (and in the JSON request below json_schema)
        if mode != "json_schema":
            assert "JSON schema" in last["messages"][-1]["content"]


def test_a_chinese_only_model_gets_chinese_text_from_an_english_conversation():
    answer = {"start_over": True, "changes": {"subject": "A puppy runs"}, "draw_prompt": "一只小狗在奔跑。"}
    with FakeOpenAIServer([answer]) as server:
        role = LLMRewriter(load_chat_model(SPEC, openai_base_url=server.base_url), name=SPEC)
        c = Conversation(user="Draw a puppy running.", lang="en", messages=[HumanMessage(content="Draw a puppy running.")], draw_lang="zh")
        role.rewrite(c)
    assert role.last_draw == ("一只小狗在奔跑。", "zh")
    assert "reads Chinese" in _system(server.requests[0][1])


def test_old_answers_without_the_field_still_parse():
    out = parse_json(TurnOutput, json.dumps({"modality": "image", "changes": {"subject": "x"}, "draw_prompt": "ignored"}))
    assert out is not None and not hasattr(out, "draw_prompt")


# ------------------------------------------------------------------ stale text: critic, prompt edits
def test_a_critic_correction_without_a_new_drawing_text_discards_the_stale_one(tools, tmp_path):
    def responder(body):
        if _schema_name(body) == "CriticDrawOutput":
            return {"ok": False, "rule": "descriptive_prompt", "reason": "Not a puppy.", "corrected_changes": {"subject": "一只小猫在草地上奔跑"}}
        return {"modality": "image", "confidence": 0.95, "start_over": True, "changes": ZH_CHANGES, "draw_prompt": EN_DRAW}

    with FakeOpenAIServer(responder=responder) as server:
        rec = Session(_ctx(server, tmp_path, critic=SPEC), "zh-critic").send("画一只在草地上奔跑的小狗")
    assert [_schema_name(b) for _, b in server.requests] == ["TurnDrawOutput", "CriticDrawOutput"]
    assert "小猫" in rec["prompt_text"]
    assert rec["draw_source"] == "offline" and rec["draw_text"] != EN_DRAW and "kitten" in rec["draw_text"].lower()


def test_a_critic_correction_with_its_own_drawing_text_is_drawn(tools, tmp_path, no_offline_translation):
    fixed = "A kitten runs on the grass. The background is a park. The style is realistic."

    def responder(body):
        if _schema_name(body) == "CriticDrawOutput":
            return {"ok": False, "rule": "descriptive_prompt", "reason": "r", "corrected_changes": {"subject": "一只小猫在草地上奔跑"}, "corrected_draw_prompt": fixed}
        return {"modality": "image", "confidence": 0.95, "start_over": True, "changes": ZH_CHANGES, "draw_prompt": EN_DRAW}

    with FakeOpenAIServer(responder=responder) as server:
        rec = Session(_ctx(server, tmp_path, critic=SPEC), "zh-critic2").send("画一只在草地上奔跑的小狗")
    assert (rec["draw_text"], rec["draw_source"]) == (fixed, "llm")


def test_a_prompt_changed_after_the_llm_wrote_its_text_is_translated_offline():
    """A user's prompt edit (or any later change) leaves ``llm_draw`` for an old prompt text."""
    from dialoggen.agent.schemas import Conversation as Conv

    conv = Conv(user="画一只狗", lang="zh")
    first = DrawingPrompt(subject="一只小狗在草地上奔跑", lang="zh")
    draft = write_prompt(conv, {"notice": None}, first, (EN_DRAW, "en"))
    assert draft["llm_draw"]["prompt_text"] == first.render()
    again = write_prompt(conv, draft, first)  # the same prompt written again keeps its text
    assert again["llm_draw"]["text"] == EN_DRAW
    edited = write_prompt(conv, draft, first.model_copy(update={"subject": "一只小猫在草地上奔跑"}))
    assert "llm_draw" not in edited
    # a draft whose prompt_text was changed in place (not through write_prompt) is not drawn stale either
    draft["prompt_text"] = "一只小猫在草地上奔跑。"
    draft["prompt"] = DrawingPrompt(subject="一只小猫在草地上奔跑", lang="zh").model_dump()
    _set_drawing_text(draft, Context(prompt_lang="en"), None)
    assert draft["draw_source"] == "offline" and "kitten" in draft["draw_text"].lower() and "llm_draw" not in draft


# ------------------------------------------------------------------ the target, known before drawing
def test_the_target_language_is_known_without_loading_the_pipeline(tmp_path, tools, monkeypatch):
    def pipe(name: str, cls: str) -> str:
        folder = tmp_path / name
        folder.mkdir()
        (folder / "model_index.json").write_text(json.dumps({"_class_name": cls}))
        return f"diffusers:{folder}"

    import diffusers

    monkeypatch.setattr(diffusers, "AutoPipelineForText2Image", None)  # loading would fail
    sdxl, kolors = pipe("sdxl", "StableDiffusionXLPipeline"), pipe("k", "KolorsPipeline")
    assert known_langs(sdxl) == ("en",) and known_langs(kolors) == ("en", "zh")
    assert known_langs("fake-en") == ("en",)  # a loaded tool answers itself
    monkeypatch.setitem(t2i_module._cache, "quiet", object())  # a loaded tool that does not say
    assert known_langs("quiet") == () and known_drawing_lang(replace(Context(), t2i="quiet"), "zh") == "zh"
    assert known_langs(f"diffusers:{tmp_path / 'missing'}") is None and known_langs("none") is None
    assert known_langs("diffusers:Kwai-Kolors/Kolors-diffusers-not-downloaded") == ("en", "zh")
    assert known_langs("diffusers:someone/never-downloaded-model") is None
    ctx = Context()
    assert known_drawing_lang(replace(ctx, t2i=sdxl), "zh") == "en"
    assert known_drawing_lang(replace(ctx, t2i=kolors), "zh") == "zh"
    assert known_drawing_lang(replace(ctx, t2i="none"), "zh") == "zh"
    assert known_drawing_lang(replace(ctx, t2i="diffusers:someone/never-downloaded-model"), "zh") is None
    assert known_drawing_lang(replace(ctx, t2i="none", prompt_lang="en"), "zh") == "en"
    assert t2i_module._cache.get(sdxl) is None  # nothing was loaded
