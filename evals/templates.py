"""Vocabulary and phrasing pools for the offline DialogBen-style generator.

Two kinds of data live here:

* **Scene vocabulary** (:data:`TOPICS`, :data:`BACKGROUNDS`, :data:`SHOTS`, :data:`STYLES`,
  :data:`OBJECTS`, :data:`COLOURS`): the parts a drawing prompt is built from, each an
  ``(english, chinese)`` pair so one scene renders in both languages.
* **Phrasing pools** (:data:`PHRASES`): for each kind of user turn, a list of English and a
  list of Chinese templates with ``str.format`` fields (see :data:`FIELDS`). The generator
  splits every pool into a train part and a test part (:func:`split_pool`), so the test
  split is written in phrasings the train split never uses.

Pools deliberately mix questions, statements, wishes and bare phrases for *both* output
modalities (an image request may be "What if it were a wolf?", a text request may be
"Show me how to cook this at home."), so that no single surface cue gives the answer.
"""

from __future__ import annotations

from typing import Sequence

# --------------------------------------------------------------------------- scene parts

#: Fields a phrasing template may use (the generator fills every one for every turn).
FIELDS = (
    "d",  # a whole scene description (new drawing request)
    "np",  # the subject noun phrase, "a red fox" / "一只红色的狐狸"
    "e",  # the subject's short noun, "fox" / "狐狸"
    "es",  # plural ("foxes"; Chinese = e)
    "act",  # the subject's action, "sitting quietly" / "安静地坐着"
    "t",  # the target of a colour/material change, "fox" or "girl's coat"
    "a",  # a colour or material, "white" / "白色"
    "n",  # another entity of the topic, "wolf" / "狼"
    "nn",  # the same with its article, "a wolf" / "一只狼"
    "s",  # a style name, "watercolor" / "水彩"
    "sa",  # a style as a thing, "a watercolor painting" (Chinese = s)
    "b",  # a background, "a forest in fog" / "雾中的森林"
    "pb",  # a background with its preposition, "in a forest in fog" / "雾中的森林里"
    "sh",  # a shot, "a close-up" / "特写"
    "o",  # an object with its article, "a small wooden boat" / "一只小木船"
    "ot",  # the object, definite, "the small wooden boat" / "小木船"
    "e2",  # the subject of a second image (combine), "cat" / "猫"
    "topic",  # the topic word, "animal" / "动物"
    "s1",
    "s2",  # two style names, for comparisons
    "ot2",  # the object without article, "small wooden boat" / "小木船"
    "np2",  # the bare entity with its article, "a fox" / "狐狸"
    "qt",  # a short text to render or quote, "Open Late" / "欢迎光临"
    "ar",  # an artist or studio name, "Claude Monet" / "莫奈"
    "boost",  # prompt-style quality keywords, "highly detailed, 8K" / "细节丰富，8K"
    "kw",  # the whole scene as comma-separated prompt keywords
)

COLOURS: list[tuple[str, str]] = [
    ("red", "红色"), ("white", "白色"), ("black", "黑色"), ("golden", "金色"), ("blue", "蓝色"),
    ("green", "绿色"), ("orange", "橙色"), ("purple", "紫色"), ("silver", "银色"), ("brown", "棕色"),
    ("pink", "粉色"), ("yellow", "黄色"),
]
MATERIALS: list[tuple[str, str]] = [
    ("wooden", "木制"), ("stone", "石砌"), ("glass", "玻璃"), ("copper", "铜制"), ("marble", "大理石"),
    ("ceramic", "陶瓷"), ("brick", "红砖"),
]
FABRICS: list[tuple[str, str]] = [
    ("silk", "丝绸"), ("leather", "皮革"), ("velvet", "天鹅绒"), ("denim", "牛仔"), ("woollen", "羊毛"),
]
FLAVOURS: list[tuple[str, str]] = [
    ("chocolate", "巧克力"), ("strawberry", "草莓"), ("matcha", "抹茶"), ("lemon", "柠檬"),
    ("vanilla", "香草"), ("blueberry", "蓝莓"), ("mango", "芒果"),
]

#: Each topic: its word, entities ``(en, en_plural, zh, zh_measure)``, attributes (colour,
#: material, ...), actions that fit every entity, and an optional garment: when set, the
#: attribute colours the garment ("a girl in a red coat") instead of the entity.
TOPICS: dict[str, dict] = {
    "animals": {
        "word": ("animal", "动物"),
        "entities": [("fox", "foxes", "狐狸", "只"), ("cat", "cats", "猫", "只"), ("horse", "horses", "马", "匹"),
                     ("owl", "owls", "猫头鹰", "只"), ("rabbit", "rabbits", "兔子", "只"), ("deer", "deer", "鹿", "头"),
                     ("dog", "dogs", "狗", "只"), ("bear", "bears", "熊", "头"), ("wolf", "wolves", "狼", "只")],
        "attrs": COLOURS,
        "actions": [("sitting quietly", "安静地坐着"), ("looking at the camera", "望着镜头"),
                    ("resting", "在休息"), ("playing", "在玩耍"), ("walking slowly", "慢慢地走着")],
    },
    "people": {
        "word": ("person", "人物"),
        "entities": [("girl", "girls", "女孩", "个"), ("old man", "old men", "老人", "位"), ("chef", "chefs", "厨师", "位"),
                     ("dancer", "dancers", "舞者", "位"), ("fisherman", "fishermen", "渔夫", "位"),
                     ("musician", "musicians", "音乐家", "位"), ("little boy", "little boys", "小男孩", "个")],
        "attrs": COLOURS,
        "garment": ("coat", "外套"),
        "actions": [("smiling", "微笑着"), ("reading a book", "在看书"), ("waving", "在挥手"),
                    ("drinking tea", "在喝茶"), ("looking into the distance", "眺望远方")],
    },
    "plants": {
        "word": ("plant", "植物"),
        "entities": [("sunflower", "sunflowers", "向日葵", "株"), ("rose", "roses", "玫瑰", "朵"),
                     ("cactus", "cacti", "仙人掌", "株"), ("tulip", "tulips", "郁金香", "朵"),
                     ("maple tree", "maple trees", "枫树", "棵"), ("lotus", "lotuses", "莲花", "朵")],
        "attrs": COLOURS,
        "actions": [("swaying in the wind", "在风中摇曳"), ("covered in dew", "挂满露珠"),
                    ("glowing in the sunlight", "在阳光下闪耀"), ("growing in a clay pot", "长在陶盆里")],
    },
    "food": {
        "word": ("dish", "美食"),
        "entities": [("cake", "cakes", "蛋糕", "块"), ("ice cream", "ice creams", "冰淇淋", "份"),
                     ("donut", "donuts", "甜甜圈", "个"), ("cupcake", "cupcakes", "纸杯蛋糕", "个"),
                     ("pudding", "puddings", "布丁", "份"), ("macaron", "macarons", "马卡龙", "个")],
        "attrs": FLAVOURS,
        "actions": [("on a white plate", "放在白色的盘子里"), ("decorated with fresh fruit", "点缀着新鲜水果"),
                    ("on a wooden tray", "摆在木托盘上"), ("next to a cup of coffee", "旁边放着一杯咖啡")],
    },
    "vehicles": {
        "word": ("vehicle", "交通工具"),
        "entities": [("train", "trains", "火车", "列"), ("car", "cars", "汽车", "辆"), ("bicycle", "bicycles", "自行车", "辆"),
                     ("sailboat", "sailboats", "帆船", "艘"), ("motorcycle", "motorcycles", "摩托车", "辆"),
                     ("bus", "buses", "公交车", "辆"), ("hot-air balloon", "hot-air balloons", "热气球", "个")],
        "attrs": COLOURS,
        "actions": [("speeding along", "飞驰而过"), ("standing still", "静静地停着"),
                    ("moving slowly", "缓缓前行"), ("shining in the sun", "在阳光下闪闪发亮")],
    },
    "architecture": {
        "word": ("building", "建筑"),
        "entities": [("lighthouse", "lighthouses", "灯塔", "座"), ("castle", "castles", "城堡", "座"),
                     ("cottage", "cottages", "小屋", "座"), ("temple", "temples", "寺庙", "座"),
                     ("windmill", "windmills", "风车", "座"), ("bridge", "bridges", "桥", "座"), ("tower", "towers", "塔", "座")],
        "attrs": MATERIALS,
        "actions": [("standing tall", "高高耸立着"), ("lit by warm lights", "亮着温暖的灯光"),
                    ("covered in ivy", "爬满了常春藤"), ("half hidden in mist", "半隐在薄雾中")],
    },
    "landscapes": {
        "word": ("landscape", "风景"),
        "entities": [("mountain", "mountains", "山", "座"), ("waterfall", "waterfalls", "瀑布", "道"),
                     ("lake", "lakes", "湖", "片"), ("volcano", "volcanoes", "火山", "座"),
                     ("island", "islands", "小岛", "座"), ("canyon", "canyons", "峡谷", "条")],
        "attrs": COLOURS,
        "actions": [("under a clear sky", "在晴朗的天空下"), ("glowing at dawn", "在黎明时分发着光"),
                    ("reflecting the clouds", "倒映着云彩"), ("seen after the rain", "在雨后显得格外清新")],
    },
    "objects": {
        "word": ("object", "物品"),
        "entities": [("teapot", "teapots", "茶壶", "把"), ("lamp", "lamps", "台灯", "盏"), ("vase", "vases", "花瓶", "个"),
                     ("clock", "clocks", "钟", "座"), ("guitar", "guitars", "吉他", "把"), ("chair", "chairs", "椅子", "把")],
        "attrs": MATERIALS + COLOURS[:6],
        "actions": [("standing on a table", "立在桌子上"), ("on a wooden shelf", "摆在木架上"),
                    ("by an open window", "放在打开的窗边"), ("in soft morning light", "沐浴在柔和的晨光里")],
    },
    "fantasy": {
        "word": ("fantasy creature", "奇幻生物"),
        "entities": [("dragon", "dragons", "龙", "条"), ("unicorn", "unicorns", "独角兽", "只"),
                     ("phoenix", "phoenixes", "凤凰", "只"), ("fairy", "fairies", "小精灵", "个"),
                     ("griffin", "griffins", "狮鹫", "只"), ("robot", "robots", "机器人", "个")],
        "attrs": COLOURS,
        "actions": [("flying through the sky", "在空中飞翔"), ("guarding a treasure", "守护着宝藏"),
                    ("sleeping peacefully", "安静地睡着"), ("standing proudly", "骄傲地站着")],
    },
    "sports": {
        "word": ("athlete", "运动员"),
        "entities": [("soccer player", "soccer players", "足球运动员", "名"), ("surfer", "surfers", "冲浪者", "名"),
                     ("skier", "skiers", "滑雪者", "名"), ("basketball player", "basketball players", "篮球运动员", "名"),
                     ("runner", "runners", "跑步者", "名"), ("tennis player", "tennis players", "网球运动员", "名")],
        "attrs": COLOURS,
        "garment": ("jersey", "球衣"),
        "actions": [("jumping high", "高高跃起"), ("celebrating a win", "在庆祝胜利"),
                    ("warming up", "正在热身"), ("catching their breath", "在喘口气")],
    },
    "fashion": {
        "word": ("outfit", "服饰"),
        "entities": [("dress", "dresses", "连衣裙", "条"), ("hat", "hats", "帽子", "顶"), ("handbag", "handbags", "手提包", "个"),
                     ("coat", "coats", "大衣", "件"), ("scarf", "scarves", "围巾", "条"), ("backpack", "backpacks", "背包", "个")],
        "attrs": FABRICS + COLOURS[:6],
        "actions": [("displayed on a mannequin", "展示在人体模特上"), ("hanging on a rack", "挂在衣架上"),
                    ("laid out on a bed", "平放在床上"), ("in a shop window", "摆在橱窗里")],
    },
    "space": {
        "word": ("space scene", "太空"),
        "entities": [("rocket", "rockets", "火箭", "枚"), ("planet", "planets", "行星", "颗"),
                     ("space station", "space stations", "空间站", "座"), ("satellite", "satellites", "卫星", "颗"),
                     ("comet", "comets", "彗星", "颗"), ("spaceship", "spaceships", "飞船", "艘")],
        "attrs": COLOURS,
        "actions": [("drifting through space", "在太空中漂浮"), ("glowing softly", "发出柔和的光"),
                    ("orbiting slowly", "缓缓地运行"), ("trailing light", "拖着一道光")],
    },
    "festivals": {
        "word": ("festival scene", "节日"),
        "entities": [("paper lantern", "paper lanterns", "纸灯笼", "盏"), ("Christmas tree", "Christmas trees", "圣诞树", "棵"),
                     ("snowman", "snowmen", "雪人", "个"), ("gift box", "gift boxes", "礼物盒", "个"),
                     ("dragon boat", "dragon boats", "龙舟", "条"), ("pumpkin lantern", "pumpkin lanterns", "南瓜灯", "盏")],
        "attrs": COLOURS,
        "actions": [("glowing warmly", "散发着温暖的光"), ("decorated with ribbons", "装饰着丝带"),
                    ("surrounded by confetti", "周围飘着彩纸"), ("under falling snow", "在飘落的雪花中")],
    },
}

