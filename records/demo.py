"""Demo locations and records for `manage.py seed_demo`.

The marketing department of a maker of waterproofing materials (防水材料):
two archive rooms of cabinets, shelves and boxes (R-FILE-4), and a few hundred
records of internal management, internal correspondence and publicity
(R-SCOPE 3-5) from 2019 to 2025. Each record goes the real way: a staff
member drafts and submits it, the archivist files it through
records.services, so archive numbers and history are real (R-FILE-3,
R-FILE-5). clients.demo and contracts.demo file their records with
`add_record`. A fixed random generator makes the data the same everywhere.
"""
import datetime
import random
import string
from dataclasses import dataclass

from django.utils.translation import gettext as _

from accounts.demo import DEMO_CHANGE_REASON, DEMO_USERNAMES
from core.history import acting_as, save_with_history
from records.models import Category, Location, LocationKind, Medium, Record, RecordStatus, ScopeClass, SecurityLevel
from records.demo_loans import lend_demo_records
from records.services import record_file, record_submit

SEED = 2024
YEARS = range(2019, 2026)

CITIES = [
    "郑州", "洛阳", "武汉", "长沙", "合肥", "南昌", "济南", "石家庄", "太原", "西安",
    "成都", "重庆", "南京", "徐州", "南宁", "贵阳",
]
TRADE_NAMES = [
    "恒泰", "鼎盛", "华远", "金石", "宏达", "嘉禾", "瑞丰", "盛世", "中联", "永安",
    "信诚", "天成", "博远", "安居", "汇通", "锦程", "润泽", "新宇", "广厦", "百川",
]
PRODUCTS = [
    "SBS改性沥青防水卷材", "自粘聚合物改性沥青防水卷材", "高分子自粘胶膜防水卷材", "TPO防水卷材",
    "聚氨酯防水涂料", "JS聚合物水泥防水涂料", "非固化橡胶沥青防水涂料", "丙烯酸防水涂料",
]
EXPOS = ["中国国际建筑防水展", "广州建博会", "{city}建材博览会", "中国国际屋面和建筑防水技术展览会"]
DEPARTMENT_ABBREVIATIONS = {"财务部": "财务", "技术部": "技术", "信息部": "信息", "总经理办公室": "总办"}

# (title, year of issue, issuer): each is filed once, not before it was issued.
STANDARDS = [
    ("GB 18242-2008 弹性体改性沥青防水卷材", 2008, "国家质量监督检验检疫总局、国家标准化管理委员会"),
    ("GB 18243-2008 塑性体改性沥青防水卷材", 2008, "国家质量监督检验检疫总局、国家标准化管理委员会"),
    ("GB 23441-2009 自粘聚合物改性沥青防水卷材", 2009, "国家质量监督检验检疫总局、国家标准化管理委员会"),
    ("GB 27789-2011 热塑性聚烯烃（TPO）防水卷材", 2011, "国家质量监督检验检疫总局、国家标准化管理委员会"),
    ("GB/T 19250-2013 聚氨酯防水涂料", 2013, "国家质量监督检验检疫总局、国家标准化管理委员会"),
    ("GB/T 23445-2009 聚合物水泥防水涂料", 2009, "国家质量监督检验检疫总局、国家标准化管理委员会"),
    ("GB/T 23457-2017 预铺防水卷材", 2017, "国家质量监督检验检疫总局、国家标准化管理委员会"),
    ("GB 50108-2008 地下工程防水技术规范", 2008, "住房和城乡建设部"),
    ("GB 50208-2011 地下防水工程质量验收规范", 2011, "住房和城乡建设部"),
    ("GB 50207-2012 屋面工程质量验收规范", 2012, "住房和城乡建设部"),
    ("GB 50345-2012 屋面工程技术规范", 2012, "住房和城乡建设部"),
    ("GB 55030-2022 建筑与市政工程防水通用规范", 2022, "住房和城乡建设部"),
    ("JGJ/T 235-2011 建筑外墙防水工程技术规程", 2011, "住房和城乡建设部"),
    ("10J301 地下建筑防水构造（国家建筑标准设计图集）", 2010, "中国建筑标准设计研究院"),
    ("12J201 平屋面建筑构造（国家建筑标准设计图集）", 2012, "中国建筑标准设计研究院"),
]

