"""Demo content for a fresh install: a fictional city paper, written for this project.

Three issues of 《清河日报》: two published and one still in review (tomorrow's paper), every
kind of credit, photos inside articles and standing alone on pages, and page scans. The images
are drawn here with Pillow, so the demo needs no files and no network.
"""

from __future__ import annotations

import datetime
import io
import itertools
import random
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy
from PIL import Image, ImageDraw

from . import services
from .models import (
    Article,
    Byline,
    Contributor,
    Issue,
    Page,
    Photo,
    Publication,
    Status,
    format_body,
)

DRAFT_ISSUE_STAGES = [
    Status.READY,
    Status.FINAL_REVIEW,
    Status.SECOND_REVIEW,
    Status.FIRST_REVIEW,
    Status.DRAFT,
]
PUBLICATION = {"code": "qinghe", "name": "清河日报", "description": "清河市委机关报（演示内容）。"}
PERSON = Contributor.Kind.PERSON
ORGANISATION = Contributor.Kind.ORGANISATION
Role = Byline.Role

# Each article: its fields, its credits as (role, name), its body as paragraphs where a
# string starting with "## " is a crosshead, and optionally one photo (caption, photographer).
ISSUES = [
    {
        "date": datetime.date(2026, 3, 2),
        "number": 61,
        "running_number": 12061,
        "published": True,
        "pages": [
            {
                "number": 1,
                "name": "要闻",
                "credits": [(Role.PAGE_EDITOR, "林书言"), (Role.LAYOUT_EDITOR, "郑可")],
                "articles": [
                    {
                        "kicker": "春耕备耕进行时——",
                        "headline": "清河县三万亩高标准农田完成改造",
                        "subheadline": "新建灌溉渠道一百二十公里，预计年增粮食八百万斤",
                        "dateline": "本报讯",
                        "credits": [
                            (Role.REPORTER, "周明远"),
                            (Role.CORRESPONDENT, "陈晓雨"),
                            (Role.EDITOR, "林书言"),
                        ],
                        "body": [
                            "记者从清河县农业农村局获悉，全县今年计划改造的三万亩高标准农田已于"
                            "近日全部完工，比原计划提前半个月，赶在春播之前交付使用。",
                            "## 渠通路畅 田成方",
                            "改造后的农田实现了“田成方、渠相通、路相连”。新修的灌溉渠道全长"
                            "一百二十公里，机耕道路四十六公里，大型农机可以直接开到田头。",
                            "## 土壤改良 提地力",
                            "县农技站在项目区布设了八十个土壤监测点，针对不同地块制定施肥方案。"
                            "技术人员介绍，经过两年的改良，项目区耕地质量平均可提高半个等级。",
                            "“以前浇一遍地要三天，现在一个上午就够了。”东湖村种粮大户刘春生说，"
                            "他今年打算再流转两百亩土地种植优质小麦。",
                        ],
                        "photo": ("东湖村农民在新修的灌溉渠旁检修水泵。", "韩松"),
                    },
                    {
                        "headline": "市民服务中心周末照常办理业务",
                        "dateline": "本报讯",
                        "credits": [(Role.REPORTER, "许文静")],
                        "body": [
                            "从本周六起，清河市民服务中心在周末增设六个综合窗口，办理户籍、"
                            "社保、不动产登记等八十余项高频事项，方便上班族错时办事。",
                            "服务中心负责人表示，周末窗口实行“一窗受理、集成服务”，市民也可"
                            "通过“清河办事”小程序提前预约，到场后无需排队取号。",
                        ],
                    },
                ],
                "photos": [
                    {
                        "title": "早春清河",
                        "caption": "3月1日清晨，清河两岸的柳树抽出新芽，市民沿着滨河步道晨练。",
                        "credits": [(Role.PHOTOGRAPHER, "韩松"), (Role.PHOTOGRAPHER, "梁雪")],
                    }
                ],
            },
            {
                "number": 2,
                "name": "经济",
                "credits": [(Role.PAGE_EDITOR, "高远"), (Role.LAYOUT_EDITOR, "郑可")],
                "articles": [
                    {
                        "headline": "清河绿茶首次整柜出口中亚",
                        "dateline": "清河讯",
                        "source": "清河市商务局",
                        "body": [
                            "近日，一批重达十八吨的清河绿茶在城南物流园装箱，经铁路运往"
                            "哈萨克斯坦。这是本地茶叶首次以整柜方式直接出口中亚市场。",
                            "市商务局有关负责人介绍，今年以来全市已有十二家茶企取得出口资质，"
                            "预计全年茶叶出口额将突破一亿元。",
                        ],
                    },
                    {
                        "kicker": "绿色出行",
                        "headline": "新能源公交线路增至四十条",
                        "dateline": "本报讯",
                        "credits": [(Role.REPORTER, "许文静"), (Role.EDITOR, "高远")],
                        "body": [
                            "随着十五辆纯电动公交车在三号线投入运营，全市新能源公交线路已增至"
                            "四十条，占线路总数的八成以上。",
                            "市公交集团表示，年内还将在城北新区新建两座充电站，"
                            "实现主城区公交全面电动化。",
                        ],
                        "photo": ("新投用的纯电动公交车停靠在火车站首末站。", "梁雪"),
                    },
                ],
            },
            {
                "number": 3,
                "name": "社会",
                "credits": [(Role.PAGE_EDITOR, "高远"), (Role.LAYOUT_EDITOR, "苏禾")],
                "articles": [
                    {
                        "headline": "老街修缮让百年骑楼重现旧貌",
                        "subheadline": "修旧如旧，原住居民大多选择留下",
                        "dateline": "本报讯",
                        "credits": [(Role.REPORTER, "周明远"), (Role.CORRESPONDENT, "王一舟")],
                        "body": [
                            "历时一年半，西门老街的骑楼修缮工程日前完工。四十二栋建于上世纪"
                            "二三十年代的骑楼恢复了灰塑和木窗，街面重新铺上了青石板。",
                            "## 先测绘 再动工",
                            "施工前，文物部门对每一栋骑楼做了三维测绘，能保留的构件一律保留，"
                            "缺损的部分按照老照片和测绘数据复原。",
                            "## 老街坊 留下来",
                            "修缮没有整体搬迁原住户。七十六岁的陈阿婆在这条街上住了五十多年，"
                            "她说：“房子修好了，邻居都还在，这才是老街的味道。”",
                        ],
                    },
                    {
                        "headline": "全省铁路春运发送旅客创新高",
                        "dateline": "新华社3月1日电",
                        "syndicated_from": "江南晚报",
                        "credits": [(Role.AUTHOR, "李青")],
                        "body": [
                            "今年春运四十天，全省铁路累计发送旅客两千一百万人次，同比增长百分之"
                            "十二，创历史新高。",
                            "铁路部门在春运期间加开夜间高铁和临时旅客列车，并在主要车站增设"
                            "爱心通道，为老人、孕妇和残障旅客提供帮助。",
                        ],
                    },
                ],
            },
            {
                "number": 4,
                "name": "清河副刊",
                "credits": [(Role.PAGE_EDITOR, "沈秋白"), (Role.LAYOUT_EDITOR, "苏禾")],
                "articles": [
                    {
                        "headline": "母亲的菜园",
                        "credits": [(Role.AUTHOR, "何田")],
                        "body": [
                            "母亲的菜园在老屋后面，不过半亩地，却被她打理得井井有条。春天种"
                            "豌豆和莴笋，夏天是丝瓜和茄子，秋天一畦一畦的白菜排得整整齐齐。",
                            "我进城工作以后，每次回家，母亲总要往我的后备箱里塞满蔬菜。她说"
                            "城里的菜不香，我知道，她是想让我多记着家。",
                            "今年开春，母亲打电话说菜园里的韭菜又冒头了。我忽然很想回去，"
                            "蹲在地头，听她一样一样地数那些菜的名字。",
                        ],
                    },
                ],
            },
        ],
    },
    {
        "date": datetime.date(2026, 3, 3),
        "number": 62,
        "running_number": 12062,
        "published": True,
        "pages": [
            {
                "number": 1,
                "name": "要闻",
                "credits": [(Role.PAGE_EDITOR, "林书言"), (Role.LAYOUT_EDITOR, "郑可")],
                "articles": [
                    {
                        "headline": "清河大桥主体结构顺利合龙",
                        "subheadline": "预计今年十月建成通车",
                        "dateline": "本报讯",
                        "credits": [
                            (Role.REPORTER, "周明远"),
                            (Role.REPORTER, "许文静"),
                            (Role.CORRESPONDENT, "赵川"),
                        ],
                        "body": [
                            "3月2日上午，随着最后一段钢箱梁精准吊装到位，清河大桥主体结构"
                            "顺利合龙。这座连接老城和城北新区的大桥全长一千六百米，"
                            "设计为双向六车道。",
                            "项目负责人介绍，接下来将进行桥面铺装和附属设施施工，"
                            "大桥预计今年十月建成通车，届时两岸通行时间将由四十分钟缩短到"
                            "十分钟以内。",
                        ],
                        "photo": ("清河大桥合龙现场，工人在钢箱梁上进行焊接作业。", "韩松"),
                    },
                    {
                        "headline": "全市中小学开展防溺水安全教育",
                        "dateline": "本报讯",
                        "source": "清河市教育局",
                        "body": [
                            "新学期开学后，全市两百余所中小学开展防溺水主题教育，"
                            "通过安全课、情景演练和家长会，提醒学生不私自下水游泳。",
                        ],
                    },
                ],
                "photos": [
                    {
                        "title": "",
                        "caption": "3月2日，志愿者在清河湿地公园清理河岸垃圾。",
                        "credits": [(Role.PHOTOGRAPHER, "梁雪")],
                    }
                ],
            },
            {
                "number": 2,
                "name": "经济",
                "credits": [(Role.PAGE_EDITOR, "高远"), (Role.LAYOUT_EDITOR, "郑可")],
                "articles": [
                    {
                        "headline": "前两月工业用电量同比增长9.2%",
                        "dateline": "本报讯",
                        "credits": [(Role.REPORTER, "钱多多"), (Role.EDITOR, "高远")],
                        "body": [
                            "国网清河供电公司发布数据，今年1至2月全市工业用电量达6.8亿千瓦时，"
                            "同比增长9.2%，其中高技术制造业用电量增长超过两成。",
                            "分析人士认为，用电量是经济运行的“晴雨表”，工业用电的较快增长"
                            "反映出企业开工率稳步回升。",
                        ],
                    },
                ],
            },
            {
                "number": 3,
                "name": "文体",
                "credits": [(Role.PAGE_EDITOR, "沈秋白"), (Role.LAYOUT_EDITOR, "苏禾")],
                "articles": [
                    {
                        "kicker": "清河马拉松倒计时30天——",
                        "headline": "报名人数突破两万",
                        "dateline": "本报讯",
                        "credits": [(Role.REPORTER, "赵川"), (Role.CORRESPONDENT, "王一舟")],
                        "body": [
                            "2026清河马拉松报名通道关闭时，报名人数达到两万零三百人，"
                            "创历届新高，其中省外选手占四成。",
                            "今年赛道首次经过西门老街和清河湿地公园，组委会将在沿途设置"
                            "二十个补给站和十二个医疗点。",
                        ],
                        "photo": ("去年清河马拉松比赛中，选手们跑过滨河大道。", "韩松"),
                    },
                ],
            },
        ],
    },
    {
        "date": datetime.date(2026, 3, 4),
        "number": 63,
        "running_number": 12063,
        "published": False,
        "pages": [
            {
                "number": 1,
                "name": "要闻",
                "credits": [(Role.PAGE_EDITOR, "林书言"), (Role.LAYOUT_EDITOR, "郑可")],
                "articles": [
                    {
                        "headline": "一图读懂今年市政府工作报告",
                        "dateline": "本报讯",
                        "credits": [(Role.REPORTER, "许文静"), (Role.EDITOR, "林书言")],
                        "body": [
                            "今年市政府工作报告提出十项民生实事，涵盖教育、医疗、养老、交通等"
                            "领域。本报梳理要点，带您快速了解。",
                        ],
                    },
                    {
                        "headline": "清河大桥夜间限行三周",
                        "dateline": "本报讯",
                        "credits": [(Role.REPORTER, "许文静"), (Role.CORRESPONDENT, "何安")],
                        "body": [
                            "因桥面维修，清河大桥自下周一起每晚十时至次日五时禁止货车通行，"
                            "公交线路同步调整，详情可查询市交通运输局网站。",
                        ],
                    },
                    {
                        "kicker": "春耕时节",
                        "headline": "南乡农机合作社开始接单",
                        "dateline": "本报讯",
                        "credits": [(Role.REPORTER, "许文静")],
                        "body": [
                            "南乡农机合作社本周起接受翻地、播种预约，二十台拖拉机和六架植保"
                            "无人机已完成检修，预计服务农田三万亩。",
                        ],
                    },
                ],
            },
            {
                "number": 2,
                "name": "经济",
                "credits": [(Role.PAGE_EDITOR, "高远"), (Role.LAYOUT_EDITOR, "苏禾")],
                "articles": [
                    {
                        "headline": "城北新区签约十二个产业项目",
                        "dateline": "清河讯",
                        "source": "城北新区管委会",
                        "body": [
                            "城北新区日前集中签约十二个产业项目，总投资八十六亿元，"
                            "涉及新能源汽车零部件、智能装备和生物医药等领域。",
                        ],
                    },
                    {
                        "headline": "一季度外贸进出口同比增长百分之九",
                        "dateline": "本报讯",
                        "credits": [(Role.REPORTER, "高远")],
                        "body": [
                            "记者从清河海关获悉，一季度全市外贸进出口总值同比增长百分之九，"
                            "其中机电产品出口增长较快。",
                        ],
                    },
                ],
            },
        ],
    },
]