#: Backgrounds: (english, english preposition, chinese, chinese locative form).
BACKGROUNDS: list[tuple[str, str, str, str]] = [
    ("a forest in fog", "in", "雾中的森林", "雾中的森林里"),
    ("a sandy beach at sunset", "on", "日落时的沙滩", "日落时的沙滩上"),
    ("a snowy mountain valley", "in", "积雪的山谷", "积雪的山谷里"),
    ("a busy city street", "on", "繁忙的城市街道", "繁忙的城市街道上"),
    ("a quiet library", "in", "安静的图书馆", "安静的图书馆里"),
    ("a field of wildflowers", "in", "野花盛开的田野", "野花盛开的田野里"),
    ("a starry night sky", "under", "星空", "星空下"),
    ("a cozy kitchen", "in", "温馨的厨房", "温馨的厨房里"),
    ("an old harbour", "in", "古老的港口", "古老的港口边"),
    ("a desert under a blue sky", "in", "蓝天下的沙漠", "蓝天下的沙漠中"),
    ("a rainy alley", "in", "下雨的小巷", "下雨的小巷里"),
    ("a bamboo grove", "in", "竹林", "竹林里"),
    ("a frozen lake", "on", "结冰的湖面", "结冰的湖面上"),
    ("a rooftop garden", "in", "屋顶花园", "屋顶花园里"),
    ("a neon-lit street at night", "on", "霓虹闪烁的夜街", "霓虹闪烁的夜街上"),
    ("a golden wheat field", "in", "金色的麦田", "金色的麦田里"),
]

#: Shots: (english, chinese).
SHOTS: list[tuple[str, str]] = [
    ("a close-up", "特写"), ("a wide shot", "远景"), ("a medium shot", "中景"),
    ("a bird's-eye view", "俯视"), ("a low-angle shot", "仰拍"), ("a side view", "侧面视角"),
]

#: Styles: (english name, english "as a thing", chinese name).
STYLES: list[tuple[str, str, str]] = [
    ("realistic", "a realistic photo", "写实"), ("watercolor", "a watercolor painting", "水彩"),
    ("oil painting", "an oil painting", "油画"), ("anime", "an anime illustration", "动漫"),
    ("pixel art", "pixel art", "像素"), ("ink wash", "an ink wash painting", "水墨"),
    ("3D render", "a 3D render", "3D渲染"), ("pencil sketch", "a pencil sketch", "铅笔素描"),
    ("cyberpunk", "a cyberpunk illustration", "赛博朋克"), ("ukiyo-e", "a ukiyo-e print", "浮世绘"),
    ("clay animation", "a claymation scene", "黏土动画"), ("vintage photo", "a vintage photograph", "复古照片"),
    ("cinematic", "a cinematic still", "电影感"), ("highly detailed", "a highly detailed illustration", "超精细"),
    ("pastel", "a soft pastel drawing", "粉彩"), ("art deco", "an art deco poster", "装饰艺术"),
]

#: Objects that can be added to or removed from a scene: (english with article, chinese with measure word, chinese bare).
OBJECTS: list[tuple[str, str, str]] = [
    ("a small wooden boat", "一只小木船", "小木船"), ("a red kite", "一只红色的风筝", "红色的风筝"),
    ("a flock of birds", "一群飞鸟", "飞鸟"), ("a rainbow", "一道彩虹", "彩虹"),
    ("a glowing lantern", "一盏发光的灯笼", "发光的灯笼"), ("a sleeping cat", "一只熟睡的猫", "熟睡的猫"),
    ("a bunch of balloons", "一串气球", "气球"), ("a stack of old books", "一摞旧书", "旧书"),
    ("a crescent moon", "一弯新月", "新月"), ("a vase of tulips", "一瓶郁金香", "那瓶郁金香"),
    ("a wooden bench", "一张木长椅", "木长椅"), ("a street lamp", "一盏路灯", "路灯"),
    ("a butterfly", "一只蝴蝶", "蝴蝶"), ("a little girl with an umbrella", "一个打着伞的小女孩", "打伞的小女孩"),
    ("a campfire", "一堆篝火", "篝火"), ("a paper windmill", "一个纸风车", "纸风车"),
]

#: Short texts a picture may show (a sign, a caption, a speech bubble) or a user may quote: (english, chinese).
QUOTES: list[tuple[str, str]] = [
    ("Open Late", "欢迎光临"), ("Happy Birthday, Mia", "生日快乐"), ("Dream Big", "心想事成"), ("Fresh Coffee", "今日特价"),
    ("Welcome Home", "欢迎回家"), ("Stay Curious", "保持好奇"), ("See You Tomorrow", "明天见"), ("Lost and Found", "失物招领"),
    ("Be Brave", "勇敢一点"), ("Take It Slow", "慢慢来"), ("Happy New Year", "新年快乐"), ("No Parking", "禁止停车"),
]

