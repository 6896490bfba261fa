"""Search benchmark (issue: Chinese full-text search at a million records).

Generates N synthetic records with realistic Chinese titles (plus contracts,
clients and attachment text, as the search covers them), builds the search
index through the same code as `manage.py rebuild_search_index`, then runs a
fixed mix of queries as a marketing staff user through the search page's code
path (records.search.search_records, first page of 20 and the total
count) and through a baseline of Django `icontains` over the same fields.

    .venv/bin/python benchmarks/search.py                    # 1,000,000 records, SQLite
    .venv/bin/python benchmarks/search.py --records 100000
    .venv/bin/python benchmarks/search.py --database-url postgres://…/bench
    .venv/bin/python benchmarks/search.py --records 100000 --rebuilds 8

--rebuilds N then rebuilds the index N times as `rebuild_search_index` does,
each time after changing the notes of every record behind the index's back
(so every entry has to be rewritten), and reports the index's size after
each rebuild and the query mix again on the rebuilt index.

The generated database is kept (benchmarks/out/search-<N>/) and reused by the
next run with the same --records; --fresh builds it anew.
"""
import argparse
import datetime
import random
import shutil
import statistics
import sys
import time

from _setup import OUT, peak_rss_mb, percentile, start_django

COMPANIES = ["华东", "新锐", "恒信", "博远", "天成", "金桥", "宏达", "瑞丰", "中科", "联创", "东方", "星河", "海润", "鼎盛", "合众",
             "信诚", "汇通", "远大", "永安", "嘉禾"]
SUFFIXES = ["科技有限公司", "建材经营部", "传媒有限公司", "广告有限公司", "检测技术有限公司", "防水材料有限公司"]
PRODUCTS = ["TPO防水卷材", "JS聚合物水泥防水涂料", "检测设备", "户外广告牌", "宣传册", "展台搭建", "培训课程", "认证服务",
            "户外灯箱", "数据平台", "屋面系统"]
CITIES = ["上海", "杭州", "南京", "苏州", "合肥", "武汉", "成都", "广州", "深圳", "北京", "石家庄", "郑州"]
TOPICS = ["市场推广", "渠道备案", "展会筹备", "价格调整", "代理商考核", "客户回访", "质量投诉处理", "年度预算", "品牌宣传"]
DEPARTMENTS = ["财务部", "总经理办公室", "技术部", "信息部", "生产部"]

# (category code, retention years, title maker)
KINDS = [
    ("HTDL", 30, lambda r: f"与{r.choice(COMPANIES)}{r.choice(SUFFIXES)}签订的{r.choice(PRODUCTS)}代理商协议"),
    ("HTHW", 10, lambda r: f"{r.choice(CITIES)}{r.choice(['户外广告牌', '户外灯箱', '高炮广告'])}制作合同"),
    ("HTZZ", 30, lambda r: f"{r.choice(CITIES)}{r.choice(PRODUCTS)}{r.choice(['检测服务合同', '鉴定委托合同', '采购合同'])}"),
    ("HTQT", 10, lambda r: f"{r.choice(['成品物流运输', '办公用品采购', '展会场地租赁', '宣传片拍摄'])}合同"),
    ("NBZD", None, lambda r: f"关于{r.choice(TOPICS)}的通知"),
    ("NBTJ", 10, lambda r: f"{r.randint(2010, 2025)}年{r.randint(1, 12)}月市场部{r.choice(['月报', '周报', '销售统计表'])}"),
    ("NBHY", 30, lambda r: f"{r.choice(TOPICS)}专题会议纪要"),
    ("WLFW", 10, lambda r: f"关于{r.choice(TOPICS)}致{r.choice(DEPARTMENTS)}的函"),
    ("WLSW", 10, lambda r: f"{r.choice(DEPARTMENTS)}关于{r.choice(TOPICS)}的复函"),
    ("XCCS", 10, lambda r: f"{r.choice(PRODUCTS)}宣传册（{r.randint(2010, 2025)}版）"),
    ("XCZH", 10, lambda r: f"{r.randint(2010, 2025)}{r.choice(CITIES)}建博会展会样稿"),
    ("XCPX", 10, lambda r: f"{r.choice(PRODUCTS)}施工培训课件"),
    ("KHDL", 10, lambda r: f"{r.choice(CITIES)}{r.choice(COMPANIES)}{r.choice(SUFFIXES)}客户资料"),
]

