"""The labelled prompt-edit set and its measurement (the offline rewriter's yardstick).

Each case is a previous drawing prompt (in parts), a user request, the edit type, the part(s)
the request must change and keywords the changed part must contain (or, for removals, must
no longer contain). Cases come from hand-written *phrasing families* (one way of asking for
one edit type) crossed with varied base prompts and slot values, deterministically.

Splits, in the order they were written and measured:

- ``dev`` (even family index of the first batch): the rules were developed on these.
- ``heldout`` (odd index of the first batch): measured, then fixed where they failed.
- ``blind`` (families 50+, three new base prompts) and ``blind2`` (families 80+, two more
  base prompts): each written after the previous round of fixes and measured once *before*
  any rule changed for it; the first-measurement figures are the honest estimate of how the
  rules generalise to phrasings nobody tuned for (see the report / git history). After that
  measurement their failures were fixed too, so today every split is "seen".
- ``blind3`` (families 120+, :mod:`dialoggen.evals.edits_blind3`): six new base prompts per
  language, new slot values and everyday phrasings (fragments, complaints, typos, 口语),
  written before the rules were read. First measurement, before any rule changed: applied
  76.3% en / 66.3% zh, preserved 79.0% / 72.1% (the *applied* check of the time); with
  today's stricter *applied* 63.0% / 59.6%. Its failures were then fixed with general rules.
- ``blind4`` (families 160+, :mod:`dialoggen.evals.edits_blind4`): written after the blind3
  fixes to see whether they generalise. First measurement: applied 47.5% en / 61.1% zh,
  preserved 57.8% / 66.7% (strict *applied*); then fixed too. Each new round of phrasings has
  so far failed on a third to a half of its cases: expect that of unseen phrasings.
- ``blind5`` (families 200+, :mod:`dialoggen.evals.edits_blind5`, 189 cases per language, three
  per family): written before the rules were read, to measure generalisation. Three figures,
  applied / preserved: (1) the rules alone, first measurement: 74.1% / 76.6% en, 56.6% / 66.3% zh;
  (2) with the learned edit classifier (:mod:`dialoggen.agent.rewriter.classifier`, trained on the
  tuned splits, never on blind5) and its value extraction, before any change for blind5:
  82.5% / 88.0% en, 79.9% / 87.0% zh; (3) after general rule fixes for blind5's failures:
  100% / 100% in both (rules alone, learned component off: 93.1% / 92.9% en, 81.5% / 84.8% zh).
- ``blind6`` (families 260+, :mod:`dialoggen.evals.edits_blind6`, 117 cases per language):
  written after the blind5 fixes by an author who had read the rules, measured once and left
  unfixed (measurement only, not in ``TUNED_SPLITS``): applied / preserved 82.1% / 93.0% en,
  88.0% / 96.5% zh; with the learned component off 63.2% / 73.7% en, 55.6% / 65.8% zh.
  Its failures were then fixed with general rules (comparisons, "X over Y", removal then
  replacement, "X but felt", "X: gone", places named after a time, negated looks, an addition
  followed by quality tags) and it joined the classifier's training data: 100% / 100% in both.
- ``blind7`` (families 320+, :mod:`dialoggen.evals.edits_blind7`, 126 cases per language):
  written before the blind6 fixes and before the rules were read in detail; measurement only
  (never tuned, never trains the classifier). First measurement, applied / preserved:
  95.2% / 97.6% en, 92.1% / 95.9% zh; after the blind6 fixes and the classifier retrained on
  blind5 + blind6 (blind7's failures still unread): 95.2% / 97.6% en, 91.3% / 94.3% zh.

Metrics, per language x edit type x split:

- *preserved*: every part the case does not expect to change is byte-identical (target 100%).
- *applied*: every expected part changed, contains its keywords / lost its absent words, and
  gained no leaked request wording ("Can u add ...", "... pls"); an addition adds exactly one
  extras sentence, so a request merely kept as an extras fallback does not count
  (target >= 90%).

Build the files with ``python -m dialoggen.evals.edits build``; print the table with
``python -m dialoggen.evals.edits [--failures N --split blind]`` or ``dialoggen bench rewriter``.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Optional

import typer

from . import edits_blind3 as blind3
from . import edits_blind4 as blind4
from . import edits_blind5 as blind5
from . import edits_blind6 as blind6
from . import edits_blind7 as blind7
from ..agent.prompt import PARTS
from ..agent.rewriter.kinds import EDIT_KINDS
from .cli import bench_app

DATA_DIR = Path(__file__).parent / "data"
EDIT_TYPES = tuple(kind for kind in EDIT_KINDS if kind != "extras")  # the paper's seven edit types
PART_NAMES = PARTS


# --------------------------------------------------------------------------- base prompts
# Each base: the prompt's parts and what an edit may target in it.
#   entities: (noun as the user names it, part holding it, replacements)
#   colour:   (noun, part) that may be recoloured;   removable: (noun, part)
#   main:     the main subject noun ("it")

_BASES_EN: list[dict[str, Any]] = [
    dict(subject="A black steam train gallops along the tracks", background="a forest in fog", shot="a close-up", style="realistic", extras=[],
         main="train", entities=[("train", "subject", ["bus", "tram", "horse carriage"])], colour=[("train", "subject")], removable=[]),
    dict(subject="A ginger cat wearing a red hat sleeps on a windowsill", background="a cosy living room", shot="a medium shot", style="watercolor",
         extras=["A potted plant stands beside the cat"], main="cat",
         entities=[("cat", "subject", ["dog", "fox", "rabbit"]), ("hat", "subject", ["crown", "scarf"]), ("plant", "extras", ["lamp"])],
         colour=[("hat", "subject"), ("cat", "subject")], removable=[("hat", "subject"), ("plant", "extras")]),
    dict(subject="A young woman holding a blue umbrella walks down a street", background="a rainy city at night", shot="a wide shot",
         style="cinematic photography", extras=["Neon signs glow in the distance"], main="woman",
         entities=[("umbrella", "subject", ["lantern", "bouquet of roses"]), ("woman", "subject", ["old man", "robot"])],
         colour=[("umbrella", "subject")], removable=[("umbrella", "subject"), ("signs", "extras")]),
    dict(subject="An old fisherman with a grey beard mends a net", background="a small harbour with wooden boats", shot="a medium shot",
         style="oil painting", extras=["Seagulls circle overhead"], main="fisherman",
         entities=[("fisherman", "subject", ["sailor", "young girl"]), ("net", "subject", ["sail"])],
         colour=[("beard", "subject")], removable=[("beard", "subject"), ("boats", "background"), ("seagulls", "extras")]),
    dict(subject="A red vintage car parked beside a lighthouse", background="a rocky coast at sunset", shot="a low-angle shot", style="realistic",
         extras=[], main="car", entities=[("car", "subject", ["motorcycle", "camper van"]), ("lighthouse", "subject", ["windmill"])],
         colour=[("car", "subject")], removable=[("lighthouse", "subject")]),
    dict(subject="A small robot waters a sunflower", background="a rooftop garden", shot="a close-up", style="3D render",
         extras=["A watering can lies on the ground"], main="robot",
         entities=[("robot", "subject", ["girl", "squirrel"]), ("sunflower", "subject", ["cactus", "rose bush"])],
         colour=[("robot", "subject"), ("sunflower", "subject")], removable=[("can", "extras")]),
    dict(subject="Two children fly a kite", background="a green meadow under a blue sky", shot="a wide shot", style="children's book illustration",
         extras=["A dog runs beside them"], main="children", entities=[("kite", "subject", ["paper plane", "balloon"]), ("dog", "extras", ["goat"])],
         colour=[("kite", "subject"), ("dog", "extras")], removable=[("dog", "extras")]),
    dict(subject="A wooden cabin with a smoking chimney", background="snowy mountains", shot="an aerial view", style="", extras=[],
         main="cabin", entities=[("cabin", "subject", ["castle", "lighthouse"])], colour=[("cabin", "subject")], removable=[("chimney", "subject")]),
    dict(subject="A golden retriever catches a frisbee", background="", shot="", style="photorealistic", extras=["Trees line the path"],
         main="retriever", entities=[("frisbee", "subject", ["tennis ball", "stick"]), ("retriever", "subject", ["husky", "poodle"])],
         colour=[("frisbee", "subject")], removable=[("frisbee", "subject"), ("trees", "extras")]),
    dict(subject="A knight in silver armour rides a white horse", background="a medieval castle", shot="a full-body shot", style="fantasy art",
         extras=["Banners wave in the wind"], main="knight", entities=[("horse", "subject", ["dragon", "unicorn"]), ("knight", "subject", ["princess"])],
         colour=[("horse", "subject"), ("armour", "subject")], removable=[("banners", "extras")]),
    dict(subject="A bowl of ramen with a boiled egg", background="a wooden table", shot="a top-down view", style="food photography",
         extras=["Steam rises from the bowl"], main="bowl", entities=[("ramen", "subject", ["curry", "salad"]), ("egg", "subject", ["shrimp"])],
         colour=[("bowl", "subject")], removable=[("egg", "subject"), ("steam", "extras")]),
    dict(subject="A panda eats bamboo shoots", background="a misty valley", shot="a medium shot", style="Chinese ink painting", extras=[],
         main="panda", entities=[("panda", "subject", ["koala", "brown bear"])], colour=[("panda", "subject")], removable=[]),
]

_BASES_ZH: list[dict[str, Any]] = [
    dict(subject="一列黑色的蒸汽火车沿着铁轨飞驰", background="雾中的森林", shot="特写", style="写实", extras=[], main="火车",
         entities=[("火车", "subject", ["公交车", "马车"])], colour=[("火车", "subject")], removable=[]),
    dict(subject="一只橘猫戴着红色的帽子在窗台上睡觉", background="温馨的客厅", shot="中景", style="水彩", extras=["猫旁边放着一盆绿植"], main="猫",
         entities=[("猫", "subject", ["狗", "狐狸", "兔子"]), ("帽子", "subject", ["皇冠", "围巾"]), ("绿植", "extras", ["台灯"])],
         colour=[("帽子", "subject")], removable=[("帽子", "subject"), ("绿植", "extras")]),
    dict(subject="一位年轻女子撑着蓝色的雨伞走在街上", background="夜晚下雨的城市", shot="远景", style="电影感摄影", extras=["远处的霓虹灯在闪烁"], main="女子",
         entities=[("雨伞", "subject", ["灯笼", "一束玫瑰"]), ("女子", "subject", ["老人", "机器人"])],
         colour=[("雨伞", "subject")], removable=[("雨伞", "subject"), ("霓虹灯", "extras")]),
    dict(subject="一位留着白胡子的老渔夫在修补渔网", background="停着木船的小港口", shot="中景", style="油画", extras=["海鸥在头顶盘旋"], main="渔夫",
         entities=[("渔夫", "subject", ["水手", "小女孩"])], colour=[("胡子", "subject")], removable=[("胡子", "subject"), ("木船", "background"), ("海鸥", "extras")]),
    dict(subject="一辆红色的老式汽车停在灯塔旁边", background="日落时的岩石海岸", shot="低角度镜头", style="写实", extras=[], main="汽车",
         entities=[("汽车", "subject", ["摩托车", "房车"]), ("灯塔", "subject", ["风车"])], colour=[("汽车", "subject")], removable=[("灯塔", "subject")]),
    dict(subject="一个小机器人在给向日葵浇水", background="屋顶花园", shot="特写", style="3D渲染", extras=["地上放着一个洒水壶"], main="机器人",
         entities=[("机器人", "subject", ["小女孩", "松鼠"]), ("向日葵", "subject", ["仙人掌", "玫瑰"])],
         colour=[("机器人", "subject")], removable=[("洒水壶", "extras")]),
    dict(subject="两个孩子在草地上放风筝", background="蓝天下的绿色草原", shot="远景", style="儿童绘本插画", extras=["一只小狗在他们身边奔跑"], main="孩子",
         entities=[("风筝", "subject", ["纸飞机", "气球"]), ("小狗", "extras", ["小羊"])], colour=[("风筝", "subject")], removable=[("小狗", "extras")]),
    dict(subject="一座烟囱冒着烟的木屋", background="雪山", shot="航拍", style="", extras=[], main="木屋",
         entities=[("木屋", "subject", ["城堡", "灯塔"])], colour=[("木屋", "subject")], removable=[]),
    dict(subject="一只金毛犬正在接飞盘", background="", shot="", style="写实摄影", extras=["小路两旁种着树"], main="金毛犬",
         entities=[("飞盘", "subject", ["网球", "树枝"]), ("金毛犬", "subject", ["哈士奇", "贵宾犬"])], colour=[("飞盘", "subject")],
         removable=[("飞盘", "subject"), ("树", "extras")]),
    dict(subject="一位身穿银色盔甲的骑士骑着一匹白马", background="中世纪城堡", shot="全身镜头", style="奇幻艺术", extras=["旗帜在风中飘扬"], main="骑士",
         entities=[("白马", "subject", ["巨龙", "独角兽"]), ("骑士", "subject", ["公主"])], colour=[("盔甲", "subject")], removable=[("旗帜", "extras")]),
    dict(subject="一个白色的瓷碗里盛着加了溏心蛋的拉面", background="木桌", shot="俯视", style="美食摄影", extras=["碗里冒着热气"], main="瓷碗",
         entities=[("拉面", "subject", ["咖喱饭", "沙拉"]), ("溏心蛋", "subject", ["虾"])], colour=[("瓷碗", "subject")], removable=[("溏心蛋", "subject"), ("热气", "extras")]),
    dict(subject="一只大熊猫在吃竹笋", background="云雾缭绕的山谷", shot="中景", style="水墨画", extras=[], main="大熊猫",
         entities=[("大熊猫", "subject", ["考拉", "棕熊"])], colour=[("大熊猫", "subject")], removable=[]),
]

# --------------------------------------------------------------------------- slot values
_COLOURS_EN = ["red", "blue", "green", "purple", "yellow", "pink", "white", "orange", "silver", "black"]
_MATERIALS_EN = ["glass", "wood", "gold", "paper", "black raven feathers", "ice", "marble", "lego bricks"]
_OBJECTS_EN = [  # (phrase, keyword)
    ("a red balloon", "balloon"), ("a small bird", "bird"), ("some wild flowers", "flowers"), ("a rainbow", "rainbow"),
    ("people walking through the shallow water", "people"), ("a full moon", "moon"), ("a paper lantern", "lantern"),
    ("two butterflies", "butterflies"), ("a wooden bench", "bench"), ("a sleeping puppy", "puppy"), ("falling autumn leaves", "leaves"),
    ("a hot air balloon", "hot air balloon"), ("a little boat", "boat"), ("a street lamp", "lamp"),
]
_BACKGROUNDS_EN = [  # (phrase, preposition, keyword)
    ("a sandy beach", "on", "beach"), ("outer space", "in", "space"), ("a snowy forest", "in", "snowy forest"),
    ("a busy market street", "on", "market"), ("the surface of the moon", "on", "moon"), ("a desert at dusk", "in", "desert"),
    ("an underwater coral reef", "in", "coral reef"), ("a sunflower field", "in", "sunflower field"), ("a neon-lit city", "in", "neon"),
    ("a quiet library", "in", "library"), ("the top of a mountain", "on", "mountain"), ("a Japanese garden", "in", "japanese garden"),
]
_TIMES_EN = [  # (adjective form, prepositional form, keyword)
    ("night", "at night", "night"), ("sunny", "on a sunny day", "sunny"), ("rainy", "in the rain", "rain"),
    ("snowy", "in the snow", "snow"), ("foggy", "in thick fog", "fog"), ("sunset", "at sunset", "sunset"),
]
_STYLES_EN = [  # (adjective/name, noun phrase, keyword)
    ("watercolor", "a watercolor painting", "watercolor"), ("oil painting", "an oil painting", "oil"), ("pixel art", "pixel art", "pixel"),
    ("anime", "an anime illustration", "anime"), ("pencil sketch", "a pencil sketch", "sketch"), ("3D render", "a 3D render", "3d"),
    ("ukiyo-e", "a ukiyo-e print", "ukiyo-e"), ("cyberpunk", "a cyberpunk illustration", "cyberpunk"), ("comic book", "a comic book panel", "comic"),
    ("low poly", "a low poly model", "low poly"), ("claymation", "a claymation scene", "clay"), ("stained glass", "a stained glass window", "stained glass"),
]
_ARTISTS_EN = ["Van Gogh", "Claude Monet", "Hokusai", "Studio Ghibli", "Greg Rutkowski", "Edward Hopper", "Jin Kagetsu and wlop"]
_CAPTIONS_EN = [  # (caption of the attached picture, noun the user names, keyword)
    ("A golden retriever lying on a lawn.", "dog", "retriever"), ("A woman in a dance outfit practising in a bright room.", "woman", "woman"),
    ("A red fox standing in the snow.", "fox", "fox"), ("A lighthouse on a cliff above the sea.", "lighthouse", "lighthouse"),
    ("An old bicycle leaning against a brick wall.", "bicycle", "bicycle"), ("A bowl of fresh strawberries on a table.", "strawberries", "strawberries"),
    ("A tabby kitten playing with a ball of yarn.", "kitten", "kitten"), ("A hot air balloon drifting over green hills.", "balloon", "balloon"),
]

_COLOURS_ZH = ["红色", "蓝色", "绿色", "紫色", "黄色", "粉色", "白色", "橙色", "银色", "黑色"]
_MATERIALS_ZH = ["玻璃", "木头", "黄金", "纸", "冰", "大理石", "乐高积木", "黏土"]
_OBJECTS_ZH = [
    ("一个红气球", "气球"), ("一只小鸟", "小鸟"), ("一些野花", "野花"), ("一道彩虹", "彩虹"), ("几个在浅水里行走的人", "人"),
    ("一轮满月", "满月"), ("一盏纸灯笼", "灯笼"), ("两只蝴蝶", "蝴蝶"), ("一张木长椅", "长椅"), ("一只熟睡的小狗", "小狗"),
    ("飘落的秋叶", "秋叶"), ("一个热气球", "热气球"), ("一条小船", "小船"), ("一盏路灯", "路灯"),
]
_BACKGROUNDS_ZH = [("沙滩", "沙滩"), ("外太空", "太空"), ("雪中的森林", "雪"), ("热闹的集市", "集市"), ("月球表面", "月球"), ("黄昏的沙漠", "沙漠"),
                   ("海底珊瑚礁", "珊瑚礁"), ("向日葵花田", "向日葵"), ("霓虹闪烁的城市", "霓虹"), ("安静的图书馆", "图书馆"), ("山顶", "山顶"), ("日式庭院", "日式庭院")]
_TIMES_ZH = [("晚上", "夜"), ("晴天", "晴"), ("下雨天", "雨"), ("雪天", "雪"), ("大雾天", "雾"), ("黄昏", "黄昏")]  # (phrase, keyword)
_STYLES_ZH = [("水彩", "水彩"), ("油画", "油画"), ("像素", "像素"), ("动漫", "动漫"), ("素描", "素描"), ("3D渲染", "3D"), ("浮世绘", "浮世绘"),
              ("赛博朋克", "赛博朋克"), ("漫画", "漫画"), ("低多边形", "低多边形"), ("黏土动画", "黏土"), ("彩色玻璃", "彩色玻璃")]
_ARTISTS_ZH = ["梵高", "莫奈", "葛饰北斋", "宫崎骏", "齐白石", "毕加索"]
_CAPTIONS_ZH = [("一只趴在草坪上的金毛犬。", "狗", "金毛犬"), ("一位穿着舞蹈服在明亮房间里练习的女人。", "女人", "女人"), ("一只站在雪地里的红狐狸。", "狐狸", "狐狸"),
                ("悬崖上俯瞰大海的一座灯塔。", "灯塔", "灯塔"), ("一辆靠在砖墙上的旧自行车。", "自行车", "自行车"), ("桌上的一碗新鲜草莓。", "草莓", "草莓"),
                ("一只在玩毛线球的虎斑小猫。", "小猫", "小猫"), ("一个飘过绿色山丘的热气球。", "热气球", "热气球")]

# --------------------------------------------------------------------------- phrasing families
# Family templates use slots: {old} {new} {a_new} (with article) {colour} {material} {obj} {x}
# {bg} {prep} {time_adj} {time_at} {style} {style_noun} {artist} {noun}. A family's "kind"
# says which slots it fills. Keep each family a genuinely different way of asking.

_FAMILIES_EN: dict[str, list[tuple[str, str]]] = {
    "change_entity": [
        ("swap", "Replace the {old} with {a_new}."),
        ("swap", "Can you swap the {old} for {a_new}?"),
        ("swap", "I'd rather have {a_new} instead of the {old}."),
        ("swap", "Change the {old} into {a_new}, please."),
        ("swap", "What if the {old} were {a_new}?"),
        ("swap", "Make the {old} {a_new} instead."),
        ("swap", "Instead of the {old}, draw {a_new}."),
        ("swap", "Hmm, not the {old}. {A_new} would be better."),
        ("swap", "Turn the {old} into {a_new}."),
        ("swap", "Could the {old} be {a_new} instead?"),
        ("colour", "Make the {old} {colour}."),
        ("colour", "Could you change the colour of the {old} to {colour}?"),
        ("colour", "Paint the {old} {colour}, please."),
        ("colour", "I want the {old} to be {colour}."),
        ("colour", "The {old} should be {colour} instead."),
        ("colour_it", "Make it {colour}."),
        ("material", "Make the {old} out of {material}."),
        ("material", "What if the {old} was made of {material}?"),
        ("material_it", "Make it out of {material}."),
        ("material", "I'd like the {old} to be made from {material}."),
    ],
    "add_object": [
        ("add", "Add {obj}."),
        ("add", "Yes, include {obj}."),
        ("add", "Could you also put {obj} in the picture?"),
        ("add", "I'd like {obj} in there too."),
        ("add", "There should be {obj} somewhere."),
        ("add", "Can we have {obj} as well?"),
        ("add", "Please draw {obj} next to it."),
        ("add", "How about adding {obj}?"),
        ("add", "It needs {obj}."),
        ("add", "Throw in {obj}, please."),
        ("add", "Put {obj} in the corner."),
        ("add", "Also show {obj}."),
    ],
    "remove_object": [
        ("remove", "Remove the {x}."),
        ("remove", "Get rid of the {x}, please."),
        ("remove", "Can you take the {x} out?"),
        ("remove", "I don't want the {x} anymore."),
        ("remove", "No {x}, please."),
        ("remove", "Same picture but without the {x}."),
        ("remove", "Lose the {x}."),
        ("remove", "The {x} has to go."),
        ("remove", "Could you delete the {x} from the picture?"),
        ("remove", "Please erase the {x}."),
        ("remove", "Let's drop the {x}."),
        ("remove", "Take away the {x}, it's distracting."),
    ],
    "change_background": [
        ("bg", "Change the background to {bg}."),
        ("bg", "Can the background be {bg} instead?"),
        ("bg", "Move the scene to {bg}."),
        ("bg", "Set it {prep} {bg}."),
        ("bg", "I'd like it to be {prep} {bg}."),
        ("bg", "What about {prep} {bg}?"),
        ("bg", "Make the backdrop {bg}."),
        ("bg", "Swap the background for {bg}, please."),
        ("bg", "Let's place everything {prep} {bg}."),
        ("bg", "The setting should be {bg}."),
        ("time", "Make it {time_adj}."),
        ("time", "Could it be {time_at} instead?"),
        ("time", "Show the same scene {time_at}."),
        ("time", "I want it to be {time_adj}."),
    ],
    "change_style": [
        ("style", "Make it {style}."),
        ("style", "Can you redo it in {style} style?"),
        ("realistic", "I want it to be very realistic."),
        ("style", "Switch the style to {style}."),
        ("style", "Could you draw it as {style_noun}?"),
        ("artist", "In the style of {artist}, please."),
        ("style", "I'd like it in a {style} style."),
        ("style", "Turn it into {style_noun}."),
        ("style", "Let's try a {style} look."),
        ("style", "How would it look as {style_noun}?"),
        ("style", "Give it a {style} feel."),
        ("artist", "Yes, I'd like it inspired by {artist}."),
        ("style", "Render it like {style_noun}."),
        ("style", "Change the art style to {style}."),
    ],
    "change_shot": [
        ("fixed:close", "Zoom in on it."),
        ("fixed:wide", "Could you zoom out a bit?"),
        ("fixed:close", "Get closer, please."),
        ("fixed:above", "Show it from above."),
        ("fixed:low", "Let's see it from a low angle."),
        ("fixed:wide", "Pull the camera back so we see everything."),
        ("fixed:close", "Make it a close-up."),
        ("fixed:full", "Show the whole body."),
        ("fixed:side", "Take it from the side."),
        ("fixed:above", "A bird's-eye view would be nice."),
        ("fixed:wide", "I want a wide shot instead."),
        ("fixed:close", "Can you frame it tighter?"),
    ],
    "combine_images": [
        ("combine", "Combine this picture with the previous one."),
        ("combine_noun", "Put the {noun} from this photo into the picture."),
        ("combine", "Can you merge these two images?"),
        ("combine", "Blend this photo into the last picture."),
        ("combine_noun", "Add the {noun} in my photo to the scene."),
        ("combine", "Mix both pictures together."),
        ("combine", "I want one picture that has both of these."),
        ("combine_noun", "Bring the {noun} from this image into it."),
        ("combine", "Fuse the two pictures, please."),
        ("combine", "Make a picture combining this with what you drew."),
    ],
}

_FAMILIES_ZH: dict[str, list[tuple[str, str]]] = {
    "change_entity": [
        ("swap", "把{old}换成{new}。"),
        ("swap", "能不能把{old}改成{new}？"),
        ("swap", "{old}换成{new}吧"),
        ("swap", "用{new}代替{old}。"),
        ("swap", "我想要{new}，不要{old}了。"),
        ("swap", "不要{old}了，换成{new}"),
        ("swap", "让{old}变成{new}"),
        ("swap", "将{old}替换为{new}"),
        ("swap", "{old}改为{new}，其他不变。"),
        ("swap", "画{new}而不是{old}"),
        ("colour", "把{old}改成{colour}的"),
        ("colour", "{old}换成{colour}"),
        ("colour", "让{old}变成{colour}"),
        ("colour", "我想要{colour}的{old}"),
        ("colour", "{old}的颜色改成{colour}"),
        ("colour_it", "把它涂成{colour}"),
        ("material", "把{old}变成{material}做的"),
        ("material", "{old}改用{material}做"),
        ("material_it", "让它看起来是{material}做的"),
        ("material", "要是{old}是{material}做的就好了"),
    ],
    "add_object": [
        ("add", "加{obj}"),
        ("add", "再画{obj}"),
        ("add", "添加{obj}。"),
        ("add", "画面里加上{obj}"),
        ("add", "能不能再加{obj}？"),
        ("add", "旁边放{obj}"),
        ("add", "我想在画里看到{obj}"),
        ("add", "给画面添上{obj}吧"),
        ("add", "还要有{obj}"),
        ("add", "是的，加入{obj}。"),
        ("add", "再来{obj}"),
        ("add", "最好再有{obj}"),
    ],
    "remove_object": [
        ("remove", "去掉{x}"),
        ("remove", "把{x}去掉"),
        ("remove", "删除{x}。"),
        ("remove", "不要{x}了"),
        ("remove", "能把{x}删掉吗？"),
        ("remove", "{x}拿掉吧"),
        ("remove", "移除{x}"),
        ("remove", "画面里别有{x}"),
        ("remove", "我不想要{x}"),
        ("remove", "把{x}擦掉"),
        ("remove", "去除{x}，其他保持不变"),
        ("remove", "没有{x}会更好"),
    ],
    "change_background": [
        ("bg", "背景改成{bg}"),
        ("bg", "把背景换成{bg}。"),
        ("bg", "换个背景，{bg}"),
        ("bg", "放到{bg}里"),
        ("bg", "让它在{bg}"),
        ("bg", "场景改为{bg}"),
        ("bg", "背景用{bg}吧"),
        ("bg", "我想让背景是{bg}"),
        ("bg", "能不能把场景换到{bg}？"),
        ("bg", "搬到{bg}去"),
        ("time", "改成{time}"),
        ("time", "变成{time}的样子"),
        ("time", "换成{time}的场景"),
        ("time", "我想要{time}的感觉"),
    ],
    "change_style": [
        ("style", "换成{style}风格"),
        ("style", "改成{style}风"),
        ("style", "用{style}的画法"),
        ("realistic", "我想要更写实一点"),
        ("style", "画成{style}"),
        ("style", "能不能变成{style}风格？"),
        ("style", "风格换成{style}"),
        ("style", "来点{style}的感觉"),
        ("artist", "像{artist}那样画"),
        ("artist", "参考{artist}的风格"),
        ("style", "改为{style}画风"),
        ("style", "做成{style}效果"),
    ],
    "change_shot": [
        ("fixed:close", "来个特写"),
        ("fixed:close", "拉近一点"),
        ("fixed:wide", "拉远一些"),
        ("fixed:wide", "换成远景"),
        ("fixed:above", "从上往下拍"),
        ("fixed:above", "俯视角度"),
        ("fixed:low", "镜头改成仰拍"),
        ("fixed:full", "给个全身照"),
        ("fixed:side", "从侧面看"),
        ("fixed:low", "低角度拍摄"),
        ("fixed:close", "我想看近景"),
        ("fixed:wide", "镜头再远一点，把周围都拍进去"),
    ],
    "combine_images": [
        ("combine", "把这两张图合成一张"),
        ("combine_noun", "把这张照片里的{noun}放进画里"),
        ("combine", "结合这两张图片"),
        ("combine", "融合这两张图"),
        ("combine", "把这张图和刚才那张合在一起"),
        ("combine_noun", "把{noun}加到之前的画里"),
        ("combine", "两张图放到一起"),
        ("combine_noun", "把照片里的{noun}也画进去"),
        ("combine", "把它们合并成一幅画"),
        ("combine", "这张和上一张组合一下"),
    ],
}

# Blind split: families and base prompts written after the rules were developed and only
# measured (never used to tune the rules). Family ids start at 50.
_BLIND_BASES_EN: list[dict[str, Any]] = [
    dict(subject="A grey elephant sprays water with its trunk", background="a dusty savanna", shot="a wide shot", style="wildlife photography",
         extras=["Acacia trees stand on the horizon"], main="elephant", entities=[("elephant", "subject", ["rhino", "giraffe"])],
         colour=[("elephant", "subject")], removable=[("trees", "extras")]),
    dict(subject="A little girl in a yellow raincoat jumps into a puddle", background="a quiet suburban street", shot="a medium shot",
         style="watercolor", extras=["A red umbrella lies on the pavement"], main="girl",
         entities=[("girl", "subject", ["boy", "penguin"]), ("raincoat", "subject", ["jacket"]), ("umbrella", "extras", ["kite"])],
         colour=[("raincoat", "subject"), ("umbrella", "extras")], removable=[("umbrella", "extras"), ("raincoat", "subject")]),
    dict(subject="An astronaut plays a guitar on a rock", background="the surface of Mars", shot="a low-angle shot", style="digital art",
         extras=["Two moons hang in the sky"], main="astronaut", entities=[("guitar", "subject", ["violin", "drum"]), ("astronaut", "subject", ["cowboy"])],
         colour=[("guitar", "subject")], removable=[("guitar", "subject"), ("moons", "extras")]),
]
_BLIND_BASES_ZH: list[dict[str, Any]] = [
    dict(subject="一头灰色的大象正用鼻子喷水", background="尘土飞扬的草原", shot="远景", style="野生动物摄影", extras=["地平线上有几棵金合欢树"], main="大象",
         entities=[("大象", "subject", ["犀牛", "长颈鹿"])], colour=[("大象", "subject")], removable=[("金合欢树", "extras")]),
    dict(subject="一个穿着黄色雨衣的小女孩跳进水坑", background="安静的郊区街道", shot="中景", style="水彩", extras=["人行道上放着一把红色的雨伞"], main="小女孩",
         entities=[("小女孩", "subject", ["小男孩", "企鹅"]), ("雨衣", "subject", ["夹克"])], colour=[("雨衣", "subject")],
         removable=[("雨衣", "subject"), ("雨伞", "extras")]),
    dict(subject="一位宇航员坐在岩石上弹吉他", background="火星表面", shot="低角度镜头", style="数字艺术", extras=["天空中挂着两个月亮"], main="宇航员",
         entities=[("吉他", "subject", ["小提琴", "鼓"]), ("宇航员", "subject", ["牛仔"])], colour=[("吉他", "subject")],
         removable=[("吉他", "subject"), ("月亮", "extras")]),
]
_BLIND_FAMILIES_EN: dict[str, list[tuple[str, str]]] = {
    "change_entity": [
        ("swap", "Actually, let's go with {a_new} rather than the {old}."),
        ("swap", "Swap out the {old} and put in {a_new}."),
        ("swap", "Could you replace that {old}? I'd like {a_new} there."),
        ("colour", "Can the {old} be {colour}?"),
        ("colour", "Try {a_colour} {old}."),
        ("material", "Make the {old} look like it's carved from {material}."),
    ],
    "add_object": [
        ("add", "Maybe add {obj} in the distance."),
        ("add", "I think {obj} would look nice there."),
        ("add", "Could there also be {obj}?"),
        ("add", "Stick {obj} somewhere in the scene."),
        ("add", "And {obj}, please."),
    ],
    "remove_object": [
        ("remove", "Can we lose the {x}?"),
        ("remove", "Erase the {x} completely."),
        ("remove", "I'd prefer it without the {x}."),
        ("remove", "Please take out the {x}."),
        ("remove", "The {x} isn't needed."),
    ],
    "change_background": [
        ("bg", "Put everything {prep} {bg} instead."),
        ("bg", "Could we see it {prep} {bg}?"),
        ("bg", "New background: {bg}."),
        ("bg", "Let's switch the setting to {bg}."),
        ("time", "Turn it into a {time_adj} scene."),
        ("time", "Make it {time_at}."),
    ],
    "change_style": [
        ("style", "Do it as {style_noun} instead."),
        ("style", "Can I get a {style} version?"),
        ("style", "Let's go for {style}."),
        ("style", "Make it look like {style_noun}."),
        ("artist", "Paint it the way {artist} would."),
    ],
    "change_shot": [
        ("fixed:close", "Come in much closer on the subject."),
        ("fixed:wide", "Show more of the surroundings."),
        ("fixed:above", "Let's have an overhead view."),
        ("fixed:low", "Shoot it from below."),
        ("fixed:side", "I'd like a side view."),
    ],
    "combine_images": [
        ("combine", "Can you put these two together into one picture?"),
        ("combine_noun", "Take the {noun} in this picture and add it to yours."),
        ("combine", "Merge my photo with the picture you made."),
        ("combine", "Blend both of them into a single image."),
    ],
}
_BLIND_FAMILIES_ZH: dict[str, list[tuple[str, str]]] = {
    "change_entity": [
        ("swap", "{old}不好看，换{new}吧"),
        ("swap", "把画里的{old}替换成{new}"),
        ("swap", "我觉得{new}会比{old}好"),
        ("colour", "{old}要{colour}的"),
        ("colour", "给{old}换个颜色，{colour}"),
        ("material", "{old}做成{material}材质的"),
    ],
    "add_object": [
        ("add", "画面中再添{obj}"),
        ("add", "能在旁边加{obj}吗"),
        ("add", "我希望画里还有{obj}"),
        ("add", "顺便画上{obj}"),
        ("add", "加入{obj}会更好"),
    ],
    "remove_object": [
        ("remove", "把{x}拿走"),
        ("remove", "{x}不要了"),
        ("remove", "画面里的{x}删了吧"),
        ("remove", "请帮我去掉画中的{x}"),
        ("remove", "可以不要{x}吗"),
    ],
    "change_background": [
        ("bg", "背景换一下，改成{bg}"),
        ("bg", "把场景放在{bg}"),
        ("bg", "背景我想要{bg}"),
        ("bg", "移到{bg}去吧"),
        ("time", "我想看{time}的版本"),
        ("time", "时间改成{time}"),
    ],
    "change_style": [
        ("style", "试试{style}风格"),
        ("style", "整体风格调成{style}"),
        ("style", "我更喜欢{style}的风格"),
        ("artist", "用{artist}的画风重画"),
        ("style", "请用{style}来表现"),
    ],
    "change_shot": [
        ("fixed:close", "镜头推近一点"),
        ("fixed:wide", "往后拉，拍全景"),
        ("fixed:above", "改成鸟瞰视角"),
        ("fixed:low", "从下往上拍"),
        ("fixed:side", "换个侧面的角度"),
    ],
    "combine_images": [
        ("combine", "把两张图融为一体"),
        ("combine_noun", "把新照片里的{noun}加进来"),
        ("combine", "这两张能合成一张图吗"),
        ("combine", "把我发的照片和你画的结合一下"),
    ],
}
BLIND_OFFSET = 50

# Second blind round (family ids from 80), written after the first blind round was measured
# and the rules fixed on it; measured once before any further change.
_BLIND2_BASES_EN: list[dict[str, Any]] = [
    dict(subject="A brown bear catches a salmon in a river", background="a pine forest at dawn", shot="a medium shot", style="oil painting",
         extras=["Mist rises from the water"], main="bear", entities=[("bear", "subject", ["otter", "heron"]), ("salmon", "subject", ["trout"])],
         colour=[("bear", "subject")], removable=[("salmon", "subject"), ("mist", "extras")]),
    dict(subject="An old man reads a newspaper on a park bench", background="a city park in autumn", shot="a wide shot", style="realistic",
         extras=["Pigeons peck at crumbs near his feet"], main="man",
         entities=[("newspaper", "subject", ["book", "letter"]), ("man", "subject", ["young woman", "teenager"])],
         colour=[("bench", "subject")], removable=[("newspaper", "subject"), ("pigeons", "extras")]),
]
_BLIND2_BASES_ZH: list[dict[str, Any]] = [
    dict(subject="一只棕熊在河里抓鲑鱼", background="黎明时的松树林", shot="中景", style="油画", extras=["水面上升起薄雾"], main="棕熊",
         entities=[("棕熊", "subject", ["水獭", "苍鹭"]), ("鲑鱼", "subject", ["鳟鱼"])], colour=[("棕熊", "subject")],
         removable=[("鲑鱼", "subject"), ("薄雾", "extras")]),
    dict(subject="一位老人坐在公园长椅上看报纸", background="秋天的城市公园", shot="远景", style="写实", extras=["几只鸽子在他脚边啄食面包屑"], main="老人",
         entities=[("报纸", "subject", ["书", "信"]), ("老人", "subject", ["年轻女子", "少年"])], colour=[("长椅", "subject")],
         removable=[("报纸", "subject"), ("鸽子", "extras")]),
]
_BLIND2_FAMILIES_EN: dict[str, list[tuple[str, str]]] = {
    "change_entity": [
        ("swap", "Hmm, can we try {a_new} in place of the {old}?"),
        ("swap", "The {old} should become {a_new}."),
        ("colour", "I'd like the {old} in {colour}."),
        ("colour", "Recolor the {old} to {colour}."),
        ("material", "Could the {old} be made out of {material}?"),
    ],
    "add_object": [
        ("add", "Yes, and please put {obj} in it."),
        ("add", "Can you draw {obj} as well?"),
        ("add", "Let's include {obj}."),
        ("add", "What about adding {obj} too?"),
    ],
    "remove_object": [
        ("remove", "Please get the {x} out of there."),
        ("remove", "Delete the {x}."),
        ("remove", "I'd rather not have the {x}."),
        ("remove", "Leave out the {x} this time."),
    ],
    "change_background": [
        ("bg", "Place it {prep} {bg}, please."),
        ("bg", "Change the scenery to {bg}."),
        ("bg", "How about {prep} {bg} instead?"),
        ("time", "Let's make it {time_adj}."),
        ("time", "Same thing but {time_at}."),
    ],
    "change_style": [
        ("style", "Could you give it more of a {style} style?"),
        ("style", "I'd prefer {style_noun}."),
        ("style", "Redo it in {style}."),
        ("artist", "Make it look like a painting by {artist}."),
    ],
    "change_shot": [
        ("fixed:close", "I want to see it up close."),
        ("fixed:wide", "Zoom way out."),
        ("fixed:above", "Could you show it from a top-down angle?"),
        ("fixed:full", "Show the full body, please."),
    ],
    "combine_images": [
        ("combine", "Combine them."),
        ("combine_noun", "Add the {noun} from the photo I sent."),
        ("combine", "Put both pictures into one scene."),
    ],
}
_BLIND2_FAMILIES_ZH: dict[str, list[tuple[str, str]]] = {
    "change_entity": [
        ("swap", "把{old}改画成{new}"),
        ("swap", "{old}换一下，换成{new}"),
        ("colour", "{old}能不能改成{colour}"),
        ("colour", "把{old}涂成{colour}的"),
        ("material", "让{old}变成{material}做的"),
    ],
    "add_object": [
        ("add", "在画面里加上{obj}吧"),
        ("add", "可以多画{obj}吗"),
        ("add", "是的，再加{obj}"),
        ("add", "画里要有{obj}"),
    ],
    "remove_object": [
        ("remove", "把画面里的{x}去掉吧"),
        ("remove", "删掉{x}"),
        ("remove", "{x}删掉"),
        ("remove", "别画{x}了"),
    ],
    "change_background": [
        ("bg", "把背景改为{bg}吧"),
        ("bg", "换到{bg}"),
        ("bg", "背景：{bg}"),
        ("time", "换成{time}"),
        ("time", "改为{time}的场景"),
    ],
    "change_style": [
        ("style", "用{style}风格重新画一下"),
        ("style", "变成{style}的风格"),
        ("style", "我想要{style}风格的"),
        ("artist", "模仿{artist}的风格"),
    ],
    "change_shot": [
        ("fixed:close", "近一点拍"),
        ("fixed:wide", "镜头拉远"),
        ("fixed:above", "从高处俯拍"),
        ("fixed:full", "拍全身"),
    ],
    "combine_images": [
        ("combine", "把它们合在一起"),
        ("combine_noun", "把图里的{noun}放到之前的画里"),
        ("combine", "两张图合并"),
    ],
}
BLIND2_OFFSET = 80

# Shot keywords: any one of the alternatives satisfies the check.
_SHOT_KEYS = {
    "en": {"close": ["close"], "wide": ["wide", "long shot"], "above": ["top-down", "bird", "overhead", "aerial", "above"],
           "low": ["low-angle", "low angle"], "full": ["full-body", "full body"], "side": ["side"]},
    "zh": {"close": ["特写", "近景"], "wide": ["远景", "全景", "广角"], "above": ["俯视", "俯拍", "鸟瞰", "航拍"],
           "low": ["仰拍", "仰视", "低角度"], "full": ["全身"], "side": ["侧面"]},
}

PER_FAMILY = 6  # cases per phrasing family (fewer when the slot pool runs out)
SPLITS = ("dev", "heldout", "blind", "blind2", "blind3", "blind4", "blind5", "blind6", "blind7", "all")
# Splits whose failures were fixed after their first measurement (the targets apply to these;
# the others are measurement only, the honest estimate for phrasings nobody tuned for). The
# learned edit classifier trains on its own list (edits_router_train.TRAIN_SPLITS, never blind7).
TUNED_SPLITS = ("dev", "heldout", "blind", "blind2", "blind3", "blind4", "blind5", "blind6")


def _article(phrase: str) -> str:
    """``phrase`` with an indefinite article."""
    return ("an " if phrase[:1].lower() in "aeiou" else "a ") + phrase


def _parts(base: dict[str, Any]) -> dict[str, Any]:
    return {p: (list(base[p]) if p == "extras" else base[p]) for p in PART_NAMES}


def _case(lang: str, etype: str, fam: int, n: int, base: Optional[dict], request: str, changed: list[str],
          keywords: dict[str, list[list[str]]], absent: Optional[dict[str, list[str]]] = None,
          attachment: Optional[str] = None, earlier: Optional[str] = None) -> dict[str, Any]:
    return {
        "id": f"{lang}-{etype}-f{fam:02d}-{n}",
        "lang": lang,
        "edit_type": etype,
        "family": f"{etype}/f{fam:02d}",
        "split": "dev" if fam % 2 == 0 else "heldout",
        "previous": _parts(base) if base is not None else None,
        "request": request,
        "attachment": attachment,
        "earlier_attachment": earlier,
        "expect": {"changed": changed, "keywords": keywords, "absent": absent or {}},
    }


def _contains(base: dict[str, Any], part: str, kw: str) -> bool:
    value = base[part]
    text = " ".join(value) if isinstance(value, list) else value
    return kw.lower() in text.lower()


def build_cases(lang: str) -> list[dict[str, Any]]:
    """Every labelled case for ``lang`` (dev, heldout and blind splits), deterministically."""
    en = lang == "en"
    cases = _build_split(lang, _FAMILIES_EN if en else _FAMILIES_ZH, _BASES_EN if en else _BASES_ZH, 0)
    blind_bases = (_BLIND_BASES_EN + _BASES_EN) if en else (_BLIND_BASES_ZH + _BASES_ZH)
    cases += _build_split(lang, _BLIND_FAMILIES_EN if en else _BLIND_FAMILIES_ZH, blind_bases, BLIND_OFFSET)
    blind2_bases = (_BLIND2_BASES_EN + _BLIND_BASES_EN + _BASES_EN) if en else (_BLIND2_BASES_ZH + _BLIND_BASES_ZH + _BASES_ZH)
    cases += _build_split(lang, _BLIND2_FAMILIES_EN if en else _BLIND2_FAMILIES_ZH, blind2_bases, BLIND2_OFFSET, "blind2")
    for rnd in (blind3, blind4, blind5, blind6, blind7):  # later rounds: own bases, slot values and families
        families, bases, pools = (rnd.FAMILIES_EN, rnd.BASES_EN, rnd.POOLS_EN) if en else (rnd.FAMILIES_ZH, rnd.BASES_ZH, rnd.POOLS_ZH)
        cases += _build_split(lang, families, bases, rnd.OFFSET, rnd.SPLIT, pools, getattr(rnd, "PER_FAMILY", PER_FAMILY))
    return cases


def case_kind(case: dict[str, Any]) -> str:
    """The phrasing family's slot kind of ``case`` ("swap", "colour", "time", "fixed:close", ...)."""
    en = case["lang"] == "en"
    etype, fam = case["family"].split("/f")
    fi = int(fam)
    rounds: list[tuple[int, dict]] = [(0, _FAMILIES_EN if en else _FAMILIES_ZH), (BLIND_OFFSET, _BLIND_FAMILIES_EN if en else _BLIND_FAMILIES_ZH),
                                      (BLIND2_OFFSET, _BLIND2_FAMILIES_EN if en else _BLIND2_FAMILIES_ZH)]
    rounds += [(rnd.OFFSET, rnd.FAMILIES_EN if en else rnd.FAMILIES_ZH) for rnd in (blind3, blind4, blind5, blind6, blind7)]
    offset, families = max((r for r in rounds if r[0] <= fi), key=lambda r: r[0])
    return families[etype][fi - offset][0]


