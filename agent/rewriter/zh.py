"""Chinese request parsing: a request -> the list of :class:`Edit` it asks for.

Each sentence is stripped of fillers, politeness and particles and tried against the rules
(combine, wishes, colours, swaps, materials, removals, background, shot, style, placement,
additions, time). A request no rule reads becomes ``extras``."""

from __future__ import annotations

import re
from typing import Optional

from . import lexicon as L
from ..prompt import DrawingPrompt
from .common import COLOUR_ZH_RE, Edit, MATERIAL_ZH_RE, SPECIFIC_STYLE_ZH_RE, STYLE_ZH_RE, shot_edit, shot_of, time_of, with_referent
from .nouns import find_zh
from .kinds import EditKind


_FILLER_ZH = re.compile(r"^(?:(?:是的|好的|好|嗯|那|那么|然后|现在|对|行|可以|不错|很好|谢谢|顺便|顺手|另外)[，,！!。]?)+")


_POLITE_ZH = re.compile(r"^(?:请你?|麻烦你?|帮我|帮忙|你能不能|你可以|能不能|可不可以|能否|你能|可以|请帮我|帮我把|我希望你?|我想(?=让)|想(?=让)|我要(?=让)|是否可以|有没有可能|能(?=把|将|让)|可(?=把))+")


_TRAIL_ZH = re.compile(r"(?:[，,]?(?:其他|其余|别的|其它)(?:的)?(?:都|部分)?(?:保持)?不变|[，,]?保持其他不变|好吗|可以吗|行吗|好不好|吗|吧|呢|呀|啊|哦|呗|嘛|啦|一下|谢谢啦|谢啦|谢谢|试试|看看|走起|求安排|安排上|安排|[，,\s]*(?:thx|thanks|thank you|pls|plz|please|ty)|[~～]+)+[。！？!?.，,]*$|[。！？!?.，,\s]+$", re.I)


_SWAP_VERBS_ZH = r"(?:改画成|改画为|重画成|画成|改画|换画|弄成|搞成|换做|换成|改成|变成|替换成|替换为|改为|换为|变为|改用|换掉成|涂成|刷成|染成|漆成|改成了|换成了|转换为|转化为|转换成|转化成|转为|转成|做成|制作成|调成|调整为|调为|整成|换个|换一个)"


_WHOLE_PICTURE_ZH = re.compile(r"^(?:这张|这幅|此|该|原|上传的|附件中的|附件的|整张|整个)?(?:图片|照片|图像|图|画面|画|相片)?$")


_REMOVE_VERBS_ZH = r"(?:去掉|去除|删掉|删除|移除|拿掉|拿走|擦掉|抹掉|抹去|清除|除去|剔除|弄走|删了|去了|撤掉|取消)"


def clause_zh(text: str) -> str:
    c = text.strip()
    for _ in range(2):
        c = _FILLER_ZH.sub("", c)
        c = _POLITE_ZH.sub("", c)
        c = _TRAIL_ZH.sub("", c)
        c = _TRAIL_ZH.sub("", c)
    return c.strip("，, ")


# Common misspellings of command words (homophones typed by pinyin input): "唤成" -> "换成".
_TYPOS_ZH = {"唤成": "换成", "换城": "换成", "改城": "改成", "背静": "背景", "被景": "背景", "风各": "风格", "画疯": "画风", "删出": "删除", "去调": "去掉"}


def _fix_typos_zh(text: str) -> str:
    for wrong, right in _TYPOS_ZH.items():
        if wrong.endswith("城"):  # "换城堡", "改城市": a word, not a typo of 换成
            text = re.sub(wrong + r"(?![堡市墙镇楼门池里郊区])", right, text)
        else:
            text = text.replace(wrong, right)
    return text


