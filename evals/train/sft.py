"""``dialoggen train``: supervised fine-tuning of a causal LM on the exported data (TRL).

``dialoggen train --base hf:PATH_OR_HUB_ID --data FILE_OR_DIR... --out DIR``

- Data: TRL ``messages`` JSONL written by ``dialoggen data export`` (``--format roles``
  for a model that serves through the LLM roles; the ``draw`` format trains too). A file's
  stem names its set (``d_p``, ``d_pm``, ``d_b``, ``d_c``, ``d_i``, ``d_r``); a folder means its
  set files (``all.jsonl`` left out). ``--mix d_p=1,d_b=1,d_c=0.5`` weights the sets: 1 =
  every sample once, 0.5 = a seeded half, 2 = twice; a set not named keeps weight 1, 0 drops it.
- Each sample becomes prompt/completion pairs (one per assistant message, the messages
  before it as the prompt), so the loss is on the answers only.
- LoRA adapters through PEFT by default (``--full`` for full fine-tuning); CPU or CUDA
  (bf16 where supported, else fp16); a progress bar with the loss; checkpoints under
  ``DIR/checkpoints`` (``--resume`` continues from the last); ``--seed`` fixes sampling,
  initialisation and order.
- ``DIR`` then holds the adapter (or the model), the tokenizer with its chat template and a
  card (``README.md``, ``card.json``): data sources and counts, the mix, the base, the
  settings, the losses. ``hf:DIR`` serves it (an adapter folder loads its base).

torch, transformers, trl and peft are imported inside the functions.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Optional

import typer

from ...agent.errors import ConfigError, DialogGenError, InputError, NoDiskSpaceError

#: Default mix: the paper's sets at weight 1, corrections at half (paper §4.3 mixes D_c in
#: smaller amounts); role-only sets at 1.
DEFAULT_MIX = {"d_p": 1.0, "d_pm": 1.0, "d_b": 1.0, "d_c": 0.5, "d_i": 1.0, "d_r": 1.0}
#: Share of the samples kept aside for the loss before/after training (at most EVAL_MAX).
EVAL_FRACTION = 0.05
EVAL_MAX = 64
#: Base shorthands: the shipped SmolLM2 (converted from its GGUF under the data dir).
OFFLINE_BASES = ("offline", "hf:offline", "smollm2", "hf:smollm2")


@dataclass
class TrainSettings:
    base: str
    data: list[str]
    out: str
    mix: dict[str, float] = field(default_factory=dict)
    full: bool = False
    epochs: float = 1.0
    max_steps: int = -1
    max_samples: Optional[int] = None
    batch_size: int = 4
    grad_accum: int = 1
    lr: float = 2e-4
    max_length: int = 2048
    lora_r: int = 16
    lora_alpha: int = 32
    lora_dropout: float = 0.05
    save_steps: int = 50
    logging_steps: int = 5
    seed: int = 0
    resume: bool = False
    threads: Optional[int] = None


# ---------------------------------------------------------------- data
def parse_mix(text: Optional[str]) -> dict[str, float]:
    """``"d_p=1,d_c=0.5"`` -> ``{"d_p": 1.0, "d_c": 0.5}``."""
    out: dict[str, float] = {}
    for item in (text or "").split(","):
        if not item.strip():
            continue
        name, _, weight = item.partition("=")
        try:
            w = float(weight)
        except ValueError:
            w = -1.0
        if not name.strip() or w < 0 or math.isinf(w) or math.isnan(w):
            raise InputError(f"Bad --mix item {item.strip()!r}: write SET=WEIGHT pairs, e.g. d_p=1,d_b=1,d_c=0.5.")
        out[name.strip()] = w
    return out


def data_files(paths: list[str]) -> list[Path]:
    """The JSONL files named (a folder: its ``*.jsonl`` but ``all.jsonl``)."""
    files: list[Path] = []
    for p in paths:
        path = Path(p).expanduser()
        if path.is_dir():
            found = sorted(f for f in path.glob("*.jsonl") if f.name != "all.jsonl")
            if not found:
                raise InputError(f"No .jsonl files in {path}: give the folder written by 'dialoggen data export'.")
            files += found
        elif path.is_file():
            files.append(path)
        else:
            raise InputError(f"No data file at {path}: give JSONL files written by 'dialoggen data export'.")
    return files


def read_messages(path: Path) -> list[list[dict[str, str]]]:
    """The ``messages`` of each line; a line in another format raises one sentence."""
    hint = "give JSONL with one {\"messages\": [{\"role\", \"content\"}, ...]} per line, as 'dialoggen data export' writes"
    out = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                raise InputError(f"{path}:{n} is not JSON: {hint}.") from None
            msgs = row.get("messages") if isinstance(row, dict) else None
            ok = isinstance(msgs, list) and msgs and all(
                isinstance(m, dict) and m.get("role") in ("system", "user", "assistant") and isinstance(m.get("content"), str) for m in msgs
            )
            if not ok or not any(m["role"] == "assistant" for m in msgs):
                raise InputError(f"{path}:{n} is not a TRL messages sample with an assistant answer: {hint}.")
            out.append(msgs)
    if not out:
        raise InputError(f"{path} holds no samples: {hint}.")
    return out


def to_prompt_completion(messages: list[dict[str, str]]) -> list[dict[str, Any]]:
    """One prompt/completion pair per assistant message (the loss then falls on answers only)."""
    return [{"prompt": messages[:i], "completion": [m]} for i, m in enumerate(messages) if m["role"] == "assistant" and i > 0]


def build_dataset(files: list[Path], mix: dict[str, float], seed: int, max_samples: Optional[int] = None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(rows, sources): the mixed, shuffled prompt/completion rows and, per file, its set,
    path, sha256, samples read and samples used."""
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    sources = []
    for path in files:
        name = path.stem
        samples = read_messages(path)
        weight = mix.get(name, 1.0)
        whole, part = int(weight), weight - int(weight)
        picked = samples * whole + (rng.sample(samples, round(part * len(samples))) if part else [])
        for s in picked:
            rows += [r | {"set": name} for r in to_prompt_completion(s)]
        sources.append({"set": name, "path": str(path), "sha256": hashlib.sha256(path.read_bytes()).hexdigest(), "samples": len(samples), "weight": weight, "used": len(picked)})
    rng.shuffle(rows)
    if max_samples is not None:
        rows = rows[:max_samples]
    if not rows:
        raise InputError("The mix leaves no training samples: raise a --mix weight or give more data.")
    return rows, sources


