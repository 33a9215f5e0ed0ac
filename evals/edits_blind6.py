"""The sixth round of the labelled prompt-edit set (split ``blind6``, family ids 260+).

Written after the blind5 fixes, by an author who had read the rules by then (so less blind
than blind5), to estimate how the final rules plus the learned edit classifier
(:mod:`dialoggen.agent.rewriter.classifier`) do on phrasings nobody tuned for. Measurement only:
its failures are not fixed (it is not in ``TUNED_SPLITS`` and never trains the classifier).
Four new base prompts per language, new slot values, three cases per phrasing family.
"""

from __future__ import annotations

from typing import Any

OFFSET = 260
SPLIT = "blind6"
PER_FAMILY = 3

BASES_EN: list[dict[str, Any]] = [
    dict(subject="A tabby kitten chases a ball of yarn", background="a sunlit kitchen floor", shot="a close-up", style="soft pastel drawing",
         extras=["A bowl of milk sits nearby"], main="kitten", entities=[("kitten", "subject", ["puppy", "ferret"])],
         colour=[("kitten", "subject")], removable=[("bowl", "extras")]),
    dict(subject="An old lighthouse stands on a cliff", background="a stormy ocean", shot="a wide shot", style="oil painting",
         extras=["Waves crash against the rocks"], main="lighthouse", entities=[("lighthouse", "subject", ["castle", "windmill"])],
         colour=[("lighthouse", "subject")], removable=[("waves", "extras")]),
    dict(subject="A cyclist rides a red bicycle", background="a mountain road", shot="a medium shot", style="flat vector illustration",
         extras=[], main="cyclist", entities=[("cyclist", "subject", ["runner", "skateboarder"]), ("bicycle", "subject", ["scooter", "motorbike"])],
         colour=[("bicycle", "subject")], removable=[("bicycle", "subject")]),
    dict(subject="A teapot and two cups on a tray", background="", shot="a top-down view", style="", extras=["Cherry petals are scattered around"],
         main="teapot", entities=[("teapot", "subject", ["coffee pot", "vase"]), ("cups", "subject", ["bowls", "glasses"])],
         colour=[("teapot", "subject")], removable=[("cups", "subject"), ("petals", "extras")]),
]

BASES_ZH: list[dict[str, Any]] = [
    dict(subject="一只虎斑小猫在追毛线球", background="洒满阳光的厨房地板", shot="特写", style="柔和的粉彩画", extras=["旁边放着一碗牛奶"], main="小猫",
         entities=[("小猫", "subject", ["小狗", "雪貂"])], colour=[("小猫", "subject")], removable=[("牛奶", "extras")]),
    dict(subject="一座古老的灯塔矗立在悬崖上", background="波涛汹涌的大海", shot="远景", style="油画", extras=["海浪拍打着礁石"], main="灯塔",
         entities=[("灯塔", "subject", ["城堡", "风车"])], colour=[("灯塔", "subject")], removable=[("海浪", "extras")]),
    dict(subject="一个骑手骑着红色自行车", background="山间公路", shot="中景", style="扁平矢量插画", extras=[], main="骑手",
         entities=[("骑手", "subject", ["跑者", "滑板少年"]), ("自行车", "subject", ["滑板车", "摩托车"])], colour=[("自行车", "subject")],
         removable=[("自行车", "subject")]),
    dict(subject="托盘上放着一个茶壶和两个杯子", background="", shot="俯视", style="", extras=["樱花花瓣散落在四周"], main="茶壶",
         entities=[("茶壶", "subject", ["咖啡壶", "花瓶"]), ("杯子", "subject", ["碗", "玻璃杯"])], colour=[("茶壶", "subject")],
         removable=[("杯子", "subject"), ("花瓣", "extras")]),
]

