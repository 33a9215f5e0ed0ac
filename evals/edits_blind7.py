"""The seventh round of the labelled prompt-edit set (split ``blind7``, family ids 320+).

Written after the blind6 round, before the blind6 fixes and before the rule code was read
in detail, to measure how the rewriter does on phrasings nobody tuned for. Measurement
only: its failures are not fixed (it is not in ``TUNED_SPLITS``) and it never trains the
learned edit classifier. Four new base prompts per language, new slot values, new phrasing
families, three cases per family.
"""

from __future__ import annotations

from typing import Any

OFFSET = 320
SPLIT = "blind7"
PER_FAMILY = 3

BASES_EN: list[dict[str, Any]] = [
    dict(subject="A fisherman mends his net", background="a wooden pier", shot="a medium shot", style="charcoal drawing",
         extras=["Seagulls circle overhead"], main="fisherman",
         entities=[("fisherman", "subject", ["sailor", "old woman"]), ("net", "subject", ["fishing rod", "basket"])],
         colour=[("net", "subject")], removable=[("seagulls", "extras")]),
    dict(subject="A robot waters a row of sunflowers", background="a greenhouse", shot="a wide shot", style="3D render",
         extras=["A watering can lies on its side"], main="robot",
         entities=[("robot", "subject", ["android", "scarecrow"]), ("sunflowers", "subject", ["tulips", "roses"])],
         colour=[("robot", "subject")], removable=[("watering can", "extras")]),
    dict(subject="A girl in a yellow raincoat jumps in a puddle", background="a city street", shot="a full-body shot",
         style="children's book illustration", extras=[], main="girl",
         entities=[("girl", "subject", ["boy", "duckling"]), ("raincoat", "subject", ["poncho", "jacket"])],
         colour=[("raincoat", "subject")], removable=[("puddle", "subject")]),
    dict(subject="A stack of old books beside a candle", background="", shot="a close-up", style="",
         extras=["A pair of reading glasses rests on top"], main="books",
         entities=[("books", "subject", ["records", "letters"]), ("candle", "subject", ["lantern", "lamp"])],
         colour=[("candle", "subject")], removable=[("candle", "subject"), ("glasses", "extras")]),
]

BASES_ZH: list[dict[str, Any]] = [
    dict(subject="一位渔夫在修补渔网", background="木头码头", shot="中景", style="炭笔画", extras=["海鸥在头顶盘旋"], main="渔夫",
         entities=[("渔夫", "subject", ["水手", "老奶奶"]), ("渔网", "subject", ["鱼竿", "竹篮"])], colour=[("渔网", "subject")],
         removable=[("海鸥", "extras")]),
    dict(subject="一个机器人在给一排向日葵浇水", background="温室", shot="远景", style="三维渲染", extras=["一个洒水壶倒在一旁"], main="机器人",
         entities=[("机器人", "subject", ["仿生人", "稻草人"]), ("向日葵", "subject", ["郁金香", "玫瑰"])], colour=[("机器人", "subject")],
         removable=[("洒水壶", "extras")]),
    dict(subject="一个穿黄色雨衣的女孩在水坑里跳", background="城市街道", shot="全身", style="儿童绘本插画", extras=[], main="女孩",
         entities=[("女孩", "subject", ["男孩", "小鸭子"]), ("雨衣", "subject", ["斗篷", "夹克"])], colour=[("雨衣", "subject")],
         removable=[("水坑", "subject")]),
    dict(subject="一摞旧书旁边放着一支蜡烛", background="", shot="特写", style="", extras=["一副老花镜搁在书上"], main="旧书",
         entities=[("旧书", "subject", ["唱片", "信件"]), ("蜡烛", "subject", ["油灯", "台灯"])], colour=[("蜡烛", "subject")],
         removable=[("蜡烛", "subject"), ("老花镜", "extras")]),
]

