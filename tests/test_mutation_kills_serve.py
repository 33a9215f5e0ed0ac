"""Fast unit tests of the served graph's caller rules and image routes (graphs/serve.py,
graphs/routes.py), written to kill the mutants a sampled mutation run found surviving:
``tests/test_served_graph.py`` checks the same rules end to end through a real server, too
slowly (45 s) to run once per mutant."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from starlette.applications import Starlette
from starlette.testclient import TestClient

from dialoggen.agent.context import Context
from dialoggen.agent.errors import InputError
from dialoggen.graphs import serve
from dialoggen.graphs.routes import image_routes
from dialoggen.tools.image_store import ImageStore


@pytest.fixture
def base(tmp_path) -> Context:
    return Context(t2i="none", chat="none", critic="offline", data_dir=str(tmp_path / "data"), steps=4, default_seed=7)


def _png(color=(10, 20, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), color).save(buf, format="PNG")
    return buf.getvalue()


def test_allowed_critics_off_first_then_offline_configured_and_extra(base, monkeypatch) -> None:
    monkeypatch.setenv("DIALOGGEN_SERVE_CRITICS", " openai:gpt-4o , ,offline,openai:gpt-4o")
    assert serve.allowed_critics(base) == ["off", "offline", "openai:gpt-4o"]
    monkeypatch.delenv("DIALOGGEN_SERVE_CRITICS")
    odd = Context(t2i="none", chat="none", critic="openai:o3", data_dir=base.data_dir)
    assert serve.allowed_critics(odd) == ["off", "offline", "openai:o3"]
    assert serve.allowed_critics(Context(t2i="none", chat="none", critic=None, data_dir=base.data_dir)) == ["off", "offline"]


@pytest.mark.parametrize("raw, expected", [("", 50), ("12", 12), ("0", 50), ("-3", 50), ("x", 50), (" 7 ", 7)])
def test_max_steps_from_the_environment(raw, expected, monkeypatch) -> None:
    monkeypatch.setenv("DIALOGGEN_SERVE_MAX_STEPS", raw)
    assert serve.max_steps() == expected


def test_effective_context_applies_only_allowed_choices(base, monkeypatch) -> None:
    monkeypatch.delenv("DIALOGGEN_SERVE_MAX_STEPS", raising=False)
    assert serve.effective_context(None, base) is base
    assert serve.effective_context("not a context", base) is base
    assert serve.effective_context({}, base) == base
    ctx = serve.effective_context({"critic": "off", "seed": 0, "steps": 50}, base)
    assert (ctx.critic, ctx.default_seed, ctx.steps) == (None, 0, 50)
    ctx = serve.effective_context(serve.CallerContext(critic="offline", seed=2**32 - 1, steps=1), base)
    assert (ctx.critic, ctx.default_seed, ctx.steps, ctx.t2i) == ("offline", 2**32 - 1, 1, "none")
    for bad in ({"critic": "py:evil.Critic"}, {"seed": -1}, {"seed": 2**32}, {"seed": True}, {"seed": 1.5},
                {"steps": 0}, {"steps": 51}, {"steps": True}, {"steps": "5"}, {"data_dir": "/"}, {"t2i": "x", "seed": 1}):
        with pytest.raises(InputError) as err:
            serve.effective_context(bad, base)
        assert "\n" not in str(err.value)
    with pytest.raises(InputError) as err:
        serve.effective_context({"critic": "py:evil.Critic"}, base)
    assert str(err.value) == "The critic 'py:evil.Critic' is not offered here: choose one of off, offline."
    with pytest.raises(InputError, match="data_dir, t2i"):
        serve.effective_context({"t2i": "x", "data_dir": "/"}, base)
    with pytest.raises(InputError, match="from 1 to 50"):
        serve.effective_context({"steps": 99}, base)


def test_context_for_keeps_an_operator_context_and_applies_a_callers(base) -> None:
    class R:
        def __init__(self, context):
            self.context = context

    assert serve.context_for(R(base)) is base
    import dataclasses

    assert serve.context_for(R(serve.CallerContext(steps=3))).steps == 3
    assert serve.context_for(None) == serve.operator_context()
    assert dataclasses.is_dataclass(serve.context_for(R(None)))


def test_image_path_is_the_store_file_or_none(base) -> None:
    store = ImageStore(base.data_dir)
    sha, path = store._write(_png())
    assert serve.image_path(sha, base.data_dir) == path
    assert serve.image_path(sha.upper() + ".png", base.data_dir) == path
    assert serve.image_path("0" * 64, base.data_dir) is None  # well formed, not stored
    for bad in ("", None, sha[:-1], sha + "0", "../" + sha, sha + "/x", "g" * 64):
        assert serve.image_path(bad, base.data_dir) is None


def test_admit_attachment_by_id_only(base) -> None:
    store = ImageStore(base.data_dir)
    sha, path = store._write(_png())
    assert serve.admit_attachment(None, base.data_dir) is None and serve.admit_attachment({}, base.data_dir) is None
    ref = serve.admit_attachment({"sha256": sha.upper(), "caption": "  a cat  ", "path": "/etc/passwd"}, base.data_dir)
    assert ref == {"path": str(path), "sha256": sha, "caption": "a cat"}
    assert serve.admit_attachment({"sha256": sha, "caption": "x" * 900}, base.data_dir)["caption"] == "x" * 500
    assert serve.admit_attachment({"sha256": sha, "caption": "   "}, base.data_dir)["caption"] is None
    assert serve.admit_attachment({"sha256": sha}, base.data_dir)["caption"] is None
    with pytest.raises(InputError, match="by its id"):
        serve.admit_attachment("/etc/passwd", base.data_dir)
    with pytest.raises(InputError, match="64 hex digits"):
        serve.admit_attachment({"path": str(path)}, base.data_dir)
    with pytest.raises(InputError, match="No image with that id"):
        serve.admit_attachment({"sha256": "0" * 64}, base.data_dir)


def test_admit_refuses_threads_naming_files_outside_the_store(base) -> None:
    class R:
        context = base

    store = ImageStore(base.data_dir)
    sha, path = store._write(_png())
    good = {"path": str(path), "sha256": sha, "caption": None}
    assert serve.admit({"turns": [{"image": good, "attachment": None}], "attachment": {"sha256": sha}}, R()) == {
        "attachment": {"path": str(path), "sha256": sha, "caption": None}
    }
    assert serve.admit({"turns": [], "attachment": None}, R()) == {"attachment": None}
    for bad in ({**good, "path": "/etc/passwd"}, {**good, "sha256": "0" * 64}, "not a ref"):
        for key in ("image", "attachment"):
            with pytest.raises(InputError, match="not in the image store"):
                serve.admit({"turns": [{"image": None, "attachment": None, key: bad}]}, R())


def test_image_routes_upload_and_fetch(base) -> None:
    client = TestClient(Starlette(routes=image_routes(lambda: base.data_dir)))
    r = client.post("/images?caption=a%20red%20square", content=_png((200, 0, 0)))
    assert r.status_code == 200 and r.json()["caption"] == "a red square"
    sha = r.json()["sha256"]
    got = client.get(f"/images/{sha}")
    assert got.status_code == 200 and got.headers["content-type"] == "image/png"
    assert got.headers["cache-control"] == "public, max-age=31536000, immutable"  # an id names fixed content
    assert Image.open(io.BytesIO(got.content)).size == (8, 8)
    assert client.get(f"/images/{sha}.png").status_code == 200
    missing = client.get("/images/" + "0" * 64)
    assert missing.status_code == 404
    assert missing.json() == {"error": "No image with that id: use the sha256 of a turn's image."}
    empty = client.post("/images", content=b"")
    assert empty.status_code == 400 and empty.json() == {"error": "The request has no image: send the file's bytes as the body."}
    bad = client.post("/images", content=b"not an image at all")
    assert bad.status_code == 400 and ".upload" not in bad.json()["error"] and "/tmp" not in bad.json()["error"]
    from dialoggen.tools import image_store

    big = client.post("/images", content=b"x" * (image_store.MAX_BYTES + 1))
    assert big.status_code == 413 and big.json() == {"error": "The image is too large: send a smaller file."}


def test_operator_settings_are_read_again_when_the_environment_changes(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("DIALOGGEN_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("DIALOGGEN_STEPS", "7")
    assert serve.operator_context().steps == 7
    monkeypatch.setenv("DIALOGGEN_STEPS", "9")
    assert serve.operator_context().steps == 9


def test_the_served_image_app_stores_in_the_operators_data_dir(tmp_path, monkeypatch) -> None:
    from dialoggen.graphs import routes

    monkeypatch.setenv("DIALOGGEN_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("DIALOGGEN_DATA_DIR", str(tmp_path / "operator"))
    r = TestClient(routes.app).post("/images", content=_png((1, 2, 3)))
    assert r.status_code == 200
    assert ImageStore(str(tmp_path / "operator")).path_for(r.json()["sha256"]).is_file()


def test_every_caller_setting_is_documented_for_the_server() -> None:
    """The LangGraph server shows each context field's help to callers."""
    import dataclasses

    for f in dataclasses.fields(serve.CallerContext):
        assert len(f.metadata.get("help", "")) > 20, f.name
