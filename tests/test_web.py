"""``dialoggen web`` in a real browser: Playwright drives Debian's ``chromium`` against a live
server started on a free local port, with fake roles (``py:fakes:...``) and a tiny random
diffusers pipeline, so pictures are drawn and shown inline. Screenshots go to docs/img/ with DIALOGGEN_SCREENSHOTS=1.

Needs the ``web`` and ``test`` extras and ``/usr/bin/chromium`` (``apt-get install
chromium``; Playwright's own browser download is not used).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

import importlib.util

# Checked without importing: gradio imports tqdm, which must not load before tests that
# configure it (tests/test_cli.py) run.
if importlib.util.find_spec("gradio") is None or importlib.util.find_spec("playwright") is None:
    pytest.skip("needs the web extra (gradio) and playwright (the test extra)", allow_module_level=True)
import httpx  # noqa: E402

from tiny_models import tiny_sd_pipeline_dir  # noqa: E402
from procs import free_port, stop  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# The README's screenshots are refreshed with DIALOGGEN_SCREENSHOTS=1; other runs write them to
# a temporary folder, so the suite leaves the working tree as it found it.
SHOTS = ROOT / "docs" / "img" if os.environ.get("DIALOGGEN_SCREENSHOTS") == "1" else Path(tempfile.mkdtemp(prefix="dialoggen-shots-"))
MAX_CHARS = 300

needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get install chromium)")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("web")
    sd = tiny_sd_pipeline_dir(tmp / "tiny-sd")
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "tests"),
        "DIALOGGEN_CONFIG": str(tmp / "no-config.toml"),
        "DIALOGGEN_MAX_INPUT_CHARS": str(MAX_CHARS),
        "GRADIO_ANALYTICS_ENABLED": "False",
    }
    cmd = [sys.executable, "-m", "dialoggen.agent.app.cli", "web", "--host", "127.0.0.1", "--port", str(port),
           "--intent", "py:fakes:FakeIntent", "--rewrite", "py:fakes:FakeRewriter", "--chat", "py:fakes:FakeChat",
           "--t2i", f"diffusers:{sd}", "--steps", "12", "--data-dir", str(tmp / "data")]
    log = open(tmp / "web.log", "wb")
    proc = subprocess.Popen(cmd, cwd=tmp, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.5)
    if proc.poll() is not None or time.time() >= deadline:
        proc.terminate()
        log.close()
        pytest.fail("dialoggen web did not start:\n" + (tmp / "web.log").read_text(errors="replace")[-3000:])
    yield {"url": url, "log": tmp / "web.log", "tmp": tmp}
    stop(proc, log)


@pytest.fixture(scope="module")
def browser():
    from playwright import sync_api

    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


# Records every value the drawing progress bar shows (it may be on screen for a moment only).
WATCH_PROGRESS = """
window.__progress = [];
new MutationObserver(() => {
  for (const p of document.querySelectorAll('.dg-progress progress')) {
    window.__progress.push([Number(p.value), Number(p.max)]);
  }
}).observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
"""


def open_page(browser, url: str):
    page = browser.new_page(viewport={"width": 1280, "height": 1200})
    page.set_default_timeout(60_000)
    page.goto(url)
    page.wait_for_selector("#dg-input textarea")
    page.wait_for_selector("#dg-status .dg-loading", state="detached")  # the page has loaded its thread
    page.evaluate(WATCH_PROGRESS)
    return page


def assistant_count(page) -> int:
    return page.locator("#dg-chat [data-testid='bot']").count()


def send(page, text: str, *, wait_for: str | None = None) -> None:
    """Type a message and send it; wait until its answer is on the page."""
    before = assistant_count(page)
    box = page.locator("#dg-input textarea")
    box.fill(text)
    deadline = time.time() + 10
    box.press("Enter")
    # Gradio may not have wired the box yet on a busy machine: send again until the page reacts.
    while (assistant_count(page) == before and page.locator("#dg-input textarea").input_value() == text
           and not page.locator("#dg-status .dg-error").count()):
        if time.time() > deadline:
            box.press("Enter")
            deadline = time.time() + 10
        time.sleep(0.2)
    if wait_for:
        page.locator("#dg-chat").get_by_text(wait_for).last.wait_for()
    page.wait_for_function("() => !document.querySelector('.dg-thinking') && !document.querySelector('.dg-progress')")


def image_id(img) -> str:
    """The picture's id, read from its address (``images/{sha256}``)."""
    src = img.get_attribute("src") or ""
    m = re.search(r"images/([0-9a-f]{64})$", src)
    assert m, img.evaluate("i => i.outerHTML")
    return m.group(1)


