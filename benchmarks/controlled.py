"""Controlled copies benchmark (issue 14, R-CTRL-2).

Registers a --pages page controlled document (a real PDF laid out by
WeasyPrint with the shipped CJK font, two paragraphs of text a page)
through documents.services.controlled.document_register, then, timed:

    documents.services.distribution.copies_distribute   one copy to each of --copies people   seconds_distribute
    documents.stamping.stamp_copies                      every copy stamped, written to disk    seconds_produce

and reads every copy back with pypdf (PdfReader, extract_text of every
page, in one process per core; not timed): a copy is stamped_ok when it has
the document's page count and every page carries its own controlled
number (受控号) and its holder's name.

    .venv/bin/python benchmarks/controlled.py
    .venv/bin/python benchmarks/controlled.py --copies 20 --pages 10   # a quick look

The database (benchmarks/out/controlled/) is kept and reused: each run
registers a new document and distributes it to the same people. The
stamped copies are left in benchmarks/out/controlled/copies/ to look at.

Last line: controlled copies=… pages=… stamped_ok=… seconds=…
where seconds = seconds_distribute + seconds_produce (targets on a 2-core
machine: stamped_ok equal to copies, seconds < 60). Exits non-zero when a
copy is not stamped_ok.
"""
import argparse
import io
import multiprocessing
import os
import shutil
import sys
import time

from _setup import OUT, start_django

NAME = "controlled"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["小明", "建国", "丽娟", "志强", "海燕", "晓东", "文静", "国庆", "秀英", "子涵"]
PARAGRAPH = (
    "为加强市场部档案管理，规范受控文件的发放、使用、回收和销毁，根据公司档案管理办法，结合本部门实际，"
    "制定本规定。受控文件由起草部门标识受控后，连同审批材料交分发人统一编号发放。"
) * 3


def source_pdf(pages, title):
    """A `pages` page PDF: a heading and two paragraphs of Chinese a page."""
    from django.conf import settings
    from weasyprint import HTML

    body = "".join(
        f'<section style="page-break-before: {"always" if number > 1 else "auto"}">'
        f"<h1>{title} 第{number}页</h1><p>{PARAGRAPH}</p><p>{PARAGRAPH}</p></section>"
        for number in range(1, pages + 1)
    )
    font = settings.PDF_FONT_PATH.resolve().as_uri()
    html = f"<style>@font-face {{ font-family: cjk; src: url('{font}'); }} body {{ font-family: cjk }}</style>{body}"
    return HTML(string=html).write_pdf()


def people(count):
    """The archivist and `count` active people to distribute to (created once)."""
    from accounts.models import Department, User
    from accounts.roles import Role, assign_role

    marketing, _ = Department.objects.get_or_create(code="SCB", defaults={"name": "市场部", "owns_archive": True})
    archivist, created = User.objects.get_or_create(
        username="bench-ctrl-archivist", defaults={"full_name": "档案员", "department": marketing}
    )
    if created:
        assign_role(archivist, Role.ARCHIVIST)
    recipients = []
    for number in range(1, count + 1):
        name = f"{SURNAMES[number % len(SURNAMES)]}{GIVEN[number // len(SURNAMES) % len(GIVEN)]}{number}"
        user, _ = User.objects.get_or_create(
            username=f"bench-ctrl-{number:04d}", defaults={"full_name": name, "department": marketing}
        )
        recipients.append(user)
    return User.objects.get(pk=archivist.pk), marketing, recipients


def register(archivist, marketing, pages):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from documents.services.controlled import document_register

    title = "市场活动管理规定"
    started = time.monotonic()
    source = SimpleUploadedFile(f"{title}.pdf", source_pdf(pages, title), content_type="application/pdf")
    paper = SimpleUploadedFile("审批单.pdf", source_pdf(1, "审批单"), content_type="application/pdf")
    document = document_register(
        by=archivist, title=title, drafting_department=marketing, source=source, approval_papers=[paper]
    )
    print(f"  registered “{document.title}” ({document.page_count} pages) in {time.monotonic() - started:.1f} s "
          "(not timed)", flush=True)
    return document


def distribute(document, archivist, recipients):
    from documents.services.distribution import copies_distribute

    started = time.monotonic()
    copies = copies_distribute(document=document, by=archivist, recipients=[(user, 1) for user in recipients])
    seconds = time.monotonic() - started
    print(f"  copies_distribute: {len(copies)} copies in {seconds:.2f} s", flush=True)
    return copies, seconds


def produce(document, copies, folder):
    """Every copy stamped and written to `folder`; [(path, controlled number,
    holder's name)], the seconds it took."""
    from documents.models import ControlledCopy
    from documents.stamping import stamp_copies

    started = time.monotonic()
    copies = ControlledCopy.objects.filter(pk__in=[copy.pk for copy in copies]).select_related(
        "holder", "recipient_user", "recipient_department"
    ).order_by("copy_number")
    written = []
    for copy, stamped in stamp_copies(document, copies):
        path = folder / f"{copy.control_number}.pdf"
        with stamped, open(path, "wb") as target:
            shutil.copyfileobj(stamped, target)
        written.append((str(path), copy.control_number, copy.recipient_user.display_name))
    seconds = time.monotonic() - started
    size = sum(os.path.getsize(path) for path, _number, _name in written)
    print(f"  stamp_copies: {len(written)} copies ({size / 1e6:.1f} MB) in {seconds:.2f} s", flush=True)
    return written, seconds


def check_copy(item):
    """Whether the copy at `path` has `pages` pages, each carrying its own
    controlled number and the holder's name (read back with pypdf)."""
    from pypdf import PdfReader

    path, number, name, pages = item
    reader = PdfReader(path)
    if len(reader.pages) != pages:
        return False
    return all(number in text and name in text for text in (page.extract_text() for page in reader.pages))


def read_back(written, pages):
    started = time.monotonic()
    with multiprocessing.get_context("spawn").Pool(os.cpu_count() or 1) as pool:
        results = pool.map(check_copy, [(path, number, name, pages) for path, number, name in written], chunksize=4)
    print(f"  read back {len(written)} copies with pypdf in {time.monotonic() - started:.1f} s (not timed)",
          flush=True)
    return sum(results)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=200)
    parser.add_argument("--pages", type=int, default=50)
    args = parser.parse_args()
    os.environ.setdefault("ARCHIVE_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    start_django(name=NAME)
    folder = OUT / NAME / "copies"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} at the start", flush=True)
    archivist, marketing, recipients = people(args.copies)
    document = register(archivist, marketing, args.pages)
    copies, seconds_distribute = distribute(document, archivist, recipients)
    written, seconds_produce = produce(document, copies, folder)
    stamped_ok = read_back(written, args.pages)
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} at the end", flush=True)
    print(
        f"controlled copies={len(written)} pages={document.page_count} stamped_ok={stamped_ok} "
        f"seconds={seconds_distribute + seconds_produce:.1f}",
        flush=True,
    )
    return 0 if stamped_ok == len(written) == args.copies else 1


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.exit(main())
