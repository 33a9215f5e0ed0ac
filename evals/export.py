"""``dialoggen data export``: instruction-tuning data in chat format (TRL SFT:
``{"messages": [{"role": "system"|"user"|"assistant", "content": ...}]}`` per line).

Sets (paper §4.2-4.3, Table 6), every sample opening with the training instruction
(``prompts/train_instruction.md``) as its system message:

- ``d_p.jsonl``  (D_p): single-turn request -> drawing prompt: each conversation's first
  picture turn that has a reference prompt;
- ``d_pm.jsonl`` (D_pm): D_p samples shuffled and concatenated into multi-turn samples of
  2-3 turns, one language each (deterministic for a given ``--seed``);
- ``d_b.jsonl``  (D_b): the train split's conversations, multi-turn; assistant turns are the
  references (``<draw>prompt</draw>`` for pictures); a turn with no reference takes the
  teacher's correct solution from ``--corrections`` when there is one, otherwise the
  conversation is cut before it;
- ``d_c.jsonl``  (D_c, with ``--corrections``): history, query and the student's original
  output in one user message; the assistant answers ``Correction: ...`` and
  ``Correct solution: ...``;
- ``all.jsonl``: the union, shuffled; ``manifest.json``: counts and settings.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any, Iterable, Optional

import typer

from ..agent.errors import DialogGenError, InputError
from .cli import data_app
from .train_format import format_history, reference_output, turn_user
from .dataset import Conversation, load_conversations

SETS = ("d_p", "d_pm", "d_b", "d_c")
CHECK_REQUEST = "Check the original output against the three rules (intent, coherence, descriptive prompt) and correct it."


def training_instruction() -> str:
    """The system message of every sample (the prompt file without its leading comment)."""
    from ..prompts import load_prompt

    return re.sub(r"<!--.*?-->", "", load_prompt("train_instruction"), flags=re.S).strip()


def _msg(role: str, content: str) -> dict[str, str]:
    return {"role": role, "content": content}


def d_p_samples(convs: Iterable[Conversation], system: str) -> list[dict[str, Any]]:
    """Single-turn request -> drawing prompt: the first picture turn of each conversation
    (nothing earlier to edit), when it has a reference prompt."""
    out = []
    for conv in convs:
        for turn in conv.turns:
            if turn.expected == "image":
                if turn.reference:
                    out.append({"messages": [_msg("system", system), _msg("user", turn_user(turn)), _msg("assistant", reference_output(turn))]})
                break
    return out


def d_pm_samples(d_p: list[dict[str, Any]], *, seed: int = 0, sizes: tuple[int, ...] = (2, 3)) -> list[dict[str, Any]]:
    """D_p samples shuffled and concatenated into multi-turn samples of one language each
    (each D_p sample used once; a leftover single turn is dropped)."""
    from ..agent.lang import detect_lang

    rng = random.Random(seed)
    by_lang: dict[str, list[dict[str, Any]]] = {}
    for sample in d_p:
        by_lang.setdefault(detect_lang(sample["messages"][1]["content"]), []).append(sample)
    out = []
    for lang in sorted(by_lang):
        pool = by_lang[lang]
        rng.shuffle(pool)
        i = 0
        while i < len(pool):
            k = rng.choice(sizes)
            group = pool[i : i + k]
            i += k
            if len(group) < 2:
                break
            messages = [group[0]["messages"][0]]
            for sample in group:
                messages += sample["messages"][1:]
            out.append({"messages": messages})
    rng.shuffle(out)
    return out


def load_corrections(path: Optional[Path]) -> list[dict[str, Any]]:
    if path is None:
        return []
    if not Path(path).is_file():
        raise InputError(f"No corrections file at {path}: give the file written by 'dialoggen data corrections'.")
    rows = []
    with Path(path).open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError:
                    raise InputError(f"{path}:{n} is not JSON: rewrite the file with 'dialoggen data corrections'.") from None
    return rows


def d_b_samples(convs: Iterable[Conversation], system: str, corrections: list[dict[str, Any]] = ()) -> tuple[list[dict[str, Any]], int]:
    """Multi-turn samples from the train conversations; returns (samples, turns cut)."""
    solutions = {(str(c["id"]), int(c["round"])): c["correct_solution"] for c in corrections if c.get("correct_solution")}
    out, cut = [], 0
    for conv in convs:
        messages = [_msg("system", system)]
        for round_, turn in enumerate(conv.turns, 1):
            answer = reference_output(turn) or solutions.get((conv.id, round_))
            if not answer:
                cut += len(conv.turns) - round_ + 1
                break
            messages += [_msg("user", turn_user(turn)), _msg("assistant", answer)]
        if len(messages) > 1:
            out.append({"messages": messages})
    return out, cut


def correction_user_message(row: dict[str, Any]) -> str:
    """The user message of a D_c sample: the case the student got, and the request to check it."""
    return "\n".join([
        "History:",
        format_history(row.get("history") or []),
        f"Query: User: {row['query']}",
        f"Original output: {row.get('original_output') or '(empty)'}",
        "",
        CHECK_REQUEST,
    ])


def d_c_samples(corrections: Iterable[dict[str, Any]], system: str) -> list[dict[str, Any]]:
    """Error-correction samples: (history, query, original output) -> correction + solution."""
    out = []
    for row in corrections:
        answer = f"Correction: {row['correction'].strip()}\nCorrect solution: {row['correct_solution'].strip()}"
        out.append({"messages": [_msg("system", system), _msg("user", correction_user_message(row)), _msg("assistant", answer)]})
    return out


def export(train: Path, out_dir: Path, *, corrections: Optional[Path] = None, seed: int = 0) -> dict[str, Any]:
    """Write every set into ``out_dir``; returns the manifest."""
    train = Path(train)
    convs = load_conversations(train, what="train")
    system = training_instruction()
    fixes = load_corrections(corrections)
    d_p = d_p_samples(convs, system)
    d_b, cut = d_b_samples(convs, system, fixes)
    sets = {"d_p": d_p, "d_pm": d_pm_samples(d_p, seed=seed), "d_b": d_b}
    if corrections is not None:
        sets["d_c"] = d_c_samples(fixes, system)
    out_dir = _write_sets(Path(out_dir), sets, seed)
    manifest = {
        "train": str(train),
        "corrections": str(corrections) if corrections else None,
        "seed": seed,
        "counts": {name: len(samples) for name, samples in sets.items()} | {"all": sum(len(s) for s in sets.values())},
        "d_b_turns_cut": cut,
        "format": "TRL SFT chat format: {\"messages\": [{\"role\", \"content\"}]}; pictures as <draw>prompt</draw>, attached images as <img>caption</img>",
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest


def _write_sets(out_dir: Path, sets: dict[str, list[dict[str, Any]]], seed: int) -> Path:
    """Each set to ``NAME.jsonl`` and their seeded shuffle to ``all.jsonl`` under ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    union: list[dict[str, Any]] = []
    for name, samples in sets.items():
        _write(out_dir / f"{name}.jsonl", samples)
        union += samples
    random.Random(seed).shuffle(union)
    _write(out_dir / "all.jsonl", union)
    return out_dir


