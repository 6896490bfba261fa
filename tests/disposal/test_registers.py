"""The disposal registers (R-DISP-1..3): the appraisal and disposal report,
the destruction list and certificate, the weeding list, the destruction
register and the holds register, as real PDFs (WeasyPrint, read back with
pypdf) and real workbooks (openpyxl), in Chinese. Who may print them and
the background jobs: test_registers_access.py; query counts:
test_register_queries.py. Test data: tests/disposal/registers_support.py
(built with the models directly, with fixed moments), and one list
executed through disposal.services at the end."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from disposal import services
from disposal.models import ItemAction, ListState, Witness
from disposal.registers import (
    appraisal_report,
    destruction_certificate,
    destruction_register,
    holds_register,
    weeding_list,
)
from records.models import AccessAction, AccessLog, Hold, Record, SecurityLevel
from records.printing import Column, Summary, TableRegister
from tests.conftest import make_user
from tests.disposal.registers_support import (  # noqa: F401 (fixtures)
    EXECUTED,
    HEAD_SIGNED,
    LEADER_SIGNED,
    cells,
    due,
    executed,
    executed_list,
    flat,
    make_list,
    on_list,
    pdf_pages,
    pdf_text,
    people,
    report_list,
    sheet_rows,
    signed,
    two_destructions,
    weeding,
)
from tests.disposal import support
from tests.factories import category

pytestmark = pytest.mark.django_db


# -- 档案鉴定销毁报告 -----------------------------------------------------------------------


def test_r_disp_2_report_counts_per_class_and_retention_then_lists_the_items(report_list, archivist, due):
    pdf = appraisal_report(archivist, report_list).to_pdf()
    text = pdf_text(pdf)

    assert text.startswith("档案鉴定销毁报告清册编号XH-2026-0001·鉴定年度2024")
    # The counts come first: per class and retention, per proposal, then the total row.
    counts = text[text.index("按类目和保管期限统计"):text.index("序号档号题名")]
    assert counts.startswith("按类目和保管期限统计类目保管期限销毁延长保管")
    assert "HTDL代理商协议10年11002KHDL代理商30年10001合计21003" in counts
    for name in ("agency", "outdoor", "client"):
        assert due[name].archive_number in text and flat(due[name].title) in text
    # The item columns, the proposal with its reason, the item's opinion, location and copies.
    assert "序号档号题名年度保管期限期满日期载体份数存放位置处置建议鉴定意见" in text
    assert "华东区代理商协议200010年2010-12-31纸质2DR1一号库房销毁合同已履行完毕" in text
    assert "延长保管5年（尚在质保期）" in text
    # Struck off: not reported, but counted.
    assert due["struck"].archive_number not in text
    assert "共3件（销毁2件、延长保管1件）·另有撤出1件，未列入本报告" in text
    assert "鉴定意见：经鉴定，下列档案已失去保存价值，拟予销毁。" in text


def test_r_disp_2_report_says_who_signed_in_local_time_and_has_the_signature_lines(
    report_list, archivist, department_head, leadership
):
    text = pdf_text(appraisal_report(archivist, report_list).to_pdf())
    head, leader = flat(department_head.display_name), flat(leadership.display_name)
    # 06:30 UTC is 14:30 in Asia/Shanghai, written the Chinese way.
    assert f"部门负责人：{head}于2026年3月2日14:30批准" in text
    assert f"高层领导：{leader}于2026年3月4日09:05批准" in text
    for line in (f"编制人（{flat(archivist.display_name)}）：", f"部门负责人（{head}）：", f"高层领导（{leader}）："):
        assert line + "________________" in text
    assert text.endswith("第1页共1页")
    assert "UTC" not in text and "06:30" not in text


def test_r_disp_2_a_report_before_leadership_signs_says_so(archivist, department_head, due):
    disposal_list = make_list(archivist, "XH-2026-0009", state=ListState.HEAD_APPROVED, **signed(department_head))
    on_list(disposal_list, due["agency"])
    text = pdf_text(appraisal_report(archivist, disposal_list).to_pdf())
    assert "高层领导：尚未批准" in text and "鉴定意见：无" in text
    assert "高层领导：________________" in text


def test_r_disp_2_report_in_excel_has_the_items_then_the_counts_and_totals(report_list, archivist, due):
    rows = sheet_rows(appraisal_report(archivist, report_list).to_xlsx())

    assert rows[0][0] == "档案鉴定销毁报告"
    assert rows[2] == ("序号", "档号", "题名", "年度", "保管期限", "期满日期", "载体", "份数", "存放位置", "处置建议", "鉴定意见")
    assert [row[:2] for row in rows[3:6]] == [
        (1, due["agency"].archive_number), (2, due["outdoor"].archive_number), (3, due["client"].archive_number)
    ]
    assert rows[3][5] == datetime.datetime(2010, 12, 31) and rows[3][8] == "DR1 一号库房"
    start = rows.index(("按类目和保管期限统计",) + (None,) * 10)
    assert [row[:7] for row in rows[start + 1:start + 5]] == [
        ("类目", "保管期限", "销毁", "延长保管", "改为永久", "移交", "件数"),
        ("HTDL 代理商协议", "10年", 1, 1, 0, 0, 2),
        ("KHDL 代理商", "30年", 1, 0, 0, 0, 1),
        ("合计", None, 2, 1, 0, 0, 3),
    ]
    assert "共 3 件（销毁 2 件、延长保管 1 件） · 另有撤出 1 件，未列入本报告" in cells(rows)
    assert rows[-1][:3] == ("编制人（%s）：________________" % report_list.drafted_by.display_name,
                            "部门负责人（%s）：________________" % report_list.head_approved_by.display_name,
                            "高层领导（%s）：________________" % report_list.leadership_approved_by.display_name)



# -- 档案销毁清册 / 销毁证明 --------------------------------------------------------------


def test_r_disp_3_certificate_names_date_place_method_executor_and_witnesses_with_their_times(
    executed_list, archivist, department_head, leadership, people, due
):
    text = pdf_text(destruction_certificate(archivist, executed_list).to_pdf())
    names = {user: flat(user.display_name) for user in (archivist, department_head, leadership, *people)}

    assert text.startswith("档案销毁清册（销毁证明）清册编号XH-2026-0002·鉴定年度2024销毁情况")
    assert "销毁日期2026年3月5日销毁地点档案室碎纸间销毁方式粉碎" in text
    assert f"执行人{names[archivist]}" in text
    # Each witness with the moment they confirmed, local time (07:00 UTC is 15:00).
    assert f"监销人{names[people[0]]}，于2026年3月5日15:00确认" in text
    assert f"监销人{names[people[1]]}，于2026年3月5日15:20确认" in text
    assert f"部门负责人{names[department_head]}，于2026年3月2日14:30批准" in text
    assert f"高层领导{names[leadership]}，于2026年3月4日09:05批准" in text
    for name in ("agency", "client"):
        assert due[name].archive_number in text and flat(due[name].title) in text
    assert due["outdoor"].archive_number not in text
    assert "上列2件档案已于2026年3月5日在档案室碎纸间以粉碎方式全部销毁，特此证明。" in text
    for role, user in (("执行人", archivist), ("监销人", people[0]), ("监销人", people[1]),
                       ("部门负责人", department_head), ("高层领导", leadership)):
        assert f"{role}（{names[user]}）：________________" in text
    assert text.endswith("第1页共1页")


def test_r_disp_3_certificate_leaves_out_items_struck_off_or_not_destroyed_and_replaced_witnesses(
    archivist, department_head, leadership, due, people
):
    disposal_list = executed(archivist, department_head, leadership, "XH-2026-0004", [due["agency"]],
                             witnesses=people)
    on_list(disposal_list, due["outdoor"], ItemAction.TRANSFER, receiving_body="集团档案馆", carried_out_at=EXECUTED)
    on_list(disposal_list, due["struck"], struck_off=True, struck_reason="仍有纠纷")
    replaced = make_user(Role.STAFF, "replaced_witness")
    Witness.objects.create(destruction=disposal_list.destruction, user=replaced, replaced_at=HEAD_SIGNED)

    rows = sheet_rows(destruction_certificate(archivist, disposal_list).to_xlsx())
    listed = [row[1] for row in rows if isinstance(row[0], int)]
    assert listed == [due["agency"].archive_number]
    assert not any(replaced.display_name in value for value in cells(rows))
    assert "上列 1 件档案已于 2026年3月5日 在档案室碎纸间以粉碎方式全部销毁，特此证明。" in cells(rows)


# -- 剔除清册 --------------------------------------------------------------------------


def test_r_disp_1_weeding_list_has_reasons_decisions_and_the_heads_approval(weeding, archivist, department_head):
    disposal_list, kept, struck = weeding
    text = pdf_text(weeding_list(archivist, disposal_list).to_pdf())
    head = flat(department_head.display_name)

    assert text.startswith(f"剔除清册清册编号XH-2026-0003·编制人{flat(archivist.display_name)}")
    assert "剔除理由审批结果" in text
    assert "重复件，无保存价值已剔除" in text
    assert "草稿撤出：有领导签字，需保留" in text
    assert "共2件·剔除1件·撤出1件" in text
    assert f"部门负责人：{head}于2026年3月2日14:30批准" in text
    assert f"部门负责人（{head}）：________________" in text
    assert kept.archive_number in text and struck.archive_number in text


# -- 销毁登记簿 ------------------------------------------------------------------------


def test_r_disp_3_destruction_register_lists_everything_destroyed_across_lists(
    two_destructions, archivist, due
):
    text = pdf_text(destruction_register(archivist).to_pdf())
    assert text.startswith("档案销毁登记簿全部已销毁档案序号档号题名类目年度销毁日期清册编号销毁方式")
    # Oldest destruction first, each with its list and method.
    assert text.index(due["client"].archive_number) < text.index(due["agency"].archive_number)
    assert "老客户资料汇编KHDL代理商19902025-12-20XH-2025-0007安全删除" in text
    assert "华东区代理商协议HTDL代理商协议20002026-03-05XH-2026-0002粉碎" in text
    assert flat(two_destructions.title) in text
    assert due["outdoor"].archive_number not in text  # never destroyed
    assert "共销毁3件" in text and "登记人：________________审核人：________________" in text


@pytest.mark.parametrize(
    "selection, expected, subtitle",
    [
        ({"year": 2000}, ["agency"], "年度：2000"),
        ({"category": "HT"}, ["agency", "later"], "类目：HT合同（含下位类）"),
        ({"destroyed_year": 2025}, ["client"], "2025年销毁"),
        ({"text": "广告投放"}, ["later"], "含“广告投放”"),
        ({"text": "KHDL"}, ["client"], "含“KHDL”"),
        ({"year": 2000, "destroyed_year": 2025}, [], "年度：2000；2025年销毁"),
    ],
)
def test_r_disp_3_destruction_register_is_searchable(two_destructions, archivist, due, selection, expected, subtitle):
    records = {**due, "later": two_destructions}
    if "category" in selection:
        selection = {**selection, "category": category(selection["category"])}
    rows = sheet_rows(destruction_register(archivist, **selection).to_xlsx())
    assert [row[1] for row in rows[3:] if isinstance(row[0], int)] == [records[name].archive_number for name in expected]
    assert flat(rows[1][0]) == flat(subtitle)
    assert f"共销毁 {len(expected)} 件" in cells(rows)


def test_r_lend_4_destruction_register_lists_only_what_its_reader_may_see(two_destructions, staff, archivist, due):
    Record.objects.filter(pk=due["agency"].pk).update(security_level=SecurityLevel.CONFIDENTIAL)
    with_staff = cells(sheet_rows(destruction_register(staff).to_xlsx()))
    assert due["agency"].archive_number not in with_staff and due["client"].archive_number in with_staff
    assert "共销毁 2 件" in with_staff
    assert due["agency"].archive_number in cells(sheet_rows(destruction_register(archivist).to_xlsx()))


def test_r_access_printing_a_register_logs_each_confidential_record(client, two_destructions, archivist, due):
    Record.objects.filter(pk=due["agency"].pk).update(security_level=SecurityLevel.CONFIDENTIAL)
    client.force_login(archivist)
    response = client.get(reverse("disposal_destroyed_register"), {"format": "xlsx"})
    assert response.status_code == 200
    [log] = AccessLog.objects.filter(action=AccessAction.PRINTED)
    assert log.record_id == due["agency"].pk and log.user == archivist and "XLSX" in log.where


# -- 冻结登记簿 ------------------------------------------------------------------------


@pytest.fixture
def holds(department_head, leadership, due):
    today = timezone.localdate()
    return {
        "in force": Hold.objects.create(record=due["outdoor"], reason="合同纠纷", placed_by=department_head,
                                        placed_at=HEAD_SIGNED, scope="HT·2000",
                                        ends_on=today + datetime.timedelta(days=30)),
        "released": Hold.objects.create(record=due["struck"], reason="审计", placed_by=leadership,
                                        placed_at=HEAD_SIGNED, released_by=department_head,
                                        released_at=LEADER_SIGNED, release_reason="审计结束"),
        "ended": Hold.objects.create(record=due["agency"], reason="诉讼", placed_by=leadership,
                                     placed_at=HEAD_SIGNED, ends_on=today - datetime.timedelta(days=1)),
    }


def test_holds_register_shows_the_holds_in_force_by_default(holds, archivist, due):
    rows = sheet_rows(holds_register(archivist).to_xlsx())
    assert rows[1][0].startswith("截至 ") and rows[1][0].endswith(" 生效中的冻结")
    assert rows[2] == ("序号", "档号", "题名", "冻结范围", "原因", "冻结人", "冻结时间", "截止日期", "状态",
                       "解除人", "解除时间", "解除原因")
    [row] = [row for row in rows if isinstance(row[0], int)]
    assert row[1:6] == (due["outdoor"].archive_number, due["outdoor"].title, "HT·2000", "合同纠纷",
                        holds["in force"].placed_by.display_name)
    # Local wall-clock time in the workbook too.
    assert row[6] == datetime.datetime(2026, 3, 2, 14, 30) and row[8] == "生效中"
    assert "共 1 条 · 生效中 1 条 · 已解除 0 条 · 已到期 0 条" in cells(rows)


def test_holds_register_of_all_holds_says_who_released_when_and_why(holds, archivist, department_head, due):
    text = pdf_text(holds_register(archivist, show="all").to_pdf())
    assert text.startswith("档案冻结登记簿截至")
    released = (f"{due['struck'].archive_number}仍有纠纷的协议审计{flat(holds['released'].placed_by.display_name)}"
                f"2026-03-0214:30已解除{flat(department_head.display_name)}2026-03-0409:05审计结束")
    assert released in text
    ended_on = timezone.localdate() - datetime.timedelta(days=1)
    assert f"已于{ended_on.year}年{ended_on.month}月{ended_on.day}日到期" in text
    assert "共3条·生效中1条·已解除1条·已到期1条" in text
    assert "登记人：________________审核人：________________" in text


# -- the printing package's summaries ------------------------------------------------


def test_a_summary_prints_once_before_the_rows_and_after_them_in_excel():
    register = TableRegister(
        title="汇总测试", columns=[Column("值", "value")], rows=[type("Row", (), {"value": f"第{n}行"}) for n in range(80)],
        summaries=[Summary(heading="小计表", labels=["类", "数"], rows=[["甲", 3], ["乙", 4]])], row_count=80,
    )
    pages = pdf_pages(register.to_pdf())
    assert len(pages) >= 2
    assert flat(pages[0]).startswith("汇总测试小计表类数甲3乙4序号值1第0行")
    assert all("小计表" not in page for page in pages[1:])
    assert all(flat(page).endswith(f"第{number}页共{len(pages)}页") for number, page in enumerate(pages, start=1))
    rows = sheet_rows(register.to_xlsx())
    assert rows[2] == ("序号", "值") and rows[3] == (1, "第0行")
    start = rows.index(("小计表", None))
    assert start > rows.index((80, "第79行"))
    assert rows[start:start + 4] == [("小计表", None), ("类", "数"), ("甲", 3), ("乙", 4)]


def test_a_long_destruction_register_repeats_its_header_and_numbers_every_page(
    archivist, department_head, leadership, people, filed_record
):
    records = [filed_record(title=f"到期合同第{n}号", year=2000, retention_years=10) for n in range(70)]
    executed(archivist, department_head, leadership, "XH-2026-0005", records, witnesses=people)
    pages = pdf_pages(destruction_register(archivist).to_pdf())
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert "档号题名类目年度销毁日期清册编号销毁方式" in flat(page), f"page {number} has no header"
        assert flat(page).endswith(f"第{number}页共{len(pages)}页")
    assert "共销毁70件" in flat(pages[-1])


# -- through the services ------------------------------------------------------------


def test_r_disp_3_a_list_executed_through_the_services_prints_its_certificate_and_joins_the_register(
    archivist, department_head, leadership, filed_record
):
    records = [support.due_record(filed_record, title=title) for title in ("到期的投放合同", "到期的代理协议")]
    disposal_list = support.approved(archivist, department_head, leadership, records)
    people = support.witnesses()
    support.confirmed(disposal_list, archivist, people)
    services.list_execute(disposal_list=disposal_list, by=archivist)

    text = pdf_text(destruction_certificate(archivist, support.fresh(disposal_list)).to_pdf())
    for record in records:
        assert record.archive_number in text
    for person in people:
        assert f"监销人{flat(person.display_name)}，于" in text
    assert "上列2件档案已于" in text
    register = cells(sheet_rows(destruction_register(archivist).to_xlsx()))
    assert {record.archive_number for record in records} <= set(register)
    assert disposal_list.number in register
