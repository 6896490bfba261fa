"""Demo client profiles for `manage.py seed_demo`.

About 25 agents, partners and appraised subjects (R-SCOPE 2), each with
preferences, notes, a responsible staff member and the client-file records
filed about it, and one to three contacts. Phone numbers, e-mail addresses
and ID numbers appear only in the contacts' encrypted fields (R-CLIENT),
never in notes or record titles.
"""
import datetime
import random

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.demo import DEMO_CHANGE_REASON
from core.history import acting_as, save_with_history
from clients.models import Client, ClientContact, ClientType, Gender
from clients.validators import resident_id_check_code
from records.demo import CITIES, SEED, YEARS, add_record, box_for, company_name, random_date
from records.models import Category, Medium, ScopeClass, SecurityLevel

# client type: (how many companies, name suffixes, category code)
COMPANY_CLIENTS = {
    ClientType.AGENT: (11, ["建材有限公司", "防水工程有限公司", "商贸有限公司", "建材经营部"], "KHDL"),
    ClientType.PARTNER: (6, ["建筑设计研究院有限公司", "建设工程有限公司", "物流有限公司"], "KHHZ"),
    ClientType.APPRAISED: (5, ["置业有限公司", "房地产开发有限公司", "物业服务有限公司"], "KHJD"),
}
# Agents who trade in their own name.
PERSON_AGENTS = [("陈建国", Gender.MALE, 52), ("黄志强", Gender.MALE, 45), ("杨秀英", Gender.FEMALE, 48)]

PREFERENCES = {
    ClientType.AGENT: [
        "偏好季度结算，关注返利政策", "重视交货周期，要求到货前一天通知", "对价格敏感，倾向整车批量采购",
        "喜欢当面洽谈，不习惯线上沟通", "关注新品，愿意组织施工人员参加培训", "需要工程案例资料用于投标",
    ],
    ClientType.PARTNER: [
        "技术参数以书面函件确认", "新材料需先送样测试", "合作项目需提前两周排期", "重视资质文件齐全",
    ],
    ClientType.APPRAISED: [
        "希望鉴定报告附整改建议", "现场勘查需物业人员陪同", "要求鉴定结论先口头沟通再出具书面报告",
    ],
}
ESTATES = ["锦绣花园", "滨江一号", "翰林苑", "阳光城", "御景湾", "书香门第"]

# client type: [(title template, category code, responsible party, security)]; the first is filed when
# the relationship starts, the others in later years.
RECORD_TEMPLATES = {
    ClientType.AGENT: [
        ("{name}代理商资质审核材料", "{name}", SecurityLevel.INTERNAL),
        ("{name}{year}年度拜访记录", "市场部", SecurityLevel.INTERNAL),
        ("{name}售后服务及投诉处理记录（{year}）", "市场部", SecurityLevel.INTERNAL),
        ("{name}订单与发票汇总（{year}）", "市场部", SecurityLevel.INTERNAL),
    ],
    ClientType.PARTNER: [
        ("{name}合作伙伴基本情况登记表", "{name}", SecurityLevel.INTERNAL),
        ("{name}合作洽谈纪要（{year}）", "市场部", SecurityLevel.INTERNAL),
        ("{name}{year}年度合作评价", "市场部", SecurityLevel.INTERNAL),
    ],
    ClientType.APPRAISED: [
        ("{name}鉴定委托资料", "{name}", SecurityLevel.INTERNAL),
        ("{name}{estate}项目渗漏鉴定报告", "市场部", SecurityLevel.CONFIDENTIAL),
        ("{name}鉴定回访记录（{year}）", "市场部", SecurityLevel.INTERNAL),
    ],
}
CATEGORY_CODES = {ClientType.AGENT: "KHDL", ClientType.PARTNER: "KHHZ", ClientType.APPRAISED: "KHJD"}


def _city_of(name):
    return next((city for city in CITIES if name.startswith(city)), None)


def _notes(rng, client_type, since, city):
    notes = [f"{since}年开始合作"]
    if client_type == ClientType.AGENT:
        notes.append(f"年采购额约{rng.randrange(50, 800, 10)}万元")
        notes.append(f"主要覆盖{city or rng.choice(CITIES)}及周边县市")
    elif client_type == ClientType.PARTNER:
        notes.append(rng.choice(["参与过公司多个重点工程", "年度合作评价为良好", "曾联合举办施工技术交流会"]))
    else:
        notes.append(rng.choice(["鉴定后已完成整改", "整改方案由技术部跟进", "已安排季度回访"]))
    if rng.random() < 0.3:
        notes.append(f"{rng.randint(since, YEARS[-1])}年曾因交货延误投诉一次，已妥善处理")
    return "；".join(notes) + "。"


