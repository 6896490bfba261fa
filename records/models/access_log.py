from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from records.models.attachment import Attachment
from records.models.record import Record


class AccessAction(models.TextChoices):
    VIEW = "view", _("Viewed the record")
    DOWNLOAD = "download", _("Downloaded a file")
    BACK_OFFICE = "back_office", _("Opened in the back office")
    LISTED = "listed", _("Shown in a list or search result")
    PRINTED = "printed", _("Included in a register or export")


class AccessLog(models.Model):
    """Every access to a confidential record is traceable (R-ACCESS): who,
    what, when. Rows are only ever added."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="access_logs"
    )
    record = models.ForeignKey(
        Record, verbose_name=_("record"), on_delete=models.PROTECT, related_name="access_logs"
    )
    attachment = models.ForeignKey(
        Attachment,
        verbose_name=_("attachment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="access_logs",
    )
    action = models.CharField(_("action"), max_length=20, choices=AccessAction.choices)
    where = models.CharField(
        _("where"), max_length=200, blank=True, help_text=_("The page, list, register or export it was shown in.")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-pk"]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.get_action_display()} {self.record}"
