"""People and their roles in the back office, under the separation of
duties: the system administrator manages accounts but never gains or hands
out access to records (accounts.services says how).

- Nobody sets another person's password here, not even a superuser (who
  uses `manage.py changepassword` on the server): the password page is
  refused and a link to choose one is mailed to the person instead.
- Nobody changes their own roles, department, status or permissions.
- A non-superuser may only look at (not change) a superuser, a department
  head or someone holding a role they could not grant (R-ACCESS): otherwise
  they could change that person's address and mail themselves the link.
- Every save is written to the account log, with the state before it.
"""
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import services
from accounts.account_log import account_state
from accounts.admin.base import BackOfficeAdmin
from accounts.exceptions import AccountRefused
from accounts.models import Department, User
from accounts.roles import Role, grantable_roles, roles_of
from core.text import join_items
from core.views import refusal_to_message

ROLE_LABELS = {role.group_name: role.label for role in Role}

# What nobody changes on their own account (separation of duties).
OWN_ACCOUNT_READ_ONLY = ["groups", "department", "is_staff", "is_active", "is_superuser", "user_permissions"]


# Django stores a permission's name in English ("Can view record"): the back
# office says it in words of the reader's language from its action and model.
PERMISSION_ACTIONS = {
    "view": gettext_lazy("view %(things)s"),
    "add": gettext_lazy("add %(things)s"),
    "change": gettext_lazy("change %(things)s"),
    "delete": gettext_lazy("delete %(things)s"),
}


def permission_words(permission):
    """A permission as a reader says it: 查看 档案, not "Can view record"."""
    model = permission.content_type.model_class()
    action, _sep, _rest = permission.codename.partition("_")
    if model is None or action not in PERMISSION_ACTIONS:
        return _(permission.name)
    return PERMISSION_ACTIONS[action] % {"things": model._meta.verbose_name}


class PermissionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return permission_words(obj)


class RoleChoiceField(forms.ModelMultipleChoiceField):
    """Role groups by their names in words (档案管理员), never by their codes."""

    def label_from_instance(self, obj):
        return ROLE_LABELS.get(obj.name, obj.name)


class RoleFilter(admin.SimpleListFilter):
    """The change list's filter by role, each by its name in words."""

    title = gettext_lazy("roles")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return [(role.group_name, role.label) for role in Role]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(groups__name=self.value())
        return queryset


class AccountAddForm(forms.ModelForm):
    """A new account has no password: the person chooses it from the link
    mailed to the address given here."""

    class Meta:
        model = User
        fields = ["username", "full_name", "department", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].help_text = gettext_lazy("The link to choose a password is mailed to this address.")

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("A user with that username already exists."), code="unique")
        return username

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
            self.save_m2m()
        return user


class AccountChangeForm(UserChangeForm):
    """Django's change form without the password (and its link to the page
    that sets one)."""

    password = None


