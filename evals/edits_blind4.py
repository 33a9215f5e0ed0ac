"""The fourth blind round of the labelled prompt-edit set (split ``blind4``, family ids 160+).

Written after the blind3 fixes to check that they generalise and measured once before any
rule changed for it (applied 47.5% en / 61.1% zh); its failures were fixed afterwards. Its
author had read the rules by then, so it is less blind than blind3. Four new base prompts per
language, new slot values, new everyday phrasings.
"""

from __future__ import annotations

from typing import Any

OFFSET = 160
SPLIT = "blind4"

BASES_EN: list[dict[str, Any]] = [
    dict(subject="A sleepy owl perches on a branch", background="a moonlit forest", shot="a medium shot", style="digital painting",
         extras=["Glowing mushrooms dot the ground"], main="owl", entities=[("owl", "subject", ["parrot", "bat"])],
         colour=[("owl", "subject")], removable=[("mushrooms", "extras")]),
    dict(subject="A chef flips pancakes in a pan", background="a busy restaurant kitchen", shot="a close-up", style="realistic",
         extras=["Steam rises from a pot"], main="chef", entities=[("chef", "subject", ["robot", "teenager"]), ("pancakes", "subject", ["omelette", "burger"])],
         colour=[("pan", "subject")], removable=[("pan", "subject"), ("steam", "extras")]),
    dict(subject="A sailboat drifts on a calm lake", background="", shot="a wide shot", style="impressionist painting",
         extras=["Two swans glide nearby"], main="sailboat", entities=[("sailboat", "subject", ["canoe", "steamship"])],
         colour=[("sailboat", "subject")], removable=[("swans", "extras")]),
    dict(subject="A boy with a backpack waits at a bus stop", background="a rainy town street", shot="a full-body shot", style="anime",
         extras=["A stray dog sits beside him"], main="boy", entities=[("boy", "subject", ["girl", "old woman"]), ("backpack", "subject", ["suitcase", "guitar case"])],
         colour=[("backpack", "subject")], removable=[("backpack", "subject"), ("dog", "extras")]),
]

BASES_ZH: list[dict[str, Any]] = [
    dict(subject="一只困倦的猫头鹰停在树枝上", background="月光下的森林", shot="中景", style="数字绘画", extras=["地上长着发光的蘑菇"], main="猫头鹰",
         entities=[("猫头鹰", "subject", ["鹦鹉", "蝙蝠"])], colour=[("猫头鹰", "subject")], removable=[("蘑菇", "extras")]),
    dict(subject="一位厨师在平底锅里翻煎饼", background="忙碌的餐厅厨房", shot="特写", style="写实", extras=["锅里冒着蒸汽"], main="厨师",
         entities=[("厨师", "subject", ["机器人", "少年"]), ("煎饼", "subject", ["煎蛋", "汉堡"])], colour=[("平底锅", "subject")],
         removable=[("平底锅", "subject"), ("蒸汽", "extras")]),
    dict(subject="一艘帆船漂在平静的湖面上", background="", shot="远景", style="印象派油画", extras=["两只天鹅在旁边游动"], main="帆船",
         entities=[("帆船", "subject", ["独木舟", "轮船"])], colour=[("帆船", "subject")], removable=[("天鹅", "extras")]),
    dict(subject="一个背着书包的男孩在公交站等车", background="下雨的小镇街道", shot="全身镜头", style="动漫", extras=["一只流浪狗坐在他旁边"], main="男孩",
         entities=[("男孩", "subject", ["女孩", "老奶奶"]), ("书包", "subject", ["行李箱", "吉他盒"])], colour=[("书包", "subject")],
         removable=[("书包", "subject"), ("流浪狗", "extras")]),
]

