"""The fifth blind round of the labelled prompt-edit set (split ``blind5``, family ids 200+).

Written before its author read any rewriter rule, to measure how the offline rewriter
generalises to phrasings nobody tuned it for. Six new base prompts per language (one with an
empty background and style), new slot values, and 60+ phrasing families per language, each
used for only three cases so that phrasing varies more than slot values: bare fragments
("closer", "+ a rainbow"), complaints ("looks too fake"), corrections ("hmm, not quite — I
meant ..."), references to earlier turns ("like I said earlier"), mixed languages
("the owl → a bat pls, 谢谢", "加个热气球 pls"), typos ("teh", "backgroud", "背静", "唤成"),
long polite requests, and 口语 / 网络用语 (怼脸拍, 上帝视角, P掉, 合体！, 整点).

This split is never used to train the learned edit classifier
(:mod:`dialoggen.agent.rewriter.classifier`). Measured once with the rules alone (applied 74.1% en /
56.6% zh), once with the learned classifier added (82.5% / 79.9%), then its failures were fixed
with general rules; see :mod:`dialoggen.evals.edits`.
"""

from __future__ import annotations

from typing import Any

OFFSET = 200
SPLIT = "blind5"
PER_FAMILY = 3  # cases per phrasing family: more phrasings, fewer slot fillings each

# Six bases: _instantiate picks base (5k + 7fi) mod len(bases), which needs a length prime to 5.
BASES_EN: list[dict[str, Any]] = [
    dict(subject="A grey elephant splashes water with its trunk", background="a muddy river bank", shot="a wide shot",
         style="wildlife photography", extras=["Birds perch on its back"], main="elephant",
         entities=[("elephant", "subject", ["rhino", "water buffalo"])], colour=[("elephant", "subject")], removable=[("birds", "extras")]),
    dict(subject="A girl in a yellow raincoat jumps in a puddle", background="a quiet suburban street", shot="a full-body shot",
         style="pastel illustration", extras=["Autumn leaves float in the water"], main="girl",
         entities=[("girl", "subject", ["boy", "puppy"]), ("raincoat", "subject", ["poncho", "hoodie"])],
         colour=[("raincoat", "subject")], removable=[("raincoat", "subject"), ("leaves", "extras")]),
    dict(subject="A vintage typewriter sits on a desk", background="a dim study", shot="a close-up", style="film photography",
         extras=["A cup of coffee steams beside it", "Papers are scattered around"], main="typewriter",
         entities=[("typewriter", "subject", ["laptop", "gramophone"]), ("desk", "subject", ["piano"])],
         colour=[("typewriter", "subject")], removable=[("coffee", "extras"), ("papers", "extras")]),
    dict(subject="An astronaut plants a flag", background="", shot="a low-angle shot", style="", extras=[], main="astronaut",
         entities=[("astronaut", "subject", ["scientist", "alien"]), ("flag", "subject", ["tree", "signpost"])],
         colour=[("flag", "subject")], removable=[("flag", "subject")]),
    dict(subject="A street musician plays a violin", background="a snowy city square", shot="a medium shot", style="oil painting",
         extras=["A hat for coins lies at his feet"], main="musician",
         entities=[("musician", "subject", ["clown", "old woman"]), ("violin", "subject", ["cello", "accordion"])],
         colour=[("violin", "subject")], removable=[("violin", "subject"), ("hat", "extras")]),
    dict(subject="A red fox curls up under a pine tree", background="a quiet winter forest", shot="a wide shot",
         style="children's picture book", extras=["Snowflakes drift down"], main="fox",
         entities=[("fox", "subject", ["wolf", "hare"])], colour=[("fox", "subject")], removable=[("snowflakes", "extras")]),
]