class UserAdmin(BackOfficeAdmin, DjangoUserAdmin):
    """People and their roles. Roles are groups whose permissions come from
    accounts.roles; the system administrator assigns the roles they may
    grant, the others are given on the server (`grant_role`)."""

    form = AccountChangeForm
    add_form = AccountAddForm
    add_form_template = "admin/accounts/user/add_form.html"
    list_display = ["username", "full_name_column", "department", "roles", "is_staff", "is_active", "last_login"]
    list_filter = ["department", RoleFilter, "is_active", "is_staff", "is_superuser"]
    list_select_related = ["department"]
    search_fields = ["username", "full_name", "first_name", "last_name", "email"]
    ordering = ["name_sort_key", "username"]  # pinyin order of the names (issue 15)
    actions = ["send_reset_links"]
    fieldsets = (
        (None, {"fields": ("username", "password_state")}),
        (
            gettext_lazy("Personal info"),
            {"fields": ("full_name", "department", "email", "first_name", "last_name")},
        ),
        (
            gettext_lazy("Roles and permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (gettext_lazy("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "full_name", "department", "email")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=gettext_lazy("full name"), ordering="name_sort_key")
    def full_name_column(self, obj):
        """Sorted in pinyin order of the name shown (issue 15)."""
        return obj.full_name

    @admin.display(description=gettext_lazy("roles"))
    def roles(self, obj):
        return join_items(ROLE_LABELS.get(group.name, group.name) for group in obj.groups.all())

    @admin.display(description=gettext_lazy("password"))
    def password_state(self, obj):
        if obj.has_usable_password():
            return _("Set by the user.")
        return _("Not chosen yet: the user chooses it from a link sent by e-mail.")

    # --- what may be changed ------------------------------------------------------

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name == "groups":
            kwargs["label"] = gettext_lazy("roles")
            kwargs["help_text"] = gettext_lazy(
                "Each role gives the permissions of that kind of work. "
                "Roles that see confidential records are given on the server by the system's operator."
            )
            kwargs["queryset"] = self._grantable_groups(request)
            kwargs["form_class"] = RoleChoiceField
            # The two-list picker names what it holds: 可选 角色, 全选角色.
            kwargs["widget"] = FilteredSelectMultiple(gettext_lazy("roles"), is_stacked=False)
        elif db_field.name == "user_permissions":
            kwargs["form_class"] = PermissionChoiceField
        return super().formfield_for_manytomany(db_field, request=request, **kwargs)

    @staticmethod
    def _grantable_groups(request):
        return Group.objects.filter(name__in=[role.group_name for role in grantable_roles(request.user)])

    @admin.display(description=gettext_lazy("user permissions"))
    def permissions_in_words(self, obj):
        permissions = obj.user_permissions.select_related("content_type")
        return join_items(permission_words(permission) for permission in permissions) or "—"

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or request.user.is_superuser:
            return fieldsets
        # Shown, not edited: in words rather than as Django's English names.
        return [
            (name, {**options, "fields": tuple(
                "permissions_in_words" if field == "user_permissions" else field for field in options["fields"]
            )})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj)) + ["password_state", "permissions_in_words"]
        if not request.user.is_superuser:
            # Rights come from roles; only a superuser hands out superuser
            # status or single permissions.
            readonly += ["is_superuser", "user_permissions"]
        if obj is not None and obj.pk == request.user.pk:
            readonly += OWN_ACCOUNT_READ_ONLY
        return list(dict.fromkeys(readonly))

    def has_change_permission(self, request, obj=None):
        if obj is not None and not request.user.is_superuser and self._beyond_editor(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    @staticmethod
    def _beyond_editor(editor, obj):
        """A superuser, a department head or a holder of a role `editor`
        could not grant: changing their address would let the editor mail
        themselves the link to their account (R-ACCESS)."""
        if obj.is_superuser or Department.objects.filter(head=obj).exists():
            return True
        return bool(set(roles_of(obj)) - set(grantable_roles(editor)))

    # --- saving, with the account log -------------------------------------------------

    def save_model(self, request, obj, form, change):
        if change:
            form.account_before = account_state(User.objects.get(pk=obj.pk))
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        # The roles offered are the editor's grantable ones, and whoever holds
        # another is read-only to them (has_change_permission): a save never
        # takes away a role the editor could not have given.
        super().save_related(request, form, formsets, change)
        user = form.instance
        if change:
            services.user_record_changes(user=user, before=form.account_before, by=request.user)
        else:
            services.user_record_creation(user=user, by=request.user, request=request)

    def response_add(self, request, obj, post_url_continue=None):
        messages.info(
            request, _("A link to choose a password was sent to %(email)s.") % {"email": obj.email}
        )
        return super().response_add(request, obj, post_url_continue)

    # --- passwords: links only --------------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "<id>/send-reset-link/",
                self.admin_site.admin_view(require_POST(self.send_reset_link_view)),
                name="accounts_user_send_reset_link",
            ),
            *super().get_urls(),
        ]

    def user_change_password(self, request, id, form_url=""):
        """Nobody sets another person's password in the back office (the
        URL stays Django's, admin:auth_user_password_change)."""
        raise PermissionDenied

    def send_reset_link_view(self, request, id):
        user = self.get_object(request, unquote(id))
        if user is None:
            raise Http404
        if not (self.has_view_permission(request, user) and self.has_change_permission(request)):
            raise PermissionDenied
        self._send_reset_link(request, user)
        return HttpResponseRedirect(reverse("admin:accounts_user_change", args=[user.pk]))

    @admin.action(description=gettext_lazy("Send a password-reset link"), permissions=["change"])
    def send_reset_links(self, request, queryset):
        for user in queryset:
            self._send_reset_link(request, user)

    def _send_reset_link(self, request, user):
        try:
            services.user_send_reset_link(user=user, by=request.user, request=request)
        except AccountRefused as refusal:
            refusal_to_message(request, refusal)
            return
        messages.success(
            request,
            _("A link to choose a new password was sent to %(user)s at %(email)s.")
            % {"user": user.display_name, "email": user.email},
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["may_send_reset_link"] = obj is not None and self.has_change_permission(request)
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)


admin.site.register(User, UserAdmin)
