"""Demo contracts for `manage.py seed_demo`: the contract ledger (台帐,
R-CONTRACT) with about 40 filed contracts of the four contract classes.

Each contract is a filed Record of the matching category; agent agreements
and contracts under the company's qualification also have their review
papers (合同评审) filed as HTPS records. Agent agreements are held twice in
original, by the general manager's office and by marketing (R-CONTRACT).
A few terms end within 30 days of the day the demo is loaded, so reminders
have something to show; older ones have expired.
"""
import datetime
import random
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.demo import DEMO_CHANGE_REASON, DEMO_USERNAMES
from core.history import acting_as, save_with_history
from clients.demo import client_specs
from clients.models import Client, ClientType
from contracts.models import Contract, ContractHolding, ContractType, Holder, OriginalOrCopy, ReviewResult
from records.demo import CITIES, PRODUCTS, SEED, YEARS, add_record, box_for, company_name, fill, random_date
from records.models import Category, Medium, ScopeClass, SecurityLevel

NUMBER_PREFIX = "SCB-HT"
REVIEW_CATEGORY = "HTPS"
EXPIRING_SOON = 4  # agent agreements whose term ends within 30 days of today

# category code: (contract type, how many, original or copy, amount range in CNY, confidential from)
PLAN = {
    "HTDL": (ContractType.AGENT_AGREEMENT, 16, OriginalOrCopy.ORIGINAL, (500_000, 5_000_000), 4_000_000),
    "HTZZ": (ContractType.QUALIFICATION, 8, OriginalOrCopy.ORIGINAL, (300_000, 5_000_000), 2_500_000),
    "HTHW": (ContractType.OUTDOOR_ADVERTISING, 8, OriginalOrCopy.COPY, (30_000, 300_000), None),
    "HTQT": (ContractType.OTHER, 8, OriginalOrCopy.ORIGINAL, (10_000, 300_000), None),
}
CONTRACT_COUNT = sum(row[1] for row in PLAN.values())
ESTATES = ["锦绣花园", "滨江一号", "翰林苑", "阳光城", "御景湾", "书香门第", "天悦府", "金域华府"]
QUALIFICATION_WORKS = ["地下室防水工程施工", "屋面防水工程施工", "外墙防水工程施工", "防水材料供货及施工"]
OUTDOOR_TEMPLATES = ["{city}户外广告牌制作合同", "{city}高速公路沿线户外广告牌制作合同", "{city}建材市场户外广告牌制作合同"]
# (title template, counterparty name suffix, term in months)
OTHER_TEMPLATES = [
    ("{expo}展位租赁合同（{year}）", "展览服务有限公司", 1),
    ("{year}年产品宣传册印刷合同", "印务有限公司", 2),
    ("{year}年经销商大会会务服务合同", "酒店管理有限公司", 1),
    ("企业宣传片拍摄制作合同（{year}）", "文化传媒有限公司", 4),
    ("{year}年度成品物流运输合同", "物流有限公司", 12),
]