BASES_ZH: list[dict[str, Any]] = [
    dict(subject="一头灰色的大象用鼻子喷水", background="泥泞的河岸", shot="远景", style="野生动物摄影", extras=["几只小鸟停在它背上"], main="大象",
         entities=[("大象", "subject", ["犀牛", "河马"])], colour=[("大象", "subject")], removable=[("小鸟", "extras")]),
    dict(subject="一个穿黄色雨衣的小女孩在水坑里跳", background="安静的郊区街道", shot="全身镜头", style="粉彩插画", extras=["落叶漂在水面上"], main="小女孩",
         entities=[("小女孩", "subject", ["小男孩", "小狗"]), ("雨衣", "subject", ["斗篷", "卫衣"])], colour=[("雨衣", "subject")],
         removable=[("雨衣", "subject"), ("落叶", "extras")]),
    dict(subject="一台复古打字机放在书桌上", background="昏暗的书房", shot="特写", style="胶片摄影", extras=["旁边的咖啡冒着热气", "纸张散落在四周"],
         main="打字机", entities=[("打字机", "subject", ["笔记本电脑", "留声机"]), ("书桌", "subject", ["钢琴"])], colour=[("打字机", "subject")],
         removable=[("咖啡", "extras"), ("纸张", "extras")]),
    dict(subject="一名宇航员正在插一面旗子", background="", shot="仰拍", style="", extras=[], main="宇航员",
         entities=[("宇航员", "subject", ["科学家", "外星人"]), ("旗子", "subject", ["小树", "路牌"])], colour=[("旗子", "subject")],
         removable=[("旗子", "subject")]),
    dict(subject="一位街头艺人在拉小提琴", background="下雪的城市广场", shot="中景", style="油画", extras=["他脚边放着一顶收钱的帽子"], main="艺人",
         entities=[("街头艺人", "subject", ["小丑", "老奶奶"]), ("小提琴", "subject", ["大提琴", "手风琴"])], colour=[("小提琴", "subject")],
         removable=[("小提琴", "subject"), ("帽子", "extras")]),
    dict(subject="一只红狐狸蜷缩在松树下", background="安静的冬日森林", shot="远景", style="儿童绘本", extras=["雪花缓缓飘落"], main="狐狸",
         entities=[("狐狸", "subject", ["狼", "野兔"]), ("松树", "subject", ["枫树", "白桦树"])], colour=[("狐狸", "subject")],
         removable=[("雪花", "extras")]),
]

POOLS_EN: dict[str, list] = {
    "colours": ["teal", "lavender", "rust orange", "navy blue", "lime green", "magenta", "cream", "turquoise"],
    "materials": ["bronze", "porcelain", "denim", "crystal", "origami paper", "chocolate"],
    "objects": [("a hot air balloon", "balloon"), ("a small campfire", "campfire"), ("a wind chime", "chime"), ("a pair of butterflies", "butterflies"),
                ("a stack of old books", "books"), ("a rainbow", "rainbow"), ("a snowman", "snowman"), ("a wooden bench", "bench"),
                ("a flock of crows", "crows"), ("a teddy bear", "teddy")],
    "backgrounds": [("a cherry blossom park", "in", "cherry"), ("a neon-lit alley", "in", "alley"), ("a desert canyon", "in", "canyon"),
                    ("a frozen lake", "on", "frozen"), ("a busy train station", "in", "station"), ("a tropical island", "on", "island"),
                    ("an abandoned factory", "in", "factory"), ("a sunflower field", "in", "sunflower")],
    "times": [("midnight", "at midnight", "midnight"), ("snowy", "in the snow", "snow"), ("golden-hour", "at golden hour", "golden"),
              ("stormy", "in a storm", "storm"), ("autumn", "in autumn", "autumn"), ("dawn", "at dawn", "dawn")],
    "styles": [("vaporwave", "a vaporwave poster", "vaporwave"), ("low-poly", "a low-poly render", "low-poly"), ("charcoal", "a charcoal sketch", "charcoal"),
               ("stained glass", "a stained glass window", "stained glass"), ("pop art", "a pop art print", "pop art"),
               ("pixel art", "a pixel art sprite", "pixel"), ("gouache", "a gouache painting", "gouache"), ("comic book", "a comic book panel", "comic")],
    "artists": ["Salvador Dali", "Wes Anderson", "Alphonse Mucha", "Frida Kahlo", "Makoto Shinkai"],
    "captions": [("A brown horse galloping on a beach.", "horse", "horse"), ("A little boy holding a balloon.", "boy", "boy"),
                 ("A white swan on a lake.", "swan", "swan"), ("A robot vacuum on a wooden floor.", "robot", "robot"),
                 ("A bouquet of tulips in a vase.", "tulips", "tulips")],
    "realistic": ["realistic", "photo", "real", "lifelike"],
}

