"""The t2i node: where a picture starts from (a new drawing vs an edit, decided by the request,
at the boundary) and which language the T2I model reads (drawing text vs the conversation's
prompt, stored in the turn and the PNG); metadata hygiene of stored pictures."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from dialoggen.agent.app.session import Session
from dialoggen.agent.context import Context
from dialoggen.graphs.nodes.t2i import drawing_lang
from dialoggen.tools import t2i as t2i_module
from dialoggen.tools.image_store import ImageStore, png_text
from dialoggen.tools.t2i import pipeline_langs, public_name

CJK = re.compile(r"[\u3400-\u9fff]")


class FakeT2I:
    supports_img2img = True

    def __init__(self, name: str, langs: tuple[str, ...]) -> None:
        self.name = name
        self.langs = langs
        self.calls: list[dict] = []

    def generate(self, prompt, *, seed, init_image=None, strength=0.6, steps=None, size=None, on_step=None):
        self.calls.append({"prompt": prompt, "init_image": init_image})
        return Image.new("RGB", (8, 8), (len(prompt) % 255, seed % 255, 0))


@pytest.fixture
def tools(monkeypatch):
    made = {}
    for spec, langs in (("fake-en", ("en",)), ("fake-bilingual", ("en", "zh"))):
        made[spec] = FakeT2I(spec, langs)
        monkeypatch.setitem(t2i_module._cache, spec, made[spec])
    return made


@pytest.fixture
def offline(tmp_path):
    return Context(intent="offline", rewrite="offline", chat="none", t2i="fake-en", data_dir=str(tmp_path / "data"))


# ---------------------------------------------------------------- new picture vs edit
def test_a_new_drawing_request_starts_from_noise_even_when_only_the_subject_differs(offline, tools):
    s = Session(offline, "cube")
    first = s.send("Draw a ginger cat sleeping on a sofa.")
    second = s.send("Draw me a red cube, please.")
    assert first["modality"] == second["modality"] == "image"
    changed = {c["part"] for c in second["prompt_diff"]}
    assert "subject" in changed and len(changed) < 4  # shot/style defaults match: the old rule's trap
    assert tools["fake-en"].calls[-1]["init_image"] is None


def test_an_edit_starts_from_the_last_picture_however_many_parts_it_changes(offline, tools):
    s = Session(offline, "edit")
    first = s.send("Draw a ginger cat sleeping on a sofa.")
    second = s.send("make it a watercolor")
    assert tools["fake-en"].calls[-1]["init_image"] == first["image"]["path"]
    third = s.send("change the background to a beach at sunset, make it a close-up and an oil painting")
    assert len({c["part"] for c in third["prompt_diff"]}) >= 2
    assert tools["fake-en"].calls[-1]["init_image"] == second["image"]["path"]


def test_a_described_new_scene_starts_from_noise_and_says_how_it_was_read(offline, tools):
    s = Session(offline, "scene")
    s.send("draw a corgi running on the beach")
    second = s.send("a kitchen with a large refrigerator")
    assert tools["fake-en"].calls[-1]["init_image"] is None
    assert "corgi" not in second["prompt_text"] and "kitchen" in second["prompt_text"]
    assert "new picture" in (second.get("notice") or "")
    third = s.send("add a cat on the floor")  # an edit of the kitchen, from its picture
    assert tools["fake-en"].calls[-1]["init_image"] == second["image"]["path"]
    assert "kitchen" in third["prompt_text"] and "cat" in third["prompt_text"]


# ---------------------------------------------------------------- drawing language
def test_chinese_conversation_is_drawn_in_english_for_an_english_only_model(offline, tools):
    s = Session(offline, "zh")
    rec = s.send("画一只在草地上奔跑的小狗")
    assert rec["modality"] == "image" and rec["lang"] == "zh"
    assert CJK.search(rec["prompt_text"])  # the user's prompt stays Chinese
    assert rec["draw_lang"] == "en" and not CJK.search(rec["draw_text"])
    assert "dog" in rec["draw_text"].lower()
    assert tools["fake-en"].calls[-1]["prompt"] == rec["draw_text"]
    meta = png_text(rec["image"]["path"])
    assert meta["dialoggen:prompt"] == rec["prompt_text"] and meta["dialoggen:draw_text"] == rec["draw_text"]
    assert meta["parameters"].startswith(rec["draw_text"])


def test_a_bilingual_model_draws_the_conversation_language(offline, tools):
    s = Session(replace(offline, t2i="fake-bilingual"), "zh2")
    rec = s.send("画一只在草地上奔跑的小狗")
    assert rec["draw_lang"] == "zh" and rec["draw_text"] == rec["prompt_text"]
    assert "dialoggen:draw_text" not in png_text(rec["image"]["path"])


def test_prompt_lang_setting_wins_and_prompt_only_mode_keeps_the_conversation_language(offline, tools):
    rec = Session(replace(offline, t2i="none", prompt_lang="zh"), "en2zh").send("Draw a red apple on a wooden table.")
    assert rec["draw_lang"] == "zh" and CJK.search(rec["draw_text"]) and not CJK.search(rec["prompt_text"])
    rec = Session(replace(offline, t2i="none"), "keep").send("画一只猫")
    assert rec["draw_lang"] == "zh" and rec["draw_text"] == rec["prompt_text"]


def test_drawing_lang_rules():
    ctx = Context()
    assert drawing_lang(ctx, None, "zh") == "zh"
    assert drawing_lang(ctx, FakeT2I("x", ("en",)), "zh") == "en"
    assert drawing_lang(ctx, FakeT2I("x", ("en", "zh")), "zh") == "zh"
    assert drawing_lang(replace(ctx, prompt_lang="en"), None, "zh") == "en"
    assert drawing_lang(ctx, object(), "zh") == "zh"  # a tool that does not say keeps the language


def test_pipeline_languages_from_the_pipeline_class():
    class StableDiffusionXLPipeline: ...

    class HunyuanDiTPipeline: ...

    class KolorsPipeline: ...

    assert pipeline_langs(StableDiffusionXLPipeline()) == ("en",)
    assert pipeline_langs(HunyuanDiTPipeline()) == ("en", "zh")
    assert pipeline_langs(KolorsPipeline()) == ("en", "zh")


# ---------------------------------------------------------------- metadata hygiene
def test_generated_pictures_name_the_model_not_a_local_path(tmp_path):
    assert public_name("diffusers:/home/me/models/sd-turbo/") == "diffusers:sd-turbo"
    assert public_name("diffusers:stabilityai/sd-turbo") == "diffusers:stabilityai/sd-turbo"
    ref = ImageStore(tmp_path).save_generated(Image.new("RGB", (4, 4)), thread_id="t", turn=1, prompt="a cat", seed=1,
                                                model=public_name("diffusers:/home/me/models/sd-turbo"))
    meta = png_text(ref["path"])
    assert meta["dialoggen:model"] == "diffusers:sd-turbo" and "/home/me" not in "".join(meta.values())


def test_attached_pictures_lose_foreign_metadata(tmp_path):
    src = tmp_path / "photo.png"
    info = PngInfo()
    info.add_itxt("XML:com.adobe.xmp", '<x:xmpmeta><rdf:Description exif:GPSLatitude="51,30.0N"/></x:xmpmeta>')
    info.add_text("Author", "Jane Doe")
    info.add_itxt("dialoggen:prompt", "A red fox in the snow.")
    Image.new("RGB", (8, 8), (200, 10, 10)).save(src, pnginfo=info)
    ref = ImageStore(tmp_path / "store").attach(src)
    meta = png_text(ref["path"])
    assert meta == {"dialoggen:prompt": "A red fox in the snow."}
    raw = open(ref["path"], "rb").read()
    assert b"GPSLatitude" not in raw and b"Jane Doe" not in raw
