"""The filing desk end to end through the Django test client, as the two
people do it (R-FILE-2, R-FILE-3, R-FILE-5): staff hand in two items, the
archivist receives both as one handover, staff see them filed, the
archivist corrects a title and history shows why."""
import io
import re

from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from records.history import history_rows
from records.models import Handover, Record, RecordStatus
from tests.conftest import speak_english
from tests.factories import category
from tests.records.test_filing_services import make_box


def post_submission(client, title, pages):
    return client.post(
        reverse("submission_create"),
        {
            "title": title,
            "category": category("NBHY").pk,
            "document_date": "2025-06-12",
            "responsible_party": "市场部",
            "document_number": "",
            "security_level": "internal",
            "retention": "",
            "medium": "paper",
            "copies": "1",
            "pages": str(pages),
            "keywords": "会议",
            "notes": "出差期间会议材料",
            "submit": "1",
        },
    )


def test_r_file_2_r_file_3_submit_receive_file_and_correct(client, staff, archivist):
    box = make_box()
    speak_english(client)

    # Staff hand in two items from a trip (R-FILE-2).
    client.force_login(staff)
    assert post_submission(client, "上海展会会议纪要", 5).status_code == 302
    assert post_submission(client, "上海展会客户名单", 3).status_code == 302
    minutes, clients = Record.objects.order_by("pk")
    mine = client.get(reverse("my_submissions")).content.decode()
    assert mine.count(str(RecordStatus.SUBMITTED.label)) == 2

    # The archivist sees both in the queue, under the submitter.
    client.force_login(archivist)
    queue = client.get(reverse("receiving_queue"))
    assert [[record.pk for record in group["records"]] for group in queue.context["groups"]] == [
        [minutes.pk, clients.pk]
    ]
    receive_url = f"{reverse('handover_receive')}?records={minutes.pk}&records={clients.pk}"
    page = client.get(receive_url)
    assert page.status_code == 200
    formset = page.context["formset"]
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-MIN_NUM_FORMS": "1",
        "form-MAX_NUM_FORMS": "200",
        "notes": "出差材料一次移交",
    }
    for index, form in enumerate(formset.forms):
        data.update(
            {
                f"form-{index}-record": form.initial["record"],
                f"form-{index}-copies_received": form.initial["copies_received"],
                f"form-{index}-pages_received": form.initial["pages_received"],
                f"form-{index}-format_ok": "on",
                f"form-{index}-location": box.pk,
                f"form-{index}-remarks": "",
            }
        )
    review = client.post(reverse("handover_receive"), data)
    assert "Confirm and file" in review.content.decode()
    assert not Handover.objects.exists()
    done = client.post(reverse("handover_receive"), {**data, "confirm": "1"}, follow=True)

    handover = Handover.objects.get()
    assert handover.number == f"JJ-{timezone.localdate().year}-0001"
    assert handover.handed_over_by == staff and handover.received_by == archivist
    minutes.refresh_from_db()
    clients.refresh_from_db()
    assert minutes.archive_number == "J001-NBHY·2025-D30-SCB-0001"
    assert clients.archive_number == "J001-NBHY·2025-D30-SCB-0002"
    assert minutes.location == clients.location == box
    html = done.content.decode()
    assert minutes.archive_number in html and clients.archive_number in html
    assert any(handover.number in str(message) for message in done.context["messages"])

    pdf = client.get(reverse("handover_pdf", args=[handover.pk]))
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages))
    assert minutes.archive_number in text and "上海展会客户名单" in text and "Pages:8" in text

    # Staff see both filed, with their archive numbers.
    client.force_login(staff)
    mine = client.get(reverse("my_submissions")).content.decode()
    assert minutes.archive_number in mine and clients.archive_number in mine
    assert mine.count(str(RecordStatus.FILED.label)) == 2
    assert client.get(reverse("handover_pdf", args=[handover.pk])).status_code == 200

    # The archivist corrects a title with a reason; history shows both values.
    client.force_login(archivist)
    correct_url = reverse("record_correct", args=[minutes.pk])
    form = client.get(correct_url).context["form"]
    data = {name: form[name].value() if form[name].value() is not None else "" for name in form.fields}
    data.update(title="上海国际展会会议纪要", reason="题名漏写“国际”")
    assert client.post(correct_url, data).status_code == 302

    entry = history_rows(Record.objects.get(pk=minutes.pk))[0]
    assert entry["reason"] == "题名漏写“国际”"
    assert [(change["name"], change["old"], change["new"]) for change in entry["changes"]] == [
        ("title", "上海展会会议纪要", "上海国际展会会议纪要")
    ]
    detail = client.get(reverse("record_detail", args=[minutes.pk])).content.decode()
    assert "题名漏写“国际”" in detail
    assert '<span class="changes__old">上海展会会议纪要</span> → <span class="changes__new">上海国际展会会议纪要</span>' in detail
