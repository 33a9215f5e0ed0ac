"""``dialoggen eval rewrite --data FILE --out DIR``: the drawing-prompt rewriter on real edit
requests (issue 12; data in ``evals/data/rewrite/``, schema in its README).

Each item is a two-turn conversation run through the graph the user meets (offline router +
rule rewriter; ``Context(t2i="none", chat="none")``, a temporary data dir): turn 1 is the
item's ``first_turn``, turn 2 its ``request``. Turn 2 is scored on four checks:

- **misrouted**: either turn was answered in text instead of a drawing prompt.
- **applied**: every ``must_include`` entry (a list = alternatives, any one suffices) is in the
  new rendered prompt and no ``must_exclude`` entry is. English matches whole words,
  case-insensitively, allowing a plural ``s``/``es`` at the end; Chinese matches substrings.
- **kept**: every ``keep`` part of the new prompt is byte-identical to turn 1's part.
- **usable**: the rendered prompt reads as a description a T2I model can use; see
  :func:`usability_problems` for the exact checks (request/instruction wording, Chinese left
  in an English prompt, dangling function words, doubled words, an empty subject).

``all`` is all of: not misrouted, applied, kept, usable. Figures per language, per kind and
per source go to ``DIR/summary.json`` and ``DIR/report.md`` (with every failure listed);
``DIR/rows.jsonl`` has one row per item. The rewrite's own time (the rewrite role's call,
not the router or the graph) is reported as a median in ms.
"""

from __future__ import annotations

import json
import re
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterable, Optional

import typer

from .cli import eval_app

CHECKS = ("misrouted", "applied", "kept", "usable", "all")

# --- usability -----------------------------------------------------------------------------------

#: English request wording that never belongs in a drawing prompt, anywhere in it.
_EN_ANYWHERE = re.compile(
    r"\b(?:please|can you|could you|would you|i want|i'd like|i would like|let's|let me|instead(?: of)?|"
    r"replace[ds]?|replacing|remove[ds]?|removing|delete[ds]?|erase[ds]?|get rid|take (?:out|away|off)|taken (?:out|away|off)|"
    r"swap(?:ped)?|needs? to be|should be|has to be|must be|change[ds]? (?:it|the|to|into|from)|"
    r"the (?:image|picture|photo|photograph|pic|scene) (?:to|into)|in the (?:image|picture|photo)|"
    r"from the (?:image|picture|photo)|of the (?:image|picture|photo)|redraw|re-draw|edit(?:ed)? )\b",
    re.I,
)
#: English imperatives at the start of a sentence or clause.
_EN_IMPERATIVE = re.compile(
    r"(?:^|[.!?;:,]\s*|\band\s+|\bthen\s+)(?:make|change|add|remove|turn|let|put|place|insert|replace|give|"
    r"convert|transform|modify|adjust|edit|set|draw|paint|show|have|keep|move|swap|delete|erase|get|bring|"
    r"increase|decrease|reduce|enlarge|shrink|zoom|apply|use|render|recolou?r|colou?r)\b",
    re.I,
)
#: Chinese request wording (把 and 将 only as the disposal marker: not after a numeral, "一把伞").
_ZH_WORDING = re.compile(
    r"(?<![一二两三四五六七八九十几每这那])把|(?<![即])将(?!军)|让|请|帮我|给我|改成|改为|改变|换成|换为|替换|去掉|去除|删除|删去|移除|"
    r"抹去|消除|添加|增加|加上|加入|添上|变成|变为|修改|调整|重新画|重画|画一遍|图片中|图中|照片中|图像中"
)
_CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
_EN_DANGLING = re.compile(r"\b(?:a|an|the|of|with|and|in|on|at|to|from|by|for|into|its|his|her|their)\s*[.,;!?]", re.I)
_EN_DOUBLED = re.compile(r"\b([a-z]+) \1\b", re.I)
_ZH_DANGLING = re.compile(r"(?:的|和|与|在|个|只|一)[。，,]")


def usability_problems(prompt: Optional[dict], text: str, lang: str) -> list[str]:
    """Why ``text`` (the rendered prompt) is not a usable drawing prompt; ``[]`` when it is.

    English: request wording anywhere (please, can you, instead, replace/remove/delete/erase,
    take out, needs to be, change the/to/into, "in the image" ...); an imperative verb starting
    a sentence or clause (make, change, add, turn, let, put, ...); CJK characters; a sentence
    ending in a function word ("a .", "with ."); a doubled word ("black black"); an empty
    subject. Chinese: request wording (把/将 as disposal markers, 让, 请, 帮我, 改成, 换成,
    替换, 去掉, 删除, 添加, 变成, 重新画, 图中 ...); a dangling 的/和/在/个 before a full stop;
    an empty subject."""
    problems: list[str] = []
    if not prompt or not str(prompt.get("subject", "")).strip():
        problems.append("empty subject")
    if lang == "zh":
        if m := _ZH_WORDING.search(text):
            problems.append(f"request wording {m.group(0)!r}")
        if m := _ZH_DANGLING.search(text):
            problems.append(f"dangling {m.group(0)!r}")
        return problems
    if m := _EN_ANYWHERE.search(text):
        problems.append(f"request wording {m.group(0).strip()!r}")
    if m := _EN_IMPERATIVE.search(text):
        problems.append(f"imperative {m.group(0).strip()!r}")
    if m := _CJK.search(text):
        problems.append(f"Chinese in an English prompt {m.group(0)!r}")
    if m := _EN_DANGLING.search(text):
        problems.append(f"dangling {m.group(0)!r}")
    if m := _EN_DOUBLED.search(text):
        problems.append(f"doubled {m.group(0)!r}")
    return problems