def classify_zh(request: str, prompt: DrawingPrompt, second: bool) -> list[Edit]:
    request = _fix_typos_zh(request)
    sentences = [s for s in re.split(r"[。！？!?；;\n]+", request) if s.strip()]
    edits: list[Edit] = []
    for s in sentences:
        c = clause_zh(s)
        neg = re.match(r"^(?:别|不要|不用|没必要)(?:那么|这么|太)[^，,]{1,8}[，,]\s*(?P<rest>.+)$", c)
        if neg:  # "别那么卡通，真实点": what the user wants is after the comma
            c = clause_zh(neg.group("rest"))
        if not c:
            continue
        m = re.match(r"^(?P<about>[^，,]{1,12}?)(?:太|很|有点|不太|不)[^，,]*[，,]\s*(?P<rest>.*(?:它|它们|这个|那个).*)$", c)
        if m and find_zh(prompt, m.group("about")):  # "彩虹太显眼了，去掉它"
            e = _rule_zh(clause_zh(m.group("rest")), prompt, second)
            if e is not None:
                edits.append(with_referent(e, find_zh(prompt, m.group("about"))))
                continue
        if edits and len(c) > 24:  # details of a long instruction: kept as they are
            edits.append(Edit("extras", value=c))
            continue
        tags = _addition_with_tags_zh(c, prompt, second)
        if tags:  # "画面里加一只蝴蝶，OC渲染，色彩鲜艳，杰作": the addition, the tags kept as they are
            edits += tags
            continue
        e = _rule_zh(c, prompt, second)
        if e is None and re.search(r"[，,]|并且|然后|同时|再把", c):
            for piece in re.split(r"[，,]|并且|然后|同时", c):
                piece = clause_zh(piece)
                if piece:
                    pe = _rule_zh(piece, prompt, second)
                    if pe is not None:
                        edits.append(pe)
            continue
        if e is not None:
            edits.append(e)
    if not edits:
        c = clause_zh(request)
        return [Edit("extras", value=c)] if c else []
    return edits


def _addition_with_tags_zh(c: str, prompt: DrawingPrompt, second: bool) -> list[Edit]:
    """An addition followed by a list of quality tags (two or more short pieces with no change
    verb: "体积光，对称构图，杰作"): the addition plus one extras sentence, never a style change."""
    pieces = [p.strip() for p in re.split(r"[，,]", c) if p.strip()]
    if len(pieces) < 3 or any(len(p) > 10 or re.search(r"改|换|变|成|风格|画风|去掉|删|不要|背景|镜头", p) for p in pieces[1:]):
        return []
    first = _rule_zh(clause_zh(pieces[0]), prompt, second)
    if first is None or first.kind != EditKind.ADD_OBJECT:
        return []
    return [first, Edit("extras", value="，".join(pieces[1:]))]


def _typed_value_zh(old: str, new: str) -> Edit:
    """Route "X改成Y" by what Y is: colour, material, style, shot, time, else a new entity
    (or a style, when X is the whole picture: "把这张图片转换为卡通插画")."""
    new = re.sub(r"(?:的样子|的场景|的感觉|的|吧|了)$", "", new.strip("，, "))
    whole = bool(old) and bool(_WHOLE_PICTURE_ZH.match(old)) and old not in ("它",)
    if re.fullmatch(r"(?:画面的?)?(?:背景|场景|环境|背景图)", old):
        return _bg_or_time_zh(re.sub(r"(?:的样子|那样)$", "", new))
    if re.fullmatch(r"(?:整体|画面|整个画面|图片|这张图|图)?的?(?:风格|画风|艺术风格|绘画风格)", old) or re.search(r"(?:风格|画风)[，,]?$", old):
        return Edit(EditKind.CHANGE_STYLE, value=style_value_zh(new))
    tm = re.fullmatch(r"(?:用)?(?P<m>[^，,的]{1,4})的?(?:质感|材质|材料)", new)
    if tm and old and not whole and not STYLE_ZH_RE.fullmatch(tm.group("m")):
        return Edit(EditKind.CHANGE_ENTITY, target=old, value=tm.group("m"), detail="material")
    cm = COLOUR_ZH_RE.fullmatch(new) or re.fullmatch(r"(?P<c>[" + L.COLOUR_CHARS_ZH + r"])色?的?", new)
    if cm:
        colour = new if new.endswith("色") or new == "透明" or len(new.rstrip("的")) > 1 else new[0] + "色"  # "红" -> "红色"; "薄荷绿" stays
        return Edit(EditKind.CHANGE_ENTITY, target=old, value=colour, detail="colour")
    mm = re.fullmatch(r"(?:用)?(?P<m>" + MATERIAL_ZH_RE.pattern + r")(?:做的|做|制成的|制成|制的|制|砌的|砌|材质|材料|打造的|打造)", new)
    if mm:
        return Edit(EditKind.CHANGE_ENTITY, target=old, value=mm.group("m"), detail="material")
    if SPECIFIC_STYLE_ZH_RE.search(new) or re.search(r"风格|画风|风$|效果$|质感$|[^好]感$|画法$", new):
        return Edit(EditKind.CHANGE_STYLE, value=style_value_zh(new))
    shot = shot_of(new, "zh")
    if shot and len(new) <= 6:
        return shot_edit(*shot)
    t = time_of(new, "zh")
    if t and len(new) <= 5 and (old in ("", "它", "场景", "时间", "天气", "时段", "季节", "时候") or whole):
        return Edit(EditKind.CHANGE_BACKGROUND, value=t, detail="time")
    if whole:
        return Edit(EditKind.CHANGE_STYLE, value=style_value_zh(new))
    return Edit(EditKind.CHANGE_ENTITY, target=old, value=new, detail="entity")


