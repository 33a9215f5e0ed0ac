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


# -- storage: same-thread writers, one-unit turns, bad stores (SQLite and PostgreSQL) ------

import os  # noqa: E402
import threading  # noqa: E402
from pathlib import Path  # noqa: E402

from pgserver import postgres_server, postgres_url  # noqa: E402,F401

from dialoggen.agent.app.session import list_threads  # noqa: E402
from dialoggen.agent.errors import DialogGenError, InputError, StorageError  # noqa: E402
from dialoggen.tools.image_store import ImageStore  # noqa: E402


@pytest.fixture(params=["sqlite", "postgres"])
def store_ctx(request, ctx, tool):
    """The session context on each backend: SQLite in the data dir, or a fresh PostgreSQL database."""
    if request.param == "postgres":
        return dataclasses.replace(ctx, db=request.getfixturevalue("postgres_url"))
    return ctx


def _index_turns(ctx, thread):
    rows = [r for r in list_threads(ctx.data_dir, db=ctx.db) if r["thread_id"] == thread]
    return rows[0]["turns"] if rows else None


def test_two_writers_on_one_thread_rerun_instead_of_losing_a_turn(fake_roles, store_ctx, tool):
    """B commits while A draws: A's commit finds a moved head and re-runs on it."""
    a, b = Session(store_ctx, "two"), Session(store_ctx, "two")
    b.turn_lock_timeout = 0.1  # B writes from inside A's turn: it cannot wait for A
    a.send("hello")
    fired = []

    def b_writes_meanwhile(step, total):
        if step == 2 and not fired:
            fired.append(b.send("what is a fox?")["turn"])

    original = tool.generate

    def generate(prompt, **kw):
        kw["on_step"] = b_writes_meanwhile if not fired else kw.get("on_step")
        return original(prompt, **kw)

    tool.generate = generate
    record = a.send("draw a cat")
    assert fired == [2] and record["turn"] == 3
    assert [(t["turn"], t["user"]) for t in Session(store_ctx, "two").turns()] == [
        (1, "hello"), (2, "what is a fox?"), (3, "draw a cat")
    ]
    assert _index_turns(store_ctx, "two") == 3


@pytest.mark.parametrize("lock_timeout", [60.0, 0.0])
def test_concurrent_writers_on_one_thread_keep_every_confirmed_turn(fake_roles, store_ctx, lock_timeout):
    """4 writers x 5 turns on one thread, each with its own connection: every confirmed
    turn is stored under its number, numbers 1..N without gaps or repeats (with the
    writers taking turns, and with compare-and-swap alone)."""
    confirmed, errors = [], []
    barrier = threading.Barrier(4)

    def writer(w):
        s = Session(store_ctx, "shared")
        s.turn_lock_timeout = lock_timeout
        barrier.wait()
        for i in range(5):
            text = f"writer {w} says {i}"
            try:
                confirmed.append((s.send(text)["turn"], text))
            except DialogGenError as err:
                errors.append(str(err))

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stored = [(t["turn"], t["user"]) for t in Session(store_ctx, "shared").turns()]
    assert [n for n, _ in stored] == list(range(1, len(stored) + 1))
    assert sorted(confirmed) == stored  # every confirmed turn, nothing unconfirmed
    assert len(confirmed) + len(errors) == 20 and len(confirmed) >= 10
    assert all("\n" not in e for e in errors)
    if lock_timeout:
        assert errors == []  # taking turns: nobody is refused
    assert _index_turns(store_ctx, "shared") == len(stored)


def test_rejected_input_is_not_stored(fake_roles, store_ctx):
    s = Session(store_ctx, "big")
    s.send("hello")
    size = _stored_bytes(s)
    for _ in range(20):
        with pytest.raises(InputError):
            s.send("x" * 1_000_000)
    assert _stored_bytes(s) - size < 100_000
    assert [t["user"] for t in s.turns()] == ["hello"] and s.send("again")["turn"] == 2


def _stored_bytes(session) -> int:
    saver = session.checkpointer
    with saver.cursor(transaction=False) as cur:
        total = 0
        for table in ("dg_checkpoints", "dg_writes", "dg_blobs"):
            cur.execute(f"SELECT * FROM {table}")
            total += sum(len(v) if isinstance(v, (bytes, memoryview, str)) else 8 for row in cur.fetchall() for v in row if v is not None)
        return total