QUERIES = [
    ("1 char", "会", {}),
    ("2 chars", "合同", {}),
    ("2 chars rare", "灯箱", {}),
    ("3 chars", "代理商", {}),
    ("6 chars", "户外广告牌制", {}),
    ("mixed", "2024 代理商", {}),
    ("archive number", "HTDL·2019", {}),
    ("filtered", "合同", {"category_code": "HT", "year": 2020}),
]


def generate(count, seed=2024):
    from django.db import transaction

    from accounts.models import Department, User
    from accounts.roles import Role, assign_role
    from clients.models import Client, allocate_client_numbers
    from contracts.models import Contract, ContractType
    from records.models import Attachment, Category, Record, RecordStatus, SecurityLevel
    from records.models.choices import retention_code

    rng = random.Random(seed)
    marketing, _ = Department.objects.get_or_create(code="SCB", defaults={"name": "市场部", "owns_archive": True})
    staff, _ = User.objects.get_or_create(username="bench-staff", defaults={"department": marketing})
    assign_role(staff, Role.STAFF)
    categories = {c.code: c for c in Category.objects.all()}
    levels = [SecurityLevel.PUBLIC] * 25 + [SecurityLevel.INTERNAL] * 60 + [SecurityLevel.CONFIDENTIAL] * 15
    counters = {}
    started = time.monotonic()
    batch = 10_000
    with transaction.atomic():
        codes = allocate_client_numbers(2000)
        clients = [Client(client_type="agent", code=code,
                          name=f"{rng.choice(CITIES)}{rng.choice(COMPANIES)}{rng.choice(SUFFIXES)}") for code in codes]
        Client.objects.bulk_create(clients)
    for start in range(0, count, batch):
        rows = []
        for _ in range(min(batch, count - start)):
            code, years, make_title = rng.choice(KINDS)
            year = rng.randint(2010, 2025)
            item = counters[(code, year)] = counters.get((code, year), 0) + 1
            rows.append(
                Record(
                    archive_number=f"J001-{code}·{year}-{retention_code(years)}-SCB-{item:04d}",
                    item_number=item,
                    title=make_title(rng),
                    category=categories[code],
                    year=year,
                    document_date=datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)),
                    responsible_party=rng.choice(["市场部", *DEPARTMENTS]),
                    document_number=f"市场〔{year}〕{rng.randint(1, 200)}号",
                    security_level=rng.choice(levels),
                    retention_years=years,
                    status=RecordStatus.FILED,
                    department=marketing,
                    keywords=rng.choice(TOPICS),
                )
            )
        with transaction.atomic():
            created = Record.objects.bulk_create(rows)
            contracts = [
                Contract(record=r, contract_type=ContractType.AGENT_AGREEMENT,
                         contract_number=f"SCB-HT-{r.year}-{r.pk:07d}",
                         counterparty_name=f"{rng.choice(CITIES)}{rng.choice(COMPANIES)}{rng.choice(SUFFIXES)}")
                for r in created if r.category.code.startswith("HT")
            ]
            Contract.objects.bulk_create(contracts)
            links = [Client.records.through(client_id=rng.choice(clients).pk, record_id=r.pk)
                     for r in created if r.category.code.startswith("KH")]
            Client.records.through.objects.bulk_create(links)
            attachments = [
                Attachment(record=r, file=f"bench/{r.pk}", original_name=f"{r.pk}.pdf", size=1,
                           content_type="application/pdf", sha256=f"{r.pk:064d}", uploaded_by=staff,
                           extracted_text=(r.title + "。本文件约定双方权利义务，" + rng.choice(TOPICS)) * 5)
                for r in created if rng.random() < 0.01
            ]
            Attachment.objects.bulk_create(attachments)
        done = start + len(rows)
        print(f"  generated {done:,} of {count:,} records ({time.monotonic() - started:.0f} s)", flush=True)
    return staff