# ---------------------------------------------------------------- base model
def resolve_base(spec: str) -> str:
    """A folder or hub id from ``hf:X`` (``offline``: the shipped SmolLM2, converted once)."""
    if spec in OFFLINE_BASES:
        from ...agent.offline.chat import _converted_dir, default_cache_dir, gguf_path, load_smollm2

        load_smollm2()  # writes the converted transformers copy under the data dir
        folder = _converted_dir(default_cache_dir(), gguf_path())
        if not (folder / "config.json").is_file():
            raise ConfigError(f"The shipped SmolLM2 could not be converted into {folder}: check free space in the data dir, or give --base hf:HuggingFaceTB/SmolLM2-135M-Instruct.")
        return str(folder)
    if not spec.startswith("hf:") or len(spec) <= 3:
        raise ConfigError(f"Bad --base {spec!r}: give hf:PATH_OR_HUB_ID of a causal language model, or offline for the shipped SmolLM2.")
    return spec[3:]


def check_causal_lm(base: str) -> Any:
    """The base's config; a model that is not a causal LM (or cannot be found) is refused."""
    from transformers import AutoConfig, MODEL_FOR_CAUSAL_LM_MAPPING

    try:
        config = AutoConfig.from_pretrained(base)
    except (OSError, ValueError):
        raise ConfigError(f"Could not load a model config from '{base}': give a folder holding a transformers model, or a hub id that is cached or reachable.") from None
    if type(config) not in MODEL_FOR_CAUSAL_LM_MAPPING:
        raise ConfigError(f"'{base}' is a {config.model_type} model, not a causal language model: give a chat (decoder-only) model as --base.")
    return config


def check_disk(out: Path, base: str, full: bool) -> None:
    """Refuse to start when the output's disk cannot hold the result and two checkpoints."""
    need = 64 * 2**20  # adapter, tokenizer, optimizer state of a LoRA run
    if full:
        weights = sum(f.stat().st_size for f in Path(base).glob("*.safetensors")) if Path(base).is_dir() else 0
        need = max(need, 4 * weights)  # the model, and two checkpoints with optimizer state
    probe = out
    while not probe.exists():
        probe = probe.parent
    free = shutil.disk_usage(probe).free
    if free < need:
        raise NoDiskSpaceError(f"Only {free / 2**20:.0f} MiB free at {probe}, the run needs about {need / 2**20:.0f} MiB: free space or give another --out.")


