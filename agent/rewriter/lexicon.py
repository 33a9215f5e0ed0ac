"""Vocabularies of the offline rewriter (:mod:`dialoggen.agent.rewriter.rule`), English and Chinese.

Plain data: colours, materials, styles, shots, times of day / weather, the verbs and
function words the English noun-phrase finder stops at, and Chinese measure words.
"""

from __future__ import annotations

# ----------------------------------------------------------------------------- English
COLOURS_EN = (
    "red", "orange", "yellow", "green", "blue", "purple", "violet", "pink", "black", "white", "gray", "grey",
    "brown", "golden", "gold", "silver", "beige", "teal", "turquoise", "navy", "crimson", "scarlet", "maroon",
    "cyan", "magenta", "lavender", "ivory", "bronze", "emerald", "indigo", "ginger", "rainbow-coloured", "rainbow-colored",
    "burgundy", "coral", "khaki", "peach", "lilac", "plum", "cream", "salmon", "amber", "ochre", "mauve", "fuchsia", "aqua",
)
COLOUR_MODIFIERS_EN = ("light", "dark", "bright", "pale", "deep", "pastel", "neon", "vivid", "hot", "baby", "sky", "royal", "forest", "olive",
                       "mint", "lime", "electric", "powder", "dusty", "burnt", "rose", "ruby", "jet", "cherry", "sea", "steel", "lemon", "mustard", "charcoal", "slate", "pearl")

MATERIALS_EN = (
    "wood", "wooden", "glass", "metal", "steel", "iron", "gold", "silver", "stone", "marble", "paper", "origami", "clay",
    "plastic", "ice", "crystal", "feathers", "fur", "lego", "leather", "bronze", "porcelain", "chocolate", "candy",
    "yarn", "wool", "brick", "bricks", "copper", "ceramic", "cardboard", "jade", "sand", "cotton", "silk", "bamboo",
    "diamond", "diamonds", "light", "smoke", "water", "fire", "flowers", "leaves", "cheese", "bread", "sugar", "lava",
    "woollen", "woolen", "velvet", "denim", "metallic", "ceramic", "porcelain", "brass", "tin", "rubber", "felt", "linen",
)
# Material words that work as adjectives before the noun ("a woollen coat").
MATERIAL_ADJECTIVES_EN = (
    "wooden", "woollen", "woolen", "velvet", "denim", "leather", "silk", "silken", "copper", "marble", "stone", "glass", "ceramic",
    "brick", "metallic", "metal", "porcelain", "plastic", "paper", "crystal", "bronze", "brass", "steel", "iron", "golden", "silver",
    "cotton", "linen", "felt", "rubber", "clay", "ice", "jade", "wicker", "bamboo",
)

# Style vocabulary: a phrase containing one of these (word-bounded) names a visual style.
STYLE_WORDS_EN = (
    "realistic", "photorealistic", "photoreal", "hyperrealistic", "hyper-realistic", "realism", "photo", "photograph", "photography",
    "photographic", "watercolor", "watercolour", "oil painting", "oil", "acrylic", "gouache", "pastel", "painting", "painted",
    "sketch", "sketched", "pencil", "charcoal", "ink", "line art", "lineart", "drawing", "anime", "manga", "cartoon", "cartoonish",
    "comic", "comics", "pixel", "pixel art", "8-bit", "16-bit", "3d", "3d render", "render", "cgi", "low poly", "low-poly", "voxel",
    "claymation", "clay", "pixar", "ghibli", "disney", "cyberpunk", "steampunk", "vaporwave", "synthwave", "impressionist",
    "impressionism", "expressionist", "cubist", "cubism", "surreal", "surrealist", "surrealism", "pop art", "art deco",
    "art nouveau", "ukiyo-e", "ukiyoe", "minimalist", "minimalism", "flat", "vector", "illustration", "illustrated",
    "concept art", "storybook", "stained glass", "mosaic", "graffiti", "baroque", "renaissance", "gothic", "noir", "film noir",
    "vintage", "retro", "cinematic", "fantasy art", "digital art", "digital painting", "isometric", "papercut", "paper cut",
    "chalk", "crayon", "woodblock", "engraving", "etching", "lithograph", "sumi-e", "ink wash", "chinese ink", "art style",
    "abstract", "psychedelic", "gothic", "kawaii", "chibi", "cel-shaded", "cel shaded", "pointillism", "pointillist",
    "tattoo", "poster", "blueprint", "sculpture", "figurine", "embroidery", "needlepoint", "origami", "airbrush",
    "polaroid", "black and white", "black-and-white", "monochrome", "sepia", "studio lighting", "bokeh", "unreal engine",
    "octane render", "hdr", "4k", "8k", "ultra detailed", "highly detailed", "lifelike", "true to life", "real", "photo-like", "photolike",
)