POOLS_EN: dict[str, list] = {
    "colours": ["olive green", "dusty pink", "ochre", "silver grey", "peach", "indigo"],
    "materials": ["marble", "ice", "gold", "felt", "stone"],
    "objects": [("a sleeping dog", "dog"), ("a potted cactus", "cactus"), ("a hot cup of cocoa", "cocoa"), ("a red balloon", "balloon"),
                ("a small owl", "owl"), ("a bunch of grapes", "grapes"), ("an umbrella", "umbrella"), ("a string of flags", "flags")],
    "backgrounds": [("a bamboo forest", "in", "bamboo"), ("a rooftop garden", "on", "rooftop"), ("a foggy harbour", "in", "harbour"),
                    ("a lavender farm", "on", "lavender"), ("a night market", "in", "market"), ("a glacier", "on", "glacier")],
    "times": [("sunset", "at sunset", "sunset"), ("rainy", "in the rain", "rain"), ("winter", "in winter", "winter"), ("morning", "in the morning", "morning")],
    "styles": [("art nouveau", "an art nouveau poster", "nouveau"), ("watercolour", "a watercolour painting", "watercolo"),
               ("isometric", "an isometric render", "isometric"), ("ink sketch", "a quick ink sketch", "ink"), ("retro anime", "a 90s anime still", "anime"),
               ("mosaic", "a mosaic", "mosaic")],
    "artists": ["Rembrandt", "Gustav Klimt", "Beatrix Potter", "Moebius"],
    "captions": [("A black cat on a fence.", "cat", "cat"), ("An old man reading a newspaper.", "man", "man"),
                 ("A hot air balloon over hills.", "balloon", "balloon"), ("A red fox in the snow.", "fox", "fox")],
    "realistic": ["realistic", "photo", "real", "lifelike"],
}

POOLS_ZH: dict[str, list] = {
    "colours": ["橄榄绿", "灰粉色", "赭石色", "银灰色", "桃色", "靛蓝色"],
    "materials": ["大理石", "冰", "黄金", "毛毡", "石头"],
    "objects": [("一只熟睡的小狗", "小狗"), ("一盆仙人掌", "仙人掌"), ("一杯热可可", "可可"), ("一个红气球", "气球"), ("一只小猫头鹰", "猫头鹰"),
                ("一串葡萄", "葡萄"), ("一把雨伞", "雨伞"), ("一串彩旗", "彩旗")],
    "backgrounds": [("竹林", "竹林"), ("屋顶花园", "屋顶"), ("雾气弥漫的港口", "港口"), ("薰衣草农场", "薰衣草"), ("夜市", "夜市"), ("冰川", "冰川")],
    "times": [("日落", "黄昏"), ("下雨天", "雨"), ("冬天", "冬"), ("早上", "早")],
    "styles": [("新艺术运动", "新艺术"), ("水彩", "水彩"), ("等距", "等距"), ("钢笔速写", "速写"), ("复古动漫", "动漫"), ("马赛克", "马赛克")],
    "artists": ["伦勃朗", "克里姆特", "毕翠克丝·波特", "墨比斯"],
    "captions": [("篱笆上的一只黑猫。", "黑猫", "猫"), ("一位看报纸的老人。", "老人", "老人"), ("山丘上空的热气球。", "热气球", "热气球"),
                 ("雪地里的一只红狐狸。", "狐狸", "狐狸")],
    "realistic": ["写实", "真实", "照片"],
}

