"""``dialoggen web``: the conversation in a browser (Gradio), on the CLI's :class:`Session`.

One page: the chat with pictures inline (each with its drawing prompt in a copyable block,
what changed against the previous prompt, and the seed), a progress bar while a picture is
drawn, reply text as it streams, image upload with an optional caption, undo, new thread,
a list of threads to switch between (``?thread=ID`` in the address reopens one), the seed
and the critic. Errors show as one sentence; the conversation stays.

Pictures are served by id only (``GET images/{sha256}``, the routes of
:mod:`dialoggen.graphs.routes`), relative to the page, so the app works under a path prefix
behind a reverse proxy (``--root-path``). Gradio and uvicorn are imported only here (the
``web`` extra).
"""

import dataclasses
import html
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any, Iterator, Optional

import typer

from ..errors import DialogGenError

#: Most page updates a second while a turn streams (progress steps, reply tokens).
UPDATES_PER_S = 8
#: Sessions kept warm in memory (a thread not in here is reopened from its checkpoints).
MAX_SESSIONS = 256
CRITIC_OFF = "off"


def _one_sentence(exc: BaseException) -> str:
    if isinstance(exc, DialogGenError):
        return str(exc)
    detail = str(exc).splitlines()[0] if str(exc) else "no detail"
    return f"The turn failed ({type(exc).__name__}: {detail}); nothing was recorded: check the model settings and try again."


def _img(sha: str, alt: str) -> str:
    return f'<img src="images/{sha}" alt="{html.escape(alt, quote=True)}" class="dg-picture">'


def _fence(text: str) -> str:
    return "```text\n" + text.replace("```", "'''") + "\n```"


def user_markdown(record: dict) -> str:
    parts = []
    att = record.get("attachment")
    if att and att.get("sha256"):
        parts.append(_img(att["sha256"], att.get("caption") or "attached image"))
        if att.get("caption"):
            parts.append(f"*caption: {html.escape(att['caption'])}*")
    parts.append(html.escape(record.get("user") or ""))
    return "\n\n".join(parts)


def changes_markdown(diff: list[dict]) -> str:
    """What changed against the previous prompt, one line per part (CLI wording)."""
    if not diff:
        return "no change against the previous prompt"
    if len(diff) > 1 and not any(c.get("before") for c in diff):
        return "a new picture"
    lines = []
    for c in diff:
        verb = "added" if not c.get("before") else "removed" if not c.get("after") else "changed"
        lines.append(f"{verb} **{c['part']}**: {html.escape(repr(c.get('before') or ''))} → {html.escape(repr(c.get('after') or ''))}")
    return "<br>".join(lines)


def assistant_markdown(record: dict) -> str:
    parts = []
    if record.get("modality") == "image":
        image = record.get("image")
        if image and image.get("sha256"):
            parts.append(_img(image["sha256"], record.get("prompt_text") or "picture"))
        else:
            parts.append("*(not drawn: no image model is configured)*")
        parts.append("Drawing prompt:\n\n" + _fence(record.get("prompt_text") or ""))
        from .session import drawn_from

        label = drawn_from(record)
        if label:
            parts.append(label[0].upper() + label[1:] + "\n\n" + _fence(record["draw_text"]))
        parts.append(f"<span class='dg-changed'>{changes_markdown(record.get('prompt_diff') or [])}</span> · "
                     f"<span class='dg-seed'>seed {record.get('seed')}</span>")
    else:
        parts.append(html.escape(record.get("reply") or ""))
    critic = record.get("critic")
    if critic and not critic.get("ok"):
        parts.append(f"*critic ({html.escape(str(critic.get('critic')))}): rule '{critic.get('rule')}' — "
                     f"{html.escape(str(critic.get('reason')))}; corrected.*")
    elif critic:
        parts.append(f"<span class='dg-critic'>checked by the critic ({html.escape(str(critic.get('critic')))}): ok</span>")
    if record.get("notice"):
        parts.append(f"*{html.escape(record['notice'])}*")
    return "\n\n".join(parts)


def history_messages(turns: list[dict]) -> list[dict]:
    out: list[dict] = []
    for t in turns:
        out.append({"role": "user", "content": user_markdown(t)})
        out.append({"role": "assistant", "content": assistant_markdown(t)})
    return out


def progress_html(step: int, total: int) -> str:
    return (f"<div class='dg-progress'>drawing <progress value='{step}' max='{total}'></progress> "
            f"<span class='dg-steps'>{step}/{total}</span></div>")


def error_html(text: str) -> str:
    return f"<div class='dg-error' role='alert'>{html.escape(text)}</div>"