# Canonical shots, by key; the edit set and the rules share the keys.
SHOTS_EN = {
    "close": "a close-up",
    "extreme_close": "an extreme close-up",
    "medium": "a medium shot",
    "wide": "a wide shot",
    "extreme_wide": "an extreme wide shot",
    "full": "a full-body shot",
    "above": "a top-down view",
    "birdseye": "a bird's-eye view",
    "aerial": "an aerial view",
    "low": "a low-angle shot",
    "high": "a high-angle shot",
    "side": "a side view",
    "back": "a view from behind",
    "front": "a front view",
    "macro": "a macro shot",
    "panorama": "a panoramic shot",
    "pov": "a first-person view",
    "fisheye": "a fisheye shot",
    "eye": "an eye-level shot",
    "shoulder": "an over-the-shoulder shot",
    "portrait": "a portrait shot",
}

# (regex, shot key); first match wins. "zoom in"/"zoom out" are relative (see the rewriter).
SHOT_PATTERNS_EN = (
    (r"extreme(?:ly)? close[- ]?ups?|very close[- ]?up|macro (?:shot|lens|view)|\bmacro\b", "extreme_close"),
    (r"close[- ]?ups?|closeups?|tight(?:er)? (?:shot|crop|framing)|frame it tight", "close"),
    (r"extreme(?:ly)? wide|very wide shot|ultra[- ]wide", "extreme_wide"),
    (r"wide[- ]angle|wide shot|wider (?:shot|view|angle|frame)|\bwider\b|long shot|establishing shot", "wide"),
    (r"panoram", "panorama"),
    (r"bird'?s[- ]?eye|birds[- ]eye", "birdseye"),
    (r"aerial|drone", "aerial"),
    (r"top[- ]down|overhead|from (?:directly |right |straight |high )?above|from the top|from up high|from high up|high above|look(?:ing)? down (?:on|at)|looking down", "above"),
    (r"high[- ]angle", "high"),
    (r"low[- ]angle|from below|from the ground|worm'?s[- ]eye|looking up at", "low"),
    (r"full[- ]body|whole body|full[- ]length|head to toe|entire body|whole figure", "full"),
    (r"side view|from the side|(?:camera|view|shot) (?:to|from) the side|sideways|in profile|profile view|side angle|side[- ]on", "side"),
    (r"from behind|from the back|rear view|back view", "back"),
    (r"front view|from the front|head[- ]on|facing the camera", "front"),
    (r"first[- ]person|\bpov\b|point of view", "pov"),
    (r"fish[- ]?eye", "fisheye"),
    (r"eye[- ]level", "eye"),
    (r"over[- ]the[- ]shoulder", "shoulder"),
    (r"medium shot|mid[- ]shot|waist[- ]up", "medium"),
    (r"portrait shot|head and shoulders|headshot", "portrait"),
)
ZOOM_IN_EN = r"zoom(?:ed)?\s+(?:\w+\s+)?in\b|up close|closer|move in|get close|push in|tighter|crop in|fill the frame|nearer"
ZOOM_OUT_EN = r"zoom(?:ed)?\s+(?:\w+\s+)?out\b|back off|(?:whole|entire) (?:scene|thing) fits|pull (?:\w+ )?back|further away|farther|pull(?:ed)? (?:the camera )?back|back up|step back|see (?:more|everything|the whole (?:scene|thing))|show more of|less close|more distant"

