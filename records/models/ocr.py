"""The text-recognition (OCR) state of an electronic file (issue 17).

A scanned PDF or a photographed page carries no text for search; a
background job (records.files.ocr) reads it with tesseract and keeps a
searchable PDF copy beside the original, which is never replaced."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class OcrState(models.TextChoices):
    NOT_NEEDED = "not_needed", _("Not needed")
    WAITING = "waiting", _("Waiting for text recognition")
    RUNNING = "running", _("Recognising text")
    DONE = "done", _("Text recognised")
    FAILED = "failed", _("Text recognition failed")


class OcrFailure(models.TextChoices):
    """Why a recognition failed, in words for the record page (stored as a
    code so each reader sees it in their own language)."""

    TIMEOUT = "timeout", _("it took too long and was stopped")
    DAMAGED = "damaged", _("the file is damaged or cannot be read")
    ENCRYPTED = "encrypted", _("the PDF is password-protected")
    NO_TEXT = "no_text", _("no text was found on the pages")
    MISSING = "missing", _("the file is missing from storage")
    NOT_INSTALLED = "not_installed", _("the text recognition software is not installed on the server")
    ERROR = "error", _("the text recognition software stopped with an error")


def ocr_copy_path(instance, filename):
    """Beside the original: the same random storage name, with a suffix."""
    return f"{instance.file.name}.ocr.pdf"
