"""Build the zh/en parallel set the offline translator is measured on (``evals/data/translate/parallel.jsonl``).

Real text written by people, not by us: image captions in English with a human Chinese
translation. Two public sources, read from bare git snapshots (the search tool's ``fetch``
puts them under ``/work/.mirror/OWNER+NAME/repo``; pass ``--mirror`` to point elsewhere):

| source | repo @ commit | files | licence |
|---|---|---|---|
| XTD10 (Aggarwal & Kale 2020): 1,000 MSCOCO-2014 captions, Chinese by crowd translators | adobe-research/Cross-lingual-Test-Dataset-XTD10 @ d77ff16148468c84287f3efcbf602a015c5e4954 | XTD10/test_1kcaptions_{en,zh}.txt | Adobe Research License: NON-COMMERCIAL research only |
| Flickr8K-CN (Li et al., ICMR 2016): human translation of the 5,000 Flickr8k test captions | li-xirong/flickr8kcn @ a19b9aa4a7ad2a42741460d9f47385637ae270cd | data/flickr8kenc.caption.txt, data/flickr8kzhmtest.captions.txt | no licence file in the repository (Flickr8k captions: research use) |

Plainly: neither source grants commercial use, so the built file is for measurement only, is
NOT committed (``evals/data/translate/.gitignore``) and nothing of it is shipped or trained on;
the curated lexicon is tuned on the dev split only. The English is the original caption and the
Chinese a translation of it, so translating the Chinese back to English is a back-translation task.

Split: ``sealed`` when sha256("translate-split-v1:" + source + ":" + image id) % 3 == 0, else ``dev`` (all
captions of one image land in the same split). Never look at sealed items.

Run: ``python evals/corpora/parallel_prompts.py`` (writes the jsonl and ``parallel.manifest.json``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parents[1] / "data" / "translate"
SOURCES = {
    "xtd10": {
        "repo": "adobe-research/Cross-lingual-Test-Dataset-XTD10",
        "commit": "d77ff16148468c84287f3efcbf602a015c5e4954",
        "licence": "Adobe Research License (non-commercial research only)",
    },
    "flickr8k-cn": {
        "repo": "li-xirong/flickr8kcn",
        "commit": "a19b9aa4a7ad2a42741460d9f47385637ae270cd",
        "licence": "none stated in the repository (Flickr8k captions: research use)",
    },
}


def _show(mirror: Path, repo: str, commit: str, path: str) -> str:
    git_dir = mirror / repo.replace("/", "+") / "repo"
    out = subprocess.run(["git", f"--git-dir={git_dir}", "show", f"{commit}:{path}"], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def split_of(image_id: str) -> str:
    return "sealed" if int(hashlib.sha256(f"translate-split-v1:{image_id}".encode()).hexdigest(), 16) % 3 == 0 else "dev"


def build(mirror: Path) -> list[dict]:
    rows: list[dict] = []
    s = SOURCES["xtd10"]
    en = _show(mirror, s["repo"], s["commit"], "XTD10/test_1kcaptions_en.txt").splitlines()
    zh = _show(mirror, s["repo"], s["commit"], "XTD10/test_1kcaptions_zh.txt").splitlines()
    names = _show(mirror, s["repo"], s["commit"], "XTD10/test_image_names.txt").splitlines()
    if not (len(en) == len(zh) == len(names)):
        raise SystemExit(f"XTD10 files differ in length: {len(en)} {len(zh)} {len(names)}")
    for i, (e, z, n) in enumerate(zip(en, zh, names)):
        if e.strip() and z.strip():
            rows.append({"id": f"xtd10-{i}", "source": "xtd10", "image": n.strip(), "zh": z.strip(), "en": e.strip()})
    s = SOURCES["flickr8k-cn"]
    en_map = {}
    for line in _show(mirror, s["repo"], s["commit"], "data/flickr8kenc.caption.txt").splitlines():
        key, _, text = line.partition(" ")
        en_map[key.replace("#enc#", "#")] = text.strip()
    for line in _show(mirror, s["repo"], s["commit"], "data/flickr8kzhmtest.captions.txt").splitlines():
        key, _, text = line.partition(" ")
        k = key.replace("#zhm#", "#")
        if k in en_map and text.strip():
            rows.append({"id": f"flickr8k-{k}", "source": "flickr8k-cn", "image": k.split("#")[0], "zh": text.strip(), "en": en_map[k]})
    for r in rows:
        r["split"] = split_of(r["source"] + ":" + r["image"])
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mirror", type=Path, default=Path("/work/.mirror"))
    ap.add_argument("--out", type=Path, default=HERE / "parallel.jsonl")
    args = ap.parse_args(argv)
    rows = build(args.mirror)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    counts: dict[str, int] = {}
    for r in rows:
        counts[f"{r['source']}/{r['split']}"] = counts.get(f"{r['source']}/{r['split']}", 0) + 1
    manifest = {"sources": SOURCES, "split": "sha256('translate-split-v1:'+source+':'+image) % 3 == 0 -> sealed", "counts": counts,
                "sha256": hashlib.sha256(args.out.read_bytes()).hexdigest(), "committed": False}
    (args.out.parent / "parallel.manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(json.dumps(counts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