class WebApp:
    """The server side of the page: one shared checkpointer, a Session per open thread."""

    def __init__(self, context, *, critics: Optional[list[str]] = None) -> None:
        from ...graphs import open_checkpointer
        from ...graphs.serve import allowed_critics

        self.context = context
        Path(context.data_dir).expanduser().mkdir(parents=True, exist_ok=True)
        self.checkpointer = open_checkpointer(context.data_dir)
        self.critics = critics or allowed_critics(context)
        self._sessions: "OrderedDict[str, Any]" = OrderedDict()
        self._busy: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()
        threading.Thread(target=self._warm, daemon=True).start()

    def _warm(self) -> None:
        """Load the intent model and the picture pipeline while the first page opens
        (a failure is reported, in one sentence, by the first turn that needs the model)."""
        try:
            from ..roles import resolve

            resolve("intent", self.context.intent, openai_base_url=self.context.openai_base_url)
            if self.context.t2i != "none":
                from ...tools.t2i import load_t2i

                load_t2i(self.context.t2i)
        except Exception:  # noqa: BLE001
            pass

    # -- sessions ----------------------------------------------------------------------
    def session(self, thread_id: Optional[str]):
        from .session import Session, new_thread_id

        thread_id = thread_id or new_thread_id()
        with self._lock:
            s = self._sessions.get(thread_id)
            if s is None:
                s = Session(self.context, thread_id, checkpointer=self.checkpointer)
                self._sessions[thread_id] = s
                while len(self._sessions) > MAX_SESSIONS:
                    self._sessions.popitem(last=False)
            self._sessions.move_to_end(thread_id)
            self._busy.setdefault(thread_id, threading.Lock())
            return s

    def threads(self) -> list[tuple[str, str]]:
        from .session import list_threads

        return [(f"{r.get('title') or r['thread_id']} · {r.get('turns') or 0} turn{'' if r.get('turns') == 1 else 's'}", r["thread_id"])
                for r in list_threads(self.context.data_dir, db=getattr(self.context, "db", None))]

    def _context_for(self, critic: Optional[str]):
        if critic not in self.critics:
            critic = self.context.critic or CRITIC_OFF
        return dataclasses.replace(self.context, critic=None if critic == CRITIC_OFF else critic)

    # -- one turn ----------------------------------------------------------------------
    def turn(self, text: str, files: list, caption: str, thread_id: Optional[str], seed: Any, critic: Optional[str]) -> Iterator[dict]:
        """Run a turn, yielding what the page shows: ``chat`` (messages), ``status`` (HTML),
        and last ``done`` with the thread id and seed (or ``error``)."""
        session = self.session(thread_id)
        history = history_messages(session.turns())
        busy = self._busy[session.thread_id]
        if not busy.acquire(blocking=False):
            yield {"chat": history, "status": error_html("This thread is still answering your previous message: wait for it to finish."), "error": True, "thread": session.thread_id}
            return
        try:
            yield from self._turn(session, history, text, files, caption, seed, critic)
        finally:
            busy.release()

    def _turn(self, session, history, text, files, caption, seed, critic) -> Iterator[dict]:
        def fail(exc: BaseException, **extra) -> dict:
            return {"chat": history_messages(session.turns()), "status": error_html(_one_sentence(exc)), "error": True,
                    "thread": session.thread_id, **extra}

        try:
            if not (text or "").strip():
                raise DialogGenError("The message is empty: type what you want to say or draw.")
            try:
                attachment = session.attach(files[0], caption=(caption or "").strip() or None) if files else None
            except DialogGenError as exc:  # the file is of no use: drop it, keep the text
                yield fail(exc, drop_files=True)
                return
            if seed is not None and str(seed).strip() != "":
                try:
                    value = int(float(seed))
                except (TypeError, ValueError):
                    raise DialogGenError("Give the seed as a whole number, e.g. 1234.") from None
                if value != session.seed():
                    session.set_seed(value)
            session.context = self._context_for(critic)
        except Exception as exc:  # noqa: BLE001 - one sentence in the page
            yield fail(exc)
            return
        pending = {"user": text.strip(), "attachment": attachment}
        live = history + [{"role": "user", "content": user_markdown(pending)}]
        yield {"chat": live + [{"role": "assistant", "content": "…"}], "status": "<div class='dg-thinking'>thinking…</div>", "thread": session.thread_id}
        reply = ""
        record = None
        shown = 0.0  # when the page was last updated: at most UPDATES_PER_S updates a second
        try:
            for event in session.stream(text, attachment=attachment):
                now = time.monotonic()
                if "t2i" in event:
                    step, total = int(event["t2i"]["step"]), int(event["t2i"]["total"])
                    if now - shown >= 1 / UPDATES_PER_S or step >= total:
                        shown = now
                        yield {"chat": live + [{"role": "assistant", "content": "…"}], "status": progress_html(step, total), "thread": session.thread_id}
                elif "token" in event:
                    reply += str(event["token"])
                    if now - shown >= 1 / UPDATES_PER_S:
                        shown = now
                        yield {"chat": live + [{"role": "assistant", "content": html.escape(reply)}], "status": "", "thread": session.thread_id}
                elif "turn" in event:
                    record = event["turn"]
        except GeneratorExit:  # the page went away: the Session rolls the turn back
            raise
        except BaseException as exc:  # noqa: BLE001 - the Session rolled the thread back
            yield fail(exc)
            return
        yield {"chat": history_messages(session.turns()), "status": "", "done": True, "thread": session.thread_id,
               "seed": session.seed(), "record": record}

    def undo(self, thread_id: Optional[str]) -> tuple[list[dict], str]:
        if not thread_id:
            return [], "<div class='dg-info'>Nothing to undo.</div>"
        session = self.session(thread_id)
        busy = self._busy[session.thread_id]
        if not busy.acquire(blocking=False):
            return history_messages(session.turns()), error_html("Wait for the answer to finish, then undo.")
        try:
            removed = session.undo()
        except Exception as exc:  # noqa: BLE001
            return history_messages(session.turns()), error_html(_one_sentence(exc))
        finally:
            busy.release()
        note = f"Removed turn {removed['turn']}: {html.escape(removed['user'])}" if removed else "Nothing to undo."
        return history_messages(session.turns()), f"<div class='dg-info'>{note}</div>"