def _build_split(lang: str, families: dict[str, list[tuple[str, str]]], bases: list[dict], offset: int, split: str = "blind",
                 pools: Optional[dict[str, list]] = None, per_family: int = PER_FAMILY) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    for etype, fams in families.items():
        for i, (kind, template) in enumerate(fams):
            fi = offset + i
            made = 0
            for k in range(len(bases) * 3):
                if made >= per_family:
                    break
                case = _instantiate(lang, etype, fi, kind, template, bases, k, made, pools)
                if case is not None:
                    if offset:
                        case["split"] = split
                    cases.append(case)
                    made += 1
    return cases


def slot_pools(lang: str) -> dict[str, list]:
    """The slot values the first three rounds of families draw from."""
    en = lang == "en"
    return {
        "colours": _COLOURS_EN if en else _COLOURS_ZH, "materials": _MATERIALS_EN if en else _MATERIALS_ZH,
        "objects": _OBJECTS_EN if en else _OBJECTS_ZH, "backgrounds": _BACKGROUNDS_EN if en else _BACKGROUNDS_ZH,
        "times": _TIMES_EN if en else _TIMES_ZH, "styles": _STYLES_EN if en else _STYLES_ZH,
        "artists": _ARTISTS_EN if en else _ARTISTS_ZH, "captions": _CAPTIONS_EN if en else _CAPTIONS_ZH,
        "realistic": ["realistic"] if en else ["写实"],
    }


