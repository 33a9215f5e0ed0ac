"""Prompt-consistency metrics for edit turns (the paper's *object consistency*).

An *edit turn* is an image turn whose thread already holds a drawing prompt. For each one:

- ``kept``: of the prompt parts the request did not touch (``subject``, ``background``,
  ``shot``, ``style``, ``extras``), the share that stayed identical;
- ``landed``: whether every part the request asked to change did change;
- ``word_distance``: Levenshtein distance over words between the previous and the new
  rendered prompt (the smaller, the closer the edit stays to what was there).

Which parts a request touches comes, best first, from the dataset's reference prompts
(the parts that differ between the previous and this turn's reference) or, when a
reference is missing, from words in the request (``"in watercolor"`` -> ``style``).
The basis used is counted in the summary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Optional, Sequence

from ..agent.prompt import PARTS, DrawingPrompt

_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[^\s\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def words(text: str) -> list[str]:
    """Words of ``text``: whitespace-separated tokens, each CJK ideograph its own word."""
    return _WORD.findall(text or "")


def levenshtein(a: Sequence[Any], b: Sequence[Any]) -> int:
    """Edit distance between two sequences (insertions, deletions, substitutions cost 1).

    Bit-parallel (Myers 1999 / Hyyrö 2001): one pass over ``b`` with the columns of the
    dynamic-programming table packed into Python integers, so long prompts stay cheap."""
    start = 0  # a shared head and tail cost nothing: trim them (edits share most words)
    while start < len(a) and start < len(b) and a[start] == b[start]:
        start += 1
    end = 0
    while end < len(a) - start and end < len(b) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    a, b = a[start : len(a) - end], b[start : len(b) - end]
    if len(a) > len(b):
        a, b = b, a
    m = len(a)
    if m == 0:
        return len(b)
    peq: dict[Any, int] = {}  # for each symbol, the bit mask of its positions in a
    for i, x in enumerate(a):
        peq[x] = peq.get(x, 0) | (1 << i)
    full, top = (1 << m) - 1, 1 << (m - 1)
    pv, mv, score = full, 0, m  # vertical +1 / -1 deltas of the current column; D[m][j]
    for y in b:
        eq = peq.get(y, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = (mv | ~(xh | pv)) & full
        mh = pv & xh
        if ph & top:
            score += 1
        elif mh & top:
            score -= 1
        ph = ((ph << 1) | 1) & full
        mh = (mh << 1) & full
        pv = (mh | ~(xv | ph)) & full
        mv = ph & xv
    return score


def word_edit_distance(before: str, after: str) -> int:
    """Levenshtein distance over the words of two prompts."""
    return levenshtein(words(before), words(after))


def parse_prompt(text: str, lang: str = "en") -> DrawingPrompt:
    """A rendered prompt read back into its parts (:meth:`DrawingPrompt.parse`)."""
    return DrawingPrompt.parse(text, lang)


def changed_parts(before: Optional[DrawingPrompt], after: DrawingPrompt) -> set[str]:
    """The parts whose values differ (case- and whitespace-insensitive)."""

    def norm(p: Optional[DrawingPrompt], part: str) -> str:
        if p is None:
            return ""
        value = getattr(p, part)
        value = " | ".join(value) if isinstance(value, list) else value
        return " ".join(value.lower().split())

    return {part for part in PARTS if norm(before, part) != norm(after, part)}


def present_parts(*prompts: Optional[DrawingPrompt]) -> set[str]:
    """The parts non-empty in any of ``prompts``."""
    return {part for part in PARTS for p in prompts if p is not None and getattr(p, part)}


_REQUEST_WORDS = {
    "style": ("style", "watercolor", "watercolour", "oil painting", "painting", "cartoon", "anime", "realistic",
              "photorealistic", "sketch", "pixel", "vector", "3d", "cyberpunk", "impressionis", "ink",
              "风格", "水彩", "油画", "卡通", "动漫", "写实", "素描"),
    "background": ("background", "setting", "scene", "backdrop", "背景", "场景"),
    "shot": ("close-up", "close up", "closeup", "wide shot", "shot", "angle", "zoom", "view", "特写", "镜头", "远景", "近景", "视角"),
    "extras": ("add ", "include", "put ", "with a", "with an", "lighting", "light", "mood", "加", "添加", "增加", "光"),
}


def requested_parts_from_request(user: str) -> set[str]:
    """Parts a request names by its words; the subject when it names none."""
    low = (user or "").lower()
    found = {part for part, keys in _REQUEST_WORDS.items() if any(k in low for k in keys)}
    return found or {"subject"}


# --- scoring ----------------------------------------------------------------------------------

@dataclass
class EditScore:
    """One edit turn's consistency figures."""

    requested: set[str]
    untouched: int  # parts present and not requested
    kept: int  # of those, how many stayed identical
    landed: bool  # every requested part changed
    word_distance: int
    basis: str  # "reference" or "request"

    @property
    def kept_share(self) -> Optional[float]:
        return self.kept / self.untouched if self.untouched else None


