"""The stamp on every page of a controlled copy (R-CTRL-2, R-CTRL-5):
its controlled number, its holder and 受控文件 未经许可不得复制, read back as
text by pypdf, on text pages, scanned (image-only) pages, rotated pages,
pages of mixed sizes and with a media box away from (0, 0); a void
reference copy carries 作废; a broken or encrypted file is refused with a
message in the reader's words, never a library's error."""
import io
import shutil
import subprocess

import pytest
from django.utils import translation
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import RectangleObject

from documents.exceptions import DocumentsRefused
from documents.models import CopyState
from documents.stamping import NOTICE, copy_lines, placement_of, stamp_copies, stamp_pdf
from tests.documents.support import make_copy, make_document, pdf_bytes
from tests.factories import DepartmentFactory, UserFactory

LINES = ("受控号：SK-2026-012-03", "持有人：张三", NOTICE)


def texts(data):
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def rebuilt(source, change):
    """`source` with `change(writer)` applied to a copy of its pages."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(source)))
    change(writer)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def scanned_pdf(pages=2):
    """Image-only pages, as a scanner writes them (no text at all)."""
    images = [Image.new("RGB", (620, 877), (235, 235, 225)) for _ in range(pages)]
    output = io.BytesIO()
    images[0].save(output, "PDF", resolution=75, save_all=True, append_images=images[1:])
    return output.getvalue()


def test_r_ctrl_2_every_page_carries_the_number_the_holder_and_the_notice_and_keeps_its_text():
    stamped = texts(stamp_pdf(pdf_bytes(pages=4, text="市场活动管理规定"), lines=LINES))
    assert len(stamped) == 4
    for number, text in enumerate(stamped, start=1):
        assert "SK-2026-012-03" in text and "张三" in text and "受控文件 未经许可不得复制" in text
        assert f"市场活动管理规定 第{number}页" in text
        assert "作废" not in text


def test_r_ctrl_2_scanned_image_only_pages_are_stamped_as_text():
    source = scanned_pdf(pages=2)
    assert all(not text.strip() for text in texts(source))
    stamped = texts(stamp_pdf(source, lines=LINES))
    assert len(stamped) == 2 and all("SK-2026-012-03" in text and "张三" in text for text in stamped)


def test_r_ctrl_2_rotated_mixed_size_and_offset_pages_are_stamped():
    def change(writer):
        writer.pages[0].rotate(90)
        writer.pages[1].rotate(270)
        offset = writer.add_blank_page(width=1190, height=842)  # A3 landscape
        offset.mediabox = RectangleObject((100, 200, 1290, 1042))
        small = writer.add_blank_page(width=200, height=120)
        small.rotate(180)

    source = rebuilt(pdf_bytes(pages=2), change)
    stamped = texts(stamp_pdf(source, lines=LINES))
    assert len(stamped) == 4
    assert all("SK-2026-012-03" in text and "受控文件 未经许可不得复制" in text for text in stamped)


def _red_box(data, folder):
    """The box (left, top, right, bottom as fractions of the page as shown)
    of the stamp's red on the first page, rendered by poppler as a reader
    sees it."""
    (folder / "page.pdf").write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-r", "30", "-png", "-singlefile", str(folder / "page.pdf"), str(folder / "page")], check=True
    )
    image = Image.open(folder / "page.png").convert("RGB")
    red = [
        (x, y) for x in range(image.width) for y in range(image.height)
        if (lambda r, g, b: r > 150 and g < 120 and b < 130)(*image.getpixel((x, y)))
    ]
    xs, ys = [x for x, _y in red], [y for _x, y in red]
    return min(xs) / image.width, min(ys) / image.height, max(xs) / image.width, max(ys) / image.height


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler's pdftoppm renders the pages")
@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_r_ctrl_2_the_label_is_at_the_top_right_of_the_page_as_shown(rotation, tmp_path):
    def change(writer):
        page = writer.pages[0]
        page.mediabox = RectangleObject((50, 80, 50 + 595, 80 + 842))
        page.rotate(rotation)

    data = stamp_pdf(rebuilt(pdf_bytes(pages=1), change), lines=LINES)
    left, top, right, bottom = _red_box(data, tmp_path)
    assert top < 0.05 and bottom < 0.12, (left, top, right, bottom)
    assert left > 0.6 and right > 0.75, (left, top, right, bottom)


def test_r_ctrl_5_a_void_copy_carries_void_on_every_page():
    stamped = texts(stamp_pdf(pdf_bytes(pages=2), lines=LINES, void=True))
    assert all("作废" in text and "SK-2026-012-03" in text for text in stamped)


@pytest.mark.parametrize(
    "source",
    [b"not a pdf at all", pdf_bytes(pages=2)[:400], b"%PDF-1.7\n%%EOF\n"],
    ids=["not-a-pdf", "truncated", "no-pages"],
)
def test_a_broken_file_is_refused_in_the_readers_words(source):
    with translation.override("en"), pytest.raises(DocumentsRefused, match="报价单.pdf.* cannot be read") as refused:
        stamp_pdf(source, lines=LINES, name="报价单.pdf")
    assert not any(word in refused.value.message for word in ("Error", "error", "Traceback"))


def test_an_encrypted_file_is_refused_in_the_readers_words():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(pages=1))))
    writer.encrypt("secret")
    output = io.BytesIO()
    writer.write(output)
    with translation.override("en"), pytest.raises(DocumentsRefused, match="报价单.pdf.* is encrypted"):
        stamp_pdf(output.getvalue(), lines=LINES, name="报价单.pdf")


@pytest.mark.django_db
def test_r_ctrl_2_a_person_is_named_by_full_name_and_a_department_copy_by_department_and_signer(private_storage):
    document = make_document(pages=2)
    person = UserFactory(full_name="王小明")
    department = DepartmentFactory(code="CWB", name="财务部")
    signer = UserFactory(full_name="李四", department=department)
    to_person = make_copy(document, recipient_user=person, state=CopyState.SIGNED)
    to_department = make_copy(document, recipient_department=department, state=CopyState.SIGNED, holder=signer)
    unsigned_department = make_copy(document, recipient_department=department)

    assert copy_lines(to_person) == (f"受控号：{to_person.control_number}", "持有人：王小明", NOTICE)
    assert copy_lines(to_department)[1] == "持有部门：财务部　签收人：李四"
    assert copy_lines(unsigned_department)[1] == "持有部门：财务部"

    stamped = {}
    for copy, handle in stamp_copies(document, [to_person, to_department]):
        with handle:
            stamped[copy] = handle.read()
    for copy, name in ((to_person, "王小明"), (to_department, "李四")):
        for text in texts(stamped[copy]):
            assert copy.control_number in text and name in text
    # Each copy carries its own number only.
    assert all(to_department.control_number not in text for text in texts(stamped[to_person]))


def test_placement_follows_the_rotation_and_the_crop_box():
    writer = PdfWriter()
    page = writer.add_blank_page(width=600, height=800)
    page.mediabox = RectangleObject((10, 20, 610, 820))
    page.rotate(90)
    placement = placement_of(page)
    assert (placement.width, placement.height) == (800, 600)
    assert placement.matrix == (0, 1, -1, 0, 610, 20)