def _instantiate(lang: str, etype: str, fi: int, kind: str, template: str, bases: list[dict], k: int, n: int,
                 pools: Optional[dict[str, list]] = None) -> Optional[dict]:
    """Case number ``n`` of family ``fi`` built from trial ``k`` (``None`` when the trial does not fit).
    Templates may also name ``{main}``, the base's main subject noun."""
    base = bases[(k * 5 + fi * 7) % len(bases)]
    i = k + fi  # rotates slot pools
    en = lang == "en"
    pools = pools or slot_pools(lang)
    fill: dict[str, str] = {"main": base["main"]}
    if etype == "change_entity":
        if kind == "swap":
            old, part, news = base["entities"][i % len(base["entities"])]
            new = news[(i // 2) % len(news)]
            fill |= {"old": old, "new": new, "a_new": _article(new) if en else new}
            fill["A_new"] = fill["a_new"][:1].upper() + fill["a_new"][1:]
            return _case(lang, etype, fi, n, base, template.format(**fill), [part], {part: [[new.split()[-1]]]}, {part: [old]})
        if kind in ("colour", "colour_it"):
            old, part = (base["main"], "subject") if kind == "colour_it" else base["colour"][i % len(base["colour"])]
            colours = pools["colours"]
            colour = colours[i % len(colours)]
            if _contains(base, part, colour):
                return None
            fill |= {"old": old, "colour": colour, "a_colour": _article(colour) if en else colour}
            return _case(lang, etype, fi, n, base, template.format(**fill), [part], {part: [[colour]]})
        old, part = (base["main"], "subject") if kind == "material_it" else base["colour"][i % len(base["colour"])]
        mats = pools["materials"]
        material = mats[i % len(mats)]
        if _contains(base, part, material.split()[-1]):
            return None
        fill |= {"old": old, "material": material}
        return _case(lang, etype, fi, n, base, template.format(**fill), [part], {part: [[material.split()[-1]]]})
    if etype == "add_object":
        objs = pools["objects"]
        obj, kw = objs[i % len(objs)]
        if any(_contains(base, p, kw) for p in ("subject", "extras", "background")):
            return None
        return _case(lang, etype, fi, n, base, template.format(obj=obj, **fill), ["extras"], {"extras": [[kw]]})
    if etype == "remove_object":
        if not base["removable"]:
            return None
        x, part = base["removable"][i % len(base["removable"])]
        return _case(lang, etype, fi, n, base, template.format(x=x, **fill), [part], {}, {part: [x]})
    if etype == "change_background":
        if kind == "bg":
            pool = pools["backgrounds"]
            entry = pool[i % len(pool)]
            bg, kw = entry[0], entry[-1]
            if _contains(base, "background", kw):
                return None
            fill |= {"bg": bg, "prep": entry[1] if en else ""}
            return _case(lang, etype, fi, n, base, template.format(**fill), ["background"], {"background": [[kw]]})
        pool = pools["times"]
        entry = pool[i % len(pool)]
        kw = entry[-1]
        part = "background" if base["background"] else "extras"
        if any(_contains(base, p, kw) for p in ("background", "extras", "subject")):
            return None
        fill |= {"time_adj": entry[0], "time_at": entry[1]} if en else {"time": entry[0]}
        return _case(lang, etype, fi, n, base, template.format(**fill), [part], {part: [[kw]]})
    if etype == "change_style":
        if kind == "realistic":
            kws = pools["realistic"]
            if _contains(base, "style", kws[0]):
                return None
            return _case(lang, etype, fi, n, base, template.format(**fill), ["style"], {"style": [kws]})
        if kind == "artist":
            artists = pools["artists"]
            artist = artists[i % len(artists)]
            return _case(lang, etype, fi, n, base, template.format(artist=artist, **fill), ["style"], {"style": [[artist.split()[-1]]]})
        pool = pools["styles"]
        entry = pool[i % len(pool)]
        kw = entry[-1]
        if _contains(base, "style", kw):
            return None
        fill |= {"style": entry[0], "style_noun": entry[1] if en else entry[0]}
        return _case(lang, etype, fi, n, base, template.format(**fill), ["style"], {"style": [[kw]]})
    if etype == "change_shot":
        key = kind.split(":")[1]
        alts = _SHOT_KEYS[lang][key]
        if any(_contains(base, "shot", a) for a in alts):
            return None
        return _case(lang, etype, fi, n, base, template.format(**fill), ["shot"], {"shot": [alts]})
    # combine_images: every third case has no previous prompt but an earlier attached picture
    caps = pools["captions"]
    caption, noun, kw = caps[i % len(caps)]
    request = template.format(noun=noun)
    if n % 3 == 2:
        earlier, _, kw0 = caps[(i + 3) % len(caps)]
        return _case(lang, etype, fi, n, None, request, ["subject"], {"subject": [[kw0], [kw]]}, attachment=caption, earlier=earlier)
    if _contains(base, "subject", kw):
        return None
    return _case(lang, etype, fi, n, base, request, ["subject"], {"subject": [[base["main"]], [kw]]}, attachment=caption)


def build(out_dir: Path = DATA_DIR) -> dict[str, int]:
    """Write ``edits_en.jsonl`` and ``edits_zh.jsonl``; returns the case counts."""
    counts = {}
    for lang in ("en", "zh"):
        cases = build_cases(lang)
        path = Path(out_dir) / f"edits_{lang}.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for case in cases:
                fh.write(json.dumps(case, ensure_ascii=False) + "\n")
        counts[lang] = len(cases)
    return counts


# --------------------------------------------------------------------------- measurement
def load_cases(lang: str, data_dir: Path = DATA_DIR) -> list[dict[str, Any]]:
    path = Path(data_dir) / f"edits_{lang}.jsonl"
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _conversation(case: dict[str, Any]):
    """The ``Conversation`` a rewriter sees for ``case``."""
    from ..agent.prompt import DrawingPrompt
    from ..agent.schemas import Conversation

    turns: list[dict[str, Any]] = []
    if case.get("previous"):
        prev = DrawingPrompt(**case["previous"], lang=case["lang"])
        turns.append({"turn": 1, "user": "", "lang": case["lang"], "modality": "image", "prompt": prev.model_dump()})
    if case.get("earlier_attachment"):
        ref = {"path": "", "sha256": "earlier", "caption": case["earlier_attachment"]}
        turns.append({"turn": len(turns) + 1, "user": "", "lang": case["lang"], "modality": "text", "attachment": ref})
    attachment = {"path": "", "sha256": "current", "caption": case["attachment"]} if case.get("attachment") else None
    return Conversation(user=case["request"], lang=case["lang"], turns=turns, attachment=attachment)  # type: ignore[arg-type]


@dataclass
class CaseResult:
    case: dict[str, Any]
    preserved: Optional[bool]  # None: no previous prompt to preserve
    applied: bool
    output: dict[str, Any]


def _text(value: Any) -> str:
    return " | ".join(value) if isinstance(value, list) else str(value)


# Request wording that must never end up in the prompt ("Can u add a bird" kept as an extras
# sentence, "a taxi pls"): a changed part that gains one of these is not a clean edit.
_LEAKED = {
    "en": re.compile(r"\b(?:please|pls|plz|thx|thanks|can u|can you|could you|would you|i'?d|i want|i wish|remove|replace|delete|"
                     r"swap|instead|maybe|possible|add|don'?t|let'?s|see|ugh|hmm)\b", re.I),
    "zh": re.compile(r"请|吧$|吗|呀|谢谢|麻烦|帮我|能不能|换成|改成|去掉|删|加上|添上|画上|弄成|搞成|来一张|别要|不要|进去|一下"),
}


def _new_text(got: Any, before: Any) -> str:
    """What a part gained: new extras sentences, or the whole new value of another part."""
    if isinstance(got, list):
        return " | ".join(s for s in got if s not in (before or []))
    return str(got)


def _leaks(lang: str, got: Any, before: Any) -> bool:
    """Whether the part gained request wording its previous value did not have."""
    pattern = _LEAKED[lang]
    old = {m.lower() for m in pattern.findall(_text(before))} if before else set()
    return any(m.lower() not in old for m in pattern.findall(_new_text(got, before)))


def score_case(case: dict[str, Any], rewriter) -> CaseResult:
    """Run ``rewriter`` on one case and judge preservation and application. *Applied* needs
    every expected part changed, with its keywords, without its removed words, without leaked
    request wording, and (for an addition) exactly one new extras sentence."""
    out = rewriter.rewrite(_conversation(case))
    got = {p: getattr(out, p) for p in PART_NAMES}
    exp = case["expect"]
    prev = case.get("previous")
    preserved: Optional[bool] = None
    if prev is not None:
        preserved = all(got[p] == prev[p] for p in PART_NAMES if p not in exp["changed"])
    applied = True
    for part in exp["changed"]:
        text = _text(got[part]).lower()
        if prev is not None and got[part] == prev[part]:
            applied = False
        for group in exp["keywords"].get(part, []):
            if not any(alt.lower() in text for alt in group):
                applied = False
        for word in exp["absent"].get(part, []):
            if word.lower() in text:
                applied = False
        before = prev[part] if prev is not None else None
        if _leaks(case["lang"], got[part], before):
            applied = False
    if case["edit_type"] == "add_object" and prev is not None and len(got["extras"]) != len(prev["extras"]) + 1:
        applied = False
    return CaseResult(case, preserved, applied, got)


def evaluate(cases: Iterable[dict[str, Any]], rewriter=None) -> list[CaseResult]:
    if rewriter is None:
        from ..agent.rewriter.rule import RuleRewriter

        rewriter = RuleRewriter()
    return [score_case(c, rewriter) for c in cases]


def summarize(results: list[CaseResult]) -> dict[tuple[str, str, str], dict[str, float]]:
    """Figures keyed by (lang, edit type or 'all', split or 'all'): n, preserved %, applied %."""
    groups: dict[tuple[str, str, str], list[CaseResult]] = {}
    for r in results:
        c = r.case
        for et in (c["edit_type"], "all"):
            for sp in (c["split"], "all"):
                groups.setdefault((c["lang"], et, sp), []).append(r)
    table = {}
    for key, rs in groups.items():
        pres = [r.preserved for r in rs if r.preserved is not None]
        table[key] = {
            "n": len(rs),
            "preserved": 100.0 * sum(pres) / len(pres) if pres else 100.0,
            "applied": 100.0 * sum(r.applied for r in rs) / len(rs),
        }
    return table


def format_table(table: dict[tuple[str, str, str], dict[str, float]]) -> str:
    head = "".join(f"   {sp + ' n':>9} {'pres%':>6} {'appl%':>6}" for sp in SPLITS)
    lines = [f"{'lang':4} {'edit type':18}" + head]
    for lang in ("en", "zh"):
        for et in (*EDIT_TYPES, "all"):
            cells = []
            for sp in SPLITS:
                f = table.get((lang, et, sp))
                cells.append(f"{f['n']:>9} {f['preserved']:6.1f} {f['applied']:6.1f}" if f else f"{'-':>9} {'-':>6} {'-':>6}")
            if any(table.get((lang, et, sp)) for sp in SPLITS):
                lines.append(f"{lang:4} {et:18}   " + "   ".join(cells))
    return "\n".join(lines)


def run_report(data_dir: Path = DATA_DIR, show_failures: int = 0, split: Optional[str] = None) -> str:
    """The table over both languages (and, optionally, the first failing cases)."""
    cases = load_cases("en", data_dir) + load_cases("zh", data_dir)
    t0 = time.perf_counter()
    results = evaluate(cases)
    per_case_ms = 1000 * (time.perf_counter() - t0) / max(1, len(results))
    text = format_table(summarize(results)) + f"\n\n{len(results)} cases, {per_case_ms:.3f} ms per rewrite on average"
    if show_failures:
        bad = [r for r in results if (r.preserved is False or not r.applied) and (split is None or r.case["split"] == split)]
        text += f"\n\n{len(bad)} failing cases" + (f" (split {split})" if split else "") + ":"
        for r in bad[:show_failures]:
            text += f"\n- {r.case['id']}: {r.case['request']!r}\n    prev={r.case['previous']}\n    got={r.output}"
    return text


def measure_generated(n: int = 1500, *, seed: int = 7, split: str = "test", rewriter=None) -> dict[tuple[str, str], dict[str, float]]:
    """Cross-check on another team's phrasings: the T->I edit turns of ``n`` conversations from
    the benchmark generator (:mod:`dialoggen.evals.generate`; its ``test`` split uses phrasings
    its ``train`` split never does). A turn's ``base_prompt`` is the previous prompt and its
    ``prompt`` the expected one; *kept* = parts the expected prompt leaves alone stay
    identical, *landed* = parts it changes do change. Combine turns (an attached picture) and
    turns without those fields are skipped. Keyed by (lang, edit type or 'all')."""
    from ..agent.prompt import PARTS, DrawingPrompt
    from ..agent.schemas import Conversation
    from .generate import generate_conversations

    if rewriter is None:
        from ..agent.rewriter.rule import RuleRewriter

        rewriter = RuleRewriter()
    counts: dict[tuple[str, str], list[int]] = {}
    for conv in generate_conversations(n, seed=seed, split=split):
        for t in conv["turns"]:
            if t.get("kind") != "edit" or t.get("image") or not t.get("base_prompt") or not t.get("prompt") or t.get("edit") == "combine_images":
                continue
            base, want = DrawingPrompt.model_validate(t["base_prompt"]), DrawingPrompt.model_validate(t["prompt"])
            turns = [{"turn": 1, "user": "", "lang": conv["lang"], "modality": "image", "prompt": base.model_dump()}]
            out = rewriter.rewrite(Conversation(user=t["user"], lang=conv["lang"], turns=turns))  # type: ignore[arg-type]
            touched = {p for p in PARTS if getattr(want, p) != getattr(base, p)}
            kept = all(getattr(out, p) == getattr(base, p) for p in PARTS if p not in touched)
            landed = all(getattr(out, p) != getattr(base, p) for p in touched)
            for key in ((conv["lang"], t["edit"]), (conv["lang"], "all")):
                c = counts.setdefault(key, [0, 0, 0])
                c[0] += 1
                c[1] += kept
                c[2] += landed
    return {k: {"n": n_, "kept": 100.0 * a / n_, "landed": 100.0 * b / n_} for k, (n_, a, b) in sorted(counts.items())}


@bench_app.command("rewriter")
def bench_rewriter(
    data_dir: Path = typer.Option(DATA_DIR, help="Folder with edits_en.jsonl and edits_zh.jsonl."),
    failures: int = typer.Option(0, help="Also list this many failing cases."),
    rebuild: bool = typer.Option(False, help="Rebuild the JSONL files from the phrasing families first."),
    generated: int = typer.Option(0, help="Also cross-check on the edit turns of this many generated conversations (test split)."),
) -> None:
    """Measure the offline rewriter on the labelled edit set (preserved %, applied %)."""
    if rebuild:
        typer.echo(f"built {build(data_dir)}")
    typer.echo(run_report(data_dir, show_failures=failures))
    if generated:
        typer.echo("\n" + _format_generated(measure_generated(generated)))


def _format_generated(table: dict[tuple[str, str], dict[str, float]]) -> str:
    lines = [f"generator cross-check (T->I edit turns, test split)\n{'lang':4} {'edit type':18} {'n':>5} {'kept%':>6} {'landed%':>8}"]
    lines += [f"{lang:4} {et:18} {f['n']:>5} {f['kept']:6.1f} {f['landed']:8.1f}" for (lang, et), f in table.items()]
    return "\n".join(lines)


def main(argv: Optional[list[str]] = None) -> None:
    """``python -m dialoggen.evals.edits [build] [--failures N] [--split S] [--generated N]``."""
    import argparse

    ap = argparse.ArgumentParser(description="Build or measure the labelled prompt-edit set.")
    ap.add_argument("command", nargs="?", default="report", choices=("report", "build"))
    ap.add_argument("--failures", type=int, default=0)
    ap.add_argument("--split", choices=SPLITS[:-1], default=None)
    ap.add_argument("--generated", type=int, default=0, help="also cross-check on N generated conversations")
    args = ap.parse_args(argv)
    if args.command == "build":
        print(f"built {build()}")
        return
    print(run_report(show_failures=args.failures, split=args.split))
    if args.generated:
        print("\n" + _format_generated(measure_generated(args.generated)))


if __name__ == "__main__":
    main()