def test_undo_keeps_index_and_thread_in_step(fake_roles, store_ctx):
    s = Session(store_ctx, "undo-index")
    for text in ("hello", "draw a cat", "what is a cat?"):
        s.send(text)
    assert s.undo()["turn"] == 3 and _index_turns(store_ctx, "undo-index") == 2
    assert s.undo()["turn"] == 2 and s.undo()["turn"] == 1
    assert s.turns() == [] and _index_turns(store_ctx, "undo-index") is None
    assert s.send("hello again")["turn"] == 1 and _index_turns(store_ctx, "undo-index") == 1


def test_thread_listing_has_every_column_newest_first(fake_roles, store_ctx):
    """`dialoggen threads` and the web app read these keys on both stores."""
    for name, text in (("older", "hello"), ("newer", "draw a cat")):
        Session(store_ctx, name).send(text)
    rows = [r for r in list_threads(store_ctx.data_dir, db=store_ctx.db) if r["thread_id"] in ("older", "newer")]
    assert [r["thread_id"] for r in rows] == ["newer", "older"]
    for r in rows:
        assert set(r) >= {"thread_id", "title", "turns", "created", "updated"} and r["turns"] == 1
        assert r["created"] and r["updated"] and str(r["updated"]) >= str(r["created"])


# -- SQLite: the thread index in index.db and the checkpoint commit are one unit ----------


def _ro_connect(store):
    return lambda: sqlite3.connect(f"file:{store.db_path}?mode=ro", uri=True, timeout=0.2)


@pytest.mark.parametrize("fault", ["locked", "read-only"])
def test_index_failure_records_nothing_and_says_so(fake_roles, ctx, tool, fault):
    s = Session(ctx, "idx")
    s.send("hello")
    store = ImageStore(ctx.data_dir)
    holder = None
    with pytest.MonkeyPatch.context() as mp:
        if fault == "locked":
            mp.setattr("dialoggen.tools.image_store.BUSY_TIMEOUT_S", 0.2)
            holder = sqlite3.connect(store.db_path)
            holder.execute("BEGIN EXCLUSIVE")
        else:
            mp.setattr(ImageStore, "_connect", lambda self: _ro_connect(self)())
        try:
            for _ in range(4):
                with pytest.raises(StorageError, match=r"^The thread index .* could not be written \([^)]+\), so nothing was recorded: \S"):
                    s.send("what is a cat?")  # a text turn: the index write at commit fails
            with pytest.raises(StorageError, match="nothing was recorded"):
                s.send("draw a cat")  # a picture turn: its picture's row is written at commit too
        finally:
            if holder is not None:
                holder.rollback()
                holder.close()
    assert [t["user"] for t in Session(ctx, "idx").turns()] == ["hello"]  # the messages were true
    assert _index_turns(ctx, "idx") == 1 and ImageStore(ctx.data_dir).thread_images("idx") == []
    assert s.send("draw a cat")["turn"] == 2 and _index_turns(ctx, "idx") == 2


@pytest.mark.parametrize("fault", ["locked", "read-only"])
def test_checkpoint_failure_leaves_the_index_untouched(fake_roles, ctx, tool, fault):
    s = Session(ctx, "ck")
    s.send("hello")
    holder = None
    if fault == "locked":
        s.checkpointer.conn.execute("PRAGMA busy_timeout = 200")
        holder = sqlite3.connect(f"{ctx.data_dir}/checkpoints.db")
        holder.execute("BEGIN EXCLUSIVE")
    else:
        s.checkpointer.conn.execute("PRAGMA query_only = 1")
    try:
        for _ in range(4):
            with pytest.raises(StorageError, match="nothing was recorded"):
                s.send("draw a cat")
            assert _index_turns(ctx, "ck") == 1  # rolled back with the checkpoint
    finally:
        if holder is not None:
            holder.rollback()
            holder.close()
        s.checkpointer.conn.execute("PRAGMA query_only = 0")
    assert [t["user"] for t in Session(ctx, "ck").turns()] == ["hello"]
    assert s.send("draw a cat")["turn"] == 2 and _index_turns(ctx, "ck") == 2


def test_bad_data_dirs_give_one_sentence(fake_roles, ctx, tool, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    for bad in (blocker, blocker / "sub", Path("/dev/null")):
        with pytest.raises(StorageError) as info:
            Session(dataclasses.replace(ctx, data_dir=str(bad)), "t")
        msg = str(info.value)
        assert "\n" not in msg and msg.endswith(".") and "--data-dir" in msg


def test_full_database_gives_one_sentence_and_records_nothing(fake_roles, ctx, tool):
    s = Session(ctx, "full")
    s.send("hello")
    pages = s.checkpointer.conn.execute("PRAGMA page_count").fetchone()[0]
    s.checkpointer.conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StorageError, match="full.*nothing was recorded.*free space"):
        s.send("draw a cat " + "with many words " * 200)
    assert _index_turns(ctx, "full") == 1 and [t["turn"] for t in s.turns()] == [1]


