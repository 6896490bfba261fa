"""The lending back office: requests with their signatures, loans,
extensions and incidents, each with its history, and lending's
policy values (LendingPolicy), which the department head changes.

Everything else here is read-only. A request, loan, extension or incident
changes only through lending.services, which re-check the rules
(lending.policies); the two admin actions (approve requests, approve
extensions) call those services, never set fields. Every list shows only
what concerns records the user may see (records.selectors.visible_records,
R-LEND-4)."""
from django.contrib import admin, messages
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin import BackOfficeAdmin
from core.admin import ReadOnlyAdminMixin, open_or_closed_filter
from lending.exceptions import LendingRefused
from lending.models import (
    Approval,
    Extension,
    ExtensionState,
    Incident,
    LendingPolicy,
    Loan,
    LoanRequest,
    RequestState,
)
from lending.policies import approval_summary
from lending.services import extension_decide, request_decide
from records.admin import SingletonPolicyAdmin, VisibleRecordFieldsMixin
from records.selectors import visible_records


@admin.register(LendingPolicy)
class LendingPolicyAdmin(SingletonPolicyAdmin):
    """How long staff borrow without a signature and at most, and how long
    an approved view opens a confidential record (R-LEND-2, R-LEND-4)."""

    list_display = ["__str__", "loan_period_days", "view_grant_hours", "max_loan_days"]
    fields = ["loan_period_days", "view_grant_hours", "max_loan_days"]


class LendingAdmin(ReadOnlyAdminMixin, VisibleRecordFieldsMixin, BackOfficeAdmin):
    """Base of the lending admins: read-only, history on every page, rows
    limited to records the user may see."""

    #: The path from the model to its Record.
    record_path = "record"

    def get_queryset(self, request):
        visible = visible_records(request.user).values("pk")
        return super().get_queryset(request).filter(**{f"{self.record_path}__in": visible})

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def has_approve_loan_permission(self, request):
        return request.user.has_perm("lending.approve_loan")

    def _report(self, request, done, refusals, message):
        for obj, refusal in refusals:
            self.message_user(
                request, _("%(object)s: %(reason)s") % {"object": obj, "reason": refusal.message}, messages.WARNING
            )
        if done:
            self.message_user(request, message % {"count": done}, messages.SUCCESS)


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def get_readonly_fields(self, request, obj=None):
        return self.fields


class ApprovalInline(ReadOnlyInline):
    """The signatures on the request (the IOU's lines) and refusals."""

    model = Approval
    fields = ["step", "approver", "approved", "reason", "at"]
    show_change_link = False


class ExtensionInline(ReadOnlyInline):
    model = Extension
    fields = ["created_at", "requested_by", "new_due_at", "reason", "state", "decided_by", "decision_reason"]


class IncidentInline(ReadOnlyInline):
    model = Incident
    fields = ["opened_at", "kind", "borrower", "description", "opened_by", "resolved_at", "resolution"]


@admin.register(LoanRequest)
class LoanRequestAdmin(LendingAdmin):
    """Requests to view in place (查阅) or borrow (借出), with who must sign
    and why (lending.policies.required_approvals) and who signed."""

    list_display = ["created_at", "requester", "record", "kind", "days", "state", "decided_at"]
    list_display_links = ["created_at", "record"]
    list_filter = ["state", "kind"]
    list_select_related = ["requester", "record"]
    search_fields = [
        "record__archive_number",
        "record__title",
        "requester__username",
        "requester__full_name",
        "purpose",
    ]
    date_hierarchy = "created_at"
    fields = ["record", "requester", "kind", "days", "purpose", "state", "created_at", "decided_at"]
    inlines = [ApprovalInline]
    actions = ["approve_selected"]

    def get_fields(self, request, obj=None):
        return [*self.fields, "approvals_needed"]

    @admin.display(description=_("approvals needed"))
    def approvals_needed(self, obj):
        return approval_summary(obj)

    @admin.action(description=_("Approve selected requests (sign as yourself)"), permissions=["approve_loan"])
    def approve_selected(self, request, queryset):
        """Signs each selected request through lending.services.request_decide,
        which decides which step the user signs and refuses what they may not
        sign (R-LEND-2, R-LEND-3, R-LEND-4; never one's own request)."""
        done, refusals = 0, []
        for loan_request in queryset.filter(state=RequestState.PENDING).order_by("pk"):
            try:
                request_decide(request=loan_request, approver=request.user, approve=True)
            except LendingRefused as refusal:
                refusals.append((loan_request, refusal))
            else:
                done += 1
        skipped = queryset.exclude(state=RequestState.PENDING).count()
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d request was not waiting for approval.",
                    "%(count)d requests were not waiting for approval.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )
        self._report(
            request, done, refusals, ngettext("%(count)d request signed.", "%(count)d requests signed.", done)
        )


class LoanStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("out", _("Out")), ("overdue", _("Overdue")), ("returned", _("Returned"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        conditions = {
            "out": Q(returned_at__isnull=True),
            "overdue": Q(returned_at__isnull=True, due_at__lt=now),
            "returned": Q(returned_at__isnull=False),
        }
        if self.value() in conditions:
            return queryset.filter(conditions[self.value()])
        return queryset


@admin.register(Loan)
class LoanAdmin(LendingAdmin):
    """Hand-outs and returns (R-LEND-1) with the condition check (R-LEND-6)."""

    list_display = ["out_at", "record", "borrower", "due_at", "returned_at", "is_overdue", "damaged"]
    list_display_links = ["out_at", "record"]
    list_filter = [LoanStateFilter, "damaged"]
    list_select_related = ["record", "borrower"]
    search_fields = ["record__archive_number", "record__title", "borrower__username", "borrower__full_name"]
    date_hierarchy = "out_at"
    fields = [
        "record",
        "borrower",
        "request",
        "handed_out_by",
        "out_at",
        "due_at",
        "returned_at",
        "taken_back_by",
        "pages_returned",
        "copies_returned",
        "damaged",
        "condition_notes",
    ]
    inlines = [ExtensionInline, IncidentInline]

    @admin.display(description=_("overdue"), boolean=True)
    def is_overdue(self, obj):
        return obj.returned_at is None and obj.due_at < timezone.now()


@admin.register(Extension)
class ExtensionAdmin(LendingAdmin):
    """Longer loans, decided by the head of the archive's department (R-LEND-2)."""

    record_path = "loan__record"
    list_display = ["created_at", "loan", "requested_by", "new_due_at", "state", "decided_by"]
    list_filter = ["state"]
    list_select_related = ["loan__record", "loan__borrower", "requested_by", "decided_by"]
    search_fields = [
        "loan__record__archive_number",
        "loan__record__title",
        "requested_by__username",
        "requested_by__full_name",
        "reason",
    ]
    date_hierarchy = "created_at"
    fields = [
        "loan",
        "requested_by",
        "new_due_at",
        "reason",
        "state",
        "decided_by",
        "decision_reason",
        "created_at",
    ]
    actions = ["approve_selected"]

    @admin.action(description=_("Approve selected extensions"), permissions=["approve_loan"])
    def approve_selected(self, request, queryset):
        """Through lending.services.extension_decide, which refuses an
        extension past the longest loan (LendingPolicy.max_loan_days) or by
        someone who may not decide it (R-LEND-2)."""
        done, refusals = 0, []
        for extension in queryset.filter(state=ExtensionState.PENDING).order_by("pk"):
            try:
                extension_decide(extension=extension, by=request.user, approve=True)
            except LendingRefused as refusal:
                refusals.append((extension, refusal))
            else:
                done += 1
        self._report(
            request,
            done,
            refusals,
            ngettext("%(count)d extension approved.", "%(count)d extensions approved.", done),
        )


IncidentStateFilter = open_or_closed_filter("resolved_at", open_label=_("Open"), closed_label=_("Resolved"))


@admin.register(Incident)
class IncidentAdmin(LendingAdmin):
    """Late, damaged or lost, with the borrower accountable (R-LEND-5).
    Incidents are opened and resolved from the loan desk (lending.services)."""

    list_display = ["opened_at", "kind", "record", "borrower", "opened_by", "resolved_at"]
    list_display_links = ["opened_at", "record"]
    list_filter = [IncidentStateFilter, "kind"]
    list_select_related = ["record", "borrower", "opened_by"]
    search_fields = ["record__archive_number", "record__title", "borrower__username", "borrower__full_name"]
    date_hierarchy = "opened_at"
    fields = ["record", "loan", "borrower", "kind", "description", "opened_by", "opened_at", "resolved_at",
              "resolution"]