# --- matching ------------------------------------------------------------------------------------

def contains(text: str, word: str, lang: str) -> bool:
    """``word`` in ``text``: Chinese substring; English whole words, case-insensitive, with an
    optional plural ``s``/``es`` at the end."""
    if lang == "zh" or _CJK.search(word):
        return word.lower() in text.lower()
    pattern = r"(?<![a-z0-9])" + re.escape(word.lower()) + r"(?:s|es)?(?![a-z0-9])"
    return re.search(pattern, text.lower()) is not None


def applied_problems(text: str, expect: dict, lang: str) -> list[str]:
    problems = []
    for entry in expect.get("must_include", []):
        alts = entry if isinstance(entry, list) else [entry]
        if not any(contains(text, a, lang) for a in alts):
            problems.append("missing " + "|".join(alts))
    for word in expect.get("must_exclude", []):
        if contains(text, word, lang):
            problems.append(f"still has {word}")
    return problems


def kept_problems(before: Optional[dict], after: Optional[dict], keep: Iterable[str]) -> list[str]:
    before, after = before or {}, after or {}
    return [f"{part} changed: {before.get(part)!r} -> {after.get(part)!r}" for part in keep if before.get(part) != after.get(part)]


# --- running -------------------------------------------------------------------------------------

def load_items(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


class _Timer:
    """Times the rewrite role's calls (wraps ``RuleRewriter.rewrite`` for the run)."""

    def __init__(self) -> None:
        self.ms: list[float] = []
        self.last: Optional[float] = None

    def __enter__(self) -> "_Timer":
        from ..agent.rewriter.rule import RuleRewriter

        self._orig = RuleRewriter.rewrite
        timer = self

        def timed(rewriter, conv):  # type: ignore[no-untyped-def]
            t0 = time.perf_counter()
            try:
                return timer._orig(rewriter, conv)
            finally:
                timer.last = (time.perf_counter() - t0) * 1000
                timer.ms.append(timer.last)

        RuleRewriter.rewrite = timed  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: Any) -> None:
        from ..agent.rewriter.rule import RuleRewriter

        RuleRewriter.rewrite = self._orig  # type: ignore[method-assign]


def run_items(items: list[dict[str, Any]], *, data_dir: Optional[str] = None) -> list[dict[str, Any]]:
    """Run every item through the offline graph and score it; one row per item."""
    from ..agent.context import Context
    from ..graphs.graph import build_graph
    from .dataset import Conversation, Turn
    from .modality import resolve_roles, run_conversation_records

    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="dialoggen-rewrite-eval-") as tmp:
        context = Context(t2i="none", chat="none", data_dir=data_dir or tmp)
        roles = resolve_roles(context)
        router = roles.get("intent")
        if hasattr(router, "prefetch"):
            router.prefetch([t for it in items for t in (it["first_turn"], it["request"])])
        graph = build_graph()
        with _Timer() as timer:
            for it in items:
                conv = Conversation(
                    id=it["id"], lang=it["lang"],
                    turns=[Turn(user=it["first_turn"], scenario="T->I", expected="image"), Turn(user=it["request"], scenario="T->I", expected="image")],
                )
                timer.last = None
                records = [rec for _, rec in run_conversation_records(graph, conv, context, run_tag="rewrite-eval")]
                rows.append(score_item(it, records[0], records[1], timer.last))
    return rows


def score_item(it: dict[str, Any], first: dict[str, Any], second: dict[str, Any], ms: Optional[float]) -> dict[str, Any]:
    lang, expect = it["lang"], it["expect"]
    misrouted = first.get("modality") != "image" or second.get("modality") != "image"
    text = second.get("prompt_text") or ""
    applied = [] if misrouted else applied_problems(text, expect, lang)
    kept = [] if misrouted else kept_problems(first.get("prompt"), second.get("prompt"), expect.get("keep", []))
    usable = [] if misrouted else usability_problems(second.get("prompt"), text, lang)
    ok = {
        "misrouted": misrouted,
        "applied": not misrouted and not applied,
        "kept": not misrouted and not kept,
        "usable": not misrouted and not usable,
    }
    ok["all"] = ok["applied"] and ok["kept"] and ok["usable"]
    return {
        "id": it["id"], "lang": lang, "kind": it["kind"], "source": it["source"],
        "first_turn": it["first_turn"], "request": it["request"],
        "first_prompt": first.get("prompt_text"), "prompt": text,
        "modality": [first.get("modality"), second.get("modality")],
        "notice": second.get("notice"), "ms": ms,
        **ok, "problems": applied + kept + usable,
    }


