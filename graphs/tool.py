"""DialogGen as one LangChain tool, for ``langchain.agents.create_agent`` or any
tool-calling agent::

    from langchain.agents import create_agent
    from dialoggen.graphs import as_tool
    agent = create_agent(model, tools=[as_tool(Context(t2i="diffusers:..."))])

The tool's arguments are plain: the user's request, an optional image (path and caption)
and an optional thread. Each call is one DialogGen turn on that thread (default: the
calling agent's ``thread_id``), kept in the project's SQLite checkpointer under the
context's data dir (or the ``checkpointer`` given), so a second call edits the first
call's picture. The result is a plain dict (:class:`ToolResult`).
"""

from __future__ import annotations

import uuid
from typing import Any, Optional

from langchain_core.runnables import RunnableConfig
from langchain_core.tools import StructuredTool, ToolException
from pydantic import BaseModel, Field
from typing_extensions import TypedDict

from ..agent.context import Context
from ..agent.errors import DialogGenError
from ..prompts import load_prompt


class ToolInput(BaseModel):
    """The tool's arguments."""

    request: str = Field(description="The user's request in their own words: something to draw, a change to the last picture, or a question.")
    image_path: Optional[str] = Field(default=None, description="Path of an image file the user attached to this request, if any.")
    image_caption: Optional[str] = Field(default=None, description="What the attached image shows, if known.")
    thread: Optional[str] = Field(default=None, description="Conversation id; requests on one thread edit the same picture. Default: the current conversation.")


class ToolResult(TypedDict):
    """What one call returns."""

    modality: str  # "image" or "text"
    text: str  # the reply (text turns) or the drawing prompt (image turns)
    prompt: Optional[str]  # the drawing prompt (image turns)
    changed: list[dict]  # [{"part", "before", "after"}] against the thread's previous prompt
    image: Optional[str]  # path of the drawn picture (None when no image model is configured)
    seed: Optional[int]
    turn: int
    thread: str
    notice: Optional[str]  # e.g. "No image model is configured: ..."


def result_of(record: dict, thread: str) -> ToolResult:
    image = record.get("image") or {}
    text = record.get("reply") if record.get("modality") == "text" else record.get("prompt_text")
    return ToolResult(
        modality=record.get("modality") or "text",
        text=text or "",
        prompt=record.get("prompt_text"),
        changed=[dict(c) for c in record.get("prompt_diff") or []],
        image=image.get("path"),
        seed=record.get("seed"),
        turn=int(record.get("turn") or 0),
        thread=thread,
        notice=record.get("notice"),
    )


def as_tool(
    context: Optional[Context] = None,
    *,
    checkpointer: Any = None,
    name: str = "dialoggen",
    description: Optional[str] = None,
) -> StructuredTool:
    """A LangChain tool that runs one DialogGen turn per call.

    Args:
        context: the settings (models, data dir, ...); default ``Context()``.
        checkpointer: where the tool's threads live; default the SQLite checkpointer in
            ``context.data_dir`` (the same threads the CLI lists).
        name, description: as the calling model sees the tool.
    """
    from .graph import build_graph, open_checkpointer

    ctx = context if context is not None else Context()
    state: dict[str, Any] = {"graph": None}
    own_thread = f"tool-{uuid.uuid4().hex[:8]}"  # when neither the call nor the agent names one

    def graph():
        if state["graph"] is None:
            saver = checkpointer if checkpointer is not None else open_checkpointer(ctx.data_dir)
            state["graph"] = build_graph(saver)
        return state["graph"]

    def run(
        request: str,
        image_path: Optional[str] = None,
        image_caption: Optional[str] = None,
        thread: Optional[str] = None,
        config: RunnableConfig = None,  # type: ignore[assignment]  # injected by LangChain
    ) -> ToolResult:
        parent = ((config or {}).get("configurable") or {}).get("thread_id")
        thread_id = str(thread or parent or own_thread)
        g = graph()
        # A fresh ``configurable`` makes this a root run on the tool's own checkpointer;
        # callbacks (traces, streaming) still reach the caller's.
        run_config: RunnableConfig = {"configurable": {"thread_id": thread_id}, "callbacks": (config or {}).get("callbacks")}
        attachment = None
        if image_path:
            from ..tools.image_store import ImageStore

            try:
                attachment = ImageStore(ctx.data_dir).attach(image_path, caption=image_caption, thread_id=thread_id)
            except DialogGenError as exc:
                raise ToolException(str(exc)) from exc
        head = g.get_state(run_config).config if g.get_state(run_config).values else None
        try:
            out = g.invoke({"messages": [("user", request)], "attachment": attachment}, run_config, context=ctx, durability="exit")
        except DialogGenError as exc:  # a user's mistake: the calling model reads the sentence
            _rollback(g, run_config, head)
            raise ToolException(str(exc)) from exc
        except BaseException:
            _rollback(g, run_config, head)
            raise
        record = out.get("last_turn") or {}
        try:
            from ..tools.image_store import ImageStore

            ImageStore(ctx.data_dir).record_turn(thread_id, record["turn"], record["user"])
        except (KeyError, OSError):
            pass
        return result_of(record, thread_id)

    return StructuredTool.from_function(
        func=run,
        name=name,
        description=description or load_prompt("tool_dialoggen").strip(),
        args_schema=ToolInput,
        handle_tool_error=True,
    )


def _rollback(graph: Any, config: RunnableConfig, head: Optional[dict]) -> None:
    """Put the thread back where it was before a failed call (no half turn is kept)."""
    now = graph.get_state(config)
    if head is None:
        if now.values or now.next:
            graph.checkpointer.delete_thread(config["configurable"]["thread_id"])
    elif now.config["configurable"].get("checkpoint_id") != head["configurable"].get("checkpoint_id"):
        graph.update_state(head, None)