def score_edit(
    previous: DrawingPrompt,
    current: DrawingPrompt,
    requested: Iterable[str],
    *,
    basis: str = "reference",
) -> EditScore:
    """Score one edit: ``previous`` -> ``current`` given the parts the request asked to change."""
    requested = set(requested)
    changed = changed_parts(previous, current)
    untouched = present_parts(previous, current) - requested
    kept = len(untouched - changed)
    landed = bool(requested) and requested <= changed
    return EditScore(
        requested=requested,
        untouched=len(untouched),
        kept=kept,
        landed=landed,
        word_distance=word_edit_distance(previous.render(), current.render()),
        basis=basis,
    )


def _prompt_of(pred: dict[str, Any]) -> Optional[DrawingPrompt]:
    if pred.get("predicted") != "image":
        return None
    if pred.get("prompt"):
        try:
            return DrawingPrompt.model_validate(pred["prompt"])
        except ValueError:
            pass
    text = pred.get("prompt_text") or pred.get("output")
    return parse_prompt(text, pred.get("lang", "en")) if text else None


def _structured(value: Any) -> Optional[DrawingPrompt]:
    try:
        return DrawingPrompt.model_validate(value) if value else None
    except ValueError:
        return None


def edit_scores(predictions: Iterable[dict[str, Any]]) -> list[EditScore]:
    """Scores of every edit turn among ``predictions`` (rows of ``predictions.jsonl``:
    ``id``, ``round``, ``scenario``, ``predicted``, ``prompt``, ``user``, ``expected``,
    ``reference``, ``lang`` and, from generated sets, ``ref_prompt`` / ``ref_base_prompt``).

    An edit turn is a picture turn after an earlier prompt of the thread, with no image
    attached to it (an attached image, not the previous prompt, is then what is edited).
    The requested parts come from the set's structured prompts (``base_prompt`` ->
    ``prompt``), else from the previous picture turn's reference text, else from the
    request's words."""
    by_conv: dict[str, list[dict[str, Any]]] = {}
    for pred in predictions:
        by_conv.setdefault(str(pred["id"]), []).append(pred)
    scores: list[EditScore] = []
    for rows in by_conv.values():
        rows.sort(key=lambda r: r["round"])
        prev_prompt: Optional[DrawingPrompt] = None
        prev_ref: Optional[str] = None
        for row in rows:
            prompt = _prompt_of(row)
            ref = row.get("reference") if row.get("expected") == "image" else None
            attached = str(row.get("scenario", "")).startswith("I+T")
            if prompt is not None and prev_prompt is not None and not attached:
                lang = row.get("lang", "en")
                base, target = _structured(row.get("ref_base_prompt")), _structured(row.get("ref_prompt"))
                if base is not None and target is not None:
                    requested, basis = changed_parts(base, target), "reference"
                elif ref and prev_ref:
                    requested, basis = changed_parts(parse_prompt(prev_ref, lang), parse_prompt(ref, lang)), "reference"
                else:
                    requested, basis = requested_parts_from_request(row.get("user", "")), "request"
                if requested:  # identical references: nothing asked, nothing to score
                    scores.append(score_edit(prev_prompt, prompt, requested, basis=basis))
            if prompt is not None:
                prev_prompt = prompt
            if row.get("expected") == "image":
                prev_ref = ref
    return scores


def consistency_summary(predictions: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The ``consistency`` block of ``summary.json``.

    ``kept_pct``: untouched parts kept identical, over all edit turns' untouched parts (%);
    ``landed_pct``: edit turns whose requested parts all changed (%);
    ``word_distance_mean`` / ``word_distance_median``: word-level edit distance between
    consecutive prompts; ``basis``: how many edits took the requested parts from the
    reference prompts and how many from the request's words."""
    scores = edit_scores(predictions)
    untouched = sum(s.untouched for s in scores)
    distances = sorted(s.word_distance for s in scores)
    median: Optional[float] = None
    if distances:
        mid = len(distances) // 2
        median = float(distances[mid]) if len(distances) % 2 else (distances[mid - 1] + distances[mid]) / 2
    return {
        "n_edits": len(scores),
        "kept_pct": _pct(sum(s.kept for s in scores), untouched),
        "landed_pct": _pct(sum(s.landed for s in scores), len(scores)),
        "word_distance_mean": round(sum(distances) / len(distances), 2) if distances else None,
        "word_distance_median": median,
        "basis": {
            "reference": sum(s.basis == "reference" for s in scores),
            "request": sum(s.basis == "request" for s in scores),
        },
    }


def _pct(num: float, den: float) -> Optional[float]:
    return round(100.0 * num / den, 2) if den else None