def _write(path: Path, samples: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(s, ensure_ascii=False) + "\n" for s in samples)


# ================================================================ role format (training to serve)
# ``dialoggen data export --format roles``: the same sets, each sample being one call of the
# LLM roles (agent/llm/roles.py) exactly as they send it (system prompt from prompts/, the
# transcript and task, the JSON request), with the JSON answer they parse as the target. A
# model tuned on them serves through ``--intent/--rewrite/--critic hf:DIR`` unchanged.
#
# - d_p : single-pass turns (prompts/turn.md -> TurnOutput) for each conversation's first
#         picture: modality + the whole structured prompt (drawing-prompt alignment);
# - d_pm: D_p requests concatenated into 2-3 turn threads: each later request is a new
#         picture after other pictures (start_over + every part);
# - d_b : single-pass turns of every train conversation turn that has a reference: text
#         (the reply) or picture (only the changed parts: edits keep the rest byte-identical);
# - d_c : the critic's three rules (prompts/critic.md -> CriticOutput): right outputs
#         (ok), wrong modality (rule intent + correction) and edits not made (rule
#         descriptive_prompt + corrected changes);
# - d_i : intent-only calls (prompts/intent.md -> IntentOutput) of every turn, from the
#         generated train set and the real corpora (``--corpus``; their licences are in
#         evals/data/corpora/router_sources.json);
# - d_r : rewrite-only calls (prompts/rewrite.md -> PromptEdit) of every picture turn.

