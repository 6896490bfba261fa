"""The file plan seeded at installation: the five classes of R-SCOPE and the
sub-classes the regulation lists, with default retention periods (R-FILE-6).
None means permanent. The department head may change these later."""

# (code, name, scope, default retention years, children)
FILE_PLAN = [
    ("HT", "合同", "contract", 30, [
        ("HTZZ", "公司资质合同（原件）", 30),
        ("HTDL", "代理商协议", 30),
        ("HTHW", "户外广告制作合同（复印件）", 10),
        ("HTQT", "其他合同", 10),
        ("HTPS", "合同评审资料", 30),
    ]),
    ("KH", "客户资料档案", "client", 10, [
        ("KHDL", "代理商", 10),
        ("KHHZ", "合作伙伴", 10),
        ("KHJD", "被鉴定对象", 10),
    ]),
    ("NB", "内部管理档案", "internal", 30, [
        ("NBZD", "管理制度、管理文件及通知", None),
        ("NBTJ", "日、周、月统计表及报表", 10),
        ("NBHY", "会议记录", 30),
    ]),
    ("WL", "内部往来文件", "correspondence", 10, [
        ("WLFW", "发往各部门文件", 10),
        ("WLSW", "各部门来文", 10),
    ]),
    ("XC", "对外宣传资料", "publicity", 10, [
        ("XCCS", "宣传册", 10),
        ("XCZL", "宣传资料", 10),
        ("XCZH", "展会样稿", 10),
        ("XCYX", "宣传活动录像及照片", 30),
        ("XCBZ", "标准、图集、规范", 10),
        ("XCPX", "培训PPT及课件讲稿", 10),
        ("XCMB", "检测报告模板", 10),
        ("XCBA", "渠道备案申请表", 10),
    ]),
]


def seed_file_plan(Category):
    """Create the classes that do not exist yet; never overwrite edits."""
    for order, (code, name, scope, years, children) in enumerate(FILE_PLAN, start=1):
        parent, _ = Category.objects.get_or_create(
            code=code,
            defaults={"name": name, "scope": scope, "default_retention_years": years, "sort_order": order * 10},
        )
        for child_order, (child_code, child_name, child_years) in enumerate(children, start=1):
            Category.objects.get_or_create(
                code=child_code,
                defaults={
                    "name": child_name,
                    "scope": scope,
                    "parent": parent,
                    "default_retention_years": child_years,
                    "sort_order": order * 10 + child_order,
                },
            )
