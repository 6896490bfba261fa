"""Electronic files of demo records, for `manage.py seed_demo` (after
records.demo): a few PDFs with Chinese text and PNG images, so a newcomer
sees downloads and the file checks (verify_files, backup_archive) have
something to check.

Each file is made from its record's own description: the same bytes on
every machine. They go in through records.attachments.add_attachment, as an
upload by the archivist does: content type check, SHA-256, text read for
search. Only records held electronically (medium electronic or both) get one.
"""
import io
import random
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape
from django.utils.translation import gettext as _

from accounts.demo import DEMO_USERNAMES
from core.history import acting_as
from records.attachments import add_attachment
from records.models import Attachment, Medium, Record, RecordStatus, SecurityLevel
from records.printing import font_url

PDF, PNG = "pdf", "png"


@dataclass(frozen=True)
class DemoFile:
    category_code: str
    kind: str
    count: int
    confidential: bool = False


DEMO_FILES = (
    DemoFile("NBTJ", PDF, 2),  # monthly reports and statistics
    DemoFile("XCMB", PDF, 1),  # test report templates
    DemoFile("NBHY", PDF, 1, confidential=True),  # pricing minutes: downloads are logged (R-ACCESS)
    DemoFile("XCZL", PNG, 2),  # posters and leaflets
    DemoFile("XCYX", PNG, 2),  # event photographs
)
REGIONS = ("华中区", "华东区", "华南区", "西南区", "华北区", "西北区")
# Background and accent of the images, picked by the record's number.
PALETTE = (((232, 240, 250), (28, 78, 140)), ((250, 240, 226), (160, 82, 20)), ((234, 246, 236), (30, 110, 60)))
IMAGE_SIZE = (800, 500)
# The file's own words, whatever language the person seeding reads.
LEVEL_WORDS = {SecurityLevel.PUBLIC: "公开", SecurityLevel.INTERNAL: "内部", SecurityLevel.CONFIDENTIAL: "机密"}


def is_seeded():
    return Attachment.objects.filter(uploaded_by__username__in=DEMO_USERNAMES).exists()


def demo_records(demo_file):
    """The filed demo records of one category that are held electronically,
    by archive number."""
    level = SecurityLevel.CONFIDENTIAL if demo_file.confidential else SecurityLevel.INTERNAL
    records = Record.objects.filter(
        category__code=demo_file.category_code,
        status=RecordStatus.FILED,
        medium__in=[Medium.ELECTRONIC, Medium.BOTH],
        submitted_by__username__in=DEMO_USERNAMES,
    ).select_related("category")
    preferred = list(records.filter(security_level=level).order_by("archive_number")[: demo_file.count])
    others = records.exclude(pk__in=[record.pk for record in preferred]).order_by("archive_number")
    return preferred + list(others[: demo_file.count - len(preferred)])


def seed_attachments(people, log=print):
    """Attach the demo files; returns the attachments made."""
    if is_seeded():
        log(_("Electronic files: demo files exist, skipped."))
        return []
    made = []
    with acting_as(people.archivist):
        for demo_file in DEMO_FILES:
            for record in demo_records(demo_file):
                name, content = demo_pdf(record) if demo_file.kind == PDF else demo_png(record)
                upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
                made.append(add_attachment(record=record, uploaded_file=upload, by=people.archivist).attachment)
    pdfs = sum(attachment.original_name.endswith(".pdf") for attachment in made)
    log(_("Electronic files: %(pdfs)d PDFs and %(images)d images attached to %(records)d records.")
        % {"pdfs": pdfs, "images": len(made) - pdfs, "records": len({attachment.record_id for attachment in made})})
    return made


def _rng(record):
    """Numbers in a file depend on its record only."""
    return random.Random(f"demo-file:{record.archive_number}")


def _file_stem(record):
    return record.title.replace("/", "-").strip("《》")


def demo_pdf(record):
    """(file name, bytes) of a one-page PDF describing `record`, in the
    shipped CJK font."""
    from weasyprint import HTML  # slow to import; only seeding needs it

    rng = _rng(record)
    rows = "".join(
        f"<tr><td>{region}</td><td>{rng.randint(80, 900)} 万元</td><td>{rng.randint(-12, 25)}%</td></tr>"
        for region in REGIONS
    )
    html = f"""<html lang="zh-Hans"><head><style>
      @font-face {{ font-family: cjk; src: url('{font_url()}'); }}
      @page {{ size: A4; margin: 2cm; }}
      body {{ font-family: cjk; font-size: 11pt; }}
      h1 {{ font-size: 16pt; text-align: center; }}
      table {{ border-collapse: collapse; width: 100%; }} td, th {{ border: 1px solid #555; padding: 4pt; }}
      .note {{ color: #666; font-size: 9pt; margin-top: 2em; }}
    </style></head><body>
      <h1>{escape(record.title)}</h1>
      <p>档号：{escape(record.archive_number)}</p>
      <p>文号：{escape(record.document_number or "无")}　日期：{record.document_date:%Y年%m月%d日}</p>
      <p>责任者：{escape(record.responsible_party)}　密级：{LEVEL_WORDS[record.security_level]}</p>
      <p>本文件记录{escape(record.category.name)}的主要内容，供查阅和利用。</p>
      <table><tr><th>区域</th><th>金额</th><th>同比</th></tr>{rows}</table>
      <p class="note">本文件为演示数据，由系统自动生成。</p>
    </body></html>"""
    return f"{_file_stem(record)}.pdf", HTML(string=html).write_pdf()


def demo_png(record):
    """(file name, bytes) of a poster-like image: the record's title and
    archive number on a coloured card."""
    from PIL import Image, ImageDraw, ImageFont  # installed with WeasyPrint

    background, accent = PALETTE[(record.item_number or 0) % len(PALETTE)]
    image = Image.new("RGB", IMAGE_SIZE, background)
    draw = ImageDraw.Draw(image)
    font_path = str(settings.PDF_FONT_PATH)
    title_font, small_font = ImageFont.truetype(font_path, 40), ImageFont.truetype(font_path, 24)
    draw.rectangle((0, 0, IMAGE_SIZE[0], 90), fill=accent)
    draw.text((40, 26), f"市场部 · {record.category.name}", font=small_font, fill=(255, 255, 255))
    for line_number, start in enumerate(range(0, len(record.title), 16)):
        draw.text((40, 140 + 56 * line_number), record.title[start:start + 16], font=title_font, fill=accent)
    rng = _rng(record)
    for index in range(6):
        left = 40 + index * 120
        draw.rectangle((left, 420 - rng.randint(20, 110), left + 80, 420), fill=accent)
    draw.text((40, 440), f"档号 {record.archive_number}", font=small_font, fill=(60, 60, 60))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return f"{_file_stem(record)}.png", buffer.getvalue()
