"""The graph as served to many callers (LangGraph server, ``langgraph dev``): what a caller
may choose per run, and what only the operator decides.

Served, ``graphs/graph.py:graph`` takes :class:`CallerContext` as its runtime context: a
caller chooses only the critic (off, or one of the specs the operator allows), the seed of a
new thread and the denoising steps (up to the operator's limit). Everything else (model
specs, ``py:`` classes, base URLs, keys, the data directory, model paths) comes from the
operator's configuration: ``DIALOGGEN_*`` environment variables and the TOML config file, as
for the CLI. The LangGraph server drops context keys outside this schema; a value outside
the allow-list fails the run with one sentence. An attached image is named by its id
(sha256, uploaded with ``POST /images``, see :mod:`dialoggen.graphs.routes`), never by a
path on the server's disk.

Operator settings of their own (environment only):

- ``DIALOGGEN_SERVE_CRITICS``: comma-separated critic specs callers may pick (the
  configured ``critic`` and ``offline`` are always allowed).
- ``DIALOGGEN_SERVE_MAX_STEPS``: the most denoising steps a caller may ask for (default 50).
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Optional

from langgraph.runtime import Runtime

from ..agent.context import Context
from ..agent.errors import InputError
from ..agent.schemas import ImageRef

#: A caller's word for "no critic this run".
CRITIC_OFF = "off"
#: The most steps a caller may ask for unless DIALOGGEN_SERVE_MAX_STEPS says otherwise.
DEFAULT_MAX_STEPS = 50
#: Longest caption accepted with an attached image id.
MAX_CAPTION_CHARS = 500
IMAGE_ID = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class CallerContext:
    """What one run of the served graph may choose. Unset fields keep the operator's value."""

    critic: Optional[str] = field(default=None, metadata={"help": "'off', or one of the critic specs the operator allows; unset = the operator's choice."})
    seed: Optional[int] = field(default=None, metadata={"help": "Seed of a new thread's pictures (the input's seed changes an existing thread's)."})
    steps: Optional[int] = field(default=None, metadata={"help": "Denoising steps, 1 to the operator's limit."})


def operator_context() -> Context:
    """The operator's settings (a server has no flags: ``DIALOGGEN_*`` environment + TOML
    config file), read again when either changes."""
    from ..agent.config import default_config_file

    path = default_config_file()
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = None
    env = tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith("DIALOGGEN_")))
    return _operator_context(env, str(path), stamp)


@lru_cache(maxsize=8)
def _operator_context(env: tuple, path: str, stamp: Optional[int]) -> Context:
    from ..agent.config import load_settings

    return load_settings().context()


def context_for(runtime: Any) -> Context:
    """The context a served node runs with: a :class:`Context` given in-process (the
    operator's own code) as is; a caller's :class:`CallerContext` (or none) applied to the
    operator's settings."""
    ctx = getattr(runtime, "context", None) if runtime is not None else None
    if isinstance(ctx, Context):
        return ctx
    return effective_context(ctx)


def served(node: Callable) -> Callable:
    """``node`` as the served graph runs it: with the operator's context, the caller's
    allowed choices applied (signature and return annotation kept for LangGraph)."""

    @functools.wraps(node)
    def run(state: Any, runtime: Runtime) -> Any:
        return node(state, runtime.override(context=context_for(runtime)))

    return run


def allowed_critics(base: Optional[Context] = None) -> list[str]:
    """Critic specs a caller may choose, ``off`` first."""
    base = base or operator_context()
    extra = [s.strip() for s in os.environ.get("DIALOGGEN_SERVE_CRITICS", "").split(",") if s.strip()]
    out = [CRITIC_OFF, "offline"]
    for spec in ([base.critic] if base.critic else []) + extra:
        if spec not in out:
            out.append(spec)
    return out


def max_steps() -> int:
    raw = os.environ.get("DIALOGGEN_SERVE_MAX_STEPS", "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else DEFAULT_MAX_STEPS


def effective_context(caller: Any, base: Optional[Context] = None) -> Context:
    """The operator's context with the caller's allowed choices applied. Raises
    :class:`InputError` for a choice outside the allow-list."""
    base = base or operator_context()
    if caller is None:
        return base
    if isinstance(caller, dict):
        unknown = sorted(set(caller) - {f.name for f in dataclasses.fields(CallerContext)})
        if unknown:
            raise InputError(f"The run context may set only critic, seed and steps, not {', '.join(unknown)}: leave those out.")
        caller = CallerContext(**caller)
    if not isinstance(caller, CallerContext):
        return base
    changes: dict[str, Any] = {}
    if caller.critic is not None:
        allowed = allowed_critics(base)
        if caller.critic not in allowed:
            raise InputError(f"The critic '{caller.critic}' is not offered here: choose one of {', '.join(allowed)}.")
        changes["critic"] = None if caller.critic == CRITIC_OFF else caller.critic
    if caller.seed is not None:
        if isinstance(caller.seed, bool) or not isinstance(caller.seed, int) or not 0 <= caller.seed < 2**32:
            raise InputError("The seed must be a whole number from 0 to 4294967295: send another seed.")
        changes["default_seed"] = caller.seed
    if caller.steps is not None:
        limit = max_steps()
        if isinstance(caller.steps, bool) or not isinstance(caller.steps, int) or not 1 <= caller.steps <= limit:
            raise InputError(f"Steps must be a whole number from 1 to {limit}: send fewer steps.")
        changes["steps"] = caller.steps
    return dataclasses.replace(base, **changes) if changes else base


def admit_attachment(attachment: Any, data_dir: str) -> Optional[ImageRef]:
    """A caller's attachment as a reference into the operator's image store: only its id
    (sha256) and caption are read; the path is the store's own."""
    if not attachment:
        return None
    if not isinstance(attachment, dict):
        raise InputError("Attach an image by its id: {\"sha256\": ID, \"caption\": TEXT}, after POST /images.")
    sha = str(attachment.get("sha256") or "").lower()
    if not IMAGE_ID.match(sha):
        raise InputError("The attachment needs the image id (64 hex digits) that POST /images returned: upload the image first.")
    path = image_path(sha, data_dir)
    if path is None:
        raise InputError("No image with that id is stored here: upload it with POST /images first.")
    caption = attachment.get("caption")
    caption = str(caption).strip()[:MAX_CAPTION_CHARS] or None if caption else None
    return ImageRef(path=str(path), sha256=sha, caption=caption)


def image_path(image_id: str, data_dir: str):
    """The stored PNG for an image id (sha256), or ``None``: never any other path."""
    sha = (image_id or "").lower().removesuffix(".png")
    if not IMAGE_ID.match(sha):
        return None
    from ..tools.image_store import ImageStore

    path = ImageStore(data_dir).path_for(sha)
    return path if path.is_file() else None


def admit(state: dict, runtime: Runtime[CallerContext]) -> dict:
    """First node of the served graph: the attachment becomes a store reference by id, and
    a thread whose earlier turns name a file outside the store (written with the server's
    state-update API, not by a run) is refused, so no node reads such a file."""
    ctx = context_for(runtime)
    for turn in state.get("turns") or []:
        for ref in (turn.get("image"), turn.get("attachment")):
            if ref and (not isinstance(ref, dict) or image_path(str(ref.get("sha256") or ""), ctx.data_dir) is None
                        or str(image_path(str(ref.get("sha256")), ctx.data_dir)) != str(ref.get("path"))):
                raise InputError("This thread refers to an image that is not in the image store: start a new thread.")
    return {"attachment": admit_attachment(state.get("attachment"), ctx.data_dir)}
