"""The built-in ``critic`` role: the paper's three rules checked without an LLM.

Rules, in the order checked (the first one broken is reported):

1. ``intent``: the turn's modality disagrees with the offline router when the router is
   confident (P(image) >= ``confidence`` or <= 1 - ``confidence``): corrected_modality.
2. ``descriptive_prompt`` (image turns): the drawing prompt has no real subject (empty, a
   letter or two, or only the request's wrapper such as "draw me a picture"):
   corrected_prompt from the offline rewriter (or the thread's previous prompt).
3. ``coherence`` (text turns): the reply is itself a drawing prompt ("X. The background is
   ... The style is ...", or the Chinese frames ``背景是……``): corrected_modality ``image``
   with the prompt parsed back from the reply; an empty reply is flagged too (the graph then
   asks the chat role again).

The router and the rewriter are loaded lazily and can be injected (tests); when one cannot
be loaded, the rule that needs it is skipped, never the turn.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Optional

from ..errors import DialogGenError
from ..prompt import FRAMES, DrawingPrompt
from ..schemas import Conversation
from ..schemas import CriticVerdict, TurnDecision

log = logging.getLogger(__name__)

CONFIDENCE = 0.9  # the router must be at least this sure to overrule a modality

# Words that only wrap a drawing request ("can you draw me a picture of it?"): a subject
# made of nothing else names nothing to draw.
_WRAPPER_EN = frozenset(
    """a an the me us my our you your i we it its this that these those one some something anything
    can could would will please pls kindly just now again also then so ok okay hey hi hello
    draw drawing drawn paint painting sketch create generate make render produce show give design illustrate do
    picture pictures image images photo photos pic pics illustration artwork version another new
    of for with to like want wanna need let lets let's see get have"""
    .split()
)
_WRAPPER_ZH = re.compile(r"请|帮我|给我|为我|你|我|能|可以|想要|想|要|画|生成|创作|做|来|一[张幅个副]|张|幅|图片|图像|图|照片|吧|呢|吗|的|一下|它|这个|那个|再|[，。！？、,.!? ]")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")

_PREAMBLE_EN = re.compile(r"^(?:sure|okay|ok|of course|certainly|here(?:'s| is)[^:]*|prompt)\s*[:!,.-]\s*", re.I)
_PREAMBLE_ZH = re.compile(r"^(?:好的|当然|没问题|这是[^：:]*|提示词)\s*[：:！!，,。]\s*")


def is_descriptive(prompt: Optional[DrawingPrompt]) -> bool:
    """Whether ``prompt`` names something to draw (its subject is more than the request)."""
    if prompt is None:
        return False
    subject = (prompt.subject or "").strip()
    if prompt.lang == "zh" or re.search(r"[\u4e00-\u9fff]", subject):
        rest = _WRAPPER_ZH.sub("", subject)
        return len(re.findall(r"[\u4e00-\u9fffA-Za-z]", rest)) >= 1
    words = [w.lower() for w in _WORD.findall(subject)]
    content = [w for w in words if w not in _WRAPPER_EN]
    return any(len(w) >= 2 for w in content)


def parse_prompt_reply(reply: str, lang: str = "en") -> Optional[DrawingPrompt]:
    """The drawing prompt a text reply spells out, or ``None`` when the reply is not one.

    A reply is a prompt when it uses two of the background/shot/style frames, or one of them
    in a reply of at most three sentences."""
    text = " ".join((reply or "").split())
    if not text:
        return None
    zh = lang == "zh" or any(f in text for f in FRAMES["zh"].values())
    text = (_PREAMBLE_ZH if zh else _PREAMBLE_EN).sub("", text, count=1)
    prompt = DrawingPrompt.parse(text, "zh" if zh else "en")
    used = prompt.framed_parts()
    sentences = 1 + used + len(prompt.extras)
    if used == 0 or (used == 1 and sentences > 3) or not prompt.subject:
        return None
    return prompt


