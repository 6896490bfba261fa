"""Reasons the client-file services write into history; added to
core.history's registry by ClientsConfig.ready()."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class ClientReason(models.TextChoices):
    # R-CLIENT: the weekly upkeep of a client file.
    REVIEWED = "reviewed", _("Reviewed and tidied")