POOLS_ZH: dict[str, list] = {
    "colours": ["青绿色", "薰衣草紫", "铁锈红", "藏青色", "柠檬黄", "洋红色", "奶油色", "湖蓝色"],
    "materials": ["青铜", "陶瓷", "牛仔布", "水晶", "折纸", "巧克力"],
    "objects": [("一个热气球", "热气球"), ("一堆篝火", "篝火"), ("一串风铃", "风铃"), ("一对蝴蝶", "蝴蝶"), ("一摞旧书", "旧书"), ("一道彩虹", "彩虹"),
                ("一个雪人", "雪人"), ("一张木长椅", "长椅"), ("一群乌鸦", "乌鸦"), ("一只泰迪熊", "泰迪熊")],
    "backgrounds": [("樱花公园", "樱花"), ("霓虹闪烁的小巷", "小巷"), ("沙漠峡谷", "峡谷"), ("结冰的湖面", "冰"), ("繁忙的火车站", "火车站"),
                    ("热带小岛", "小岛"), ("废弃的工厂", "工厂"), ("向日葵花田", "向日葵")],
    "times": [("半夜", "夜"), ("下雪天", "雪"), ("黄金时刻", "黄金"), ("暴风雨", "暴风雨"), ("秋天", "秋"), ("清晨", "清晨")],
    "styles": [("蒸汽波", "蒸汽波"), ("低多边形", "低多边形"), ("炭笔", "炭笔"), ("彩色玻璃", "玻璃"), ("波普艺术", "波普"), ("像素风", "像素"),
               ("水粉", "水粉"), ("美漫", "美漫")],
    "artists": ["达利", "韦斯·安德森", "穆夏", "弗里达", "新海诚"],
    "captions": [("沙滩上奔跑的一匹棕色骏马。", "马", "马"), ("一个拿着气球的小男孩。", "小男孩", "男孩"), ("湖面上的一只白天鹅。", "天鹅", "天鹅"),
                 ("木地板上的扫地机器人。", "扫地机器人", "机器人"), ("花瓶里的一束郁金香。", "郁金香", "郁金香")],
    "realistic": ["写实", "真实", "照片"],
}

FAMILIES_EN: dict[str, list[tuple[str, str]]] = {
    "change_entity": [
        ("swap", "hmm, not quite — I meant {a_new}, not the {old}"),
        ("swap", "{old}?? no. {new}."),
        ("swap", "ok so like... what if the {old} was actually {a_new}"),
        ("swap", "Would you be so kind as to replace the {old} with {a_new}? Thank you so much in advance!"),
        ("swap", "same thing but {a_new} instead of the {old}"),
        ("swap", "teh {old} shoud be {a_new}"),
        ("swap", "the {old} → {a_new} pls, 谢谢"),
        ("colour", "like I said earlier, the {old} needs to be {colour}"),
        ("colour", "{colour} {old}, not whatever that is"),
        ("colour", "can u make the {old} {colour}-ish"),
        ("colour_it", "eh, the colour's off. go {colour}"),
        ("material", "what if the {old} were made of {material}"),
        ("material_it", "{material} version of it?"),
    ],
    "add_object": [
        ("add", "needs {obj}"),
        ("add", "it's missing something... {obj} maybe"),
        ("add", "Could you kindly include {obj} somewhere in the scene? That would be lovely."),
        ("add", "+ {obj}"),
        ("add", "throw in {obj} too lol"),
        ("add", "and {obj} next to the {main}"),
        ("add", "u forgot {obj}"),
        ("add", "add {obj} 谢谢"),
    ],
    "remove_object": [
        ("remove", "no {x}"),
        ("remove", "the {x} has to go"),
        ("remove", "honestly the {x} ruins it, take it out"),
        ("remove", "without the {x} pls"),
        ("remove", "I don't want any {x} in there"),
        ("remove", "erase {x}"),
        ("remove", "lose teh {x}"),
        ("remove", "Would you mind removing the {x}? Otherwise it's perfect."),
    ],
    "change_background": [
        ("bg", "move everything to {bg}"),
        ("bg", "new backdrop: {bg}"),
        ("bg", "hmm, wrong place. {bg}"),
        ("bg", "put the {main} {prep} {bg} instead"),
        ("bg", "I was picturing it {prep} {bg}, could you change that?"),
        ("bg", "backgroud → {bg}"),
        ("time", "make it {time_at}"),
        ("time", "now {time_at}"),
        ("time", "same scene but {time_at}"),
        ("time", "how would it look {time_at}?"),
    ],
    "change_style": [
        ("style", "{style} pls"),
        ("style", "too plain. try {style_noun}"),
        ("style", "render it like {style_noun}"),
        ("style", "I'd love to see this done in a {style} style, if that's not too much trouble"),
        ("style", "style: {style}"),
        ("style", "can it look more {style}"),
        ("artist", "in the manner of {artist}"),
        ("artist", "make it look like {artist} painted it"),
        ("realistic", "looks too fake, make it realistic"),
        ("realistic", "photo-like please"),
    ],
    "change_shot": [
        ("fixed:close", "closer"),
        ("fixed:close", "I can't see the {main} properly, get in closer"),
        ("fixed:wide", "too cramped, pull back"),
        ("fixed:wide", "wider pls"),
        ("fixed:above", "bird's-eye please"),
        ("fixed:above", "view from straight above"),
        ("fixed:low", "shoot it from below"),
        ("fixed:full", "show the whole {main}, head to toe"),
        ("fixed:side", "profile view"),
    ],
    "combine_images": [
        ("combine", "merge them"),
        ("combine", "mix my photo with what you drew"),
        ("combine_noun", "take the {noun} from my pic and drop it into yours"),
        ("combine_noun", "can the {noun} join the scene?"),
        ("combine", "blend the two pictures into one"),
    ],
}

