"""Bugs the suite once let through (issue 8's hand-made list): each test here fails on its
bug. What the data dir holds is scanned file by file for image data in any encoding and for
keys; state holds references only, with a real picture in it; an attachment belongs to its
own turn; no key can be a Context field."""

from __future__ import annotations

import base64
import dataclasses
import re
from pathlib import Path

import pytest
from PIL import Image

from dialoggen.agent.app.session import Session
from dialoggen.agent.context import Context
from dialoggen.tools import t2i as t2i_module

SECRET = "sk-test-DO-NOT-STORE-9876543210"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
PNG_B64 = base64.b64encode(PNG_MAGIC)[:10]  # b"iVBORw0KGg"
DATA_URL = re.compile(rb"data:image/[a-z]+;base64,", re.I)


class FakeT2I:
    name = "fake-t2i"
    supports_img2img = True
    langs = ("en",)

    def generate(self, prompt, *, seed, init_image=None, strength=0.6, steps=None, size=None, on_step=None):
        return Image.new("RGB", (24, 24), (len(prompt) % 255, seed % 255, 9))


@pytest.fixture
def ctx(fake_context, monkeypatch):
    monkeypatch.setitem(t2i_module._cache, "fake-t2i", FakeT2I())
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    return dataclasses.replace(fake_context, t2i="fake-t2i")


def _conversation_with_pictures(ctx, tmp_path) -> Session:
    s = Session(ctx, "hygiene")
    photo = tmp_path / "photo.png"
    Image.new("RGB", (40, 40), "blue").save(photo)
    ref = s.attach(str(photo), caption="a blue square")
    s.send("draw a cat like this", attachment=ref)
    s.send("change the background a brick wall")
    s.send("what is it?")
    return s


def test_no_file_outside_the_image_store_holds_image_data_or_keys(fake_roles, ctx, tmp_path):
    _conversation_with_pictures(ctx, tmp_path)
    root = Path(ctx.data_dir)
    images = root / "images"
    scanned = 0
    for path in root.rglob("*"):
        if not path.is_file() or images in path.parents:
            continue
        data = path.read_bytes()
        scanned += 1
        assert PNG_MAGIC not in data, f"raw PNG bytes in {path}"
        assert PNG_B64 not in data, f"base64 PNG in {path}"
        assert not DATA_URL.search(data), f"a data URL in {path}"
        assert SECRET.encode() not in data, f"the API key in {path}"
    assert scanned >= 2  # the checkpoint and index databases (and their journals) were read
    stored = [p for p in images.rglob("*.png")]
    assert len(stored) >= 3  # the attachment and two pictures: they exist, in the store only


def test_state_holds_references_only_with_pictures_in_it(fake_roles, ctx, tmp_path):
    s = _conversation_with_pictures(ctx, tmp_path)
    state = s.graph.get_state(s.config).values
    text = repr(state).encode()
    assert PNG_MAGIC not in text and PNG_B64 not in text and not DATA_URL.search(text)
    pictures = [t["image"] for t in state["turns"] if t.get("image")]
    assert len(pictures) == 2 and all(set(p) == {"path", "sha256", "caption"} for p in pictures)
    assert state["turns"][0]["attachment"]["sha256"]


def test_an_attachment_belongs_to_its_own_turn_through_the_public_graph_api(fake_roles, ctx, tmp_path):
    from dialoggen.tools.image_store import ImageStore

    s = Session(ctx, "attach")
    photo = tmp_path / "p.png"
    Image.new("RGB", (16, 16), "green").save(photo)
    ref = ImageStore(ctx.data_dir).attach(photo, caption="a green square")
    cfg = s.config
    s.graph.invoke({"messages": [("user", "what is this?")], "attachment": ref}, cfg, context=ctx)
    out = s.graph.invoke({"messages": [("user", "and tell me a joke")]}, cfg, context=ctx)
    turns = out.get("turns") or s.graph.get_state(cfg).values["turns"]
    assert turns[0]["attachment"]["sha256"] == ref["sha256"]
    assert out["last_turn"]["attachment"] is None  # not carried into the next turn


def test_no_setting_can_hold_an_api_key():
    names = {f.name for f in dataclasses.fields(Context)}
    assert not {n for n in names if re.search(r"key|(?<!max_)token|secret|password|credential", n, re.I)}