POOLS_EN: dict[str, list] = {
    "colours": ["mustard yellow", "coral", "charcoal grey", "mint green", "burgundy", "sky blue", "beige", "violet"],
    "materials": ["glass", "wool", "silver", "candy", "wicker", "jade"],
    "objects": [("a tiny mouse", "mouse"), ("a string of fairy lights", "fairy lights"), ("an old bicycle", "bicycle"), ("a pile of pumpkins", "pumpkins"),
                ("a sleeping fox", "fox"), ("a paper airplane", "airplane"), ("a couple of ducks", "ducks"), ("a red mailbox", "mailbox"),
                ("a lantern", "lantern"), ("a sunflower", "sunflower")],
    "backgrounds": [("a snowy mountain pass", "on", "mountain pass"), ("a crowded beach", "on", "beach"), ("an old library", "in", "library"),
                    ("a subway platform", "on", "subway"), ("a wheat field", "in", "wheat"), ("a Moroccan market", "in", "market"),
                    ("a misty swamp", "in", "swamp"), ("a glass greenhouse", "in", "greenhouse")],
    "times": [("sunrise", "at sunrise", "sunrise"), ("night", "at night", "night"), ("rainy", "in the rain", "rain"),
              ("spring", "in spring", "spring"), ("foggy", "in the fog", "fog"), ("twilight", "at twilight", "twilight")],
    "styles": [("ukiyo-e", "a ukiyo-e print", "ukiyo"), ("cel-shaded", "a cel-shaded render", "cel"), ("crayon", "a crayon drawing", "crayon"),
               ("linocut", "a linocut print", "linocut"), ("oil pastel", "an oil pastel drawing", "pastel"), ("retro 80s", "a retro 80s poster", "80s"),
               ("blueprint", "a blueprint", "blueprint"), ("claymation", "a claymation still", "clay")],
    "artists": ["Caravaggio", "Hayao Miyazaki", "Andy Warhol", "Katsushika Hokusai", "Norman Rockwell"],
    "captions": [("A grey kitten asleep in a basket.", "kitten", "kitten"), ("A vintage red tractor in a field.", "tractor", "tractor"),
                 ("A girl blowing soap bubbles.", "girl", "girl"), ("A stack of pancakes with syrup.", "pancakes", "pancakes"),
                 ("A koi fish in a pond.", "koi", "koi")],
    "realistic": ["realistic", "photo", "real", "lifelike"],
}

POOLS_ZH: dict[str, list] = {
    "colours": ["芥末黄", "珊瑚色", "炭灰色", "薄荷绿", "酒红色", "天蓝色", "米色", "紫罗兰色"],
    "materials": ["玻璃", "羊毛", "银", "糖果", "藤编", "玉"],
    "objects": [("一只小老鼠", "老鼠"), ("一串小彩灯", "彩灯"), ("一辆旧自行车", "自行车"), ("一堆南瓜", "南瓜"), ("一只熟睡的狐狸", "狐狸"),
                ("一架纸飞机", "纸飞机"), ("两只鸭子", "鸭子"), ("一个红色邮筒", "邮筒"), ("一盏灯笼", "灯笼"), ("一朵向日葵", "向日葵")],
    "backgrounds": [("雪山山口", "山口"), ("拥挤的海滩", "海滩"), ("古老的图书馆", "图书馆"), ("地铁站台", "地铁"), ("麦田", "麦田"),
                    ("摩洛哥集市", "集市"), ("雾气弥漫的沼泽", "沼泽"), ("玻璃温室", "温室")],
    "times": [("日出", "日出"), ("晚上", "夜"), ("雨天", "雨"), ("春天", "春"), ("起雾", "雾"), ("黄昏", "黄昏")],
    "styles": [("浮世绘", "浮世绘"), ("三渲二", "三渲二"), ("蜡笔画", "蜡笔"), ("版画", "版画"), ("油画棒", "油画棒"), ("复古海报", "复古"),
               ("蓝图", "蓝图"), ("黏土", "黏土")],
    "artists": ["卡拉瓦乔", "宫崎骏", "安迪·沃霍尔", "葛饰北斋", "丰子恺"],
    "captions": [("篮子里睡着的一只灰色小猫。", "小猫", "小猫"), ("田里一辆复古的红色拖拉机。", "拖拉机", "拖拉机"), ("一个吹泡泡的女孩。", "女孩", "女孩"),
                 ("一叠淋着糖浆的煎饼。", "煎饼", "煎饼"), ("池塘里的一条锦鲤。", "锦鲤", "锦鲤")],
    "realistic": ["写实", "真实", "照片"],
}