def _add_months(day, months):
    """The same day `months` later (the 29th to 31st become the 28th)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, 28))


def _amount(rng, low, high):
    return Decimal(rng.randrange(low, high, 1000))


def _term(rng, signed_on, months):
    starts_on = signed_on + datetime.timedelta(days=rng.randint(0, 10))
    return starts_on, _add_months(starts_on, months) - datetime.timedelta(days=1)


def _agent_agreements(rng, agents, since):
    """One two-year agreement per agent; two agents of long standing renewed
    for three years from the day the first agreement ended."""
    rows = []
    renewing = set(rng.sample([name for name in agents if since[name] <= YEARS[0] + 2], 2))
    for name in agents:
        product = rng.choice(PRODUCTS)
        title = f"与{name}签订的{product}代理商协议"
        signed_on = random_date(rng, since[name] if name in renewing else rng.randint(since[name], YEARS[-1]))
        starts_on, ends_on = _term(rng, signed_on, 24)
        rows.append({"code": "HTDL", "title": title, "counterparty_name": name, "signed_on": signed_on,
                     "starts_on": starts_on, "ends_on": ends_on, "keywords": product})
        if name in renewing:
            starts_on = ends_on + datetime.timedelta(days=1)
            rows.append({"code": "HTDL", "title": f"{title}（续签）", "counterparty_name": name,
                         "signed_on": ends_on - datetime.timedelta(days=rng.randint(5, 20)), "starts_on": starts_on,
                         "ends_on": _add_months(starts_on, 36) - datetime.timedelta(days=1), "keywords": product})
    return rows


def _unique_title(make, titles):
    """Call make() until it returns a row whose title is new."""
    while True:
        row = make()
        if row["title"] not in titles:
            titles.add(row["title"])
            return row


def _qualification_contracts(rng, developers, taken, titles):
    def make():
        counterparty = rng.choice(developers) if rng.random() < 0.6 else company_name(rng, ["建设集团有限公司"], taken)
        # The project lies where the developer or builder is based.
        city = next((city for city in CITIES if counterparty.startswith(city)), rng.choice(CITIES))
        estate = rng.choice(ESTATES)
        signed_on = random_date(rng, rng.choice(YEARS))
        starts_on, ends_on = _term(rng, signed_on, rng.randint(3, 12))
        return {"code": "HTZZ", "title": f"{city}{estate}项目{rng.choice(QUALIFICATION_WORKS)}合同",
                "counterparty_name": counterparty, "signed_on": signed_on, "starts_on": starts_on,
                "ends_on": ends_on, "keywords": f"{city} {estate}"}

    return [_unique_title(make, titles) for _index in range(PLAN["HTZZ"][1])]


def _outdoor_contracts(rng, taken, titles):
    def make():
        title, values = fill(rng, rng.choice(OUTDOOR_TEMPLATES), {})
        signed_on = random_date(rng, rng.choice(YEARS))
        starts_on, ends_on = _term(rng, signed_on, rng.randint(1, 3))
        counterparty = company_name(rng, ["广告传媒有限公司"], taken, city=values["city"])
        return {"code": "HTHW", "title": title, "counterparty_name": counterparty, "signed_on": signed_on,
                "starts_on": starts_on, "ends_on": ends_on, "keywords": f"户外广告 {values['city']}"}

    return [_unique_title(make, titles) for _index in range(PLAN["HTHW"][1])]


def _other_contracts(rng, logistics_partners, taken, titles):
    def make():
        template, suffix, months = rng.choice(OTHER_TEMPLATES)
        year = rng.choice(YEARS)
        title, values = fill(rng, template, {"year": year})
        if suffix == "物流有限公司" and logistics_partners:
            counterparty = rng.choice(logistics_partners)
        else:
            counterparty = company_name(rng, [suffix], taken)
        signed_on = random_date(rng, year)
        starts_on, ends_on = _term(rng, signed_on, months)
        return {"code": "HTQT", "title": title, "counterparty_name": counterparty, "signed_on": signed_on,
                "starts_on": starts_on, "ends_on": ends_on, "keywords": values.get("expo", "")}

    return [_unique_title(make, titles) for _index in range(PLAN["HTQT"][1])]


def contract_specs(rng, today):
    """The demo contracts as dicts, numbered per year in signing order.
    No database access; counterparties are matched to clients by name."""
    clients = client_specs(random.Random(SEED))
    by_type = {kind: [client["name"] for client in clients if client["client_type"] == kind] for kind in ClientType}
    since = {client["name"]: client["since"] for client in clients}
    taken = {client["name"] for client in clients}
    developers = by_type[ClientType.APPRAISED] + [name for name in by_type[ClientType.PARTNER] if "建设" in name]
    logistics = [name for name in by_type[ClientType.PARTNER] if "物流" in name]

    rows = _agent_agreements(rng, by_type[ClientType.AGENT], since)
    titles = {row["title"] for row in rows}
    rows += _qualification_contracts(rng, developers, taken, titles)
    rows += _outdoor_contracts(rng, taken, titles)
    rows += _other_contracts(rng, logistics, taken, titles)

    # The latest agent agreements end within 30 days of today.
    latest = sorted((row for row in rows if row["code"] == "HTDL"), key=lambda row: row["signed_on"])[-EXPIRING_SOON:]
    for row in latest:
        row["ends_on"] = max(today + datetime.timedelta(days=rng.randint(3, 28)), row["starts_on"])

    rows.sort(key=lambda row: (row["signed_on"], row["code"], row["title"]))
    per_year = {}
    for row in rows:
        contract_type, _count, original_or_copy, (low, high), confidential_from = PLAN[row["code"]]
        year = row["signed_on"].year
        per_year[year] = per_year.get(year, 0) + 1
        amount = _amount(rng, low, high)
        review_date = row["signed_on"] - datetime.timedelta(days=rng.randint(3, 15))
        row.update(
            contract_type=contract_type,
            contract_number=f"{NUMBER_PREFIX}-{year}-{per_year[year]:04d}",
            original_or_copy=original_or_copy,
            amount=amount,
            confidential=confidential_from is not None and amount >= confidential_from,
            review_date=review_date,
            review_result=ReviewResult.APPROVED if rng.random() < 0.8 else ReviewResult.APPROVED_WITH_CHANGES,
            with_review_record=row["code"] in ("HTDL", "HTZZ"),
            pages=rng.randint(4, 30),
            medium=Medium.PAPER if rng.random() < 0.75 else Medium.BOTH,
            responsible_index=rng.randrange(100),
        )
    return rows


def demo_contracts():
    return Contract.objects.filter(
        contract_number__startswith=f"{NUMBER_PREFIX}-", record__submitted_by__username__in=DEMO_USERNAMES
    )


def is_seeded():
    return demo_contracts().count() >= CONTRACT_COUNT


def _holdings(contract_type, original_or_copy):
    """Agent agreements: one original with 总经办, one with marketing (R-CONTRACT)."""
    if contract_type == ContractType.AGENT_AGREEMENT:
        return [(Holder.GENERAL_MANAGER_OFFICE, OriginalOrCopy.ORIGINAL), (Holder.MARKETING, OriginalOrCopy.ORIGINAL)]
    return [(Holder.MARKETING, original_or_copy)]


def seed_contracts(people, boxes, log=print):
    """Contracts with their records, review papers and holdings. A contract
    number that exists already is skipped."""
    specs = contract_specs(random.Random(SEED), timezone.localdate())
    categories = {category.code: category for category in Category.objects.filter(code__in=[*PLAN, REVIEW_CATEGORY])}
    names = [spec["counterparty_name"] for spec in specs]
    clients = {client.name: client for client in Client.objects.filter(name__in=names)}
    existing = set(Contract.objects.filter(contract_number__in=[s["contract_number"] for s in specs])
                   .values_list("contract_number", flat=True))
    created = reviews = holdings = 0
    for spec in specs:
        if spec["contract_number"] in existing:
            continue
        client = clients.get(spec["counterparty_name"])
        responsible = _responsible(spec, client, people)
        security = SecurityLevel.CONFIDENTIAL if spec["confidential"] else SecurityLevel.INTERNAL
        common = {"submitter": responsible, "archivist": people.archivist, "department": people.marketing,
                  "security_level": security, "medium": spec["medium"], "responsible_party": "市场部"}
        review_record = None
        if spec["with_review_record"]:
            review_record = _add_review_record(spec, categories[REVIEW_CATEGORY], boxes, common)
            reviews += 1
        record = _add_contract_record(spec, categories[spec["code"]], boxes, common)
        with acting_as(people.archivist):
            holdings += _save_contract(spec, record, client, responsible, review_record)
            if client is not None:
                client.records.add(record)
        created += 1
    log(_("Contracts: %(created)d created with %(reviews)d review records and %(holdings)d holdings, "
          "%(total)d in the demo.")
        % {"created": created, "reviews": reviews, "holdings": holdings, "total": len(specs)})


def _responsible(spec, client, people):
    """The head for confidential contracts, else the client's responsible
    person, else one of the marketing staff."""
    if spec["confidential"]:
        return people.head
    if client is not None and client.responsible_id:
        return client.responsible
    return people.marketing_staff[spec["responsible_index"] % len(people.marketing_staff)]


def _add_review_record(spec, category, boxes, common):
    """The contract review papers (合同评审), filed as an HTPS record."""
    review_year = spec["review_date"].year
    return add_record(
        category=category, title=f"{spec['title']}评审表", year=review_year,
        box=box_for(boxes, ScopeClass.CONTRACT, REVIEW_CATEGORY, review_year),
        document_date=spec["review_date"], pages=max(2, spec["pages"] // 5),
        keywords=f"合同评审 {spec['counterparty_name']}", **common,
    )


def _add_contract_record(spec, category, boxes, common):
    year = spec["signed_on"].year
    return add_record(
        category=category, title=spec["title"], year=year,
        box=box_for(boxes, ScopeClass.CONTRACT, category.code, year),
        document_date=spec["signed_on"], document_number=spec["contract_number"], pages=spec["pages"],
        keywords=" ".join(filter(None, ["合同", category.name, spec["counterparty_name"], spec["keywords"]])),
        **common,
    )


def _save_contract(spec, record, client, responsible, review_record):
    """The contract facts and its holdings; returns how many holdings."""
    contract = Contract(
        record=record, contract_type=spec["contract_type"], contract_number=spec["contract_number"],
        counterparty=client, counterparty_name=spec["counterparty_name"], signed_on=spec["signed_on"],
        starts_on=spec["starts_on"], ends_on=spec["ends_on"], amount=spec["amount"],
        responsible_person=responsible, original_or_copy=spec["original_or_copy"],
        review_date=spec["review_date"], review_result=spec["review_result"], review_record=review_record,
    )
    save_with_history(contract, reason=DEMO_CHANGE_REASON)
    holdings = _holdings(contract.contract_type, contract.original_or_copy)
    for holder, original_or_copy in holdings:
        holding = ContractHolding(contract=contract, holder=holder, original_or_copy=original_or_copy)
        save_with_history(holding, reason=DEMO_CHANGE_REASON)
    return len(holdings)