class RuleCritic:
    """The ``offline`` critic: router agreement, descriptive prompts, coherent replies."""

    name = "offline"

    def __init__(self, router: Any = None, rewriter: Any = None, *, confidence: float = CONFIDENCE) -> None:
        self._router = router
        self._rewriter = rewriter
        self.confidence = float(confidence)

    # ---------- helpers (lazy, optional) ----------
    @property
    def router(self) -> Any:
        """The offline router (``predict_proba(conv) -> P(image)``), or ``False`` when unavailable."""
        if self._router is None:
            try:
                from .router import default_router

                self._router = default_router()  # the intent role's router, shared
            except (ImportError, DialogGenError, OSError) as exc:
                log.warning("The offline critic skips its intent rule: the router is unavailable (%s)", exc)
                self._router = False  # its rule is skipped
        return self._router

    @property
    def rewriter(self) -> Any:
        """The offline rewriter (``rewrite(conv) -> DrawingPrompt``), or ``False`` when unavailable."""
        if self._rewriter is None:
            try:
                from ..rewriter.rule import RuleRewriter

                self._rewriter = RuleRewriter()
            except (ImportError, DialogGenError) as exc:
                log.warning("The offline critic cannot rewrite prompts: the rule rewriter is unavailable (%s)", exc)
                self._rewriter = False
        return self._rewriter

    def p_image(self, conv: Conversation) -> Optional[float]:
        """The router's P(image) for this turn, or ``None`` without a router."""
        router = self.router
        if router is False:
            return None
        return float(router.predict_proba(conv))

    # ---------- the check ----------
    def check(self, conv: Conversation, decision: TurnDecision) -> CriticVerdict:
        p = self.p_image(conv)
        verdict = (
            self._intent(conv, decision, p)
            or (self._descriptive(conv, decision) if decision.modality == "image" else self._coherence(conv, decision, p))
            or CriticVerdict(ok=True)
        )
        verdict.critic = self.name
        return verdict

    def _intent(self, conv: Conversation, decision: TurnDecision, p: Optional[float]) -> Optional[CriticVerdict]:
        if p is None:
            return None
        if decision.modality == "text" and p >= self.confidence:
            return CriticVerdict(
                ok=False,
                rule="intent",
                reason=f"The user asks for a picture (router P(image) = {p:.2f}), but the turn answered in words.",
                corrected_modality="image",
                corrected_prompt=parse_prompt_reply(decision.reply or "", conv.lang),
            )
        if decision.modality == "image" and p <= 1.0 - self.confidence:
            return CriticVerdict(
                ok=False,
                rule="intent",
                reason=f"The user asks for words, not a picture (router P(image) = {p:.2f}), but the turn drew one.",
                corrected_modality="text",
            )
        return None

    def _descriptive(self, conv: Conversation, decision: TurnDecision) -> Optional[CriticVerdict]:
        if is_descriptive(decision.prompt):
            return None
        what = "no drawing prompt" if decision.prompt is None else f"the drawing prompt '{decision.prompt.subject}' names no subject"
        return CriticVerdict(ok=False, rule="descriptive_prompt", reason=f"The turn has {what}.", corrected_prompt=self._better_prompt(conv))

    def _better_prompt(self, conv: Conversation) -> Optional[DrawingPrompt]:
        """A descriptive prompt: the rewriter's, else the thread's previous one, else none."""
        rewriter = self.rewriter
        if rewriter is not False:
            try:
                prompt = rewriter.rewrite(conv)
            except DialogGenError as exc:
                log.warning("The rule rewriter failed in the offline critic (%s)", exc)
            else:
                if is_descriptive(prompt):
                    return prompt
        previous = conv.previous_prompt
        return previous if is_descriptive(previous) else None

    def _coherence(self, conv: Conversation, decision: TurnDecision, p: Optional[float]) -> Optional[CriticVerdict]:
        reply = (decision.reply or "").strip()
        if not reply:
            return CriticVerdict(ok=False, rule="coherence", reason="The text reply is empty.")
        prompt = parse_prompt_reply(reply, conv.lang)
        if prompt is None or (p is not None and p <= 1.0 - self.confidence):
            return None  # not a prompt, or the router is sure the user wants words (e.g. "write me a prompt")
        return CriticVerdict(
            ok=False,
            rule="coherence",
            reason="The text reply is a drawing prompt, so the turn should have drawn it.",
            corrected_modality="image",
            corrected_prompt=prompt if is_descriptive(prompt) else None,
        )