ROLE_SETS = ("d_p", "d_pm", "d_b", "d_c", "d_i", "d_r")
#: Confidence the targets state (the data's labels are certain; below 1 so that the
#: router-shortcut and critic thresholds keep working on the tuned model's answers).
TARGET_CONFIDENCE = 0.9
REASON_IMAGE = "The user asked for a picture."
REASON_TEXT = "The user asked for an answer in words."
REASON_EDIT = "The drawing prompt does not make the change the user asked for."


def _recorder():
    """A chat model that records the messages a role sends and answers with a set text
    (structured output unsupported, so the roles take their plain-JSON path, as with hf:)."""
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import AIMessage
    from langchain_core.outputs import ChatGeneration, ChatResult
    from pydantic import Field

    class Recorder(BaseChatModel):
        answer: str = ""
        seen: list = Field(default_factory=list)

        @property
        def _llm_type(self) -> str:
            return "dialoggen-export-recorder"

        def with_structured_output(self, *args: Any, **kwargs: Any) -> Any:
            raise NotImplementedError

        def _generate(self, messages: Any, stop: Any = None, run_manager: Any = None, **kwargs: Any) -> Any:
            self.seen.append(list(messages))
            return ChatResult(generations=[ChatGeneration(message=AIMessage(content=self.answer))])

    return Recorder()


def _call(role_cls: Any, target: dict[str, Any], run: Any) -> tuple[Optional[dict[str, Any]], Any]:
    """One role call with ``target`` as the model's answer: (the TRL sample, the role's result),
    or (None, result) when the role did not take the answer on the first call."""
    from langchain_core.messages import SystemMessage

    rec = _recorder()
    rec.answer = json.dumps(target, ensure_ascii=False)
    result = run(role_cls(rec, name="export"))
    if len(rec.seen) != 1:
        return None, result
    messages = [_msg("system" if isinstance(m, SystemMessage) else "user", m.content) for m in rec.seen[0]]
    return {"messages": messages + [_msg("assistant", rec.answer)]}, result


def _turn_prompt(turn: Any, lang: str) -> Any:
    """The structured drawing prompt of a picture turn (generated turns carry it; otherwise
    the reference parsed, else the request as the subject, as the fallback rewrite does)."""
    from ..agent.prompt import DrawingPrompt

    if isinstance(getattr(turn, "prompt", None), dict):
        return DrawingPrompt.model_validate(turn.prompt)
    if turn.reference:
        return DrawingPrompt.parse(turn.reference, lang)
    return DrawingPrompt(subject=turn.user.strip(), lang=lang)  # type: ignore[arg-type]


def _record_of(n: int, turn: Any, lang: str) -> dict[str, Any]:
    """A finished turn as the graph records it (what the roles show as history)."""
    rec: dict[str, Any] = {"turn": n, "user": turn.user, "lang": lang, "modality": turn.expected, "reply": None, "prompt": None, "prompt_text": None,
                           "attachment": {"path": "", "sha256": "", "caption": turn.image.caption} if turn.image is not None else None}
    if turn.expected == "image":
        prompt = _turn_prompt(turn, lang)
        rec.update(prompt=prompt.model_dump(), prompt_text=prompt.render())
    else:
        rec["reply"] = turn.reference or ""
    return rec


def _role_conv(conv: Conversation, k: int) -> Any:
    """The roles' view of turn ``k`` (0-based) of a benchmark conversation, earlier turns
    answered with their references."""
    from langchain_core.messages import HumanMessage

    from ..agent.lang import detect_lang
    from ..agent.schemas import Conversation as RoleConversation

    turn = conv.turns[k]
    records = [_record_of(i + 1, t, detect_lang(t.user)) for i, t in enumerate(conv.turns[:k])]
    attachment = {"path": "", "sha256": "", "caption": turn.image.caption} if turn.image is not None else None
    return RoleConversation(user=turn.user, lang=detect_lang(turn.user), messages=[HumanMessage(content=turn.user)], turns=records, attachment=attachment)


