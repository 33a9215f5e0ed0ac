"""The content-addressed image store and thread index: hashing, PNG metadata, attachment
validation (each refusal one InputError sentence), captions, and the thread index."""

from __future__ import annotations

import hashlib
import struct
import subprocess
import sys
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PIL import Image

from dialoggen.agent.errors import InputError
from dialoggen.tools.image_store import META_MODEL, META_PROMPT, META_SEED, ImageStore, png_text


@pytest.fixture()
def store(tmp_path) -> ImageStore:
    return ImageStore(tmp_path / "data")


def picture(color=(200, 30, 30), size=(24, 16)) -> Image.Image:
    img = Image.new("RGB", size, color)
    img.putpixel((1, 1), (0, 0, 0))
    return img


def one_sentence(msg: str) -> bool:
    return "\n" not in msg and msg.rstrip().endswith(".") and ":" in msg


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def bomb_png(path: Path, side: int = 100_000) -> Path:
    """A PNG whose header claims side x side pixels (10 gigapixels) in a few dozen bytes."""
    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)  # 1-bit greyscale
    idat = zlib.compress(b"\0" * 64)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b""))
    return path


# -- generated pictures -----------------------------------------------------------------


def test_save_generated_is_content_addressed(store):
    ref = store.save_generated(picture(), thread_id="t1", turn=1, prompt="A red kite.", seed=42, model="diffusers:/m")
    path = Path(ref["path"])
    data = path.read_bytes()
    assert set(ref) == {"path", "sha256", "caption"}
    assert ref["sha256"] == hashlib.sha256(data).hexdigest()
    assert path == store.data_dir / "images" / ref["sha256"][:2] / f"{ref['sha256']}.png"
    assert path.is_absolute() and data.startswith(b"\x89PNG")
    assert ref["caption"] == "A red kite."


def test_save_generated_is_idempotent(store):
    kw = dict(thread_id="t1", turn=1, prompt="A red kite.", seed=42, model="m")
    a = store.save_generated(picture(), **kw)
    b = store.save_generated(picture(), **kw)
    assert a == b
    assert len(store.thread_images("t1")) == 1
    assert len(list(store.images_dir.rglob("*.png"))) == 1
    c = store.save_generated(picture(), **{**kw, "seed": 43})  # other metadata, other bytes
    assert c["sha256"] != a["sha256"]
    d = store.save_generated(picture((0, 0, 255)), **kw)
    assert d["sha256"] != a["sha256"]


def test_png_metadata_round_trip(store):
    prompt = "一只红色的风筝在海边飞。The style is watercolor."
    ref = store.save_generated(picture(), thread_id="t", turn=2, prompt=prompt, seed=7, model="diffusers:/models/sd-turbo")
    text = png_text(ref["path"])
    assert text[META_PROMPT] == prompt
    assert text[META_SEED] == "7"
    assert text[META_MODEL] == "diffusers:/models/sd-turbo"
    assert text["parameters"].startswith(prompt + "\n")
    assert "Seed: 7" in text["parameters"] and "Size: 24x16" in text["parameters"]
    with Image.open(ref["path"]) as im:
        assert im.size == (24, 16) and im.getpixel((1, 1)) == (0, 0, 0)


# -- attachments ------------------------------------------------------------------------


def test_attach_copies_as_png_with_given_caption(store, tmp_path):
    src = tmp_path / "photo.jpg"
    picture().save(src, format="JPEG")
    ref = store.attach(src, caption="my cat", thread_id="t1")
    assert ref["caption"] == "my cat"
    stored = Path(ref["path"])
    assert stored.parent.parent == store.images_dir and stored.suffix == ".png"
    assert ref["sha256"] == hashlib.sha256(stored.read_bytes()).hexdigest()
    with Image.open(stored) as im:
        assert im.format == "PNG" and im.size == (24, 16)
    assert store.caption_of(stored) == "my cat"
    assert src.exists()  # the user's file is left alone


def test_attach_without_caption_or_metadata_has_none(store, tmp_path):
    src = tmp_path / "plain.png"
    picture().save(src)
    ref = store.attach(src)
    assert ref["caption"] is None
    assert store.caption_of(ref["path"]) is None


def test_attach_of_our_own_picture_is_captioned_by_its_prompt(store, tmp_path):
    ref = store.save_generated(picture(), thread_id="old", turn=1, prompt="A lighthouse at dusk.", seed=1, model="m")
    copy = tmp_path / "downloaded.png"
    copy.write_bytes(Path(ref["path"]).read_bytes())
    att = store.attach(copy, thread_id="new")
    assert att["caption"] == "A lighthouse at dusk."
    assert png_text(att["path"])[META_PROMPT] == "A lighthouse at dusk."  # metadata kept
    assert store.caption_of(copy) == "A lighthouse at dusk."  # straight from the file
    assert store.attach(copy, caption="override")["caption"] == "override"


def test_attach_keeps_transparency(store, tmp_path):
    src = tmp_path / "alpha.png"
    Image.new("RGBA", (8, 8), (10, 20, 30, 0)).save(src)
    with Image.open(store.attach(src)["path"]) as im:
        assert im.mode == "RGBA" and im.getpixel((0, 0))[3] == 0


def test_attach_missing_file(store, tmp_path):
    with pytest.raises(InputError) as err:
        store.attach(tmp_path / "nope.png")
    assert "No file at" in str(err.value) and one_sentence(str(err.value))


