"""Forms of the lists screens (disposal.views). They read and shape what
people enter; the rules (who may, which records, which proposal needs a
reason, two witnesses...) are the services' (disposal.services), whose
refusals reach these forms through core.views.refusal_to_form, on the field
they name: action, extend_years, receiving_body, reason, opinion, year,
date, place, method, executor."""
import re

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.limits import bounded_date, bounded_integer
from core.text_input import CleanTextFormField, normalise_code
from disposal import policies
from disposal.models import DestructionMethod, DisposalList, ItemAction, ListItem, ListKind, ListState
from records.filters import CategoryChoiceField
from records.models import Category, Record, RecordStatus
from records.models.choices import MAX_RETENTION_YEARS
from records.models.record import RECORD_YEARS
from records.selectors import visible_records

NEW_LIST = "new"
# Archive numbers one form adds at most (a list grows by several adds).
MAX_NUMBERS = 500
# Records chosen by ticking, at most (more: "every listable record").
MAX_TICKED = 1000
TEXT_MAX = ListItem._meta.get_field("reason").max_length


def _text(label, *, required=False, rows=2, max_length=TEXT_MAX, help_text=""):
    return CleanTextFormField(
        multiline=True,
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _this_year():
    return timezone.localdate().year


def _refuse_future(year):
    this_year = _this_year()
    if year is not None and year > this_year:
        # The same words as disposal.services.lists refuses with.
        raise forms.ValidationError(
            _("%(year)d has not ended yet: a list covers this year (%(this_year)d) or an earlier one.")
            % {"year": year, "this_year": this_year}
        )
    return year


class AppraisalForm(forms.Form):
    """Which year end (R-DISP-2), of one class or of all."""

    year = bounded_integer(gettext_lazy("Appraisal year"), *RECORD_YEARS)
    category = CategoryChoiceField(
        label=gettext_lazy("Class"),
        queryset=Category.objects.select_related("parent"),
        required=False,
        empty_label=gettext_lazy("All classes"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].widget.attrs["max"] = _this_year()

    def clean_year(self):
        return _refuse_future(self.cleaned_data["year"])


class ProposalForm(forms.Form):
    """What is proposed for the records (R-DISP-1, R-DISP-2): a weeding
    list weeds; an appraisal list destroys, extends retention by N years
    (with a reason), keeps permanently or transfers out (with the receiving
    body)."""

    action = forms.ChoiceField(label=gettext_lazy("Proposal"), choices=ItemAction.choices, widget=forms.RadioSelect)
    extend_years = forms.IntegerField(
        label=gettext_lazy("Extend by (years)"), required=False, min_value=1, max_value=MAX_RETENTION_YEARS
    )
    receiving_body = CleanTextFormField(
        label=gettext_lazy("Receiving body"),
        required=False,
        max_length=ListItem._meta.get_field("receiving_body").max_length,
        help_text=gettext_lazy("For a transfer: who receives the records, e.g. the company archive."),
    )
    reason = _text(gettext_lazy("Reason"), help_text=gettext_lazy("Needed to weed out and to extend retention."))
    opinion = _text(gettext_lazy("Appraisal opinion of these items"), help_text=gettext_lazy("Optional."))

    def __init__(self, *args, kind=ListKind.APPRAISAL, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        actions = policies.ACTIONS_BY_KIND[kind]
        self.fields["action"].choices = [(action.value, action.label) for action in actions]
        if len(actions) == 1:
            self.fields["action"].initial = actions[0].value
            self.fields["action"].widget = forms.HiddenInput()
            self.fields["action"].required = False
            for name in ("extend_years", "receiving_body"):
                del self.fields[name]
            self.fields["reason"].help_text = gettext_lazy("Why the records have no lasting value.")
        else:
            self.fields["action"].initial = ItemAction.DESTROY

    def clean_action(self):
        # The one proposal of a weeding list, whatever the hidden field says.
        actions = policies.ACTIONS_BY_KIND[self.kind]
        return actions[0].value if len(actions) == 1 else self.cleaned_data["action"]

    def proposal(self):
        """The keyword arguments of list_add_items / item_update."""
        data = self.cleaned_data
        return {
            "action": data["action"],
            "extend_years": data.get("extend_years"),
            "receiving_body": data.get("receiving_body") or "",
            "reason": data.get("reason") or "",
            "opinion": data.get("opinion") or "",
        }


class TargetMixin:
    """Which list the records go on: one of the drafter's open lists of the
    kind (and year), or a new one."""

    def _set_targets(self, lists, initial=None):
        choices = [(str(item.pk), f"{item.number} · {item.get_state_display()}") for item in lists]
        self.fields["target"].choices = [*choices, (NEW_LIST, _("A new list"))]
        self.fields["target"].initial = str(initial) if initial else (choices[0][0] if choices else NEW_LIST)
        self.target_lists = {str(item.pk): item for item in lists}

    def target_list(self):
        """The list chosen, or None for a new one."""
        return self.target_lists.get(self.cleaned_data["target"])


class AppraisalAddForm(TargetMixin, ProposalForm):
    """Put the ticked records, or every record that may be listed, on a
    list of the appraisal year with one proposal."""

    SELECTED, ALL = "selected", "all"

    target = forms.ChoiceField(label=gettext_lazy("Add to"))
    list_opinion = _text(
        gettext_lazy("Appraisal opinion of the new list"), rows=3, max_length=2000, help_text=gettext_lazy("Optional.")
    )
    scope = forms.ChoiceField(
        label=gettext_lazy("Records"),
        choices=[(SELECTED, gettext_lazy("The records ticked below")), (ALL, gettext_lazy("Every record that may be listed"))],
        initial=SELECTED,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, lists=(), initial_list=None, **kwargs):
        super().__init__(*args, kind=ListKind.APPRAISAL, **kwargs)
        self._set_targets(lists, initial_list)
        self.order_fields(["scope", "target", "list_opinion", "action", "extend_years", "receiving_body", "reason"])

    def ticked(self):
        """The record ids ticked (whole numbers only, at most MAX_TICKED)."""
        values = self.data.getlist("records") if hasattr(self.data, "getlist") else []
        return [int(value) for value in values if str(value).isdigit()][:MAX_TICKED]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scope") == self.SELECTED and not self.ticked():
            raise forms.ValidationError(_("Tick the records to add, or choose every record that may be listed."))
        return cleaned


class WeedRecordForm(TargetMixin, forms.Form):
    """From a record's page: put it on a weeding list, with the reason
    (R-DISP-1)."""

    target = forms.ChoiceField(label=gettext_lazy("Weeding list"))
    reason = _text(gettext_lazy("Why it has no lasting value"), required=True)

    def __init__(self, *args, lists=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._set_targets(lists)


def split_numbers(text):
    """Archive numbers as written or scanned: one a line, or separated by
    spaces, commas or semicolons; each normalised (normalise_code)."""
    parts = (normalise_code(part) for part in re.split(r"[\s,，;；、]+", text or ""))
    return list(dict.fromkeys(part for part in parts if part))


class AddByNumberForm(ProposalForm):
    """Records named by their archive numbers (档号), for either kind of list."""

    archive_numbers = _text(
        gettext_lazy("Archive numbers"),
        required=True,
        rows=4,
        max_length=20000,
        help_text=gettext_lazy("One a line, or separated by spaces or commas."),
    )

    def __init__(self, *args, user, kind, **kwargs):
        super().__init__(*args, kind=kind, **kwargs)
        self.user = user
        self.order_fields(["archive_numbers"])

    def clean_archive_numbers(self):
        numbers = split_numbers(self.cleaned_data["archive_numbers"])
        if len(numbers) > MAX_NUMBERS:
            raise forms.ValidationError(_("At most %(max)d archive numbers at a time.") % {"max": MAX_NUMBERS})
        catalogued = Record.objects.filter(archive_number__in=numbers, status__in=RecordStatus.catalogued())
        found = dict(visible_records(self.user, catalogued).values_list("archive_number", "pk"))
        unknown = [number for number in numbers if number not in found]
        if unknown:
            # A record the user may not see is answered like a number nobody has (R-ACCESS).
            raise forms.ValidationError(
                _("No record you may see has the archive number %(numbers)s.") % {"numbers": "、".join(unknown[:20])}
            )
        self.record_ids = [found[number] for number in numbers]
        return numbers


class ListCreateForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=ListKind.choices, widget=forms.RadioSelect)
    year = bounded_integer(
        gettext_lazy("Year"),
        *RECORD_YEARS,
        required=False,
        help_text=gettext_lazy("Appraisal list: records whose retention ends by 31 December of it are due. "
                               "Weeding list: empty for this year."),
    )
    opinion = _text(gettext_lazy("Appraisal opinion"), rows=4, max_length=2000, help_text=gettext_lazy("Optional."))

    def clean_year(self):
        return _refuse_future(self.cleaned_data["year"])


class ListFilterForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False)
    state = forms.ChoiceField(label=gettext_lazy("State"), required=False)
    year = bounded_integer(gettext_lazy("Year"), *RECORD_YEARS, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["kind"].choices = everything + list(ListKind.choices)
        self.fields["state"].choices = everything + list(ListState.choices)

    def filters(self):
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


class OpinionForm(forms.Form):
    opinion = _text(gettext_lazy("Appraisal opinion"), rows=6, max_length=2000)


class ReasonForm(forms.Form):
    """The reason a list is returned or an item struck off; the service
    says when it is missing."""

    reason = _text(gettext_lazy("Reason"), required=False, max_length=DisposalList._meta.get_field("return_reason").max_length)


class ConfirmForm(forms.Form):
    """A confirmation page's button, with the state the page showed: the
    service refuses a list that moved on since (disposal.services)."""

    state = forms.ChoiceField(choices=ListState.choices, required=False, widget=forms.HiddenInput)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.display_name
        return name if name == obj.username else f"{name} ({obj.username})"


def _people_field(label, **kwargs):
    queryset = get_user_model().objects.filter(is_active=True).order_by("name_sort_key", "username")
    return PersonChoiceField(label=label, queryset=queryset, required=False, **kwargs)


class DestructionForm(forms.Form):
    """How the destroy items were destroyed (R-DISP-3): date, place,
    method, executor and two witnesses (监销人)."""

    date = bounded_date(gettext_lazy("Date of destruction"), required=False)
    place = CleanTextFormField(label=gettext_lazy("Place"), required=False, max_length=200)
    method = forms.ChoiceField(label=gettext_lazy("Method"), choices=DestructionMethod.choices)
    executor = _people_field(gettext_lazy("Executor"))
    witness_1 = _people_field(gettext_lazy("First witness"))
    witness_2 = _people_field(gettext_lazy("Second witness"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].widget.attrs["max"] = timezone.localdate().isoformat()

    def facts(self):
        """The keyword arguments of destruction_record."""
        data = self.cleaned_data
        return {
            "date": data["date"],
            "place": data["place"],
            "method": data["method"],
            "executor": data["executor"],
            "witnesses": [data["witness_1"], data["witness_2"]],
        }