# --- report --------------------------------------------------------------------------------------

def _rates(rows: list[dict[str, Any]]) -> dict[str, Any]:
    n = len(rows)
    out: dict[str, Any] = {"n": n}
    for c in CHECKS:
        out[c] = round(sum(bool(r[c]) for r in rows) / n, 4) if n else None
    out["notices"] = sum(1 for r in rows if r.get("notice"))
    return out


def summarize(rows: list[dict[str, Any]]) -> dict[str, Any]:
    groups: dict[str, dict[str, list]] = {"lang": defaultdict(list), "lang_kind": defaultdict(list), "lang_source": defaultdict(list)}
    for r in rows:
        groups["lang"][r["lang"]].append(r)
        groups["lang_kind"][f"{r['lang']}/{r['kind']}"].append(r)
        groups["lang_source"][f"{r['lang']}/{r['source']}"].append(r)
    ms = [r["ms"] for r in rows if r.get("ms") is not None]
    return {
        "overall": _rates(rows),
        **{g: {k: _rates(v) for k, v in sorted(d.items())} for g, d in groups.items()},
        "rewrite_ms": {"median": round(statistics.median(ms), 3) if ms else None, "p90": round(sorted(ms)[int(0.9 * (len(ms) - 1))], 3) if ms else None, "n": len(ms)},
    }


def _pct(x: Optional[float]) -> str:
    return "-" if x is None else f"{100 * x:.1f}%"


def _table(title: str, block: dict[str, dict[str, Any]]) -> list[str]:
    lines = [f"### {title}", "", "| group | n | misrouted | applied | kept | usable | all | notices |", "|---|---|---|---|---|---|---|---|"]
    for k, v in block.items():
        lines.append(f"| {k} | {v['n']} | {_pct(v['misrouted'])} | {_pct(v['applied'])} | {_pct(v['kept'])} | {_pct(v['usable'])} | {_pct(v['all'])} | {v['notices']} |")
    return lines + [""]


def report(rows: list[dict[str, Any]], summary: dict[str, Any], data: str) -> str:
    lines = [f"# Rewriter on real edit requests: `{data}`", "",
             f"{len(rows)} items; rewrite median {summary['rewrite_ms']['median']} ms (p90 {summary['rewrite_ms']['p90']} ms).", ""]
    lines += _table("Per language", {**summary["lang"], "all": summary["overall"]})
    lines += _table("Per language and kind", summary["lang_kind"])
    lines += _table("Per language and source", summary["lang_source"])
    lines += ["### Failures", ""]
    for r in rows:
        if r["all"]:
            continue
        why = "misrouted to text" if r["misrouted"] else "; ".join(r["problems"])
        lines.append(f"- `{r['id']}` ({r['lang']}/{r['kind']}) {r['request']!r}: {why}")
        lines.append(f"  - turn 1: {r['first_prompt']!r}")
        lines.append(f"  - turn 2: {r['prompt']!r}" + (f" (notice: {r['notice']!r})" if r.get("notice") else ""))
    return "\n".join(lines) + "\n"


def evaluate_file(data: Path, out: Path) -> dict[str, Any]:
    rows = run_items(load_items(data))
    summary = summarize(rows)
    out.mkdir(parents=True, exist_ok=True)
    with (out / "rows.jsonl").open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    (out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (out / "report.md").write_text(report(rows, summary, str(data)), encoding="utf-8")
    return summary


@eval_app.command("rewrite")
def rewrite_command(
    data: Path = typer.Option(..., "--data", help="JSONL of edit requests (evals/data/rewrite/README.md)."),
    out: Path = typer.Option(..., "--out", help="Folder for report.md, rows.jsonl, summary.json."),
) -> None:
    """Score the offline rewriter on real edit requests (applied / kept / usable / misrouted)."""
    from ..agent.errors import InputError

    if not data.is_file():
        raise InputError(f"There is no data file at {data}: pass --data with a JSONL of edit requests.")
    summary = evaluate_file(data, out)
    for lang, v in summary["lang"].items():
        typer.echo(f"{lang}: n={v['n']} misrouted {_pct(v['misrouted'])} applied {_pct(v['applied'])} kept {_pct(v['kept'])} usable {_pct(v['usable'])} all {_pct(v['all'])}")
    typer.echo(f"rewrite median {summary['rewrite_ms']['median']} ms; report in {out / 'report.md'}")
