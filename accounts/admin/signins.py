"""The sign-in log (django-axes) in the back office, for the system
administrator: failed sign-ins, lockouts and sign-ins, read-only; a locked
username or address is unlocked with the "unlock" action, never by deleting
rows by hand. Replaces django-axes' own admin (AXES_ENABLE_ADMIN = False),
which offers deletion and shows the raw POST data."""
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin.base import NoDeleteAdminMixin
from core.admin import SaneDateFiltersMixin


def sign_in_words(entry):
    """An entry of the log as its page names it: who and when, in local time
    (django-axes names it "Access Log for … @ <UTC time>" in English)."""
    return f"{entry.username or '—'} · {timezone.localtime(entry.attempt_time):%Y-%m-%d %H:%M}"


class ReadOnlyLogAdmin(SaneDateFiltersMixin, NoDeleteAdminMixin, admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        entry = self.get_object(request, object_id)
        if entry is not None:
            # templates/admin/axes/change_form.html shows it in the breadcrumbs too.
            extra_context = {**(extra_context or {}), "subtitle": sign_in_words(entry)}
        return super().change_view(request, object_id, form_url, extra_context=extra_context)

    def history_view(self, request, object_id, extra_context=None):
        entry = self.get_object(request, object_id)
        if entry is not None:
            title = gettext("Change history: %s") % sign_in_words(entry)
            extra_context = {**(extra_context or {}), "title": title}
        return super().history_view(request, object_id, extra_context=extra_context)


@admin.register(AccessAttempt)
class SignInAttemptAdmin(ReadOnlyLogAdmin):
    list_display = ["username", "ip_address", "failures_since_start", "locked", "attempt_time"]
    list_filter = ["attempt_time"]
    search_fields = ["username", "ip_address"]
    fields = ["username", "ip_address", "user_agent", "path_info", "failures_since_start", "attempt_time"]
    actions = ["unlock"]

    @admin.display(description=_("Locked Out"), boolean=True)
    def locked(self, obj):
        return obj.failures_since_start >= settings.AXES_FAILURE_LIMIT

    def has_unlock_permission(self, request):
        return request.user.has_perm("axes.delete_accessattempt")

    @admin.action(description=_("Unlock the chosen usernames and addresses"), permissions=["unlock"])
    def unlock(self, request, queryset):
        unlocked = 0
        for username, ip_address in queryset.values_list("username", "ip_address").distinct():
            unlocked += AxesProxyHandler.reset_attempts(username=username, ip_address=ip_address)
        self.message_user(
            request,
            ngettext("%(count)d sign-in lock lifted.", "%(count)d sign-in locks lifted.", unlocked)
            % {"count": unlocked},
            messages.SUCCESS,
        )


@admin.register(AccessFailureLog)
class SignInFailureAdmin(ReadOnlyLogAdmin):
    list_display = ["attempt_time", "username", "ip_address", "locked_out"]
    list_filter = ["locked_out", "attempt_time"]
    search_fields = ["username", "ip_address"]
    fields = ["attempt_time", "username", "ip_address", "user_agent", "path_info", "locked_out"]


@admin.register(AccessLog)
class SignInAdmin(ReadOnlyLogAdmin):
    list_display = ["attempt_time", "logout_time", "username", "ip_address"]
    list_filter = ["attempt_time"]
    search_fields = ["username", "ip_address"]
    fields = ["attempt_time", "logout_time", "username", "ip_address", "user_agent", "path_info"]
