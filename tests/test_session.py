"""Sessions over the project's SQLite checkpointer: rollback on failure and Ctrl-C,
resume from a cold process, pictures stored by reference, no bytes or keys in checkpoints."""

from __future__ import annotations

import dataclasses
import sqlite3

import pytest
from PIL import Image

from dialoggen.agent.errors import ModelUnavailableError
from dialoggen.agent.app.session import Session
from dialoggen.tools import t2i as t2i_module
from dialoggen.tools.image_store import png_text


class FakeT2I:
    """Draws a flat colour from the prompt's hash; can be told to fail mid-drawing."""

    name = "fake-t2i"
    supports_img2img = True

    def __init__(self) -> None:
        self.calls: list[dict] = []
        self.interrupt_at: int | None = None

    def generate(self, prompt, *, seed, init_image=None, strength=0.6, steps=None, size=None, on_step=None):
        self.calls.append({"prompt": prompt, "seed": seed, "init_image": init_image})
        total = steps or 4
        for step in range(1, total + 1):
            if self.interrupt_at == step:
                raise KeyboardInterrupt
            if on_step:
                on_step(step, total)
        shade = hash((prompt, seed)) % 255
        return Image.new("RGB", (16, 16), (shade, 255 - shade, seed % 255))


@pytest.fixture
def tool(monkeypatch):
    fake = FakeT2I()
    monkeypatch.setitem(t2i_module._cache, "fake-t2i", fake)
    return fake


@pytest.fixture
def ctx(fake_context):
    return dataclasses.replace(fake_context, t2i="fake-t2i")


def test_picture_turns_store_references_and_stream_progress(fake_roles, ctx, tool):
    s = Session(ctx, "pics")
    events = list(s.stream("draw a lighthouse"))
    progress = [e["t2i"]["step"] for e in events if "t2i" in e]
    assert progress == [1, 2, 3, 4]
    record = events[-1]["turn"]
    image = record["image"]
    assert set(image) == {"path", "sha256", "caption"}
    meta = png_text(image["path"])
    assert meta["dialoggen:prompt"] == record["prompt_text"] and meta["dialoggen:seed"] == "42"
    edit = s.send("change the background a stormy sea")
    assert tool.calls[-1]["init_image"] == image["path"]  # an edit starts from the last picture
    assert edit["image"]["sha256"] != image["sha256"]


def test_ctrl_c_while_drawing_keeps_every_earlier_turn(fake_roles, ctx, tool):
    s = Session(ctx, "ctrlc")
    s.send("hello")
    s.send("draw a cat")
    tool.interrupt_at = 2
    with pytest.raises(KeyboardInterrupt):
        s.send("draw a dog")
    assert [t["user"] for t in s.turns()] == ["hello", "draw a cat"]
    state = s.graph.get_state(s.config)
    assert not state.next and state.values.get("draft") is None
    assert len(state.values["messages"]) == 4
    tool.interrupt_at = None
    assert s.send("draw a dog")["turn"] == 3


def test_model_failure_rolls_back_the_turn(fake_roles, ctx, tool, monkeypatch):
    s = Session(ctx, "fail")
    s.send("draw a cat")

    def down(conv):
        raise ModelUnavailableError("The chat model at http://localhost:9 did not answer: start it or change --chat.")

    monkeypatch.setattr(fake_roles["chat"], "reply", down)
    with pytest.raises(ModelUnavailableError):
        s.send("hello?")
    assert len(s.turns()) == 1 and len(s.graph.get_state(s.config).values["messages"]) == 2


def test_first_turn_failure_leaves_no_thread(fake_roles, ctx, tool, monkeypatch):
    s = Session(ctx, "first")
    tool.interrupt_at = 1
    with pytest.raises(KeyboardInterrupt):
        s.send("draw a cat")
    assert s.turns() == [] and not s.graph.get_state(s.config).values


def test_undo_uses_checkpoint_history(fake_roles, ctx, tool):
    s = Session(ctx, "undo")
    s.send("draw a cat")
    s.send("change the background a roof")
    removed = s.undo()
    assert removed["turn"] == 2
    assert [t["turn"] for t in s.turns()] == [1]
    assert s.send("change the background a garden")["prompt"]["background"] == "a garden"
    assert s.undo()["turn"] == 2 and s.undo()["turn"] == 1 and s.undo() is None


def test_resume_from_a_cold_checkpointer(fake_roles, ctx, tool):
    first = Session(ctx, "cold")
    first.send("draw a cat")
    first.set_seed(9)
    first.send("draw a dog")
    again = Session(ctx, "cold")  # new saver, new connection, empty caches
    assert [t["turn"] for t in again.turns()] == [1, 2]
    assert again.seed() == 9
    assert again.send("hello")["turn"] == 3


def test_checkpoints_hold_no_image_bytes_and_no_key(fake_roles, ctx, tool, monkeypatch, tmp_path):
    secret = "sk-test-DO-NOT-STORE-0123456789"
    monkeypatch.setenv("OPENAI_API_KEY", secret)
    s = Session(ctx, "secrets")
    photo = tmp_path / "photo.png"
    Image.new("RGB", (32, 32), "red").save(photo)
    ref = s.attach(str(photo), caption="a red square")
    s.send("draw a cat", attachment=ref)
    s.send("change the background a wall")
    db = sqlite3.connect(f"{ctx.data_dir}/checkpoints.db")
    blobs = b"".join(
        bytes(v) if isinstance(v, (bytes, memoryview)) else str(v).encode()
        for table, in db.execute("select name from sqlite_master where type='table'")
        for row in db.execute(f"select * from {table}")
        for v in row if v is not None
    )
    assert blobs, "the checkpointer wrote nothing"
    assert b"\x89PNG" not in blobs and secret.encode() not in blobs
    assert ref["sha256"].encode() in blobs  # references are there
