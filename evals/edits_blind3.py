"""The third blind round of the labelled prompt-edit set (split ``blind3``, family ids 120+).

Written before anyone read the rewriter's rules for it, and measured once before any rule
changed (that first figure is the honest blind estimate; see :mod:`dialoggen.evals.edits`).
Everything here is new: six base prompts per language no earlier split uses, new slot values
(colours, materials, objects, places, times, styles, artists, attached pictures) and phrasings
the way users of an image assistant type them: wishes, complaints, fragments, polite long
requests, references with "it/that", typos; in Chinese 口语 (整个/弄成/搞成/来点/别要) and
mixed word order.
"""

from __future__ import annotations

from typing import Any

OFFSET = 120
SPLIT = "blind3"

BASES_EN: list[dict[str, Any]] = [
    dict(subject="A fluffy white rabbit nibbles a carrot", background="a vegetable garden", shot="a close-up", style="pastel illustration",
         extras=["A wheelbarrow leans against the fence"], main="rabbit",
         entities=[("rabbit", "subject", ["hamster", "hedgehog"]), ("carrot", "subject", ["strawberry", "lettuce leaf"])],
         colour=[("rabbit", "subject")], removable=[("carrot", "subject"), ("wheelbarrow", "extras")]),
    dict(subject="A jazz musician plays a saxophone under a street lamp", background="a narrow alley in New Orleans", shot="a medium shot",
         style="film noir", extras=["Smoke curls through the air"], main="musician",
         entities=[("saxophone", "subject", ["trumpet", "cello"]), ("musician", "subject", ["young woman", "skeleton"])],
         colour=[("saxophone", "subject")], removable=[("street lamp", "subject"), ("smoke", "extras")]),
    dict(subject="A tiny dragon sleeps curled around a teacup", background="a cluttered wizard's desk", shot="a macro shot",
         style="fantasy illustration", extras=["Candles flicker beside a stack of old books"], main="dragon",
         entities=[("dragon", "subject", ["kitten", "snake"]), ("teacup", "subject", ["treasure chest", "pumpkin"])],
         colour=[("dragon", "subject"), ("teacup", "subject")], removable=[("teacup", "subject"), ("candles", "extras")]),
    dict(subject="A red double-decker bus crosses a bridge", background="London on a grey morning", shot="a wide shot", style="",
         extras=["A cyclist rides beside it"], main="bus", entities=[("bus", "subject", ["tram", "taxi"])],
         colour=[("bus", "subject")], removable=[("cyclist", "extras")]),
    dict(subject="A samurai stands on a cliff holding a katana", background="", shot="a full-body shot", style="ink wash painting",
         extras=["Cherry blossom petals drift in the wind"], main="samurai",
         entities=[("samurai", "subject", ["ninja", "monk"]), ("katana", "subject", ["spear", "bow"])],
         colour=[("katana", "subject")], removable=[("katana", "subject"), ("petals", "extras")]),
    dict(subject="A grandmother bakes bread in a stone oven", background="a farmhouse kitchen", shot="a medium shot", style="warm oil painting",
         extras=["A cat watches from a chair"], main="grandmother",
         entities=[("grandmother", "subject", ["baker", "young boy"]), ("bread", "subject", ["pizza", "apple pie"])],
         colour=[("oven", "subject")], removable=[("cat", "extras")]),
]

