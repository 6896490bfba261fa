"""What a user reads on a page, and the check that it is all Chinese.

`visible_text(html)` is the text of a page as a reader meets it: the body's
text, the page title, and the words a browser shows or reads out from
attributes (alt, title, aria-label, placeholder, the value of a button-like
input); never <script> or <style>. `assert_chinese_only(html)` fails on
what issue 16 saw in front of users: English words, rule ids (R-LEND-2 …;
they belong in code, tests and the regulation only) and internal state codes
(`on_loan`, `received_as_counted`: a choice's value instead of its label).

Allowed: anything with a digit in it (archive numbers, dates, sizes,
versions), e-mail addresses, file names with their extension, and the few
ASCII words Chinese users read as they are (file formats, units, the
language switch's "English"). A page showing data codes (category or
department codes such as NBHY, SCB) passes them in `allow`.
"""
import re
from functools import lru_cache
from html.parser import HTMLParser

# Attributes whose words a browser shows (tooltips, image text, empty-field
# hints) or reads out (aria-label).
READ_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")
BUTTON_INPUTS = {"submit", "button", "reset"}
# Elements whose content nobody reads.
SILENT_ELEMENTS = {"script", "style", "template"}
VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
}

# Words Chinese users read in ASCII: formats, units, the language switch.
ALLOWED_WORDS = frozenset(
    word.lower()
    for word in (
        "PDF", "Excel", "Word", "SHA", "MIME", "ZIP", "CSV", "XLSX", "XLS", "DOCX", "DOC", "OFD", "TXT",
        "PPT", "PPTX", "RTF", "MOV", "PowerPoint", "QuickTime", "Windows",
        "JPEG", "JPG", "PNG", "TIFF", "TIF", "GIF", "WEBP", "HEIC",
        "KB", "MB", "GB", "TB", "px", "cm", "mm", "kg",
        "English", "Cookie", "ID", "QR", "USB", "IP",
        # currency codes stored with amounts, and keys as printed on a keyboard
        "CNY", "RMB", "USD", "EUR", "HKD", "Ctrl", "Shift", "Alt", "Esc",
    )
)
FILE_NAME = re.compile(r"^[\w.\-]+\.[A-Za-z]{2,5}$")
# An address, also masked for a reader who may not see it (w***@example.com).
EMAIL = re.compile(r"^[\w.+\-*]+@[\w\-*]+(\.[\w\-]+)+$")
# A file's technical type, shown folded away beside its checksum.
MIME_TYPE = re.compile(r"^(application|image|text|audio|video)/[\w.+\-]+$")
URL = re.compile(r"^(https?:)?//\S+$|^/[\w\-/.?=&%]*$")
# A run of ASCII the checks look at as one token (an archive number such as
# SCB-NBHY-2024-0007 is one token, with its digits).
ASCII_RUN = re.compile(r"[A-Za-z0-9_.\-/:@+#%&?=*]+")
WORD = re.compile(r"[A-Za-z]{2,}")
RULE_ID = re.compile(r"\bR-[A-Z]{2,}(?:-[A-Z0-9.]+)*\b")


class _ReadableText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.silent_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in SILENT_ELEMENTS:
            self.silent_depth += 1
            return
        self._read_attributes(tag, dict(attrs))

    def handle_startendtag(self, tag, attrs):
        if tag not in SILENT_ELEMENTS:
            self._read_attributes(tag, dict(attrs))

    def handle_endtag(self, tag):
        if tag in SILENT_ELEMENTS and self.silent_depth:
            self.silent_depth -= 1

    def handle_data(self, data):
        if not self.silent_depth and data.strip():
            self.parts.append(data.strip())

    def _read_attributes(self, tag, attrs):
        if self.silent_depth:
            return
        for name in READ_ATTRIBUTES:
            if attrs.get(name):
                self.parts.append(attrs[name].strip())
        if tag == "input" and (attrs.get("type") or "").lower() in BUTTON_INPUTS and attrs.get("value"):
            self.parts.append(attrs["value"].strip())


def visible_text(html):
    """The text a user reads on the page (and hears from a screen reader),
    one piece per line."""
    if isinstance(html, bytes):
        html = html.decode("utf-8")
    parser = _ReadableText()
    parser.feed(html)
    parser.close()
    return "\n".join(parser.parts)


@lru_cache(maxsize=1)
def state_codes():
    """Every stored choice value of the project's models and every change
    reason code (core.history) that reads as a word (draft, on_loan,
    received_as_counted …): shown raw, it is an internal code, not a label."""
    from django.apps import apps

    codes = set()
    for model in apps.get_models():
        if not model.__module__.split(".")[0] in PROJECT_APPS:
            continue
        for field in model._meta.get_fields():
            for value, _label in getattr(field, "flatchoices", None) or ():
                if isinstance(value, str) and WORD.fullmatch(value.replace("_", "")) and len(value) > 2:
                    codes.add(value)
    from core.history import _REASON_LABELS

    codes.update(code for code in _REASON_LABELS if WORD.fullmatch(code.replace("_", "")))
    return frozenset(codes)


PROJECT_APPS = {"accounts", "records", "lending", "disposal", "inventory", "documents", "contracts", "clients", "jobs"}


def _token_problem(token, allow):
    """Why an ASCII token may not be shown to a user, or None."""
    if RULE_ID.search(token):
        return "rule id"
    if token in state_codes() and "_" in token:
        return "state code"
    if any(ch.isdigit() for ch in token) or any(code.match(token) for code in (EMAIL, URL, FILE_NAME, MIME_TYPE)):
        return None
    words = [word for word in WORD.findall(token) if word.lower() not in ALLOWED_WORDS and word not in allow]
    if not words:
        return None
    if "_" in token and token.strip("._-/:") in state_codes():
        return "state code"
    return "English"


def foreign_words(html, *, allow=()):
    """[(problem, token, line)] for every English word, rule id or state code
    a user would read on the page."""
    allow = set(allow)
    found = []
    for line in visible_text(html).splitlines():
        for match in RULE_ID.finditer(line):
            found.append(("rule id", match.group(), line))
        for match in ASCII_RUN.finditer(line):
            problem = _token_problem(match.group(), allow)
            if problem == "English" and line.strip() == match.group() and match.group() in state_codes():
                problem = "state code"
            if problem and problem != "rule id":
                found.append((problem, match.group(), line))
    return found


def assert_chinese_only(html, *, allow=(), where=""):
    """Fail, listing each offending word with the line it stands in, when the
    page shows a user English, a rule id or an internal state code."""
    found = foreign_words(html, allow=allow)
    assert not found, f"{where}: not Chinese:\n" + "\n".join(
        f"  {problem}: {token!r} in {line[:120]!r}" for problem, token, line in found
    )