POOLS_EN: dict[str, list] = {
    "colours": ["teal", "burgundy", "mustard yellow", "lilac", "charcoal black", "coral"],
    "materials": ["glass", "copper", "wood", "porcelain", "paper"],
    "objects": [("a paper kite", "kite"), ("a tiny snail", "snail"), ("a glowing lantern", "lantern"), ("a stray dog", "dog"),
                ("a hummingbird", "hummingbird"), ("a rainbow", "rainbow"), ("a wheelbarrow", "wheelbarrow"), ("a pile of autumn leaves", "leaves")],
    "backgrounds": [("a desert canyon", "in", "canyon"), ("a snowy village", "in", "village"), ("a coral reef", "on", "reef"),
                    ("a train station", "at", "station"), ("a wheat field", "in", "wheat"), ("an old library", "in", "library")],
    "times": [("midnight", "at midnight", "midnight"), ("autumn", "in autumn", "autumn"), ("foggy", "in thick fog", "fog"), ("dusk", "at dusk", "dusk")],
    "styles": [("pixel art", "a pixel art sprite", "pixel"), ("ukiyo-e", "a ukiyo-e woodblock print", "ukiyo"),
               ("cyberpunk", "a cyberpunk poster", "cyberpunk"), ("pencil", "a pencil drawing", "pencil"),
               ("claymation", "a claymation still", "clay"), ("paper cut", "a paper cut-out", "paper")],
    "artists": ["Van Gogh", "Hokusai", "Frida Kahlo", "Edward Hopper"],
    "captions": [("A white horse in a meadow.", "horse", "horse"), ("A panda eating bamboo.", "panda", "panda"),
                 ("A yellow taxi on a street.", "taxi", "taxi"), ("A brown bear catching fish.", "bear", "bear")],
    "realistic": ["realistic", "photo", "real", "lifelike"],
}

POOLS_ZH: dict[str, list] = {
    "colours": ["青绿色", "酒红色", "芥末黄", "淡紫色", "炭黑色", "珊瑚色"],
    "materials": ["玻璃", "铜", "木头", "陶瓷", "纸"],
    "objects": [("一只纸风筝", "风筝"), ("一只小蜗牛", "蜗牛"), ("一盏发光的灯笼", "灯笼"), ("一只流浪狗", "流浪狗"), ("一只蜂鸟", "蜂鸟"),
                ("一道彩虹", "彩虹"), ("一辆手推车", "手推车"), ("一堆落叶", "落叶")],
    "backgrounds": [("沙漠峡谷", "峡谷"), ("雪中的小村庄", "村庄"), ("珊瑚礁", "珊瑚礁"), ("火车站", "火车站"), ("麦田", "麦田"), ("古老的图书馆", "图书馆")],
    "times": [("半夜", "夜"), ("秋天", "秋"), ("大雾天", "雾"), ("傍晚", "傍晚")],
    "styles": [("像素", "像素"), ("浮世绘", "浮世绘"), ("赛博朋克", "赛博朋克"), ("铅笔素描", "铅笔"), ("黏土动画", "黏土"), ("剪纸", "剪纸")],
    "artists": ["梵高", "葛饰北斋", "弗里达", "霍珀"],
    "captions": [("草地上的一匹白马。", "白马", "马"), ("吃竹子的熊猫。", "熊猫", "熊猫"), ("街上的一辆黄色出租车。", "出租车", "出租车"),
                 ("正在捕鱼的棕熊。", "棕熊", "熊")],
    "realistic": ["写实", "真实", "照片", "逼真"],
}