def style_value_zh(v: str) -> str:
    v = raw = re.split(r"[，,：:]", v.strip("，, "))[0]
    v = re.sub(r"^(?:用|采用|以|像(?!素)|参考|模仿|仿照|仿|按照|学|来点|更加|更|一点|有点)", "", v)
    v = re.sub(r"(?:画的那样|画的一样|画出来的那样)$", "", v)
    v = re.sub(r"(?:重新画|重画|再画一次|来表现|来呈现|表现|呈现|来画|的来一张|来一张|的来一幅|来一幅)$", "", v)
    v = re.sub(r"(?:那样画|那样|一样|的风格|风格|的画风|画风|的画法|画法|的效果|效果|的感觉|感觉|的样子|风|一点|一些|点)$", "", v)
    v = re.sub(r"(?:的风格|风格|的画风|画风)$", "", v)
    if raw.endswith("画风") and not v.endswith("画") and SPECIFIC_STYLE_ZH_RE.search(raw[:-1]):
        v = re.sub(r"^(?:用|采用|以|像(?!素)|参考|模仿|仿照|按照|学|来点|更加|更)", "", raw[:-1])  # "油画风" -> "油画"
    if v and not STYLE_ZH_RE.search(v):
        return v + "风格"  # an artist's or a place's name
    return v


def _bg_or_time_zh(v: str) -> Edit:
    """A new background, or a time-of-day/weather change when ``v`` is only that ("晚上")."""
    t = time_of(v, "zh")
    if t and len(v) <= 4:
        return Edit(EditKind.CHANGE_BACKGROUND, value=t, detail="time")
    return Edit(EditKind.CHANGE_BACKGROUND, value=v)


