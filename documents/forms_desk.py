"""Forms of the distribution desk (R-CTRL-1..4): registering a controlled
document with its approval papers, the distribution list (rows of a person
or a department and how many copies, a formset that works without script),
the paper signature's signer and the replacement's note. The rules (which
files, which states, active recipients) are the services' own
(documents.papers, documents.services): a refusal reaches these forms
through core.views.refusal_to_form."""
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Department
from core.limits import SMALL_INTEGER_MAX, bounded_date, bounded_integer
from core.text_input import CleanTextFormField, CodeFormField
from documents.models import ControlledDocument, Correspondence, Direction
from documents.selectors import DESK_GROUPS
from records.forms_filing import MultipleFileField
from records.models import Record
from records.selectors import visible_records

ARCHIVE_NUMBER_MAX_LENGTH = Record._meta.get_field("archive_number").max_length
# Rows of the distribution list shown empty: enough for most lists; "more
# rows" redraws the page with more (no script: CSP forbids inline script).
EMPTY_ROWS = 5
MAX_ROWS = 200


class DeskFilterForm(forms.Form):
    """The desk's search (title, document number or a copy's controlled
    number) and the group of documents shown (a tab)."""

    q = CleanTextFormField(label=gettext_lazy("Search"), required=False, max_length=100)
    show = forms.ChoiceField(
        choices=[("", ""), *((group, group) for group in DESK_GROUPS)], required=False, widget=forms.HiddenInput,
    )

    def selection(self):
        """(group, search text); ("", "") when the query is not valid."""
        if not self.is_bound or not self.is_valid():
            return "", ""
        return self.cleaned_data["show"], self.cleaned_data["q"]


class DocumentRegisterForm(forms.Form):
    """A controlled document handed over by its drafting department with
    its approval papers (R-CTRL-1); the filed original by its archive number."""

    title = CleanTextFormField(label=gettext_lazy("Title"), max_length=ControlledDocument._meta.get_field("title").max_length)
    reference = CleanTextFormField(
        label=gettext_lazy("Document number"), required=False,
        max_length=ControlledDocument._meta.get_field("reference").max_length,
        help_text=gettext_lazy("As printed on the document, e.g. 市场发〔2026〕12号."),
    )
    drafting_department = forms.ModelChoiceField(
        label=gettext_lazy("Drafting department"), queryset=Department.objects.order_by("code"),
    )
    valid_until = bounded_date(
        gettext_lazy("Valid until"), required=False,
        help_text=gettext_lazy("Only for a time-limited document: it lapses by itself after this day."),
    )
    source = forms.FileField(
        label=gettext_lazy("The document (PDF)"),
        help_text=gettext_lazy("The electronic original every stamped copy is made from."),
    )
    approval_papers = MultipleFileField(
        label=gettext_lazy("Approval papers"),
        help_text=gettext_lazy("One or more files: the signed approval form, the drafting notes."),
    )
    archive_number = CodeFormField(
        label=gettext_lazy("Filed original"), required=False, max_length=ARCHIVE_NUMBER_MAX_LENGTH,
        help_text=gettext_lazy("The archive number of the filed paper original, if it is already filed."),
    )
    correspondence = forms.ModelChoiceField(
        queryset=Correspondence.objects.filter(direction=Direction.OUTGOING), required=False,
        widget=forms.HiddenInput,
    )

    record = None

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_archive_number(self):
        number = self.cleaned_data["archive_number"]
        if not number:
            return number
        self.record = visible_records(self.user, Record.objects.filter(archive_number=number)).first()
        if self.record is None:
            raise forms.ValidationError(
                _("No record you may see has the archive number %(number)s.") % {"number": number}
            )
        return number


def initial_from_correspondence(correspondence):
    """What an outgoing register line says of the document it sent."""
    initial = {
        "title": correspondence.title,
        "reference": correspondence.number,
        "drafting_department": correspondence.sender_id,
        "correspondence": correspondence.pk,
    }
    if correspondence.record_id is not None:
        initial["archive_number"] = correspondence.record.archive_number
    return initial


