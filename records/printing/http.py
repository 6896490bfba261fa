"""A register (or any generated file) as an HTTP download."""
import re
import unicodedata
from urllib.parse import quote

from django.http import HttpResponse

PDF_CONTENT_TYPE = "application/pdf"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {"pdf": (PDF_CONTENT_TYPE, "pdf"), "xlsx": (XLSX_CONTENT_TYPE, "xlsx")}


def file_response(body, *, content_type, filename, as_attachment=True):
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, as_attachment=as_attachment)
    return response


def content_disposition(filename, *, as_attachment=True):
    """RFC 6266 / RFC 5987: a plain ASCII `filename` for old clients and the
    full UTF-8 name in `filename*`, so 归档文件目录.pdf survives every browser."""
    disposition = "attachment" if as_attachment else "inline"
    # Path separators, quotes and control characters have no place in a name.
    clean = re.sub(r'[\x00-\x1f\x7f/\\"]+', "_", filename).strip() or "register"
    fallback = _ascii_fallback(clean)
    header = f'{disposition}; filename="{fallback}"'
    if fallback != clean:
        header += f"; filename*=UTF-8''{quote(clean, safe='')}"
    return header


def _ascii_fallback(filename):
    stem, dot, extension = filename.rpartition(".")
    if not dot:
        stem, extension = filename, ""
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    ascii_stem = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_stem).strip("-._") or "register"
    return f"{ascii_stem}.{extension}" if extension else ascii_stem