# Times of day and weather: (regex, phrase appended to the background, extras sentence)
TIMES_EN = (
    (r"\bmidnight\b", "at midnight"),
    (r"\bgolden hour\b", "at golden hour"),
    (r"\bblue hour\b", "at blue hour"),
    (r"\b(?:night(?:time)?(?![\s-]+(?:market|markets|club|clubs|bazaar|stall|stalls|shift|stand|train|bus|owl|watch))|at night|nocturnal|after dark)\b", "at night"),
    (r"\b(?:sunset|sundown)\b", "at sunset"),
    (r"\bsunrise\b", "at sunrise"),
    (r"\b(?:dawn|daybreak)\b", "at dawn"),
    (r"\btwilight\b", "at twilight"),
    (r"\b(?:dusk|evening)\b", "at dusk"),
    (r"\b(?:sunny|sunshine|daytime|day time|during the day|bright day|midday|noon)\b", "on a sunny day"),
    (r"\b(?:rain(?:y|ing)?)\b", "in the rain"),
    (r"\bwinter(?:y|time)?\b", "in winter"),
    (r"\b(?:snow(?:y|ing)?)\b", "in the snow"),
    (r"\b(?:fog(?:gy)?|mist(?:y)?)\b", "in thick fog"),
    (r"\b(?:storm(?:y)?|thunder(?:storm)?|lightning)\b", "in a thunderstorm"),
    (r"\b(?:autumn|fall)\b", "in autumn"),
    (r"\b(?:spring(?:time)?)\b", "in spring"),
    (r"\b(?:summer(?:time)?)\b", "in summer"),
    (r"\b(?:cloudy|overcast)\b", "under a cloudy sky"),
)
# Phrases a time edit replaces inside an existing background.
TIME_PHRASES_EN = (
    "at midnight", "at golden hour", "at blue hour", "at twilight", "at night", "at sunset", "at dawn", "at dusk", "at sunrise", "on a sunny day", "in the rain", "in the snow",
    "in thick fog", "in fog", "in a thunderstorm", "in autumn", "in spring", "in summer", "in winter", "under a cloudy sky",
)

# Words an English noun phrase never includes (its left edge stops at them).
DETERMINERS_EN = (
    "a", "an", "the", "this", "that", "these", "those", "some", "any", "its", "his", "her", "their", "my", "your", "our",
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "several", "many", "few", "a few",
    "lots", "no", "each", "every",
)
PREPOSITIONS_EN = (
    "in", "on", "at", "by", "with", "without", "of", "from", "to", "into", "onto", "over", "under", "above", "below",
    "beside", "behind", "near", "along", "across", "through", "around", "between", "among", "against", "inside", "outside",
    "next", "toward", "towards", "upon", "within", "beneath", "underneath", "past", "like", "for", "as", "up", "down",
)
CONJUNCTIONS_EN = ("and", "or", "but", "while", "as", "that", "which", "who", "where", "when")
VERBS_EN = (
    "is", "are", "was", "were", "be", "being", "been", "has", "have", "had",
    "sits", "sit", "sitting", "stands", "stand", "standing", "walks", "walk", "walking", "runs", "run", "running",
    "sleeps", "sleep", "sleeping", "eats", "eat", "eating", "drinks", "drinking", "holds", "holding", "wears", "wearing",
    "rides", "riding", "flies", "fly", "flying", "swims", "swimming", "plays", "play", "playing", "reads", "reading",
    "looks", "looking", "gazes", "gazing", "watches", "watching", "jumps", "jumping", "dances", "dancing", "sings", "singing",
    "lies", "lying", "lays", "rests", "resting", "waters", "watering", "mends", "mending", "catches", "catching",
    "gallops", "galloping", "parked", "parks", "carries", "carrying", "stares", "staring", "floats", "floating", "hovers",
    "hovering", "climbs", "climbing", "paints", "painting", "cooks", "cooking", "leans", "leaning", "perches", "perched",
    "chases", "chasing", "hugs", "hugging", "waves", "waving", "smiles", "smiling", "laughs", "laughing", "glows", "glowing",
    "shines", "shining", "grows", "growing", "hangs", "hanging", "drives", "driving", "pulls", "pulling", "pushes", "pushing",
    "fishes", "fishing", "waits", "waiting", "crosses", "crossing", "sails", "sailing", "rises", "rising", "circle", "circles",
    "circling", "line", "lines", "wave", "stands", "lie", "covered", "made", "filled", "surrounded", "dressed", "wrapped",
    "sips", "sipping", "writes", "writing", "builds", "building", "explores", "exploring", "travels", "traveling", "curled",
    "perch", "roams", "roaming", "grazes", "grazing", "peeks", "peeking", "kneels", "kneeling", "squats", "crouches",
)

