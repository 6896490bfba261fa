from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


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
        help_text=_("Signs loans of the department's people (R-LEND-3) and, for the archive's department, "
                    "confidential access, long loans and extensions (R-LEND-2, R-LEND-4)."),
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
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.username

    @property
    def display_name(self):
        return self.full_name or self.get_full_name() or self.username

    @property
    def is_archive_department_member(self):
        return bool(self.department_id) and self.department.owns_archive

    def has_role(self, role):
        return self.groups.filter(name=role.group_name).exists()