BASES_ZH: list[dict[str, Any]] = [
    dict(subject="一只毛茸茸的白兔在啃胡萝卜", background="菜园", shot="特写", style="粉彩插画", extras=["篱笆边靠着一辆手推车"], main="白兔",
         entities=[("白兔", "subject", ["仓鼠", "刺猬"]), ("胡萝卜", "subject", ["草莓", "生菜"])], colour=[("胡萝卜", "subject")],
         removable=[("胡萝卜", "subject"), ("手推车", "extras")]),
    dict(subject="一位爵士乐手在路灯下吹萨克斯", background="狭窄的小巷", shot="中景", style="黑色电影", extras=["空气中飘着烟雾"], main="乐手",
         entities=[("萨克斯", "subject", ["小号", "大提琴"]), ("乐手", "subject", ["年轻女子", "骷髅"])], colour=[("萨克斯", "subject")],
         removable=[("路灯", "subject"), ("烟雾", "extras")]),
    dict(subject="一条小龙蜷缩在茶杯周围睡觉", background="杂乱的巫师书桌", shot="微距", style="奇幻插画", extras=["一摞旧书旁边烛光摇曳"], main="小龙",
         entities=[("小龙", "subject", ["小猫", "蛇"]), ("茶杯", "subject", ["宝箱", "南瓜"])], colour=[("茶杯", "subject"), ("小龙", "subject")],
         removable=[("茶杯", "subject"), ("旧书", "extras")]),
    dict(subject="一辆红色双层巴士驶过大桥", background="灰蒙蒙清晨的伦敦", shot="远景", style="", extras=["一个骑自行车的人跟在旁边"], main="巴士",
         entities=[("巴士", "subject", ["电车", "出租车"])], colour=[("巴士", "subject")], removable=[("骑自行车的人", "extras")]),
    dict(subject="一名武士手握长刀站在悬崖上", background="", shot="全身镜头", style="水墨画", extras=["樱花花瓣随风飘落"], main="武士",
         entities=[("武士", "subject", ["忍者", "和尚"]), ("长刀", "subject", ["长矛", "弓"])], colour=[("长刀", "subject")],
         removable=[("长刀", "subject"), ("樱花花瓣", "extras")]),
    dict(subject="一位老奶奶在石炉里烤面包", background="农舍厨房", shot="中景", style="温暖的油画", extras=["一只猫在椅子上看着"], main="老奶奶",
         entities=[("老奶奶", "subject", ["面包师", "小男孩"]), ("面包", "subject", ["披萨", "苹果派"])], colour=[("石炉", "subject")],
         removable=[("猫", "extras")]),
]

POOLS_EN: dict[str, list] = {
    "colours": ["teal", "crimson", "lavender", "navy blue", "emerald green", "gold", "hot pink", "brown"],
    "materials": ["porcelain", "copper", "crystal", "chocolate", "origami paper", "stone", "bamboo"],
    "objects": [("a flock of crows", "crows"), ("a glowing jellyfish", "jellyfish"), ("a tiny snail", "snail"), ("a stack of books", "books"),
                ("some fireflies", "fireflies"), ("a red fox", "fox"), ("an old clock tower", "clock tower"), ("a cup of coffee", "coffee"),
                ("a few fluffy clouds", "clouds"), ("a shooting star", "shooting star"), ("a black cat", "cat"), ("a paper kite", "kite")],
    "backgrounds": [("a lavender field", "in", "lavender"), ("a frozen lake", "on", "frozen lake"), ("a bamboo forest", "in", "bamboo"),
                    ("a busy train station", "at", "train station"), ("an abandoned factory", "in", "factory"), ("a tropical island", "on", "island"),
                    ("the rooftop of a skyscraper", "on", "rooftop"), ("a candle-lit cathedral", "in", "cathedral"), ("a cave full of crystals", "in", "cave"),
                    ("the foot of a volcano", "at", "volcano")],
    "times": [("midnight", "at midnight", "midnight"), ("dawn", "at dawn", "dawn"), ("stormy", "during a storm", "storm"),
              ("autumn", "in autumn", "autumn"), ("winter", "in winter", "winter"), ("golden hour", "at golden hour", "golden hour")],
    "styles": [("gouache", "a gouache painting", "gouache"), ("art deco", "an art deco poster", "art deco"), ("vaporwave", "a vaporwave image", "vaporwave"),
               ("charcoal", "a charcoal drawing", "charcoal"), ("pop art", "a pop art print", "pop art"), ("steampunk", "a steampunk illustration", "steampunk"),
               ("watercolour", "a watercolour painting", "watercolour"), ("manga", "a manga panel", "manga"), ("impressionist", "an impressionist painting", "impressionis"),
               ("isometric", "an isometric illustration", "isometric"), ("papercut", "a papercut artwork", "papercut"), ("pixel art", "a pixel art sprite", "pixel")],
    "artists": ["Rembrandt", "Salvador Dali", "Makoto Shinkai", "Beatrix Potter", "Frida Kahlo", "Moebius"],
    "captions": [("A brown horse grazing in a paddock.", "horse", "horse"), ("A little boy holding a paper boat.", "boy", "boy"),
                 ("A snowman with a carrot nose in a garden.", "snowman", "snowman"), ("A parrot perched on a branch.", "parrot", "parrot"),
                 ("A vintage typewriter on a desk.", "typewriter", "typewriter"), ("A ballerina spinning on a stage.", "ballerina", "ballerina")],
    "realistic": ["realistic", "photo", "real"],
}