# Request wrappers around a new picture's content (regexes, matched at the start).
NEW_WRAPPERS_EN = (
    r"(?:please\s+)?(?:can|could|would|will)\s+you\s+(?:please\s+)?(?:\w+\s+)?(?:draw|paint|make|create|generate|sketch|render|design|produce|illustrate|show|give)\b",
    r"(?:i'?d|i\s+would)\s+(?:love|like)\s+(?:to\s+(?:see|have|get)|you\s+to\s+(?:draw|paint|make|create|generate|show))",
    r"(?:i'?d|i\s+would)\s+(?:love|like)\b",
    r"i\s+(?:want|need)\s+(?:to\s+see|you\s+to\s+(?:draw|paint|make|create|generate))",
    r"i\s+(?:want|need|would like)\b",
    r"(?:please\s+)?(?:draw|paint|make|create|generate|sketch|render|design|produce|illustrate|show|give)\b",
    r"let'?s\s+(?:draw|paint|make|create|see|have)",
    r"how\s+about",
    r"(?:imagine|picture|visualize|visualise)",
)
NEW_OBJECT_WRAPPERS_EN = (  # what follows the verb: "me a picture of"
    r"(?:for\s+)?(?:me|us)\s+",
    r"(?:an?|the|one|some)?\s*(?:new\s+|nice\s+|quick\s+|beautiful\s+|cool\s+)?(?:picture|image|painting|drawing|photo|photograph|illustration|render|artwork|sketch|pic|scene|portrait|poster)s?\s+(?:of|showing|with|that shows|depicting|where)\s+",
    r"(?:an?\s+)?(?:picture|image|painting|drawing|photo|illustration|artwork|sketch)\s+(?:from|based on)\s+(?:this|the following|my)\s+(?:description|text|prompt)\s*[:,]?\s*",
    r"(?:something|one)\s+(?:like|with)\s+",
    r"(?:an?\s+|this\s+|the\s+following\s+)?(?:picture|image|painting|drawing|photo|illustration|artwork|sketch|pic|this|it)?\s*(?:for\s+(?:me|us)\s*)?:\s*",
)

# Start-over words (a new picture although there is a previous one).
START_OVER_EN = r"\b(?:start over|start again|from scratch|new picture|new image|new drawing|something (?:completely |totally )?(?:different|else)|another (?:picture|image|drawing) of|forget (?:that|it|the last one|the previous)|never mind)\b"

# ----------------------------------------------------------------------------- Chinese
COLOURS_ZH = (
    "红色", "橙色", "黄色", "绿色", "蓝色", "紫色", "粉色", "粉红色", "黑色", "白色", "灰色", "棕色", "褐色", "金色", "银色",
    "米色", "青色", "天蓝色", "深蓝色", "浅蓝色", "深绿色", "浅绿色", "墨绿色", "酒红色", "橘色", "橘黄色", "彩虹色", "透明",
    "紫罗兰色", "珊瑚色", "卡其色", "香槟色", "杏色", "驼色", "象牙白", "琥珀色", "玫瑰金",
)
COLOUR_CHARS_ZH = "红橙黄绿蓝紫粉黑白灰棕褐金银青橘"
COLOUR_MODIFIERS_ZH = ("深", "浅", "淡", "亮", "暗", "鲜", "嫩", "藏", "墨", "天", "宝", "湖", "酒", "米", "玫瑰", "橄榄", "薄荷", "咖啡", "奶油",
                       "芥末", "柠檬", "炭", "珊瑚", "香槟", "苹果", "草", "土")