CSS = """
.dg-picture { max-width: 256px; width: 100%; image-rendering: pixelated; border-radius: 6px; }
.dg-error { color: #b00020; font-weight: 600; }
.dg-progress progress { width: 60%; }
#dg-chat button[aria-label="Clear"] { display: none; }
"""


def build_ui(web: WebApp):
    """The Gradio Blocks page for ``web``."""
    import gradio as gr

    def link_md(thread_id: Optional[str]) -> str:
        if not thread_id:
            return "New thread (it is listed once you send a message)."
        return f"Thread `{thread_id}` · [link to come back later](?thread={thread_id})"

    with gr.Blocks(title="DialogGen") as demo:
        thread = gr.State(None)
        seed_choice = gr.State(None)  # a seed the person typed, applied with the next message
        with gr.Row():
            with gr.Column(scale=1, min_width=240):
                gr.Markdown("### DialogGen")
                new_btn = gr.Button("New thread", elem_id="dg-new")
                threads = gr.Dropdown(choices=[], value=None, label="Threads", elem_id="dg-threads", interactive=True)
                seed = gr.Number(value=web.context.default_seed, label="Seed (next pictures)", precision=0, elem_id="dg-seed")
                default_critic = web.context.critic if web.context.critic in web.critics else CRITIC_OFF
                critic = gr.Dropdown(choices=web.critics, value=default_critic, label="Critic", elem_id="dg-critic")
                undo_btn = gr.Button("Undo last turn", elem_id="dg-undo")
                link = gr.Markdown(link_md(None), elem_id="dg-link")
            with gr.Column(scale=3):
                chat = gr.Chatbot(value=[], label="Conversation", elem_id="dg-chat", height="72vh",
                                  buttons=["copy"], sanitize_html=True, render_markdown=True)
                status = gr.HTML("<div class='dg-loading'>loading…</div>", elem_id="dg-status")
                with gr.Row():
                    box = gr.MultimodalTextbox(placeholder="Say something, ask for a picture, or attach an image…",
                                               file_types=["image"], file_count="single", show_label=False,
                                               elem_id="dg-input", scale=4)
                    caption = gr.Textbox(placeholder="caption for the attached image (optional)", show_label=False,
                                         elem_id="dg-caption", scale=1)

        def send(msg, cap, thread_id, seed_value, critic_value):
            msg = msg or {}
            text = msg.get("text") or ""
            files = [f if isinstance(f, str) else (f.get("path") if isinstance(f, dict) else getattr(f, "path", None))
                     for f in (msg.get("files") or [])]
            files = [f for f in files if f]
            for out in web.turn(text, files, cap, thread_id, seed_value, critic_value):
                if out.get("done"):
                    yield (out["chat"], out["status"], gr.update(value=None), "", out["thread"],
                           gr.update(choices=web.threads(), value=out["thread"]), out["seed"], link_md(out["thread"]), None)
                elif out.get("error"):
                    keep = gr.update(value={"text": text, "files": []}) if out.get("drop_files") else gr.update()
                    yield (out["chat"], out["status"], keep, gr.update(), out["thread"], gr.update(), gr.update(), gr.update(), gr.update())
                else:
                    yield (out["chat"], out["status"], gr.update(), gr.update(), out["thread"], gr.update(), gr.update(), gr.update(), gr.update())

        box.submit(send, [box, caption, thread, seed_choice, critic],
                   [chat, status, box, caption, thread, threads, seed, link, seed_choice], api_name="send", concurrency_id="turns")
        seed.input(lambda value: value, [seed], [seed_choice])

        def open_thread(thread_id):
            if not thread_id:
                return gr.update(), gr.update(), gr.update(), gr.update(), gr.update(), gr.update()
            s = web.session(thread_id)
            return history_messages(s.turns()), "", thread_id, s.seed(), link_md(thread_id), None

        threads.input(open_thread, [threads], [chat, status, thread, seed, link, seed_choice], api_name="open_thread")

        def new_thread():
            return [], "", None, gr.update(choices=web.threads(), value=None), web.context.default_seed, link_md(None), None

        new_btn.click(new_thread, [], [chat, status, thread, threads, seed, link, seed_choice], api_name="new_thread")

        def undo(thread_id):
            messages, note = web.undo(thread_id)
            return messages, note, gr.update(choices=web.threads(), value=thread_id)

        undo_btn.click(undo, [thread], [chat, status, threads], api_name="undo")

        def on_load(request: gr.Request):
            wanted = (request.query_params.get("thread") if request is not None else None) or None
            known = {tid for _, tid in web.threads()}
            if wanted and wanted in known:
                s = web.session(wanted)
                return (history_messages(s.turns()), wanted, gr.update(choices=web.threads(), value=wanted), s.seed(),
                        link_md(wanted), "")
            note = error_html(f"No thread '{wanted}' here: pick one from the list or start talking.") if wanted else ""
            return [], None, gr.update(choices=web.threads(), value=None), web.context.default_seed, link_md(None), note

        demo.load(on_load, None, [chat, thread, threads, seed, link, status])
    return demo