POOLS = {
    "city": CITIES,
    "product": PRODUCTS,
    "expo": EXPOS,
    "company": ["{city}{trade}建材有限公司", "{city}{trade}防水工程有限公司", "{city}{trade}商贸有限公司"],
    "trade": TRADE_NAMES,
    "season": ["春季", "夏季", "秋季", "冬季"],
    "notice": [
        "{year}年春节放假安排", "开展{year}年度档案盘点工作", "加强客户信息保密管理", "规范户外广告投放审批流程",
        "开展第{quarter}季度销售竞赛", "启用新版代理商协议文本", "组织{product}施工工艺培训",
        "做好{expo}参展准备工作", "加强合同评审管理", "调整代理商返利政策", "开展代理商年度考核",
        "调整{product}渠道指导价格",
    ],
    "rule": [
        "市场部档案管理办法", "代理商管理办法", "户外广告投放管理办法", "客户信息保密管理规定",
        "市场部费用报销实施细则", "展会参展管理规定", "合同评审管理规定",
    ],
    "meeting": [
        "{year}年度营销计划", "第{quarter}季度价格策略", "{product}价格调整", "渠道拓展", "经销商大会筹备",
        "{product}新品上市推广", "户外广告投放效果评审", "客户投诉处理", "代理商返利核算",
    ],
    "fin_matter": ["代理商返利结算", "广告费用报销", "展会费用预算", "合同款项回收", "年度营销费用预算"],
    "tech_matter": ["新品技术参数确认", "检测报告模板更新", "客户技术咨询答复", "{product}施工技术指导"],
    "it_matter": ["档案管理系统账号开通", "官网产品资料更新", "电子档案备份检查", "办公电脑安全检查"],
    "gm_matter": ["代理商协议用印", "年度营销预算审批", "重大合同评审", "参加{expo}"],
}
# Placeholders whose values make good keywords.
KEYWORD_PLACEHOLDERS = ("product", "city", "expo", "company", "fin_matter", "tech_matter", "it_matter", "gm_matter")

P, E, B = Medium.PAPER, Medium.ELECTRONIC, Medium.BOTH


@dataclass(frozen=True)
class Profile:
    """How one leaf category's demo records look."""

    per_year: int
    templates: tuple  # (template, weight)
    keyword: str
    pages: tuple = (1, 6)
    copies: tuple = (1,)
    media: tuple = ((P, 8), (B, 2))
    security: str = SecurityLevel.INTERNAL
    number_prefix: str = ""  # document numbers like 市场〔2024〕15号
    confidential_words: tuple = ()  # e.g. pricing strategy (R-LEND-4)


