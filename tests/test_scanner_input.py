"""A keyboard-wedge scanner types a label's code and Enter; a Chinese input
method left in full-width mode types ＨＴＤＬ·２０２４－０００１. Every field
that takes an archive number normalises what arrives (core.text_input.
normalise_code) before the lookup (issue 13 point 1)."""
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.utils import translation

from core.text_input import CodeFormField, normalise_code
from disposal.forms import AddByNumberForm, split_numbers
from disposal.forms_holds import RecordHoldForm
from disposal.models import ListKind
from lending.forms import FindRecordForm
from records.services import record_file
from tests.factories import RecordFactory


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("HT·2024-0001\r", "HT·2024-0001"),
        ("HT·2024-0001\r\n", "HT·2024-0001"),
        ("HT·2024-0001\n", "HT·2024-0001"),
        ("HT·2024-0001\t", "HT·2024-0001"),
        ("  HT·2024-0001  ", "HT·2024-0001"),
        ("\u3000HT·2024-0001\u3000", "HT·2024-0001"),  # full-width spaces
        ("ＨＴ·２０２４－０００１", "HT·2024-0001"),  # full-width letters, digits, dash
        ("HT・2024—0001", "HT·2024-0001"),  # katakana middle dot, em dash
        ("HT•2024–0001", "HT·2024-0001"),  # bullet, en dash
        ("HT･2024‐0001", "HT·2024-0001"),  # half-width katakana dot, hyphen
        ("\x02HT·2024-0001\x03", "HT·2024-0001"),  # a scanner's start/stop characters
        ("\u200bHT·2024-0001\ufeff", "HT·2024-0001"),  # zero-width space, byte-order mark
        ("J001-HTDL·2024-D30-SCB-0001", "J001-HTDL·2024-D30-SCB-0001"),  # as stored: unchanged
        ("j001-htdl·2024", "j001-htdl·2024"),  # case is the pattern's, kept
        ("\r\n", ""),
        (None, ""),
    ],
)
def test_a_typed_or_scanned_code_is_normalised(typed, stored):
    assert normalise_code(typed) == stored


def test_the_code_field_refuses_a_scan_of_nothing():
    field = CodeFormField(label="Archive number", max_length=80)
    assert field.clean(" ＨＴ·２０２４－０００１\r\n") == "HT·2024-0001"
    with translation.override("en"), pytest.raises(forms.ValidationError, match="This field is required"):
        field.clean("\r\n")


def test_numbers_scanned_one_after_another_are_split_and_normalised():
    assert split_numbers("ＨＴ·２０２４－０００１\r\nHT·2024-0002\r\n\tHT・2024-0003，HT·2024-0001") == [
        "HT·2024-0001",
        "HT·2024-0002",
        "HT·2024-0003",
    ]


SCANNED = [
    lambda number: f"{number}\r",
    lambda number: f"{number}\r\n",
    lambda number: f"  {number}\t",
    lambda number: number.translate(str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})),
    lambda number: number.replace("·", "・").replace("-", "－") + "\n",
]


@pytest.fixture
def record(archivist):
    return record_file(record=RecordFactory(title="华东区展会布展合同", year=2024), by=archivist)


@pytest.mark.parametrize("scan", SCANNED)
def test_lending_finds_a_scanned_number(record, scan):
    form = FindRecordForm(data={"archive_number": scan(record.archive_number)})
    assert form.is_valid(), form.errors
    assert (form.record, form.cleaned_data["archive_number"]) == (record, record.archive_number)


@pytest.mark.parametrize("scan", SCANNED)
def test_a_hold_finds_a_scanned_number(record, archivist, scan):
    form = RecordHoldForm(data={"archive_number": scan(record.archive_number), "reason": "审计"}, user=archivist)
    assert form.is_valid(), form.errors
    assert form.record == record


@pytest.mark.parametrize("scan", SCANNED)
def test_a_disposal_list_finds_scanned_numbers(filed_record, archivist, scan):
    first, second = filed_record(year=2014, retention_years=10), filed_record(year=2014, retention_years=10)
    typed = scan(first.archive_number) + "\n" + scan(second.archive_number)
    form = AddByNumberForm(
        data={"archive_numbers": typed, "reason": "重复件", "action": "weed"}, user=archivist, kind=ListKind.WEEDING
    )
    assert form.is_valid(), form.errors
    assert form.record_ids == [first.pk, second.pk]


def _project_form_modules():
    """Every forms module (forms.py, forms_*.py, */forms.py) of the
    project's own apps."""
    base = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if base not in path.parents or ".venv" in path.parts:
            continue
        for module in pkgutil.walk_packages([str(path)], prefix=f"{config.name}."):
            if module.name.rsplit(".", 1)[-1].startswith("forms"):
                yield importlib.import_module(module.name)


def test_every_field_taking_one_archive_number_normalises_what_is_scanned():
    """A field named archive_number (or *_archive_number) in any form of the
    project is a CodeFormField, so a new screen cannot forget the scanner."""
    checked, wrong = [], []
    for module in _project_form_modules():
        for name, form in inspect.getmembers(module, inspect.isclass):
            if not issubclass(form, forms.BaseForm) or form.__module__ != module.__name__:
                continue
            for field_name, field in getattr(form, "base_fields", {}).items():
                if field_name == "archive_number" or field_name.endswith("_archive_number"):
                    checked.append(f"{module.__name__}.{name}.{field_name}")
                    if not isinstance(field, CodeFormField):
                        wrong.append(checked[-1])
    assert "lending.forms.FindRecordForm.archive_number" in checked
    assert "disposal.forms_holds.RecordHoldForm.archive_number" in checked
    assert wrong == []