def client_specs(rng):
    """The demo clients as dicts; no database access, so contracts.demo can
    rebuild the same list (names, types, since when)."""
    taken, specs = set(), []
    for client_type, (count, suffixes, _code) in COMPANY_CLIENTS.items():
        for _index in range(count):
            specs.append({"client_type": client_type, "name": company_name(rng, suffixes, taken),
                          "gender": Gender.UNKNOWN, "age": None})
    for name, gender, age in PERSON_AGENTS:
        specs.append({"client_type": ClientType.AGENT, "name": name, "gender": gender, "age": age})
    for spec in specs:
        spec["since"] = rng.randint(YEARS[0], YEARS[-1] - 1)
        spec["preferences"] = "；".join(rng.sample(PREFERENCES[spec["client_type"]], 2)) + "。"
        spec["notes"] = _notes(rng, spec["client_type"], spec["since"], _city_of(spec["name"]))
    return specs


def demo_client_names():
    return [spec["name"] for spec in client_specs(random.Random(SEED))]


def is_seeded():
    names = demo_client_names()
    return Client.objects.filter(name__in=names).count() == len(names)


def _record_plan(rng, spec):
    """(title, year, responsible party, security) of a client's records."""
    templates = RECORD_TEMPLATES[spec["client_type"]]
    plan = [(templates[0], spec["since"])]
    for template in rng.sample(templates[1:], rng.randint(1, 2)):
        plan.append((template, rng.randint(spec["since"], YEARS[-1])))
    estate = f"{_city_of(spec['name']) or ''}{rng.choice(ESTATES)}"
    return [
        (title.format(name=spec["name"], year=year, estate=estate), year, party.format(name=spec["name"]), security)
        for (title, party, security), year in plan
    ]


SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何林罗高"
GIVEN_NAMES = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "军", "杰", "涛", "明", "超", "霞", "平", "刚"]
POSITIONS = ["总经理", "采购经理", "项目经理", "财务", "业务员", "技术负责人"]
PINYIN_INITIALS = "abcdefghjklmnpqrstwxyz"


def _id_number(rng, age):
    """A made-up resident ID number with a correct check character."""
    birth = datetime.date(YEARS[-1] - age, rng.randint(1, 12), rng.randint(1, 28))
    first_17 = f"{rng.choice(['110101', '320102', '330106', '440106'])}{birth:%Y%m%d}{rng.randint(0, 999):03d}"
    return first_17 + resident_id_check_code(first_17)


def seed_contacts(client, rng):
    """One to three contacts; persons trading in their own name are their own contact."""
    people = []
    if client.age:
        people.append((client.name, "负责人", client.age))
    for _index in range(rng.randint(1, 2)):
        people.append((rng.choice(SURNAMES) + "".join(rng.sample(GIVEN_NAMES, rng.randint(1, 2))),
                       rng.choice(POSITIONS), None))
    for name, position, age in people:
        contact = ClientContact(
            client=client, name=name, position=position,
            phone=f"1{rng.choice('35789')}{rng.randint(0, 999999999):09d}",
            email=f"{''.join(rng.sample(PINYIN_INITIALS, 3))}{rng.randint(1, 99)}@example.com",
            id_number=_id_number(rng, age) if age else "",
        )
        save_with_history(contact, reason=DEMO_CHANGE_REASON)


def seed_clients(people, boxes, log=print):
    """Client profiles and their filed client-file records. A client that
    exists already is left as it is."""
    specs = client_specs(random.Random(SEED))
    categories = {category.code: category for category in Category.objects.filter(code__in=CATEGORY_CODES.values())}
    now = timezone.now()
    created_clients = created_records = 0
    for spec in specs:
        if Client.objects.filter(name=spec["name"]).exists():
            continue
        # One generator per client, so a client made by hand does not shift the others.
        rng = random.Random(f"{SEED}:{spec['name']}")
        responsible = rng.choice(people.marketing_staff)
        plan = _record_plan(rng, spec)
        reviewed_days_ago = rng.choice([None, 1, 2, 3, 5, 6, 9, 12, 20])
        category = categories[CATEGORY_CODES[spec["client_type"]]]
        records = [
            add_record(
                category=category, title=title, year=year, submitter=responsible, archivist=people.archivist,
                box=box_for(boxes, ScopeClass.CLIENT, category.code, year), department=people.marketing,
                document_date=random_date(rng, year), responsible_party=party, security_level=security,
                medium=Medium.PAPER if rng.random() < 0.7 else Medium.BOTH, pages=rng.randint(3, 30),
                keywords=f"客户档案 {spec['name']} {category.name}",
            )
            for title, year, party, security in sorted(plan, key=lambda row: row[1])
        ]
        client = Client(
            client_type=spec["client_type"], name=spec["name"], gender=spec["gender"], age=spec["age"],
            preferences=spec["preferences"], notes=spec["notes"], responsible=responsible,
            is_active=spec["since"] > YEARS[0] or rng.random() < 0.5,
        )
        if reviewed_days_ago is not None:
            client.last_reviewed_at = now - datetime.timedelta(days=reviewed_days_ago, hours=rng.randint(0, 8))
            client.last_reviewed_by = responsible
        with acting_as(responsible):
            save_with_history(client, reason=DEMO_CHANGE_REASON)
            client.records.set(records)
            seed_contacts(client, rng)
        created_clients += 1
        created_records += len(records)
    log(_("Clients: %(created)d created with %(records)d client-file records, %(total)d in the demo.")
        % {"created": created_clients, "records": created_records, "total": len(specs)})
