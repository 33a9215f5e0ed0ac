"""A conversation thread driven turn by turn: what the CLI (and any front end) uses.

Wraps the compiled graph with the SQLite checkpointer: sends one user turn, streams its
events, rolls the thread back to its previous checkpoint when a turn fails or is
interrupted (so no earlier turn is lost and no half turn is kept), and implements
``/undo`` with LangGraph's checkpoint history (a fork from the checkpoint before the last
turn, which becomes the thread's head).
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

from ..context import Context
from ..errors import DialogGenError
from ..schemas import ImageRef, TurnRecord

Event = dict[str, Any]


def new_thread_id() -> str:
    return uuid.uuid4().hex[:12]


class Session:
    """One thread of one user. ``Session(context, thread_id)``; ``send("draw a fox")``."""

    def __init__(self, context: Context, thread_id: Optional[str] = None, *, checkpointer: Any = None) -> None:
        from ...graphs import build_graph, open_checkpointer

        self.context = context
        self.thread_id = thread_id or new_thread_id()
        Path(context.data_dir).expanduser().mkdir(parents=True, exist_ok=True)
        self.checkpointer = checkpointer if checkpointer is not None else open_checkpointer(context.data_dir)
        self.graph = build_graph(self.checkpointer)
        if context.trace:
            from ..tracing import setup_tracing

            setup_tracing(context.trace)
        self._pending_seed: Optional[int] = None

    # -- reading -------------------------------------------------------------------------
    @property
    def config(self) -> dict:
        return {"configurable": {"thread_id": self.thread_id}}

    def turns(self) -> list[TurnRecord]:
        """The thread's finished turns, oldest first."""
        return list(self.graph.get_state(self.config).values.get("turns") or [])

    def seed(self) -> int:
        if self._pending_seed is not None:
            return self._pending_seed
        seed = self.graph.get_state(self.config).values.get("seed")
        return int(seed) if seed is not None else self.context.default_seed

    def _head(self) -> Optional[dict]:
        snap = self.graph.get_state(self.config)
        return snap.config if snap.values or snap.next else None

    # -- writing -------------------------------------------------------------------------
    def set_seed(self, seed: int) -> None:
        """Use ``seed`` from the next picture on (kept in the thread once a turn runs)."""
        self._pending_seed = int(seed)

    def attach(self, path: str, caption: Optional[str] = None) -> ImageRef:
        """Validate and store an image for the next message (raises InputError)."""
        from ...tools.image_store import ImageStore

        return ImageStore(self.context.data_dir).attach(path, caption=caption, thread_id=self.thread_id)

    def stream(self, text: str, *, attachment: Optional[ImageRef] = None) -> Iterator[Event]:
        """Run one turn, yielding ``{"status": "loading chat model" | "writing reply"}``,
        ``{"token": "piece"}`` (the chat node's reply as it is written), ``{"t2i": {...}}``
        progress events and, last, ``{"turn": TurnRecord}`` (its ``reply`` is the final text:
        it may drop an unfinished last sentence the tokens showed). On any error or Ctrl-C
        the thread goes back to where it was."""
        head = self._head()
        payload: dict[str, Any] = {"messages": [{"role": "user", "content": text}], "attachment": attachment}
        if self._pending_seed is not None:
            payload["seed"] = self._pending_seed
        record: Optional[TurnRecord] = None
        try:
            for mode, chunk in self.graph.stream(
                payload, self.config, context=self.context, stream_mode=["custom", "messages", "values"], durability="exit"
            ):
                if mode == "messages":
                    piece = _reply_token(chunk)
                    if piece:
                        yield {"token": piece}
                elif mode == "custom":
                    yield chunk
                elif mode == "values" and chunk.get("last_turn") and not chunk.get("draft"):
                    record = chunk["last_turn"]
        except BaseException:
            self._rollback(head)
            raise
        if record is None or record.get("user") != text.strip():
            self._rollback(head)
            raise DialogGenError("The turn ended without a result; nothing was recorded: try again.")
        self._pending_seed = None
        self._index(record)
        yield {"turn": record}

    def send(self, text: str, *, attachment: Optional[ImageRef] = None, on_event: Optional[Callable[[Event], None]] = None) -> TurnRecord:
        """Run one turn and return its record."""
        record = None
        for event in self.stream(text, attachment=attachment):
            if "turn" in event:
                record = event["turn"]
            elif on_event is not None:
                on_event(event)
        assert record is not None
        return record

    def undo(self) -> Optional[TurnRecord]:
        """Roll back the last turn; returns the record that was removed (None if none)."""
        snap = self.graph.get_state(self.config)
        turns = snap.values.get("turns") or []
        if not turns:
            return None
        target = None
        for past in self.graph.get_state_history(self.config):
            if len(past.values.get("turns") or []) == len(turns) - 1 and not past.next:
                target = past
                break
        if target is None or not target.values:
            self.checkpointer.delete_thread(self.thread_id)
        else:
            self.graph.update_state(target.config, None)
        self._forget_after(len(turns) - 1)
        return turns[-1]

    # -- internals -----------------------------------------------------------------------
    def _rollback(self, head: Optional[dict]) -> None:
        now = self.graph.get_state(self.config)
        if head is None:
            if now.values or now.next:
                self.checkpointer.delete_thread(self.thread_id)
        elif now.config["configurable"].get("checkpoint_id") != head["configurable"].get("checkpoint_id"):
            self.graph.update_state(head, None)

    def _index(self, record: TurnRecord) -> None:
        try:
            from ...tools.image_store import ImageStore
        except ImportError:  # pragma: no cover - the store ships with the package
            return
        ImageStore(self.context.data_dir).record_turn(self.thread_id, record["turn"], record["user"])

    def _forget_after(self, turn: int) -> None:
        from ...tools.image_store import ImageStore

        ImageStore(self.context.data_dir).forget_turns_after(self.thread_id, turn)


def _reply_token(chunk: Any) -> Optional[str]:
    """The text of a ``messages``-mode chunk when it is a piece of the chat node's reply
    (the intent, rewrite and critic calls and whole messages are not)."""
    from langchain_core.messages import AIMessageChunk

    message, meta = chunk
    if not isinstance(message, AIMessageChunk) or (meta or {}).get("langgraph_node") != "chat":
        return None
    content = message.content
    return content if isinstance(content, str) else "".join(b.get("text", "") for b in content if isinstance(b, dict))


def list_threads(data_dir: str) -> list[dict]:
    from ...tools.image_store import ImageStore

    return ImageStore(data_dir).list_threads()