#: Artists and studios users name in prompts or ask about: (english, chinese).
ARTISTS: list[tuple[str, str]] = [
    ("Claude Monet", "莫奈"), ("Vincent van Gogh", "梵高"), ("Hokusai", "葛饰北斋"), ("Alphonse Mucha", "穆夏"),
    ("Studio Ghibli", "吉卜力"), ("Makoto Shinkai", "新海诚"), ("Qi Baishi", "齐白石"), ("Edward Hopper", "爱德华·霍普"),
    ("Greg Rutkowski", "格雷格·鲁特科夫斯基"), ("Salvador Dali", "达利"), ("Wes Anderson", "韦斯·安德森"), ("Beatrix Potter", "毕翠克丝·波特"),
]

#: Quality keywords of prompt-style requests: (english, chinese).
BOOSTERS: list[tuple[str, str]] = [
    ("highly detailed", "细节丰富"), ("8K", "8K"), ("sharp focus", "锐利对焦"), ("trending on ArtStation", "ArtStation热门"),
    ("cinematic lighting", "电影级光效"), ("masterpiece", "杰作"), ("octane render", "OC渲染"), ("ultra realistic", "超写实"),
    ("soft light", "柔和光线"), ("volumetric light", "体积光"), ("symmetry", "对称构图"), ("vivid colours", "色彩鲜艳"),
]

EDIT_TYPES: tuple[str, ...] = (
    "change_entity", "add_object", "remove_object", "change_background", "change_style", "change_shot", "combine_images",
)

#: Knowledge questions that mention visual words but want a text answer: (en q, en a, zh q, zh a).
KNOWLEDGE: list[tuple[str, str, str, str]] = [
    ("What colour is a flamingo?", "Flamingos are pink.", "火烈鸟是什么颜色的？", "火烈鸟是粉红色的。"),
    ("Why is the sky blue?", "Air scatters blue light more than red light.", "天空为什么是蓝色的？", "空气对蓝光的散射比红光更强。"),
    ("What colour do you get if you mix blue and yellow?", "Green.", "蓝色和黄色混在一起是什么颜色？", "绿色。"),
    ("Who painted the Mona Lisa?", "Leonardo da Vinci.", "蒙娜丽莎是谁画的？", "列奥纳多·达·芬奇。"),
    ("How many colours are there in a rainbow?", "Seven are usually named.", "彩虹有几种颜色？", "通常说有七种。"),
    ("What does a panda eat?", "Mostly bamboo.", "熊猫吃什么？", "主要吃竹子。"),
    ("Why do leaves turn red in autumn?", "The green chlorophyll breaks down and red pigments show.", "秋天树叶为什么会变红？", "叶绿素分解后，红色的色素显露出来。"),
    ("What is the tallest mountain in the world?", "Mount Everest.", "世界上最高的山是哪座？", "珠穆朗玛峰。"),
    ("What shape is a honeycomb cell?", "A hexagon.", "蜂巢的格子是什么形状的？", "六边形。"),
    ("Which planet looks red?", "Mars.", "哪颗行星看起来是红色的？", "火星。"),
    ("What colour is a polar bear's skin?", "Black, under white-looking fur.", "北极熊的皮肤是什么颜色的？", "是黑色的，毛看起来是白色。"),
    ("What is ukiyo-e?", "A Japanese woodblock print style.", "浮世绘是什么？", "日本的一种木版画风格。"),
    ("How do chameleons change colour?", "Cells in their skin rearrange tiny crystals that reflect light.", "变色龙是怎么变色的？", "皮肤细胞里的微小晶体重新排列，反射不同的光。"),
    ("What does a golden hour photo mean?", "A photo taken shortly after sunrise or before sunset.", "摄影里的黄金时刻是什么意思？", "指日出后或日落前的一小段时间。"),
    ("Which is bigger, the sun or the moon?", "The sun, by far.", "太阳和月亮哪个大？", "太阳大得多。"),
    ("How many legs does a spider have?", "Eight.", "蜘蛛有几条腿？", "八条。"),
    ("Why are stop signs red?", "Red is easy to see and signals danger.", "为什么停车标志是红色的？", "红色醒目，代表危险。"),
    ("What is the capital of France.", "Paris.", "法国的首都是哪里。", "巴黎。"),
    ("Tell me what an impressionist painting is.", "A painting that catches light and movement with loose, visible brushstrokes.", "说说印象派绘画是什么。", "用松散可见的笔触捕捉光和运动的绘画。"),
    ("What is 17 times 3?", "51.", "17乘以3等于多少？", "51。"),
]

# --------------------------------------------------------------------------- phrasings

