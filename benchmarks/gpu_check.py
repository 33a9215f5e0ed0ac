"""GPU check of the product path with tiny random models (no downloads).

Runs a real conversation through the graph on CUDA: text-to-image for a new picture,
image-to-image for an edit (fp16 pipeline, fixed seed), a text turn, then scores the
pictures with a tiny BLIP-VQA on the GPU. Prints one JSON object with what it saw.

    python benchmarks/gpu_check.py            # from the repository root, tests/ importable
"""

from __future__ import annotations

import dataclasses
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def main() -> None:
    import torch

    from dialoggen.agent import roles
    from dialoggen.agent.context import Context
    from dialoggen.agent.app.session import Session
    from dialoggen.tools.t2i import load_t2i
    from dialoggen.tools.vqa import VQAScorer
    from fakes import FakeChat, FakeIntent, FakeRewriter
    from test_coherence import tiny_blip_dir
    from tiny_models import tiny_sd_pipeline_dir

    report: dict = {"cuda": torch.cuda.is_available(), "device_name": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None}
    tmp = Path(tempfile.mkdtemp())
    sd = tiny_sd_pipeline_dir(tmp / "sd")
    for role, impl in {"intent": FakeIntent(), "rewrite": FakeRewriter(), "chat": FakeChat()}.items():
        roles.register(role, "fake", impl)
    ctx = Context(intent="fake", rewrite="fake", chat="fake", t2i=f"diffusers:{sd}", data_dir=str(tmp / "data"), steps=10, image_size=64)

    t = time.perf_counter()
    tool = load_t2i(ctx.t2i)
    report["load_s"] = round(time.perf_counter() - t, 3)
    report["pipeline_device"] = str(tool.device)
    report["pipeline_dtype"] = str(tool.pipe.unet.dtype)
    report["img2img"] = tool.supports_img2img

    session = Session(ctx, "gpu")
    turns = []
    for text in ("draw a red fox in the snow", "change the background a dark forest", "what do foxes eat?"):
        t = time.perf_counter()
        steps = []
        record = session.send(text, on_event=lambda e: steps.append(e["t2i"]["step"]))
        turns.append({"turn": record["turn"], "modality": record["modality"], "seconds": round(time.perf_counter() - t, 3),
                      "steps_streamed": len(steps), "image": bool(record.get("image")), "changed": [c["part"] for c in record["prompt_diff"]]})
    report["turns"] = turns
    # Same seed, same prompt: the same pixels (determinism on the GPU).
    a = tool.generate("a red fox", seed=7, steps=4, size=64)
    b = tool.generate("a red fox", seed=7, steps=4, size=64)
    report["deterministic"] = a.tobytes() == b.tobytes()

    scorer = VQAScorer(str(tiny_blip_dir(tmp / "blip")))
    report["vqa_device"] = str(scorer.device)
    image = session.turns()[0]["image"]["path"]
    from PIL import Image

    t = time.perf_counter()
    scores = scorer.score_many(Image.open(image), [("Is there a fox?", "yes"), ("Is it snowing?", "no")] * 8)
    report["vqa_16_questions_s"] = round(time.perf_counter() - t, 4)
    report["vqa_scores_in_range"] = all(0.0 <= s <= 1.0 for s in scores)
    print(json.dumps(report, indent=1))
    ok = report["cuda"] and report["pipeline_device"].startswith("cuda") and "float16" in report["pipeline_dtype"] and report["deterministic"]
    ok = ok and turns[0]["image"] and turns[1]["image"] and turns[2]["modality"] == "text" and turns[1]["changed"] == ["background"]
    print("GPU CHECK", "PASSED" if ok else "FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
