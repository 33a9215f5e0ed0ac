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
import tempfile
import warnings
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Optional

from ..agent.errors import InputError
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
        self.images_dir.mkdir(parents=True, exist_ok=True)
        with self._db() as db:
            db.enable_wal()
            if "images" not in db.table_names():
                db["images"].create(
                    {
                        "key": str,  # sha256:kind:thread_id:turn (one row per use of a picture)
                        "sha256": str,
                        "path": str,
                        "thread_id": str,
                        "turn": int,
                        "kind": str,  # generated | attached
                        "prompt": str,
                        "seed": int,
                        "model": str,
                        "caption": str,
                        "created": str,
                    },
                    pk="key",
                )
                db["images"].create_index(["thread_id", "turn"])
                db["images"].create_index(["sha256"])
                db["images"].create_index(["path"])
            if "threads" not in db.table_names():
                db["threads"].create(
                    {"thread_id": str, "title": str, "turns": int, "created": str, "updated": str}, pk="thread_id"
                )

    @contextmanager
    def _db(self) -> Iterator[Any]:
        import sqlite_utils

        db = sqlite_utils.Database(self.db_path)
        try:
            yield db
        finally:
            db.close()

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
        """Note that ``thread_id`` has reached ``turn``; its first user message is its title."""
        now = _now()
        with self._db() as db:
            table = db["threads"]
            rows = list(table.rows_where("thread_id = ?", [thread_id]))
            if not rows:
                table.insert({"thread_id": thread_id, "title": _title(user_text), "turns": turn, "created": now, "updated": now})
                return
            row = rows[0]
            update = {"turns": max(int(row["turns"] or 0), turn), "updated": now}
            if turn <= 1 or not row["title"]:
                update["title"] = _title(user_text)
            table.update(thread_id, update)

    def list_threads(self) -> list[dict]:
        """Every thread (thread_id, title, turns, created, updated), newest activity first."""
        with self._db() as db:
            return list(db.query("select thread_id, title, turns, created, updated from threads order by updated desc, rowid desc"))

    def forget_turns_after(self, thread_id: str, turn: int) -> None:
        """Undo support: the thread's turn count goes back to ``turn`` and the index forgets
        pictures of later turns (the files stay: other threads or checkpoints may use them)."""
        with self._db() as db:
            db.execute("delete from images where thread_id = ? and turn > ?", [thread_id, turn])
            db.execute(
                "update threads set turns = min(turns, ?), updated = ? where thread_id = ?", [turn, _now(), thread_id]
            )
            db.conn.commit()


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