@dataclass
class DemoResult:
    issues_created: int = 0
    issues_skipped: int = 0
    articles: int = 0
    photos: int = 0


def _jpeg(image: Image.Image) -> ContentFile:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return ContentFile(buffer.getvalue(), name="demo.jpg")


def draw_photo(seed: int) -> ContentFile:
    """A landscape-like picture: sky and ground gradients with a few shapes."""
    rng = random.Random(seed)  # noqa: S311 - decoration, not security
    width, height = 1200, 800
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    sky = (rng.randrange(80, 160), rng.randrange(140, 200), rng.randrange(200, 255))
    ground = (rng.randrange(40, 120), rng.randrange(100, 160), rng.randrange(40, 90))
    horizon = rng.randrange(height // 3, height * 2 // 3)
    for y in range(height):
        base, share = (sky, y / horizon) if y < horizon else (ground, (y - horizon) / height)
        shade = tuple(min(255, int(c * (1.15 - 0.4 * share))) for c in base)
        draw.line([(0, y), (width, y)], fill=shade)
    for _ in range(6):
        x, y = rng.randrange(width), rng.randrange(horizon - 150, horizon + 50)
        size = rng.randrange(40, 160)
        colour = tuple(rng.randrange(30, 220) for _ in range(3))
        draw.rectangle([x, y, x + size, y + size * 2], fill=colour)
    sun = rng.randrange(100, width - 100)
    draw.ellipse([sun, 60, sun + 90, 150], fill=(255, 236, 160))
    return _jpeg(image)


SCAN_SIZE = (1000, 1414)
SCAN_MARGIN = 40
SCAN_TOP = 170


def article_regions(count: int) -> list[list[list[int]]]:
    """Each article's block on a demo scan, stacked down the page, as rectangle regions."""
    width, height = SCAN_SIZE
    share = (height - SCAN_TOP - SCAN_MARGIN) // max(count, 1)
    regions = []
    for index in range(count):
        top, bottom = SCAN_TOP + index * share, SCAN_TOP + (index + 1) * share - 12
        left, right = SCAN_MARGIN, width - SCAN_MARGIN
        regions.append([[left, top], [right, top], [right, bottom], [left, bottom]])
    return regions


def draw_scan(seed: int, articles: int) -> ContentFile:
    """A page scan: masthead band and grey column blocks where the articles' regions are."""
    rng = random.Random(seed)  # noqa: S311 - decoration, not security
    width = SCAN_SIZE[0]
    image = Image.new("RGB", SCAN_SIZE, (250, 248, 242))
    draw = ImageDraw.Draw(image)
    draw.rectangle([SCAN_MARGIN, SCAN_MARGIN, width - SCAN_MARGIN, 140], fill=(170, 30, 30))
    for region in article_regions(articles):
        (left, top), _, (right, bottom), _ = region
        draw.rectangle([left, top, right, top + 50], fill=(60, 60, 60))
        for line in range(top + 70, bottom - 10, 22):
            draw.line(
                [(left, line), (right - rng.randrange(0, 120), line)], fill=(150, 150, 150), width=6
            )
    return _jpeg(image)


class Credits:
    """Contributors found or made once per run, matched by name and kind."""

    def __init__(self) -> None:
        self.cache: dict[tuple[str, str], Contributor] = {}

    def get(self, name: str, kind: str = PERSON) -> Contributor:
        key = (name, kind)
        if key not in self.cache:
            self.cache[key], _ = Contributor.objects.get_or_create(name=name, kind=kind)
        return self.cache[key]

    def add(self, credits: list[tuple[str, str]], **target) -> None:
        Byline.objects.bulk_create(
            Byline(contributor=self.get(name), role=role, order=order, **target)
            for order, (role, name) in enumerate(credits)
        )


@transaction.atomic
def load_demo() -> DemoResult:
    """Create the demo publication's issues; an issue that already exists is left alone."""
    result = DemoResult()
    publication, _ = Publication.objects.get_or_create(
        code=PUBLICATION["code"],
        defaults={"name": PUBLICATION["name"], "description": PUBLICATION["description"]},
    )
    credits = Credits()
    seed = 0
    for spec in ISSUES:
        if Issue.objects.filter(publication=publication, date=spec["date"]).exists():
            result.issues_skipped += 1
            continue
        issue = Issue.objects.create(
            publication=publication,
            date=spec["date"],
            number=spec["number"],
            running_number=spec["running_number"],
        )
        for page_spec in spec["pages"]:
            seed += 1
            page = Page.objects.create(
                issue=issue,
                number=page_spec["number"],
                name=page_spec["name"],
                scan=draw_scan(seed, len(page_spec["articles"])),
            )
            credits.add(page_spec["credits"], page=page)
            regions = article_regions(len(page_spec["articles"]))
            for position, article_spec in enumerate(page_spec["articles"], start=1):
                seed += 1
                article = _create_article(page, position, article_spec, credits, seed, result)
                article.region = regions[position - 1]
                article.save(update_fields=["region"])
            for position, photo_spec in enumerate(page_spec.get("photos", []), start=1):
                seed += 1
                photo = Photo.objects.create(
                    page=page,
                    position=position,
                    title=photo_spec["title"],
                    caption=photo_spec["caption"],
                    image=draw_photo(seed),
                )
                credits.add(photo_spec["credits"], photo=photo)
                result.photos += 1
        articles = Article.objects.filter(page__issue=issue).order_by("page__number", "position")
        # Every article and photo starts its history as the demo wrote it.
        services.record(
            [*articles.prefetch_related("photos"), *Photo.objects.filter(page__issue=issue)],
            comment=gettext_lazy("Demo content"),
        )
        if spec["published"]:
            # The demo's printed issues have been through the three-level review.
            articles.update(status=Status.READY)
            when = timezone.make_aware(datetime.datetime.combine(spec["date"], datetime.time(6)))
            services.issue_publish(issue=issue, when=when)
        else:
            # Tomorrow's paper is still in review, an article at each stage, so the admin's
            # worklists have something in them.
            for article, status in zip(articles, itertools.cycle(DRAFT_ISSUE_STAGES)):
                article.status = status
                article.save(update_fields=["status"])
        result.issues_created += 1
    return result


def _create_article(
    page: Page, position: int, spec: dict, credits: Credits, seed: int, result: DemoResult
) -> Article:
    blocks = [
        ("crosshead", text[3:]) if text.startswith("## ") else ("paragraph", text)
        for text in spec["body"]
    ]
    source = spec.get("source")
    article = Article.objects.create(
        page=page,
        position=position,
        kicker=spec.get("kicker", "").rstrip("—"),
        headline=spec["headline"],
        subheadline=spec.get("subheadline", ""),
        dateline=spec.get("dateline", ""),
        body=format_body(blocks),
        source=credits.get(source, ORGANISATION) if source else None,
        syndicated_from=spec.get("syndicated_from", ""),
    )
    credits.add(spec.get("credits", []), article=article)
    result.articles += 1
    if "photo" in spec:
        caption, photographer = spec["photo"]
        photo = Photo.objects.create(article=article, caption=caption, image=draw_photo(seed))
        credits.add([(Byline.Role.PHOTOGRAPHER, photographer)], photo=photo)
        result.photos += 1
    return article
