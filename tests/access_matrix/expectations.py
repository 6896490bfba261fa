"""What a response may show and how a refusal looks. Who may see what is
never restated here: records come from records.selectors.visible_records
(visibility_scope), personal data from clients.policies."""
import html
import io
import json
import re
from urllib.parse import urlsplit

from django.urls import resolve, reverse

from clients.policies import may_see_personal_data
from contracts.models import Contract
from records.ledgers.kinds import ledger_kind
from records.models import HandoverItem, LedgerUpload
from records.selectors import visible_records
from tests.access_matrix.world_ledgers import UPLOAD_TEXTS

# Pages anonymous visitors may open; every other page refuses them.
PUBLIC = {
    "login": "the sign-in page",
    "admin:login": "the back office's sign-in page",
    # The language switch is on the sign-in page (archive_site/urls.py).
    "set_language": "the language switch",
    # The proxy's health check (archive_site/views.py): "ok", no data.
    "health": "the health check",
    # Self-service password reset (accounts/urls.py): asking for the mail,
    # the "mail sent" page, the link's own page and the "done" page.
    "password_reset": "asking for a password-reset mail",
    "password_reset_done": "the page after asking",
    "password_reset_confirm": "the link in the mail (here with a token that is not valid)",
    "password_reset_complete": "the page after a reset",
}

REFUSED_STATUSES = {403, 404, 405}

TAG = re.compile(r"<[^>]*>")


def login_paths():
    return (reverse("login"), reverse("admin:login"))


def redirects_to_login(response):
    if response.status_code not in (301, 302, 303, 307, 308):
        return False
    return urlsplit(response["Location"]).path in login_paths()


def is_refused(response):
    """403, 404, 405, or sent to sign in."""
    return response.status_code in REFUSED_STATUSES or redirects_to_login(response)


def refusal_of(response):
    """The status of a refused GET, or None when the page was shown (405
    says nothing about who may use the view)."""
    if response.status_code != 405 and is_refused(response):
        return response.status_code
    return None


def secrets_for(user, world):
    """{text: why the user must never see it}: the title, archive number,
    file names and contract number of each world record `user` may not see
    (visible_records), and contacts' unmasked personal data unless
    clients.policies lets the user see it, and what each ledger-wizard upload
    holds unless `user` may open it (may_open_upload)."""
    seen = set(visible_records(user).values_list("pk", flat=True)) if user.is_authenticated else set()
    secrets = {}
    for name, record in world.records.items():
        if record.pk in seen:
            continue
        secrets[record.title] = f"title of the {name} record"
        if record.archive_number:
            secrets[record.archive_number] = f"archive number of the {name} record"
        for attachment in record.attachments.all():
            secrets[attachment.original_name] = f"file name of an attachment of the {name} record"
        for contract in Contract.objects.filter(record=record):
            secrets[contract.contract_number] = f"contract number of the {name} record"
    if not (user.is_authenticated and may_see_personal_data(user)):
        for contact in world.contacts:
            secrets[contact.phone] = f"phone of {contact.name}, unmasked"
            secrets[contact.id_number] = f"ID number of {contact.name}, unmasked"
            secrets[contact.email] = f"e-mail of {contact.name}, unmasked"
    secrets.update(_ledger_upload_secrets(user, world))
    return secrets


def may_open_upload(user, upload):
    """The ledger wizard's rule (records.views.ledger_import): an upload is
    its owner's alone, and only while the owner may import its kind."""
    return user.is_authenticated and upload.owner_id == user.pk and ledger_kind(upload.kind).may_import(user)


def _upload_names(upload):
    return {upload.original_name: "file name", upload.summary: "result"}


def _ledger_upload_secrets(user, world):
    """The file name, result and workbook row of each wizard upload of the
    world `user` may not open."""
    secrets = {}
    for name, upload in world.objects_of("records.ledgerupload"):
        if may_open_upload(user, upload):
            continue
        texts = {**_upload_names(upload), UPLOAD_TEXTS.get(name, ("", ""))[1]: "workbook row"}
        secrets.update({text: f"{what} of the {name} ledger upload" for text, what in texts.items() if text})
    return secrets


# Pages that may name a record the reader cannot otherwise see, and what of
# it: the person who handed items over signs the handover list with the
# archivist (R-FILE-3), and sees a confidential item on it by its archive
# number only, never its title or box (R-ACCESS).
HANDOVER_PAGES = {"handover_detail", "handover_pdf"}


# The back office lists every wizard upload, by file name and result, to
# whoever may view them there (never a workbook's content).
LEDGER_UPLOAD_ADMIN = "/admin/records/ledgerupload/"


def allowed_on(page, user):
    """Texts of hidden records and uploads `user` may see on `page`."""
    if page.url.startswith(LEDGER_UPLOAD_ADMIN) and user.has_perm("records.view_ledgerupload"):
        return {text for upload in LedgerUpload.objects.all() for text in _upload_names(upload) if text}
    if page.pattern.name not in HANDOVER_PAGES or not user.is_authenticated:
        return set()
    handover = resolve(urlsplit(page.url).path).kwargs.get("pk")
    return set(
        HandoverItem.objects.filter(handover_id=handover, handover__handed_over_by=user)
        .exclude(record__archive_number="")
        .values_list("record__archive_number", flat=True)
    )


def _pdf_text(content):
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    # A title wrapped in a narrow column is found with the line breaks taken out.
    return text + "\n" + re.sub(r"\s+", "", text)


def _xlsx_text(content):
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        " ".join(str(cell) for cell in row if cell is not None)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
    )


def response_text(response):
    """Everything a response shows, as text: headers and body, PDFs and
    spreadsheets read as their text, JSON with its escapes undone."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    content_type = response.get("Content-Type", "")
    if content_type.startswith("application/pdf"):
        body = _pdf_text(content)
    elif "spreadsheetml" in content_type:
        body = _xlsx_text(content)
    elif "json" in content_type:
        body = json.dumps(json.loads(content), ensure_ascii=False)
    else:
        body = content.decode("utf-8", "replace")
        # Search results mark the words found inside a title (机密<mark>矩阵</mark>标题甲).
        body += "\n" + html.unescape(TAG.sub("", body))
    headers = "\n".join(f"{key}: {value}" for key, value in response.items())
    return f"{headers}\n{body}"


def leaks(text, secrets):
    """Why each secret found in `text` (a response_text) must not be there."""
    return [why for secret, why in secrets.items() if secret in text]


class MatrixFailures(AssertionError):
    """The failures of one matrix test, one line per URL (a known finding's
    xfail expects this exception and no other)."""

    def __init__(self, title, failures):
        super().__init__(f"{title}: {len(failures)} failures\n" + "\n".join(failures))


def assert_no_failures(title, failures):
    if failures:
        raise MatrixFailures(title, failures)
