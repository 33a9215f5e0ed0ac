"""Score the offline en->zh prompt translator against human Chinese.

Data: ``evals/data/translate/parallel_unigen.jsonl`` (splits ``udev``/``usealed``; sources
``unigen-short`` and ``unigen-long``: UniGenBench's text-to-image prompts, each written in Chinese
and English as a pair) and ``parallel.jsonl`` (splits ``dev``/``sealed``: English image captions
with a human Chinese translation). Built by ``evals/corpora/parallel_prompts.py``. Each English
text becomes the ``subject`` of an en :class:`DrawingPrompt`; every 10th also gets a ``shot`` and a
``style`` part (drawn, seeded, from the English of the lexicon's shot and style words) so the
frames are exercised too; ``translate_prompt(prompt, "zh")`` renders the Chinese.

Metric (bag of content words, per item, then summed over items = micro average):
- words: both Chinese texts (ours: the translated subject; the human Chinese of the item) are
  segmented with the translator's own jieba tokenizer (``translate.load().tok``, so both sides
  are cut by one dictionary); tokens without a Han character, Latin letter or digit are dropped,
  Latin tokens are lowercased; stop and function words are dropped (``STOP``: particles 的 了 着
  地 得, copula 是, 一 and the pure measure words 个 只 条... alone or after 一/这/那/每
  (jieba keeps 一只, 一座 as one token), pronouns, conjunctions,
  prepositions such as 在 和 与 被 把); numerals other than 一 are kept (两, 三, 2);
  each side taken as a set;
- recall = sum |ref ∩ ours| / sum |ref|, precision = sum |ref ∩ ours| / sum |ours|;
- bigram F1: a second figure that needs no segmentation: the multiset of Han character bigrams
  (within runs of Han characters, punctuation breaks a run) of ours and of the human Chinese;
  micro precision and recall over items, F1 of the two;
- clean = share of items whose whole rendered Chinese prompt holds no Latin letter (English left
  untranslated shows as Latin letters; it is kept in the text and named in the notice);
- with_notice = share of items whose result has a notice; ms = wall time of ``translate_prompt``
  per item (median and p95), after the one-time load.

Exact-word matching undercounts: a synonym (小狗/狗, 照片/图片) counts as a miss, and jieba cuts a
compound we produce differently from the same words in the human text now and then.

Run: ``python -m dialoggen.evals.translate_eval_zh --split udev --source unigen-short``
(``--split dev`` scores the captions; ``--show N`` prints N worst items, ``--misses N`` the most
often missed reference words; never pass ``--split usealed`` or ``sealed`` while tuning).
"""

from __future__ import annotations

import collections
import json
import random
import re
import sys
import time

from .translate_eval import print_worst, run_cli, timing

STOP = set(
    "的 地 得 了 着 过 呢 吗 吧 啊 呀 之 所 是 为 有 在 正在 正 于 和 与 及 以及 并 而 且 或 或者 也 都 就 又 还 很 非常 十分 "
    "被 把 将 对 从 向 往 以 让 使 给 由 其 此 这 那 这个 那个 这些 那些 这里 那里 它 它们 他 他们 她 她们 我 我们 你 你们 "
    "自己 一 一个 一只 一些 些 个 只 条 张 头 匹 位 件 辆 棵 朵 支 座 本 块 片 架 艘 栋 间 名 根 顶 扇 幅 台 部 颗 枚 道 盏 尊 "
    "副 套 份 场 项 面 次 阵 口 滴 粒 节 首 株 篇 封 种 着的 中的 上的 里的 等 如 像 似乎 好像 一样 般 一般 来 去 到 会 能 可以 "
    "要 已 已经 正 刚 刚刚 同时 然后 其中 之中 当 时 时候 一边".split()
)
_TOKEN_OK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fffA-Za-z0-9]")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN = re.compile(r"[A-Za-z]")
_ONE_MW = re.compile(r"^[一这那每][个只条张头匹位件辆棵朵支座本块片架艘栋间名根顶扇幅台部颗枚道盏尊副套份层排群对双堆串束杯碗盘瓶盒袋]$")


def content_words(text: str) -> set[str]:
    """The content words of a Chinese text, cut by the translator's jieba tokenizer."""
    from ..agent.offline import translate as tr

    tok = tr.load().tok
    out = set()
    for w in tok.cut(text):
        w = w.strip().lower()
        if w and _TOKEN_OK.search(w) and w not in STOP and not _ONE_MW.match(w):
            out.add(w)
    return out


def bigrams(text: str) -> collections.Counter[str]:
    """Han character bigrams within each run of Han characters."""
    out: collections.Counter[str] = collections.Counter()
    for run in _HAN_RUN.findall(text):
        out.update(run[k:k + 2] for k in range(len(run) - 1))
    return out


def evaluate(rows: list[dict], show: int = 0, misses: int = 0) -> dict:
    from ..agent.offline import translate as tr
    from ..agent.prompt import DrawingPrompt

    t0 = time.perf_counter()
    tr.load()
    load_s = time.perf_counter() - t0
    rng = random.Random(13)
    lexicon = json.loads((tr.DATA / "domain_lexicon.json").read_text(encoding="utf-8"))
    shots, styles = sorted(set(lexicon["shots"].values())), sorted(set(lexicon["styles"].values()))
    hit = ref_n = hyp_n = clean = notices = 0
    b_hit = b_ref = b_hyp = 0
    times: list[float] = []
    per_item = []
    missed: collections.Counter[str] = collections.Counter()
    for k, row in enumerate(rows):
        extra = {"shot": rng.choice(shots), "style": rng.choice(styles)} if k % 10 == 0 else {}
        prompt = DrawingPrompt(subject=row["en"], lang="en", **extra)
        t = time.perf_counter()
        result = tr.translate_prompt(prompt, "zh")
        times.append((time.perf_counter() - t) * 1000)
        rendered = result.prompt.render()
        clean += not _LATIN.search(rendered)
        notices += bool(result.notice)
        ours = result.prompt.subject
        hyp, ref = content_words(ours), content_words(row["zh"])
        both = ref & hyp
        hit, ref_n, hyp_n = hit + len(both), ref_n + len(ref), hyp_n + len(hyp)
        missed.update(ref - hyp)
        bh, br = bigrams(ours), bigrams(row["zh"])
        b_hit, b_ref, b_hyp = b_hit + sum((bh & br).values()), b_ref + sum(br.values()), b_hyp + sum(bh.values())
        per_item.append((len(both) / max(1, len(ref)), row, ours, result.notice))
    n = len(rows)
    b_r, b_p = b_hit / max(1, b_ref), b_hit / max(1, b_hyp)
    report = {
        "items": n,
        "recall": round(hit / max(1, ref_n), 4),
        "precision": round(hit / max(1, hyp_n), 4),
        "bigram_f1": round(2 * b_r * b_p / max(1e-9, b_r + b_p), 4),
        "clean": round(clean / max(1, n), 4),
        "with_notice": round(notices / max(1, n), 4),
        **timing(times, load_s),
    }
    print_worst([(r, row["en"], zh, row["zh"], notice) for r, row, zh, notice in per_item], show, missed, misses)
    return report


def main(argv: list[str] | None = None) -> int:
    return run_cli(argv, __doc__, evaluate, ["dev", "sealed", "udev", "usealed"], "udev",
                   "dev/sealed: captions (parallel.jsonl); udev/usealed: UniGenBench's bilingual drawing prompts "
                   "(parallel_unigen.jsonl)")


if __name__ == "__main__":
    sys.exit(main())
