"""The Simplified Chinese catalogue (locale/zh_Hans/LC_MESSAGES/django.po):
complete, nothing fuzzy, placeholders kept, and actually used by the site,
whose default language is zh-hans.

The .po is read by the small parser below (standard library only). The .mo
files are gitignored and compiled by the set-up scripts; if the .mo is
missing or older than the .po, it is compiled here first."""
import ast
import contextlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test.signals import language_changed
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.roles import Role

LC_MESSAGES = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"
PO_PATH = LC_MESSAGES / "django.po"
MO_PATH = LC_MESSAGES / "django.mo"

# %(name)s, %(count)d, %(seconds).1f ... and positional %s / %d.
PERCENT_PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa]")
BRACE_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


@dataclass
class PoEntry:
    line: int
    msgid: str | None = None
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict = field(default_factory=dict)  # {0: text} or {0: ..., 1: ...} for plurals
    flags: set = field(default_factory=set)

    @property
    def label(self):
        return f"{PO_PATH.name}:{self.line} {self.msgid!r}"


def parse_po(text):
    """Entries of a .po file, the header (msgid "") included. Obsolete
    entries (#~) are comments to gettext and are skipped."""
    entries, flags = [], set()
    entry, target = None, None

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#,"):
            flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            if target is None:
                raise ValueError(f"line {number}: a string continues no keyword")
            more = ast.literal_eval(line)
            if isinstance(target, int):
                entry.msgstr[target] += more
            else:
                setattr(entry, target, getattr(entry, target) + more)
            continue
        keyword, _space, value = line.partition(" ")
        value = ast.literal_eval(value)
        # msgctxt, or a msgid not preceded by its msgctxt, opens an entry.
        if keyword == "msgctxt" or (keyword == "msgid" and (entry is None or entry.msgid is not None)):
            entry = PoEntry(line=number, flags=flags)
            entries.append(entry)
            flags = set()
        if entry is None:
            raise ValueError(f"line {number}: {keyword} outside an entry")
        if keyword in ("msgctxt", "msgid", "msgid_plural"):
            setattr(entry, keyword, value)
            target = keyword  # continuation lines extend this attribute
        elif keyword == "msgstr" or re.fullmatch(r"msgstr\[\d+\]", keyword):
            index = int(keyword[7:-1]) if "[" in keyword else 0
            entry.msgstr[index] = value
            target = index  # continuation lines extend this msgstr form
        else:
            raise ValueError(f"line {number}: unknown keyword {keyword!r}")
    return entries


def placeholders(text):
    return (
        sorted(PERCENT_PLACEHOLDER.findall(text)),
        sorted(BRACE_PLACEHOLDER.findall(text)),
        sorted(HTML_TAG.findall(text)),
    )


@pytest.fixture(scope="module")
def po_entries():
    return parse_po(PO_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def compiled_catalogue():
    """Compile the project's zh_Hans catalogue when the .mo is missing or
    older than the .po, then drop the catalogues this process has already
    loaded (a test run earlier may have read them before the .mo existed,
    or another process may have compiled it since)."""
    if not MO_PATH.exists() or MO_PATH.stat().st_mtime < PO_PATH.stat().st_mtime:
        with contextlib.chdir(settings.BASE_DIR):
            call_command(
                "compilemessages",
                locale=["zh_Hans"],
                ignore_patterns=[".venv", "staticfiles", "var", "node_modules"],
                verbosity=0,
            )
    # What Django's test signals do when LOCALE_PATHS changes.
    language_changed(setting="LOCALE_PATHS")
    return MO_PATH


def test_parser_reads_plurals_continuations_and_flags():
    entries = parse_po(
        '#, fuzzy\nmsgid ""\nmsgstr ""\n"Language: zh_Hans\\n"\n\n'
        '#, python-format\nmsgid "%(n)d year"\nmsgid_plural "%(n)d years"\nmsgstr[0] "%(n)d年"\n\n'
        'msgid "long "\n"text"\nmsgstr ""\n\n#~ msgid "old"\n#~ msgstr "旧"\n'
    )
    assert [e.msgid for e in entries] == ["", "%(n)d year", "long text"]
    assert entries[0].flags == {"fuzzy"} and entries[0].msgstr[0] == "Language: zh_Hans\n"
    assert entries[1].msgid_plural == "%(n)d years" and entries[1].msgstr == {0: "%(n)d年"}
    assert entries[1].flags == {"python-format"}
    assert entries[2].msgstr == {0: ""}


def test_header_is_zh_hans_utf8_with_one_plural_form_and_not_fuzzy(po_entries):
    header = po_entries[0]
    assert header.msgid == ""
    assert "fuzzy" not in header.flags
    text = header.msgstr[0]
    assert "Language: zh_Hans\n" in text
    assert "charset=UTF-8" in text
    assert "Plural-Forms: nplurals=1; plural=0;" in text


def test_every_msgid_has_a_translation_and_none_is_fuzzy(po_entries):
    messages = po_entries[1:]
    assert len(messages) > 300  # the whole catalogue was read, not a fragment
    untranslated = [e.label for e in messages if not e.msgstr or not all(s.strip() for s in e.msgstr.values())]
    fuzzy = [e.label for e in po_entries if "fuzzy" in e.flags]
    assert untranslated == []
    assert fuzzy == []


def test_plural_entries_have_exactly_the_one_zh_form(po_entries):
    plurals = [e for e in po_entries if e.msgid_plural is not None]
    assert plurals
    assert [e.label for e in plurals if sorted(e.msgstr) != [0]] == []


def test_translations_keep_every_placeholder(po_entries):
    """Same %-placeholders (name and conversion), {fields} and HTML tags. zh
    has one plural form, used for every count, so a plural's msgstr[0]
    follows msgid_plural."""
    mismatched = []
    for entry in po_entries[1:]:
        expected = placeholders(entry.msgid_plural if entry.msgid_plural is not None else entry.msgid)
        for index, text in entry.msgstr.items():
            if placeholders(text) != expected:
                mismatched.append((entry.label, index, expected, placeholders(text)))
    assert mismatched == []


def test_named_placeholders_are_the_same_in_msgid_and_msgid_plural(po_entries):
    names = re.compile(r"%\((\w+)\)")
    assert [
        e.label for e in po_entries
        if e.msgid_plural is not None and set(names.findall(e.msgid)) != set(names.findall(e.msgid_plural))
    ] == []


def test_zh_hans_uses_the_archival_terms(compiled_catalogue):
    with translation.override("zh-hans"):
        assert gettext("Archive number") == "档号"
        assert str(Role.ARCHIVIST.label) == "档案管理员"
        assert gettext("Catalogue of filed records") == "归档文件目录"
    with translation.override("en"):
        assert gettext("Archive number") == "Archive number"


def test_login_page_is_chinese_by_default(client, db, compiled_catalogue):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "登录" in html


def test_home_page_for_staff_is_chinese_by_default(client, staff, compiled_catalogue):
    client.force_login(staff)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "档案检索" in html
    assert "部门员工" in html  # the user's role badge