def test_attach_directory(store, tmp_path):
    with pytest.raises(InputError) as err:
        store.attach(tmp_path)
    assert "not a file" in str(err.value) and one_sentence(str(err.value))


def test_attach_not_an_image(store, tmp_path):
    src = tmp_path / "notes.png"
    src.write_text("this is not a picture")
    with pytest.raises(InputError) as err:
        store.attach(src)
    assert "not an image" in str(err.value) and one_sentence(str(err.value))


def test_attach_truncated_image(store, tmp_path):
    src = tmp_path / "cut.png"
    Image.effect_noise((64, 64), 50).save(src)
    src.write_bytes(src.read_bytes()[:200])
    with pytest.raises(InputError) as err:
        store.attach(src)
    assert "damaged or truncated" in str(err.value) and one_sentence(str(err.value))


def test_attach_decompression_bomb(store, tmp_path):
    src = bomb_png(tmp_path / "bomb.png")
    assert src.stat().st_size < 200
    with pytest.raises(InputError) as err:
        store.attach(src)
    assert "too many pixels" in str(err.value) and one_sentence(str(err.value))
    # refused before decoding, and also when our own cap is lifted (PIL's bomb error)
    with pytest.raises(InputError):
        store.attach(src, max_pixels=10**12)


def test_attach_decompression_bomb_warning_is_an_error(store, tmp_path):
    # 100 megapixels: above PIL's warning threshold, below its error threshold
    src = bomb_png(tmp_path / "warn.png", side=10_000)
    with pytest.raises(InputError) as err:
        store.attach(src, max_pixels=10**12)
    assert "too many pixels" in str(err.value)


def test_attach_pixel_cap(store, tmp_path):
    src = tmp_path / "big.png"
    picture(size=(20, 20)).save(src)
    with pytest.raises(InputError) as err:
        store.attach(src, max_pixels=399)
    assert "too many pixels" in str(err.value)
    assert store.attach(src, max_pixels=400)["sha256"]


def test_attach_byte_cap(store, tmp_path):
    src = tmp_path / "heavy.png"
    Image.effect_noise((64, 64), 80).convert("RGB").save(src)
    with pytest.raises(InputError) as err:
        store.attach(src, max_bytes=1024)
    assert "MiB limit" in str(err.value) and one_sentence(str(err.value))
    assert not list(store.images_dir.rglob("*.png"))  # nothing stored for refused files


# -- captions and the thread index ------------------------------------------------------


def test_caption_of(store, tmp_path):
    ref = store.save_generated(picture(), thread_id="t", turn=1, prompt="A fox.", seed=1, model="m")
    assert store.caption_of(ref["path"]) == "A fox."
    assert store.caption_of(tmp_path / "missing.png") is None
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\0\1\2")
    assert store.caption_of(junk) is None


def test_thread_index(store, tmp_path):
    long = "Draw me   a cosy wooden cabin in a snowy forest at night, with warm light in every window please"
    store.record_turn("t1", 1, long)
    store.save_generated(picture(), thread_id="t1", turn=1, prompt="A cabin.", seed=42, model="m")
    store.record_turn("t2", 1, "hello")
    store.record_turn("t1", 2, "make it summer")
    src = tmp_path / "ref.png"
    picture((0, 200, 0)).save(src)
    store.attach(src, caption="reference", thread_id="t1", turn=2)
    store.save_generated(picture((0, 0, 200)), thread_id="t1", turn=2, prompt="A summer cabin.", seed=42, model="m")

    threads = store.list_threads()
    assert [t["thread_id"] for t in threads] == ["t1", "t2"]  # newest activity first
    t1 = threads[0]
    assert t1["turns"] == 2
    assert t1["title"].startswith("Draw me a cosy wooden cabin") and len(t1["title"]) <= 60
    assert t1["title"].endswith("…")
    assert threads[1]["title"] == "hello"

    imgs = store.thread_images("t1")
    assert [(i["turn"], i["kind"]) for i in imgs] == [(1, "generated"), (2, "attached"), (2, "generated")]
    assert imgs[0]["prompt"] == "A cabin." and imgs[0]["seed"] == 42 and imgs[1]["caption"] == "reference"
    assert store.thread_images("t2") == []


def test_forget_turns_after_for_undo(store):
    for turn, text in enumerate(["a cat", "make it black", "add a hat"], start=1):
        store.record_turn("t", turn, text)
        store.save_generated(picture((turn * 40, 0, 0)), thread_id="t", turn=turn, prompt=text, seed=1, model="m")
    store.forget_turns_after("t", 1)
    assert store.list_threads()[0]["turns"] == 1
    assert [i["turn"] for i in store.thread_images("t")] == [1]
    store.record_turn("t", 2, "make it white")  # redo after undo
    assert store.list_threads()[0]["turns"] == 2
    store.forget_turns_after("t", 0)
    store.record_turn("t", 1, "a dog")  # the first message again: a new title
    assert store.list_threads()[0]["title"] == "a dog"


def test_store_reopens_and_is_usable_from_threads(store):
    def save(i: int) -> str:
        return store.save_generated(picture((i, i, i)), thread_id="t", turn=i, prompt=f"p{i}", seed=i, model="m")["sha256"]

    with ThreadPoolExecutor(4) as pool:
        hashes = list(pool.map(save, range(1, 9)))
    assert len(set(hashes)) == 8
    again = ImageStore(store.data_dir)
    assert len(again.thread_images("t")) == 8


def test_import_is_light():
    code = "import sys, dialoggen.tools.image_store; print(sorted(m for m in ('torch', 'PIL', 'sqlite_utils') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