MATERIALS_ZH = (
    "玻璃", "木头", "木", "金属", "钢铁", "铁", "黄金", "金子", "白银", "石头", "大理石", "纸", "折纸", "黏土", "粘土", "塑料", "冰",
    "水晶", "羽毛", "毛绒", "乐高积木", "乐高", "皮革", "青铜", "陶瓷", "瓷", "巧克力", "糖果", "毛线", "砖", "铜", "纸板", "玉",
    "沙子", "丝绸", "竹子", "钻石", "积木", "奶酪", "面包", "棉花",
    "石", "陶", "红砖", "天鹅绒", "羊毛", "牛仔布", "木制", "铜制",
)
STYLE_WORDS_ZH = (
    "写实", "逼真", "真实", "照片", "摄影", "水彩", "油画", "素描", "铅笔", "炭笔", "水墨", "国画", "工笔", "动漫", "动画", "卡通",
    "漫画", "像素", "3D", "3d", "三维", "渲染", "低多边形", "黏土", "粘土", "皮克斯", "吉卜力", "迪士尼", "赛博朋克", "蒸汽朋克",
    "印象派", "立体派", "超现实", "波普", "浮世绘", "极简", "扁平", "矢量", "插画", "概念艺术", "绘本", "彩色玻璃", "马赛克",
    "涂鸦", "巴洛克", "文艺复兴", "哥特", "复古", "电影感", "奇幻", "数字艺术", "等距", "剪纸", "版画", "木刻", "粉笔", "蜡笔",
    "彩铅", "手绘", "Q版", "q版", "二次元", "日系", "国风", "古风", "黑白", "胶片", "宝丽来", "油彩", "丙烯", "浮雕", "雕塑",
    "手办", "画风", "风格", "画法", "质感", "效果", "超写实", "唯美", "梦幻",
)
SHOTS_ZH = {
    "close": "特写", "extreme_close": "大特写", "medium": "中景", "wide": "远景", "extreme_wide": "大远景", "full": "全身镜头",
    "above": "俯视", "birdseye": "鸟瞰", "aerial": "航拍", "low": "仰拍", "high": "高角度俯拍", "side": "侧面视角",
    "back": "背面视角", "front": "正面视角", "macro": "微距", "panorama": "全景", "pov": "第一人称视角", "fisheye": "鱼眼镜头",
    "eye": "平视", "shoulder": "过肩镜头", "portrait": "半身像",
}
SHOT_PATTERNS_ZH = (
    (r"大特写|超近|微距", "extreme_close"),
    (r"特写|近景|近距离|近拍|拉近|推近|靠近|贴近|贴紧|放大|近一?[点些]|凑近|怼脸|贴脸|怼近|大头照", "close"),
    (r"大远景|超远", "extreme_wide"),
    (r"全景|全貌|整个场景|全部拍进|都拍进", "panorama"),
    (r"远景|拉远|远一?[点些]|缩小|广角|远处拍|远距离|后退", "wide"),
    (r"鸟瞰", "birdseye"),
    (r"航拍|无人机", "aerial"),
    (r"俯视|俯拍|从上往下|从上面|从高处|顶视|从正?上方|往下看|向下看|往下拍|向下拍|头顶往下", "above"),
    (r"蚂蚁视角|虫子视角|虫视角|仰视|仰拍|从下往上|从下面|低角度|低机位|往上拍|往上看|向上拍|向上看|从地面|从地上|从底下|从下方", "low"),
    (r"全身|从头到脚|整个人", "full"),
    (r"侧面|侧脸|侧视|从旁边|侧着|侧边|侧身|侧拍", "side"),
    (r"背面|背影|从后面|从背后", "back"),
    (r"正面", "front"),
    (r"第一人称|主观视角", "pov"),
    (r"鱼眼", "fisheye"),
    (r"平视", "eye"),
    (r"过肩", "shoulder"),
    (r"中景|半身", "medium"),
)
TIMES_ZH = (  # (regex, time phrase); bare 雨/雪/雾 are left out ("雨伞", "雪人")
    (r"黄金时刻|黄金时段|魔幻时刻", "黄金时刻"),
    (r"晚上|夜晚|夜里|夜间|深夜|夜景|黑夜|午夜|(?<![过守])夜(?!光|市|店|宵|总会|排档|场|校|班|猫|莺|明珠)", "夜晚"),  # not "夜市", "夜店"
    (r"傍晚", "傍晚"),
    (r"日落|夕阳|黄昏", "黄昏"),
    (r"日出", "日出时"),
    (r"清晨|黎明|早晨", "清晨"),
    (r"晴天|阳光明媚|白天|晴朗|中午", "晴天"),
    (r"下雨|雨天|雨中|雨景|大雨|小雨|暴雨|雨夜", "雨天"),
    (r"冬天|冬季|冬日", "冬天"),
    (r"下雪|雪天|雪中|雪景|大雪|雪地", "雪天"),
    (r"大雾|雾天|雾气|起雾|雾中|浓雾|雾蒙蒙", "大雾中"),
    (r"暴风雨|雷雨|闪电", "暴风雨中"),
    (r"秋天|秋季", "秋天"),
    (r"春天|春季", "春天"),
    (r"夏天|夏季", "夏天"),
    (r"阴天", "阴天"),
)
TIME_PHRASES_ZH = ("黄金时刻", "夜晚", "傍晚", "冬天", "日出时", "黄昏", "清晨", "晴天", "雨天", "雪天", "大雾中", "暴风雨中", "秋天", "春天", "夏天", "阴天", "晚上", "日落时", "夜间")
# Measure words for common nouns (a swapped noun gets its own).
MEASURE_ZH = {
    "只": ("狗", "猫", "鸟", "兔", "狐狸", "熊", "熊猫", "考拉", "松鼠", "羊", "鸡", "鸭", "鹅", "老虎", "狮子", "猴", "鼠", "蝴蝶", "手", "鞋", "小狗", "小猫"),
    "辆": ("车", "汽车", "公交车", "自行车", "摩托车", "房车", "马车", "卡车", "火车", "坦克"),
    "列": ("火车", "列车", "高铁"),
    "匹": ("马", "白马", "黑马", "独角兽"),
    "条": ("鱼", "龙", "巨龙", "蛇", "河", "船", "小船", "裙子", "围巾", "狗"),
    "座": ("房子", "城堡", "灯塔", "风车", "山", "桥", "塔", "木屋", "寺庙", "雕像"),
    "棵": ("树", "松树", "仙人掌", "向日葵"),
    "朵": ("花", "玫瑰", "云"),
    "位": ("女子", "女人", "男人", "老人", "渔夫", "水手", "骑士", "公主", "女孩", "小女孩", "男孩", "老奶奶", "老爷爷", "工匠", "设计师"),
    "个": ("人", "机器人", "孩子", "小女孩", "男孩", "气球", "苹果", "杯子", "盒子", "网球"),
    "顶": ("帽子", "皇冠", "帐篷"),
    "把": ("伞", "雨伞", "椅子", "剑", "吉他", "钥匙"),
    "盏": ("灯", "灯笼", "台灯", "路灯"),
    "碗": ("拉面", "面", "米饭", "汤", "咖喱饭"),
    "盘": ("沙拉", "菜"),
    "架": ("飞机", "钢琴"),
    "艘": ("船", "帆船", "潜艇"),
    "张": ("桌子", "纸", "照片", "床"),
    "束": ("玫瑰", "一束玫瑰", "花"),
    "根": ("树枝", "羽毛"),
}
MEASURE_CHARS_ZH = "只辆列匹条座棵朵位个顶把盏碗盘架艘张束根头幅片群对双件本支块颗粒尊名"
NUMERALS_ZH = "一二两三四五六七八九十几些每这那"
START_OVER_ZH = r"重新画一张|重新画个|重新来|从头|换个新的|换一张新的|另外画|另画一|画个别的|不要这张|新的一张|新画一|再画一张新的|换个题材|换个主题"