FAMILIES_EN: dict[str, list[tuple[str, str]]] = {
    "change_entity": [
        ("swap", "could the {old} be swapped for {a_new}?"),
        ("swap", "{A_new} would suit better than the {old}."),
        ("swap", "not a fan of the {old}... {a_new} maybe?"),
        ("colour", "the {old} in {colour} would look great"),
        ("colour", "recolour {old} -> {colour}"),
        ("colour_it", "{colour} please"),
        ("material", "give the {old} a {material} texture"),
    ],
    "add_object": [
        ("add", "there's room for {obj}, right?"),
        ("add", "also {obj}"),
        ("add", "pop {obj} in the corner"),
        ("add", "I'd like to also see {obj} somewhere"),
    ],
    "remove_object": [
        ("remove", "bin the {x}"),
        ("remove", "can we not have the {x}?"),
        ("remove", "the {x} is ugly, lose it"),
        ("remove", "delete {x} plz"),
    ],
    "change_background": [
        ("bg", "switch the location to {bg}"),
        ("bg", "what about setting this {prep} {bg}"),
        ("bg", "I'd rather it was {prep} {bg}"),
        ("time", "it should be {time_at}"),
        ("time", "{time_adj} version please"),
    ],
    "change_style": [
        ("style", "any chance of a {style} take on this?"),
        ("style", "redo as {style_noun}"),
        ("artist", "channel {artist}"),
        ("realistic", "more lifelike please"),
        ("style", "i want {style} vibes"),
    ],
    "change_shot": [
        ("fixed:close", "zoom right in"),
        ("fixed:wide", "back off a bit so the whole scene fits"),
        ("fixed:above", "let's look down on it from high up"),
        ("fixed:low", "camera on the ground looking up at the {main}"),
        ("fixed:side", "turn the camera to the side"),
    ],
    "combine_images": [
        ("combine", "put this one and yours together"),
        ("combine_noun", "the {noun} in this photo should be in your picture too"),
        ("combine", "make one image out of both"),
    ],
}

FAMILIES_ZH: dict[str, list[tuple[str, str]]] = {
    "change_entity": [
        ("swap", "{old}换个{new}试试"),
        ("swap", "{old}能改成{new}不"),
        ("swap", "想把{old}换成{new}"),
        ("colour", "{old}来个{colour}的"),
        ("colour", "{old}染成{colour}"),
        ("colour_it", "换成{colour}"),
        ("material", "{old}弄成{material}的质感"),
    ],
    "add_object": [
        ("add", "加点{obj}进去"),
        ("add", "给它配上{obj}"),
        ("add", "旁边来{obj}"),
        ("add", "我还想要{obj}"),
    ],
    "remove_object": [
        ("remove", "{x}去了吧"),
        ("remove", "拿掉{x}"),
        ("remove", "{x}多余，删"),
        ("remove", "把{x}给去掉"),
    ],
    "change_background": [
        ("bg", "背景来个{bg}"),
        ("bg", "放在{bg}那种地方"),
        ("bg", "换个地方，{bg}"),
        ("time", "整成{time}"),
        ("time", "{time}的时候是什么样"),
    ],
    "change_style": [
        ("style", "画风改{style}"),
        ("style", "用{style}的风格再来一张"),
        ("artist", "要{artist}那种感觉"),
        ("realistic", "真实一点"),
        ("style", "{style}风走起"),
    ],
    "change_shot": [
        ("fixed:close", "近点"),
        ("fixed:wide", "再远点，把环境带上"),
        ("fixed:above", "顶视角"),
        ("fixed:low", "机位放低往上拍"),
        ("fixed:side", "从侧边拍"),
    ],
    "combine_images": [
        ("combine", "把两幅画揉在一起"),
        ("combine_noun", "{noun}也放进你画的画里"),
        ("combine", "这张跟上一张整合一下"),
    ],
}