PROFILES = {
    "NBZD": Profile(5, (("关于{notice}的通知", 4), ("{rule}（{year}年修订）", 1)), "通知", (2, 12), (1, 1, 2),
                    ((P, 6), (B, 4)), number_prefix="市场", confidential_words=("价格", "返利")),
    "NBTJ": Profile(6, (("{year}年{month}月市场部月报", 3), ("{year}年第{quarter}季度渠道销售统计表", 1),
                        ("{year}年第{week}周销售周报", 1), ("{year}年度广告投放费用统计表", 1),
                        ("{year}年{month}月代理商进货统计表", 1)), "统计报表", (3, 20), media=((P, 2), (E, 3), (B, 5))),
    "NBHY": Profile(5, (("{meeting}专题会议纪要", 3), ("市场部{month}月工作例会纪要", 1)), "会议纪要", (2, 8),
                    media=((P, 7), (B, 3)), number_prefix="市场纪要", confidential_words=("价格",)),
    "WLFW": Profile(4, (("关于{fin_matter}致财务部的函", 2), ("关于{tech_matter}致技术部的函", 1),
                        ("关于{it_matter}致信息部的函", 1), ("关于{gm_matter}致总经理办公室的函", 1)), "发文",
                    number_prefix="市场函"),
    "WLSW": Profile(4, (("财务部关于{fin_matter}的通知", 2), ("技术部关于{tech_matter}的复函", 1),
                        ("信息部关于{it_matter}的通知", 1), ("总经理办公室关于{gm_matter}的批复", 1)), "来文",
                    number_prefix="sender"),
    "XCCS": Profile(2, (("{product}宣传册（{year}版）", 3), ("企业宣传画册（{year}版）", 1)), "宣传册", (12, 40), (2, 3),
                    ((P, 1), (B, 1)), SecurityLevel.PUBLIC),
    "XCZL": Profile(2, (("{product}产品介绍单页（{year}版）", 2), ("{year}年{season}促销海报", 1),
                        ("{product}工程案例集（{year}）", 1)), "宣传资料", (1, 4), (1, 2), ((P, 1), (B, 1)),
                    SecurityLevel.PUBLIC),
    "XCZH": Profile(2, (("{year}{expo}展会样稿", 2), ("{expo}展位设计样稿（{year}）", 1)), "展会", (2, 10),
                    media=((E, 1), (B, 1)), security=SecurityLevel.PUBLIC),
    "XCYX": Profile(1, (("{year}年经销商大会录像及照片", 1), ("{city}{product}施工示范活动照片", 1),
                        ("{year}{expo}参展照片", 1)), "影像", (1, 1), media=((E, 1),)),
    "XCBZ": Profile(2, (("《{standard}》", 1),), "标准规范", (20, 120), (1, 2), ((P, 3), (E, 1), (B, 1)),
                    SecurityLevel.PUBLIC),
    "XCPX": Profile(2, (("{product}施工工艺培训课件", 2), ("代理商产品知识培训PPT（{year}）", 1),
                        ("新员工营销基础培训讲稿（{year}）", 1)), "培训", (15, 60), media=((E, 3), (B, 2))),
    "XCMB": Profile(1, (("{product}出厂检验报告模板（{year}版）", 1), ("{product}型式检验报告模板（{year}版）", 1)),
                    "检测报告", (3, 8), media=((E, 1), (B, 1))),
    "XCBA": Profile(2, (("{company}渠道备案申请表", 1),), "渠道备案", (2, 4), media=((P, 1),)),
}
RECORD_SCOPES = [ScopeClass.INTERNAL, ScopeClass.CORRESPONDENCE, ScopeClass.PUBLICITY]

# (room code, room name, [(cabinet code, cabinet name, scope, shelves, boxes per shelf)]): 40 boxes.
LAYOUT = [
    ("R1", "档案室一", [
        ("C01", "合同档案柜", ScopeClass.CONTRACT, 2, 5),
        ("C02", "客户资料柜", ScopeClass.CLIENT, 2, 3),
        ("C03", "内部管理档案柜", ScopeClass.INTERNAL, 2, 5),
    ]),
    ("R2", "档案室二", [
        ("C01", "内部往来文件柜", ScopeClass.CORRESPONDENCE, 2, 3),
        ("C02", "对外宣传资料柜", ScopeClass.PUBLICITY, 2, 4),
    ]),
]

_FORMATTER = string.Formatter()


def weighted(rng, pairs):
    """Pick from (value, weight) pairs."""
    values, weights = zip(*pairs)
    return rng.choices(values, weights=weights)[0]


def fill(rng, template, fixed, pools=POOLS):
    """Expand a template; pool values may hold placeholders of their own.
    Returns the text and the values of the placeholders it used."""
    values, used, text = dict(fixed), {}, template
    # dict.fromkeys, not a set: draws in the order the placeholders appear,
    # so the data does not depend on PYTHONHASHSEED.
    while names := dict.fromkeys(name for _text, name, _spec, _conv in _FORMATTER.parse(text) if name):
        for name in names:
            if name not in values:
                values[name] = rng.choice(pools[name])
            used[name] = values[name]
        text = text.format(**values)
    for name, value in used.items():
        while isinstance(value, str) and "{" in value:
            value = value.format(**values)
        used[name] = value
    return text, used


def company_name(rng, suffixes, taken, city=None):
    """A made-up company name like 郑州恒泰建材有限公司, unique within `taken`."""
    while True:
        name = f"{city or rng.choice(CITIES)}{rng.choice(TRADE_NAMES)}{rng.choice(suffixes)}"
        if name not in taken:
            taken.add(name)
            return name


def random_date(rng, year, month=None):
    """A day of the year, or of one month of it."""
    first = datetime.date(year, month or 1, 1)
    last = (datetime.date(year, month + 1, 1) if month and month < 12 else datetime.date(year + 1, 1, 1))
    return first + datetime.timedelta(days=rng.randrange((last - first).days))