FAMILIES_EN: dict[str, list[tuple[str, str]]] = {
    "change_entity": [
        ("swap", "ditch the {old}, {a_new} works better"),
        ("swap", "{a_new}, not a {old}!!"),
        ("swap", "honestly i'd prefer {a_new} over the {old}"),
        ("swap", "can you turn the {old} into {a_new} real quick"),
        ("swap", "I think {a_new} would be cuter than that {old}"),
        ("colour", "{old} should be more of a {colour}"),
        ("colour", "recolor the {old}: {colour}"),
        ("colour_it", "hmm what about {colour}?"),
        ("material", "{old} but {material}"),
    ],
    "add_object": [
        ("add", "stick {obj} in the background"),
        ("add", "can there also be {obj}?"),
        ("add", "{obj} would be a nice touch"),
        ("add", "i miss {obj} here"),
        ("add", "oh and {obj} pls"),
    ],
    "remove_object": [
        ("remove", "{x}: gone"),
        ("remove", "too cluttered, drop the {x}"),
        ("remove", "scrap that {x}"),
        ("remove", "who asked for the {x}? remove"),
        ("remove", "lose the {x} plz"),
    ],
    "change_background": [
        ("bg", "relocate to {bg}"),
        ("bg", "{bg} as the setting"),
        ("bg", "could the scene be {prep} {bg}?"),
        ("bg", "nah, {bg} for the background"),
        ("time", "turn it into a {time_adj} scene"),
        ("time", "switch to {time_adj}"),
    ],
    "change_style": [
        ("style", "do it {style} style"),
        ("style", "hmm, more like {style_noun}"),
        ("style", "{style} aesthetic pls"),
        ("artist", "{artist}-esque"),
        ("artist", "paint it as {artist} would"),
        ("realistic", "less cartoony, more real"),
    ],
    "change_shot": [
        ("fixed:close", "tighter framing on the {main}"),
        ("fixed:wide", "show more of the surroundings"),
        ("fixed:above", "from directly overhead"),
        ("fixed:low", "worm's-eye view"),
        ("fixed:side", "from the side pls"),
    ],
    "combine_images": [
        ("combine", "smush these two together"),
        ("combine_noun", "add the {noun} from the photo I just sent"),
        ("combine", "one picture with both please"),
    ],
}

FAMILIES_ZH: dict[str, list[tuple[str, str]]] = {
    "change_entity": [
        ("swap", "{old}撤了，换{new}"),
        ("swap", "要{new}，不要{old}！"),
        ("swap", "说实话我更想要{new}而不是{old}"),
        ("swap", "{old}能变{new}吗"),
        ("swap", "感觉{new}比{old}可爱"),
        ("colour", "{old}最好是{colour}"),
        ("colour", "{old}的颜色：{colour}"),
        ("colour_it", "要不试试{colour}？"),
        ("material", "{old}换成{material}材质"),
    ],
    "add_object": [
        ("add", "背景里塞{obj}"),
        ("add", "能不能再有{obj}"),
        ("add", "配{obj}会更好看"),
        ("add", "顺手加{obj}呗"),
        ("add", "画面里多{obj}"),
    ],
    "remove_object": [
        ("remove", "{x}：不要"),
        ("remove", "太乱了，{x}拿走"),
        ("remove", "{x}给我删咯"),
        ("remove", "谁让画{x}的，去掉"),
        ("remove", "{x}撤掉吧"),
    ],
    "change_background": [
        ("bg", "挪到{bg}"),
        ("bg", "以{bg}为背景"),
        ("bg", "场景换{bg}行不行"),
        ("bg", "算了，背景用{bg}"),
        ("time", "变成{time}的场景"),
        ("time", "切到{time}"),
    ],
    "change_style": [
        ("style", "弄成{style}风"),
        ("style", "嗯……更像{style}一点"),
        ("style", "{style}画风求安排"),
        ("artist", "{artist}风"),
        ("artist", "按{artist}的画法来"),
        ("realistic", "别那么卡通，真实点"),
    ],
    "change_shot": [
        ("fixed:close", "镜头再贴近{main}一点"),
        ("fixed:wide", "多拍点周围环境"),
        ("fixed:above", "正上方拍"),
        ("fixed:low", "蚂蚁视角"),
        ("fixed:side", "侧面来一张"),
    ],
    "combine_images": [
        ("combine", "这俩合一块儿"),
        ("combine_noun", "把我刚发的照片里的{noun}加进去"),
        ("combine", "一张图里两个都要"),
    ],
}