def _changes(prev: Any, new: Any, *, start_over: bool) -> dict[str, Any]:
    """The PromptChanges (as JSON) that turn ``prev`` into ``new``: every part for a new
    picture, else only the parts that differ (extras appended as ``add_extras``)."""
    parts = ("subject", "background", "shot", "style")
    if start_over or prev is None:
        out: dict[str, Any] = {p: getattr(new, p) for p in parts if getattr(new, p)}
        return out | ({"extras": list(new.extras)} if new.extras else {})
    out = {p: getattr(new, p) for p in parts if getattr(new, p) != getattr(prev, p)}
    if new.extras != prev.extras:
        k = len(prev.extras)
        if new.extras[:k] == prev.extras:
            out["add_extras"] = new.extras[k:]
        else:
            out["extras"] = list(new.extras)
    return out


def _image_target(rconv: Any, turn: Any) -> tuple[bool, dict[str, Any], Any]:
    """(start_over, changes, the prompt they must give) for a picture turn."""
    prev = rconv.previous_prompt
    new = _turn_prompt(turn, rconv.lang)
    base = getattr(turn, "base_prompt", None)
    edit = getattr(turn, "kind", None) == "edit" and prev is not None and isinstance(base, dict) and prev.model_dump() == base
    start_over = not edit
    return start_over, _changes(prev, new, start_over=start_over), new


def _single_pass(conv: Conversation, k: int, *, need_reference: bool = True) -> Optional[dict[str, Any]]:
    """The single-pass sample (turn.md -> TurnOutput) of turn ``k``; None when it has no
    target or the role would not reproduce it."""
    from ..agent.llm.roles import LLMIntent

    turn, rconv = conv.turns[k], _role_conv(conv, k)
    target: dict[str, Any] = {"modality": turn.expected, "confidence": TARGET_CONFIDENCE}
    if turn.expected == "image":
        if need_reference and not (turn.reference or isinstance(getattr(turn, "prompt", None), dict)):
            return None
        start_over, changes, want = _image_target(rconv, turn)
        target |= {"start_over": start_over, "changes": changes}
    elif turn.reference:
        target["reply"] = turn.reference
    else:
        return None
    sample, decision = _call(LLMIntent, target, lambda role: role.decide(rconv, full_turn=True))
    if sample is None or decision.modality != turn.expected:
        return None
    if turn.expected == "image" and (decision.prompt is None or decision.prompt.render() != want.render()):
        return None
    return sample


def _intent_sample(conv: Conversation, k: int) -> Optional[dict[str, Any]]:
    from ..agent.llm.roles import LLMIntent

    rconv = _role_conv(conv, k)
    sample, decision = _call(LLMIntent, {"modality": conv.turns[k].expected, "confidence": TARGET_CONFIDENCE}, lambda role: role.decide(rconv))
    return sample if sample is not None and decision.modality == conv.turns[k].expected else None


def _rewrite_sample(conv: Conversation, k: int) -> Optional[dict[str, Any]]:
    from ..agent.llm.roles import LLMRewriter

    turn, rconv = conv.turns[k], _role_conv(conv, k)
    if turn.expected != "image" or not (turn.reference or isinstance(getattr(turn, "prompt", None), dict)):
        return None
    start_over, changes, want = _image_target(rconv, turn)
    sample, prompt = _call(LLMRewriter, {"start_over": start_over, "changes": changes}, lambda role: role.rewrite(rconv))
    return sample if sample is not None and prompt.render() == want.render() else None


