"""A conversation thread driven turn by turn: what the CLI (and any front end) uses.

Wraps the compiled graph with the project's checkpointer (SQLite in the data directory, or
PostgreSQL with ``Context.db``): sends one user turn and streams its events. A turn is one
unit: its checkpoint writes are staged in memory and committed, with the thread index, in
one transaction only if the thread's head is still the one the turn started from
(compare-and-swap); the index rows of the pictures it drew are written in that commit
too. A failed or interrupted turn stores nothing (not even its input, nor an index row;
a drawn PNG file may stay as a content-addressed cache entry); a
turn that lost the race to another writer on the same thread (two terminals) is re-run on
the new head, or refused with one sentence. ``/undo`` forks from the checkpoint before the
last turn (LangGraph's checkpoint history), committed the same way.
"""

from __future__ import annotations

import contextlib
import random
import sqlite3
import time
import uuid
from typing import Any, Callable, Iterator, Optional

from ..context import Context
from ..errors import DialogGenError, StorageError, ThreadBusyError
from ..schemas import ImageRef, TurnRecord

Event = dict[str, Any]

#: Times a turn is run again when another writer committed to the thread first.
MAX_TRIES = 8
#: Seconds a turn waits for another writer's turn on the same thread to finish.
TURN_LOCK_TIMEOUT_S = 60.0


def new_thread_id() -> str:
    return uuid.uuid4().hex[:12]


