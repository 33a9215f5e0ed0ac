"""The content-addressed image store and the thread index.

Every picture lives once, as a PNG named by the SHA-256 of its bytes::

    DATA_DIR/images/ab/ab12...ef.png
    DATA_DIR/index.db            (sqlite: tables ``images`` and ``threads``)

Generated pictures carry their drawing prompt, seed and model as PNG text chunks
(``dialoggen:prompt``, ``dialoggen:seed``, ``dialoggen:model`` and an A1111-style
``parameters``), so a picture re-attached later is captioned by its own prompt. Attached
files are validated (exists, an image, not a decompression bomb, not too large) and
re-encoded to PNG. Graph state only ever holds an :class:`ImageRef` (path, hash, caption).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import sqlite3
import tempfile
import warnings
from contextlib import closing, contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Optional

from ..agent.errors import InputError, StorageError
from .storage import BUSY_TIMEOUT_S, retry_locked, storage_advice, storage_reason
from ..agent.schemas import ImageRef

if TYPE_CHECKING:  # pragma: no cover
    from PIL.Image import Image

META_PROMPT = "dialoggen:prompt"
META_SEED = "dialoggen:seed"
META_MODEL = "dialoggen:model"
META_DRAW_TEXT = "dialoggen:draw_text"
#: The only text chunks an attached picture keeps: ours. Everything else (XMP with GPS
#: positions, Author, Software, comments) is dropped when the file is re-encoded.
KEPT_TEXT = (META_PROMPT, META_SEED, META_MODEL, META_DRAW_TEXT)

#: Largest attachment accepted, in pixels (width x height): 64 megapixels.
MAX_PIXELS = 8192 * 8192
#: Largest attachment accepted, in bytes on disk.
MAX_BYTES = 50 * 1024 * 1024
#: Length of a thread's title (its first user message, truncated).
TITLE_CHARS = 60


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def _title(text: str) -> str:
    text = re.sub(r"\s+", " ", text or "").strip()
    return text if len(text) <= TITLE_CHARS else text[: TITLE_CHARS - 1].rstrip() + "…"


class ImageStore:
    """Images by content hash under ``data_dir/images`` and their index in ``data_dir/index.db``.

    Safe to share between threads: each operation opens its own SQLite connection.
    """

    def __init__(self, data_dir: str | os.PathLike[str]) -> None:
        self.data_dir = Path(data_dir).expanduser().resolve()
        self.images_dir = self.data_dir / "images"
        self.db_path = self.data_dir / "index.db"
        try:
            if self.data_dir.exists() and not self.data_dir.is_dir():
                raise StorageError(f"The data directory {self.data_dir} is not a directory: choose another --data-dir.")
            self.images_dir.mkdir(parents=True, exist_ok=True)
            if self.db_path.exists() and not self.db_path.is_file():
                raise StorageError(f"{self.db_path} is not a database file: choose another --data-dir.")
            with closing(self._connect()) as conn:
                _setup_index(conn)
        except StorageError:
            raise
        except (OSError, sqlite3.Error) as err:
            raise StorageError(
                f"Cannot open the picture index in {self.data_dir} ({storage_reason(err)}): {storage_advice(err)}"
            ) from err

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(str(self.db_path), timeout=BUSY_TIMEOUT_S)

    @contextmanager
    def _db(self) -> Iterator[Any]:
        import sqlite_utils

        try:
            db = sqlite_utils.Database(self._connect())
        except sqlite3.Error as err:
            raise StorageError(f"Cannot open the picture index {self.db_path} ({storage_reason(err)}): {storage_advice(err)}") from err
        try:
            yield db
        except sqlite3.Error as err:
            raise StorageError(f"The picture index {self.db_path} could not be used ({storage_reason(err)}): {storage_advice(err)}") from err
        finally:
            db.close()

    @contextmanager
    def thread_update(self) -> Iterator["ThreadIndex"]:
        """A write transaction on the thread index, holding its write lock from the start
        (``BEGIN IMMEDIATE``): commits when the block ends, rolls back if it raises.

        Raises ``sqlite3.Error`` as is: the caller (a turn's commit) decides what it means."""
        conn, index = self.begin_thread_update()
        try:
            yield index
            conn.commit()
        except BaseException:
            if conn.in_transaction:
                conn.rollback()
            raise
        finally:
            conn.close()

    def begin_thread_update(self) -> tuple[sqlite3.Connection, "ThreadIndex"]:
        """An open write transaction on the thread index: the caller commits (or rolls
        back) and closes the connection. Raises ``sqlite3.Error`` when the index is locked
        or cannot be written."""
        conn = self._connect()
        try:
            conn.execute("BEGIN IMMEDIATE")
        except BaseException:
            conn.close()
            raise
        return conn, ThreadIndex(conn, table="threads", images=True)

    # -- files --------------------------------------------------------------------------

    def path_for(self, sha256: str) -> Path:
        """Where the PNG with hash ``sha256`` lives (whether or not it exists yet)."""
        return self.images_dir / sha256[:2] / f"{sha256}.png"

    def _write(self, data: bytes) -> tuple[str, Path]:
        """Store PNG bytes under their hash (atomically; a no-op when already there)."""
        sha = hashlib.sha256(data).hexdigest()
        path = self.path_for(sha)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        return sha, path

    def _index(self, row: dict[str, Any], *, caption: Optional[str]) -> None:
        row["key"] = f"{row['sha256']}:{row['kind']}:{row.get('thread_id') or ''}:{row.get('turn') or ''}"
        row.setdefault("created", _now())
        row["caption"] = caption
        pending = _turn_rows()
        if pending is not None:  # inside a staged turn: its commit writes the row (or drops it)
            pending.append(row)
            return
        with self._db() as db:
            db["images"].insert(row, pk="key", ignore=True)
            if caption is not None:
                db["images"].update(row["key"], {"caption": caption})

    # -- writing ------------------------------------------------------------------------

    def save_generated(
        self, image: "Image", *, thread_id: str, turn: int, prompt: str, seed: int, model: str, draw_text: Optional[str] = None
    ) -> ImageRef:
        """Store a generated picture as PNG with its prompt (and, when the model drew from a
        translation, that text), seed and model name as text chunks. The same picture with the
        same metadata gives the same file and row (idempotent)."""
        from PIL.PngImagePlugin import PngInfo

        drawn = draw_text or prompt
        info = PngInfo()
        info.add_itxt(META_PROMPT, prompt)
        if drawn != prompt:
            info.add_itxt(META_DRAW_TEXT, drawn)
        info.add_text(META_SEED, str(seed))
        info.add_itxt(META_MODEL, model)
        info.add_itxt("parameters", f"{drawn}\nSeed: {seed}, Size: {image.width}x{image.height}, Model: {model}")
        buf = io.BytesIO()
        image.save(buf, format="PNG", pnginfo=info)
        sha, path = self._write(buf.getvalue())
        self._index(
            {"sha256": sha, "path": str(path), "thread_id": thread_id, "turn": turn, "kind": "generated",
             "prompt": prompt, "seed": seed, "model": model},
            caption=prompt,
        )
        return ImageRef(path=str(path), sha256=sha, caption=prompt)

    def attach(
        self,
        path: str | os.PathLike[str],
        *,
        caption: Optional[str] = None,
        thread_id: Optional[str] = None,
        turn: Optional[int] = None,
        max_pixels: int = MAX_PIXELS,
        max_bytes: int = MAX_BYTES,
    ) -> ImageRef:
        """Validate a user's image file and copy it into the store as PNG (re-encoded: only
        our own text chunks and the colour profile stay; EXIF is applied to the orientation,
        then dropped, and so are XMP, author and every other metadata).

        The caption is ``caption``, else the drawing prompt our own tool wrote into the
        file, else ``None``. Raises :class:`InputError` for a missing, non-image,
        too-large or decompression-bomb file."""
        image, text = _read_image(Path(path).expanduser(), max_pixels=max_pixels, max_bytes=max_bytes)
        caption = (caption or "").strip() or text.get(META_PROMPT) or None
        data = _encode_png(image, {k: v for k, v in text.items() if k in KEPT_TEXT})
        sha, stored = self._write(data)
        seed = text.get(META_SEED)
        self._index(
            {"sha256": sha, "path": str(stored), "thread_id": thread_id, "turn": turn, "kind": "attached",
             "prompt": text.get(META_PROMPT), "seed": int(seed) if seed and seed.lstrip("-").isdigit() else None,
             "model": text.get(META_MODEL)},
            caption=caption,
        )
        return ImageRef(path=str(stored), sha256=sha, caption=caption)

    # -- reading ------------------------------------------------------------------------

    def caption_of(self, path: str | os.PathLike[str]) -> Optional[str]:
        """The caption recorded for a stored picture, else the drawing prompt in its PNG
        metadata, else ``None`` (also for unreadable files)."""
        with self._db() as db:
            rows = list(
                db.query(
                    "select caption from images where path = ? and caption is not null order by created desc limit 1",
                    [str(Path(path).expanduser().resolve())],
                )
            )
        if rows:
            return rows[0]["caption"]
        return png_text(path).get(META_PROMPT)

    def thread_images(self, thread_id: str) -> list[dict]:
        """Every picture of a thread (generated and attached), oldest turn first."""
        with self._db() as db:
            return list(
                db.query(
                    "select sha256, path, thread_id, turn, kind, prompt, seed, model, caption, created "
                    "from images where thread_id = ? order by turn, created",
                    [thread_id],
                )
            )

    # -- thread index -------------------------------------------------------------------

    def record_turn(self, thread_id: str, turn: int, user_text: str) -> None:
        """Note that ``thread_id`` has ``turn`` turns; its first user message is its title."""
        with self._wrap(), self.thread_update() as index:
            index.record_turn(thread_id, turn, user_text)

    def list_threads(self) -> list[dict]:
        """Every thread (thread_id, title, turns, created, updated), newest activity first."""
        with self._db() as db:
            return list(db.query(f"select {_THREAD_COLS} from threads order by updated desc, rowid desc"))

    def forget_turns_after(self, thread_id: str, turn: int) -> None:
        """Undo support: the thread's turn count goes back to ``turn`` and the index forgets
        pictures of later turns (the files stay: other threads or checkpoints may use them)."""
        with self._wrap(), self.thread_update() as index:
            index.forget_after(thread_id, turn)

    def forget_images_after(self, thread_id: str, turn: int) -> None:
        """The index forgets the thread's pictures of turns after ``turn`` (used when the
        thread index itself lives in PostgreSQL)."""
        with self._wrap(), self.thread_update() as index:
            index.cur.execute("DELETE FROM images WHERE thread_id = ? AND turn > ?", (str(thread_id), int(turn)))

    @contextmanager
    def _wrap(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as err:
            raise StorageError(f"The thread index {self.db_path} could not be written ({storage_reason(err)}): {storage_advice(err)}") from err


_THREAD_COLS = "thread_id, title, turns, created, updated"
_IMAGE_COLS = ("key", "sha256", "path", "thread_id", "turn", "kind", "prompt", "seed", "model", "caption", "created")


def _turn_rows() -> Optional[list]:
    """The list in which the staged turn this code runs in collects its picture-index rows
    (``config["configurable"]["dialoggen_txn"].index_rows``, see
    :class:`dialoggen.graphs.checkpointer.TurnTxn`), or ``None`` outside one (a plain
    ``graph.invoke``, an attachment before the turn): then rows are written at once."""
    try:
        from langgraph.config import get_config

        conf = get_config().get("configurable") or {}
    except Exception:  # noqa: BLE001 - RuntimeError: not inside a runnable
        return None
    rows = getattr(conf.get("dialoggen_txn"), "index_rows", None)
    return rows if isinstance(rows, list) else None

_INDEX_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS [images] ([key] TEXT PRIMARY KEY, [sha256] TEXT, [path] TEXT, [thread_id] TEXT, "
    "[turn] INTEGER, [kind] TEXT, [prompt] TEXT, [seed] INTEGER, [model] TEXT, [caption] TEXT, [created] TEXT)",
    "CREATE INDEX IF NOT EXISTS [idx_images_thread_id_turn] ON [images] ([thread_id], [turn])",
    "CREATE INDEX IF NOT EXISTS [idx_images_sha256] ON [images] ([sha256])",
    "CREATE INDEX IF NOT EXISTS [idx_images_path] ON [images] ([path])",
    "CREATE TABLE IF NOT EXISTS [threads] ([thread_id] TEXT PRIMARY KEY, [title] TEXT, [turns] INTEGER, "
    "[created] TEXT, [updated] TEXT)",
)


def _setup_index(conn: sqlite3.Connection) -> None:
    """WAL mode and the tables, created in one write transaction (race-free: many
    processes may open a new data directory at once)."""
    if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        retry_locked(lambda: conn.execute("PRAGMA journal_mode=WAL"))
    have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if {"images", "threads"} <= have:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        for stmt in _INDEX_SCHEMA:
            conn.execute(stmt)
        conn.commit()
    except BaseException:
        conn.rollback()
        raise


class ThreadIndex:
    """Writes to a thread index table inside a caller's transaction (SQLite ``index.db``
    or the PostgreSQL database of :mod:`dialoggen.graphs.postgres`).

    ``param`` is the driver's placeholder (``?`` for sqlite3, ``%s`` for psycopg)."""

    def __init__(self, cur: Any, *, table: str = "threads", param: str = "?", images: bool = False) -> None:
        self.cur, self.table, self.param, self.images = cur, table, param, images

    def _q(self, sql: str) -> str:
        return sql.replace("?", self.param).replace("{t}", self.table)

    def record_turn(self, thread_id: str, turn: int, user_text: str) -> None:
        """The thread now has ``turn`` turns (exact: turns commit one at a time); its first
        user message is its title."""
        now = _now()
        self.cur.execute(
            self._q(
                "INSERT INTO {t} (thread_id, title, turns, created, updated) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (thread_id) DO UPDATE SET turns = excluded.turns, updated = excluded.updated, "
                "title = CASE WHEN excluded.turns <= 1 OR {t}.title IS NULL OR {t}.title = '' "
                "THEN excluded.title ELSE {t}.title END"
            ),
            (str(thread_id), _title(user_text), int(turn), now, now),
        )

    def forget_after(self, thread_id: str, turn: int) -> None:
        """The thread goes back to ``turn`` turns (and, in ``index.db``, forgets the
        pictures of later turns); a thread with no turn left leaves the index."""
        if self.images:
            self.cur.execute(self._q("DELETE FROM images WHERE thread_id = ? AND turn > ?"), (str(thread_id), int(turn)))
        if turn <= 0:
            self.delete(thread_id)
            return
        self.cur.execute(self._q("UPDATE {t} SET turns = ?, updated = ? WHERE thread_id = ?"), (int(turn), _now(), str(thread_id)))

    def add_images(self, rows: list[dict]) -> None:
        """Add picture rows (``index.db`` only) that a staged turn collected: written in the
        transaction that records the turn, so a dropped turn leaves none."""
        for row in rows:
            cols = ", ".join(_IMAGE_COLS)
            marks = ", ".join("?" for _ in _IMAGE_COLS)
            self.cur.execute(self._q(f"INSERT OR IGNORE INTO images ({cols}) VALUES ({marks})"), [row.get(c) for c in _IMAGE_COLS])
            if row.get("caption") is not None:
                self.cur.execute(self._q("UPDATE images SET caption = ? WHERE key = ?"), (row["caption"], row["key"]))

    def delete(self, thread_id: str) -> None:
        """The thread leaves the index."""
        self.cur.execute(self._q("DELETE FROM {t} WHERE thread_id = ?"), (str(thread_id),))


# -- helpers ----------------------------------------------------------------------------


def png_text(path: str | os.PathLike[str]) -> dict[str, str]:
    """The PNG text chunks of a file (empty for other formats or unreadable files)."""
    from PIL import Image

    try:
        with Image.open(path) as im:
            return dict(getattr(im, "text", {}) or {})
    except Exception:
        return {}


def _read_image(path: Path, *, max_pixels: int, max_bytes: int) -> tuple["Image", dict[str, str]]:
    """Open and fully decode a user's image, refusing anything unsafe or unusable."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if not path.exists():
        raise InputError(f"No file at '{path}': check the path and attach the image again.")
    if not path.is_file():
        raise InputError(f"'{path}' is not a file: attach an image file (PNG, JPEG, WebP, ...).")
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(
            f"'{path.name}' is {size / 2**20:.0f} MiB, over the {max_bytes / 2**20:.0f} MiB limit: attach a smaller image."
        )
    too_big = InputError(
        f"'{path.name}' has too many pixels (the limit is {max_pixels / 1e6:.0f} megapixels): attach a smaller image."
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                if im.width * im.height > max_pixels:
                    raise too_big
                im.load()
                text = {k: v for k, v in (getattr(im, "text", {}) or {}).items() if isinstance(v, str)}
                icc = im.info.get("icc_profile")
                out = ImageOps.exif_transpose(im)
                out = out.convert("RGBA" if _has_alpha(out) else "RGB")
    except InputError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise too_big from exc
    except UnidentifiedImageError as exc:
        raise InputError(f"'{path.name}' is not an image Pillow can read: attach a PNG, JPEG or WebP file.") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise InputError(f"'{path.name}' is damaged or truncated: attach a complete image file.") from exc
    if icc:
        out.info["icc_profile"] = icc
    return out, text


def _has_alpha(im: "Image") -> bool:
    return im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info)


def _encode_png(image: "Image", text: dict[str, str]) -> bytes:
    """PNG bytes of ``image`` carrying ``text`` chunks (and its ICC profile, if any)."""
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    for key, value in text.items():
        info.add_itxt(key, value)
    buf = io.BytesIO()
    kwargs: dict[str, Any] = {"pnginfo": info}
    if image.info.get("icc_profile"):
        kwargs["icc_profile"] = image.info["icc_profile"]
    image.save(buf, format="PNG", **kwargs)
    return buf.getvalue()