POOLS_ZH: dict[str, list] = {
    "colours": ["青色", "深红色", "淡紫色", "藏蓝色", "墨绿色", "金色", "粉红色", "棕色"],
    "materials": ["陶瓷", "铜", "水晶", "巧克力", "折纸", "石头", "竹子"],
    "objects": [("一群乌鸦", "乌鸦"), ("一只发光的水母", "水母"), ("一只小蜗牛", "蜗牛"), ("一摞书", "书"), ("一些萤火虫", "萤火虫"), ("一只红狐狸", "狐狸"),
                ("一座老钟楼", "钟楼"), ("一杯咖啡", "咖啡"), ("几朵白云", "白云"), ("一颗流星", "流星"), ("一只黑猫", "黑猫"), ("一个风筝", "风筝")],
    "backgrounds": [("薰衣草花田", "薰衣草"), ("结冰的湖面", "湖"), ("竹林", "竹林"), ("火车站", "火车站"), ("废弃的工厂", "工厂"), ("热带小岛", "小岛"),
                    ("摩天大楼楼顶", "楼顶"), ("烛光下的教堂", "教堂"), ("满是水晶的山洞", "山洞"), ("火山脚下", "火山")],
    "times": [("半夜", "夜"), ("清晨", "清晨"), ("暴风雨", "暴风雨"), ("秋天", "秋"), ("冬天", "冬"), ("傍晚", "傍晚")],
    "styles": [("水粉", "水粉"), ("装饰艺术", "装饰艺术"), ("蒸汽波", "蒸汽波"), ("炭笔画", "炭笔"), ("波普艺术", "波普"), ("蒸汽朋克", "蒸汽朋克"),
               ("国画", "国画"), ("线稿", "线稿"), ("印象派", "印象派"), ("日漫", "日漫"), ("剪纸", "剪纸"), ("像素", "像素")],
    "artists": ["伦勃朗", "达利", "新海诚", "徐悲鸿", "吴冠中", "草间弥生"],
    "captions": [("一匹在围场里吃草的棕色马。", "马", "马"), ("一个拿着纸船的小男孩。", "小男孩", "小男孩"), ("花园里一个胡萝卜鼻子的雪人。", "雪人", "雪人"),
                 ("一只停在树枝上的鹦鹉。", "鹦鹉", "鹦鹉"), ("书桌上的一台老式打字机。", "打字机", "打字机"), ("一位在舞台上旋转的芭蕾舞演员。", "芭蕾舞演员", "芭蕾")],
    "realistic": ["写实", "真实", "照片"],
}