def build_index(from_scratch=False):
    from records.search import rebuild_index

    started = time.monotonic()

    def progress(done, total):
        if done % 100_000 < 2000 or done == total:
            print(f"  indexed {done:,} of {total:,} ({time.monotonic() - started:.0f} s, "
                  f"peak RSS {peak_rss_mb():.0f} MB)", flush=True)

    rebuild_index(progress=progress, from_scratch=from_scratch)
    return time.monotonic() - started


def index_size_mb():
    """(the search tables and indexes, the whole database) in MB."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE 'records_search%%'")
            index = cursor.fetchone()[0]
            cursor.execute("SELECT page_count * page_size FROM pragma_page_count, pragma_page_size")
        else:
            cursor.execute("SELECT pg_total_relation_size('records_searchentry')")
            index = cursor.fetchone()[0]
            cursor.execute("SELECT pg_database_size(current_database())")
        return index / 1e6, cursor.fetchone()[0] / 1e6


def rebuild_repeatedly(times):
    """Rebuild `times` times; before each, every record's notes change
    without the index knowing (a plain update), so each rebuild rewrites
    every entry. The notes end as they started (empty) after an even count."""
    from records.models import Record
    from records.search import rebuild_index

    sizes, seconds = [index_size_mb()], []
    print(f"  before: index {sizes[0][0]:.1f} MB, database {sizes[0][1]:.1f} MB", flush=True)
    for number in range(1, times + 1):
        Record.objects.update(notes="索引重建" if number % 2 else "")
        started = time.monotonic()
        rebuild_index()
        seconds.append(time.monotonic() - started)
        sizes.append(index_size_mb())
        print(f"  rebuild {number}: {seconds[-1]:.1f} s, index {sizes[-1][0]:.1f} MB, "
              f"database {sizes[-1][1]:.1f} MB", flush=True)
    return sizes, seconds


def ours(user, text, filters):
    from records.paging import CappedPaginator
    from records.search import Filters, search_records

    page = CappedPaginator(search_records(user, text, Filters(**filters)), 20).get_page(1)
    return page.paginator.count, list(page.object_list)


def baseline(user, text, filters):
    from django.db.models import Q

    from records.models import Category
    from records.paging import CappedPaginator
    from records.selectors import visible_records

    fields = ["title", "archive_number", "document_number", "responsible_party", "keywords", "notes",
              "clients__name", "contract__contract_number", "contract__counterparty_name",
              "attachments__extracted_text"]
    records = visible_records(user)
    for term in text.split():
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__icontains": term})
        records = records.filter(condition)
    if filters.get("category_code"):
        records = records.filter(category_id__in=Category.objects.get(code=filters["category_code"]).descendant_ids())
    if filters.get("year"):
        records = records.filter(year=filters["year"])
    records = records.distinct().order_by("-pk").select_related("category", "location")
    # Counted like the search page counts (records.paging), so both sides do the same work.
    page = CappedPaginator(records, 20).get_page(1)
    return page.paginator.count, list(page.object_list)


def measure(function, user, repeat):
    rows = []
    for name, text, filters in QUERIES:
        timings, count = [], None
        for _ in range(repeat):
            started = time.perf_counter()
            count, _page = function(user, text, filters)
            timings.append((time.perf_counter() - started) * 1000)
        rows.append((name, text, count, timings))
    return rows


def report(title, rows):
    print(f"\n{title}")
    print(f"  {'query':16} {'text':14} {'matches':>9} {'p50 ms':>9} {'p95 ms':>9}")
    for name, text, count, timings in rows:
        print(f"  {name:16} {text:14} {count:>9,} {statistics.median(timings):>9.1f} {percentile(timings, 0.95):>9.1f}")
    every = [t for *_rest, timings in rows for t in timings]
    return percentile(every, 0.95)


def compare_counts(ours_rows, base_rows):
    """Each query's count through the index beside the icontains count: a
    part typed without spaces matches only where it stands as typed, so
    they agree (records.search.tokens). True when every query agrees."""
    print("\ncounts (index against icontains)")
    equal = True
    for (name, text, count, _timings), (_name, _text, base_count, _base) in zip(ours_rows, base_rows):
        same = count == base_count
        equal &= same
        print(f"  count query={name.replace(' ', '_')} text={text.replace(' ', '_')} index={count} "
              f"icontains={base_count} counts_equal={'yes' if same else 'no'}")
    return equal


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7, help="runs of each query (ours)")
    parser.add_argument("--baseline-repeat", type=int, default=3, help="runs of each query (baseline)")
    parser.add_argument("--database-url", help="PostgreSQL URL; default: SQLite under benchmarks/out/")
    parser.add_argument("--fresh", action="store_true", help="drop the generated SQLite database first")
    parser.add_argument("--rebuilds", type=int, default=0, help="then rebuild the index this many times")
    parser.add_argument("--generate-only", action="store_true", help="generate the records, build no index, stop")
    parser.add_argument("--reindex", action="store_true",
                        help="rebuild the index from scratch first (after a change of how text becomes tokens)")
    args = parser.parse_args()

    name = f"search-{args.records}"
    if args.fresh and not args.database_url:
        shutil.rmtree(OUT / name, ignore_errors=True)
    start_django(args.database_url, name)
    from django.db import connection

    from accounts.models import User
    from records.models import Record

    existing = Record.objects.count()
    if existing and existing != args.records:
        sys.exit(f"The database holds {existing:,} records, not {args.records:,}; use --fresh or another --records.")
    if not existing:
        print(f"Generating {args.records:,} records on {connection.vendor}…", flush=True)
        generate(args.records)
        if args.generate_only:
            return
        seconds = build_index()
        print(f"Index built in {seconds:.0f} s ({args.records / seconds:,.0f} records/s), "
              f"peak RSS {peak_rss_mb():.0f} MB", flush=True)
    if args.reindex:
        seconds = build_index(from_scratch=True)
        print(f"Index rebuilt from scratch in {seconds:.0f} s, peak RSS {peak_rss_mb():.0f} MB", flush=True)
    user = User.objects.get(username="bench-staff")
    # One warm-up pass so both sides start with the same cache.
    measure(ours, user, 1)
    ours_rows = measure(ours, user, args.repeat)
    ours_p95 = report("ours (full-text index)", ours_rows)
    base_rows = measure(baseline, user, args.baseline_repeat)
    base_p95 = report("baseline (icontains)", base_rows)
    equal = compare_counts(ours_rows, base_rows)
    print(f"\npeak RSS {peak_rss_mb():.0f} MB")
    print(f"search p95_ms={ours_p95:.1f} baseline_p95_ms={base_p95:.1f} "
          f"speedup={base_p95 / ours_p95:.1f} records={args.records} backend={connection.vendor} "
          f"counts_equal={'yes' if equal else 'no'}")
    if args.rebuilds:
        print(f"\nRebuilding the index {args.rebuilds} times…", flush=True)
        sizes, seconds = rebuild_repeatedly(args.rebuilds)
        rebuilt_p95 = report("ours after the rebuilds", measure(ours, user, args.repeat))
        print(f"search_index rebuilds={args.rebuilds} index_mb={sizes[0][0]:.1f}->{sizes[-1][0]:.1f} "
              f"database_mb={sizes[0][1]:.1f}->{sizes[-1][1]:.1f} rebuild_s={statistics.median(seconds):.1f} "
              f"p95_ms={ours_p95:.1f}->{rebuilt_p95:.1f} records={args.records} backend={connection.vendor}")


if __name__ == "__main__":
    main()
