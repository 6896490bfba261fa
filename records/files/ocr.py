"""Text recognition (OCR) of scanned PDFs and images, by the Debian
`ocrmypdf` command (tesseract with its chi_sim data; scripts/setup.sh
installs them). A command rather than a Python library: the packages come
from the distribution with their language data, and a child process can be
stopped at a timeout without taking the worker with it.

`needs_ocr` says at upload whether a file is worth reading; `recognise`
turns a file on disk into a searchable PDF and its text, or raises
`RecognitionFailed` with a reason (records.models.OcrFailure). Nothing here
touches the database: the job is records.ocr."""
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from pypdf import PdfReader

from records.files.extraction import tidy
from records.files.types import JPEG, PDF, PNG, TIFF
from records.models.ocr import OcrFailure
from records.search.folding import CJK, CJK_PUNCTUATION

IMAGE_TYPES = {JPEG.code, PNG.code, TIFF.code}
#: A PDF page with fewer letters than this is taken for a scan.
MIN_CHARS_PER_PAGE = 20
#: An image that does not say its resolution is taken for a 300-dpi scan.
DEFAULT_IMAGE_DPI = 300
LANGUAGES = "chi_sim+eng"
COMMAND = "ocrmypdf"

# ocrmypdf's exit codes (ocrmypdf.exceptions.ExitCode) that name a cause.
_EXIT_REASONS = {
    2: OcrFailure.DAMAGED,  # input file
    3: OcrFailure.NOT_INSTALLED,  # missing dependency
    8: OcrFailure.ENCRYPTED,
}
# Tesseract puts spaces between Chinese characters; search reads them as
# words. What counts as Chinese is search's (records.search.folding); line
# breaks stay.
_CHINESE = f"[{CJK}{CJK_PUNCTUATION}]"
_SPACE_IN_CHINESE = re.compile(rf"(?<={_CHINESE})[ \t\u3000]+(?={_CHINESE})")


class RecognitionFailed(Exception):
    def __init__(self, reason, detail=""):
        super().__init__(detail or reason)
        self.reason = reason  # an OcrFailure, shown to the user in words
        self.detail = detail  # the tool's own words, for the log only


@dataclass(frozen=True)
class Recognised:
    pdf_path: Path
    text: str


def needs_ocr(file_type, file, extracted_text):
    """Images always; a PDF whose text layer has fewer than
    MIN_CHARS_PER_PAGE letters a page (a scan, perhaps with a stamp's few
    words). `file` is the upload, seekable; `extracted_text` what
    records.files.extraction read from it."""
    if file_type.code in IMAGE_TYPES:
        return True
    if file_type.code != PDF.code:
        return False
    letters = len(re.sub(r"\s", "", extracted_text))
    try:
        file.seek(0)
        reader = PdfReader(file)
        if reader.is_encrypted:
            return False  # the recognition could not read it either
        pages = len(reader.pages)
    except Exception:
        return False  # unreadable: the upload keeps it, OCR would fail too
    finally:
        file.seek(0)
    return pages > 0 and letters < MIN_CHARS_PER_PAGE * pages


def recognise(source, work_dir, *, is_image, timeout):
    """OCR `source` (a path) into `work_dir`; returns a Recognised whose
    PDF has a text layer. Raises RecognitionFailed."""
    if shutil.which(COMMAND) is None:
        raise RecognitionFailed(OcrFailure.NOT_INSTALLED, f"{COMMAND} is not on PATH")
    output, sidecar = Path(work_dir) / "searchable.pdf", Path(work_dir) / "text.txt"
    arguments = [
        COMMAND, "-l", LANGUAGES, "--output-type", "pdf", "--skip-text", "--optimize", "0",
        "--jobs", "1", "--quiet", "--sidecar", str(sidecar),
    ]
    if is_image and not _image_has_dpi(source):  # raises for a damaged image
        arguments += ["--image-dpi", str(DEFAULT_IMAGE_DPI)]
    arguments += [str(source), str(output)]
    # One thread a page: the server's few cores are shared with the web.
    environment = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        finished = subprocess.run(
            arguments, capture_output=True, timeout=timeout, env=environment, cwd=work_dir, check=False
        )
    except subprocess.TimeoutExpired:
        raise RecognitionFailed(OcrFailure.TIMEOUT, f"stopped after {timeout} s") from None
    detail = finished.stderr.decode("utf-8", "replace")[-2000:]
    if finished.returncode != 0:
        reason = _EXIT_REASONS.get(finished.returncode, OcrFailure.ERROR)
        if is_image and reason == OcrFailure.ERROR:
            # A cut-off image gets past its reader (img2pdf, Pillow) and fails
            # later, in a child process or with a general error: still the image.
            reason = OcrFailure.DAMAGED
        raise RecognitionFailed(reason, detail)
    if not output.exists():
        raise RecognitionFailed(OcrFailure.ERROR, detail or "no output file")
    text = _sidecar_text(sidecar)
    if not text:
        raise RecognitionFailed(OcrFailure.NO_TEXT)
    return Recognised(pdf_path=output, text=text)


def _image_has_dpi(path):
    """Whether the image names its resolution. Decoded whole first: a cut-off
    image makes ocrmypdf fail with a general error, not an input error."""
    try:
        with Image.open(path) as image:
            image.verify()  # a PNG's checksums, whatever Pillow's global
            # LOAD_TRUNCATED_IMAGES (WeasyPrint turns it on) says
        with Image.open(path) as image:
            dpi = image.info.get("dpi")
            image.load()
    except Exception as error:
        raise RecognitionFailed(OcrFailure.DAMAGED, str(error)) from None
    return bool(dpi) and all(value and float(value) > 1 for value in dpi)


def _sidecar_text(path):
    if not path.exists():
        return ""
    # ocrmypdf marks pages it skipped (they had text) with this line.
    text = re.sub(r"\[OCR skipped on page\(s\) [^\]]*\]", "", path.read_text("utf-8", "replace"))
    return tidy(_SPACE_IN_CHINESE.sub("", text))
