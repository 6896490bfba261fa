"""What each disposal register selects, and its format. The forms read
only the query string: a background job builds the same register from the
same query (records.register_jobs)."""
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.limits import bounded_integer
from disposal.models import DisposalList, ListKind, ListState
from disposal.registers.holds import SHOW_ACTIVE, SHOW_ALL
from records.filters import CategoryChoiceField
from records.models import Category
from records.models.record import RECORD_YEARS

FORMAT_CHOICES = [("pdf", _("PDF")), ("xlsx", _("Excel"))]


class ListChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number} · {obj.year} · {obj.get_state_display()}"


class _ListRegisterForm(forms.Form):
    """One list, chosen by its number; subclasses say which lists."""

    lists = DisposalList.objects.none()

    list = ListChoiceField(label=_("List"), queryset=DisposalList.objects.none())
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["list"].queryset = self.lists.select_related("drafted_by").order_by("-created_at", "-pk")


class ReportForm(_ListRegisterForm):
    """档案鉴定销毁报告 of an appraisal list (R-DISP-2)."""

    lists = DisposalList.objects.filter(kind=ListKind.APPRAISAL)


class WeedingListForm(_ListRegisterForm):
    """剔除清册 of a weeding list (R-DISP-1)."""

    lists = DisposalList.objects.filter(kind=ListKind.WEEDING)


class CertificateForm(_ListRegisterForm):
    """档案销毁清册 / 销毁证明 of an executed list that destroyed records (R-DISP-3)."""

    lists = DisposalList.objects.filter(state=ListState.EXECUTED, destruction__isnull=False)


class DestructionRegisterForm(forms.Form):
    """销毁登记簿, narrowed by any of: the records' year, their class, the
    year they were destroyed, a text in the archive number or title."""

    year = bounded_integer(_("Year"), *RECORD_YEARS, required=False)
    category = CategoryChoiceField(
        label=_("Class"),
        queryset=Category.objects.select_related("parent"),
        required=False,
        help_text=_("The register includes the sub-classes of the class chosen."),
    )
    destroyed_year = bounded_integer(_("Destroyed in"), *RECORD_YEARS, required=False)
    q = forms.CharField(label=_("Archive number or title contains"), max_length=100, required=False, strip=True)
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES)


class HoldsRegisterForm(forms.Form):
    """冻结登记簿: the holds in force, or every hold ever placed."""

    show = forms.ChoiceField(
        label=_("Holds"),
        choices=[
            (SHOW_ACTIVE, pgettext_lazy("holds to print", "In force")),
            (SHOW_ALL, _("All, released and ended included")),
        ],
        initial=SHOW_ACTIVE,
        required=False,
    )
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES)

    def clean_show(self):
        return self.cleaned_data.get("show") or SHOW_ACTIVE
