"""Both front ends show the text the T2I model drew from when it is not the prompt the user
sees (issue 13), and say how it was made: the CLI in a real process, the web app's chat
markdown as a function."""

from __future__ import annotations

import re

from test_cli import dialoggen, turns

from dialoggen.agent.app.session import drawn_from

CJK = re.compile(r"[\u3400-\u9fff]")


def test_cli_shows_both_texts_and_how_the_drawing_text_was_made(tmp_path):
    args = ["chat", "--chat", "none", "--prompt-lang", "en"]
    res = dialoggen([*args, "--thread", "plain"], tmp_path, "画一只在草地上奔跑的小狗\n")
    assert res.returncode == 0, res.stderr
    prompt_line = next(x for x in res.stdout.splitlines() if "drawing prompt:" in x)
    drawn_line = next(x for x in res.stdout.splitlines() if "drawn from" in x)
    assert "小狗" in prompt_line
    assert "drawn from (en, offline translation):" in drawn_line and "dog" in drawn_line and not CJK.search(drawn_line)
    assert "Prefix dict" not in res.stderr + res.stdout  # jieba's loading chatter stays out of the terminal
    out = turns(dialoggen([*args, "--json", "--thread", "json"], tmp_path, "画一只在草地上奔跑的小狗\n").stdout)[0]
    assert out["drawing_lang"] == "en" and out["drawing_source"] == "offline" and "dog" in out["drawing"]
    res = dialoggen(["chat", "--chat", "none", "--thread", "same"], tmp_path, "draw a dog running on grass\n")
    assert res.returncode == 0 and "drawn from" not in res.stdout  # same language: one text only


def test_web_markdown_shows_the_drawing_text_only_when_it_differs():
    from dialoggen.agent.app.web import assistant_markdown

    record = {"modality": "image", "prompt_text": "一只小狗。", "draw_text": "A small dog.", "draw_lang": "en",
              "draw_source": "llm", "seed": 1, "prompt_diff": []}
    md = assistant_markdown(record)
    assert "一只小狗。" in md and "Drawn from (en, written by the model):" in md and "A small dog." in md
    same = {**record, "draw_text": "一只小狗。", "draw_lang": "zh", "draw_source": "prompt"}
    assert "Drawn from" not in assistant_markdown(same)
    assert drawn_from({**record, "draw_source": None}) == "drawn from (en):"