def bot(page, i: int):
    return page.locator("#dg-chat [data-testid='bot']").nth(i)


@needs_chromium
def test_draw_edit_question_undo(server, browser):
    page = open_page(browser, server["url"])
    send(page, "draw a red fox in the snow", wait_for="Drawing prompt")
    first = bot(page, 0)
    img = first.locator("img.dg-picture")
    img.wait_for()
    sha1 = image_id(img)
    assert img.evaluate("i => i.complete && i.naturalWidth") == 32  # the tiny pipeline's picture, loaded
    assert "Draw a red fox in the snow." in first.locator("pre, code").first.inner_text()
    assert "a new picture" in first.inner_text() and "seed 42" in first.inner_text()
    seen = page.evaluate("window.__progress")
    assert seen and max(v for v, _ in seen) == 12 and {m for _, m in seen} == {12}  # the bar ran to the end
    assert first.locator("button[aria-label='Copy message'], button[aria-label='Copy'], button[title*='opy']").count() >= 1
    # The picture by id; nothing by path.
    r = page.request.get(server["url"] + f"images/{sha1}")
    assert r.status == 200 and r.headers["content-type"] == "image/png"
    assert page.request.get(server["url"] + "images/..%2F..%2Fetc%2Fpasswd").status == 404

    send(page, "make it background a snowy hill", wait_for="changed")
    second = bot(page, 1)
    text = second.inner_text()
    assert "changed background: 'a park' → 'a snowy hill'" in text and "seed 42" in text
    sha2 = image_id(second.locator("img.dg-picture"))
    assert sha2 and sha2 != sha1

    send(page, "what do foxes eat?", wait_for="echo: what do foxes eat?")
    assert assistant_count(page) == 3
    # The thread is listed with its first message.
    assert "draw a red fox in the snow · 3 turns" in page.locator("#dg-threads").inner_html() or \
        page.locator("#dg-threads input").input_value().startswith("draw a red fox in the snow")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "web-conversation.png"))

    page.locator("#dg-undo").click()
    page.locator("#dg-status").get_by_text("Removed turn 3").wait_for()
    page.wait_for_function("() => document.querySelectorAll('#dg-chat [data-testid=\"bot\"]').length == 2")
    assert "echo: what do foxes eat?" not in page.locator("#dg-chat").inner_text()

    # Come back later: the thread's own address shows the same conversation.
    link = page.locator("#dg-link a").get_attribute("href")
    thread_id = link.split("thread=")[1]
    later = open_page(browser, server["url"] + f"?thread={thread_id}")
    later.wait_for_function("() => document.querySelectorAll('#dg-chat [data-testid=\"bot\"]').length == 2")
    assert "a snowy hill" in later.locator("#dg-chat").inner_text()
    later.close()
    page.close()