#: Phrasing pools by turn kind. ``new_*``: a first drawing request; ``edit_*``: a change to
#: the picture in focus; ``att_*``: a change to an attached photo; ``ask_photo``: a question
#: about an attached photo (text); ``chat_*``: a text turn.
PHRASES: dict[str, dict[str, list[str]]] = {
    # ---- T->I, no picture yet
    "new": {
        "en": [
            "Draw {d}.", "Can you draw {d}?", "Could you show me {d}?", "I'd love to see {d}.",
            "Make me a picture of {d}.", "Paint {d}, please.", "{d}", "I need an illustration: {d}.",
            "How about a picture of {d}?", "Let's see {d}.", "Generate {d}.", "Would you sketch {d} for me?",
            "Give me an image of {d}.", "I want a wallpaper of {d}.", "My kid asked for {d}. Can you make that?",
            "Picture this: {d}. Show me.", "Create some artwork of {d}.", "Is it possible to get an image of {d}?",
            "I'm making a card for a friend who loves {es}. I'd like {d} on it.", "Show {d}.",
            "What would {d} look like? Make one for me.", "Could I get a drawing of {d}?",
            "Please render {d}.", "Imagine {d} and draw it.", "Time for a new one: {d}.",
            "I'd like a picture of {d}.", "Can I see {d}?", "Produce an image: {d}.",
            "Is it possible to draw {d}?", "What's {d} like? Paint it for me.", "Tell me what you think of this idea and draw it: {d}.",
            "I'll describe it: {d}. Can you make that?", "Is there any way you could show me {d}?", "Do a picture of {d}.",
        ],
        "zh": [
            "画{d}。", "帮我画{d}吧", "能给我画{d}吗？", "我想看看{d}是什么样子", "来一张{d}的图",
            "请生成一幅图：{d}。", "{d}", "给我做一张{d}的插画呗", "可以帮我生成一张{d}的图片吗",
            "想要一张{d}当壁纸", "我需要一张配图，内容是{d}。", "画一幅{d}的画给我看看", "生成图片：{d}",
            "能不能画出{d}？", "我朋友特别喜欢{e}，帮我画一张{d}送她", "麻烦画一下{d}", "请根据描述生成图片：{d}。",
            "来画{d}嘛", "你能画{d}吗", "我想要一张图，{d}。", "帮忙出一张图：{d}", "试着画一下{d}呀",
            "{d}，画出来看看", "有没有可能画一张{d}？", "我脑子里有个画面：{d}，帮我画出来",
            "你能不能画一张{d}？", "我说的是这样一个画面：{d}，画给我看看", "这是我梦里的样子：{d}。画出来吧",
            "哪位画家都行，我就想要一张{d}的画", "帮我画一张：{d}", "说真的，我很想看看{d}",
        ],
    },
    # ---- T->I edits of the picture in focus, one pool per edit type
    "edit_change_style": {
        "en": [
            "Make it {sa}.", "Can you redo it in {s} style?", "I want it to be {sa}.", "Turn it into {sa}.",
            "How about {sa} instead?", "Let's try {s} style.", "Switch the style to {s}.", "{s} style would be nicer.",
            "Hmm, I'd prefer {sa}.", "What would it look like as {sa}?", "Same thing but {s}, please.",
            "Do it in {s} style.", "I'd like it to have a {s} look.", "Could it be more like {sa}?",
            "Change the style to {s}.", "Now as {sa}.", "I think {sa} would suit it better.",
            "Is it possible to make it {sa}?", "Do it again as {sa}.", "What's it like as {sa}? Show me.",
            "I'd say {sa} would look better. Try it.", "Is there a way to turn it into {sa}?", "Tell you what, make it {s}.",
        ],
        "zh": [
            "改成{s}风格", "换成{s}风格吧", "能不能画成{s}的？", "我想要{s}风格的", "用{s}风格再来一张",
            "要是{s}风格会怎么样呢？", "{s}风格的话应该更好看", "把风格换成{s}呗", "试试{s}风格嘛",
            "整体改成{s}的感觉", "风格换一下，{s}", "我觉得{s}风格更适合它", "可以弄成{s}效果吗", "换个{s}的画风吧",
            "{s}风格的能来一张吗？", "如果改成{s}呢？",
        ],
    },
    "edit_change_background": {
        "en": [
            "Put it {pb}.", "Change the background to {b}.", "Can the background be {b} instead?",
            "Let's move it {pb}.", "I'd rather see it {pb}.", "Now {pb}, please.", "What if it were {pb}?",
            "The background should be {b}.", "Swap the background for {b}.", "Set the scene {pb}.",
            "Could you place it {pb}?", "Maybe {b} behind it?", "I want it {pb}.", "Use {b} as the background.",
            "Let's make it {pb} instead.",
            "Is it possible to put it {pb}?", "Do one {pb}.", "What's it look like {pb}? Let me see.",
            "I'd like the background to be {b}.",
        ],
        "zh": [
            "把背景换成{b}", "背景改成{b}吧", "能把它放到{pb}吗？", "换个背景，{b}", "我想让它在{pb}",
            "背景要是{b}就好了", "放在{pb}怎么样？", "场景换到{pb}呢", "背景用{b}", "让它出现在{pb}吧",
            "背景换掉，改成{b}", "可以把场景挪到{pb}吗",
            "背景能不能换成{b}？", "放到{pb}会不会更好看？",
            "我说的是{b}，背景再换一下", "放哪儿都不如{pb}，挪过去吧",
        ],
    },
    "edit_change_shot": {
        "en": [
            "Make it {sh}.", "Can you show it as {sh}?", "I'd like {sh} instead.", "Try {sh}.",
            "Change the shot to {sh}.", "Could we get {sh} of it?", "I want {sh} this time.", "Use {sh}, please.",
            "What about {sh}?", "Let's see it as {sh}.", "Redo it as {sh}.", "Maybe {sh} would work better.",
            "Is it possible to show it as {sh}?", "Do {sh} of it.", "I'd like to see it as {sh}.",
        ],
        "zh": [
            "换成{sh}镜头", "用{sh}的角度", "能改成{sh}吗？", "镜头换成{sh}吧", "来个{sh}",
            "我想要{sh}的视角", "改用{sh}镜头呗", "试试{sh}", "换{sh}看看", "要是用{sh}拍呢？",
        ],
    },
    "edit_add_object": {
        "en": [
            "Add {o}.", "Yes, add {o}.", "Can you add {o}?", "Put {o} in there too.", "I'd like {o} in it as well.",
            "It needs {o}.", "Include {o}, please.", "Could there be {o} nearby?", "Let's add {o}.",
            "Maybe {o} next to it?", "Throw in {o}.", "Yes, include {o}.", "I'd love to include {o}.",
            "And {o}, please.", "How about adding {o}?", "Now with {o} too.",
            "Is there room for {o}? Add it.", "Do add {o}.", "I'd like {o} in the corner.",
        ],
        "zh": [
            "加上{o}", "再加{o}吧", "能不能加{o}？", "旁边放{o}", "画面里再添{o}", "我想在旁边加{o}",
            "要是有{o}就更好了", "给它旁边加上{o}呗", "对，加{o}", "再来{o}吧", "可以多画{o}吗", "顺便加{o}",
            "旁边能再画{o}吗？", "加{o}怎么样？",
        ],
    },
    "edit_remove_object": {
        "en": [
            "Remove {ot}.", "Take out {ot}.", "Can you get rid of {ot}?", "Without {ot}, please.",
            "I don't want {ot} in it.", "Hmm, maybe without {ot}.", "Could you erase {ot}?", "Lose {ot}.",
            "{ot} is distracting. Remove it.", "Drop {ot}.", "Please delete {ot}.", "Leave out {ot}.",
            "What if there were no {ot2}?", "Same picture, just no {ot2}.",
            "Is it possible to take out {ot}?", "Do it without {ot}.", "I'd rather not have {ot} there.",
        ],
        "zh": [
            "把{ot}去掉", "去掉{ot}吧", "不要{ot}了", "能把{ot}删掉吗？", "{ot}有点多余，拿掉吧", "删除{ot}",
            "把{ot}擦掉呗", "{ot}不要了", "可以不画{ot}吗", "画面里别有{ot}", "去掉{ot}会不会好一点？",
        ],
    },
    "edit_change_entity_attr": {
        "en": [
            "Make the {t} {a}.", "Can the {t} be {a}?", "The {t} should be {a}.", "What if the {t} were {a}?",
            "Change the {t} to {a}.", "I'd prefer a {a} {t}.", "Make it {a} instead.", "Try a {a} {t}.",
            "Let's go with {a} for the {t}.", "Could you recolour the {t} {a}?",
            "Is it possible to make the {t} {a}?", "Do the {t} in {a}.", "I'd like the {t} to be {a}.",
        ],
        "zh": [
            "把{t}改成{a}的", "{t}换成{a}吧", "能让{t}变成{a}的吗？", "我想要{a}的{t}", "{t}要是{a}的就好了",
            "{t}改用{a}", "换成{a}的{t}呢", "把{t}弄成{a}的呗",
        ],
    },
    "edit_change_entity_noun": {
        "en": [
            "Change the {e} to {nn}.", "Replace the {e} with {nn}.", "Make it {nn} instead.",
            "Can you swap the {e} for {nn}?", "How about {nn} instead of the {e}?", "I'd prefer {nn}.",
            "Actually, {nn} would be better.", "Use {nn} rather than the {e}.", "What if it were {nn}?",
            "Turn the {e} into {nn}.",
            "Is it possible to swap in {nn}?", "Do {nn} instead.", "I'd like {nn} in place of the {e}.",
        ],
        "zh": [
            "把{e}换成{n}", "换成{nn}吧", "能不能把{e}改成{n}？", "{e}不太好，换成{n}", "要是{nn}会怎么样？",
            "把{e}变成{n}", "改画{nn}呗", "主角换成{n}",
        ],
    },
    "edit_combine_images": {
        "en": [
            "Combine the two pictures.", "Put the {e2} from the photo into this one.", "Merge the photo I sent with this picture.",
            "Can you bring the {e2} into this scene?", "I want the {e2} from earlier in here too.",
            "Put both of them together in one image.",
        ],
        "zh": [
            "把两张图合在一起", "把照片里的{e2}放进这张图", "能把之前那张照片的{e2}加进来吗？",
            "让{e2}也出现在这幅画里", "两张合成一张吧", "把{e2}和它画在一起",
        ],
    },
    # ---- I+T->I: a change to the attached photo
    "att_generic": {
        "en": [
            "Make this photo look like {sa}.", "Turn this picture into {sa}.", "Can you redo this in {s} style?",
            "Use this as a reference and draw it as {sa}.", "Edit this so it looks {s}.",
            "Here's my photo. I want a {s} version.", "Redraw this one, but {s}.",
            "Transform this image into {sa}. Keep the composition and the subject exactly as they are.",
            "I want it to be {sa}.", "Could this become {sa}? Keep everything else.",
            "Restore this photo and give it a {s} look.", "Using this image as a reference, create {sa}.",
        ],
        "zh": [
            "把这张照片变成{s}风格", "把这张图改成{s}的", "参考这张图画一幅{s}风格的", "能把这张照片处理成{s}效果吗？",
            "这是我拍的，帮我改成{s}风格", "照着这张图重画一张{s}的",
            "将这张图片转换成{s}风格的插画。保留原始构图和主体，只改变画风，整体色调柔和。",
            "用这张照片做一张{s}风格的海报，主体保持不变", "把图片处理成{s}的质感，其他地方别动",
            "修复这张照片，然后改成{s}风格", "以这张图为参考，生成一张{s}风格的新图",
        ],
    },
    "att_change_background": {
        "en": [
            "Change the background of this photo to {b}.", "Put the {e} in this picture {pb}.",
            "Can you move this {e} {pb}?", "Replace the background here with {b}.",
        ],
        "zh": ["把这张照片的背景换成{b}", "把图里的{e}放到{pb}", "能把这张图的背景改成{b}吗？", "这张照片背景换成{b}吧"],
    },
    "att_remove_object": {
        "en": ["Remove {ot} from this photo.", "Can you erase {ot} in this picture?", "Take {ot} out of this one."],
        "zh": ["把这张照片里的{ot}去掉", "能把图里的{ot}删掉吗？", "这张图不要{ot}"],
    },
    "att_add_object": {
        "en": ["Add {o} to this photo.", "Can you put {o} into this picture?", "This needs {o}. Add one."],
        "zh": ["给这张照片加上{o}", "能在这张图里加{o}吗？", "这张图里再放{o}"],
    },
    "att_combine_images": {
        "en": [
            "Put the {e2} from this photo into the picture you made.", "Combine this with the last image.",
            "Can you add this {e2} to your picture?", "Merge this photo into the previous one.",
            "I want this {e2} in that scene too.", "Blend this into what you drew before.",
        ],
        "zh": [
            "把这张照片里的{e2}放进刚才的画里", "把这张和上一张合在一起", "能不能把这个{e2}也加到上一张图里？",
            "让这{e2}也出现在那幅画里吧", "把这张图融合到你刚画的那张里", "这张照片和之前那张合成一张",
        ],
    },
    # ---- I+T->T: a question about the attached photo
    "ask_photo": {
        "en": [
            "What is the {e} doing in this photo?", "Describe this photo in detail.", "What colour is the {t}?",
            "Where do you think this was taken?", "Is this a real photo or a painting?", "Write a short poem about this picture.",
            "Tell me a story based on this image.", "What kind of {topic} is this?", "Could you give this picture a title?",
            "Explain what's going on here.", "Describe it to me like I'm five.", "What do you notice first in this picture?",
            "Is there anything unusual about this image?", "I took this on holiday. Guess where I was.",
            "This is my drawing. What do you think of it?", "Caption this for my blog.", "What mood does this picture have?",
            "Help me write a description of this picture for a friend who can't see it.",
            "How would I paint something like this myself?", "Show me how I could photograph something similar.",
            "Is the {t} {a}?", "Tell me about this {e}.", "What time of day does it look like here?",
            "Can you identify the {e} in the picture?", "Describe this sketch.", "What's the style of this image called?",
            "I'd like to know what's in this picture.", "Summarise this picture in one sentence.",
            "What should I be careful about if I visit this place?", "Write a short HTML page that shows this picture with a title.",
            "If you were the photographer, what would you have done differently here?", "What can I cook with what's in this photo?",
            "Why might someone find this picture funny?", "How old do you think this {e} is?",
            "Does this look like a good spot for a picnic?", "Give me three hashtags for this photo.",
            "Can you tell me what's happening in this photo?", "I'd like a caption for this, something funny.",
            "Do you think this {e} is real?", "Can you count the objects in this image?",
        ],
        "zh": [
            "这张照片里的{e}在做什么？", "详细描述一下这张照片。", "{t}是什么颜色的？", "你觉得这是在哪里拍的呢",
            "这是真实照片还是画的？", "给这张图写首小诗吧", "根据这张图编一个小故事", "帮我给这张图起个标题",
            "这张图想表达什么情绪？", "这张照片有什么特别的地方吗", "这是我画的，你觉得怎么样？",
            "帮我写一段朋友圈配文，配这张照片。", "能解释一下这张图吗？", "图里的{e}是什么品种呀", "这幅画是什么风格？",
            "说说这张图里有什么", "我想知道这张照片拍的是什么。", "这个{e}看起来怎么样？", "像这样的画我该怎么画呢？",
            "照片里是白天还是晚上啊", "用一句话总结这张图", "给看不见的朋友描述一下这张照片吧", "{t}是{a}的吗？",
            "去这个地方玩要注意些什么？", "这张图好笑在哪里？", "如果你是摄影师，这张会怎么拍得更好？",
            "根据这张照片写一段产品介绍", "你知道这是在哪儿拍的吗", "帮我想三个适合这张照片的话题标签",
            "这个{e}大概多大了？", "这里适合野餐吗",
            "这张照片换成文字该怎么描述？", "图里的镜头是怎么拍的", "你说这张是在哪一年拍的", "画一张类似的画要多久？",
        ],
    },
    # ---- T->T with a picture in focus: about it, or chit-chat around it
    "chat_context": {
        "en": [
            "Thanks, that's lovely!", "Why did you choose that background?", "Can you describe the picture you just made?",
            "Write a caption for it.", "What colour is the {t} in your picture?", "Is that how a real {e} looks?",
            "I love it. How long did that take you?", "What is that style called?", "Which part of it do you like best?",
            "Nice. What would be a good title for it?", "Explain why it looks the way it does.",
            "That's beautiful. I'll print it for my office.", "Could you tell me what's in it?",
            "Write a short story about the {e} in this picture.", "Great job, thank you.", "Hmm, what does the {e} symbolise?",
            "How would a painter make something like this by hand?", "Tell me more about the {e}.",
            "Which colours should I use if I paint this myself?", "Is {s} a popular style these days?",
            "What camera settings would give a shot like this?", "My friend says it looks too dark. Do you agree?",
            "Can you tell me what the {e} is doing?", "I'd call this one a success. Thanks!", "Do you like it yourself?",
            "Can you explain the symbolism?", "I'd like to know why you picked these colours.", "Is this good enough to print?",
        ],
        "zh": [
            "谢谢，很好看！", "你为什么选这个背景？", "能描述一下你刚画的图吗？", "给它配一句文案吧", "这是什么风格来着？",
            "画里的{t}是什么颜色的？", "太棒了，你画这个花了多久？", "真实的{e}长这样吗", "我很喜欢，打算打印出来挂墙上。",
            "给这幅画起个名字呗", "说说画里都有什么", "这个{e}有什么寓意吗？", "写个关于画里{e}的小故事", "辛苦啦，谢谢你",
            "画家手绘的话要怎么画出这种效果？", "再多讲讲{e}吧",
            "我自己画的话该用哪些颜色？", "{s}风格现在还流行吗", "拍出这种效果要用什么相机参数？", "朋友说这张太暗了，你觉得呢",
            "你说说画里的{e}在干嘛", "这张换成手机壁纸合适吗？", "画面里的镜头感是怎么做出来的？", "我想换个角度理解这幅画，你怎么看",
        ],
    },
    # ---- T->T general assistant tasks (writing, maths, code, advice), some with visual words
    "chat_task": {
        "en": [
            "Write an email to my team reminding them that the {topic} photo contest closes on Friday.",
            "I bought three {es} for $12 each and a frame for $20. How much did I spend in total?",
            "Summarise this in one sentence: The old {e} stood {pb} for years, and every visitor stopped to look at it.",
            "Correct the grammar: 'me and him goes to see the {e} yesterday'.",
            "Write a Python function that returns the most common colour in a list of colour names.",
            "Give me five names for a cafe with {b} on the wall.",
            "Explain the rule of thirds in photography, with an example.",
            "Make a list of the materials I need to build a birdhouse.",
            "What are the pros and cons of learning {s} as a beginner?",
            "Suggest a short workout I can do in the office.",
            "If a painting is 60 cm wide and its frame adds 5 cm on each side, how wide is the framed picture?",
            "Write a product description for {np}, under 50 words.",
            "Plan a three-day trip to see {es} in the wild.",
            "Compare {s1} and {s2} in a short table.",
            "Write a limerick about {np} {act}.",
            "How many times does the average person blink in a day? Explain your reasoning step by step.",
            "Turn these notes into a paragraph: {e}, {b}, early morning, quiet.",
            "Draft a polite message to my landlord about a broken window.",
            "Give me a recipe that uses leftover rice.",
            "Rewrite this sentence to sound more formal: the {e} picture is super cool.",
            "Explain how a rainbow forms.",
            "I'm presenting my {topic} paintings next week. How do I calm my nerves?",
            "Write a tweet announcing my new {s} illustration course.",
            "What questions should I ask at a job interview for a graphic designer?",
            "What if the camera had never been invented?", "What if {es} could talk? Write a funny dialogue.",
            "Describe a scenario where a museum uses AI to help visitors understand paintings.",
            "Classify each word as a colour or a shape.\n\n{a}, circle, triangle, {s1}, square",
            "Estimate how much paint I need for a wall 4 m wide and 2.5 m high. Show the calculation.",
            "Given the review below, say whether it is positive or negative.\n\nThe {e} print arrived late and the colours were dull.",
            "Extract all the numbers from this text and sort them: The gallery has 12 rooms, 340 paintings and 7 {s} pieces.",
            "What if {np} lived in a big city? Tell me a short story.",
        ],
        "zh": [
            "帮我写一封邮件，提醒同事{topic}摄影比赛周五截止。",
            "我买了3个{e}，每个12元，又买了一个20元的相框，一共花了多少钱？",
            "用一句话概括：那座{e}在{pb}伫立了很多年，每个路过的人都会停下来看一看。",
            "请修改这句话的语病：我和他昨天去看了{e}的展览了很开心的。",
            "写一个Python函数，找出颜色名列表里出现最多的颜色。",
            "给一家墙上挂着{b}照片的咖啡馆起五个名字",
            "解释一下摄影中的三分法构图，并举个例子。",
            "列出做一个鸟屋需要的材料",
            "零基础学{s}有什么优缺点？",
            "推荐一套适合在办公室做的简单运动",
            "一幅画宽60厘米，画框每边加5厘米，装框后一共多宽？",
            "为{np}写一段50字以内的商品描述",
            "帮我规划一个三天的行程，去野外看{e}",
            "用表格对比一下{s1}和{s2}",
            "写一首关于{np}{act}的打油诗",
            "一个人一天大概眨多少次眼？请一步步推理。",
            "把这些关键词扩写成一段话：{e}、{b}、清晨、安静",
            "帮我给房东写一条消息，说窗户坏了，语气礼貌一点",
            "剩米饭可以做什么菜？给个做法",
            "把这句话改得正式一些：这张{e}的图超酷的",
            "彩虹是怎么形成的？",
            "下周要展示我的{topic}画作，好紧张，怎么办",
            "帮我写一条微博，宣传我的{s}插画课程",
            "面试平面设计师的时候应该问哪些问题？",
            "如果相机从来没有被发明，世界会怎样？", "如果{e}会说话，写一段搞笑的对话",
            "请回答以下问题：\n{e}能不能站在长颈鹿的头上？", "描述一个博物馆用人工智能帮观众看懂画作的场景",
            "把下面的词分成颜色和形状两类：\n{a}、圆形、三角形、正方形", "一面墙宽4米高2.5米，需要多少油漆？写出计算过程。",
            "判断下面这条评论是正面还是负面：\n{e}的印刷品到得很晚，颜色也很暗淡。", "请从下面的句子中提取所有数字并从小到大排列：美术馆有12个展厅、340幅画和7件{s}作品。",
            "假如{np}住在大城市里，会发生什么？讲个小故事",
        ],
    },
    # ---- T->T without a picture: chit-chat, knowledge, writing, advice (visual words on purpose)
    "chat_free": {
        "en": [
            "Tell me three fun facts about {es}.", "Why are {es} so popular in paintings?",
            "How do you draw {np}? Give me some tips.", "What colour is {np2} usually?", "Describe {np} {act} in words.",
            "Write a haiku about {np} {pb}.", "What's the difference between {s1} and {s2}?",
            "What does {sh} mean in photography?", "Recommend some famous {s} artists.", "Good morning! How are you today?",
            "I'm bored. Tell me a joke.", "Can you help me plan a trip to the beach?", "I'm writing a story about {np}. Any plot ideas?",
            "Translate 'a {e} {pb}' into French.", "Explain how a camera lens works.", "What should I name my new puppy.",
            "Which looks better in a living room, {s1} or {s2} art?", "Describe what {b} looks like at night.",
            "I saw {np} {act} today. It made me happy.", "How do {es} survive the winter?", "Write a short poem about {b}.",
            "Give me a shopping list for a picnic.", "Why do artists use {sh}?", "Can you explain what makes {s} style special?",
            "Show me how to write a thank-you note.", "I want to learn {s}. Where should I start?",
            "Can you tell me a fun fact about {es}?", "Describe {d} in words.", "Write a short story that starts with {d}.",
            "Can you explain the difference between {s1} and {s2}?", "I'd love some tips on {s}.", "What would {d} symbolise in a dream?",
            "Can you recommend a book about {es}?", "I'd like a short poem about {b}.", "Do {es} dream?",
            "Can you help me write a birthday message?", "I'd appreciate a quick summary of what {s} is.", "Is {s} hard to learn?",
        ],
        "zh": [
            "说三个关于{e}的冷知识", "为什么画家那么喜欢画{e}？", "{e}该怎么画？给点建议", "{np2}一般是什么颜色的？",
            "用文字描述一下{np}{act}的样子", "写一首关于{pb}的{e}的小诗", "{s1}和{s2}有什么区别？", "摄影里的{sh}是什么意思",
            "推荐几位{s}风格的画家", "早上好呀，今天过得怎么样？", "好无聊，讲个笑话吧", "帮我规划一下去海边的行程",
            "我在写一个关于{np}的故事，有什么情节建议吗？", "把“{pb}的{e}”翻译成英文", "相机镜头是怎么工作的",
            "客厅挂{s1}好还是{s2}好？", "描述一下{b}夜晚的样子", "今天看到{np}{act}，心情好好。", "{e}是怎么过冬的呢",
            "给我列一个野餐购物清单", "想学{s}，应该从哪里开始？", "你能解释一下{s}风格的特点吗", "教我写一封感谢信吧",
            "用文字描述一下{d}的画面", "以“{d}”为开头写一段故事", "梦见{d}代表什么？", "画一只{e}需要注意什么？",
            "帮我写一张生日贺卡上的话", "换个话题吧，给我讲个笑话", "特写镜头和远景镜头有什么区别？", "帮我把这句话换成英文：我喜欢{e}",
            "我的{e}照片不小心删掉了，还能找回来吗？", "我想换个工作，给点建议", "画一张画一般要多久？", "一张好照片的标准是什么？",
        ],
    },
}


