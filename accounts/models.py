from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.pinyin import PinyinKeyField


class Department(models.Model):
    """A department of the company. Exactly one owns the archive (the
    marketing department); people of the others borrow under R-LEND-3."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    owns_archive = models.BooleanField(
        _("owns the archive"),
        default=False,
        help_text=_("The department whose records this archive keeps."),
    )
    head = models.ForeignKey(
        "accounts.User",
        verbose_name=_("head"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="departments_headed",
        # R-LEND-3 (the department's people), R-LEND-2 and R-LEND-4 (the archive's department).
        help_text=_("Signs loans of the department's people and, for the archive's department, "
                    "confidential access, long loans and extensions."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["owns_archive"],
                condition=models.Q(owns_archive=True),
                name="one_department_owns_archive",
            )
        ]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A person who uses the archive. Rights come from role groups
    (accounts.roles), the department decides inside/outside borrowing."""

    full_name = models.CharField(_("full name"), max_length=60, blank=True)
    # People are listed in pinyin order of the name they are shown by (issue 15).
    name_sort_key = PinyinKeyField(_("pinyin sort key"), source="display_name", person=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    # The sort key follows the name: no fact of its own to keep in history.
    history = HistoricalRecords(excluded_fields=["password", "last_login", "name_sort_key"])

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        # Choices of people (forms, the back office) in pinyin order.
        ordering = ["name_sort_key", "username"]

    def __str__(self):
        return self.full_name or self.username

    @property
    def display_name(self):
        return self.full_name or self.get_full_name() or self.username

    def get_short_name(self):
        """How the back office greets the person (欢迎，王芳), not by the
        login name; AbstractUser's first_name is not used here."""
        return self.full_name or super().get_short_name()

    @property
    def is_archive_department_member(self):
        return bool(self.department_id) and self.department.owns_archive

    def has_role(self, role):
        return self.groups.filter(name=role.group_name).exists()


class AccountEventKind(models.TextChoices):
    ROLE_GRANTED = "role_granted", _("Role granted")
    ROLE_REVOKED = "role_revoked", _("Role revoked")
    DEPARTMENT_CHANGED = "department_changed", _("Department changed")
    HEAD_NAMED = "head_named", _("Department head named")
    ARCHIVE_DEPARTMENT_CHANGED = "archive_department_changed", _("Archive department changed")
    ACCOUNT_CREATED = "account_created", _("Account created")
    ACCOUNT_DEACTIVATED = "account_deactivated", _("Account deactivated")
    ACCOUNT_REACTIVATED = "account_reactivated", _("Account reactivated")
    RESET_LINK_SENT = "reset_link_sent", _("Password-reset link sent")
    EMAIL_CHANGED = "email_changed", _("E-mail address changed")


class AppendOnly(Exception):
    """The account log is evidence: its rows are written once, never changed
    or deleted (separation of duties)."""


class AccountEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("Account events are never changed.")

    def delete(self):
        raise AppendOnly("Account events are never deleted.")


class AccountEvent(models.Model):
    """One change of an account, a role, a department's head or the archive's
    department, written by accounts.services whoever made it (back office or
    a command on the server). Append-only: leadership reads it to see what the
    system administrator did, so nobody may rewrite it."""

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        "accounts.User",
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the change was made with a command on the server."),
    )
    actor_name = models.CharField(_("by (name)"), max_length=150)
    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="account_events",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="account_events",
    )
    kind = models.CharField(_("kind"), max_length=40, choices=AccountEventKind.choices)
    summary = models.TextField(_("summary"))

    objects = AccountEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("account change")
        verbose_name_plural = _("account changes")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return self.summary

    @property
    def by_label(self):
        """Who made the change, saying when it was a command on the server."""
        if self.actor_id:
            return self.actor_name
        return _("%(name)s (command on the server)") % {"name": self.actor_name}

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("Account events are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("Account events are never deleted.")


class Notice(models.Model):
    """An in-app notice to one person, whatever app wrote it (the same text
    is mailed): written by accounts.notices.notify, read and marked read on
    the notices page. Each app keeps its own wording (lending.notices,
    disposal's notices); accounts offers only the mechanism. No history:
    a notice is written once and only marked read (by its reader, or for
everyone it went to when what it asks for was handled)."""

    user = models.ForeignKey(
        "accounts.User", verbose_name=_("person"), on_delete=models.CASCADE, related_name="notices"
    )
    text = models.CharField(_("text"), max_length=300)
    url = models.CharField(_("link"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # What the notice is about ("lending.request:42"), so that the app can
    # clear it for everyone when the thing is handled (notices_resolve).
    subject = models.CharField(_("subject"), max_length=100, blank=True, db_index=True)

    class Meta:
        # The table lending created when notices were lending's alone; it
        # moved here with its rows (migrations accounts 0005, lending 0003).
        db_table = "lending_notice"
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notice_unread")]

    def __str__(self):
        return self.text