@needs_chromium
def test_upload_with_caption_seed_critic_threads_and_errors(server, browser, tmp_path):
    from PIL import Image

    picture = tmp_path / "square.png"
    Image.new("RGB", (40, 30), (200, 30, 30)).save(picture)
    page = open_page(browser, server["url"])
    page.locator("#dg-seed input").fill("7")
    page.locator("#dg-seed input").press("Tab")
    # Critic on for this turn: the offline rules check it.
    page.locator("#dg-critic input").click()
    page.get_by_role("option", name="offline", exact=True).click()
    page.locator("#dg-input input[type=file]").set_input_files(str(picture))
    page.locator("#dg-caption textarea").fill("a red square")
    send(page, "what do you see here?", wait_for="echo: what do you see here? [a red square]")
    user = page.locator("#dg-chat [data-testid='user']").first
    assert user.locator("img.dg-picture").count() == 1 and "caption: a red square" in user.inner_text()
    assert "checked by the critic (offline)" in bot(page, 0).inner_text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "web-upload.png"))

    page.locator("#dg-critic input").click()
    page.get_by_role("option", name="off", exact=True).click()
    send(page, "draw a blue square", wait_for="Drawing prompt")
    text = bot(page, 1).inner_text()
    assert "seed 7" in text and "checked by the critic" not in text

    # An error is one sentence in the page; the conversation stays.
    send(page, "x" * (MAX_CHARS + 5))
    status = page.locator("#dg-status .dg-error")
    status.wait_for()
    assert status.inner_text() == f"The message is {MAX_CHARS + 5} characters long; the limit is {MAX_CHARS}: shorten it."
    assert assistant_count(page) == 2
    page.locator("#dg-input input[type=file]").set_input_files({"name": "broken.png", "mimeType": "image/png", "buffer": b"not a png"})
    send(page, "what is this?")
    page.locator("#dg-status .dg-error").get_by_text("is not an image Pillow can read").wait_for()
    assert assistant_count(page) == 2

    # Threads: a new one is empty; the list switches back to this one.
    this_thread = page.locator("#dg-link a").get_attribute("href").split("thread=")[1]
    page.locator("#dg-new").click()
    page.wait_for_function("() => document.querySelectorAll('#dg-chat [data-testid=\"bot\"]').length == 0")
    send(page, "hello there", wait_for="echo: hello there")
    page.locator("#dg-threads input").click()
    page.get_by_role("option", name=re.compile(r"^what do you see here\?")).click()
    page.wait_for_function("() => document.querySelectorAll('#dg-chat [data-testid=\"bot\"]').length == 2")
    assert "a blue square" in page.locator("#dg-chat").inner_text().lower()
    assert page.locator("#dg-link a").get_attribute("href").endswith(this_thread)
    page.close()


# -- the page's turn logic without a browser: streamed reply text, progress, errors -----------


def test_turn_shows_streamed_tokens_progress_and_one_sentence_errors(fake_roles, fake_context, monkeypatch):
    from dialoggen.agent.app.session import Session
    from dialoggen.agent.app.web import WebApp
    from dialoggen.agent.errors import InputError

    web = WebApp(fake_context)
    real_stream = Session.stream

    def streaming(self, text, *, attachment=None):
        # What a streaming chat role adds: {"token": ...} events before the record.
        yield {"t2i": {"step": 1, "total": 2}}
        for piece in ("echo", ": ", "hi"):
            yield {"token": piece}
            __import__("time").sleep(0.2)  # slower than the page's update rate, so each piece shows
        yield from real_stream(self, text, attachment=attachment)

    monkeypatch.setattr(Session, "stream", streaming)
    outs = list(web.turn("hi", [], "", None, None, "off"))
    assert "<progress value='1' max='2'>" in outs[1]["status"]
    shown = [o["chat"][-1]["content"] for o in outs if not o.get("done") and o["chat"] and o["chat"][-1]["role"] == "assistant"]
    assert "echo: " in shown and "echo: hi" in shown  # the reply grew on the page as it streamed
    assert outs[-1]["done"] and outs[-1]["chat"][-1]["content"] == "echo: hi"

    def failing(self, text, *, attachment=None):
        yield {"t2i": {"step": 1, "total": 2}}
        raise InputError("The model is busy: try again in a minute.")

    monkeypatch.setattr(Session, "stream", failing)
    thread = outs[-1]["thread"]
    out = list(web.turn("again", [], "", thread, None, "off"))[-1]
    assert out["error"] and "The model is busy: try again in a minute." in out["status"]
    assert len(out["chat"]) == 2  # the conversation stays
    out = list(web.turn("x", ["/no/such/file.png"], "", thread, None, "off"))[-1]
    assert out["error"] and out["drop_files"] and "No file at" in out["status"]
    out = list(web.turn("x", [], "", thread, "seven", "off"))[-1]
    assert "Give the seed as a whole number" in out["status"]
    # A critic outside the page's list is not honoured: the operator's default applies.
    monkeypatch.setattr(Session, "stream", real_stream)
    out = list(web.turn("hello", [], "", thread, None, "py:os:getcwd"))[-1]
    assert out["done"] and out["record"]["critic"] is None
