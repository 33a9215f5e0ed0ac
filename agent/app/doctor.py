"""``dialoggen doctor``: check the models the roles would use, in plain lines.

For each role given (``--intent``, ``--rewrite``, ``--chat``, ``--critic``; default: the
configured ``chat``), it reports whether the server answers (``GET /models``), then makes
the role's own call once, as a turn would: a text reply for chat, a structured answer for the
others, saying which structured-output mode worked (json_schema, json_object or prompt) and
how long each call took. The exit code is 0 when every check passed, 1 otherwise.
"""

from __future__ import annotations

import time
from typing import Any, Callable, Optional

import typer

from ..errors import DialogGenError, redact

#: What each role is asked during the check (in English; the roles' prompts are the real ones).
PROBES = {
    "intent": "Draw a red fox in the snow.",
    "rewrite": "Draw a red fox in the snow.",
    "chat": "What is the capital of France?",
    "critic": "What is the capital of France?",
}


def doctor(
    intent: Optional[str] = typer.Option(None, help="Intent model spec to check (openai:MODEL, hf:PATH_OR_HUB_ID, ...)."),
    rewrite: Optional[str] = typer.Option(None, help="Rewrite model spec to check."),
    chat: Optional[str] = typer.Option(None, "--chat", help="Chat model spec to check (default: the configured one when no role is given)."),
    critic: Optional[str] = typer.Option(None, help="Critic model spec to check."),
    openai_base_url: Optional[str] = typer.Option(None, help="Base URL of an OpenAI-compatible server (vLLM, Ollama, llama.cpp, transformers serve)."),
    llm_timeout: Optional[float] = typer.Option(None, help="Seconds one call may take in all (default: the setting, 60)."),
) -> None:
    """Check that the model servers answer, which structured-output mode works, and how long a call takes."""
    from ..config import load_settings

    settings = load_settings(openai_base_url=openai_base_url, llm_timeout=llm_timeout)
    ctx = settings.context()
    specs = {r: s for r, s in (("intent", intent), ("rewrite", rewrite), ("chat", chat), ("critic", critic)) if s}
    if not specs:
        specs = {"chat": ctx.chat}
    ok = True
    for role, spec in specs.items():
        ok = check_role(role, spec, ctx, typer.echo) and ok
    typer.echo("all checks passed" if ok else "some checks failed")
    raise typer.Exit(0 if ok else 1)


def check_role(role: str, spec: str, ctx: Any, say: Callable[[str], None]) -> bool:
    """Check one role's model, printing plain lines with ``say``; ``True`` when it works."""
    from ..llm.models import CallLimits, describe, load_chat_model, use_limits
    from ..llm import roles as llm_roles
    from ..schemas import Conversation, TurnDecision
    from ..specs import ModelSpec

    try:
        parsed = ModelSpec.parse(spec, role)
    except DialogGenError as exc:
        say(f"{role}: {exc}")
        return False
    if parsed.kind not in ("openai", "hf"):
        say(f"{role}: {spec} is built in or your own code; nothing to check on a server.")
        return True
    try:
        model = load_chat_model(spec, openai_base_url=ctx.openai_base_url)
    except DialogGenError as exc:
        say(f"{role}: {spec}: {exc}")
        return False
    limits = CallLimits.from_context(ctx)
    say(f"{role}: {spec} at {redact(describe(model)) or 'a local folder'} (timeout {limits.timeout:g} s, max_tokens {limits.tokens(role)})")
    if parsed.kind == "openai" and not _reachable(model, parsed.target, limits.timeout, say):
        return False
    from langchain_core.messages import HumanMessage

    text = PROBES[role]
    conv = Conversation(user=text, lang="en", messages=[HumanMessage(content=text)])
    cls = {"intent": llm_roles.LLMIntent, "rewrite": llm_roles.LLMRewriter, "chat": llm_roles.LLMChat, "critic": llm_roles.LLMCritic}[role]
    impl = cls(model, name=spec)
    before = llm_roles.STATS.snapshot()
    start = time.monotonic()
    try:
        with use_limits(limits):
            if role == "chat":
                answer = impl.reply(conv)
            elif role == "intent":
                answer = impl.decide(conv)
            elif role == "rewrite":
                answer = impl.rewrite(conv)
            else:
                answer = impl.check(conv, TurnDecision(modality="text", reply="The capital of France is Paris."))
    except DialogGenError as exc:
        say(f"  call: failed after {time.monotonic() - start:.2f} s: {exc}")
        return False
    took = time.monotonic() - start
    after = llm_roles.STATS.snapshot()
    requests = {k: n - before["requests"].get(k, 0) for k, n in after["requests"].items() if n - before["requests"].get(k, 0)}
    n = sum(requests.values())
    per_call = ", ".join(f"{k.split('/', 1)[1]} {after['seconds'][k] - before['seconds'].get(k, 0.0):.2f} s" for k in requests)
    if role == "chat":
        say(f"  text reply: ok, {took:.2f} s, {n} request(s): {_short(str(answer))!r}")
        return True
    fell_back = bool(impl.last_notice)
    mode = llm_roles.structured_mode(model)
    if fell_back:
        say(f"  structured output: no usable answer in any mode tried ({per_call}); the role would use its fallback, {took:.2f} s in all")
        return False
    say(f"  structured output: works in mode {mode}, {n} request(s) ({per_call}), {took:.2f} s in all: {_short(_summary(answer))!r}")
    return True


def _reachable(model: Any, name: str, timeout: float, say: Callable[[str], None]) -> bool:
    """``GET /models`` under the deadline: reachability and whether the model is listed."""
    from ..llm.models import deadline
    from ..llm.roles import unavailable

    start = time.monotonic()
    try:
        with deadline(min(timeout, 30.0)):
            listed = [m.id for m in model.root_client.models.list()]
    except Exception as exc:  # noqa: BLE001 - every failure becomes one sentence
        import openai

        status = getattr(exc, "status_code", None)
        if isinstance(exc, openai.APIStatusError):  # it answers HTTP: reachable
            say(f"  reachable: yes, {time.monotonic() - start:.2f} s, but GET /models answered HTTP {status}; going on")
            return True
        err = unavailable(f"openai:{name}", model, exc, timeout=min(timeout, 30.0))
        say(f"  reachable: no ({time.monotonic() - start:.2f} s): {err or redact(type(exc).__name__)}")
        return False
    served = "listed" if name in listed else f"not listed (it lists {len(listed)}: {', '.join(listed[:3])}{'...' if len(listed) > 3 else ''})"
    say(f"  reachable: yes, {time.monotonic() - start:.2f} s; model {served}")
    return True


def _summary(answer: Any) -> str:
    if hasattr(answer, "render"):
        return answer.render()
    if hasattr(answer, "modality"):
        return f"{answer.modality} ({getattr(answer, 'confidence', 0):.2f})"
    if hasattr(answer, "ok"):
        return f"ok={answer.ok} {answer.reason}"
    return str(answer)


def _short(text: str, n: int = 70) -> str:
    text = " ".join("".join(ch for ch in text if ch.isprintable() or ch.isspace()).split())
    return text if len(text) <= n else text[: n - 3] + "..."
