"""Text recognition benchmark (issue 17): scanned Chinese pages OCRed
through the upload and background-job code path, then looked for.

Generates --pages scanned-looking pages (Chinese lines rendered with the
shipped font into 300-dpi PNGs, every third one wrapped in a PDF with no
text layer, as a scanner's PDF is), files each as the electronic file of
its own record through records.attachments.add_attachment (which marks
it waiting and queues the job), runs every queued OCR job as the worker
does (jobs.runner.execute_job: the real ocrmypdf and tesseract), then
searches (records.search.search_records) for every word printed on each
page: a word is found when its page's record is among the hits.

    .venv/bin/python benchmarks/ocr.py
    .venv/bin/python benchmarks/ocr.py --pages 3     # a quick look

The database (benchmarks/out/ocr/) is made afresh each run.
Last line: ocr pages=… seconds=… words_found=… words_total=…
where seconds is the time of the OCR jobs alone.
"""
import argparse
import io
import random
import shutil
import sys
import time

from _setup import OUT, peak_rss_mb, start_django

NAME = "ocr"
# Two-character words of a marketing department's papers; each page prints
# six of them in sentences, so search has to find them inside running text.
WORDS = [
    "市场", "推广", "品牌", "预算", "审批", "合同", "广告", "渠道", "客户", "活动", "展会", "报价",
    "采购", "发票", "结算", "调研", "策划", "媒体", "赞助", "培训", "年度", "季度", "总结", "方案",
    "会议", "纪要", "通知", "批复", "请示", "报告", "协议", "样品", "宣传", "门店", "促销", "代理",
]


def page_words(rng):
    return rng.sample(WORDS, 6)


def scanned_page(words, number, *, as_pdf):
    from django.conf import settings
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(settings.PDF_FONT_PATH), 44)
    lines = [
        f"第{number}号文件：关于{words[0]}{words[1]}工作的{words[2]}",
        f"请各部门按照{words[3]}要求落实{words[4]}事项。",
        f"联系人负责{words[5]}资料的整理与归档。",
    ]
    image = Image.new("L", (1654, 700), 255)  # 14 cm wide at 300 dpi
    draw = ImageDraw.Draw(image)
    for row, line in enumerate(lines):
        draw.text((120, 120 + 150 * row), line, font=font, fill=0)
    out = io.BytesIO()
    if as_pdf:
        image.save(out, format="PDF", resolution=300)
    else:
        image.save(out, format="PNG", dpi=(300, 300))
    return out.getvalue()


def archivist_and_category():
    from accounts.models import Department, User
    from accounts.roles import Role, assign_role
    from records.models import Category

    marketing, _ = Department.objects.get_or_create(code="SCB", defaults={"name": "市场部", "owns_archive": True})
    user, _ = User.objects.get_or_create(
        username="bench-ocr-archivist", defaults={"full_name": "档案员", "department": marketing}
    )
    assign_role(user, Role.ARCHIVIST)
    category = Category.objects.filter(parent__isnull=False).first() or Category.objects.first()
    return User.objects.get(pk=user.pk), marketing, category


def file_pages(pages, rng):
    """One filed record a page, its scan uploaded through the service."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from records.attachments import add_attachment
    from records.models import Record, RecordStatus

    archivist, marketing, category = archivist_and_category()
    plan = []
    for number in range(1, pages + 1):
        words = page_words(rng)
        as_pdf = number % 3 == 0
        record = Record.objects.create(
            archive_number=f"J001-OCR·2026-D10-SCB-{number:04d}", item_number=number,
            title=f"扫描件 {number}", category=category, year=2026, security_level="internal",
            retention_years=10, status=RecordStatus.FILED, department=marketing, responsible_party="市场部",
        )
        name = f"scan-{number:02d}.{'pdf' if as_pdf else 'png'}"
        content = scanned_page(words, number, as_pdf=as_pdf)
        add_attachment(record=record, uploaded_file=SimpleUploadedFile(name, content), by=archivist)
        plan.append((record.pk, words))
    return archivist, plan


def run_ocr_jobs():
    from jobs.models import Job
    from jobs.runner import execute_job
    from records.ocr import OCR_JOB

    started = time.monotonic()
    for job in Job.objects.filter(kind=OCR_JOB).order_by("pk"):
        execute_job(str(job.pk))
    return time.monotonic() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--seed", type=int, default=17)
    options = parser.parse_args()
    shutil.rmtree(OUT / NAME, ignore_errors=True)
    start_django(name=NAME)
    from records.models import Attachment, OcrState
    from records.search import search_records

    rng = random.Random(options.seed)
    archivist, plan = file_pages(options.pages, rng)
    waiting = Attachment.objects.filter(ocr_state=OcrState.WAITING).count()
    print(f"  {len(plan)} pages uploaded, {waiting} waiting for recognition")
    seconds = run_ocr_jobs()
    states = {state: Attachment.objects.filter(ocr_state=state).count() for state in OcrState.values}
    print(f"  OCR jobs: {seconds:.1f} s, {seconds / max(1, len(plan)):.2f} s a page; states {states}")
    found = total = 0
    for record_pk, words in plan:
        for word in words:
            total += 1
            hits = {record.pk for record in search_records(archivist, word)[:200]}
            if record_pk in hits:
                found += 1
            else:
                print(f"  not found: {word} (record {record_pk})")
    print(f"  peak_rss_mb={peak_rss_mb():.0f} (this process; ocrmypdf runs in its own)")
    print(f"ocr pages={len(plan)} seconds={seconds:.1f} words_found={found} words_total={total}")
    return 0 if found == total else 1


if __name__ == "__main__":
    sys.exit(main())
