"""Forms of the lending screens. They check input and hand plain values to
lending.services; the rules themselves (who approves, how long) are in
lending.policies and are checked again by the services."""
import datetime

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.limits import INTEGER_MAX, SMALL_INTEGER_MAX, bounded_date, bounded_integer
from core.text_input import CleanTextFormField, CodeFormField

from lending.models import LendingPolicy, LoanRequest, RequestKind
from records.models import Record, RecordStatus

REASON_MAX_LENGTH = 300
NO_LONGER_WAITING = _("Some of the chosen items no longer wait for you (someone decided them meanwhile); choose again.")


def _reason_field(label, *, required, help_text=""):
    return CleanTextFormField(
        multiline=True,
        label=label,
        required=required,
        max_length=REASON_MAX_LENGTH,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FindRecordForm(forms.Form):
    """A record named by its archive number. From the record page it is
    filled in; a record the user cannot open is asked for by the number
    (R-ACCESS: looking something up needs a request and approval where the
    file is not open to the asker). Whether this user may ask for it is
    lending.policies.may_request, not this form; `record` is None when no
    filed record has the number, which the view answers like a record the
    user cannot open (R-ACCESS)."""

    # Typed or scanned (a scanner types the number and Enter): normalise_code.
    archive_number = CodeFormField(label=_("Archive number"), max_length=80)

    record = None

    def clean_archive_number(self):
        number = self.cleaned_data["archive_number"].strip()
        self.record = Record.objects.filter(archive_number=number, status__in=RecordStatus.catalogued()).first()
        return number


class RequestForm(forms.Form):
    """A request to view in place (查阅) or borrow (借出) one record."""

    kind = forms.ChoiceField(label=_("Kind"), choices=RequestKind.choices, widget=forms.RadioSelect)
    days = forms.IntegerField(
        label=_("Days"),
        min_value=1,
        help_text=_("How long you need the record. Viewing in place happens within the day."),
    )
    purpose = _reason_field(_("Purpose"), required=True)

    def __init__(self, *args, kinds=None, policy=None, **kwargs):
        super().__init__(*args, **kwargs)
        policy = policy or LendingPolicy.current()
        # No loan goes beyond the policy's longest loan, whoever approves it.
        self.fields["days"].validators.append(MaxValueValidator(policy.max_loan_days))
        self.fields["days"].widget.attrs["max"] = policy.max_loan_days
        self.fields["days"].initial = policy.loan_period_days
        if kinds is not None:
            self.fields["kind"].choices = [(kind, label) for kind, label in RequestKind.choices if kind in kinds]
        if len(self.fields["kind"].choices) == 1:
            self.fields["kind"].initial = self.fields["kind"].choices[0][0]
        else:
            self.fields["kind"].initial = RequestKind.BORROW

    def draft(self, requester, record):
        """The request as it would be sent, unsaved: its approvals can be
        computed before anything is sent (lending.policies)."""
        return LoanRequest(
            requester=requester,
            record=record,
            kind=self.cleaned_data["kind"],
            days=self.cleaned_data["days"],
            purpose=self.cleaned_data["purpose"],
        )


class DecisionForm(forms.Form):
    """Approve or refuse; a refusal needs a reason."""

    reason = _reason_field(_("Reason"), required=False)

    def __init__(self, *args, refusing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.refusing = refusing

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if self.refusing and not reason:
            raise forms.ValidationError(_("Say why you refuse: the requester reads it."))
        return reason


class BulkApproveForm(forms.Form):
    """Several items of the inbox approved at once; refusals go one by one
    because each needs its reason."""

    requests = forms.ModelMultipleChoiceField(
        queryset=None, required=False, error_messages={"invalid_choice": NO_LONGER_WAITING}
    )
    extensions = forms.ModelMultipleChoiceField(
        queryset=None, required=False, error_messages={"invalid_choice": NO_LONGER_WAITING}
    )

    def __init__(self, *args, requests, extensions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requests"].queryset = requests
        self.fields["extensions"].queryset = extensions

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("requests") and not cleaned.get("extensions"):
            raise forms.ValidationError(_("Choose the items to approve."))
        return cleaned


class ExtensionForm(forms.Form):
    """A longer loan needs the department head's approval (R-LEND-2)."""

    new_due_date = bounded_date(_("New due date"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = _reason_field(_("Reason"), required=True)

    def __init__(self, *args, loan, **kwargs):
        super().__init__(*args, **kwargs)
        self.loan = loan
        self.fields["new_due_date"].initial = timezone.localtime(loan.due_at).date() + datetime.timedelta(days=1)

    def clean_new_due_date(self):
        new_date = self.cleaned_data["new_due_date"]
        if new_date <= timezone.localtime(self.loan.due_at).date():
            raise forms.ValidationError(_("The new due date must be after the current one."))
        return new_date

    @property
    def new_due_at(self):
        """The new date at the loan's current time of day."""
        due = timezone.localtime(self.loan.due_at)
        return due.replace(
            year=self.cleaned_data["new_due_date"].year,
            month=self.cleaned_data["new_due_date"].month,
            day=self.cleaned_data["new_due_date"].day,
        )


class ReturnForm(forms.Form):
    """The condition check on return (R-LEND-6): pages and copies counted,
    damaged or not. Prefilled with what was filed."""

    pages_returned = bounded_integer(_("Pages returned"), 0, INTEGER_MAX)
    copies_returned = bounded_integer(_("Copies returned"), 0, SMALL_INTEGER_MAX)
    damaged = forms.BooleanField(label=_("Damaged"), required=False)
    notes = _reason_field(
        _("Condition notes"), required=False, help_text=_("What is missing or damaged, if anything.")
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("damaged") and not (cleaned.get("notes") or "").strip():
            self.add_error("notes", _("Describe the damage."))
        return cleaned


class ResolveForm(forms.Form):
    resolution = _reason_field(_("Resolution"), required=True)


class LostForm(forms.Form):
    """The borrower reports the record lost (R-LEND-5)."""

    description = _reason_field(_("What happened"), required=True)