FAMILIES_ZH: dict[str, list[tuple[str, str]]] = {
    "change_entity": [
        ("swap", "emmm不太对，{old}应该是{new}"),
        ("swap", "{old}不要了，整个{new}"),
        ("swap", "能不能麻烦您把{old}替换为{new}呢？非常感谢！"),
        ("swap", "{old}→{new}"),
        ("swap", "我觉得{new}会比{old}好"),
        ("swap", "把{old}唤成{new}"),
        ("swap", "{old}改{new}，thx"),
        ("colour", "之前说了，{old}要{colour}的"),
        ("colour", "{old}颜色不对，{colour}"),
        ("colour", "给{old}上个{colour}"),
        ("colour_it", "整体调成{colour}吧"),
        ("material", "{old}做成{material}的"),
        ("material_it", "来个{material}版本的"),
    ],
    "add_object": [
        ("add", "再来{obj}"),
        ("add", "少了点啥，加{obj}吧"),
        ("add", "+{obj}"),
        ("add", "您好，请问能在画面里添加{obj}吗？谢谢"),
        ("add", "{main}旁边整{obj}"),
        ("add", "还要有{obj}哦"),
        ("add", "顺便放{obj}"),
        ("add", "加个{obj} pls"),
    ],
    "remove_object": [
        ("remove", "不要{x}"),
        ("remove", "{x}太丑了，撤掉"),
        ("remove", "把{x}P掉"),
        ("remove", "{x}可以不要吗"),
        ("remove", "没有{x}会更好"),
        ("remove", "{x}删了删了"),
        ("remove", "麻烦把画里的{x}移除一下，谢谢啦"),
        ("remove", "{x}碍眼"),
    ],
    "change_background": [
        ("bg", "换到{bg}去"),
        ("bg", "场景：{bg}"),
        ("bg", "地点不对，应该在{bg}"),
        ("bg", "把{main}搬到{bg}"),
        ("bg", "背静换成{bg}"),
        ("bg", "我想象中是在{bg}里，可以改一下吗"),
        ("time", "改成{time}"),
        ("time", "同样的画面，{time}的"),
        ("time", "换成{time}的氛围"),
        ("time", "要是{time}呢"),
    ],
    "change_style": [
        ("style", "{style}风格安排一下"),
        ("style", "太普通了，试试{style}"),
        ("style", "画成{style}的"),
        ("style", "您好，如果方便的话，能否用{style}风格重新绘制？"),
        ("style", "风格：{style}"),
        ("style", "整点{style}的感觉"),
        ("artist", "仿{artist}"),
        ("artist", "像{artist}画的那样"),
        ("realistic", "太假了，搞得写实一点"),
        ("realistic", "要照片那种"),
    ],
    "change_shot": [
        ("fixed:close", "怼脸拍"),
        ("fixed:close", "再近一点，看不清{main}"),
        ("fixed:wide", "太挤了，拉远点"),
        ("fixed:wide", "广角来一张"),
        ("fixed:above", "上帝视角"),
        ("fixed:above", "从正上方往下看"),
        ("fixed:low", "从下往上拍"),
        ("fixed:full", "{main}要拍全身"),
        ("fixed:side", "侧着拍"),
    ],
    "combine_images": [
        ("combine", "合体！"),
        ("combine", "把我发的图和你画的融一下"),
        ("combine_noun", "把我图里的{noun}搬进你那张"),
        ("combine_noun", "{noun}也加进来，就是我刚发的那个"),
        ("combine", "两张图拼成一张"),
    ],
}
