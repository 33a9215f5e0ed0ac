"""The text-to-image tool on a tiny random Stable Diffusion pipeline (built from configs,
nothing downloaded): loading and caching, determinism, img2img via ``from_pipe``,
progress callbacks, Ctrl-C, and the one-sentence configuration errors."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from dialoggen.agent.errors import ConfigError
from dialoggen.tools import t2i
from dialoggen.tools.t2i import DiffusersT2I, load_t2i

from tiny_models import tiny_sd_pipeline_dir

SIZE = 32  # the tiny pipeline's native side in pixels


@pytest.fixture(scope="session")
def sd_dir(tmp_path_factory):
    return tiny_sd_pipeline_dir(tmp_path_factory.mktemp("t2i"))


@pytest.fixture(autouse=True)
def fresh_cache():
    t2i.clear_cache()
    yield
    t2i.clear_cache()


@pytest.fixture()
def tool(sd_dir):
    return load_t2i(f"diffusers:{sd_dir}")


def pixels(img: Image.Image) -> np.ndarray:
    return np.asarray(img.convert("RGB"), dtype=np.int16)


def test_none_means_prompt_only():
    assert load_t2i("none") is None
    assert load_t2i(" none ") is None


def test_loads_local_folder_and_caches(sd_dir, monkeypatch):
    calls = []
    real = DiffusersT2I.load.__func__

    def counting(cls, target, *, name):
        calls.append(target)
        return real(cls, target, name=name)

    monkeypatch.setattr(DiffusersT2I, "load", classmethod(counting))
    spec = f"diffusers:{sd_dir}"
    first = load_t2i(spec)
    assert isinstance(first, t2i.T2ITool)
    assert first.name == spec
    assert first.supports_img2img is True
    import torch

    assert first.device == ("cuda" if torch.cuda.is_available() else "cpu")
    assert first.pipe.unet.dtype == (torch.float16 if first.device == "cuda" else torch.float32)
    assert load_t2i(spec) is first
    assert calls == [str(sd_dir)]  # loaded once, reused


def test_same_seed_same_pixels_different_seed_different(tool):
    a = tool.generate("a red apple on a table", seed=7, steps=2)
    b = tool.generate("a red apple on a table", seed=7, steps=2)
    c = tool.generate("a red apple on a table", seed=8, steps=2)
    assert a.size == (SIZE, SIZE)
    assert np.array_equal(pixels(a), pixels(b))
    assert not np.array_equal(pixels(a), pixels(c))


def test_size_is_honoured_and_rounded_to_multiple_of_8(tool):
    assert tool.generate("a cat", seed=1, steps=1, size=16).size == (16, 16)
    assert tool.generate("a cat", seed=1, steps=1, size=21).size == (16, 16)


def test_img2img_shares_weights_and_edits(tool, tmp_path):
    assert tool.img2img is not None
    assert tool.img2img.unet is tool.pipe.unet  # from_pipe: no second load
    assert tool.img2img.vae is tool.pipe.vae
    start = tool.generate("a red apple", seed=3, steps=2)
    path = tmp_path / "start.png"
    start.save(path)
    edit = tool.generate("a green apple", seed=3, init_image=str(path), strength=0.5, steps=4)
    again = tool.generate("a green apple", seed=3, init_image=str(path), strength=0.5, steps=4)
    assert isinstance(edit, Image.Image) and edit.size == (SIZE, SIZE)
    assert tool.last_notice is None
    assert np.array_equal(pixels(edit), pixels(again))
    assert not np.array_equal(pixels(edit), pixels(start))


def test_img2img_resizes_the_init_image(tool, tmp_path):
    path = tmp_path / "odd.png"
    Image.new("RGB", (50, 30), (200, 10, 10)).save(path)
    assert tool.generate("x", seed=1, init_image=str(path), steps=2).size == (SIZE, SIZE)
    assert tool.generate("x", seed=1, init_image=str(path), steps=2, size=16).size == (16, 16)


def test_on_step_reports_increasing_steps(tool, tmp_path):
    seen: list[tuple[int, int]] = []
    tool.generate("a boat", seed=1, steps=3, on_step=lambda i, n: seen.append((i, n)))
    assert seen == [(1, 3), (2, 3), (3, 3)]

    path = tmp_path / "init.png"
    Image.new("RGB", (SIZE, SIZE), (0, 90, 200)).save(path)
    seen.clear()
    tool.generate("a boat", seed=1, steps=4, strength=0.5, init_image=str(path), on_step=lambda i, n: seen.append((i, n)))
    assert seen == [(1, 2), (2, 2)]  # img2img runs int(steps * strength) steps


def test_img2img_always_runs_at_least_one_step(tool, tmp_path):
    path = tmp_path / "init.png"
    Image.new("RGB", (SIZE, SIZE), (0, 90, 200)).save(path)
    seen: list[tuple[int, int]] = []
    tool.generate("a boat", seed=1, steps=1, strength=0.3, init_image=str(path), on_step=lambda i, n: seen.append((i, n)))
    assert seen and seen[-1][0] == seen[-1][1] >= 1


def test_keyboard_interrupt_propagates(tool):
    def stop(i, n):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        tool.generate("a boat", seed=1, steps=3, on_step=stop)
    # the tool still works afterwards (its lock was released)
    assert tool.generate("a boat", seed=1, steps=1).size == (SIZE, SIZE)


def test_family_without_img2img_falls_back_with_notice(sd_dir, tmp_path):
    tool = load_t2i(f"diffusers:{sd_dir}")
    plain = DiffusersT2I(tool.pipe, name="diffusers:plain", device=tool.device)
    plain.img2img, plain.supports_img2img = None, False
    path = tmp_path / "init.png"
    Image.new("RGB", (SIZE, SIZE)).save(path)
    out = plain.generate("a boat", seed=5, steps=2, init_image=str(path))
    assert out.size == (SIZE, SIZE)
    assert plain.last_notice and "cannot edit" in plain.last_notice
    ref = plain.generate("a boat", seed=5, steps=2)
    assert plain.last_notice is None
    assert np.array_equal(pixels(out), pixels(ref))  # drawn from the prompt alone


MISSING = "No diffusers pipeline at '{}': give a local folder with model_index.json or a hub id you have downloaded; or use --t2i none for prompt-only mode."


def test_missing_folder_is_a_config_error(tmp_path):
    target = str(tmp_path / "nowhere")
    with pytest.raises(ConfigError) as err:
        load_t2i(f"diffusers:{target}")
    assert str(err.value) == MISSING.format(target)


def test_folder_without_model_index_is_a_config_error(tmp_path):
    (tmp_path / "weights.bin").write_bytes(b"\0")
    with pytest.raises(ConfigError) as err:
        load_t2i(f"diffusers:{tmp_path}")
    assert str(err.value) == MISSING.format(tmp_path)


def test_unknown_hub_id_offline_is_a_config_error(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ConfigError) as err:
        load_t2i("diffusers:dialoggen-tests/no-such-model")
    assert str(err.value) == MISSING.format("dialoggen-tests/no-such-model")
    assert "diffusers:dialoggen-tests/no-such-model" not in t2i._cache  # failures are not cached


@pytest.mark.parametrize("spec", ["sd:/models/x", "diffusers:", "/models/sd-turbo", "hf:foo/bar"])
def test_bad_spec_names_the_accepted_forms(spec):
    with pytest.raises(ConfigError) as err:
        load_t2i(spec)
    msg = str(err.value)
    assert "diffusers:PATH_OR_HUB_ID" in msg and "none" in msg
    assert msg.count(".") >= 1 and "\n" not in msg


def test_import_is_light():
    code = "import sys, dialoggen.tools.t2i; print(sorted(m for m in ('torch', 'diffusers', 'transformers') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