def create_app(context, *, root_path: str = "", concurrency: int = 4, critics: Optional[list[str]] = None):
    """The ASGI app: picture routes by id + the Gradio page at ``/``."""
    import gradio as gr
    from fastapi import FastAPI

    from ...graphs.routes import image_routes

    web = WebApp(context, critics=critics)
    demo = build_ui(web)
    demo.queue(default_concurrency_limit=concurrency)
    app = FastAPI(title="DialogGen", docs_url=None, redoc_url=None, openapi_url=None)
    for route in image_routes(lambda: web.context.data_dir):
        app.router.routes.append(route)
    app = gr.mount_gradio_app(app, demo, path="/", root_path=root_path or None, css=CSS, footer_links=[])
    app.state.dialoggen = web
    return app


def web(
    host: str = typer.Option("127.0.0.1", help="Address to listen on (127.0.0.1: this machine only; put a reverse proxy in front to publish it)."),
    port: int = typer.Option(7860, help="Port to listen on."),
    root_path: str = typer.Option("", help="Path prefix when served behind a reverse proxy, e.g. /dialoggen."),
    concurrency: int = typer.Option(4, help="Turns run at the same time (others wait in the queue)."),
    intent: Optional[str] = typer.Option(None, help="Intent model spec: offline | openai:MODEL | hf:PATH_OR_HUB_ID."),
    rewrite: Optional[str] = typer.Option(None, help="Rewrite model spec (same forms)."),
    chat_model: Optional[str] = typer.Option(None, "--chat", help="Chat model spec (same forms, or none)."),
    critic: Optional[str] = typer.Option(None, help="Default critic spec; the page offers off, offline and this one."),
    t2i: Optional[str] = typer.Option(None, help="Text-to-image: diffusers:PATH_OR_HUB_ID or none (prompt-only)."),
    openai_base_url: Optional[str] = typer.Option(None, help="Base URL of an OpenAI-compatible server."),
    data_dir: Optional[Path] = typer.Option(None, help="Where threads and images are kept."),
    steps: Optional[int] = typer.Option(None, help="Denoising steps."),
    strength: Optional[float] = typer.Option(None, help="Image-to-image strength for edits (0-1)."),
    db: Optional[str] = typer.Option(None, "--db", help="Keep conversations in PostgreSQL (postgresql://USER@HOST/DB) for many users."),
) -> None:
    """Chat in the browser: pictures inline, threads, undo, seed and critic (Gradio)."""
    from ..config import load_settings

    try:
        import gradio  # noqa: F401
        import uvicorn
    except ImportError:
        raise DialogGenError("The web app needs Gradio: pip install 'dialoggen[web]'.") from None
    ctx = load_settings(intent=intent, rewrite=rewrite, chat=chat_model, critic=critic, t2i=t2i,
                        openai_base_url=openai_base_url, data_dir=str(data_dir) if data_dir else None, steps=steps,
                        img2img_strength=strength, db=db).context()
    app = create_app(ctx, root_path=root_path, concurrency=concurrency)
    typer.echo(f"DialogGen web on http://{host}:{port}{root_path}/  (data: {ctx.data_dir})", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
