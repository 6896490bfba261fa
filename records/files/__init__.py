"""Uploaded files: what they are and what they say.

The interface the rest of records uses:

- `identify(file, name)` → `Identified(file_type, content_type)`: the type
  read from the bytes (magic numbers, container structure), never from the
  browser's header; raises `ContentNotAllowed` for content outside the
  allowed types (R-FILE-6) and `NameMismatch` when the name's extension
  disagrees with the content.
- `extract_text(file, file_type)`: the text of a PDF, DOCX or XLSX for
  search (R-FILE-4), bounded in size; raises `ExtractionSkipped` (or any
  error of an unreadable file), which callers treat as "no text".
- `allowed_extensions()` and `allowed_types_label()` for upload forms and
  messages; the types themselves (PDF, XLSX, CSV, …) are in `types`.

Inside: `types` (the allowed kinds and the two refusals), `detection`
(identify: signatures, media, plain text), `containers` (OLE2 and ZIP/OOXML
packages), `extraction`. Nothing here writes: the attachment service is
records.attachments."""
from records.files.detection import Identified, identify
from records.files.extraction import ExtractionSkipped, extract_text
from records.files.types import (
    ALLOWED_TYPES,
    ContentNotAllowed,
    FileType,
    NameMismatch,
    allowed_extensions,
    allowed_types_label,
)

__all__ = [
    "ALLOWED_TYPES",
    "ContentNotAllowed",
    "ExtractionSkipped",
    "FileType",
    "Identified",
    "NameMismatch",
    "allowed_extensions",
    "allowed_types_label",
    "extract_text",
    "identify",
]