def _document_date(rng, year, used):
    """A date that fits the title: a monthly report in its month, and so on."""
    if "month" in used:
        return random_date(rng, year, used["month"])
    if "quarter" in used:
        return random_date(rng, year, used["quarter"] * 3)
    if "week" in used:
        week_start = datetime.date(year, 1, 1) + datetime.timedelta(weeks=used["week"] - 1)
        return min(week_start + datetime.timedelta(days=4), datetime.date(year, 12, 31))
    return random_date(rng, year)


def _keywords(profile, title, values):
    words = [profile.keyword]
    words += [values[name] for name in KEYWORD_PLACEHOLDERS if name in values]
    words += [department for department in DEPARTMENT_ABBREVIATIONS if department in title]
    return " ".join(dict.fromkeys(words))


def _standard(rng, year, remaining):
    """A standard issued by `year` and not filed yet, or None."""
    issued = [standard for standard in remaining if standard[1] <= year]
    if not issued:
        return None
    standard = rng.choice(issued)
    remaining.remove(standard)
    return standard


def record_specs(rng):
    """The demo records of RECORD_SCOPES as dicts of Record fields plus
    `category_code`, ordered by date so item numbers follow dates."""
    specs, standards = [], list(STANDARDS)
    for year in YEARS:
        for code, profile in PROFILES.items():
            titles = set()
            for _index in range(max(1, profile.per_year + rng.choice((-1, 0, 0, 1)))):
                template = weighted(rng, profile.templates)
                fixed = {"year": year, "month": rng.randint(1, 12), "quarter": rng.randint(1, 4),
                         "week": rng.randint(1, 52)}
                responsible = "市场部"
                if code == "XCBZ":
                    standard = _standard(rng, year, standards)
                    if standard is None:
                        continue
                    fixed["standard"], _issued, responsible = standard
                title, values = fill(rng, template, fixed)
                if title in titles:
                    continue
                titles.add(title)
                sender = next((name for name in DEPARTMENT_ABBREVIATIONS if title.startswith(name)), None)
                prefix = profile.number_prefix
                if prefix == "sender":
                    prefix = DEPARTMENT_ABBREVIATIONS[sender]
                confidential = any(word in title for word in profile.confidential_words)
                specs.append({
                    "category_code": code,
                    "title": title,
                    "year": year,
                    "document_date": _document_date(rng, year, values),
                    "responsible_party": sender or responsible,
                    "document_number": prefix,  # numbered below, in date order
                    "security_level": SecurityLevel.CONFIDENTIAL if confidential else profile.security,
                    "medium": weighted(rng, profile.media),
                    "copies": rng.choice(profile.copies),
                    "pages": rng.randint(*profile.pages),
                    "keywords": _keywords(profile, title, values),
                })
    specs.sort(key=lambda spec: (spec["document_date"], spec["category_code"], spec["title"]))
    counters = {}
    for spec in specs:
        prefix = spec["document_number"]
        if prefix:
            key = (prefix, spec["year"])
            counters[key] = counters.get(key, 0) + rng.randint(1, 3)
            spec["document_number"] = f"{prefix}〔{spec['year']}〕{counters[key]}号"
    return specs


def _layout_nodes():
    """(full code, parent full code, kind, code, name, scope) of every
    location in LAYOUT, parents first."""
    box_number = 0
    for room_code, room_name, cabinets in LAYOUT:
        yield room_code, None, LocationKind.ROOM, room_code, room_name, None
        for cabinet_code, cabinet_name, scope, shelves, boxes_per_shelf in cabinets:
            cabinet = f"{room_code}-{cabinet_code}"
            yield cabinet, room_code, LocationKind.CABINET, cabinet_code, cabinet_name, None
            for shelf_number in range(1, shelves + 1):
                shelf = f"{cabinet}-S{shelf_number}"
                yield shelf, cabinet, LocationKind.SHELF, f"S{shelf_number}", f"第{shelf_number}层", None
                for _box in range(boxes_per_shelf):
                    box_number += 1
                    box_label = f"{cabinet_name.removesuffix('柜')}第{box_number}盒"
                    yield f"{shelf}-B{box_number:03d}", shelf, LocationKind.BOX, f"B{box_number:03d}", box_label, scope