def recipient_choices():
    """(people, departments) as select choices, each read once for every
    row of the list: active people by department and name (pinyin order)."""
    people = get_user_model().objects.filter(is_active=True).select_related("department").order_by(
        "department__code", "name_sort_key", "username"
    )
    person_choices = [("", "—")] + [
        (user.pk, f"{user.display_name} · {user.department.name}" if user.department_id else user.display_name)
        for user in people
    ]
    department_choices = [("", "—")] + [(department.pk, department.name) for department in Department.objects.order_by("code")]
    return person_choices, department_choices


class DistributionRowForm(forms.Form):
    """One row of the distribution list: a person or a department, and how
    many copies (R-CTRL-2). A row left empty is skipped."""

    person = forms.TypedChoiceField(label=gettext_lazy("Person"), required=False, coerce=int, empty_value=None)
    department = forms.TypedChoiceField(label=gettext_lazy("Department"), required=False, coerce=int, empty_value=None)
    copies = bounded_integer(
        gettext_lazy("Copies"), 1, SMALL_INTEGER_MAX, required=False, help_text=gettext_lazy("Empty: one copy."),
    )

    def __init__(self, *args, people, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = people
        self.fields["department"].choices = departments
        self.fields["copies"].widget.attrs["min"] = 1

    def is_blank(self):
        data = getattr(self, "cleaned_data", {})
        return not (data.get("person") or data.get("department") or data.get("copies"))

    def clean(self):
        data = super().clean()
        if self.is_blank():
            return data
        if data.get("person") and data.get("department"):
            raise forms.ValidationError(_("Choose a person or a department, not both."))
        if not (data.get("person") or data.get("department")):
            raise forms.ValidationError(_("Choose a person or a department."))
        if not data.get("copies") and "copies" not in self.errors:
            data["copies"] = 1
        return data


class BaseDistributionFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if all(form.is_blank() for form in self.forms):
            raise forms.ValidationError(_("The distribution list is empty: fill in at least one row."))

    def row_errors(self):
        """Each row's errors as "Row 2: …", so the list above the rows names them."""
        named = []
        for number, form in enumerate(self.forms, start=1):
            for errors in form.errors.values():
                named.extend(_("Row %(row)s: %(error)s") % {"row": number, "error": error} for error in errors)
        return named

    def rows(self):
        """[(person pk or None, department pk or None, copies)] of the filled rows."""
        return [
            (form.cleaned_data["person"], form.cleaned_data["department"], form.cleaned_data["copies"])
            for form in self.forms if not form.is_blank()
        ]


DistributionFormSet = forms.formset_factory(
    DistributionRowForm, formset=BaseDistributionFormSet, extra=EMPTY_ROWS, max_num=MAX_ROWS, validate_max=True,
    absolute_max=MAX_ROWS,
)


class DistributionConfirmForm(forms.Form):
    """The confirmation of a distribution list: the last controlled number
    the confirmation page was drawn with, so a list confirmed after
    someone else issued copies is shown again with its new numbers."""

    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)
    expected_last = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def confirmed(self, document):
        data = self.cleaned_data
        return bool(data.get("confirm")) and data.get("expected_last") == document.last_copy_number


class PaperSignatureForm(forms.Form):
    """Who signed the paper distribution list (R-CTRL-2): the addressed
    person, or an active member of the addressed department."""

    signer = forms.ModelChoiceField(
        label=gettext_lazy("Signed by"), queryset=get_user_model().objects.none(), widget=forms.RadioSelect,
    )

    def __init__(self, *args, copy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signer"].queryset = signer_candidates(copy)
        self.fields["signer"].label_from_instance = lambda user: user.display_name
        if copy.recipient_user_id is not None:
            self.fields["signer"].initial = copy.recipient_user_id


def signer_candidates(copy):
    users = get_user_model().objects.filter(is_active=True).order_by("name_sort_key", "username")
    if copy.recipient_user_id is not None:
        return users.filter(pk=copy.recipient_user_id)
    return users.filter(department_id=copy.recipient_department_id)


class ReplaceForm(forms.Form):
    """What happened to the damaged copy, kept in the line's remark (R-CTRL-4)."""

    note = CleanTextFormField(
        label=gettext_lazy("Note"), required=False, max_length=200, multiline=True,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