# ---------------------------------------------------------------- training
def train(settings: TrainSettings, *, progress: bool = True) -> dict[str, Any]:
    """Fine-tune, save into ``settings.out`` and return the card."""
    import torch
    from datasets import Dataset
    from transformers import AutoModelForCausalLM, AutoTokenizer, set_seed
    from trl import SFTConfig, SFTTrainer

    out = Path(settings.out).expanduser()
    mix = DEFAULT_MIX | settings.mix
    rows, sources = build_dataset(data_files(settings.data), mix, settings.seed, settings.max_samples)
    base = resolve_base(settings.base)
    check_causal_lm(base)
    check_disk(out, base, settings.full)
    ckpt_dir = out / "checkpoints"
    if settings.resume and not any(ckpt_dir.glob("checkpoint-*")):
        raise InputError(f"No checkpoint to resume in {ckpt_dir}: run without --resume first.")

    if settings.threads:
        torch.set_num_threads(settings.threads)  # on a busy CPU one thread can be many times faster
    set_seed(settings.seed)
    tokenizer = AutoTokenizer.from_pretrained(base)
    if not getattr(tokenizer, "chat_template", None):
        raise ConfigError(f"The base '{base}' has no chat template: use an instruction-tuned (chat) model as --base.")
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    cuda = torch.cuda.is_available()
    bf16 = cuda and torch.cuda.is_bf16_supported()
    dtype = torch.bfloat16 if bf16 else torch.float16 if cuda else torch.float32
    model = AutoModelForCausalLM.from_pretrained(base, dtype=torch.float32 if settings.full else dtype)

    n_eval = min(EVAL_MAX, int(len(rows) * EVAL_FRACTION)) if len(rows) >= 40 else 0
    eval_rows, train_rows = rows[:n_eval], rows[n_eval:]
    to_ds = lambda rs: Dataset.from_list([{"prompt": r["prompt"], "completion": r["completion"]} for r in rs])  # noqa: E731
    peft_config = None
    if not settings.full:
        from peft import LoraConfig

        peft_config = LoraConfig(r=settings.lora_r, lora_alpha=settings.lora_alpha, lora_dropout=settings.lora_dropout, target_modules="all-linear", task_type="CAUSAL_LM")
    config = SFTConfig(
        output_dir=str(ckpt_dir),
        num_train_epochs=settings.epochs,
        max_steps=settings.max_steps,
        per_device_train_batch_size=settings.batch_size,
        per_device_eval_batch_size=settings.batch_size,
        gradient_accumulation_steps=settings.grad_accum,
        learning_rate=settings.lr,
        lr_scheduler_type="linear",
        warmup_steps=0,
        logging_steps=settings.logging_steps,
        logging_first_step=True,
        save_steps=settings.save_steps,
        save_total_limit=2,
        seed=settings.seed,
        data_seed=settings.seed,
        bf16=bf16,
        fp16=cuda and not bf16 and settings.full is False,
        use_cpu=not cuda,
        max_length=settings.max_length,
        truncation_mode="keep_start",
        completion_only_loss=True,
        report_to="none",
        disable_tqdm=not progress,
        dataloader_num_workers=0,
        save_only_model=False,
    )
    trainer = SFTTrainer(model=model, args=config, train_dataset=to_ds(train_rows), eval_dataset=to_ds(eval_rows) if eval_rows else None,
                         processing_class=tokenizer, peft_config=peft_config)
    start = time.time()
    try:
        eval_before = trainer.evaluate()["eval_loss"] if eval_rows and not settings.resume else None
        result = trainer.train(resume_from_checkpoint=True if settings.resume else None)
        eval_after = trainer.evaluate()["eval_loss"] if eval_rows else None
        seconds = time.time() - start
        trainer.save_model(str(out))
        tokenizer.save_pretrained(str(out))
    except OSError as exc:
        if getattr(exc, "errno", None) == 28:
            raise NoDiskSpaceError(f"The disk under {out} filled up during training: free space or give another --out, then add --resume.") from None
        raise
    losses = [h["loss"] for h in trainer.state.log_history if "loss" in h]
    card = {
        "base": settings.base,
        "base_path": base,
        "method": "full fine-tuning" if settings.full else "LoRA (PEFT)",
        "device": "cuda" if cuda else "cpu",
        "dtype": str(dtype).removeprefix("torch."),
        "settings": asdict(settings) | {"mix": mix},
        "data": {"sources": sources, "train_rows": len(train_rows), "eval_rows": len(eval_rows),
                 "rows_per_set": {s: sum(1 for r in train_rows if r["set"] == s) for s in sorted({r["set"] for r in train_rows})}},
        "losses": {"first_logged": losses[0] if losses else None, "last_logged": losses[-1] if losses else None,
                   "train_mean": result.training_loss, "eval_before": eval_before, "eval_after": eval_after, "log": losses},
        "steps": trainer.state.global_step,
        "train_seconds": round(seconds, 1),
        "serve": f"--intent hf:{out} --rewrite hf:{out} (one call per turn); --critic hf:{out}",
    }
    write_card(out, card)
    return card


