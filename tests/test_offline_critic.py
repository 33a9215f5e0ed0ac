"""The offline rule critic, with a fake router and rewriter injected."""

from __future__ import annotations

import pytest

from dialoggen.agent.offline.critic import RuleCritic, is_descriptive, parse_prompt_reply
from dialoggen.agent.prompt import DrawingPrompt
from dialoggen.agent.schemas import Conversation
from dialoggen.agent.roles import Critic
from dialoggen.agent.schemas import TurnDecision


class FakeRouter:
    def __init__(self, p: float) -> None:
        self.p = p
        self.calls = 0

    def predict_proba(self, conv):
        self.calls += 1
        return self.p


class FakeRewriter:
    name = "fake"

    def __init__(self, prompt: DrawingPrompt) -> None:
        self.prompt = prompt

    def rewrite(self, conv):
        return self.prompt


TRAIN = DrawingPrompt(subject="A black steam train gallops along the tracks", background="a forest in fog", style="realistic")


def _conv(user: str, lang: str = "en", turns=None) -> Conversation:
    return Conversation(user=user, lang=lang, turns=turns or [])


def test_it_is_a_critic_named_offline():
    critic = RuleCritic(FakeRouter(0.5), FakeRewriter(TRAIN))
    assert isinstance(critic, Critic) and critic.name == "offline"
    verdict = critic.check(_conv("draw a train"), TurnDecision(modality="image", prompt=TRAIN))
    assert verdict.ok and verdict.rule is None and verdict.critic == "offline"


@pytest.mark.parametrize(
    "p, modality, corrected",
    [(0.97, "text", "image"), (0.03, "image", "text"), (0.7, "text", None), (0.2, "image", None)],
)
def test_intent_rule_follows_a_confident_router(p, modality, corrected):
    critic = RuleCritic(FakeRouter(p), FakeRewriter(TRAIN))
    decision = TurnDecision(modality=modality, reply="Trains are fast." if modality == "text" else None, prompt=TRAIN if modality == "image" else None)
    verdict = critic.check(_conv("a train please"), decision)
    if corrected is None:
        assert verdict.ok
    else:
        assert not verdict.ok and verdict.rule == "intent" and verdict.corrected_modality == corrected
        assert verdict.critic == "offline" and verdict.reason


@pytest.mark.parametrize("subject", ["", "x", "Draw me a picture", "can you paint it again please", "画一张图片", "给我画"])
def test_prompt_without_subject_is_rewritten(subject):
    critic = RuleCritic(FakeRouter(0.95), FakeRewriter(TRAIN))
    lang = "zh" if subject.startswith(("画", "给")) else "en"
    bad = DrawingPrompt(subject=subject, style="realistic", lang=lang)
    verdict = critic.check(_conv(subject or "draw", lang), TurnDecision(modality="image", prompt=bad))
    assert not verdict.ok and verdict.rule == "descriptive_prompt"
    assert verdict.corrected_prompt == TRAIN and verdict.corrected_modality is None


def test_missing_prompt_falls_back_to_the_previous_prompt():
    vague = DrawingPrompt(subject="a picture")
    turns = [{"user": "draw a train", "modality": "image", "prompt": TRAIN.model_dump()}]
    critic = RuleCritic(FakeRouter(0.95), FakeRewriter(vague))  # the rewriter cannot do better
    verdict = critic.check(_conv("again", turns=turns), TurnDecision(modality="image", prompt=None))
    assert verdict.rule == "descriptive_prompt" and verdict.corrected_prompt == TRAIN


@pytest.mark.parametrize("subject, lang", [("A cat", "en"), ("an old lighthouse at dawn", "en"), ("一只橘猫在睡觉", "zh"), ("画一只猫", "zh")])
def test_descriptive_subjects_pass(subject, lang):
    assert is_descriptive(DrawingPrompt(subject=subject, lang=lang))


def test_a_reply_that_is_a_drawing_prompt_is_turned_into_a_picture():
    critic = RuleCritic(FakeRouter(0.6), FakeRewriter(TRAIN))
    reply = "Sure! A red fox sleeps in the snow. The background is a pine forest. The shot is a close-up. The style is watercolor."
    verdict = critic.check(_conv("a fox in winter"), TurnDecision(modality="text", reply=reply))
    assert not verdict.ok and verdict.rule == "coherence" and verdict.corrected_modality == "image"
    assert verdict.corrected_prompt == DrawingPrompt(subject="A red fox sleeps in the snow", background="a pine forest", shot="a close-up", style="watercolor")


def test_a_chinese_prompt_reply_is_parsed():
    prompt = DrawingPrompt(subject="一只白猫坐在窗台上", background="雨夜的城市", style="水彩", lang="zh")
    parsed = parse_prompt_reply(prompt.render(), "zh")
    assert parsed == prompt
    verdict = RuleCritic(FakeRouter(0.5), FakeRewriter(TRAIN)).check(_conv("白猫", "zh"), TurnDecision(modality="text", reply=prompt.render()))
    assert verdict.rule == "coherence" and verdict.corrected_modality == "image"


def test_a_requested_prompt_text_stays_text_when_the_router_is_sure():
    reply = TRAIN.render()
    verdict = RuleCritic(FakeRouter(0.02), FakeRewriter(TRAIN)).check(_conv("Write me a prompt I can paste into Midjourney"), TurnDecision(modality="text", reply=reply))
    assert verdict.ok


@pytest.mark.parametrize(
    "reply",
    ["Trains run on steam or diesel. The style is up to you, really, but let me explain more. It was 1804. Then more came.", "Paris is the capital of France."],
)
def test_ordinary_replies_are_coherent(reply):
    assert parse_prompt_reply(reply) is None
    assert RuleCritic(FakeRouter(0.5), FakeRewriter(TRAIN)).check(_conv("tell me"), TurnDecision(modality="text", reply=reply)).ok


def test_empty_reply_is_flagged_for_a_new_reply():
    verdict = RuleCritic(FakeRouter(0.5), FakeRewriter(TRAIN)).check(_conv("hi"), TurnDecision(modality="text", reply="  "))
    assert verdict.rule == "coherence" and verdict.corrected_modality is None and verdict.corrected_reply is None


def test_without_router_or_rewriter_the_other_rules_still_run(monkeypatch):
    import dialoggen.agent.offline.router as router_mod

    def broken():
        raise ImportError("router not written yet")

    monkeypatch.setattr(router_mod, "default_router", broken)
    critic = RuleCritic()
    critic._rewriter = False
    assert critic.router is False
    verdict = critic.check(_conv("draw"), TurnDecision(modality="image", prompt=DrawingPrompt(subject="draw it")))
    assert verdict.rule == "descriptive_prompt" and verdict.corrected_prompt is None
    assert critic.check(_conv("hello"), TurnDecision(modality="text", reply="Hello there!")).ok