def _rule_zh(c: str, prompt: DrawingPrompt, second: bool) -> Optional[Edit]:
    # --- combine
    if second:
        m = (re.search(r"(?:这张|这|图|照片|图片|附件|新图)(?:片)?(?:里|中|上)的(?P<n>.+?)(?:也)?(?:放进|放到|加到|加进|画进|放入|加入|移到|移进|合到|搬到|画到|画上|加上|放上)", c)
             or re.search(r"(?:^|把|将)(?P<n>[^，,]+?)(?:也)?(?:放进|放到|加到|加进|画进|放入|加入|移到|弄到|弄进|搬到|挪到|塞进)"
                          r"(?:之前|刚才|上一张|原来|前面|那张|原|你)(?:画|生成|做)?的?(?:那张|那幅)?(?:画|图|图片|照片|画面)", c))
        if m:
            return Edit(EditKind.COMBINE_IMAGES, target=m.group("n"))
        m = (re.search(r"(?:我|我的|我发的|我刚发的)?(?:图|照片|图片)(?:里|中|上)的(?P<n>.+?)(?:也)?(?:搬进|挪进|塞进|放进|加进|移进|搬到|放到|加到)(?:你|你的|你画的|之前的?|刚才的?)(?:那张|那幅|画|图)", c)
             or re.search(r"^(?P<n>[^，,]+?)也?(?:加进来|放进来|搬进来|塞进来|加进去|放进去)[，,].*(?:我刚发|我发的|刚发的|我的图|我图里|这张)", c))
        if m:
            return Edit(EditKind.COMBINE_IMAGES, target=m.group("n"))
        if re.search(r"合成|合并|融合|融一下|结合|合在一起|合一起|放到一起|放在一起|放一起|拼在一起|拼成|拼到一起|揉在一起|混在一起|整合|拼接|组合|合到一起|同框|两张|二合一|合体", c):
            return Edit(EditKind.COMBINE_IMAGES)
    # --- "风格：水粉", "背景：海边", "镜头：俯拍": a field and its value
    m = re.match(r"^(?P<f>画风|风格|背景|场景|地点|镜头|视角)[：:]\s*(?P<v>.+)$", c)
    if m:
        f, v = m.group("f"), m.group("v")
        if f in ("画风", "风格"):
            return Edit(EditKind.CHANGE_STYLE, value=style_value_zh(v) or v)
        if f in ("镜头", "视角") and shot_of(v, "zh"):
            return shot_edit(*shot_of(v, "zh"))  # type: ignore[misc]
        return _bg_or_time_zh(v)
    # --- "以夜市为背景": the place the scene is set in
    m = re.match(r"^(?:就)?(?:以|拿|用)(?P<v>[^，,]{1,16}?)(?:作为|当作|当|作|为)(?:新的)?(?:背景|场景|舞台|环境)$", c)
    if m:
        return _bg_or_time_zh(m.group("v"))
    # --- "松树→白桦树": an arrow between the old and the new
    m = re.match(r"^(?:把|将)?(?P<old>[^，,→>《]+?)\s*(?:→|->|=>|＞|》)\s*(?P<new>[^，,]+)$", c)
    if m:
        return _typed_value_zh(m.group("old"), m.group("new"))
    # --- "雨衣不要了，整个卫衣": drop one thing and ask for another
    m = re.match(r"^(?P<old>[^，,]+?)(?:不要了|别要了|不要|算了|拿掉|去掉|撤了|撤掉|删了|换掉)[，,]\s*(?:换成|改成|改为|要|用|换|来|整|搞|弄)(?:个|一个|只|一只|台|一台|棵|一棵)?(?P<new>[^，,]+)$", c)
    if m and find_zh(prompt, m.group("old")):
        return _typed_value_zh(m.group("old"), m.group("new"))
    # --- "打字机改留声机": a thing the prompt names, a bare 改/换, the new thing
    m = re.match(r"^(?:把|将)?(?P<old>[^，,改换]{1,8}?)(?:改|换)(?P<new>[^，,成为个掉了色]{1,8})$", c)
    if m and find_zh(prompt, m.group("old")) == m.group("old") and not find_zh(prompt, m.group("new")) == m.group("new"):
        return _typed_value_zh(m.group("old"), m.group("new"))
    # --- "来个牛仔布版本的", "整点水粉的感觉", "仿穆夏": a material or a look
    m = re.match(r"^(?:来个|来一个|整个|要个|做个|出个|给个)?(?P<v>[^，,]{1,8}?)(?:版本|版)的?$", c)
    if m:
        v = m.group("v")
        if MATERIAL_ZH_RE.fullmatch(v) or re.fullmatch(r"(?:牛仔布|折纸|水晶|青铜|陶瓷|巧克力|羊毛|丝绸|皮革|毛毡|黏土|冰|玉|石头|木头|金属)", v):
            return Edit(EditKind.CHANGE_ENTITY, target="", value=v, detail="material")
        if time_of(v, "zh"):
            return Edit(EditKind.CHANGE_BACKGROUND, value=time_of(v, "zh") or v, detail="time")
        return Edit(EditKind.CHANGE_STYLE, value=style_value_zh(v))
    m = re.match(r"^(?:整点|来点|搞点|加点|要点|多点)(?P<v>[^，,]+?)的?(?:感觉|味道|调调|风格|画风|风|氛围|味儿|味)$", c)
    if m and not time_of(m.group("v"), "zh"):
        return Edit(EditKind.CHANGE_STYLE, value=style_value_zh(m.group("v")))
    m = re.match(r"^(?:仿|仿照|模仿|学|致敬)(?P<a>[^，,]{1,10})$", c)
    if m:
        return Edit(EditKind.CHANGE_STYLE, value=style_value_zh(m.group("a")))
    # --- "把狐狸搬到结冰的湖面": the subject moves to a new place
    m = re.match(r"^(?:把|将|让)(?P<n>[^，,]+?)(?:搬到|挪到|移到|带到|送到|放到|放在|搬去|去到)(?P<v>[^，,]+?)(?:里|上|中|去|那里|那儿)?$", c)
    if m and not second and find_zh(prompt, m.group("n")) and not re.search(r"画|图|照片", m.group("v")):
        return _bg_or_time_zh(m.group("v"))
    # --- wishes: "要是一辆自行车会怎么样", "莲花要是绿色的就好了"
    m = re.search(r"^(?P<old>[^，,]*?)(?:要是|如果是|若是|假如是)(?P<c>.+?)的?(?:就好了|就好|会更好|更好|多好)$", c)
    if m and (COLOUR_ZH_RE.fullmatch(m.group("c")) or re.fullmatch(r"[" + L.COLOUR_CHARS_ZH + r"]色?", m.group("c"))):
        return _typed_value_zh(m.group("old"), m.group("c"))
    m = re.search(r"^(?:要是|如果|假如|换成|改成)(?:它|这)?(?:是|变成|换成)?(?P<new>[一两三几][^，,。]*?)(?:的话)?(?:会怎么样|会怎样|怎么样|会如何|如何|呢|会更好|好不好)$", c)
    if m:
        return _typed_value_zh("", m.group("new"))
    m = re.search(r"(?:不如|还是|最好是?)(?:放在|放到|在)?(?P<v>[^，,]+?)(?:里|上|中)?[，,]?\s*(?:挪|搬|移|放|换)(?:过去|到那|到那里|那儿)", c)
    if m:
        return Edit(EditKind.CHANGE_BACKGROUND, value=m.group("v"))
    # --- colours: "飞盘要紫色的", "给火车换个颜色，黄色"
    m = (re.search(r"^(?:给|把|让)?(?P<old>.+?)(?:换|改|变)(?:个|一个|一种|一下)?颜色[，,：:]?\s*(?:换成|改成|变成|用|要|为|成)?(?P<c>.+)$", c)
         or re.search(r"^(?P<old>.+?)的?颜色(?:不对|不好看|不行|太丑了?|不喜欢|有点怪|怪怪的)[，,]?\s*(?:换成|改成|变成|改为|换为|用|要|改|换|成)(?P<c>.+)$", c)
         or re.search(r"^(?P<old>.+?)(?:要|想要|用|要用|最好是|改|换|来个|来点|弄成|搞成|整成|染成|涂成)(?P<c>" + COLOUR_ZH_RE.pattern + r")的?$", c))
    if m and (COLOUR_ZH_RE.fullmatch(re.sub(r"的$", "", m.group("c"))) or re.fullmatch(r"[" + L.COLOUR_CHARS_ZH + r"]色?的?", m.group("c"))):
        return _typed_value_zh(m.group("old"), m.group("c"))
    # --- swaps: "不要猫了，换成狗", "我想要狗，不要猫了", "用狗代替猫", "画狗而不是猫", "猫不好看，换狗吧", "我觉得狗会比猫好"
    m = (re.search(r"^(?P<old>.+?)(?:不好看|不好|不行|不太好|不喜欢|太丑了?|不太合适|不合适)[，,]?\s*(?:换成|改成|换|改|用|来)(?:个|一个)?(?P<new>.+)$", c)
         or re.search(r"^(?:我觉得|我感觉|感觉|我认为)?(?P<new>.+?)(?:会|可能|应该|也许)?比(?P<old>.+?)(?:更|要)?(?:好看|好|合适|适合|强|棒|酷)", c)
         or re.search(r"(?:不要|别要|不想要)(?P<old>.+?)了?[，,]\s*(?:换成|改成|要|改为|用|换|来)(?P<new>.+)$", c)
         or re.search(r"(?:我想要|我要|想要|要|换成|改成|来)(?P<new>[^，,]+)[，,]\s*(?:不要|别要|不是|而不是)(?P<old>.+?)了?$", c)
         or re.search(r"用(?P<new>.+?)(?:来)?(?:代替|替换|取代|替代|换掉)(?P<old>.+)$", c)
         or re.search(r"^(?:把|将)?(?P<old>[^，,]+?)(?:换掉|替换掉|替掉)[，,]\s*(?:换成|改成|用|要|换|来)(?:个|一个)?(?P<new>.+)$", c)
         or re.search(r"^(?P<new>[^，,太很不]+)[，,]\s*(?:把|将)(?P<old>[^，,]+?)(?:换掉|替换掉|替掉)$", c)
         or re.search(r"^(?:画|要|用|换成|改成)?(?P<new>.+?)而不是(?P<old>.+)$", c))
    if m:
        return _typed_value_zh(m.group("old"), m.group("new"))
    m = re.search(r"(?:我想要|想要|我要|要|来个|换个|换成|来一个)(?P<c>" + COLOUR_ZH_RE.pattern + r")的?(?P<old>.+)$", c)
    m = m or re.search(r"^(?P<c>" + COLOUR_ZH_RE.pattern + r")的?(?P<old>.+?)(?:会|应该|可能)?(?:更好看|更好|更漂亮|更合适|比较好|好看)$", c)  # "棕色的萨克斯会更好看"
    if m and find_zh(prompt, m.group("old")):
        return Edit(EditKind.CHANGE_ENTITY, target=m.group("old"), value=_typed_value_zh("", m.group("c")).value, detail="colour")
    m = re.search(r"(?:我想要|想要|我要|要|来个|换个|换成|来一个)(?P<m>" + MATERIAL_ZH_RE.pattern + r")(?:做|制|材质)?的(?P<old>.+)$", c)
    if m and find_zh(prompt, m.group("old")):
        return Edit(EditKind.CHANGE_ENTITY, target=m.group("old"), value=m.group("m"), detail="material")
    # material: "把X变成木头做的", "X改用木头做", "要是X是木头做的就好了"
    m = re.search(r"^(?:要是|如果|假如|我想|我希望)?(?:把|将|让)?(?P<old>.*?)(?:变成|改成|换成|弄成|搞成|改用|用|是|看起来是|看起来像是|看上去是|像是)?(?P<m>" + MATERIAL_ZH_RE.pattern + r")(?:做的|做|制成的|制成|制的|砌的|材质|打造的|打造|雕成|雕的)", c)
    if m:
        old = re.sub(r"(?:变成|改成|换成|改用|用|是|看起来|看上去)$", "", m.group("old"))
        return Edit(EditKind.CHANGE_ENTITY, target=old, value=m.group("m"), detail="material")
    # --- remove (before the generic swap: "把帽子去掉")
    m = (re.search(r"^(?P<x>[^，,]+?)(?:太)?(?:多余|没用|碍事)[了的]?[，,]?\s*(?:删|删掉|去掉|拿掉|去了)?$", c)
         or re.search(r"^(?P<x>.+?)(?:就)?(?:不要了|别要了|不想要了|不需要了|可以不要了?|能不要|不用了|没必要了?|是多余的|多余了|可以去掉|删了|去掉吧)$", c)
         or re.search(r"(?:把|将)(?P<x>.+?)" + _REMOVE_VERBS_ZH, c)
         or re.search(r"^" + _REMOVE_VERBS_ZH + r"(?:掉)?(?P<x>.+)$", c)
         or re.search(r"^(?P<x>.+?)" + _REMOVE_VERBS_ZH, c)
         or re.search(r"(?:不想看到|不想看见|不要出现|别出现|不要|别要|不想要|不需要|别有|不要有|没有|别画|不用|去掉)(?P<x>.+?)(?:了|会更好|比较好|更好|就好了|就好)?$", c))
    if m and not re.search(_SWAP_VERBS_ZH, c):
        x = re.sub(r"^(?:画面里|画面中|画里|图里|背景里|背景中|里面|里|的)+", "", m.group("x"))
        x = re.sub(r"^(?:再|也)?有", "", x)
        return Edit(EditKind.REMOVE_OBJECT, target=x)
    # --- background, explicit (before the generic swap: "背景换成海边")
    m = re.search(r"(?:我说的是|我是说|我要的是|应该是|我指的是)(?P<v>[^，,]+)[，,].*(?:背景|场景)", c)
    if m:
        return Edit(EditKind.CHANGE_BACKGROUND, value=m.group("v"))
    m = (re.search(r"(?:背景|场景|背景图|环境|地点|布景|场地)(?:图)?(?:也)?(?:能不能|可不可以|能否|能|可以|再|也)?(?:我)?(?:想要|要|想换成|希望是|希望换成|最好是|最好换成|换一下[，,]?\s*(?:改成|换成)?|改成|换成|变成|搞成|弄成|整成|调成|来个|来一个|弄个|整个|改为|换为|设为|设成|用|是|换到|改到|放在|就是|换|改|：|:|为)[，,]?\s*(?P<v>.+)$", c)
         or re.search(r"换(?:个|一个|一下)(?:背景|场景|地方|地点|环境)[，,：:]?\s*(?:换成|改成|用|到|去)?(?P<v>.+)$", c))
    if m:
        v = re.sub(r"(?:的样子|的感觉|那样|里|中|吧|了|去)$", "", m.group("v").strip())
        if v:
            return _bg_or_time_zh(v)
    # --- shot
    shot = shot_of(c, "zh")
    if shot and not re.match(r"^(?:再)?(?:加|添|画|放)", c):
        return shot_edit(*shot)
    # --- generic swap "把X换成Y" / "X改为Y" / "让X变成Y"
    m = re.search(r"^(?:把|将|让|给)?(?P<old>.*?)(?P<verb>" + _SWAP_VERBS_ZH + r")(?P<new>.+)$", c)
    if m:
        old = re.sub(r"(?:的颜色|颜色|全部|都)$", "", m.group("old"))
        e = _typed_value_zh(old, m.group("new"))
        if e.kind == EditKind.CHANGE_ENTITY and e.detail == "entity" and m.group("verb") in ("画成", "做成", "弄成", "搞成") and not old \
                and not re.match(r"^[" + L.NUMERALS_ZH + r"]", e.value):
            return Edit(EditKind.CHANGE_STYLE, value=style_value_zh(e.value))  # "画成粉彩的": drawn as, a look
        return e
    # --- style
    m = re.search(r"(?:画风|风格)(?:也|就)?(?:改成|换成|改为|换为|变成|调成|来个|改用|换用|改|换|用)[，,：:]?\s*(?P<v>.+)$", c)  # "画风改三渲二"
    if m:
        return Edit(EditKind.CHANGE_STYLE, value=style_value_zh(m.group("v")))
    m = re.fullmatch(r"(?P<s>[^，,]{1,12}?)(?:风格|画风|风)的?(?:能|可以)?(?:再)?(?:来|画|出)(?:一张|一幅|个)?", c)  # "水彩风格的能来一张吗"
    if m:
        return Edit(EditKind.CHANGE_STYLE, value=style_value_zh(m.group("s")))
    m = re.fullmatch(r"(?:要|想要|来点|给我)?(?P<a>[^，,]{2,10}?)那种(?:感觉|味道|调调|风格|画风|风)", c) or \
        re.fullmatch(r"(?P<a>[^，,]{2,6}?)风(?:的)?", c)
    if m and not re.search(r"[刮大微台狂暴寒春秋有]$", m.group("a")):
        return Edit(EditKind.CHANGE_STYLE, value=style_value_zh(m.group("a")))
    m = re.search(r"(?:画成|做成|画得|弄成|转成|转换成|转为|调成|调整为|调为|试试|试一下|喜欢|用|采用|来点|像(?!素)|参考|模仿|仿照|学|按照|要|想要|更|更加|风格(?:是)?)(?P<v>.+)$", c)
    if (SPECIFIC_STYLE_ZH_RE.search(c) or re.search(r"风格|画风|画法|那样画|的风$", c)) and m:
        return Edit(EditKind.CHANGE_STYLE, value=style_value_zh(m.group("v")))
    if SPECIFIC_STYLE_ZH_RE.search(c) and not re.match(r"^(?:再)?(?:加|添|画上|放)", c):
        sm = SPECIFIC_STYLE_ZH_RE.search(c)
        return Edit(EditKind.CHANGE_STYLE, value=style_value_zh(c[sm.start():]))  # type: ignore[union-attr]
    # --- "真实点", "更写实一些": a realistic look
    if re.fullmatch(r"(?:再|更|更加|要|弄得?|搞得?|画得?)?(?:真实|写实|逼真|真)(?:一)?[点些]?(?:的)?", c):
        return Edit(EditKind.CHANGE_STYLE, value="写实")
    # --- addition at a spot: "在乐手旁边弄一只水母" (before placement reads "在..." as a place)
    m = re.search(r"^在(?P<loc>[^，,]{1,10}?(?:旁边|身边|边上|前面|后面|上面|下面|上方|下方|周围|左边|右边|附近|头上|脚下|角落里?|远处|天上|地上))"
                  r"(?:再|也|还|多)?(?:加上|加个|加|添上|添|放上|放|画上|画|弄|整|摆|来)(?:个|上)?(?P<o>.+)$", c)
    if m:
        return Edit(EditKind.ADD_OBJECT, value=f"{m.group('loc')}有{m.group('o')}")
    # --- placement "放到海边", "让它在雪地里", "搬到沙漠去"
    m = (re.search(r"^(?:把(?:它|他|她|它们|他们|整个画面|画面|场景)?)?(?:放到|放在|搬到|移到|挪到|换到|放进|置于|来到|去到|转移到)(?P<v>.+)$", c)
         or re.search(r"^让?(?:它|他|她|它们|他们|画面|整个画面|场景)?(?:在|处在|位于|待在|出现在)(?P<v>.+)$", c))
    if m and not re.search(r"加上|加入|添加|添上|画上|放上|增加|加个|加一", m.group("v")):
        v = re.sub(r"(?:里面|上面|里|中|上|去|吧)$", "", m.group("v").strip())
        if v:
            return _bg_or_time_zh(v)
    # --- add
    m = (re.search(r"^(?P<loc>画面里|画面中|画里|图里|图中|给画面|在画面里|在画里|在画面中|旁边|背景里|天上|远处|地上|前面|身边|角落里?)?(?:再|也|还|多)?"
                   r"(?:加上|加入|添加|添上|增加|放上|画上|补上|加个|加|添|放|塞(?:上|进|个)?|画(?![面里中风])|来|配上|安排|整(?!成)|弄(?!成)|搞(?!成))(?P<o>.+)$", c)
         or re.search(r"(?:还要有|还有|要有|最好再有|再有|也要有|多一|我想在画里看到|我想在画面里看到|我想看到|想看到|希望有|应该有|得有|需要有|要加)(?P<o>.+)$", c)
         or re.search(r"^(?P<o>[^，,]+?)(?:也|还)(?:要)?(?:画上|加上|放上|添上|画进去|放进去|加进去|安排上)$", c))  # "一摞书也画上"
    if m:
        obj = re.sub(r"(?:进去|进来|上去)$", "", m.group("o").strip())  # "再整一只狐狸进去"
        loc = m.groupdict().get("loc") or ""
        if loc in ("旁边", "天上", "远处", "地上", "前面", "身边", "角落", "角落里", "背景里"):
            obj = f"{loc}有{obj}"
        return Edit(EditKind.ADD_OBJECT, value=obj)
    # --- time
    t = time_of(c, "zh")
    if t:
        return Edit(EditKind.CHANGE_BACKGROUND, value=t, detail="time")
    if re.search(r"风格|画风|画法|的感觉|效果", c) and m is None:
        return Edit(EditKind.CHANGE_STYLE, value=style_value_zh(c))
    return None