# --------------------------------------------------------------------------- more kinds
#
# Kinds of request the first pools lacked (scene descriptions with no verb and text to
# render, long multi-sentence edit instructions, prompt-style keywords and artist names,
# writing or code tasks about an attached image, editing tasks on pasted text whose
# "change"/改/换 are not image edits, "what if X had..." questions). Each is appended with
# :func:`_extend`, which puts ``train`` templates at train positions and ``test`` templates
# at test positions of :func:`split_pool`, so both splits see every kind in different words.


def _extend(pool: list[str], train: Sequence[str], test: Sequence[str]) -> None:
    """Append ``train`` and ``test`` templates to ``pool`` at the positions
    :func:`split_pool` gives to each split (every third position is test)."""
    train, test = list(train), list(test)
    while train or test:
        slot = test if len(pool) % 3 == 2 else train
        if not slot:
            raise ValueError(f"_extend: {len(train)} train / {len(test)} test templates left that do not fit 2:1 at {pool[-1]!r}")
        pool.append(slot.pop(0))


_MORE: dict[str, dict[str, tuple[list[str], list[str]]]] = {
    "new": {
        "en": ([
            "{d}, with a sign that reads '{qt}'.", "{d}. Above it, a banner that says \"{qt}\".",
            "A poster: {d}, the words '{qt}' in bold letters at the top.", "Book cover: {d}. Title text: \"{qt}\".",
            "A quiet moment. {d}. Soft light, nobody around.", "Late evening, {d}, the last light fading.",
            "{kw}", "{kw}, by {ar}",
            "What does {d} look like? Draw it so I can see.", "I wonder what {d} would look like. Make one.",
        ], [
            "{d}, a speech bubble saying \"{qt}\".", "Scene one: {d}. The air is still and everything feels calm.",
            "{kw}, in the style of {ar}", "What is {d} like? Show me in a picture.", "{d}, and a neon sign that says \"{qt}\"",
        ]),
        "zh": ([
            "{d}，旁边的招牌上写着“{qt}”", "{d}，对话框里浮现出文字“{qt}”。",
            "一张海报：{d}，顶部是大大的“{qt}”几个字", "书的封面：{d}，标题文字为“{qt}”",
            "清晨，薄雾未散。{d}，一切都很安静。", "夜幕降临，{d}，路灯一盏盏亮起",
            "{kw}", "{kw}，{ar}风格",
            "{d}会是什么样子？画出来给我看看", "不知道{d}长什么样，来一张吧",
        ], [
            "{d}。画面角落有一行手写字：“{qt}”", "故事的开头：{d}，远处传来隐约的钟声。",
            "{kw}，参考{ar}的画风", "{d}是什么样的？画给我瞧瞧", "{d}，天空中飘着一条横幅，上面写着“{qt}”",
        ]),
    },
    "edit_change_style": {
        "en": ([
            "{s}, {boost}.", "{ar}, {s}, {boost}", "Convert the picture to {sa}. Keep the composition, but make the lighting softer and the colours warmer.",
            "Redo the last image as {sa}: same layout, cleaner lines, a calmer background. Keep the {e} where it is.",
        ], [
            "In the style of {ar}, {s}, {boost}.", "Restyle it as {sa}. Nothing moves; only the texture, the lighting and the colours change.",
        ]),
        "zh": ([
            "{s}，{boost}", "{ar}风格，{s}，{boost}", "将画面转换为{s}效果，构图不变，色彩再柔和一些。",
            "把刚才那张整体转换成{s}效果。线条清楚一点，光线暖一点，背景不用太复杂。",
        ], [
            "参考{ar}的画风，{s}，{boost}", "将图片转换为{s}风格，保留{e}，其他细节也尽量保持原样。",
        ]),
    },
    "edit_add_object": {
        "en": (["Include {o}, {boost}.", "Yes, {o}, {boost}"], ["Add {o}, {boost}, please."]),
        "zh": (["加上{o}，{boost}", "再来{o}，{boost}"], ["画面里加{o}，{boost}"]),
    },
    "att_generic": {
        "en": ([
            "Convert this image into {sa}. Keep the {e} and the layout exactly as they are, soften the light, and warm up the colours a little. The background should stay simple.",
            "Transform the uploaded photo into {sa}. Colour palette: muted greens and browns. Lighting: soft and diffused. Mood: calm and a little dreamy.",
            "Take this picture and restyle it as {sa}. Bold outlines, flat colours and a clean background; it should feel like a frame from a cartoon.",
            "Using this photo, make {sa} of the same scene. Keep the proportions, add gentle shadows and crop it to a square.",
            "{ar}, {s}, {boost}", "This one, as {sa}, {boost}.",
        ], [
            "Rework this image in {s} style. Don't move anything; only change the rendering, the texture and the lighting.",
            "Turn the attached image into {sa}. The {e} stays in the centre, the edges fade out softly, and the colours get a bit warmer.",
            "Same photo, {s}, {boost}",
        ]),
        "zh": ([
            "将图片转换为{s}效果。保留原有的构图和{e}的姿态，线条更干净，色彩更柔和。背景简化一些，突出主体。",
            "将这张照片转换为{s}风格的插画。色彩：以暖色调为主。光线：柔和的侧光。整体氛围安静、温馨，细节清晰。",
            "请把上传的图片处理成{s}效果：主体保持不变，边缘加一点柔光，颗粒感轻一些，最后输出竖版构图。",
            "以这张图片为基础，生成一幅{s}作品。要求：主体居中，背景虚化，色彩饱和度稍高，看起来像杂志封面。",
            "这张，{ar}风格，{s}，{boost}", "把这张图变成{s}效果的作品，注意保留细节，不要改变主体的比例，整体色调偏冷一些。",
        ], [
            "将图片中的场景转换为{s}效果，保持{e}的位置不变，增加一些光影层次，让画面更有故事感。",
            "将上传的照片转换为{s}风格。色彩搭配偏淡雅，光线柔和弥漫，带一点手绘质感。",
            "照这张来，{s}，{boost}",
        ]),
    },
    "ask_photo": {
        "en": ([
            "Write a travel blog post inspired by this photo, about 200 words.", "Turn this picture into a short fairy tale for my daughter.",
            "Here's a mock-up of my website. Write the HTML and CSS for it.", "Suggest a topping that would go well with this {e}.",
            "Write a product listing for the item in this photo.", "Write an Instagram story script based on this picture.",
            "Compose a short song inspired by this picture.", "Write a bedtime story where the {e} in this photo is the hero.",
        ], [
            "Based on this sketch, write a React component for the layout.", "Create a lesson plan for kids around this picture.",
            "Write a blog intro about the trip this photo is from.", "What sauce or topping would you add to this?",
        ]),
        "zh": ([
            "根据这张照片写一篇游记", "以这张图为灵感写一个童话故事", "这是我的网页设计稿，帮我写出对应的HTML代码",
            "这个{e}上面加什么配料好吃？推荐几种", "为图中的商品写一段淘宝文案", "根据这张图写一段小红书笔记",
            "以图里的{e}为主角写一首儿歌", "看图写一篇300字的作文",
        ], [
            "这是App界面草图，帮我写前端代码", "根据这张照片写一段短视频脚本", "为这张图写一段英文介绍", "给这道甜点推荐一种浇头",
        ]),
    },
    "chat_context": {
        "en": ([
            "Gorgeous! I'm going to frame it for my sister.", "Perfect, this is going on a poster in my room.",
        ], ["Wonderful, I'll have it printed on a mug."]),
        "zh": ([
            "太美了，我要打印出来送给妈妈", "好喜欢，准备印成明信片寄给朋友",
            "换个思路，你觉得这幅画适合送人吗？", "{s}风格现在受欢迎吗？",
        ], ["真好看，我要把它做成台历", "换个问题：这幅画适合挂在卧室吗"]),
    },
    "chat_free": {
        "en": ([
            "What if {es} had wings? How would they live?", "What if the moon had rings like Saturn?",
            "What if dinosaurs had never died out?", "What would happen if humans had tails?",
            "Who are some well-known {s} painters?", "Are {s} illustrations in fashion right now?",
            "Who was {ar}, and what is their best-known work?", "What does '{boost}' mean in an AI art prompt?",
        ], [
            "What if {np2} had a job? What would it be?", "What if the internet had been invented in 1800?",
            "Is {s} trendy among young artists?", "Tell me about {ar}'s technique.",
        ]),
        "zh": ([
            "如果{e}长了翅膀，会怎么样？", "假如月亮有光环，夜空会是什么样？", "要是恐龙没有灭绝，世界会变成什么样？",
            "如果人类长了尾巴，生活会有什么不同？", "有哪些擅长{s}的艺术家？", "现在还有很多人画{s}吗",
            "换季了，衣服该怎么收纳？", "{ar}的代表作有哪些？", "手机该换了，推荐一款拍照好的",
            "换个说法解释一下什么是{s}", "AI绘画提示词里的“{boost}”是什么意思？", "能介绍几位{s}风格的代表画家吗",
        ], [
            "如果{e}有工作，它会做什么？", "假如互联网在古代就出现了，会发生什么？", "{ar}是哪个国家的画家？",
            "搬家换了城市，怎么尽快适应？", "{s}风格在年轻人里流行吗", "提示词里写“{boost}”有什么用？",
        ]),
    },
    "chat_task": {
        "en": ([
            "Summarize the following:\n\n{np} has stood {pb} for years. Visitors stop, take photos and leave notes nearby.",
            "Rewrite this paragraph to make it more concise: The picture shows {np} {act}, and in the picture you can see that it is {pb}.",
            "Edit the following text so it reads better: 'we seen {np} {pb} and it were amazing'",
            "Translate into Chinese: {np} {act} {pb}.",
            "Classify these sentences as statements, questions or commands:\nThe {e} is {pb}. Is the {e} {a}? Change the picture.",
            "Change the tone of this message to be friendlier: 'Send me the {e} photos by Friday.'",
            "Translate '{qt}' into French.", "Is \"{qt}\" a good slogan for a bakery? Suggest three alternatives.",
            "Change this sentence to the passive voice: The artist painted {np}.", "Make this caption shorter: {d}.",
        ], [
            "Replace every adjective in this sentence with a synonym: {np} {act} {pb}.", "Paraphrase: {d}.",
            "Edit this product blurb to be more concise: Our {s} print of {np} is a print that shows {np} in {s} style.",
            "Proofread this and swap any informal words: the {e} pic looks kinda awesome.", "Turn '{qt}' into a rhyming couplet.",
        ]),
        "zh": ([
            "请摘要以下内容：那座{e}在{pb}立了很多年，游客们常常在这里拍照、留言。",
            "改写下面这段话，使其更简洁：图片里有{np}，图片里它{act}，背景是{b}。",
            "请编辑这段文字，使其更简洁：{d}，这是我昨天看到的画面，我觉得非常非常美。",
            "把下面这句话翻译成英文：{np}{act}",
            "将下面的句子分类为陈述句、疑问句或祈使句：{e}在{pb}。{e}是{a}的吗？把图片发给我。",
            "帮我改一下这段文案，语气更活泼：本店新到{np}，欢迎选购。",
            "把这段话里的“图片”都换成“照片”：这张图片拍的是{np}，图片很清晰。",
            "将下面这段话转换为正式的书面语：我们昨天去看了{e}，超级好看，还拍了好多照片。",
            "“{qt}”这句标语怎么样？帮我再想三个", "把“{qt}”翻译成英文",
        ], [
            "请把下面的描述改写成一句广告语：{d}", "替换这句话中的形容词，让它更生动：{np}{act}",
            "请修改这段话，去掉重复的词：这张{s}的画画的是{e}，画里的{e}很好看。", "把“{qt}”改写成一句对联的上联",
            "请为下面的文字换一个更吸引人的标题：{np}{act}的那一刻",
        ]),
    },
}