# Places: a first turn's trailing "in a park" / "在花园里" names the background, not the subject.
PLACES_EN = (
    "park", "garden", "field", "meadow", "beach", "seaside", "sea", "ocean", "lake", "river", "riverbank", "mountain", "mountains",
    "mountain range", "hill", "hills", "hillside", "desert", "forest", "woods", "jungle", "rainforest", "street", "city street", "road",
    "city", "town", "village", "room", "bedroom", "kitchen", "living room", "office", "studio", "classroom", "library", "cafe",
    "restaurant", "market", "square", "plaza", "grass", "grassland", "plain", "plains", "savanna", "valley", "canyon", "cave",
    "countryside", "farm", "yard", "backyard", "playground", "stadium", "court", "gym", "station", "airport", "harbor", "harbour",
    "pier", "island", "cliff", "shore", "coast", "bay", "pond", "waterfall", "swamp", "glacier", "stage", "hall", "snow", "sand",
    "shoreline", "seashore", "lawn", "alley", "sidewalk", "highway", "bathroom", "corridor", "hallway", "arena", "pasture",
)
PLACES_ZH = (
    "花园", "公园", "草地", "草坪", "草原", "沙滩", "海边", "海滩", "街边", "街道", "街头", "广场", "办公室", "森林", "树林", "竹林",
    "雪山", "山顶", "山上", "健身房", "篮球场", "足球场", "操场", "冰面", "湖边", "湖面", "河边", "田野", "麦田", "房间", "卧室", "厨房",
    "客厅", "教室", "书房", "咖啡馆", "咖啡厅", "餐厅", "舞台", "院子", "城市", "雪地", "沙漠", "海上", "海面", "窗边", "路边", "马路",
    "街上", "寺庙门口", "门口", "寺庙", "城堡里", "山谷", "山间", "湖畔", "海岸", "岸边", "田间", "农场", "车站", "机场", "码头", "沙发", "床上", "屋顶", "阳台",
)