FAMILIES_EN: dict[str, list[tuple[str, str]]] = {
    "change_entity": [
        ("swap", "replace that {old} with {a_new}, would ya"),
        ("swap", "what if it was {a_new} instead of the {old}"),
        ("swap", "{old}? nah. {A_new}."),
        ("swap", "go with {a_new} rather than the {old}"),
        ("swap", "the {old} doesn't work for me, try {a_new}"),
        ("colour", "paint the {old} {colour}"),
        ("colour", "could the {old} be {colour} instead"),
        ("colour_it", "{colour} would suit it better"),
        ("material", "make the {old} out of {material}"),
        ("material_it", "what about a {material} version"),
    ],
    "add_object": [
        ("add", "throw in {obj} somewhere"),
        ("add", "it needs {obj}"),
        ("add", "put {obj} next to the {main}"),
        ("add", "{obj} in the corner would be fun"),
        ("add", "could we get {obj} too"),
        ("add", "how about adding {obj}"),
    ],
    "remove_object": [
        ("remove", "get rid of the {x} pls"),
        ("remove", "no {x}"),
        ("remove", "the {x} is distracting, take it out"),
        ("remove", "better without the {x}"),
        ("remove", "erase the {x}"),
    ],
    "change_background": [
        ("bg", "set it in {bg}"),
        ("bg", "background: {bg}"),
        ("bg", "move everything to {bg}"),
        ("bg", "put them {prep} {bg} instead"),
        ("time", "make it {time_at}"),
        ("time", "{time_adj} vibes instead"),
    ],
    "change_style": [
        ("style", "render it as {style_noun}"),
        ("style", "{style} please"),
        ("style", "switch the style to {style}"),
        ("artist", "like a {artist} painting"),
        ("artist", "in the manner of {artist}"),
        ("realistic", "make it look like an actual photo"),
    ],
    "change_shot": [
        ("fixed:close", "zoom in on the {main}"),
        ("fixed:wide", "pull back, I want it wider"),
        ("fixed:above", "bird's-eye perspective please"),
        ("fixed:low", "shoot it from down low"),
        ("fixed:full", "show the whole body"),
        ("fixed:side", "profile view"),
    ],
    "combine_images": [
        ("combine", "merge this photo with the picture"),
        ("combine_noun", "put the {noun} from this pic into the scene"),
        ("combine", "combine both images into one"),
    ],
}

FAMILIES_ZH: dict[str, list[tuple[str, str]]] = {
    "change_entity": [
        ("swap", "把那个{old}换掉，来个{new}"),
        ("swap", "{old}不太行，试试{new}"),
        ("swap", "如果是{new}而不是{old}呢"),
        ("swap", "{old}？不行。{new}。"),
        ("swap", "用{new}代替{old}"),
        ("colour", "把{old}涂成{colour}"),
        ("colour", "{old}可以是{colour}的吗"),
        ("colour_it", "{colour}会更合适"),
        ("material", "{old}用{material}做"),
        ("material_it", "来个{material}版本的"),
    ],
    "add_object": [
        ("add", "随便哪里加上{obj}"),
        ("add", "还缺{obj}"),
        ("add", "在{main}旁边放{obj}"),
        ("add", "角落里来{obj}挺好玩"),
        ("add", "能再来{obj}吗"),
        ("add", "添{obj}怎么样"),
    ],
    "remove_object": [
        ("remove", "{x}去掉呗"),
        ("remove", "不要{x}"),
        ("remove", "{x}太抢眼了，拿掉"),
        ("remove", "没有{x}会更好"),
        ("remove", "擦掉{x}"),
    ],
    "change_background": [
        ("bg", "放到{bg}里"),
        ("bg", "背景：{bg}"),
        ("bg", "整个搬到{bg}去"),
        ("bg", "换个地方，{bg}"),
        ("time", "改成{time}"),
        ("time", "要{time}的感觉"),
    ],
    "change_style": [
        ("style", "画成{style}的样子"),
        ("style", "{style}，谢谢"),
        ("style", "风格换成{style}"),
        ("artist", "像{artist}的画"),
        ("artist", "模仿{artist}的风格"),
        ("realistic", "弄得像真的照片一样"),
    ],
    "change_shot": [
        ("fixed:close", "拉近看{main}"),
        ("fixed:wide", "镜头拉远一点"),
        ("fixed:above", "鸟瞰角度"),
        ("fixed:low", "从低处往上拍"),
        ("fixed:full", "拍全身"),
        ("fixed:side", "从侧边拍"),
    ],
    "combine_images": [
        ("combine", "把这张照片和之前的图合起来"),
        ("combine_noun", "把这张图里的{noun}放进画面"),
        ("combine", "两张图合成一张"),
    ],
}