for _name, _langs in _MORE.items():
    for _lang, (_train, _test) in _langs.items():
        _extend(PHRASES[_name][_lang], _train, _test)

# Second batch: general assistant tasks with no picture words at all (code, role-play,
# plans, copywriting from given facts), "draw from this description" requests, and
# questions about an attached picture's intent.
_MORE2: dict[str, dict[str, tuple[list[str], list[str]]]] = {
    "chat_task": {
        "en": ([
            "Implement a function that checks whether a string is a palindrome.", "Write a SQL query that returns the ten newest orders.",
            "Pretend you are a tour guide in ancient Rome. Introduce yourself to the group.",
            "Role-play as a detective interviewing a witness. Start the conversation.",
            "Create a weekly study plan for a student preparing for a maths exam.",
            "Write ad copy for a new running shoe. Key points: light, cushioned, recycled materials.",
            "List a few websites where I can find free resume templates.", "Explain the difference between a list and a tuple in Python.",
        ], [
            "Implement quicksort in JavaScript and explain its complexity.", "Pretend to be a ship's captain during a storm and describe your orders.",
            "Draft a marketing plan for a small bakery opening next month.", "Suggest some online resources for learning statistics.",
        ]),
        "zh": ([
            "用Python实现一个判断回文字符串的函数", "写一条SQL查询，找出最近十个订单",
            "假装你是古罗马的导游，向游客做个自我介绍", "请扮演一名侦探，开始询问一位目击者",
            "为一个准备数学考试的学生制定一周学习计划", "根据以下信息写一段广告文案。产品：新款跑鞋。卖点：轻便、缓震、环保材料。",
            "推荐几个能找到免费简历模板的网站", "解释一下Python里列表和元组的区别",
        ], [
            "用JavaScript实现快速排序，并说明时间复杂度", "扮演一位暴风雨中的船长，说说你会下达哪些命令",
            "为一家下个月开业的小面包店写一份营销方案", "为一位刚退休的老人制定一份健康的作息安排",
        ]),
    },
    "new": {
        "en": (["Here is the description, please draw it: {d}.", "Draw according to this description: {d}."],
               ["Follow this description and make the picture: {d}."]),
        "zh": (["照着下面的描述画出来：{d}", "根据这段描述画一张图：{d}。"], ["按这段文字作画：{d}"]),
    },
    "ask_photo": {
        "en": (["What effect was the artist going for here?", "What feeling is this poster trying to create?"],
               ["What might the painter have wanted viewers to feel?"]),
        "zh": (["这幅画想达到什么效果？", "作者画这张图想让人有什么感受？"], ["这张海报想营造什么氛围？"]),
    },
}