FAMILIES_EN: dict[str, list[tuple[str, str]]] = {
    "change_entity": [
        ("swap", "ugh, the {old} looks weird. can it be {a_new}?"),
        ("swap", "Would you mind replacing the {old} with {a_new}? Everything else is perfect."),
        ("swap", "i want {a_new}, not the {old}"),
        ("swap", "replace teh {old} with {a_new} pls"),
        ("swap", "Keep everything the same, just turn that {old} into {a_new}."),
        ("colour", "I wish the {old} was {colour}."),
        ("colour", "{colour} {old} please"),
        ("colour", "change the {old}'s colour to {colour}"),
        ("colour_it", "Can you make it {colour}?"),
        ("material", "what if the {old} were made out of {material}"),
    ],
    "add_object": [
        ("add", "can u add {obj}"),
        ("add", "It feels a bit empty. Maybe {obj}?"),
        ("add", "Please could you add {obj} somewhere in the background?"),
        ("add", "I'd love to see {obj} in this one."),
        ("add", "Now put {obj} next to the {main}."),
        ("add", "add {obj} too, thx"),
    ],
    "remove_object": [
        ("remove", "get rid of that {x}"),
        ("remove", "Hmm, I don't like the {x}. Can you remove it?"),
        ("remove", "no more {x} please"),
        ("remove", "Could you make a version without the {x}?"),
        ("remove", "the {x} ruins it, take it out"),
        ("remove", "remvoe the {x}"),
    ],
    "change_background": [
        ("bg", "put it {prep} {bg}"),
        ("bg", "I'd love the background to be {bg}, if that's possible."),
        ("bg", "can the scene take place {prep} {bg}?"),
        ("bg", "Move them {prep} {bg}."),
        ("time", "make it {time_adj} instead"),
        ("time", "What would it look like {time_at}?"),
    ],
    "change_style": [
        ("style", "can you do a {style} version of this?"),
        ("style", "I'd prefer it as {style_noun}, please."),
        ("style", "{style} style pls"),
        ("realistic", "It looks too cartoony. Make it look like a real photo."),
        ("artist", "Could it look like something {artist} painted?"),
        ("style", "switch to a {style} look"),
    ],
    "change_shot": [
        ("fixed:close", "closer!"),
        ("fixed:wide", "I can't see the surroundings, pull back a bit."),
        ("fixed:above", "view from directly above please"),
        ("fixed:low", "Make it look like we're looking up at the {main} from the ground."),
        ("fixed:side", "show the {main} in profile"),
        ("fixed:full", "I want to see the {main} from head to toe."),
        ("fixed:close", "tighter crop on the {main} please"),
    ],
    "combine_images": [
        ("combine", "combine the two?"),
        ("combine_noun", "can you put the {noun} from my photo in there too"),
        ("combine", "Use this photo and the last picture together in one image."),
        ("combine_noun", "add this {noun} to the picture you made"),
    ],
}

FAMILIES_ZH: dict[str, list[tuple[str, str]]] = {
    "change_entity": [
        ("swap", "{old}看着怪怪的，换成{new}吧"),
        ("swap", "能麻烦把{old}替换成{new}吗？其他都挺好的"),
        ("swap", "不要{old}，要{new}"),
        ("swap", "{new}，把{old}换掉"),
        ("swap", "把那个{old}弄成{new}"),
        ("colour", "{old}搞成{colour}的"),
        ("colour", "{old}颜色不对，改{colour}"),
        ("colour", "{colour}的{old}会更好看"),
        ("colour_it", "整个弄成{colour}的"),
        ("material", "{old}用{material}做的那种"),
    ],
    "add_object": [
        ("add", "画面有点空，加{obj}吧"),
        ("add", "在{main}旁边弄{obj}"),
        ("add", "能不能多加{obj}呀"),
        ("add", "{obj}也画上"),
        ("add", "帮我在画里添上{obj}，谢谢"),
        ("add", "再整{obj}进去"),
    ],
    "remove_object": [
        ("remove", "{x}别要了"),
        ("remove", "把那个{x}弄走"),
        ("remove", "{x}太碍眼了，去掉"),
        ("remove", "能不能不要{x}啊"),
        ("remove", "不想看到{x}"),
        ("remove", "{x}给我删了"),
    ],
    "change_background": [
        ("bg", "背景搞成{bg}"),
        ("bg", "整个场景换到{bg}"),
        ("bg", "能不能让它们在{bg}里？"),
        ("bg", "把背景弄成{bg}的样子"),
        ("time", "弄成{time}的"),
        ("time", "要{time}的氛围"),
    ],
    "change_style": [
        ("style", "整个搞成{style}风"),
        ("style", "来点{style}风格"),
        ("style", "{style}画风的来一张"),
        ("style", "不喜欢现在的风格，换成{style}吧"),
        ("artist", "仿照{artist}的画风"),
        ("realistic", "弄得真实一点，像照片那样"),
    ],
    "change_shot": [
        ("fixed:close", "凑近点"),
        ("fixed:wide", "往后退一点，多拍点环境"),
        ("fixed:above", "从正上方往下看"),
        ("fixed:low", "从地面往上拍{main}"),
        ("fixed:side", "侧着拍"),
        ("fixed:full", "把{main}整个拍进去，从头到脚"),
        ("fixed:close", "镜头怼近一点"),
    ],
    "combine_images": [
        ("combine", "两张合一起"),
        ("combine_noun", "把我这张照片里的{noun}也放进去"),
        ("combine", "用这张照片和刚才那幅画拼成一张"),
        ("combine_noun", "把{noun}弄到刚才画的图里"),
    ],
}