def test_many_openers_of_a_fresh_data_dir_race_free(tmp_path):
    """16 connections create the index and checkpoint tables of one new folder at once."""
    from dialoggen.graphs import open_checkpointer

    data = tmp_path / "fresh"
    barrier, errors = threading.Barrier(16), []

    def opener():
        barrier.wait()
        try:
            ImageStore(data)
            open_checkpointer(data).close()
        except Exception as err:  # noqa: BLE001 - any failure is the bug
            errors.append(repr(err))

    threads = [threading.Thread(target=opener) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


# -- a turn's pictures are part of the turn: no index row outlives a failed turn ---------


def _picture_rows(ctx, thread):
    return [(r["turn"], r["kind"]) for r in ImageStore(ctx.data_dir).thread_images(thread)]


def test_turn_failing_after_the_drawing_leaves_no_picture_row(fake_roles, store_ctx, tool, monkeypatch):
    """The T2I node draws and stores the file, then the turn fails: the index has no row
    pointing to the failed turn (the PNG file stays: a content-addressed cache entry that
    the next identical drawing reuses); a later successful turn gets exactly its row."""
    s = Session(store_ctx, "orphan")
    s.send("draw a cat")
    assert _picture_rows(store_ctx, "orphan") == [(1, "generated")]
    original = ImageStore.save_generated
    saved = []

    def save_then_fail(self, *a, **kw):
        saved.append(original(self, *a, **kw))
        raise ModelUnavailableError("The picture could not be finished: try again.")

    with monkeypatch.context() as mp:
        mp.setattr(ImageStore, "save_generated", save_then_fail)
        with pytest.raises(ModelUnavailableError):
            s.send("draw a dog")
    assert saved and Path(saved[0]["path"]).is_file()  # the file stays (cache)
    assert _picture_rows(store_ctx, "orphan") == [(1, "generated")]
    assert s.send("draw a dog")["turn"] == 2
    assert _picture_rows(store_ctx, "orphan") == [(1, "generated"), (2, "generated")]


def test_failed_commit_after_drawing_leaves_no_picture_row(fake_roles, store_ctx, tool, monkeypatch):
    s = Session(store_ctx, "nocommit")
    s.send("hello")

    def refuse(txn, **kw):
        raise StorageError("The turn could not be saved (disk full); nothing was recorded: free some space.")

    with monkeypatch.context() as mp:
        mp.setattr(s.checkpointer, "commit_turn", refuse)
        with pytest.raises(StorageError):
            s.send("draw a cat")
    assert tool.calls and _picture_rows(store_ctx, "nocommit") == []
    s.send("draw a cat")
    assert _picture_rows(store_ctx, "nocommit") == [(2, "generated")]


def test_rerun_after_a_moved_head_keeps_only_the_committed_pictures(fake_roles, store_ctx, tool):
    """A draws turn 2, B commits turn 2 meanwhile, A re-runs as turn 3: the index holds
    A's picture under turn 3 only, not the dropped attempt's turn 2."""
    a, b = Session(store_ctx, "rerun"), Session(store_ctx, "rerun")
    b.turn_lock_timeout = 0.1
    a.send("hello")
    fired = []
    original = tool.generate

    def generate(prompt, **kw):
        if not fired:
            fired.append(b.send("what is a fox?")["turn"])
        return original(prompt, **kw)

    tool.generate = generate
    assert a.send("draw a cat")["turn"] == 3 and fired == [2]
    assert len(tool.calls) == 2  # drawn twice: once per attempt
    assert _picture_rows(store_ctx, "rerun") == [(3, "generated")]


def test_postgres_turn_whose_picture_rows_fail_is_saved_and_says_so(fake_roles, ctx, tool, postgres_url, monkeypatch):
    """With PostgreSQL the picture index stays in index.db, written right after the turn's
    commit: when that write fails the turn is kept and its notice says what was not done."""
    s = Session(dataclasses.replace(ctx, db=postgres_url), "pgpics")

    def locked(self):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(ImageStore, "thread_update", locked)
    tool.last_notice = "Drawn with fewer steps."  # the turn's own notice stays, the warning follows it
    record = s.send("draw a cat")
    assert record["turn"] == 1 and record.get("image")
    assert record["notice"].startswith("Drawn with fewer steps.")
    assert record["notice"].endswith(" The turn was saved, but its pictures could not be added to the picture index.")
    assert [t["user"] for t in Session(dataclasses.replace(ctx, db=postgres_url), "pgpics").turns()] == ["draw a cat"]