for _name, _langs in _MORE2.items():
    for _lang, (_train, _test) in _langs.items():
        _extend(PHRASES[_name][_lang], _train, _test)

# Third batch: short narratives (past tense, several sentences) that end on text to render,
# contrasted with text tasks on similar narratives; counterfactuals about people; and
# "if someone were to change..." questions about an attached picture.
_MORE3: dict[str, dict[str, tuple[list[str], list[str]]]] = {
    "new": {
        "en": ([
            "{np} stood {pb} for a long time. Nobody came. A note pinned beside it read: \"{qt}\".",
            "After a long day, {np} finally rested {pb}. Above it, glowing letters spelled out \"{qt}\".",
            "{d}. On a screen nearby, one bold line of text: \"{qt}\".", "A little {e} had just finished its work {pb}. The wooden plaque next to it said '{qt}'.",
        ], [
            "{np} waited {pb}, and a chalkboard behind it read \"{qt}\".", "The story begins {pb}: {np}, and a paper lantern with the words \"{qt}\".",
        ]),
        "zh": ([
            "{np}在{pb}等了很久，没有人来。旁边的纸条上写着“{qt}”。", "忙了一整天，{np}终于在{pb}停了下来，头顶亮起一行字“{qt}”。",
            "{d}。旁边的屏幕上显示着一行醒目的字：“{qt}”", "一位老人站在{pb}，手里举着一块牌子，上面写着“{qt}”。",
        ], [
            "{np}在{pb}，身后的黑板上写着“{qt}”", "{pb}，{np}{act}，头顶的气泡里写着：“{qt}”",
        ]),
    },
    "chat_free": {
        "en": (["What if {ar} had been born a century later?", "What if Napoleon had won at Waterloo?"],
               ["What if Shakespeare had written science fiction?"]),
        "zh": (["如果{ar}晚出生一百年，会画出什么样的作品？", "假如秦始皇没有统一六国，历史会怎样？"], ["要是牛顿没有发现万有引力，会怎么样？"]),
    },
    "ask_photo": {
        "en": ([
            "If you were to add one more ingredient to this dish, what would it be and why?",
            "Compose a short travel article about visiting this place, with tips on food and sights.",
            "Suppose someone wanted to change the colours in this room. Explain what they should pick and why.",
            "If this were a book cover, what would the story be about?",
        ], [
            "If someone replaced the sauce on this, how would the taste change?", "Write a travel diary entry as if I had just visited this spot.",
        ]),
        "zh": ([
            "如果给这道菜再加一种配料，你会加什么？为什么？", "以这个地方为主题写一篇旅行攻略，介绍美食和景点",
            "假如要换掉这个房间的配色，应该换成什么颜色？说说理由", "如果这是一本书的封面，故事会讲什么？",
        ], ["要是把这道菜的酱汁换一种，味道会有什么变化？", "假装我刚去过这里，帮我写一篇游记"]),
    },
    "chat_task": {
        "en": ([
            "Continue this story in three sentences: {np} stood {pb} for a long time. Nobody came.",
            "Summarize this in a sentence: After a long day, {np} finally rested {pb}, and a sign above it read \"{qt}\".",
        ], ["Give this short story a title: {np} waited {pb}, and a note nearby read \"{qt}\"."]),
        "zh": ([
            "续写这个故事：{np}在{pb}等了很久，没有人来。", "用一句话概括：忙了一整天，{np}终于在{pb}停下来，头顶的牌子上写着“{qt}”。",
        ], ["给这段小故事起个标题：{np}在{pb}等着，旁边的纸条上写着“{qt}”。"]),
    },
}