def _critic_samples(conv: Conversation, k: int) -> list[dict[str, Any]]:
    """Critic calls for turn ``k``: the right output (ok), the wrong modality (rule intent)
    and, for an edit, the edit left undone (rule descriptive_prompt)."""
    from ..agent.llm.roles import LLMCritic, fallback_prompt
    from ..agent.schemas import TurnDecision

    turn, rconv = conv.turns[k], _role_conv(conv, k)
    if not turn.reference:
        return []
    cases: list[tuple[TurnDecision, dict[str, Any], Optional[str]]] = []  # decision, target, corrected output to check
    if turn.expected == "image":
        start_over, changes, want = _image_target(rconv, turn)
        right = TurnDecision(modality="image", confidence=TARGET_CONFIDENCE, prompt=want)
        cases.append((right, {"ok": True, "rule": None, "reason": ""}, None))
        every = _changes(None, want, start_over=True) | {"extras": list(want.extras)}
        for p in ("background", "shot", "style"):
            every.setdefault(p, "")
        wrong = TurnDecision(modality="text", confidence=TARGET_CONFIDENCE, reply="")
        cases.append((wrong, {"ok": False, "rule": "intent", "reason": REASON_IMAGE, "corrected_modality": "image", "corrected_changes": every}, want.render()))
        prev = rconv.previous_prompt
        if not start_over and prev is not None and prev.render() != want.render():
            undone = TurnDecision(modality="image", confidence=TARGET_CONFIDENCE, prompt=prev)
            fix = _changes(prev, want, start_over=False)
            cases.append((undone, {"ok": False, "rule": "descriptive_prompt", "reason": REASON_EDIT, "corrected_changes": fix}, want.render()))
    else:
        right = TurnDecision(modality="text", confidence=TARGET_CONFIDENCE, reply=turn.reference)
        cases.append((right, {"ok": True, "rule": None, "reason": ""}, None))
        wrong = TurnDecision(modality="image", confidence=TARGET_CONFIDENCE, prompt=fallback_prompt(rconv))
        cases.append((wrong, {"ok": False, "rule": "intent", "reason": REASON_TEXT, "corrected_modality": "text", "corrected_reply": turn.reference}, turn.reference))
    out = []
    for decision, target, want_text in cases:
        sample, verdict = _call(LLMCritic, target, lambda role, d=decision: role.check(rconv, d))
        if sample is None or verdict.ok != target["ok"]:
            continue
        got = verdict.corrected_reply if target.get("corrected_reply") else (verdict.corrected_prompt.render() if verdict.corrected_prompt else None)
        if want_text is None or got == want_text:
            out.append(sample)
    return out


def _single_turn(conv: Conversation, k: int) -> Conversation:
    return conv.model_copy(update={"turns": [conv.turns[k]]})


def role_sets(convs: list[Conversation], corpus: list[Conversation] = (), *, seed: int = 0) -> dict[str, list[dict[str, Any]]]:
    """Every role-format set from the train conversations (and real ``corpus`` ones for d_i)."""
    sets: dict[str, list[dict[str, Any]]] = {name: [] for name in ROLE_SETS}
    firsts: list[Conversation] = []
    for conv in convs:
        first = next((k for k, t in enumerate(conv.turns) if t.expected == "image"), None)
        if first is not None and (sample := _single_pass(_single_turn(conv, first), 0)) is not None:
            sets["d_p"].append(sample)
            firsts.append(_single_turn(conv, first))
        for k in range(len(conv.turns)):
            for name, build in (("d_b", _single_pass), ("d_i", _intent_sample), ("d_r", _rewrite_sample)):
                if (sample := build(conv, k)) is not None:
                    sets[name].append(sample)
            sets["d_c"] += _critic_samples(conv, k)
    for conv in corpus:
        for k in range(len(conv.turns)):
            if (sample := _intent_sample(conv, k)) is not None:
                sets["d_i"].append(sample)
    # D_pm: first pictures of different conversations (one language) as one thread
    rng = random.Random(seed)
    by_lang: dict[str, list[Conversation]] = {}
    for conv in firsts:
        by_lang.setdefault(conv.lang, []).append(conv)
    for lang in sorted(by_lang):
        pool = by_lang[lang]
        rng.shuffle(pool)
        i = 0
        while i + 1 < len(pool):
            group = pool[i : i + rng.choice((2, 3))]
            i += len(group)
            thread = group[0].model_copy(update={"id": "+".join(c.id for c in group), "turns": [c.turns[0] for c in group]})
            if (sample := _single_pass(thread, len(group) - 1)) is not None:
                sets["d_pm"].append(sample)
    for samples in sets.values():
        rng.shuffle(samples)
    return sets


