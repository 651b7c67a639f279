"""Telling a person's name from an ordinary word, and splitting lists of names."""

from __future__ import annotations

import re

from .text import CJK, COMMA, NAME_DOTS, SEMICOLON, SLASH

# Common family names. A bare, unlabelled credit (a name alone on a line, or in brackets at
# the end of an article) is only taken for a name when it starts with one of these, so a
# short crosshead or a word in brackets is not mistaken for an author.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾"
    "毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关"
    "兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻"
    "祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿"
    "桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠"
    "惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉"
    "禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修"
    "邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴"
    "昝智幸奉植衡富尧闭由"
)
COMPOUND_SURNAMES = frozenset(
    (
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "轩辕",
        "令狐",
        "西门",
        "南宫",
        "端木",
        "独孤",
        "呼延",
        "申屠",
        "澹台",
        "拓跋",
        "百里",
        "东郭",
        "万俟",
        "单于",
        "闻人",
        "赫连",
        "钟离",
    )
)
# Words that turn up in brackets or alone on a line and look like names but are not.
NOT_NAMES = frozenset(
    (
        "全文",
        "完",
        "待续",
        "未完",
        "未完待续",
        "续完",
        "全文完",
        "续",
        "上",
        "下",
        "中",
        "图",
        "资料图",
        "资料",
        "摘编",
        "节选",
        "有删节",
        "有删减",
        "编者按",
        # A sidebar's heading inside an article.
        "相关链接",
        "相关新闻",
        "相关阅读",
        "延伸阅读",
        "背景链接",
        "新闻链接",
        "知识链接",
        "链接",
        "小贴士",
        "温馨提示",
        # A reporter's column inside an article: 记者手记, 记者观察, 记者蹲点.
        "手记",
        "札记",
        "笔记",
        "随笔",
        "见闻",
        "探访",
        "走访",
        "蹲点",
        "体验",
        "追踪",
        "一线",
        "点评",
        "感言",
        "日记",
        "连线",
        "直击",
        "视点",
        "纪实",
        "来稿",
        "来信",
        "同志",
        "朋友",
        "朋友们",
        "本报讯",
        "记者",
        "通讯员",
        "摄",
        "摄影",
        "供图",
        "供稿",
        "连载",
        "图文",
        "文图",
        "简讯",
        "快讯",
        "要闻",
        "通讯",
        "评论",
        "社论",
        "特稿",
        "专稿",
        "来信",
        "图片",
        "视频",
        "新闻",
        "消息",
        "调查",
        "观察",
        "关注",
        "聚焦",
        "速读",
        "导读",
        "提示",
        "声明",
        "启事",
        "广告",
        "公告",
        "通知",
        "附件",
        "附表",
        "注释",
        "说明",
        "目录",
        "封面",
        "图表",
        "数据",
        "专题",
        "专栏",
        "时评",
        "短评",
        "言论",
        "热点",
        "回顾",
        "展望",
    )
)

# Halves of Uyghur, Kazakh and Mongolian names written in Han characters (古丽米拉, 斯琴高娃,
# 哈斯巴根): one person's name, though both halves may start with a family name's character.
# Han given names do not use them as a pair. Written two characters a pair, one after another.
_PAIRS = (
    "古丽古力阿依米拉米热热依阿娜帕丽迪丽努尔阿不阿布买买玛依布拉塔依阿迪阿力依力巴哈吐尔吾买"
    "艾力艾则热娜斯琴高娃乌云乌兰其木格日萨仁娜仁图雅托娅哈斯巴根巴图巴特巴雅孟和白音那木苏和"
    "布和朝鲁宝音敖其额尔达来查干满都毕力阿拉乌力吉日其其"
)
TRANSLITERATED = frozenset(_PAIRS[index : index + 2] for index in range(0, len(_PAIRS), 2))
_NAME = re.compile(f"[{CJK}]{{2,4}}")
_LONG_NAME = re.compile(f"[{CJK}]{{2,6}}")
_DOTTED_NAME = re.compile(f"[{CJK}]{{1,10}}(?:[{NAME_DOTS}][{CJK}]{{1,10}}){{1,3}}")
_SEPARATORS = re.compile(f"[\\s、{COMMA}{SEMICOLON}{SLASH}|]+")
# "等" closes a list of names (“记者 张三 李四等”).
_ETC = re.compile(r"等\s*$")


def _run_together(token: str) -> list[str]:
    """Two names OCR ran together (“杨乐张桐”, “刘建玲李青云”), when both halves start with a
    family name and neither is half of a transliterated name; four- and six-character runs
    only, where the split is unambiguous."""
    if len(token) in (4, 6) and token[:2] not in COMPOUND_SURNAMES:
        half = len(token) // 2
        if (
            token[0] in SURNAMES
            and token[half] in SURNAMES
            and _NAME.fullmatch(token)
            and not {token[:half], token[half:]} & TRANSLITERATED
        ):
            return [token[:half], token[half:]]
    return [token]


def has_surname(name: str) -> bool:
    return name[:2] in COMPOUND_SURNAMES or name[:1] in SURNAMES


def is_name(name: str, *, strict: bool) -> bool:
    """A plausible person's name; `strict` also asks for a common family name."""
    if name in NOT_NAMES:
        return False
    if _DOTTED_NAME.fullmatch(name):
        return True
    if strict:
        return _NAME.fullmatch(name) is not None and has_surname(name)
    return _LONG_NAME.fullmatch(name) is not None


def split_names(text: str, *, strict: bool) -> list[str] | None:
    """The names in a list such as “任杰 张桐” or “李元 平”, or None if any part is not a name.

    OCR puts spaces inside names, so a single character is glued to its neighbour: to the next
    token while one follows (“李 元平”, “张 三”), else to the previous one (“李元 平”).
    A compound family name standing alone is glued to what follows (“欧阳 明辉”).
    """
    tokens = [token for token in _SEPARATORS.split(_ETC.sub("", text)) if token]
    if not tokens:
        return None
    names: list[str] = []
    pending = ""
    tokens = [part for token in tokens for part in _run_together(token)]
    last = len(tokens) - 1
    for index, token in enumerate(tokens):
        glue = len(token) == 1 or (token in COMPOUND_SURNAMES and len(tokens) > 1)
        if glue and index < last:
            pending += token
            continue
        if glue and not pending and names and len(token) == 1:
            names[-1] += token
            continue
        names.append(pending + token)
        pending = ""
    if not all(is_name(name, strict=strict) for name in names):
        return None
    return names