for _name, _langs in _MORE3.items():
    for _lang, (_train, _test) in _langs.items():
        _extend(PHRASES[_name][_lang], _train, _test)

# Fourth batch: more train phrasings of kinds the test split words differently (compliments
# with plans to print, role-play, tightening a blurb, story-like openings with text to
# render, "how would X look?", style-popularity questions).
_MORE4: dict[str, dict[str, tuple[list[str], list[str]]]] = {
    "chat_context": {
        "en": (["Love it, I'll get it printed on a T-shirt.", "So pretty! I'm printing a copy for grandma."], ["Lovely. A print of this is going on my fridge."]),
        "zh": (["太好看了，我要印在T恤上", "我打算把它打印出来当海报"], ["真不错，我要把它印成贴纸"]),
    },
    "chat_task": {
        "en": ([
            "Act as a travel agent and help me pick a destination for June.", "Tighten this description: Our {s} poster of {np} is a poster that shows {np}.",
            "You are a museum guide. Welcome the visitors and explain the house rules.", "Shorten this blurb without losing meaning: This {e} print is a print of {np} printed on paper.",
        ], ["Play the role of a chef and explain tonight's menu.", "Make this caption less wordy: {np} {act} {pb}, which is where {np} {act}."]),
        "zh": ([
            "扮演一位老师，给学生讲讲怎么备考", "精简这段商品介绍：这款{s}风格的{e}海报是一张画着{e}的海报。",
            "你来扮演面试官，问我几个问题", "把这段话改得简短一点：这张{e}的图是一张拍{e}的图，图里有{e}。",
        ], ["请你扮演一位导游，介绍一下今天的行程", "删掉这段文案里多余的字：{np}{act}，{np}真的{act}。"]),
    },
    "new": {
        "en": ([
            "Opening scene {pb}: {np}, and a small flag with the words \"{qt}\".", "It all starts {pb}: {np}, under a banner reading \"{qt}\".",
            "How would {d} look? Show me with a picture.", "What would {d} be like? Let me see it.",
        ], ["First page of the picture book: {np} {pb}, and a sign that says \"{qt}\".", "How does {d} look? Draw it for me."]),
        "zh": ([
            "开场画面：{pb}，{np}，一面小旗上写着“{qt}”", "一切从{pb}开始：{np}，头顶挂着写有“{qt}”的横幅",
            "{d}会是什么样？画一张让我看看", "我想知道{d}长什么样，画出来吧",
        ], ["绘本第一页：{pb}，{np}，木牌上写着“{qt}”", "{d}大概是什么样子？画给我看"]),
    },
    "chat_free": {
        "en": ([
            "Are {s} pictures popular these days?", "Is {s} still in style?",
            "What does the phrase \"{qt}\" mean to you?", "Write a short poem titled '{qt}'.",
            "Where does the saying '{qt}' come from?", "Give me three other ways to say \"{qt}\".",
        ], ["Do people still like {s} art?", "Write a four-line verse that ends with \"{qt}\"", "Is '{qt}' a good name for a cafe?"]),
        "zh": ([
            "{s}风格最近火吗？", "{s}风格还时髦吗", "“{qt}”这句话出自哪里？", "以“{qt}”为题写一首短诗",
            "“{qt}”用英语怎么说？", "给我三种表达“{qt}”的别的说法",
        ], ["现在{s}风格还吃香吗？", "写四句话，最后一句是“{qt}”", "“{qt}”适合做咖啡馆的名字吗？"]),
    },
    "ask_photo": {
        "en": (["What does the sign in this photo say?", "Could the text on this be '{qt}'? Read it for me."], ["Translate the words written in this picture."]),
        "zh": (["这张照片里的牌子上写的是什么字？", "图上的字是“{qt}”吗？帮我读一下"], ["把图里的文字翻译成英文"]),
    },
}

for _name, _langs in _MORE4.items():
    for _lang, (_train, _test) in _langs.items():
        _extend(PHRASES[_name][_lang], _train, _test)

# Fifth batch: more train phrasings of kinds the test split words differently.
_MORE5: dict[str, dict[str, tuple[list[str], list[str]]]] = {
    "new": {
        "en": (["The tale opens {pb}: {np}, and a wooden sign reading \"{qt}\".", "Chapter one, {pb}: {np} beside a lamp post with the words \"{qt}\".",
                "What's {d} look like? Show me a picture of it.", "Wondering what {d} is like. Picture it for me."],
               ["Prologue, {pb}: {np}, and a ribbon printed with \"{qt}\".", "What might {d} look like? Picture it."]),
        "zh": (["故事从{pb}开始：{np}，一盏灯笼上写着“{qt}”", "第一章，{pb}：{np}，路牌上写着“{qt}”",
                "{d}是啥样？给我画一张", "好奇{d}的样子，画出来看看"],
               ["序幕，{pb}：{np}，彩带上印着“{qt}”", "{d}会长什么样？画一下"]),
    },
    "att_combine_images": {
        "en": (["Stitch this photo and the previous picture into one.", "Make one image out of this and the last one."], ["Join this photo with the earlier picture."]),
        "zh": (["把这张照片和上一张拼成一张图", "这张和前面那张合成一幅"], ["把这张跟刚才那张拼在一起"]),
    },
    "ask_photo": {
        "en": (["Can you tell which {e} this is?", "Can you recognise the {e} here?"], ["Do you recognise this {e}?"]),
        "zh": (["你能认出图里的{e}吗？", "图中这个{e}你认识吗"], ["认得出这是什么{e}吗？"]),
    },
    "edit_change_style": {
        "en": (["Can I get a {s} one?", "A {s} version, maybe?"], ["Could I have one in {s}?"]),
        "zh": (["能来一张{s}风格的吗？", "改成{s}风格会怎样？"], ["{s}风格的可以来一张不？"]),
    },
    "chat_task": {
        "en": (["Suggest a few names for a restaurant decorated with photos of {b}.", "Name five bakeries that could sell {es}."], ["Think of shop names for a florist near {b}."]),
        "zh": (["给一家挂满{b}照片的餐厅想几个店名", "为一家卖{e}的小店起几个名字"], ["帮开在{b}旁边的花店想个店名"]),
    },
}

for _name, _langs in _MORE5.items():
    for _lang, (_train, _test) in _langs.items():
        _extend(PHRASES[_name][_lang], _train, _test)


def split_pool(pool: Sequence[str], split: str) -> list[str]:
    """The part of a phrasing pool a split uses: every third template (from the third) is
    test-only, the rest train-only; pools of fewer than three are shared."""
    if len(pool) < 3:
        return list(pool)
    if split == "test":
        return [p for i, p in enumerate(pool) if i % 3 == 2]
    return [p for i, p in enumerate(pool) if i % 3 != 2]