def load_corpus(paths: Iterable[Path], limit: Optional[int], seed: int) -> list[Conversation]:
    """Conversations of real corpora (JSONL or JSONL.gz, benchmark format), a seeded sample
    of at most ``limit`` of them."""
    import gzip

    from .dataset import Conversation as BenchConversation

    out: list[Conversation] = []
    for path in paths:
        path = Path(path)
        if not path.is_file():
            raise InputError(f"No corpus file at {path}: give a JSONL(.gz) file in the benchmark format, e.g. evals/data/corpora/router_train.jsonl.gz.")
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if line.strip():
                    try:
                        out.append(BenchConversation.model_validate_json(line))
                    except ValueError:
                        raise InputError(f"{path}:{n} is not a conversation in the benchmark format: give a corpus file built by evals/corpora.") from None
    if limit is not None and len(out) > limit:
        out = random.Random(seed).sample(out, limit)
    return out


def export_roles(train: Path, out_dir: Path, *, corpus: Iterable[Path] = (), corpus_limit: Optional[int] = 2000, seed: int = 0) -> dict[str, Any]:
    """Write the role-format sets into ``out_dir``; returns the manifest."""
    convs = load_conversations(Path(train), what="train")
    corpus = list(corpus)
    real = load_corpus(corpus, corpus_limit, seed)
    sets = role_sets(convs, real, seed=seed)
    out_dir = _write_sets(Path(out_dir), sets, seed)
    manifest = {
        "format": "roles",
        "train": str(train),
        "corpus": [str(p) for p in corpus],
        "corpus_conversations": len(real),
        "corpus_licences": "see evals/data/corpora/router_sources.json (per source: repo, commit, path, licence)",
        "seed": seed,
        "counts": {name: len(samples) for name, samples in sets.items()} | {"all": sum(len(s) for s in sets.values())},
        "sets": "d_p single-pass first pictures; d_pm concatenated new pictures; d_b single-pass turns; d_c critic; d_i intent-only (generated + corpus); d_r rewrite-only",
        "sample": "one LLM-role call as agent/llm/roles.py sends it (system prompt, task + JSON request) -> the JSON answer it parses (TRL messages)",
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest


@data_app.command("export")
def export_command(
    train: Path = typer.Option(..., "--train", help="Train set in the benchmark format (JSONL)."),
    out: Path = typer.Option(..., "--out", help="Output folder for d_p/d_pm/d_b/d_c/all .jsonl and manifest.json."),
    corrections: Optional[Path] = typer.Option(None, "--corrections", help="Corrections file from 'dialoggen data corrections' (adds D_c)."),
    seed: int = typer.Option(0, help="Seed of the D_pm concatenation and the union's shuffle."),
    fmt: str = typer.Option("draw", "--format", help="draw: the paper's <draw> format; roles: one LLM-role call per sample with the JSON it parses (for 'dialoggen train')."),
    corpus: list[Path] = typer.Option([], "--corpus", help="roles: real corpora (JSONL or .gz, benchmark format) for the intent set, e.g. evals/data/corpora/router_train.jsonl.gz."),
    corpus_limit: int = typer.Option(2000, "--corpus-limit", help="roles: at most this many corpus conversations (a seeded sample)."),
) -> None:
    """Chat-format instruction-tuning data (TRL SFT) for D_p, D_pm, the train split and corrections."""
    from rich.console import Console

    console = Console()
    try:
        if fmt == "roles":
            manifest = export_roles(train, out, corpus=corpus, corpus_limit=corpus_limit, seed=seed)
            console.print(f"Wrote {out}: " + ", ".join(f"{k} {v}" for k, v in manifest["counts"].items()) + " samples (role format).")
            return
        if fmt != "draw":
            raise InputError(f"Unknown --format {fmt!r}: give draw or roles.")
        if corpus:
            raise InputError("--corpus goes with --format roles: add --format roles or drop --corpus.")
        manifest = export(train, out, corrections=corrections, seed=seed)
    except DialogGenError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1)
    counts = ", ".join(f"{k} {v}" for k, v in manifest["counts"].items())
    cut = manifest["d_b_turns_cut"]
    hint = " (a corrections file fills turns that lack a reference)" if cut and corrections is None else ""
    console.print(f"Wrote {out}: {counts} samples; {cut} train turns without a reference were cut{hint}.")
