"""Several files handed in at once become several drafts, one per file
(R-FILE-2): the description they share is chosen once, each draft's title
is its file's name, and every draft stays editable before it is submitted."""
from os.path import splitext

from django import forms
from django.utils.translation import gettext_lazy as _

from records.forms_filing import (
    PERMANENT,
    RETENTION_CHOICES,
    MultipleFileField,
    filing_categories,
    grouped_category_choices,
    upload_limits_text,
)
from records.filters import CategoryChoiceField
from records.files import allowed_extensions
from records.models import Medium, Record, SecurityLevel

TITLE_MAX_LENGTH = Record._meta.get_field("title").max_length
MAX_FILES = 50


def title_from_file_name(name):
    """'2025 展会 照片_01.jpg' -> '2025 展会 照片_01': the name without its
    extension and directories, at most a title's length."""
    stem = splitext(str(name).replace("\\", "/").rsplit("/", 1)[-1])[0].strip()
    return (stem or str(name))[:TITLE_MAX_LENGTH]


class BatchSubmissionForm(forms.Form):
    category = CategoryChoiceField(label=_("Class"), queryset=filing_categories())
    document_date = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The archive year is the year of this date; undated items go under this year."),
    )
    security_level = forms.ChoiceField(
        label=_("Security level"), choices=SecurityLevel.choices, initial=SecurityLevel.INTERNAL
    )
    medium = forms.ChoiceField(label=_("Medium"), choices=Medium.choices, initial=Medium.ELECTRONIC)
    retention = forms.ChoiceField(label=_("Retention"), choices=RETENTION_CHOICES, required=False)
    files = MultipleFileField(label=_("Electronic files"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = grouped_category_choices(self.fields["category"].queryset)
        self.fields["files"].help_text = " ".join(
            [upload_limits_text(), str(_("Each file becomes a draft of its own, titled after the file's name."))]
        )
        self.fields["files"].widget.attrs["accept"] = ",".join(allowed_extensions())

    def clean_files(self):
        chosen = self.cleaned_data["files"]
        if not chosen:
            raise forms.ValidationError(_("Choose the files to hand in."))
        if len(chosen) > MAX_FILES:
            raise forms.ValidationError(_("At most %(max)d files at once.") % {"max": MAX_FILES})
        return chosen

    def draft_data(self, uploaded_file):
        """The values for records.services.record_create of the draft made
        from `uploaded_file`."""
        data = {
            "title": title_from_file_name(uploaded_file.name),
            "category": self.cleaned_data["category"],
            "document_date": self.cleaned_data["document_date"],
            "security_level": self.cleaned_data["security_level"],
            "medium": self.cleaned_data["medium"],
            "copies": 1,
        }
        retention = self.cleaned_data.get("retention")
        if retention:
            data["retention_years"] = None if retention == PERMANENT else int(retention)
        return data