def write_card(out: Path, card: dict[str, Any]) -> None:
    (out / "card.json").write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    lo = card["losses"]
    fmt = lambda v: "-" if v is None else f"{v:.4f}"  # noqa: E731
    lines = [
        f"# DialogGen fine-tune of {card['base']}",
        "",
        f"{card['method']} on {card['device']} ({card['dtype']}), {card['steps']} steps in {card['train_seconds']} s, "
        "with `dialoggen train` (evals/train/sft.py).",
        "",
        f"Serve: `dialoggen chat {card['serve'].split(' (')[0]}`; critic: `--critic hf:DIR`.",
        "",
        "## Data",
        "",
        "| set | file | samples | weight | used |",
        "|---|---|---|---|---|",
        *[f"| {s['set']} | {s['path']} | {s['samples']} | {s['weight']} | {s['used']} |" for s in card["data"]["sources"]],
        "",
        f"Train rows (prompt/completion) {card['data']['train_rows']}, held-out rows {card['data']['eval_rows']}. "
        "Sources of the exported data (generator, real corpora and their licences) are in the export's manifest.json "
        "and evals/data/corpora/router_sources.json.",
        "",
        "## Losses",
        "",
        f"first logged {fmt(lo['first_logged'])}, last logged {fmt(lo['last_logged'])}, train mean {fmt(lo['train_mean'])}; "
        f"held-out before {fmt(lo['eval_before'])}, after {fmt(lo['eval_after'])}.",
        "",
        "## Settings",
        "",
        "```json",
        json.dumps(card["settings"], indent=2, ensure_ascii=False),
        "```",
        "",
    ]
    (out / "README.md").write_text("\n".join(lines), encoding="utf-8")


# ---------------------------------------------------------------- CLI
def train_command(
    base: str = typer.Option(..., "--base", help="Base model: hf:PATH_OR_HUB_ID of a causal (chat) LM, or offline for the shipped SmolLM2-135M-Instruct."),
    data: list[str] = typer.Option(..., "--data", help="Exported JSONL files or export folders ('dialoggen data export --format roles')."),
    out: Path = typer.Option(..., "--out", help="Output folder: adapter (or model), tokenizer, card."),
    mix: Optional[str] = typer.Option(None, "--mix", help="Set weights, e.g. d_p=1,d_pm=1,d_b=1,d_c=0.5 (default: those, d_i=1, d_r=1)."),
    full: bool = typer.Option(False, "--full", help="Full fine-tuning instead of LoRA adapters."),
    epochs: float = typer.Option(1.0, "--epochs"),
    max_steps: int = typer.Option(-1, "--max-steps", help="Stop after this many optimizer steps (-1: the epochs decide)."),
    max_samples: Optional[int] = typer.Option(None, "--max-samples", help="Use at most this many prompt/completion rows (after the mix)."),
    batch_size: int = typer.Option(4, "--batch-size"),
    grad_accum: int = typer.Option(1, "--grad-accum"),
    lr: float = typer.Option(2e-4, "--lr"),
    max_length: int = typer.Option(2048, "--max-length", help="Tokens per row (longer rows are cut at the end)."),
    lora_r: int = typer.Option(16, "--lora-r"),
    save_steps: int = typer.Option(50, "--save-steps"),
    logging_steps: int = typer.Option(5, "--logging-steps"),
    seed: int = typer.Option(0, "--seed"),
    resume: bool = typer.Option(False, "--resume", help="Continue from the last checkpoint in OUT/checkpoints."),
    threads: Optional[int] = typer.Option(None, "--threads", help="CPU threads for torch (default: torch's choice; 1 is often fastest on a shared machine)."),
) -> None:
    """Fine-tune a chat model on exported DialogGen data (TRL SFT; LoRA by default)."""
    from rich.console import Console
    from rich.markup import escape

    console = Console()
    settings = TrainSettings(base=base, data=list(data), out=str(out), mix=parse_mix(mix) if mix else {}, full=full, epochs=epochs, max_steps=max_steps,
                             max_samples=max_samples, batch_size=batch_size, grad_accum=grad_accum, lr=lr, max_length=max_length, lora_r=lora_r,
                             lora_alpha=2 * lora_r, save_steps=save_steps, logging_steps=logging_steps, seed=seed, resume=resume, threads=threads)
    try:
        card = train(settings)
    except DialogGenError as exc:
        console.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(1)
    lo = card["losses"]
    console.print(f"Saved {card['method']} to {out} ({card['steps']} steps, {card['train_seconds']} s; loss {lo['first_logged']:.3f} -> {lo['last_logged']:.3f}). Serve: {card['serve']}")