class Session:
    """One thread of one user. ``Session(context, thread_id)``; ``send("draw a fox")``."""

    def __init__(self, context: Context, thread_id: Optional[str] = None, *, checkpointer: Any = None) -> None:
        from ...graphs import build_graph, open_checkpointer
        from ...tools.image_store import ImageStore

        self.context = context
        self.thread_id = thread_id or new_thread_id()
        ImageStore(context.data_dir)  # creates the data directory; StorageError when it is unusable
        self.checkpointer = (
            checkpointer if checkpointer is not None else open_checkpointer(context.data_dir, db=getattr(context, "db", None))
        )
        self.graph = build_graph(self.checkpointer)
        if context.trace:
            from ..tracing import setup_tracing

            setup_tracing(context.trace)
        self._pending_seed: Optional[int] = None
        self.turn_lock_timeout = TURN_LOCK_TIMEOUT_S

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
        the thread stays where it was (a failed turn stores nothing).

        When another writer commits to the thread while the turn runs, the turn is run
        again on the new head (its events are yielded again), at most ``MAX_TRIES`` times."""
        payload: dict[str, Any] = {"messages": [{"role": "user", "content": text}], "attachment": attachment}
        if self._pending_seed is not None:
            payload["seed"] = self._pending_seed
        staged = hasattr(self.checkpointer, "begin_turn")
        with self._turn_lock():
            for attempt in range(MAX_TRIES):
                txn = self.checkpointer.begin_turn(self.thread_id) if staged else None
                head = None if staged else self._head()
                config = txn.config() if staged else self.config
                record: Optional[TurnRecord] = None
                try:
                    for mode, chunk in self.graph.stream(
                        payload, config, context=self.context, stream_mode=["custom", "messages", "values"], durability="exit"
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
                    if not staged:
                        self._rollback(head)
                    raise
                if record is None or record.get("user") != text.strip():
                    if not staged:
                        self._rollback(head)
                    raise DialogGenError("The turn ended without a result; nothing was recorded: try again.")
                if staged:
                    from ...graphs.checkpointer import ThreadChanged

                    try:
                        warning = self._commit(txn, record=record)
                    except ThreadChanged:
                        time.sleep(random.uniform(0.0, 0.05 * (attempt + 1)))
                        continue
                    if warning:
                        record = {**record, "notice": f"{record['notice']} {warning}" if record.get("notice") else warning}
                else:
                    self._index(record)
                self._pending_seed = None
                yield {"turn": record}
                return
        raise ThreadBusyError(
            "Another window kept writing to this conversation while this turn ran, so it was not recorded: send it again."
        )

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
        with self._turn_lock():
            return self._undo()

    def _undo(self) -> Optional[TurnRecord]:
        staged = hasattr(self.checkpointer, "begin_turn")
        for attempt in range(MAX_TRIES):
            txn = self.checkpointer.begin_turn(self.thread_id) if staged else None
            snap = self.graph.get_state(self.config)
            turns = snap.values.get("turns") or []
            if not turns:
                return None
            target = None
            for past in self.graph.get_state_history(self.config):
                if len(past.values.get("turns") or []) == len(turns) - 1 and not past.next:
                    target = past
                    break
            if not staged:
                if target is None or not target.values:
                    self.checkpointer.delete_thread(self.thread_id)
                else:
                    self.graph.update_state(target.config, None)
                self._forget_after(len(turns) - 1)
                return turns[-1]
            if target is None or not target.values:
                txn.delete = True
            else:
                conf = {**target.config["configurable"], **txn.config()["configurable"]}
                self.graph.update_state({"configurable": conf}, None)
            from ...graphs.checkpointer import ThreadChanged

            try:
                self._commit(txn, forget_after=len(turns) - 1)
            except ThreadChanged:
                time.sleep(random.uniform(0.0, 0.05 * (attempt + 1)))
                continue
            return turns[-1]
        raise ThreadBusyError("Another window kept writing to this conversation, so /undo changed nothing: try again.")

    # -- internals -----------------------------------------------------------------------
    def _turn_lock(self) -> Any:
        """Writers of this thread take turns (the checkpointer's advisory lock), when the
        checkpointer has one; the compare-and-swap commit is the guarantee either way."""
        lock = getattr(self.checkpointer, "turn_lock", None)
        return lock(self.thread_id, self.turn_lock_timeout) if lock is not None else contextlib.nullcontext(False)

    def _rollback(self, head: Optional[dict]) -> None:
        now = self.graph.get_state(self.config)
        if head is None:
            if now.values or now.next:
                self.checkpointer.delete_thread(self.thread_id)
        elif now.config["configurable"].get("checkpoint_id") != head["configurable"].get("checkpoint_id"):
            self.graph.update_state(head, None)

    def _commit(self, txn: Any, *, record: Optional[TurnRecord] = None, forget_after: Optional[int] = None) -> Optional[str]:
        """Commit a staged turn (or undo) and the thread index as one unit.

        Returns a warning sentence in the one case where the turn was saved but the thread
        index could not be (its final commit failed after the checkpoint committed).
        Raises ``ThreadChanged`` (nothing stored) or :class:`StorageError` saying truly
        that nothing was recorded."""
        from ...tools.image_store import ImageStore
        from ...tools.storage import storage_advice, storage_reason

        rows = list(getattr(txn, "index_rows", None) or ())  # pictures drawn in the turn

        def write_index(index: Any) -> None:
            if record is not None:
                index.record_turn(self.thread_id, record["turn"], record["user"])
                if rows and getattr(index, "images", False):
                    index.add_images(rows)
            elif forget_after is not None:
                index.forget_after(self.thread_id, forget_after)

        saver = self.checkpointer
        store = ImageStore(self.context.data_dir)
        if getattr(saver, "keeps_thread_index", False):  # PostgreSQL: one transaction holds both
            saver.commit_turn(txn, on_commit=lambda cur: write_index(saver.thread_index(cur)))
            if rows:  # the picture index stays in index.db: written right after the commit
                try:
                    with store.thread_update() as index:
                        index.add_images(rows)
                except sqlite3.Error:
                    return "The turn was saved, but its pictures could not be added to the picture index."
            if forget_after is not None:
                try:
                    store.forget_images_after(self.thread_id, forget_after)
                except DialogGenError:
                    return "The picture index could not forget the undone turn's pictures."
            return None
        try:
            conn, index = store.begin_thread_update()
        except sqlite3.Error as err:
            raise StorageError(
                f"The thread index {store.db_path} could not be written ({storage_reason(err)}), "
                f"so nothing was recorded: {storage_advice(err)}"
            ) from err
        try:
            try:
                write_index(index)
            except sqlite3.Error as err:
                raise StorageError(
                    f"The thread index {store.db_path} could not be written ({storage_reason(err)}), "
                    f"so nothing was recorded: {storage_advice(err)}"
                ) from err
            saver.commit_turn(txn)
        except BaseException:
            conn.rollback()
            conn.close()
            raise
        try:
            conn.commit()
        except sqlite3.Error as err:
            return (
                f"The turn was saved, but the thread list in {store.db_path} could not be updated "
                f"({storage_reason(err)}): {storage_advice(err)}"
            )
        finally:
            conn.close()
        return None

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


#: How the text the T2I model drew from was made, as front ends say it (``draw_source``).
DRAW_SOURCES = {"llm": "written by the model", "offline": "offline translation"}


def drawn_from(record: TurnRecord) -> Optional[str]:
    """What the CLI and the web app put before the text the model drew from, e.g. "drawn from
    (en, offline translation):"; ``None`` when the model drew the prompt the user sees."""
    text = record.get("draw_text")
    if not text or text == record.get("prompt_text"):
        return None
    how = DRAW_SOURCES.get(record.get("draw_source") or "")
    return f"drawn from ({record.get('draw_lang')}{', ' + how if how else ''}):"


def list_threads(data_dir: str, db: Optional[str] = None) -> list[dict]:
    """Every thread, newest activity first: from the PostgreSQL database ``db`` when it is
    one, else from the data directory's ``index.db``."""
    from ...graphs.graph import is_postgres_url

    if db and is_postgres_url(db):
        from ...graphs import open_checkpointer

        saver = open_checkpointer(data_dir, db=db)
        try:
            return saver.list_threads()
        finally:
            saver.close()
    from ...tools.image_store import ImageStore

    return ImageStore(data_dir).list_threads()