BOX_FULL_CODES = [node[0] for node in _layout_nodes() if node[2] == LocationKind.BOX]


def seed_locations(people, log=print):
    """Rooms, cabinets, shelves and boxes (R-FILE-4). Returns scope -> boxes."""
    by_code, boxes, created = {}, {}, 0
    with acting_as(people.archivist):
        for full_code, parent_code, kind, code, name, scope in _layout_nodes():
            location = Location.objects.filter(full_code=full_code).first()
            if location is None:
                location = Location(parent=by_code.get(parent_code), kind=kind, code=code, name=name)
                save_with_history(location, reason=DEMO_CHANGE_REASON)
                created += 1
            by_code[full_code] = location
            if scope:
                boxes.setdefault(scope, []).append(location)
    log(_("Locations: %(created)d created, %(boxes)d boxes in %(rooms)d rooms.")
        % {"created": created, "boxes": len(BOX_FULL_CODES), "rooms": len(LAYOUT)})
    return boxes


def box_for(boxes, scope, category_code, year):
    """Items of one category and year share a box, so they are quick to find (R-FILE-4)."""
    shelf = boxes[scope]
    return shelf[(sum(map(ord, category_code)) + year) % len(shelf)]


def add_record(*, category, title, year, submitter, archivist, box=None, status=RecordStatus.FILED, **fields):
    """Create a record as people do: the submitter drafts and submits it
    (R-FILE-2), the archivist files it with number and place (R-FILE-3,
    R-FILE-5)."""
    if status not in (RecordStatus.DRAFT, RecordStatus.SUBMITTED, RecordStatus.FILED):
        raise ValueError(f"Demo records cannot be created as {status}.")
    record = Record(category=category, title=title, year=year, status=RecordStatus.DRAFT, submitted_by=submitter,
                    retention_years=category.default_retention_years, **fields)
    with acting_as(submitter):
        save_with_history(record, reason=DEMO_CHANGE_REASON)
        if status != RecordStatus.DRAFT:
            record = record_submit(record=record, by=submitter)
    if status == RecordStatus.FILED:
        with acting_as(archivist):
            record = record_file(record=record, by=archivist, location=box)
    return record


def records_seeded():
    return Record.objects.filter(submitted_by__username__in=DEMO_USERNAMES, category__scope__in=RECORD_SCOPES).exists()


def is_seeded():
    return Location.objects.filter(full_code__in=BOX_FULL_CODES).count() == len(BOX_FULL_CODES) and records_seeded()


def seed_records(people, boxes, log=print):
    """The internal, correspondence and publicity records. Most are filed;
    the staff user has a few submitted and a couple of drafts waiting, and
    two records are out on loan."""
    if records_seeded():
        log(_("Records: demo records exist, skipped."))
        return []
    rng = random.Random(SEED)
    specs = record_specs(rng)
    categories = {category.code: category for category in Category.objects.filter(code__in=PROFILES)}
    open_latest = [i for i, spec in enumerate(specs)
                   if spec["year"] == YEARS[-1] and spec["security_level"] != SecurityLevel.CONFIDENTIAL]
    pending = rng.sample(open_latest, 6)
    submitted, drafts = set(pending[:4]), set(pending[4:])

    records = []
    for index, spec in enumerate(specs):
        spec = dict(spec)
        category = categories[spec.pop("category_code")]
        submitter, status = rng.choice(people.marketing_staff), RecordStatus.FILED
        if index in submitted or index in drafts:
            submitter = people.staff
            status = RecordStatus.SUBMITTED if index in submitted else RecordStatus.DRAFT
        records.append(add_record(
            category=category, submitter=submitter, archivist=people.archivist, status=status,
            box=box_for(boxes, category.scope, category.code, spec["year"]), department=people.marketing, **spec,
        ))
    lent = lend_demo_records(people.archivist)
    filed = len(records) - len(submitted) - len(drafts) - len(lent)
    log(_("Records: %(total)d created (%(filed)d filed, %(submitted)d submitted, %(drafts)d drafts, "
          "%(lent)d on loan).")
        % {"total": len(records), "filed": filed, "submitted": len(submitted), "drafts": len(drafts),
           "lent": len(lent)})
    return records
